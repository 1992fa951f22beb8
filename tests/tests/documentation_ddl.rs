//! How much of the DDL the PostgreSQL and MySQL manuals describe the SQL reader models:
//! `testdata/docs-ddl/*.sql` hold statements for every DDL command page, one statement
//! starting on each line. A statement is counted `unsupported-statement` when the reader
//! knows what it is but the model has no place for it, and `unreadable-statement` when the
//! parser does not read it; either way the tool reports it as needing review.
//!
//! Print the share and the statements left:
//! `cargo test -p balrog-schema-lint-tests --test documentation_ddl -- --nocapture`.
//! The ceilings below only go down: lower them when the reader learns more.

use std::collections::BTreeMap;

use balrog_schema_lint::model::ops::{Dialect, OpKind};
use balrog_schema_lint::read::sql::lower_sql;
use balrog_schema_lint_tests::testdata;

/// (file, dialect, most unsupported statements allowed, most unreadable allowed).
const CORPORA: [(&str, Dialect, usize, usize); 2] = [
    ("docs-ddl/postgres.sql", Dialect::Postgres, 0, 0),
    ("docs-ddl/mysql.sql", Dialect::Mysql, 0, 1),
];

#[derive(Default)]
struct Count {
    statements: usize,
    unsupported: Vec<String>,
    unreadable: Vec<String>,
}

fn count(file: &str, dialect: Dialect) -> Count {
    let text = String::from_utf8(testdata(file)).expect("UTF-8");
    // Every operation of one statement carries the statement's line.
    let mut by_line: BTreeMap<u32, (String, Vec<OpKind>)> = BTreeMap::new();
    for op in lower_sql(&text, dialect) {
        by_line
            .entry(op.line)
            .or_insert_with(|| (op.source.clone(), Vec::new()))
            .1
            .push(op.kind);
    }
    let mut count = Count::default();
    for (line, (source, kinds)) in by_line {
        count.statements += 1;
        let head: String = source.chars().take(90).collect();
        let entry = format!("{file}:{line}: {head}");
        if kinds.iter().any(|k| matches!(k, OpKind::Unreadable { .. })) {
            count.unreadable.push(entry);
        } else if kinds
            .iter()
            .any(|k| matches!(k, OpKind::Unsupported { .. }))
        {
            count.unsupported.push(entry);
        }
    }
    count
}

#[test]
fn share_of_documented_ddl_the_reader_does_not_model() {
    let mut over = Vec::new();
    for (file, dialect, max_unsupported, max_unreadable) in CORPORA {
        let count = count(file, dialect);
        let lines = String::from_utf8(testdata(file)).expect("UTF-8");
        let written = lines
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
            .count();
        assert_eq!(count.statements, written, "{file}: one statement a line");
        let share = |n: usize| 100.0 * n as f64 / count.statements as f64;
        eprintln!(
            "{file} ({}): {} statements, {} unsupported-statement ({:.1}%), {} unreadable-statement ({:.1}%)",
            dialect.name(),
            count.statements,
            count.unsupported.len(),
            share(count.unsupported.len()),
            count.unreadable.len(),
            share(count.unreadable.len()),
        );
        for statement in count.unsupported.iter() {
            eprintln!("  unsupported  {statement}");
        }
        for statement in count.unreadable.iter() {
            eprintln!("  unreadable   {statement}");
        }
        if count.unsupported.len() > max_unsupported || count.unreadable.len() > max_unreadable {
            over.push(format!(
                "{file}: {} unsupported (at most {max_unsupported}), {} unreadable (at most {max_unreadable})",
                count.unsupported.len(),
                count.unreadable.len()
            ));
        }
    }
    assert!(
        over.is_empty(),
        "more statements left unmodelled than before:\n{}",
        over.join("\n")
    );
}

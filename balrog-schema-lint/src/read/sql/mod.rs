//! SQL migrations: statement splitting and lowering to [`Operation`]s.
//!
//! The only module that imports `sqlparser`. The dialect always comes from the caller:
//! parsing MySQL with another dialect misreads statements silently (`ADD INDEX idx (a)`
//! becomes a column named `INDEX`), so it is never guessed.
//!
//! Statements sqlparser rejects become [`OpKind::Unreadable`] at their line, or
//! [`OpKind::Unsupported`] when a small recogniser knows what they are; either way the
//! rest of the file is still read.

mod alter;
mod columns;
mod delimiter;
mod do_block;
mod facts;
mod lower;
mod maintenance;
mod named;
mod objects;
mod query_columns;
mod programs;
mod reader;
mod recognise;
mod sections;
mod table_actions;
#[cfg(test)]
mod tests;

use crate::model::ops::{Dialect, OpKind, Operation, ParsedMigration};
pub(crate) use do_block::branch_note as do_block_branch_note;
pub use facts::{repeated_assignments, truncate_cascades};
use reader::Outcome;
pub use sections::{up_section, Sections};

/// Reads a whole SQL migration file.
pub fn read_sql_migration(source: &str, dialect: Dialect) -> ParsedMigration {
    ParsedMigration {
        operations: lower_sql(source, dialect),
        ..ParsedMigration::default()
    }
}

/// How many statements SQL text holds, parsed or not: the splitting and parsing of
/// [`lower_sql`] without the lowering (for benchmarks and fuzzing).
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
pub fn count_statements(sql: &str, dialect: Dialect) -> usize {
    let mut count = 0;
    reader::read_statements(sql, dialect, |_| count += 1);
    count
}

/// The output columns of a `CREATE [MATERIALIZED] VIEW` statement, as (name, source) where
/// a source is `table.column` (alternatives split by `|`), `type:NAME`, `*:table`, or empty
/// when the query does not tell. Empty when the statement is not a view that parses.
pub fn view_columns(statement: &str, dialect: Dialect) -> Vec<(String, String)> {
    let text = statement.trim().trim_end_matches(';').trim_end();
    // `WITH [NO] DATA` only says whether rows are computed now; sqlparser rejects it.
    let upper = text.to_ascii_uppercase();
    let text = match upper.strip_suffix("DATA").map(str::trim_end) {
        Some(rest) => {
            let rest = rest.strip_suffix("NO").map_or(rest, str::trim_end);
            match rest.strip_suffix("WITH") {
                Some(head) => text.get(..head.len()).unwrap_or(text),
                None => text,
            }
        }
        None => text,
    };
    let parsed = sqlparser::parser::Parser::parse_sql(reader::sql_dialect(dialect), text);
    let Some(sqlparser::ast::Statement::CreateView(view)) =
        parsed.ok().and_then(|mut s| (s.len() == 1).then(|| s.remove(0)))
    else {
        return Vec::new();
    };
    let mut columns = query_columns::query_columns(&view.query);
    for (column, name) in columns.iter_mut().zip(&view.columns) {
        column.name = name.name.value.clone();
    }
    columns.into_iter().map(|c| (c.name, c.source)).collect()
}

/// Lowers SQL text holding one or more statements. Lines are 1-based within `sql`.
pub fn lower_sql(sql: &str, dialect: Dialect) -> Vec<Operation> {
    let sql = crate::model::ops::without_byte_order_mark(sql);
    let mut operations = Vec::new();
    reader::read_statements(sql, dialect, |raw| {
        let all_tokens = || raw.tokens(usize::MAX);
        // Read from tokens whether parsed or not: sqlparser's forms of these lose
        // `CONCURRENTLY`, `FULL` in an option list and the table.
        let maintenance = matches!(
            recognise::keyword(raw.tokens(1).first()).as_deref(),
            Some("REINDEX" | "CLUSTER" | "VACUUM")
        )
        .then(|| maintenance::maintenance(&all_tokens()))
        .flatten();
        let kinds = match (maintenance, &raw.outcome) {
            (Some(kinds), _) => kinds,
            (None, Outcome::Parsed(statement)) => {
                let lowered = programs::lower_program(Some(statement), all_tokens, dialect)
                    .unwrap_or_else(|| {
                        lower::lower_statement(statement, &|| {
                            recognise::statement_what(&raw.tokens(recognise::HEAD_TOKENS))
                        })
                    });
                or_named(lowered, &all_tokens(), dialect)
            }
            (None, Outcome::Failed(error)) => programs::lower_program(None, all_tokens, dialect)
                .or_else(|| recognise::recognise(&raw.tokens(usize::MAX)))
                .map(|ops| or_named(ops, &all_tokens(), dialect))
                .or_else(|| named::recognise(&all_tokens(), dialect))
                .unwrap_or_else(|| {
                    vec![OpKind::Unreadable {
                        error: error.clone(),
                    }]
                }),
        };
        operations.extend(kinds.into_iter().map(|kind| Operation {
            line: raw.line,
            kind,
            source: raw.text.to_string(),
        }));
    });
    operations
}

/// `ops`, unless they hold an `Unsupported` operation and the statement is one of the
/// shapes [`named`] reads from its tokens.
fn or_named(ops: Vec<OpKind>, tokens: &[&sqlparser::tokenizer::Token], dialect: Dialect) -> Vec<OpKind> {
    if ops.iter().any(|op| matches!(op, OpKind::Unsupported { .. })) {
        named::recognise(tokens, dialect).unwrap_or(ops)
    } else {
        ops
    }
}

/// Whether a word is reserved in SQL, so that an identifier spelled so must be quoted. The
/// parser's keyword list decides: words it will not take as a column alias, and a few more
/// that MySQL reserves.
pub fn is_reserved_word(word: &str) -> bool {
    use sqlparser::keywords::{
        Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX, RESERVED_FOR_COLUMN_ALIAS,
    };
    let upper = word.to_ascii_uppercase();
    let Ok(index) = ALL_KEYWORDS.binary_search(&upper.as_str()) else {
        return false;
    };
    let keyword = ALL_KEYWORDS_INDEX
        .get(index)
        .copied()
        .unwrap_or(Keyword::NoKeyword);
    RESERVED_FOR_COLUMN_ALIAS.contains(&keyword)
        || matches!(
            keyword,
            Keyword::WHEN
                | Keyword::ORDER
                | Keyword::GROUP
                | Keyword::SELECT
                | Keyword::TABLE
                | Keyword::KEY
                | Keyword::INDEX
                | Keyword::CHECK
                | Keyword::DEFAULT
                | Keyword::CONDITION
                | Keyword::RANGE
                | Keyword::RANK
        )
}

#[cfg(test)]
mod keyword_tests {
    #[test]
    fn reserved_words_need_quotes() {
        for word in ["when", "ORDER", "select", "key"] {
            assert!(super::is_reserved_word(word), "{word}");
        }
        for word in ["rules", "priority", "mapping", "data_version", "comment"] {
            assert!(!super::is_reserved_word(word), "{word}");
        }
    }
}

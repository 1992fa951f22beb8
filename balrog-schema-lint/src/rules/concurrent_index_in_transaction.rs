//! `concurrent-index-in-transaction`: `CONCURRENTLY` inside an explicit transaction.

use super::{finding, source_has, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind, Operation};

pub(super) static RULE: Rule = Rule {
    name: "concurrent-index-in-transaction",
    category: Category::Operational,
    default_severity: Severity::Error,
    summary: "A CONCURRENTLY index build, drop, rebuild or partition detach runs inside a transaction block and will fail",
    doc: "## What it does
Reports PostgreSQL `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`,
`REINDEX ... CONCURRENTLY` and `ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY` that
follow a `BEGIN` (or `START TRANSACTION`) in the same file with no `COMMIT` in between.

## Why is this bad
PostgreSQL refuses to run them in a transaction block: the migration fails in production.
Migration runners that wrap each file in a transaction (Flyway, golang-migrate, Alembic by
default) need their per-file opt-out as well; this rule only sees explicit blocks.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
BEGIN;
CREATE INDEX CONCURRENTLY rules_product_idx ON rules (product);
COMMIT;
```

## Use instead
Put the concurrent index in a migration of its own, outside any transaction:
```sql
-- dialect: postgres
CREATE INDEX CONCURRENTLY rules_product_idx ON rules (product);
```

## Deploy ordering
No effect on the order; the schema step fails as written.
",
    enabled_by_default: true,
    standalone_example: true,
};

fn statement_starts(op: &Operation, words: &[&str]) -> bool {
    let what = match &op.kind {
        OpKind::NoEffect { what } => what.as_str(),
        _ => return false,
    };
    [what, op.source.as_str()].iter().any(|text| {
        let upper = text.trim_start().to_ascii_uppercase();
        words.iter().any(|w| {
            upper.strip_prefix(w).is_some_and(|rest| {
                rest.is_empty()
                    || !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
        })
    })
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let mut open_at: Option<u32> = None;
        for aop in &migration.operations {
            let op = &aop.op;
            if statement_starts(op, &["BEGIN", "START TRANSACTION"]) {
                open_at = Some(op.line);
            } else if statement_starts(op, &["COMMIT", "ROLLBACK", "END"]) {
                open_at = None;
            }
            // `DETACH PARTITION ... FINALIZE` is read as concurrent too, but only completes one.
            let concurrent = match &op.kind {
                OpKind::CreateIndex { concurrently, .. }
                | OpKind::DropIndex { concurrently, .. }
                | OpKind::Maintenance { concurrently, .. } => *concurrently,
                OpKind::DetachPartition { concurrently, .. } => {
                    *concurrently && !source_has(&op.source, "FINALIZE")
                }
                _ => false,
            };
            if let (true, Some(begin)) = (concurrent, open_at) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(op.line),
                    format!("{} runs CONCURRENTLY inside the transaction opened on line {begin}: PostgreSQL rejects it.", op.kind.describe()),
                    "Move it to a migration of its own that runs outside a transaction.".into(),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn index() -> OpKind {
        OpKind::CreateIndex {
            name: None,
            table: "t".into(),
            columns: vec!["a".into()],
            unique: false,
            concurrently: true,
            partial: false,
        }
    }

    fn control(what: &str) -> OpKind {
        OpKind::NoEffect { what: what.into() }
    }

    #[test]
    fn only_inside_an_open_block() {
        let inside = single(
            Dialect::Postgres,
            vec![control("BEGIN"), index(), control("COMMIT"), index()],
        );
        assert_eq!(lines(check, &inside), [Some(2)]);
        assert!(lines(check, &single(Dialect::Postgres, vec![index()])).is_empty());
        let not_begin = single(Dialect::Postgres, vec![control("BEGINNING"), index()]);
        assert!(lines(check, &not_begin).is_empty());
    }

    #[test]
    fn reindex_and_detach_concurrently_too() {
        let reindex = OpKind::Maintenance {
            command: crate::model::ops::MaintenanceCommand::Reindex,
            table: Some("t".into()),
            index: None,
            concurrently: true,
        };
        let detach = |source: &str| {
            op_at(
                3,
                OpKind::DetachPartition {
                    table: "t".into(),
                    partition: "p".into(),
                    concurrently: true,
                },
                source,
            )
        };
        let ops = vec![
            op_at(1, control("BEGIN"), "BEGIN"),
            op_at(2, reindex, "REINDEX TABLE CONCURRENTLY t"),
            detach("ALTER TABLE t DETACH PARTITION p CONCURRENTLY"),
            op_at(4, control("COMMIT"), "COMMIT"),
        ];
        let a = analysis(Dialect::Postgres, vec![migration("m/0002_x.sql", ops)]);
        assert_eq!(lines(check, &a), [Some(2), Some(3)]);
        let finalize = vec![
            op_at(1, control("BEGIN"), "BEGIN"),
            detach("ALTER TABLE t DETACH PARTITION p FINALIZE"),
        ];
        let a = analysis(Dialect::Postgres, vec![migration("m/0002_x.sql", finalize)]);
        assert!(lines(check, &a).is_empty());
    }
}

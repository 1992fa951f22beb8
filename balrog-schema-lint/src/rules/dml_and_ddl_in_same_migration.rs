//! `dml-and-ddl-in-same-migration`: data changes mixed with schema changes in one file.

use super::{finding, with_new_tables, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "dml-and-ddl-in-same-migration",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A migration changes both the schema and the rows of an existing table",
    doc: "## What it does
Reports a migration that holds schema changes and `INSERT` / `UPDATE` / `DELETE` statements
on tables production already has. Seeding a table created in the same migration is fine.

## Why is this bad
MySQL commits after every schema statement, so a data change that fails leaves the migration
half applied, and re-running it fails on the schema part. A long backfill also keeps the
schema step (and the locks it holds) running far longer than the DDL alone.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT);
ALTER TABLE rules ADD COLUMN priority_v2 INT NULL;
UPDATE rules SET priority_v2 = priority WHERE priority IS NOT NULL;
```

## Use instead
Put the backfill in a migration of its own (or a job that runs after the deploy):
```sql
UPDATE rules SET priority_v2 = priority WHERE priority IS NOT NULL;
```

## Deploy ordering
No effect on the order; it makes the schema step restartable.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    let all = with_new_tables(analysis);
    // Operations come migration by migration, so each migration's are one run.
    for mine in all.chunk_by(|a, b| std::ptr::eq(a.0, b.0)) {
        let Some((migration, _, _)) = mine.first() else {
            continue;
        };
        let mut first_data: Option<(u32, &str)> = None;
        let mut schema = false;
        for (_, aop, table_is_new) in mine {
            match &aop.op.kind {
                OpKind::DataChange { table, .. } => {
                    if !table_is_new && first_data.is_none() {
                        first_data = Some((aop.op.line, table));
                    }
                }
                // Maintenance (`REINDEX` after a bulk update) changes no definition.
                OpKind::NoEffect { .. }
                | OpKind::Maintenance { .. }
                | OpKind::Comment { .. }
                | OpKind::Unreadable { .. }
                | OpKind::Unsupported { .. } => {}
                _ => schema = true,
            }
        }
        if let (true, Some((line, table))) = (schema, first_data) {
            out.push(finding(
                &RULE,
                Some(*migration),
                Some(line),
                format!("this migration changes the schema and the rows of {table}: if the data change fails, the schema part is already committed (MySQL) and the migration cannot simply be re-run."),
                "Move the data change to a migration of its own.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{DataChangeKind, Dialect};

    fn data(table: &str) -> OpKind {
        OpKind::DataChange {
            change: DataChangeKind::Update,
            table: table.into(),
            filtered: true,
        }
    }

    #[test]
    fn data_on_existing_table_next_to_ddl() {
        let add = OpKind::AddColumn {
            table: "t".into(),
            column: col("c", "INT"),
        };
        assert_eq!(
            lines(
                check,
                &single(Dialect::Mysql, vec![add, data("t"), data("t")])
            ),
            [Some(2)]
        );
        assert!(lines(check, &single(Dialect::Mysql, vec![create("s"), data("s")])).is_empty());
        assert!(lines(check, &single(Dialect::Mysql, vec![data("t")])).is_empty());
        let reindex = OpKind::Maintenance {
            command: crate::model::ops::MaintenanceCommand::Reindex,
            table: Some("t".into()),
            index: None,
            concurrently: false,
        };
        assert!(lines(check, &single(Dialect::Postgres, vec![data("t"), reindex])).is_empty());
    }
}

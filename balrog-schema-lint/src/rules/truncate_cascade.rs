//! `truncate-cascade`: a PostgreSQL `TRUNCATE ... CASCADE` empties tables it does not
//! name.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{DataChangeKind, Dialect, OpKind};
use crate::read::sql::truncate_cascades;

pub(super) static RULE: Rule = Rule {
    name: "truncate-cascade",
    category: Category::Operational,
    default_severity: Severity::Error,
    summary: "TRUNCATE ... CASCADE also empties every table that references the truncated one",
    doc: "## What it does
Reports PostgreSQL `TRUNCATE ... CASCADE`.

## Why is this bad
`CASCADE` truncates, with the named tables, every table that has a foreign key to any of
them, and every table referencing those in turn: the statement names one table and empties
a whole tree of them, which the reviewer cannot see from the migration. The rows are gone
for good (no rollback of the release brings them back), and each table is locked
`ACCESS EXCLUSIVE` while it happens. Without `CASCADE`, PostgreSQL refuses to truncate a
referenced table unless the referencing tables are truncated in the same statement, which
is the safety net `CASCADE` removes.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE releases (name VARCHAR(100) NOT NULL PRIMARY KEY, data TEXT);
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, mapping VARCHAR(100) REFERENCES releases (name));
TRUNCATE releases CASCADE;
```
It is also a `delete-without-where`.

## Use instead
Delete only the rows that must go, so that the foreign keys protect the rows still used:
```sql
-- dialect: postgres
-- production: CREATE TABLE releases (name VARCHAR(100) NOT NULL PRIMARY KEY, data TEXT);
DELETE FROM releases WHERE name LIKE 'Firefox-nightly-2019%';
```
or name every table to empty in the `TRUNCATE` itself, after a backup.

## Deploy ordering
No effect on the order; back the data up before the schema step.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    let mut reported_line = None;
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::DataChange {
            change: DataChangeKind::Delete,
            table,
            filtered: false,
        } = &aop.op.kind
        else {
            continue;
        };
        // One statement truncating several tables is several operations: report it once.
        let at = (migration.path.as_str(), aop.op.line);
        if reported_line == Some(at) || !truncate_cascades(&aop.op.source, migration.dialect) {
            continue;
        }
        reported_line = Some(at);
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("TRUNCATE {table} CASCADE also empties every table with a foreign key to it, and the tables referencing those; the statement does not name them."),
            "Delete only the rows that must go, or name every table to empty without CASCADE, after a backup.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn truncate(line: u32, table: &str, source: &str) -> crate::model::ops::Operation {
        op_at(
            line,
            OpKind::DataChange {
                change: DataChangeKind::Delete,
                table: table.into(),
                filtered: false,
            },
            source,
        )
    }

    #[test]
    fn truncate_with_cascade_once_per_statement() {
        let ops = vec![
            truncate(1, "a", "TRUNCATE a, b CASCADE;"),
            truncate(1, "b", "TRUNCATE a, b CASCADE;"),
            truncate(2, "c", "TRUNCATE c;"),
            truncate(3, "d", "DELETE FROM d;"),
        ];
        let run = |dialect| {
            lines(
                check,
                &analysis(dialect, vec![migration("m/0002_x.sql", ops.clone())]),
            )
        };
        assert_eq!(run(Dialect::Postgres), [Some(1)]);
        assert!(run(Dialect::Mysql).is_empty());
    }
}

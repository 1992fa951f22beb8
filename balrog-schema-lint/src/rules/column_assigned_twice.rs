//! `column-assigned-twice`: an `UPDATE` that PostgreSQL rejects because it sets a column
//! twice.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{DataChangeKind, Dialect, OpKind};
use crate::read::sql::repeated_assignments;

pub(super) static RULE: Rule = Rule {
    name: "column-assigned-twice",
    category: Category::Operational,
    default_severity: Severity::Error,
    summary: "An UPDATE assigns the same column twice, which PostgreSQL rejects",
    doc: "## What it does
Reports a PostgreSQL `UPDATE` whose `SET` list assigns the same column more than once
(`SET a = 1, a = 2`, also through a column list `SET (a, b) = ...`).

## Why is this bad
PostgreSQL rejects the statement (\"multiple assignments to same column\"): the migration
fails in production, after the statements before it ran, unless it runs in a transaction.
It is almost always an edit that left an old assignment behind, so which value was meant
is unclear as well. MySQL and MariaDB accept it and apply the assignments left to right,
and SQLite keeps the last one, so a migration tested only there passes.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT, product VARCHAR(15));
UPDATE rules SET priority = 100, product = 'Firefox', priority = 90 WHERE rule_id = 1;
```

## Use instead
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT, product VARCHAR(15));
UPDATE rules SET priority = 90, product = 'Firefox' WHERE rule_id = 1;
```

## Deploy ordering
No effect on the order; the schema step fails until the statement is fixed.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::DataChange {
            change: DataChangeKind::Update,
            table,
            ..
        } = &aop.op.kind
        else {
            continue;
        };
        let twice = repeated_assignments(&aop.op.source, migration.dialect);
        if twice.is_empty() {
            continue;
        }
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!(
                "the UPDATE of {table} assigns {} more than once: PostgreSQL rejects it and the migration fails.",
                twice.join(", ")
            ),
            "Keep one assignment per column, the value that is meant.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn update(line: u32, source: &str) -> crate::model::ops::Operation {
        op_at(
            line,
            OpKind::DataChange {
                change: DataChangeKind::Update,
                table: "t".into(),
                filtered: true,
            },
            source,
        )
    }

    #[test]
    fn postgres_update_setting_a_column_twice() {
        let ops = vec![
            update(1, "UPDATE t SET a = 1, a = 2 WHERE id = 1;"),
            update(2, "UPDATE t SET a = 1, b = 2 WHERE id = 1;"),
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

//! `reindex-not-concurrently`: a PostgreSQL `REINDEX` that blocks writes.

use super::{created_before, finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, MaintenanceCommand, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "reindex-not-concurrently",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL REINDEX runs without CONCURRENTLY and blocks writes to the table",
    doc: "## What it does
Reports PostgreSQL `REINDEX` without `CONCURRENTLY` on an index or table that was not
created earlier in the release (and `REINDEX SCHEMA` / `DATABASE` / `SYSTEM`, which reach
every table).

## Why is this bad
A plain `REINDEX` locks the table against inserts, updates and deletes until the index is
rebuilt, and takes an `ACCESS EXCLUSIVE` lock on the index itself, so even reads whose plan
uses the index wait. On a large table that is minutes of failed writes and hung reads.
PostgreSQL 12 added `REINDEX ... CONCURRENTLY`, which builds a new copy of the index while
writes go on and swaps it in.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
-- production: CREATE INDEX rules_product_idx ON rules (product);
REINDEX INDEX rules_product_idx;
```

## Use instead
```sql
-- dialect: postgres
REINDEX INDEX CONCURRENTLY rules_product_idx;
```
Like `CREATE INDEX CONCURRENTLY`, it cannot run inside a transaction block, and it cannot
rebuild the system catalogs. Before PostgreSQL 12, build a new index concurrently, drop the
old one concurrently and rename the new one.

## Deploy ordering
No effect on the order: the index is the same afterwards. It affects how long the schema
step blocks writes.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::Maintenance {
            command: MaintenanceCommand::Reindex,
            table,
            index,
            concurrently: false,
        } = &aop.op.kind
        else {
            continue;
        };
        let target = match (table, index) {
            (Some(table), _) => format!("table {table}"),
            (None, Some(index)) => format!("index {index}"),
            (None, None) => "every table it names".to_string(),
        };
        let new = table
            .iter()
            .chain(index)
            .any(|name| created_before(analysis, aop, name));
        if !new {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("REINDEX of {target} runs without CONCURRENTLY: writes to the table block, and reads that use the index wait, until it is rebuilt."),
                "Use REINDEX ... CONCURRENTLY (PostgreSQL 12 and later), outside a transaction.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn reindex(concurrently: bool, index: &str) -> OpKind {
        OpKind::Maintenance {
            command: MaintenanceCommand::Reindex,
            table: None,
            index: Some(index.into()),
            concurrently,
        }
    }

    #[test]
    fn postgres_reindex_of_released_index_without_concurrently() {
        assert_eq!(
            lines(
                check,
                &single(Dialect::Postgres, vec![reindex(false, "i"), reindex(true, "i")])
            ),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Sqlite, vec![reindex(false, "i")])).is_empty());
        let new_index = OpKind::CreateIndex {
            name: Some("i".into()),
            table: "t".into(),
            columns: vec!["c".into()],
            unique: false,
            concurrently: false,
            partial: false,
        };
        assert!(lines(
            check,
            &single(
                Dialect::Postgres,
                vec![create("t"), new_index, reindex(false, "I")]
            )
        )
        .is_empty());
    }
}

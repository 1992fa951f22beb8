//! `create-index-not-concurrently`: a PostgreSQL index built with writes blocked.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "create-index-not-concurrently",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL index is built on an existing table without CONCURRENTLY",
    doc: "## What it does
Reports `CREATE INDEX` without `CONCURRENTLY` on a PostgreSQL table production already has.

## Why is this bad
A plain `CREATE INDEX` holds a `SHARE` lock that blocks every insert, update and delete on
the table until the whole index is built: on a large table, minutes of failed writes.
`CONCURRENTLY` takes `SHARE UPDATE EXCLUSIVE`, which lets reads and writes go on.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
CREATE INDEX rules_product_idx ON rules (product);
```

## Use instead
```sql
-- dialect: postgres
CREATE INDEX CONCURRENTLY rules_product_idx ON rules (product);
```
`CONCURRENTLY` cannot run inside a transaction (see `concurrent-index-in-transaction`).

## Deploy ordering
No effect on the order (an index is expand); it affects how long the schema step blocks
writes.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        if let OpKind::CreateIndex {
            table,
            concurrently: false,
            ..
        } = &aop.op.kind
        {
            let Some(lock) = aop.lock.as_ref().filter(|l| l.mode.blocks_writes()) else {
                continue;
            };
            if touches_released(aop) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("the index on {table} is built without CONCURRENTLY, holding {}: writes to {table} block until it is done.", lock.mode.name()),
                    "Use CREATE INDEX CONCURRENTLY, outside a transaction.".into(),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn index(concurrently: bool) -> OpKind {
        OpKind::CreateIndex {
            name: None,
            table: "t".into(),
            columns: vec!["a".into()],
            unique: false,
            concurrently,
            partial: false,
        }
    }

    #[test]
    fn postgres_existing_table_without_concurrently() {
        assert_eq!(
            lines(check, &single(Dialect::Postgres, vec![index(false)])),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Postgres, vec![index(true)])).is_empty());
        assert!(lines(check, &single(Dialect::Mysql, vec![index(false)])).is_empty());
        assert!(lines(
            check,
            &single(Dialect::Postgres, vec![create("t"), index(false)])
        )
        .is_empty());
    }
}

//! `drop-index-not-concurrently`: a PostgreSQL index dropped under a lock on its table.

use super::{created_before, finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "drop-index-not-concurrently",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL index is dropped without CONCURRENTLY, locking its table",
    doc: "## What it does
Reports PostgreSQL `DROP INDEX` without `CONCURRENTLY` of an index that was not created
earlier in the release.

This is a rule of its own rather than part of `drop-index`: that rule is about what the
running release loses (the speed its queries had, a uniqueness it relied on) and stays
quiet for an index dropped and created again as it was; this one is about the lock the
statement takes, which an index swap takes just as well.

## Why is this bad
`DROP INDEX` takes an `ACCESS EXCLUSIVE` lock on the index's table: every read and write
of the table waits for it, and it waits itself behind any long query already running, with
every later query queued behind it. `DROP INDEX CONCURRENTLY` waits for the transactions
using the index instead, without blocking anyone.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
-- production: CREATE INDEX rules_product_idx ON rules (product);
-- balrog-schema-lint: allow drop-index -- v3.110 stopped querying by product alone
DROP INDEX rules_product_idx;
```

## Use instead
```sql
-- dialect: postgres
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, product VARCHAR(15));
-- production: CREATE INDEX rules_product_idx ON rules (product);
-- balrog-schema-lint: allow drop-index -- v3.110 stopped querying by product alone
DROP INDEX CONCURRENTLY rules_product_idx;
```
`CONCURRENTLY` drops one index per statement, takes no `CASCADE`, and cannot run inside a
transaction block (see `concurrent-index-in-transaction`).

## Deploy ordering
No effect on the order (see `drop-index` for what dropping the index means to deployed
code); it affects how long the schema step blocks the table.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::DropIndex {
            name,
            table,
            concurrently: false,
        } = &aop.op.kind
        else {
            continue;
        };
        let new = std::iter::once(name)
            .chain(table)
            .any(|n| created_before(analysis, aop, n));
        if !new {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("index {name} is dropped without CONCURRENTLY: its table is locked against reads and writes until the drop gets its turn and finishes."),
                "Use DROP INDEX CONCURRENTLY, outside a transaction.".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn drop(concurrently: bool) -> OpKind {
        OpKind::DropIndex {
            name: "i".into(),
            table: None,
            concurrently,
        }
    }

    #[test]
    fn postgres_drop_of_released_index_without_concurrently() {
        assert_eq!(
            lines(
                check,
                &single(Dialect::Postgres, vec![drop(false), drop(true)])
            ),
            [Some(1)]
        );
        assert!(lines(check, &single(Dialect::Mysql, vec![drop(false)])).is_empty());
        let new_index = OpKind::CreateIndex {
            name: Some("i".into()),
            table: "t".into(),
            columns: vec!["c".into()],
            unique: false,
            concurrently: true,
            partial: false,
        };
        assert!(lines(
            check,
            &single(Dialect::Postgres, vec![new_index, drop(false)])
        )
        .is_empty());
    }
}

//! `detach-partition-not-concurrently`: a PostgreSQL partition detached under a lock on
//! the partitioned table.

use super::{created_before, finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "detach-partition-not-concurrently",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A PostgreSQL partition is detached without CONCURRENTLY, locking the partitioned table",
    doc: "## What it does
Reports PostgreSQL `ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY` (or
`FINALIZE`) on a partitioned table that was not created earlier in the release.

## Why is this bad
A plain detach takes an `ACCESS EXCLUSIVE` lock on the partitioned table: every query on
any partition through the parent waits, and the detach itself waits behind long queries
with everything after it queued. PostgreSQL 14 added `DETACH PARTITION ... CONCURRENTLY`,
which takes only a `SHARE UPDATE EXCLUSIVE` lock on the parent and waits for running
queries in two transactions instead.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE events (event_id INT NOT NULL, created DATE NOT NULL) PARTITION BY RANGE (created);
-- production: CREATE TABLE events_2019 PARTITION OF events FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
ALTER TABLE events DETACH PARTITION events_2019;
```

## Use instead
```sql
-- dialect: postgres
-- production: CREATE TABLE events (event_id INT NOT NULL, created DATE NOT NULL) PARTITION BY RANGE (created);
-- production: CREATE TABLE events_2019 PARTITION OF events FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;
```
`CONCURRENTLY` cannot run inside a transaction block, nor when the table has a default
partition; if it is interrupted, `DETACH PARTITION ... FINALIZE` completes it.

## Deploy ordering
Contract either way: the partition's rows leave the parent, so code that still reads them
through the parent deploys after. `CONCURRENTLY` changes only how long the step blocks.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        if let OpKind::DetachPartition {
            table,
            partition,
            concurrently: false,
        } = &aop.op.kind
        {
            if !created_before(analysis, aop, table) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("partition {partition} is detached from {table} without CONCURRENTLY: {table} is locked against reads and writes while it waits and runs."),
                    "Use DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14 and later), outside a transaction.".into(),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn detach(concurrently: bool) -> OpKind {
        OpKind::DetachPartition {
            table: "t".into(),
            partition: "p".into(),
            concurrently,
        }
    }

    #[test]
    fn postgres_detach_from_released_table_without_concurrently() {
        assert_eq!(
            lines(
                check,
                &single(Dialect::Postgres, vec![detach(false), detach(true)])
            ),
            [Some(1)]
        );
        assert!(lines(
            check,
            &single(Dialect::Postgres, vec![create("t"), detach(false)])
        )
        .is_empty());
    }
}

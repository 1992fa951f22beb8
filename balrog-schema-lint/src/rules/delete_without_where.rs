//! `delete-without-where`: a DELETE or TRUNCATE of every row of an existing table.

use super::{every_row_changes, finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::DataChangeKind;

pub(super) static RULE: Rule = Rule {
    name: "delete-without-where",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A DELETE without WHERE (or a TRUNCATE) empties an existing table",
    doc: "## What it does
Reports `DELETE` without a `WHERE` clause, and `TRUNCATE`, on tables production already has.

## Why is this bad
The rows are gone for good: rolling the release back does not bring them back, and the
running release may still read them. A large `DELETE` also locks the table and swells the
undo log and replication lag.

## Example
```sql
DELETE FROM releases_history;
```

## Use instead
Delete only the rows that must go (in batches on large tables), after a backup:
```sql
DELETE FROM releases_history WHERE timestamp < 1500000000000;
```

## Deploy ordering
No effect on the order; back the data up before the schema step.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop, table) in every_row_changes(analysis, DataChangeKind::Delete) {
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("every row of {table} is deleted: the data cannot be recovered by a rollback."),
            "Back the table up first; delete only the rows that must go, in batches.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Dialect, OpKind};

    fn delete(filtered: bool) -> OpKind {
        OpKind::DataChange {
            change: DataChangeKind::Delete,
            table: "t".into(),
            filtered,
        }
    }

    #[test]
    fn unfiltered_delete_of_existing_table() {
        assert_eq!(
            lines(
                check,
                &single(Dialect::Mysql, vec![delete(true), delete(false)])
            ),
            [Some(2)]
        );
        assert!(lines(
            check,
            &single(Dialect::Mysql, vec![create("t"), delete(false)])
        )
        .is_empty());
    }
}

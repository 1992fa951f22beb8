//! `update-without-where`: an UPDATE of every row of an existing table.

use super::{every_row_changes, finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::DataChangeKind;

pub(super) static RULE: Rule = Rule {
    name: "update-without-where",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "An UPDATE without WHERE rewrites every row of an existing table",
    doc: "## What it does
Reports `UPDATE` statements without a `WHERE` clause on tables production already has.

## Why is this bad
Every row is rewritten in one transaction: the table is locked for its duration, the undo log
and replication lag grow with the table, and rows that already had the right value are
overwritten too (including by concurrent writes of the running release).

## Example
```sql
UPDATE rules SET priority = 0;
```

## Use instead
Limit the statement to the rows that need it (and batch it on large tables):
```sql
UPDATE rules SET priority = 0 WHERE priority IS NULL;
```

## Deploy ordering
No effect on the order; it affects how long the schema step locks the table.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop, table) in every_row_changes(analysis, DataChangeKind::Update) {
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("every row of {table} is updated in one statement: the table stays locked until it finishes."),
            "Add a WHERE clause for the rows that need it; batch large backfills.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Dialect, OpKind};

    fn update(filtered: bool) -> OpKind {
        OpKind::DataChange {
            change: DataChangeKind::Update,
            table: "t".into(),
            filtered,
        }
    }

    #[test]
    fn unfiltered_update_of_existing_table() {
        assert_eq!(
            lines(
                check,
                &single(Dialect::Mysql, vec![update(false), update(true)])
            ),
            [Some(1)]
        );
        assert!(lines(
            check,
            &single(Dialect::Mysql, vec![create("t"), update(false)])
        )
        .is_empty());
    }
}

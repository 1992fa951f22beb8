//! `drop-column`: a column production has is dropped.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Direction, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "drop-column",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "A column that deployed code may still use is dropped",
    doc: "## What it does
Reports `DROP COLUMN` (and its Python forms) on a table that exists in production.

## Why is this bad
Code that still reads or writes the column fails as soon as the column is gone. The old release
keeps running until the new one is fully deployed, so the drop must wait for it.

## Example
```sql
ALTER TABLE rules DROP COLUMN legacy_flag;
```

## Use instead
Stop using the column in one release, then drop it in a later one:
```sql
ALTER TABLE rules ADD COLUMN priority_v2 INT NULL;
```

## Deploy ordering
Contract: the code that no longer uses the column deploys first (balrog-production), the schema
change last (balrog-admin-production). Rolling back past it is not possible.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::DropColumn { table, column } = &aop.op.kind {
            if aop.judgement.direction == Direction::Contract {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{table}.{column} is dropped; the code that runs before the schema upgrade must not read or write it."),
                    format!("Confirm that {} has no reference to {column}; deploy it before the schema change.", analysis.to),
                ));
            }
        }
    }
}

//! `rename-column`: a column is renamed in one step.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Direction, OpKind};
use crate::plan::recipe;

pub(super) static RULE: Rule = Rule {
    name: "rename-column",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Error,
    summary: "A column is renamed: neither the old nor the new code works on the other's schema",
    doc: "## What it does
Reports a column rename (`RENAME COLUMN`, MySQL `CHANGE COLUMN old new`, `alter(name=...)`).

## Why is this bad
Old code uses the old name and new code the new one. Whichever deploys second fails until it
has: no deploy order is safe.

## Example
```sql
ALTER TABLE rules RENAME COLUMN throttle TO rate;
```

## Use instead
Expand and contract over several releases: add the new column, write both, backfill, switch
reads, then drop the old one.
```sql
ALTER TABLE rules ADD COLUMN rate INT NULL;
```

## Deploy ordering
Breaking: there is no safe order for this release; split it.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let renamed = match &aop.op.kind {
            OpKind::RenameColumn { .. } => true,
            OpKind::RedefineColumn {
                column, definition, ..
            } => !definition.name.eq_ignore_ascii_case(column),
            _ => false,
        };
        if renamed && aop.judgement.direction == Direction::Breaking {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!(
                    "{}: no deploy order keeps both releases working.",
                    aop.op.kind.describe()
                ),
                recipe(&aop.op.kind),
            ));
        }
    }
}

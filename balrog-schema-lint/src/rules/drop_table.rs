//! `drop-table`: a table (or view) production has is dropped.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::ops::{Direction, OpKind};
use crate::report::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "drop-table",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "A table or view that deployed code may still use is dropped",
    doc: "## What it does
Reports `DROP TABLE` and `DROP VIEW` of an object that exists in production.

## Why is this bad
Every query of the old release that touches the table fails once it is gone, and its rows are
lost for good: a rollback cannot bring them back.

## Example
```sql
DROP TABLE permissions_legacy;
```

## Use instead
Stop using the table in one release; drop it in a later one, after a backup:
```sql
CREATE TABLE permissions_archive (id INT NOT NULL PRIMARY KEY);
```

## Deploy ordering
Contract: code first (balrog-production), schema last (balrog-admin-production).
",
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let (what, name) = match &aop.op.kind {
            OpKind::DropTable { table } => ("table", table),
            OpKind::DropView { view } => ("view", view),
            _ => continue,
        };
        if aop.judgement.direction == Direction::Contract {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("{what} {name} is dropped; its data is gone and code that still uses it fails."),
                format!("Confirm that {} has no reference to {name} and that the data is backed up; deploy the code first.", analysis.to),
            ));
        }
    }
}

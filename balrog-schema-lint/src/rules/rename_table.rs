//! `rename-table`: a table is renamed in one step.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::named::{ObjectChange, ObjectKind};
use crate::model::ops::{Direction, OpKind};
use crate::plan::recipe;

pub(super) static RULE: Rule = Rule {
    name: "rename-table",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Error,
    summary: "A table is renamed: neither the old nor the new code works on the other's schema",
    doc: "## What it does
Reports `ALTER TABLE .. RENAME TO`, `RENAME TABLE` and `op.rename_table`.

## Why is this bad
Old code queries the old name, new code the new one: whichever runs against the other schema
fails. No deploy order is safe.

## Example
```sql
-- production: CREATE TABLE releases (name VARCHAR(100) NOT NULL PRIMARY KEY, data LONGTEXT);
ALTER TABLE releases RENAME TO releases_json;
```

## Use instead
Create the new table, write both and backfill, switch reads, then drop the old table in a
later release.
```sql
CREATE TABLE releases_json (name VARCHAR(100) NOT NULL PRIMARY KEY);
```

## Deploy ordering
Breaking: there is no safe order for this release; split it.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        // `ALTER TABLE .. SET SCHEMA` moves the table away from its name as well.
        let renames = matches!(
            aop.op.kind,
            OpKind::RenameTable { .. }
                | OpKind::AlterObject {
                    object: ObjectKind::Table,
                    change: ObjectChange::Rename { .. } | ObjectChange::SetSchema { .. },
                    ..
                }
        );
        if renames && aop.judgement.direction == Direction::Breaking
        {
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

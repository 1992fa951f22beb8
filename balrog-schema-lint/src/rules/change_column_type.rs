//! `change-column-type`: a column's type changes in a way no order makes safe.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Direction, OpKind};
use crate::plan::recipe;

pub(super) static RULE: Rule = Rule {
    name: "change-column-type",
    category: Category::OldCodeNewSchema,
    default_severity: Severity::Error,
    summary: "A column's type is narrowed, changed in kind, or restated without a known old type",
    doc: "## What it does
Reports `ALTER COLUMN .. TYPE`, MySQL `MODIFY`/`CHANGE COLUMN` and `alter(type=...)` unless the
change provably widens the column (longer `VARCHAR`, `INT` to `BIGINT`, `VARCHAR` to `TEXT`).

## Why is this bad
A narrower type rejects or truncates values the old code writes; a different kind of type
changes what both versions read. The change can also rewrite the whole table under a lock.

## Example
```sql
ALTER TABLE rules MODIFY COLUMN comment VARCHAR(10);
```

## Use instead
Add a column with the new type, write both, backfill, switch reads, drop the old one:
```sql
ALTER TABLE rules ADD COLUMN comment_v2 VARCHAR(10) NULL;
```

## Deploy ordering
Breaking: there is no safe order. A widening change is expand (schema first).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let applies = match &aop.op.kind {
            OpKind::AlterColumnType { .. } => true,
            OpKind::RedefineColumn {
                column, definition, ..
            } => definition.name.eq_ignore_ascii_case(column),
            _ => false,
        };
        if applies && aop.judgement.direction == Direction::Breaking {
            let why = aop.judgement.reason.clone().unwrap_or_else(|| {
                "the old type is not known, so the change cannot be shown to widen".into()
            });
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("{}: {why}.", aop.op.kind.describe()),
                recipe(&aop.op.kind),
            ));
        }
    }
}

//! `add-column-not-null-without-default`.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Direction, OpKind};
use crate::plan::recipe;

pub(super) static RULE: Rule = Rule {
    name: "add-column-not-null-without-default",
    category: Category::OldCodeNewSchema,
    default_severity: Severity::Error,
    summary: "A NOT NULL column without a default is added to an existing table",
    doc: "## What it does
Reports a column added to an existing table as `NOT NULL` with no default (and no
auto-increment or generated value).

## Why is this bad
Old code does not know the column, so its inserts leave it out and fail. New code on the old
schema fails too, because the column is not there yet: no deploy order is safe. On a table with
rows the statement itself can fail.

## Example
```sql
ALTER TABLE rules ADD COLUMN priority INT NOT NULL;
```

## Use instead
```sql
ALTER TABLE rules ADD COLUMN priority INT NOT NULL DEFAULT 0;
```

## Deploy ordering
Breaking as written. With a default (or nullable) it is expand: schema first.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if aop.judgement.direction != Direction::Breaking {
            continue;
        }
        match &aop.op.kind {
            OpKind::AddColumn { table, column } => out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!(
                    "{table}.{} is added NOT NULL without a default: inserts from code that does not know it fail.{}",
                    column.name,
                    if column.client_default {
                        " Its default is the application's (Python `default=`), not the database's: it fills existing rows while the migration runs, not the old code's inserts."
                    } else {
                        ""
                    }
                ),
                recipe(&aop.op.kind),
            )),
            // Added nullable earlier in the range, then made NOT NULL (or its default dropped):
            // the same addition, in steps.
            OpKind::SetNotNull { table, column } | OpKind::DropDefault { table, column } => {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{table}.{column} is added in this release and ends NOT NULL without a default: inserts from code that does not know it fail."),
                    format!("Give {column} a default, or make it NOT NULL in a later release, once every deployed version writes it."),
                ))
            }
            _ => {}
        }
    }
}

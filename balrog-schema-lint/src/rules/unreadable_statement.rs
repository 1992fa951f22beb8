//! `unreadable-statement`: source the tool could not read.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "unreadable-statement",
    category: Category::Review,
    default_severity: Severity::Error,
    summary: "A statement or expression could not be parsed: its effect is unknown",
    doc: "## What it does
Reports every SQL statement the parser rejects, every Python expression in a migration that
cannot be resolved statically, and every migration file that is not text.

## Why is this bad
The tool never assumes a change it cannot read is safe. Until a person reads it, the release
has no known safe deploy order.

## Example
```sql
ALTER TABLE rules FROBNICATE COLUMN x;
```

## Use instead
Write the statement in the configured dialect, or suppress the finding with a reason once
you have read it:
```sql
ALTER TABLE rules ADD COLUMN x INT NULL;
```

## Deploy ordering
Needs review: decide the order by hand.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::Unreadable { error } = &aop.op.kind {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!(
                    "cannot read this statement ({error}); its effect on the schema is unknown."
                ),
                format!(
                    "Read it and decide its direction by hand; check that it is valid {} SQL.",
                    migration.dialect
                ),
            ));
        }
    }
}

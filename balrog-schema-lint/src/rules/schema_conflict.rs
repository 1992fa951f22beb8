//! `schema-conflict`: a statement names a column the replayed schema does not have.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::classify::Context;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "schema-conflict",
    category: Category::Review,
    default_severity: Severity::Error,
    summary: "A statement changes a column that the table does not have at that point",
    doc: "## What it does
Reports a statement that renames, retypes or alters a column the table does not have in the
schema replayed from every migration before it (dropping one is judged the same way, with
`IF EXISTS` a no-op), when the table itself is known
(created by a migration the tool read, and not touched by a statement it could not model).

## Why is this bad
On a database built by those migrations the statement fails, and the deploy that runs the
schema upgrade stops half way. Either the migration is wrong (a typo, a column another
branch renamed, an edit of a released migration), or production differs from what the
migrations say; in both cases no deploy order can be promised until a person has looked.

## Example
The statement is also needs-review, which `needs-review-operation` reports.
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, legacy_flag TINYINT(1));
ALTER TABLE rules RENAME COLUMN legacy_flags TO legacy;
```

## Use instead
Name the column the table has:
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, legacy_flag TINYINT(1));
ALTER TABLE rules ALTER COLUMN legacy_flag SET DEFAULT 0;
```

## Deploy ordering
Needs review: the schema upgrade fails as written. Fix the statement (or the migration that
should have created the column), then judge the order again.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if aop.judgement.context != Context::Conflict {
            continue;
        }
        let conflict = aop
            .judgement
            .conflict
            .as_deref()
            .unwrap_or("the schema does not fit");
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!(
                "{}: {conflict} in the schema replayed from the migrations before it, so the statement would fail.",
                aop.op.kind.describe()
            ),
            "Check the column's name and the migrations that created the table; fix the statement, then judge the order again.".into(),
        ));
    }
}

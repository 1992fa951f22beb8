//! `unsupported-statement`: a statement the tool reads but does not model.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "unsupported-statement",
    category: Category::Review,
    default_severity: Severity::Error,
    summary: "A statement whose schema effect is not modelled (DO block, CALL, dynamic SQL)",
    doc: "## What it does
Reports statements the tool parses but does not model: `DO` blocks, `CALL`, dynamic SQL
(`PREPARE` / `EXECUTE`) and the object kinds the replay does not know.

## Why is this bad
Their effect on old and new code cannot be judged mechanically, and the tool never treats an
unknown change as safe.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
CALL rebuild_rules();
```

## Use instead
Keep such statements in migrations of their own, read them, and suppress the finding with a
reason:
```sql
INSERT INTO audit VALUES (1);
```

## Deploy ordering
Needs review: decide the order by hand.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::Unsupported { what, .. } = &aop.op.kind {
            if aop.judgement.direction == crate::model::ops::Direction::NeedsReview {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("{what} is not modelled; its effect on deployed code is unknown."),
                    "Read it and decide the deploy order by hand; suppress this finding with the reason once reviewed.".into(),
                ));
            }
        }
    }
}

//! `drop-view`: a view production has is dropped.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "drop-view",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "A view that deployed code may still query is dropped",
    doc: "## What it does
Reports `DROP VIEW` of a view that exists in production.

## Why is this bad
Every query of the old release that reads the view fails once it is gone.

## Example
```sql
DROP VIEW rules_summary;
```

## Use instead
Stop using the view in one release; drop it in a later one:
```sql
CREATE VIEW rules_summary_v2 AS SELECT rule_id, product FROM rules;
```

## Deploy ordering
Contract: code first (balrog-production), schema last (balrog-admin-production).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::DropView { view } = &aop.op.kind {
            if touches_released(aop) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("view {view} is dropped; code that still queries it fails."),
                    format!(
                        "Confirm that {} has no reference to {view}; deploy the code first.",
                        analysis.to
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Dialect;

    #[test]
    fn drops_of_views_only() {
        let view = OpKind::DropView { view: "v".into() };
        let table = OpKind::DropTable { table: "t".into() };
        assert_eq!(
            lines(check, &single(Dialect::Mysql, vec![table, view])),
            [Some(2)]
        );
    }
}

//! `drop-index`: an index production has is dropped.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "drop-index",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Info,
    summary: "An index that deployed code may rely on for speed is dropped",
    doc: "## What it does
Reports `DROP INDEX` of an index on a table production already has.

## Why is this bad
The old release's queries were written with the index in place. Without it they can turn into
full table scans: slow pages, timeouts, and locks held longer. A unique index also enforced
data the old code may rely on.

## Example
```sql
DROP INDEX rules_product_idx ON rules;
```

## Use instead
Drop it in the release after the one whose code stopped needing it:
```sql
CREATE INDEX rules_product_channel_idx ON rules (product, channel);
```

## Deploy ordering
Contract: the code that no longer needs the index deploys first (balrog-production), the
schema change last (balrog-admin-production).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::DropIndex { name, .. } = &aop.op.kind {
            if touches_released(aop) {
                out.push(finding(
                    &RULE,
                    Some(migration),
                    Some(aop.op.line),
                    format!("index {name} is dropped; queries of the running release that use it slow down."),
                    "Deploy the code that no longer needs the index first; check the slow-query log after.".into(),
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
    fn drop_index_on_existing_table() {
        let drop = |table: Option<&str>| OpKind::DropIndex {
            name: "i".into(),
            table: table.map(str::to_string),
            concurrently: false,
        };
        assert_eq!(
            lines(
                check,
                &single(Dialect::Mysql, vec![drop(Some("t")), drop(None)])
            ),
            [Some(1), Some(2)]
        );
        assert!(lines(
            check,
            &single(Dialect::Mysql, vec![create("t"), drop(Some("t"))])
        )
        .is_empty());
    }
}

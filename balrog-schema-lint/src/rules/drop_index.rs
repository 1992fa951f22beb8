//! `drop-index`: an index production has is dropped.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::classify::Context;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Direction, OpKind};

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
Neither: an ordinary index changes the speed of queries, not what old or new code can do, so
it sets no deploy order (a unique index dropped relaxes the schema: expand). Deploy the code
that no longer needs the index first if the old code's queries would slow down. Dropping an
index and creating it again as it was (an index swap) is nothing.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if let OpKind::DropIndex { name, .. } = &aop.op.kind {
            // Dropping an index production has is judged neutral (only speed changes) but is
            // still reported; one created in this release, rebuilt as it was, or absent is not.
            let released = matches!(
                aop.judgement.context,
                Context::Statement | Context::PreviousDefinition | Context::Baseline
            ) && aop.judgement.direction != Direction::NeedsReview;
            if released {
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

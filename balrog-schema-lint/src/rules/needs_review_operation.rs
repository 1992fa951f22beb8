//! `needs-review-operation`: an operation the tool read but could not judge.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Direction, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "needs-review-operation",
    category: Category::Review,
    default_severity: Severity::Error,
    summary: "An operation read in full whose effect on deployed code cannot be decided",
    doc: "## What it does
Reports every operation judged needs-review for a reason other than an unreadable or
unsupported statement (those have their own rules): a table created again with a different
definition, a view redefined, a drop of an object the schema built by the earlier
migrations does not have (the migration would fail there).

## Why is this bad
A needs-review release has no safe deploy order the tool can name; this says where and why,
so that every needs-review verdict carries an error.

## Example
```sql
CREATE TABLE shutoffs (product VARCHAR(15));
CREATE TABLE shutoffs (product VARCHAR(15), channel VARCHAR(75));
```

## Use instead
Create the table once, with its final definition:
```sql
CREATE TABLE shutoffs (product VARCHAR(15), channel VARCHAR(75));
```

## Deploy ordering
Needs review: decide the order by hand.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if aop.judgement.direction != Direction::NeedsReview
            || matches!(
                aop.op.kind,
                OpKind::Unsupported { .. } | OpKind::Unreadable { .. }
            )
        {
            continue;
        }
        let why = aop
            .judgement
            .reason
            .as_deref()
            .unwrap_or("its effect on deployed code cannot be decided");
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("{}: {why}.", aop.op.kind.describe()),
            "Read it and decide the deploy order by hand; fix the migration if it fails on the schema the earlier migrations build.".into(),
        ));
    }
}

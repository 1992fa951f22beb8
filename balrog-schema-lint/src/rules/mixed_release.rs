//! `mixed-release`: expand and contract steps in one release.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity, Verdict};
use crate::model::ops::Direction;

pub(super) static RULE: Rule = Rule {
    name: "mixed-release",
    category: Category::ReleaseShape,
    default_severity: Severity::Error,
    summary: "The release both expands and contracts the schema: no single deploy order is safe",
    doc: "## What it does
Reports a release range whose migrations both expand the schema (new table, new nullable
column) and contract it (drop column, drop table).

## Why is this bad
The expanding part needs the schema first; the contracting part needs the code first. One
release cannot do both: whichever order is chosen, one version of the code meets a schema
it cannot use.

## Example
```sql
CREATE TABLE pinnable_releases (product VARCHAR(15) NOT NULL PRIMARY KEY);
ALTER TABLE rules DROP COLUMN legacy_flag;
```

## Use instead
Ship the expanding migration in this release and the contracting one in the next:
```sql
CREATE TABLE pinnable_releases (product VARCHAR(15) NOT NULL PRIMARY KEY);
```

## Deploy ordering
No single order: split the release (the report lists which files go in each).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    if analysis.verdict != Verdict::Mixed {
        return;
    }
    let first = |d: Direction| {
        analysis
            .operations()
            .find(|(_, op)| op.judgement.direction == d)
    };
    if let (Some((em, eop)), Some((cm, cop))) =
        (first(Direction::Expand), first(Direction::Contract))
    {
        out.push(finding(
            &RULE,
            Some(cm),
            Some(cop.op.line),
            format!(
                "this release expands the schema ({} in {}) and contracts it ({}): no single deploy order is safe.",
                eop.op.kind.describe(),
                em.path,
                cop.op.kind.describe()
            ),
            "Split it: ship the expanding migrations first (schema first), the contracting ones in a later release (code first). See the plan.".into(),
        ));
    }
}

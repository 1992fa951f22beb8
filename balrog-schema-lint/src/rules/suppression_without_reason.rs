//! `suppression-without-reason`: reported while suppressions are applied (see `crate::lint::suppress`), not by a check
//! over the analysis.

use super::{Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "suppression-without-reason",
    category: Category::Review,
    default_severity: Severity::Warning,
    summary: "An inline suppression gives no reason",
    doc: "## What it does
Reports a `balrog-schema-lint: allow` comment with no reason after ` -- `. The suppression
still applies.

## Why is this bad
A suppression says a person read the finding and decided it is fine. Without the reason the
next reader cannot tell why, or whether it still holds.

## Example
```sql
-- balrog-schema-lint: allow drop-column
ALTER TABLE rules DROP COLUMN legacy_flag;
```

## Use instead
```sql
-- balrog-schema-lint: allow drop-column -- v4.12 stopped reading legacy_flag (PR 2761)
ALTER TABLE rules DROP COLUMN legacy_flag;
```

## Deploy ordering
No effect on the order.
",
    enabled_by_default: true,
    standalone_example: true,
};

/// Nothing to do here: `suppress::apply` reports this rule, because only it knows which
/// findings each suppression matched.
pub(super) fn check(_: &Analysis, _: &mut Vec<Finding>) {}

//! `invalid-suppression`: reported while suppressions are applied (see `crate::lint::suppress`), not by a check
//! over the analysis.

use super::{Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "invalid-suppression",
    category: Category::Review,
    default_severity: Severity::Warning,
    summary: "An inline suppression names no rule or an unknown rule",
    doc: "## What it does
Reports a `balrog-schema-lint:` comment that is not `allow RULE[, RULE] -- reason` or
`allow-file RULE[, RULE] -- reason`, or that names a rule the tool does not have; it suggests
the nearest rule name.

## Why is this bad
The comment suppresses nothing, so the finding it was meant for is still reported, and a
reader assumes it was dealt with.

## Example
```sql
-- balrog-schema-lint: allow drop-colum -- legacy_flag is unused since v4.10
ALTER TABLE rules DROP COLUMN legacy_flag;
```

## Use instead
```sql
-- balrog-schema-lint: allow drop-column -- legacy_flag is unused since v4.10
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

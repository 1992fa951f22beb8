//! `unused-suppression`: reported while suppressions are applied (see `crate::lint::suppress`), not by a check
//! over the analysis.

use super::{Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "unused-suppression",
    category: Category::Review,
    default_severity: Severity::Warning,
    summary: "An inline suppression matches no finding",
    doc: "## What it does
Reports a rule named in a `balrog-schema-lint: allow` comment when no finding of that rule
was at the statement (or, for `allow-file`, in the file). Rules turned off in the
configuration are not reported.

## Why is this bad
A stale suppression hides nothing today but silently hides a real finding when the statement
below it changes.

## Example
```sql
-- balrog-schema-lint: allow drop-column -- legacy_flag is unused since v4.10
ALTER TABLE rules ADD COLUMN memory VARCHAR(10) NULL;
```

## Use instead
```sql
ALTER TABLE rules ADD COLUMN memory VARCHAR(10) NULL;
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

//! `version-not-bumped`: the project version in the repository did not change.

use super::{Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "version-not-bumped",
    category: Category::ReleaseShape,
    default_severity: Severity::Warning,
    summary: "The version recorded in the repository is the same at FROM and TO",
    doc: "## What it does
Reads the project version at `FROM` and at `TO` from `VERSION`, `version.txt`, or the
`version = \"...\"` of `pyproject.toml` / `setup.py`, and reports when it is the same at both
ends.

Part of the Balrog profile: elsewhere it runs only when `[rules]` configures it (many
projects set the version at release time, outside the repository).

## Why is this bad
The deployed version is how operators, logs and the rollback runbook tell releases apart. Two
different releases that report the same version make a rollback target ambiguous.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
-- version.txt says 3.40 at v3.40 and still 3.40 at the commit being released
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Use instead
```sql
-- version.txt says 3.41
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Deploy ordering
No effect on the order.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    let Some(bump) = &analysis.context.version_bump else {
        return;
    };
    if bump.from != bump.to {
        return;
    }
    out.push(Finding {
        rule: RULE.name.to_string(),
        severity: RULE.default_severity,
        path: Some(bump.file.clone()),
        line: None,
        message: format!(
            "{} says {} at both {} and {}: the release is not told apart from the one it replaces.",
            bump.file, bump.to, analysis.from, analysis.to
        ),
        help: format!(
            "Bump the version in {} before tagging the release.",
            bump.file
        ),
        diff: None,
        related: Vec::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::analysis::VersionBump;
    use crate::model::ops::Dialect;

    #[test]
    fn same_version_at_both_ends() {
        let mut a = single(Dialect::Mysql, vec![]);
        assert!(lines(check, &a).is_empty());
        a.context.version_bump = Some(VersionBump {
            file: "version.txt".into(),
            from: "3.40".into(),
            to: "3.40".into(),
        });
        assert_eq!(lines(check, &a), [None]);
        a.context.version_bump = Some(VersionBump {
            file: "version.txt".into(),
            from: "3.40".into(),
            to: "3.41".into(),
        });
        assert!(lines(check, &a).is_empty());
    }
}

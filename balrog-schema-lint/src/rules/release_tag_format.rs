//! `release-tag-format`: the release tag is not the two-part `vX.Y` the pipeline deploys.

use super::{Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::migration::ReleaseVersion;

pub(super) static RULE: Rule = Rule {
    name: "release-tag-format",
    category: Category::ReleaseShape,
    default_severity: Severity::Warning,
    summary: "The release being checked is tagged with something other than a two-part vX.Y",
    doc: "## What it does
When `TO` is a tag, reports it unless it has the form `vX.Y` (`v3.40`). `HEAD`, branches and
commit ids are not checked.

## Why is this bad
Balrog's deploy pipeline and this tool's default `FROM` look for two-part `vX.Y` tags: a
release tagged `v3.40.1`, `3.41` or `v3.41-rc` is not picked up as a release, so the next
check compares against the wrong base.

## Example
```sql
-- this release is tagged v3.41.0
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Use instead
```sql
-- this release is tagged v3.41
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Deploy ordering
No effect on the order; it decides whether the pipeline deploys the release at all.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    if !analysis.context.to_is_tag {
        return;
    }
    let tag = &analysis.to;
    if ReleaseVersion::parse(tag).is_some_and(|v| v.is_two_part()) {
        return;
    }
    out.push(Finding {
        rule: RULE.name.to_string(),
        severity: RULE.default_severity,
        path: None,
        line: None,
        message: format!("the release is tagged {tag}, not vX.Y: the deploy pipeline does not pick it up as a release."),
        help: "Tag the release with a two-part version such as v3.41.".into(),
        diff: None,
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Dialect;

    fn count(to: &str, is_tag: bool) -> usize {
        let mut a = single(Dialect::Mysql, vec![]);
        a.to = to.into();
        a.context.to_is_tag = is_tag;
        lines(check, &a).len()
    }

    #[test]
    fn tags_only_two_part() {
        assert_eq!(count("v3.41", true), 0);
        assert_eq!(count("v3.41.0", true), 1);
        assert_eq!(count("3.41", true), 1);
        assert_eq!(count("HEAD", false), 0);
        assert_eq!(count("main", false), 0);
    }
}

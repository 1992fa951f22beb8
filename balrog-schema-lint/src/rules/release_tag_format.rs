//! `release-tag-format`: the release tag is not the two-part `vX.Y` the pipeline deploys.

use super::{Category, Rule};
use crate::analysis::{Analysis, TagProblem};
use crate::model::finding::{Finding, Severity};
use crate::model::migration::ReleaseVersion;

pub(super) static RULE: Rule = Rule {
    name: "release-tag-format",
    category: Category::ReleaseShape,
    default_severity: Severity::Warning,
    summary: "The release being checked is tagged with something other than a two-part vX.Y (Balrog profile)",
    doc: "## What it does
When `TO` is a tag, reports it unless it has the form `vX.Y` (`v3.40`). `HEAD`, branches and
commit ids are not checked.

Part of the Balrog profile: elsewhere it runs only when `[rules]` configures it, and then
reports a tag that the `release_tags` pattern does not take as a release.

## Why is this bad
Balrog's deploy pipeline and this tool's default `FROM` look for two-part `vX.Y` tags: a
release tagged `v3.40.1`, `3.41` or `v3.41-rc` is not picked up as a release, so the next
check compares against the wrong base.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
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
    let Some(problem) = &analysis.context.tag_problem else {
        return;
    };
    out.push(Finding {
        rule: RULE.name.to_string(),
        severity: RULE.default_severity,
        path: None,
        line: None,
        message: format!(
            "the release is tagged {}, {}",
            analysis.to, problem.expected
        ),
        help: problem.help.clone(),
        diff: None,
        related: Vec::new(),
    });
}

/// What is wrong with `tag` under `profile` and its release tag rule, if anything: Balrog
/// deploys two-part `vX.Y` tags; elsewhere a release tag must match `release_tags`.
pub fn tag_problem(
    tag: &str,
    profile: crate::model::profile::Profile,
    release_tags: &crate::model::release_tags::ReleaseTags,
) -> Option<TagProblem> {
    match profile {
        crate::model::profile::Profile::Balrog => {
            if ReleaseVersion::parse(tag).is_some_and(|v| v.is_two_part()) {
                return None;
            }
            Some(TagProblem {
                expected: "not vX.Y: the deploy pipeline does not pick it up as a release.".into(),
                help: "Tag the release with a two-part version such as v3.41.".into(),
            })
        }
        crate::model::profile::Profile::Generic => {
            if release_tags.version(tag).is_some() {
                return None;
            }
            Some(TagProblem {
                expected: format!(
                    "which release_tags `{}` does not take as a release: the next check will not compare against it.",
                    release_tags.pattern()
                ),
                help: "Tag the release to match release_tags, or widen release_tags in balrog-schema-lint.toml.".into(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Dialect;
    use crate::model::profile::Profile;
    use crate::model::release_tags::ReleaseTags;

    fn count(to: &str, is_tag: bool) -> usize {
        let mut a = single(Dialect::Mysql, vec![]);
        a.to = to.into();
        a.context.to_is_tag = is_tag;
        a.context.tag_problem = tag_problem(to, Profile::Balrog, &ReleaseTags::balrog());
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

    #[test]
    fn elsewhere_the_release_tags_pattern_decides() {
        let rule = ReleaseTags::default_rule();
        assert_eq!(tag_problem("3.8.0", Profile::Generic, &rule), None);
        assert_eq!(tag_problem("v0.19", Profile::Generic, &rule), None);
        let problem = tag_problem("3.8.0rc1", Profile::Generic, &rule).unwrap();
        assert!(problem.expected.contains("release_tags"), "{problem:?}");
    }
}

//! Release tags in a repository: which tags a command takes as releases, in version order.

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::model::migration::ReleaseVersion;
pub use crate::model::release_tags::ReleaseTags;

/// How many tag names an error message shows when no tag matches.
const SHOWN_TAGS: usize = 5;

/// Which tags a command treats as releases, and how the user chose them (for messages).
#[derive(Debug, Clone)]
pub enum TagSelection {
    /// The `release_tags` rule (configured or the profile's default).
    Rule(ReleaseTags),
    /// A glob given on the command line (`history --tags`), which replaces the rule.
    Glob {
        /// The glob as given.
        pattern: String,
        /// Its compiled form.
        matcher: globset::GlobMatcher,
    },
}

impl TagSelection {
    /// The version of `tag` when the selection takes it as a release. A glob takes any
    /// matching tag with a number in its name (tags without one cannot be ordered).
    pub fn version(&self, tag: &str) -> Option<ReleaseVersion> {
        match self {
            TagSelection::Rule(rule) => rule.version(tag),
            TagSelection::Glob { matcher, .. } => matcher
                .is_match(tag)
                .then(|| ReleaseVersion::from_tag(tag))
                .flatten(),
        }
    }

    /// The selection in words, e.g. "--tags `3.*`" or "release_tags `v?\d+...`".
    pub fn describe(&self) -> String {
        match self {
            TagSelection::Rule(rule) => format!("release_tags `{}`", rule.pattern()),
            TagSelection::Glob { pattern, .. } => format!("--tags `{pattern}`"),
        }
    }
}

/// A tag that names a release, with the commit it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseTag {
    /// The tag name, e.g. `v3.40` or `0.19.3`.
    pub name: String,
    /// Its version.
    pub version: ReleaseVersion,
    /// The commit the tag points at (annotated tags are peeled).
    pub commit: Oid,
}

/// Every tag of the repository that `selection` takes as a release, in version order. Tags
/// that do not point at a commit are skipped.
pub fn release_tags(repo: &Repository, selection: &TagSelection) -> Result<Vec<ReleaseTag>> {
    let mut tags = Vec::new();
    for name in tag_names(repo)? {
        let Some(version) = selection.version(&name) else {
            continue;
        };
        let Ok(reference) = repo.find_reference(&format!("refs/tags/{name}")) else {
            continue;
        };
        let Ok(commit) = reference.peel_to_commit() else {
            continue;
        };
        tags.push(ReleaseTag {
            name,
            version,
            commit: commit.id(),
        });
    }
    tags.sort_by(|a, b| a.version.cmp(&b.version).then_with(|| a.name.cmp(&b.name)));
    Ok(tags)
}

fn tag_names(repo: &Repository) -> Result<Vec<String>> {
    let names = repo
        .tag_names(None)
        .map_err(|err| Error::git("listing tags", err))?;
    Ok(names
        .iter()
        .flatten()
        .flatten()
        .map(str::to_string)
        .collect())
}

/// The highest release tag that is an ancestor of `to` and points at a different commit.
pub fn latest_release_before(
    repo: &Repository,
    to: Oid,
    selection: &TagSelection,
) -> Result<Option<ReleaseTag>> {
    for tag in release_tags(repo, selection)?.into_iter().rev() {
        if tag.commit == to {
            continue;
        }
        let is_ancestor = repo
            .graph_descendant_of(to, tag.commit)
            .map_err(|err| Error::git(format!("comparing {} with the target", tag.name), err))?;
        if is_ancestor {
            return Ok(Some(tag));
        }
    }
    Ok(None)
}

/// A few of the repository's tag names, newest version first, for an error message that
/// says what the repository does have: `"a", "b", "c" (and 12 more)`, or `no tags at all`.
pub fn some_tag_names(repo: &Repository) -> Result<String> {
    let mut names = tag_names(repo)?;
    if names.is_empty() {
        return Ok("the repository has no tags at all".into());
    }
    names.sort_by(|a, b| {
        ReleaseVersion::from_tag(b)
            .cmp(&ReleaseVersion::from_tag(a))
            .then_with(|| a.cmp(b))
    });
    let total = names.len();
    let shown: Vec<String> = names
        .iter()
        .take(SHOWN_TAGS)
        .map(|n| format!("\"{n}\""))
        .collect();
    let more = total.saturating_sub(SHOWN_TAGS);
    let tail = if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    };
    Ok(format!("tags seen: {}{tail}", shown.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_release(rule: &ReleaseTags, tag: &str) -> bool {
        rule.version(tag).is_some()
    }

    #[test]
    fn default_rule_takes_two_and_three_part_versions_with_or_without_v() {
        let rule = ReleaseTags::default_rule();
        for tag in ["v3.40", "v3.40.1", "0.19.3", "3.8.0", "10.2"] {
            assert!(is_release(&rule, tag), "{tag}");
        }
        for tag in [
            "v1.0.0-rc1",
            "2.0b1",
            "1.0.0.post1",
            "v2",
            "release-1.2",
            "latest",
            "v1.2.3.4",
            "x1.2",
        ] {
            assert!(!is_release(&rule, tag), "{tag}");
        }
    }

    #[test]
    fn balrog_rule_wants_the_v() {
        let rule = ReleaseTags::balrog();
        assert!(is_release(&rule, "v3.40"));
        assert!(is_release(&rule, "v3.40.1"));
        assert!(!is_release(&rule, "3.40"));
        assert!(!is_release(&rule, "v2.41-real"));
    }

    #[test]
    fn configured_patterns_match_the_whole_name() {
        let rule = ReleaseTags::new(r"release-\d+\.\d+|v\d+").unwrap();
        assert!(is_release(&rule, "release-2.1"));
        assert!(is_release(&rule, "v7"));
        assert!(!is_release(&rule, "release-2.1-rc"));
        assert!(!is_release(&rule, "xv7"));
        let err = ReleaseTags::new(r"v(\d+").unwrap_err();
        assert!(err.contains("unclosed"), "{err}");
    }

    #[test]
    fn a_glob_takes_any_numbered_tag_it_matches() {
        let selection = TagSelection::Glob {
            pattern: "*".into(),
            matcher: globset::Glob::new("*").unwrap().compile_matcher(),
        };
        assert!(selection.version("1.0.0-rc1").is_some());
        assert!(selection.version("0.19.3").is_some());
        assert!(selection.version("latest").is_none());
        assert_eq!(selection.describe(), "--tags `*`");
    }
}

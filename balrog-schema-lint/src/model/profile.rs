//! Profiles: what the tool assumes about a project it is given no configuration for.
//!
//! Balrog's profile names Balrog's three services, keeps its `vX.Y` release tags and runs
//! the two rules about how Balrog tags and versions its releases. Every other project gets
//! the generic profile: the plan speaks of roles ("the service that runs the migrations",
//! "the application") because the tool cannot know the project's service names, and rules
//! about one project's tagging conventions stay off unless configured.

use serde::{Deserialize, Serialize};

use crate::model::release_tags::ReleaseTags;

/// Rules about Balrog's own release conventions: on in the Balrog profile, elsewhere only
/// when `[rules]` configures them.
pub const BALROG_ONLY_RULES: [&str; 2] = ["release-tag-format", "version-not-bumped"];

/// A set of defaults for one kind of project.
///
/// ```
/// use balrog_schema_lint::Profile;
///
/// assert_eq!(Profile::default(), Profile::Generic);
/// assert_eq!(serde_json::to_value(Profile::Balrog).unwrap(), "balrog");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Mozilla's Balrog: its services, `vX.Y` tags, MySQL.
    Balrog,
    /// Any other project: roles instead of service names.
    #[default]
    Generic,
}

impl Profile {
    /// The name used in configuration and reports.
    ///
    /// ```
    /// assert_eq!(balrog_schema_lint::Profile::Balrog.name(), "balrog");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Profile::Balrog => "balrog",
            Profile::Generic => "generic",
        }
    }

    /// Which tags are releases when `release_tags` is not configured.
    pub(crate) fn release_tags(self) -> ReleaseTags {
        match self {
            Profile::Balrog => ReleaseTags::balrog(),
            Profile::Generic => ReleaseTags::default_rule(),
        }
    }

    /// Whether a rule that is on by default runs in this profile without configuration.
    ///
    /// ```
    /// use balrog_schema_lint::Profile;
    ///
    /// assert!(Profile::Balrog.runs_by_default("release-tag-format"));
    /// assert!(!Profile::Generic.runs_by_default("release-tag-format"));
    /// assert!(Profile::Generic.runs_by_default("drop-column"));
    /// ```
    pub fn runs_by_default(self, rule: &str) -> bool {
        match self {
            Profile::Balrog => true,
            Profile::Generic => !BALROG_ONLY_RULES.contains(&rule),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_profile_leaves_balrog_rules_off() {
        for rule in BALROG_ONLY_RULES {
            assert!(!Profile::Generic.runs_by_default(rule));
            assert!(Profile::Balrog.runs_by_default(rule));
        }
        assert!(Profile::Generic.runs_by_default("drop-column"));
        assert_eq!(Profile::Balrog.release_tags().pattern(), r"v\d+\.\d+(\.\d+)?");
    }
}

//! Which tags are releases: the `release_tags` setting, a regular expression over tag names.
//!
//! The pattern only says which tags are releases; their order is always the numbers in the
//! name (see [`ReleaseVersion::from_tag`]), so a pattern needs no capture groups.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::migration::ReleaseVersion;

/// Balrog's release tags: `vX.Y`, and `vX.Y.Z` for a point release.
pub const BALROG_PATTERN: &str = r"v\d+\.\d+(\.\d+)?";

/// Everyone else's default: `vMAJOR.MINOR[.PATCH]` or `MAJOR.MINOR[.PATCH]`, with no
/// pre-release suffix (`1.0.0-rc1`, `v2.0b1` are not releases).
pub const DEFAULT_PATTERN: &str = r"v?\d+\.\d+(\.\d+)?";

/// A compiled `release_tags` pattern.
#[derive(Debug, Clone)]
pub struct ReleaseTags {
    pattern: String,
    whole_name: Regex,
}

impl ReleaseTags {
    /// Compiles a pattern; it must match the whole tag name (`^` and `$` are implied).
    /// The error is the regular-expression syntax error.
    pub fn new(pattern: &str) -> std::result::Result<ReleaseTags, String> {
        let whole_name = Regex::new(&format!("^(?:{pattern})$")).map_err(|err| err.to_string())?;
        Ok(ReleaseTags {
            pattern: pattern.to_string(),
            whole_name,
        })
    }

    /// Balrog's rule, [`BALROG_PATTERN`].
    pub fn balrog() -> ReleaseTags {
        // Compiled once: every pair of a `history` asks for the rule (a clone shares the
        // compiled program).
        static BALROG: LazyLock<ReleaseTags> = LazyLock::new(|| ReleaseTags::known(BALROG_PATTERN));
        BALROG.clone()
    }

    /// The rule for repositories that configure none, [`DEFAULT_PATTERN`].
    pub fn default_rule() -> ReleaseTags {
        static DEFAULT: LazyLock<ReleaseTags> = LazyLock::new(|| ReleaseTags::known(DEFAULT_PATTERN));
        DEFAULT.clone()
    }

    fn known(pattern: &'static str) -> ReleaseTags {
        // A constant of this module, compiled by the tests: never input.
        Self::new(pattern).expect("the built-in release tag patterns compile")
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The version of a tag that is a release by this rule.
    pub fn version(&self, tag: &str) -> Option<ReleaseVersion> {
        if !self.whole_name.is_match(tag) {
            return None;
        }
        ReleaseVersion::from_tag(tag)
    }
}


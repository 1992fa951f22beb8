//! Errors: each names the thing at fault (revision, file, line, config key).

use std::path::PathBuf;

/// Why a check could not produce a report at all. Problems inside migrations are not
/// errors: they are findings in the report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path is not a git repository (or a worktree of one).
    #[error("not a git repository: {path}: {message}")]
    NotARepository {
        /// The path given.
        path: PathBuf,
        /// What git said.
        message: String,
    },
    /// A revision did not resolve to a commit.
    #[error("unknown revision `{rev}`: {message}")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
        /// What git said.
        message: String,
    },
    /// No `--from` was given and no release tag precedes `--to`.
    #[error(
        "no release tag (a tag matching release_tags `{pattern}`) is an ancestor of `{to}` other than itself; {seen}. Pass --from, or set release_tags in balrog-schema-lint.toml"
    )]
    NoReleaseTag {
        /// The `--to` revision.
        to: String,
        /// The release tag pattern in effect.
        pattern: String,
        /// A few tag names the repository does have, in words.
        seen: String,
    },
    /// `history` found no release tag to compare.
    #[error("no tag matches {selection}{scope}; {seen}. Set release_tags in balrog-schema-lint.toml or pass --tags GLOB")]
    NoMatchingTags {
        /// The selection in words (`release_tags \`...\`` or `--tags \`...\``).
        selection: String,
        /// Where tags were looked for, e.g. " in the history of `v2.0`", or empty.
        scope: String,
        /// A few tag names the repository does have, in words.
        seen: String,
    },
    /// `--from` comes after `--to` in history.
    #[error("`{from}` comes after `{to}`: --from must be the older release")]
    RangeReversed {
        /// The `--from` revision.
        from: String,
        /// The `--to` revision.
        to: String,
    },
    /// The configuration file is unreadable or invalid.
    #[error("config {path}: {message}")]
    Config {
        /// Where the configuration came from (a path, or `TO:balrog-schema-lint.toml`).
        path: String,
        /// What is wrong, naming the key and line.
        message: String,
    },
    /// A usage error in the request itself (bad glob, bad dialect name).
    #[error("{0}")]
    Usage(String),
    /// git failed while reading objects.
    #[error("git: {context}: {message}")]
    Git {
        /// What was being read.
        context: String,
        /// What git said.
        message: String,
    },
}

impl Error {
    pub(crate) fn git(context: impl Into<String>, err: git2::Error) -> Error {
        Error::Git {
            context: context.into(),
            message: err.message().to_string(),
        }
    }
}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

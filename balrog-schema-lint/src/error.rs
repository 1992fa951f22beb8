//! Errors: each names the thing at fault (revision, file, line, config key).

use std::path::PathBuf;

/// Why a check could not produce a report at all. Problems inside migrations are not
/// errors: they are findings in the report.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Error};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let err = check(&CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v9.99".into()),
///     ..CheckRequest::default()
/// })
/// .unwrap_err();
/// assert!(matches!(&err, Error::UnknownRevision { rev, .. } if rev == "v9.99"));
/// assert!(err.to_string().starts_with("unknown revision `v9.99`"));
/// ```
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
        "no release tag (vX.Y or vX.Y.Z) is an ancestor of `{to}` other than itself; pass --from"
    )]
    NoReleaseTag {
        /// The `--to` revision.
        to: String,
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
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Result, Verdict};
///
/// fn verdict(repo: &std::path::Path) -> Result<Verdict> {
///     Ok(check(&CheckRequest { repo: repo.to_path_buf(), ..CheckRequest::default() })?.verdict)
/// }
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// assert_eq!(verdict(dir.path())?, Verdict::Additive); // v3.41 -> HEAD (v3.42)
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

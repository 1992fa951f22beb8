//! The pull-request document: what a branch itself changes, and what a release would be
//! if it shipped now.

use serde::Serialize;

use crate::report::Report;

/// The two answers a pull-request check gives.
///
/// ```
/// use balrog_schema_lint::{check_pull_request, CheckRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), to: Some("v3.42".into()), ..CheckRequest::default() };
/// let checked = check_pull_request(&request, Some("v3.41"))?;
/// assert_eq!(checked.base, "v3.41");
/// assert_eq!(checked.pull_request.from.rev, "merge-base(v3.41)");
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullRequestReport {
    /// The base branch the pull request targets, as resolved.
    pub base: String,
    /// The merge base of the base branch and the pull request's head.
    pub merge_base: String,
    /// The pull request's own migrations: from the merge base to its head.
    pub pull_request: Report,
    /// The release if the head shipped now: from the latest release tag to the head. `None`
    /// when the repository has no release tag before the head.
    pub if_released_now: Option<Report>,
}

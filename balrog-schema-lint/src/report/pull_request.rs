//! The pull-request document: what a branch itself changes, and what a release would be
//! if it shipped now.

use serde::Serialize;

use crate::report::Report;

/// The two answers a pull-request check gives.
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

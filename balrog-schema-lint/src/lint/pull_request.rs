//! Pull-request mode: what a branch itself changes, and what a release would be if it
//! shipped now.

use crate::error::{Error, Result};
use crate::lint::{check, CheckRequest};
use crate::repo::git;
use crate::report::PullRequestReport;

/// Branches tried, in order, when no base branch is named.
///
/// ```
/// assert_eq!(balrog_schema_lint::DEFAULT_BASES[0], "origin/HEAD");
/// ```
pub const DEFAULT_BASES: [&str; 5] = [
    "origin/HEAD",
    "origin/main",
    "origin/master",
    "main",
    "master",
];

/// Checks a pull request: `request.to` is its head (default `HEAD`), `base` the branch it
/// targets (default: the first of [`DEFAULT_BASES`] that exists). `request.from` is ignored.
///
/// ```
/// use balrog_schema_lint::{check_pull_request, CheckRequest, Verdict};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// // A branch at v3.42 that targets v3.41: its own change only adds a column.
/// let request = CheckRequest {
///     repo: dir.path().to_path_buf(),
///     to: Some("v3.42".into()),
///     ..CheckRequest::default()
/// };
/// let checked = check_pull_request(&request, Some("v3.41"))?;
/// assert_eq!(checked.pull_request.verdict, Verdict::Additive);
/// assert_eq!(checked.if_released_now.map(|r| r.verdict), Some(Verdict::Additive));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn check_pull_request(request: &CheckRequest, base: Option<&str>) -> Result<PullRequestReport> {
    let repo = git::open(&request.repo)?;
    let head_rev = request.to.clone().unwrap_or_else(|| "HEAD".to_string());
    let head = git::resolve_commit(&repo, &head_rev)?;
    let (base_name, base_commit) = match base {
        Some(name) => (name.to_string(), git::resolve_commit(&repo, name)?),
        None => DEFAULT_BASES
            .iter()
            .find_map(|name| {
                git::resolve_commit(&repo, name)
                    .ok()
                    .map(|c| (name.to_string(), c))
            })
            .ok_or_else(|| {
                Error::Usage(format!(
                    "no base branch found (tried {}); pass --base",
                    DEFAULT_BASES.join(", ")
                ))
            })?,
    };
    let merge_base = repo
        .merge_base(base_commit, head)
        .map_err(|err| Error::UnknownRevision {
            rev: format!("merge base of {base_name} and {head_rev}"),
            message: err.message().to_string(),
        })?;
    let mut pr = check(&CheckRequest {
        from: Some(merge_base.to_string()),
        to: Some(head_rev.clone()),
        ..request.clone()
    })?;
    pr.from.rev = format!("merge-base({base_name})");
    pr.from.chosen_by = "merge-base".to_string();
    let if_released_now = match check(&CheckRequest {
        from: None,
        to: Some(head_rev),
        ..request.clone()
    }) {
        Ok(report) => Some(report),
        Err(Error::NoReleaseTag { .. }) => None,
        Err(err) => return Err(err),
    };
    Ok(PullRequestReport {
        base: base_name,
        merge_base: merge_base.to_string(),
        pull_request: pr,
        if_released_now,
    })
}

//! The range step: `--from` / `--to` resolved to commits, and how each end was chosen.

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::lint::CheckRequest;
use crate::repo::git;

/// The two ends of a range: (as named, commit, how chosen).
#[derive(Debug, Clone)]
pub struct Range {
    /// `FROM`.
    pub from: (String, Oid, &'static str),
    /// `TO`.
    pub to: (String, Oid, &'static str),
}

/// Resolves `--from` / `--to` as `check` does.
pub fn resolve_range(repo: &Repository, request: &CheckRequest) -> Result<Range> {
    let to_rev = request.to.clone().unwrap_or_else(|| "HEAD".to_string());
    let to = git::resolve_commit(repo, &to_rev)?;
    let to_chosen = if request.to.is_some() {
        "given"
    } else {
        "default"
    };
    let from = match &request.from {
        Some(rev) => (rev.clone(), git::resolve_commit(repo, rev)?, "given"),
        None => match git::latest_release_before(repo, to)? {
            Some(tag) => (tag.name, tag.commit, "latest-release-tag"),
            None => return Err(Error::NoReleaseTag { to: to_rev }),
        },
    };
    // A default `HEAD` that a release tag points at is named by the tag: that is the release.
    let to_rev = if to_rev == "HEAD" {
        git::release_tags(repo)?
            .into_iter()
            .rev()
            .find(|tag| tag.commit == to)
            .map_or(to_rev, |tag| tag.name)
    } else {
        to_rev
    };
    if from.1 != to && git::is_descendant(repo, from.1, to)? {
        return Err(Error::RangeReversed {
            from: from.0,
            to: to_rev,
        });
    }
    Ok(Range {
        from,
        to: (to_rev, to, to_chosen),
    })
}

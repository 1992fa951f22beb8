//! The walk over a range's commits: where to cut a mixed release, and which commit first
//! made a range unsafe.
//!
//! Only commits on the first-parent history of `TO` are candidates: those are the commits
//! the main branch was at (a merged pull request is its merge commit), so each is a state
//! that was tested as a whole and can be tagged. Commits inside a merged branch never were.
//! Of those, only commits that change a migration location matter: between two of them
//! every half of the range is judged the same.
//!
//! Judging a half (`FROM..C` or `C..TO`) is the caller's: the split step passes a function
//! that reuses the run's reader, so each distinct migration blob is parsed once for the
//! whole walk and each replay extends the one before it.

use std::collections::{HashMap, HashSet};

use git2::{Oid, Repository, Sort};

use crate::error::{Error, Result};
use crate::model::finding::Verdict;
use crate::plan::cut::{
    pull_request_number, Bisect, Blocked, CommitRef, Conflict, ConflictKind, Culprit, Cut,
    CutOutcome, DeployOrder, MigrationRef, PlacedMigration, SplitRelease,
};
use crate::repo::git;
use crate::repo::tree_diff::TreeDiff;

/// A commit that changes a migration location.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its id.
    pub id: Oid,
    /// How reports name it.
    pub commit: CommitRef,
    /// The migration-location paths it changes (against its first parent).
    pub changed: Vec<String>,
}

/// One migration that runs in a judged half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HalfMigration {
    /// Path at the newer end.
    pub path: String,
    /// The version it is ordered by.
    pub version: String,
    /// Its content at the newer end (to tell a changed file from an unchanged one).
    pub blob: Oid,
    /// It has an expanding operation.
    pub expands: bool,
    /// It has a contracting operation.
    pub contracts: bool,
}

/// What judging one range found: its verdict and the migrations that run in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Half {
    /// The verdict of the range.
    pub verdict: Verdict,
    /// Migrations that run in it (not released at its older end), in apply order.
    pub migrations: Vec<HalfMigration>,
}

impl Half {
    fn refs(&self) -> Vec<MigrationRef> {
        self.migrations
            .iter()
            .map(|m| MigrationRef {
                path: m.path.clone(),
                version: m.version.clone(),
            })
            .collect()
    }
}

/// Describes a commit for reports.
fn describe_commit(commit: &git2::Commit<'_>) -> CommitRef {
    let id = commit.id();
    let subject = commit
        .summary_bytes()
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default();
    let seconds = commit.committer().when().seconds();
    CommitRef {
        id: id.to_string(),
        short: git::short(id),
        pull_request: pull_request_number(&subject),
        subject,
        date: utc_date(seconds),
    }
}

/// `YYYY-MM-DD` of a Unix time in UTC (the civil-from-days algorithm; no time zone table).
fn utc_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The commits after `from` on the first-parent history of `to` that change a path for
/// which `interesting` says yes (one under a migration location), oldest first. Commits
/// that do not have `from` in their history are left out: `FROM..C` is no release for them.
pub fn candidates(
    repo: &Repository,
    from: Oid,
    to: Oid,
    interesting: &dyn Fn(&str) -> bool,
) -> Result<Vec<Candidate>> {
    let walk_error = |err| Error::git("walking the first-parent history", err);
    let mut walk = repo.revwalk().map_err(walk_error)?;
    walk.set_sorting(Sort::TOPOLOGICAL).map_err(walk_error)?;
    walk.simplify_first_parent().map_err(walk_error)?;
    walk.push(to).map_err(walk_error)?;
    walk.hide(from).map_err(walk_error)?;
    let mut chain = Vec::new();
    for id in walk {
        chain.push(id.map_err(walk_error)?);
    }
    chain.reverse();
    // Usually `from` is on the chain, and then every commit of it descends from `from`.
    let from_on_chain = match chain.first() {
        Some(first) => first_parent(repo, *first)? == Some(from),
        None => true,
    };
    let after_from = if from_on_chain {
        None
    } else {
        Some(git::descendants_within(repo, from, to)?)
    };
    let read = |id: Oid| {
        repo.find_commit(id)
            .map_err(|err| Error::git(format!("reading commit {id}"), err))
    };
    let mut diff = TreeDiff::new(repo)?;
    let mut found = Vec::new();
    // Each commit is read once: its tree is the next commit's parent tree on the chain.
    let mut previous: Option<(Oid, Oid)> = None;
    for id in chain {
        let commit = read(id)?;
        let tree = commit.tree_id();
        let parent = commit.parent_ids().next();
        let skip = after_from.as_ref().is_some_and(|after| !after.contains(&id));
        let parent_tree = match (parent, previous.take()) {
            (_, _) if skip => None,
            (Some(p), Some((prev, prev_tree))) if p == prev => Some(prev_tree),
            (Some(p), _) => Some(read(p)?.tree_id()),
            (None, _) => None,
        };
        if let Some(parent_tree) = parent_tree {
            let changed: Vec<String> = diff
                .changed_paths(parent_tree, tree)?
                .into_iter()
                .filter(|path| interesting(path))
                .collect();
            if !changed.is_empty() {
                found.push(Candidate {
                    id,
                    commit: describe_commit(&commit),
                    changed,
                });
            }
        }
        previous = Some((id, tree));
    }
    Ok(found)
}

fn first_parent(repo: &Repository, id: Oid) -> Result<Option<Oid>> {
    let commit = repo
        .find_commit(id)
        .map_err(|err| Error::git(format!("reading commit {id}"), err))?;
    Ok(commit.parent_ids().next())
}

/// How many cuts are judged in full before giving up: each costs a replay at its commit.
const MAX_CUTS_JUDGED: usize = 8;

/// Names the latest commit `C` that cuts the range into two releases with a safe order
/// each: preferably an expand-only first release and a contract-only second one (the usual
/// shape of a mixed release); otherwise any two safe releases. With no such commit, says
/// which migrations stand in the way. `full` is `FROM..TO`'s own judgement; `tags` the names
/// to suggest.
///
/// Judging both halves at every candidate would replay the schema at each of them. A half
/// judges each of its operations against the same schema the whole range does, and the net
/// folds of a half only make directions milder; so a migration that contracts in `FROM..TO`
/// contracts in any `FROM..C` that runs it, and the sides of a cut can be read off the
/// whole range's directions and the commit that brought each migration. Only the commits
/// that pass that test are judged in full (`FROM..C` and `C..TO`, with the run's reader),
/// latest first, which also catches what the shortcut cannot see (an operation on a table
/// created in the first release is judged against it in the second).
pub fn find_cut(
    candidates: &[Candidate],
    from: Oid,
    to: Oid,
    full: &Half,
    tags: Option<(String, String)>,
    judge: &mut dyn FnMut(Oid, Oid) -> Result<Half>,
) -> Result<CutOutcome> {
    let brought = brought_by(candidates, full);
    let mut preferred = Vec::new();
    let mut others = Vec::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if candidate.id == to {
            continue;
        }
        let mut sides = [[false; 2]; 2];
        let mut counts = [0usize; 2];
        for (m, at) in full.migrations.iter().zip(&brought) {
            let side = usize::from(!at.is_some_and(|k| k <= index));
            sides[side][0] |= m.expands;
            sides[side][1] |= m.contracts;
            counts[side] += 1;
        }
        let [[first_expands, first_contracts], [second_expands, second_contracts]] = sides;
        if counts[0] == 0 || counts[1] == 0 {
            continue;
        }
        if !first_contracts && !second_expands {
            preferred.push(index);
        } else if !(first_expands && first_contracts || second_expands && second_contracts) {
            others.push(index);
        }
    }
    let order = preferred
        .iter()
        .rev()
        .map(|i| (*i, true))
        .chain(others.iter().rev().map(|i| (*i, false)));
    for (index, expand_then_contract) in order.take(MAX_CUTS_JUDGED) {
        let id = candidates[index].id;
        let first = judge(from, id)?;
        let second = judge(id, to)?;
        let safe =
            DeployOrder::of(first.verdict).is_some() && DeployOrder::of(second.verdict).is_some();
        let shaped = matches!(first.verdict, Verdict::None | Verdict::Additive)
            && matches!(second.verdict, Verdict::None | Verdict::Destructive);
        if !safe || (expand_then_contract && !shaped) {
            continue;
        }
        let (first_tag, second_tag) = match tags {
            Some((a, b)) => (Some(a), Some(b)),
            None => (None, None),
        };
        let release = |half: &Half, tag: Option<String>| SplitRelease {
            verdict: half.verdict,
            order: DeployOrder::of(half.verdict).unwrap_or(DeployOrder::AnyOrder),
            migrations: half.refs(),
            tag,
            steps: Vec::new(),
        };
        return Ok(CutOutcome::Cut(Box::new(Cut {
            commit: candidates[index].commit.clone(),
            first: release(&first, first_tag),
            second: release(&second, second_tag),
            next_migration_commit: candidates.get(index + 1).map(|c| c.commit.clone()),
        })));
    }
    Ok(CutOutcome::Blocked(blocked(candidates, &brought, full)))
}

/// For each migration of `full`, the candidate that first changed its path.
fn brought_by(candidates: &[Candidate], full: &Half) -> Vec<Option<usize>> {
    let mut first_change: HashMap<&str, usize> = HashMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        for path in &candidate.changed {
            first_change.entry(path.as_str()).or_insert(index);
        }
    }
    full.migrations
        .iter()
        .map(|m| first_change.get(m.path.as_str()).copied())
        .collect()
}

/// Which expand and contract migrations no commit separates, and what would.
fn blocked(candidates: &[Candidate], brought: &[Option<usize>], full: &Half) -> Blocked {
    let placed = |index: usize| {
        let m = &full.migrations[index];
        PlacedMigration {
            path: m.path.clone(),
            version: m.version.clone(),
            commit: brought
                .get(index)
                .copied()
                .flatten()
                .and_then(|i| candidates.get(i))
                .map(|c| c.commit.clone()),
        }
    };
    let migrations = &full.migrations;
    let mut conflicts = Vec::new();
    for (i, m) in migrations.iter().enumerate() {
        if m.expands && m.contracts {
            conflicts.push(Conflict {
                kind: ConflictKind::SameFile,
                expand: placed(i),
                contract: placed(i),
            });
        }
    }
    for (e, expand) in migrations.iter().enumerate() {
        if !expand.expands || expand.contracts {
            continue;
        }
        for (k, contract) in migrations.iter().enumerate() {
            if !contract.contracts || contract.expands {
                continue;
            }
            let kind = match (
                brought.get(e).copied().flatten(),
                brought.get(k).copied().flatten(),
            ) {
                (Some(a), Some(b)) if a == b => ConflictKind::SameCommit,
                (Some(a), Some(b)) if a > b => ConflictKind::ExpandAfterContract,
                _ => continue,
            };
            conflicts.push(Conflict {
                kind,
                expand: placed(e),
                contract: placed(k),
            });
        }
    }
    let mut reorder: Vec<String> = conflicts.iter().map(Conflict::describe).collect();
    if reorder.is_empty() {
        reorder.push(
            "Every commit leaves one side with no safe order, though no single pair of migrations is to blame: split the release by hand (see the file lists)."
                .to_string(),
        );
    } else {
        reorder.push(
            "A cut becomes possible once every expanding migration is merged in a commit before every contracting one.".to_string(),
        );
    }
    Blocked {
        commits_tried: candidates.len(),
        conflicts,
        reorder,
    }
}

/// The first candidate `C` after which `FROM..C` has no safe deploy order.
pub fn bisect(
    candidates: &[Candidate],
    from: Oid,
    judge: &mut dyn FnMut(Oid, Oid) -> Result<Half>,
) -> Result<Bisect> {
    let mut before = Half {
        verdict: Verdict::None,
        migrations: Vec::new(),
    };
    for (index, candidate) in candidates.iter().enumerate() {
        let half = judge(from, candidate.id)?;
        if !half.verdict.has_safe_order() {
            let unchanged: HashSet<(&str, Oid)> = before
                .migrations
                .iter()
                .map(|m| (m.path.as_str(), m.blob))
                .collect();
            let migrations = half
                .migrations
                .iter()
                .filter(|m| !unchanged.contains(&(m.path.as_str(), m.blob)))
                .map(|m| MigrationRef {
                    path: m.path.clone(),
                    version: m.version.clone(),
                })
                .collect();
            return Ok(Bisect {
                commits_checked: index + 1,
                first_unsafe: Some(Culprit {
                    commit: candidate.commit.clone(),
                    verdict: half.verdict,
                    verdict_before: before.verdict,
                    migrations,
                }),
            });
        }
        before = half;
    }
    Ok(Bisect {
        commits_checked: candidates.len(),
        first_unsafe: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_utc() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_700_000_000), "2023-11-14");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(-86_400), "1969-12-31");
    }
}

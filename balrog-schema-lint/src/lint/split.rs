//! The split step: for a mixed range, the commit to tag first (the walk in
//! [`super::walk`], judging each half with the run's reader); and `check --bisect`.

use std::collections::HashMap;
use std::sync::Arc;

use git2::{Oid, Repository};

use crate::catalog::Catalog;
use crate::config::Config;
use crate::error::Result;
use crate::lint::walk::{self, Half, HalfMigration};
use crate::lint::{judge_range, judge_trees, trees, Judged, Range, Reader};
use crate::model::finding::Verdict;
use crate::model::migration::FileStatus;
use crate::model::ops::Direction;
use crate::plan;
use crate::plan::cut::{self, Bisect, CutOutcome};
use crate::repo::discover::{self, Discovered, ResolvedLocation};
use crate::repo::git::TreeFile;
use crate::report::Report;

impl Judged {
    /// The verdict and the migrations that run, as the walk over commits needs them.
    fn half(&self) -> Half {
        let blob_of: HashMap<&str, Oid> = self
            .trees
            .at_to
            .migrations
            .iter()
            .map(|m| (m.path.as_str(), m.id))
            .collect();
        Half {
            verdict: self.verdict,
            migrations: self
                .migrations
                .iter()
                .filter(|m| !m.released && m.status != FileStatus::D)
                .map(|m| {
                    let has =
                        |d: Direction| m.operations.iter().any(|a| a.judgement.direction == d);
                    HalfMigration {
                        path: m.path.clone(),
                        version: m.version.as_str().to_string(),
                        blob: blob_of
                            .get(m.path.as_str())
                            .copied()
                            .unwrap_or(Oid::ZERO_SHA1),
                        expands: has(Direction::Expand),
                        contracts: has(Direction::Contract),
                    }
                })
                .collect(),
        }
    }
}

/// The migrations discovered at the commits the walk judges at, each discovered once: the
/// range's ends come from the range's own judgement, and a candidate's serve both of its
/// halves (only the latest candidate's are kept).
struct Discoveries {
    ends: [(Oid, Discovered); 2],
    latest: Option<(Oid, Discovered)>,
}

impl Discoveries {
    fn of(range: &Range, judged: &Judged) -> Discoveries {
        Discoveries {
            ends: [
                (range.from.1, judged.trees.at_from.clone()),
                (range.to.1, judged.trees.at_to.clone()),
            ],
            latest: None,
        }
    }

    /// The migrations at `commit` in `locations`, in apply order (as
    /// [`trees::discover_in`] finds them).
    fn at(
        &mut self,
        commit: Oid,
        files: &[TreeFile],
        locations: &[ResolvedLocation],
        config: &Config,
        reader: &mut Reader<'_>,
    ) -> Result<Discovered> {
        let known = self.ends.iter().chain(&self.latest);
        if let Some((_, found)) = known.into_iter().find(|(at, _)| *at == commit) {
            return Ok(found.clone());
        }
        let mut found = discover::discover(files, locations, config.dialect, reader)?;
        reader.prefetch(&found.migrations)?;
        trees::order_by_revision_chain(&mut found, reader)?;
        self.latest = Some((commit, found.clone()));
        Ok(found)
    }
}

/// What the walk needs to judge a half: the range's locations and the discoveries so far.
struct HalfJudge<'a> {
    locations: &'a [ResolvedLocation],
    discoveries: Discoveries,
}

impl HalfJudge<'_> {
    /// Judges `from..to` for the walk, in the range's locations, from the schema `before`
    /// when given (else replayed at `from`).
    fn judge(
        &mut self,
        repo: &Repository,
        (from, to): (Oid, Oid),
        before: Option<Arc<Catalog>>,
        config: &Config,
        reader: &mut Reader<'_>,
    ) -> Result<Half> {
        let range = Range {
            from: (from.to_string(), from, "walk"),
            to: (to.to_string(), to, "walk"),
        };
        let from_files = reader.files(from)?;
        let to_files = reader.files(to)?;
        let at_from = self
            .discoveries
            .at(from, &from_files, self.locations, config, reader)?;
        let at_to = self
            .discoveries
            .at(to, &to_files, self.locations, config, reader)?;
        let trees = trees::Trees {
            from_files,
            to_files,
            locations: self.locations.to_vec(),
            at_from,
            at_to,
        };
        Ok(judge_trees(repo, &range, trees, before, config, reader)?.half())
    }
}

/// The commits of the range that change a migration location.
fn candidates(repo: &Repository, range: &Range, judged: &Judged) -> Result<Vec<walk::Candidate>> {
    let locations = &judged.trees.locations;
    walk::candidates(repo, range.from.1, range.to.1, &|path: &str| {
        locations.iter().any(|l| l.contains(path))
    })
}

/// For a mixed range (unless the configuration turns the walk off): the commit to tag
/// first, or why there is none. A history that cannot be walked (a shallow clone, say)
/// costs the cut, not the check: the error comes back as text for the plan.
pub fn find_cut(
    repo: &Repository,
    range: &Range,
    judged: &Judged,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Option<std::result::Result<CutOutcome, String>> {
    if judged.verdict != Verdict::Mixed || !config.find_cut {
        return None;
    }
    Some(walk_for_cut(repo, range, judged, config, reader).map_err(|err| err.to_string()))
}

fn walk_for_cut(
    repo: &Repository,
    range: &Range,
    judged: &Judged,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<CutOutcome> {
    let candidates = candidates(repo, range, judged)?;
    let from_schema = Arc::clone(&judged.before);
    let mut half = HalfJudge {
        locations: &judged.trees.locations,
        discoveries: Discoveries::of(range, judged),
    };
    // `FROM..C` starts from the schema already replayed at `FROM`; `C..TO` replays `C`, and
    // the reader extends each such replay from the one before it.
    let mut judge = |from: Oid, to: Oid| {
        let before = (from == range.from.1).then(|| Arc::clone(&from_schema));
        half.judge(repo, (from, to), before, config, reader)
    };
    let tags = cut::suggested_tags(config, &range.from.0);
    let mut outcome = walk::find_cut(
        &candidates,
        range.from.1,
        range.to.1,
        &judged.half(),
        tags,
        &mut judge,
    )?;
    if let CutOutcome::Cut(cut) = &mut outcome {
        let first_name = cut
            .first
            .tag
            .clone()
            .unwrap_or_else(|| cut.commit.short.clone());
        let services = config.services();
        let steps =
            |verdict, from: &str, to: &str| plan::build(verdict, &services, &[], from, to).steps;
        cut.first.steps = steps(cut.first.verdict, &range.from.0, &first_name);
        cut.second.steps = steps(cut.second.verdict, &first_name, &range.to.0);
    }
    Ok(outcome)
}

/// Records what [`find_cut`] found in the report's plan.
pub fn attach(
    report: &mut Report,
    cut: Option<std::result::Result<CutOutcome, String>>,
    range: &Range,
) {
    let (Some(cut), Some(split)) = (cut, report.plan.split.as_mut()) else {
        return;
    };
    match cut {
        Ok(outcome) => split.set_outcome(outcome),
        Err(error) => split.advice.push(format!(
            "The commits between {} and {} could not be walked for a commit to cut the release at ({error}): split it by the file lists.",
            range.from.0, range.to.0
        )),
    }
}

/// `check --bisect`: the first commit after which `FROM..C` has no safe order.
pub fn bisect(
    repo: &Repository,
    range: &Range,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Bisect> {
    let judged = judge_range(repo, range, None, None, config, reader)?;
    let candidates = candidates(repo, range, &judged)?;
    let from_schema = Arc::clone(&judged.before);
    let mut half = HalfJudge {
        locations: &judged.trees.locations,
        discoveries: Discoveries::of(range, &judged),
    };
    let mut judge = |from: Oid, to: Oid| {
        let before = Some(Arc::clone(&from_schema));
        half.judge(repo, (from, to), before, config, reader)
    };
    walk::bisect(&candidates, range.from.1, &mut judge)
}

//! The history document: the verdict of every consecutive pair of release tags.

use serde::Serialize;

use crate::model::finding::{Severity, Verdict};
use crate::plan::Plan;
use crate::report::Counts;

/// Version of the history document's shape.
///
/// ```
/// assert_eq!(balrog_schema_lint::HISTORY_SCHEMA_VERSION, 1);
/// ```
pub const HISTORY_SCHEMA_VERSION: u32 = 1;

/// The verdict of one pair of consecutive releases.
///
/// ```
/// use balrog_schema_lint::{history, HistoryRequest, Severity};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// let pair = &history(&request, &mut |_| {})?.pairs[0];
/// assert_eq!((pair.from.as_str(), pair.to.as_str()), ("v3.40", "v3.41"));
/// assert_eq!(pair.first_step(), "balrog-production");
/// assert!(!pair.fails_at(Severity::Error));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// The older release tag.
    pub from: String,
    /// The newer release tag.
    pub to: String,
    /// The commit of `from`.
    pub from_commit: String,
    /// The commit of `to`.
    pub to_commit: String,
    /// The release verdict.
    pub verdict: Verdict,
    /// The deploy plan.
    pub plan: Plan,
    /// Totals.
    pub counts: Counts,
}

impl Pair {
    /// Whether this pair has a finding at or above `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        let c = &self.counts;
        match threshold {
            Severity::Error => c.errors > 0,
            Severity::Warning => c.errors + c.warnings > 0,
            Severity::Info => c.errors + c.warnings + c.infos > 0,
        }
    }

    /// The services of the plan's first step, or what stands in their place.
    pub fn first_step(&self) -> String {
        match self.plan.steps.first() {
            Some(step) => step.services.join(", "),
            None => "(no safe order)".to_string(),
        }
    }
}

/// Every pair, oldest first.
///
/// ```
/// use balrog_schema_lint::{history, HistoryRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// let found = history(&request, &mut |_| {})?;
/// assert_eq!(found.pairs.len(), 2);
/// assert_eq!(serde_json::to_value(&found).unwrap()["schema_version"], 1);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// Version of this document's shape.
    pub schema_version: u32,
    /// The consecutive pairs of selected release tags, in version order.
    pub pairs: Vec<Pair>,
}

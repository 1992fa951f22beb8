//! The history document: the verdict of every consecutive pair of release tags.

use serde::Serialize;

use crate::model::finding::{Severity, Verdict};
use crate::plan::Plan;
use crate::report::Counts;

/// Version of the history document's shape.
pub const HISTORY_SCHEMA_VERSION: u32 = 1;

/// The verdict of one pair of consecutive releases.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// Version of this document's shape.
    pub schema_version: u32,
    /// The consecutive pairs of selected release tags, in version order.
    pub pairs: Vec<Pair>,
}

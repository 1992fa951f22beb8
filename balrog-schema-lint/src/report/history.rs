//! The history document: the verdict of every consecutive pair of release tags.

use serde::Serialize;

use crate::model::dialect_source::DialectSource;
use crate::model::finding::{Severity, Verdict};
use crate::model::ops::Dialect;
use crate::model::profile::Profile;
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

    /// The services of the plan's first step, or what stands in their place: for a mixed
    /// release, the commit that cuts it in two, when one does.
    pub fn first_step(&self) -> String {
        if let Some(step) = self.plan.steps.first() {
            return step.services.join(", ");
        }
        let split = self.plan.split.as_ref();
        match (
            split.and_then(|s| s.cut.as_ref()),
            split.and_then(|s| s.blocked_by.as_ref()),
        ) {
            (Some(cut), _) => format!(
                "(no safe order) clean cut at {}: {} then {}",
                cut.commit.short,
                cut.first.verdict.name(),
                cut.second.verdict.name()
            ),
            (None, Some(_)) => "(no safe order) no clean cut".to_string(),
            (None, None) => "(no safe order)".to_string(),
        }
    }

    /// Whether this is a mixed release that one commit of its range cuts in two.
    pub(crate) fn has_clean_cut(&self) -> bool {
        self.plan.split.as_ref().is_some_and(|s| s.cut.is_some())
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
    /// Which tags were taken as releases, in words (`release_tags \`...\`` or
    /// `--tags \`...\``).
    pub tags: String,
    /// The profile whose defaults apply.
    pub profile: Profile,
    /// The dialect every pair was read in.
    pub dialect: Dialect,
    /// Where the dialect came from.
    pub dialect_source: DialectSource,
    /// The consecutive pairs of selected release tags, in version order.
    pub pairs: Vec<Pair>,
}

/// What a history covers, known before its first pair is checked: enough to start
/// writing a report whose pairs follow as they are checked.
///
/// ```
/// use std::ops::ControlFlow;
/// use balrog_schema_lint::{history_each, HistoryEvent, HistoryRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// let mut releases = Vec::new();
/// history_each(&request, &mut |event| {
///     if let HistoryEvent::Start(header) = event {
///         releases = header.releases.clone();
///     }
///     ControlFlow::Continue(())
/// })?;
/// assert_eq!(releases, ["v3.40", "v3.41", "v3.42"]);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryHeader {
    /// Which tags were taken as releases, in words (as [`History::tags`]).
    pub tags: String,
    /// The profile whose defaults apply.
    pub profile: Profile,
    /// The dialect every pair is read in.
    pub dialect: Dialect,
    /// Where the dialect came from.
    pub dialect_source: DialectSource,
    /// The selected release tags in version order: the pairs are each tag and the next.
    pub releases: Vec<String>,
}

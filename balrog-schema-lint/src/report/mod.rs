//! The report: what a check found, as data. It combines the stages' outputs (operations,
//! verdict, plan, findings) and is imported by no stage; `render` turns it into text, JSON,
//! SARIF, GitHub workflow commands, Markdown, GitLab Code Quality or JUnit XML. The library
//! itself never prints.
//!
//! The JSON form is the serde serialisation of [`Report`]. Its field names are stable within
//! a [`SCHEMA_VERSION`]: later versions add fields, never rename or remove them.

mod history;
mod pull_request;
mod schema_diff;

#[cfg(test)]
pub(crate) mod fixtures;

pub use history::{History, Pair, HISTORY_SCHEMA_VERSION};
pub use pull_request::PullRequestReport;
pub use schema_diff::SchemaDiff;

use serde::Serialize;

use crate::model::finding::{Finding, Severity, Verdict};
use crate::model::migration::{FileStatus, LedgerFile, MigrationFormat};
use crate::model::ops::{Dialect, Direction, OpKind};
use crate::plan::Plan;

/// Version of the JSON document's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// One end of the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// The revision as given or chosen, e.g. `v3.40` or `HEAD`.
    pub rev: String,
    /// The full commit id it resolved to.
    pub commit: String,
    /// Why this revision: `given` or `latest-release-tag`.
    pub chosen_by: String,
}

/// One operation as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationReport {
    /// 1-based line in the migration file.
    pub line: u32,
    /// What it does, with the objects it names.
    #[serde(flatten)]
    pub kind: OpKind,
    /// Its direction in this release.
    pub direction: Direction,
    /// A short human description.
    pub description: String,
    /// Why the direction is what it is, when context changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One migration file in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationReport {
    /// Path relative to the repository root (at `TO`; at `FROM` for deleted files).
    pub path: String,
    /// The previous path, for renamed files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Added, modified, deleted or renamed.
    pub status: FileStatus,
    /// The version the tool orders by (as written in the name or revision id).
    pub version: String,
    /// How the file is written.
    pub format: MigrationFormat,
    /// The dialect it was read in.
    pub dialect: Dialect,
    /// The file existed at `FROM`, so production has already run it.
    pub released: bool,
    /// Its operations, in order (empty for deleted files).
    pub operations: Vec<OperationReport>,
}

/// Totals, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Migration files in the range.
    pub migrations: usize,
    /// Operations in them.
    pub operations: usize,
    /// Findings at error severity.
    pub errors: usize,
    /// Findings at warning severity.
    pub warnings: usize,
    /// Findings at info severity.
    pub infos: usize,
    /// Changed files under migration locations that are not upgrades (see `ignored`).
    pub ignored: usize,
    /// Changed files under migration locations that the tool does not read.
    pub unrecognised: usize,
}

/// Everything a check found about a release range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Version of this document's shape.
    pub schema_version: u32,
    /// The tool's version.
    pub tool_version: String,
    /// The older end of the range (what production runs).
    pub from: Revision,
    /// The newer end of the range (what is about to ship).
    pub to: Revision,
    /// The dialect the database speaks.
    pub dialect: Dialect,
    /// The release verdict.
    pub verdict: Verdict,
    /// The verdict in one sentence.
    pub summary: String,
    /// The deploy plan.
    pub plan: Plan,
    /// Migration files in the range, in apply order (deleted files last).
    pub migrations: Vec<MigrationReport>,
    /// Changed files under migration locations that the layout defines as not being
    /// upgrades (README, `env.py`, down scripts, ...), with the reason.
    pub ignored: Vec<LedgerFile>,
    /// Changed files under migration locations that the tool does not read, with what it
    /// expected there; each is an `unrecognised-migration-file` finding and makes the
    /// release needs-review.
    pub unrecognised: Vec<LedgerFile>,
    /// Findings, ordered by file and line.
    pub findings: Vec<Finding>,
    /// Totals.
    pub counts: Counts,
    /// The configured threshold: findings at or above it fail the check (`null`: never).
    pub fail_on: Option<Severity>,
}

impl Report {
    /// The most severe finding's severity, if there are findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// Whether the check fails at the given threshold: a finding at or above it.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}

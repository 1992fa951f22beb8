//! The report: what a check found, as data. Renderers (one module per format) turn it into
//! text, JSON, SARIF, GitHub workflow commands, Markdown, GitLab Code Quality or JUnit XML;
//! the library itself never prints.
//!
//! The JSON form is the serde serialisation of [`Report`]. Its field names are stable within
//! a [`SCHEMA_VERSION`]: later versions add fields, never rename or remove them.

pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

#[cfg(test)]
pub(crate) mod fixtures;

use serde::Serialize;

use crate::config::MigrationFormat;
use crate::ops::{Dialect, Direction, OpKind};

/// Version of the JSON document's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The overall answer for a release range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No schema change: every service may deploy in parallel.
    None,
    /// Only expand steps: the schema goes first.
    Additive,
    /// Only contract steps: the schema goes last.
    Destructive,
    /// Expand and contract steps: no single order is safe; split the release.
    Mixed,
    /// A step that no order makes safe (rename, narrowing type change...).
    Breaking,
    /// Something the tool could not judge: a person must read it.
    NeedsReview,
}

impl Verdict {
    /// The name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::None => "none",
            Verdict::Additive => "additive",
            Verdict::Destructive => "destructive",
            Verdict::Mixed => "mixed",
            Verdict::Breaking => "breaking",
            Verdict::NeedsReview => "needs-review",
        }
    }

    /// Whether a single deploy order makes this release safe.
    pub fn has_safe_order(self) -> bool {
        matches!(
            self,
            Verdict::None | Verdict::Additive | Verdict::Destructive
        )
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth a look before shipping.
    Warning,
    /// Must be dealt with before shipping.
    Error,
}

impl Severity {
    /// The name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

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

/// How a migration file changed in the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum FileStatus {
    /// Added in the range.
    A,
    /// Modified in the range.
    M,
    /// Deleted in the range.
    D,
    /// Renamed (or moved) in the range.
    R,
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

/// A changed file under a migration location that is not a migration the tool reads: an
/// ignored file (the reason says why it is not an upgrade) or an unrecognised one (the
/// reason says what the tool expected there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerFile {
    /// Path relative to the repository root (at `TO`; at `FROM` for deleted files).
    pub path: String,
    /// The previous path, for renamed files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Added, modified, deleted or renamed.
    pub status: FileStatus,
    /// Why it is ignored, or what the tool expected there.
    pub reason: String,
}

/// A diagnostic from the rule catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's kebab-case name.
    pub rule: String,
    /// Severity after configuration.
    pub severity: Severity,
    /// File it is about (relative to the repository root), if any.
    pub path: Option<String>,
    /// 1-based line, if any.
    pub line: Option<u32>,
    /// What is wrong, naming the objects.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// A unified diff, for findings about edited files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// One step of the deploy plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanStep {
    /// The services deployed in this step (in parallel).
    pub services: Vec<String>,
    /// What to do, in one sentence.
    pub action: String,
    /// What must have happened before the next step starts, if anything.
    pub wait_for: Option<String>,
}

/// How to split a release that has no safe single order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Split {
    /// Migrations to ship in a first release (expand), with the code that needs them.
    pub first_release: Vec<String>,
    /// Migrations to ship in a later release (contract), once no deployed code needs the
    /// old objects.
    pub second_release: Vec<String>,
    /// The recipe, in words.
    pub advice: Vec<String>,
}

/// The deploy plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Ordered steps; a step's services deploy in parallel.
    pub steps: Vec<PlanStep>,
    /// Services that may deploy at any point.
    pub any_time: Vec<String>,
    /// What a rollback to `FROM` means after this release.
    pub rollback: String,
    /// For mixed and breaking releases: how to split it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
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

/// Items joined with commas, or `(none)`: the file lists of a split release.
pub(crate) fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// The verdict in one sentence, as the report headline.
pub fn summary(verdict: Verdict) -> String {
    match verdict {
        Verdict::None => "NONE - no schema change; services may deploy in parallel.",
        Verdict::Additive => "ADDITIVE - old code runs on the new schema; the schema change goes first.",
        Verdict::Destructive => "DESTRUCTIVE - new code must run on the old schema; the schema change goes last.",
        Verdict::Mixed => "MIXED - the release both expands and contracts the schema; no single order is safe: split it.",
        Verdict::Breaking => "BREAKING - a change that no deploy order makes safe; split it into expand and contract releases.",
        Verdict::NeedsReview => "NEEDS REVIEW - the tool could not judge every change; read the findings before deploying.",
    }
    .to_string()
}

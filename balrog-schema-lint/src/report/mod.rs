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

pub use history::{History, HistoryHeader, Pair, HISTORY_SCHEMA_VERSION};
pub use pull_request::PullRequestReport;
pub use schema_diff::SchemaDiff;

use serde::{Deserialize, Serialize};

use crate::model::finding::{Finding, Severity, Verdict};
use crate::model::migration::{FileStatus, LedgerFile, MigrationFormat};
use crate::model::ops::{Dialect, Direction, OpKind};
use crate::plan::cut::Bisect;
use crate::plan::Plan;
use crate::model::dialect_source::DialectSource;
use crate::model::profile::Profile;

/// Version of the JSON document's shape.
///
/// ```
/// assert_eq!(balrog_schema_lint::SCHEMA_VERSION, 1);
/// ```
pub const SCHEMA_VERSION: u32 = 1;

/// One end of the range.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = check(&CheckRequest { repo: dir.path().to_path_buf(), ..CheckRequest::default() })?;
/// assert_eq!((report.from.rev.as_str(), report.from.chosen_by.as_str()), ("v3.41", "latest-release-tag"));
/// assert_eq!(report.to.rev, "v3.42"); // HEAD, named by its tag
/// assert_eq!(report.to.commit.len(), 40);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The revision as given or chosen, e.g. `v3.40` or `HEAD`.
    pub rev: String,
    /// The full commit id it resolved to.
    pub commit: String,
    /// Why this revision: `given` or `latest-release-tag`.
    pub chosen_by: String,
}

/// One operation as reported.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Direction, OpKind};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let op = &check(&request)?.migrations[0].operations[0];
/// assert!(matches!(&op.kind, OpKind::DropColumn { column, .. } if column == "legacy_flag"));
/// assert_eq!(op.direction, Direction::Contract);
/// assert_eq!(op.line, 1);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Dialect};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let migration = &check(&request)?.migrations[0];
/// assert_eq!(migration.path, "migrations/0002_drop_legacy.sql");
/// assert_eq!(migration.version, "0002");
/// assert_eq!(migration.dialect, Dialect::Mysql);
/// assert!(!migration.released);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.42".into()), ..CheckRequest::default() };
/// let counts = check(&request)?.counts;
/// assert_eq!((counts.migrations, counts.operations), (2, 2));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
    #[serde(default)]
    pub ignored: usize,
    /// Changed files under migration locations that the tool does not read.
    #[serde(default)]
    pub unrecognised: usize,
}

/// Everything a check found about a release range.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Severity, Verdict, SCHEMA_VERSION};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let report = check(&request)?;
/// assert_eq!(report.schema_version, SCHEMA_VERSION);
/// assert_eq!(report.verdict, Verdict::Destructive);
/// assert!(report.max_severity() < Some(Severity::Error));
/// assert!(!report.fails_at(Severity::Error));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Where the dialect came from: `--dialect`, the configuration, the profile, evidence
    /// found in the repository (with the file and line), or the default.
    pub dialect_source: DialectSource,
    /// The profile whose defaults apply (`balrog` or `generic`).
    pub profile: Profile,
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
    #[serde(default)]
    pub ignored: Vec<LedgerFile>,
    /// Changed files under migration locations that the tool does not read, with what it
    /// expected there; each is an `unrecognised-migration-file` finding and makes the
    /// release needs-review.
    #[serde(default)]
    pub unrecognised: Vec<LedgerFile>,
    /// Findings, ordered by file and line.
    pub findings: Vec<Finding>,
    /// Totals.
    pub counts: Counts,
    /// The configured threshold: findings at or above it fail the check (`null`: never).
    pub fail_on: Option<Severity>,
    /// With `check --bisect`: the commit that first made the range unsafe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bisect: Option<Bisect>,
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

//! The judgement vocabulary: the verdict of a release, the severity of a finding, and the
//! finding itself.

use serde::{Deserialize, Serialize};

/// The overall answer for a release range.
///
/// ```
/// use balrog_schema_lint::Verdict;
///
/// assert_eq!(Verdict::NeedsReview.name(), "needs-review");
/// assert!(Verdict::Additive.has_safe_order());
/// assert!(!Verdict::Mixed.has_safe_order());
/// assert!(Verdict::Destructive.summary().starts_with("DESTRUCTIVE"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

    /// The verdict in one sentence, as the report headline.
    pub fn summary(self) -> String {
        match self {
            Verdict::None => "NONE - no schema change; services may deploy in parallel.",
            Verdict::Additive => "ADDITIVE - old code runs on the new schema; the schema change goes first.",
            Verdict::Destructive => "DESTRUCTIVE - new code must run on the old schema; the schema change goes last.",
            Verdict::Mixed => "MIXED - the release both expands and contracts the schema; no single order is safe: split it.",
            Verdict::Breaking => "BREAKING - a change that no deploy order makes safe; split it into expand and contract releases.",
            Verdict::NeedsReview => "NEEDS REVIEW - the tool could not judge every change; read the findings before deploying.",
        }
        .to_string()
    }
}

/// How serious a finding is.
///
/// ```
/// use balrog_schema_lint::Severity;
///
/// assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
/// assert_eq!(Severity::Warning.name(), "warning");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

/// A diagnostic from the rule catalogue.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Severity};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let report = check(&request)?;
/// let drop = report.findings.iter().find(|f| f.rule == "drop-column").unwrap();
/// assert_eq!(drop.path.as_deref(), Some("migrations/0002_drop_legacy.sql"));
/// assert_eq!(drop.line, Some(1));
/// assert!(drop.severity >= Severity::Info && !drop.help.is_empty());
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Other places the finding is about, each with its own severity: for
    /// `dropped-object-still-referenced`, every line of code that still names what the
    /// migration removes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedLocation>,
}

/// A line in another file that a finding is about, such as code that names a dropped
/// column.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Severity};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let report = check(&request)?;
/// for finding in &report.findings {
///     for place in &finding.related {
///         assert!(place.line >= 1 && place.severity <= finding.severity);
///     }
/// }
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedLocation {
    /// The file, relative to the repository root.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// How serious this place is (never above the finding's own severity).
    pub severity: Severity,
    /// What is at that line.
    pub message: String,
}

//! Where to cut a mixed release in two, and which commit first made a range unsafe: the
//! data the walk over a range's commits produces, and the sentences every format shares.
//!
//! A mixed release has no safe deploy order, but the commits between its two tags often do:
//! if some commit `C` makes `FROM..C` expand-only and `C..TO` contract-only, tagging `C`
//! first turns one unsafe release into two safe ones. The walk that finds `C` is a step of
//! the pipeline (`lint::walk`); this module only describes its answer.

use serde::{Deserialize, Serialize};

use super::PlanStep;
use crate::config::Config;
use crate::model::profile::Profile;
use crate::model::finding::Verdict;
use crate::model::migration::ReleaseVersion;

/// A commit named in a plan, as a release engineer would look it up.
///
/// ```
/// use balrog_schema_lint::CommitRef;
///
/// let commit = CommitRef {
///     id: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d".into(),
///     short: "1a2b3c4d5".into(),
///     subject: "Add emergency shutoffs (#12)".into(),
///     date: "2026-11-14".into(),
///     pull_request: Some(12),
/// };
/// assert_eq!(commit.describe(), "1a2b3c4d5 (2026-11-14, \"Add emergency shutoffs (#12)\")");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRef {
    /// The full commit id.
    pub id: String,
    /// Its short form (9 characters), as the reports print it.
    pub short: String,
    /// The first line of its message.
    pub subject: String,
    /// The commit date (committer time, UTC), `YYYY-MM-DD`.
    pub date: String,
    /// The pull request it merged, when its subject names one (`Merge pull request #12`,
    /// `Add a column (#12)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<u64>,
}

impl CommitRef {
    /// `1a2b3c4d5 (2026-11-14, "Add emergency shutoffs")`.
    pub fn describe(&self) -> String {
        format!("{} ({}, \"{}\")", self.short, self.date, self.subject)
    }
}

/// The pull request number a commit subject names: GitHub's merge commits
/// (`Merge pull request #12 from ...`) and squash merges (`Subject (#12)`).
pub fn pull_request_number(subject: &str) -> Option<u64> {
    let digits_after = |text: &str| -> Option<u64> {
        let end = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        text.get(..end).filter(|d| !d.is_empty())?.parse().ok()
    };
    if let Some(rest) = subject.strip_prefix("Merge pull request #") {
        return digits_after(rest);
    }
    let inner = subject.trim_end().strip_suffix(')')?;
    let start = inner.rfind("(#")?;
    let number = inner.get(start + 2..)?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

/// A migration named in a split.
///
/// ```
/// use balrog_schema_lint::MigrationRef;
///
/// let json = r#"{"path": "migrations/0004_shutoffs.sql", "version": "0004"}"#;
/// let migration: MigrationRef = serde_json::from_str(json).unwrap();
/// assert_eq!(migration.version, "0004");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationRef {
    /// Path relative to the repository root.
    pub path: String,
    /// The version it is ordered by.
    pub version: String,
}

/// In which order a release's services deploy.
///
/// ```
/// use balrog_schema_lint::{DeployOrder, Verdict};
///
/// assert_eq!(DeployOrder::of(Verdict::Additive), Some(DeployOrder::SchemaFirst));
/// assert_eq!(DeployOrder::of(Verdict::Mixed), None); // no single order is safe
/// assert_eq!(DeployOrder::CodeFirst.name(), "code first");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeployOrder {
    /// The migrator first (an additive release).
    SchemaFirst,
    /// The dependents first (a destructive release).
    CodeFirst,
    /// Any order (no schema change).
    AnyOrder,
}

impl DeployOrder {
    /// The order a release of this verdict deploys in; `None` when no order is safe.
    pub fn of(verdict: Verdict) -> Option<DeployOrder> {
        match verdict {
            Verdict::None => Some(DeployOrder::AnyOrder),
            Verdict::Additive => Some(DeployOrder::SchemaFirst),
            Verdict::Destructive => Some(DeployOrder::CodeFirst),
            Verdict::Mixed | Verdict::Breaking | Verdict::NeedsReview => None,
        }
    }

    /// `schema first`, `code first`, `any order`.
    pub fn name(self) -> &'static str {
        match self {
            DeployOrder::SchemaFirst => "schema first",
            DeployOrder::CodeFirst => "code first",
            DeployOrder::AnyOrder => "any order",
        }
    }
}

/// One of the two releases a cut makes.
///
/// ```
/// use balrog_schema_lint::{DeployOrder, MigrationRef, SplitRelease, Verdict};
///
/// let release = SplitRelease {
///     verdict: Verdict::Additive,
///     order: DeployOrder::SchemaFirst,
///     migrations: vec![MigrationRef { path: "migrations/0004_a.sql".into(), version: "0004".into() }],
///     tag: Some("v3.41".into()),
///     steps: Vec::new(),
/// };
/// assert_eq!(release.describe(), "additive: 0004; schema first");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitRelease {
    /// Its verdict (`none`, `additive` or `destructive`).
    pub verdict: Verdict,
    /// Its deploy order.
    pub order: DeployOrder,
    /// The migrations it runs, in apply order.
    pub migrations: Vec<MigrationRef>,
    /// The tag to give it, when the project's tags are `vX.Y` (see [`suggested_tags`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Its deploy steps over the configured services.
    pub steps: Vec<PlanStep>,
}

impl SplitRelease {
    /// `additive: 0004, 0005; schema first`.
    pub fn describe(&self) -> String {
        let versions: Vec<&str> = self.migrations.iter().map(|m| m.version.as_str()).collect();
        let listed = if versions.is_empty() {
            "no migration".to_string()
        } else {
            versions.join(", ")
        };
        format!("{}: {listed}; {}", self.verdict.name(), self.order.name())
    }
}

/// Why a pair of migrations keeps every commit from being a cut.
///
/// ```
/// use balrog_schema_lint::ConflictKind;
///
/// assert_eq!(serde_json::to_value(ConflictKind::ExpandAfterContract).unwrap(), "expand-after-contract");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// One migration file both expands and contracts the schema.
    SameFile,
    /// The expand and the contract migration arrived in the same commit.
    SameCommit,
    /// The expand migration was merged after the contract migration.
    ExpandAfterContract,
}

/// A migration and the commit (on the first-parent history of `TO`) that brought it.
///
/// ```
/// use balrog_schema_lint::PlacedMigration;
///
/// let placed = PlacedMigration { path: "migrations/0005_drop.sql".into(), version: "0005".into(), commit: None };
/// assert!(serde_json::to_value(&placed).unwrap().get("commit").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedMigration {
    /// Path relative to the repository root.
    pub path: String,
    /// The version it is ordered by.
    pub version: String,
    /// The commit that added it (or last changed it before `TO`'s first-parent history
    /// reached it), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitRef>,
}

/// An expand migration and a contract migration that no commit separates.
///
/// ```
/// use balrog_schema_lint::{Conflict, ConflictKind, PlacedMigration};
///
/// let placed = |version: &str| PlacedMigration {
///     path: format!("migrations/{version}.sql"),
///     version: version.into(),
///     commit: None,
/// };
/// let conflict = Conflict { kind: ConflictKind::SameCommit, expand: placed("0004"), contract: placed("0005") };
/// assert_eq!(
///     conflict.describe(),
///     "0004 (expand) and 0005 (contract) arrived in the same commit: land 0004 in a commit (or pull request) of its own, before 0005."
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// How they are entangled.
    pub kind: ConflictKind,
    /// The expanding migration.
    pub expand: PlacedMigration,
    /// The contracting migration.
    pub contract: PlacedMigration,
}

impl Conflict {
    /// The conflict and the reordering that would remove it, in one sentence.
    pub fn describe(&self) -> String {
        let (e, k) = (&self.expand, &self.contract);
        let at = |m: &PlacedMigration| {
            m.commit
                .as_ref()
                .map(|c| format!(", in {}", c.short))
                .unwrap_or_default()
        };
        match self.kind {
            ConflictKind::SameFile => format!(
                "{} both expands and contracts the schema: split it into an expand migration and a contract migration, committed in that order.",
                e.path
            ),
            ConflictKind::SameCommit => format!(
                "{} (expand) and {} (contract) arrived in the same commit{}: land {} in a commit (or pull request) of its own, before {}.",
                e.version,
                k.version,
                e.commit
                    .as_ref()
                    .map(|c| match c.pull_request {
                        Some(n) => format!(" {} (pull request #{n})", c.short),
                        None => format!(" {}", c.short),
                    })
                    .unwrap_or_default(),
                e.version,
                k.version
            ),
            ConflictKind::ExpandAfterContract => format!(
                "{} (expand{}) was merged after {} (contract{}): hold {} back to the next release (revert it, and merge it again after {}, numbered or chained to apply after it), or merge {} before {} the same way.",
                e.version,
                at(e),
                k.version,
                at(k),
                k.version,
                e.version,
                e.version,
                k.version
            ),
        }
    }
}

/// Why no commit of the range cuts it into two safe releases.
///
/// ```
/// use balrog_schema_lint::Blocked;
///
/// let json = r#"{"commits_tried": 1, "conflicts": [], "reorder": ["Split it by hand."]}"#;
/// let blocked: Blocked = serde_json::from_str(json).unwrap();
/// assert_eq!(blocked.commits_tried, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocked {
    /// How many commits that change a migration were considered.
    pub commits_tried: usize,
    /// The pairs of migrations no commit separates (empty when the cause is subtler, e.g. a
    /// migration judged differently in each half).
    pub conflicts: Vec<Conflict>,
    /// What would make a cut possible, in words.
    pub reorder: Vec<String>,
}

/// The commit to tag first, and the two releases that result.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, DeployOrder, Verdict};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// // v3.41 drops a column and v3.42 adds one: shipped together they are mixed, but the
/// // commit tagged v3.41 cuts them into two releases with a safe order each.
/// let request = CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.42".into()),
///     ..CheckRequest::default()
/// };
/// let report = check(&request)?;
/// assert_eq!(report.verdict, Verdict::Mixed);
/// let cut = report.plan.split.and_then(|split| split.cut).expect("a commit cuts it");
/// assert_eq!(cut.commit.subject, "v3.41");
/// assert_eq!((cut.first.verdict, cut.first.order), (Verdict::Destructive, DeployOrder::CodeFirst));
/// assert_eq!(cut.second.verdict, Verdict::Additive);
/// assert!(cut.sentence().starts_with(&format!("Tag {} as the first release", cut.commit.short)));
/// assert!(cut.commit_sentence().starts_with("Cut at "));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cut {
    /// The commit to tag as the first release.
    pub commit: CommitRef,
    /// `FROM..commit`.
    pub first: SplitRelease,
    /// `commit..TO`.
    pub second: SplitRelease,
    /// The next commit that changes a migration: any commit after [`Cut::commit`] and before
    /// this one cuts the range the same way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_migration_commit: Option<CommitRef>,
}

impl Cut {
    /// "Tag 1a2b3c4d5 as the first release (additive: 0004, 0005; schema first), then the
    /// rest as the next release (destructive: 0006; code first)."
    pub fn sentence(&self) -> String {
        let tag = |release: &SplitRelease| {
            release
                .tag
                .as_deref()
                .map(|t| format!(" {t}"))
                .unwrap_or_default()
        };
        format!(
            "Tag {} as the first release{} ({}), then the rest as the next release{} ({}).",
            self.commit.short,
            tag(&self.first),
            self.first.describe(),
            tag(&self.second),
            self.second.describe()
        )
    }

    /// Where the cut is and how far it could move, in one sentence.
    pub fn commit_sentence(&self) -> String {
        let mut text = format!("Cut at {}", self.commit.describe());
        if let Some(next) = &self.next_migration_commit {
            text.push_str(&format!(
                "; any later commit before {} (the next migration change) cuts the same way",
                next.short
            ));
        }
        text.push('.');
        text
    }
}

/// What the walk found for a mixed release: a cut, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CutOutcome {
    /// Tag this commit first.
    Cut(Box<Cut>),
    /// No commit works.
    Blocked(Blocked),
}

/// The commit after which `FROM..C` first has no safe deploy order (see [`Bisect`]).
///
/// ```
/// use balrog_schema_lint::{Culprit, Verdict};
///
/// let json = r#"{"commit": {"id": "1a2b", "short": "1a2b", "subject": "Drop a column", "date": "2026-11-14"},
///     "verdict": "mixed", "verdict_before": "additive", "migrations": []}"#;
/// let culprit: Culprit = serde_json::from_str(json).unwrap();
/// assert_eq!((culprit.verdict_before, culprit.verdict), (Verdict::Additive, Verdict::Mixed));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Culprit {
    /// The commit.
    pub commit: CommitRef,
    /// The verdict of `FROM..commit`.
    pub verdict: Verdict,
    /// The verdict of `FROM..` the commit before it (on the first-parent history).
    pub verdict_before: Verdict,
    /// The migrations this commit added or changed.
    pub migrations: Vec<MigrationRef>,
}

/// What `check --bisect` found.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, Verdict};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.42".into()),
///     bisect: true,
///     ..CheckRequest::default()
/// };
/// let bisect = check(&request)?.bisect.expect("asked for");
/// let culprit = bisect.first_unsafe.as_ref().expect("the range became unsafe");
/// assert_eq!(culprit.commit.subject, "v3.42"); // it added a column after v3.41 dropped one
/// assert_eq!((culprit.verdict_before, culprit.verdict), (Verdict::Destructive, Verdict::Mixed));
/// assert!(bisect.sentence().contains("made the range mixed"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bisect {
    /// Commits on the first-parent history of `TO` (after `FROM`) that change a migration.
    pub commits_checked: usize,
    /// The first of them that made the range unsafe; `null` when none did.
    pub first_unsafe: Option<Culprit>,
}

impl Bisect {
    /// The answer in one sentence.
    pub fn sentence(&self) -> String {
        match &self.first_unsafe {
            None => format!(
                "No commit made the range unsafe ({} commit{} that change a migration checked).",
                self.commits_checked,
                if self.commits_checked == 1 { "" } else { "s" }
            ),
            Some(c) => {
                let versions: Vec<&str> = c.migrations.iter().map(|m| m.version.as_str()).collect();
                let what = if versions.is_empty() {
                    String::new()
                } else {
                    format!(", with {}", versions.join(", "))
                };
                let pr = c
                    .commit
                    .pull_request
                    .map(|n| format!(" (pull request #{n})"))
                    .unwrap_or_default();
                format!(
                    "{}{pr} made the range {} (it was {} before){what}.",
                    c.commit.describe(),
                    c.verdict.name(),
                    c.verdict_before.name()
                )
            }
        }
    }
}

/// Whether the project's release tags are `vX.Y`: the Balrog profile, whose deploy pipeline
/// builds every `vX.Y` tag. Other projects name their releases their own way, so no tag
/// names are suggested for them; the profile decides it here, and nowhere else.
pub fn release_tags_are_vx_y(config: &Config) -> bool {
    config.profile() == Profile::Balrog
}

/// The names for the two releases a cut makes, after the release `from` (`v3.40` gives
/// `v3.41` and `v3.42`); `None` when tags are not `vX.Y` or `from` is not such a tag.
pub fn suggested_tags(config: &Config, from: &str) -> Option<(String, String)> {
    if !release_tags_are_vx_y(config) {
        return None;
    }
    let version = ReleaseVersion::parse(from)?;
    if !version.is_two_part() {
        return None;
    }
    let [major, minor] = version.parts() else {
        return None;
    };
    let next = minor.checked_add(1)?;
    let after = next.checked_add(1)?;
    Some((format!("v{major}.{next}"), format!("v{major}.{after}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_request_numbers_from_merge_and_squash_subjects() {
        assert_eq!(
            pull_request_number("Merge pull request #1234 from mozilla/drop-x"),
            Some(1234)
        );
        assert_eq!(pull_request_number("Drop releases.data (#77)"), Some(77));
        assert_eq!(pull_request_number("Drop releases.data (#)"), None);
        assert_eq!(pull_request_number("Bug 123 (see #4 for details)"), None);
        assert_eq!(pull_request_number("Release v1.1"), None);
    }

    #[test]
    fn tags_follow_a_two_part_release() {
        let config = Config {
            profile: Some(Profile::Balrog),
            ..Config::default()
        };
        assert_eq!(
            suggested_tags(&config, "v3.40"),
            Some(("v3.41".into(), "v3.42".into()))
        );
        assert_eq!(
            suggested_tags(&config, "v2.9"),
            Some(("v2.10".into(), "v2.11".into()))
        );
        assert_eq!(suggested_tags(&config, "v3.40.1"), None);
        assert_eq!(suggested_tags(&config, "main"), None);
        // Other projects name their releases their own way: no names are suggested.
        assert_eq!(suggested_tags(&Config::default(), "v3.40"), None);
    }

    fn release(verdict: Verdict, versions: &[&str], tag: Option<&str>) -> SplitRelease {
        SplitRelease {
            verdict,
            order: DeployOrder::of(verdict).unwrap_or(DeployOrder::AnyOrder),
            migrations: versions
                .iter()
                .map(|v| MigrationRef {
                    path: format!("migrations/{v}_x.sql"),
                    version: v.to_string(),
                })
                .collect(),
            tag: tag.map(str::to_string),
            steps: Vec::new(),
        }
    }

    #[test]
    fn the_cut_in_one_sentence() {
        let commit = CommitRef {
            id: "1a2b3c4d5e6f".into(),
            short: "1a2b3c4d5".into(),
            subject: "Add shutoffs".into(),
            date: "2026-11-14".into(),
            pull_request: None,
        };
        let cut = Cut {
            commit,
            first: release(Verdict::Additive, &["0004", "0005"], Some("v3.41")),
            second: release(Verdict::Destructive, &["0006"], Some("v3.42")),
            next_migration_commit: None,
        };
        assert_eq!(
            cut.sentence(),
            "Tag 1a2b3c4d5 as the first release v3.41 (additive: 0004, 0005; schema first), then the rest as the next release v3.42 (destructive: 0006; code first)."
        );
    }
}

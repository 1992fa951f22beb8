//! The analysed range: what the rules and the report read.

use std::collections::BTreeMap;

use crate::classify::Judgement;
use crate::model::finding::Verdict;
use crate::model::migration::MigrationFormat;
use crate::model::migration::MigrationVersion;
use crate::model::migration::{FileStatus, LedgerFile};
use crate::model::ops::{Dialect, Operation, SqlType};
use crate::read::directives::Directive;
use crate::repo::code_search::Reference;
use crate::model::dialect_source::Evidence;

/// An operation of the range with its judgement.
#[derive(Debug, Clone)]
pub struct AnalyzedOp {
    /// The operation as read.
    pub op: Operation,
    /// Its direction in this release.
    pub judgement: Judgement,
}

/// A migration file touched by the range.
#[derive(Debug, Clone)]
pub struct AnalyzedMigration {
    /// Path at `TO` (at `FROM` for deleted files).
    pub path: String,
    /// Path at `FROM` for renamed files.
    pub old_path: Option<String>,
    /// How the file changed.
    pub status: FileStatus,
    /// Its version.
    pub version: MigrationVersion,
    /// How it is written.
    pub format: MigrationFormat,
    /// The dialect it was read in.
    pub dialect: Dialect,
    /// Index of its location (versions compare within a location only).
    pub location: usize,
    /// Production already ran it (it existed at `FROM`).
    pub released: bool,
    /// Operations that run in this release (empty for released files: production will not
    /// run them again).
    pub operations: Vec<AnalyzedOp>,
    /// For edited released files: the operations at `FROM` and at `TO`, and both texts.
    pub edit: Option<Edit>,
    /// A baseline (a switch of migration tool or a squash): the first migration of a location
    /// that had none at `FROM`, recreating objects production already has. Holds the version
    /// production must already be at, which is the precondition for not running it.
    pub baseline: Option<String>,
}

/// What changed in a released migration that was edited.
#[derive(Debug, Clone)]
pub struct Edit {
    /// Operations the file yielded at `FROM`.
    pub before: Vec<Operation>,
    /// Operations the file yields at `TO`.
    pub after: Vec<Operation>,
    /// Text at `FROM`.
    pub old_text: String,
    /// Text at `TO`.
    pub new_text: String,
}

impl Edit {
    /// Whether the edit changes what the migration does (not just how it is written).
    pub fn changes_operations(&self) -> bool {
        self.before.len() != self.after.len()
            || self
                .before
                .iter()
                .zip(&self.after)
                .any(|(a, b)| a.kind != b.kind)
    }
}

/// The whole analysed range.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The database dialect.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub dialect: Dialect,
    /// `FROM` as named (tag or revision).
    pub from: String,
    /// `TO` as named.
    pub to: String,
    /// Migrations touched by the range, in apply order (deleted ones last).
    pub migrations: Vec<AnalyzedMigration>,
    /// Highest version released at `FROM`, per location index.
    pub released_max: Vec<Option<MigrationVersion>>,
    /// Changed files under migration locations that are not migrations the tool reads.
    pub ledger: Ledger,
    /// The release verdict.
    pub verdict: Verdict,
    /// What rules need from the repository beyond the migrations of the range.
    pub context: RepoContext,
}

/// Changed files under migration locations that are not migrations: with `migrations`,
/// every changed path under a location is in exactly one place.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Files the layout defines as not being upgrades, with the reason.
    pub ignored: Vec<LedgerFile>,
    /// Files the tool does not read, with what it expected there.
    pub unrecognised: Vec<LedgerFile>,
}

/// Facts from the repository beyond the migrations touched by the range.
#[derive(Debug, Clone, Default)]
pub struct RepoContext {
    /// `TO` names a tag (not a branch, `HEAD` or a commit id).
    pub to_is_tag: bool,
    /// When `TO` is a tag that the profile's tag rule does not take as a release: what
    /// the rule expects, and how to fix the tag.
    pub tag_problem: Option<TagProblem>,
    /// Two sources in the repository that name different dialects (the one that decided,
    /// then the other), when the dialect was detected rather than given.
    pub dialect_conflict: Option<(Evidence, Evidence)>,
    /// Every migration in the `TO` tree, touched or not, in apply order per location.
    pub tree: Vec<TreeMigration>,
    /// The Alembic heads at `FROM` (`revision`, path): the revisions databases running
    /// `FROM` record in `alembic_version`.
    pub released_heads: Vec<(String, String)>,
    /// Down (revert) migration files in the `TO` tree.
    pub down_files: Vec<String>,
    /// The project's version as recorded in the repository at both ends, when it is.
    pub version_bump: Option<VersionBump>,
    /// Whole-word references, in the code at `TO`, to tables and columns that the range
    /// drops or renames away.
    pub references: Vec<Reference>,
    /// Inline suppressions of each migration file of the range, by path.
    pub suppressions: BTreeMap<String, Vec<Directive>>,
    /// Column types in the schema at `FROM`, keyed `table.column` in lower case; empty when
    /// the schema was not replayed.
    pub column_types: BTreeMap<String, SqlType>,
    /// The values, in order, of the enums at `FROM` that the range adds values to, keyed by
    /// lower-case type name.
    pub enum_values: BTreeMap<String, Vec<String>>,
}

/// What is wrong with the tag of the release being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagProblem {
    /// What the tag should look like and why it matters, completing "the release is
    /// tagged X, ...".
    pub expected: String,
    /// How to fix it.
    pub help: String,
}

/// A migration file in the `TO` tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeMigration {
    /// Path relative to the repository root.
    pub path: String,
    /// Index of its location.
    pub location: usize,
    /// How it is written.
    pub format: MigrationFormat,
    /// Its version as the runner orders it (for Alembic: its place in the chain).
    pub version: MigrationVersion,
    /// Alembic `revision`.
    pub revision: Option<String>,
    /// Alembic `down_revision`s.
    pub down_revisions: Vec<String>,
}

/// The project version recorded in a file, at `FROM` and at `TO`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionBump {
    /// The file it was read from at `TO`, e.g. `version.txt`.
    pub file: String,
    /// The version at `FROM`.
    pub from: String,
    /// The version at `TO`.
    pub to: String,
}

impl Analysis {
    /// Every operation that runs in this release, with its migration, in apply order.
    pub fn operations(&self) -> impl Iterator<Item = (&AnalyzedMigration, &AnalyzedOp)> {
        self.migrations
            .iter()
            .flat_map(|m| m.operations.iter().map(move |op| (m, op)))
    }
}

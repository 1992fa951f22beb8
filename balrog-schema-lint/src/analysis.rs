//! The analysed range: what the rules and the report read.

use crate::classify::Judgement;
use crate::config::MigrationFormat;
use crate::ops::{Dialect, Operation};
use crate::report::{FileStatus, Verdict};
use crate::version::MigrationVersion;

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
    pub dialect: Dialect,
    /// `FROM` as named (tag or revision).
    pub from: String,
    /// `TO` as named.
    pub to: String,
    /// Migrations touched by the range, in apply order (deleted ones last).
    pub migrations: Vec<AnalyzedMigration>,
    /// Highest version released at `FROM`, per location index.
    pub released_max: Vec<Option<MigrationVersion>>,
    /// The release verdict.
    pub verdict: Verdict,
}

impl Analysis {
    /// Every operation that runs in this release, with its migration, in apply order.
    pub fn operations(&self) -> impl Iterator<Item = (&AnalyzedMigration, &AnalyzedOp)> {
        self.migrations
            .iter()
            .flat_map(|m| m.operations.iter().map(move |op| (m, op)))
    }
}

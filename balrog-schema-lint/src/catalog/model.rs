//! The objects a catalog holds.

use std::collections::BTreeMap;

use serde::Serialize;

use super::names::{key, same_ident};
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind};

/// A column with the moment it appeared, so that "added in this range" can be answered.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) def: ColumnDef,
    pub(crate) created_at: u64,
}

/// A table: columns in declared order, table constraints and indexes.
///
/// Inline `PRIMARY KEY` and `UNIQUE` column flags are stored as table constraints (and the
/// flags cleared), so that a key declared inline and the same key declared at table level
/// are one and the same thing to comparisons, differences and DDL.
#[derive(Debug, Clone)]
pub struct Table {
    pub(crate) name: String,
    pub(crate) columns: Vec<Column>,
    pub(crate) constraints: Vec<Constraint>,
    /// Keyed by lower-case index name.
    pub(crate) indexes: BTreeMap<String, Index>,
    pub(crate) created_at: u64,
}

// History stamps are bookkeeping, not schema: two tables with the same definition are equal
// however they came to be.
impl Table {
    /// The stored column with its history, by name (any case).
    pub(crate) fn column_entry(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| same_ident(&c.def.name, name))
    }
}

impl PartialEq for Table {
    fn eq(&self, other: &Table) -> bool {
        self.name == other.name
            && self.constraints == other.constraints
            && self.indexes == other.indexes
            && self.columns.len() == other.columns.len()
            && self
                .columns
                .iter()
                .zip(&other.columns)
                .all(|(a, b)| a.def == b.def)
    }
}

impl Table {
    pub(crate) fn new(name: &str, created_at: u64) -> Table {
        Table {
            name: name.to_string(),
            columns: Vec::new(),
            constraints: Vec::new(),
            indexes: BTreeMap::new(),
            created_at,
        }
    }

    /// The name as last written (by `CREATE TABLE` or a rename).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The columns in declared order.
    pub fn columns(&self) -> impl Iterator<Item = &ColumnDef> {
        self.columns.iter().map(|c| &c.def)
    }

    /// A column by name, ignoring case.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.column_index(name)
            .and_then(|i| self.columns.get(i))
            .map(|c| &c.def)
    }

    /// Table constraints, including the primary key and keys declared inline on a column.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// The primary key, when the table has one.
    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| c.kind == ConstraintKind::PrimaryKey)
    }

    /// Whether `column` is part of the primary key.
    pub fn in_primary_key(&self, column: &str) -> bool {
        self.primary_key()
            .is_some_and(|pk| pk.columns.iter().any(|c| same_ident(c, column)))
    }

    /// The indexes, sorted by name.
    pub fn indexes(&self) -> impl Iterator<Item = &Index> {
        self.indexes.values()
    }

    /// An index by name, ignoring case.
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.get(&key(name))
    }

    pub(crate) fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| same_ident(&c.def.name, name))
    }

    pub(crate) fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns
            .iter_mut()
            .find(|c| same_ident(&c.def.name, name))
    }
}

/// An index on a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    /// The name as written, or the one the database would have chosen.
    pub name: String,
    /// Indexed columns (or expressions as text), in index order.
    pub columns: Vec<String>,
    /// `UNIQUE`.
    pub unique: bool,
    /// A partial index (`WHERE`).
    pub partial: bool,
    /// The statement gave no name; `name` is the database's choice, guessed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub implicit_name: bool,
}

/// A view. Operations carry no view body, so the statement text is kept instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The name as written.
    pub name: String,
    /// The `CREATE VIEW` statement as written, trimmed; empty when not known.
    pub source: String,
}

/// A named type (`CREATE TYPE .. AS ENUM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedType {
    /// The name as written.
    pub name: String,
    /// Enum members in order; empty for types that are not enums.
    pub values: Vec<String>,
}

/// A sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// The name as written.
    pub name: String,
}

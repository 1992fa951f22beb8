//! The schema catalog: replays operations into a model of the database schema, answers
//! questions about the state before an operation, and compares two states.
//!
//! Replay never stops: an operation that does not fit the model (dropping a table that is
//! not there) is reported as [`Applied::Conflict`] and the catalog carries on with a
//! best-effort state. Operations the tool does not model mark the objects they touch as
//! uncertain instead of being ignored.
//!
//! Identifiers are looked up without regard to case; the name as last written is kept for
//! display. `public.rules` and `rules` are one table (PostgreSQL's default schema); other
//! schema qualifiers are part of the name.

mod apply;
mod ddl;
mod diff;
mod keys;
mod model;
mod named;
mod names;
mod programs;
mod objects;
mod same;
mod types;

#[cfg(test)]
mod apply_tests;
#[cfg(test)]
mod compare_tests;
#[cfg(test)]
mod objects_tests;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use diff::{diff, table_changed, SchemaChange};
pub use model::{Index, NamedType, Sequence, Table, View};
#[cfg_attr(not(feature = "internals"), allow(unused_imports))] // fuzz targets, benches, tests
pub use programs::{GrantEntry, Policy, RowSecurity, Routine, Trigger};
#[cfg_attr(not(feature = "internals"), allow(unused_imports))] // fuzz targets, benches, tests
pub use objects::{CompositeType, Domain, Partition};
pub use types::{compare_types, TypeChange};
pub(crate) use named::timing_after;

use crate::model::ops::{ColumnDef, Dialect};
use names::{key, same_ident};

/// What applying one operation did to the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// The schema changed.
    Changed,
    /// The operation leaves the schema as it was (`CREATE TABLE IF NOT EXISTS` on an existing
    /// table, data changes, transaction control).
    NoChange,
    /// The operation does not fit the replayed schema (dropping a table that does not exist,
    /// adding a column that does). The catalog applied what it could; the message says what
    /// did not fit and what was done instead.
    Conflict(String),
    /// The operation is not modelled (unsupported or unreadable); objects it names are now
    /// marked uncertain.
    Unknown,
}

/// The reasons an object (or a name no object has) is uncertain.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Uncertainty {
    name: String,
    reasons: Vec<String>,
}

/// A model of a database schema built by replaying operations.
///
/// Equality compares the schema and its uncertainty marks, not how they came to be: the
/// history used by [`Catalog::created_in_range`] is ignored.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    dialect: Dialect,
    /// Shared between clones until changed: `classify` and `history` copy whole catalogs.
    tables: BTreeMap<String, Arc<Table>>,
    views: BTreeMap<String, View>,
    types: BTreeMap<String, NamedType>,
    sequences: BTreeMap<String, Sequence>,
    /// Routines, triggers, row-level security, policies, grants and comments.
    programs: programs::Programs,
    /// Types other than enums, schemas, extensions, partitions, temporary tables.
    objects: objects::Objects,
    /// Roles, tablespaces, collations, rules and the other kinds known by name only.
    named: named::NamedObjects,
    /// Keyed by lower-case object name.
    uncertain: BTreeMap<String, Uncertainty>,
    /// Unsupported statements that name no table, and unreadable ones.
    unmodelled: Vec<String>,
    /// Counts applied operations; objects remember the count at their creation.
    clock: u64,
    /// The clock when the range under review began.
    range_start: Option<u64>,
    /// A `CREATE TABLE IF NOT EXISTS` that found its table (line and text): the indexes the
    /// same statement declares are skipped with it.
    skipped_statement: Option<(u32, String)>,
}

impl PartialEq for Catalog {
    fn eq(&self, other: &Catalog) -> bool {
        self.dialect == other.dialect
            && self.tables == other.tables
            && self.views == other.views
            && self.types == other.types
            && self.sequences == other.sequences
            && self.programs == other.programs
            && self.objects == other.objects
            && self.named == other.named
            && self.uncertain == other.uncertain
            && self.unmodelled == other.unmodelled
    }
}

impl Catalog {
    /// An empty catalog for `dialect`, which decides index naming, the effect of dropping
    /// an indexed column, and type aliases.
    pub fn new(dialect: Dialect) -> Catalog {
        Catalog {
            dialect,
            ..Catalog::default()
        }
    }

    /// The dialect the catalog was created for.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Marks the start of the range under review: objects created from now on answer
    /// `true` to [`Catalog::created_in_range`]. Calling it again moves the mark.
    pub fn begin_range(&mut self) {
        self.range_start = Some(self.clock + 1);
    }

    /// Whether `table` exists and was created (or last recreated) after
    /// [`Catalog::begin_range`]. A renamed table keeps its creation time.
    pub fn created_in_range(&self, table: &str) -> bool {
        match (self.range_start, self.tables.get(&key(table))) {
            (Some(start), Some(t)) => t.created_at >= start,
            _ => false,
        }
    }

    /// Whether some table existed before [`Catalog::begin_range`]: the schema was built by
    /// earlier migrations, so an object it lacks is really absent (rather than unknown, as
    /// when a statement is judged alone).
    pub fn has_history(&self) -> bool {
        self.range_start
            .is_some_and(|start| self.tables.values().any(|t| t.created_at < start))
    }

    /// Whether `column` of `table` exists and was added after [`Catalog::begin_range`]
    /// (including as part of a table created in the range).
    pub fn column_created_in_range(&self, table: &str, column: &str) -> bool {
        let Some(start) = self.range_start else {
            return false;
        };
        self.tables
            .get(&key(table))
            .and_then(|t| t.columns.iter().find(|c| same_ident(&c.def.name, column)))
            .is_some_and(|c| c.created_at >= start)
    }

    /// A table by name, ignoring case.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(&key(name)).map(|t| &**t)
    }

    /// A column of a table, ignoring case.
    pub fn column(&self, table: &str, column: &str) -> Option<&ColumnDef> {
        self.table(table).and_then(|t| t.column(column))
    }

    /// The tables, sorted by lower-case name.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values().map(|t| &**t)
    }

    /// A view by name, ignoring case.
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.get(&key(name))
    }

    /// The views, sorted by lower-case name.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn views(&self) -> impl Iterator<Item = &View> {
        self.views.values()
    }

    /// A named type by name, ignoring case.
    pub fn named_type(&self, name: &str) -> Option<&NamedType> {
        self.types.get(&key(name))
    }

    /// The named types, sorted by lower-case name.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn named_types(&self) -> impl Iterator<Item = &NamedType> {
        self.types.values()
    }

    /// A sequence by name, ignoring case.
    pub fn sequence(&self, name: &str) -> Option<&Sequence> {
        self.sequences.get(&key(name))
    }

    /// The sequences, sorted by lower-case name.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn sequences(&self) -> impl Iterator<Item = &Sequence> {
        self.sequences.values()
    }

    /// An index by name, with its table. With several matches (MySQL index names are per
    /// table) the first table in name order wins.
    pub fn index(&self, name: &str) -> Option<(&Table, &Index)> {
        let k = key(name);
        self.tables
            .values()
            .find_map(|t| t.indexes.get(&k).map(|i| (&**t, i)))
    }

    /// Whether a table, view, type or sequence has this name.
    pub fn exists(&self, name: &str) -> bool {
        let k = key(name);
        self.tables.contains_key(&k)
            || self.views.contains_key(&k)
            || self.types.contains_key(&k)
            || self.sequences.contains_key(&k)
    }

    /// Why the object of this name is uncertain (statements touching it that are not
    /// modelled); empty when it is not.
    pub fn uncertainty(&self, name: &str) -> &[String] {
        self.uncertain
            .get(&key(name))
            .map_or(&[][..], |u| u.reasons.as_slice())
    }

    /// Whether statements that are not modelled touched the object of this name.
    pub fn is_uncertain(&self, name: &str) -> bool {
        !self.uncertainty(name).is_empty()
    }

    /// Unsupported statements that name no table, and unreadable statements: the whole
    /// schema may differ from the model because of them.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn unmodelled(&self) -> &[String] {
        &self.unmodelled
    }
}

//! The schema-diff document: the schema at both ends of a range, and what changed.

use serde::Serialize;

use crate::catalog::SchemaChange;

/// The schema at both ends of a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaDiff {
    /// `FROM` as named.
    pub from: String,
    /// `TO` as named.
    pub to: String,
    /// The schema at `FROM`, as DDL.
    pub from_ddl: String,
    /// The schema at `TO`, as DDL.
    pub to_ddl: String,
    /// Object-level differences.
    pub changes: Vec<SchemaChange>,
}

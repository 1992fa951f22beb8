//! The schema-diff document: the schema at both ends of a range, and what changed.

use serde::Serialize;

use crate::catalog::SchemaChange;

/// The schema at both ends of a range.
///
/// ```
/// use balrog_schema_lint::{schema_diff, CheckRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let diff = schema_diff(&request)?;
/// assert!(diff.from_ddl.contains("legacy_flag") && !diff.to_ddl.contains("legacy_flag"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
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

//! `schema-diff`: the schema at two revisions as normalised DDL, and what changed.

use serde::Serialize;

use crate::catalog::{diff, SchemaChange};
use crate::error::Result;
use crate::git;
use crate::lint::{load_config, resolve_range, schema_at, CheckRequest, Reader};

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

/// Replays the migrations of both revisions of `request` and compares the schemas.
pub fn schema_diff(request: &CheckRequest) -> Result<SchemaDiff> {
    let repo = git::open(&request.repo)?;
    let to = git::resolve_commit(&repo, request.to.as_deref().unwrap_or("HEAD"))?;
    let config = load_config(&repo, to, request)?;
    let range = resolve_range(&repo, request, &config.release_tags())?;
    let mut reader = Reader::new(&repo, &config);
    let before = schema_at(&repo, range.from.1, &config, &mut reader)?;
    let after = schema_at(&repo, range.to.1, &config, &mut reader)?;
    Ok(SchemaDiff {
        from: range.from.0.clone(),
        to: range.to.0.clone(),
        from_ddl: before.to_ddl(config.dialect),
        to_ddl: after.to_ddl(config.dialect),
        changes: diff(&before, &after),
    })
}

/// The schema at `TO`, then the unified diff from `FROM`.
pub fn render_schema_diff(diff: &SchemaDiff) -> String {
    let mut out = format!("-- schema at {}\n{}\n", diff.to, diff.to_ddl);
    if diff.from_ddl == diff.to_ddl {
        out.push_str(&format!(
            "-- no schema difference between {} and {}\n",
            diff.from, diff.to
        ));
    } else {
        let unified = similar::TextDiff::from_lines(&diff.from_ddl, &diff.to_ddl)
            .unified_diff()
            .context_radius(3)
            .header(&diff.from, &diff.to)
            .to_string();
        out.push_str(&format!(
            "-- difference from {} to {}\n{unified}",
            diff.from, diff.to
        ));
    }
    out
}

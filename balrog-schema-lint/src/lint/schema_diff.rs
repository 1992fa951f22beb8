//! `schema-diff`: the schema at two revisions as normalised DDL, and what changed.

use crate::catalog::diff;
use crate::error::Result;
use crate::lint::{load_config, resolve_range, schema_of_commit, CheckRequest, Reader};
use crate::repo::git;
use crate::report::SchemaDiff;

/// Replays the migrations of both revisions of `request` and compares the schemas.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// use balrog_schema_lint::{schema_diff, CheckRequest, SchemaChange};
///
/// let diff = schema_diff(&CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..CheckRequest::default()
/// })?;
/// assert!(matches!(&diff.changes[0], SchemaChange::ColumnRemoved { table, .. } if table == "rules"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn schema_diff(request: &CheckRequest) -> Result<SchemaDiff> {
    let repo = git::open(&request.repo)?;
    let range = resolve_range(&repo, request)?;
    let config = load_config(&repo, range.to.1, request)?;
    let mut reader = Reader::new(&repo, &config);
    let before = schema_of_commit(&repo, range.from.1, &config, &mut reader)?;
    let after = schema_of_commit(&repo, range.to.1, &config, &mut reader)?;
    Ok(SchemaDiff {
        from: range.from.0.clone(),
        to: range.to.0.clone(),
        from_ddl: before.to_ddl(config.dialect),
        to_ddl: after.to_ddl(config.dialect),
        changes: diff(&before, &after),
    })
}

/// The schema at one revision, as normalised DDL: every migration of its tree replayed in
/// apply order (the configuration is read at that revision, as `check` reads it at `TO`).
/// `request.from` and `request.to` are not used.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// use balrog_schema_lint::{schema_at, CheckRequest};
///
/// let request = CheckRequest {
///     repo: dir.path().to_path_buf(),
///     ..CheckRequest::default()
/// };
/// assert!(schema_at(&request, "v3.40")?.contains("legacy_flag"));
/// assert!(!schema_at(&request, "v3.41")?.contains("legacy_flag"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn schema_at(request: &CheckRequest, revision: &str) -> Result<String> {
    let repo = git::open(&request.repo)?;
    let commit = git::resolve_commit(&repo, revision)?;
    let config = load_config(&repo, commit, request)?;
    let mut reader = Reader::new(&repo, &config);
    let schema = schema_of_commit(&repo, commit, &config, &mut reader)?;
    Ok(schema.to_ddl(config.dialect))
}

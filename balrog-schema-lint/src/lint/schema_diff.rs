//! `schema-diff`: the schema at two revisions as normalised DDL, and what changed.

use crate::catalog::diff;
use crate::error::Result;
use crate::lint::{load_config, resolve_range, schema_at, CheckRequest, Reader};
use crate::repo::git;
use crate::report::SchemaDiff;

/// Replays the migrations of both revisions of `request` and compares the schemas.
pub fn schema_diff(request: &CheckRequest) -> Result<SchemaDiff> {
    let repo = git::open(&request.repo)?;
    let range = resolve_range(&repo, request)?;
    let config = load_config(&repo, range.to.1, request)?;
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

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
    let to = crate::repo::git::resolve_commit(&repo, request.to.as_deref().unwrap_or("HEAD"))?;
    let config = load_config(&repo, to, request)?;
    let range = resolve_range(&repo, request, &config.release_tags())?;
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

/// The schema after each migration of a tree, for the oracle tests, which compare each
/// step with a real database (through the `internals` feature, like the fuzz targets).
#[cfg(feature = "internals")]
mod steps {
    use crate::catalog::Catalog;
    use crate::error::Result;
    use crate::lint::{load_config, migrations_at, CheckRequest, Reader};
    use crate::model::migration::MigrationFormat;
    use crate::model::ops::Dialect;
    use crate::repo::git;

    /// One migration of a tree, as a runner would apply it, and the replayed schema right after it.
    #[derive(Debug, Clone)]
    pub struct SchemaStep {
        /// Path of the migration file.
        pub path: String,
        /// How it is written.
        pub format: MigrationFormat,
        /// The dialect it is read in.
        pub dialect: Dialect,
        /// The file's text with the configured placeholders substituted: what the runner sends
        /// to the database (for SQL files).
        pub source: String,
        /// The replayed schema after this migration.
        pub schema: Catalog,
    }

    /// Replays every migration of the tree at `request.to` (default `HEAD`) in apply order and
    /// returns the schema after each one. Tests compare these with a real database.
    pub fn schema_steps(request: &CheckRequest) -> Result<Vec<SchemaStep>> {
        let repo = git::open(&request.repo)?;
        let to = git::resolve_commit(&repo, request.to.as_deref().unwrap_or("HEAD"))?;
        let config = load_config(&repo, to, request)?;
        let mut reader = Reader::new(&repo, &config);
        let found = migrations_at(&repo, to, &config, &mut reader)?;
        let mut schema = Catalog::new(config.dialect);
        let mut steps = Vec::with_capacity(found.migrations.len());
        for file in &found.migrations {
            let read = reader.read(file)?;
            for op in &read.parsed.operations {
                schema.apply(op);
            }
            let mut source = read.text.clone();
            for (name, value) in &config.placeholders {
                source = source.replace(name.as_str(), value);
            }
            steps.push(SchemaStep {
                path: file.path.clone(),
                format: file.format,
                dialect: file.dialect,
                source,
                schema: schema.clone(),
            });
        }
        Ok(steps)
    }
}
#[cfg(feature = "internals")]
pub use steps::{schema_steps, SchemaStep};

//! The oracle: applies a revision's SQL migrations, in the tool's apply order, to a real
//! database and compares the schema after each migration with the replayed catalog.
//!
//! Only plain SQL migrations can be applied (Python migrations would have to be run, and the
//! tool never runs repository code); the comparison stops at the first one that is not SQL.

pub mod canon;
pub mod generate;
pub mod introspect;
pub mod random;
pub mod shape;

use std::path::Path;

use balrog_schema_lint::lint::schema_diff::schema_steps;
use balrog_schema_lint::model::migration::MigrationFormat;
use balrog_schema_lint::read::sql::{up_section, Sections};
use balrog_schema_lint::CheckRequest;

use crate::databases::{self, Engine};
pub use shape::{Mismatch, Tally};

/// What comparing one revision found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The engine asked; `None` when the revision has no SQL migration for a real engine.
    pub engine: Option<Engine>,
    /// Migrations applied and compared.
    pub applied: usize,
    /// Objects compared and equal, over every step.
    pub tally: Tally,
    /// (migration path, mismatch) for every step.
    pub mismatches: Vec<(String, Mismatch)>,
    /// The migration the database rejected and its error; the comparison stops there.
    pub rejected: Option<(String, String)>,
    /// Why the comparison stopped early without a rejection (a Python migration).
    pub stopped: Option<String>,
}

/// Compares the migrations at `request.to` with a real database. `Ok(None)` when the
/// database tests are skipped (see [`databases::server`]).
pub fn check_revision(request: &CheckRequest, label: &str) -> Result<Option<Outcome>, String> {
    let steps = schema_steps(request).map_err(|e| e.to_string())?;
    let mut outcome = Outcome::default();
    let Some(engine) = steps.first().and_then(|s| Engine::for_dialect(s.dialect)) else {
        return Ok(Some(outcome));
    };
    outcome.engine = Some(engine);
    let Some(server) = databases::server(engine) else {
        return Ok(None);
    };
    // A whole database: schemas and extensions the migrations create belong to it.
    let db = server.scratch_database(label)?;
    for step in &steps {
        let Some(sql) = sql_to_apply(step.format, &step.path, &step.source) else {
            outcome.stopped = Some(format!(
                "{} is a {} migration: only SQL can be applied",
                step.path,
                step.format.name()
            ));
            break;
        };
        if let Err(error) = db.execute(&sql) {
            outcome.rejected = Some((step.path.clone(), error));
            break;
        }
        outcome.applied += 1;
        let database = introspect::schema(&db)?;
        let replay = shape::from_catalog(engine, &step.schema);
        let (tally, mismatches) = shape::compare(&database, &replay);
        outcome.tally.add(tally);
        outcome
            .mismatches
            .extend(mismatches.into_iter().map(|m| (step.path.clone(), m)));
    }
    Ok(Some(outcome))
}

/// What the format's runner sends to the database for a migration file: the whole file for
/// SQL files, the up section for the tools that keep up and down in one file, nothing for
/// Python migrations (they would have to be run).
fn sql_to_apply(format: MigrationFormat, path: &str, source: &str) -> Option<String> {
    // Synapse keeps Python deltas beside its SQL ones.
    if !path.contains(".sql") {
        return None;
    }
    match format {
        MigrationFormat::Dbmate => Some(up_section(source, Sections::Dbmate).into_owned()),
        MigrationFormat::Goose => Some(up_section(source, Sections::Goose).into_owned()),
        MigrationFormat::Sql
        | MigrationFormat::Flyway
        | MigrationFormat::GolangMigrate
        | MigrationFormat::Diesel
        | MigrationFormat::Prisma => Some(source.to_string()),
        // Synapse files come in per-engine variants and start from a full schema dump;
        // sqitch's deploy scripts are applied in its plan's order by its own tool.
        MigrationFormat::Sqitch | MigrationFormat::Synapse => None,
        MigrationFormat::Auto
        | MigrationFormat::SqlalchemyMigrate
        | MigrationFormat::Alembic
        | MigrationFormat::Django
        | MigrationFormat::Rails => None,
    }
}

/// Builds a request for `rev` of the repository at `repo`, with extra `check` options
/// applied by the caller.
pub fn request(repo: &Path, rev: &str) -> CheckRequest {
    CheckRequest {
        repo: repo.to_path_buf(),
        to: Some(rev.to_string()),
        ..CheckRequest::default()
    }
}

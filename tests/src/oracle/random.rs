//! The property test's runner: a random statement sequence is applied to a real database,
//! the statements it rejects are dropped, the accepted ones are replayed, and both schemas
//! are compared object by object.

use balrog_schema_lint::catalog::{Applied, Catalog};
use balrog_schema_lint::model::ops::Dialect;
use balrog_schema_lint::read::sql::lower_sql;

use super::shape::{self, Mismatch, Tally};
use super::{generate, introspect};
use crate::databases::{Engine, Server};

/// What one case found.
#[derive(Debug, Clone, Default)]
pub struct Case {
    /// The statements the database accepted, in order.
    pub accepted: Vec<String>,
    /// How many it rejected.
    pub rejected: usize,
    /// Objects compared and equal.
    pub tally: Tally,
    /// Disagreements: objects that differ, and accepted statements the replay could not read.
    pub mismatches: Vec<Mismatch>,
}

fn dialect(engine: Engine) -> Dialect {
    match engine {
        Engine::Postgres => Dialect::Postgres,
        Engine::Mariadb => Dialect::Mysql,
        Engine::Sqlite => Dialect::Sqlite,
    }
}

/// Generates `length` statements from `seed` and compares.
pub fn run_case(server: &Server, seed: u64, length: usize) -> Result<Case, String> {
    compare(server, &generate::statements(server.engine, seed, length))
}

/// Applies `statements` to a fresh database, replays the accepted ones, and compares.
pub fn compare(server: &Server, statements: &[String]) -> Result<Case, String> {
    let db = server.scratch("random")?;
    let errors = db.execute_each(statements)?;
    let mut case = Case::default();
    for (statement, error) in statements.iter().zip(errors) {
        match error {
            None => case.accepted.push(statement.clone()),
            Some(_) => case.rejected += 1,
        }
    }
    let (replay, unread) = replay(server.engine, &case.accepted);
    let database = introspect::schema(&db)?;
    let (tally, mismatches) =
        shape::compare(&database, &shape::from_catalog(server.engine, &replay));
    case.tally = tally;
    case.mismatches = unread;
    case.mismatches.extend(mismatches);
    Ok(case)
}

/// Replays statements one by one. A statement the database accepted and the replay does not
/// model (unsupported or unreadable) is a disagreement of its own: the generator writes only
/// forms the reader is meant to read.
pub fn replay(engine: Engine, statements: &[String]) -> (Catalog, Vec<Mismatch>) {
    let dialect = dialect(engine);
    let mut catalog = Catalog::new(dialect);
    let mut unread = Vec::new();
    for statement in statements {
        for op in lower_sql(statement, dialect) {
            if catalog.apply(&op) == Applied::Unknown {
                unread.push(Mismatch {
                    object: format!("statement `{statement}`"),
                    database: "accepted".to_string(),
                    replay: format!("not modelled: {:?}", op.kind),
                });
            }
        }
    }
    (catalog, unread)
}

/// The shortest sequence found, by dropping one statement at a time, that still shows the
/// disagreement on `object`; at most `budget` comparisons.
pub fn minimise(
    server: &Server,
    statements: &[String],
    object: &str,
    budget: usize,
) -> Result<Vec<String>, String> {
    let mut current = statements.to_vec();
    let mut tries = 0;
    let mut i = current.len();
    while i > 0 && tries < budget {
        i -= 1;
        let mut candidate = current.clone();
        candidate.remove(i);
        tries += 1;
        let case = compare(server, &candidate)?;
        if case.mismatches.iter().any(|m| m.object == object) {
            current = case.accepted;
            i = i.min(current.len());
        }
    }
    Ok(current)
}

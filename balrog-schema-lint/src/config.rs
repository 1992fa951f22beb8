//! Configuration: `balrog-schema-lint.toml`, read from the `TO` tree or a file.
//!
//! Everything has a default that fits Balrog, so a repository without a config file still
//! gets a useful check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ops::Dialect;

/// The file name looked up at the repository root.
pub const CONFIG_FILE: &str = "balrog-schema-lint.toml";

/// How a location's migration files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationFormat {
    /// Decide per location from what is there (see `discover`).
    #[default]
    Auto,
    /// Plain SQL files (Flyway, golang-migrate, diesel, numbered files).
    Sql,
    /// sqlalchemy-migrate Python scripts (`versions/NNN_name.py`).
    SqlalchemyMigrate,
    /// Alembic revisions (`versions/*.py` with `revision` / `down_revision`).
    Alembic,
}

impl MigrationFormat {
    /// The name used in configuration and reports.
    pub fn name(self) -> &'static str {
        match self {
            MigrationFormat::Auto => "auto",
            MigrationFormat::Sql => "sql",
            MigrationFormat::SqlalchemyMigrate => "sqlalchemy-migrate",
            MigrationFormat::Alembic => "alembic",
        }
    }
}

/// One place migrations live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// A folder relative to the repository root, or a glob (`db/**/*.sql`).
    pub path: String,
    /// How its files are written.
    #[serde(default)]
    pub format: MigrationFormat,
    /// Overrides the top-level dialect for this location.
    #[serde(default)]
    pub dialect: Option<Dialect>,
}

impl Location {
    /// A location with automatic format detection and the top-level dialect.
    pub fn new(path: impl Into<String>, format: MigrationFormat) -> Location {
        Location {
            path: path.into(),
            format,
            dialect: None,
        }
    }
}

/// A deployable service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The name used in the deploy pipeline, e.g. `balrog-production`.
    pub name: String,
    /// Deploys a canary first and is then promoted.
    #[serde(default)]
    pub canary: bool,
    /// A short note shown in the plan, e.g. `the public app`.
    #[serde(default)]
    pub note: Option<String>,
}

/// The services a release deploys and how they relate to the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    /// The service whose deploy runs the schema upgrade.
    pub migrator: Service,
    /// Services that use the database directly and so depend on its schema.
    #[serde(default)]
    pub dependents: Vec<Service>,
    /// Services that never touch the database and may deploy at any point.
    #[serde(default)]
    pub independent: Vec<Service>,
}

impl Services {
    /// Balrog's three services, as its deploy runbook describes them.
    pub fn balrog() -> Services {
        Services {
            migrator: Service {
                name: "balrog-admin-production".into(),
                canary: false,
                note: Some("its deploy runs the schema upgrade".into()),
            },
            dependents: vec![Service {
                name: "balrog-production".into(),
                canary: true,
                note: Some("the public app".into()),
            }],
            independent: vec![Service {
                name: "balrog-agent-production".into(),
                canary: false,
                note: Some("reaches the database only through the admin API".into()),
            }],
        }
    }
}

impl Default for Services {
    fn default() -> Services {
        Services::balrog()
    }
}

/// A rule's severity as configured; `off` disables it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Reported, never fails a check by default.
    Info,
    /// Reported, fails with `--fail-on warning`.
    Warning,
    /// Fails the check by default.
    Error,
}

/// The whole configuration, with defaults for everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The SQL dialect of the production database.
    pub dialect: Dialect,
    /// Where migrations live. Empty: detect common layouts.
    pub migrations: Vec<Location>,
    /// The services of a release.
    pub services: Services,
    /// Globs of the source files searched for references to dropped objects.
    /// Empty: everything outside migration folders, tests and docs.
    pub code_paths: Vec<String>,
    /// The lowest severity that fails the check (`info`, `warning`, `error`).
    pub fail_on: Option<RuleLevel>,
    /// Per-rule severity overrides, by rule name.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Text substitutions applied to SQL before parsing (`${schema}` placeholders).
    pub placeholders: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            dialect: Dialect::Mysql,
            migrations: Vec::new(),
            services: Services::balrog(),
            code_paths: Vec::new(),
            fail_on: None,
            rules: BTreeMap::new(),
            placeholders: BTreeMap::new(),
        }
    }
}

impl Config {
    /// Parses configuration text; `origin` names where it came from in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Config> {
        toml::from_str(text).map_err(|err| Error::Config {
            path: origin.to_string(),
            message: err.to_string().trim_end().to_string(),
        })
    }
}

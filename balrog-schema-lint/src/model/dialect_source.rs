//! Where the dialect of a check came from, and the evidence a repository gives for one.

use serde::{Deserialize, Serialize};

use crate::model::ops::Dialect;
use crate::model::profile::Profile;

/// Where the dialect a check reads migrations in came from, most decisive first.
///
/// ```
/// use balrog_schema_lint::{Dialect, DialectSource, Evidence, EvidenceKind};
///
/// let source = DialectSource::Detected {
///     evidence: Evidence {
///         kind: EvidenceKind::AlembicUrl,
///         dialects: vec![Dialect::Postgres],
///         path: "alembic.ini".into(),
///         line: Some(3),
///         text: "sqlalchemy.url = postgresql://localhost/app".into(),
///     },
///     conflict: None,
/// };
/// assert_eq!(
///     source.describe(),
///     "detected from Alembic's database URL: alembic.ini:3 (sqlalchemy.url = postgresql://localhost/app)"
/// );
/// assert_eq!(serde_json::to_value(&source).unwrap()["from"], "detected");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum DialectSource {
    /// `--dialect` on the command line.
    CommandLine,
    /// `dialect` in the configuration.
    Configuration {
        /// The configuration file.
        path: String,
    },
    /// The profile's database (Balrog runs MySQL).
    Profile {
        /// The profile.
        profile: Profile,
    },
    /// Detected from the repository.
    Detected {
        /// The evidence that decided it.
        evidence: Evidence,
        /// Evidence that names another dialect, when some does.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conflict: Option<Evidence>,
    },
    /// Nothing names a dialect: MySQL, the tool's default.
    #[default]
    Default,
}

impl DialectSource {
    /// Where the dialect came from, in words, for the text report.
    pub fn describe(&self) -> String {
        match self {
            DialectSource::CommandLine => "given with --dialect".into(),
            DialectSource::Configuration { path } => format!("set in {path}"),
            DialectSource::Profile { profile } => match profile {
                Profile::Balrog => "Balrog's production database (balrog profile)".into(),
                Profile::Generic => "the generic profile's default".into(),
            },
            DialectSource::Detected { evidence, .. } => format!(
                "detected from {}: {}",
                evidence.kind.describe(),
                evidence.locate()
            ),
            DialectSource::Default => "the default: nothing in the repository names a dialect; set `dialect` in balrog-schema-lint.toml".into(),
        }
    }
}

/// Where a piece of evidence was found, in the order sources are trusted.
///
/// ```
/// use balrog_schema_lint::EvidenceKind;
///
/// assert!(EvidenceKind::CargoFeatures < EvidenceKind::SqlContent);
/// assert_eq!(EvidenceKind::FlywayUrl.describe(), "Flyway's database URL");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// Features of the `diesel` / `sqlx` dependency in a `Cargo.toml`.
    CargoFeatures,
    /// Prisma's `provider`.
    PrismaProvider,
    /// A database URL in `alembic.ini` or Alembic's `env.py`.
    AlembicUrl,
    /// Django's `ENGINE` setting or a database URL in Django settings.
    DjangoSettings,
    /// Flyway's `url` (JDBC).
    FlywayUrl,
    /// Migration files with per-dialect suffixes (`.sql.postgres`, `.sql.sqlite`).
    DialectSuffix,
    /// Dialect-specific syntax in the migrations themselves.
    SqlContent,
}

impl EvidenceKind {
    /// What the source is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            EvidenceKind::CargoFeatures => "the Cargo features of the database crate",
            EvidenceKind::PrismaProvider => "Prisma's provider",
            EvidenceKind::AlembicUrl => "Alembic's database URL",
            EvidenceKind::DjangoSettings => "Django's database settings",
            EvidenceKind::FlywayUrl => "Flyway's database URL",
            EvidenceKind::DialectSuffix => "per-dialect migration files",
            EvidenceKind::SqlContent => "dialect-specific syntax in the migrations",
        }
    }
}

/// One thing the repository says about its database.
///
/// ```
/// use balrog_schema_lint::{Dialect, Evidence, EvidenceKind};
///
/// let evidence = Evidence {
///     kind: EvidenceKind::PrismaProvider,
///     dialects: vec![Dialect::Postgres],
///     path: "prisma/schema.prisma".into(),
///     line: Some(2),
///     text: "provider = \"postgresql\"".into(),
/// };
/// assert!(evidence.names(Dialect::Postgres));
/// assert_eq!(evidence.locate(), "prisma/schema.prisma:2 (provider = \"postgresql\")");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What kind of source it is.
    pub kind: EvidenceKind,
    /// The dialects it names (a multi-database project names several).
    pub dialects: Vec<Dialect>,
    /// The file it is in.
    pub path: String,
    /// The 1-based line, when one line says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The text that says it, trimmed (`provider = "postgresql"`).
    pub text: String,
}

impl Evidence {
    /// `path:line (text)`, for messages.
    pub fn locate(&self) -> String {
        let at = match self.line {
            Some(line) => format!("{}:{line}", self.path),
            None => self.path.clone(),
        };
        format!("{at} ({})", self.text)
    }

    /// Whether it names `dialect`.
    pub fn names(&self, dialect: Dialect) -> bool {
        self.dialects.contains(&dialect)
    }
}


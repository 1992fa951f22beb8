//! The lock an operation takes and what it does to the table's rows, and the database
//! release ([`Target`]) those answers are given for.
//!
//! The answers themselves (which operation takes which lock on which release) are in
//! `classify::locks`; this module is only the vocabulary the report and the rules share.

use serde::{Deserialize, Serialize};

/// The lock a statement holds on its table while it runs.
///
/// PostgreSQL's table lock modes by their manual names; MySQL's and MariaDB's `LOCK=`
/// values of online DDL; SQLite's lock on the whole database file.
///
/// ```
/// use balrog_schema_lint::LockMode;
///
/// assert_eq!(LockMode::AccessExclusive.name(), "ACCESS EXCLUSIVE");
/// assert!(LockMode::AccessExclusive.blocks_reads());
/// assert!(!LockMode::Share.blocks_reads() && LockMode::Share.blocks_writes());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LockMode {
    /// PostgreSQL `ROW EXCLUSIVE` (`INSERT`, `UPDATE`, `DELETE`): conflicts only with
    /// schema changes.
    #[serde(rename = "ROW EXCLUSIVE")]
    RowExclusive,
    /// PostgreSQL `SHARE UPDATE EXCLUSIVE`: reads and writes go on; other schema changes wait.
    #[serde(rename = "SHARE UPDATE EXCLUSIVE")]
    ShareUpdateExclusive,
    /// PostgreSQL `SHARE`: reads go on, writes wait.
    #[serde(rename = "SHARE")]
    Share,
    /// PostgreSQL `SHARE ROW EXCLUSIVE`: reads go on, writes wait.
    #[serde(rename = "SHARE ROW EXCLUSIVE")]
    ShareRowExclusive,
    /// PostgreSQL `ACCESS EXCLUSIVE`: every read and write waits, and so does every
    /// statement queued behind it.
    #[serde(rename = "ACCESS EXCLUSIVE")]
    AccessExclusive,
    /// MySQL / MariaDB `LOCK=NONE`: reads and writes go on.
    #[serde(rename = "NONE")]
    NoLock,
    /// MySQL / MariaDB `LOCK=SHARED`: reads go on, writes wait.
    #[serde(rename = "SHARED")]
    Shared,
    /// MySQL / MariaDB `LOCK=EXCLUSIVE` (or the exclusive metadata lock of `DROP TABLE`):
    /// reads and writes wait.
    #[serde(rename = "EXCLUSIVE")]
    Exclusive,
    /// MySQL / MariaDB row locks of a data change.
    #[serde(rename = "ROWS")]
    Rows,
    /// SQLite: one writer at a time for the whole database file; readers go on until the
    /// commit (in WAL mode, throughout).
    #[serde(rename = "DATABASE WRITE")]
    DatabaseWrite,
    /// The tool does not know what the statement locks (not modelled, unreadable).
    #[serde(rename = "UNKNOWN")]
    Unknown,
}

impl LockMode {
    /// The name shown in reports: PostgreSQL's mode name, MySQL's `LOCK=` value.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::RowExclusive => "ROW EXCLUSIVE",
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
            LockMode::NoLock => "NONE",
            LockMode::Shared => "SHARED",
            LockMode::Exclusive => "EXCLUSIVE",
            LockMode::Rows => "ROWS",
            LockMode::DatabaseWrite => "DATABASE WRITE",
            LockMode::Unknown => "UNKNOWN",
        }
    }

    /// Whether reads of the table wait while it is held.
    pub fn blocks_reads(self) -> bool {
        match self {
            LockMode::AccessExclusive | LockMode::Exclusive | LockMode::Unknown => true,
            LockMode::RowExclusive
            | LockMode::ShareUpdateExclusive
            | LockMode::Share
            | LockMode::ShareRowExclusive
            | LockMode::NoLock
            | LockMode::Shared
            | LockMode::Rows
            | LockMode::DatabaseWrite => false,
        }
    }

    /// Whether writes to the table (or, for SQLite, the database) wait while it is held.
    pub fn blocks_writes(self) -> bool {
        match self {
            LockMode::Share
            | LockMode::ShareRowExclusive
            | LockMode::AccessExclusive
            | LockMode::Shared
            | LockMode::Exclusive
            | LockMode::DatabaseWrite
            | LockMode::Unknown => true,
            LockMode::RowExclusive
            | LockMode::ShareUpdateExclusive
            | LockMode::NoLock
            | LockMode::Rows => false,
        }
    }
}

/// MySQL / MariaDB online DDL: how the server makes the change.
///
/// ```
/// use balrog_schema_lint::Algorithm;
///
/// assert_eq!(Algorithm::Copy.name(), "COPY");
/// assert_eq!(serde_json::to_value(Algorithm::Instant).unwrap(), "INSTANT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Algorithm {
    /// Only the data dictionary changes.
    #[serde(rename = "INSTANT")]
    Instant,
    /// MariaDB: in place, without rebuilding the clustered index (a secondary index may be
    /// built).
    #[serde(rename = "NOCOPY")]
    Nocopy,
    /// In place: the table may be rebuilt, but concurrent writes are allowed as `LOCK=`
    /// says.
    #[serde(rename = "INPLACE")]
    Inplace,
    /// The table is copied row by row into a new one; writes wait until it is done.
    #[serde(rename = "COPY")]
    Copy,
}

impl Algorithm {
    /// The `ALGORITHM=` value.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Instant => "INSTANT",
            Algorithm::Nocopy => "NOCOPY",
            Algorithm::Inplace => "INPLACE",
            Algorithm::Copy => "COPY",
        }
    }
}

/// What a statement does to the rows of its table.
///
/// ```
/// use balrog_schema_lint::TableWork;
///
/// assert_eq!(TableWork::Rewrite.name(), "rewrite");
/// assert!(TableWork::None < TableWork::Scan && TableWork::Scan < TableWork::Rewrite);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableWork {
    /// Only the catalog changes: as quick on a large table as on an empty one.
    None,
    /// Every row is read (to check a constraint, build an index), none rewritten.
    Scan,
    /// Every row is written anew (a new copy of the table, or a rebuild in place), with
    /// every index.
    Rewrite,
    /// Not known.
    Unknown,
}

impl TableWork {
    /// The lower-case name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            TableWork::None => "none",
            TableWork::Scan => "scan",
            TableWork::Rewrite => "rewrite",
            TableWork::Unknown => "unknown",
        }
    }
}

/// The lock one operation takes and what it does to the table, for one database release.
///
/// ```
/// use balrog_schema_lint::{Lock, LockMode, TableWork};
///
/// let lock = Lock::postgres(LockMode::AccessExclusive, TableWork::Rewrite);
/// assert_eq!(lock.label(), "ACCESS EXCLUSIVE, rewrite");
///
/// use balrog_schema_lint::Algorithm;
/// let copy = Lock::mysql(Algorithm::Copy, LockMode::Shared, TableWork::Rewrite)
///     .because("the type changes from INT to BIGINT");
/// assert!(copy.copies());
/// assert_eq!(copy.label(), "COPY, LOCK=SHARED, rewrite");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Lock {
    /// The lock held on the table.
    pub mode: LockMode,
    /// MySQL / MariaDB: the algorithm the server picks when the statement names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<Algorithm>,
    /// What happens to the rows.
    pub table: TableWork,
    /// Why, when it depends on the statement or the release (`gen_random_uuid() is
    /// volatile`, `instant from MySQL 8.0.29`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Lock {
    /// A PostgreSQL or SQLite lock (no algorithm).
    pub fn postgres(mode: LockMode, table: TableWork) -> Lock {
        Lock {
            mode,
            algorithm: None,
            table,
            note: None,
        }
    }

    /// A MySQL / MariaDB online DDL answer.
    pub fn mysql(algorithm: Algorithm, mode: LockMode, table: TableWork) -> Lock {
        Lock {
            mode,
            algorithm: Some(algorithm),
            table,
            note: None,
        }
    }

    /// The same lock, with why.
    pub fn because(mut self, note: impl Into<String>) -> Lock {
        self.note = Some(note.into());
        self
    }

    /// What the text report shows: `ACCESS EXCLUSIVE, rewrite`, `INPLACE, LOCK=NONE, rewrite`.
    pub fn label(&self) -> String {
        let mut label = match self.algorithm {
            Some(algorithm) => format!("{}, LOCK={}", algorithm.name(), self.mode.name()),
            None => self.mode.name().to_string(),
        };
        if self.table != TableWork::None {
            label.push_str(", ");
            label.push_str(self.table.name());
        }
        label
    }

    /// Whether MySQL / MariaDB copies the table (`ALGORITHM=COPY`): writes wait for the
    /// whole copy.
    pub fn copies(&self) -> bool {
        self.algorithm == Some(Algorithm::Copy)
    }
}

/// A database release, `major.minor.patch`; missing parts are zero (`8.0` is `8.0.0`, the
/// first 8.0 release, so nothing that arrived within 8.0 is assumed).
///
/// ```
/// use balrog_schema_lint::Version;
///
/// let v: Version = "8.0.29".parse().unwrap();
/// assert!(v.at_least(8, 0, 12) && !v.at_least(8, 1, 0));
/// assert_eq!("8.0".parse::<Version>().unwrap(), "8.0.0".parse::<Version>().unwrap());
/// assert_eq!("16".parse::<Version>().unwrap().to_string(), "16");
/// assert!("eight".parse::<Version>().is_err());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Version {
    /// Major release.
    pub major: u32,
    /// Minor release.
    pub minor: u32,
    /// Patch release.
    pub patch: u32,
    /// How many parts were written (1 to 3), so it prints as written.
    parts: u8,
}

impl Version {
    /// A major release (PostgreSQL's numbering since 10).
    pub(crate) const fn major(major: u32) -> Version {
        Version {
            major,
            minor: 0,
            patch: 0,
            parts: 1,
        }
    }

    /// `major.minor`.
    pub(crate) const fn minor(major: u32, minor: u32) -> Version {
        Version {
            major,
            minor,
            patch: 0,
            parts: 2,
        }
    }

    /// Whether this release is `major.minor.patch` or later.
    pub fn at_least(self, major: u32, minor: u32, patch: u32) -> bool {
        (self.major, self.minor, self.patch) >= (major, minor, patch)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.major, self.minor, self.patch).hash(state);
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    /// By number only: `8.0` and `8.0.0` are the same release.
    fn cmp(&self, other: &Version) -> std::cmp::Ordering {
        (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch))
    }
}

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Version, String> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(format!("\"{text}\" is not a release number such as \"16\" or \"8.0.36\""));
        }
        let mut numbers = [0u32; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            *slot = part
                .parse()
                .map_err(|_| format!("\"{text}\" is not a release number such as \"16\" or \"8.0.36\""))?;
        }
        Ok(Version {
            major: numbers[0],
            minor: numbers[1],
            patch: numbers[2],
            parts: parts.len() as u8,
        })
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.parts {
            1 => write!(f, "{}", self.major),
            2 => write!(f, "{}.{}", self.major, self.minor),
            _ => write!(f, "{}.{}.{}", self.major, self.minor, self.patch),
        }
    }
}

/// Which server the `mysql` dialect runs on: their online DDL differs.
///
/// ```
/// use balrog_schema_lint::{Config, MysqlServer};
///
/// let config = Config::from_toml("[target]\nmariadb = \"10.11\"\n", "c.toml")?;
/// assert_eq!(config.target().mysql_server, MysqlServer::Mariadb);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MysqlServer {
    /// Oracle's MySQL.
    Mysql,
    /// MariaDB.
    Mariadb,
}

/// The production database releases that locks are judged for (`[target]` in the
/// configuration).
///
/// ```
/// use balrog_schema_lint::{Dialect, Target};
///
/// let target = Target::default();
/// assert_eq!(target.describe(Dialect::Postgres), "PostgreSQL 14");
/// assert_eq!(target.describe(Dialect::Mysql), "MySQL 8.0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    /// The PostgreSQL major release.
    pub postgres: Version,
    /// MySQL or MariaDB, for the `mysql` dialect.
    pub mysql_server: MysqlServer,
    /// Its release.
    pub mysql: Version,
    /// The SQLite library's release.
    pub sqlite: Version,
}

impl Target {
    /// The oldest PostgreSQL release the table knows (older ones are refused).
    pub(crate) const OLDEST_POSTGRES: Version = Version::major(10);
    /// The oldest MySQL release the table knows.
    pub(crate) const OLDEST_MYSQL: Version = Version::minor(5, 7);
    /// The oldest MariaDB release the table knows.
    pub(crate) const OLDEST_MARIADB: Version = Version::minor(10, 2);
    /// The oldest SQLite release the table knows.
    pub(crate) const OLDEST_SQLITE: Version = Version::minor(3, 20);

    /// The release named for `dialect`, e.g. `PostgreSQL 16`, `MariaDB 10.11`.
    pub fn describe(&self, dialect: crate::model::ops::Dialect) -> String {
        use crate::model::ops::Dialect;
        match dialect {
            Dialect::Postgres => format!("PostgreSQL {}", self.postgres),
            Dialect::Mysql => match self.mysql_server {
                MysqlServer::Mysql => format!("MySQL {}", self.mysql),
                MysqlServer::Mariadb => format!("MariaDB {}", self.mysql),
            },
            Dialect::Sqlite => format!("SQLite {}", self.sqlite),
            Dialect::Generic => "no particular database".to_string(),
        }
    }
}

impl Default for Target {
    /// The oldest releases still in wide production use when the table was written:
    /// PostgreSQL 14, MySQL 8.0 (its first release: instant `ADD COLUMN` arrived in
    /// 8.0.12), SQLite 3.37 (Ubuntu 22.04). Answers only improve with newer releases, so an
    /// unset target can make a lock look worse than it is, never better.
    fn default() -> Target {
        Target {
            postgres: Version::major(14),
            mysql_server: MysqlServer::Mysql,
            mysql: Version::minor(8, 0),
            sqlite: Version::minor(3, 37),
        }
    }
}

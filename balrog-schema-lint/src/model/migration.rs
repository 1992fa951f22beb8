//! Migration files and versions: formats, how a file changed in a range, release tags
//! (`v3.40`) and migration versions in file names.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// How a location's migration files are written.
///
/// ```
/// use balrog_schema_lint::MigrationFormat;
///
/// assert_eq!(MigrationFormat::SqlalchemyMigrate.name(), "sqlalchemy-migrate");
/// assert_eq!(MigrationFormat::default(), MigrationFormat::Auto);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationFormat {
    /// Decide per location from what is there (see `repo::layout`).
    #[default]
    Auto,
    /// Numbered SQL files (`0012_name.sql`, `12-name.SQL`, `0012 name.sql`); dbmate and goose
    /// sections are honoured when a file has them.
    Sql,
    /// Flyway: `V<version>__<desc>.sql`, `U` undo scripts, `R__<desc>.sql` repeatables.
    Flyway,
    /// golang-migrate: `<N>_<name>.up.sql` / `.down.sql`.
    GolangMigrate,
    /// diesel: `<version>_<name>/up.sql`, versions compared as strings.
    Diesel,
    /// Prisma: `<timestamp>_<name>/migration.sql` beside `migration_lock.toml`.
    Prisma,
    /// dbmate: one file per migration with `-- migrate:up` and `-- migrate:down` sections.
    Dbmate,
    /// goose SQL: one file per migration with `-- +goose Up` and `-- +goose Down` sections.
    Goose,
    /// sqitch: `sqitch.plan` orders the changes, `deploy/<change>.sql` are the upgrades.
    Sqitch,
    /// Synapse: `delta/<N>/<file>` (`.sql`, `.sql.postgres`, `.sql.sqlite`, `.py`).
    Synapse,
    /// sqlalchemy-migrate Python scripts (`versions/NNN_name.py`).
    SqlalchemyMigrate,
    /// Alembic revisions (`versions/*.py` with `revision` / `down_revision`).
    Alembic,
    /// Django migrations (`<app>/migrations/NNNN_name.py`, ordered by `dependencies`).
    Django,
    /// Rails migrations (`db/migrate/*.rb`): recognised, not read, so every changed file needs
    /// review.
    Rails,
}

impl MigrationFormat {
    /// Every format, in the order documentation lists them.
    ///
    /// ```
    /// use balrog_schema_lint::MigrationFormat;
    ///
    /// assert!(MigrationFormat::ALL.contains(&MigrationFormat::Flyway));
    /// ```
    pub const ALL: [MigrationFormat; 14] = [
        MigrationFormat::Auto,
        MigrationFormat::Sql,
        MigrationFormat::Flyway,
        MigrationFormat::GolangMigrate,
        MigrationFormat::Diesel,
        MigrationFormat::Prisma,
        MigrationFormat::Dbmate,
        MigrationFormat::Goose,
        MigrationFormat::Sqitch,
        MigrationFormat::Synapse,
        MigrationFormat::SqlalchemyMigrate,
        MigrationFormat::Alembic,
        MigrationFormat::Django,
        MigrationFormat::Rails,
    ];

    /// The name used in configuration and reports.
    pub fn name(self) -> &'static str {
        match self {
            MigrationFormat::Auto => "auto",
            MigrationFormat::Sql => "sql",
            MigrationFormat::Flyway => "flyway",
            MigrationFormat::GolangMigrate => "golang-migrate",
            MigrationFormat::Diesel => "diesel",
            MigrationFormat::Prisma => "prisma",
            MigrationFormat::Dbmate => "dbmate",
            MigrationFormat::Goose => "goose",
            MigrationFormat::Sqitch => "sqitch",
            MigrationFormat::Synapse => "synapse",
            MigrationFormat::SqlalchemyMigrate => "sqlalchemy-migrate",
            MigrationFormat::Alembic => "alembic",
            MigrationFormat::Django => "django",
            MigrationFormat::Rails => "rails",
        }
    }

    /// Whether its upgrades are SQL files (read by the SQL reader).
    ///
    /// ```
    /// use balrog_schema_lint::MigrationFormat;
    ///
    /// assert!(MigrationFormat::Synapse.is_sql());
    /// assert!(!MigrationFormat::Alembic.is_sql());
    /// ```
    pub fn is_sql(self) -> bool {
        match self {
            MigrationFormat::Sql
            | MigrationFormat::Flyway
            | MigrationFormat::GolangMigrate
            | MigrationFormat::Diesel
            | MigrationFormat::Prisma
            | MigrationFormat::Dbmate
            | MigrationFormat::Goose
            | MigrationFormat::Sqitch
            | MigrationFormat::Synapse => true,
            MigrationFormat::Auto
            | MigrationFormat::SqlalchemyMigrate
            | MigrationFormat::Alembic
            | MigrationFormat::Django
            | MigrationFormat::Rails => false,
        }
    }
}

/// How a migration file changed in the range.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest, FileStatus};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let report = check(&request)?;
/// assert_eq!(report.migrations[0].status, FileStatus::A);
/// assert_eq!(serde_json::to_value(FileStatus::R).unwrap(), "R");
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileStatus {
    /// Added in the range.
    A,
    /// Modified in the range.
    M,
    /// Deleted in the range.
    D,
    /// Renamed (or moved) in the range.
    R,
}

/// A changed file under a migration location that is not a migration the tool reads: an
/// ignored file (the reason says why it is not an upgrade) or an unrecognised one (the
/// reason says what the tool expected there).
///
/// ```
/// use balrog_schema_lint::{FileStatus, LedgerFile};
///
/// let json = r#"{"path": "migrations/README.md", "status": "A", "reason": "documentation"}"#;
/// let ignored: LedgerFile = serde_json::from_str(json).unwrap();
/// assert_eq!((ignored.status, ignored.old_path), (FileStatus::A, None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFile {
    /// Path relative to the repository root (at `TO`; at `FROM` for deleted files).
    pub path: String,
    /// The previous path, for renamed files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Added, modified, deleted or renamed.
    pub status: FileStatus,
    /// Why it is ignored, or what the tool expected there.
    pub reason: String,
}

/// A release tag's version, compared numerically (v3.9 < v3.10 < v3.10.1; 0.19.3 <
/// 0.19.15). A tag with text after its numbers (`1.0.0-rc1`) sorts before the release
/// it precedes, by the numbers in that text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleaseVersion {
    parts: Vec<u64>,
    /// Numbers of the text after the version (`-rc1` gives `[1]`); `None` for a release.
    suffix: Option<Vec<u64>>,
}

impl ReleaseVersion {
    /// Parses `vX.Y`, `vX.Y.Z` or `X.Y.Z` (many Python projects tag `3.8.7`); anything else
    /// (`v2.41-real`, `3.1`, `6.0.0b1`, `test`) is not a release.
    pub fn parse(tag: &str) -> Option<ReleaseVersion> {
        let (rest, min_parts) = match tag.strip_prefix('v') {
            Some(rest) => (rest, 2),
            None => (tag, 3),
        };
        let parts: Vec<u64> = rest
            .split('.')
            .map(parse_digits)
            .collect::<Option<Vec<u64>>>()?;
        if !(min_parts..=3).contains(&parts.len()) {
            return None;
        }
        Some(ReleaseVersion {
            parts,
            suffix: None,
        })
    }

    /// The version in any tag name: its first run of dot-separated numbers (`0.19.3` in
    /// `release-0.19.3`), and the numbers of whatever follows as a pre-release suffix.
    /// `None` when the name holds no number (or one beyond `u64`).
    pub fn from_tag(tag: &str) -> Option<ReleaseVersion> {
        let start = tag.find(|c: char| c.is_ascii_digit())?;
        let rest = tag.get(start..)?;
        let mut end = 0;
        let bytes = rest.as_bytes();
        // The core: digits, and dots only between digits.
        while end < bytes.len() {
            let b = bytes[end];
            let dot_between = b == b'.' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            if !(b.is_ascii_digit() || dot_between) {
                break;
            }
            end += 1;
        }
        let core = rest.get(..end)?;
        let parts = core
            .split('.')
            .map(parse_digits)
            .collect::<Option<Vec<u64>>>()?;
        let tail = rest.get(end..).unwrap_or("");
        let suffix = if tail.is_empty() {
            None
        } else {
            Some(
                tail.split(|c: char| !c.is_ascii_digit())
                    .filter(|run| !run.is_empty())
                    .map(|run| parse_digits(run).unwrap_or(u64::MAX))
                    .collect(),
            )
        };
        Some(ReleaseVersion { parts, suffix })
    }

    /// Whether this is the two-part `vX.Y` form the deploy pipeline requires.
    pub fn is_two_part(&self) -> bool {
        self.parts.len() == 2
    }

    /// The numeric parts.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn parts(&self) -> &[u64] {
        &self.parts
    }
}

impl Ord for ReleaseVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        // A missing third part counts as zero so that v3.10 < v3.10.1.
        let len = self.parts.len().max(other.parts.len());
        for i in 0..len {
            let a = self.parts.get(i).copied().unwrap_or(0);
            let b = other.parts.get(i).copied().unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Equal => continue,
                unequal => return unequal,
            }
        }
        self.parts
            .len()
            .cmp(&other.parts.len())
            .then_with(|| match (&self.suffix, &other.suffix) {
                (None, None) => Ordering::Equal,
                // A pre-release comes before its release.
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(a), Some(b)) => a.cmp(b),
            })
    }
}

impl PartialOrd for ReleaseVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Digits only, no sign, no empty string, and no overflow.
fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Digits as a number, saturating: a migration numbered beyond `u64` is still a migration
/// (ordered last), never a file silently left out of the range.
fn parse_version_digits(text: &str) -> Option<u64> {
    parse_digits(text).or_else(|| {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(u64::MAX)
    })
}

/// The version of a migration as its runner orders it: numeric parts compared as numbers,
/// then the written form as a string (diesel and Prisma compare strings only: their parts are
/// empty). Flyway's repeatable migrations come after every versioned one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MigrationVersion {
    repeatable: bool,
    parts: Vec<u64>,
    text: String,
}

impl MigrationVersion {
    /// The version as written in the file name (`0012`, `1.2`, `2024-01-01-000000`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A version from its numeric parts and written form.
    pub fn new(parts: Vec<u64>, text: impl Into<String>) -> MigrationVersion {
        MigrationVersion {
            repeatable: false,
            parts,
            text: text.into(),
        }
    }

    /// A Flyway repeatable migration (`R__<description>.sql`): applied after every versioned
    /// migration, in description order, each time its content changes.
    pub fn repeatable(description: impl Into<String>) -> MigrationVersion {
        MigrationVersion {
            repeatable: true,
            parts: Vec::new(),
            text: description.into(),
        }
    }

    /// Whether this is a repeatable migration (it has no place in the version sequence).
    pub fn is_repeatable(&self) -> bool {
        self.repeatable
    }

    /// The numeric parts (empty for string-ordered versions).
    pub fn parts(&self) -> &[u64] {
        &self.parts
    }
}

/// Whether a SQL file is applied going up, going down, or is an unversioned repeatable script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Applied by an upgrade.
    Up,
    /// A down (revert) script: never applied by an upgrade.
    Down,
}

/// Reads the version from a migration file or folder name.
///
/// Understands Flyway `V12__name.sql` / `V1.2__name.sql`, numbered `0012_name.sql`,
/// golang-migrate `12_name.up.sql` / `12_name.down.sql`, diesel folders
/// `2024-01-01-000000_name` and sqlalchemy-migrate `012_name.py`.
pub fn migration_version(name: &str) -> Option<MigrationVersion> {
    if let Some(rest) = name.strip_prefix('V') {
        let (version, _) = rest.split_once("__")?;
        let parts = version
            .split(['.', '_'])
            .map(parse_version_digits)
            .collect::<Option<Vec<u64>>>()?;
        return Some(MigrationVersion::new(parts, version));
    }
    let digits_end = name
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '-'))
        .map(|(i, _)| i)
        .unwrap_or(name.len());
    let version = name.get(..digits_end)?.trim_end_matches('-');
    if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // After the version comes `_name`, `-name`, ` name`, `.sql` or nothing (a diesel folder).
    let after = name.get(version.len()..).unwrap_or("");
    if !(after.is_empty() || after.starts_with(['_', '-', ' ', '.'])) {
        return None;
    }
    if version.contains('-') {
        // diesel: 2024-01-01-000000 is one timestamp.
        let joined: String = version.chars().filter(char::is_ascii_digit).collect();
        let number = parse_version_digits(&joined)?;
        return Some(MigrationVersion::new(vec![number], version));
    }
    let number = parse_version_digits(version)?;
    Some(MigrationVersion::new(vec![number], version))
}

/// Whether a SQL file name is an up or a down migration.
pub fn sql_direction(name: &str) -> Direction {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".down.sql")
        || lower == "down.sql"
        || (name.starts_with('U') && lower.contains("__"))
    {
        Direction::Down
    } else {
        Direction::Up
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_numbers_beyond_u64_are_still_migrations() {
        let huge = migration_version("99999999999999999999999999_x.sql").unwrap();
        assert!(huge > migration_version("0012_x.sql").unwrap());
        assert!(migration_version("V1.99999999999999999999999__x.sql").is_some());
        assert!(migration_version("2024-01-01-99999999999999999999_x").is_some());
        // Release tags that overflow are not releases.
        assert_eq!(ReleaseVersion::parse("v99999999999999999999999.1"), None);
    }

    fn v(tag: &str) -> ReleaseVersion {
        ReleaseVersion::parse(tag).unwrap()
    }

    #[test]
    fn release_tags_compare_numerically() {
        assert!(v("v3.9") < v("v3.10"));
        assert!(v("v3.10") < v("v3.10.1"));
        assert!(v("v3.10.1") < v("v3.11"));
        assert!(v("v2.99") < v("v3.0"));
        assert!(v("v3.09") < v("v3.10"));
    }

    #[test]
    fn versions_of_any_tag_name() {
        let t = |tag: &str| ReleaseVersion::from_tag(tag).unwrap();
        assert!(t("0.19.3") < t("0.19.15"));
        assert!(t("3.8.0") < t("3.10.0"));
        assert!(t("v1.0.0-rc1") < t("v1.0.0-rc2"));
        assert!(t("v1.0.0-rc2") < t("v1.0.0"));
        assert!(t("v1.0.0") < t("v1.0.1-beta"));
        assert!(t("release-2.1") < t("release-2.10"));
        assert_eq!(t("1.2.").parts(), [1, 2]);
        // Text after the numbers is a pre-release suffix, so `1.2.` sorts before `1.2`.
        assert!(t("1.2.").suffix.is_some() && t("1.2.") < t("1.2"));
        assert_eq!(t("v3.40").suffix, None);
        assert_eq!(ReleaseVersion::from_tag("latest"), None);
        assert_eq!(ReleaseVersion::from_tag("v99999999999999999999999.1"), None);
    }

    #[test]
    fn non_release_tags_are_rejected() {
        for tag in [
            "test",
            "new-ui",
            "v2.41-real",
            "v2",
            "v1.2.3.4",
            "3.1",
            "v.1",
            "v1..2",
            "v1.x",
            "v1.2-stage",
            "v99999999999999999999999.1",
        ] {
            assert_eq!(ReleaseVersion::parse(tag), None, "{tag}");
        }
        assert_eq!(v("3.8.7").parts(), [3, 8, 7]);
        assert!(v("v3.40").is_two_part());
        assert!(!v("v3.40.1").is_two_part());
    }

    #[test]
    fn migration_versions_from_names() {
        let num = |n: &str| migration_version(n).map(|v| v.parts);
        assert_eq!(num("0012_add.sql"), Some(vec![12]));
        assert_eq!(num("9_x.sql"), Some(vec![9]));
        assert_eq!(num("12_x.up.sql"), Some(vec![12]));
        assert_eq!(num("V12__x.sql"), Some(vec![12]));
        assert_eq!(num("V1.2__x.sql"), Some(vec![1, 2]));
        assert_eq!(num("2024-01-01-000000_x"), Some(vec![20240101000000]));
        assert_eq!(num("037_conditions.py"), Some(vec![37]));
        assert_eq!(num("README.md"), None);
        assert_eq!(num("schema.sql"), None);
        assert_eq!(num("12abc.sql"), None);
        assert_eq!(num("0006 drop name.sql"), Some(vec![6]));
        assert_eq!(num("0007-drop-name.SQL"), Some(vec![7]));
        assert!(migration_version("9_x.sql") < migration_version("10_x.sql"));
    }

    #[test]
    fn down_files_are_recognised() {
        assert_eq!(sql_direction("12_x.down.sql"), Direction::Down);
        assert_eq!(sql_direction("down.sql"), Direction::Down);
        assert_eq!(sql_direction("U12__x.sql"), Direction::Down);
        assert_eq!(sql_direction("12_x.up.sql"), Direction::Up);
        assert_eq!(sql_direction("0001_init.sql"), Direction::Up);
    }
}

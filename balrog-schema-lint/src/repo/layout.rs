//! Migration layouts: what each file under a migration location is (an upgrade with its
//! version, a file the layout defines as not an upgrade, or something the tool does not
//! recognise), and how each runner orders its upgrades.
//!
//! Every path is given exactly one [`Role`]: nothing under a location can fall through.

use crate::model::migration::{
    migration_version, sql_direction, Direction, MigrationFormat, MigrationVersion,
};
use crate::model::ops::Dialect;

/// What the content of a file says it is, where its name does not tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// Assigns `revision` and `down_revision` at module level.
    Alembic,
    /// Defines `upgrade(migrate_engine)`.
    SqlalchemyMigrate,
    /// Defines `class Migration(migrations.Migration)`.
    Django,
    /// Has a `-- migrate:up` line.
    Dbmate,
    /// Has a `-- +goose Up` line.
    Goose,
    /// None of the above.
    Plain,
}

/// Reads what a file's content says it is. Python markers are looked for at the start of a
/// line, so a comment or a string mentioning them elsewhere does not count.
pub fn content_kind(text: &str) -> ContentKind {
    let mut revision = false;
    let mut down_revision = false;
    for line in text.lines() {
        let line = line.trim_end();
        let assigns = |name: &str| {
            line.strip_prefix(name).is_some_and(|rest| {
                let rest = rest.trim_start();
                // `revision = "x"` or `revision: str = "x"`
                rest.starts_with('=') && !rest.starts_with("==") || rest.starts_with(':')
            })
        };
        revision |= assigns("revision");
        down_revision |= assigns("down_revision");
        if line.starts_with("class ") && line.contains("migrations.Migration") {
            return ContentKind::Django;
        }
        if line.starts_with("def upgrade(migrate_engine") {
            return ContentKind::SqlalchemyMigrate;
        }
        let comment = line.trim_start();
        if let Some(rest) = comment.strip_prefix("--") {
            let rest = rest.trim_start();
            if rest.eq_ignore_ascii_case("migrate:up") || rest.starts_with("migrate:up ") {
                return ContentKind::Dbmate;
            }
            if let Some(command) = rest.strip_prefix("+goose") {
                if command.trim().eq_ignore_ascii_case("up") {
                    return ContentKind::Goose;
                }
            }
        }
    }
    if crate::read::python::django::is_django_migration(text) {
        ContentKind::Django
    } else if revision && down_revision {
        ContentKind::Alembic
    } else {
        ContentKind::Plain
    }
}

/// What a file under a migration location is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// An upgrade: read and judged.
    Upgrade {
        /// How it is written (never `Auto`, `Django` or `Rails`).
        format: MigrationFormat,
        /// Where the runner places it.
        version: MigrationVersion,
        /// The dialect it runs on, when its name or folder says so.
        dialect: Option<Dialect>,
    },
    /// A down, revert or undo script: never applied by an upgrade (kept to check that they
    /// exist).
    Down(String),
    /// A file the layout defines as not being an upgrade, with the reason.
    Ignored(String),
    /// A file the tool does not read, with what it expected there.
    Unrecognised(String),
}

/// What a layout needs to know about its location beyond each file's own path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocationFacts {
    /// sqitch: the plan's changes in deploy order, with the names their deploy scripts may
    /// have.
    pub sqitch_plan: Option<Vec<SqitchChange>>,
    /// sqitch: where the plan and the scripts are (`sqitch.conf`).
    pub sqitch_dirs: SqitchDirs,
    /// The dialect the location's own settings name (Prisma's `migration_lock.toml`).
    pub dialect: Option<Dialect>,
    /// How many per-database trees (`mysql/`, `postgres/`, `mssql/`, ...) the location
    /// holds.
    pub database_trees: usize,
}

/// A file to classify: its path relative to the location (its name alone for a glob
/// location) and what its content says, when the layout needed to look.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// Path relative to the location, `/`-separated.
    pub relative: &'a str,
    /// The location's path (a folder or a glob), for messages.
    pub location: &'a str,
}

/// Whether classifying a file in this format needs its content (see [`content_kind`]).
pub fn needs_content(format: MigrationFormat, relative: &str) -> bool {
    let lower = relative.to_ascii_lowercase();
    match format {
        MigrationFormat::Sql | MigrationFormat::Auto => {
            lower.ends_with(".py") || lower.ends_with(".sql")
        }
        _ => false,
    }
}

/// Files no runner reads, in any layout.
fn common_ignored(name: &str, parts: &[&str]) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if parts.contains(&"__pycache__") || lower.ends_with(".pyc") {
        return Some("compiled Python, written by the interpreter".into());
    }
    if parts.iter().any(|p| p.starts_with('.')) {
        return Some("a hidden file (such as .gitkeep), which no migration runner reads".into());
    }
    let stem = lower.split('.').next().unwrap_or("");
    if matches!(stem, "readme" | "changelog" | "license" | "notes")
        || lower.ends_with(".md")
        || lower.ends_with(".rst")
    {
        return Some("documentation".into());
    }
    None
}

/// What a plain SQL layout expects, for messages.
fn expected(format: MigrationFormat) -> &'static str {
    match format {
        MigrationFormat::Auto | MigrationFormat::Sql => {
            "a numbered SQL migration (0012_name.sql), an Alembic or sqlalchemy-migrate script"
        }
        MigrationFormat::Flyway => {
            "a Flyway migration: V<version>__<description>.sql, U<version>__<description>.sql (undo) or R__<description>.sql (repeatable)"
        }
        MigrationFormat::GolangMigrate => "a golang-migrate file: <version>_<name>.up.sql or .down.sql",
        MigrationFormat::Diesel => "a diesel migration: <version>_<name>/up.sql or down.sql",
        MigrationFormat::Prisma => "a Prisma migration: <timestamp>_<name>/migration.sql",
        MigrationFormat::Dbmate => "a dbmate migration: <version>_<name>.sql",
        MigrationFormat::Goose => "a goose SQL migration: <version>_<name>.sql",
        MigrationFormat::Sqitch => {
            "a sqitch file: sqitch.plan, deploy/<change>.sql listed in the plan, revert/ or verify/"
        }
        MigrationFormat::Synapse => {
            "a Synapse delta: delta/<N>/<file>.sql, .sql.postgres, .sql.sqlite or .py (or full_schemas/<N>/)"
        }
        MigrationFormat::SqlalchemyMigrate => {
            "a sqlalchemy-migrate script: <NNN>_<name>.py defining upgrade(migrate_engine)"
        }
        MigrationFormat::Alembic => "an Alembic revision (.py)",
        MigrationFormat::Django => "a Django migration (.py)",
        MigrationFormat::Rails => "a Rails migration (.rb)",
    }
}

/// Classifies one file. `kind` is what its content says ([`content_kind`]) when
/// [`needs_content`] asked for it.
pub fn classify(
    format: MigrationFormat,
    candidate: Candidate<'_>,
    kind: Option<ContentKind>,
    facts: &LocationFacts,
    dialect: Dialect,
) -> Role {
    let parts: Vec<&str> = candidate.relative.split('/').collect();
    let name = parts.last().copied().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    if let Some(reason) = common_ignored(name, &parts) {
        return Role::Ignored(reason);
    }
    let unrecognised = |what: &str| Role::Unrecognised(what.to_string());
    let plain_sql = matches!(
        format,
        MigrationFormat::Auto
            | MigrationFormat::Sql
            | MigrationFormat::Flyway
            | MigrationFormat::GolangMigrate
            | MigrationFormat::Dbmate
            | MigrationFormat::Goose
    );
    if plain_sql && facts.database_trees > 1 {
        if let Some(role) = other_database_tree(&parts, dialect) {
            return role;
        }
    }
    match format {
        MigrationFormat::Auto | MigrationFormat::Sql => {
            classify_numbered(format, &parts, kind, dialect)
        }
        MigrationFormat::GolangMigrate | MigrationFormat::Dbmate | MigrationFormat::Goose => {
            match classify_numbered(format, &parts, None, dialect) {
                Role::Upgrade {
                    version, dialect, ..
                } => Role::Upgrade {
                    format,
                    version,
                    dialect,
                },
                other => other,
            }
        }
        MigrationFormat::Flyway => classify_flyway(name, &lower),
        MigrationFormat::Diesel => classify_diesel(&parts, &lower),
        MigrationFormat::Prisma => match parts.as_slice() {
            ["migration_lock.toml"] => Role::Ignored(
                "Prisma's migration lock: it names the database provider, it runs nothing".into(),
            ),
            [folder, "migration.sql"] => Role::Upgrade {
                format,
                // Prisma applies the migration folders in name order.
                version: MigrationVersion::new(Vec::new(), *folder),
                dialect: None,
            },
            _ => unrecognised(expected(format)),
        },
        MigrationFormat::Sqitch => classify_sqitch(&parts, facts),
        MigrationFormat::Synapse => classify_synapse(candidate, &parts, &lower, dialect),
        MigrationFormat::SqlalchemyMigrate => classify_python(format, name, kind),
        MigrationFormat::Alembic => classify_python(format, name, kind),
        MigrationFormat::Django => match name {
            "__init__.py" => Role::Ignored("a Python package marker".into()),
            _ if lower.ends_with(".py") => Role::Upgrade {
                format,
                // Django orders by `dependencies`; discovery names the version by path.
                version: MigrationVersion::new(Vec::new(), name.trim_end_matches(".py")),
                dialect: None,
            },
            _ => unrecognised(expected(format)),
        },
        MigrationFormat::Rails => unrecognised(
            "a Rails migration (Ruby): the tool does not read Ruby, so it needs review",
        ),
    }
}

/// Python files: by content first, then by name.
fn classify_python(format: MigrationFormat, name: &str, kind: Option<ContentKind>) -> Role {
    match name {
        "__init__.py" => return Role::Ignored("a Python package marker".into()),
        "env.py" => {
            return Role::Ignored(
                "Alembic's environment script: it configures the run, it is not a revision".into(),
            )
        }
        "script.py.mako" => return Role::Ignored("Alembic's template for new revisions".into()),
        "migrate.cfg" => return Role::Ignored("sqlalchemy-migrate's repository settings".into()),
        "manage.py" => {
            return Role::Ignored("sqlalchemy-migrate's command-line entry point".into())
        }
        _ => {}
    }
    if !name.ends_with(".py") {
        return Role::Unrecognised(expected(format).to_string());
    }
    let format = match (format, kind) {
        (_, Some(ContentKind::Alembic)) => MigrationFormat::Alembic,
        (_, Some(ContentKind::SqlalchemyMigrate)) => MigrationFormat::SqlalchemyMigrate,
        (_, Some(ContentKind::Django)) => MigrationFormat::Django,
        (MigrationFormat::Alembic | MigrationFormat::SqlalchemyMigrate, _) => format,
        _ => {
            return Role::Unrecognised(
                "an Alembic revision (assigning revision and down_revision) or a sqlalchemy-migrate script (defining upgrade(migrate_engine)); this Python file is neither"
                    .into(),
            )
        }
    };
    match format {
        MigrationFormat::Alembic | MigrationFormat::Django => Role::Upgrade {
            format,
            // The revision chain orders Alembic files; the name stands in until it is read.
            version: MigrationVersion::new(Vec::new(), name.trim_end_matches(".py")),
            dialect: None,
        },
        _ => match migration_version(name) {
            Some(version) => Role::Upgrade {
                format,
                version,
                dialect: None,
            },
            None => Role::Unrecognised(
                "a sqlalchemy-migrate script named <NNN>_<name>.py: its number is its version"
                    .into(),
            ),
        },
    }
}

/// Numbered SQL files (and, in a location whose format is not fixed, Python scripts told
/// apart by content).
fn classify_numbered(
    format: MigrationFormat,
    parts: &[&str],
    kind: Option<ContentKind>,
    dialect: Dialect,
) -> Role {
    let name = parts.last().copied().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".py") || name == "script.py.mako" || name == "migrate.cfg" {
        return classify_python(format, name, kind);
    }
    if lower.ends_with(".rb") {
        return Role::Unrecognised(expected(MigrationFormat::Rails).to_string());
    }
    let folders = &parts[..parts.len().saturating_sub(1)];
    // `x.sql.postgres` beside `x.sql`: the dialect's own variant (see `discover`).
    let (sql_name, variant) = match lower.rsplit_once(".sql.") {
        Some((_, suffix)) => match Dialect::from_name(suffix) {
            Some(d) if d == dialect => (
                name.get(..name.len() - suffix.len() - 1).unwrap_or(name),
                Some(d),
            ),
            Some(d) => return Role::Ignored(format!("runs on {d} only; the dialect is {dialect}")),
            None => (name, None),
        },
        None => (name, None),
    };
    if !sql_name.to_ascii_lowercase().ends_with(".sql") {
        return Role::Unrecognised(expected(format).to_string());
    }
    if sql_direction(sql_name) == Direction::Down {
        return Role::Down("a down migration: not applied by an upgrade".into());
    }
    // diesel keeps the version on the folder: `<version>_<name>/up.sql`.
    if sql_name.eq_ignore_ascii_case("up.sql") {
        return match folders.last().copied().and_then(diesel_version) {
            Some(version) => Role::Upgrade {
                format: MigrationFormat::Diesel,
                version,
                dialect: variant,
            },
            None => Role::Unrecognised(expected(MigrationFormat::Diesel).to_string()),
        };
    }
    if sql_name.starts_with("R__") {
        return classify_flyway(sql_name, &sql_name.to_ascii_lowercase());
    }
    let Some(version) = migration_version(sql_name) else {
        return Role::Unrecognised(expected(format).to_string());
    };
    let format = match kind {
        Some(ContentKind::Dbmate) => MigrationFormat::Dbmate,
        Some(ContentKind::Goose) => MigrationFormat::Goose,
        _ if sql_name.starts_with('V') => MigrationFormat::Flyway,
        _ if lower.contains(".up.sql") => MigrationFormat::GolangMigrate,
        _ if format == MigrationFormat::Auto => MigrationFormat::Sql,
        _ => format,
    };
    Role::Upgrade {
        format,
        version,
        dialect: variant,
    }
}

/// Databases that projects keep a migration tree for (`migrations/mysql/`,
/// `db/migration/h2/`) besides the dialects the tool reads.
const OTHER_DATABASES: [&str; 16] = [
    "mssql",
    "sqlserver",
    "oracle",
    "h2",
    "hsqldb",
    "derby",
    "dsql",
    "cockroachdb",
    "tidb",
    "redshift",
    "snowflake",
    "clickhouse",
    "db2",
    "firebird",
    "spanner",
    "duckdb",
];

/// Whether a folder name names a database: a dialect the tool reads or another one.
pub fn is_database_folder(name: &str) -> bool {
    Dialect::from_name(name).is_some()
        || OTHER_DATABASES.contains(&name.to_ascii_lowercase().as_str())
}

/// Per-database trees (`migrations/mysql/...`, `migrations/mssql/...`): only the dialect's
/// own tree applies; the others are ignored, named. (A location with a single tree is read
/// whatever its folder says: ignoring it would leave nothing to judge.)
fn other_database_tree(parts: &[&str], dialect: Dialect) -> Option<Role> {
    let folders = &parts[..parts.len().saturating_sub(1)];
    let other = folders.iter().find(|f| {
        is_database_folder(f) && Dialect::from_name(f).is_none_or(|d| d != dialect)
    })?;
    Some(Role::Ignored(format!(
        "in the {other} tree; the dialect is {dialect}"
    )))
}

/// Flyway: `V<version>__<desc>.sql`, undo `U<version>__`, repeatable `R__<desc>.sql`, and
/// baseline `B<version>__` (new databases only).
fn classify_flyway(name: &str, lower: &str) -> Role {
    let format = MigrationFormat::Flyway;
    if lower.ends_with(".sql.conf") || lower == "flyway.conf" || lower == "flyway.toml" {
        return Role::Ignored("Flyway settings".into());
    }
    if !lower.ends_with(".sql") {
        return Role::Unrecognised(expected(format).to_string());
    }
    let stem = name.get(..name.len() - 4).unwrap_or(name);
    if let Some(description) = stem.strip_prefix("R__") {
        return Role::Upgrade {
            format,
            version: MigrationVersion::repeatable(description),
            dialect: None,
        };
    }
    let Some((prefix, rest)) = stem.split_at_checked(1) else {
        return Role::Unrecognised(expected(format).to_string());
    };
    let Some((version, _)) = rest.split_once("__") else {
        return Role::Unrecognised(expected(format).to_string());
    };
    let parts: Option<Vec<u64>> = version
        .split(['.', '_'])
        .map(|p| {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().unwrap_or(u64::MAX))
        })
        .collect();
    let Some(mut parts) = parts else {
        return Role::Unrecognised(expected(format).to_string());
    };
    // Flyway compares versions as numbers part by part, ignoring trailing zero parts
    // (1.0 is 1).
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    match prefix {
        "V" => Role::Upgrade {
            format,
            version: MigrationVersion::new(parts, version),
            dialect: None,
        },
        "U" => Role::Down(
            "a Flyway undo script: not applied by an upgrade (undo scripts are optional)".into(),
        ),
        "B" => Role::Ignored(
            "a Flyway baseline migration: it runs only on an empty database, instead of the versions up to its own".into(),
        ),
        _ => Role::Unrecognised(expected(format).to_string()),
    }
}

/// diesel's version: the folder name up to the first `_`, without dashes, compared as a
/// string (as diesel compares it), so 14- and 18-digit names order as diesel orders them.
pub fn diesel_version(folder: &str) -> Option<MigrationVersion> {
    let (version, _) = folder.split_once('_').unwrap_or((folder, ""));
    let digits: String = version.chars().filter(|c| *c != '-').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(MigrationVersion::new(Vec::new(), digits))
}

fn classify_diesel(parts: &[&str], lower: &str) -> Role {
    let format = MigrationFormat::Diesel;
    match parts {
        [folder, _] if diesel_version(folder).is_some() => match lower {
            "up.sql" => Role::Upgrade {
                format,
                version: diesel_version(folder)
                    .unwrap_or_else(|| MigrationVersion::new(Vec::new(), *folder)),
                dialect: None,
            },
            "down.sql" => Role::Down("a down migration: not applied by an upgrade".into()),
            "metadata.toml" => Role::Ignored("diesel's settings for this migration".into()),
            _ => Role::Unrecognised(expected(format).to_string()),
        },
        _ => Role::Unrecognised(expected(format).to_string()),
    }
}

/// Where a sqitch project keeps its plan and scripts, relative to the folder of
/// `sqitch.conf` (`[core]` `top_dir`, `plan_file`, `deploy_dir`, `revert_dir`, `verify_dir`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqitchDirs {
    /// The plan file.
    pub plan: String,
    /// The folder of deploy scripts.
    pub deploy: String,
    /// The folder of revert scripts.
    pub revert: String,
    /// The folder of verify scripts.
    pub verify: String,
}

impl Default for SqitchDirs {
    fn default() -> SqitchDirs {
        SqitchDirs::under("")
    }
}

impl SqitchDirs {
    fn under(top: &str) -> SqitchDirs {
        let at = |name: &str| match top {
            "" => name.to_string(),
            top => format!("{top}/{name}"),
        };
        SqitchDirs {
            plan: at("sqitch.plan"),
            deploy: at("deploy"),
            revert: at("revert"),
            verify: at("verify"),
        }
    }

    /// Reads the `[core]` settings of a `sqitch.conf`.
    pub fn from_conf(text: &str) -> SqitchDirs {
        let mut core = false;
        let mut set: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if line.starts_with('[') {
                core = line.trim_matches(['[', ']']).trim() == "core";
                continue;
            }
            if let (true, Some((key, value))) = (core, line.split_once('=')) {
                let value = value.trim().trim_matches('"');
                let value = value.trim_start_matches("./").trim_end_matches('/');
                set.push((key.trim().to_string(), value.trim_matches('.').to_string()));
            }
        }
        let get = |key: &str| {
            set.iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let mut dirs = SqitchDirs::under(&get("top_dir").unwrap_or_default());
        for (key, slot) in [
            ("plan_file", &mut dirs.plan),
            ("deploy_dir", &mut dirs.deploy),
            ("revert_dir", &mut dirs.revert),
            ("verify_dir", &mut dirs.verify),
        ] {
            if let Some(value) = get(key) {
                *slot = value;
            }
        }
        dirs
    }
}

fn classify_sqitch(parts: &[&str], facts: &LocationFacts) -> Role {
    let format = MigrationFormat::Sqitch;
    let relative = parts.join("/");
    let dirs = &facts.sqitch_dirs;
    let below = |dir: &str| -> Option<String> {
        match dir {
            "" => Some(relative.clone()),
            dir => relative
                .strip_prefix(dir)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(str::to_string),
        }
    };
    if relative == dirs.plan {
        return Role::Ignored(
            "sqitch's plan: it orders the changes, whose deploy scripts are read".into(),
        );
    }
    if relative == "sqitch.conf" {
        return Role::Ignored("sqitch's settings".into());
    }
    if below(&dirs.revert).is_some() {
        return Role::Down("a sqitch revert script: not applied by a deploy".into());
    }
    if below(&dirs.verify).is_some() {
        return Role::Ignored(
            "a sqitch verify script: it checks a deployed change, it changes nothing".into(),
        );
    }
    match below(&dirs.deploy) {
        Some(script) => {
            let Some(script) = script.strip_suffix(".sql") else {
                return Role::Unrecognised(expected(format).to_string());
            };
            let planned = facts.sqitch_plan.as_ref().and_then(|plan| {
                plan.iter()
                    .enumerate()
                    .find(|(_, change)| change.deploys_from(script))
            });
            match planned {
                Some((position, change)) => Role::Upgrade {
                    format,
                    version: MigrationVersion::new(
                        vec![position as u64, change.instance],
                        script,
                    ),
                    dialect: None,
                },
                None => Role::Unrecognised(format!(
                    "a deploy script that sqitch.plan lists (no change `{script}` in the plan)"
                )),
            }
        }
        // sqitch runs nothing else: other files of the project (queries, tests, templates,
        // another plan that sqitch.conf does not name) are not deployed.
        None => Role::Ignored(format!(
            "not one of sqitch's scripts: sqitch deploys the changes {} lists, from {}/",
            dirs.plan,
            if dirs.deploy.is_empty() { "." } else { dirs.deploy.as_str() }
        )),
    }
}

/// One change of a sqitch plan, in deploy order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqitchChange {
    /// The change's name (`users`, `func/users_insert`).
    pub name: String,
    /// Which entry of that name this is: 0 for the first, 1 for its first rework, ...
    pub instance: u64,
    /// For an entry reworked later in the plan, the tags between it and its next entry: its
    /// deploy script is `deploy/<name>@<tag>.sql` for one of them. Empty for the last entry
    /// of a name, whose script is `deploy/<name>.sql`.
    pub tags: Vec<String>,
}

impl SqitchChange {
    /// Whether `script` (a deploy script's path below `deploy/`, without `.sql`) is this
    /// entry's. sqitch names a reworked entry's copy after the tag that was the latest when
    /// the change was reworked, and looks for any tag between the two entries.
    pub fn deploys_from(&self, script: &str) -> bool {
        if self.tags.is_empty() {
            return script == self.name;
        }
        script
            .strip_prefix(self.name.as_str())
            .and_then(|rest| rest.strip_prefix('@'))
            .is_some_and(|tag| self.tags.iter().any(|t| t == tag))
    }
}

/// The changes of a sqitch plan, in deploy order. A change reworked later in the plan
/// deploys its earlier entries from `deploy/<change>@<tag>.sql` (a tag between that entry
/// and the next entry of the same name); the last entry of a change from
/// `deploy/<change>.sql`.
pub fn sqitch_plan(text: &str) -> Vec<SqitchChange> {
    enum Line {
        Change(String),
        Tag(String),
    }
    let mut lines = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('%') {
            continue;
        }
        let word = line.split_whitespace().next().unwrap_or("");
        if let Some(tag) = word.strip_prefix('@') {
            lines.push(Line::Tag(tag.to_string()));
        } else {
            // Early plans marked deploys with `+` (and reverts with `-`).
            lines.push(Line::Change(word.trim_start_matches('+').to_string()));
        }
    }
    let mut changes: Vec<SqitchChange> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Line::Change(name) = line else {
            continue;
        };
        let instance = changes.iter().filter(|c| c.name == *name).count() as u64;
        let later = &lines[i + 1..];
        let next = later
            .iter()
            .position(|l| matches!(l, Line::Change(c) if c == name));
        let tags = match next {
            Some(next) => later[..next]
                .iter()
                .filter_map(|l| match l {
                    Line::Tag(t) => Some(t.clone()),
                    Line::Change(_) => None,
                })
                .collect(),
            None => Vec::new(),
        };
        changes.push(SqitchChange {
            name: name.clone(),
            instance,
            tags,
        });
    }
    changes
}

/// Prisma's provider from `migration_lock.toml` (`provider = "postgresql"`).
pub fn prisma_provider(text: &str) -> Option<Dialect> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("provider")?.trim_start();
        let value = rest.strip_prefix('=')?.trim().trim_matches('"');
        match value {
            "postgresql" | "postgres" | "cockroachdb" => Some(Dialect::Postgres),
            "mysql" => Some(Dialect::Mysql),
            "sqlite" => Some(Dialect::Sqlite),
            _ => Some(Dialect::Generic),
        }
    })
}

/// Synapse: `[<db>/]delta/<N>/<file>` upgrades, versioned (N, file name); `full_schemas/`
/// baselines for new databases.
fn classify_synapse(
    candidate: Candidate<'_>,
    parts: &[&str],
    lower: &str,
    dialect: Dialect,
) -> Role {
    let format = MigrationFormat::Synapse;
    let in_delta = candidate
        .location
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|last| last == "delta");
    if parts.contains(&"full_schemas") {
        return Role::Ignored(
            "a full schema: it creates new databases; existing ones are upgraded by the deltas"
                .into(),
        );
    }
    let after_delta: &[&str] = if in_delta {
        parts
    } else {
        match parts.iter().position(|p| *p == "delta") {
            Some(at) => &parts[at + 1..],
            None => {
                let name = parts.last().copied().unwrap_or("");
                if name.ends_with(".py") {
                    return Role::Ignored(
                        "a Python module of the schema package, not a delta".into(),
                    );
                }
                return Role::Unrecognised(expected(format).to_string());
            }
        }
    };
    let [folder, file] = after_delta else {
        return Role::Unrecognised(expected(format).to_string());
    };
    let Ok(number) = folder.parse::<u64>() else {
        return Role::Unrecognised(expected(format).to_string());
    };
    let version = MigrationVersion::new(vec![number], format!("{number}/{file}"));
    if lower.ends_with(".sql") || lower.ends_with(".py") {
        return Role::Upgrade {
            format,
            version,
            dialect: None,
        };
    }
    if let Some((_, suffix)) = lower.rsplit_once(".sql.") {
        return match Dialect::from_name(suffix) {
            Some(d) if d == dialect => Role::Upgrade {
                format,
                version,
                dialect: Some(d),
            },
            Some(d) => Role::Ignored(format!("runs on {d} only; the dialect is {dialect}")),
            None => Role::Unrecognised(expected(format).to_string()),
        };
    }
    Role::Unrecognised(expected(format).to_string())
}

/// A Synapse full schema file a new database on `dialect` runs (`full_schemas/<N>/x.sql`,
/// `x.sql.postgres`), with its version: (N, file name), as Synapse orders them.
pub fn synapse_full_schema(relative: &str, dialect: Dialect) -> Option<MigrationVersion> {
    let parts: Vec<&str> = relative.split('/').collect();
    let at = parts.iter().position(|p| *p == "full_schemas")?;
    let [number, file] = parts.get(at + 1..)? else {
        return None;
    };
    let number: u64 = number.parse().ok()?;
    let runs = file.ends_with(".sql")
        || file
            .rsplit_once(".sql.")
            .is_some_and(|(_, suffix)| Dialect::from_name(suffix) == Some(dialect));
    runs.then(|| MigrationVersion::new(vec![number], format!("{number}/{file}")))
}

/// The layout of a location whose format is `auto`, from the files it holds (paths relative
/// to the location).
pub fn infer_format(location: &str, relatives: &[&str]) -> MigrationFormat {
    let last = location
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let names = || relatives.iter().map(|r| r.rsplit('/').next().unwrap_or(r));
    if last == "delta"
        || relatives.iter().any(|r| {
            r.starts_with("delta/") || r.contains("/delta/") || r.starts_with("full_schemas/")
        })
    {
        return MigrationFormat::Synapse;
    }
    if relatives.contains(&"sqitch.plan") {
        return MigrationFormat::Sqitch;
    }
    if relatives.contains(&"migration_lock.toml")
        || relatives.iter().any(|r| {
            matches!(
                r.split('/').collect::<Vec<_>>().as_slice(),
                [_, "migration.sql"]
            )
        })
    {
        return MigrationFormat::Prisma;
    }
    if names().any(|n| n.starts_with("R__") || (n.starts_with('V') && n.contains("__"))) {
        return MigrationFormat::Flyway;
    }
    let rb = names().filter(|n| n.ends_with(".rb")).count();
    if rb > 0 && !names().any(|n| n.to_ascii_lowercase().ends_with(".sql")) {
        return MigrationFormat::Rails;
    }
    MigrationFormat::Auto
}

#[cfg(test)]
mod tests;

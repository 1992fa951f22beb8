//! The dialect, detected: what a repository says about its database when neither
//! `--dialect` nor the configuration names one.
//!
//! Reading PostgreSQL as MySQL is not harmless: the SQL reader can misread a statement
//! silently in the wrong dialect. So the tool asks the repository, most trusted source
//! first, and says in the report which one answered:
//!
//! 1. the Cargo features of a `diesel` or `sqlx` dependency (`features = ["postgres"]`);
//! 2. Prisma's `migration_lock.toml` / `schema.prisma` (`provider = "postgresql"`);
//! 3. `alembic.ini` and Alembic's `env.py` (`sqlalchemy.url = postgresql://...`);
//! 4. Django settings (`"ENGINE": "django.db.backends.postgresql"`, database URLs);
//! 5. Flyway configuration (`flyway.url=jdbc:postgresql://...`);
//! 6. per-dialect migration files (`x.sql.postgres` beside `x.sql.sqlite`, as Synapse
//!    ships them): the project runs on both;
//! 7. failing all of those, the migrations themselves (`$$` bodies, `SERIAL`, `::` casts,
//!    `CONCURRENTLY`, `ALTER COLUMN ... TYPE` for PostgreSQL; backquoted names,
//!    `AUTO_INCREMENT`, `ENGINE=`, `MODIFY COLUMN` for MySQL; `AUTOINCREMENT`, `PRAGMA` for
//!    SQLite).
//!
//! A server database (PostgreSQL, MySQL) named anywhere wins over SQLite, which projects
//! commonly use for development and tests. Sources that disagree are reported (the
//! `conflicting-dialect-evidence` rule) with both named.

use crate::model::dialect_source::{Evidence, EvidenceKind};
use crate::model::ops::Dialect;
use crate::repo::git::TreeFile;
use crate::repo::layout::is_database_folder;

/// What detection concluded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detection {
    /// The dialect and the evidence that decided it; `None` when the repository says
    /// nothing.
    pub chosen: Option<(Dialect, Evidence)>,
    /// Evidence that names another dialect than the chosen one.
    pub conflict: Option<Evidence>,
}

/// Folders whose files describe other projects or test set-ups, not this one's database.
const SKIPPED_DIRS: [&str; 8] = [
    "vendor",
    "node_modules",
    "testdata",
    "tests",
    "test",
    "fixtures",
    "examples",
    "docs",
];

/// Detects the dialect from a tree. `is_migration` says whether a path lies in a migration
/// location (only those files are read for syntax); `read` returns a file's text (`None`
/// when it cannot be read, which then says nothing).
pub fn detect(
    files: &[TreeFile],
    is_migration: impl Fn(&str) -> bool,
    mut read: impl FnMut(&TreeFile) -> Option<String>,
) -> Detection {
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut content = ContentTally::default();
    let mut suffixes: Vec<(Dialect, &str)> = Vec::new();
    for file in files {
        let (dir, name) = match file.path.rsplit_once('/') {
            Some((dir, name)) => (dir, name),
            None => ("", file.path.as_str()),
        };
        let migration = is_migration(&file.path);
        if !migration && dir.split('/').any(|part| SKIPPED_DIRS.contains(&part)) {
            continue;
        }
        // A per-database tree (`migrations/mysql/`, `db/migration/h2/`) says which database
        // its files are for; their syntax is that database's, not the project's.
        let tree = migration
            .then(|| dir.split('/').find(|part| is_database_folder(part)))
            .flatten();
        if let Some(tree) = tree {
            if let Some(dialect) = Dialect::from_name(tree) {
                if !suffixes.iter().any(|(d, _)| *d == dialect) {
                    suffixes.push((dialect, file.path.as_str()));
                }
            }
            continue;
        }
        if migration {
            if let Some((_, suffix)) = name.rsplit_once(".sql.") {
                if let Some(dialect) = Dialect::from_name(suffix) {
                    if !suffixes.iter().any(|(d, _)| *d == dialect) {
                        suffixes.push((dialect, file.path.as_str()));
                    }
                }
            }
        }
        let kind = match name {
            "Cargo.toml" => Some(EvidenceKind::CargoFeatures),
            "migration_lock.toml" | "schema.prisma" => Some(EvidenceKind::PrismaProvider),
            "alembic.ini" | "env.py" => Some(EvidenceKind::AlembicUrl),
            "flyway.conf" | "flyway.toml" => Some(EvidenceKind::FlywayUrl),
            _ if is_django_settings(dir, name) => Some(EvidenceKind::DjangoSettings),
            _ => None,
        };
        let reads_content = migration && (name.contains(".sql") || name.ends_with(".py"));
        if kind.is_none() && !reads_content {
            continue;
        }
        let Some(text) = read(file) else {
            continue;
        };
        let found = match kind {
            Some(EvidenceKind::CargoFeatures) => cargo_features(&text),
            Some(EvidenceKind::PrismaProvider) => prisma_provider(&text),
            Some(EvidenceKind::AlembicUrl) => database_url(&text, name == "alembic.ini"),
            Some(EvidenceKind::DjangoSettings) => {
                django_engine(&text).or_else(|| database_url(&text, false))
            }
            Some(EvidenceKind::FlywayUrl) => database_url(&text, false),
            _ => None,
        };
        if let (Some(kind), Some((dialects, line, said))) = (kind, found) {
            evidence.push(Evidence {
                kind,
                dialects,
                path: file.path.clone(),
                line: Some(line),
                text: said,
            });
        }
        if reads_content {
            content.scan(&file.path, &text);
        }
    }
    if !suffixes.is_empty() {
        let (_, first) = suffixes[0];
        evidence.push(Evidence {
            kind: EvidenceKind::DialectSuffix,
            dialects: suffixes.iter().map(|(d, _)| *d).collect(),
            path: first.to_string(),
            line: None,
            text: format!(
                "files for {}",
                suffixes
                    .iter()
                    .map(|(d, _)| d.name())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        });
    }
    evidence.extend(content.evidence());
    evidence.sort_by_key(|e| e.kind);
    decide(evidence)
}

/// Chooses from evidence sorted most trusted first: the first server dialect any of it
/// names (SQLite only when nothing names a server), and the first evidence that does not
/// name the choice as a conflict.
fn decide(evidence: Vec<Evidence>) -> Detection {
    let server = evidence.iter().find_map(|e| {
        e.dialects
            .iter()
            .find(|d| matches!(d, Dialect::Postgres | Dialect::Mysql))
            .map(|d| (*d, e))
    });
    let chosen = server.or_else(|| {
        evidence
            .first()
            .and_then(|e| e.dialects.first().map(|d| (*d, e)))
    });
    let Some((dialect, decided)) = chosen else {
        return Detection::default();
    };
    let conflict = evidence.iter().find(|e| !e.names(dialect)).cloned();
    Detection {
        chosen: Some((dialect, decided.clone())),
        conflict,
    }
}

fn is_django_settings(dir: &str, name: &str) -> bool {
    name.ends_with(".py")
        && (name.contains("settings") || dir.rsplit('/').next() == Some("settings"))
}

/// The dialect a feature or provider name stands for.
fn dialect_word(word: &str) -> Option<Dialect> {
    match word.to_ascii_lowercase().as_str() {
        "postgres"
        | "postgresql"
        | "pg"
        | "postgres_backend"
        | "pgsql"
        | "postgis"
        | "postgresql_psycopg2"
        | "cockroachdb" => Some(Dialect::Postgres),
        "mysql" | "mysql_backend" | "mariadb" => Some(Dialect::Mysql),
        "sqlite" | "sqlite3" | "spatialite" => Some(Dialect::Sqlite),
        _ => None,
    }
}

/// Crates whose features name the database backend.
const DATABASE_CRATES: [&str; 4] = ["diesel", "diesel-async", "diesel_async", "sqlx"];

/// `features = [...]` of a database crate in any dependency table of a `Cargo.toml`, and
/// crate features that enable one (`pg = ["diesel/postgres"]`).
fn cargo_features(text: &str) -> Option<(Vec<Dialect>, u32, String)> {
    let table: toml::Table = text.parse().ok()?;
    // (crate, feature) pairs.
    let mut features: Vec<(String, String)> = Vec::new();
    let mut tables: Vec<&toml::Table> = Vec::new();
    if let Some(deps) = table.get("dependencies").and_then(toml::Value::as_table) {
        tables.push(deps);
    }
    if let Some(deps) = table
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table)
    {
        tables.push(deps);
    }
    if let Some(targets) = table.get("target").and_then(toml::Value::as_table) {
        for target in targets.values() {
            if let Some(deps) = target.get("dependencies").and_then(toml::Value::as_table) {
                tables.push(deps);
            }
        }
    }
    for deps in tables {
        for name in DATABASE_CRATES {
            let Some(list) = deps
                .get(name)
                .and_then(|d| d.get("features"))
                .and_then(toml::Value::as_array)
            else {
                continue;
            };
            features.extend(
                list.iter()
                    .filter_map(|v| v.as_str().map(|f| (name.to_string(), f.to_string()))),
            );
        }
    }
    if let Some(own) = table.get("features").and_then(toml::Value::as_table) {
        for enabled in own.values().filter_map(toml::Value::as_array) {
            for item in enabled.iter().filter_map(toml::Value::as_str) {
                if let Some((krate, feature)) = item.split_once('/') {
                    let krate = krate.trim_start_matches("dep:").trim_end_matches('?');
                    if DATABASE_CRATES.contains(&krate) {
                        features.push((krate.to_string(), feature.to_string()));
                    }
                }
            }
        }
    }
    let mut dialects: Vec<Dialect> = Vec::new();
    let mut first: Option<(&str, &str)> = None;
    for (krate, feature) in &features {
        if let Some(d) = dialect_word(feature) {
            if !dialects.contains(&d) {
                dialects.push(d);
            }
            first.get_or_insert((krate, feature));
        }
    }
    let (krate, feature) = first?;
    // The features list may span lines: the line is where the feature is named; the text
    // says which crate it belongs to.
    let line = line_containing(text, &format!("\"{feature}\""))
        .or_else(|| line_containing(text, feature))
        .map_or(1, |(line, _)| line);
    Some((dialects, line, format!("{krate} feature \"{feature}\"")))
}

/// `provider = "postgresql"` (Prisma's lock file and schema).
fn prisma_provider(text: &str) -> Option<(Vec<Dialect>, u32, String)> {
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        let Some(rest) = trimmed.strip_prefix("provider") else {
            continue;
        };
        let value = rest
            .trim_start()
            .strip_prefix('=')?
            .trim()
            .trim_matches('"');
        if let Some(dialect) = dialect_word(value) {
            return Some((vec![dialect], line_number(index), trimmed.to_string()));
        }
    }
    None
}

/// Every database URL with a known scheme: `postgresql+psycopg2://`, `mysql://`,
/// `sqlite:///`, `jdbc:postgresql://`. Placeholders (`driver://user:pass@...`) name no
/// dialect. With `assignments_only`, only `sqlalchemy.url = ...` lines count (the rest of
/// `alembic.ini` is logging configuration).
fn database_url(text: &str, assignments_only: bool) -> Option<(Vec<Dialect>, u32, String)> {
    every_mention(text, |line| {
        if line.starts_with('#') || line.starts_with(';') {
            return None;
        }
        if assignments_only && !line.starts_with("sqlalchemy.url") {
            return None;
        }
        url_scheme_dialect(line)
    })
}

/// Every dialect the lines of `text` name (by `says`, given a trimmed line), in order of
/// appearance, with the line that decides: the first naming a server database, else the
/// first. A settings file that defaults to SQLite and switches to PostgreSQL in production
/// names both.
fn every_mention(
    text: &str,
    says: impl Fn(&str) -> Option<Dialect>,
) -> Option<(Vec<Dialect>, u32, String)> {
    let mut dialects: Vec<Dialect> = Vec::new();
    let mut deciding: Option<(Dialect, u32, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        let Some(dialect) = says(trimmed) else {
            continue;
        };
        if !dialects.contains(&dialect) {
            dialects.push(dialect);
        }
        let is_server = |d: Dialect| matches!(d, Dialect::Postgres | Dialect::Mysql);
        let better = match &deciding {
            None => true,
            Some((d, _, _)) => !is_server(*d) && is_server(dialect),
        };
        if better {
            deciding = Some((dialect, line_number(index), trimmed.to_string()));
        }
    }
    let (first, line, said) = deciding?;
    // The deciding dialect first, so that it is the one chosen.
    dialects.retain(|d| *d != first);
    dialects.insert(0, first);
    Some((dialects, line, said))
}

fn url_scheme_dialect(line: &str) -> Option<Dialect> {
    let lower = line.to_ascii_lowercase();
    if let Some(at) = lower.find("jdbc:") {
        let rest = lower.get(at + 5..)?;
        let word: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if let Some(dialect) = dialect_word(&word) {
            return Some(dialect);
        }
    }
    let mut search = 0;
    while let Some(found) = lower.get(search..).and_then(|s| s.find("://")) {
        let at = search + found;
        let before = lower.get(..at)?;
        let scheme: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '_')
            .collect::<Vec<char>>()
            .into_iter()
            .rev()
            .collect();
        let base = scheme.split('+').next().unwrap_or("");
        if let Some(dialect) = dialect_word(base) {
            return Some(dialect);
        }
        search = at + 3;
    }
    None
}

/// `django.db.backends.postgresql` (or the GIS backends) in a settings file: every engine
/// it names.
fn django_engine(text: &str) -> Option<(Vec<Dialect>, u32, String)> {
    every_mention(text, |line| {
        if line.starts_with('#') {
            return None;
        }
        for prefix in ["django.db.backends.", "django.contrib.gis.db.backends."] {
            let Some(at) = line.find(prefix) else {
                continue;
            };
            let rest = line.get(at + prefix.len()..).unwrap_or("");
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(dialect) = dialect_word(&word) {
                return Some(dialect);
            }
        }
        None
    })
}

fn line_containing(text: &str, needle: &str) -> Option<(u32, String)> {
    text.lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .map(|(i, l)| (line_number(i), l.trim().to_string()))
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Dialect-specific syntax counted over the migrations: how many lines show each dialect,
/// and the first such line.
#[derive(Debug, Default)]
struct ContentTally {
    seen: Vec<(Dialect, usize, Evidence)>,
}

impl ContentTally {
    fn scan(&mut self, path: &str, text: &str) {
        let sql = !path.ends_with(".py");
        for (index, line) in text.lines().enumerate() {
            let code = if sql {
                line.split("--").next().unwrap_or("")
            } else {
                line
            };
            for (dialect, marker) in markers(code, sql) {
                match self.seen.iter_mut().find(|(d, _, _)| *d == dialect) {
                    Some((_, count, _)) => *count += 1,
                    None => self.seen.push((
                        dialect,
                        1,
                        Evidence {
                            kind: EvidenceKind::SqlContent,
                            dialects: vec![dialect],
                            path: path.to_string(),
                            line: Some(line_number(index)),
                            text: format!("{marker}: {}", clip(line.trim())),
                        },
                    )),
                }
            }
        }
    }

    /// The dialect most lines show: a migration folder mostly in one dialect with a stray
    /// marker of another is that dialect, and the stray marker is no conflict.
    fn evidence(mut self) -> Option<Evidence> {
        self.seen
            .sort_by_key(|(_, count, _)| std::cmp::Reverse(*count));
        self.seen.into_iter().next().map(|(_, _, e)| e)
    }
}

fn clip(line: &str) -> String {
    const MAX: usize = 80;
    if line.chars().count() <= MAX {
        return line.to_string();
    }
    let cut: String = line.chars().take(MAX).collect();
    format!("{cut}...")
}

/// The dialect markers on one line of a migration, each with what it is. One marker per
/// dialect per line is enough.
fn markers(line: &str, sql: bool) -> Vec<(Dialect, &'static str)> {
    let upper = line.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let mut found: Vec<(Dialect, &'static str)> = Vec::new();
    let mut add = |dialect: Dialect, what: &'static str| {
        if !found.iter().any(|(d, _)| *d == dialect) {
            found.push((dialect, what));
        }
    };
    if sql {
        if upper.contains("$$") {
            add(Dialect::Postgres, "a $$ body");
        }
        if upper
            .match_indices("::")
            .any(|(at, _)| upper[at + 2..].starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            add(Dialect::Postgres, "a :: cast");
        }
        for word in [
            "SERIAL",
            "BIGSERIAL",
            "SMALLSERIAL",
            "JSONB",
            "TIMESTAMPTZ",
            "CONCURRENTLY",
            "PLPGSQL",
            "BYTEA",
        ] {
            if has(word) {
                add(Dialect::Postgres, "PostgreSQL syntax");
            }
        }
        if upper.contains("ALTER COLUMN") && (has("TYPE") || upper.contains("SET DATA TYPE")) {
            add(Dialect::Postgres, "ALTER COLUMN ... TYPE");
        }
        if line.contains('`') {
            add(Dialect::Mysql, "a backquoted name");
        }
        if has("AUTO_INCREMENT") {
            add(Dialect::Mysql, "AUTO_INCREMENT");
        }
        if upper.contains("ENGINE=") || upper.contains("ENGINE =") {
            add(Dialect::Mysql, "a table ENGINE");
        }
        if upper.contains("MODIFY COLUMN") || upper.contains("CHANGE COLUMN") || has("UNSIGNED") {
            add(Dialect::Mysql, "MySQL syntax");
        }
        if has("AUTOINCREMENT") || has("PRAGMA") || upper.contains("WITHOUT ROWID") {
            add(Dialect::Sqlite, "SQLite syntax");
        }
    } else {
        let lower = line.to_ascii_lowercase();
        if lower.contains("dialects.postgresql")
            || lower.contains("dialects import postgresql")
            || lower.contains("postgresql_")
            || lower.contains("contrib.postgres")
        {
            add(
                Dialect::Postgres,
                "a PostgreSQL-only SQLAlchemy or Django feature",
            );
        }
        if lower.contains("dialects.mysql")
            || lower.contains("dialects import mysql")
            || lower.contains("mysql_engine")
            || lower.contains("mysql_charset")
        {
            add(Dialect::Mysql, "a MySQL-only SQLAlchemy feature");
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::git::EntryKind;

    /// Detects over a tree given as (path, text); `migrations/` is the migration location.
    fn run(files: &[(&str, &str)]) -> Detection {
        let tree: Vec<TreeFile> = files
            .iter()
            .map(|(p, _)| TreeFile {
                path: p.to_string(),
                id: git2::Oid::ZERO_SHA1,
                kind: EntryKind::File,
            })
            .collect();
        detect(
            &tree,
            |p| p.starts_with("migrations/"),
            |f| {
                files
                    .iter()
                    .find(|(p, _)| *p == f.path)
                    .map(|(_, t)| t.to_string())
            },
        )
    }

    fn chosen(files: &[(&str, &str)]) -> Option<(Dialect, EvidenceKind, String)> {
        run(files).chosen.map(|(d, e)| (d, e.kind, e.locate()))
    }

    #[test]
    fn cargo_features_of_diesel_and_sqlx() {
        let cargo = "[package]\nname = \"x\"\n\n[dependencies]\ndiesel = { version = \"2\", features = [\"postgres\", \"chrono\"] }\n";
        assert_eq!(
            chosen(&[("Cargo.toml", cargo), ("diesel.toml", "[print_schema]\n")]),
            Some((
                Dialect::Postgres,
                EvidenceKind::CargoFeatures,
                "Cargo.toml:5 (diesel feature \"postgres\")".to_string()
            ))
        );
        let sqlx =
            "[dependencies.sqlx]\nversion = \"0.8\"\nfeatures = [\"runtime-tokio\", \"mysql\"]\n";
        assert_eq!(
            chosen(&[("server/Cargo.toml", sqlx)]).map(|c| c.0),
            Some(Dialect::Mysql)
        );
        // A crate that supports several backends behind features: the server one.
        let multi = "[dependencies]\ndiesel = \"2\"\n[features]\nsqlite = [\"diesel/sqlite\"]\npostgres = [\"diesel/postgres\"]\n";
        let found = run(&[("Cargo.toml", multi)]);
        assert_eq!(found.chosen.map(|c| c.0), Some(Dialect::Postgres));
        assert_eq!(
            found.conflict, None,
            "one source naming two is not a conflict"
        );
        assert_eq!(
            chosen(&[("Cargo.toml", "[dependencies]\nserde = \"1\"\n")]),
            None
        );
        assert_eq!(chosen(&[("Cargo.toml", "not toml [")]), None);
    }

    #[test]
    fn prisma_alembic_django_and_flyway() {
        let lock = "# Please do not edit this file manually\nprovider = \"postgresql\"\n";
        assert_eq!(
            chosen(&[("prisma/migrations/migration_lock.toml", lock)]),
            Some((
                Dialect::Postgres,
                EvidenceKind::PrismaProvider,
                "prisma/migrations/migration_lock.toml:2 (provider = \"postgresql\")".into()
            ))
        );
        let ini = "[alembic]\nscript_location = alembic\nsqlalchemy.url = mysql+pymysql://u:p@db/x\n[logger_root]\nlevel = WARN\n";
        assert_eq!(
            chosen(&[("alembic.ini", ini)]).map(|c| (c.0, c.1)),
            Some((Dialect::Mysql, EvidenceKind::AlembicUrl))
        );
        // The template's placeholder names no dialect.
        let template = "[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\n";
        assert_eq!(chosen(&[("alembic.ini", template)]), None);
        let env = "config.set_main_option('sqlalchemy.url', os.environ.get('DB', 'postgresql+asyncpg://localhost/app'))\n";
        assert_eq!(
            chosen(&[("app/alembic/env.py", env)]).map(|c| c.0),
            Some(Dialect::Postgres)
        );
        let settings = "DATABASES = {\n    'default': {\n        # 'ENGINE': 'django.db.backends.mysql',\n        'ENGINE': 'django.db.backends.postgresql_psycopg2',\n    }\n}\n";
        assert_eq!(
            chosen(&[("mysite/settings.py", settings)]),
            Some((
                Dialect::Postgres,
                EvidenceKind::DjangoSettings,
                "mysite/settings.py:4 ('ENGINE': 'django.db.backends.postgresql_psycopg2',)".into()
            ))
        );
        // SQLite by default, PostgreSQL or MySQL when the environment says: a server one.
        let switching = "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\nif os.getenv('DB') == 'postgres':\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\nif os.getenv('DB') == 'mysql':\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n";
        let found = run(&[("hc/settings.py", switching)]);
        let (dialect, evidence) = found.chosen.unwrap();
        assert_eq!(dialect, Dialect::Postgres);
        assert_eq!(evidence.line, Some(3));
        assert_eq!(
            evidence.dialects,
            [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql]
        );
        assert_eq!(found.conflict, None);
        let flyway = "flyway.url=jdbc:postgresql://localhost:5432/app\nflyway.user=app\n";
        assert_eq!(
            chosen(&[("conf/flyway.conf", flyway)]).map(|c| (c.0, c.1)),
            Some((Dialect::Postgres, EvidenceKind::FlywayUrl))
        );
    }

    #[test]
    fn per_database_trees_name_their_database_and_their_syntax_does_not_count() {
        // Komga: an H2 tree (whose ALTER COLUMN ... TYPE reads as PostgreSQL) beside the
        // SQLite tree the project now runs.
        let found = run(&[
            (
                "migrations/h2/V1__x.sql",
                "ALTER TABLE book ALTER COLUMN number SET DATA TYPE int;",
            ),
            ("migrations/sqlite/V2__x.sql", "PRAGMA foreign_keys = OFF;"),
        ]);
        let (dialect, evidence) = found.chosen.unwrap();
        assert_eq!(dialect, Dialect::Sqlite);
        assert_eq!(evidence.kind, EvidenceKind::DialectSuffix);
        assert_eq!(evidence.path, "migrations/sqlite/V2__x.sql");
        assert_eq!(found.conflict, None);
    }

    #[test]
    fn per_dialect_files_mean_both_and_the_server_one_is_read() {
        let found = run(&[
            ("migrations/delta/54/x.sql.postgres", "SELECT 1;"),
            ("migrations/delta/54/x.sql.sqlite", "SELECT 1;"),
        ]);
        let (dialect, evidence) = found.chosen.unwrap();
        assert_eq!(dialect, Dialect::Postgres);
        assert_eq!(evidence.kind, EvidenceKind::DialectSuffix);
        assert_eq!(evidence.dialects, [Dialect::Postgres, Dialect::Sqlite]);
        assert_eq!(found.conflict, None);
    }

    #[test]
    fn the_migrations_themselves_when_nothing_else_says() {
        let pg = [
            (
                "migrations/0001_init.sql",
                "CREATE TABLE t (id SERIAL PRIMARY KEY);\n",
            ),
            (
                "migrations/0002_idx.sql",
                "-- a comment with `backquotes`\nCREATE INDEX CONCURRENTLY i ON t (id);\n",
            ),
            ("migrations/0003_cast.sql", "UPDATE t SET a = b::text;\n"),
        ];
        let found = run(&pg);
        let (dialect, evidence) = found.chosen.unwrap();
        assert_eq!(dialect, Dialect::Postgres);
        assert_eq!(
            evidence.locate(),
            "migrations/0001_init.sql:1 (PostgreSQL syntax: CREATE TABLE t (id SERIAL PRIMARY KEY);)"
        );
        assert_eq!(found.conflict, None, "markers in comments do not count");
        let mysql = [(
            "migrations/0001_init.sql",
            "CREATE TABLE `t` (id INT AUTO_INCREMENT) ENGINE=InnoDB;\n",
        )];
        assert_eq!(chosen(&mysql).map(|c| c.0), Some(Dialect::Mysql));
        let sqlite = [(
            "migrations/1.sql",
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);",
        )];
        assert_eq!(chosen(&sqlite).map(|c| c.0), Some(Dialect::Sqlite));
        let alembic = [(
            "migrations/versions/abc_x.py",
            "from sqlalchemy.dialects import postgresql\nop.add_column('t', sa.Column('j', postgresql.JSONB()))\n",
        )];
        assert_eq!(chosen(&alembic).map(|c| c.0), Some(Dialect::Postgres));
        // Plain SQL says nothing, and files outside migration locations are not read.
        assert_eq!(
            chosen(&[
                ("migrations/1.sql", "CREATE TABLE t (id INT);"),
                ("scripts/x.sql", "SELECT 1::text;")
            ]),
            None
        );
        // Slicing in Python is not a cast.
        assert!(markers("xs[::2]", true).is_empty());
    }

    #[test]
    fn configuration_beats_syntax_and_disagreement_is_a_conflict() {
        let found = run(&[
            (
                "Cargo.toml",
                "[dependencies]\nsqlx = { version = \"0.8\", features = [\"postgres\"] }\n",
            ),
            (
                "migrations/1.sql",
                "CREATE TABLE `t` (id INT AUTO_INCREMENT);\n",
            ),
        ]);
        assert_eq!(found.chosen.as_ref().map(|c| c.0), Some(Dialect::Postgres));
        let conflict = found.conflict.unwrap();
        assert_eq!(conflict.kind, EvidenceKind::SqlContent);
        assert_eq!(conflict.dialects, [Dialect::Mysql]);
        // A stray marker of another dialect among many of the chosen one is no conflict.
        let found = run(&[
            (
                "Cargo.toml",
                "[dependencies]\nsqlx = { version = \"0.8\", features = [\"postgres\"] }\n",
            ),
            ("migrations/1.sql", "CREATE TABLE t (id SERIAL, j JSONB);\n"),
            ("migrations/2.sql", "UPDATE t SET j = '{}'::jsonb;\n"),
            ("migrations/3.sql", "CREATE TABLE `quoted` (id INT);\n"),
        ]);
        assert_eq!(found.chosen.as_ref().map(|c| c.0), Some(Dialect::Postgres));
        assert_eq!(found.conflict, None);
        // A server named anywhere beats SQLite named first (a development database).
        let found = run(&[
            (
                "alembic.ini",
                "[alembic]\nsqlalchemy.url = sqlite:///dev.db\n",
            ),
            (
                "mysite/settings/production.py",
                "ENGINE = 'django.db.backends.postgresql'\n",
            ),
        ]);
        assert_eq!(found.chosen.as_ref().map(|c| c.0), Some(Dialect::Postgres));
        assert_eq!(
            found.conflict.map(|e| (e.kind, e.path)),
            Some((EvidenceKind::AlembicUrl, "alembic.ini".to_string()))
        );
        // Test settings and vendored projects are not this project's database.
        let found = run(&[
            (
                "tests/settings.py",
                "ENGINE = 'django.db.backends.sqlite3'\n",
            ),
            (
                "vendor/x/Cargo.toml",
                "[dependencies]\ndiesel = { version = \"2\", features = [\"mysql\"] }\n",
            ),
        ]);
        assert_eq!(found, Detection::default());
    }
}

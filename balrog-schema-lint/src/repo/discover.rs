//! Finding migrations in a tree: locations, formats, versions and apply order.

use globset::{Glob, GlobMatcher};

use crate::config::{outside_repository, Location};
use crate::error::{Error, Result};
use crate::model::migration::MigrationFormat;
use crate::model::migration::{migration_version, sql_direction, Direction, MigrationVersion};
use crate::model::ops::Dialect;
use crate::repo::git::{EntryKind, TreeFile};

/// Balrog's migration folders over its history, in the order they were used.
pub const BALROG_LOCATIONS: [(&str, MigrationFormat); 3] = [
    (
        "auslib/migrate/versions",
        MigrationFormat::SqlalchemyMigrate,
    ),
    (
        "src/auslib/migrate/versions",
        MigrationFormat::SqlalchemyMigrate,
    ),
    ("src/auslib/alembic/versions", MigrationFormat::Alembic),
];

/// Folders never searched when detecting layouts: vendored libraries and test data carry
/// migration-shaped files that are not this project's migrations.
const SKIPPED_DIRS: [&str; 6] = [
    "vendor",
    "node_modules",
    "testdata",
    "tests",
    "test",
    "fixtures",
];

/// A migration file found in a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    /// Path relative to the repository root.
    pub path: String,
    /// Blob id of its content.
    pub id: git2::Oid,
    /// Regular file, symlink or submodule (only regular files can be read).
    pub kind: EntryKind,
    /// How it is written (never `Auto`).
    pub format: MigrationFormat,
    /// The dialect it is read in.
    pub dialect: Dialect,
    /// Its version; for Alembic the file name stands in until the revision chain is read.
    pub version: MigrationVersion,
    /// Index of its location in the effective location list (earlier locations apply first).
    pub location: usize,
}

/// Everything discovered in one tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// Up migrations in apply order (Alembic files ordered by name until their chain is read).
    pub migrations: Vec<MigrationFile>,
    /// Down migrations (never applied), by path.
    pub down_files: Vec<String>,
}

/// A location with its path matcher prepared.
#[derive(Debug, Clone)]
pub struct ResolvedLocation {
    /// The location as configured or detected.
    pub location: Location,
    matcher: PathMatcher,
}

#[derive(Debug, Clone)]
enum PathMatcher {
    Folder(String),
    Glob(GlobMatcher),
}

impl ResolvedLocation {
    /// Prepares a location; a bad glob is a usage error naming it.
    pub fn new(location: Location) -> Result<ResolvedLocation> {
        if outside_repository(&location.path) {
            return Err(Error::Usage(format!(
                "migrations `{}` is outside the repository: paths are relative to its root",
                location.path
            )));
        }
        let path = location.path.trim_matches('/').to_string();
        let matcher = if path.contains(['*', '?', '[', '{']) {
            let glob = Glob::new(&path)
                .map_err(|err| Error::Usage(format!("bad migrations glob `{path}`: {err}")))?;
            PathMatcher::Glob(glob.compile_matcher())
        } else {
            PathMatcher::Folder(path)
        };
        Ok(ResolvedLocation { location, matcher })
    }

    /// Whether a repository path lies in this location.
    pub fn contains(&self, path: &str) -> bool {
        match &self.matcher {
            PathMatcher::Folder(folder) => {
                folder.is_empty()
                    || path
                        .strip_prefix(folder.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            }
            PathMatcher::Glob(glob) => glob.is_match(path),
        }
    }
}

/// Detects migration locations in a tree: Balrog's folders, sqlalchemy-migrate repositories
/// (`migrate.cfg` beside `versions/`), Alembic (`env.py` beside `versions/`), folders of
/// versioned `.sql` files and diesel folders (`<version>_<name>/up.sql`).
pub fn detect_locations(files: &[TreeFile]) -> Vec<Location> {
    let mut found: Vec<Location> = Vec::new();
    let mut add = |path: String, format: MigrationFormat| {
        if !found.iter().any(|l| l.path == path) {
            found.push(Location::new(path, format));
        }
    };
    for (path, format) in BALROG_LOCATIONS {
        let prefix = format!("{path}/");
        if files.iter().any(|f| f.path.starts_with(&prefix)) {
            add(path.to_string(), format);
        }
    }
    for file in files {
        let (dir, name) = split_path(&file.path);
        if dir.split('/').any(|part| SKIPPED_DIRS.contains(&part)) {
            continue;
        }
        let versions = join(dir, "versions");
        let has_versions = || {
            let prefix = format!("{versions}/");
            files.iter().any(|f| f.path.starts_with(&prefix))
        };
        match name {
            "migrate.cfg" if has_versions() => add(versions, MigrationFormat::SqlalchemyMigrate),
            "env.py" | "script.py.mako" if has_versions() => {
                add(versions, MigrationFormat::Alembic)
            }
            _ if name.ends_with(".sql") && migration_version(name).is_some() => {
                add(dir.to_string(), MigrationFormat::Sql)
            }
            "up.sql" => {
                let (parent, folder) = split_path(dir);
                if migration_version(folder).is_some() {
                    add(parent.to_string(), MigrationFormat::Sql)
                }
            }
            _ => {}
        }
    }
    for folder in django_apps(files) {
        add(folder, MigrationFormat::Django);
    }
    // Python locations before SQL ones, each group by path, Balrog's in history order first.
    found.sort_by_key(|l| match l.format {
        MigrationFormat::SqlalchemyMigrate => 0,
        MigrationFormat::Alembic => 1,
        MigrationFormat::Django => 2,
        MigrationFormat::Sql | MigrationFormat::Auto => 3,
    });
    found
}

/// Django apps' `migrations` folders: a package (`__init__.py`) holding numbered modules
/// (`0001_initial.py`), outside vendored and test folders.
pub fn django_apps(files: &[TreeFile]) -> Vec<String> {
    let mut folders: Vec<String> = Vec::new();
    for file in files {
        let (dir, name) = split_path(&file.path);
        if split_path(dir).1 != "migrations"
            || dir.split('/').any(|part| SKIPPED_DIRS.contains(&part))
            || !name.ends_with(".py")
            || !name.starts_with(|c: char| c.is_ascii_digit())
            || folders.iter().any(|f| f == dir)
        {
            continue;
        }
        let init = format!("{dir}/__init__.py");
        if files.iter().any(|f| f.path == init) {
            folders.push(dir.to_string());
        }
    }
    folders.sort();
    folders
}

fn split_path(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((dir, name)) => (dir, name),
        None => ("", path),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Finds the migrations of `locations` in a tree, in apply order.
pub fn discover(
    files: &[TreeFile],
    locations: &[ResolvedLocation],
    default_dialect: Dialect,
) -> Discovered {
    let mut found = Discovered::default();
    let mut variants: Vec<String> = Vec::new();
    for file in files {
        let Some(index) = locations.iter().position(|l| l.contains(&file.path)) else {
            continue;
        };
        let location = &locations[index].location;
        let dialect = location.dialect.unwrap_or(default_dialect);
        let (dir, name) = split_path(&file.path);
        // Per-dialect trees (`migrations/mysql/...`, `migrations/postgresql/...`): only the
        // configured dialect's tree applies.
        if dir
            .split('/')
            .filter_map(Dialect::from_name)
            .any(|d| d != dialect)
        {
            continue;
        }
        // Per-dialect files (`x.sql.postgres` beside `x.sql`): the configured dialect's
        // variant replaces the plain file; other dialects' variants do not apply.
        let (name, variant) = match name.rsplit_once(".sql.") {
            Some((stem, suffix)) => match Dialect::from_name(suffix) {
                Some(d) if d == dialect => (name.get(..stem.len() + 4).unwrap_or(name), true),
                Some(_) => continue,
                None => (name, false),
            },
            None => (name, false),
        };
        let format = match location.format {
            MigrationFormat::Auto => match name.rsplit_once('.').map(|(_, ext)| ext) {
                Some("sql") => MigrationFormat::Sql,
                // sqlalchemy-migrate keeps its scripts in `versions/`; Django in an app's
                // `migrations/` package.
                Some("py") if split_path(dir).1 == "migrations" => MigrationFormat::Django,
                Some("py") => MigrationFormat::SqlalchemyMigrate,
                _ => continue,
            },
            format => format,
        };
        let version = match format {
            MigrationFormat::Sql => {
                if !name.ends_with(".sql") {
                    continue;
                }
                if sql_direction(name) == Direction::Down {
                    found.down_files.push(file.path.clone());
                    continue;
                }
                // diesel keeps the version on the folder: `<version>_<name>/up.sql`.
                let named = if name == "up.sql" {
                    split_path(dir).1
                } else {
                    name
                };
                match migration_version(named) {
                    Some(version) => version,
                    None => continue,
                }
            }
            MigrationFormat::SqlalchemyMigrate => {
                if !name.ends_with(".py") {
                    continue;
                }
                match migration_version(name) {
                    Some(version) => version,
                    None => continue,
                }
            }
            MigrationFormat::Alembic => {
                if !name.ends_with(".py") || name == "__init__.py" || name == "env.py" {
                    continue;
                }
                MigrationVersion::new(Vec::new(), name.trim_end_matches(".py"))
            }
            MigrationFormat::Django => {
                if !name.ends_with(".py") || name == "__init__.py" {
                    continue;
                }
                MigrationVersion::new(Vec::new(), file.path.trim_end_matches(".py"))
            }
            MigrationFormat::Auto => continue,
        };
        if variant {
            variants.push(join(dir, name));
        }
        found.migrations.push(MigrationFile {
            path: file.path.clone(),
            id: file.id,
            kind: file.kind,
            format,
            dialect,
            version,
            location: index,
        });
    }
    found.migrations.retain(|m| !variants.contains(&m.path));
    found
        .migrations
        .sort_by(|a, b| (a.location, &a.version, &a.path).cmp(&(b.location, &b.version, &b.path)));
    found
}

/// Orders one location's Alembic revisions by their `down_revision` chain. `revisions`
/// holds, per file (in the same order as `files`), its revision id and parents. A parent no
/// file provides is taken as already applied (the chain rule reports it); files caught in a
/// cycle keep their place at the end, by name.
pub fn order_alembic(revisions: &[(Option<String>, Vec<String>)]) -> Vec<usize> {
    use std::collections::HashSet;
    let provided: HashSet<&str> = revisions
        .iter()
        .filter_map(|(revision, _)| revision.as_deref())
        .collect();
    let mut placed = vec![false; revisions.len()];
    let mut order = Vec::with_capacity(revisions.len());
    let mut known: HashSet<&str> = HashSet::new();
    // Repeatedly place every revision whose parents are all placed; stable by file order.
    loop {
        let mut progressed = false;
        for (i, (revision, parents)) in revisions.iter().enumerate() {
            let ready = parents
                .iter()
                .all(|p| known.contains(p.as_str()) || !provided.contains(p.as_str()));
            if placed[i] || !ready {
                continue;
            }
            placed[i] = true;
            order.push(i);
            if let Some(revision) = revision {
                known.insert(revision);
            }
            progressed = true;
        }
        if !progressed {
            break;
        }
    }
    order.extend((0..revisions.len()).filter(|i| !placed[*i]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> Vec<TreeFile> {
        paths
            .iter()
            .map(|p| TreeFile {
                path: p.to_string(),
                id: git2::Oid::ZERO_SHA1,
                kind: EntryKind::File,
            })
            .collect()
    }

    #[test]
    fn locations_outside_the_repository_are_refused() {
        for path in ["../x", "db/../../x", "..", "a\\..\\b"] {
            let err = ResolvedLocation::new(Location::new(path, MigrationFormat::Auto));
            assert!(
                matches!(&err, Err(Error::Usage(m)) if m.contains("outside the repository")),
                "{path}"
            );
        }
        assert!(
            ResolvedLocation::new(Location::new("db/..migrations", MigrationFormat::Auto)).is_ok()
        );
    }

    #[test]
    fn detects_common_layouts() {
        let files = tree(&[
            "db/migrations/0001_init.sql",
            "db/migrations/0002_more.sql",
            "diesel/migrations/2024-01-01-000000_init/up.sql",
            "diesel/migrations/2024-01-01-000000_init/down.sql",
            "src/auslib/migrate/migrate.cfg",
            "src/auslib/migrate/versions/001_initial.py",
            "app/alembic/env.py",
            "app/alembic/versions/abc_first.py",
            "vendor/lib/migrate/migrate.cfg",
            "tests/fixtures/0001_x.sql",
            "docs/schema.sql",
        ]);
        let found: Vec<(String, MigrationFormat)> = detect_locations(&files)
            .into_iter()
            .map(|l| (l.path, l.format))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "src/auslib/migrate/versions".to_string(),
                    MigrationFormat::SqlalchemyMigrate
                ),
                ("app/alembic/versions".to_string(), MigrationFormat::Alembic),
                ("db/migrations".to_string(), MigrationFormat::Sql),
                ("diesel/migrations".to_string(), MigrationFormat::Sql),
            ]
        );
    }

    #[test]
    fn detects_django_apps() {
        let files = tree(&[
            "hc/api/migrations/__init__.py",
            "hc/api/migrations/0001_initial.py",
            "hc/api/migrations/0002_more.py",
            "hc/front/migrations/__init__.py",
            "hc/front/migrations/0001_initial.py",
            "hc/empty/migrations/__init__.py",
            "tests/app/migrations/__init__.py",
            "tests/app/migrations/0001_initial.py",
            "loose/migrations/0001_not_a_package.py",
        ]);
        let found: Vec<(String, MigrationFormat)> = detect_locations(&files)
            .into_iter()
            .map(|l| (l.path, l.format))
            .collect();
        assert_eq!(
            found,
            vec![
                ("hc/api/migrations".to_string(), MigrationFormat::Django),
                ("hc/front/migrations".to_string(), MigrationFormat::Django),
            ]
        );
        let location =
            ResolvedLocation::new(Location::new("hc/api/migrations", MigrationFormat::Auto))
                .unwrap();
        let found = discover(&files, &[location], Dialect::Postgres);
        let formats: Vec<MigrationFormat> = found.migrations.iter().map(|m| m.format).collect();
        assert_eq!(formats, [MigrationFormat::Django, MigrationFormat::Django]);
    }

    #[test]
    fn orders_numerically_and_skips_down_files() {
        let files = tree(&[
            "m/10_b.up.sql",
            "m/10_b.down.sql",
            "m/9_a.up.sql",
            "m/README.md",
            "m/schema.sql",
        ]);
        let location = ResolvedLocation::new(Location::new("m", MigrationFormat::Sql)).unwrap();
        let found = discover(&files, &[location], Dialect::Mysql);
        let paths: Vec<&str> = found.migrations.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, vec!["m/9_a.up.sql", "m/10_b.up.sql"]);
        assert_eq!(found.down_files, vec!["m/10_b.down.sql".to_string()]);
    }

    #[test]
    fn folder_locations_match_whole_components() {
        let location =
            ResolvedLocation::new(Location::new("db/migrations/", MigrationFormat::Sql)).unwrap();
        assert!(location.contains("db/migrations/1_x.sql"));
        assert!(!location.contains("db/migrations2/1_x.sql"));
        let glob =
            ResolvedLocation::new(Location::new("db/**/*.sql", MigrationFormat::Sql)).unwrap();
        assert!(glob.contains("db/a/b/1_x.sql"));
        assert!(ResolvedLocation::new(Location::new("db/[", MigrationFormat::Sql)).is_err());
    }

    #[test]
    fn dialect_variants_pick_the_configured_dialect() {
        let files = tree(&[
            "m/1_init.sql",
            "m/1_init.sql.sqlite",
            "m/1_init.sql.postgres",
            "m/2_more.sql",
            "d/mysql/1_a.sql",
            "d/sqlite/1_a.sql",
        ]);
        let locations = [
            ResolvedLocation::new(Location::new("m", MigrationFormat::Sql)).unwrap(),
            ResolvedLocation::new(Location::new("d", MigrationFormat::Sql)).unwrap(),
        ];
        let paths = |dialect| -> Vec<String> {
            discover(&files, &locations, dialect)
                .migrations
                .into_iter()
                .map(|m| m.path)
                .collect()
        };
        assert_eq!(
            paths(Dialect::Mysql),
            ["m/1_init.sql", "m/2_more.sql", "d/mysql/1_a.sql"]
        );
        assert_eq!(
            paths(Dialect::Sqlite),
            ["m/1_init.sql.sqlite", "m/2_more.sql", "d/sqlite/1_a.sql"]
        );
    }

    #[test]
    fn alembic_chain_orders_by_down_revision() {
        let revisions = vec![
            (Some("c".to_string()), vec!["b".to_string()]),
            (Some("a".to_string()), vec![]),
            (Some("b".to_string()), vec!["a".to_string()]),
            (Some("x".to_string()), vec!["missing".to_string()]),
            (Some("y".to_string()), vec!["z".to_string()]),
            (Some("z".to_string()), vec!["y".to_string()]),
        ];
        // x's parent is in no file: x is placed; y and z form a cycle and go last.
        assert_eq!(order_alembic(&revisions), vec![1, 2, 3, 0, 4, 5]);
    }
}

//! Repository modules a Python migration imports (`from app.migration_util import
//! is_mysql`), found in the tree at the revision being read, so that the reader can read
//! their helpers and constants statically. Nothing is imported or executed.
//!
//! Python finds `app.migration_util` as `app/migration_util.py` or
//! `app/migration_util/__init__.py` under a directory on its path: the project's root, or a
//! source folder (`src/`) that an installed package or Alembic's `prepend_sys_path` puts
//! there. The tool does not know the path, so it tries the migration's own directory and
//! each directory above it, nearest first, up to the root. A relative import
//! (`from .helpers import x`, `from . import x`) is relative to the migration's package.

use crate::error::Result;
use crate::model::migration::MigrationFormat;
use crate::read::python;
use crate::repo::discover::{FileContents, MigrationFile};
use crate::repo::git::{self, EntryKind, TreeFile};

/// A module of the repository that a migration imports, directly or through another such
/// module.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImportedModule {
    /// Its name as the importing code writes it after `from` (leading dots kept).
    pub name: String,
    /// Its file in the tree.
    pub path: String,
    /// The blob read: a change to the module is a change to what the migration does.
    pub id: git2::Oid,
}

/// Whether a migration of this format is read by the Python reader that follows imports.
pub(crate) fn follows_imports(format: MigrationFormat) -> bool {
    matches!(
        format,
        MigrationFormat::Alembic | MigrationFormat::SqlalchemyMigrate
    )
}

/// The Python files of a tree's listing (sorted by path), found by path.
struct PythonFiles<'a>(&'a [TreeFile]);

impl<'a> PythonFiles<'a> {
    fn get(&self, path: &str) -> Option<&'a TreeFile> {
        git::file_at(self.0, path).filter(|f| f.kind == EntryKind::File && f.path.ends_with(".py"))
    }
}

/// Fills [`MigrationFile::imports`] for every Python migration among `migrations`, from
/// the tree `files` they were found in.
pub(crate) fn resolve(
    migrations: &mut [MigrationFile],
    files: &[TreeFile],
    contents: &mut dyn FileContents,
) -> Result<()> {
    if !migrations.iter().any(|m| follows_imports(m.format)) {
        return Ok(());
    }
    let by_path = PythonFiles(files);
    for migration in migrations.iter_mut() {
        if !follows_imports(migration.format) || migration.kind != EntryKind::File {
            continue;
        }
        let script = TreeFile {
            path: migration.path.clone(),
            id: migration.id,
            kind: migration.kind,
        };
        let env = if migration.format == MigrationFormat::Alembic {
            alembic_env(&migration.path, &by_path)
        } else {
            None
        };
        migration.imports = modules_of(&script, env, &by_path, contents)?;
    }
    Ok(())
}

/// The repository modules `script` imports, then those they import (absolute names only:
/// a module's relative import would be read against the script's package), at most
/// [`python::MAX_IMPORTED_MODULES`].
fn modules_of(
    script: &TreeFile,
    env: Option<&TreeFile>,
    by_path: &PythonFiles<'_>,
    contents: &mut dyn FileContents,
) -> Result<Vec<ImportedModule>> {
    let mut found: Vec<ImportedModule> = Vec::new();
    let mut pending: Vec<String> = contents.python_imports(script)?.to_vec();
    if let Some(env) = env {
        // Its metadata's naming convention names the revisions' constraints.
        for next in contents.python_imports(env)? {
            if !next.starts_with('.') {
                pending.push(next);
            }
        }
        found.push(ImportedModule {
            name: ALEMBIC_ENV.to_string(),
            path: env.path.clone(),
            id: env.id,
        });
    }
    let mut seen: Vec<String> = Vec::new();
    while let Some(name) = pending.pop() {
        if seen.contains(&name) || found.len() >= python::MAX_IMPORTED_MODULES {
            continue;
        }
        seen.push(name.clone());
        let Some(module) = candidates(&name, &script.path)
            .iter()
            .find_map(|path| by_path.get(path))
        else {
            continue;
        };
        if module.path == script.path {
            continue;
        }
        for next in contents.python_imports(module)?.iter() {
            if !next.starts_with('.') {
                pending.push(next.clone());
            }
        }
        found.push(ImportedModule {
            name,
            path: module.path.clone(),
            id: module.id,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The name [`ImportedModule::name`] gives Alembic's `env.py` (no module can be called
/// that: it is read for the project's metadata, never imported).
pub const ALEMBIC_ENV: &str = "<alembic env.py>";

/// The `env.py` of the Alembic location holding the revision at `path`: beside its
/// `versions/` folder (or, for a flat location, beside the revision).
fn alembic_env<'a>(path: &str, by_path: &PythonFiles<'a>) -> Option<&'a TreeFile> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let parent = dir.rsplit_once('/').map_or("", |(d, _)| d);
    [dir, parent].iter().find_map(|d| {
        let env = if d.is_empty() {
            "env.py".to_string()
        } else {
            format!("{d}/env.py")
        };
        by_path.get(&env)
    })
}

/// Paths that the module named `name` (as written after `from`) may be at, for a script
/// at `script`, most likely first.
pub(crate) fn candidates(name: &str, script: &str) -> Vec<String> {
    let level = name.len() - name.trim_start_matches('.').len();
    let dotted = &name[level..];
    let relative_path = dotted.replace('.', "/");
    let mut dirs: Vec<&str> = Vec::new();
    let mut dir = script.rsplit_once('/').map_or("", |(d, _)| d);
    if level > 0 {
        // One dot is the script's package, each further dot one package up.
        for _ in 1..level {
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
        dirs.push(dir);
    } else {
        loop {
            dirs.push(dir);
            if dir.is_empty() {
                break;
            }
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
    }
    let mut paths = Vec::new();
    for dir in dirs {
        let base = match (dir.is_empty(), relative_path.is_empty()) {
            (true, _) => relative_path.clone(),
            (false, true) => dir.to_string(),
            (false, false) => format!("{dir}/{relative_path}"),
        };
        if !relative_path.is_empty() {
            paths.push(format!("{base}.py"));
        }
        paths.push(if base.is_empty() {
            "__init__.py".to_string()
        } else {
            format!("{base}/__init__.py")
        });
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::candidates;

    #[test]
    fn absolute_names_are_tried_from_the_script_up_to_the_root() {
        assert_eq!(
            candidates("app.util", "src/migrations/versions/1_x.py"),
            [
                "src/migrations/versions/app/util.py",
                "src/migrations/versions/app/util/__init__.py",
                "src/migrations/app/util.py",
                "src/migrations/app/util/__init__.py",
                "src/app/util.py",
                "src/app/util/__init__.py",
                "app/util.py",
                "app/util/__init__.py",
            ]
        );
    }

    #[test]
    fn relative_names_are_read_from_the_package() {
        assert_eq!(
            candidates(".helpers", "db/versions/1_x.py"),
            ["db/versions/helpers.py", "db/versions/helpers/__init__.py"]
        );
        assert_eq!(candidates(".", "db/versions/1_x.py"), ["db/versions/__init__.py"]);
        assert_eq!(
            candidates("..common", "db/versions/1_x.py"),
            ["db/common.py", "db/common/__init__.py"]
        );
    }
}

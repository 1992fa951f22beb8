//! Finding migrations in a tree: locations, formats, versions and apply order.

use globset::{Glob, GlobMatcher};

use crate::config::{outside_repository, Location};
use crate::error::{Error, Result};
use crate::model::migration::MigrationFormat;
use crate::model::migration::{migration_version, MigrationVersion};
use crate::model::ops::Dialect;
use crate::repo::git::{EntryKind, TreeFile};
use crate::repo::layout::{self, Candidate, ContentKind, LocationFacts, Role};

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
    /// Repository modules a Python migration imports, read with it (empty for the others).
    pub imports: Vec<crate::repo::python_imports::ImportedModule>,
}

/// A file under a migration location that is not an upgrade, or not one the tool reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Path relative to the repository root.
    pub path: String,
    /// Why it is ignored, or what the tool expected there.
    pub reason: String,
}

/// Everything discovered in one tree. Every file under a location is in exactly one of
/// `migrations`, `ignored` and `unrecognised` (down files are ignored too, and also listed
/// in `down_files`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// Up migrations in apply order (Alembic files ordered by name until their chain is read).
    pub migrations: Vec<MigrationFile>,
    /// Down migrations (never applied), by path.
    pub down_files: Vec<String>,
    /// Files the layout defines as not being upgrades, with the reason.
    pub ignored: Vec<LedgerEntry>,
    /// Files the tool does not read, with what it expected there.
    pub unrecognised: Vec<LedgerEntry>,
    /// Synapse: the full schema a new database starts from (the newest `full_schemas/<N>/`
    /// at or below the newest delta folder, every database's files in name order). They are
    /// also in `ignored`: an existing database never runs them.
    pub full_schemas: Vec<MigrationFile>,
}

impl Discovered {
    /// The files a new database runs, in order: every migration, except that Synapse starts
    /// from its newest full schema and runs only the deltas above its version.
    pub fn replay_order(&self) -> impl Iterator<Item = &MigrationFile> {
        let baseline = self.full_schemas.first().and_then(|f| f.version.parts().first());
        self.full_schemas.iter().chain(self.migrations.iter().filter(move |m| {
            m.format != MigrationFormat::Synapse
                || baseline.is_none_or(|base| m.version.parts().first() > Some(base))
        }))
    }
}

/// Where discovery reads file content, when a name does not say what a file is (a `.py`
/// file may be an Alembic revision, a sqlalchemy-migrate script or a Django migration) or
/// a layout keeps its order in a file (`sqitch.plan`).
pub trait FileContents {
    /// What the file's content says it is.
    fn kind(&mut self, file: &TreeFile) -> Result<ContentKind>;
    /// The file's text (lossy for text that is not UTF-8).
    fn text(&mut self, file: &TreeFile) -> Result<String>;
    /// The modules a Python file imports with `from NAME import ...` that may be the
    /// repository's own (see [`crate::read::python::imported_module_names`]).
    fn python_imports(&mut self, file: &TreeFile) -> Result<Vec<String>> {
        Ok(crate::read::python::imported_module_names(&self.text(file)?))
    }
}

/// A location with its path matcher prepared.
#[derive(Debug, Clone)]
pub struct ResolvedLocation {
    /// The location as configured or detected.
    pub location: Location,
    /// How many per-database trees (`mysql/`, `postgres/`, ...) it holds at either end of
    /// the range, so that both ends read the same tree.
    pub database_trees: usize,
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
        Ok(ResolvedLocation {
            location,
            database_trees: 0,
            matcher,
        })
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

    /// A path relative to this location: below the folder, or the file name for a glob.
    pub fn relative<'p>(&self, path: &'p str) -> &'p str {
        match &self.matcher {
            PathMatcher::Folder(folder) if folder.is_empty() => path,
            PathMatcher::Folder(folder) => path
                .strip_prefix(folder.as_str())
                .map_or(path, |rest| rest.trim_start_matches('/')),
            PathMatcher::Glob(_) => split_path(path).1,
        }
    }
}

/// Detects migration locations in a tree: Balrog's folders, sqlalchemy-migrate repositories
/// (`migrate.cfg` beside `versions/`), Alembic (`env.py` beside `versions/`), sqitch
/// (`sqitch.plan`), Prisma (`migration_lock.toml`, `<name>/migration.sql`), Synapse
/// (`delta/<N>/`), Rails (`db/migrate/*.rb`), Django (`migrations/__init__.py` beside
/// `NNNN_name.py`), folders of versioned `.sql` files and diesel folders.
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
    let has_under = |dir: &str, pred: &dyn Fn(&str) -> bool| {
        let prefix = format!("{dir}/");
        files
            .iter()
            .filter_map(|f| f.path.strip_prefix(&prefix))
            .any(pred)
    };
    // Asked for each file of a `full_schemas/<N>/` folder: scanned once.
    let delta_elsewhere = std::cell::OnceCell::new();
    for file in files {
        let (dir, name) = split_path(&file.path);
        if dir.split('/').any(|part| SKIPPED_DIRS.contains(&part)) {
            continue;
        }
        // A per-database tree (`migrations/postgres/0001_x.sql` beside
        // `migrations/mysql/0001_x.sql`) is part of the folder holding the trees, where only
        // the dialect's own tree applies.
        let dir = match split_path(dir) {
            (parent, last) if !parent.is_empty() && layout::is_database_folder(last) => parent,
            _ => dir,
        };
        // Built only for the few names that need them: this runs for every path of every
        // tree a history lists.
        let versions = || join(dir, "versions");
        let has_versions = || has_under(&versions(), &|_| true);
        let ends_with = |suffix: &str| {
            name.len() >= suffix.len()
                && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
        };
        let (parent, folder) = split_path(dir);
        match name {
            "migrate.cfg" if has_versions() => add(versions(), MigrationFormat::SqlalchemyMigrate),
            "env.py" | "script.py.mako" if has_versions() => {
                add(versions(), MigrationFormat::Alembic)
            }
            "sqitch.plan" => add(dir.to_string(), MigrationFormat::Sqitch),
            "migration_lock.toml" => add(dir.to_string(), MigrationFormat::Prisma),
            "migration.sql" if folder_name(parent) == "migrations" => {
                add(parent.to_string(), MigrationFormat::Prisma)
            }
            "__init__.py"
                if folder == "migrations"
                    && has_under(dir, &|rest| {
                        !rest.contains('/')
                            && rest.ends_with(".py")
                            && rest.len() > 5
                            && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                    })
                    && !has_under(dir, &|rest| rest == "env.py") =>
            {
                add(dir.to_string(), MigrationFormat::Django)
            }
            _ if ends_with(".rb") && dir.ends_with("db/migrate") => {
                add(dir.to_string(), MigrationFormat::Rails)
            }
            _ if synapse_delta(dir).is_some() => {
                if let Some(root) = synapse_delta(dir) {
                    add(root.to_string(), MigrationFormat::Synapse)
                }
            }
            // A Synapse database with a full schema and no delta yet (`common/` often):
            // a new database starts from its full schema too.
            _ if synapse_full_schemas(dir).is_some()
                && *delta_elsewhere.get_or_init(|| synapse_delta_elsewhere(files)) =>
            {
                if let Some(root) = synapse_full_schemas(dir) {
                    add(root.to_string(), MigrationFormat::Synapse)
                }
            }
            _ if ends_with(".sql") && name.starts_with("R__") => {
                add(dir.to_string(), MigrationFormat::Flyway)
            }
            _ if ends_with(".sql") && migration_version(name).is_some() => {
                let format = if name.starts_with('V') {
                    MigrationFormat::Flyway
                } else if ends_with(".up.sql") || ends_with(".down.sql") {
                    MigrationFormat::GolangMigrate
                } else {
                    MigrationFormat::Sql
                };
                add(dir.to_string(), format)
            }
            "up.sql"
                if layout::diesel_version(folder).is_some()
                    && migration_version(folder).is_some() =>
            {
                add(parent.to_string(), MigrationFormat::Diesel)
            }
            _ => {}
        }
    }
    for folder in django_apps(files) {
        add(folder, MigrationFormat::Django);
    }
    // A folder detected twice (numbered files and Flyway ones) keeps its first format; a
    // location inside another detected one is part of it.
    let outer: Vec<String> = found.iter().map(|l| l.path.clone()).collect();
    found.retain(|l| {
        !outer
            .iter()
            .any(|o| !o.is_empty() && *o != l.path && l.path.starts_with(&format!("{o}/")))
    });
    // Python locations before SQL ones, Balrog's in history order first, each group in the
    // order of the files that revealed them (the listing's path order).
    found.sort_by_key(|l| match l.format {
        MigrationFormat::SqlalchemyMigrate => 0,
        MigrationFormat::Alembic => 1,
        MigrationFormat::Django => 2,
        _ => 3,
    });
    found
}

/// The folder holding a Synapse `delta/<N>` folder, if `dir` is one.
fn synapse_delta(dir: &str) -> Option<&str> {
    let (parent, number) = split_path(dir);
    let (root, delta) = split_path(parent);
    (delta == "delta" && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(root)
}

/// The folder holding a Synapse `full_schemas/<N>` folder, if `dir` is one.
fn synapse_full_schemas(dir: &str) -> Option<&str> {
    let (parent, number) = split_path(dir);
    let (root, full) = split_path(parent);
    (full == "full_schemas" && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(root)
}

/// Whether the tree has a Synapse delta folder anywhere (so that `full_schemas/<N>/` is
/// Synapse's, not a folder of another project that happens to have that name).
fn synapse_delta_elsewhere(files: &[TreeFile]) -> bool {
    files
        .iter()
        .any(|f| synapse_delta(split_path(&f.path).0).is_some())
}

fn folder_name(dir: &str) -> &str {
    split_path(dir).1
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

/// Settles the layout of every `auto` location from the files it holds at both ends of the
/// range, so that both ends read the location the same way (a release that adds the first
/// `R__` file does not turn a folder into Flyway at one end only).
pub fn settle_formats(locations: &mut [ResolvedLocation], trees: &[&[TreeFile]]) {
    for index in 0..locations.len() {
        let mut relatives: Vec<&str> = Vec::new();
        for files in trees {
            for file in files.iter() {
                // Each file belongs to the first location that contains it.
                if owner(locations, &file.path) == Some(index) {
                    relatives.push(locations[index].relative(&file.path));
                }
            }
        }
        relatives.sort_unstable();
        relatives.dedup();
        locations[index].database_trees = database_trees(&relatives);
        if locations[index].location.format != MigrationFormat::Auto {
            continue;
        }
        let format = layout::infer_format(&locations[index].location.path, &relatives);
        locations[index].location.format = format;
    }
}

/// The location a path belongs to: the innermost one that contains it (a location at the
/// repository's root, such as a sqitch project's, holds the others), the first listed among
/// equals.
fn owner(locations: &[ResolvedLocation], path: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (index, location) in locations.iter().enumerate() {
        let depth = location.location.path.trim_matches('/').len();
        if location.contains(path) && best.is_none_or(|(_, deepest)| depth > deepest) {
            best = Some((index, depth));
        }
    }
    best.map(|(index, _)| index)
}

/// How many per-database trees (`mysql/`, `postgres/`, `mssql/`, ...) paths relative to a
/// location name.
fn database_trees(relatives: &[&str]) -> usize {
    let mut trees: Vec<&str> = relatives
        .iter()
        .flat_map(|r| {
            let folders = r.rsplit_once('/').map_or("", |(folders, _)| folders);
            folders.split('/').filter(|f| layout::is_database_folder(f))
        })
        .collect();
    trees.sort_unstable();
    trees.dedup();
    trees.len()
}

/// Finds the migrations of `locations` in a tree, in apply order, and accounts for every
/// other file under a location (ignored, with the reason, or unrecognised).
pub fn discover(
    files: &[TreeFile],
    locations: &[ResolvedLocation],
    default_dialect: Dialect,
    contents: &mut dyn FileContents,
) -> Result<Discovered> {
    let mut found = Discovered::default();
    let mut by_location: Vec<Vec<&TreeFile>> = vec![Vec::new(); locations.len()];
    for file in files {
        if let Some(index) = owner(locations, &file.path) {
            by_location[index].push(file);
        }
    }
    for (index, (resolved, files)) in locations.iter().zip(&by_location).enumerate() {
        if files.is_empty() {
            continue;
        }
        discover_location(
            index,
            resolved,
            files,
            default_dialect,
            contents,
            &mut found,
        )?;
    }
    // Synapse runs the deltas of every database (`common`, `main`, `state`) together, version
    // folder by version folder, each folder's files in name order across the databases: its
    // locations form one group, placed where the first of them is.
    let synapse_group = found
        .migrations
        .iter()
        .filter(|m| m.format == MigrationFormat::Synapse)
        .map(|m| m.location)
        .min();
    let group = |m: &MigrationFile| match (m.format, synapse_group) {
        (MigrationFormat::Synapse, Some(first)) => first,
        _ => m.location,
    };
    found
        .migrations
        .sort_by(|a, b| (group(a), &a.version, &a.path).cmp(&(group(b), &b.version, &b.path)));
    choose_full_schema(&mut found);
    crate::repo::python_imports::resolve(&mut found.migrations, files, contents)?;
    Ok(found)
}

/// Keeps the Synapse full schema a new database would start from: the newest version at or
/// below the newest delta folder (Synapse's own `SCHEMA_VERSION`, which a delta folder never
/// exceeds), all of that version's files across the databases, in name order.
fn choose_full_schema(found: &mut Discovered) {
    let newest_delta = found
        .migrations
        .iter()
        .filter(|m| m.format == MigrationFormat::Synapse)
        .filter_map(|m| m.version.parts().first().copied())
        .max();
    let version_of = |f: &MigrationFile| f.version.parts().first().copied().unwrap_or(0);
    let chosen = found
        .full_schemas
        .iter()
        .map(version_of)
        .filter(|v| newest_delta.is_none_or(|newest| *v <= newest))
        .max();
    found
        .full_schemas
        .retain(|f| Some(version_of(f)) == chosen);
    found
        .full_schemas
        .sort_by(|a, b| (&a.version, &a.path).cmp(&(&b.version, &b.path)));
}

fn discover_location(
    index: usize,
    resolved: &ResolvedLocation,
    files: &[&TreeFile],
    default_dialect: Dialect,
    contents: &mut dyn FileContents,
    found: &mut Discovered,
) -> Result<()> {
    let location = &resolved.location;
    let relatives: Vec<&str> = files.iter().map(|f| resolved.relative(&f.path)).collect();
    let format = match location.format {
        MigrationFormat::Auto => layout::infer_format(&location.path, &relatives),
        format => format,
    };
    let mut facts = LocationFacts {
        database_trees: resolved.database_trees.max(database_trees(&relatives)),
        ..LocationFacts::default()
    };
    for (file, relative) in files.iter().zip(&relatives) {
        if file.kind != EntryKind::File {
            continue;
        }
        match (format, *relative) {
            (MigrationFormat::Sqitch, "sqitch.conf") => {
                facts.sqitch_dirs = layout::SqitchDirs::from_conf(&contents.text(file)?);
            }
            (MigrationFormat::Prisma, "migration_lock.toml") => {
                facts.dialect = layout::prisma_provider(&contents.text(file)?);
            }
            _ => {}
        }
    }
    if format == MigrationFormat::Sqitch {
        let plan = files
            .iter()
            .zip(&relatives)
            .find(|(file, relative)| **relative == facts.sqitch_dirs.plan && file.kind == EntryKind::File);
        if let Some((file, _)) = plan {
            facts.sqitch_plan = Some(layout::sqitch_plan(&contents.text(file)?));
        }
    }
    let dialect = location
        .dialect
        .or(facts.dialect)
        .unwrap_or(default_dialect);
    // Per-dialect variants (`x.sql.sqlite` beside `x.sql`) replace the plain file, except in
    // Synapse, which runs both.
    let mut replaced: Vec<(String, String)> = Vec::new();
    let first = found.migrations.len();
    for (file, relative) in files.iter().zip(&relatives) {
        let kind = if layout::needs_content(format, relative) && file.kind == EntryKind::File {
            Some(contents.kind(file)?)
        } else {
            None
        };
        let candidate = Candidate {
            relative,
            location: &location.path,
        };
        match layout::classify(format, candidate, kind, &facts, dialect) {
            Role::Upgrade {
                format: file_format,
                version,
                dialect: variant,
            } => {
                if let (Some(variant), true) = (variant, file_format != MigrationFormat::Synapse) {
                    if let Some((plain, _)) = file.path.rsplit_once('.') {
                        replaced.push((
                            plain.to_string(),
                            format!("{variant} variant {}", file_name_of(&file.path)),
                        ));
                    }
                }
                // Django migrations are named by app and module: the path stands in until
                // their dependency graph orders them.
                let version = match file_format {
                    MigrationFormat::Django => {
                        MigrationVersion::new(Vec::new(), file.path.trim_end_matches(".py"))
                    }
                    _ => version,
                };
                found.migrations.push(MigrationFile {
                    path: file.path.clone(),
                    id: file.id,
                    kind: file.kind,
                    format: file_format,
                    dialect,
                    version,
                    location: index,
                    imports: Vec::new(),
                });
            }
            Role::Down(reason) => {
                found.down_files.push(file.path.clone());
                found.ignored.push(LedgerEntry {
                    path: file.path.clone(),
                    reason,
                });
            }
            Role::Ignored(reason) => {
                let full_schema = match format {
                    MigrationFormat::Synapse if file.kind == EntryKind::File => {
                        layout::synapse_full_schema(relative, dialect)
                    }
                    _ => None,
                };
                if let Some(version) = full_schema {
                    found.full_schemas.push(MigrationFile {
                        path: file.path.clone(),
                        id: file.id,
                        kind: file.kind,
                        format,
                        dialect,
                        version,
                        location: index,
                        imports: Vec::new(),
                    });
                }
                found.ignored.push(LedgerEntry {
                    path: file.path.clone(),
                    reason,
                })
            }
            Role::Unrecognised(reason) => found.unrecognised.push(LedgerEntry {
                path: file.path.clone(),
                reason,
            }),
        }
    }
    if !replaced.is_empty() {
        let mut kept = Vec::with_capacity(found.migrations.len());
        for migration in found.migrations.drain(first..) {
            match replaced.iter().find(|(plain, _)| *plain == migration.path) {
                Some((_, variant)) => found.ignored.push(LedgerEntry {
                    reason: format!("replaced by its {variant}"),
                    path: migration.path,
                }),
                None => kept.push(migration),
            }
        }
        found.migrations.extend(kept);
    }
    Ok(())
}

fn file_name_of(path: &str) -> &str {
    split_path(path).1
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

    /// Content for tests: every file is plain text with no markers.
    struct NoContents;

    impl FileContents for NoContents {
        fn kind(&mut self, _: &TreeFile) -> Result<ContentKind> {
            Ok(ContentKind::Plain)
        }
        fn text(&mut self, _: &TreeFile) -> Result<String> {
            Ok(String::new())
        }
    }

    /// Content for tests: every file's content says the same thing.
    struct Kind(ContentKind);

    impl FileContents for Kind {
        fn kind(&mut self, _: &TreeFile) -> Result<ContentKind> {
            Ok(self.0)
        }
        fn text(&mut self, _: &TreeFile) -> Result<String> {
            Ok(String::new())
        }
    }

    use crate::repo::git::tree_of_files as tree;

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
                ("diesel/migrations".to_string(), MigrationFormat::Diesel),
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
        // What a `.py` file is comes from its content: here, `class Migration(...)`.
        let found = discover(&files, &[location], Dialect::Postgres, &mut Kind(ContentKind::Django)).unwrap();
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
        let found = discover(&files, &[location], Dialect::Mysql, &mut NoContents).unwrap();
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
            discover(&files, &locations, dialect, &mut NoContents)
                .unwrap()
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
    fn synapse_databases_run_together_from_the_newest_full_schema() {
        let files = tree(&[
            "s/schema/common/full_schemas/72/full.sql.postgres",
            "s/schema/common/full_schemas/72/full.sql.sqlite",
            "s/schema/main/full_schemas/54/full.sql.postgres",
            "s/schema/main/full_schemas/72/full.sql.postgres",
            "s/schema/main/full_schemas/72/stream_positions.sql",
            "s/schema/main/full_schemas/120/future.sql",
            "s/schema/main/full_schemas/README.md",
            "s/schema/main/delta/54/01old.sql",
            "s/schema/main/delta/80/01a.sql",
            "s/schema/main/delta/80/03c.sql.postgres",
            "s/schema/main/delta/100/01d.sql",
            "s/schema/state/delta/80/02b.sql",
            "s/schema/state/delta/80/02b.sql.sqlite",
        ]);
        let locations: Vec<ResolvedLocation> = detect_locations(&files)
            .into_iter()
            .map(|l| ResolvedLocation::new(l).unwrap())
            .collect();
        let paths: Vec<&str> = locations.iter().map(|l| l.location.path.as_str()).collect();
        // `common` has no delta folder, but a new database runs its full schema.
        assert_eq!(paths, ["s/schema/common", "s/schema/main", "s/schema/state"]);
        let found = discover(&files, &locations, Dialect::Postgres, &mut NoContents).unwrap();
        let order: Vec<&str> = found
            .migrations
            .iter()
            .map(|m| m.path.trim_start_matches("s/schema/"))
            .collect();
        assert_eq!(
            order,
            [
                "main/delta/54/01old.sql",
                "main/delta/80/01a.sql",
                "state/delta/80/02b.sql",
                "main/delta/80/03c.sql.postgres",
                "main/delta/100/01d.sql",
            ]
        );
        // A new database: full schema 72 (the newest at or below the newest delta folder,
        // 100), every database's files for the dialect in name order, then the deltas
        // above it.
        let replay: Vec<&str> = found
            .replay_order()
            .map(|m| m.path.trim_start_matches("s/schema/"))
            .collect();
        assert_eq!(
            replay,
            [
                "common/full_schemas/72/full.sql.postgres",
                "main/full_schemas/72/full.sql.postgres",
                "main/full_schemas/72/stream_positions.sql",
                "main/delta/80/01a.sql",
                "state/delta/80/02b.sql",
                "main/delta/80/03c.sql.postgres",
                "main/delta/100/01d.sql",
            ]
        );
        // Full schemas stay out of a release's upgrades: they are ignored files.
        assert!(found
            .ignored
            .iter()
            .any(|f| f.path == "s/schema/main/full_schemas/72/full.sql.postgres"));
    }

    #[test]
    fn per_database_trees_are_one_location() {
        let files = tree(&[
            "assets/migrations/mysql/001_init.sql",
            "assets/migrations/postgres/001_init.sql",
            "assets/migrations/mssql/001_init.sql",
            "only/postgres/0001_init.sql",
        ]);
        let locations: Vec<ResolvedLocation> = detect_locations(&files)
            .into_iter()
            .map(|l| ResolvedLocation::new(l).unwrap())
            .collect();
        let paths: Vec<&str> = locations.iter().map(|l| l.location.path.as_str()).collect();
        assert_eq!(paths, ["assets/migrations", "only"]);
        let found = discover(&files, &locations, Dialect::Mysql, &mut NoContents).unwrap();
        let read: Vec<&str> = found.migrations.iter().map(|m| m.path.as_str()).collect();
        // A single tree is read whatever its folder says: ignoring it would judge nothing.
        assert_eq!(
            read,
            ["assets/migrations/mysql/001_init.sql", "only/postgres/0001_init.sql"]
        );
        let ignored: Vec<&str> = found.ignored.iter().map(|f| f.reason.as_str()).collect();
        assert_eq!(
            ignored,
            [
                "in the mssql tree; the dialect is mysql",
                "in the postgres tree; the dialect is mysql"
            ]
        );
    }

    #[test]
    fn database_trees_count_at_both_ends() {
        // FROM supported PostgreSQL only; TO adds a MySQL tree. Read as MySQL, FROM has no
        // MySQL migration yet (its PostgreSQL tree is not MySQL's history).
        let from = tree(&["m/postgres/001_init.sql"]);
        let to = tree(&["m/postgres/001_init.sql", "m/mysql/001_init.sql"]);
        let mut locations =
            vec![ResolvedLocation::new(Location::new("m", MigrationFormat::Sql)).unwrap()];
        settle_formats(&mut locations, &[&from, &to]);
        assert_eq!(locations[0].database_trees, 2);
        let at_from = discover(&from, &locations, Dialect::Mysql, &mut NoContents).unwrap();
        assert!(at_from.migrations.is_empty());
        let at_to = discover(&to, &locations, Dialect::Mysql, &mut NoContents).unwrap();
        assert_eq!(at_to.migrations[0].path, "m/mysql/001_init.sql");
    }

    #[test]
    fn a_root_location_leaves_inner_ones_their_files() {
        // A sqitch project at the repository's root holds every path; a numbered folder
        // below it is its own location and keeps its files.
        let files = tree(&[
            "sqitch.plan",
            "deploy/users.sql",
            "lib/App.pm",
            "other/migrations/0001_init.sql",
        ]);
        let locations: Vec<ResolvedLocation> = detect_locations(&files)
            .into_iter()
            .map(|l| ResolvedLocation::new(l).unwrap())
            .collect();
        let paths: Vec<&str> = locations.iter().map(|l| l.location.path.as_str()).collect();
        assert_eq!(paths, ["other/migrations", ""]);
        let found = discover(&files, &locations, Dialect::Postgres, &mut NoContents).unwrap();
        let read: Vec<(&str, MigrationFormat)> = found
            .migrations
            .iter()
            .map(|m| (m.path.as_str(), m.format))
            .collect();
        assert_eq!(read, [("other/migrations/0001_init.sql", MigrationFormat::Sql)]);
        let ignored: Vec<&str> = found.ignored.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(ignored, ["lib/App.pm", "sqitch.plan"]);
        // deploy/users.sql is not in the (empty) plan: unrecognised, never dropped.
        assert_eq!(found.unrecognised[0].path, "deploy/users.sql");
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

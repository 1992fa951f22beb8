//! Builds real git repositories from fixture histories under `testdata/scenarios/`.
//!
//! A scenario is a folder of release snapshots: `testdata/scenarios/<name>/<vX.Y>/...`,
//! committed in version order into a fresh repository and tagged with their folder name (a
//! snapshot folder named `HEAD` is committed last, untagged). Each snapshot holds only what
//! changed since the one before: its files are laid over the previous tree, and the paths
//! listed in its `.deleted` file (one a line) are removed. The first snapshot may start from
//! a shared tree under `testdata/bases/`, named in its `.extends` file. Commits have fixed
//! authors and times, so their ids are the same on every run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub mod schema;

use balrog_schema_lint::model::migration::ReleaseVersion;
use git2::{Oid, Repository, Signature, Time};

/// The folder holding every scenario.
pub fn scenarios_dir() -> PathBuf {
    testdata_dir().join("scenarios")
}

fn testdata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("testdata")
}

/// Snapshot folders of a scenario, in commit order.
pub fn snapshots(scenario: &Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(scenario)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort_by(
        |a, b| match (ReleaseVersion::parse(a), ReleaseVersion::parse(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(b),
        },
    );
    Ok(names)
}

/// A file of a tree: its content and git mode.
type Entry = (Vec<u8>, i32);

/// Files the fixture format uses for itself, never committed.
const CONTROL_FILES: [&str; 2] = [".deleted", ".extends"];

fn io(err: std::io::Error) -> git2::Error {
    git2::Error::from_str(&err.to_string())
}

/// Lays the files under `dir` over `tree` (paths relative to `dir`).
fn overlay(
    tree: &mut BTreeMap<String, Entry>,
    dir: &Path,
    prefix: &str,
) -> Result<(), git2::Error> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if prefix.is_empty() && CONTROL_FILES.contains(&name.as_str()) {
            continue;
        }
        let path = entry.path();
        let relative = format!("{prefix}{name}");
        let meta = fs::symlink_metadata(&path).map_err(io)?;
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&path).map_err(io)?;
            tree.insert(
                relative,
                (target.to_string_lossy().into_owned().into_bytes(), 0o120000),
            );
        } else if meta.is_dir() {
            overlay(tree, &path, &format!("{relative}/"))?;
        } else {
            tree.insert(relative, (fs::read(&path).map_err(io)?, 0o100644));
        }
    }
    Ok(())
}

/// Applies one snapshot folder to the tree of the snapshot before it.
fn apply_snapshot(tree: &mut BTreeMap<String, Entry>, dir: &Path) -> Result<(), git2::Error> {
    if let Ok(base) = fs::read_to_string(dir.join(".extends")) {
        overlay(tree, &testdata_dir().join("bases").join(base.trim()), "")?;
    }
    if let Ok(deleted) = fs::read_to_string(dir.join(".deleted")) {
        for path in deleted.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let folder = format!("{path}/");
            tree.retain(|p, _| p != path && !p.starts_with(&folder));
        }
    }
    overlay(tree, dir, "")
}

fn write_entries(repo: &Repository, files: &[(&str, &Entry)]) -> Result<Oid, git2::Error> {
    let mut blobs: Vec<(&str, &Entry)> = Vec::new();
    let mut dirs: BTreeMap<&str, Vec<(&str, &Entry)>> = BTreeMap::new();
    for (path, entry) in files {
        match path.split_once('/') {
            Some((dir, rest)) => dirs.entry(dir).or_default().push((rest, *entry)),
            None => blobs.push((path, *entry)),
        }
    }
    let mut builder = repo.treebuilder(None)?;
    for (name, (content, mode)) in blobs {
        builder.insert(name, repo.blob(content)?, *mode)?;
    }
    for (name, children) in dirs {
        builder.insert(name, write_entries(repo, &children)?, 0o040000)?;
    }
    builder.write()
}

fn commit_tree(
    repo: &Repository,
    tree: &BTreeMap<String, Entry>,
    index: usize,
    name: &str,
    parent: Option<Oid>,
) -> Result<Oid, git2::Error> {
    let files: Vec<(&str, &Entry)> = tree.iter().map(|(p, e)| (p.as_str(), e)).collect();
    let tree = repo.find_tree(write_entries(repo, &files)?)?;
    let when = Time::new(1_700_000_000 + (index as i64) * 86_400, 0);
    let sig = Signature::new("Release Engineer", "releng@example.com", &when)?;
    let parents: Vec<git2::Commit<'_>> = match parent {
        Some(p) => vec![repo.find_commit(p)?],
        None => Vec::new(),
    };
    let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let commit = repo.commit(
        Some("HEAD"),
        &sig,
        &sig,
        &format!("Release {name}"),
        &tree,
        &refs,
    )?;
    if name != "HEAD" {
        repo.tag_lightweight(name, &repo.find_object(commit, None)?, false)?;
    }
    Ok(commit)
}

/// Commits a scenario's snapshots into a new repository at `dest` and tags them.
pub fn build_repo(scenario: &Path, dest: &Path) -> Result<Repository, git2::Error> {
    let repo = Repository::init(dest)?;
    let mut tree: BTreeMap<String, Entry> = BTreeMap::new();
    let mut parent = None;
    for (i, name) in snapshots(scenario).map_err(io)?.iter().enumerate() {
        apply_snapshot(&mut tree, &scenario.join(name))?;
        parent = Some(commit_tree(&repo, &tree, i, name, parent)?);
    }
    Ok(repo)
}

/// A scenario built into a temporary repository that lives as long as this value.
pub struct ScenarioRepo {
    /// Keeps the temporary folder alive.
    pub dir: tempfile::TempDir,
}

impl ScenarioRepo {
    /// Builds `testdata/scenarios/<name>`.
    pub fn new(name: &str) -> ScenarioRepo {
        let dir = tempfile::tempdir().expect("temporary folder");
        build_repo(&scenarios_dir().join(name), dir.path())
            .unwrap_or_else(|err| panic!("building scenario {name}: {err}"));
        ScenarioRepo { dir }
    }

    /// The repository path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A release snapshot given as files: (path, content).
pub type Files = Vec<(String, Vec<u8>)>;

/// Commits each snapshot (a whole tree) in order into a new repository at `dest`, tagging it
/// with its name.
pub fn build_repo_from_files(
    dest: &Path,
    snapshots: &[(&str, Files)],
) -> Result<Repository, git2::Error> {
    let repo = Repository::init(dest)?;
    let mut parent = None;
    for (i, (tag, files)) in snapshots.iter().enumerate() {
        let tree: BTreeMap<String, Entry> = files
            .iter()
            .map(|(path, content)| (path.clone(), (content.clone(), 0o100644)))
            .collect();
        parent = Some(commit_tree(&repo, &tree, i, tag, parent)?);
    }
    Ok(repo)
}

/// A file under `testdata/`.
pub fn testdata(path: &str) -> Vec<u8> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("testdata")
        .join(path);
    fs::read(&full).unwrap_or_else(|err| panic!("reading {}: {err}", full.display()))
}

/// A long release history for tests of tags and `history`: `count` commits, each tagged
/// `v{major}.{i}`, where a new `CREATE TABLE` migration is added every `every` releases.
/// Returns the repository and the commit of each release.
pub fn release_series(
    dest: &Path,
    major: u32,
    count: u32,
    every: u32,
) -> Result<(Repository, Vec<Oid>), git2::Error> {
    let repo = Repository::init(dest)?;
    let mut tree: BTreeMap<String, Entry> = BTreeMap::new();
    let mut commits = Vec::with_capacity(count as usize);
    for i in 0..count {
        let j = i / every.max(1);
        tree.insert(
            format!("migrations/{:04}_t{j}.sql", j + 1),
            (
                format!("CREATE TABLE t{j} (id INT NOT NULL PRIMARY KEY);\n").into_bytes(),
                0o100644,
            ),
        );
        let parent = commits.last().copied();
        commits.push(commit_tree(
            &repo,
            &tree,
            i as usize,
            &format!("v{major}.{i}"),
            parent,
        )?);
    }
    Ok((repo, commits))
}

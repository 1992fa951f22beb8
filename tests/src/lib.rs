//! Builds real git repositories from fixture histories under `testdata/scenarios/`.
//!
//! A scenario is a folder of release snapshots: `testdata/scenarios/<name>/<vX.Y>/...`. Each
//! snapshot is a whole tree; they are committed in version order into a fresh repository and
//! tagged with their folder name. A snapshot folder named `HEAD` is committed last, untagged.
//! Commits have fixed authors and times, so their ids are the same on every run.

use std::fs;
use std::path::{Path, PathBuf};

use balrog_schema_lint::version::ReleaseVersion;
use git2::{Oid, Repository, Signature, Time};

/// The folder holding every scenario.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("testdata")
        .join("scenarios")
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

fn add_dir(repo: &Repository, dir: &Path) -> Result<Oid, git2::Error> {
    let mut builder = repo.treebuilder(None)?;
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| git2::Error::from_str(&e.to_string()))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        let meta =
            fs::symlink_metadata(&path).map_err(|e| git2::Error::from_str(&e.to_string()))?;
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&path).map_err(|e| git2::Error::from_str(&e.to_string()))?;
            let blob = repo.blob(target.to_string_lossy().as_bytes())?;
            builder.insert(name.as_ref(), blob, 0o120000)?;
        } else if meta.is_dir() {
            let tree = add_dir(repo, &path)?;
            builder.insert(name.as_ref(), tree, 0o040000)?;
        } else {
            let bytes = fs::read(&path).map_err(|e| git2::Error::from_str(&e.to_string()))?;
            let blob = repo.blob(&bytes)?;
            builder.insert(name.as_ref(), blob, 0o100644)?;
        }
    }
    builder.write()
}

/// Commits a scenario's snapshots into a new repository at `dest` and tags them.
pub fn build_repo(scenario: &Path, dest: &Path) -> Result<Repository, git2::Error> {
    let repo = Repository::init(dest)?;
    let names = snapshots(scenario).map_err(|e| git2::Error::from_str(&e.to_string()))?;
    let mut parent: Option<Oid> = None;
    for (i, name) in names.iter().enumerate() {
        let tree_id = add_dir(&repo, &scenario.join(name))?;
        let tree = repo.find_tree(tree_id)?;
        let when = Time::new(1_700_000_000 + (i as i64) * 86_400, 0);
        let sig = Signature::new("Release Engineer", "releng@example.com", &when)?;
        let parents: Vec<git2::Commit<'_>> = match parent {
            Some(p) => vec![repo.find_commit(p)?],
            None => Vec::new(),
        };
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let commit = repo.commit(
            Some("HEAD"),
            &sig,
            &sig,
            &format!("Release {name}"),
            &tree,
            &parent_refs,
        )?;
        if name != "HEAD" {
            let object = repo.find_object(commit, None)?;
            repo.tag_lightweight(name, &object, false)?;
        }
        parent = Some(commit);
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

fn write_tree(repo: &Repository, files: &[(&str, &[u8])]) -> Result<Oid, git2::Error> {
    use std::collections::BTreeMap;
    let mut blobs: Vec<(&str, &[u8])> = Vec::new();
    let mut dirs: BTreeMap<&str, Vec<(&str, &[u8])>> = BTreeMap::new();
    for (path, content) in files {
        match path.split_once('/') {
            Some((dir, rest)) => dirs.entry(dir).or_default().push((rest, content)),
            None => blobs.push((path, content)),
        }
    }
    let mut builder = repo.treebuilder(None)?;
    for (name, content) in blobs {
        builder.insert(name, repo.blob(content)?, 0o100644)?;
    }
    for (name, children) in dirs {
        builder.insert(name, write_tree(repo, &children)?, 0o040000)?;
    }
    builder.write()
}

/// Commits each snapshot in order into a new repository at `dest`, tagging it with its name.
pub fn build_repo_from_files(
    dest: &Path,
    snapshots: &[(&str, Files)],
) -> Result<Repository, git2::Error> {
    let repo = Repository::init(dest)?;
    let mut parent: Option<Oid> = None;
    for (i, (tag, files)) in snapshots.iter().enumerate() {
        let borrowed: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_slice()))
            .collect();
        let tree = repo.find_tree(write_tree(&repo, &borrowed)?)?;
        let when = Time::new(1_700_000_000 + (i as i64) * 86_400, 0);
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
            &format!("Release {tag}"),
            &tree,
            &refs,
        )?;
        repo.tag_lightweight(tag, &repo.find_object(commit, None)?, false)?;
        parent = Some(commit);
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

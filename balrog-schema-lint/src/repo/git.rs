//! Reading revisions, trees and blobs straight from the object database: no checkout, no
//! `git` process.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::{Delta, DiffFindOptions, DiffOptions, ObjectType, Oid, Repository, TreeWalkMode};

use crate::error::{Error, Result};

/// Opens the repository that contains `path` (a work tree, a worktree, a subfolder or a bare
/// repository).
pub fn open(path: &Path) -> Result<Repository> {
    // libgit2 re-hashes every object it reads unless told not to; git itself does not (that
    // is `git fsck`'s job), and on a long history the hashing costs as much as the reading.
    git2::opts::strict_hash_verification(false);
    Repository::discover(path).map_err(|err| Error::NotARepository {
        path: path.to_path_buf(),
        message: err.message().to_string(),
    })
}

/// Resolves a revision (tag, branch, SHA, `HEAD~2`) to a commit id.
pub fn resolve_commit(repo: &Repository, rev: &str) -> Result<Oid> {
    let unknown = |message: String| Error::UnknownRevision {
        rev: rev.to_string(),
        message,
    };
    let object = repo
        .revparse_single(rev)
        .map_err(|err| unknown(err.message().to_string()))?;
    let commit = object
        .peel_to_commit()
        .map_err(|err| unknown(format!("does not name a commit ({})", err.message())))?;
    Ok(commit.id())
}

/// Whether `descendant` has `ancestor` in its history (and is not the same commit).
pub fn is_descendant(repo: &Repository, descendant: Oid, ancestor: Oid) -> Result<bool> {
    repo.graph_descendant_of(descendant, ancestor)
        .map_err(|err| Error::git("walking history", err))
}

/// Every commit reachable from `tip` (itself included): one walk answers "is this tag in
/// the history of `tip`" for any number of tags, where a merge-base search per tag re-reads
/// the history each time.
pub fn ancestors(repo: &Repository, tip: Oid) -> Result<HashSet<Oid>> {
    let mut walk = repo
        .revwalk()
        .map_err(|err| Error::git("walking history", err))?;
    walk.push(tip)
        .map_err(|err| Error::git("walking history", err))?;
    let mut seen = HashSet::new();
    for id in walk {
        seen.insert(id.map_err(|err| Error::git("walking history", err))?);
    }
    Ok(seen)
}

/// `base` and the commits reachable from `tip` that have `base` in their history, where asking
/// "does it descend from `base`" of each tag searched the history from scratch every time
/// (most of a long `history --from`). One walk, newest first as git walks, reads each commit
/// once: from `tip` down to where every commit left to read is an ancestor of `base`.
pub fn descendants_within(repo: &Repository, base: Oid, tip: Oid) -> Result<HashSet<Oid>> {
    let mut walk = Walk::default();
    walk.reach(repo, tip, false)?;
    walk.reach(repo, base, true)?;
    while walk.interesting_queued > 0 {
        let Some((_, id)) = walk.queue.pop() else {
            break;
        };
        let Some(commit) = walk.commits.get_mut(&id) else {
            continue;
        };
        commit.queued = false;
        let (uninteresting, parents) = (commit.uninteresting, commit.parents.clone());
        if !uninteresting {
            walk.interesting_queued -= 1;
        }
        for parent in parents {
            walk.reach(repo, parent, uninteresting)?;
        }
    }
    // The commits of `base..tip` that descend from `base` are the ones its children lead to.
    let mut children: HashMap<Oid, Vec<Oid>> = HashMap::new();
    for (id, commit) in &walk.commits {
        if !commit.uninteresting && !commit.queued {
            for parent in &commit.parents {
                children.entry(*parent).or_default().push(*id);
            }
        }
    }
    let mut found = HashSet::from([base]);
    let mut pending = vec![base];
    while let Some(id) = pending.pop() {
        for child in children.get(&id).into_iter().flatten() {
            if found.insert(*child) {
                pending.push(*child);
            }
        }
    }
    Ok(found)
}

/// The commits [`descendants_within`] has read: newest first in `queue`, with how many
/// queued ones are not known to be ancestors of `base` (the walk ends when none is).
#[derive(Default)]
struct Walk {
    commits: HashMap<Oid, WalkedCommit>,
    queue: std::collections::BinaryHeap<(i64, Oid)>,
    interesting_queued: usize,
}

struct WalkedCommit {
    parents: Vec<Oid>,
    /// An ancestor of `base` (or `base`).
    uninteresting: bool,
    /// Read, not walked from yet.
    queued: bool,
}

impl Walk {
    /// Reaches a commit from a child (or as a starting point): reads and queues it the first
    /// time; marks it and, once walked, its ancestors as ancestors of `base` when
    /// `uninteresting`.
    fn reach(&mut self, repo: &Repository, id: Oid, uninteresting: bool) -> Result<()> {
        if !self.commits.contains_key(&id) {
            let commit = repo
                .find_commit(id)
                .map_err(|err| Error::git(format!("reading commit {id}"), err))?;
            self.queue.push((commit.time().seconds(), id));
            if !uninteresting {
                self.interesting_queued += 1;
            }
            let parents = commit.parent_ids().collect();
            self.commits.insert(
                id,
                WalkedCommit {
                    parents,
                    uninteresting,
                    queued: true,
                },
            );
            return Ok(());
        }
        if !uninteresting {
            return Ok(());
        }
        // A commit first reached from `tip` turns out to be an ancestor of `base` (clocks
        // out of order): so are its ancestors already walked.
        let mut pending = vec![id];
        while let Some(id) = pending.pop() {
            let Some(commit) = self.commits.get_mut(&id) else {
                continue;
            };
            if commit.uninteresting {
                continue;
            }
            commit.uninteresting = true;
            if commit.queued {
                self.interesting_queued -= 1;
            } else {
                pending.extend(commit.parents.iter().copied());
            }
        }
        Ok(())
    }
}

/// What kind of tree entry a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular (or executable) file.
    File,
    /// A symbolic link; its blob is the link target, not file content.
    Symlink,
    /// A submodule (a commit of another repository).
    Submodule,
}

/// One file in a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// The blob (or submodule commit) id.
    pub id: Oid,
    /// What kind of entry it is.
    pub kind: EntryKind,
}

/// A tree of regular files at the given paths, all with the same (zero) blob id: what tests
/// of layout detection need.
#[cfg(test)]
pub(crate) fn tree_of_files(paths: &[&str]) -> Vec<TreeFile> {
    paths
        .iter()
        .map(|p| TreeFile {
            path: p.to_string(),
            id: Oid::ZERO_SHA1,
            kind: EntryKind::File,
        })
        .collect()
}

/// Every file in a commit's tree, sorted by path.
pub fn list_files(repo: &Repository, commit: Oid) -> Result<Vec<TreeFile>> {
    let tree = commit_tree(repo, commit)?;
    let mut files = Vec::new();
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        let Ok(name) = entry.name() else {
            return git2::TreeWalkResult::Ok;
        };
        let kind = match (entry.kind(), entry.filemode()) {
            (Some(ObjectType::Blob), 0o120000) => EntryKind::Symlink,
            (Some(ObjectType::Blob), _) => EntryKind::File,
            (Some(ObjectType::Commit), _) => EntryKind::Submodule,
            _ => return git2::TreeWalkResult::Ok,
        };
        files.push(TreeFile {
            path: format!("{dir}{name}"),
            id: entry.id(),
            kind,
        });
        git2::TreeWalkResult::Ok
    })
    .map_err(|err| Error::git(format!("reading the tree of {commit}"), err))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every file in `commit`'s tree, sorted by path, from the listing of another commit's tree
/// (`old_files`, as [`list_files`] gave it): only the folders whose tree differs are read,
/// so consecutive releases cost what changed between them. Gives what [`list_files`]
/// gives.
pub fn list_files_from(
    repo: &Repository,
    old_commit: Oid,
    old_files: &[TreeFile],
    commit: Oid,
) -> Result<Vec<TreeFile>> {
    let (old_tree, new_tree) = (commit_tree(repo, old_commit)?, commit_tree(repo, commit)?);
    let mut changes = TreeChanges::default();
    patch_trees(repo, Some(&old_tree), Some(&new_tree), "", &mut changes)?;
    // A name that is not UTF-8 is listed the way `list_files` lists it: list the whole tree.
    if changes.unreadable_name {
        return list_files(repo, commit);
    }
    let removed: HashSet<&str> = changes.removed.iter().map(String::as_str).collect();
    let mut files: Vec<TreeFile> = old_files
        .iter()
        .filter(|f| !removed.contains(f.path.as_str()))
        .cloned()
        .chain(changes.added)
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What differs between two trees, file by file.
#[derive(Default)]
struct TreeChanges {
    /// Paths of the old tree's entries that are gone or changed.
    removed: Vec<String>,
    /// The new tree's entries that are new or changed.
    added: Vec<TreeFile>,
    /// A name that is not UTF-8 was met.
    unreadable_name: bool,
}

/// The kind of a non-tree entry from its mode, as [`list_files`] tells it.
fn entry_kind(entry: &Entry) -> EntryKind {
    match entry.mode {
        0o120000 => EntryKind::Symlink,
        0o160000 => EntryKind::Submodule,
        _ => EntryKind::File,
    }
}

/// The entries that differ between two trees, file by file, reading only the subtrees that
/// differ.
fn patch_trees(
    repo: &Repository,
    old: Option<&git2::Tree<'_>>,
    new: Option<&git2::Tree<'_>>,
    prefix: &str,
    changes: &mut TreeChanges,
) -> Result<()> {
    let (old_entries, new_entries) = (sorted_entries(old), sorted_entries(new));
    for (before, after) in differing_entries(&old_entries, &new_entries) {
        let Some(entry) = before.or(after) else {
            continue;
        };
        let name = entry.key.split_last().map_or(&[][..], |(_, name)| name);
        let Ok(name) = std::str::from_utf8(name) else {
            changes.unreadable_name = true;
            return Ok(());
        };
        let path = format!("{prefix}{name}");
        if before.is_some_and(|e| !e.tree) {
            changes.removed.push(path.clone());
        }
        if let Some(file) = after.filter(|e| !e.tree) {
            changes.added.push(TreeFile {
                path: path.clone(),
                id: file.id,
                kind: entry_kind(file),
            });
        }
        let subtree = |e: Option<&Entry>| -> Result<Option<git2::Tree<'_>>> {
            match e.filter(|e| e.tree) {
                Some(e) => repo
                    .find_tree(e.id)
                    .map(Some)
                    .map_err(|err| Error::git(format!("reading the tree {path}"), err)),
                None => Ok(None),
            }
        };
        let (old_sub, new_sub) = (subtree(before)?, subtree(after)?);
        if old_sub.is_some() || new_sub.is_some() {
            patch_trees(repo, old_sub.as_ref(), new_sub.as_ref(), &format!("{path}/"), changes)?;
        }
    }
    Ok(())
}

/// One file of a commit's tree by path, without listing the tree; `None` when the path is
/// absent or not a file.
pub fn find_file(repo: &Repository, commit: Oid, path: &str) -> Result<Option<TreeFile>> {
    let tree = commit_tree(repo, commit)?;
    let Ok(entry) = tree.get_path(Path::new(path)) else {
        return Ok(None);
    };
    let kind = match (entry.kind(), entry.filemode()) {
        (Some(ObjectType::Blob), 0o120000) => EntryKind::Symlink,
        (Some(ObjectType::Blob), _) => EntryKind::File,
        _ => return Ok(None),
    };
    Ok(Some(TreeFile {
        path: path.to_string(),
        id: entry.id(),
        kind,
    }))
}

fn commit_tree(repo: &Repository, commit: Oid) -> Result<git2::Tree<'_>> {
    repo.find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|err| Error::git(format!("reading commit {commit}"), err))
}

/// The bytes of a blob.
pub fn read_blob(repo: &Repository, id: Oid, path: &str) -> Result<Vec<u8>> {
    repo.find_blob(id)
        .map(|blob| blob.content().to_vec())
        .map_err(|err| Error::git(format!("reading {path}"), err))
}

/// The size of a blob in bytes, read from its header without inflating it.
pub fn blob_size(repo: &Repository, id: Oid, path: &str) -> Result<usize> {
    repo.odb()
        .and_then(|odb| odb.read_header(id))
        .map(|(size, _)| size)
        .map_err(|err| Error::git(format!("reading {path}"), err))
}

/// How a path changed between two trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `A`, `M`, `D` or `R`.
    pub status: crate::model::migration::FileStatus,
    /// Path at the old tree (None for added files).
    pub old_path: Option<String>,
    /// Path at the new tree (None for deleted files).
    pub new_path: Option<String>,
}

/// The changes between two commits' trees, with rename detection, limited to paths for which
/// `interesting` says yes (on either side). `pathspecs` (folders or globs) limit the
/// comparison first, so that rename detection reads only those blobs: the rest of a large
/// repository is never loaded, and blobs missing from a partial clone elsewhere do no harm.
pub fn diff_commits(
    repo: &Repository,
    from: Oid,
    to: Oid,
    pathspecs: &[String],
    interesting: impl Fn(&str) -> bool,
) -> Result<Vec<Change>> {
    use crate::model::migration::FileStatus;
    let old = commit_tree(repo, from)?;
    let new = commit_tree(repo, to)?;
    let mut options = DiffOptions::new();
    options.ignore_submodules(false);
    for spec in pathspecs {
        options.pathspec(spec);
    }
    let mut diff = repo
        .diff_tree_to_tree(Some(&old), Some(&new), Some(&mut options))
        .map_err(|err| Error::git("comparing trees", err))?;
    // A rename pairs a deleted file with an added one: without a deleted file there is
    // nothing to pair, and comparing the added files' contents would cost a read of each.
    if diff.deltas().any(|delta| delta.status() == Delta::Deleted) {
        let mut find = DiffFindOptions::new();
        find.renames(true);
        diff.find_similar(Some(&mut find))
            .map_err(|err| Error::git("detecting renames", err))?;
    }
    let mut changes = Vec::new();
    for delta in diff.deltas() {
        let old_path = delta
            .old_file()
            .path()
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        let new_path = delta
            .new_file()
            .path()
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        let status = match delta.status() {
            Delta::Added | Delta::Copied => FileStatus::A,
            Delta::Deleted => FileStatus::D,
            Delta::Modified | Delta::Typechange => FileStatus::M,
            Delta::Renamed => FileStatus::R,
            Delta::Unmodified
            | Delta::Ignored
            | Delta::Untracked
            | Delta::Unreadable
            | Delta::Conflicted => continue,
        };
        let keep = old_path.as_deref().is_some_and(&interesting)
            || new_path.as_deref().is_some_and(&interesting);
        if !keep {
            continue;
        }
        changes.push(Change {
            status,
            old_path: if status == FileStatus::A {
                None
            } else {
                old_path
            },
            new_path: if status == FileStatus::D {
                None
            } else {
                new_path
            },
        });
    }
    Ok(changes)
}

/// A tree entry as the comparison needs it. `key` is the name followed by `/` for a
/// subtree and by a NUL byte otherwise: names hold neither, so comparing keys orders
/// entries as git does (a subtree sorts as if its name ended in `/`), and equal keys are
/// the same name and kind.
struct Entry {
    key: Vec<u8>,
    tree: bool,
    id: Oid,
    mode: i32,
}

/// The entries two sorted listings do not share, paired by name: `(old, new)`, either side
/// absent when the name is only on the other.
fn differing_entries<'a>(
    old: &'a [Entry],
    new: &'a [Entry],
) -> impl Iterator<Item = (Option<&'a Entry>, Option<&'a Entry>)> {
    use std::cmp::Ordering;
    let (mut o, mut n) = (0, 0);
    std::iter::from_fn(move || loop {
        let order = match (old.get(o), new.get(n)) {
            (None, None) => return None,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(a), Some(b)) => a.key.cmp(&b.key),
        };
        match order {
            Ordering::Less => {
                o += 1;
                return Some((old.get(o - 1), None));
            }
            Ordering::Greater => {
                n += 1;
                return Some((None, new.get(n - 1)));
            }
            Ordering::Equal => {
                o += 1;
                n += 1;
                let (a, b) = (old.get(o - 1), new.get(n - 1));
                if a.map(|e| (e.id, e.mode)) != b.map(|e| (e.id, e.mode)) {
                    return Some((a, b));
                }
            }
        }
    })
}

/// A tree's entries in git's order (trees are stored in it; a malformed one is sorted).
fn sorted_entries(tree: Option<&git2::Tree<'_>>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = tree
        .map(|t| {
            t.iter()
                .map(|e| {
                    let tree = e.kind() == Some(ObjectType::Tree);
                    let mut key = e.name_bytes().to_vec();
                    key.push(if tree { b'/' } else { 0 });
                    Entry {
                        key,
                        tree,
                        id: e.id(),
                        mode: e.filemode(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if !entries.is_sorted_by(|a, b| a.key <= b.key) {
        entries.sort_by(|a, b| a.key.cmp(&b.key));
    }
    entries
}

/// A short (9-character) form of a commit id for people.
pub fn short(id: Oid) -> String {
    let full = id.to_string();
    full.get(..9).unwrap_or(&full).to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn descendants_are_found_whatever_the_commit_clocks_say() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let tree = {
            let id = repo.treebuilder(None).unwrap().write().unwrap();
            repo.find_tree(id).unwrap()
        };
        let commit = |time: i64, parents: &[Oid]| {
            let sig = git2::Signature::new("t", "t@example.com", &git2::Time::new(time, 0)).unwrap();
            let parents: Vec<git2::Commit<'_>> =
                parents.iter().map(|p| repo.find_commit(*p).unwrap()).collect();
            let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            repo.commit(None, &sig, &sig, &format!("at {time}"), &tree, &refs)
                .unwrap()
        };
        // Clocks out of order: `base`'s parent is the newest commit of all, `late` is older
        // than `base`, and `side` forks before `base` and is merged into `tip`.
        let root = commit(100, &[]);
        let skewed = commit(900, &[root]);
        let base = commit(200, &[skewed]);
        let late = commit(150, &[base]);
        let side = commit(800, &[root]);
        let tip = commit(300, &[late, side]);
        let found = descendants_within(&repo, base, tip).unwrap();
        assert_eq!(found, HashSet::from([base, late, tip]));
        assert_eq!(descendants_within(&repo, base, base).unwrap(), HashSet::from([base]));
        assert_eq!(
            descendants_within(&repo, side, late).unwrap(),
            HashSet::from([side]),
            "`late` does not descend from `side`"
        );
    }

    /// Commits the work tree as it is (additions, edits and deletions).
    pub(crate) fn commit_all(repo: &Repository, message: &str) -> Oid {
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }

    /// A listing patched from another commit's is the listing of the tree itself, in both
    /// directions: edits, additions and deletions deep in the tree, a file that becomes a
    /// folder, a symbolic link, and names that sort differently as files and folders.
    #[test]
    fn a_patched_listing_is_the_listing() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let write = |path: &str, text: &str| {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        };
        let remove = |path: &str| std::fs::remove_file(dir.path().join(path)).unwrap();
        for (path, text) in [
            ("db/m/0001.sql", "one"),
            ("db/m/sub/x.sql", "x"),
            ("db/keep/k.sql", "k"),
            ("a.sql", "a"),
            ("a/b.sql", "b"),
            ("a0", "zero"),
            ("h", "file"),
            ("gone/only.sql", "only"),
        ] {
            write(path, text);
        }
        std::os::unix::fs::symlink("a.sql", dir.path().join("link")).unwrap();
        let first = commit_all(&repo, "first");
        write("db/m/sub/x.sql", "x edited");
        write("db/m/0002.sql", "two");
        remove("db/m/0001.sql");
        remove("h");
        write("h/inside.sql", "now a folder");
        remove("gone/only.sql");
        write("new/deep/er/file.py", "new");
        let second = commit_all(&repo, "second");
        for (from, to) in [(first, second), (second, first), (second, second)] {
            let old = list_files(&repo, from).unwrap();
            assert_eq!(
                list_files_from(&repo, from, &old, to).unwrap(),
                list_files(&repo, to).unwrap()
            );
        }
        let listed = list_files(&repo, first).unwrap();
        assert!(listed.iter().any(|f| f.path == "link" && f.kind == EntryKind::Symlink));
    }
}

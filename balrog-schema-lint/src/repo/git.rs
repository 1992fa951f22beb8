//! Reading revisions, trees and blobs straight from the object database: no checkout, no
//! `git` process.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::{Delta, DiffFindOptions, DiffOptions, ObjectType, Oid, Repository, TreeWalkMode};

use crate::error::{Error, Result};
use crate::repo::tree_diff::TreeDiff;

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
    let mut paths = paths.to_vec();
    paths.sort_unstable();
    paths.dedup();
    paths
        .iter()
        .map(|p| TreeFile {
            path: p.to_string(),
            id: Oid::ZERO_SHA1,
            kind: EntryKind::File,
        })
        .collect()
}

/// The file at `path` in a listing sorted by path (as [`list_files`] gives it): a binary
/// search, where a scan of a large tree for each name asked would cost more than the rest
/// of a pair of a `history`.
pub fn file_at<'f>(files: &'f [TreeFile], path: &str) -> Option<&'f TreeFile> {
    debug_assert!(files.is_sorted_by(|a, b| a.path < b.path), "listing not sorted");
    let index = files
        .binary_search_by(|f| f.path.as_str().cmp(path))
        .ok()?;
    files.get(index)
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

/// A listing patched from another one (see [`list_files_from`]).
pub struct Patched {
    /// Every file of the tree, sorted by path.
    pub files: Vec<TreeFile>,
    /// No path was added or removed (only contents or kinds changed): whatever depends on
    /// the paths alone, such as the layout detected, is the same for both listings.
    pub same_paths: bool,
}

/// Every file in `commit`'s tree, sorted by path, from the listing of another commit's tree
/// (`old_files`, as [`list_files`] gave it): only the folders whose tree differs are read
/// (through `diff`, which keeps them for the next listing), so consecutive releases cost
/// what changed between them. Gives what [`list_files`] gives.
pub fn list_files_from(
    repo: &Repository,
    diff: &mut TreeDiff<'_>,
    old_commit: Oid,
    old_files: &[TreeFile],
    commit: Oid,
) -> Result<Patched> {
    let changes = diff.commit_changes(old_commit, commit, &[])?;
    // A name that is not UTF-8 is listed the way `list_files` lists it: list the whole tree.
    if changes.name_not_utf8 {
        return Ok(Patched {
            files: list_files(repo, commit)?,
            same_paths: false,
        });
    }
    let same_paths = changes
        .files
        .iter()
        .all(|c| c.before.is_some() && c.after.is_some());
    // Both are in path order: one merge, no sort.
    let added = changes.files.iter().filter(|c| c.after.is_some()).count();
    let mut files = Vec::with_capacity(old_files.len() + added);
    let mut old = old_files.iter().peekable();
    for change in changes.files {
        while let Some(file) = old.next_if(|f| f.path < change.path) {
            files.push(file.clone());
        }
        old.next_if(|f| f.path == change.path);
        if let Some(entry) = change.after {
            files.push(TreeFile {
                path: change.path,
                id: entry.id,
                kind: entry.kind(),
            });
        }
    }
    files.extend(old.cloned());
    Ok(Patched { files, same_paths })
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
///
/// Most ranges only add and edit files, and then there is nothing to pair as a rename:
/// `diff` compares the folders' trees itself, reading only those that differ. A range
/// that deletes a file (or changes its kind), or folders given as globs, go to libgit2's
/// comparison and its rename detection.
pub fn diff_commits(
    repo: &Repository,
    diff: &mut TreeDiff<'_>,
    from: Oid,
    to: Oid,
    pathspecs: &[String],
    interesting: impl Fn(&str) -> bool,
) -> Result<Vec<Change>> {
    use crate::model::migration::FileStatus;
    let plain_folders = pathspecs
        .iter()
        .all(|spec| !spec.contains(['*', '?', '[', '{', '\\']));
    if plain_folders {
        let changes = diff.commit_changes(from, to, pathspecs)?;
        let only_adds_and_edits = changes.files.iter().all(|c| match (c.before, c.after) {
            (Some(before), Some(after)) => before.kind() == after.kind(),
            (None, Some(_)) => true,
            (_, None) => false,
        });
        if only_adds_and_edits {
            return Ok(changes
                .files
                .into_iter()
                .filter_map(|c| {
                    let path = c.path.replace('\\', "/");
                    interesting(&path).then(|| Change {
                        status: if c.before.is_some() { FileStatus::M } else { FileStatus::A },
                        old_path: c.before.is_some().then(|| path.clone()),
                        new_path: Some(path),
                    })
                })
                .collect());
        }
    }
    libgit2_changes(repo, from, to, pathspecs, interesting)
}

/// [`diff_commits`] by libgit2's comparison, with its rename detection.
pub(crate) fn libgit2_changes(
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
    /// folder, a symbolic link, and names that sort differently as files and folders. It
    /// has the same paths exactly when no path was added or removed.
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
        // Only contents and kinds change: the same paths.
        write("db/m/0002.sql", "two edited");
        remove("link");
        write("link", "a file now");
        let third = commit_all(&repo, "third");
        let mut diff = TreeDiff::new(&repo).unwrap();
        for (from, to, same_paths) in [
            (first, second, false),
            (second, first, false),
            (second, second, true),
            (second, third, true),
            (third, first, false),
        ] {
            let old = list_files(&repo, from).unwrap();
            let patched = list_files_from(&repo, &mut diff, from, &old, to).unwrap();
            assert_eq!(patched.files, list_files(&repo, to).unwrap());
            assert_eq!(patched.same_paths, same_paths, "{from} -> {to}");
        }
        let listed = list_files(&repo, first).unwrap();
        assert!(listed.iter().any(|f| f.path == "link" && f.kind == EntryKind::Symlink));
    }

    /// A range that only adds and edits files is compared without libgit2's diff, and
    /// gives what libgit2's diff gives: folders next to ones with a longer name, nested
    /// folders, the whole tree, a mode change, an edited symbolic link, a path given with
    /// a trailing `/`. A range that deletes a file still gets libgit2's rename detection.
    #[test]
    fn changes_without_deletions_are_what_libgit2_finds() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let write = |path: &str, text: &str| {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        };
        for (path, text) in [
            ("db/m/0001.sql", "one"),
            ("db/m2/0001.sql", "other"),
            ("db/m/sub/x.sql", "x"),
            ("db/m.sql", "beside"),
            ("app/code.py", "code"),
            ("run.sh", "echo"),
        ] {
            write(path, text);
        }
        std::os::unix::fs::symlink("0001.sql", dir.path().join("db/m/latest")).unwrap();
        let first = commit_all(&repo, "first");
        write("db/m/0002.sql", "two");
        write("db/m/sub/x.sql", "x edited");
        write("db/m2/0002.sql", "other two");
        write("db/m.sql", "beside edited");
        write("app/new/deep.py", "new");
        std::fs::remove_file(dir.path().join("db/m/latest")).unwrap();
        std::os::unix::fs::symlink("0002.sql", dir.path().join("db/m/latest")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let script = dir.path().join("run.sh");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let second = commit_all(&repo, "second");
        std::fs::remove_file(dir.path().join("db/m/0001.sql")).unwrap();
        write("db/m/0003.sql", "one");
        let third = commit_all(&repo, "third");

        let mut diff = TreeDiff::new(&repo).unwrap();
        let folders = |specs: &[&str]| specs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for specs in [
            folders(&["db/m"]),
            folders(&["db/m", "db/m/sub"]),
            folders(&["db/m2", "app"]),
            folders(&["db"]),
            folders(&[]),
            folders(&["absent/folder"]),
            folders(&["run.sh"]),
        ] {
            let inside = |path: &str| {
                specs.is_empty()
                    || specs
                        .iter()
                        .any(|s| path == s || path.starts_with(&format!("{s}/")))
            };
            for (from, to) in [(first, second), (second, third)] {
                let ours = diff_commits(&repo, &mut diff, from, to, &specs, inside).unwrap();
                let theirs = libgit2_changes(&repo, from, to, &specs, inside).unwrap();
                assert_eq!(ours, theirs, "{specs:?}");
            }
        }
        let all = diff_commits(&repo, &mut diff, first, second, &[], |_| true).unwrap();
        let paths: Vec<&str> = all.iter().filter_map(|c| c.new_path.as_deref()).collect();
        assert_eq!(
            paths,
            [
                "app/new/deep.py",
                "db/m.sql",
                "db/m/0002.sql",
                "db/m/latest",
                "db/m/sub/x.sql",
                "db/m2/0002.sql",
                "run.sh"
            ]
        );
        let moved = diff_commits(&repo, &mut diff, second, third, &folders(&["db/m"]), |_| true)
            .unwrap();
        assert!(
            moved.iter().any(|c| c.status == crate::model::migration::FileStatus::R),
            "{moved:?}"
        );
    }
}

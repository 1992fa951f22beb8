//! Reading revisions, trees and blobs straight from the object database: no checkout, no
//! `git` process.

use std::collections::HashSet;
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

/// `base` and the commits reachable from `tip` that have `base` in their history: one walk
/// over `base..tip`, parents before children, where asking "does it descend from `base`"
/// of each tag searched the history from scratch every time (most of a long `history
/// --from`).
pub fn descendants_within(repo: &Repository, base: Oid, tip: Oid) -> Result<HashSet<Oid>> {
    let walk_error = |err| Error::git("walking history", err);
    let mut walk = repo.revwalk().map_err(walk_error)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .map_err(walk_error)?;
    walk.push(tip).map_err(walk_error)?;
    walk.hide(base).map_err(walk_error)?;
    let mut found = HashSet::from([base]);
    for id in walk {
        let id = id.map_err(walk_error)?;
        let commit = repo
            .find_commit(id)
            .map_err(|err| Error::git(format!("reading commit {id}"), err))?;
        // Every parent comes before its children, so a parent that descends is known.
        if commit.parent_ids().any(|parent| found.contains(&parent)) {
            found.insert(id);
        }
    }
    Ok(found)
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
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))
        .map_err(|err| Error::git("detecting renames", err))?;
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

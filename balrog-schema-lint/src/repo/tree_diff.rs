//! Which files two trees differ in, reading tree objects as bytes and comparing them entry
//! by entry without building a list of owned entries. The walk over a range's commits asks
//! it of every commit and its parent; a history lists each release's tree from the one
//! before; the change step asks it of the migration folders of each range. Listing a
//! migration folder of a few hundred files through libgit2 at every commit was most of the
//! walk's cost, and comparing subtrees by id reads only the folders that differ.
//!
//! A tree object is a sequence of entries `<octal mode> <name>\0<20-byte id>`, sorted by
//! name, a subtree sorting as if its name ended in `/`. Files are found in that order,
//! which is the byte order of their full paths.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};

use crate::error::{Error, Result};
use crate::repo::git::EntryKind;

/// The length of an object id in a tree object (SHA-1).
const ID_BYTES: usize = 20;

/// A file, symbolic link or submodule entry of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileEntry {
    /// The blob (or submodule commit) id.
    pub id: Oid,
    /// The mode as stored (`100644`, `100755`, `120000`, `160000`).
    pub mode: u32,
}

impl FileEntry {
    /// What kind of entry the mode makes it.
    pub fn kind(&self) -> EntryKind {
        match self.mode & 0o170_000 {
            0o120_000 => EntryKind::Symlink,
            0o160_000 => EntryKind::Submodule,
            _ => EntryKind::File,
        }
    }
}

/// A path whose file entry differs between two trees: added (`before` absent), deleted
/// (`after` absent) or changed in content, mode or kind. A folder that replaced a file (or
/// the reverse) is the file's deletion (addition) and its files' additions (deletions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// The entry in the old tree.
    pub before: Option<FileEntry>,
    /// The entry in the new tree.
    pub after: Option<FileEntry>,
}

/// Every file two trees differ in, in the byte order of their paths.
#[derive(Debug, Default)]
pub struct TreeChanges {
    /// The changed files.
    pub files: Vec<FileChange>,
    /// A name met on the way is not UTF-8: its path is written lossily.
    pub name_not_utf8: bool,
}

/// libgit2's reading of a mode (`git_tree_entry_filemode`): a file is executable or not,
/// whatever its other permission bits, so `100664` is `100644`.
fn normalized_mode(mode: u32) -> u32 {
    match mode & 0o170_000 {
        0o040_000 => 0o040_000,
        _ if mode & 0o111 != 0 => 0o100_755,
        0o160_000 => 0o160_000,
        0o120_000 => 0o120_000,
        _ => 0o100_644,
    }
}

/// Whether `path` is `folder` or lies below it (every path lies below the empty folder).
fn is_within(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Compares trees, remembering the trees read by the last comparison: the next commit's
/// parent tree is this commit's tree, so each tree of a first-parent chain is read once.
pub struct TreeDiff<'r> {
    odb: git2::Odb<'r>,
    /// Trees read by the comparison before the current one.
    previous: HashMap<Oid, Rc<[u8]>>,
    /// Trees read by the current comparison.
    current: HashMap<Oid, Rc<[u8]>>,
    /// The last few commits asked about, with their trees (see [`TreeDiff::tree_of`]).
    commit_trees: Vec<(Oid, Oid)>,
}

/// How many commits' trees [`TreeDiff::tree_of`] remembers: the two ends of the range
/// compared now and of the one before.
const COMMIT_TREES_KEPT: usize = 4;

/// One entry of a tree object, borrowed from its bytes.
struct Entry<'a> {
    /// The entry as stored (mode, name and id): equal bytes are an unchanged entry.
    raw: &'a [u8],
    name: &'a [u8],
    mode: u32,
    id: &'a [u8],
}

impl Entry<'_> {
    fn is_tree(&self) -> bool {
        self.mode & 0o170_000 == 0o040_000
    }

    /// git's order of entries: by name, a subtree's name followed by `/` and any other's by
    /// a NUL byte (names hold neither, so equal keys are the same name and kind).
    fn order(&self, other: &Entry<'_>) -> Ordering {
        let common = self.name.len().min(other.name.len());
        let key = |e: &Entry<'_>| {
            e.name
                .get(common)
                .copied()
                .unwrap_or(if e.is_tree() { b'/' } else { 0 })
        };
        self.name[..common]
            .cmp(&other.name[..common])
            .then_with(|| key(self).cmp(&key(other)))
    }

    /// Same name, kind, content and mode.
    fn same(&self, other: &Entry<'_>) -> bool {
        self.raw == other.raw
            || (self.id == other.id && normalized_mode(self.mode) == normalized_mode(other.mode))
    }

    /// The entry as a file, or `None` for a subtree (or an id that is not one).
    fn file(&self) -> Option<FileEntry> {
        if self.is_tree() {
            return None;
        }
        Some(FileEntry {
            id: Oid::from_bytes(self.id).ok()?,
            mode: self.mode,
        })
    }
}

/// The entries of a tree object in git's order (a malformed tree's are sorted), or `None`
/// when the bytes are not a tree object.
fn entries(data: &[u8]) -> Option<Vec<Entry<'_>>> {
    let mut entries = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let space = rest.iter().position(|b| *b == b' ')?;
        let mode_text = &rest[..space];
        if mode_text.is_empty() || mode_text.len() > 7 {
            return None;
        }
        let mut mode = 0u32;
        for digit in mode_text {
            if !(b'0'..=b'7').contains(digit) {
                return None;
            }
            mode = mode * 8 + u32::from(digit - b'0');
        }
        let after_mode = &rest[space + 1..];
        let nul = after_mode.iter().position(|b| *b == 0)?;
        let id = after_mode.get(nul + 1..nul + 1 + ID_BYTES)?;
        let length = space + 1 + nul + 1 + ID_BYTES;
        entries.push(Entry {
            raw: &rest[..length],
            name: &after_mode[..nul],
            mode,
            id,
        });
        rest = &rest[length..];
    }
    if !entries.is_sorted_by(|a, b| a.order(b) != Ordering::Greater) {
        entries.sort_by(Entry::order);
    }
    Some(entries)
}

/// The tree a commit object names on its first line (`tree <id>`), as git writes every
/// commit.
fn commit_tree(data: &[u8]) -> Option<Oid> {
    let rest = data.strip_prefix(b"tree ")?;
    let end = rest.iter().position(|b| *b == b'\n')?;
    if end != 2 * ID_BYTES {
        return None;
    }
    Oid::from_str(std::str::from_utf8(&rest[..end]).ok()?).ok()
}

/// The length of the run of whole entries both tree objects start with, identical (same
/// name, mode and id): those need no comparing, and in a migration folder that gained a
/// file they are most of it. What follows is compared as sets of names, so skipping a
/// common run is right whatever the order of the entries.
fn common_entries(old: &[u8], new: &[u8]) -> usize {
    let mut done = 0;
    loop {
        let Some(nul) = old[done..].iter().position(|b| *b == 0) else {
            return done;
        };
        let end = done + nul + 1 + ID_BYTES;
        if end > old.len() || end > new.len() || old[done..end] != new[done..end] {
            return done;
        }
        done = end;
    }
}

/// What was being read, for errors: the tree at `prefix` (a folder path ending in `/`, or
/// empty for the root).
fn reading(prefix: &str, id: Oid) -> String {
    match prefix.trim_end_matches('/') {
        "" => format!("reading the root tree {id}"),
        folder => format!("reading the tree of {folder} ({id})"),
    }
}

/// The entries of a tree read at `prefix` (none for a side that has no tree there).
fn listed<'d>(data: Option<&'d [u8]>, id: Option<Oid>, prefix: &str) -> Result<Vec<Entry<'d>>> {
    match data {
        None => Ok(Vec::new()),
        Some(data) => entries(data).ok_or_else(|| Error::Git {
            context: reading(prefix, id.unwrap_or(Oid::ZERO_SHA1)),
            message: "not a well-formed tree object".to_string(),
        }),
    }
}

impl<'r> TreeDiff<'r> {
    /// A comparer reading the repository's objects.
    pub fn new(repo: &'r Repository) -> Result<TreeDiff<'r>> {
        Ok(TreeDiff {
            odb: repo
                .odb()
                .map_err(|err| Error::git("opening the object database", err))?,
            previous: HashMap::new(),
            current: HashMap::new(),
            commit_trees: Vec::new(),
        })
    }

    /// The tree of a commit. The commits asked about last are remembered: the pairs of a
    /// `history` share their ends, and each end is asked about by several steps.
    pub fn tree_of(&mut self, commit: Oid) -> Result<Oid> {
        if let Some((_, tree)) = self.commit_trees.iter().find(|(c, _)| *c == commit) {
            return Ok(*tree);
        }
        let context = || format!("reading commit {commit}");
        let tree = commit_tree(self.read_object(commit, ObjectType::Commit, &context)?.data());
        let tree = tree.ok_or_else(|| Error::Git {
            context: context(),
            message: "not a well-formed commit object".to_string(),
        })?;
        if self.commit_trees.len() >= COMMIT_TREES_KEPT {
            self.commit_trees.remove(0);
        }
        self.commit_trees.push((commit, tree));
        Ok(tree)
    }

    /// Every path whose content or mode differs between two trees, given by id (added,
    /// deleted, modified or changed in type; a rename is its two paths), without rename
    /// detection. Equal subtrees are skipped whole, so a commit costs the folders it
    /// touches, not the size of the tree.
    pub fn changed_paths(&mut self, old: Oid, new: Oid) -> Result<Vec<String>> {
        let changes = self.changes(old, new, &[])?;
        Ok(changes.files.into_iter().map(|c| c.path).collect())
    }

    /// Every file that differs between two trees, given by id, limited to the files within
    /// `folders` (each a path without a trailing `/`; none: the whole tree). Only the
    /// subtrees on the way to a folder and those that differ are read.
    pub fn changes(&mut self, old: Oid, new: Oid, folders: &[String]) -> Result<TreeChanges> {
        self.previous = std::mem::take(&mut self.current);
        let mut changes = TreeChanges::default();
        self.compare(Some(old), Some(new), "", folders, &mut changes)?;
        self.previous.clear();
        Ok(changes)
    }

    /// [`TreeDiff::changes`] between the trees of two commits.
    pub fn commit_changes(
        &mut self,
        old: Oid,
        new: Oid,
        folders: &[String],
    ) -> Result<TreeChanges> {
        let (old, new) = (self.tree_of(old)?, self.tree_of(new)?);
        self.changes(old, new, folders)
    }

    /// An object of the database that must be of `kind`; `context` says what was being
    /// read, for errors.
    fn read_object(
        &self,
        id: Oid,
        kind: ObjectType,
        context: &dyn Fn() -> String,
    ) -> Result<git2::OdbObject<'_>> {
        let object = self
            .odb
            .read(id)
            .map_err(|err| Error::git(context(), err))?;
        if object.kind() != kind {
            return Err(Error::Git {
                context: context(),
                message: format!("{id} is a {}, not a {kind}", object.kind()),
            });
        }
        Ok(object)
    }

    /// A tree object's bytes.
    fn read(&mut self, id: Oid, path: &str) -> Result<Rc<[u8]>> {
        if let Some(data) = self.current.get(&id) {
            return Ok(Rc::clone(data));
        }
        let data = match self.previous.remove(&id) {
            Some(data) => data,
            None => Rc::from(
                self.read_object(id, ObjectType::Tree, &|| reading(path, id))?
                    .data(),
            ),
        };
        self.current.insert(id, Rc::clone(&data));
        Ok(data)
    }

    fn compare(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        prefix: &str,
        folders: &[String],
        changes: &mut TreeChanges,
    ) -> Result<()> {
        let old_data = old.map(|id| self.read(id, prefix)).transpose()?;
        let new_data = new.map(|id| self.read(id, prefix)).transpose()?;
        let (mut old_bytes, mut new_bytes) = (old_data.as_deref(), new_data.as_deref());
        if let (Some(a), Some(b)) = (old_bytes, new_bytes) {
            let common = common_entries(a, b);
            (old_bytes, new_bytes) = (a.get(common..), b.get(common..));
        }
        let old_entries = listed(old_bytes, old, prefix)?;
        let new_entries = listed(new_bytes, new, prefix)?;
        let (mut o, mut n) = (0, 0);
        loop {
            let (before, after) = match (old_entries.get(o), new_entries.get(n)) {
                (None, None) => return Ok(()),
                (Some(a), None) => {
                    o += 1;
                    (Some(a), None)
                }
                (None, Some(b)) => {
                    n += 1;
                    (None, Some(b))
                }
                (Some(a), Some(b)) => match a.order(b) {
                    Ordering::Less => {
                        o += 1;
                        (Some(a), None)
                    }
                    Ordering::Greater => {
                        n += 1;
                        (None, Some(b))
                    }
                    Ordering::Equal => {
                        o += 1;
                        n += 1;
                        if a.same(b) {
                            continue;
                        }
                        (Some(a), Some(b))
                    }
                },
            };
            let Some(entry) = before.or(after) else {
                continue;
            };
            let name = match std::str::from_utf8(entry.name) {
                Ok(name) => std::borrow::Cow::Borrowed(name),
                Err(_) => {
                    changes.name_not_utf8 = true;
                    String::from_utf8_lossy(entry.name)
                }
            };
            let path = format!("{prefix}{name}");
            let (old_file, new_file) = (before.and_then(Entry::file), after.and_then(Entry::file));
            if (old_file.is_some() || new_file.is_some())
                && (folders.is_empty() || folders.iter().any(|f| is_within(&path, f)))
            {
                changes.files.push(FileChange {
                    path: path.clone(),
                    before: old_file,
                    after: new_file,
                });
            }
            let subtree = |e: Option<&Entry<'_>>| {
                e.filter(|e| e.is_tree())
                    .and_then(|e| Oid::from_bytes(e.id).ok())
            };
            let (old_sub, new_sub) = (subtree(before), subtree(after));
            // A folder is read when it is within one asked for or on the way to one.
            let wanted = || {
                folders.is_empty()
                    || folders
                        .iter()
                        .any(|f| is_within(&path, f) || is_within(f, &path))
            };
            if (old_sub.is_some() || new_sub.is_some()) && wanted() {
                self.compare(old_sub, new_sub, &format!("{path}/"), folders, changes)?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::git::libgit2_changes;
    use crate::repo::git::tests::commit_all;
    use std::collections::BTreeSet;

    /// `changed_paths` names every path git's own diff names, edits deep in the tree,
    /// additions, deletions, renames, a file that becomes a folder and names that sort
    /// differently as files and folders (`a.sql`, `a/`, `a0`) included; and a comparer
    /// that goes on to the next commit reuses the trees it read.
    #[test]
    fn changed_paths_are_the_paths_a_diff_names() {
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
            ("db/m/0002.sql", "two"),
            ("db/m/sub/x.sql", "x"),
            ("db/keep/k.sql", "k"),
            ("a.sql", "a"),
            ("a/b.sql", "b"),
            ("a0", "zero"),
            ("h", "file"),
            ("old/name.sql", "moved"),
        ] {
            write(path, text);
        }
        let first = commit_all(&repo, "first");
        write("db/m/sub/x.sql", "x edited");
        write("db/m/0003.sql", "three");
        remove("db/m/0001.sql");
        write("a/b.sql", "b edited");
        remove("h");
        write("h/inside.sql", "now a folder");
        remove("old/name.sql");
        write("new/name.sql", "moved");
        let second = commit_all(&repo, "second");
        write("a0", "zero edited");
        let third = commit_all(&repo, "third");

        let tree = |c: Oid| repo.find_commit(c).unwrap().tree_id();
        let mut diff = TreeDiff::new(&repo).unwrap();
        let mut changed = |a: Oid, b: Oid| -> BTreeSet<String> {
            diff.changed_paths(tree(a), tree(b))
                .unwrap()
                .into_iter()
                .collect()
        };
        let git = |a: Oid, b: Oid| -> BTreeSet<String> {
            libgit2_changes(&repo, a, b, &[], |_| true)
                .unwrap()
                .into_iter()
                .flat_map(|c| [c.old_path, c.new_path])
                .flatten()
                .collect()
        };
        let ours = changed(first, second);
        assert_eq!(ours, git(first, second));
        assert!(ours.contains("db/m/sub/x.sql") && !ours.contains("db/keep/k.sql"));
        assert_eq!(changed(second, third), BTreeSet::from(["a0".to_string()]));
        assert!(changed(third, third).is_empty());
        assert_eq!(changed(third, first), git(third, first));
    }

    /// A commit's tree is the one libgit2 finds, also once more commits were asked about
    /// than are remembered; an object that is not a commit is an error naming it.
    #[test]
    fn a_commits_tree_is_read_from_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut commits = Vec::new();
        for n in 0..6 {
            std::fs::write(dir.path().join("f.sql"), format!("v{n}")).unwrap();
            commits.push(commit_all(&repo, "next"));
        }
        let mut diff = TreeDiff::new(&repo).unwrap();
        for commit in commits.iter().chain(commits.iter().rev()) {
            let tree = repo.find_commit(*commit).unwrap().tree_id();
            assert_eq!(diff.tree_of(*commit).unwrap(), tree);
        }
        let blob = repo.blob(b"not a commit").unwrap();
        let err = diff.tree_of(blob).unwrap_err().to_string();
        assert!(err.contains(&format!("reading commit {blob}")), "{err}");
        assert!(err.contains("not a commit"), "{err}");
    }

    /// Entries that are not in git's order are sorted before they are compared.
    #[test]
    fn reads_tree_objects_and_sorts_unsorted_ones() {
        let entry = |mode: &str, name: &str, id: u8| {
            let mut bytes = format!("{mode} {name}\0").into_bytes();
            bytes.extend([id; ID_BYTES]);
            bytes
        };
        let data: Vec<u8> = [
            entry("100644", "a0", 1),
            entry("40000", "a", 2),
            entry("100644", "a.sql", 3),
        ]
        .concat();
        let names: Vec<(&[u8], bool)> = entries(&data)
            .unwrap()
            .iter()
            .map(|e| (e.name, e.is_tree()))
            .collect();
        assert_eq!(
            names,
            [
                (&b"a.sql"[..], false),
                (&b"a"[..], true),
                (&b"a0"[..], false)
            ]
        );
        assert!(entries(b"100644 truncated\0abc").is_none());
        let grown: Vec<u8> = [data.clone(), entry("100644", "b", 4)].concat();
        assert_eq!(common_entries(&data, &grown), data.len());
        let edited: Vec<u8> = [entry("100644", "a0", 1), entry("40000", "a", 5)].concat();
        assert_eq!(common_entries(&data, &edited), entry("100644", "a0", 1).len());
        assert!(entries(b"10x644 name\0").is_none());
    }
}

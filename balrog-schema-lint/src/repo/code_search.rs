//! Searching the code at `TO` for names the range drops or renames away.
//!
//! Reads blobs straight from the object database: no checkout.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use git2::{Oid, Repository};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};
use crate::model::ops::OpKind;
use crate::repo::git::{self, EntryKind, TreeFile};

/// One whole-word occurrence of a removed name in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The name searched for, as the migration wrote it.
    pub name: String,
    /// The file, relative to the repository root.
    pub path: String,
    /// 1-based line.
    pub line: u32,
}

/// Files never searched by default: tests, docs and this tool's own configuration.
const DEFAULT_EXCLUDES: [&str; 10] = [
    "tests/**",
    "**/tests/**",
    "test/**",
    "**/test/**",
    "**/test_*.py",
    "**/*_test.*",
    "docs/**",
    "**/*.md",
    "**/*.rst",
    "balrog-schema-lint.toml",
];

/// Files larger than this are data, not code, and are skipped.
const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// The name that stops existing when this operation runs: a dropped table, view or column,
/// or the old name of a renamed one.
pub fn removed_name(kind: &OpKind) -> Option<&str> {
    match kind {
        OpKind::DropTable { table } | OpKind::RenameTable { table, .. } => Some(table),
        OpKind::DropView { view } => Some(view),
        OpKind::DropColumn { column, .. } | OpKind::RenameColumn { column, .. } => Some(column),
        OpKind::RedefineColumn {
            column, definition, ..
        } if !definition.name.eq_ignore_ascii_case(column) => Some(column),
        _ => None,
    }
}

fn glob_set(patterns: &[&str]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .map_err(|err| Error::Usage(format!("bad code_paths glob `{pattern}`: {err}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|err| Error::Usage(format!("code_paths: {err}")))
}

/// What the search remembers of each code blob between the pairs of a `history`: the
/// hashes of its words, sorted. A reference is always a whole word (a run of ASCII letters,
/// digits and `_`, compared without case), so a file whose words do not include a name's
/// hash cannot refer to it and is not read again; a hash shared by chance only costs a
/// read. Words take a fraction of the text's memory, and only the blobs of the tree searched
/// last are kept: the next release's tree holds nearly the same ones.
#[derive(Debug, Default)]
pub struct CodeCache {
    /// `None`: a blob that is not searched (missing from a partial clone, binary, or too
    /// large).
    words: HashMap<Oid, Option<Arc<[u32]>>>,
}

impl CodeCache {
    /// A blob's word hashes, and its lower-cased text when it had to be read for them.
    fn words(&mut self, repo: &Repository, file: &TreeFile) -> (Option<Arc<[u32]>>, Option<String>) {
        if let Some(found) = self.words.get(&file.id) {
            return (found.clone(), None);
        }
        let text = lowered_text(repo, file);
        let words = text.as_deref().map(|text| Arc::from(word_hashes(text)));
        self.words.insert(file.id, words.clone());
        (words, text)
    }

    /// Forgets every blob that `files` (the tree just searched) does not hold.
    fn keep_only(&mut self, files: &[TreeFile]) {
        let held: HashSet<Oid> = files.iter().map(|f| f.id).collect();
        self.words.retain(|id, _| held.contains(id));
    }
}

/// A blob's text, lower-cased (ASCII), or `None` when it is not searched. A blob missing
/// from a partial or shallow clone is not code this check can read; skipping it is the
/// same as for binary files.
fn lowered_text(repo: &Repository, file: &TreeFile) -> Option<String> {
    match git::read_blob(repo, file.id, &file.path) {
        Ok(mut bytes) if bytes.len() <= MAX_FILE_BYTES && !bytes.contains(&0) => {
            bytes.make_ascii_lowercase();
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        _ => None,
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// FNV-1a, 32 bits: small, and collisions only cost a read.
fn word_hash(word: &[u8]) -> u32 {
    word.iter().fold(0x811c_9dc5, |hash: u32, b| {
        (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// The sorted, distinct hashes of the words of a lower-cased text.
fn word_hashes(text: &str) -> Vec<u32> {
    let mut hashes: Vec<u32> = text
        .as_bytes()
        .split(|b| !is_word_byte(*b))
        .filter(|word| !word.is_empty())
        .map(word_hash)
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// Whole-word, ASCII-case-insensitive occurrences of `names` in `files` (a commit's tree).
///
/// With `code_paths` empty every file is searched except tests, docs and binary files; with
/// globs, only the files they match. Files for which `is_migration` says yes are never
/// searched: the migrations name what they drop.
pub fn find_references(
    repo: &Repository,
    files: &[TreeFile],
    cache: &mut CodeCache,
    names: &[String],
    code_paths: &[String],
    is_migration: impl Fn(&str) -> bool,
) -> Result<Vec<Reference>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let include = if code_paths.is_empty() {
        None
    } else {
        let patterns: Vec<&str> = code_paths.iter().map(String::as_str).collect();
        Some(glob_set(&patterns)?)
    };
    let exclude = glob_set(&DEFAULT_EXCLUDES)?;
    let lowered: Vec<(String, &String)> =
        names.iter().map(|n| (n.to_ascii_lowercase(), n)).collect();
    // A name that is not one word (a quoted identifier with a space, say) is never in a
    // word list: every file is read for it.
    let hashes: Option<Vec<u32>> = lowered
        .iter()
        .map(|(needle, _)| {
            let word = !needle.is_empty() && needle.bytes().all(is_word_byte);
            word.then(|| word_hash(needle.as_bytes()))
        })
        .collect();
    let mut found = Vec::new();
    for file in files {
        if file.kind != EntryKind::File || is_migration(&file.path) {
            continue;
        }
        let wanted = match &include {
            Some(set) => set.is_match(&file.path),
            None => !exclude.is_match(&file.path),
        };
        if !wanted {
            continue;
        }
        let (Some(words), text) = cache.words(repo, file) else {
            continue;
        };
        // Most files name none of the names: their words settle them without a read.
        if let Some(hashes) = &hashes {
            if !hashes.iter().any(|h| words.binary_search(h).is_ok()) {
                continue;
            }
        }
        let Some(text) = text.or_else(|| lowered_text(repo, file)) else {
            continue;
        };
        for (index, lower) in text.lines().enumerate() {
            for (needle, name) in &lowered {
                if contains_reference(lower, needle) {
                    found.push(Reference {
                        name: (*name).clone(),
                        path: file.path.clone(),
                        line: index as u32 + 1,
                    });
                }
            }
        }
    }
    cache.keep_only(files);
    Ok(found)
}

/// Whether `needle` occurs in `haystack` with no identifier character on either side.
/// Whether a line refers to a name. Distinctive names (`legacy_flag`, `systemCapabilities`)
/// count as whole words anywhere; a plain word (`when`, `data`) only where code names it: in
/// quotes, after a `.`, or before `=` (a keyword argument), since prose and unrelated code use
/// such words all the time; a line that reads as SQL counts bare words too.
fn contains_reference(haystack: &str, needle: &str) -> bool {
    // Nearly every line lacks the name: settle those before the costlier checks below.
    if !haystack.contains(needle) {
        return false;
    }
    // A line of SQL inside code names columns bare: `SELECT mapping FROM rules`.
    let sql_line = ["select ", "insert ", "update ", " where ", " from "]
        .iter()
        .any(|keyword| haystack.contains(keyword));
    if is_distinctive(needle) || sql_line {
        return contains_word(haystack, needle);
    }
    let quoted = ['"', '\'', '`'];
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack.get(..at).and_then(|s| s.chars().next_back());
        let rest = haystack.get(at + needle.len()..).unwrap_or("");
        let after = rest.chars().next();
        let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
            return false;
        }
        let in_quotes = before.is_some_and(|c| quoted.contains(&c))
            && after.is_some_and(|c| quoted.contains(&c));
        let attribute = before == Some('.');
        let keyword = rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("==");
        in_quotes || attribute || keyword
    })
}

/// A name unlikely to be an ordinary word: it has an underscore or a digit, or is long (the
/// needle is already lower-cased, so a camel-case name is told apart by its length).
fn is_distinctive(needle: &str) -> bool {
    needle.contains('_') || needle.bytes().any(|b| b.is_ascii_digit()) || needle.len() >= 12
}

fn contains_word(haystack: &str, needle: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    !needle.is_empty()
        && haystack.match_indices(needle).any(|(at, _)| {
            let before = haystack.get(..at).and_then(|s| s.chars().next_back());
            let after = haystack
                .get(at + needle.len()..)
                .and_then(|s| s.chars().next());
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn commit_files(dir: &Path, files: &[(&str, &[u8])]) -> (Repository, Oid) {
        let repo = Repository::init(dir).unwrap();
        let mut index = repo.index().unwrap();
        for (path, content) in files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, content).unwrap();
            index.add_path(Path::new(path)).unwrap();
        }
        index.write().unwrap();
        let tree_id = index.write_tree().unwrap();
        let commit = {
            let tree = repo.find_tree(tree_id).unwrap();
            let sig = git2::Signature::now("t", "t@example.com").unwrap();
            repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &[])
                .unwrap()
        };
        (repo, commit)
    }

    fn search(repo: &Repository, commit: Oid, code_paths: &[&str]) -> Vec<String> {
        let code_paths: Vec<String> = code_paths.iter().map(|s| s.to_string()).collect();
        let files = git::list_files(repo, commit).unwrap();
        find_references(
            repo,
            &files,
            &mut CodeCache::default(),
            &["legacy_flag".to_string()],
            &code_paths,
            |p| p.starts_with("migrations/"),
        )
        .unwrap()
        .into_iter()
        .map(|r| format!("{}:{}", r.path, r.line))
        .collect()
    }

    #[test]
    fn finds_whole_words_outside_migrations_tests_docs_and_binaries() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, commit) = commit_files(
            dir.path(),
            &[
                (
                    "src/app.py",
                    b"x = 1\nrow.legacy_flag = 0\nrow.legacy_flags = 1\nLEGACY_FLAG\n",
                ),
                ("src/other.js", b"not_legacy_flag\n"),
                (
                    "migrations/0002_drop.sql",
                    b"ALTER TABLE rules DROP COLUMN legacy_flag;\n",
                ),
                ("tests/test_app.py", b"legacy_flag\n"),
                ("src/test_db.py", b"legacy_flag\n"),
                ("docs/schema.md", b"legacy_flag\n"),
                ("README.rst", b"legacy_flag\n"),
                ("src/blob.bin", b"legacy_flag\0\n"),
            ],
        );
        assert_eq!(search(&repo, commit, &[]), ["src/app.py:2", "src/app.py:4"]);
        // Configured globs replace the default selection (migrations stay excluded).
        assert_eq!(
            search(&repo, commit, &["tests/**", "migrations/**"]),
            ["tests/test_app.py:1"]
        );
    }

    /// The words remembered across searches never hide a reference: the same cache gives
    /// what a fresh search gives, a name that is not one word is still found, and a blob the
    /// last tree searched does not hold is forgotten.
    #[test]
    fn remembered_words_find_what_a_fresh_search_finds() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, commit) = commit_files(
            dir.path(),
            &[
                ("src/app.py", b"row.Legacy_Flag = 0\nq = \"select \\\"odd name\\\" from t\"\n"),
                ("src/other.py", b"legacy_flags = 1\nrow.mapping = 2\n"),
            ],
        );
        let files = git::list_files(&repo, commit).unwrap();
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let run = |cache: &mut CodeCache, wanted: &[&str]| {
            find_references(&repo, &files, cache, &names(wanted), &[], |_| false)
                .unwrap()
                .into_iter()
                .map(|r| format!("{}:{}:{}", r.name, r.path, r.line))
                .collect::<Vec<_>>()
        };
        let mut cache = CodeCache::default();
        for wanted in [
            &["legacy_flag"][..],
            &["mapping", "odd name"],
            &["legacy_flag", "nothing_here"],
        ] {
            assert_eq!(run(&mut cache, wanted), run(&mut CodeCache::default(), wanted));
        }
        assert_eq!(run(&mut cache, &["odd name"]), ["odd name:src/app.py:2"]);
        assert_eq!(run(&mut cache, &["legacy_flag"]), ["legacy_flag:src/app.py:1"]);
        assert_eq!(cache.words.len(), 2);
        cache.keep_only(&files[..1]);
        assert_eq!(cache.words.len(), 1, "src/other.py is not in the tree kept");
    }

    #[test]
    fn words_and_names() {
        assert!(contains_word("a.legacy_flag = 1", "legacy_flag"));
        assert!(!contains_word("legacy_flags", "legacy_flag"));
        assert!(!contains_word("", "x"));
        // Plain words count only where code names them.
        assert!(contains_reference("row[\"when\"]", "when"));
        assert!(contains_reference("sc.when = 1", "when"));
        assert!(contains_reference("f(when=3)", "when"));
        assert!(!contains_reference("# run this when ready", "when"));
        assert!(!contains_reference("if a == when", "when"));
        assert!(contains_reference(
            "\"select mapping from rules\"",
            "mapping"
        ));
        assert!(contains_reference(
            "select legacy_flag from rules",
            "legacy_flag"
        ));
        let drop = OpKind::DropColumn {
            table: "t".into(),
            column: "c".into(),
        };
        assert_eq!(removed_name(&drop), Some("c"));
        let index = OpKind::DropIndex {
            name: "i".into(),
            table: None,
            concurrently: false,
        };
        assert_eq!(removed_name(&index), None);
    }
}

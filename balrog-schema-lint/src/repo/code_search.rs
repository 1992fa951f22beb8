//! Searching the code at `TO` for names the range drops or renames away, and telling an
//! exact reference (SQL text, an ORM column declaration, a quoted key) from a word that only
//! shares the name.
//!
//! Reads blobs straight from the object database: no checkout. Comments, tests, docs,
//! vendored, minified and generated files, lock files and the migrations are not code that
//! will run against the schema, so they are not searched.

mod owners;
mod position;
mod syntax;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use git2::{Oid, Repository};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};
use crate::model::ops::OpKind;
use crate::repo::git::{EntryKind, TreeFile};

pub use position::{model_fits_table, Position};
use owners::owners;
use position::{classify, word_occurrences, Source};
use syntax::Language;

/// One occurrence of a removed name in a source file, with the kind of place it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The name searched for, as the migration wrote it.
    pub name: String,
    /// The file, relative to the repository root.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// Where on the line the name is; the strongest place when it occurs more than once.
    pub position: Position,
    /// The line of code, trimmed and shortened.
    pub code: String,
    /// The tables, models or words the place ties the name to (lower-cased): the model of a
    /// field or ORM keyword, the table of a diesel entry, the words of the SQL statement,
    /// the words near a quoted name. Empty for places that are never exact.
    pub owners: Vec<String>,
}

/// Files never searched by default: tests, docs and this tool's own configuration.
const DEFAULT_EXCLUDES: [&str; 16] = [
    "tests/**",
    "**/tests/**",
    "test/**",
    "**/test/**",
    "**/spec/**",
    "**/__tests__/**",
    "**/test_*.py",
    "**/*_test.*",
    "**/*.spec.*",
    "**/*.test.*",
    "**/conftest.py",
    "docs/**",
    "**/*.md",
    "**/*.rst",
    "**/*.txt",
    "balrog-schema-lint.toml",
];

/// Files never searched, even when `code_paths` selects them: code that is not the
/// project's own (vendored, installed), is produced from it (build output, minified
/// bundles, source maps) or only pins versions (lock files).
const NOT_CODE: [&str; 24] = [
    "**/vendor/**",
    "**/vendors/**",
    "**/third_party/**",
    "**/node_modules/**",
    "**/bower_components/**",
    "**/site-packages/**",
    "**/dist/**",
    "**/build/**",
    "**/target/**",
    "**/.next/**",
    "**/__pycache__/**",
    "**/*.min.js",
    "**/*.min.css",
    "**/*-min.js",
    "**/*.bundle.js",
    "**/*.chunk.js",
    "**/*.map",
    "**/*.pyc",
    "**/*.lock",
    "**/package-lock.json",
    "**/npm-shrinkwrap.json",
    "**/pnpm-lock.yaml",
    "**/go.sum",
    "**/*.snap",
];

/// Files larger than this are data, not code, and are skipped.
const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// The longest line of code a reference quotes.
const CODE_CHARS: usize = 160;

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

/// A code blob as searched: its text and the same text lower-cased (same byte offsets).
#[derive(Debug)]
struct CodeText {
    text: String,
    lower: String,
}

/// What the search remembers of each code blob between the pairs of a `history`: the
/// sorted hashes of the words a name can be found as (see [`indexed_words`]), not the text.
/// A file whose words lack every name's hash cannot refer to one and is not read again; a
/// hash shared by chance only costs a read. Only the blobs of the tree searched last are
/// kept: the next release's tree holds nearly the same ones, and memory follows one
/// release, not the history.
#[derive(Debug, Default)]
pub struct CodeCache {
    /// `None`: a blob that is not searched (missing from a partial clone, binary, too
    /// large, or minified).
    words: HashMap<Oid, Option<Arc<[u32]>>>,
    /// The path filters, built once for the `code_paths` they were built for.
    filters: Option<(Vec<String>, PathFilters)>,
    /// Whether the filters let each path of the tree searched last through: matching a
    /// path against every glob costs more than the rest of a search of an unchanged file.
    wanted: HashMap<String, bool>,
}

/// Which files are code to search (see [`find_references`]).
#[derive(Debug)]
struct PathFilters {
    include: Option<GlobSet>,
    exclude: GlobSet,
    not_code: GlobSet,
}

impl PathFilters {
    fn new(code_paths: &[String]) -> Result<PathFilters> {
        let include = if code_paths.is_empty() {
            None
        } else {
            let patterns: Vec<&str> = code_paths.iter().map(String::as_str).collect();
            Some(glob_set(&patterns)?)
        };
        Ok(PathFilters {
            include,
            exclude: glob_set(&DEFAULT_EXCLUDES)?,
            not_code: glob_set(&NOT_CODE)?,
        })
    }

    fn wanted(&self, path: &str) -> bool {
        let wanted = match &self.include {
            Some(set) => set.is_match(path),
            None => !self.exclude.is_match(path),
        };
        wanted && !self.not_code.is_match(path)
    }
}

impl CodeCache {
    /// A blob's word hashes, and the blob when it had to be read for them.
    fn words<'r>(
        &mut self,
        repo: &'r Repository,
        file: &TreeFile,
    ) -> (Option<Arc<[u32]>>, Option<git2::Blob<'r>>) {
        if let Some(found) = self.words.get(&file.id) {
            return (found.clone(), None);
        }
        let blob = searched_blob(repo, file);
        let words = blob
            .as_ref()
            .map(|blob| Arc::from(indexed_words(blob.content())));
        self.words.insert(file.id, words.clone());
        (words, blob)
    }

    /// Forgets every blob that `files` (the tree just searched) does not hold.
    fn keep_only(&mut self, files: &[TreeFile]) {
        let held: HashSet<Oid> = files.iter().map(|f| f.id).collect();
        self.words.retain(|id, _| held.contains(id));
        let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        self.wanted.retain(|path, _| paths.contains(path.as_str()));
    }

    /// Whether `path` is code to search, with the filters for `code_paths`.
    fn wanted(&mut self, path: &str, code_paths: &[String]) -> Result<bool> {
        if self.filters.as_ref().is_none_or(|(built, _)| built != code_paths) {
            self.filters = Some((code_paths.to_vec(), PathFilters::new(code_paths)?));
            self.wanted.clear();
        }
        if let Some(known) = self.wanted.get(path) {
            return Ok(*known);
        }
        let wanted = self
            .filters
            .as_ref()
            .is_some_and(|(_, filters)| filters.wanted(path));
        self.wanted.insert(path.to_string(), wanted);
        Ok(wanted)
    }
}

/// A blob the search reads, or `None` for one it does not: missing from a partial or
/// shallow clone (not code this check can read, as for binary files), binary, too large,
/// or minified.
fn searched_blob<'r>(repo: &'r Repository, file: &TreeFile) -> Option<git2::Blob<'r>> {
    let blob = repo.find_blob(file.id).ok()?;
    let bytes = blob.content();
    let searched =
        bytes.len() <= MAX_FILE_BYTES && !bytes.contains(&0) && !is_minified(&file.path, bytes);
    searched.then_some(blob)
}

impl CodeText {
    fn new(bytes: &[u8]) -> CodeText {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let lower = text.to_ascii_lowercase();
        CodeText { text, lower }
    }
}

const fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// FNV-1a, 32 bits, of a word with ASCII case ignored: small, and a collision only costs a
/// read.
fn word_hash(word: &[u8]) -> u32 {
    word.iter().fold(FNV_OFFSET, |hash: u32, b| {
        (hash ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME)
    })
}

/// The sorted, distinct hashes of everything [`word_occurrences`] can find in a text,
/// ASCII case ignored: each whole word (a run of ASCII letters, digits and `_`), and each
/// start of a word that a `__` follows (`legacy_flag__in`, a Django lookup, refers to
/// `legacy_flag`). A byte that is not ASCII is never part of a word, as in the lossy text
/// the search reads.
fn indexed_words(bytes: &[u8]) -> Vec<u32> {
    let mut hashes = Vec::with_capacity(bytes.len() / 16);
    // The last hash pushed in each of 1,024 slots: a word met again soon (`self`, a
    // column name) is not pushed again, so there is far less to sort (a fifth faster on
    // Synapse's code).
    let mut recent = [0u32; 1024];
    let mut push = |hash: u32| {
        let slot = &mut recent[(hash >> 22) as usize];
        if *slot != hash {
            *slot = hash;
            hashes.push(hash);
        }
    };
    // The hash of the word so far, of the word without its last byte, and its length.
    let (mut hash, mut before_last, mut len) = (FNV_OFFSET, FNV_OFFSET, 0usize);
    let mut last = 0u8;
    for &b in bytes {
        let lower = LOWER_WORD_BYTES[usize::from(b)];
        if lower == 0 {
            if len > 0 {
                push(hash);
            }
            (hash, len) = (FNV_OFFSET, 0);
            continue;
        }
        // The second `_` of a `__` that follows at least one byte: the word up to the first.
        if lower == b'_' && last == b'_' && len >= 2 {
            push(before_last);
        }
        before_last = hash;
        hash = (hash ^ u32::from(lower)).wrapping_mul(FNV_PRIME);
        last = lower;
        len += 1;
    }
    if len > 0 {
        push(hash);
    }
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// Each byte lower-cased when [`is_word_byte`] says it is part of a word, and 0 when it is
/// not: the index loop reads every byte of every code blob, and one lookup both tests and
/// folds it (11% faster than a test and a fold on Synapse's code, BENCHMARKS.md).
const LOWER_WORD_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if is_word_byte(b as u8) {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// A script or stylesheet squeezed onto few, very long lines: a build product, whatever
/// its name.
fn is_minified(path: &str, bytes: &[u8]) -> bool {
    let script = [".js", ".mjs", ".cjs", ".css", ".json"]
        .iter()
        .any(|ext| path.ends_with(ext));
    if !script || bytes.len() < 2048 {
        return false;
    }
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    bytes.len() / lines > 300
}

/// A name with the spellings the search compares.
struct Needle<'n> {
    name: &'n String,
    lower: String,
    distinctive: bool,
    /// The hash of the name as a word, or `None` when it is not one word (a quoted
    /// identifier with a space, say): then every file is read for it.
    word: Option<u32>,
}

/// Occurrences of `names` (ASCII case ignored) in `files` (a commit's tree), outside
/// comments, each with the kind of place it is in.
///
/// With `code_paths` empty every file is searched except tests and docs; with globs, only
/// the files they match. Vendored, minified and generated files, lock files and binary
/// files are never searched, nor files for which `is_migration` says yes: the migrations
/// name what they drop.
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
    let needles: Vec<Needle> = names
        .iter()
        .map(|name| {
            let lower = name.to_ascii_lowercase();
            Needle {
                distinctive: is_distinctive(&lower),
                word: (!lower.is_empty() && lower.bytes().all(is_word_byte))
                    .then(|| word_hash(lower.as_bytes())),
                lower,
                name,
            }
        })
        .collect();
    let mut found = Vec::new();
    for file in files {
        if file.kind != EntryKind::File || is_migration(&file.path) {
            continue;
        }
        if !cache.wanted(&file.path, code_paths)? {
            continue;
        }
        // Most files name none of the names: their words settle them without a read.
        let (Some(words), code) = cache.words(repo, file) else {
            continue;
        };
        let may_name = |needle: &Needle| {
            needle
                .word
                .is_none_or(|hash| words.binary_search(&hash).is_ok())
        };
        if !needles.iter().any(may_name) {
            continue;
        }
        let Some(blob) = code.or_else(|| searched_blob(repo, file)) else {
            continue;
        };
        let code = CodeText::new(blob.content());
        if !needles
            .iter()
            .any(|needle| code.lower.contains(needle.lower.as_str()))
        {
            continue;
        }
        search_file(&file.path, &code, &needles, &mut found);
    }
    cache.keep_only(files);
    Ok(found)
}

/// The references in one file that names at least one of the needles.
fn search_file(path: &str, code: &CodeText, needles: &[Needle], found: &mut Vec<Reference>) {
    let language = Language::of(path);
    let spans = syntax::spans(&code.lower, language);
    let source = Source {
        path,
        text: &code.text,
        lower: &code.lower,
        language,
        spans: &spans,
        diesel: language == Language::Rust && code.lower.contains("table!"),
    };
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(code.lower.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    for needle in needles {
        let first = found.len();
        for at in word_occurrences(&code.lower, &needle.lower) {
            let Some(position) = classify(&source, at, needle.name, &needle.lower, needle.distinctive) else {
                continue;
            };
            let line = line_starts.partition_point(|start| *start <= at);
            // One reference per line: the strongest place the name has on it.
            if let Some(last) = found[first..].last_mut().filter(|r| r.line == line as u32) {
                if position.is_exact() && !last.position.is_exact() {
                    last.position = position;
                    last.owners = owners(&source, at, position);
                }
                continue;
            }
            found.push(Reference {
                name: needle.name.clone(),
                path: path.to_string(),
                line: line as u32,
                position,
                code: quote_line(&code.text, line_starts[line - 1]),
                owners: owners(&source, at, position),
            });
        }
    }
}

/// The line starting at `start`, trimmed and cut to [`CODE_CHARS`] characters.
fn quote_line(text: &str, start: usize) -> String {
    let line = text[start..].split('\n').next().unwrap_or("").trim();
    match line.char_indices().nth(CODE_CHARS) {
        Some((cut, _)) => format!("{}...", &line[..cut]),
        None => line.to_string(),
    }
}

/// A name unlikely to be an ordinary word: it has an underscore or a digit, or is long (the
/// needle is already lower-cased, so a camel-case name is told apart by its length).
fn is_distinctive(needle: &str) -> bool {
    needle.contains('_') || needle.bytes().any(|b| b.is_ascii_digit()) || needle.len() >= 12
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::git;
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
        .map(|r| format!("{}:{} {:?} {}", r.path, r.line, r.position, r.code))
        .collect()
    }

    #[test]
    fn a_cache_kept_between_searches_follows_the_code_paths_of_each() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, commit) = commit_files(
            dir.path(),
            &[
                ("src/app.py", b"row.legacy_flag = 0\n"),
                ("tests/test_app.py", b"assert row.legacy_flag\n"),
            ],
        );
        let files = git::list_files(&repo, commit).unwrap();
        let mut cache = CodeCache::default();
        let mut paths = |code_paths: &[&str]| -> Vec<String> {
            let code_paths: Vec<String> = code_paths.iter().map(|s| s.to_string()).collect();
            let names = ["legacy_flag".to_string()];
            let found = find_references(&repo, &files, &mut cache, &names, &code_paths, |_| false);
            found.unwrap().into_iter().map(|r| r.path).collect()
        };
        assert_eq!(paths(&[]), ["src/app.py"], "tests are not code by default");
        assert_eq!(paths(&["tests/**"]), ["tests/test_app.py"]);
        assert_eq!(paths(&[]), ["src/app.py"], "and the defaults come back");
    }

    #[test]
    fn searches_code_but_not_migrations_tests_docs_vendored_or_binaries() {
        let dir = tempfile::tempdir().unwrap();
        let minified = format!("var a={};{}\n", "1".repeat(3000), "b.legacy_flag=1");
        let (repo, commit) = commit_files(
            dir.path(),
            &[
                (
                    "src/app.py",
                    b"x = 1\nrow.legacy_flag = 0\nrow.legacy_flags = 1\n# legacy_flag\nq = 'SELECT legacy_flag FROM rules'  # legacy_flag\n",
                ),
                ("src/other.js", b"not_legacy_flag\n"),
                (
                    "migrations/0002_drop.sql",
                    b"ALTER TABLE rules DROP COLUMN legacy_flag;\n",
                ),
                ("tests/test_app.py", b"legacy_flag\n"),
                ("src/test_db.py", b"legacy_flag\n"),
                ("ui/spec/rules.spec.js", b"legacy_flag\n"),
                ("docs/schema.md", b"legacy_flag\n"),
                ("README.rst", b"legacy_flag\n"),
                ("src/blob.bin", b"legacy_flag\0\n"),
                ("ui/vendor/js/lib.js", b"legacy_flag\n"),
                ("ui/node_modules/x/index.js", b"legacy_flag\n"),
                ("ui/app/app.min.js", b"legacy_flag\n"),
                ("ui/app/bundle.js", minified.as_bytes()),
                ("ui/app/app.js.map", b"legacy_flag\n"),
                ("poetry.lock", b"legacy_flag\n"),
                ("dist/app.py", b"legacy_flag\n"),
            ],
        );
        assert_eq!(
            search(&repo, commit, &[]),
            [
                "src/app.py:2 Identifier row.legacy_flag = 0",
                "src/app.py:5 SqlText q = 'SELECT legacy_flag FROM rules'  # legacy_flag",
            ]
        );
        // Configured globs replace the default selection (tests too); migrations, vendored
        // and minified code stay excluded.
        assert_eq!(
            search(&repo, commit, &["tests/**", "migrations/**", "ui/**"]),
            [
                "tests/test_app.py:1 Identifier legacy_flag",
                "ui/spec/rules.spec.js:1 Identifier legacy_flag"
            ]
        );
    }

    #[test]
    fn the_word_index_holds_every_occurrence_the_search_finds() {
        let texts = [
            "row.legacy_flag = 0",
            "filter(legacy_flag__in=[1, 2])",
            "filter(rules__legacy_flag__gt=1)",
            "x=legacy_flag_",
            "q = 'select \"legacy_flag\" from rules'",
            "legacy_flag",
            "a___b",
            "Row.Legacy_Flag__IN = 0",
            "x = 'ré' + legacy_flag",
        ];
        let needles = ["legacy_flag", "rules", "legacy_flag_", "a_", "a", "select", "x"];
        for text in texts {
            let words = indexed_words(text.as_bytes());
            let lower = text.to_ascii_lowercase();
            for needle in needles {
                if word_occurrences(&lower, needle).next().is_some() {
                    let hash = word_hash(needle.as_bytes());
                    assert!(words.binary_search(&hash).is_ok(), "{needle} in {text}");
                }
            }
        }
        assert!(indexed_words(b"legacy_flags x").binary_search(&word_hash(b"legacy_flag")).is_err());

        // Words met again, near or far, whatever slot they share: the index is the set of
        // every word's hash.
        let words: Vec<String> = (0..3000).map(|n| format!("w{}_{}", n % 1500, n % 7)).collect();
        let text = words.iter().chain(words.iter().rev()).fold(String::new(), |text, w| text + w + " ");
        let mut every: Vec<u32> = words.iter().map(|w| word_hash(w.as_bytes())).collect();
        every.sort_unstable();
        every.dedup();
        assert_eq!(indexed_words(text.as_bytes()), every);
    }

    #[test]
    fn a_warm_cache_finds_what_a_fresh_search_finds() {
        let dir = tempfile::tempdir().unwrap();
        let (repo, commit) = commit_files(
            dir.path(),
            &[
                ("src/app.py", b"row.legacy_flag = 0\n"),
                ("src/other.py", b"rows = 1\n"),
                ("src/lookup.py", b"Rule.objects.filter(legacy_flag__in=[1])\n"),
                ("src/quoted.sql", b"SELECT \"legacy flag\" FROM rules;\n"),
            ],
        );
        let files = git::list_files(&repo, commit).unwrap();
        let names = ["legacy_flag".to_string(), "legacy flag".to_string()];
        let mut cache = CodeCache::default();
        let run = |cache: &mut CodeCache| {
            find_references(&repo, &files, cache, &names, &[], |_| false)
                .unwrap()
                .into_iter()
                .map(|r| format!("{}:{} {}", r.path, r.line, r.name))
                .collect::<Vec<_>>()
        };
        let fresh = run(&mut cache);
        assert_eq!(
            fresh,
            [
                "src/app.py:1 legacy_flag",
                "src/lookup.py:1 legacy_flag",
                "src/quoted.sql:1 legacy flag"
            ]
        );
        assert_eq!(cache.words.len(), 4);
        assert_eq!(run(&mut cache), fresh);
    }

    #[test]
    fn minified_scripts_and_quoted_lines() {
        assert!(is_minified("a.js", format!("{}\n", "x".repeat(4000)).as_bytes()));
        assert!(!is_minified("a.py", format!("{}\n", "x".repeat(4000)).as_bytes()));
        assert!(!is_minified("a.js", "x = 1;\n".repeat(1000).as_bytes()));
        let long = format!("  {}  \nnext", "é".repeat(200));
        let quoted = quote_line(&long, 0);
        assert_eq!(quoted.chars().count(), CODE_CHARS + 3);
        assert!(quoted.starts_with('é') && quoted.ends_with("..."));
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

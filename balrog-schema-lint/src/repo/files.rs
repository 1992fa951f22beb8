//! Reading migration files: blobs loaded once, parsed once per run (on every core), with
//! the per-run caches that `history` shares between its pairs.

use std::collections::{HashMap, HashSet};
use std::sync::{mpsc, Arc, Mutex};

use git2::{Oid, Repository};

use crate::catalog::Catalog;
use crate::config::Config;
use crate::error::Result;
use crate::model::migration::MigrationFormat;
use crate::model::ops::{Dialect, OpKind, Operation, ParsedMigration};
use crate::read::{python, sql};
use crate::config::Location;
use crate::repo::discover::{self, Discovered, FileContents, MigrationFile};
use crate::repo::git::{self, EntryKind};
use crate::repo::layout::{self, ContentKind};
use crate::repo::tree_diff::TreeDiff;

/// Reads and parses migration files, each distinct blob once per run.
pub struct Reader<'r> {
    repo: &'r Repository,
    placeholders: Vec<(String, String)>,
    cache: HashMap<ReadKey, Arc<ReadFile>>,
    /// The trees listed last, most recently used last: `history`'s pairs share an end (`TO`
    /// of one is `FROM` of the next), and the walk for a cut alternates `FROM..C` and
    /// `C..TO`, so three entries list each tree once.
    trees: Vec<Listing>,
    /// Compares the tree listed last with the next one; keeps the trees it read for the
    /// next comparison, whose old side they are.
    listing_diff: Option<TreeDiff<'r>>,
    /// Compares the migration folders of a range's two trees (see [`git::diff_commits`]).
    change_diff: Option<TreeDiff<'r>>,
    /// The last replay: the files applied and the schema they gave. The next pair of a
    /// `history` replays the same files and a few more, so it starts from there.
    pub(crate) replayed: Option<(Vec<ReadKey>, Arc<Catalog>)>,
    /// The migrations found last at `TO`, for the next pair of a `history`, whose `FROM` it is.
    pub(crate) discovered: Option<DiscoveredAt>,
    /// How many threads parse a batch of files (all cores, unless the caller runs several
    /// readers at once).
    pub(crate) parse_threads: usize,
    /// Code blobs searched for references, shared by every pair of a run.
    pub(crate) code: crate::repo::code_search::CodeCache,
    /// What each file's content says it is, by blob (see [`layout::content_kind`]).
    kinds: HashMap<Oid, ContentKind>,
    /// The modules each Python blob imports (see [`FileContents::python_imports`]).
    python_imports: HashMap<Oid, Vec<String>>,
    /// Imported modules, parsed, by blob: shared by every script that imports one.
    modules: Mutex<HashMap<Oid, Arc<python::ParsedModule>>>,
}

/// A commit's tree as listed, with the migration locations detected in it (detection
/// reads every path, so each tree is scanned once).
struct Listing {
    commit: Oid,
    files: Arc<Vec<git::TreeFile>>,
    detected: Option<Arc<Vec<Location>>>,
}

/// The migrations discovered in a commit's tree, ordered, with what they were found by.
pub(crate) struct DiscoveredAt {
    pub commit: Oid,
    pub locations: Vec<(Location, usize)>,
    pub dialect: Dialect,
    pub found: Discovered,
}

/// The tree comparer in `slot`, made on first use.
fn opened<'s, 'r>(
    slot: &'s mut Option<TreeDiff<'r>>,
    repo: &'r Repository,
) -> Result<&'s mut TreeDiff<'r>> {
    let diff = match slot.take() {
        Some(diff) => diff,
        None => TreeDiff::new(repo)?,
    };
    Ok(slot.insert(diff))
}

/// Migrations larger than this are not read: parsing cost and memory stay bounded.
const MAX_MIGRATION_BYTES: usize = 16 << 20;

/// What makes two reads of a file the same: its content, format and dialect.
/// For Django the app label and migration name (from the path) count too, as a hash; for a
/// Python script, the repository modules it imports (name and blob), as a hash.
pub(crate) type ReadKey = (Oid, MigrationFormat, Dialect, u64);

/// A file whose text is loaded and which still has to be parsed.
struct Loaded {
    text: String,
    source: String,
    format: MigrationFormat,
    dialect: Dialect,
    /// A Python file (Synapse keeps Python deltas beside its SQL ones).
    python: bool,
    path: String,
    /// The repository modules it imports: name as written, and the module.
    modules: Vec<(String, Arc<python::ParsedModule>)>,
}

/// A migration file's text and what was read from it.
#[derive(Debug)]
pub struct ReadFile {
    /// The text (lossy for files that are not UTF-8; those also carry an unreadable op).
    pub text: String,
    /// What was read.
    pub parsed: ParsedMigration,
}

impl<'r> Reader<'r> {
    /// A reader for a repository and configuration.
    pub fn new(repo: &'r Repository, config: &Config) -> Reader<'r> {
        Reader {
            repo,
            placeholders: config
                .placeholders
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            cache: HashMap::new(),
            trees: Vec::new(),
            listing_diff: None,
            change_diff: None,
            replayed: None,
            discovered: None,
            parse_threads: std::thread::available_parallelism().map_or(1, usize::from),
            code: crate::repo::code_search::CodeCache::default(),
            kinds: HashMap::new(),
            python_imports: HashMap::new(),
            modules: Mutex::new(HashMap::new()),
        }
    }

    /// How many distinct files (blob, format, dialect) have been read so far.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn files_read(&self) -> usize {
        self.cache.len()
    }

    /// Every file of a commit's tree (see [`git::list_files`]), remembered for the next call.
    pub fn files(&mut self, commit: Oid) -> Result<Arc<Vec<git::TreeFile>>> {
        Ok(Arc::clone(&self.listing(commit)?.files))
    }

    /// The migration locations detected in a commit's tree (see
    /// [`discover::detect_locations`]), remembered with its listing.
    pub fn detected_locations(&mut self, commit: Oid) -> Result<Arc<Vec<Location>>> {
        let listing = self.listing(commit)?;
        let detected = listing
            .detected
            .get_or_insert_with(|| Arc::new(discover::detect_locations(&listing.files)));
        Ok(Arc::clone(detected))
    }

    /// The comparer of the migration folders of a range's trees, kept for the next range.
    pub(crate) fn change_diff(&mut self) -> Result<&mut TreeDiff<'r>> {
        opened(&mut self.change_diff, self.repo)
    }

    /// The listing of a commit's tree, made the most recently used.
    fn listing(&mut self, commit: Oid) -> Result<&mut Listing> {
        match self.trees.iter().position(|entry| entry.commit == commit) {
            Some(index) => {
                let entry = self.trees.remove(index);
                self.trees.push(entry);
            }
            None => {
                // Consecutive releases share most of their tree: the last listing, patched
                // with what differs, costs far less than a walk of the whole tree.
                let (files, detected) = match self.trees.last() {
                    Some(last) => {
                        let diff = opened(&mut self.listing_diff, self.repo)?;
                        let patched =
                            git::list_files_from(self.repo, diff, last.commit, &last.files, commit)?;
                        // Detection reads the paths alone: most releases only edit files.
                        let detected = last.detected.clone().filter(|_| patched.same_paths);
                        (patched.files, detected)
                    }
                    None => (git::list_files(self.repo, commit)?, None),
                };
                if self.trees.len() >= 3 {
                    self.trees.remove(0);
                }
                self.trees.push(Listing {
                    commit,
                    files: Arc::new(files),
                    detected,
                });
            }
        }
        let last = self.trees.len() - 1;
        Ok(&mut self.trees[last])
    }

    /// Reads every file not read yet, parsing them on all cores. Blobs are loaded on this
    /// thread (a repository handle is not shared between threads) and handed to a parsing
    /// worker as each is loaded, so loading and parsing overlap; once everything is loaded,
    /// this thread parses too. Later [`Reader::read`] calls hit the cache.
    pub fn prefetch<'f>(
        &mut self,
        files: impl IntoIterator<Item = &'f MigrationFile>,
    ) -> Result<()> {
        let mut queued = HashSet::new();
        let todo: Vec<&MigrationFile> = files
            .into_iter()
            .filter(|file| {
                let key = read_key(file);
                !self.cache.contains_key(&key) && queued.insert(key)
            })
            .collect();
        let threads = self.parse_threads.min(todo.len());
        if threads <= 1 {
            for file in todo {
                self.read(file)?;
            }
            return Ok(());
        }
        let (sender, receiver) = mpsc::channel::<(ReadKey, Loaded)>();
        let receiver = Mutex::new(receiver);
        let this = &*self;
        let (loaded, parsed) = std::thread::scope(|scope| {
            let workers: Vec<_> = (1..threads)
                .map(|_| scope.spawn(|| parse_queued(&receiver)))
                .collect();
            let loaded = this.load_into(&todo, &sender);
            drop(sender);
            let mut parsed = parse_queued(&receiver);
            for worker in workers {
                parsed.extend(worker.join().unwrap_or_default());
            }
            (loaded, parsed)
        });
        // Files that needed no parsing, and everything parsed, even when a later load failed.
        let (not_parsed, failure) = match loaded {
            Ok(done) => (done, None),
            Err(err) => (Vec::new(), Some(err)),
        };
        for (key, read) in not_parsed.into_iter().chain(parsed) {
            self.cache.insert(key, Arc::new(read));
        }
        failure.map_or(Ok(()), Err)
    }

    /// Loads `files` in order, sending each one that needs parsing to `queue`; returns the
    /// ones that did not (unreadable files), or the first load error.
    fn load_into(
        &self,
        files: &[&MigrationFile],
        queue: &mpsc::Sender<(ReadKey, Loaded)>,
    ) -> Result<Vec<(ReadKey, ReadFile)>> {
        let mut done = Vec::new();
        for file in files {
            let key = read_key(file);
            match self.load(file)? {
                Ok(read) => done.push((key, read)),
                Err(loaded) => {
                    // Every receiver is alive until the sender is dropped; if one were not,
                    // `read` would parse the file on demand.
                    let _ = queue.send((key, loaded));
                }
            }
        }
        Ok(done)
    }

    /// Ends one pair of a `history` whose next pair starts at `next_from`: forgets every
    /// parsed file, content kind and import list whose blob that tree does not hold. The next pair reads
    /// that tree and a few new files, so nothing it needs is dropped; a blob that comes back
    /// later (a revert) is parsed again. Memory follows the size of one release's trees, not
    /// the length of the history.
    pub fn finish_pair(&mut self, next_from: Oid) -> Result<()> {
        let files = self.files(next_from)?;
        let held: HashSet<Oid> = files.iter().map(|f| f.id).collect();
        self.cache.retain(|key, _| held.contains(&key.0));
        self.kinds.retain(|id, _| held.contains(id));
        self.python_imports.retain(|id, _| held.contains(id));
        if let Ok(modules) = self.modules.get_mut() {
            modules.retain(|id, _| held.contains(id));
        }
        Ok(())
    }

    /// Reads a migration file (cached by content, format and dialect).
    pub fn read(&mut self, file: &MigrationFile) -> Result<Arc<ReadFile>> {
        let key = read_key(file);
        if let Some(found) = self.cache.get(&key) {
            return Ok(Arc::clone(found));
        }
        let read = Arc::new(match self.load(file)? {
            Ok(done) => done,
            Err(loaded) => parse(loaded),
        });
        self.cache.insert(key, Arc::clone(&read));
        Ok(read)
    }

    /// Loads a file's text: `Ok` when there is nothing to parse (not a readable text file),
    /// `Err` with the text to parse otherwise.
    fn load(&self, file: &MigrationFile) -> Result<std::result::Result<ReadFile, Loaded>> {
        let unreadable = |error: &str, text: String| ReadFile {
            text,
            parsed: ParsedMigration {
                operations: vec![Operation {
                    line: 1,
                    kind: OpKind::Unreadable {
                        error: error.to_string(),
                    },
                    source: String::new(),
                }],
                ..ParsedMigration::default()
            },
        };
        match file.kind {
            EntryKind::File => {}
            EntryKind::Symlink => {
                return Ok(Ok(unreadable(
                    "a symbolic link, not a migration file: its target is not read",
                    String::new(),
                )))
            }
            EntryKind::Submodule => {
                return Ok(Ok(unreadable(
                    "a git submodule, not a migration file",
                    String::new(),
                )))
            }
        }
        let size = git::blob_size(self.repo, file.id, &file.path)?;
        if size > MAX_MIGRATION_BYTES {
            return Ok(Ok(unreadable(
                &format!(
                    "too large to read: {size} bytes (the limit is {} MiB); a migration this size is data, not a schema change, and needs review",
                    MAX_MIGRATION_BYTES >> 20
                ),
                String::new(),
            )));
        }
        let bytes = git::read_blob(self.repo, file.id, &file.path)?;
        if bytes.contains(&0) {
            return Ok(Ok(unreadable("a binary file, not text", String::new())));
        }
        let text = match String::from_utf8(bytes) {
            // A byte-order mark is not text: suppression comments and diffs read the file
            // without it.
            Ok(text) if text.starts_with('\u{feff}') => {
                crate::model::ops::without_byte_order_mark(&text).to_string()
            }
            Ok(text) => text,
            Err(err) => {
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                return Ok(Ok(unreadable("not UTF-8 text", text)));
            }
        };
        let mut source = text.clone();
        for (name, value) in &self.placeholders {
            source = source.replace(name.as_str(), value);
        }
        let mut modules = Vec::with_capacity(file.imports.len());
        for module in &file.imports {
            if let Some(parsed) = self.module(module)? {
                modules.push((module.name.clone(), parsed));
            }
        }
        Ok(Err(Loaded {
            text,
            source,
            format: file.format,
            dialect: file.dialect,
            python: file.path.ends_with(".py"),
            path: file.path.clone(),
            modules,
        }))
    }
}

impl Reader<'_> {
    /// An imported module, parsed once per blob; `None` when it is too large to read.
    fn module(
        &self,
        module: &crate::repo::python_imports::ImportedModule,
    ) -> Result<Option<Arc<python::ParsedModule>>> {
        let known = |modules: &Mutex<HashMap<Oid, Arc<python::ParsedModule>>>| {
            modules.lock().ok().and_then(|m| m.get(&module.id).cloned())
        };
        if let Some(parsed) = known(&self.modules) {
            return Ok(Some(parsed));
        }
        let bytes = git::read_blob(self.repo, module.id, &module.path)?;
        if bytes.len() > MAX_MIGRATION_BYTES {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&bytes);
        let text = crate::model::ops::without_byte_order_mark(&text).to_string();
        let parsed = Arc::new(python::ParsedModule::parse(text));
        if let Ok(mut modules) = self.modules.lock() {
            modules.insert(module.id, Arc::clone(&parsed));
        }
        Ok(Some(parsed))
    }
}

impl FileContents for Reader<'_> {
    fn kind(&mut self, file: &git::TreeFile) -> Result<ContentKind> {
        if let Some(kind) = self.kinds.get(&file.id) {
            return Ok(*kind);
        }
        let kind = if git::blob_size(self.repo, file.id, &file.path)? > MAX_MIGRATION_BYTES {
            ContentKind::Plain
        } else {
            let bytes = git::read_blob(self.repo, file.id, &file.path)?;
            layout::content_kind(&String::from_utf8_lossy(&bytes))
        };
        self.kinds.insert(file.id, kind);
        Ok(kind)
    }

    fn text(&mut self, file: &git::TreeFile) -> Result<String> {
        if git::blob_size(self.repo, file.id, &file.path)? > MAX_MIGRATION_BYTES {
            return Ok(String::new());
        }
        let bytes = git::read_blob(self.repo, file.id, &file.path)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn python_imports(&mut self, file: &git::TreeFile) -> Result<Vec<String>> {
        if let Some(names) = self.python_imports.get(&file.id) {
            return Ok(names.clone());
        }
        let names = python::imported_module_names(&self.text(file)?);
        self.python_imports.insert(file.id, names.clone());
        Ok(names)
    }
}

pub(crate) fn read_key(file: &MigrationFile) -> ReadKey {
    use std::hash::{Hash, Hasher};
    let identity = if file.format == MigrationFormat::Django {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        crate::read::python::django::migration_identity(&file.path).hash(&mut hasher);
        hasher.finish()
    } else if !file.imports.is_empty() {
        // What the script does depends on the modules it imports: the same script read
        // with another version of a helper module is another read.
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for module in &file.imports {
            (&module.name, module.id).hash(&mut hasher);
        }
        hasher.finish()
    } else {
        0
    };
    (file.id, file.format, file.dialect, identity)
}

/// Parses queued files until the queue is closed and empty.
fn parse_queued(queue: &Mutex<mpsc::Receiver<(ReadKey, Loaded)>>) -> Vec<(ReadKey, ReadFile)> {
    let mut done = Vec::new();
    // The lock is held only to take the next file, never while parsing.
    while let Some((key, loaded)) = queue.lock().ok().and_then(|q| q.recv().ok()) {
        done.push((key, parse(loaded)));
    }
    done
}

/// Parses a loaded file: pure, so it runs on any thread.
fn parse(loaded: Loaded) -> ReadFile {
    let Loaded {
        text,
        source,
        format,
        dialect,
        python,
        path,
        modules,
    } = loaded;
    let parsed = match format {
        MigrationFormat::Sql
        | MigrationFormat::Flyway
        | MigrationFormat::GolangMigrate
        | MigrationFormat::Diesel
        | MigrationFormat::Prisma
        | MigrationFormat::Sqitch => sql::read_sql_migration(&source, dialect),
        MigrationFormat::Dbmate => {
            sql::read_sql_migration(&sql::up_section(&source, sql::Sections::Dbmate), dialect)
        }
        MigrationFormat::Goose => {
            sql::read_sql_migration(&sql::up_section(&source, sql::Sections::Goose), dialect)
        }
        MigrationFormat::Synapse if python => python::read_synapse_delta(&source, dialect),
        MigrationFormat::Synapse => sql::read_sql_migration(&source, dialect),
        MigrationFormat::SqlalchemyMigrate => {
            python::read_python_with_modules(&source, dialect, false, &modules)
        }
        MigrationFormat::Alembic => {
            python::read_python_with_modules(&source, dialect, true, &modules)
        }
        MigrationFormat::Django => {
            let (app, name) = python::django::migration_identity(&path)
                .unwrap_or_else(|| (String::new(), path.clone()));
            python::django::read_django(&source, &app, &name, dialect)
        }
        // Discovery never makes migrations of these; should one arrive, it is not read.
        MigrationFormat::Auto | MigrationFormat::Rails => ParsedMigration {
            operations: vec![Operation {
                line: 1,
                kind: OpKind::Unreadable {
                    error: format!("{} migrations are not read", format.name()),
                },
                source: String::new(),
            }],
            ..ParsedMigration::default()
        }
    };
    ReadFile { text, parsed }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::migration::MigrationVersion;

    fn file(repo: &Repository, n: u64, content: &[u8]) -> MigrationFile {
        MigrationFile {
            path: format!("migrations/{n:04}.sql"),
            id: repo.blob(content).unwrap(),
            kind: EntryKind::File,
            format: MigrationFormat::Sql,
            dialect: Dialect::Postgres,
            version: MigrationVersion::new(vec![n], format!("{n:04}")),
            location: 0,
            imports: Vec::new(),
        }
    }

    fn described(read: &ReadFile) -> Vec<String> {
        let ops = &read.parsed.operations;
        ops.iter()
            .map(|op| format!("{}: {}", op.line, op.kind.describe()))
            .collect()
    }

    #[test]
    fn prefetch_reads_what_read_alone_reads() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut files: Vec<MigrationFile> = (0..40)
            .map(|n| {
                let sql = format!("ALTER TABLE t{n} ADD COLUMN c{n} int;\nDROP TABLE old{n};\n");
                file(&repo, n, sql.as_bytes())
            })
            .collect();
        // The same content twice, a parse error, a binary file and an empty one.
        files.push(file(
            &repo,
            40,
            b"ALTER TABLE t0 ADD COLUMN c0 int;\nDROP TABLE old0;\n",
        ));
        files.push(file(&repo, 41, b"CREATE TABLE (;\nDROP TABLE x;\n"));
        files.push(file(&repo, 42, b"\0\x01binary"));
        files.push(file(&repo, 43, b""));
        let config = Config::default();

        let mut prefetched = Reader::new(&repo, &config);
        prefetched.prefetch(&files).unwrap();
        assert_eq!(prefetched.files_read(), 43, "one read per distinct blob");

        let mut alone = Reader::new(&repo, &config);
        for f in &files {
            let expected = alone.read(f).unwrap();
            let got = prefetched.read(f).unwrap();
            assert_eq!(got.text, expected.text, "{}", f.path);
            assert_eq!(described(&got), described(&expected), "{}", f.path);
        }
        assert_eq!(
            prefetched.files_read(),
            43,
            "prefetched files are not read again"
        );
        let error = prefetched.read(&files[41]).unwrap();
        assert!(
            described(&error)[0].starts_with("1: "),
            "{:?}",
            described(&error)
        );
        assert_eq!(described(&error)[1], "2: drop table x");
    }

    #[test]
    fn prefetch_stops_at_a_missing_blob_and_keeps_what_it_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let good = file(&repo, 1, b"DROP TABLE a;\n");
        let mut missing = file(&repo, 2, b"DROP TABLE b;\n");
        missing.id = Oid::from_str("1234567890123456789012345678901234567890").unwrap();
        let later = file(&repo, 3, b"DROP TABLE c;\n");
        let config = Config::default();
        let mut reader = Reader::new(&repo, &config);
        let err = reader.prefetch([&good, &missing, &later]).unwrap_err();
        assert!(err.to_string().contains("migrations/0002.sql"), "{err}");
        assert_eq!(
            reader.files_read(),
            1,
            "the file loaded before the error is kept"
        );
        assert_eq!(described(&reader.read(&good).unwrap()), ["1: drop table a"]);
    }

    #[test]
    fn a_script_is_read_again_with_another_version_of_a_module_it_imports() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let script = b"from app.util import TABLE\nfrom alembic import op\nrevision = 'a'\ndown_revision = None\n\ndef upgrade():\n    op.drop_table(TABLE)\n";
        let with_module = |table: &str| {
            let mut f = file(&repo, 1, script);
            f.path = "migrations/versions/a.py".into();
            f.format = MigrationFormat::Alembic;
            let source = format!("TABLE = \"{table}\"\n");
            f.imports = vec![crate::repo::python_imports::ImportedModule {
                name: "app.util".into(),
                path: "app/util.py".into(),
                id: repo.blob(source.as_bytes()).unwrap(),
            }];
            f
        };
        let config = Config::default();
        let mut reader = Reader::new(&repo, &config);
        let old = reader.read(&with_module("old_rules")).unwrap();
        let new = reader.read(&with_module("new_rules")).unwrap();
        assert_eq!(described(&old), ["7: drop table old_rules"]);
        assert_eq!(described(&new), ["7: drop table new_rules"]);
        assert_eq!(reader.files_read(), 2, "one read per module version");
        reader.read(&with_module("old_rules")).unwrap();
        assert_eq!(reader.files_read(), 2, "the same versions hit the cache");
    }

    #[test]
    fn scripts_that_import_the_same_module_share_one_parse_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let module = repo.blob(b"def gone(n):\n    return 'old_' + n\n").unwrap();
        let scripts: Vec<MigrationFile> = (1..=3)
            .map(|n| {
                let script = format!(
                    "from app.util import gone\nfrom alembic import op\nrevision = 'r{n}'\ndown_revision = None\n\ndef upgrade():\n    op.drop_table(gone('t{n}'))\n"
                );
                let mut f = file(&repo, n, script.as_bytes());
                f.path = format!("migrations/versions/r{n}.py");
                f.format = MigrationFormat::Alembic;
                f.imports = vec![crate::repo::python_imports::ImportedModule {
                    name: "app.util".into(),
                    path: "app/util.py".into(),
                    id: module,
                }];
                f
            })
            .collect();
        let config = Config::default();
        let mut reader = Reader::new(&repo, &config);
        reader.prefetch(&scripts).unwrap();
        for (n, script) in scripts.iter().enumerate() {
            let expected = format!("7: drop table old_t{}", n + 1);
            assert_eq!(described(&reader.read(script).unwrap()), [expected]);
        }
        let parsed = reader.modules.lock().map(|m| m.len()).unwrap_or(0);
        assert_eq!(parsed, 1, "one parse of the module for three scripts");
        // A tree without the module forgets it.
        let empty = repo.treebuilder(None).unwrap().write().unwrap();
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        let tree = repo.find_tree(empty).unwrap();
        let commit = repo.commit(None, &sig, &sig, "empty", &tree, &[]).unwrap();
        reader.finish_pair(commit).unwrap();
        assert_eq!(reader.modules.lock().map(|m| m.len()).unwrap_or(1), 0);
    }
}

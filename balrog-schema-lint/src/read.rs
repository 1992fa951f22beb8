//! Reading migration files: blobs loaded once, parsed once per run (on every core), with
//! the per-run caches that `history` shares between its pairs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use git2::{Oid, Repository};

use crate::catalog::Catalog;
use crate::config::{Config, MigrationFormat};
use crate::discover::MigrationFile;
use crate::error::Result;
use crate::git::{self, EntryKind};
use crate::ops::{Dialect, OpKind, Operation, ParsedMigration};
use crate::{python, sql};

/// Reads and parses migration files, each distinct blob once per run.
pub struct Reader<'r> {
    repo: &'r Repository,
    placeholders: Vec<(String, String)>,
    cache: HashMap<ReadKey, Arc<ReadFile>>,
    /// The last trees listed: `history`'s pairs share an end (`TO` of one is `FROM` of the
    /// next), so two entries halve the tree walks.
    trees: Vec<(Oid, Arc<Vec<git::TreeFile>>)>,
    /// The last replay: the files applied and the schema they gave. The next pair of a
    /// `history` replays the same files and a few more, so it starts from there.
    pub(crate) replayed: Option<(Vec<ReadKey>, Arc<Catalog>)>,
    /// Code blobs searched for references, shared by every pair of a run.
    pub(crate) code: crate::references::CodeCache,
}

/// Migrations larger than this are not read: parsing cost and memory stay bounded.
const MAX_MIGRATION_BYTES: usize = 16 << 20;

/// What makes two reads of a file the same: its content, format and dialect.
pub(crate) type ReadKey = (Oid, MigrationFormat, Dialect);

/// A file whose text is loaded and which still has to be parsed.
struct Loaded {
    text: String,
    source: String,
    format: MigrationFormat,
    dialect: Dialect,
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
            replayed: None,
            code: crate::references::CodeCache::default(),
        }
    }

    /// How many distinct files (blob, format, dialect) have been read so far.
    pub fn files_read(&self) -> usize {
        self.cache.len()
    }

    /// Every file of a commit's tree (see [`git::list_files`]), remembered for the next call.
    pub fn files(&mut self, commit: Oid) -> Result<Arc<Vec<git::TreeFile>>> {
        if let Some((_, files)) = self.trees.iter().find(|(id, _)| *id == commit) {
            return Ok(Arc::clone(files));
        }
        let files = Arc::new(git::list_files(self.repo, commit)?);
        if self.trees.len() >= 2 {
            self.trees.remove(0);
        }
        self.trees.push((commit, Arc::clone(&files)));
        Ok(files)
    }

    /// Reads every file not read yet, parsing them on all cores. Blobs are loaded on this
    /// thread (a repository handle is not shared between threads); parsing, the costly part,
    /// is spread over scoped threads. Later [`Reader::read`] calls hit the cache.
    pub fn prefetch<'f>(
        &mut self,
        files: impl IntoIterator<Item = &'f MigrationFile>,
    ) -> Result<()> {
        let mut pending: Vec<(ReadKey, Loaded)> = Vec::new();
        for file in files {
            let key = (file.id, file.format, file.dialect);
            if self.cache.contains_key(&key) || pending.iter().any(|(k, _)| *k == key) {
                continue;
            }
            match self.load(file)? {
                Ok(done) => {
                    self.cache.insert(key, Arc::new(done));
                }
                Err(loaded) => pending.push((key, loaded)),
            }
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(pending.len());
        if threads <= 1 {
            for (key, loaded) in pending {
                self.cache.insert(key, Arc::new(parse(loaded)));
            }
            return Ok(());
        }
        let (keys, loads): (Vec<ReadKey>, Vec<Loaded>) = pending.into_iter().unzip();
        let slots: Vec<Mutex<Option<Loaded>>> =
            loads.into_iter().map(|l| Mutex::new(Some(l))).collect();
        let next = AtomicUsize::new(0);
        // Workers take the next file by index, so one large file does not hold up the rest.
        let parsed: Vec<(usize, ReadFile)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some(slot) = slots.get(index) else {
                                break;
                            };
                            let taken = slot.lock().ok().and_then(|mut s| s.take());
                            if let Some(loaded) = taken {
                                done.push((index, parse(loaded)));
                            }
                        }
                        done
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().unwrap_or_default())
                .collect()
        });
        for (index, read) in parsed {
            if let Some(key) = keys.get(index) {
                self.cache.insert(*key, Arc::new(read));
            }
        }
        Ok(())
    }

    /// Reads a migration file (cached by content, format and dialect).
    pub fn read(&mut self, file: &MigrationFile) -> Result<Arc<ReadFile>> {
        let key = (file.id, file.format, file.dialect);
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
        Ok(Err(Loaded {
            text,
            source,
            format: file.format,
            dialect: file.dialect,
        }))
    }
}

/// Parses a loaded file: pure, so it runs on any thread.
fn parse(loaded: Loaded) -> ReadFile {
    let Loaded {
        text,
        source,
        format,
        dialect,
    } = loaded;
    let parsed = match format {
        MigrationFormat::Sql | MigrationFormat::Auto => sql::read_sql_migration(&source, dialect),
        MigrationFormat::SqlalchemyMigrate => python::read_sqlalchemy_migrate(&source, dialect),
        MigrationFormat::Alembic => python::read_alembic(&source, dialect),
    };
    ReadFile { text, parsed }
}

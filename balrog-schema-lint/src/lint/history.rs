//! `history`: the verdict of every consecutive pair of release tags, to see how a project's
//! releases have been shaped over time (and to test the tool on a whole history at once).
//!
//! One repository handle and one [`Reader`] serve the whole run, so each distinct migration
//! file is parsed once however many pairs it appears in.

use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

use git2::{Oid, Repository};
use globset::Glob;

use crate::error::{Error, Result};
use crate::lint::{self, CheckRequest, Range, Reader};
use crate::repo::git;
use crate::repo::release_tags::{self, ReleaseTag, TagSelection};
use crate::report::{History, HistoryHeader, Pair, HISTORY_SCHEMA_VERSION};
use crate::model::ops::Dialect;

/// Which releases to compare.
///
/// ```
/// use balrog_schema_lint::{history, HistoryRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// // Only the v3.4x tags from v3.41 on.
/// let request = HistoryRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.41".into()),
///     tags: Some("v3.4*".into()),
///     ..HistoryRequest::default()
/// };
/// let found = history(&request, &mut |_| {})?;
/// assert_eq!((found.pairs[0].from.as_str(), found.pairs[0].to.as_str()), ("v3.41", "v3.42"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct HistoryRequest {
    /// A path inside the repository.
    pub repo: PathBuf,
    /// Only tags at or after this revision (in history).
    pub from: Option<String>,
    /// Only tags that are this revision or its ancestors; default `HEAD`.
    pub to: Option<String>,
    /// Only tags whose name matches this glob, e.g. `v3.*`, instead of the `release_tags`
    /// rule: any matching tag with a number in its name.
    pub tags: Option<String>,
    /// A configuration file instead of `balrog-schema-lint.toml` at `to`.
    pub config_file: Option<PathBuf>,
    /// Migration locations that replace the configured ones.
    pub migrations: Vec<String>,
    /// A dialect that replaces the configured one.
    pub dialect: Option<Dialect>,
    /// How many pairs are checked at once: `None` for one per core (at most 4). Each
    /// thread holds its own caches, so fewer threads use less memory.
    pub threads: Option<usize>,
}

/// Where a run is, for a progress display.
///
/// ```
/// use balrog_schema_lint::{history, HistoryRequest, Progress};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let mut seen = Vec::new();
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// history(&request, &mut |p: Progress<'_>| seen.push((p.done, p.total, p.next.is_some())))?;
/// assert_eq!(seen.last(), Some(&(2, 2, false)));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Pairs finished so far.
    pub done: usize,
    /// Pairs in the run.
    pub total: usize,
    /// The pair about to be checked (`None` once all are done).
    pub next: Option<(&'a str, &'a str)>,
}

/// The commits whose release tags a history covers: the history of `to`, or with `from`
/// the part of it at or after `from`.
fn commits_in_range(repo: &Repository, to: Oid, from: Option<Oid>) -> Result<HashSet<Oid>> {
    match from {
        // With `from`, the commits that descend from it are all in the history of `to`: one
        // walk over `from..to`, not over the whole history. The walk finds `to` itself when
        // it descends from `from`; otherwise no commit of the history of `to` is at or
        // after `from`.
        Some(from) => {
            let found = git::descendants_within(repo, from, to)?;
            Ok(if found.contains(&to) {
                found
            } else {
                HashSet::new()
            })
        }
        None => git::ancestors(repo, to),
    }
}

/// What [`history_each`] reports as it goes.
///
/// ```
/// use std::ops::ControlFlow;
/// use balrog_schema_lint::{history_each, HistoryEvent, HistoryRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// let mut seen = Vec::new();
/// history_each(&request, &mut |event| {
///     seen.push(match event {
///         HistoryEvent::Start(header) => format!("start {}", header.releases.len()),
///         HistoryEvent::Progress(p) => format!("{}/{}", p.done, p.total),
///         HistoryEvent::Pair(pair) => format!("{} -> {}", pair.from, pair.to),
///     });
///     ControlFlow::Continue(())
/// })?;
/// assert_eq!(seen, ["start 3", "0/2", "v3.40 -> v3.41", "1/2", "v3.41 -> v3.42", "2/2"]);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone)]
pub enum HistoryEvent<'a> {
    /// Once, first: what the run covers.
    Start(&'a HistoryHeader),
    /// Before each pair, and once at the end: where the run is, for a progress display.
    Progress(Progress<'a>),
    /// A pair, checked. Nothing of it is kept once the callback returns.
    Pair(Box<Pair>),
}

/// Checks every consecutive pair of selected release tags, oldest first, and hands each
/// pair to `on_event` as soon as it is checked: a long history costs the memory of one
/// pair, and a caller can write each pair out before the next is checked. Returning
/// [`ControlFlow::Break`] from `on_event` stops the run (with `Ok`). No selected tag at all
/// is an error that names the selection and some of the tags the repository has.
///
/// ```
/// use std::ops::ControlFlow;
/// use balrog_schema_lint::{history_each, HistoryEvent, HistoryRequest, Verdict};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// let mut verdicts = Vec::new();
/// history_each(&request, &mut |event| {
///     if let HistoryEvent::Pair(pair) = event {
///         verdicts.push((pair.to, pair.verdict));
///     }
///     ControlFlow::Continue(())
/// })?;
/// assert_eq!(verdicts, [("v3.41".into(), Verdict::Destructive), ("v3.42".into(), Verdict::Additive)]);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn history_each(
    request: &HistoryRequest,
    on_event: &mut dyn FnMut(HistoryEvent<'_>) -> ControlFlow<()>,
) -> Result<()> {
    run(request, on_event).map(drop)
}

/// [`history_each`], returning what the run covered.
fn run(
    request: &HistoryRequest,
    on_event: &mut dyn FnMut(HistoryEvent<'_>) -> ControlFlow<()>,
) -> Result<HistoryHeader> {
    let glob = match &request.tags {
        Some(pattern) => Some(
            Glob::new(pattern)
                .map_err(|err| Error::Usage(format!("--tags `{pattern}`: {err}")))?
                .compile_matcher(),
        ),
        None => None,
    };
    let repo = git::open(&request.repo)?;
    let to_rev = request.to.as_deref().unwrap_or("HEAD");
    let to = git::resolve_commit(&repo, to_rev)?;
    let from = match &request.from {
        Some(rev) => Some(git::resolve_commit(&repo, rev)?),
        None => None,
    };
    // The configuration at `to` says which tags are releases; the walk for the commits in
    // range (a tenth of a second on a long history) needs none of it, and runs beside it.
    let (config, in_range) = std::thread::scope(|scope| {
        let walk = scope.spawn(|| commits_in_range(&git::open(&request.repo)?, to, from));
        let config = lint::load_config(
            &repo,
            to,
            &CheckRequest {
                repo: request.repo.clone(),
                config_file: request.config_file.clone(),
                migrations: request.migrations.clone(),
                dialect: request.dialect,
                ..CheckRequest::default()
            },
        );
        let in_range = walk
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (config, in_range)
    });
    let (config, in_range) = (config?, in_range?);
    let selection = match (glob, &request.tags) {
        (Some(matcher), Some(pattern)) => TagSelection::Glob {
            pattern: pattern.clone(),
            matcher,
        },
        _ => TagSelection::Rule(config.release_tags()),
    };
    let selected = release_tags::release_tags(&repo, &selection)?;
    let anywhere = !selected.is_empty();
    let tags: Vec<ReleaseTag> = selected
        .into_iter()
        .filter(|tag| in_range.contains(&tag.commit))
        .collect();
    if tags.is_empty() {
        let scope = match (&request.from, anywhere) {
            (_, false) => String::new(),
            (Some(from), true) => format!(" between `{from}` and `{to_rev}`"),
            (None, true) => format!(" in the history of `{to_rev}`"),
        };
        return Err(Error::NoMatchingTags {
            selection: selection.describe(),
            scope,
            seen: release_tags::some_tag_names(&repo)?,
        });
    }
    let header = HistoryHeader {
        tags: selection.describe(),
        profile: config.profile(),
        dialect: config.dialect,
        dialect_source: config.dialect_source.clone(),
        releases: tags.iter().map(|tag| tag.name.clone()).collect(),
    };
    if on_event(HistoryEvent::Start(&header)).is_break() {
        return Ok(header);
    }
    let workers = request
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    check_pairs(repo, &request.repo, &config, &tags, workers, on_event)?;
    Ok(header)
}

/// Pairs per worker below which more workers cost more than they save.
const MIN_PAIRS_PER_WORKER: usize = 8;

/// Most workers a run uses: each holds a reader's caches, so memory grows with them.
const MAX_WORKERS: usize = 4;

/// Checks the consecutive pairs of `tags` and hands each to `on_event` in order, on up to
/// `workers` threads. Each worker starts on its own run of consecutive pairs, with its own
/// repository handle and [`Reader`] (the pairs of a run share their trees and files, which
/// is what the caches are for); a worker that has finished its run takes the second half
/// of the largest run left (see [`Shares::take`]), because the cost of a pair varies with
/// the release and equal runs ended far apart. This thread hands the pairs on in order as
/// they arrive; pairs checked ahead of their turn wait as the small [`Pair`] summaries.
/// What a pair gives does not depend on the worker that checked it.
fn check_pairs(
    repo: Repository,
    path: &std::path::Path,
    config: &crate::config::Config,
    tags: &[ReleaseTag],
    workers: usize,
    on_event: &mut dyn FnMut(HistoryEvent<'_>) -> ControlFlow<()>,
) -> Result<()> {
    let total = tags.len().saturating_sub(1);
    let workers = workers
        .min(MAX_WORKERS)
        .min(total / MIN_PAIRS_PER_WORKER)
        .max(1);
    let mut emit = |done: usize, pair: Pair| {
        let next = Some((tags[done].name.as_str(), tags[done + 1].name.as_str()));
        if on_event(HistoryEvent::Progress(Progress { done, total, next })).is_break() {
            return ControlFlow::Break(());
        }
        on_event(HistoryEvent::Pair(Box::new(pair)))
    };
    let completed = if workers == 1 {
        let mut reader = Reader::new(&repo, config);
        let mut completed = true;
        for done in 0..total {
            let pair = check_pair(&repo, config, (&tags[done], &tags[done + 1]), &mut reader)?;
            if emit(done, pair).is_break() {
                completed = false;
                break;
            }
        }
        completed
    } else {
        check_on_workers(repo, path, config, tags, workers, &mut emit)?
    };
    if completed {
        let _ = on_event(HistoryEvent::Progress(Progress {
            done: total,
            total,
            next: None,
        }));
    }
    Ok(())
}

/// [`check_pairs`] on `workers` threads; `false` when `emit` stopped the run. The first
/// worker reads through `repo`, the others open the repository at `path` again.
fn check_on_workers(
    repo: Repository,
    path: &std::path::Path,
    config: &crate::config::Config,
    tags: &[ReleaseTag],
    workers: usize,
    emit: &mut dyn FnMut(usize, Pair) -> ControlFlow<()>,
) -> Result<bool> {
    let total = tags.len().saturating_sub(1);
    // The workers share the cores: each parses its batches on its share.
    let parse_threads = (std::thread::available_parallelism().map_or(1, usize::from) / workers).max(1);
    let shares = Shares::new(total, workers);
    let (sender, receiver) = mpsc::channel::<(usize, Result<Pair>)>();
    let mut opened = Some(repo);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (sender, shares) = (sender.clone(), &shares);
            let repo = opened.take();
            scope.spawn(move || {
                let repo = match repo.map_or_else(|| git::open(path), Ok) {
                    Ok(repo) => repo,
                    Err(err) => {
                        let first = shares.first(worker);
                        shares.stop_at(first);
                        let _ = sender.send((first, Err(err)));
                        return;
                    }
                };
                let fresh_reader = || {
                    let mut reader = Reader::new(&repo, config);
                    reader.parse_threads = parse_threads;
                    reader
                };
                let mut reader = fresh_reader();
                let mut last = None;
                while let Some(done) = shares.take(worker) {
                    // Pairs taken from another run share little with the last one: its
                    // caches go before the new pairs fill them.
                    if last.is_some_and(|last| last + 1 != done) {
                        reader = fresh_reader();
                    }
                    last = Some(done);
                    let checked = check_pair(&repo, config, (&tags[done], &tags[done + 1]), &mut reader);
                    if checked.is_err() {
                        shares.stop_at(done);
                    }
                    if sender.send((done, checked)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, Result<Pair>> = BTreeMap::new();
        let mut next = 0;
        let ended = 'run: loop {
            while let Some(checked) = waiting.remove(&next) {
                let pair = match checked {
                    Ok(pair) => pair,
                    Err(err) => {
                        shares.stop_at(0);
                        return Err(err);
                    }
                };
                if emit(next, pair).is_break() {
                    break 'run Ok(false);
                }
                next += 1;
            }
            if next == total {
                break Ok(true);
            }
            match receiver.recv() {
                Ok((done, checked)) => {
                    waiting.insert(done, checked);
                }
                // Every worker has ended with pair `next` unchecked: only a panic does
                // that, and the scope raises it again: the run never ends as if whole.
                Err(_) => break Ok(false),
            }
        };
        // Whatever ends the run early tells the workers to stop.
        shares.stop_at(0);
        ended
    })
}

/// The pairs each worker has still to check, and the first pair no worker checks any more.
struct Shares {
    runs: Vec<Mutex<std::ops::Range<usize>>>,
    /// Pairs from here on are not checked: those after a failed pair, or all once the
    /// run has stopped.
    limit: AtomicUsize,
}

/// The fewest pairs a worker takes from another's run: a worker that moves to pairs far
/// from its last ones reads their trees and files afresh.
const MIN_PAIRS_TAKEN: usize = MIN_PAIRS_PER_WORKER;

impl Shares {
    /// `total` pairs cut into `workers` runs of consecutive pairs.
    fn new(total: usize, workers: usize) -> Shares {
        Shares {
            runs: (0..workers)
                .map(|k| Mutex::new(k * total / workers..(k + 1) * total / workers))
                .collect(),
            limit: AtomicUsize::new(total),
        }
    }

    fn run(&self, worker: usize) -> std::sync::MutexGuard<'_, std::ops::Range<usize>> {
        // A worker that panicked while holding the lock left a whole range behind it.
        self.runs[worker]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The first pair of a worker's run.
    fn first(&self, worker: usize) -> usize {
        self.run(worker).start
    }

    /// No pair from `pair` on is checked any more.
    fn stop_at(&self, pair: usize) {
        self.limit.fetch_min(pair, Ordering::Relaxed);
    }

    /// The next pair for `worker`: the next of its run, or, once its run is done, the first
    /// of the second half of the largest run left when that half is worth a fresh start.
    fn take(&self, worker: usize) -> Option<usize> {
        let limit = self.limit.load(Ordering::Relaxed);
        {
            let mut own = self.run(worker);
            if own.start < own.end.min(limit) {
                own.start += 1;
                return Some(own.start - 1);
            }
        }
        let left = |run: &std::ops::Range<usize>| run.end.min(limit).saturating_sub(run.start);
        let (victim, _) = (0..self.runs.len())
            .filter(|k| *k != worker)
            .map(|k| (k, left(&self.run(k))))
            .max_by_key(|(_, left)| *left)?;
        let taken = {
            let mut run = self.run(victim);
            let left = left(&run);
            if left < 2 * MIN_PAIRS_TAKEN {
                return None;
            }
            let middle = run.start + left / 2;
            let taken = middle..run.end.min(limit);
            run.end = middle;
            taken
        };
        // Nobody takes from a worker whose run is empty, as this one's is until now.
        let mut own = self.run(worker);
        *own = taken.start + 1..taken.end;
        Some(taken.start)
    }
}

/// Checks one pair of consecutive tags and summarises it.
fn check_pair(
    repo: &Repository,
    config: &crate::config::Config,
    (older, newer): (&ReleaseTag, &ReleaseTag),
    reader: &mut Reader<'_>,
) -> Result<Pair> {
    let range = Range {
        from: (older.name.clone(), older.commit, "release-tag"),
        to: (newer.name.clone(), newer.commit, "release-tag"),
    };
    let report = lint::check_range(repo, &range, config, reader)?;
    reader.finish_pair(newer.commit)?;
    Ok(Pair {
        from: older.name.clone(),
        to: newer.name.clone(),
        from_commit: older.commit.to_string(),
        to_commit: newer.commit.to_string(),
        verdict: report.verdict,
        plan: report.plan,
        counts: report.counts,
    })
}

/// Checks every consecutive pair of selected release tags and returns them all (see
/// [`history_each`] to handle each pair as it is checked instead). `progress` is called
/// before each pair and once at the end. No selected tag at all is an error that names the
/// selection and some of the tags the repository has.
///
/// ```
/// use balrog_schema_lint::{history, HistoryRequest, Verdict};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = HistoryRequest { repo: dir.path().to_path_buf(), ..HistoryRequest::default() };
/// let found = history(&request, &mut |_progress| {})?;
/// let verdicts: Vec<Verdict> = found.pairs.iter().map(|p| p.verdict).collect();
/// assert_eq!(verdicts, [Verdict::Destructive, Verdict::Additive]);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn history(
    request: &HistoryRequest,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<History> {
    let mut pairs = Vec::new();
    let header = run(request, &mut |event| {
        match event {
            HistoryEvent::Start(_) => {}
            HistoryEvent::Progress(at) => progress(at),
            HistoryEvent::Pair(pair) => pairs.push(*pair),
        }
        ControlFlow::Continue(())
    })?;
    Ok(History {
        schema_version: HISTORY_SCHEMA_VERSION,
        tags: header.tags,
        profile: header.profile,
        dialect: header.dialect,
        dialect_source: header.dialect_source,
        pairs,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use git2::{Signature, Time};

    use super::*;
    use crate::model::finding::Verdict;

    /// Builds repositories commit by commit: each commit is a whole tree of files.
    struct Builder {
        repo: Repository,
        head: Option<Oid>,
        time: i64,
    }

    impl Builder {
        fn new(dir: &Path) -> Builder {
            Builder {
                repo: Repository::init(dir).unwrap(),
                head: None,
                time: 1_700_000_000,
            }
        }

        /// Commits `files` on top of `parent` (default: the last commit) and tags it.
        fn commit(&mut self, files: &[(&str, &str)], parent: Option<Oid>, tags: &[&str]) -> Oid {
            let mut root = std::collections::BTreeMap::<String, Vec<(String, Oid)>>::new();
            for (path, text) in files {
                let blob = self.repo.blob(text.as_bytes()).unwrap();
                let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
                root.entry(dir.to_string())
                    .or_default()
                    .push((name.to_string(), blob));
            }
            let mut top = self.repo.treebuilder(None).unwrap();
            for (dir, entries) in root {
                let mut builder = self.repo.treebuilder(None).unwrap();
                for (name, blob) in entries {
                    builder.insert(&name, blob, 0o100644).unwrap();
                }
                if dir.is_empty() {
                    let tree = self.repo.find_tree(builder.write().unwrap()).unwrap();
                    for entry in tree.iter() {
                        top.insert(entry.name().unwrap(), entry.id(), 0o100644)
                            .unwrap();
                    }
                } else {
                    top.insert(&dir, builder.write().unwrap(), 0o040000)
                        .unwrap();
                }
            }
            let tree = self.repo.find_tree(top.write().unwrap()).unwrap();
            self.time += 60;
            let sig = Signature::new("r", "r@example.com", &Time::new(self.time, 0)).unwrap();
            let parents: Vec<git2::Commit<'_>> = parent
                .or(self.head)
                .iter()
                .map(|p| self.repo.find_commit(*p).unwrap())
                .collect();
            let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let update = if parent.is_none() { Some("HEAD") } else { None };
            let id = self
                .repo
                .commit(update, &sig, &sig, "c", &tree, &refs)
                .unwrap();
            if parent.is_none() {
                self.head = Some(id);
            }
            let object = self.repo.find_object(id, None).unwrap();
            for tag in tags {
                self.repo.tag_lightweight(tag, &object, false).unwrap();
            }
            id
        }
    }

    const M1: (&str, &str) = ("migrations/0001_a.sql", "CREATE TABLE a (id INT);\n");
    const M2: (&str, &str) = ("migrations/0002_b.sql", "CREATE TABLE b (id INT);\n");
    const M3: (&str, &str) = ("migrations/0003_c.sql", "CREATE TABLE c (id INT);\n");

    /// v1.0 (0001) -> v1.1 (+0002) -> v1.2 (nothing) -> v1.10 (+0003), with a side branch
    /// tagged v1.5 off v1.1 and a tag that is not a release.
    fn sample(dir: &Path) -> Builder {
        let mut b = Builder::new(dir);
        b.commit(&[M1], None, &["v1.0"]);
        let v11 = b.commit(&[M1, M2], None, &["v1.1", "v1.1-real"]);
        b.commit(&[M1, M2, ("README", "x\n")], None, &["v1.2"]);
        b.commit(&[M1, M2, M3], None, &["v1.10"]);
        b.commit(
            &[M1, M2, ("migrations/0009_side.sql", "DROP TABLE a;\n")],
            Some(v11),
            &["v1.5"],
        );
        b
    }

    fn run(request: &HistoryRequest) -> Result<History> {
        history(request, &mut |_| {})
    }

    fn names(history: &History) -> Vec<(String, String, usize)> {
        history
            .pairs
            .iter()
            .map(|p| (p.from.clone(), p.to.clone(), p.counts.migrations))
            .collect()
    }

    fn pair(from: &str, to: &str, migrations: usize) -> (String, String, usize) {
        (from.to_string(), to.to_string(), migrations)
    }

    /// 33 releases: most add a table, every fifth drops the last one added, every seventh
    /// changes no migration.
    fn long_history(dir: &Path) -> Builder {
        let mut b = Builder::new(dir);
        let mut files: Vec<(String, String)> = Vec::new();
        let mut created = 0;
        for release in 0..33 {
            if release % 7 != 3 {
                let sql = if release % 5 == 4 {
                    format!("DROP TABLE t{created};\n")
                } else {
                    created = release;
                    format!("CREATE TABLE t{release} (id INT, note TEXT);\n")
                };
                files.push((format!("migrations/{:04}_m.sql", release + 1), sql));
            }
            let view: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            b.commit(&view, None, &[&format!("v2.{release}")]);
        }
        b
    }

    /// The history of the repository at `dir`, on `threads` threads.
    fn on_threads(dir: &Path, threads: usize) -> HistoryRequest {
        HistoryRequest {
            repo: dir.to_path_buf(),
            threads: Some(threads),
            ..HistoryRequest::default()
        }
    }

    /// Every event of that history, in the order handed on, as text.
    fn events(dir: &Path, threads: usize) -> Vec<String> {
        let mut seen = Vec::new();
        history_each(&on_threads(dir, threads), &mut |event| {
            seen.push(match event {
                HistoryEvent::Start(header) => format!("start {:?}", header.releases),
                HistoryEvent::Progress(p) => format!("{}/{} {:?}", p.done, p.total, p.next),
                HistoryEvent::Pair(pair) => format!("{pair:?}"),
            });
            ControlFlow::Continue(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn pairs_checked_on_several_threads_are_the_pairs_checked_on_one_in_order() {
        let dir = tempfile::tempdir().unwrap();
        long_history(dir.path());
        let request = |threads| on_threads(dir.path(), threads);
        let events = |threads| events(dir.path(), threads);
        let one = run(&request(1)).unwrap();
        assert_eq!(one.pairs.len(), 32);
        let verdicts: Vec<Verdict> = one.pairs.iter().map(|p| p.verdict).collect();
        assert_eq!(verdicts[3], Verdict::Destructive, "v2.3 -> v2.4 drops t2");
        assert_eq!(verdicts[2], Verdict::None, "v2.3 changes no migration");
        for threads in [2, 3, 4] {
            assert_eq!(run(&request(threads)).unwrap(), one, "{threads} threads");
            assert_eq!(events(threads), events(1), "{threads} threads: events in order");
        }
    }

    /// Release tags off the line of `to` (a fix released from a branch, in the middle and
    /// after the last release) are not releases of the run: it is the run without those
    /// tags, events included, on any number of threads.
    #[test]
    fn tags_off_the_line_of_to_leave_the_same_run_as_without_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = long_history(dir.path());
        let tagged = |b: &Builder, tag: &str| b.repo.revparse_single(tag).unwrap().peel_to_commit().unwrap().id();
        for (base, fix) in [("v2.10", "v2.10.1"), ("v2.20", "v2.20.1"), ("v2.32", "v2.33")] {
            let parent = tagged(&b, base);
            let mut files: Vec<(String, String)> = Vec::new();
            let tree = b.repo.find_commit(parent).unwrap().tree().unwrap();
            tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if let Some(blob) = entry.to_object(&b.repo).ok().and_then(|o| o.into_blob().ok()) {
                    let text = String::from_utf8_lossy(blob.content()).into_owned();
                    files.push((format!("{dir}{}", entry.name().unwrap()), text));
                }
                git2::TreeWalkResult::Ok
            })
            .unwrap();
            drop(tree);
            files.push(("migrations/0900_fix.sql".to_string(), "DROP TABLE t0;\n".to_string()));
            let view: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            b.commit(&view, Some(parent), &[fix]);
        }
        let events = |threads| events(dir.path(), threads);
        let with_fixes: Vec<Vec<String>> = (1..=4).map(events).collect();
        for fix in ["v2.10.1", "v2.20.1", "v2.33"] {
            b.repo.tag_delete(fix).unwrap();
        }
        let without = events(1);
        assert_eq!(without.len(), 1 + 2 * 32 + 1, "start, 32 pairs, the end");
        assert!(without[0].contains("\"v2.32\"]"), "{}", without[0]);
        for (threads, seen) in (1..=4).zip(with_fixes) {
            assert_eq!(seen, without, "{threads} threads");
        }
    }

    /// A pair that cannot be read ends the run with its error after the pairs before it,
    /// whatever the number of threads, though later pairs (on other threads) fail too.
    #[test]
    fn a_failed_pair_ends_the_run_after_the_pairs_before_it_on_any_number_of_threads() {
        let dir = tempfile::tempdir().unwrap();
        long_history(dir.path());
        // The file v2.20 adds, missing from the object database.
        let id = Oid::hash_object(git2::ObjectType::Blob, b"CREATE TABLE t20 (id INT, note TEXT);\n")
            .unwrap()
            .to_string();
        let loose = dir.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
        std::fs::remove_file(loose).unwrap();
        let outcome = |threads| {
            let mut pairs = Vec::new();
            let result = history_each(&on_threads(dir.path(), threads), &mut |event| {
                if let HistoryEvent::Pair(pair) = event {
                    pairs.push(pair.to);
                }
                ControlFlow::Continue(())
            });
            (pairs, result.map(|_| ()).map_err(|err| err.to_string()))
        };
        let (pairs, result) = outcome(1);
        let expected: Vec<String> = (1..=19).map(|n| format!("v2.{n}")).collect();
        assert_eq!(pairs, expected);
        assert!(result.as_ref().is_err_and(|err| err.contains("0021_m.sql")), "{result:?}");
        for threads in [2, 3, 4] {
            assert_eq!(outcome(threads), (pairs.clone(), result.clone()), "{threads} threads");
        }
    }

    /// A worker that has finished its run takes the second half of the largest run left,
    /// while it holds at least two workers' worth; every pair is handed out once, and none
    /// at or after a failed one.
    #[test]
    fn a_worker_done_early_takes_half_of_the_largest_run_left() {
        let shares = Shares::new(40, 2);
        let mut second: Vec<usize> = std::iter::from_fn(|| shares.take(1)).take(20).collect();
        assert_eq!(second, (20..40).collect::<Vec<_>>());
        assert_eq!(shares.take(1), Some(10), "half of 0..20");
        second.push(10);
        assert_eq!(shares.take(0), Some(0));
        second.extend(std::iter::from_fn(|| shares.take(1)));
        let first: Vec<usize> = std::iter::from_fn(|| shares.take(0)).collect();
        assert_eq!(first, (1..10).collect::<Vec<_>>(), "9 left in 11..20: not worth a move");
        assert_eq!(second[20..], (10..20).collect::<Vec<_>>());

        // Every pair once, in any interleaving of four workers.
        let shares = Shares::new(100, 4);
        let mut seen = Vec::new();
        for step in 0.. {
            let worker = (step * 7 + step / 3) % 4;
            match shares.take(worker) {
                Some(pair) => seen.push(pair),
                None if (0..4).all(|w| shares.take(w).map(|p| seen.push(p)).is_none()) => break,
                None => {}
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());

        let shares = Shares::new(40, 2);
        shares.stop_at(25);
        let taken: Vec<usize> = std::iter::from_fn(|| shares.take(1)).collect();
        let expected: Vec<usize> = (20..25).chain(10..20).collect();
        assert_eq!(taken, expected, "nothing from 25 on; then half of 0..20");
    }

    #[test]
    fn stopping_a_run_on_several_threads_hands_on_nothing_more() {
        let dir = tempfile::tempdir().unwrap();
        long_history(dir.path());
        let request = on_threads(dir.path(), 3);
        // Stop inside the second thread's run of pairs.
        let mut pairs = Vec::new();
        history_each(&request, &mut |event| {
            if let HistoryEvent::Pair(pair) = event {
                pairs.push(pair.to);
                if pairs.len() == 13 {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        })
        .unwrap();
        let expected: Vec<String> = (1..=13).map(|n| format!("v2.{n}")).collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn a_pair_that_changes_no_migration_reads_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let b = sample(dir.path());
        let id = |tag: &str| b.repo.revparse_single(tag).unwrap().peel_to_commit().unwrap().id();
        let request = CheckRequest {
            repo: dir.path().to_path_buf(),
            ..CheckRequest::default()
        };
        let config = lint::load_config(&b.repo, id("v1.2"), &request).unwrap();
        let range = |from: &str, to: &str| Range {
            from: (from.to_string(), id(from), "release-tag"),
            to: (to.to_string(), id(to), "release-tag"),
        };
        let mut reader = Reader::new(&b.repo, &config);
        let report = lint::check_range(&b.repo, &range("v1.1", "v1.2"), &config, &mut reader).unwrap();
        assert_eq!(report.verdict, Verdict::None);
        assert_eq!(reader.files_read(), 0, "nothing changed: nothing to read or replay");
        lint::check_range(&b.repo, &range("v1.0", "v1.1"), &config, &mut reader).unwrap();
        assert_eq!(reader.files_read(), 2, "0002, and 0001 to replay the schema before it");
    }

    #[test]
    fn consecutive_release_tags_in_the_history_of_to() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let request = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        let found = run(&request).unwrap();
        assert_eq!(found.schema_version, 1);
        assert_eq!(
            names(&found),
            vec![
                pair("v1.0", "v1.1", 1),
                pair("v1.1", "v1.2", 0),
                pair("v1.2", "v1.10", 1),
            ]
        );
        let verdicts: Vec<Verdict> = found.pairs.iter().map(|p| p.verdict).collect();
        assert_eq!(
            verdicts,
            [Verdict::Additive, Verdict::None, Verdict::Additive],
            "0002 and 0003 create tables; v1.2 changes no migration"
        );
        assert_eq!(found.pairs[0].from_commit.len(), 40);
    }

    #[test]
    fn from_to_and_glob_bound_the_tags() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let base = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        let found = run(&HistoryRequest {
            from: Some("v1.1".into()),
            ..base.clone()
        })
        .unwrap();
        assert_eq!(
            names(&found),
            vec![pair("v1.1", "v1.2", 0), pair("v1.2", "v1.10", 1)]
        );
        let found = run(&HistoryRequest {
            tags: Some("v1.1*".into()),
            ..base.clone()
        })
        .unwrap();
        // A glob replaces the release rule: `v1.1-real` (on v1.1's commit) is taken too, and
        // sorts before the release it names.
        assert_eq!(
            names(&found),
            vec![pair("v1.1-real", "v1.1", 0), pair("v1.1", "v1.10", 1)]
        );
        // The side branch's tag is only seen from the side branch.
        let found = run(&HistoryRequest {
            to: Some("v1.5".into()),
            ..base.clone()
        })
        .unwrap();
        assert_eq!(
            names(&found),
            vec![pair("v1.0", "v1.1", 1), pair("v1.1", "v1.5", 1)]
        );
        // The side branch drops table a.
        let verdicts: Vec<Verdict> = found.pairs.iter().map(|p| p.verdict).collect();
        assert_eq!(verdicts, [Verdict::Additive, Verdict::Destructive]);
        let err = run(&HistoryRequest {
            tags: Some("v9.*".into()),
            ..base.clone()
        })
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("no tag matches --tags `v9.*`; tags seen: \"v1.10\", \"v1.5\""),
            "{message}"
        );
        assert!(message.contains("(and 1 more)"), "{message}");
        // One release in range: nothing to pair, said in words.
        let found = run(&HistoryRequest {
            tags: Some("v1.0".into()),
            ..base
        })
        .unwrap();
        assert!(found.pairs.is_empty());
    }

    #[test]
    fn tags_without_a_v_are_releases_and_to_and_tags_are_respected() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Builder::new(dir.path());
        b.commit(&[M1], None, &["0.19.3"]);
        b.commit(&[M1, M2], None, &["0.19.15"]);
        b.commit(&[M1, M2, M3], None, &["0.20.0-rc1", "latest"]);
        b.commit(&[M1, M2, M3], None, &["0.20.0"]);
        let base = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        let found = run(&base).unwrap();
        assert_eq!(
            names(&found),
            vec![pair("0.19.3", "0.19.15", 1), pair("0.19.15", "0.20.0", 1)]
        );
        assert_eq!(found.profile, crate::model::profile::Profile::Generic);
        assert_eq!(
            found.pairs[0].first_step(),
            "the service that runs the migrations"
        );
        let found = run(&HistoryRequest {
            to: Some("0.19.15".into()),
            ..base.clone()
        })
        .unwrap();
        assert_eq!(names(&found), vec![pair("0.19.3", "0.19.15", 1)]);
        // A glob replaces the rule: the pre-release comes before its release.
        let found = run(&HistoryRequest {
            tags: Some("*".into()),
            ..base.clone()
        })
        .unwrap();
        assert_eq!(
            names(&found),
            vec![
                pair("0.19.3", "0.19.15", 1),
                pair("0.19.15", "0.20.0-rc1", 1),
                pair("0.20.0-rc1", "0.20.0", 0),
            ]
        );
        assert_eq!(found.tags, "--tags `*`");
        // Tags that no rule takes: exit 2 material, naming the pattern and the tags.
        let err = run(&HistoryRequest {
            config_file: None,
            tags: Some("release-*".into()),
            ..base
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("\"0.20.0\", \"0.20.0-rc1\", \"0.19.15\""),
            "{err}"
        );
    }

    #[test]
    fn no_release_tag_in_the_history_of_to_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Builder::new(dir.path());
        let first = b.commit(&[M1], None, &[]);
        b.commit(&[M1, M2], None, &["1.0.0"]);
        let err = run(&HistoryRequest {
            repo: dir.path().to_path_buf(),
            to: Some(first.to_string()),
            ..HistoryRequest::default()
        })
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(r"release_tags `v?\d+\.\d+(\.\d+)?`"),
            "{message}"
        );
        assert!(
            message.contains(&format!("in the history of `{first}`")),
            "{message}"
        );
    }

    #[test]
    fn input_errors_name_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let base = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        let err = run(&HistoryRequest {
            tags: Some("v[1".into()),
            ..base.clone()
        })
        .unwrap_err();
        assert!(
            matches!(err, Error::Usage(ref m) if m.contains("v[1")),
            "{err}"
        );
        let err = run(&HistoryRequest {
            from: Some("v7.0".into()),
            ..base
        })
        .unwrap_err();
        assert!(err.to_string().contains("v7.0"), "{err}");
    }

    #[test]
    fn config_comes_from_the_newest_tag() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Builder::new(dir.path());
        b.commit(&[M1], None, &["v2.0"]);
        b.commit(&[M1, M2], None, &["v2.1"]);
        let config = (
            "balrog-schema-lint.toml",
            "[[migrations]]\npath = \"elsewhere\"\n",
        );
        b.commit(&[M1, M2, M3, config], None, &["v2.2"]);
        let request = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        // Only `elsewhere` holds migrations, as the newest configuration says.
        assert_eq!(
            names(&run(&request).unwrap()),
            vec![pair("v2.0", "v2.1", 0), pair("v2.1", "v2.2", 0)]
        );
    }

    /// `--from` keeps the tags that descend from it: a branch forked before it is not after
    /// it, even when it is merged after it.
    #[test]
    fn descendants_of_from_are_found_in_one_walk() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = sample(dir.path());
        let id = |b: &Builder, rev: &str| git::resolve_commit(&b.repo, rev).unwrap();
        // A branch forked at v1.0 and merged after v1.10.
        let forked = b.commit(&[M1, ("migrations/0008_f.sql", "DROP TABLE a;\n")], Some(id(&b, "v1.0")), &["v1.0.5"]);
        let main_tip = id(&b, "v1.10");
        let merge = {
            let repo = &b.repo;
            let sig = Signature::new("r", "r@example.com", &Time::new(1_800_000_000, 0)).unwrap();
            let tree = repo.find_commit(main_tip).unwrap().tree().unwrap();
            let parents = [&repo.find_commit(main_tip).unwrap(), &repo.find_commit(forked).unwrap()];
            repo.commit(None, &sig, &sig, "merge", &tree, &parents).unwrap()
        };
        let after = git::descendants_within(&b.repo, id(&b, "v1.1"), merge).unwrap();
        for rev in ["v1.1", "v1.2", "v1.10"] {
            assert!(after.contains(&id(&b, rev)), "{rev}");
        }
        assert!(after.contains(&merge));
        assert!(!after.contains(&id(&b, "v1.0")));
        assert!(!after.contains(&forked), "forked before v1.1");
        assert!(!after.contains(&id(&b, "v1.5")), "not in the history of the merge");
        let side = git::descendants_within(&b.repo, id(&b, "v1.1"), id(&b, "v1.5")).unwrap();
        assert!(side.contains(&id(&b, "v1.5")) && !side.contains(&id(&b, "v1.2")));
        b.head = Some(merge);
    }

    #[test]
    fn progress_counts_up_to_the_total() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let mut seen = Vec::new();
        history(
            &HistoryRequest {
                repo: dir.path().to_path_buf(),
                ..HistoryRequest::default()
            },
            &mut |p| seen.push((p.done, p.total, p.next.map(|(a, b)| format!("{a}..{b}")))),
        )
        .unwrap();
        assert_eq!(
            seen,
            vec![
                (0, 3, Some("v1.0..v1.1".into())),
                (1, 3, Some("v1.1..v1.2".into())),
                (2, 3, Some("v1.2..v1.10".into())),
                (3, 3, None),
            ]
        );
    }

    /// A migration replaced in a release: its old content is forgotten as soon as the next
    /// pair's tree does not hold it, so a long history holds one release's files, not all
    /// of them.
    #[test]
    fn parsed_files_are_kept_only_while_a_tree_holds_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Builder::new(dir.path());
        let edited = ("migrations/0001_init.sql", "CREATE TABLE a (id INT);\n-- edited\n");
        b.commit(&[M1], None, &["v1.0"]);
        b.commit(&[edited], None, &["v1.1"]);
        b.commit(&[edited, M2], None, &["v1.2"]);
        let repo = Repository::open(dir.path()).unwrap();
        let config = crate::config::Config::default();
        let mut reader = Reader::new(&repo, &config);
        let pair = |from: &str, to: &str| Range {
            from: (from.into(), git::resolve_commit(&repo, from).unwrap(), "given"),
            to: (to.into(), git::resolve_commit(&repo, to).unwrap(), "given"),
        };
        let v11 = git::resolve_commit(&repo, "v1.1").unwrap();
        let v12 = git::resolve_commit(&repo, "v1.2").unwrap();
        lint::check_range(&repo, &pair("v1.0", "v1.1"), &config, &mut reader).unwrap();
        assert_eq!(reader.files_read(), 2, "both versions of 0001 are read for the pair");
        reader.finish_pair(v11).unwrap();
        assert_eq!(reader.files_read(), 1, "the old 0001 is not in v1.1: no later pair needs it");
        lint::check_range(&repo, &pair("v1.1", "v1.2"), &config, &mut reader).unwrap();
        reader.finish_pair(v12).unwrap();
        assert_eq!(reader.files_read(), 2, "the new 0001 and 0002 are in v1.2");
    }
}

//! The pipeline in one place: range -> discover -> read -> classify -> rules -> plan -> report.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use git2::{Oid, Repository};

use crate::analysis::{Analysis, AnalyzedMigration, AnalyzedOp, Edit, Ledger};
use crate::catalog::Catalog;
use crate::classify;
use crate::config::{Config, Location, MigrationFormat, RuleLevel, CONFIG_FILE};
use crate::discover::{self, Discovered, MigrationFile, ResolvedLocation};
use crate::error::{Error, Result};
use crate::git;
use crate::ops::{Dialect, OpKind};
use crate::plan::{self, PlannedMigration};
use crate::read::ReadKey;
pub use crate::read::{ReadFile, Reader};
use crate::report::{
    Counts, FileStatus, Finding, LedgerFile, MigrationReport, OperationReport, Report, Revision,
    Severity, SCHEMA_VERSION,
};
use crate::rules;
use crate::version::MigrationVersion;
use crate::{repo_context, suppress};

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    /// A path inside the repository (work tree, worktree or bare repository).
    pub repo: PathBuf,
    /// The released revision; default: the highest release tag before `to`.
    pub from: Option<String>,
    /// The revision about to ship; default: `HEAD`.
    pub to: Option<String>,
    /// A configuration file to use instead of `balrog-schema-lint.toml` at `to`.
    pub config_file: Option<PathBuf>,
    /// Migration locations (folders or globs) that replace the configured ones.
    pub migrations: Vec<String>,
    /// A dialect that replaces the configured one.
    pub dialect: Option<Dialect>,
    /// Judge each statement alone instead of against the replayed schema (for comparison).
    pub no_replay: bool,
}

/// Checks a release range and returns the report.
pub fn check(request: &CheckRequest) -> Result<Report> {
    let repo = git::open(&request.repo)?;
    let range = resolve_range(&repo, request)?;
    let config = load_config(&repo, range.to.1, request)?;
    let mut reader = Reader::new(&repo, &config);
    require_matches(&request.migrations, &range, &mut reader)?;
    check_range(&repo, &range, &config, &mut reader)
}

/// A `--migrations` path or glob that matches no file at either end of the range is a
/// mistake (a typo, the wrong folder): checking nothing would report a safe release.
pub fn require_matches(given: &[String], range: &Range, reader: &mut Reader<'_>) -> Result<()> {
    if given.is_empty() {
        return Ok(());
    }
    let from_files = reader.files(range.from.1)?;
    let to_files = reader.files(range.to.1)?;
    for path in given {
        let location = ResolvedLocation::new(Location::new(path.clone(), MigrationFormat::Auto))?;
        let matches = |files: &[git::TreeFile]| files.iter().any(|f| location.contains(&f.path));
        if !matches(&from_files) && !matches(&to_files) {
            return Err(Error::Usage(format!(
                "--migrations `{path}` matches no file at {} or at {}",
                range.from.0, range.to.0
            )));
        }
    }
    Ok(())
}

/// The two ends of a range: (as named, commit, how chosen).
#[derive(Debug, Clone)]
pub struct Range {
    /// `FROM`.
    pub from: (String, Oid, &'static str),
    /// `TO`.
    pub to: (String, Oid, &'static str),
}

/// Resolves `--from` / `--to` as `check` does.
pub fn resolve_range(repo: &Repository, request: &CheckRequest) -> Result<Range> {
    let to_rev = request.to.clone().unwrap_or_else(|| "HEAD".to_string());
    let to = git::resolve_commit(repo, &to_rev)?;
    let to_chosen = if request.to.is_some() {
        "given"
    } else {
        "default"
    };
    let from = match &request.from {
        Some(rev) => (rev.clone(), git::resolve_commit(repo, rev)?, "given"),
        None => match git::latest_release_before(repo, to)? {
            Some(tag) => (tag.name, tag.commit, "latest-release-tag"),
            None => return Err(Error::NoReleaseTag { to: to_rev }),
        },
    };
    // A default `HEAD` that a release tag points at is named by the tag: that is the release.
    let to_rev = if to_rev == "HEAD" {
        git::release_tags(repo)?
            .into_iter()
            .rev()
            .find(|tag| tag.commit == to)
            .map_or(to_rev, |tag| tag.name)
    } else {
        to_rev
    };
    if from.1 != to && git::is_descendant(repo, from.1, to)? {
        return Err(Error::RangeReversed {
            from: from.0,
            to: to_rev,
        });
    }
    Ok(Range {
        from,
        to: (to_rev, to, to_chosen),
    })
}

/// Reads the configuration: `--config`, else `balrog-schema-lint.toml` in the `TO` tree,
/// else the defaults; then applies the request's overrides.
pub fn load_config(repo: &Repository, to: Oid, request: &CheckRequest) -> Result<Config> {
    let mut config = match &request.config_file {
        Some(path) => {
            let origin = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|err| Error::Config {
                path: origin.clone(),
                message: err.to_string(),
            })?;
            Config::from_toml(&text, &origin)?
        }
        None => match git::find_file(repo, to, CONFIG_FILE)? {
            Some(file) => {
                let origin = format!("{CONFIG_FILE} (at {})", git::short(to));
                let bytes = git::read_blob(repo, file.id, CONFIG_FILE)?;
                let text = String::from_utf8(bytes).map_err(|_| Error::Config {
                    path: origin.clone(),
                    message: "not UTF-8 text".into(),
                })?;
                Config::from_toml(&text, &origin)?
            }
            None => Config::default(),
        },
    };
    if let Some(dialect) = request.dialect {
        config.dialect = dialect;
        for location in &mut config.migrations {
            location.dialect = None;
        }
    }
    if request.no_replay {
        config.replay = false;
    }
    if !request.migrations.is_empty() {
        config.migrations = request
            .migrations
            .iter()
            .map(|path| Location::new(path.clone(), MigrationFormat::Auto))
            .collect();
    }
    Ok(config)
}

/// The effective locations: configured, else detected in either tree.
fn effective_locations(
    config: &Config,
    from_files: &[git::TreeFile],
    to_files: &[git::TreeFile],
) -> Result<Vec<ResolvedLocation>> {
    let locations = if config.migrations.is_empty() {
        let mut found = discover::detect_locations(to_files);
        for location in discover::detect_locations(from_files) {
            if !found.iter().any(|l| l.path == location.path) {
                found.push(location);
            }
        }
        found
    } else {
        config.migrations.clone()
    };
    locations.into_iter().map(ResolvedLocation::new).collect()
}

/// Orders each Alembic location by its revision chain (the file name order is a stand-in).
fn order_by_revision_chain(found: &mut Discovered, reader: &mut Reader<'_>) -> Result<()> {
    let mut ordered: Vec<MigrationFile> = Vec::with_capacity(found.migrations.len());
    let mut rest = std::mem::take(&mut found.migrations).into_iter().peekable();
    while let Some(first) = rest.next() {
        if first.format != MigrationFormat::Alembic {
            ordered.push(first);
            continue;
        }
        let mut group = vec![first];
        while let Some(next) = rest.next_if(|m| m.location == group[0].location) {
            group.push(next);
        }
        let mut revisions = Vec::with_capacity(group.len());
        for file in &group {
            let read = reader.read(file)?;
            revisions.push((
                read.parsed.revision.clone(),
                read.parsed.down_revisions.clone(),
            ));
        }
        let order = discover::order_alembic(&revisions);
        let mut slots: Vec<Option<MigrationFile>> = group.into_iter().map(Some).collect();
        for (position, index) in order.into_iter().enumerate() {
            if let Some(mut file) = slots.get_mut(index).and_then(Option::take) {
                let name = revisions
                    .get(index)
                    .and_then(|r| r.0.clone())
                    .unwrap_or_else(|| file.version.as_str().to_string());
                file.version = MigrationVersion::new(vec![position as u64], name);
                ordered.push(file);
            }
        }
    }
    found.migrations = ordered;
    Ok(())
}

/// Checks one range with an already-open repository and reader (shared by `history`, so that
/// each distinct file is read once for the whole run).
pub fn check_range(
    repo: &Repository,
    range: &Range,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Report> {
    let (from_commit, to_commit) = (range.from.1, range.to.1);
    let from_files = reader.files(from_commit)?;
    let to_files = reader.files(to_commit)?;
    let locations = effective_locations(config, &from_files, &to_files)?;
    let mut at_from = discover::discover(&from_files, &locations, config.dialect, reader)?;
    let mut at_to = discover::discover(&to_files, &locations, config.dialect, reader)?;
    reader.prefetch(at_from.migrations.iter().chain(&at_to.migrations))?;
    order_by_revision_chain(&mut at_from, reader)?;
    order_by_revision_chain(&mut at_to, reader)?;

    let pathspecs: Vec<String> = locations
        .iter()
        .map(|l| l.location.path.trim_matches('/').to_string())
        .collect();
    let changes = pair_moved_files(git::diff_commits(
        repo,
        from_commit,
        to_commit,
        &pathspecs,
        |path| locations.iter().any(|l| l.contains(path)),
    )?);
    let (change_of_new, mut gone, ledger) = place_changes(&changes, &at_from, &at_to);
    let from_by_path: HashMap<&str, &MigrationFile> = at_from
        .migrations
        .iter()
        .map(|m| (m.path.as_str(), m))
        .collect();

    let mut released_max: Vec<Option<MigrationVersion>> = vec![None; locations.len()];
    for m in &at_from.migrations {
        if m.format == MigrationFormat::Alembic || m.version.is_repeatable() {
            continue;
        }
        if let Some(slot) = released_max.get_mut(m.location) {
            if slot.as_ref().is_none_or(|max| m.version > *max) {
                *slot = Some(m.version.clone());
            }
        }
    }

    let mut migrations: Vec<AnalyzedMigration> = Vec::new();
    for file in &at_to.migrations {
        let Some(change) = change_of_new.get(file.path.as_str()) else {
            continue;
        };
        let mut status = change.status;
        let mut old_path = change.old_path.clone();
        if let Some(old) = old_path.as_deref().and_then(|p| from_by_path.get(p)) {
            let renamed_file = file_name(&old.path) != file_name(&file.path);
            if status == FileStatus::R
                && old.location != file.location
                && old.id != file.id
                && renamed_file
            {
                gone.push(&old.path);
                status = FileStatus::A;
                old_path = None;
            }
        }
        // A Flyway repeatable migration runs again whenever its content changes: its new
        // content is judged against the schema its old content left.
        let old_file = old_path
            .as_deref()
            .and_then(|p| from_by_path.get(p))
            .filter(|_| !file.version.is_repeatable());
        let released = old_file.is_some();
        let read = reader.read(file)?;
        let mut analyzed = AnalyzedMigration {
            path: file.path.clone(),
            old_path: if status == FileStatus::R {
                old_path.clone()
            } else {
                None
            },
            status,
            version: file.version.clone(),
            format: file.format,
            dialect: file.dialect,
            location: file.location,
            released,
            operations: Vec::new(),
            edit: None,
            baseline: None,
        };
        match old_file {
            Some(old) => {
                if old.id != file.id {
                    let old_read = reader.read(old)?;
                    analyzed.edit = Some(Edit {
                        before: old_read.parsed.operations.clone(),
                        after: read.parsed.operations.clone(),
                        old_text: old_read.text.clone(),
                        new_text: read.text.clone(),
                    });
                }
            }
            None => {
                analyzed.operations = read
                    .parsed
                    .operations
                    .iter()
                    .map(|op| AnalyzedOp {
                        op: op.clone(),
                        judgement: classify::Judgement::plain(crate::ops::Direction::Neutral),
                    })
                    .collect();
            }
        }
        migrations.push(analyzed);
    }
    for path in gone {
        let Some(old) = from_by_path.get(path) else {
            continue;
        };
        migrations.push(AnalyzedMigration {
            path: old.path.clone(),
            old_path: None,
            status: FileStatus::D,
            version: old.version.clone(),
            format: old.format,
            dialect: old.dialect,
            location: old.location,
            released: true,
            operations: Vec::new(),
            edit: None,
            baseline: None,
        });
    }

    let before = if config.replay {
        replay(&at_from, config.dialect, reader)?
    } else {
        Arc::new(Catalog::new(config.dialect))
    };
    let judged = classify::judge_range(
        &before,
        migrations
            .iter()
            .flat_map(|m| m.operations.iter().map(|a| &a.op)),
    );
    let mut judgements = judged.judgements.into_iter();
    for migration in &mut migrations {
        for aop in &mut migration.operations {
            if let Some(judgement) = judgements.next() {
                aop.judgement = judgement;
            }
        }
    }
    mark_baselines(&mut migrations, &at_from);
    // A changed file the tool did not read can never let the release look safe.
    let unread = ledger
        .unrecognised
        .iter()
        .map(|_| crate::ops::Direction::NeedsReview);
    let verdict = classify::verdict(
        migrations
            .iter()
            .flat_map(|m| m.operations.iter().map(|a| a.judgement.direction))
            .chain(unread),
    );

    let trees = repo_context::Trees {
        from_files: from_files.as_slice(),
        to_files: to_files.as_slice(),
        at_to: &at_to,
        locations: &locations,
    };
    let mut context = repo_context::gather(repo, range, &trees, &migrations, reader, config)?;
    // Rules ask for the types of columns the range touches; the whole schema's would cost
    // more than the rest of a pair on a long history.
    let touched: std::collections::HashSet<String> = migrations
        .iter()
        .flat_map(|m| {
            let edited = m.edit.iter().flat_map(|e| e.before.iter().chain(&e.after));
            m.operations.iter().map(|a| &a.op).chain(edited)
        })
        .filter_map(|op| op.kind.table())
        .map(str::to_ascii_lowercase)
        .collect();
    for table in before.tables() {
        if !touched.contains(&table.name().to_ascii_lowercase()) {
            continue;
        }
        for column in table.columns() {
            if let Some(ty) = &column.ty {
                let key = format!("{}.{}", table.name(), column.name).to_ascii_lowercase();
                context.column_types.insert(key, ty.clone());
            }
        }
    }
    let analysis = Analysis {
        dialect: config.dialect,
        from: range.from.0.clone(),
        to: range.to.0.clone(),
        migrations,
        released_max,
        ledger,
        verdict,
        context,
    };
    let findings = suppress::apply(rules::run(&analysis), &analysis, config);
    Ok(build_report(analysis, findings, range, config))
}

/// Where one changed path of the range belongs.
#[derive(Debug, Clone, Copy)]
enum Place<'a> {
    Migration,
    Ignored(&'a str),
    Unrecognised(&'a str),
}

fn places(found: &Discovered) -> HashMap<&str, Place<'_>> {
    let mut places = HashMap::new();
    for m in &found.migrations {
        places.insert(m.path.as_str(), Place::Migration);
    }
    for entry in &found.ignored {
        places.insert(entry.path.as_str(), Place::Ignored(&entry.reason));
    }
    for entry in &found.unrecognised {
        places.insert(entry.path.as_str(), Place::Unrecognised(&entry.reason));
    }
    places
}

/// Puts every changed path in exactly one place: a migration at `TO` (by its new path), a
/// deleted migration (by its old path), or the ledger of ignored and unrecognised files.
/// Discovery classifies every file under a location, so each change finds its place; one
/// that did not would be unrecognised, never dropped.
fn place_changes<'c>(
    changes: &'c [git::Change],
    at_from: &Discovered,
    at_to: &Discovered,
) -> (HashMap<&'c str, &'c git::Change>, Vec<&'c str>, Ledger) {
    let (from_places, to_places) = (places(at_from), places(at_to));
    let mut upgrades: HashMap<&str, &git::Change> = HashMap::new();
    let mut gone: Vec<&str> = Vec::new();
    let mut ledger = Ledger::default();
    let entry = |path: &str, old_path: Option<&str>, status: FileStatus, reason: &str| LedgerFile {
        path: path.to_string(),
        old_path: old_path.map(str::to_string),
        status,
        reason: reason.to_string(),
    };
    for change in changes {
        let old = change
            .old_path
            .as_deref()
            .and_then(|p| from_places.get(p).map(|place| (p, *place)));
        let new = change
            .new_path
            .as_deref()
            .and_then(|p| to_places.get(p).map(|place| (p, *place)));
        // A migration renamed into something that is not one is a deleted migration plus a
        // new file; a file renamed out of every location is deleted.
        let (new, status, old_path) = match (old, new) {
            (Some((old_path, Place::Migration)), Some((_, place)))
                if !matches!(place, Place::Migration) =>
            {
                gone.push(old_path);
                (new, FileStatus::A, None)
            }
            (_, Some(_)) => (new, change.status, change.old_path.as_deref()),
            (Some((old_path, Place::Migration)), None) => {
                gone.push(old_path);
                continue;
            }
            (Some((old_path, place)), None) => (Some((old_path, place)), FileStatus::D, None),
            (None, None) => {
                let path = change
                    .new_path
                    .as_deref()
                    .or(change.old_path.as_deref())
                    .unwrap_or_default();
                ledger.unrecognised.push(entry(
                    path,
                    None,
                    change.status,
                    "a file under a migration location that the tool could not place",
                ));
                continue;
            }
        };
        let old_path = old_path.filter(|_| status == FileStatus::R);
        match new {
            Some((path, Place::Migration)) => {
                upgrades.insert(path, change);
            }
            Some((path, Place::Ignored(reason))) => {
                ledger.ignored.push(entry(path, old_path, status, reason))
            }
            Some((path, Place::Unrecognised(reason))) => ledger
                .unrecognised
                .push(entry(path, old_path, status, reason)),
            None => {}
        }
    }
    (upgrades, gone, ledger)
}

/// A new location's first migration that recreates tables production already has is a
/// baseline (a switch of migration tool, or a squash): a database that already ran the old
/// migrations is stamped at it, not migrated. Its recreations change nothing; where they
/// differ from the replayed schema, the difference is drift for the `baseline-schema-drift`
/// rule, not a change to production.
fn mark_baselines(migrations: &mut [AnalyzedMigration], at_from: &Discovered) {
    use crate::classify::Context;
    use crate::ops::Direction;
    let Some(latest) = at_from.migrations.last() else {
        return;
    };
    let precondition = format!("{} ({})", latest.version.as_str(), latest.path);
    let mut seen_locations: Vec<usize> = at_from.migrations.iter().map(|m| m.location).collect();
    for migration in migrations.iter_mut() {
        if migration.status != FileStatus::A || seen_locations.contains(&migration.location) {
            continue;
        }
        seen_locations.push(migration.location);
        let recreates = |a: &AnalyzedOp| {
            matches!(
                a.op.kind,
                OpKind::CreateTable { .. } | OpKind::CreateIndex { .. }
            ) && matches!(
                a.judgement.context,
                Context::Baseline | Context::PreviousDefinition
            )
        };
        if !migration.operations.iter().any(recreates) {
            continue;
        }
        migration.baseline = Some(precondition.clone());
        for aop in &mut migration.operations {
            if recreates(aop) && aop.judgement.direction == Direction::NeedsReview {
                aop.judgement.direction = Direction::Neutral;
                aop.judgement.context = Context::Baseline;
                let reason = aop.judgement.reason.take().unwrap_or_default();
                aop.judgement.reason = Some(format!(
                    "baseline: {}",
                    reason.replace("already exists with a different definition", "differs")
                ));
            }
        }
    }
}

/// git pairs a deleted and an added file as a rename only when their contents are similar
/// enough; a small migration reformatted while its folder moved falls below that. A deletion
/// and an addition with the same file name in different folders are the same migration moved.
fn pair_moved_files(changes: Vec<git::Change>) -> Vec<git::Change> {
    let deleted: Vec<&str> = changes
        .iter()
        .filter(|c| c.status == FileStatus::D)
        .filter_map(|c| c.old_path.as_deref())
        .collect();
    let mut moved: HashMap<String, String> = HashMap::new();
    for change in &changes {
        let Some(new) = change.new_path.as_deref() else {
            continue;
        };
        if change.status != FileStatus::A {
            continue;
        }
        let same_name: Vec<&&str> = deleted
            .iter()
            .filter(|old| file_name(old) == file_name(new))
            .collect();
        // Only an unambiguous pair is a move.
        if let [old] = same_name.as_slice() {
            moved.insert(new.to_string(), old.to_string());
        }
    }
    let moved_from: Vec<&String> = moved.values().collect();
    let mut paired: Vec<git::Change> = Vec::with_capacity(changes.len());
    for change in &changes {
        if change.status == FileStatus::D
            && change
                .old_path
                .as_ref()
                .is_some_and(|p| moved_from.contains(&p))
        {
            continue;
        }
        let mut change = change.clone();
        if let Some(old) = change.new_path.as_ref().and_then(|n| moved.get(n)) {
            change.status = FileStatus::R;
            change.old_path = Some(old.clone());
        }
        paired.push(change);
    }
    paired
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The schema at a commit: every migration of its tree replayed in apply order.
pub fn schema_at(
    repo: &Repository,
    commit: Oid,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Catalog> {
    let files = git::list_files(repo, commit)?;
    let locations = effective_locations(config, &files, &files)?;
    let mut found = discover::discover(&files, &locations, config.dialect, reader)?;
    order_by_revision_chain(&mut found, reader)?;
    Ok(Arc::unwrap_or_clone(replay(
        &found,
        config.dialect,
        reader,
    )?))
}

/// The schema after every migration of a tree, in apply order (shared: `history` hands the
/// same schema to every pair whose `FROM` has the same migrations).
pub fn replay(
    found: &Discovered,
    dialect: Dialect,
    reader: &mut Reader<'_>,
) -> Result<Arc<Catalog>> {
    let keys: Vec<ReadKey> = found
        .migrations
        .iter()
        .map(|f| (f.id, f.format, f.dialect))
        .collect();
    // Replaying is linear in the whole history; over every pair of a history that is
    // quadratic, so start from the last replay when it is a prefix of this one.
    // The previous pair's schema is no longer held by anyone else, so extending it takes it
    // over instead of copying it.
    let (start, done) = match reader.replayed.take() {
        Some((previous, catalog))
            if catalog.dialect() == dialect && keys.starts_with(&previous) =>
        {
            if previous.len() == keys.len() {
                reader.replayed = Some((previous, Arc::clone(&catalog)));
                return Ok(catalog);
            }
            (Arc::unwrap_or_clone(catalog), previous.len())
        }
        _ => (Catalog::new(dialect), 0),
    };
    let mut catalog = start;
    for file in found.migrations.iter().skip(done) {
        let read = reader.read(file)?;
        for op in &read.parsed.operations {
            catalog.apply(op);
        }
    }
    let catalog = Arc::new(catalog);
    reader.replayed = Some((keys, Arc::clone(&catalog)));
    Ok(catalog)
}

fn build_report(
    analysis: Analysis,
    findings: Vec<Finding>,
    range: &Range,
    config: &Config,
) -> Report {
    let planned: Vec<PlannedMigration<'_>> = analysis
        .migrations
        .iter()
        .map(|m| PlannedMigration {
            path: &m.path,
            operations: m
                .operations
                .iter()
                .map(|a| (&a.op.kind, a.judgement.direction))
                .collect(),
        })
        .collect();
    let plan = plan::build(
        analysis.verdict,
        &config.services,
        &planned,
        &range.from.0,
        &range.to.0,
    );
    let verdict = analysis.verdict;
    let Ledger {
        ignored,
        unrecognised,
    } = analysis.ledger;
    let migrations: Vec<MigrationReport> = analysis
        .migrations
        .into_iter()
        .map(|m| MigrationReport {
            version: m.version.as_str().to_string(),
            path: m.path,
            old_path: m.old_path,
            status: m.status,
            format: m.format,
            dialect: m.dialect,
            released: m.released,
            operations: m
                .operations
                .into_iter()
                .map(|a| OperationReport {
                    line: a.op.line,
                    description: a.op.kind.describe(),
                    kind: a.op.kind,
                    direction: a.judgement.direction,
                    reason: a.judgement.reason,
                })
                .collect(),
        })
        .collect();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let counts = Counts {
        migrations: migrations.len(),
        operations: migrations.iter().map(|m| m.operations.len()).sum(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        ignored: ignored.len(),
        unrecognised: unrecognised.len(),
    };
    let revision = |(rev, commit, chosen): &(String, Oid, &'static str)| Revision {
        rev: rev.clone(),
        commit: commit.to_string(),
        chosen_by: chosen.to_string(),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        from: revision(&range.from),
        to: revision(&range.to),
        dialect: config.dialect,
        verdict,
        summary: crate::report::summary(verdict),
        plan,
        migrations,
        ignored,
        unrecognised,
        findings,
        counts,
        fail_on: match config.fail_on {
            None | Some(RuleLevel::Error) => Some(Severity::Error),
            Some(RuleLevel::Warning) => Some(Severity::Warning),
            Some(RuleLevel::Info) => Some(Severity::Info),
            Some(RuleLevel::Off) => None,
        },
    }
}

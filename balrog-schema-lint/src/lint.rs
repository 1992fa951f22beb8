//! The pipeline in one place: range -> discover -> read -> classify -> rules -> plan -> report.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use git2::{Oid, Repository};

use crate::analysis::{Analysis, AnalyzedMigration, AnalyzedOp, Edit};
use crate::catalog::Catalog;
use crate::classify;
use crate::config::{Config, Location, MigrationFormat, RuleLevel, CONFIG_FILE};
use crate::cut::{self, Bisect, CutOutcome};
use crate::discover::{self, Discovered, MigrationFile, ResolvedLocation};
use crate::error::{Error, Result};
use crate::git;
use crate::ops::{Dialect, OpKind};
use crate::plan::{self, PlannedMigration};
use crate::read::ReadKey;
pub use crate::read::{ReadFile, Reader};
use crate::report::{
    Counts, FileStatus, Finding, MigrationReport, OperationReport, Report, Revision, Severity,
    SCHEMA_VERSION,
};
use crate::rules;
use crate::version::MigrationVersion;
use crate::walk::{self, Half, HalfMigration};
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
    /// Also find the first commit of the range after which it had no safe order.
    pub bisect: bool,
    /// Do not walk a mixed range's commits for the commit to cut it at.
    pub no_cut: bool,
}

/// Checks a release range and returns the report.
pub fn check(request: &CheckRequest) -> Result<Report> {
    let repo = git::open(&request.repo)?;
    let range = resolve_range(&repo, request)?;
    let config = load_config(&repo, range.to.1, request)?;
    let mut reader = Reader::new(&repo, &config);
    let mut report = check_range(&repo, &range, &config, &mut reader)?;
    if request.bisect {
        report.bisect = Some(bisect_range(&repo, &range, &config, &mut reader)?);
    }
    Ok(report)
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
    if request.no_cut {
        config.find_cut = false;
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

/// What judging a range found, before the rules run: the trees, the migrations of the range
/// with their judgements, and the verdict.
pub(crate) struct Analysed {
    from_files: Arc<Vec<git::TreeFile>>,
    to_files: Arc<Vec<git::TreeFile>>,
    locations: Vec<ResolvedLocation>,
    at_to: Discovered,
    migrations: Vec<AnalyzedMigration>,
    released_max: Vec<Option<MigrationVersion>>,
    before: Arc<Catalog>,
    verdict: crate::report::Verdict,
}

impl Analysed {
    /// The pathspecs that limit a comparison of two trees to the migration locations.
    fn pathspecs(&self) -> Vec<String> {
        self.locations
            .iter()
            .map(|l| l.location.path.trim_matches('/').to_string())
            .collect()
    }

    /// The verdict and the migrations that run, as the walk over commits needs them.
    fn half(&self) -> Half {
        let blob_of: HashMap<&str, Oid> = self
            .at_to
            .migrations
            .iter()
            .map(|m| (m.path.as_str(), m.id))
            .collect();
        Half {
            verdict: self.verdict,
            migrations: self
                .migrations
                .iter()
                .filter(|m| !m.released && m.status != FileStatus::D)
                .map(|m| {
                    let has = |d: crate::ops::Direction| {
                        m.operations.iter().any(|a| a.judgement.direction == d)
                    };
                    HalfMigration {
                        path: m.path.clone(),
                        version: m.version.as_str().to_string(),
                        blob: blob_of
                            .get(m.path.as_str())
                            .copied()
                            .unwrap_or(Oid::ZERO_SHA1),
                        expands: has(crate::ops::Direction::Expand),
                        contracts: has(crate::ops::Direction::Contract),
                    }
                })
                .collect(),
        }
    }
}

/// Reads and judges the migrations of `from..to`: `locations` fixed by the caller or (when
/// `None`) detected in both trees; `before` the schema at `from` when the caller has it,
/// else replayed.
pub(crate) fn analyse(
    repo: &Repository,
    (from_commit, to_commit): (Oid, Oid),
    locations: Option<&[ResolvedLocation]>,
    before: Option<Arc<Catalog>>,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Analysed> {
    let from_files = reader.files(from_commit)?;
    let to_files = reader.files(to_commit)?;
    let locations = match locations {
        Some(given) => given.to_vec(),
        None => effective_locations(config, &from_files, &to_files)?,
    };
    let mut at_from = discover::discover(&from_files, &locations, config.dialect);
    let mut at_to = discover::discover(&to_files, &locations, config.dialect);
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
    let change_of_new: HashMap<&str, &git::Change> = changes
        .iter()
        .filter_map(|c| c.new_path.as_deref().map(|p| (p, c)))
        .collect();
    let from_by_path: HashMap<&str, &MigrationFile> = at_from
        .migrations
        .iter()
        .map(|m| (m.path.as_str(), m))
        .collect();

    let mut released_max: Vec<Option<MigrationVersion>> = vec![None; locations.len()];
    for m in &at_from.migrations {
        if m.format == MigrationFormat::Alembic {
            continue;
        }
        if let Some(slot) = released_max.get_mut(m.location) {
            if slot.as_ref().is_none_or(|max| m.version > *max) {
                *slot = Some(m.version.clone());
            }
        }
    }

    let mut migrations: Vec<AnalyzedMigration> = Vec::new();
    // Paths at FROM that no longer stand for a file at TO: deletions, and the old side of a
    // "rename" into another location under another name with new content (a squash that git
    // pairs with the file it most resembles is a new migration; a moved folder keeps names).
    let mut gone: Vec<&str> = changes
        .iter()
        .filter(|c| c.status == FileStatus::D)
        .filter_map(|c| c.old_path.as_deref())
        .collect();
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
        let old_file = old_path.as_deref().and_then(|p| from_by_path.get(p));
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

    let before = match before {
        Some(given) => given,
        None if config.replay => replay(&at_from, config.dialect, reader)?,
        None => Arc::new(Catalog::new(config.dialect)),
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
    let verdict = classify::verdict(
        migrations
            .iter()
            .flat_map(|m| m.operations.iter().map(|a| a.judgement.direction)),
    );

    Ok(Analysed {
        from_files,
        to_files,
        locations,
        at_to,
        migrations,
        released_max,
        before,
        verdict,
    })
}

/// Checks one range with an already-open repository and reader (shared by `history`, so that
/// each distinct file is read once for the whole run). A mixed range also gets the commit to
/// cut it at (see [`crate::walk`]).
pub fn check_range(
    repo: &Repository,
    range: &Range,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Report> {
    let analysed = analyse(repo, (range.from.1, range.to.1), None, None, config, reader)?;
    // A history that cannot be walked (a shallow clone, say) costs the cut, not the check.
    let cut = if analysed.verdict == crate::report::Verdict::Mixed && config.find_cut {
        Some(walk_cut(repo, range, &analysed, config, reader).map_err(|err| err.to_string()))
    } else {
        None
    };
    let Analysed {
        from_files,
        to_files,
        locations,
        at_to,
        migrations,
        released_max,
        before,
        verdict,
    } = analysed;

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
        verdict,
        context,
    };
    let findings = suppress::apply(rules::run(&analysis), &analysis, config);
    let mut report = build_report(analysis, findings, range, config);
    match (cut, report.plan.split.as_mut()) {
        (Some(Ok(outcome)), Some(split)) => split.set_outcome(outcome),
        (Some(Err(error)), Some(split)) => split.advice.push(format!(
            "The commits between {} and {} could not be walked for a commit to cut the release at ({error}): split it by the file lists.",
            range.from.0, range.to.0
        )),
        _ => {}
    }
    Ok(report)
}

/// Judges `from..to` for the walk, with the range's locations.
fn judge_half(
    repo: &Repository,
    pair: (Oid, Oid),
    locations: &[ResolvedLocation],
    before: Option<Arc<Catalog>>,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Half> {
    Ok(analyse(repo, pair, Some(locations), before, config, reader)?.half())
}

/// The commits of the range that change a migration location.
fn range_candidates(
    repo: &Repository,
    range: &Range,
    analysed: &Analysed,
) -> Result<Vec<walk::Candidate>> {
    let locations = &analysed.locations;
    walk::candidates(
        repo,
        range.from.1,
        range.to.1,
        &analysed.pathspecs(),
        &|path: &str| locations.iter().any(|l| l.contains(path)),
    )
}

/// Walks a mixed range's commits for the commit to tag first.
fn walk_cut(
    repo: &Repository,
    range: &Range,
    analysed: &Analysed,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<CutOutcome> {
    let candidates = range_candidates(repo, range, analysed)?;
    let from_schema = Arc::clone(&analysed.before);
    let tags = cut::suggested_tags(config, &range.from.0);
    // `FROM..C` starts from the schema already replayed at `FROM`; `C..TO` replays `C`,
    // and the reader extends each such replay from the one before it.
    let mut judge = |from: Oid, to: Oid| {
        let before = (from == range.from.1).then(|| Arc::clone(&from_schema));
        judge_half(
            repo,
            (from, to),
            &analysed.locations,
            before,
            config,
            reader,
        )
    };
    let mut outcome = walk::find_cut(
        &candidates,
        range.from.1,
        range.to.1,
        &analysed.half(),
        tags,
        &mut judge,
    )?;
    if let CutOutcome::Cut(cut) = &mut outcome {
        let first_name = cut
            .first
            .tag
            .clone()
            .unwrap_or_else(|| cut.commit.short.clone());
        cut.first.steps = plan::build(
            cut.first.verdict,
            &config.services,
            &[],
            &range.from.0,
            &first_name,
        )
        .steps;
        cut.second.steps = plan::build(
            cut.second.verdict,
            &config.services,
            &[],
            &first_name,
            &range.to.0,
        )
        .steps;
    }
    Ok(outcome)
}

/// `check --bisect`: the first commit after which `FROM..C` has no safe order.
pub fn bisect_range(
    repo: &Repository,
    range: &Range,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Bisect> {
    let analysed = analyse(repo, (range.from.1, range.to.1), None, None, config, reader)?;
    let candidates = range_candidates(repo, range, &analysed)?;
    let from_schema = Arc::clone(&analysed.before);
    let mut judge = |from: Oid, to: Oid| {
        judge_half(
            repo,
            (from, to),
            &analysed.locations,
            Some(Arc::clone(&from_schema)),
            config,
            reader,
        )
    };
    walk::bisect(&candidates, range.from.1, &mut judge)
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
    let mut found = discover::discover(&files, &locations, config.dialect);
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
        findings,
        counts,
        bisect: None,
        fail_on: match config.fail_on {
            None | Some(RuleLevel::Error) => Some(Severity::Error),
            Some(RuleLevel::Warning) => Some(Severity::Warning),
            Some(RuleLevel::Info) => Some(Severity::Info),
            Some(RuleLevel::Off) => None,
        },
    }
}

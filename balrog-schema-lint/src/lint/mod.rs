//! The pipeline: range -> settings -> discovery -> changes -> replay -> judging -> context
//! -> rules and suppressions -> report. Each step is a function in its own module, with
//! typed inputs and outputs; [`check_range`] runs them in order.

mod build_report;
mod changes;
pub mod context;
#[cfg(test)]
mod example_repos;
pub mod examples;
pub mod history;
mod judge;
pub mod pull_request;
mod range;
mod replay;
pub mod schema_diff;
mod settings;
mod split;
pub mod suppress;
mod trees;
mod walk;

use std::path::PathBuf;
use std::sync::Arc;

use git2::Repository;

use crate::analysis::{Analysis, AnalyzedMigration, Ledger};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::error::Result;
use crate::model::finding::Verdict;
use crate::model::migration::MigrationVersion;
use crate::model::ops::Dialect;
use crate::repo::discover::ResolvedLocation;
use crate::repo::git;
use crate::report::Report;
use crate::rules;

pub use crate::repo::files::Reader;
pub use range::{resolve_range, Range};
#[cfg(feature = "internals")]
pub use replay::migrations_at;
pub use replay::schema_of_commit;
pub use settings::load_config;
// For the fuzz targets and benchmarks.
#[cfg(feature = "internals")]
pub use crate::repo::files::ReadFile;
#[cfg(feature = "internals")]
pub use replay::replay;

/// What to check: a repository and a range of revisions, with optional overrides of its
/// configuration.
///
/// ```
/// use balrog_schema_lint::{CheckRequest, Dialect};
///
/// let request = CheckRequest {
///     repo: "/src/balrog".into(),
///     from: Some("v3.40".into()),
///     dialect: Some(Dialect::Postgres),
///     ..CheckRequest::default()
/// };
/// assert_eq!(request.to, None); // HEAD
/// ```
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

impl CheckRequest {
    /// A request for a repository that is already open (its work tree, or the repository
    /// itself when it is bare); every other field at its default.
    ///
    /// ```
    /// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
    /// use balrog_schema_lint::{check_repository, CheckRequest, Verdict};
    ///
    /// let repo = git2::Repository::open(dir.path()).unwrap();
    /// let request = CheckRequest {
    ///     from: Some("v3.40".into()),
    ///     to: Some("v3.41".into()),
    ///     ..CheckRequest::for_repository(&repo)
    /// };
    /// assert_eq!(check_repository(&repo, &request)?.verdict, Verdict::Destructive);
    /// # Ok::<(), balrog_schema_lint::Error>(())
    /// ```
    pub fn for_repository(repo: &Repository) -> CheckRequest {
        CheckRequest {
            repo: repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf(),
            ..CheckRequest::default()
        }
    }
}

/// Checks a release range and returns the report.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// use balrog_schema_lint::{check, CheckRequest, Verdict};
///
/// // v3.42 only adds a column: the migrator (schema upgrade) deploys first.
/// let report = check(&CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.41".into()),
///     to: Some("v3.42".into()),
///     ..CheckRequest::default()
/// })?;
/// assert_eq!(report.verdict, Verdict::Additive);
/// assert_eq!(report.plan.steps[0].services, ["balrog-admin-production"]);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn check(request: &CheckRequest) -> Result<Report> {
    let repo = git::open(&request.repo)?;
    check_repository(&repo, request)
}

/// Checks a release range of a repository the caller has already opened; `request.repo` is
/// not used. See [`CheckRequest::for_repository`].
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// use balrog_schema_lint::{check_repository, CheckRequest, Verdict};
///
/// let repo = git2::Repository::open(dir.path()).unwrap();
/// // No `from`: the highest release tag before `to`.
/// let request = CheckRequest {
///     to: Some("v3.42".into()),
///     ..CheckRequest::for_repository(&repo)
/// };
/// let report = check_repository(&repo, &request)?;
/// assert_eq!(report.from.rev, "v3.41");
/// assert_eq!(report.verdict, Verdict::Additive);
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn check_repository(repo: &Repository, request: &CheckRequest) -> Result<Report> {
    let to = git::resolve_commit(repo, request.to.as_deref().unwrap_or("HEAD"))?;
    let config = load_config(repo, to, request)?;
    let range = resolve_range(repo, request, &config.release_tags())?;
    let mut reader = Reader::new(repo, &config);
    settings::require_matches(&request.migrations, &range, &mut reader)?;
    let mut report = check_range(repo, &range, &config, &mut reader)?;
    if request.bisect {
        report.bisect = Some(split::bisect(repo, &range, &config, &mut reader)?);
    }
    Ok(report)
}

/// A range judged, before context and rules: its trees, its migrations with their
/// judgements, the schema at `FROM` and the verdict.
struct Judged {
    trees: trees::Trees,
    migrations: Vec<AnalyzedMigration>,
    released_max: Vec<Option<MigrationVersion>>,
    ledger: Ledger,
    before: Arc<Catalog>,
    verdict: Verdict,
}

/// Discovers, reads, replays and judges a range: in `locations` when given (else the
/// effective ones), from the schema `before` when given (else replayed at `FROM`).
fn judge_range(
    repo: &Repository,
    range: &Range,
    locations: Option<&[ResolvedLocation]>,
    before: Option<Arc<Catalog>>,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Judged> {
    let trees = trees::discover_in(range, locations, config, reader)?;
    judge_trees(repo, range, trees, before, config, reader)
}

/// Judges a range whose trees are already discovered (see [`judge_range`]).
fn judge_trees(
    repo: &Repository,
    range: &Range,
    trees: trees::Trees,
    before: Option<Arc<Catalog>>,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Judged> {
    let changes::Changed {
        mut migrations,
        released_max,
        ledger,
    } = changes::migrations_in_range(repo, range, &trees, reader)?;
    let before = match before {
        Some(given) => given,
        // Nothing is judged against the schema of a range that changes no migration (most
        // pairs of a `history`): replaying it would only cost time.
        None if migrations.is_empty() => Arc::new(Catalog::new(config.dialect)),
        None => replay::schema_before(&trees.at_from, config, reader)?,
    };
    let verdict = judge::judge(
        &mut migrations,
        ledger.unrecognised.len(),
        &before,
        &trees.at_from,
        &config.target(),
    );
    Ok(Judged {
        trees,
        migrations,
        released_max,
        ledger,
        before,
        verdict,
    })
}

/// Checks one range with an already-open repository and reader (shared by `history`, so that
/// each distinct file is read once for the whole run). A mixed range also gets the commit to
/// cut it at.
pub fn check_range(
    repo: &Repository,
    range: &Range,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Report> {
    let judged = judge_range(repo, range, None, None, config, reader)?;
    let cut = split::find_cut(repo, range, &judged, config, reader);
    let Judged {
        trees,
        migrations,
        released_max,
        ledger,
        before,
        verdict,
    } = judged;
    let mut context = context::gather(repo, range, &trees, &migrations, reader, config)?;
    context::add_column_types(&mut context, &migrations, &before);
    let analysis = Analysis {
        dialect: config.dialect,
        from: range.from.0.clone(),
        to: range.to.0.clone(),
        migrations,
        released_max,
        ledger,
        verdict,
        context,
        target: config.target(),
    };
    let findings = suppress::apply(rules::run(&analysis), &analysis, config);
    let mut report = build_report::build_report(analysis, findings, range, config);
    split::attach(&mut report, cut, range);
    Ok(report)
}

//! The pipeline: range -> settings -> discovery -> changes -> replay -> judging -> context
//! -> rules and suppressions -> report. Each step is a function in its own module, with
//! typed inputs and outputs; [`check_range`] runs them in order.

mod build_report;
mod changes;
pub mod context;
pub mod examples;
pub mod history;
mod judge;
pub mod pull_request;
mod range;
mod replay;
pub mod schema_diff;
mod settings;
pub mod suppress;
mod trees;

use std::path::PathBuf;

use git2::Repository;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::error::Result;
use crate::model::ops::Dialect;
use crate::repo::git;
use crate::report::Report;
use crate::rules;

pub use crate::repo::files::{ReadFile, Reader};
pub use range::{resolve_range, Range};
pub use replay::{replay, schema_at};
pub use settings::{load_config, parse_config};

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
    settings::require_matches(&request.migrations, &range, &mut reader)?;
    check_range(&repo, &range, &config, &mut reader)
}

/// Checks one range with an already-open repository and reader (shared by `history`, so that
/// each distinct file is read once for the whole run).
pub fn check_range(
    repo: &Repository,
    range: &Range,
    config: &Config,
    reader: &mut Reader<'_>,
) -> Result<Report> {
    let trees = trees::discover_both(range, config, reader)?;
    let changes::Changed {
        mut migrations,
        released_max,
        ledger,
    } = changes::migrations_in_range(repo, range, &trees, reader)?;
    let before = replay::schema_before(&trees.at_from, config, reader)?;
    let verdict = judge::judge(
        &mut migrations,
        ledger.unrecognised.len(),
        &before,
        &trees.at_from,
    );
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
    };
    let findings = suppress::apply(rules::run(&analysis), &analysis, config);
    Ok(build_report::build_report(
        analysis, findings, range, config,
    ))
}

//! `balrog-schema-lint`: argument parsing and rendering only; the library does the work.

// One function sets libgit2's process-wide memory limits (see `bound_libgit2_memory`);
// nothing else may use `unsafe`.
#![deny(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use balrog_schema_lint::render::history::HistoryWriter;
use balrog_schema_lint::render::{self, github, gitlab, json, junit, markdown, sarif, text};
use balrog_schema_lint::{
    check_pull_request, find_rule, history_each, rules, schema_diff, CheckRequest, Dialect,
    HistoryEvent, HistoryRequest, Report, Severity,
};
use clap::{Args, Parser, Subcommand, ValueEnum};

// The SQL parser allocates a string per token and the Python parser a node per expression:
// with the system allocator, allocation and page faults were a third of a `check`.
// mimalloc cuts a `check` over 350 migrations by about a third (BENCHMARKS.md). The
// library leaves the choice to its user; `--no-default-features` leaves it to the system.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How much of a pack file libgit2 maps at once, and in all. Its defaults (windows of 1 GiB,
/// 8 GiB in all) map a whole pack, and every page read stays resident: on Synapse's
/// 320 MB pack, a `history` held 113 MiB of mapped pack. git's own `core.packedGitLimit`
/// plays the same role. Small windows, many of them: each window that closes is unmapped,
/// and with two threads each unmapping stops the other for a moment (the kernel flushes
/// both cores' address caches). Sixteen windows of 1 MiB rather than two of 8 MiB took
/// Synapse's `history` from 1.6–1.9 s to 1.2 s (system time from 0.75 s to 0.25 s) at the
/// same peak.
const PACK_WINDOW_BYTES: usize = 1 << 20;
const PACK_MAPPED_BYTES: usize = 16 << 20;

/// Bounds the memory libgit2 keeps for itself, which grows with the length of the history
/// read, not with the size of a release: mapped pack windows (above), and parsed commits and
/// trees in its object cache (every commit of a history walk was kept, and every tree read,
/// up to 256 MiB in all). Nothing reads a commit twice often enough to need it kept, and
/// the library keeps the trees it compares for the next comparison itself. Measured in
/// BENCHMARKS.md. The library leaves these process-wide settings to its user,
/// like the allocator.
#[allow(unsafe_code)]
fn bound_libgit2_memory() {
    // SAFETY: libgit2 reads these globals without locking, so they must be set before any
    // other thread uses it: this runs first in `main`, before any thread or repository
    // exists. The calls only store the values.
    let results = unsafe {
        [
            git2::opts::set_mwindow_size(PACK_WINDOW_BYTES),
            git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_BYTES),
            git2::opts::set_cache_object_limit(git2::ObjectType::Commit, 0),
            git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 0),
        ]
    };
    // A libgit2 that refuses a setting still works, with its defaults: nothing to report.
    drop(results);
}

/// Tells whether the schema changes between two releases are safe to deploy, and in which
/// order.
#[derive(Debug, Parser)]
#[command(name = "balrog-schema-lint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Judge the migrations in a release range and print the deploy plan.
    Check(CheckArgs),
    /// The verdict of every consecutive pair of release tags.
    History(HistoryArgs),
    /// The schema at two revisions, replayed from their migrations, as DDL and a diff.
    SchemaDiff(SchemaDiffArgs),
    /// List every rule.
    Rules,
    /// Show a rule's full documentation.
    Explain {
        /// The rule name, e.g. drop-column.
        rule: String,
    },
}

/// Where to read from: the options every command that reads a repository shares.
#[derive(Debug, Args)]
struct SourceArgs {
    /// The repository (any path inside it; bare repositories and worktrees work).
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// Configuration file instead of balrog-schema-lint.toml in the newest revision read.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Migration folder or glob (repeatable); replaces configured locations.
    #[arg(long = "migrations", value_name = "PATH_OR_GLOB")]
    migrations: Vec<String>,
    /// SQL dialect of the database.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
}

impl SourceArgs {
    /// A check request for a range over this source.
    fn request(&self, from: Option<String>, to: String) -> CheckRequest {
        CheckRequest {
            repo: self.repo.clone(),
            from,
            to: Some(to),
            config_file: self.config.clone(),
            migrations: self.migrations.clone(),
            dialect: self.dialect.map(Dialect::from),
            no_replay: false,
            bisect: false,
            no_cut: false,
        }
    }
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// The released revision. Default: the highest vX.Y / vX.Y.Z tag before --to.
    #[arg(long)]
    from: Option<String>,
    /// The revision about to ship.
    #[arg(long, default_value = "HEAD")]
    to: String,
    /// Output format. `github` also appends the Markdown summary to $GITHUB_STEP_SUMMARY
    /// when that variable is set.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Fail (exit 1) on findings at or above this severity.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Show the unified diff of edited released migrations (text format).
    #[arg(long)]
    diff: bool,
    /// Colour: auto (only on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Pull-request mode: check from the merge base of --to and the base branch, and also
    /// say what the release would be if --to shipped now.
    #[arg(long, conflicts_with = "from")]
    pr: bool,
    /// The branch a pull request targets (with --pr). Default: origin/HEAD, origin/main,
    /// origin/master, main or master, the first that exists.
    #[arg(long, requires = "pr", value_name = "BRANCH")]
    base: Option<String>,
    /// Judge each statement alone, without replaying earlier migrations (to compare).
    #[arg(long)]
    no_replay: bool,
    /// Also name the commit (on the first-parent history of --to) after which the range
    /// first had no safe deploy order: mixed, breaking or needs-review.
    #[arg(long, conflicts_with = "pr")]
    bisect: bool,
    /// Do not walk a mixed range's commits for the commit to tag first (the split then
    /// lists files only).
    #[arg(long)]
    no_cut: bool,
}

#[derive(Debug, Args)]
struct SchemaDiffArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// The older revision. Default: the highest release tag before --to.
    #[arg(long)]
    from: Option<String>,
    /// The newer revision.
    #[arg(long, default_value = "HEAD")]
    to: String,
}

#[derive(Debug, Args)]
struct HistoryArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Only release tags at or after this revision.
    #[arg(long)]
    from: Option<String>,
    /// Only release tags in the history of this revision.
    #[arg(long, default_value = "HEAD")]
    to: String,
    /// Only release tags whose name matches this glob, e.g. 'v3.*'.
    #[arg(long, value_name = "GLOB")]
    tags: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
    format: HistoryFormat,
    /// Fail (exit 1) when any pair has findings at or above this severity. Default: never.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Pairs checked at once. Default: one per core, at most 4; each thread holds its own
    /// caches, so 1 uses the least memory.
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum HistoryFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DialectArg {
    Mysql,
    Postgres,
    Sqlite,
    Generic,
}

impl From<DialectArg> for Dialect {
    fn from(value: DialectArg) -> Dialect {
        match value {
            DialectArg::Mysql => Dialect::Mysql,
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Sqlite => Dialect::Sqlite,
            DialectArg::Generic => Dialect::Generic,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A pull-request comment.
    Markdown,
    /// GitLab Code Quality.
    Gitlab,
    /// JUnit XML.
    Junit,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    Info,
    Warning,
    Error,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Exit codes: 0 safe to ship as planned, 1 findings at or above the threshold, 2 usage or
/// input error.
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// mimalloc's `mi_option_purge_delay` (`include/mimalloc.h` of mimalloc 2, the release this
/// build links; the Rust bindings do not name it). A test checks it against the default.
#[cfg(feature = "mimalloc")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc hand freed pages back to the system at once instead of 10 ms later: a
/// `history` frees most of a pair when it is written, and with the delay the peak counted
/// about 10 MiB of pages already free (BENCHMARKS.md). Transparent huge pages are off at
/// build time (`no_thp`) for the same reason.
#[allow(unsafe_code)]
fn return_freed_memory_at_once() {
    #[cfg(feature = "mimalloc")]
    // SAFETY: sets an option value; mimalloc reads options without further requirements.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0)
    };
}

fn main() -> ExitCode {
    bound_libgit2_memory();
    return_freed_memory_at_once();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::SchemaDiff(args) => run_schema_diff(args),
        Command::History(args) => run_history(args),
        Command::Rules => {
            let mut out = String::new();
            for rule in rules() {
                out.push_str(&format!(
                    "{:<40} {:<20} {:<8} {}\n",
                    rule.name,
                    rule.category.name(),
                    rule.default_severity.name(),
                    rule.summary
                ));
            }
            emit(&out)
        }
        Command::Explain { rule } => match find_rule(&rule) {
            Some(found) => emit(&format!("# {}\n\n{}", found.name, found.doc)),
            None => {
                eprintln!("error: unknown rule `{rule}`; `balrog-schema-lint rules` lists them");
                ExitCode::from(EXIT_ERROR)
            }
        },
    }
}

fn emit(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let result = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    written(result, 0)
}

/// The exit code once output is written: `code`, or an error for a failed write.
fn written(result: std::io::Result<()>, code: u8) -> ExitCode {
    match result {
        Ok(()) => ExitCode::from(code),
        // A closed pipe (`| head`) is not an error worth a message.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: writing output: {err}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn threshold(fail_on: Option<FailOn>) -> Option<Severity> {
    match fail_on.unwrap_or(FailOn::Error) {
        FailOn::Info => Some(Severity::Info),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Error => Some(Severity::Error),
        FailOn::Never => None,
    }
}

/// `--fail-on` when given, else the threshold the configuration set (default: error).
fn check_threshold(fail_on: Option<FailOn>, report: &Report) -> Option<Severity> {
    match fail_on {
        Some(given) => threshold(Some(given)),
        None => report.fail_on,
    }
}

fn exit_code(report: &Report, threshold: Option<Severity>) -> u8 {
    match threshold {
        Some(t) if report.fails_at(t) => EXIT_FINDINGS,
        _ => 0,
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let request = CheckRequest {
        no_replay: args.no_replay,
        bisect: args.bisect,
        no_cut: args.no_cut,
        ..args.source.request(args.from.clone(), args.to.clone())
    };
    if args.pr {
        return run_pull_request(&request, &args);
    }
    let report = match balrog_schema_lint::check(&request) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let code = exit_code(&report, check_threshold(args.fail_on, &report));
    if args.format == Format::Json {
        let stdout = std::io::BufWriter::new(std::io::stdout().lock());
        return written(json::write(&report, stdout), code);
    }
    let rendered = match render_report(&report, &args, code) {
        Ok(rendered) => rendered,
        Err(code) => return code,
    };
    match emit(&rendered) {
        ExitCode::SUCCESS => ExitCode::from(code),
        failed => failed,
    }
}

/// `check --pr`: the pull request's own changes, then the release if it shipped now. The
/// exit code follows the pull request's own findings.
fn run_pull_request(request: &CheckRequest, args: &CheckArgs) -> ExitCode {
    let checked = match check_pull_request(request, args.base.as_deref()) {
        Ok(checked) => checked,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let report = &checked.pull_request;
    let code = exit_code(report, check_threshold(args.fail_on, report));
    let mut rendered = match args.format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&checked)
                .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
            text.push('\n');
            text
        }
        _ => match render_report(report, args, code) {
            Ok(rendered) => rendered,
            Err(code) => return code,
        },
    };
    if matches!(args.format, Format::Text | Format::Markdown) {
        rendered.push_str(&released_now_note(
            checked.if_released_now.as_ref(),
            args.format,
        ));
    }
    match emit(&rendered) {
        ExitCode::SUCCESS => ExitCode::from(code),
        failed => failed,
    }
}

/// A short section on what a release cut now would be.
fn released_now_note(release: Option<&Report>, format: Format) -> String {
    let heading = match format {
        Format::Markdown => "\n### If released now\n\n",
        _ => "\nIf released now\n",
    };
    let body = match release {
        None => "  No release tag precedes this revision.\n".to_string(),
        Some(r) => {
            let first = r
                .plan
                .steps
                .first()
                .map(|s| s.services.join(", "))
                .unwrap_or_else(|| "no safe order".into());
            format!(
                "  {} -> {}: {} ({} migration(s)); first step: {first}.\n",
                r.from.rev, r.to.rev, r.summary, r.counts.migrations
            )
        }
    };
    format!("{heading}{body}")
}

fn run_schema_diff(args: SchemaDiffArgs) -> ExitCode {
    let request = args.source.request(args.from, args.to);
    match schema_diff(&request) {
        Ok(diff) => emit(&render::schema_diff::render_schema_diff(&diff)),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Renders one report in the chosen format; `Err` carries the exit code of a failure.
fn render_report(report: &Report, args: &CheckArgs, code: u8) -> Result<String, ExitCode> {
    Ok(match args.format {
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Markdown => markdown::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Junit => junit::render(report),
        Format::Github => {
            if let Err(err) = append_step_summary(report) {
                eprintln!("error: writing $GITHUB_STEP_SUMMARY: {err}");
                return Err(ExitCode::from(EXIT_ERROR));
            }
            github::render(report)
        }
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            text::render(
                report,
                text::TextOptions {
                    color,
                    diff: args.diff,
                },
                i32::from(code),
            )
        }
    })
}

/// Appends the Markdown summary to the file GitHub Actions names in `$GITHUB_STEP_SUMMARY`,
/// when it is set (it is only set inside a workflow step).
fn append_step_summary(report: &Report) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(github::step_summary(report).as_bytes())?;
    file.write_all(b"\n")
}

fn run_history(args: HistoryArgs) -> ExitCode {
    let request = HistoryRequest {
        repo: args.source.repo,
        from: args.from,
        to: Some(args.to),
        tags: args.tags,
        config_file: args.source.config,
        migrations: args.source.migrations,
        dialect: args.source.dialect.map(Dialect::from),
        threads: args.threads.map(usize::from),
    };
    let format = match args.format {
        HistoryFormat::Text => render::history::HistoryFormat::Text,
        HistoryFormat::Json => render::history::HistoryFormat::Json,
    };
    // Unlike `check`, a history is a survey: it fails only when asked to.
    let threshold = threshold(Some(args.fail_on.unwrap_or(FailOn::Never)));
    let mut failing = false;
    let bar = progress_bar();
    let mut writer = None;
    let mut write_error = None;
    // Each pair is written as soon as it is checked, then dropped.
    let found = history_each(&request, &mut |event| {
        let written = match event {
            HistoryEvent::Start(header) => {
                let out = std::io::BufWriter::new(std::io::stdout().lock());
                HistoryWriter::start(out, format, header).map(|started| writer = Some(started))
            }
            HistoryEvent::Progress(p) => {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
                bar.set_message(
                    p.next
                        .map(|(from, to)| format!("{from} -> {to}"))
                        .unwrap_or_default(),
                );
                Ok(())
            }
            HistoryEvent::Pair(pair) => {
                failing |= threshold.is_some_and(|t| pair.fails_at(t));
                match writer.as_mut() {
                    Some(out) => bar.suspend(|| out.pair(&pair)),
                    None => Ok(()),
                }
            }
        };
        match written {
            Ok(()) => std::ops::ControlFlow::Continue(()),
            Err(err) => {
                write_error = Some(err);
                std::ops::ControlFlow::Break(())
            }
        }
    });
    bar.finish_and_clear();
    if let Err(err) = found {
        eprintln!("error: {err}");
        return ExitCode::from(EXIT_ERROR);
    }
    let code = if failing { EXIT_FINDINGS } else { 0 };
    let finished = match (write_error, writer) {
        (Some(err), _) => Err(err),
        (None, Some(out)) => out.finish().map(drop),
        (None, None) => Ok(()),
    };
    written(finished, code)
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal so that logs and
/// pipes stay clean.
fn progress_bar() -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len} {msg}")
        .map(|style| style.progress_chars("= "))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

#[cfg(all(test, feature = "mimalloc"))]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    #[test]
    #[allow(unsafe_code)]
    fn the_purge_delay_option_is_the_one_mimalloc_2_declares_after_eager_commit_delay() {
        // SAFETY: reads option values only.
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        assert_eq!(
            MI_OPTION_PURGE_DELAY,
            libmimalloc_sys::mi_option_eager_commit_delay + 1
        );
        assert_eq!(
            MI_OPTION_PURGE_DELAY + 1,
            libmimalloc_sys::mi_option_use_numa_nodes
        );
        // mimalloc 2's default purge delay, in milliseconds.
        assert_eq!(get(MI_OPTION_PURGE_DELAY), 10);
    }

    /// The C code linked in (libgit2, which keeps its delta-base cache and every object it
    /// reads on the C heap) allocates from mimalloc too: one heap, not two with their own
    /// free pages (Synapse's `history` peak: 3–4 MiB less).
    #[test]
    #[allow(unsafe_code)]
    fn malloc_is_mimalloc() {
        extern "C" {
            fn malloc(size: usize) -> *mut std::ffi::c_void;
            fn free(ptr: *mut std::ffi::c_void);
        }
        // SAFETY: a plain allocation, checked and freed by the same allocator.
        unsafe {
            let block = malloc(4096);
            assert!(!block.is_null());
            assert!(libmimalloc_sys::mi_is_in_heap_region(block));
            free(block);
        }
    }
}

//! `balrog-schema-lint`: argument parsing and rendering only; the library does the work.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use balrog_schema_lint::ops::Dialect;
use balrog_schema_lint::report::{json, text};
use balrog_schema_lint::{rules, CheckRequest, Report, Severity};
use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// List every rule.
    Rules,
    /// Show a rule's full documentation.
    Explain {
        /// The rule name, e.g. drop-column.
        rule: String,
    },
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The repository (any path inside it; bare repositories and worktrees work).
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// The released revision. Default: the highest vX.Y / vX.Y.Z tag before --to.
    #[arg(long)]
    from: Option<String>,
    /// The revision about to ship.
    #[arg(long, default_value = "HEAD")]
    to: String,
    /// Configuration file instead of balrog-schema-lint.toml at --to.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Migration folder or glob (repeatable); replaces configured locations.
    #[arg(long = "migrations", value_name = "PATH_OR_GLOB")]
    migrations: Vec<String>,
    /// SQL dialect of the database.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    /// Output format.
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

fn main() -> ExitCode {
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
        Command::Rules => {
            let mut out = String::new();
            for rule in rules::all() {
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
        Command::Explain { rule } => match rules::find(&rule) {
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
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
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

fn exit_code(report: &Report, threshold: Option<Severity>) -> u8 {
    match threshold {
        Some(t) if report.fails_at(t) => EXIT_FINDINGS,
        _ => 0,
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let request = CheckRequest {
        repo: args.repo,
        from: args.from,
        to: Some(args.to),
        config_file: args.config,
        migrations: args.migrations,
        dialect: args.dialect.map(Dialect::from),
    };
    let report = match balrog_schema_lint::check(&request) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let code = exit_code(&report, threshold(args.fail_on));
    let rendered = match args.format {
        Format::Json => json::render(&report),
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            text::render(
                &report,
                text::TextOptions {
                    color,
                    diff: args.diff,
                },
                i32::from(code),
            )
        }
    };
    match emit(&rendered) {
        ExitCode::SUCCESS => ExitCode::from(code),
        failed => failed,
    }
}

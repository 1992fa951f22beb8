//! `oracle-repo REPO [--to REV] [--migrations GLOB]... [--dialect D] [--config FILE]`:
//! applies the SQL migrations of REPO at REV (default `HEAD`) to the real database of the
//! dialect and compares the schema after each migration with the replay; prints the match
//! rate (objects equal / objects compared) and every disagreement. Run it through
//! `scripts/oracle.sh`, which starts the databases.

use std::path::PathBuf;
use std::process::ExitCode;

use balrog_schema_lint::Dialect;
use balrog_schema_lint_tests::oracle;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(repo) = args.next() else {
        eprintln!("usage: oracle-repo REPO [--to REV] [--migrations GLOB]... [--dialect D] [--config FILE]");
        return ExitCode::from(2);
    };
    let mut request = oracle::request(&PathBuf::from(&repo), "HEAD");
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            eprintln!("error: {flag} needs a value");
            return ExitCode::from(2);
        };
        match flag.as_str() {
            "--to" => request.to = Some(value),
            "--migrations" => request.migrations.push(value),
            "--config" => request.config_file = Some(PathBuf::from(value)),
            "--dialect" => match Dialect::from_name(&value) {
                Some(d) => request.dialect = Some(d),
                None => {
                    eprintln!("error: unknown dialect {value}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("error: unknown option {flag}");
                return ExitCode::from(2);
            }
        }
    }
    let outcome = match oracle::check_revision(&request, "repo") {
        Ok(Some(outcome)) => outcome,
        Ok(None) => return ExitCode::from(2),
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    for (path, mismatch) in &outcome.mismatches {
        println!("after {path}: {mismatch}");
    }
    if let Some((path, error)) = &outcome.rejected {
        println!("the database rejects {path}: {error}");
    }
    if let Some(why) = &outcome.stopped {
        println!("stopped: {why}");
    }
    let engine = outcome.engine.map_or("no database", |e| e.name());
    let rate = if outcome.tally.compared == 0 {
        0.0
    } else {
        100.0 * outcome.tally.equal as f64 / outcome.tally.compared as f64
    };
    println!(
        "{repo}: {engine}, {} migrations applied, {} of {} objects equal ({rate:.1}%), {} disagreements",
        outcome.applied,
        outcome.tally.equal,
        outcome.tally.compared,
        outcome.mismatches.len()
    );
    if outcome.mismatches.is_empty() && outcome.rejected.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

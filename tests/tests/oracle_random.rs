//! The property test: random DDL sequences per dialect applied to the real database, the
//! statements it rejects dropped, the rest replayed, and the two schemas compared object by
//! object (see `oracle::random`).
//!
//! `BSL_ORACLE_CASES` sets the number of sequences per dialect (default 16, about 400
//! statements), `BSL_ORACLE_SEED` the first sequence's seed (the others follow it). A
//! failure prints each failing sequence's seed, which reruns it alone:
//! `BSL_ORACLE_SEED=<seed> BSL_ORACLE_CASES=1 cargo test --test oracle_random`.

use std::sync::Mutex;

use balrog_schema_lint_tests::databases::{server, Engine};
use balrog_schema_lint_tests::oracle::random::{self, Case};
use balrog_schema_lint_tests::oracle::Tally;

const DEFAULT_CASES: u64 = 16;
const DEFAULT_SEED: u64 = 20_261_201;
/// Failing sequences reported before the run stops.
const MAX_FAILURES: usize = 3;
/// Sequences compared at once per dialect: the time goes to waiting for the server.
const WORKERS: u64 = 2;

fn setting(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
        _ => default,
    }
}

/// Sequence lengths vary (10 to 40) so that short prefixes get compared too.
fn length(seed: u64) -> usize {
    10 + (seed % 31) as usize
}

#[derive(Default)]
struct Totals {
    cases: u64,
    accepted: usize,
    rejected: usize,
    tally: Tally,
    failures: Vec<String>,
}

fn report_failure(
    server: &balrog_schema_lint_tests::databases::Server,
    seed: u64,
    case: &Case,
) -> String {
    let first = &case.mismatches[0];
    let minimal = random::minimise(server, &case.accepted, &first.object, 60)
        .unwrap_or_else(|err| vec![format!("(minimising failed: {err})")]);
    let numbered = |list: &[String]| {
        list.iter()
            .map(|s| format!("      {s};"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mismatches: Vec<String> = case.mismatches.iter().map(|m| format!("    {m}")).collect();
    format!(
        "{} seed {seed} ({} statements accepted, {} rejected)\n  disagreements:\n{}\n  \
         shortest sequence found that shows `{}`:\n{}\n  accepted sequence:\n{}",
        server.engine.name(),
        case.accepted.len(),
        case.rejected,
        mismatches.join("\n"),
        first.object,
        numbered(&minimal),
        numbered(&case.accepted),
    )
}

fn run(engine: Engine) {
    let Some(server) = server(engine) else {
        return;
    };
    let cases = setting("BSL_ORACLE_CASES", DEFAULT_CASES);
    let base = setting("BSL_ORACLE_SEED", DEFAULT_SEED);
    let totals = Mutex::new(Totals::default());
    let next = Mutex::new(0u64);
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                let index = {
                    let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
                    let failed = totals
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .failures
                        .len();
                    if *next >= cases || failed >= MAX_FAILURES {
                        break;
                    }
                    *next += 1;
                    *next - 1
                };
                let seed = base.wrapping_add(index);
                let case = random::run_case(&server, seed, length(seed));
                let failure = match &case {
                    Ok(case) if case.mismatches.is_empty() => None,
                    Ok(case) => Some(report_failure(&server, seed, case)),
                    Err(err) => Some(format!("{} seed {seed}: {err}", engine.name())),
                };
                let mut totals = totals.lock().unwrap_or_else(|e| e.into_inner());
                totals.cases += 1;
                if let Ok(case) = &case {
                    totals.accepted += case.accepted.len();
                    totals.rejected += case.rejected;
                    totals.tally.add(case.tally);
                }
                totals.failures.extend(failure);
            });
        }
    });
    let totals = totals.into_inner().unwrap_or_else(|e| e.into_inner());
    eprintln!(
        "oracle random {}: {} sequences from seed {base}, {} statements accepted, {} rejected, \
         {} of {} objects equal",
        engine.name(),
        totals.cases,
        totals.accepted,
        totals.rejected,
        totals.tally.equal,
        totals.tally.compared
    );
    assert!(
        totals.failures.is_empty(),
        "the replay disagrees with {}:\n{}",
        engine.name(),
        totals.failures.join("\n\n")
    );
    assert!(totals.accepted > 0, "the database accepted no statement");
}

#[test]
fn random_postgresql_ddl_matches_the_replay() {
    run(Engine::Postgres);
}

#[test]
fn random_mariadb_ddl_matches_the_replay() {
    run(Engine::Mariadb);
}

#[test]
fn random_sqlite_ddl_matches_the_replay() {
    run(Engine::Sqlite);
}

//! `history` over every fixture history: the verdict of every consecutive release pair, and
//! the same verdict as `check` gives for that pair alone.

use balrog_schema_lint::{check, CheckRequest, Verdict};
use balrog_schema_lint::{history, HistoryRequest};
use balrog_schema_lint_tests::{scenarios_dir, ScenarioRepo};

/// A release pair and its verdict: (from, to, verdict).
type Pair = (&'static str, &'static str, Verdict);

/// Every scenario under testdata/scenarios with the verdict of each of its release pairs, in
/// tag order. A new scenario must be added here.
const EXPECTED: &[(&str, &[Pair])] = &[
    ("add-and-drop-column", &[("v1.0", "v1.1", Verdict::None)]),
    (
        "add-not-null-column",
        &[("v1.0", "v1.1", Verdict::Breaking)],
    ),
    (
        "add-nullable-column",
        &[("v1.0", "v1.1", Verdict::Additive)],
    ),
    ("baseline-drift", &[("v1.0", "v1.1", Verdict::None)]),
    ("baseline-squash", &[("v1.0", "v1.1", Verdict::None)]),
    ("code-references", &[("v1.0", "v1.1", Verdict::Destructive)]),
    ("cosmetic-edits", &[("v1.0", "v1.1", Verdict::None)]),
    ("create-table", &[("v1.0", "v1.1", Verdict::Additive)]),
    // Histories ending at an untagged HEAD have one release: no pair.
    ("cut-clean", &[]),
    ("cut-merge", &[("v1.0", "v1.1", Verdict::Mixed)]),
    ("cut-one-pull-request", &[]),
    ("cut-reorder", &[]),
    (
        "demo",
        &[
            ("v1.0", "v1.1", Verdict::Additive),
            ("v1.1", "v1.2", Verdict::Destructive),
            ("v1.2", "v1.3", Verdict::Mixed),
        ],
    ),
    // Backquotes do not parse as PostgreSQL, which the Flyway URL names.
    (
        "dialect-conflict",
        &[("v1.0", "v1.1", Verdict::NeedsReview)],
    ),
    ("drop-column", &[("v1.0", "v1.1", Verdict::Destructive)]),
    (
        "edited-released-migration",
        &[("v1.0", "v1.1", Verdict::None)],
    ),
    (
        "foreign-key-actions",
        &[
            ("v1.0", "v1.1", Verdict::Destructive),
            ("v1.1", "v1.2", Verdict::Breaking),
        ],
    ),
    // A helper module beside the revisions is unrecognised.
    (
        "layout-alembic-hash",
        &[("v1.0", "v1.1", Verdict::NeedsReview)],
    ),
    ("layout-dbmate", &[("v1.0", "v1.1", Verdict::Additive)]),
    ("layout-diesel", &[("v1.0", "v1.1", Verdict::Additive)]),
    // The repeatable redefines a view differently.
    ("layout-flyway", &[("v1.0", "v1.1", Verdict::NeedsReview)]),
    // The .go migration is unrecognised.
    ("layout-goose", &[("v1.0", "v1.1", Verdict::NeedsReview)]),
    // A modified schema.sql without a version is unrecognised.
    (
        "layout-numbered-names",
        &[("v1.0", "v1.1", Verdict::NeedsReview)],
    ),
    ("layout-prisma", &[("v1.0", "v1.1", Verdict::Destructive)]),
    ("layout-rails", &[("v1.0", "v1.1", Verdict::NeedsReview)]),
    ("layout-sqitch", &[("v1.0", "v1.1", Verdict::Additive)]),
    // A reworked change: its released entry's script moves to users@beta.sql.
    (
        "layout-sqitch-rework",
        &[("v1.0", "v1.1", Verdict::Additive)],
    ),
    // A non-SQL file in a delta folder is unrecognised.
    ("layout-synapse", &[("v1.0", "v1.1", Verdict::NeedsReview)]),
    ("mixed", &[("v1.0", "v1.1", Verdict::Mixed)]),
    ("moved-and-reformatted", &[("v1.0", "v1.1", Verdict::None)]),
    ("moved-folder", &[("v1.0", "v1.1", Verdict::None)]),
    // A column's collation changed (comparisons change for old and new code alike).
    ("mysql-collation", &[("v1.0", "v1.1", Verdict::Breaking)]),
    (
        "mysql-foreign-key-actions",
        &[("v1.0", "v1.1", Verdict::Destructive)],
    ),
    (
        "mysql-generated-columns",
        &[("v1.0", "v1.1", Verdict::Additive)],
    ),
    (
        "mysql-modify-auto-increment",
        &[("v1.0", "v1.1", Verdict::Destructive)],
    ),
    (
        "mysql-modify-change",
        &[("v1.0", "v1.1", Verdict::Additive)],
    ),
    // A procedure dropped, a function added, a trigger recreated as it was.
    ("mysql-programs", &[("v1.0", "v1.1", Verdict::Mixed)]),
    ("no-migration-change", &[("v1.0", "v1.1", Verdict::None)]),
    ("numeric-ordering", &[("v1.0", "v1.1", Verdict::Additive)]),
    ("oracle-found-mysql", &[("v1.0", "v1.1", Verdict::Additive)]),
    ("oracle-found-postgres", &[("v1.0", "v1.1", Verdict::Mixed)]),
    ("oracle-found-sqlite", &[("v1.0", "v1.1", Verdict::Mixed)]),
    ("out-of-order", &[("v1.0", "v1.1", Verdict::Additive)]),
    // MySQL is the default dialect: MODIFY makes the comment longer.
    ("per-database-trees", &[("v1.0", "v1.1", Verdict::Additive)]),
    ("per-dialect-files", &[("v1.0", "v1.1", Verdict::Additive)]),
    ("placeholders", &[("v1.0", "v1.1", Verdict::Additive)]),
    (
        "postgres-alter-type",
        &[("v1.0", "v1.1", Verdict::Breaking)],
    ),
    // NOT VALID then VALIDATE later, constraints over existing unique indexes (quiet); the
    // same steps under a lock, an enum value among the others, a serial key added.
    (
        "postgres-constraint-steps",
        &[("v1.0", "v1.1", Verdict::Mixed)],
    ),
    ("postgres-diesel", &[("0.1.0", "0.2.0", Verdict::Additive)]),
    (
        "postgres-from-sql",
        &[("1.0.0", "1.1.0", Verdict::Additive)],
    ),
    (
        "postgres-named-objects",
        &[("v1.0", "v1.1", Verdict::NeedsReview)],
    ),
    (
        "postgres-net-effect",
        &[("v1.0", "v1.1", Verdict::Additive)],
    ),
    ("postgres-objects", &[("v1.0", "v1.1", Verdict::Additive)]),
    (
        "postgres-objects-contract",
        &[("v1.0", "v1.1", Verdict::Destructive)],
    ),
    // A partition detached and a table created: maintenance itself is neutral.
    ("postgres-operational", &[("v1.0", "v1.1", Verdict::Mixed)]),
    // A function dropped and a privilege revoked; new function, trigger and policy.
    ("postgres-programs", &[("v1.0", "v1.1", Verdict::Mixed)]),
    ("postgres-review", &[("v1.0", "v1.1", Verdict::NeedsReview)]),
    // New tables with schema-design findings, and the same table written without them.
    (
        "postgres-schema-design",
        &[("v1.0", "v1.1", Verdict::Additive)],
    ),
    // Columns added, a database dropped.
    ("postgres-transactions", &[("v1.0", "v1.1", Verdict::Mixed)]),
    // The configuration's dialect wins over the lock file's provider.
    (
        "prisma-configured-dialect",
        &[("v1.0", "v1.1", Verdict::Additive)],
    ),
    // A renamed released folder: a warning, no schema change.
    ("prisma-renamed-folder", &[("v1.0", "v1.1", Verdict::None)]),
    ("rename-column", &[("v1.0", "v1.1", Verdict::Breaking)]),
    ("sqlite-rebuild", &[("v1.0", "v1.1", Verdict::Destructive)]),
    (
        "sqlite-rebuild-not-null",
        &[("v1.0", "v1.1", Verdict::Destructive)],
    ),
    // A trigger replaced with another action.
    ("sqlite-triggers", &[("v1.0", "v1.1", Verdict::NeedsReview)]),
    // Three databases' deltas interleaved, replayed from the newest full schema.
    ("synapse-databases", &[("v1.0", "v1.1", Verdict::Additive)]),
    (
        "unparsable-statement",
        &[("v1.0", "v1.1", Verdict::NeedsReview)],
    ),
];

#[test]
fn every_scenario_has_expected_verdicts() {
    let mut on_disk: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(name, _)| *name).collect();
    assert_eq!(on_disk, listed, "EXPECTED lists every scenario, sorted");
}

#[test]
fn history_gives_the_verdict_of_every_pair() {
    let mut wrong = Vec::new();
    for (name, pairs) in EXPECTED {
        let repo = ScenarioRepo::new(name);
        let found = history(
            &HistoryRequest {
                repo: repo.path().to_path_buf(),
                ..HistoryRequest::default()
            },
            &mut |_| {},
        )
        .unwrap_or_else(|err| panic!("{name}: {err}"));
        let got: Vec<(&str, &str, Verdict)> = found
            .pairs
            .iter()
            .map(|p| (p.from.as_str(), p.to.as_str(), p.verdict))
            .collect();
        if got != *pairs {
            wrong.push(format!("{name}: history gives {got:?}, expected {pairs:?}"));
        }
        // `history` must agree with `check` on each pair alone.
        for (from, to, verdict) in pairs.iter() {
            let report = check(&CheckRequest {
                repo: repo.path().to_path_buf(),
                from: Some((*from).into()),
                to: Some((*to).into()),
                ..CheckRequest::default()
            })
            .unwrap_or_else(|err| panic!("{name} {from}..{to}: {err}"));
            if report.verdict != *verdict {
                wrong.push(format!(
                    "{name} {from}..{to}: check gives {:?}, expected {verdict:?}",
                    report.verdict
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

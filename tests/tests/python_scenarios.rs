//! Balrog's Python migration formats, read statically, in real git repositories: each
//! fixture under testdata/python is released on top of a base schema and checked.

use balrog_schema_lint::model::migration::FileStatus;
use balrog_schema_lint::render::text;
use balrog_schema_lint::{check, CheckRequest, Report, Verdict};
use balrog_schema_lint_tests::{build_repo_from_files, testdata, Files};

const MIGRATE: &str = "src/auslib/migrate";
const ALEMBIC: &str = "src/auslib/alembic";

fn file(path: String, content: Vec<u8>) -> (String, Vec<u8>) {
    (path, content)
}

fn run(snapshots: &[(&str, Files)]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    build_repo_from_files(dir.path(), snapshots).unwrap();
    check(&CheckRequest {
        repo: dir.path().to_path_buf(),
        ..CheckRequest::default()
    })
    .unwrap()
}

/// The base schema released as v1.0, then `fixture` added as migration 002 in v1.1.
fn migrate_release(fixture: &str) -> Report {
    let base: Files = vec![
        file(
            format!("{MIGRATE}/migrate.cfg"),
            b"[db_settings]\nrepository_id=fixture\n".to_vec(),
        ),
        file(format!("{MIGRATE}/versions/__init__.py"), Vec::new()),
        file(
            format!("{MIGRATE}/versions/001_base.py"),
            testdata("python/base/001_base.py"),
        ),
    ];
    let mut next = base.clone();
    next.push(file(
        format!("{MIGRATE}/versions/002_{fixture}.py"),
        testdata(&format!("python/sqlalchemy-migrate/{fixture}.py")),
    ));
    run(&[("v1.0", base), ("v1.1", next)])
}

fn rendered(report: &Report) -> String {
    let code = i32::from(report.fails_at(balrog_schema_lint::Severity::Error));
    text::render(report, text::TextOptions::default(), code)
}

fn directions(report: &Report) -> Vec<(u32, String, &'static str)> {
    report
        .migrations
        .iter()
        .flat_map(|m| &m.operations)
        .map(|o| (o.line, o.description.clone(), o.direction.name()))
        .collect()
}

#[test]
fn base_schema_is_read_from_module_level_tables_and_loops() {
    let base: Files = vec![
        file(format!("{MIGRATE}/migrate.cfg"), Vec::new()),
        file(
            format!("{MIGRATE}/versions/001_base.py"),
            testdata("python/base/001_base.py"),
        ),
    ];
    let report = run(&[
        ("v1.0", vec![file("README".into(), b"x".to_vec())]),
        ("v1.1", base),
    ]);
    assert_eq!(report.verdict, Verdict::Additive);
    let tables: Vec<String> = directions(&report).into_iter().map(|(_, d, _)| d).collect();
    assert_eq!(tables.len(), 12, "{tables:?}");
    assert!(tables.contains(&"create table clicks_daily".to_string()));
}

macro_rules! migrate_fixture {
    ($test:ident, $fixture:literal, $verdict:expr) => {
        #[test]
        fn $test() {
            let report = migrate_release($fixture);
            assert_eq!(report.verdict, $verdict, "{}", rendered(&report));
            assert_eq!(report.migrations[0].status, FileStatus::A);
            insta::assert_snapshot!(concat!("migrate-", $fixture), rendered(&report));
        }
    };
}

// Creates tables that did not exist: additive.
migrate_fixture!(migrate_create_tables, "create_tables", Verdict::Additive);
// Adds, drops, renames and retypes columns: a rename has no safe order.
migrate_fixture!(migrate_columns, "columns", Verdict::Breaking);
// The MySQL branch adds a column, drops another, then makes the new column NOT NULL without
// a default: old code's inserts fail, so no order is safe.
migrate_fixture!(
    migrate_dialect_branches,
    "dialect_branches",
    Verdict::Breaking
);
// A helper that recurses forever cannot be resolved: needs review.
migrate_fixture!(migrate_helpers, "helpers", Verdict::NeedsReview);
// Logging, metadata setup and comments produce nothing; the drop is in downgrade().
migrate_fixture!(migrate_noise, "noise", Verdict::None);
// Raw SQL built with %, .format, f-strings and loops, lowered through the SQL reader.
migrate_fixture!(migrate_raw_sql, "raw_sql", Verdict::Mixed);
// A syntax error is reported at its line; the rest is still read.
migrate_fixture!(migrate_syntax_error, "syntax_error", Verdict::NeedsReview);
// A name bound only in branches that cannot be decided.
migrate_fixture!(migrate_unresolvable, "unresolvable", Verdict::NeedsReview);

#[test]
fn dialect_branches_differ_for_sqlite() {
    let base: Files = vec![
        file(format!("{MIGRATE}/migrate.cfg"), Vec::new()),
        file(
            format!("{MIGRATE}/versions/001_base.py"),
            testdata("python/base/001_base.py"),
        ),
    ];
    let mut next = base.clone();
    next.push(file(
        format!("{MIGRATE}/versions/002_dialect_branches.py"),
        testdata("python/sqlalchemy-migrate/dialect_branches.py"),
    ));
    next.push(file(
        "balrog-schema-lint.toml".into(),
        b"dialect = \"sqlite\"\n".to_vec(),
    ));
    let sqlite = run(&[("v1.0", base), ("v1.1", next)]);
    let mysql = migrate_release("dialect_branches");
    assert_ne!(directions(&sqlite), directions(&mysql));
}

/// Alembic revisions are applied by their down_revision chain, not by file name; a parent
/// that does not exist is reported.
#[test]
fn alembic_chain_order_and_verdict() {
    let env = file(
        format!("{ALEMBIC}/env.py"),
        b"# alembic environment\n".to_vec(),
    );
    let revision = |name: &str| {
        file(
            format!("{ALEMBIC}/versions/{name}.py"),
            testdata(&format!("python/alembic/{name}.py")),
        )
    };
    let v1: Files = vec![env.clone(), revision("tables")];
    let v2: Files = vec![
        env,
        revision("tables"),
        revision("batch_and_sql"),
        revision("columns"),
        revision("constraints"),
    ];
    let report = run(&[("v1.0", v1), ("v1.1", v2)]);
    let order: Vec<&str> = report
        .migrations
        .iter()
        .map(|m| m.version.as_str())
        .collect();
    assert_eq!(order, ["b2", "c3", "d4"], "applied by the revision chain");
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "broken-alembic-chain"));
    insta::assert_snapshot!("alembic-chain", rendered(&report));
}

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

fn alembic_file(name: &str) -> (String, Vec<u8>) {
    file(
        format!("{ALEMBIC}/versions/{name}.py"),
        testdata(&format!("python/alembic/{name}.py")),
    )
}

fn alembic_env() -> (String, Vec<u8>) {
    file(
        format!("{ALEMBIC}/env.py"),
        b"# alembic environment\n".to_vec(),
    )
}

/// Revisions written as projects write them (dialect branches, data code, the op/sa
/// vocabulary), released on an initial schema, for each configured dialect.
#[test]
fn alembic_as_written_in_the_wild() {
    let base: Files = vec![alembic_env(), alembic_file("wild_base")];
    for dialect in ["mysql", "postgres", "sqlite", "generic"] {
        let mut next = base.clone();
        next.extend([
            alembic_file("dialect_branches"),
            alembic_file("data_changes"),
            alembic_file("vocabulary"),
            file(
                "balrog-schema-lint.toml".into(),
                format!("dialect = \"{dialect}\"\n").into_bytes(),
            ),
        ]);
        let report = run(&[("v1.0", base.clone()), ("v1.1", next)]);
        let order: Vec<&str> = report
            .migrations
            .iter()
            .map(|m| m.version.as_str())
            .collect();
        assert_eq!(order, ["w1", "w2", "w3"]);
        let unreadable: Vec<(u32, String)> = directions(&report)
            .into_iter()
            .filter(|(_, d, _)| d == "unreadable statement")
            .map(|(line, d, _)| (line, d))
            .collect();
        // Only the tables dropped by names read from rows cannot be read (and, with an
        // application type, the column `extra`'s type is not known: not unreadable).
        assert_eq!(
            unreadable,
            [(57, "unreadable statement".to_string())],
            "{dialect}"
        );
        insta::assert_snapshot!(format!("alembic-wild-{dialect}"), rendered(&report));
    }
}

/// A squash that deletes every released revision and starts a new root: databases still
/// record the released head, which no longer exists.
#[test]
fn alembic_squash_loses_the_released_head() {
    let v1: Files = vec![
        alembic_env(),
        alembic_file("wild_base"),
        alembic_file("dialect_branches"),
    ];
    let mut squashed = alembic_file("wild_base");
    squashed.0 = format!("{ALEMBIC}/versions/0001_squashed.py");
    squashed.1 = String::from_utf8(squashed.1)
        .unwrap()
        .replace("revision = \"w0\"", "revision = \"s1\"")
        .into_bytes();
    let v2: Files = vec![alembic_env(), squashed];
    let report = run(&[("v1.0", v1), ("v2.0", v2)]);
    let lost: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "broken-alembic-chain")
        .collect();
    assert_eq!(lost.len(), 1, "{lost:#?}");
    assert!(lost[0]
        .message
        .contains("revision w1, the head released in v1.0"));
    assert!(lost[0].help.contains("alembic stamp --purge s1"));
    assert_eq!(report.verdict, Verdict::NeedsReview);
}

/// Across a range that skips a release, git pairs a deleted revision with an unrelated new
/// one of similar text; revisions are paired by their `revision`, so the released one is
/// reported deleted and the new one new, not "edited".
#[test]
fn alembic_files_pair_by_revision_not_by_similarity() {
    let revision = |id: &str, column: &str| {
        format!(
            "\"\"\"add a column\n\nRevision ID: {id}\nRevises: w0\n\"\"\"\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = \"{id}\"\ndown_revision = \"w0\"\nbranch_labels = None\ndepends_on = None\n\n# Gadgets are ranked by how often they are used; the rank is filled in by the\n# nightly job, so the column starts empty and stays nullable. The job reads\n# the usage table, computes the rank of every gadget, and writes it back in\n# batches of a thousand rows so that the table is never locked for long.\n\n\ndef upgrade():\n    op.add_column(\"gadgets\", sa.Column(\"{column}\", sa.Integer(), nullable=True))\n\n\ndef downgrade():\n    op.drop_column(\"gadgets\", \"{column}\")\n"
        )
        .into_bytes()
    };
    let base: Files = vec![alembic_env(), alembic_file("wild_base")];
    let mut v1 = base.clone();
    v1.push(file(
        format!("{ALEMBIC}/versions/r2_add_rank.py"),
        revision("r2", "rank"),
    ));
    let mut v3 = base.clone();
    v3.push(file(
        format!("{ALEMBIC}/versions/r3_add_ranking.py"),
        revision("r3", "ranking"),
    ));
    let report = run(&[("v1.0", v1.clone()), ("v1.1", v1), ("v1.2", v3)]);
    let statuses: Vec<(FileStatus, &str)> = report
        .migrations
        .iter()
        .map(|m| (m.status, m.path.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            (
                FileStatus::A,
                "src/auslib/alembic/versions/r3_add_ranking.py"
            ),
            (FileStatus::D, "src/auslib/alembic/versions/r2_add_rank.py"),
        ]
    );
    assert!(!report
        .findings
        .iter()
        .any(|f| f.rule == "edited-released-migration" || f.rule == "renamed-released-migration"));
}

fn django_file(path: &str) -> (String, Vec<u8>) {
    file(
        format!("project/{path}"),
        testdata(&format!("python/django/{path}")),
    )
}

/// A Django project of two apps, read without Django: the first release creates the
/// models, the second uses every operation; apply order follows `dependencies` across apps.
#[test]
fn django_project_over_three_releases() {
    let init = |app: &str| {
        vec![
            django_file(&format!("{app}/__init__.py")),
            django_file(&format!("{app}/migrations/__init__.py")),
        ]
    };
    let mut v1: Files = init("library");
    v1.extend(init("shelf"));
    v1.push(django_file("library/migrations/0001_initial.py"));
    v1.push(django_file("shelf/migrations/0001_initial.py"));
    v1.push(file(
        "balrog-schema-lint.toml".into(),
        b"dialect = \"postgres\"\n".to_vec(),
    ));
    let mut v2 = v1.clone();
    v2.push(django_file("library/migrations/0002_release_two.py"));
    v2.push(django_file("shelf/migrations/0002_tag_colour.py"));
    v2.push(django_file("library/models.py"));
    let mut v3 = v2.clone();
    v3.push(django_file("shelf/migrations/0001_squashed_0002.py"));
    let dir = tempfile::tempdir().unwrap();
    build_repo_from_files(dir.path(), &[("v1.0", v1), ("v1.1", v2), ("v1.2", v3)]).unwrap();
    let report = |from: &str, to: &str| {
        check(&CheckRequest {
            repo: dir.path().to_path_buf(),
            from: Some(from.into()),
            to: Some(to.into()),
            ..CheckRequest::default()
        })
        .unwrap()
    };

    let second = report("v1.0", "v1.1");
    let order: Vec<&str> = second
        .migrations
        .iter()
        .map(|m| m.version.as_str())
        .collect();
    assert_eq!(order, ["shelf.0002_tag_colour", "library.0002_release_two"]);
    assert_eq!(second.verdict, Verdict::Breaking);
    insta::assert_snapshot!("django-every-operation", rendered(&second));

    // The squashed migration is recorded, not run, where the replaced ones ran.
    let third = report("v1.1", "v1.2");
    assert_eq!(third.verdict, Verdict::None);
    insta::assert_snapshot!("django-squashed", rendered(&third));
}

//! Every fixture history under testdata/scenarios, checked end to end on a real repository.

use balrog_schema_lint::render::{json, text};
use balrog_schema_lint::{check, CheckRequest, Report, Verdict};
use balrog_schema_lint_tests::ScenarioRepo;

fn run(name: &str) -> Report {
    let repo = ScenarioRepo::new(name);
    check(&CheckRequest {
        repo: repo.path().to_path_buf(),
        ..CheckRequest::default()
    })
    .unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn rules_of(report: &Report) -> Vec<(&str, &str)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity.name()))
        .collect()
}

/// Checks a scenario, asserts its verdict and snapshots both renderings.
fn scenario(name: &str, verdict: Verdict) -> Report {
    let report = run(name);
    assert_eq!(report.verdict, verdict, "{name}");
    assert_eq!(
        report.from.rev, "v1.0",
        "{name}: default --from is the previous tag"
    );
    let code = i32::from(report.fails_at(balrog_schema_lint::Severity::Error));
    insta::assert_snapshot!(
        format!("{name}.txt"),
        text::render(&report, text::TextOptions::default(), code)
    );
    insta::assert_snapshot!(format!("{name}.json"), json::render(&report));
    report
}

#[test]
fn no_migration_change() {
    let report = scenario("no-migration-change", Verdict::None);
    assert!(report.migrations.is_empty());
    assert_eq!(report.plan.steps.len(), 1);
    assert_eq!(report.plan.steps[0].services.len(), 3);
}

#[test]
fn create_table() {
    let report = scenario("create-table", Verdict::Additive);
    assert_eq!(report.plan.steps[0].services, ["balrog-admin-production"]);
    assert_eq!(report.plan.steps[1].services, ["balrog-production"]);
    assert!(report.findings.is_empty());
}

#[test]
fn add_nullable_column() {
    let report = scenario("add-nullable-column", Verdict::Additive);
    assert_eq!(report.counts.operations, 3);
}

#[test]
fn add_not_null_column_without_default() {
    let report = scenario("add-not-null-column", Verdict::Breaking);
    assert_eq!(
        rules_of(&report),
        [("add-column-not-null-without-default", "error")]
    );
}

#[test]
fn drop_column_is_destructive_public_app_first() {
    let report = scenario("drop-column", Verdict::Destructive);
    assert_eq!(report.plan.steps[0].services, ["balrog-production"]);
    assert_eq!(report.plan.steps[1].services, ["balrog-admin-production"]);
    assert_eq!(report.plan.any_time, ["balrog-agent-production"]);
    assert_eq!(rules_of(&report), [("drop-column", "warning")]);
}

#[test]
fn create_table_and_drop_column_is_mixed_with_split() {
    let report = scenario("mixed", Verdict::Mixed);
    let split = report.plan.split.as_ref().expect("split advice");
    assert_eq!(
        split.first_release,
        ["migrations/0002_create_pinnable_releases.sql"]
    );
    assert_eq!(
        split.second_release,
        ["migrations/0003_drop_rules_legacy.sql"]
    );
    assert!(report.plan.steps.is_empty());
}

#[test]
fn rename_column_is_breaking() {
    let report = scenario("rename-column", Verdict::Breaking);
    // src/app.py at HEAD still selects `mapping`.
    assert_eq!(
        rules_of(&report),
        [
            ("dropped-object-still-referenced", "warning"),
            ("rename-column", "error")
        ]
    );
    assert!(report.findings[0].message.contains("src/app.py:2"));
}

#[test]
fn unparsable_statement_needs_review_and_rest_is_read() {
    let report = scenario("unparsable-statement", Verdict::NeedsReview);
    let ops = &report.migrations[0].operations;
    let lines: Vec<u32> = ops.iter().map(|o| o.line).collect();
    assert_eq!(lines, [1, 4, 6]);
    let finding = &report.findings[0];
    assert_eq!(
        (finding.rule.as_str(), finding.line),
        ("unreadable-statement", Some(4))
    );
}

#[test]
fn edited_released_migrations() {
    let report = scenario("edited-released-migration", Verdict::None);
    assert_eq!(
        rules_of(&report),
        [
            ("edited-released-migration", "error"),
            ("edited-released-migration", "warning")
        ]
    );
    assert!(report.findings[0]
        .diff
        .as_deref()
        .unwrap()
        .contains("+ALTER TABLE rules ADD COLUMN alias VARCHAR(250);"));
}

#[test]
fn moved_folder_is_no_change() {
    let report = scenario("moved-folder", Verdict::None);
    assert!(report
        .migrations
        .iter()
        .all(|m| m.status == balrog_schema_lint::model::migration::FileStatus::R));
    assert!(report.findings.is_empty());
}

#[test]
fn moved_folder_with_a_reformatted_file_is_no_change() {
    let report = scenario("moved-and-reformatted", Verdict::None);
    assert!(report
        .migrations
        .iter()
        .all(|m| m.status == balrog_schema_lint::model::migration::FileStatus::R));
    assert_eq!(
        rules_of(&report),
        [("edited-released-migration", "warning")]
    );
}

#[test]
fn numeric_ordering() {
    let report = scenario("numeric-ordering", Verdict::Additive);
    let versions: Vec<&str> = report
        .migrations
        .iter()
        .map(|m| m.version.as_str())
        .collect();
    assert_eq!(versions, ["9", "10", "11"]);
    // The column and index are on a table created in the same release.
    let directions: Vec<&str> = report
        .migrations
        .iter()
        .flat_map(|m| &m.operations)
        .map(|o| o.direction.name())
        .collect();
    assert_eq!(directions, ["expand", "neutral", "neutral"]);
}

#[test]
fn mysql_modify_and_change_column_widen() {
    let report = scenario("mysql-modify-change", Verdict::Additive);
    let reasons: Vec<&str> = report.migrations[0]
        .operations
        .iter()
        .filter_map(|o| o.reason.as_deref())
        .collect();
    assert_eq!(
        reasons,
        [
            "rules.comment: widens VARCHAR(500) to VARCHAR(1000)",
            "rules.priority: widens INT to BIGINT"
        ]
    );
}

#[test]
fn mysql_modify_that_drops_auto_increment_is_destructive() {
    let report = scenario("mysql-modify-auto-increment", Verdict::Destructive);
    let op = &report.migrations[0].operations[0];
    assert!(op
        .reason
        .as_deref()
        .unwrap()
        .contains("drops AUTO_INCREMENT"));
}

#[test]
fn postgres_alter_column_type() {
    let report = scenario("postgres-alter-type", Verdict::Breaking);
    assert_eq!(
        report.dialect,
        balrog_schema_lint::model::ops::Dialect::Postgres
    );
    let directions: Vec<&str> = report.migrations[0]
        .operations
        .iter()
        .map(|o| o.direction.name())
        .collect();
    assert_eq!(
        directions,
        ["breaking", "expand"],
        "narrowing VARCHAR, widening INTEGER"
    );
}

#[test]
fn new_migration_numbered_below_released() {
    let report = scenario("out-of-order", Verdict::Additive);
    assert_eq!(rules_of(&report), [("migration-before-released", "error")]);
}

#[test]
fn placeholders_are_substituted_before_parsing() {
    let report = scenario("placeholders", Verdict::Additive);
    let op = &report.migrations[0].operations[0];
    assert_eq!(op.description, "add column bsl_rules.alias VARCHAR(50)");
}

/// Each distinct file content is read once per run, whatever the number of revisions and
/// ranges that hold it.
#[test]
fn each_blob_is_read_once_per_run() {
    use balrog_schema_lint::lint::{check_range, load_config, resolve_range, Reader};
    let repo_dir = ScenarioRepo::new("demo");
    let repo = git2::Repository::open(repo_dir.path()).unwrap();
    let request = |from: &str, to: &str| CheckRequest {
        repo: repo_dir.path().to_path_buf(),
        from: Some(from.into()),
        to: Some(to.into()),
        ..CheckRequest::default()
    };
    let config = load_config(
        &repo,
        resolve_range(&repo, &request("v1.0", "v1.3")).unwrap().to.1,
        &request("v1.0", "v1.3"),
    )
    .unwrap();
    let mut reader = Reader::new(&repo, &config);
    for (from, to) in [("v1.0", "v1.1"), ("v1.1", "v1.2"), ("v1.2", "v1.3")] {
        let range = resolve_range(&repo, &request(from, to)).unwrap();
        check_range(&repo, &range, &config, &mut reader).unwrap();
    }
    // demo has five distinct migration files over its four releases.
    assert_eq!(reader.files_read(), 5);
}

/// Replay and net effect: what the release does to the schema as a whole.
mod net_effect {
    use super::*;
    use balrog_schema_lint::model::ops::Dialect;

    #[test]
    fn column_added_and_dropped_in_one_range_is_no_change() {
        let report = scenario("add-and-drop-column", Verdict::None);
        assert!(report
            .migrations
            .iter()
            .flat_map(|m| &m.operations)
            .all(|o| o.direction.name() == "neutral"));
    }

    #[test]
    fn sqlite_rebuild_is_judged_by_the_final_table() {
        let report = scenario("sqlite-rebuild", Verdict::Destructive);
        let last = report.migrations[0].operations.last().unwrap();
        assert_eq!(
            last.reason.as_deref(),
            Some("rebuild of rules: drops legacy_flag")
        );
        assert!(report
            .findings
            .iter()
            .any(|f| f.rule == "sqlite-table-rebuild"));
    }

    #[test]
    fn cosmetic_edits_of_ten_released_files_change_nothing() {
        let report = scenario("cosmetic-edits", Verdict::None);
        assert_eq!(report.counts.migrations, 10);
        assert!(report
            .findings
            .iter()
            .all(|f| f.rule == "edited-released-migration" && f.severity.name() == "warning"));
        assert_eq!(report.findings.len(), 10);
    }

    #[test]
    fn squashed_baseline_in_a_new_folder_changes_nothing() {
        let report = scenario("baseline-squash", Verdict::None);
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        assert!(rules.contains(&"baseline-migration"), "{rules:?}");
        assert_eq!(
            rules
                .iter()
                .filter(|r| **r == "deleted-released-migration")
                .count(),
            3
        );
        assert!(!rules.contains(&"baseline-schema-drift"), "{rules:?}");
        let baseline = report
            .findings
            .iter()
            .find(|f| f.rule == "baseline-migration")
            .unwrap();
        assert!(
            baseline.message.contains("must already be at version 0003"),
            "{}",
            baseline.message
        );
    }

    #[test]
    fn per_dialect_files_give_each_dialect_its_own_verdict() {
        let repo = ScenarioRepo::new("per-dialect-files");
        let run = |dialect| {
            check(&CheckRequest {
                repo: repo.path().to_path_buf(),
                dialect: Some(dialect),
                ..CheckRequest::default()
            })
            .unwrap()
        };
        let mysql = run(Dialect::Mysql);
        let sqlite = run(Dialect::Sqlite);
        assert_eq!(mysql.verdict, Verdict::Additive, "MODIFY widens comment");
        assert_eq!(
            mysql.migrations[0].path,
            "migrations/0002_rules_comment_longer.sql"
        );
        // SQLite ignores VARCHAR lengths, so the rebuild only drops legacy_flag.
        assert_eq!(sqlite.verdict, Verdict::Destructive);
        assert_eq!(
            sqlite.migrations[0].path,
            "migrations/0002_rules_comment_longer.sql.sqlite"
        );
        let code = i32::from(sqlite.fails_at(balrog_schema_lint::Severity::Error));
        insta::assert_snapshot!(
            "per-dialect-files.sqlite.txt",
            text::render(&sqlite, text::TextOptions::default(), code)
        );
    }
}

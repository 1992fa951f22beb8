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
    let json_text = json::render(&report);
    let document: serde_json::Value = serde_json::from_str(&json_text).expect("JSON report");
    balrog_schema_lint_tests::schema::assert_valid_report(&document);
    insta::assert_snapshot!(format!("{name}.json"), json_text);
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
    // src/app.py at HEAD still selects `mapping`: an exact reference, located at its line.
    assert_eq!(
        rules_of(&report),
        [
            ("dropped-object-still-referenced", "error"),
            ("rename-column", "error")
        ]
    );
    assert!(report.findings[0].message.contains("src/app.py:2"));
    assert_eq!(report.findings[0].related[0].path, "src/app.py");
    assert_eq!(report.findings[0].related[0].line, 2);
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
    let newest = repo
        .revparse_single("v1.3")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    let config = load_config(&repo, newest.id(), &request("v1.0", "v1.3")).unwrap();
    let mut reader = Reader::new(&repo, &config);
    for (from, to) in [("v1.0", "v1.1"), ("v1.1", "v1.2"), ("v1.2", "v1.3")] {
        let balrog_tags = balrog_schema_lint::model::release_tags::ReleaseTags::balrog();
        let range = resolve_range(&repo, &request(from, to), &balrog_tags).unwrap();
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
    fn baseline_that_differs_from_production_is_drift() {
        let report = scenario("baseline-drift", Verdict::None);
        let drift: Vec<(&str, Option<u32>, &str)> = report
            .findings
            .iter()
            .filter(|f| f.rule == "baseline-schema-drift")
            .map(|f| (f.path.as_deref().unwrap_or(""), f.line, f.message.as_str()))
            .collect();
        assert_eq!(drift.len(), 1, "{drift:?}");
        assert_eq!(drift[0].0, "schema/0001_baseline.sql");
        assert_eq!(drift[0].1, Some(3));
        assert!(
            drift[0]
                .2
                .starts_with("releases in this baseline differs from production's: ")
                && drift[0].2.contains("timestamp")
                && drift[0].2.contains("BIGINT")
                && drift[0].2.contains("INT"),
            "{}",
            drift[0].2
        );
        // rules is declared as production has it.
        assert!(!drift[0].2.contains("rules"), "{}", drift[0].2);
    }

    #[test]
    fn sqlite_rebuild_that_sets_not_null_is_a_contract() {
        let report = scenario("sqlite-rebuild-not-null", Verdict::Destructive);
        let rules: Vec<(&str, &str)> = rules_of(&report);
        assert!(
            !rules.iter().any(|(_, severity)| *severity == "error"),
            "{rules:?}"
        );
        assert!(
            rules.contains(&("sqlite-table-rebuild", "warning")),
            "{rules:?}"
        );
        let last = report.migrations[0].operations.last().unwrap();
        assert_eq!(last.direction.name(), "contract");
        assert!(
            last.reason
                .as_deref()
                .is_some_and(|r| r.contains("priority")),
            "{:?}",
            last.reason
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

/// Repositories that are not Balrog: the dialect detected from what the repository says,
/// release tags without a `v`, and a plan over roles.
mod not_balrog {
    use super::*;
    use balrog_schema_lint::{history, Dialect, HistoryRequest, Profile};

    fn check_default(repo: &ScenarioRepo, dialect: Option<Dialect>) -> Report {
        check(&CheckRequest {
            repo: repo.path().to_path_buf(),
            dialect,
            ..CheckRequest::default()
        })
        .unwrap()
    }

    fn snapshot(name: &str, report: &Report) {
        let code = i32::from(report.fails_at(balrog_schema_lint::Severity::Error));
        insta::assert_snapshot!(
            format!("{name}.txt"),
            text::render(report, text::TextOptions::default(), code)
        );
        insta::assert_snapshot!(format!("{name}.json"), json::render(report));
    }

    /// The evidence that decided the dialect, as the JSON report gives it: (kind, file:line
    /// (text)).
    fn detected(report: &Report) -> (String, String) {
        let source = serde_json::to_value(&report.dialect_source).unwrap();
        assert_eq!(source["from"], "detected", "{source}");
        let evidence = &source["evidence"];
        let line = evidence["line"]
            .as_u64()
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        (
            evidence["kind"].as_str().unwrap().to_string(),
            format!(
                "{}{line} ({})",
                evidence["path"].as_str().unwrap(),
                evidence["text"].as_str().unwrap()
            ),
        )
    }

    fn operations(report: &Report) -> Vec<(String, &'static str)> {
        report
            .migrations
            .iter()
            .flat_map(|m| &m.operations)
            .map(|o| (o.description.clone(), o.direction.name()))
            .collect()
    }

    #[test]
    fn diesel_project_is_read_as_postgres_from_its_cargo_features() {
        let repo = ScenarioRepo::new("postgres-diesel");
        let report = check_default(&repo, None);
        // Tagged 0.1.0 and 0.2.0, no `v`: the default FROM still finds the release.
        assert_eq!(
            (report.from.rev.as_str(), report.to.rev.as_str()),
            ("0.1.0", "0.2.0")
        );
        assert_eq!(report.dialect, Dialect::Postgres);
        assert_eq!(
            detected(&report),
            (
                "cargo-features".to_string(),
                "Cargo.toml:7 (diesel feature \"postgres\")".to_string()
            )
        );
        assert_eq!(report.profile, Profile::Generic);
        // PostgreSQL's ALTER COLUMN ... TYPE, read as PostgreSQL: VARCHAR to TEXT widens.
        assert_eq!(report.verdict, Verdict::Additive);
        assert_eq!(
            operations(&report),
            [
                (
                    "create index users_email_idx on users(email)".to_string(),
                    "expand"
                ),
                ("change type of users.name to TEXT".to_string(), "expand"),
            ]
        );
        assert_eq!(
            rules_of(&report),
            [("create-index-not-concurrently", "warning")]
        );
        assert_eq!(
            report.plan.steps[0].services,
            ["the service that runs the migrations"]
        );
        assert_eq!(report.plan.steps[1].services, ["the application"]);
        assert!(report.plan.any_time.is_empty());
        // Balrog's tag and version rules are not this project's conventions.
        assert!(report
            .findings
            .iter()
            .all(|f| f.rule != "release-tag-format" && f.rule != "version-not-bumped"));
        snapshot("postgres-diesel", &report);

        // The same release read as MySQL, as before detection: MySQL's table-copy warning
        // about a PostgreSQL project, and PostgreSQL's index-locking warning lost.
        let as_mysql = check_default(&repo, Some(Dialect::Mysql));
        assert_eq!(
            serde_json::to_value(&as_mysql.dialect_source).unwrap()["from"],
            "command-line"
        );
        assert_eq!(rules_of(&as_mysql), [("mysql-table-copy", "warning")]);
    }

    #[test]
    fn configured_dialect_wins_over_prismas_lock_file() {
        // The lock file still says PostgreSQL; the configuration says MySQL, and the SQL is
        // MySQL's. The configuration (and --dialect) decide how every location is read.
        let repo = ScenarioRepo::new("prisma-configured-dialect");
        let report = check_default(&repo, None);
        assert_eq!(report.verdict, Verdict::Additive, "{:?}", rules_of(&report));
        assert_eq!(report.migrations[0].dialect, Dialect::Mysql);
        assert_eq!(
            serde_json::to_value(&report.dialect_source).unwrap()["from"],
            "configuration"
        );
        snapshot("prisma-configured-dialect", &report);

        let given = check_default(&repo, Some(Dialect::Mysql));
        assert_eq!(given.verdict, Verdict::Additive);
        assert_eq!(given.migrations[0].dialect, Dialect::Mysql);
        assert_eq!(
            serde_json::to_value(&given.dialect_source).unwrap()["from"],
            "command-line"
        );
    }

    #[test]
    fn postgres_known_only_from_its_sql() {
        let repo = ScenarioRepo::new("postgres-from-sql");
        let report = check_default(&repo, None);
        assert_eq!(report.dialect, Dialect::Postgres);
        assert_eq!(
            detected(&report),
            (
                "sql-content".to_string(),
                "db/migrations/0001_init.sql:2 (PostgreSQL syntax: id SERIAL PRIMARY KEY,)"
                    .to_string()
            )
        );
        // CREATE INDEX CONCURRENTLY is PostgreSQL's online index build: additive, and no
        // operational warning about locking the table.
        assert_eq!(report.verdict, Verdict::Additive);
        assert_eq!(
            operations(&report),
            [(
                "create index jobs_state_idx on jobs(state)".to_string(),
                "expand"
            )]
        );
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        snapshot("postgres-from-sql", &report);
    }

    #[test]
    fn conflicting_evidence_is_a_finding_naming_both_sources() {
        let repo = ScenarioRepo::new("dialect-conflict");
        let report = check_default(&repo, None);
        assert_eq!(report.dialect, Dialect::Postgres);
        assert_eq!(detected(&report).0, "flyway-url");
        let conflict: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == "conflicting-dialect-evidence")
            .collect();
        assert_eq!(conflict.len(), 1);
        let message = &conflict[0].message;
        assert!(
            message.contains(
                "conf/flyway.conf:1 (flyway.url=jdbc:postgresql://db.internal:5432/shop)"
            ) && message.contains("sql/V1__init.sql:1"),
            "{message}"
        );
        snapshot("dialect-conflict", &report);
        // --dialect wins, and there is nothing left to disagree about.
        let given = check_default(&repo, Some(Dialect::Mysql));
        assert_eq!(given.dialect, Dialect::Mysql);
        assert_eq!(given.verdict, Verdict::Additive);
        assert!(given
            .findings
            .iter()
            .all(|f| f.rule != "conflicting-dialect-evidence"));
    }

    #[test]
    fn history_of_tags_without_a_v() {
        let repo = ScenarioRepo::new("postgres-diesel");
        let found = history(
            &HistoryRequest {
                repo: repo.path().to_path_buf(),
                ..HistoryRequest::default()
            },
            &mut |_| {},
        )
        .unwrap();
        let pairs: Vec<(&str, &str, Verdict)> = found
            .pairs
            .iter()
            .map(|p| (p.from.as_str(), p.to.as_str(), p.verdict))
            .collect();
        assert_eq!(pairs, [("0.1.0", "0.2.0", Verdict::Additive)]);
        assert_eq!(found.dialect, Dialect::Postgres);
        assert_eq!(found.profile, Profile::Generic);
    }
}

#[test]
fn postgres_net_effect() {
    // An identical index swap, an ordinary index dropped, a unique index and constraint
    // dropped, DROP TABLE IF EXISTS of a table that never existed, and keys on columns added
    // in the same release: only expand steps remain.
    let report = scenario("postgres-net-effect", Verdict::Additive);
    let directions: Vec<(String, &str)> = report.migrations[0]
        .operations
        .iter()
        .map(|o| (o.description.clone(), o.direction.name()))
        .collect();
    assert_eq!(
        directions.iter().filter(|(_, d)| *d == "contract").count(),
        0,
        "{directions:?}"
    );
    let rules = rules_of(&report);
    // Every drop of an index production has locks the table, an index swap included.
    assert_eq!(
        rules,
        [
            ("drop-index-not-concurrently", "warning"),
            ("drop-index", "info"),
            ("drop-index-not-concurrently", "warning"),
            ("drop-index", "info"),
            ("drop-index-not-concurrently", "warning"),
        ]
    );
}

/// The rules of a report with the file name and line each points at.
fn located_rules(report: &Report) -> Vec<(&str, String)> {
    report
        .findings
        .iter()
        .map(|f| {
            let file = f
                .path
                .as_deref()
                .and_then(|p| p.rsplit('/').next())
                .unwrap_or("");
            (f.rule.as_str(), format!("{file}:{}", f.line.unwrap_or(0)))
        })
        .collect()
}

#[test]
fn postgres_operational_locks() {
    // V2 rebuilds, reorders, compacts, detaches and drops on released tables without
    // CONCURRENTLY; V3 does the same work online, and the blocking forms on a table
    // created in the release: only V2 is reported.
    let report = scenario("postgres-operational", Verdict::Mixed);
    let found = located_rules(&report);
    let expected = [
        ("reindex-not-concurrently", "V2__maintenance_locked.sql:2"),
        ("cluster", "V2__maintenance_locked.sql:3"),
        ("vacuum-full", "V2__maintenance_locked.sql:4"),
        (
            "detach-partition-not-concurrently",
            "V2__maintenance_locked.sql:5",
        ),
        ("mixed-release", "V2__maintenance_locked.sql:5"),
        (
            "drop-index-not-concurrently",
            "V2__maintenance_locked.sql:7",
        ),
    ];
    let expected: Vec<(&str, String)> = expected
        .iter()
        .map(|(rule, at)| (*rule, at.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn postgres_transactions_and_data() {
    // A nested BEGIN and an unfinished transaction, next to a savepoint inside one
    // transaction; an UPDATE setting a column twice next to one that does not; TRUNCATE
    // CASCADE next to a filtered DELETE; a database dropped.
    let report = scenario("postgres-transactions", Verdict::Mixed);
    let found = located_rules(&report);
    let expected = [
        ("nested-transaction", "V2__nested.sql:3"),
        ("column-assigned-twice", "V4__data.sql:1"),
        ("delete-without-where", "V4__data.sql:3"),
        ("truncate-cascade", "V4__data.sql:3"),
        ("unfinished-transaction", "V5__unfinished.sql:1"),
        ("drop-database", "V6__drop_database.sql:1"),
        ("mixed-release", "V6__drop_database.sql:1"),
    ];
    let expected: Vec<(&str, String)> = expected
        .iter()
        .map(|(rule, at)| (*rule, at.to_string()))
        .collect();
    assert_eq!(found, expected);
}

fn directions_of(report: &Report) -> Vec<(String, &'static str)> {
    report
        .migrations
        .iter()
        .flat_map(|m| &m.operations)
        .map(|o| (o.description.clone(), o.direction.name()))
        .collect()
}

#[test]
fn mysql_collation_change_is_breaking() {
    // `MODIFY` to another collation changes which names compare equal and what the unique key
    // rejects, for old and new code at once; the column restated as it was is nothing.
    let report = scenario("mysql-collation", Verdict::Breaking);
    assert_eq!(
        directions_of(&report),
        [
            (
                "redefine column stores.name VARCHAR(64) NOT NULL".to_string(),
                "breaking"
            ),
            (
                "redefine column stores.code VARCHAR(16) NOT NULL".to_string(),
                "neutral"
            ),
        ]
    );
}

#[test]
fn mysql_generated_column_added() {
    // A generated column fills itself: old code's inserts that leave it out keep working.
    let report = scenario("mysql-generated-columns", Verdict::Additive);
    assert_eq!(
        directions_of(&report),
        [("add column releases.size_gb INT".to_string(), "expand")]
    );
}

#[test]
fn postgres_objects_expand() {
    // Enum value, composite attribute, relaxed domain, tables from queries with known
    // types, renames of a constraint and an index, a validation, a new schema, keys declared
    // inline on added columns: old code keeps working on the new schema.
    let report = scenario("postgres-objects", Verdict::Additive);
    let directions = directions_of(&report);
    assert!(
        directions
            .iter()
            .all(|(_, d)| *d == "expand" || *d == "neutral"),
        "{directions:?}"
    );
    assert!(report.findings.iter().all(|f| f.severity.name() != "error"));
}

#[test]
fn postgres_objects_contract() {
    // Partitions attached and detached, an enum replaced by one without a value, an
    // attribute, a materialized view, a schema and an extension dropped.
    let report = scenario("postgres-objects-contract", Verdict::Destructive);
    let directions = directions_of(&report);
    let contract: Vec<&str> = directions
        .iter()
        .filter(|(_, d)| *d == "contract")
        .map(|(what, _)| what.as_str())
        .collect();
    assert_eq!(
        contract,
        [
            "attach partition events_old to events",
            "detach partition events_2025 from events",
            "change type of releases.channel to CHANNEL",
            "drop attribute version_pair.patch",
            "drop view release_sizes",
            "drop schema audit",
            "drop extension pg_trgm",
            "drop identity on releases.id",
        ],
        "{directions:?}"
    );
}

#[test]
fn postgres_review_carries_an_error_for_each_reason() {
    // A drop of a table the history never created, a table created twice, a table from a
    // query whose column types are unknown: each is an error; DROP IF EXISTS of an absent
    // type is a no-op.
    let report = scenario("postgres-review", Verdict::NeedsReview);
    let lines: Vec<(&str, Option<u32>)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.line))
        .collect();
    assert_eq!(
        lines,
        [
            ("add-column-not-null-without-default", Some(2)),
            ("needs-review-operation", Some(4)),
            ("needs-review-operation", Some(8)),
            ("needs-review-operation", Some(10)),
        ]
    );
    let directions = directions_of(&report);
    assert_eq!(directions[2].1, "neutral", "{directions:?}");
}

#[test]
fn postgres_named_objects() {
    // Keys checked later expand and earlier contract; sequence numbering, storage settings
    // and statistics are operational; a renamed sequence or view breaks code that names
    // it; an owner change is for review (which role the application uses is not known).
    // `public.book` and `book` are one table.
    let report = scenario("postgres-named-objects", Verdict::NeedsReview);
    let found = directions_of(&report);
    let direction = |prefix: &str| {
        found
            .iter()
            .find(|(d, _)| d.starts_with(prefix))
            .map(|(_, dir)| *dir)
    };
    assert_eq!(
        direction("make constraint book_author_fkey on book deferrable"),
        Some("expand")
    );
    assert_eq!(
        direction("make constraint review_book_id_fkey on review not deferrable"),
        Some("contract")
    );
    assert_eq!(
        direction("set NOT NULL on review.book_id"),
        Some("contract")
    );
    assert_eq!(
        direction("restart with 5000 increment by 10 on sequence"),
        Some("neutral")
    );
    assert_eq!(
        direction("rename sequence invoice_numbers to invoice_ids"),
        Some("breaking")
    );
    assert_eq!(direction("owned by author.id on sequence"), Some("neutral"));
    assert_eq!(direction("set (fillfactor = 70) on table"), Some("neutral"));
    assert_eq!(direction("cluster on book_title on table"), Some("neutral"));
    assert_eq!(
        direction("alter column title set statistics"),
        Some("neutral")
    );
    assert_eq!(
        direction("create table book_archive like book"),
        Some("expand")
    );
    assert_eq!(
        direction("rename view titles to book_titles"),
        Some("breaking")
    );
    assert_eq!(direction("create collation german_ci"), Some("expand"));
    assert_eq!(
        direction("change owner of table author"),
        Some("needs-review")
    );
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "needs-review-operation" && f.message.contains("owner")));
    assert!(!report
        .findings
        .iter()
        .any(|f| f.rule == "unsupported-statement"));
}

#[test]
fn postgres_programs() {
    // A trigger dropped and recreated as it was, triggers disabled around a data change and
    // enabled again, a function restated with its body re-indented: nothing. A dropped
    // function and a revoked privilege contract; a new trigger and a permissive policy
    // expand.
    let report = scenario("postgres-programs", Verdict::Mixed);
    let found = directions_of(&report);
    let direction = |prefix: &str| {
        found
            .iter()
            .find(|(d, _)| d.starts_with(prefix))
            .map(|(_, dir)| *dir)
    };
    assert_eq!(
        direction("drop trigger post_aggregates_post"),
        Some("neutral")
    );
    assert_eq!(
        direction("create trigger post_aggregates_post"),
        Some("neutral")
    );
    assert_eq!(direction("disable every trigger on post"), Some("neutral"));
    assert_eq!(direction("enable every trigger on post"), Some("neutral"));
    assert_eq!(
        direction("create or replace function hot_rank"),
        Some("neutral")
    );
    assert_eq!(
        direction("drop function old_report(integer)"),
        Some("contract")
    );
    // A trigger function does nothing until a trigger uses it.
    assert_eq!(direction("create function touch_post()"), Some("neutral"));
    assert_eq!(direction("create trigger touch_post"), Some("expand"));
    assert_eq!(
        direction("create permissive policy post_public"),
        Some("expand")
    );
    assert_eq!(direction("comment on column post.score"), Some("neutral"));
    assert_eq!(direction("revoke insert on table post"), Some("contract"));
    assert!(
        !found.iter().any(|(_, d)| *d == "needs-review"),
        "{found:?}"
    );
}

#[test]
fn mysql_programs() {
    let report = scenario("mysql-programs", Verdict::Mixed);
    assert_eq!(
        directions_of(&report),
        [
            ("drop trigger rules_history_insert".to_string(), "neutral"),
            (
                "create trigger rules_history_insert on rules".to_string(),
                "neutral"
            ),
            ("drop procedure bump".to_string(), "contract"),
            (
                "create function priority_band(int) returns int".to_string(),
                "expand"
            ),
        ]
    );
}

#[test]
fn sqlite_triggers() {
    // The replaced trigger is shown for review with the lines that changed.
    let report = scenario("sqlite-triggers", Verdict::NeedsReview);
    let rules = rules_of(&report);
    assert_eq!(rules, [("needs-review-operation", "error")]);
    let finding = &report.findings[0];
    assert!(
        finding.message.contains("datetime('now', 'utc')"),
        "{}",
        finding.message
    );
}

/// One scenario per migration layout: added, modified, deleted and renamed files, the
/// unusual names, and the files each layout ignores.
mod layouts {
    use super::*;

    fn ledger(report: &Report) -> (Vec<&str>, Vec<&str>, Vec<&str>) {
        (
            report.migrations.iter().map(|m| m.path.as_str()).collect(),
            report.ignored.iter().map(|f| f.path.as_str()).collect(),
            report
                .unrecognised
                .iter()
                .map(|f| f.path.as_str())
                .collect(),
        )
    }

    #[test]
    fn flyway_orders_by_numeric_parts_and_reads_repeatables() {
        // The view's new definition needs review; the rest is mixed.
        let report = scenario("layout-flyway", Verdict::NeedsReview);
        let (migrations, ignored, unrecognised) = ledger(&report);
        // 1.9 before 1.10; repeatables after every versioned migration, by description; a
        // changed repeatable runs again.
        assert_eq!(
            migrations,
            [
                "db/migration/V1_9__rules_name_idx.sql",
                "db/migration/V1_10__rules_alias.sql",
                "db/migration/R__cleanup.sql",
                "db/migration/R__rule_names.sql",
            ]
        );
        assert_eq!(
            ignored,
            ["db/migration/README.md", "db/migration/U1_1__channels.sql"]
        );
        assert!(unrecognised.is_empty());
        assert!(
            !report
                .findings
                .iter()
                .any(|f| f.rule == "missing-down-migration"),
            "undo scripts are optional"
        );
    }

    #[test]
    fn prisma_reads_migration_folders_in_the_lock_files_dialect() {
        let report = scenario("layout-prisma", Verdict::Destructive);
        assert_eq!(report.migrations[0].format.name(), "prisma");
        assert_eq!(report.migrations[0].dialect.name(), "postgres");
    }

    #[test]
    fn prisma_knows_a_migration_by_its_folder() {
        // Prisma records the folder name of every applied migration: a renamed folder is a
        // migration it has not run, which it runs again on production (as Umami's 1.33
        // renamed its init migrations).
        let report = scenario("prisma-renamed-folder", Verdict::None);
        assert_eq!(
            rules_of(&report),
            [("renamed-released-migration", "warning")]
        );
    }

    #[test]
    fn dbmate_reads_only_the_up_section() {
        let report = scenario("layout-dbmate", Verdict::Additive);
        assert_eq!(report.migrations[0].operations.len(), 1);
        assert_eq!(report.migrations[0].operations[0].line, 2);
    }

    #[test]
    fn goose_reads_only_the_up_section_and_not_go_files() {
        let report = scenario("layout-goose", Verdict::NeedsReview);
        let (migrations, _, unrecognised) = ledger(&report);
        assert_eq!(migrations, ["migrations/00002_drop_legacy_flag.sql"]);
        assert_eq!(report.migrations[0].operations.len(), 1);
        assert_eq!(
            report.migrations[0].operations[0].line, 5,
            "real line numbers"
        );
        assert_eq!(unrecognised, ["migrations/00003_seed.go"]);
    }

    #[test]
    fn sqitch_deploys_in_plan_order_and_ignores_revert_and_verify() {
        let report = scenario("layout-sqitch", Verdict::Additive);
        let (migrations, ignored, unrecognised) = ledger(&report);
        assert_eq!(migrations, ["db/deploy/flips.sql"]);
        assert_eq!(
            ignored,
            [
                "db/revert/flips.sql",
                "db/sqitch.plan",
                "db/verify/flips.sql"
            ]
        );
        assert!(unrecognised.is_empty());
    }

    #[test]
    fn sqitch_rework_is_a_new_change_and_keeps_the_released_one() {
        // `sqitch rework users` after the tag `beta`: the released entry's script is copied
        // to deploy/users@beta.sql and deploy/users.sql becomes a new entry at the end of
        // the plan, which this release deploys. Neither is an edited, renamed or
        // out-of-order released migration.
        let report = scenario("layout-sqitch-rework", Verdict::Additive);
        use balrog_schema_lint::model::migration::FileStatus;
        let summary: Vec<(&str, FileStatus, Option<&str>)> = report
            .migrations
            .iter()
            .map(|m| (m.path.as_str(), m.status, m.old_path.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "db/deploy/users@beta.sql",
                    FileStatus::R,
                    Some("db/deploy/users.sql")
                ),
                ("db/deploy/flips.sql", FileStatus::A, None),
                ("db/deploy/users.sql", FileStatus::A, None),
            ]
        );
        assert_eq!(
            report.migrations[2].operations[1].description,
            "add column users.email TEXT"
        );
        // Only the design note on flips.id BIGSERIAL: the rework itself is no finding.
        assert_eq!(rules_of(&report), [("serial-instead-of-identity", "info")]);
    }

    #[test]
    fn synapse_runs_plain_and_dialect_deltas_in_version_order() {
        let report = scenario("layout-synapse", Verdict::NeedsReview);
        let (migrations, ignored, unrecognised) = ledger(&report);
        assert_eq!(
            migrations,
            [
                "synapse/storage/schema/main/delta/100/05shadow_banned.sql",
                "synapse/storage/schema/main/delta/100/06users_idx.sql.postgres",
                "synapse/storage/schema/main/delta/100/07backfill.py",
            ]
        );
        assert_eq!(
            ignored,
            [
                "synapse/storage/schema/main/delta/100/06users_idx.sql.sqlite",
                "synapse/storage/schema/main/full_schemas/72/full.sql.postgres",
            ]
        );
        assert_eq!(
            unrecognised,
            ["synapse/storage/schema/main/delta/100/08notes.txt"]
        );
        assert_eq!(
            report.migrations[2].operations[0].description,
            "update users (every row)"
        );
    }

    #[test]
    fn synapse_interleaves_databases_and_replays_from_the_full_schema() {
        // Synapse applies version folder 80 of every database (common, main, state) together,
        // in file name order. Production's schema is the newest full schema (72) plus the
        // deltas above it: the delta in folder 54 (folded into full schema 72) does not
        // replay, so admin_level is new, and users.admin is known to be a SMALLINT.
        let report = scenario("synapse-databases", Verdict::Additive);
        let (migrations, _, unrecognised) = ledger(&report);
        assert_eq!(
            migrations,
            [
                "synapse/storage/schema/main/delta/80/01rooms.sql",
                "synapse/storage/schema/state/delta/80/02state_groups_room.sql",
                "synapse/storage/schema/main/delta/80/03users_admin.sql",
            ]
        );
        assert!(unrecognised.is_empty());
        let admin = &report.migrations[2].operations;
        assert_eq!(admin[0].direction.name(), "expand", "{admin:?}");
        assert_eq!(admin[1].direction.name(), "expand", "{admin:?}");
        assert!(!report.findings.iter().any(|f| f.severity.name() == "error"));
    }

    #[test]
    fn per_database_trees_read_only_the_dialects_own() {
        // One folder per database, as OpenFGA keeps its goose migrations: the PostgreSQL
        // tree is the upgrade; the MySQL change and the new SQL Server tree are other
        // databases' (read as PostgreSQL, MODIFY COLUMN would misread, and the new tree
        // would pass for a baseline).
        let report = scenario("per-database-trees", Verdict::Additive);
        let (migrations, ignored, unrecognised) = ledger(&report);
        assert_eq!(
            migrations,
            ["assets/migrations/postgres/002_add_user_lookup_index.sql"]
        );
        assert_eq!(
            ignored,
            [
                "assets/migrations/mssql/001_initialize_schema.sql",
                "assets/migrations/mysql/002_extend_object_id.sql",
            ]
        );
        assert!(unrecognised.is_empty());
        assert_eq!(
            report.ignored[0].reason,
            "in the mssql tree; the dialect is postgres"
        );
    }

    #[test]
    fn diesel_compares_versions_as_strings() {
        let report = scenario("layout-diesel", Verdict::Additive);
        let (migrations, ignored, _) = ledger(&report);
        assert_eq!(
            migrations,
            [
                "migrations/2024-02-01-000000_rules_alias/up.sql",
                "migrations/202402020000000000_rules_idx/up.sql",
            ]
        );
        assert_eq!(
            ignored,
            [
                "migrations/2024-02-01-000000_rules_alias/down.sql",
                "migrations/2024-02-01-000000_rules_alias/metadata.toml",
            ]
        );
    }

    #[test]
    fn rails_migrations_are_never_safe() {
        let report = scenario("layout-rails", Verdict::NeedsReview);
        assert_eq!(
            rules_of(&report),
            [("unrecognised-migration-file", "error")]
        );
    }

    #[test]
    fn hash_named_alembic_revisions_follow_their_chain() {
        let report = scenario("layout-alembic-hash", Verdict::NeedsReview);
        let (migrations, _, unrecognised) = ledger(&report);
        assert_eq!(
            migrations,
            [
                "app/migrations/c0ffee000002_rules_alias.py",
                "app/migrations/2024_02_01_1200-f00dfeed0001_rules_priority.py",
            ]
        );
        assert_eq!(unrecognised, ["app/migrations/helpers.py"]);
        assert!(report
            .findings
            .iter()
            .any(|f| f.rule == "add-column-not-null-without-default"));
    }

    #[test]
    fn numbered_names_with_any_separator_and_case() {
        let report = scenario("layout-numbered-names", Verdict::NeedsReview);
        let (migrations, ignored, unrecognised) = ledger(&report);
        assert_eq!(
            migrations,
            [
                "migrations/0005_rules_alias.SQL",
                "migrations/0006 drop legacy flag.sql",
                "migrations/0007-rules-name-idx.sql",
            ]
        );
        assert_eq!(ignored, ["migrations/README.md"]);
        assert_eq!(unrecognised, ["migrations/schema.sql"]);
    }
}

/// Each finding as (rule, line), in report order.
fn rule_lines(report: &Report) -> Vec<(&str, u32)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.line.unwrap_or(0)))
        .collect()
}

#[test]
fn postgres_schema_design_findings_on_the_risky_table_only() {
    let report = scenario("postgres-schema-design", Verdict::Additive);
    let risky = "migrations/0002_release_events.sql";
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.path.as_deref() == Some(risky)),
        "the table written as the rules suggest is quiet: {:?}",
        rules_of(&report)
    );
    assert_eq!(
        rule_lines(&report),
        [
            ("char-column", 4),
            ("int-key-overflow", 4),
            ("serial-instead-of-identity", 4),
            ("timestamp-without-time-zone", 4),
            ("varchar-instead-of-text", 4),
            ("int-key-overflow", 10),
            ("identifier-too-long", 15),
            ("domain-check-constraint", 16),
        ]
    );
}

#[test]
fn postgres_constraint_steps_safe_patterns_are_quiet() {
    let report = scenario("postgres-constraint-steps", Verdict::Mixed);
    // The two-step NOT VALID pattern is read (not unsupported), and USING INDEX over a
    // unique index changes nothing old code can see.
    let take_over: Vec<&str> = report.migrations[2]
        .operations
        .iter()
        .map(|o| o.direction.name())
        .collect();
    assert_eq!(
        take_over,
        ["neutral", "neutral", "neutral", "expand", "contract"]
    );
    let safe = [
        "migrations/0002_foreign_key_not_valid.sql",
        "migrations/0004_validate_and_take_over.sql",
    ];
    let in_safe: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.path.as_deref().is_some_and(|p| safe.contains(&p)))
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(in_safe, ["mixed-release"], "only the release shape");
    let risky: Vec<(&str, u32)> = rule_lines(&report)
        .into_iter()
        .filter(|(rule, _)| *rule != "mixed-release")
        .collect();
    assert_eq!(
        risky,
        [
            ("add-unique-constraint", 2),
            ("add-check-constraint", 2),
            ("validate-in-same-transaction", 3),
            ("add-domain-constraint", 4),
            ("enum-value-order", 5),
            ("add-serial-primary-key", 6),
            ("serial-instead-of-identity", 6),
            ("enum-value-in-transaction", 2),
        ]
    );
}

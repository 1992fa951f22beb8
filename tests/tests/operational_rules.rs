//! Database facts the operational rules state, asked of the real servers: PostgreSQL rejects
//! an `UPDATE` that assigns a column twice and `column-assigned-twice` reports exactly those,
//! while MariaDB and SQLite accept it and the rule stays quiet; PostgreSQL refuses every
//! `CONCURRENTLY` form (index build, drop, rebuild, partition detach) inside a transaction
//! block and `concurrent-index-in-transaction` reports each. (The maintenance statements of
//! the other operational rules run on PostgreSQL through the oracle's fixture
//! `postgres-operational`.)

use balrog_schema_lint::{check, CheckRequest, Dialect};
use balrog_schema_lint_tests::build_repo_from_files;
use balrog_schema_lint_tests::databases::{server, Engine};

const TABLE: &str = "CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, priority INT, product VARCHAR(15), channel VARCHAR(75));";

/// UPDATE statements, some assigning a column twice (directly, through a table prefix or a
/// column list).
const UPDATES: [&str; 5] = [
    "UPDATE rules SET priority = 100, priority = 90 WHERE rule_id = 1;",
    "UPDATE rules SET priority = 90, product = 'Firefox' WHERE rule_id = 1;",
    "UPDATE rules SET priority = 1, product = 'a', PRIORITY = 2;",
    "UPDATE rules SET (priority, channel) = (1, 'release'), channel = 'beta';",
    "UPDATE rules SET (priority, channel) = (1, 'release');",
];

fn tool_reports(dialect: Dialect, update: &str) -> bool {
    let dir = tempfile::tempdir().expect("temp dir");
    let init = vec![(
        "migrations/0001_init.sql".to_string(),
        format!("{TABLE}\n").into_bytes(),
    )];
    let mut second = init.clone();
    second.push((
        "migrations/0002_update.sql".to_string(),
        format!("{update}\n").into_bytes(),
    ));
    build_repo_from_files(dir.path(), &[("v1.0", init), ("v1.1", second)]).expect("repo");
    let report = check(&CheckRequest {
        repo: dir.path().to_path_buf(),
        from: Some("v1.0".into()),
        to: Some("v1.1".into()),
        dialect: Some(dialect),
        ..CheckRequest::default()
    })
    .expect("check");
    report
        .findings
        .iter()
        .any(|f| f.rule == "column-assigned-twice")
}

/// Whether `engine` rejects `update` on a fresh `rules` table; `None` when the database
/// tests are skipped.
fn database_rejects(engine: Engine, update: &str) -> Option<bool> {
    let server = server(engine)?;
    let db = server.scratch("assigned_twice").expect("scratch database");
    db.execute(TABLE).expect("create table");
    Some(db.execute(update).is_err())
}

#[test]
fn column_assigned_twice_is_reported_exactly_when_postgresql_rejects_it() {
    let mut rejected = 0;
    for update in UPDATES {
        let Some(rejects) = database_rejects(Engine::Postgres, update) else {
            eprintln!("database tests skipped");
            return;
        };
        rejected += usize::from(rejects);
        assert_eq!(
            tool_reports(Dialect::Postgres, update),
            rejects,
            "PostgreSQL {} {update}",
            if rejects { "rejects" } else { "accepts" }
        );
    }
    assert_eq!(rejected, 3, "the cases cover both answers");
}

#[test]
fn mariadb_and_sqlite_accept_a_column_assigned_twice_and_the_rule_stays_quiet() {
    // Row-constructor assignments are PostgreSQL syntax: only the plain forms are asked.
    for (engine, dialect) in [
        (Engine::Mariadb, Dialect::Mysql),
        (Engine::Sqlite, Dialect::Sqlite),
    ] {
        for update in [UPDATES[0], UPDATES[2]] {
            let Some(rejects) = database_rejects(engine, update) else {
                eprintln!("database tests skipped");
                return;
            };
            assert!(!rejects, "{} accepts {update}", engine.name());
            assert!(!tool_reports(dialect, update), "{update}");
        }
    }
}

/// Statements PostgreSQL refuses inside a transaction block, on a partitioned table with an
/// index; each runs in `BEGIN ... COMMIT` and `concurrent-index-in-transaction` must report
/// it there.
const NOT_IN_A_TRANSACTION: [&str; 4] = [
    "CREATE INDEX CONCURRENTLY events_2019_created ON events_2019 (created);",
    "DROP INDEX CONCURRENTLY events_2019_id;",
    "REINDEX INDEX CONCURRENTLY events_2019_id;",
    "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;",
];

const PARTITIONED: &str = "CREATE TABLE events (event_id INT NOT NULL, created DATE NOT NULL) PARTITION BY RANGE (created);\n\
    CREATE TABLE events_2019 PARTITION OF events FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');\n\
    CREATE INDEX events_2019_id ON events_2019 (event_id);\n";

#[test]
fn concurrently_in_a_transaction_is_reported_where_postgresql_refuses_it() {
    for statement in NOT_IN_A_TRANSACTION {
        let block = format!("BEGIN;\n{statement}\nCOMMIT;\n");
        let Some(server) = server(Engine::Postgres) else {
            eprintln!("database tests skipped");
            return;
        };
        let db = server.scratch("concurrently").expect("scratch database");
        db.execute(PARTITIONED).expect("create tables");
        let error = db.execute(&block).expect_err(statement);
        assert!(
            error.contains("cannot run inside a transaction block"),
            "{statement}: {error}"
        );
        // Alone, outside a block, the database takes it.
        db.execute(statement).expect(statement);

        let dir = tempfile::tempdir().expect("temp dir");
        let init = vec![(
            "migrations/0001_init.sql".to_string(),
            PARTITIONED.as_bytes().to_vec(),
        )];
        let mut second = init.clone();
        second.push(("migrations/0002_block.sql".to_string(), block.into_bytes()));
        build_repo_from_files(dir.path(), &[("v1.0", init), ("v1.1", second)]).expect("repo");
        let report = check(&CheckRequest {
            repo: dir.path().to_path_buf(),
            from: Some("v1.0".into()),
            to: Some("v1.1".into()),
            dialect: Some(Dialect::Postgres),
            ..CheckRequest::default()
        })
        .expect("check");
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.rule == "concurrent-index-in-transaction" && f.line == Some(2)),
            "{statement}"
        );
    }
}

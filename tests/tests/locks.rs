//! The lock table asked of real servers. PostgreSQL 15: each statement runs inside a
//! transaction on a table with rows; `pg_locks` gives the mode it holds on the table,
//! `pg_relation_filenode` before and after tells a rewrite, `pg_stat_get_xact_numscans`
//! tells a scan. MariaDB 10.11: each statement is run with the `ALGORITHM=` and `LOCK=` the
//! tool names, which the server refuses when it cannot make the change that way, and with
//! the next cheaper algorithm, which it must refuse (so the answer is not too pessimistic).
//! The tool reads each statement through its SQL reader and the replayed schema, as `check`
//! does.

use balrog_schema_lint::{check, CheckRequest, Dialect, Lock, LockMode, TableWork};
use balrog_schema_lint_tests::build_repo_from_files;
use balrog_schema_lint_tests::databases::{server, Engine};

const PG_SETUP: &str = "CREATE TABLE p (id INT PRIMARY KEY);
CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(20), c TEXT, d NUMERIC(10,2), ts TIMESTAMP, n INT NOT NULL DEFAULT 0, pid INT, ch CHAR(5));
";

/// Statements whose lock the tool must state as PostgreSQL 15 takes it.
const PG_CASES: [&str; 30] = [
    "ALTER TABLE t ADD COLUMN x INT",
    "ALTER TABLE t ADD COLUMN x INT DEFAULT 5",
    "ALTER TABLE t ADD COLUMN x TIMESTAMPTZ DEFAULT now()",
    "ALTER TABLE t ADD COLUMN x FLOAT DEFAULT random()",
    "ALTER TABLE t ADD COLUMN x BIGSERIAL",
    "ALTER TABLE t ADD COLUMN x INT GENERATED ALWAYS AS (a + 1) STORED",
    "ALTER TABLE t ADD COLUMN x INT GENERATED ALWAYS AS IDENTITY",
    "ALTER TABLE t ALTER COLUMN a TYPE BIGINT",
    "ALTER TABLE t ALTER COLUMN a TYPE TEXT",
    "ALTER TABLE t ALTER COLUMN b TYPE VARCHAR(40)",
    "ALTER TABLE t ALTER COLUMN b TYPE VARCHAR(10)",
    "ALTER TABLE t ALTER COLUMN b TYPE TEXT",
    "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(50)",
    "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR",
    "ALTER TABLE t ALTER COLUMN d TYPE NUMERIC(12,2)",
    "ALTER TABLE t ALTER COLUMN d TYPE NUMERIC(12,3)",
    "ALTER TABLE t ALTER COLUMN d TYPE NUMERIC",
    "ALTER TABLE t ALTER COLUMN ts TYPE TIMESTAMPTZ",
    "ALTER TABLE t ALTER COLUMN ch TYPE TEXT",
    "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
    "ALTER TABLE t ALTER COLUMN n DROP NOT NULL",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1",
    "ALTER TABLE t DROP COLUMN a",
    "ALTER TABLE t RENAME COLUMN a TO a2",
    "CREATE INDEX t_a_idx ON t (a)",
    "ALTER TABLE t ADD CONSTRAINT t_ck CHECK (a > 0)",
    "ALTER TABLE t ADD CONSTRAINT t_ck CHECK (a > 0) NOT VALID",
    "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (pid) REFERENCES p (id)",
    "ALTER TABLE t ADD CONSTRAINT t_u UNIQUE (a)",
    "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
];

fn pg_mode(name: &str) -> Option<LockMode> {
    Some(match name {
        "AccessExclusiveLock" => LockMode::AccessExclusive,
        "ShareLock" => LockMode::Share,
        "ShareRowExclusiveLock" => LockMode::ShareRowExclusive,
        "ShareUpdateExclusiveLock" => LockMode::ShareUpdateExclusive,
        "RowExclusiveLock" => LockMode::RowExclusive,
        _ => return None,
    })
}

/// Strongest first, as PostgreSQL's conflict table orders them.
const PG_ORDER: [LockMode; 5] = [
    LockMode::AccessExclusive,
    LockMode::ShareRowExclusive,
    LockMode::Share,
    LockMode::ShareUpdateExclusive,
    LockMode::RowExclusive,
];

/// The locks of `statements` as the tool states them, each alone on the schema `setup`
/// leaves: release `v1.<i>` adds statement `i` to `v1.0`, and `v1.0..v1.<i>` is checked.
fn tool_locks(
    dialect: Dialect,
    target: &str,
    setup: &str,
    statements: &[&str],
) -> Vec<Option<Lock>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = format!("dialect = \"{}\"\n[target]\n{target}\n", dialect.name());
    let base = vec![
        ("balrog-schema-lint.toml".to_string(), config.into_bytes()),
        (
            "migrations/0001_init.sql".to_string(),
            setup.as_bytes().to_vec(),
        ),
    ];
    let mut releases = vec![("v1.0".to_string(), base.clone())];
    for (i, statement) in statements.iter().enumerate() {
        let mut files = base.clone();
        files.push((
            "migrations/0002_case.sql".to_string(),
            format!("{statement};\n").into_bytes(),
        ));
        releases.push((format!("v1.{}", i + 1), files));
    }
    let releases: Vec<(&str, balrog_schema_lint_tests::Files)> = releases
        .iter()
        .map(|(tag, files)| (tag.as_str(), files.clone()))
        .collect();
    build_repo_from_files(dir.path(), &releases).expect("repo");
    (1..=statements.len())
        .map(|i| {
            let report = check(&CheckRequest {
                repo: dir.path().to_path_buf(),
                from: Some("v1.0".into()),
                to: Some(format!("v1.{i}")),
                ..CheckRequest::default()
            })
            .expect("check");
            report
                .migrations
                .iter()
                .flat_map(|m| m.operations.first())
                .find_map(|o| o.lock.clone())
        })
        .collect()
}

#[test]
fn postgres_locks_rewrites_and_scans_match_the_server() {
    let Some(server) = server(Engine::Postgres) else {
        return; // skipped on purpose outside CI (the helper said so on stderr)
    };
    let locks = tool_locks(Dialect::Postgres, "postgres = \"15\"", PG_SETUP, &PG_CASES);
    assert_eq!(locks.len(), PG_CASES.len());
    let mut failures = Vec::new();
    let mut rewrites = 0;
    for (statement, lock) in PG_CASES.iter().zip(&locks) {
        let db = server.scratch("locks").expect("scratch database");
        db.execute(&format!(
            "{PG_SETUP}INSERT INTO p VALUES (1); INSERT INTO t (id, a, b, c, d, pid, ch) VALUES (1, 1, 'x', 'y', 1.5, 1, 'z');"
        ))
        .expect("setup");
        // Not UTC, so that timestamp to timestamptz rewrites, as the tool assumes.
        let queries = [
            "SET TIME ZONE 'America/New_York'",
            "SELECT pg_relation_filenode('t')",
            "BEGIN",
            statement,
            "SELECT mode FROM pg_locks WHERE relation = 't'::regclass AND pid = pg_backend_pid()",
            "SELECT pg_stat_get_xact_numscans('t'::regclass)",
            "SELECT pg_relation_filenode('t')",
            "COMMIT",
        ];
        let rows = db
            .query_all(&queries)
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
        let value =
            |i: usize| -> Vec<String> { rows[i].iter().filter_map(|r| r[0].clone()).collect() };
        let modes: Vec<LockMode> = value(4).iter().filter_map(|m| pg_mode(m)).collect();
        let strongest = PG_ORDER.iter().copied().find(|m| modes.contains(m));
        let rewritten = value(1) != value(6);
        let scanned = value(5).first().is_some_and(|n| n != "0");
        let server_work = if rewritten {
            TableWork::Rewrite
        } else if scanned {
            TableWork::Scan
        } else {
            TableWork::None
        };
        rewrites += usize::from(rewritten);
        let Some(lock) = lock else {
            failures.push(format!("{statement}: the tool states no lock"));
            continue;
        };
        if Some(lock.mode) != strongest || lock.table != server_work {
            failures.push(format!(
                "{statement}: tool {} / {}, server {strongest:?} / {}",
                lock.mode.name(),
                lock.table.name(),
                server_work.name()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Both answers occur, so the comparison can fail either way.
    assert!(
        rewrites > 3 && rewrites < PG_CASES.len(),
        "{rewrites} rewrites"
    );
}

const MARIADB_SETUP: &str = "CREATE TABLE p (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, b VARCHAR(20), n INT NOT NULL DEFAULT 0, e ENUM('x','y'), pid INT, KEY t_b (b), CONSTRAINT t_chk CHECK (a > -5)) ENGINE=InnoDB;
CREATE TABLE q (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, x INT) ENGINE=InnoDB;
";

/// Statements whose algorithm and lock the tool must state as MariaDB 10.11 allows them.
const MARIADB_CASES: [&str; 23] = [
    "ALTER TABLE t ADD COLUMN c INT",
    "ALTER TABLE t ADD COLUMN c INT FIRST",
    "ALTER TABLE t ADD COLUMN c INT NOT NULL DEFAULT 3",
    "ALTER TABLE t ADD COLUMN c CHAR(36) DEFAULT (uuid())",
    "ALTER TABLE t ADD COLUMN c INT AS (a + 1) STORED",
    "ALTER TABLE t ADD COLUMN c INT AS (a + 1) VIRTUAL",
    "ALTER TABLE t DROP COLUMN a",
    "ALTER TABLE t RENAME COLUMN a TO a2",
    "ALTER TABLE t MODIFY a BIGINT",
    "ALTER TABLE t MODIFY a INT NOT NULL",
    "ALTER TABLE t MODIFY a INT AFTER n",
    "ALTER TABLE t MODIFY b VARCHAR(40)",
    "ALTER TABLE t MODIFY b VARCHAR(10)",
    "ALTER TABLE t MODIFY e ENUM('x','y','z')",
    "ALTER TABLE t MODIFY e ENUM('y','x')",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT 5",
    "ALTER TABLE t ALTER COLUMN n DROP DEFAULT",
    "CREATE INDEX t_a ON t (a)",
    "ALTER TABLE t DROP INDEX t_b",
    "ALTER TABLE t ADD CONSTRAINT t_c2 CHECK (a < 100)",
    "ALTER TABLE t DROP CONSTRAINT t_chk",
    "ALTER TABLE t RENAME TO t2",
    "ALTER TABLE q MODIFY id INT NOT NULL",
];

/// The next cheaper way to ask for the change, which the server must refuse.
fn cheaper(algorithm: &str, lock: &str) -> Option<String> {
    match (algorithm, lock) {
        ("INSTANT", _) => None,
        ("NOCOPY", _) => Some("ALGORITHM=INSTANT".into()),
        ("INPLACE", "NONE") => Some("ALGORITHM=NOCOPY".into()),
        ("INPLACE", _) => Some("ALGORITHM=INPLACE, LOCK=NONE".into()),
        ("COPY", _) => Some("ALGORITHM=INPLACE".into()),
        _ => None,
    }
}

/// `ALTER TABLE t ...` as a statement with clauses appended; `CREATE INDEX` takes them
/// after the column list.
fn with_clause(statement: &str, clause: &str) -> String {
    if statement.starts_with("CREATE INDEX") {
        format!("{statement} {}", clause.replace(", ", " "))
    } else {
        format!("{statement}, {clause}")
    }
}

#[test]
fn mariadb_algorithms_and_locks_match_the_server() {
    let Some(server) = server(Engine::Mariadb) else {
        return; // skipped on purpose outside CI (the helper said so on stderr)
    };
    let locks = tool_locks(
        Dialect::Mysql,
        "mariadb = \"10.11\"",
        MARIADB_SETUP,
        &MARIADB_CASES,
    );
    let mut failures = Vec::new();
    let mut instant = 0;
    for (statement, lock) in MARIADB_CASES.iter().zip(&locks) {
        let Some(lock) = lock else {
            failures.push(format!("{statement}: the tool states no lock"));
            continue;
        };
        let Some(algorithm) = lock.algorithm else {
            failures.push(format!("{statement}: the tool states no algorithm"));
            continue;
        };
        instant += usize::from(algorithm.name() == "INSTANT");
        let run = |clause: &str| -> Result<(), String> {
            let db = server.scratch("online").expect("scratch database");
            db.execute(&format!("{MARIADB_SETUP}INSERT INTO p VALUES (1); INSERT INTO t (id, a, b) VALUES (1, 1, 'x'), (2, 2, 'y');"))
                .expect("setup");
            db.execute(&format!("{};", with_clause(statement, clause)))
        };
        let stated = format!("ALGORITHM={}, LOCK={}", algorithm.name(), lock.mode.name());
        if let Err(err) = run(&stated) {
            failures.push(format!("{statement}: the server refuses {stated}: {err}"));
        }
        if let Some(cheaper) = cheaper(algorithm.name(), lock.mode.name()) {
            if run(&cheaper).is_ok() {
                failures.push(format!(
                    "{statement}: the tool says {stated}, but the server accepts {cheaper}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        instant > 3 && instant < MARIADB_CASES.len(),
        "{instant} instant"
    );
}

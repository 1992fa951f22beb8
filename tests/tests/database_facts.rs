//! The database behaviours the schema-design and transaction rules rest on, asked of the
//! real PostgreSQL and MariaDB, each next to what the rule reports for the same SQL.

use balrog_schema_lint::lint::examples::check_migration;
use balrog_schema_lint::read::sql::lower_sql;
use balrog_schema_lint::{Config, Dialect};
use balrog_schema_lint_tests::databases::{server, Database, Engine};

/// The findings of `rule` on one migration of `sql` (production schema from its
/// `-- production:` lines), with their severities.
fn findings(rule: &str, dialect: Dialect, sql: &str) -> Vec<(u32, &'static str)> {
    check_migration("m/0002_x.sql", sql, dialect, &Config::default(), lower_sql)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| (f.line.unwrap_or(0), f.severity.name()))
        .collect()
}

/// Runs one statement a line and returns each statement's error.
fn run(db: &Database, sql: &str) -> Vec<Option<String>> {
    let statements: Vec<String> = sql
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
        .map(str::to_string)
        .collect();
    db.execute_each(&statements).expect("statements run")
}

fn postgres() -> Option<Database> {
    server(Engine::Postgres).map(|s| s.scratch("facts").expect("scratch database"))
}

#[test]
fn postgres_truncates_long_names_to_63_bytes_and_they_collide() {
    let Some(db) = postgres() else { return };
    let stem = "r".repeat(70);
    let sql =
        format!("CREATE TABLE {stem}_one (id BIGINT);\nCREATE TABLE {stem}_two (id BIGINT);\n");
    let errors = run(&db, &sql);
    assert_eq!(errors[0], None, "the first is created, truncated");
    assert!(
        errors[1]
            .as_deref()
            .is_some_and(|e| e.contains("already exists")),
        "{errors:?}"
    );
    let rows = db
        .query("SELECT relname FROM pg_class WHERE relname LIKE 'rrrr%'")
        .expect("query");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0].as_deref().map(str::len), Some(63));
    assert_eq!(
        findings("identifier-too-long", Dialect::Postgres, &sql),
        [(1, "warning"), (2, "error")]
    );
}

#[test]
fn mariadb_rejects_names_over_64_characters() {
    let Some(db) = server(Engine::Mariadb).map(|s| s.scratch("facts").expect("scratch")) else {
        return;
    };
    let sql = format!(
        "CREATE TABLE {} (id BIGINT);\nCREATE TABLE {} (id BIGINT);\n",
        "m".repeat(64),
        "n".repeat(65)
    );
    let errors = run(&db, &sql);
    assert_eq!(errors[0], None, "64 characters are allowed");
    assert!(errors[1].is_some(), "65 are not: {errors:?}");
    assert_eq!(
        findings("identifier-too-long", Dialect::Mysql, &sql),
        [(2, "error")]
    );
}

#[test]
fn a_new_enum_value_cannot_be_used_before_the_commit() {
    let Some(db) = postgres() else { return };
    run(&db, "CREATE TYPE state AS ENUM ('draft', 'shipped');\nCREATE TABLE r (id BIGINT PRIMARY KEY, s state);\nINSERT INTO r VALUES (1, 'draft');");
    // A runner runs a migration file in one transaction: BEGIN and COMMIT stand for it.
    let used = "ALTER TYPE state ADD VALUE 'signed';\nUPDATE r SET s = 'signed' WHERE id = 1;\n";
    let errors = run(&db, &format!("BEGIN;\n{used}COMMIT;"));
    assert!(
        errors[2]
            .as_deref()
            .is_some_and(|e| e.contains("unsafe use of new value")),
        "{errors:?}"
    );
    let production = "-- production: CREATE TYPE state AS ENUM ('draft', 'shipped');\n-- production: CREATE TABLE r (id BIGINT PRIMARY KEY, s state);\n";
    assert_eq!(
        findings(
            "enum-value-in-transaction",
            Dialect::Postgres,
            &format!("{production}{used}")
        ),
        [(3, "error")]
    );
    // Committed first, the value can be used.
    let later =
        "ALTER TYPE state ADD VALUE 'pulled';\nCOMMIT;\nUPDATE r SET s = 'pulled' WHERE id = 1;\n";
    let errors = run(&db, &format!("BEGIN;\n{later}"));
    assert!(errors.iter().all(Option::is_none), "{errors:?}");
    assert!(findings(
        "enum-value-in-transaction",
        Dialect::Postgres,
        &format!("{production}{later}")
    )
    .is_empty());
    // Written with its own BEGIN, the block is reported: PostgreSQL 11 and earlier refuse it.
    assert_eq!(
        findings(
            "enum-value-in-transaction",
            Dialect::Postgres,
            &format!("{production}BEGIN;\n{later}")
        ),
        [(4, "warning")]
    );
}

#[test]
fn an_enum_value_added_before_another_sorts_among_them() {
    let Some(db) = postgres() else { return };
    let errors = run(
        &db,
        "CREATE TYPE state AS ENUM ('draft', 'shipped');\nALTER TYPE state ADD VALUE 'signed' BEFORE 'shipped';",
    );
    assert!(errors.iter().all(Option::is_none), "{errors:?}");
    let rows = db
        .query("SELECT v::text FROM unnest(enum_range(NULL::state)) AS v")
        .expect("query");
    let order: Vec<Option<&str>> = rows.iter().map(|r| r[0].as_deref()).collect();
    assert_eq!(order, [Some("draft"), Some("signed"), Some("shipped")]);
    let sql = "-- production: CREATE TYPE state AS ENUM ('draft', 'shipped');\nALTER TYPE state ADD VALUE 'signed' BEFORE 'shipped';\nALTER TYPE state ADD VALUE 'pulled';\n";
    assert_eq!(
        findings("enum-value-order", Dialect::Postgres, sql),
        [(2, "info")]
    );
}

#[test]
fn a_domain_constraint_checks_every_column_that_uses_the_domain() {
    let Some(db) = postgres() else { return };
    run(&db, "CREATE DOMAIN priority AS INTEGER;\nCREATE TABLE r (id BIGINT PRIMARY KEY, p priority);\nINSERT INTO r VALUES (1, -5);");
    let errors = run(
        &db,
        "ALTER DOMAIN priority ADD CONSTRAINT positive CHECK (VALUE > 0);\nALTER DOMAIN priority ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;",
    );
    assert!(
        errors[0].as_deref().is_some_and(|e| e.contains("violate")),
        "the existing row is checked: {errors:?}"
    );
    assert_eq!(errors[1], None, "NOT VALID skips the existing rows");
    let production = "-- production: CREATE DOMAIN priority AS INTEGER;\n";
    let add = "ALTER DOMAIN priority ADD CONSTRAINT positive CHECK (VALUE > 0);\n";
    assert_eq!(
        findings(
            "add-domain-constraint",
            Dialect::Postgres,
            &format!("{production}{add}")
        ),
        [(2, "warning")]
    );
    let not_valid = add.replace(");", ") NOT VALID;");
    assert!(findings(
        "add-domain-constraint",
        Dialect::Postgres,
        &format!("{production}{not_valid}")
    )
    .is_empty());
}

#[test]
fn validate_in_the_adding_transaction_runs_under_the_lock_of_the_add() {
    let Some(db) = postgres() else { return };
    run(&db, "CREATE TABLE r (id BIGINT PRIMARY KEY, n INT);");
    let locks = "SELECT mode FROM pg_locks WHERE relation = 'r'::regclass AND pid = pg_backend_pid() AND mode = 'AccessExclusiveLock';";
    let rows = db
        .query(&format!(
            "BEGIN;\nALTER TABLE r ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;\nALTER TABLE r VALIDATE CONSTRAINT n_pos;\n{locks}\nCOMMIT;"
        ))
        .expect("query");
    assert_eq!(
        rows,
        [[Some("AccessExclusiveLock".to_string())]],
        "the add's lock is still held when VALIDATE scans"
    );
    let sql = "-- production: CREATE TABLE r (id BIGINT PRIMARY KEY, n INT);\nALTER TABLE r ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;\nALTER TABLE r VALIDATE CONSTRAINT n_pos;\n";
    assert_eq!(
        findings("validate-in-same-transaction", Dialect::Postgres, sql),
        [(3, "warning")]
    );
}

#[test]
fn a_constraint_over_a_unique_index_takes_the_index_over() {
    let Some(db) = postgres() else { return };
    let sql = "CREATE TABLE r (id BIGINT NOT NULL, alias TEXT);\nCREATE UNIQUE INDEX r_alias_idx ON r (alias);\nCREATE UNIQUE INDEX r_id_idx ON r (id);\nALTER TABLE r ADD CONSTRAINT r_alias_key UNIQUE USING INDEX r_alias_idx;\nALTER TABLE r ADD PRIMARY KEY USING INDEX r_id_idx;";
    let errors = run(&db, sql);
    assert!(errors.iter().all(Option::is_none), "{errors:?}");
    let rows = db
        .query("SELECT c.conname, i.relname FROM pg_constraint c JOIN pg_class i ON i.oid = c.conindid WHERE c.conrelid = 'r'::regclass ORDER BY 1")
        .expect("query");
    let pairs: Vec<(Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|r| (r[0].as_deref(), r[1].as_deref()))
        .collect();
    // The index is renamed to the constraint; an unnamed primary key keeps the index name.
    assert_eq!(
        pairs,
        [
            (Some("r_alias_key"), Some("r_alias_key")),
            (Some("r_id_idx"), Some("r_id_idx"))
        ]
    );
    let migration = "-- production: CREATE TABLE r (id BIGINT NOT NULL, alias TEXT);\n-- production: CREATE UNIQUE INDEX r_alias_idx ON r (alias);\n-- production: CREATE UNIQUE INDEX r_id_idx ON r (id);\nALTER TABLE r ADD CONSTRAINT r_alias_key UNIQUE USING INDEX r_alias_idx;\nALTER TABLE r ADD PRIMARY KEY USING INDEX r_id_idx;\n";
    assert!(findings("add-unique-constraint", Dialect::Postgres, migration).is_empty());
}

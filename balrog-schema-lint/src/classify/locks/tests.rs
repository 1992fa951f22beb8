//! The lock table per database and release, as the manuals state it. What a running server
//! can answer (PostgreSQL 15, MariaDB 10.11) is asked of it in tests/tests/locks.rs; the
//! releases no server here runs are checked as data, each with the manual section.

use super::lock;
use crate::model::lock::{Algorithm, Lock, LockMode, MysqlServer, TableWork, Target, Version};
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, Dialect, OpKind, Operation, SqlType};

fn op(kind: OpKind, source: &str) -> Operation {
    Operation {
        line: 1,
        kind,
        source: source.into(),
    }
}

fn column(name: &str, ty: &str) -> ColumnDef {
    ColumnDef::new(name, Some(SqlType::named(ty)))
}

fn add(column: ColumnDef, source: &str) -> Operation {
    op(
        OpKind::AddColumn {
            table: "t".into(),
            column,
        },
        source,
    )
}

fn with_default(mut c: ColumnDef, default: &str) -> ColumnDef {
    c.default = Some(default.into());
    c
}

fn postgres(major: u32) -> Target {
    Target {
        postgres: Version::major(major),
        ..Target::default()
    }
}

fn mysql(kind: MysqlServer, version: &str) -> Target {
    Target {
        mysql_server: kind,
        mysql: version.parse().expect("version"),
        ..Target::default()
    }
}

fn pg_answer(operation: &Operation, before: Option<&ColumnDef>, major: u32) -> (LockMode, TableWork) {
    let lock = lock(operation, before, Dialect::Postgres, &postgres(major)).expect("a lock");
    (lock.mode, lock.table)
}

fn my_answer(operation: &Operation, before: Option<&ColumnDef>, target: Target) -> (Algorithm, LockMode, TableWork) {
    let lock: Lock = lock(operation, before, Dialect::Mysql, &target).expect("a lock");
    (lock.algorithm.expect("an algorithm"), lock.mode, lock.table)
}

/// PostgreSQL `ALTER TABLE`, Notes: "Adding a column with a volatile DEFAULT or changing the
/// type of an existing column will require the entire table and its indexes to be
/// rewritten" (11 and later); before 11 any non-NULL default did (10 manual, same section).
#[test]
fn postgres_add_column_defaults_by_release() {
    let int = || column("x", "INT");
    let plain = add(int(), "");
    let constant = add(with_default(int(), "0"), "");
    let stable = add(with_default(column("x", "TIMESTAMPTZ"), "now()"), "");
    let volatile = add(with_default(column("x", "UUID"), "gen_random_uuid()"), "");
    let unknown = add(with_default(int(), "my_function()"), "");
    use LockMode::AccessExclusive as AE;
    for (operation, v10, v11) in [
        (&plain, TableWork::None, TableWork::None),
        (&constant, TableWork::Rewrite, TableWork::None),
        (&stable, TableWork::Rewrite, TableWork::None),
        (&volatile, TableWork::Rewrite, TableWork::Rewrite),
        (&unknown, TableWork::Rewrite, TableWork::Rewrite),
    ] {
        assert_eq!(pg_answer(operation, None, 10), (AE, v10), "{:?}", operation.kind);
        assert_eq!(pg_answer(operation, None, 11), (AE, v11), "{:?}", operation.kind);
        assert_eq!(pg_answer(operation, None, 17), (AE, v11), "{:?}", operation.kind);
    }
}

/// PostgreSQL 18 added virtual generated columns (the default kind from 18): no rewrite.
/// `CREATE TABLE`, "GENERATED ALWAYS AS ( generation_expr ) [ STORED | VIRTUAL ]".
#[test]
fn postgres_generated_and_serial_columns() {
    let mut generated = column("g", "INT");
    generated.generated = true;
    let stored = add(generated.clone(), "ALTER TABLE t ADD g INT GENERATED ALWAYS AS (a + 1) STORED");
    let virtual_column = add(generated, "ALTER TABLE t ADD g INT GENERATED ALWAYS AS (a + 1)");
    assert_eq!(pg_answer(&stored, None, 17).1, TableWork::Rewrite);
    assert_eq!(pg_answer(&stored, None, 18).1, TableWork::Rewrite);
    assert_eq!(pg_answer(&virtual_column, None, 18).1, TableWork::None);
    let mut serial = column("s", "BIGSERIAL");
    serial.auto_increment = true;
    assert_eq!(pg_answer(&add(serial, ""), None, 16).1, TableWork::Rewrite);
}

/// `ALTER TABLE`, Notes (binary coercibility) and `ALTER INDEX` (`RENAME` takes SHARE UPDATE
/// EXCLUSIVE from 12), `ATTACH PARTITION` (SHARE UPDATE EXCLUSIVE on the parent from 12),
/// `DETACH PARTITION CONCURRENTLY` (14).
#[test]
fn postgres_release_dependent_locks() {
    let rename = op(
        OpKind::RenameIndex {
            name: "a".into(),
            new_name: "b".into(),
            table: None,
        },
        "",
    );
    assert_eq!(pg_answer(&rename, None, 11).0, LockMode::AccessExclusive);
    assert_eq!(pg_answer(&rename, None, 12).0, LockMode::ShareUpdateExclusive);
    let attach = op(
        OpKind::AttachPartition {
            table: "p".into(),
            partition: "c".into(),
            bound: String::new(),
        },
        "",
    );
    assert_eq!(pg_answer(&attach, None, 11).0, LockMode::AccessExclusive);
    assert_eq!(pg_answer(&attach, None, 12).0, LockMode::ShareUpdateExclusive);
    let detach = op(
        OpKind::DetachPartition {
            table: "p".into(),
            partition: "c".into(),
            concurrently: true,
        },
        "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
    );
    assert_eq!(pg_answer(&detach, None, 13).0, LockMode::AccessExclusive);
    assert_eq!(pg_answer(&detach, None, 14).0, LockMode::ShareUpdateExclusive);
}

#[test]
fn postgres_volatility_of_defaults() {
    use super::postgres::volatile_call;
    for (default, volatile) in [
        ("now()", None),
        ("CURRENT_TIMESTAMP", None),
        ("'{}'::jsonb", None),
        ("(now() AT TIME ZONE 'utc')", None),
        ("timezone('utc', now())", None),
        ("CAST('x' AS varchar(10))", None),
        ("'random()'", None),
        ("random()", Some("random")),
        ("nextval('t_id_seq'::regclass)", Some("nextval")),
        ("public.my_function()", Some("my_function")),
        ("uuid_generate_v4 ()", Some("uuid_generate_v4")),
    ] {
        assert_eq!(volatile_call(default).as_deref(), volatile, "{default}");
    }
}

#[test]
fn postgres_binary_coercible_type_changes() {
    use super::postgres::binary_coercible;
    let t = |name: &str, params: &[u64]| SqlType::with_params(name, params);
    for (old, new, coercible) in [
        (t("VARCHAR", &[10]), t("VARCHAR", &[20]), true),
        (t("VARCHAR", &[20]), t("VARCHAR", &[10]), false),
        (t("VARCHAR", &[20]), t("VARCHAR", &[]), true),
        (t("CHARACTER VARYING", &[20]), t("TEXT", &[]), true),
        (t("TEXT", &[]), t("VARCHAR", &[]), true),
        (t("TEXT", &[]), t("VARCHAR", &[50]), false),
        (t("NUMERIC", &[10, 2]), t("NUMERIC", &[12, 2]), true),
        (t("NUMERIC", &[10, 2]), t("NUMERIC", &[12, 3]), false),
        (t("DECIMAL", &[10, 2]), t("NUMERIC", &[]), true),
        (t("INT", &[]), t("BIGINT", &[]), false),
        (t("INT", &[]), t("TEXT", &[]), false),
        (t("INT", &[]), t("INTEGER", &[]), true),
        (t("CHAR", &[5]), t("TEXT", &[]), false),
        (t("CIDR", &[]), t("INET", &[]), true),
    ] {
        assert_eq!(binary_coercible(&old, &new), coercible, "{old} -> {new}");
    }
}

/// MySQL 8.0 Reference Manual, 17.12.1 "Online DDL Operations", Column Operations:
/// `ADD COLUMN` is INSTANT from 8.0.12 as the last column and anywhere from 8.0.29; `DROP
/// COLUMN` INSTANT from 8.0.29; `RENAME COLUMN` INSTANT from 8.0.28; before, in place
/// (add and drop rebuild the table). MySQL 5.7 manual, 14.13.1: in place, rebuild.
#[test]
fn mysql_column_operations_by_release() {
    use Algorithm::{Inplace, Instant};
    use LockMode::NoLock;
    let last = add(column("x", "INT"), "ALTER TABLE t ADD COLUMN x INT");
    let first = add(column("x", "INT"), "ALTER TABLE t ADD COLUMN x INT FIRST");
    let drop = op(
        OpKind::DropColumn {
            table: "t".into(),
            column: "x".into(),
        },
        "",
    );
    let rename = op(
        OpKind::RenameColumn {
            table: "t".into(),
            column: "x".into(),
            new_name: "y".into(),
        },
        "",
    );
    let my = |v: &str| mysql(MysqlServer::Mysql, v);
    let rebuild = (Inplace, NoLock, TableWork::Rewrite);
    let instant = (Instant, NoLock, TableWork::None);
    for (version, last_add, first_add, dropped, renamed) in [
        ("5.7", rebuild, rebuild, rebuild, (Inplace, NoLock, TableWork::None)),
        ("8.0", rebuild, rebuild, rebuild, (Inplace, NoLock, TableWork::None)),
        ("8.0.12", instant, rebuild, rebuild, (Inplace, NoLock, TableWork::None)),
        ("8.0.28", instant, rebuild, rebuild, instant),
        ("8.0.29", instant, instant, instant, instant),
        ("8.4", instant, instant, instant, instant),
    ] {
        assert_eq!(my_answer(&last, None, my(version)), last_add, "{version} add");
        assert_eq!(my_answer(&first, None, my(version)), first_add, "{version} add first");
        assert_eq!(my_answer(&drop, None, my(version)), dropped, "{version} drop");
        assert_eq!(my_answer(&rename, None, my(version)), renamed, "{version} rename");
    }
}

/// MariaDB, "InnoDB Online DDL Operations with the INSTANT Alter Algorithm": `ADD COLUMN`
/// instant as the last column from 10.3.2, anywhere from 10.4; `DROP COLUMN` and reordering
/// instant from 10.4. 10.11 is also asked of the real server (tests/tests/locks.rs).
#[test]
fn mariadb_column_operations_by_release() {
    let ma = |v: &str| mysql(MysqlServer::Mariadb, v);
    let first = add(column("x", "INT"), "ALTER TABLE t ADD COLUMN x INT AFTER id");
    let last = add(column("x", "INT"), "ALTER TABLE t ADD COLUMN x INT");
    let drop = op(
        OpKind::DropColumn {
            table: "t".into(),
            column: "x".into(),
        },
        "",
    );
    assert_eq!(my_answer(&last, None, ma("10.2")).0, Algorithm::Inplace);
    assert_eq!(my_answer(&last, None, ma("10.3.2")).0, Algorithm::Instant);
    assert_eq!(my_answer(&first, None, ma("10.3.2")).0, Algorithm::Inplace);
    assert_eq!(my_answer(&first, None, ma("10.4")).0, Algorithm::Instant);
    assert_eq!(my_answer(&drop, None, ma("10.3")).0, Algorithm::Inplace);
    assert_eq!(my_answer(&drop, None, ma("10.4")).0, Algorithm::Instant);
}

/// MySQL 8.0, 17.12.1: "Changing the column data type: In Place No" (COPY, concurrent DML
/// not permitted); "Extending VARCHAR column size: In Place Yes, Rebuilds No"; "Adding a
/// foreign key constraint: INPLACE only when foreign_key_checks is disabled"; "Dropping a
/// primary key: only ALGORITHM=COPY".
#[test]
fn mysql_copies() {
    let my = mysql(MysqlServer::Mysql, "8.0.36");
    let before = column("c", "INT");
    let retype = op(
        OpKind::AlterColumnType {
            table: "t".into(),
            column: "c".into(),
            new_type: SqlType::named("BIGINT"),
        },
        "",
    );
    assert_eq!(my_answer(&retype, Some(&before), my), (Algorithm::Copy, LockMode::Shared, TableWork::Rewrite));
    let mut short = column("c", "VARCHAR");
    short.ty = Some(SqlType::with_params("VARCHAR", &[10]));
    let widen = op(
        OpKind::RedefineColumn {
            table: "t".into(),
            column: "c".into(),
            definition: ColumnDef::new("c", Some(SqlType::with_params("VARCHAR", &[20]))),
            reorders: false,
        },
        "",
    );
    assert_eq!(my_answer(&widen, Some(&short), my), (Algorithm::Inplace, LockMode::NoLock, TableWork::None));
    let fk = op(
        OpKind::AddConstraint {
            table: "t".into(),
            constraint: Constraint {
                name: None,
                kind: ConstraintKind::foreign_key("p"),
                columns: vec!["p_id".into()],
                not_valid: false,
            },
        },
        "",
    );
    assert_eq!(my_answer(&fk, None, my).0, Algorithm::Copy);
    let drop_pk = op(
        OpKind::DropConstraint {
            table: "t".into(),
            name: "PRIMARY".into(),
        },
        "ALTER TABLE t DROP PRIMARY KEY",
    );
    assert_eq!(my_answer(&drop_pk, None, my).0, Algorithm::Copy);
    // Unknown old type: it may copy.
    assert_eq!(my_answer(&retype, None, my).0, Algorithm::Copy);
    // Dropping AUTO_INCREMENT: MySQL refuses it in place (error 1787, "Auto-increment column
    // cannot be changed inplace"); MariaDB changes the metadata only.
    let mut serial = column("id", "INT");
    serial.auto_increment = true;
    serial.nullable = false;
    let mut plain = column("id", "INT");
    plain.nullable = false;
    let drop_increment = op(
        OpKind::RedefineColumn {
            table: "t".into(),
            column: "id".into(),
            definition: plain,
            reorders: false,
        },
        "",
    );
    assert_eq!(my_answer(&drop_increment, Some(&serial), my).0, Algorithm::Copy);
    let maria = mysql(MysqlServer::Mariadb, "10.11");
    assert_eq!(my_answer(&drop_increment, Some(&serial), maria).0, Algorithm::Instant);
}

/// SQLite "ALTER TABLE": RENAME COLUMN from 3.25.0, DROP COLUMN from 3.35.0 (it rewrites the
/// table); ADD COLUMN refuses PRIMARY KEY / UNIQUE, NOT NULL without a default, and
/// non-constant defaults; everything else is the twelve-step rebuild.
#[test]
fn sqlite_alter_table_forms_by_release() {
    use super::sqlite::rebuild_reason;
    let v = |s: &str| s.parse::<Version>().expect("version");
    let rename = op(
        OpKind::RenameColumn {
            table: "t".into(),
            column: "a".into(),
            new_name: "b".into(),
        },
        "",
    );
    let drop = op(
        OpKind::DropColumn {
            table: "t".into(),
            column: "a".into(),
        },
        "",
    );
    assert!(rebuild_reason(&rename, v("3.24")).is_some());
    assert!(rebuild_reason(&rename, v("3.25")).is_none());
    assert!(rebuild_reason(&drop, v("3.34")).is_some());
    assert!(rebuild_reason(&drop, v("3.35")).is_none());
    let sqlite_lock = |o: &Operation| lock(o, None, Dialect::Sqlite, &Target::default()).expect("lock");
    assert_eq!(sqlite_lock(&drop).table, TableWork::Rewrite);
    assert_eq!(sqlite_lock(&rename).table, TableWork::None);
    let mut not_null = column("x", "INT");
    not_null.nullable = false;
    assert!(rebuild_reason(&add(not_null.clone(), ""), v("3.40")).is_some());
    assert!(rebuild_reason(&add(with_default(not_null, "0"), ""), v("3.40")).is_none());
    let clock = with_default(column("x", "TEXT"), "CURRENT_TIMESTAMP");
    assert!(rebuild_reason(&add(clock, ""), v("3.40")).is_some());
    let set_not_null = op(
        OpKind::SetNotNull {
            table: "t".into(),
            column: "a".into(),
        },
        "",
    );
    assert!(rebuild_reason(&set_not_null, v("3.45")).is_some());
}

/// The labels the text report shows.
#[test]
fn labels() {
    let plain = add(column("x", "INT"), "");
    let label = |o: &Operation, d: Dialect, t: Target| lock(o, None, d, &t).map(|l| l.label());
    assert_eq!(label(&plain, Dialect::Postgres, postgres(16)).as_deref(), Some("ACCESS EXCLUSIVE"));
    assert_eq!(
        label(&plain, Dialect::Mysql, mysql(MysqlServer::Mysql, "8.0")).as_deref(),
        Some("INPLACE, LOCK=NONE, rewrite")
    );
    assert_eq!(
        label(&plain, Dialect::Mysql, mysql(MysqlServer::Mariadb, "10.11")).as_deref(),
        Some("INSTANT, LOCK=NONE")
    );
    assert_eq!(label(&plain, Dialect::Generic, Target::default()), None);
    let begin = op(OpKind::NoEffect { what: "BEGIN".into() }, "BEGIN");
    assert_eq!(label(&begin, Dialect::Postgres, postgres(16)), None);
}

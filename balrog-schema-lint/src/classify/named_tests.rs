//! Directions of named objects, owners, schemas, settings and `ALTER CONSTRAINT`, from SQL
//! as migrations and the manuals write it.

use super::*;
use crate::model::ops::Dialect;
use crate::read::sql::lower_sql;

fn history(sql: &str, dialect: Dialect) -> Catalog {
    let mut catalog = Catalog::new(dialect);
    for op in lower_sql(sql, dialect) {
        catalog.apply(&op);
    }
    catalog
}

fn judged(before: &Catalog, sql: &str, dialect: Dialect) -> Vec<(String, Direction)> {
    let ops = lower_sql(sql, dialect);
    judge_range(before, &ops)
        .judgements
        .iter()
        .zip(&ops)
        .map(|(j, op)| (op.kind.describe(), j.direction))
        .collect()
}

const BASE: &str = "CREATE TABLE parent (id INT PRIMARY KEY);
    CREATE TABLE child (id INT PRIMARY KEY, parent_id INT CONSTRAINT child_parent_fkey REFERENCES parent);
    CREATE TABLE late (id INT, parent_id INT REFERENCES parent DEFERRABLE INITIALLY DEFERRED);
    CREATE SEQUENCE numbers;
    CREATE VIEW v AS SELECT id FROM parent;";

#[test]
fn each_postgres_change_by_what_old_and_new_code_can_do() {
    use Direction::*;
    let before = history(BASE, Dialect::Postgres);
    let cases: [(&str, Direction); 22] = [
        ("ALTER TABLE child ALTER CONSTRAINT child_parent_fkey DEFERRABLE INITIALLY DEFERRED;", Expand),
        ("ALTER TABLE late ALTER CONSTRAINT late_parent_id_fkey NOT DEFERRABLE;", Contract),
        ("ALTER TABLE late ALTER CONSTRAINT late_parent_id_fkey INITIALLY DEFERRED;", Neutral),
        ("ALTER TABLE child OWNER TO app;", NeedsReview),
        ("ALTER TABLE child SET SCHEMA archive;", Breaking),
        ("ALTER TABLE child SET (fillfactor = 70), CLUSTER ON child_pkey;", Neutral),
        ("ALTER TABLE child ALTER COLUMN id SET STATISTICS 200;", Neutral),
        ("ALTER TABLE child SET UNLOGGED;", NeedsReview),
        ("ALTER SEQUENCE numbers RESTART WITH 10;", Neutral),
        ("ALTER SEQUENCE numbers AS smallint;", NeedsReview),
        ("ALTER SEQUENCE numbers RENAME TO ids;", Breaking),
        ("ALTER VIEW v RENAME TO w;", Breaking),
        ("CREATE ROLE reader;", Expand),
        ("DROP ROLE app;", Contract),
        ("ALTER ROLE app SET statement_timeout = '5s';", NeedsReview),
        ("CREATE TABLESPACE fast LOCATION '/x';", Neutral),
        ("DROP PUBLICATION feed;", Neutral),
        ("DROP COLLATION german;", Contract),
        ("CREATE RULE no_delete AS ON DELETE TO child DO INSTEAD NOTHING;", NeedsReview),
        ("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM app;", Contract),
        ("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app;", Expand),
        ("SECURITY LABEL ON TABLE child IS 'secret';", NeedsReview),
    ];
    for (sql, expected) in cases {
        let got = judged(&before, sql, Dialect::Postgres);
        assert!(
            got.iter().all(|(_, d)| *d == expected),
            "{sql}: {got:?}, expected {expected:?}"
        );
    }
}

#[test]
fn mysql_changes() {
    use Direction::*;
    let before = history(
        "CREATE TABLE t (id INT PRIMARY KEY, note TEXT, KEY t_note (note(10)));",
        Dialect::Mysql,
    );
    let cases: [(&str, Direction); 5] = [
        ("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4;", Breaking),
        ("ALTER TABLE t DROP KEY t_note;", Neutral),
        ("CREATE FULLTEXT INDEX t_ft ON t (note);", Expand),
        ("DROP USER IF EXISTS 'app'@'%';", Contract),
        ("CREATE EVENT purge ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;", Expand),
    ];
    for (sql, expected) in cases {
        let got = judged(&before, sql, Dialect::Mysql);
        assert!(
            got.iter().all(|(_, d)| *d == expected),
            "{sql}: {got:?}, expected {expected:?}"
        );
    }
}

#[test]
fn objects_created_in_the_release_are_neutral_to_change_and_drop() {
    let before = history(BASE, Dialect::Postgres);
    let got = judged(
        &before,
        "CREATE ROLE reader; ALTER ROLE reader SET work_mem = '64MB'; DROP ROLE reader;",
        Dialect::Postgres,
    );
    assert_eq!(
        got.iter().map(|(_, d)| *d).collect::<Vec<_>>(),
        [Direction::Expand, Direction::Neutral, Direction::Neutral]
    );
}

#[test]
fn alter_constraint_replays_when_the_key_is_checked() {
    let mut catalog = history(BASE, Dialect::Postgres);
    for op in lower_sql(
        "ALTER TABLE child ALTER COLUMN parent_id SET NOT NULL, ALTER CONSTRAINT child_parent_fkey INITIALLY DEFERRED;
         ALTER TABLE late ALTER CONSTRAINT late_parent_id_fkey NOT DEFERRABLE;",
        Dialect::Postgres,
    ) {
        catalog.apply(&op);
    }
    use crate::model::foreign_key::Deferrable;
    assert_eq!(
        catalog.foreign_key_timing("child", "child_parent_fkey"),
        Some(Deferrable::InitiallyDeferred)
    );
    assert_eq!(
        catalog.foreign_key_timing("late", "late_parent_id_fkey"),
        Some(Deferrable::NotDeferrable)
    );
    assert!(catalog
        .column("child", "parent_id")
        .is_some_and(|c| !c.nullable));
}

#[test]
fn renames_and_copies_replay() {
    let mut catalog = history(BASE, Dialect::Postgres);
    for op in lower_sql(
        "ALTER SEQUENCE numbers RENAME TO ids;
         ALTER VIEW v RENAME TO w;
         CREATE TABLE kid_copy (LIKE child INCLUDING ALL);
         CREATE TABLE bare_copy (LIKE child);",
        Dialect::Postgres,
    ) {
        catalog.apply(&op);
    }
    assert!(catalog.sequence("ids").is_some() && catalog.sequence("numbers").is_none());
    assert!(catalog.view("w").is_some() && catalog.view("v").is_none());
    let copy = catalog.table("kid_copy").expect("copied");
    assert_eq!(copy.columns().count(), 2);
    assert!(copy.primary_key().is_some());
    // A plain LIKE copies columns and NOT NULL only.
    let bare = catalog.table("bare_copy").expect("copied");
    assert!(bare.primary_key().is_none());
    assert!(bare.column("id").is_some_and(|c| !c.nullable));
}

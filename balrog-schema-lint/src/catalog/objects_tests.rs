//! Replay of structural objects, from SQL as migrations write it.

use super::*;
use crate::read::sql::lower_sql;

fn replay(sql: &str) -> (Catalog, Vec<Applied>) {
    let mut catalog = Catalog::new(Dialect::Postgres);
    let applied = lower_sql(sql, Dialect::Postgres)
        .iter()
        .map(|op| catalog.apply(op))
        .collect();
    (catalog, applied)
}

fn conflicts(applied: &[Applied]) -> Vec<&Applied> {
    applied
        .iter()
        .filter(|a| matches!(a, Applied::Conflict(_) | Applied::Unknown))
        .collect()
}

#[test]
fn enum_values_keep_their_order_and_renamed_types_follow_into_columns() {
    let (catalog, applied) = replay(
        "CREATE TYPE mood AS ENUM ('sad', 'ok');
         ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
         ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';
         ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';
         ALTER TYPE mood RENAME VALUE 'sad' TO 'low';
         CREATE TABLE people (m mood DEFAULT 'ok');
         ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
         ALTER TYPE mood RENAME TO feeling;",
    );
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    assert_eq!(
        catalog.named_type("feeling").map(|t| t.values.clone()),
        Some(["low", "meh", "fine", "happy"].map(String::from).to_vec())
    );
    assert!(catalog.named_type("mood").is_none());
    let ty = catalog.column("people", "m").and_then(|c| c.ty.clone());
    assert_eq!(ty.map(|t| t.name), Some("FEELING".to_string()));
    let default = catalog.column("people", "m").and_then(|c| c.default.clone());
    assert_eq!(default.as_deref(), Some("'fine'"));
}

#[test]
fn postgres_keeps_key_names_and_drops_expression_indexes_with_their_column() {
    let (catalog, applied) = replay(
        "CREATE TABLE user_ (id INT PRIMARY KEY, email TEXT, b INT, UNIQUE (email, b));
         CREATE UNIQUE INDEX user_email_lower ON user_ (lower(email));
         CREATE INDEX user_rank ON user_ (rank(b, 'b'));
         ALTER TABLE user_ RENAME COLUMN b TO c;
         ALTER TABLE user_ RENAME TO person;
         ALTER INDEX user__pkey RENAME TO person_pkey;
         ALTER TABLE person DROP CONSTRAINT user__email_b_key;
         ALTER TABLE person DROP COLUMN email;",
    );
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    let person = catalog.table("person");
    let indexes: Vec<Vec<String>> = person
        .map(|t| t.indexes().map(|i| i.columns.clone()).collect())
        .unwrap_or_default();
    assert_eq!(indexes, [vec!["rank(c, 'b')".to_string()]]);
    assert_eq!(
        person.and_then(|t| t.primary_key()).and_then(|k| k.name.clone()),
        Some("person_pkey".into())
    );
}

#[test]
fn composite_types_and_domains() {
    let (catalog, applied) = replay(
        "CREATE TYPE pair AS (a INT, b TEXT);
         ALTER TYPE pair ADD ATTRIBUTE c INT;
         ALTER TYPE pair DROP ATTRIBUTE a;
         CREATE DOMAIN pos AS INT NOT NULL CONSTRAINT pos_gt CHECK (VALUE > 0);
         ALTER DOMAIN pos ADD CONSTRAINT pos_small CHECK (VALUE < 10);
         ALTER DOMAIN pos DROP CONSTRAINT pos_gt;
         ALTER DOMAIN pos DROP NOT NULL;
         ALTER DOMAIN pos SET DEFAULT 1;",
    );
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    let names: Vec<&str> = catalog
        .composite_type("pair")
        .map(|t| t.attributes.iter().map(|a| a.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["b", "c"]);
    let pos = catalog.domain("pos").cloned();
    assert_eq!(pos.as_ref().map(|d| d.nullable), Some(true));
    assert_eq!(pos.as_ref().and_then(|d| d.default.clone()), Some("1".into()));
    assert_eq!(
        pos.map(|d| d.checks.into_iter().filter_map(|c| c.name).collect::<Vec<_>>()),
        Some(vec!["pos_small".to_string()])
    );
    let (_, applied) = replay("DROP DOMAIN nothing; ALTER TYPE nothing ADD ATTRIBUTE x INT;");
    assert_eq!(conflicts(&applied).len(), 2);
}

#[test]
fn schemas_and_extensions() {
    let (catalog, applied) = replay(
        "CREATE SCHEMA utils;
         CREATE SCHEMA IF NOT EXISTS utils;
         CREATE EXTENSION pgcrypto;
         DROP EXTENSION pgcrypto;",
    );
    assert_eq!(applied[1], Applied::NoChange);
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    assert!(catalog.has_schema("UTILS"));
    assert!(!catalog.has_extension("pgcrypto"));
    let (_, applied) = replay("CREATE SCHEMA s; CREATE SCHEMA s; DROP SCHEMA t;");
    assert_eq!(conflicts(&applied).len(), 2);
}

#[test]
fn partitions_take_their_parents_columns_keys_and_indexes() {
    let (catalog, applied) = replay(
        "CREATE TABLE m (id INT NOT NULL, at DATE NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
         CREATE INDEX m_at ON m (at);
         CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE INDEX m_id ON m (id);
         CREATE TABLE old (id INT NOT NULL, at DATE NOT NULL);
         ALTER TABLE m ATTACH PARTITION old FOR VALUES FROM ('2000-01-01') TO ('2024-01-01');
         DROP INDEX m_at;
         ALTER TABLE m DETACH PARTITION m1;",
    );
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    assert_eq!(catalog.partition_key("m"), Some("RANGE(at)"));
    assert_eq!(catalog.partition("old").map(|p| p.parent.as_str()), Some("m"));
    assert!(catalog.partition("m1").is_none());
    let columns = |t: &str| -> Vec<Vec<String>> {
        catalog
            .table(t)
            .map(|t| t.indexes().map(|i| i.columns.clone()).collect())
            .unwrap_or_default()
    };
    // Dropping the parent's index dropped the copies of both partitions attached then.
    assert_eq!(columns("m1"), [vec!["id".to_string()]]);
    assert_eq!(columns("old"), [vec!["id".to_string()]]);
    assert!(catalog.table("old").and_then(|t| t.primary_key()).is_some());
}

#[test]
fn tables_from_queries_copy_the_types_they_can_know() {
    let (catalog, applied) = replay(
        "CREATE TABLE t (id SERIAL PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'x');
         CREATE TABLE copy AS SELECT * FROM t;
         CREATE TABLE summary AS SELECT s.name, count(*) AS n, max(s.id) AS top, lower(s.name) AS low
             FROM (SELECT name, id FROM t) s GROUP BY s.name;",
    );
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    let copy = catalog.table("copy").map(|t| t.columns().cloned().collect::<Vec<_>>());
    let mut id = ColumnDef::new("id", Some(crate::model::ops::SqlType::named("INTEGER")));
    id.nullable = true;
    let name = ColumnDef::new("name", Some(crate::model::ops::SqlType::with_params("VARCHAR", &[20])));
    assert_eq!(copy, Some(vec![id, name]));
    let types: Vec<Option<String>> = catalog
        .table("summary")
        .map(|t| t.columns().map(|c| c.ty.as_ref().map(|t| t.to_string())).collect())
        .unwrap_or_default();
    assert_eq!(
        types,
        [Some("VARCHAR(20)".into()), Some("BIGINT".into()), Some("INTEGER".into()), None]
    );
}

#[test]
fn renames_validation_and_temporary_tables() {
    let (catalog, applied) = replay(
        "CREATE TABLE user_ (id INT PRIMARY KEY, email TEXT UNIQUE, n INT);
         ALTER TABLE user_ RENAME TO person;
         ALTER TABLE person RENAME CONSTRAINT user__pkey TO person_pkey;
         ALTER TABLE person RENAME CONSTRAINT user__email_key TO person_email_key;
         ALTER TABLE person ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;
         ALTER TABLE person VALIDATE CONSTRAINT n_pos;
         CREATE INDEX person_n ON person (n);
         ALTER INDEX person_n RENAME TO person_by_n;
         CREATE TEMPORARY TABLE scratch (x INT);
         INSERT INTO scratch VALUES (1);
         CREATE INDEX scratch_x ON scratch (x);
         DROP TABLE scratch;",
    );
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    let person = catalog.table("person");
    let names: Vec<Option<String>> = person
        .map(|t| t.constraints().iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        [Some("person_pkey".into()), Some("person_email_key".into()), Some("n_pos".into())]
    );
    assert!(person.is_some_and(|t| t.constraints().iter().all(|c| !c.not_valid)));
    assert!(person.is_some_and(|t| t.index("person_by_n").is_some()));
    assert!(catalog.table("scratch").is_none() && !catalog.is_temporary("scratch"));
    let (_, applied) = replay(
        "CREATE TABLE t (a INT); ALTER TABLE t RENAME CONSTRAINT nope TO x; ALTER INDEX nope RENAME TO y;",
    );
    assert_eq!(conflicts(&applied).len(), 2);
}

#[test]
fn indexes_on_materialized_views() {
    let (catalog, applied) = replay(
        "CREATE TABLE t (a INT);
         CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH NO DATA;
         CREATE UNIQUE INDEX mv_a ON mv (a);
         ALTER INDEX mv_a RENAME TO mv_by_a;",
    );
    assert!(conflicts(&applied).is_empty(), "{applied:?}");
    assert!(catalog.is_materialized_view("mv"));
    assert_eq!(catalog.view_index("mv_by_a").map(|(v, _)| v), Some("mv"));
    let mut after = catalog.clone();
    let drop = lower_sql("DROP MATERIALIZED VIEW mv;", Dialect::Postgres);
    assert_eq!(after.apply(&drop[0]), Applied::Changed);
    assert!(after.view_index("mv_by_a").is_none());
}

#[test]
fn ddl_states_every_structural_object() {
    let (catalog, _) = replay(
        "CREATE SCHEMA reporting;
         CREATE EXTENSION pg_trgm;
         CREATE TYPE pair AS (a INT, b TEXT);
         CREATE DOMAIN pos AS INT NOT NULL CONSTRAINT pos_gt CHECK (VALUE > 0);
         CREATE TABLE m (a INT) PARTITION BY RANGE (a);
         CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (1) TO (10);
         CREATE MATERIALIZED VIEW mv AS SELECT a FROM m WITH NO DATA;
         CREATE UNIQUE INDEX mv_a ON mv (a);",
    );
    let ddl = catalog.to_ddl(Dialect::Postgres);
    for line in [
        "CREATE SCHEMA reporting;",
        "CREATE EXTENSION pg_trgm;",
        "CREATE TYPE pair AS (a INT, b TEXT);",
        "CREATE DOMAIN pos AS INT NOT NULL CONSTRAINT pos_gt CHECK (VALUE > 0);",
        "-- m is partitioned by RANGE(a)",
        "ALTER TABLE m ATTACH PARTITION m1 FOR VALUES FROM (1) TO (10);",
        "CREATE UNIQUE INDEX mv_a ON mv (a);",
    ] {
        assert!(ddl.lines().any(|l| l == line), "{line} not in\n{ddl}");
    }
}

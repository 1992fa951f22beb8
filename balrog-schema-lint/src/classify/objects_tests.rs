//! Directions of structural objects, from SQL as migrations write it.

use super::*;
use crate::model::ops::Dialect;
use crate::read::sql::lower_sql;

fn history(sql: &str) -> Catalog {
    let mut catalog = Catalog::new(Dialect::Postgres);
    for op in lower_sql(sql, Dialect::Postgres) {
        catalog.apply(&op);
    }
    catalog
}

fn judged(before: &Catalog, sql: &str) -> Vec<(String, Direction)> {
    let ops = lower_sql(sql, Dialect::Postgres);
    judge_range(before, &ops)
        .judgements
        .iter()
        .zip(&ops)
        .map(|(j, op)| (op.kind.describe(), j.direction))
        .collect()
}

const BASE: &str = "CREATE TABLE t (id INT PRIMARY KEY, c channel, n INT);
    CREATE TYPE channel AS ENUM ('release', 'nightly');
    CREATE TYPE pair AS (a INT);
    CREATE DOMAIN pos AS INT CHECK (VALUE > 0);
    CREATE SCHEMA s;
    CREATE EXTENSION pgcrypto;";

fn directions(sql: &str) -> Vec<Direction> {
    judged(&history(BASE), sql).into_iter().map(|(_, d)| d).collect()
}

#[test]
fn each_kind_by_what_old_and_new_code_can_do() {
    use Direction::*;
    let cases: [(&str, Direction); 15] = [
        ("ALTER TYPE channel ADD VALUE 'beta';", Expand),
        ("ALTER TYPE channel RENAME VALUE 'nightly' TO 'night';", Breaking),
        ("ALTER TYPE channel RENAME TO chan;", Breaking),
        ("ALTER TYPE pair ADD ATTRIBUTE b INT;", Expand),
        ("ALTER TYPE pair DROP ATTRIBUTE a;", Contract),
        ("ALTER DOMAIN pos ADD CONSTRAINT small CHECK (VALUE < 9);", Contract),
        ("ALTER DOMAIN pos SET NOT NULL;", Contract),
        ("ALTER DOMAIN pos DROP NOT NULL;", Expand),
        ("DROP DOMAIN pos;", Contract),
        ("DROP SCHEMA s;", Contract),
        ("DROP EXTENSION pgcrypto;", Contract),
        ("CREATE EXTENSION IF NOT EXISTS pgcrypto;", Neutral),
        ("ALTER TABLE t RENAME CONSTRAINT t_pkey TO t_key;", Neutral),
        ("ALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;", Contract),
        ("CREATE TABLE copy AS SELECT id, n FROM t;", Expand),
    ];
    for (sql, expected) in cases {
        assert_eq!(directions(sql), [expected], "{sql}");
    }
}

#[test]
fn validating_a_key_added_not_valid_is_neutral() {
    let mut catalog = history(BASE);
    for op in lower_sql(
        "ALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;",
        Dialect::Postgres,
    ) {
        catalog.apply(&op);
    }
    assert_eq!(
        judged(&catalog, "ALTER TABLE t VALIDATE CONSTRAINT n_pos;")[0].1,
        Direction::Neutral
    );
}

#[test]
fn changes_to_objects_created_in_the_range_are_part_of_that_expand() {
    use Direction::*;
    assert_eq!(
        directions(
            "CREATE TYPE size AS ENUM ('s');
             ALTER TYPE size ADD VALUE 'm';
             ALTER TYPE size RENAME VALUE 's' TO 'small';
             CREATE DOMAIN word AS TEXT;
             ALTER DOMAIN word SET NOT NULL;"
        ),
        [Expand, Neutral, Neutral, Expand, Neutral]
    );
}

#[test]
fn an_enum_replaced_without_a_value_is_a_contract() {
    let swap = judged(
        &history(BASE),
        "ALTER TYPE channel RENAME TO channel_old;
         CREATE TYPE channel AS ENUM ('release');
         ALTER TABLE t ALTER COLUMN c TYPE channel USING c::text::channel;
         DROP TYPE channel_old;",
    );
    let directions: Vec<Direction> = swap.iter().map(|(_, d)| *d).collect();
    use Direction::*;
    assert_eq!(directions, [Neutral, Neutral, Contract, Neutral], "{swap:?}");
    let widened = judged(
        &history(BASE),
        "CREATE TYPE channel2 AS ENUM ('release', 'beta', 'nightly');
         ALTER TABLE t ALTER COLUMN c TYPE channel2 USING c::text::channel2;",
    );
    assert_eq!(widened[1].1, Expand, "{widened:?}");
}

#[test]
fn unknown_query_columns_temporary_tables_and_absent_objects() {
    use Direction::*;
    assert_eq!(
        directions("CREATE TABLE odd AS SELECT lower(name) AS l FROM elsewhere;"),
        [NeedsReview]
    );
    assert_eq!(
        directions(
            "CREATE TEMPORARY TABLE scratch (x INT);
             INSERT INTO scratch VALUES (1);
             DROP TABLE scratch;"
        ),
        [Neutral, Neutral, Neutral]
    );
    assert_eq!(
        directions("DROP DOMAIN IF EXISTS nothing; DROP SCHEMA IF EXISTS nothing;"),
        [Neutral, Neutral]
    );
    assert_eq!(directions("DROP EXTENSION nothing;"), [NeedsReview]);
}

#[test]
fn objects_dropped_and_created_as_they_were_net_to_nothing() {
    use Direction::*;
    let before = history(&format!("{BASE} CREATE VIEW named AS SELECT id FROM t;"));
    let same = judged(
        &before,
        "DROP VIEW named;
         DROP DOMAIN pos;
         ALTER TABLE t ADD COLUMN note TEXT;
         CREATE DOMAIN pos AS INT CHECK (VALUE > 0);
         CREATE VIEW named AS SELECT id FROM t;",
    );
    let directions: Vec<Direction> = same.iter().map(|(_, d)| *d).collect();
    assert_eq!(directions, [Neutral, Neutral, Expand, Neutral, Neutral], "{same:?}");
    let changed = judged(
        &before,
        "DROP VIEW named; CREATE VIEW named AS SELECT id, n FROM t;",
    );
    let directions: Vec<Direction> = changed.iter().map(|(_, d)| *d).collect();
    assert_eq!(directions, [Contract, Expand], "{changed:?}");
}

//! Judging routines, triggers and permissions against a replayed schema, from real SQL.

use super::{judge_range, Context, Judgement};
use crate::catalog::Catalog;
use crate::model::ops::{Dialect, Direction};
use crate::read::sql::lower_sql;

/// Judges `range` against the schema `history` builds.
fn judge(dialect: Dialect, history: &str, range: &str) -> Vec<(String, Judgement)> {
    let mut before = Catalog::new(dialect);
    for op in lower_sql(history, dialect) {
        before.apply(&op);
    }
    let ops = lower_sql(range, dialect);
    let judged = judge_range(&before, &ops);
    ops.iter()
        .map(|o| o.kind.describe())
        .zip(judged.judgements)
        .collect()
}

fn directions(dialect: Dialect, history: &str, range: &str) -> Vec<Direction> {
    judge(dialect, history, range)
        .into_iter()
        .map(|(_, j)| j.direction)
        .collect()
}

const PG_HISTORY: &str = "
CREATE TABLE post (id INT PRIMARY KEY, score INT);
CREATE FUNCTION rank(s int) RETURNS int LANGUAGE sql AS $$ SELECT s * 2 $$;
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER post_bump BEFORE UPDATE ON post FOR EACH ROW EXECUTE FUNCTION bump();
CREATE POLICY own ON post FOR SELECT USING (score > 0);
";

#[test]
fn a_body_replaced_under_the_same_signature_needs_review_with_the_diff() {
    let judged = judge(
        Dialect::Postgres,
        PG_HISTORY,
        "CREATE OR REPLACE FUNCTION rank(s int) RETURNS int LANGUAGE sql AS $$ SELECT s * 3 $$;",
    );
    let judgement = &judged[0].1;
    assert_eq!(judgement.direction, Direction::NeedsReview);
    assert_eq!(
        judgement.differences,
        ["- SELECT s * 2", "+ SELECT s * 3"],
        "{judgement:?}"
    );
    assert!(
        judgement.reason.as_deref().is_some_and(
            |r| r.contains("the body of rank(integer) is replaced (it names no table)")
        ),
        "{judgement:?}"
    );
}

#[test]
fn a_replaced_body_says_which_tables_it_now_reads_or_writes() {
    let judged = judge(
        Dialect::Postgres,
        PG_HISTORY,
        "CREATE OR REPLACE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$\n\
         BEGIN\nINSERT INTO post_log VALUES (NEW.id);\nRETURN NEW;\nEND $$;",
    );
    let reason = judged[0].1.reason.clone().unwrap_or_default();
    assert!(
        reason.contains("(now also reads or writes post_log)")
            && reason.contains("what writes through its triggers do may change"),
        "{reason}"
    );
}

#[test]
fn a_return_type_change_is_breaking_and_a_new_overload_expands() {
    assert_eq!(
        directions(
            Dialect::Postgres,
            PG_HISTORY,
            "DROP FUNCTION rank(int);\n\
             CREATE FUNCTION rank(s int) RETURNS bigint LANGUAGE sql AS $$ SELECT s * 2 $$;\n\
             CREATE FUNCTION rank(s int, w int) RETURNS int LANGUAGE sql AS $$ SELECT s * w $$;"
        ),
        [Direction::Neutral, Direction::Breaking, Direction::Expand]
    );
}

#[test]
fn drops_contract_and_absent_drops_follow_if_exists() {
    assert_eq!(
        directions(
            Dialect::Postgres,
            PG_HISTORY,
            "DROP TRIGGER post_bump ON post;\n\
             DROP FUNCTION bump;\n\
             DROP FUNCTION IF EXISTS never_there(int);\n\
             DROP TRIGGER nothing ON post;"
        ),
        // A trigger function no trigger uses any more: code cannot call it.
        [
            Direction::Contract,
            Direction::Neutral,
            Direction::Neutral,
            Direction::NeedsReview
        ]
    );
}

#[test]
fn identical_replacements_and_toggles_net_to_nothing() {
    let judged = judge(
        Dialect::Postgres,
        PG_HISTORY,
        "DROP TRIGGER post_bump ON post;\n\
         DROP FUNCTION bump();\n\
         CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$\n  BEGIN RETURN NEW; END\n$$;\n\
         CREATE TRIGGER post_bump BEFORE UPDATE ON post FOR EACH ROW EXECUTE FUNCTION bump();\n\
         ALTER TABLE post DISABLE TRIGGER post_bump;\n\
         UPDATE post SET score = 0;\n\
         ALTER TABLE post ENABLE TRIGGER post_bump;",
    );
    for (what, judgement) in &judged {
        assert_eq!(judgement.direction, Direction::Neutral, "{what}: {judgement:?}");
    }
    assert_eq!(judged[0].1.context, Context::NetNoChange);
}

#[test]
fn a_trigger_function_is_judged_by_its_triggers() {
    assert_eq!(
        directions(
            Dialect::Postgres,
            PG_HISTORY,
            "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\n\
             DROP FUNCTION bump();"
        ),
        // New: nothing happens until a trigger uses it. Dropped while a trigger uses it:
        // PostgreSQL refuses.
        [Direction::Neutral, Direction::NeedsReview]
    );
    assert_eq!(
        directions(
            Dialect::Postgres,
            PG_HISTORY,
            "DROP FUNCTION bump() CASCADE;"
        ),
        [Direction::Contract]
    );
}

#[test]
fn a_trigger_replaced_with_another_action_needs_review() {
    let judged = judge(
        Dialect::Postgres,
        PG_HISTORY,
        "DROP TRIGGER post_bump ON post;\n\
         CREATE TRIGGER post_bump AFTER UPDATE ON post FOR EACH ROW EXECUTE FUNCTION bump();",
    );
    assert_eq!(judged[0].1.direction, Direction::Neutral);
    assert_eq!(judged[1].1.direction, Direction::NeedsReview);
    assert_eq!(
        judged[1].1.differences,
        [
            "- before update on post for each row execute function bump()",
            "+ after update on post for each row execute function bump()"
        ]
    );
}

#[test]
fn security_directions() {
    assert_eq!(
        directions(
            Dialect::Postgres,
            PG_HISTORY,
            "ALTER TABLE post ENABLE ROW LEVEL SECURITY;\n\
             CREATE POLICY mine ON post AS RESTRICTIVE FOR UPDATE USING (score < 10);\n\
             CREATE POLICY all_rows ON post FOR SELECT USING (true);\n\
             DROP POLICY own ON post;\n\
             ALTER POLICY all_rows ON post USING (score > 5);\n\
             GRANT SELECT ON post TO reader;\n\
             REVOKE UPDATE ON post FROM writer;\n\
             COMMENT ON TABLE post IS 'Posts';"
        ),
        [
            Direction::Contract,
            Direction::Contract,
            Direction::Expand,
            Direction::Contract,
            Direction::NeedsReview,
            Direction::Expand,
            Direction::Contract,
            Direction::Neutral,
        ]
    );
}

#[test]
fn objects_on_a_table_created_in_the_range_are_part_of_it() {
    assert_eq!(
        directions(
            Dialect::Postgres,
            PG_HISTORY,
            "CREATE TABLE fresh (id INT);\n\
             CREATE TRIGGER fresh_bump BEFORE UPDATE ON fresh FOR EACH ROW EXECUTE FUNCTION bump();\n\
             ALTER TABLE fresh ENABLE ROW LEVEL SECURITY;\n\
             GRANT SELECT ON fresh TO reader;\n\
             CREATE FUNCTION helper() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n\
             CREATE OR REPLACE FUNCTION helper() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;"
        ),
        [
            Direction::Expand,
            Direction::Neutral,
            Direction::Neutral,
            Direction::Neutral,
            Direction::Expand,
            Direction::Neutral,
        ]
    );
}

#[test]
fn mysql_routines_are_one_per_name() {
    let history = "CREATE TABLE rules (id INT PRIMARY KEY);\n\
                   CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC RETURN a + 1;";
    // MySQL has no overloading: dropping by name finds it, and a new definition of the
    // same name after the drop is a replacement.
    assert_eq!(
        directions(
            Dialect::Mysql,
            history,
            "DROP FUNCTION f;\nCREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC RETURN a + 2;"
        ),
        [Direction::Neutral, Direction::NeedsReview]
    );
}

#[test]
fn a_dropped_table_takes_its_triggers_along() {
    let mut catalog = Catalog::new(Dialect::Postgres);
    for op in lower_sql(PG_HISTORY, Dialect::Postgres) {
        catalog.apply(&op);
    }
    assert!(catalog.trigger(Some("post"), "post_bump").is_some());
    for op in lower_sql("ALTER TABLE post RENAME TO posts;", Dialect::Postgres) {
        catalog.apply(&op);
    }
    assert!(catalog.trigger(Some("posts"), "post_bump").is_some());
    assert!(catalog.policy("posts", "own").is_some());
    for op in lower_sql("DROP TABLE posts;", Dialect::Postgres) {
        catalog.apply(&op);
    }
    assert_eq!(catalog.triggers().count(), 0);
    assert_eq!(catalog.policies().count(), 0);
}

#[test]
fn cascade_and_renames_follow_the_function_a_trigger_executes() {
    let mut catalog = Catalog::new(Dialect::Postgres);
    let history = "CREATE TABLE post (id INT);\n\
         CREATE FUNCTION old_name() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
         CREATE TRIGGER t AFTER INSERT ON post FOR EACH ROW EXECUTE FUNCTION public.old_name();\n\
         ALTER FUNCTION old_name() RENAME TO new_name;";
    for op in lower_sql(history, Dialect::Postgres) {
        catalog.apply(&op);
    }
    let trigger = catalog.trigger(Some("post"), "t").cloned();
    assert!(trigger.as_ref().is_some_and(|t| t.calls("new_name")), "{trigger:?}");
    for op in lower_sql("DROP FUNCTION new_name() CASCADE;", Dialect::Postgres) {
        catalog.apply(&op);
    }
    assert_eq!(catalog.triggers().count(), 0);
}

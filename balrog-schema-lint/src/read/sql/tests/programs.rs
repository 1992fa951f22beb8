//! Routines, triggers, row-level security, policies, grants and comments, per dialect.

use super::{no_effect, only, read, unsupported};
use crate::model::ops::{Dialect, OpKind};

fn routine(sql: &str, dialect: Dialect) -> (String, Vec<String>, Option<String>, String) {
    match only(sql, dialect) {
        OpKind::CreateRoutine {
            name,
            args,
            returns,
            body,
            ..
        } => (name, args, returns, body),
        other => panic!("not a routine: {other:?}"),
    }
}

#[test]
fn postgres_function_signature_names_aliases_and_out_arguments() {
    let (name, args, returns, body) = routine(
        "CREATE OR REPLACE FUNCTION r.hot_rank (score numeric, published timestamptz, \
         VARIADIC tags text[], n int4 DEFAULT 1, OUT rank integer) RETURNS SETOF integer \
         LANGUAGE sql IMMUTABLE AS 'SELECT 1'",
        Dialect::Postgres,
    );
    assert_eq!(name, "r.hot_rank");
    assert_eq!(
        args,
        ["numeric", "timestamp with time zone", "text[]", "integer"]
    );
    assert_eq!(returns.as_deref(), Some("setof integer"));
    assert_eq!(body, "language sql immutable as 'SELECT 1'");
}

#[test]
fn postgres_unnamed_multiword_argument_types() {
    let (_, args, returns, _) = routine(
        "CREATE FUNCTION f(double precision, character varying(10), timestamp with time zone) \
         RETURNS TABLE (a int, b text) AS $$ SELECT 1, 'x' $$ LANGUAGE sql",
        Dialect::Postgres,
    );
    assert_eq!(
        args,
        [
            "double precision",
            "character varying(10)",
            "timestamp with time zone"
        ]
    );
    assert_eq!(returns.as_deref(), Some("table(a int,b text)"));
}

#[test]
fn postgres_procedure_sqlparser_rejects_is_read_from_tokens() {
    assert_eq!(
        only(
            "CREATE PROCEDURE p(a int) LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (a); END $$",
            Dialect::Postgres
        ),
        OpKind::CreateRoutine {
            name: "p".into(),
            procedure: true,
            args: vec!["integer".into()],
            returns: None,
            body: "language plpgsql as $$\nBEGIN INSERT INTO t VALUES (a); END\n$$".into(),
            or_replace: false,
        }
    );
    // No body: PostgreSQL rejects it, so it is not taken for a routine.
    assert_eq!(
        only("CREATE FUNCTION f() RETURNS int", Dialect::Postgres),
        unsupported("CREATE FUNCTION", None)
    );
}

#[test]
fn reindenting_a_body_or_changing_keyword_case_is_the_same_definition() {
    let a = routine(
        "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  RETURN NEW;\nEND $$ LANGUAGE plpgsql",
        Dialect::Postgres,
    );
    let b = routine(
        "create function f() returns TRIGGER as $body$\n    BEGIN\n        RETURN NEW;\n    END\n$body$ language PLPGSQL",
        Dialect::Postgres,
    );
    assert_eq!(a, b);
}

#[test]
fn mysql_functions_and_procedures() {
    assert_eq!(
        only(
            "CREATE DEFINER=`root`@`%` FUNCTION next_priority(p INT) RETURNS INT DETERMINISTIC RETURN p + 10",
            Dialect::Mysql
        ),
        OpKind::CreateRoutine {
            name: "next_priority".into(),
            procedure: false,
            args: vec!["int".into()],
            returns: Some("int".into()),
            body: "deterministic return p + 10".into(),
            or_replace: false,
        }
    );
    let sql = "DELIMITER //\n\
               CREATE PROCEDURE bump(IN r INT, OUT n INT)\n\
               BEGIN\n  UPDATE rules SET v = v + 1 WHERE id = r;\n  SELECT v INTO n FROM rules WHERE id = r;\nEND//\n\
               DELIMITER ;\n";
    match only(sql, Dialect::Mysql) {
        OpKind::CreateRoutine {
            name,
            procedure,
            args,
            ..
        } => assert_eq!((name.as_str(), procedure, args), ("bump", true, vec!["int".to_string()])),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        read(
            "DROP FUNCTION IF EXISTS next_priority;\nDROP PROCEDURE bump;\n",
            Dialect::Mysql
        ),
        vec![
            (
                1,
                OpKind::DropRoutine {
                    name: "next_priority".into(),
                    procedure: false,
                    args: None
                }
            ),
            (
                2,
                OpKind::DropRoutine {
                    name: "bump".into(),
                    procedure: true,
                    args: None
                }
            ),
        ]
    );
}

#[test]
fn drop_and_alter_routines() {
    assert_eq!(
        read(
            "DROP FUNCTION IF EXISTS f(int, text), g CASCADE;\n\
             ALTER FUNCTION f(int4) RENAME TO h;\n\
             ALTER FUNCTION g OWNER TO app;\n\
             ALTER PROCEDURE p(int) SET search_path = public;\n",
            Dialect::Postgres
        ),
        vec![
            (
                1,
                OpKind::DropRoutine {
                    name: "f".into(),
                    procedure: false,
                    args: Some(vec!["integer".into(), "text".into()])
                }
            ),
            (
                1,
                OpKind::DropRoutine {
                    name: "g".into(),
                    procedure: false,
                    args: None
                }
            ),
            (
                2,
                OpKind::AlterRoutine {
                    name: "f".into(),
                    procedure: false,
                    args: Some(vec!["integer".into()]),
                    new_name: Some("h".into()),
                    action: String::new()
                }
            ),
            (
                3,
                OpKind::AlterRoutine {
                    name: "g".into(),
                    procedure: false,
                    args: None,
                    new_name: None,
                    action: "owner to app".into()
                }
            ),
            (
                4,
                OpKind::AlterRoutine {
                    name: "p".into(),
                    procedure: true,
                    args: Some(vec!["integer".into()]),
                    new_name: None,
                    action: "set search_path = public".into()
                }
            ),
        ]
    );
}

#[test]
fn triggers_in_every_dialect() {
    let trigger = |sql: &str, dialect| match only(sql, dialect) {
        OpKind::CreateTrigger {
            name,
            table,
            or_replace,
            ..
        } => (name, table, or_replace),
        other => panic!("{other:?}"),
    };
    let pg = "CREATE OR REPLACE TRIGGER t BEFORE UPDATE OF a ON post FOR EACH ROW \
              WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION f('x')";
    assert_eq!(
        trigger(pg, Dialect::Postgres),
        ("t".into(), "post".into(), true)
    );
    let mysql = "CREATE TRIGGER t AFTER UPDATE ON post FOR EACH ROW FOLLOWS u INSERT INTO log VALUES (1)";
    assert_eq!(
        trigger(mysql, Dialect::Mysql),
        ("t".into(), "post".into(), false)
    );
    let sqlite = "CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON post FOR EACH ROW WHEN new.a > 0 \
                  BEGIN UPDATE x SET a = 1; END;";
    assert_eq!(
        trigger(sqlite, Dialect::Sqlite),
        ("t".into(), "post".into(), false)
    );
    assert_eq!(
        only(
            "CREATE TEMP TRIGGER t AFTER UPDATE ON post BEGIN DELETE FROM x; END",
            Dialect::Sqlite
        ),
        no_effect("CREATE TEMPORARY TRIGGER")
    );
    assert_eq!(
        read(
            "DROP TRIGGER IF EXISTS t ON post;\n\
             ALTER TRIGGER t ON post RENAME TO u;\n\
             ALTER TABLE post DISABLE TRIGGER ALL, ENABLE TRIGGER u;\n",
            Dialect::Postgres
        ),
        vec![
            (
                1,
                OpKind::DropTrigger {
                    name: "t".into(),
                    table: Some("post".into())
                }
            ),
            (
                2,
                OpKind::RenameTrigger {
                    name: "t".into(),
                    table: "post".into(),
                    new_name: "u".into()
                }
            ),
            (
                3,
                OpKind::SetTriggerEnabled {
                    table: "post".into(),
                    trigger: None,
                    enabled: false
                }
            ),
            (
                3,
                OpKind::SetTriggerEnabled {
                    table: "post".into(),
                    trigger: Some("u".into()),
                    enabled: true
                }
            ),
        ]
    );
}

#[test]
fn a_column_named_function_is_not_a_routine() {
    // The word after CREATE TABLE's name is not a modifier of a routine.
    assert!(matches!(
        only("CREATE TABLE t (function text, trigger text)", Dialect::Postgres),
        OpKind::CreateTable { .. }
    ));
}

#[test]
fn row_security_policies_grants_and_comments() {
    assert_eq!(
        read(
            "ALTER TABLE post ENABLE ROW LEVEL SECURITY;\n\
             ALTER TABLE post NO FORCE ROW LEVEL SECURITY;\n\
             CREATE POLICY p ON post AS RESTRICTIVE FOR SELECT TO app USING (a > 0);\n\
             ALTER POLICY p ON post RENAME TO q;\n\
             DROP POLICY IF EXISTS q ON post;\n\
             GRANT SELECT, INSERT ON post, comment TO app, PUBLIC;\n\
             REVOKE ALL ON SEQUENCE s FROM app;\n\
             COMMENT ON COLUMN post.a IS NULL;\n",
            Dialect::Postgres
        ),
        vec![
            (
                1,
                OpKind::SetRowSecurity {
                    table: "post".into(),
                    setting: "enable".into()
                }
            ),
            (
                2,
                OpKind::SetRowSecurity {
                    table: "post".into(),
                    setting: "no force".into()
                }
            ),
            (
                3,
                OpKind::CreatePolicy {
                    name: "p".into(),
                    table: "post".into(),
                    restrictive: true,
                    definition: "for select to app using (a > 0)".into()
                }
            ),
            (
                4,
                OpKind::AlterPolicy {
                    name: "p".into(),
                    table: "post".into(),
                    new_name: Some("q".into()),
                    definition: None
                }
            ),
            (
                5,
                OpKind::DropPolicy {
                    name: "q".into(),
                    table: "post".into()
                }
            ),
            (
                6,
                OpKind::Grant {
                    revoke: false,
                    privileges: vec!["SELECT".into(), "INSERT".into()],
                    object_kind: "table".into(),
                    objects: vec!["post".into(), "comment".into()],
                    grantees: vec!["app".into(), "public".into()]
                }
            ),
            (
                7,
                OpKind::Grant {
                    revoke: true,
                    privileges: vec!["ALL".into()],
                    object_kind: "sequence".into(),
                    objects: vec!["s".into()],
                    grantees: vec!["app".into()]
                }
            ),
            (
                8,
                OpKind::Comment {
                    object_kind: "column".into(),
                    object: "post.a".into(),
                    text: None
                }
            ),
        ]
    );
}

#[test]
fn role_membership_and_schema_wide_grants() {
    assert_eq!(
        read(
            "GRANT anon, authenticated TO authenticator;\n\
             REVOKE supabase_admin FROM authenticator;\n\
             GRANT ALL ON ALL ROUTINES IN SCHEMA storage TO postgres;\n",
            Dialect::Postgres
        ),
        vec![
            (
                1,
                OpKind::Grant {
                    revoke: false,
                    privileges: vec!["MEMBER".into()],
                    object_kind: "role".into(),
                    objects: vec!["anon".into(), "authenticated".into()],
                    grantees: vec!["authenticator".into()]
                }
            ),
            (
                2,
                OpKind::Grant {
                    revoke: true,
                    privileges: vec!["MEMBER".into()],
                    object_kind: "role".into(),
                    objects: vec!["supabase_admin".into()],
                    grantees: vec!["authenticator".into()]
                }
            ),
            (
                3,
                OpKind::Grant {
                    revoke: false,
                    privileges: vec!["ALL".into()],
                    object_kind: "all routines in schema".into(),
                    objects: vec!["storage".into()],
                    grantees: vec!["postgres".into()]
                }
            ),
        ]
    );
}

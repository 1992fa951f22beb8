//! Objects known by name, owners, schemas and settings, `ALTER CONSTRAINT`, MySQL's table
//! clauses the parser rejects, and `DO` blocks.

use super::*;
use crate::model::named::{ObjectChange, ObjectKind};
use crate::model::ops::{DataChangeKind, Dialect, OpKind};

fn object(kind: ObjectKind, name: &str, change: ObjectChange) -> OpKind {
    OpKind::AlterObject {
        object: kind,
        name: name.into(),
        change,
    }
}

#[test]
fn alter_constraint_among_other_actions_keeps_them() {
    assert_eq!(
        read(
            "ALTER TABLE mod_ban\n    ALTER COLUMN instance_id SET NOT NULL,\n    \
             ALTER CONSTRAINT mod_ban_instance_id_fkey NOT DEFERRABLE;\n\
             ALTER TABLE post ALTER CONSTRAINT a_fkey INITIALLY DEFERRED, \
             ALTER CONSTRAINT b_fkey DEFERRABLE INITIALLY IMMEDIATE;",
            Dialect::Postgres
        ),
        vec![
            (
                1,
                OpKind::SetNotNull {
                    table: "mod_ban".into(),
                    column: "instance_id".into()
                }
            ),
            (
                1,
                OpKind::AlterConstraint {
                    table: "mod_ban".into(),
                    name: "mod_ban_instance_id_fkey".into(),
                    deferrable: Some(false),
                    initially_deferred: None
                }
            ),
            (
                4,
                OpKind::AlterConstraint {
                    table: "post".into(),
                    name: "a_fkey".into(),
                    deferrable: None,
                    initially_deferred: Some(true)
                }
            ),
            (
                4,
                OpKind::AlterConstraint {
                    table: "post".into(),
                    name: "b_fkey".into(),
                    deferrable: Some(true),
                    initially_deferred: Some(false)
                }
            ),
        ]
    );
    // An action neither the parser nor the token reader knows keeps the statement unread.
    assert!(matches!(
        only(
            "ALTER TABLE t ALTER CONSTRAINT c NOT DEFERRABLE, FROBNICATE x;",
            Dialect::Postgres
        ),
        OpKind::Unsupported { .. } | OpKind::Unreadable { .. }
    ));
}

#[test]
fn objects_known_by_name() {
    let create = |object, name: &str, table: Option<&str>| OpKind::CreateObject {
        object,
        name: name.into(),
        table: table.map(Into::into),
    };
    let drop = |object, name: &str, table: Option<&str>| OpKind::DropObject {
        object,
        name: name.into(),
        table: table.map(Into::into),
    };
    assert_eq!(
        read(
            "CREATE ROLE app LOGIN;\n\
             DROP ROLE IF EXISTS a, b;\n\
             CREATE RULE r AS ON DELETE TO orders DO INSTEAD NOTHING;\n\
             DROP RULE r ON orders;\n\
             CREATE CAST (varchar AS state) WITH INOUT AS ASSIGNMENT;\n\
             CREATE FOREIGN DATA WRAPPER w;\n\
             CREATE TEXT SEARCH CONFIGURATION english_simple (COPY = english);\n\
             DROP EVENT TRIGGER log_ddl;\n",
            Dialect::Postgres
        ),
        vec![
            (1, create(ObjectKind::Role, "app", None)),
            (2, drop(ObjectKind::Role, "a", None)),
            (2, drop(ObjectKind::Role, "b", None)),
            (3, create(ObjectKind::Rule, "r", Some("orders"))),
            (4, drop(ObjectKind::Rule, "r", Some("orders"))),
            (5, create(ObjectKind::Cast, "(varchar AS state)", None)),
            (6, create(ObjectKind::ForeignDataWrapper, "w", None)),
            (7, create(ObjectKind::TextSearch, "english_simple", None)),
            (8, drop(ObjectKind::EventTrigger, "log_ddl", None)),
        ]
    );
    assert_eq!(
        only("CREATE USER 'app'@'%' IDENTIFIED BY 'x';", Dialect::Mysql),
        create(ObjectKind::Role, "app@%", None)
    );
}

#[test]
fn owners_schemas_names_and_settings() {
    assert_eq!(
        read(
            "ALTER TABLE t OWNER TO app, SET SCHEMA archive;\n\
             ALTER SEQUENCE s OWNED BY t.id;\n\
             ALTER SEQUENCE s AS integer;\n\
             ALTER MATERIALIZED VIEW m SET TABLESPACE fast;\n\
             ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM app;\n\
             LOCK TABLE t IN ACCESS EXCLUSIVE MODE;\n",
            Dialect::Postgres
        ),
        vec![
            (
                1,
                object(ObjectKind::Table, "t", ObjectChange::Owner { owner: "app".into() })
            ),
            (
                1,
                object(
                    ObjectKind::Table,
                    "t",
                    ObjectChange::SetSchema {
                        schema: "archive".into()
                    }
                )
            ),
            (
                2,
                object(
                    ObjectKind::Sequence,
                    "s",
                    ObjectChange::Settings {
                        what: "OWNED BY T.ID".into()
                    }
                )
            ),
            (
                3,
                object(
                    ObjectKind::Sequence,
                    "s",
                    ObjectChange::Review {
                        what: "ALTER SEQUENCE AS INTEGER".into(),
                        reason: "limits the values the sequence hands out: inserts that take from it fail once it reaches the limit".into()
                    }
                )
            ),
            (
                4,
                object(
                    ObjectKind::MaterializedView,
                    "m",
                    ObjectChange::Settings {
                        what: "SET TABLESPACE FAST".into()
                    }
                )
            ),
            (
                5,
                object(
                    ObjectKind::DefaultPrivileges,
                    "in schema public revoke all on tables from app",
                    ObjectChange::DefaultPrivileges { revoke: true }
                )
            ),
            (6, no_effect("LOCK TABLE")),
        ]
    );
}

#[test]
fn mysql_clauses_the_parser_rejects() {
    assert_eq!(
        read(
            "ALTER TABLE t DROP KEY k;\n\
             ALTER TABLE t DROP CHECK c;\n\
             ALTER TABLE events DROP PARTITION p2025;\n\
             ALTER TABLE events ADD PARTITION (PARTITION p VALUES LESS THAN (2027));\n\
             CREATE FULLTEXT INDEX ft ON t (note, title);\n\
             CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v AS SELECT id FROM t;\n",
            Dialect::Mysql
        ),
        vec![
            (
                1,
                OpKind::DropIndex {
                    name: "k".into(),
                    table: Some("t".into()),
                    concurrently: false
                }
            ),
            (
                2,
                OpKind::DropConstraint {
                    table: "t".into(),
                    name: "c".into()
                }
            ),
            (3, data(DataChangeKind::Delete, "events", true)),
            (
                4,
                object(
                    ObjectKind::Table,
                    "events",
                    ObjectChange::Settings {
                        what: "ADD PARTITION (PARTITION P VALUES LESS THAN (2027))".into()
                    }
                )
            ),
            (5, index("ft", "t", &["note", "title"], false)),
            (
                6,
                OpKind::CreateView {
                    view: "v".into(),
                    or_replace: false
                }
            ),
        ]
    );
}

#[test]
fn mysql_partitioned_table_is_the_table_then_its_partitioning() {
    let ops = read(
        "CREATE TABLE events (id int NOT NULL, created date NOT NULL, PRIMARY KEY (id, created)) \
         PARTITION BY RANGE (YEAR(created)) (PARTITION p2025 VALUES LESS THAN (2026), \
         PARTITION pmax VALUES LESS THAN MAXVALUE);",
        Dialect::Mysql,
    );
    assert!(matches!(&ops[0].1, OpKind::CreateTable { table, columns, .. } if table == "events" && columns.len() == 2));
    assert_eq!(
        ops[1].1,
        OpKind::PartitionBy {
            table: "events".into(),
            key: "RANGE (YEAR (created))".into()
        }
    );
    assert_eq!(ops.len(), 2);
}

#[test]
fn do_blocks_of_plain_statements_are_read() {
    assert_eq!(
        read(
            "DO $$ BEGIN PERFORM 1; END $$;\n\
             DO $$\nBEGIN\n  ALTER TABLE t ADD COLUMN c int;\n  UPDATE t SET c = 1;\nEND\n$$;\n",
            Dialect::Postgres
        ),
        vec![
            (1, no_effect("SELECT")),
            (
                2,
                OpKind::AddColumn {
                    table: "t".into(),
                    column: crate::model::ops::ColumnDef::new("c", ty("INT", &[]))
                }
            ),
            (2, data(DataChangeKind::Update, "t", false)),
        ]
    );
    // Conditions, loops and declarations decide at run time what runs: not read.
    for sql in [
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM t) THEN CREATE TABLE t (a int); END IF; END $$;",
        "DO $$ DECLARE x int; BEGIN FOR x IN SELECT id FROM t LOOP DELETE FROM t; END LOOP; END $$;",
        "DO $$ BEGIN EXECUTE 'DROP TABLE ' || 't'; END $$;",
    ] {
        assert_eq!(only(sql, Dialect::Postgres), unsupported("DO", None), "{sql}");
    }
}

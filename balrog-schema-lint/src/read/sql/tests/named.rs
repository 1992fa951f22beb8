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
    // Loops, dynamic SQL, cursors, `SELECT INTO`, nested quotes: what runs is not in the text.
    for sql in [
        "DO $$ DECLARE x int; BEGIN FOR x IN SELECT id FROM t LOOP DELETE FROM t; END LOOP; END $$;",
        "DO $$ BEGIN EXECUTE 'DROP TABLE ' || 't'; END $$;",
        "DO $$ BEGIN IF true THEN LOOP DROP TABLE t; END LOOP; END IF; END $$;",
        "DO $$ BEGIN WHILE true LOOP DROP TABLE t; END LOOP; END $$;",
        "DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM t; END $$;",
        "DO $$ DECLARE c CURSOR FOR SELECT 1; BEGIN NULL; END $$;",
        "DO $$ BEGIN RETURN; END $$;",
        "DO $$ BEGIN GET DIAGNOSTICS x = ROW_COUNT; END $$;",
        "DO $$ BEGIN EXECUTE $q$DROP TABLE t$q$; END $$;",
        "DO $$ BEGIN IF true THEN DROP TABLE t; END $$;",
        "DO $$ BEGIN IF true THEN DROP TABLE t; END IF; $$;",
        "DO $$ BEGIN frobnicate t; END $$;",
        "DO $$ BEGIN DROP TABLE t; END; DROP TABLE u; $$;",
    ] {
        assert_eq!(only(sql, Dialect::Postgres), unsupported("DO", None), "{sql}");
    }
}

#[test]
fn do_blocks_with_branches_and_handlers_read_every_statement() {
    let drop = |table: &str| OpKind::DropTable {
        table: table.into(),
    };
    // Every branch and handler counts, as if it ran.
    assert_eq!(
        read(
            "DO $$ DECLARE present boolean; n int := 0;\n\
             BEGIN\n\
               present = (SELECT count(*) = 1 FROM pg_extension WHERE extname = 'x');\n\
               n := n + 1;\n\
               IF present THEN\n\
                 DROP TABLE a;\n\
               ELSIF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'b') THEN\n\
                 IF n > 0 THEN DROP TABLE b; END IF;\n\
               ELSE\n\
                 NULL;\n\
               END IF;\n\
               BEGIN DROP TABLE c; EXCEPTION WHEN undefined_table THEN RAISE NOTICE 'no c'; END;\n\
             EXCEPTION\n\
               WHEN duplicate_object OR SQLSTATE '42710' THEN PERFORM 1;\n\
               WHEN OTHERS THEN RAISE WARNING 'failed: %', SQLERRM; DROP TABLE d;\n\
             END $$;",
            Dialect::Postgres
        ),
        vec![
            (1, drop("a")),
            (1, drop("b")),
            (1, drop("c")),
            (1, no_effect("SELECT")),
            (1, drop("d")),
        ]
    );
    let note = crate::read::sql::do_block_branch_note;
    assert!(note("do $$ begin if true then drop table a; end if; end $$").is_some());
    assert!(note("DO $$ BEGIN DROP TABLE a; EXCEPTION WHEN OTHERS THEN NULL; END $$").is_some());
    assert_eq!(note("DO $$ BEGIN DROP TABLE a; END $$"), None);
    assert_eq!(note("DROP TABLE a"), None);
}

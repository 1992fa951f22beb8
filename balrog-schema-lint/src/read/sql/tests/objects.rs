//! Indexes, types, views, statements sqlparser rejects, data changes and statements without effect.

use crate::model::named::{ObjectChange, ObjectKind};
use super::*;
use crate::model::ops::{ColumnDef, DataChangeKind, Dialect, OpKind};

#[test]
fn postgres_create_index_concurrently_partial() {
    assert_eq!(
        only(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx ON items (lower(email), id) \
             WHERE deleted IS NULL;",
            Dialect::Postgres
        ),
        OpKind::CreateIndex {
            name: Some("idx".into()),
            table: "items".into(),
            columns: vec!["lower(email)".into(), "id".into()],
            unique: true,
            concurrently: true,
            partial: true,
        }
    );
}

#[test]
fn drop_index_concurrently_in_every_dialect() {
    for dialect in Dialect::ALL {
        assert_eq!(
            read(
                "DROP INDEX CONCURRENTLY IF EXISTS idx_a;\nDROP INDEX idx_b;",
                dialect
            ),
            vec![
                (
                    1,
                    OpKind::DropIndex {
                        name: "idx_a".into(),
                        table: None,
                        concurrently: true
                    }
                ),
                (
                    2,
                    OpKind::DropIndex {
                        name: "idx_b".into(),
                        table: None,
                        concurrently: false
                    }
                ),
            ],
            "{dialect}"
        );
    }
}

#[test]
fn postgres_enum_types_and_sequences() {
    let sql = "CREATE TYPE mood AS ENUM ('sad', 'ok');\n\
               ALTER TYPE mood ADD VALUE 'happy';\n\
               DROP TYPE mood;\n\
               CREATE SEQUENCE seq;\n\
               DROP SEQUENCE seq;\n";
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                OpKind::CreateType {
                    name: "mood".into(),
                    values: vec!["sad".into(), "ok".into()]
                }
            ),
            (
                2,
                OpKind::AddEnumValue {
                    name: "mood".into(),
                    value: "happy".into(),
                    before: None,
                    after: None
                }
            ),
            (
                3,
                OpKind::DropType {
                    name: "mood".into()
                }
            ),
            (4, OpKind::CreateSequence { name: "seq".into() }),
            (5, OpKind::DropSequence { name: "seq".into() }),
        ]
    );
}

#[test]
fn views_and_tables_dropped_one_by_one() {
    assert_eq!(
        read(
            "CREATE VIEW v AS SELECT 1;\n\
             CREATE OR REPLACE VIEW v AS SELECT 2;\n\
             DROP VIEW v;\n\
             DROP TABLE IF EXISTS a, b CASCADE;\n",
            Dialect::Postgres
        ),
        vec![
            (
                1,
                OpKind::CreateView {
                    view: "v".into(),
                    or_replace: false
                }
            ),
            (
                2,
                OpKind::CreateView {
                    view: "v".into(),
                    or_replace: true
                }
            ),
            (3, OpKind::DropView { view: "v".into() }),
            (4, OpKind::DropTable { table: "a".into() }),
            (4, OpKind::DropTable { table: "b".into() }),
        ]
    );
}

#[test]
fn postgres_statements_sqlparser_rejects_are_named() {
    let sql = "DO $$ BEGIN PERFORM 1; END $$;\n\
               CREATE PROCEDURE p() LANGUAGE plpgsql AS $a$ BEGIN NULL; END $a$;\n\
               ALTER TABLE items ALTER CONSTRAINT fk DEFERRABLE;\n\
               REINDEX TABLE CONCURRENTLY items;\n\
               CREATE STATISTICS st ON a, b FROM items;\n\
               COMMENT ON COLUMN items.x IS $$hello; world$$;\n\
               ALTER SEQUENCE seq RENAME TO seq2;\n\
               ALTER TABLE items SET (n_distinct = 100);\n\
               GRANT SELECT ON items TO bob;\n";
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            // A block of plain statements is read as them (`PERFORM` as `SELECT`).
            (1, no_effect("SELECT")),
            (
                2,
                OpKind::CreateRoutine {
                    name: "p".into(),
                    procedure: true,
                    args: vec![],
                    returns: None,
                    body: "language plpgsql as $$\nBEGIN NULL; END\n$$".into(),
                    or_replace: false,
                }
            ),
            (
                3,
                OpKind::AlterConstraint {
                    table: "items".into(),
                    name: "fk".into(),
                    deferrable: Some(true),
                    initially_deferred: None,
                }
            ),
            // Maintenance, planner statistics and documentation: no schema effect.
            (
                4,
                OpKind::Maintenance {
                    command: crate::model::ops::MaintenanceCommand::Reindex,
                    table: Some("items".into()),
                    index: None,
                    concurrently: true,
                }
            ),
            (5, no_effect("CREATE STATISTICS")),
            (6, no_effect("COMMENT ON")),
            (
                7,
                OpKind::AlterObject {
                    object: ObjectKind::Sequence,
                    name: "seq".into(),
                    change: ObjectChange::Rename {
                        new_name: "seq2".into()
                    }
                }
            ),
            (
                8,
                OpKind::AlterObject {
                    object: ObjectKind::Table,
                    name: "items".into(),
                    change: ObjectChange::Settings {
                        what: "SET (N_DISTINCT = 100)".into()
                    }
                }
            ),
            (
                9,
                OpKind::Grant {
                    revoke: false,
                    privileges: vec!["SELECT".into()],
                    object_kind: "table".into(),
                    objects: vec!["items".into()],
                    grantees: vec!["bob".into()],
                }
            ),
        ]
    );
}

#[test]
fn sqlite_trigger_if_not_exists_and_pragma() {
    let sql = "PRAGMA foreign_keys=OFF;\n\
               CREATE TRIGGER IF NOT EXISTS trg AFTER INSERT ON t BEGIN\n\
                 UPDATE t SET b = 'x';\n\
                 DELETE FROM t;\n\
               END;\n\
               ALTER TABLE t ADD COLUMN c INT;\n";
    assert_eq!(
        read(sql, Dialect::Sqlite),
        vec![
            (1, no_effect("PRAGMA")),
            (
                2,
                OpKind::CreateTrigger {
                    name: "trg".into(),
                    table: "t".into(),
                    definition: "after insert on t begin update t set b = 'x'; delete from t; end"
                        .into(),
                    or_replace: false,
                }
            ),
            (
                6,
                OpKind::AddColumn {
                    table: "t".into(),
                    column: ColumnDef::new("c", ty("INT", &[]))
                }
            ),
        ]
    );
}

#[test]
fn data_changes() {
    let sql = "INSERT INTO t VALUES (1);\n\
               UPDATE t SET a = 1;\n\
               UPDATE t SET a = 1 WHERE b = 2;\n\
               DELETE FROM t;\n\
               DELETE FROM t WHERE a = 1;\n\
               TRUNCATE TABLE t;\n\
               INSERT INTO t SELECT * FROM u;\n";
    use DataChangeKind::*;
    for dialect in [Dialect::Mysql, Dialect::Postgres, Dialect::Generic] {
        assert_eq!(
            read(sql, dialect),
            vec![
                (1, data(Insert, "t", true)),
                (2, data(Update, "t", false)),
                (3, data(Update, "t", true)),
                (4, data(Delete, "t", false)),
                (5, data(Delete, "t", true)),
                (6, data(Delete, "t", false)),
                (7, data(Insert, "t", true)),
            ],
            "{dialect}"
        );
    }
}

#[test]
fn mysql_data_change_forms() {
    use DataChangeKind::*;
    assert_eq!(
        read(
            "REPLACE INTO t VALUES (1);\n\
             DELETE t1 FROM t1 JOIN t2 ON t1.a = t2.a;\n\
             UPDATE t SET a = 1 LIMIT 10;\n",
            Dialect::Mysql
        ),
        vec![
            (1, data(Insert, "t", true)),
            (2, data(Delete, "t1", true)),
            (3, data(Update, "t", true)),
        ]
    );
}

#[test]
fn transaction_control_and_session_statements_have_no_effect() {
    let sql = "BEGIN;\nSTART TRANSACTION;\nSET NAMES utf8;\nUSE db;\nSELECT 1;\n\
               LOCK TABLES t WRITE;\nUNLOCK TABLES;\nCOMMIT;\nROLLBACK;\n";
    assert_eq!(
        read(sql, Dialect::Mysql),
        vec![
            (1, no_effect("BEGIN")),
            (2, no_effect("START TRANSACTION")),
            (3, no_effect("SET")),
            (4, no_effect("USE")),
            (5, no_effect("SELECT")),
            (6, no_effect("LOCK TABLES")),
            (7, no_effect("UNLOCK TABLES")),
            (8, no_effect("COMMIT")),
            (9, no_effect("ROLLBACK")),
        ]
    );
}

#[test]
fn writing_queries_are_not_no_effect() {
    assert_eq!(
        only("SELECT * INTO backup FROM t;", Dialect::Postgres),
        OpKind::CreateTableAs {
            table: "backup".into(),
            columns: vec!["*".into()],
            sources: vec!["*:t".into()]
        }
    );
    assert_eq!(
        only(
            "WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone;",
            Dialect::Postgres
        ),
        OpKind::DataChange {
            change: DataChangeKind::Delete,
            table: "t".into(),
            filtered: false
        }
    );
}

#[test]
fn unbalanced_blocks_everywhere_stay_linear() {
    // Each statement opens a block it never closes; recovery must not rescan the file
    // to its end for every one of them.
    // Measured in tokens examined, not time: four times the statements may cost about four
    // times the work (a rescan per statement would cost sixteen).
    let scanned = |n: usize| {
        let sql: String = (0..n)
            .map(|i| format!("CREATE PROCEDURE p{i}() BEGIN x;\n"))
            .collect();
        crate::read::sql::reader::TOKENS_SCANNED.with(|c| c.set(0));
        let ops = read(&sql, Dialect::Mysql);
        assert_eq!(ops.len(), n);
        assert_eq!(ops[n - 1].0, n as u32);
        (
            crate::read::sql::reader::TOKENS_SCANNED.with(|c| c.get()),
            sql.len(),
        )
    };
    let (small, small_bytes) = scanned(1000);
    let (large, large_bytes) = scanned(4000);
    assert!(
        large * small_bytes <= 5 * small * large_bytes / 4,
        "{small} tokens scanned for 1000 statements, {large} for 4000"
    );
    // And a bounded number of tokens examined per byte of input.
    assert!(
        large <= 2 * large_bytes,
        "{large} tokens scanned in {large_bytes} bytes"
    );
}

#[test]
fn other_alter_table_actions_are_unsupported_with_their_table() {
    let owner = OpKind::AlterObject {
        object: ObjectKind::Table,
        name: "t".into(),
        change: ObjectChange::Owner { owner: "x".into() },
    };
    assert_eq!(
        read(
            "ALTER TABLE t OWNER TO x;\n\
             ALTER TABLE t ENABLE TRIGGER trg;\n\
             ALTER TABLE t ADD CONSTRAINT ex EXCLUDE USING gist (a WITH &&);\n\
             ALTER TABLE t ADD COLUMN a INT, OWNER TO x;\n",
            Dialect::Postgres
        ),
        vec![
            (1, owner.clone()),
            (
                2,
                OpKind::SetTriggerEnabled {
                    table: "t".into(),
                    trigger: Some("trg".into()),
                    enabled: true
                }
            ),
            (
                3,
                unsupported("ALTER TABLE ADD EXCLUDE constraint", Some("t"))
            ),
            (
                4,
                OpKind::AddColumn {
                    table: "t".into(),
                    column: ColumnDef::new("a", ty("INT", &[]))
                }
            ),
            (4, owner),
        ]
    );
}

#[test]
fn postgres_copy_and_trigger_drops() {
    let sql = "COPY t (a) FROM stdin;\n1\n2\n\\.\n\
               COPY t TO stdout;\n\
               DROP TRIGGER trg ON t;\n";
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (1, data(DataChangeKind::Insert, "t", true)),
            (5, no_effect("COPY")),
            (
                6,
                OpKind::DropTrigger {
                    name: "trg".into(),
                    table: Some("t".into())
                }
            ),
        ]
    );
}

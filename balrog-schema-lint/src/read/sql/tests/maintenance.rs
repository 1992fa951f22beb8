//! `REINDEX`, `CLUSTER`, `VACUUM` and `DROP DATABASE`: what each form locks or drops.

use super::*;
use crate::model::ops::MaintenanceCommand;

fn maintenance(command: MaintenanceCommand, table: Option<&str>, index: Option<&str>) -> OpKind {
    OpKind::Maintenance {
        command,
        table: table.map(str::to_string),
        index: index.map(str::to_string),
        concurrently: false,
    }
}

fn reindex(concurrently: bool, table: Option<&str>, index: Option<&str>) -> OpKind {
    OpKind::Maintenance {
        command: MaintenanceCommand::Reindex,
        table: table.map(str::to_string),
        index: index.map(str::to_string),
        concurrently,
    }
}

#[test]
fn reindex_forms_and_concurrently() {
    for (sql, expected) in [
        ("REINDEX INDEX idx", reindex(false, None, Some("idx"))),
        (
            "REINDEX (VERBOSE, CONCURRENTLY) INDEX s.idx",
            reindex(true, None, Some("s.idx")),
        ),
        (
            "REINDEX (CONCURRENTLY false) TABLE t",
            reindex(false, Some("t"), None),
        ),
        ("REINDEX TABLE CONCURRENTLY t", reindex(true, Some("t"), None)),
        // A whole schema: every table in it.
        ("REINDEX SCHEMA public", reindex(false, None, None)),
    ] {
        assert_eq!(only(sql, Dialect::Postgres), expected, "{sql}");
    }
}

#[test]
fn cluster_forms() {
    let cluster = MaintenanceCommand::Cluster;
    for (sql, expected) in [
        ("CLUSTER t USING idx", maintenance(cluster, Some("t"), Some("idx"))),
        ("CLUSTER idx ON t", maintenance(cluster, Some("t"), Some("idx"))),
        ("CLUSTER VERBOSE t", maintenance(cluster, Some("t"), None)),
        ("CLUSTER", maintenance(cluster, None, None)),
    ] {
        assert_eq!(only(sql, Dialect::Postgres), expected, "{sql}");
    }
}

#[test]
fn vacuum_full_locks_plain_vacuum_does_not() {
    let full = MaintenanceCommand::VacuumFull;
    assert_eq!(
        read("VACUUM (FULL, ANALYZE) t, u (a, b);", Dialect::Postgres),
        [
            (1, maintenance(full, Some("t"), None)),
            (1, maintenance(full, Some("u"), None)),
        ]
    );
    assert_eq!(
        only("VACUUM FULL t", Dialect::Postgres),
        maintenance(full, Some("t"), None)
    );
    assert_eq!(
        only("VACUUM FULL", Dialect::Postgres),
        maintenance(full, None, None)
    );
    for sql in ["VACUUM t", "VACUUM (FULL false) t", "VACUUM (ANALYZE) t", "VACUUM"] {
        assert_eq!(
            only(sql, Dialect::Postgres),
            OpKind::NoEffect {
                what: "VACUUM".into()
            },
            "{sql}"
        );
    }
}

#[test]
fn drop_database_in_every_dialect() {
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        for sql in ["DROP DATABASE foo", "DROP DATABASE IF EXISTS foo"] {
            assert_eq!(
                only(sql, dialect),
                OpKind::DropDatabase { name: "foo".into() },
                "{sql}"
            );
        }
    }
    assert_eq!(
        only("DROP DATABASE IF EXISTS foo WITH (FORCE)", Dialect::Postgres),
        OpKind::DropDatabase { name: "foo".into() }
    );
}

#[test]
fn detach_partition_concurrently_or_finalize() {
    for (sql, concurrently) in [
        ("ALTER TABLE p DETACH PARTITION c", false),
        ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", true),
        ("ALTER TABLE p DETACH PARTITION c FINALIZE", true),
    ] {
        assert_eq!(
            only(sql, Dialect::Postgres),
            OpKind::DetachPartition {
                table: "p".into(),
                partition: "c".into(),
                concurrently
            },
            "{sql}"
        );
    }
}

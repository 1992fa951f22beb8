//! Types, domains, schemas, extensions, partitions, tables from queries, renames of
//! constraints and indexes.

use super::*;

#[test]
fn enum_values_and_type_renames() {
    let sql = "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok';\n\
               ALTER TYPE mood ADD VALUE 'great' AFTER 'ok';\n\
               ALTER TYPE mood RENAME VALUE 'meh' TO 'fine';\n\
               ALTER TYPE mood RENAME TO feeling;\n\
               ALTER TYPE mood OWNER TO admin;\n";
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                OpKind::AddEnumValue {
                    name: "mood".into(),
                    value: "meh".into(),
                    before: Some("ok".into()),
                    after: None
                }
            ),
            (
                2,
                OpKind::AddEnumValue {
                    name: "mood".into(),
                    value: "great".into(),
                    before: None,
                    after: Some("ok".into())
                }
            ),
            (
                3,
                OpKind::RenameEnumValue {
                    name: "mood".into(),
                    value: "meh".into(),
                    new_value: "fine".into()
                }
            ),
            (
                4,
                OpKind::RenameType {
                    name: "mood".into(),
                    new_name: "feeling".into()
                }
            ),
            (5, no_effect("ALTER TYPE OWNER")),
        ]
    );
}

#[test]
fn composite_types_and_their_attributes() {
    let sql = "CREATE TYPE pair AS (a INT, b VARCHAR(10));\n\
               ALTER TYPE pair ADD ATTRIBUTE c BIGINT;\n\
               ALTER TYPE pair DROP ATTRIBUTE IF EXISTS a CASCADE;\n";
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                OpKind::CreateCompositeType {
                    name: "pair".into(),
                    attributes: vec![
                        ColumnDef::new("a", ty("INT", &[])),
                        ColumnDef::new("b", ty("VARCHAR", &[10])),
                    ]
                }
            ),
            (
                2,
                OpKind::AddAttribute {
                    name: "pair".into(),
                    attribute: ColumnDef::new("c", ty("BIGINT", &[]))
                }
            ),
            (
                3,
                OpKind::DropAttribute {
                    name: "pair".into(),
                    attribute: "a".into()
                }
            ),
        ]
    );
}

#[test]
fn domains_with_constraints() {
    let check = |name: Option<&str>, expr: &str| Constraint {
        name: name.map(str::to_string),
        kind: ConstraintKind::Check { expr: expr.into() },
        columns: Vec::new(),
        not_valid: false,
    };
    let sql = "CREATE DOMAIN pos AS INT NOT NULL DEFAULT 1 CONSTRAINT pos_gt CHECK (VALUE > 0);\n\
               CREATE DOMAIN label AS TEXT CHECK (VALUE <> '');\n\
               ALTER DOMAIN pos ADD CONSTRAINT pos_small CHECK (VALUE < 10) NOT VALID;\n\
               ALTER DOMAIN pos DROP CONSTRAINT IF EXISTS pos_gt;\n\
               ALTER DOMAIN pos DROP NOT NULL;\n\
               ALTER DOMAIN pos SET DEFAULT 2;\n\
               ALTER DOMAIN pos DROP DEFAULT;\n\
               DROP DOMAIN IF EXISTS label CASCADE;\n";
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                OpKind::CreateDomain {
                    name: "pos".into(),
                    base: ty("INT", &[]),
                    nullable: false,
                    default: Some("1".into()),
                    checks: vec![check(Some("pos_gt"), "VALUE > 0")]
                }
            ),
            (
                2,
                OpKind::CreateDomain {
                    name: "label".into(),
                    base: ty("TEXT", &[]),
                    nullable: true,
                    default: None,
                    checks: vec![check(None, "VALUE <> ''")]
                }
            ),
            (
                3,
                OpKind::AddDomainConstraint {
                    name: "pos".into(),
                    constraint: Constraint {
                        not_valid: true,
                        ..check(Some("pos_small"), "VALUE < 10")
                    }
                }
            ),
            (
                4,
                OpKind::DropDomainConstraint {
                    name: "pos".into(),
                    constraint: "pos_gt".into()
                }
            ),
            (
                5,
                OpKind::SetDomainNotNull {
                    name: "pos".into(),
                    not_null: false
                }
            ),
            (
                6,
                OpKind::SetDomainDefault {
                    name: "pos".into(),
                    default: Some("2".into())
                }
            ),
            (
                7,
                OpKind::SetDomainDefault {
                    name: "pos".into(),
                    default: None
                }
            ),
            (
                8,
                OpKind::DropDomain {
                    name: "label".into()
                }
            ),
        ]
    );
}

#[test]
fn schemas_extensions_and_index_forms() {
    let sql = "CREATE SCHEMA IF NOT EXISTS utils;\n\
               DROP SCHEMA utils CASCADE;\n\
               CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;\n\
               DROP EXTENSION pgcrypto;\n\
               ALTER INDEX i RENAME TO j;\n\
               ALTER INDEX IF EXISTS j RENAME TO k;\n\
               ALTER INDEX k SET (fillfactor = 70);\n\
               ALTER INDEX k ATTACH PARTITION k_2025;\n\
               REFRESH MATERIALIZED VIEW CONCURRENTLY mv;\n";
    let rename = |name: &str, new_name: &str| OpKind::RenameIndex {
        name: name.into(),
        new_name: new_name.into(),
        table: None,
    };
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                OpKind::CreateSchema {
                    name: "utils".into()
                }
            ),
            (
                2,
                OpKind::DropSchema {
                    name: "utils".into()
                }
            ),
            (
                3,
                OpKind::CreateExtension {
                    name: "pgcrypto".into()
                }
            ),
            (
                4,
                OpKind::DropExtension {
                    name: "pgcrypto".into()
                }
            ),
            (5, rename("i", "j")),
            (6, rename("j", "k")),
            (7, no_effect("ALTER INDEX SET")),
            (8, no_effect("ALTER INDEX ATTACH")),
            (9, no_effect("REFRESH")),
        ]
    );
}

#[test]
fn partitions_and_table_forms() {
    let sql = "CREATE TABLE m (a INT, b INT) PARTITION BY RANGE (a);\n\
               CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (1) TO (10);\n\
               CREATE TABLE m2 PARTITION OF m DEFAULT;\n\
               ALTER TABLE m ATTACH PARTITION m3 FOR VALUES FROM (10) TO (20);\n\
               ALTER TABLE m DETACH PARTITION m3 CONCURRENTLY;\n\
               CREATE TEMPORARY TABLE tt (a INT);\n\
               ALTER TABLE m RENAME CONSTRAINT c1 TO c2;\n\
               ALTER TABLE m ALTER COLUMN b ADD GENERATED ALWAYS AS IDENTITY;\n\
               ALTER TABLE ONLY m ALTER b DROP IDENTITY IF EXISTS;\n\
               CREATE MATERIALIZED VIEW mv AS SELECT a FROM m WITH NO DATA;\n";
    let ops = read(sql, Dialect::Postgres);
    let kinds: Vec<&OpKind> = ops.iter().map(|(_, k)| k).collect();
    assert!(matches!(kinds[0], OpKind::CreateTable { table, .. } if table == "m"));
    assert_eq!(
        kinds[1..],
        [
            &OpKind::PartitionBy {
                table: "m".into(),
                key: "RANGE(a)".into()
            },
            &OpKind::CreatePartition {
                table: "m1".into(),
                parent: "m".into(),
                bound: "FOR VALUES FROM (1) TO (10)".into()
            },
            &OpKind::CreatePartition {
                table: "m2".into(),
                parent: "m".into(),
                bound: "DEFAULT".into()
            },
            &OpKind::AttachPartition {
                table: "m".into(),
                partition: "m3".into(),
                bound: "FOR VALUES FROM (10) TO (20)".into()
            },
            &OpKind::DetachPartition {
                table: "m".into(),
                partition: "m3".into(),
                concurrently: true,
            },
            &OpKind::CreateTemporaryTable { table: "tt".into() },
            &OpKind::RenameConstraint {
                table: "m".into(),
                name: "c1".into(),
                new_name: "c2".into()
            },
            &OpKind::SetIdentity {
                table: "m".into(),
                column: "b".into(),
                identity: true
            },
            &OpKind::SetIdentity {
                table: "m".into(),
                column: "b".into(),
                identity: false
            },
            &OpKind::CreateView {
                view: "mv".into(),
                or_replace: false
            },
        ]
    );
}

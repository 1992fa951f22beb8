//! ALTER TABLE in MySQL and PostgreSQL.

use crate::model::named::{ObjectChange, ObjectKind};
use super::*;
use super::fk_to;
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, Dialect, OpKind, SqlType};

#[test]
fn mysql_add_index_is_an_index_not_a_column() {
    assert_eq!(
        read(
            "ALTER TABLE t ADD INDEX idx (a), ALGORITHM=INPLACE, LOCK=NONE;",
            Dialect::Mysql
        ),
        vec![(1, index("idx", "t", &["a"], false))]
    );
    assert_eq!(
        read(
            "ALTER TABLE t ADD KEY k (a, b), ADD UNIQUE INDEX ux (c), ADD FULLTEXT INDEX ft (d);",
            Dialect::Mysql
        ),
        vec![
            (1, index("k", "t", &["a", "b"], false)),
            (1, index("ux", "t", &["c"], true)),
            (1, index("ft", "t", &["d"], false)),
        ]
    );
}

#[test]
fn mysql_modify_and_change_restate_the_column() {
    let sql = "ALTER TABLE t\n\
                 MODIFY COLUMN id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT AFTER x,\n\
                 CHANGE COLUMN a b VARCHAR(10) NOT NULL,\n\
                 CHANGE c c TEXT FIRST;";
    let mut id = ColumnDef::new(
        "id",
        Some(SqlType {
            unsigned: true,
            ..SqlType::named("BIGINT")
        }),
    );
    id.nullable = false;
    id.auto_increment = true;
    let mut b = ColumnDef::new("b", ty("VARCHAR", &[10]));
    b.nullable = false;
    let redefine = |column: &str, definition: ColumnDef, reorders| OpKind::RedefineColumn {
        table: "t".into(),
        column: column.into(),
        definition,
        reorders,
    };
    assert_eq!(
        read(sql, Dialect::Mysql),
        vec![
            (1, redefine("id", id, true)),
            (1, redefine("a", b, false)),
            (1, redefine("c", ColumnDef::new("c", ty("TEXT", &[])), true)),
        ]
    );
}

#[test]
fn mysql_drops_in_alter_table() {
    assert_eq!(
        read(
            "ALTER TABLE t DROP FOREIGN KEY fk1, DROP PRIMARY KEY, DROP INDEX i2, DROP c;",
            Dialect::Mysql
        ),
        vec![
            (
                1,
                OpKind::DropConstraint {
                    table: "t".into(),
                    name: "fk1".into()
                }
            ),
            (
                1,
                OpKind::DropConstraint {
                    table: "t".into(),
                    name: "PRIMARY".into()
                }
            ),
            (
                1,
                OpKind::DropIndex {
                    name: "i2".into(),
                    table: Some("t".into()),
                    concurrently: false
                }
            ),
            (
                1,
                OpKind::DropColumn {
                    table: "t".into(),
                    column: "c".into()
                }
            ),
        ]
    );
}

#[test]
fn mysql_add_column_with_position_and_inline_key() {
    let mut id = ColumnDef::new(
        "id2",
        Some(SqlType {
            unsigned: true,
            ..SqlType::named("INT")
        }),
    );
    id.nullable = false;
    id.auto_increment = true;
    id.primary_key = true;
    assert_eq!(
        only(
            "ALTER TABLE t ADD COLUMN id2 INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;",
            Dialect::Mysql
        ),
        OpKind::AddColumn {
            table: "t".into(),
            column: id
        }
    );
}

#[test]
fn mysql_table_options_and_unparsed_forms() {
    assert_eq!(
        read(
            "ALTER TABLE t ENGINE=InnoDB;\n\
             ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4;\n\
             ALTER TABLE t RENAME INDEX a TO b;\n\
             ALTER TABLE t AUTO_INCREMENT = 5;\n\
             ALTER TABLE t ALGORITHM=INPLACE;\n\
             PREPARE stmt FROM @sql;\n",
            Dialect::Mysql
        ),
        vec![
            (
                1,
                OpKind::NoEffect {
                    what: "ALTER TABLE ENGINE".into()
                }
            ),
            (
                2,
                OpKind::AlterObject {
                    object: ObjectKind::Table,
                    name: "t".into(),
                    change: ObjectChange::ConvertCharset {
                        charset: "utf8mb4".into()
                    }
                }
            ),
            (
                3,
                OpKind::RenameIndex {
                    name: "a".into(),
                    new_name: "b".into(),
                    table: Some("t".into())
                }
            ),
            (4, no_effect("ALTER TABLE AUTO_INCREMENT")),
            (5, unsupported("ALTER TABLE", Some("t"))),
            (6, unsupported("PREPARE", None)),
        ]
    );
}

#[test]
fn mysql_indexes_and_renames() {
    assert_eq!(
        read(
            "CREATE INDEX idx ON t (a) ALGORITHM=INPLACE LOCK=NONE;\n\
             DROP INDEX idx ON t;\n\
             DROP INDEX idx2 ON t ALGORITHM=INPLACE LOCK=NONE;\n\
             RENAME TABLE a TO b, c TO d;\n",
            Dialect::Mysql
        ),
        vec![
            (1, index("idx", "t", &["a"], false)),
            (
                2,
                OpKind::DropIndex {
                    name: "idx".into(),
                    table: Some("t".into()),
                    concurrently: false
                }
            ),
            (
                3,
                OpKind::DropIndex {
                    name: "idx2".into(),
                    table: Some("t".into()),
                    concurrently: false
                }
            ),
            (
                4,
                OpKind::RenameTable {
                    table: "a".into(),
                    new_name: "b".into()
                }
            ),
            (
                4,
                OpKind::RenameTable {
                    table: "c".into(),
                    new_name: "d".into()
                }
            ),
        ]
    );
}

#[test]
fn postgres_alter_column_actions() {
    let sql = "ALTER TABLE items\n\
                 ALTER COLUMN name TYPE varchar(200) USING name::varchar(200),\n\
                 ALTER COLUMN a SET NOT NULL,\n\
                 ALTER COLUMN b DROP NOT NULL,\n\
                 ALTER COLUMN c SET DEFAULT 5,\n\
                 ALTER COLUMN d DROP DEFAULT,\n\
                 ALTER COLUMN e SET DATA TYPE BIGINT;";
    let t = || "items".to_string();
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                OpKind::AlterColumnType {
                    table: t(),
                    column: "name".into(),
                    new_type: SqlType::with_params("VARCHAR", &[200])
                }
            ),
            (
                1,
                OpKind::SetNotNull {
                    table: t(),
                    column: "a".into()
                }
            ),
            (
                1,
                OpKind::DropNotNull {
                    table: t(),
                    column: "b".into()
                }
            ),
            (
                1,
                OpKind::SetDefault {
                    table: t(),
                    column: "c".into(),
                    default: "5".into()
                }
            ),
            (
                1,
                OpKind::DropDefault {
                    table: t(),
                    column: "d".into()
                }
            ),
            (
                1,
                OpKind::AlterColumnType {
                    table: t(),
                    column: "e".into(),
                    new_type: SqlType::named("BIGINT")
                }
            ),
        ]
    );
}

#[test]
fn postgres_add_drop_rename() {
    // Drops first, as PostgreSQL runs them.
    let sql = "ALTER TABLE items ADD COLUMN x INT NOT NULL DEFAULT 0, DROP COLUMN y, \
               RENAME COLUMN z TO w;\n\
               ALTER TABLE items RENAME TO things;\n\
               ALTER TABLE things ADD COLUMN owner INT REFERENCES users (id);\n";
    let mut x = ColumnDef::new("x", ty("INT", &[]));
    x.nullable = false;
    x.default = Some("0".into());
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                OpKind::DropColumn {
                    table: "items".into(),
                    column: "y".into()
                }
            ),
            (
                1,
                OpKind::AddColumn {
                    table: "items".into(),
                    column: x
                }
            ),
            (
                1,
                OpKind::RenameColumn {
                    table: "items".into(),
                    column: "z".into(),
                    new_name: "w".into()
                }
            ),
            (
                2,
                OpKind::RenameTable {
                    table: "items".into(),
                    new_name: "things".into()
                }
            ),
            (
                3,
                OpKind::AddColumn {
                    table: "things".into(),
                    column: ColumnDef::new("owner", ty("INT", &[]))
                }
            ),
            (
                3,
                OpKind::AddConstraint {
                    table: "things".into(),
                    constraint: constraint(
                        None,
                        fk_to("users", "id"),
                        &["owner"]
                    )
                }
            ),
        ]
    );
}

#[test]
fn postgres_constraints() {
    let sql = "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (o) REFERENCES u (id) NOT VALID;\n\
               ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY (id), ADD UNIQUE (a, b);\n\
               ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n\
               ALTER TABLE t VALIDATE CONSTRAINT c;\n\
               ALTER TABLE t DROP CONSTRAINT IF EXISTS c;\n";
    let add = |c: Constraint| OpKind::AddConstraint {
        table: "t".into(),
        constraint: c,
    };
    let not_valid = |c: Constraint| Constraint {
        not_valid: true,
        ..c
    };
    assert_eq!(
        read(sql, Dialect::Postgres),
        vec![
            (
                1,
                add(not_valid(constraint(
                    Some("fk"),
                    fk_to("u", "id"),
                    &["o"]
                )))
            ),
            (
                2,
                add(constraint(Some("pk"), ConstraintKind::PrimaryKey, &["id"]))
            ),
            (
                2,
                add(constraint(None, ConstraintKind::Unique, &["a", "b"]))
            ),
            (
                3,
                add(not_valid(constraint(
                    Some("c"),
                    ConstraintKind::Check {
                        expr: "a > 0".into()
                    },
                    &[]
                )))
            ),
            (
                4,
                OpKind::ValidateConstraint {
                    table: "t".into(),
                    name: "c".into()
                }
            ),
            (
                5,
                OpKind::DropConstraint {
                    table: "t".into(),
                    name: "c".into()
                }
            ),
        ]
    );
}

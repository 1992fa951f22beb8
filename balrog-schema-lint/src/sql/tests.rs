//! Behaviour of the SQL reader, per dialect and construct: exact operations and lines.

use super::*;
use crate::ops::{ColumnDef, Constraint, ConstraintKind, DataChangeKind, SqlType};

fn read(sql: &str, dialect: Dialect) -> Vec<(u32, OpKind)> {
    lower_sql(sql, dialect)
        .into_iter()
        .map(|op| (op.line, op.kind))
        .collect()
}

fn only(sql: &str, dialect: Dialect) -> OpKind {
    let mut ops = read(sql, dialect);
    assert_eq!(ops.len(), 1, "expected one operation from {sql}: {ops:?}");
    ops.remove(0).1
}

fn ty(name: &str, params: &[u64]) -> Option<SqlType> {
    Some(SqlType::with_params(name, params))
}

fn unsupported(what: &str, table: Option<&str>) -> OpKind {
    OpKind::Unsupported {
        what: what.to_string(),
        table: table.map(str::to_string),
    }
}

fn no_effect(what: &str) -> OpKind {
    OpKind::NoEffect {
        what: what.to_string(),
    }
}

fn data(change: DataChangeKind, table: &str, filtered: bool) -> OpKind {
    OpKind::DataChange {
        change,
        table: table.to_string(),
        filtered,
    }
}

fn index(name: &str, table: &str, columns: &[&str], unique: bool) -> OpKind {
    OpKind::CreateIndex {
        name: Some(name.to_string()),
        table: table.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        unique,
        concurrently: false,
        partial: false,
    }
}

fn constraint(name: Option<&str>, kind: ConstraintKind, columns: &[&str]) -> Constraint {
    Constraint {
        name: name.map(str::to_string),
        kind,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        not_valid: false,
    }
}

fn is_unreadable(kind: &OpKind) -> bool {
    matches!(kind, OpKind::Unreadable { .. })
}

// ---------------------------------------------------------------- splitting and lines

#[test]
fn unparsable_statement_in_the_middle_keeps_the_others() {
    let sql = "CREATE TABLE a (id INT);\n\
               ALTER TABLE a ADD COLUMN;\n\
               \n\
               DROP TABLE b;\n";
    for dialect in Dialect::ALL {
        let ops = read(sql, dialect);
        assert_eq!(ops.len(), 3, "{dialect}: {ops:?}");
        assert!(matches!(&ops[0], (1, OpKind::CreateTable { table, .. }) if table == "a"));
        assert_eq!(ops[1].0, 2);
        assert!(is_unreadable(&ops[1].1), "{dialect}: {ops:?}");
        assert_eq!(
            ops[2],
            (
                4,
                OpKind::DropTable {
                    table: "b".to_string()
                }
            )
        );
    }
}

#[test]
fn unreadable_carries_the_parser_message_and_the_statement_text() {
    let ops = lower_sql("SELECT 1;\nSELEC 2;\nSELECT 3", Dialect::Postgres);
    assert_eq!(ops.len(), 3);
    assert_eq!(ops[1].line, 2);
    assert_eq!(ops[1].source, "SELEC 2");
    match &ops[1].kind {
        OpKind::Unreadable { error } => {
            assert!(error.starts_with("Expected: an SQL statement, found: SELEC"));
            assert!(!error.contains("sql parser error"));
        }
        other => panic!("not unreadable: {other:?}"),
    }
}

#[test]
fn lines_are_those_of_the_first_token_not_of_leading_comments() {
    let sql = "-- migration 12\n\
               \n\
               /* a block\n   comment */\n\
               \n\
               DROP TABLE a; -- trailing\n\
               # mysql comment\n\
               DROP\n  TABLE b\n;\n";
    let ops = lower_sql(sql, Dialect::Mysql);
    assert_eq!(
        ops.iter().map(|o| o.line).collect::<Vec<_>>(),
        vec![6, 8],
        "{ops:?}"
    );
    assert_eq!(ops[0].source, "DROP TABLE a");
    assert_eq!(ops[1].source, "DROP\n  TABLE b");
}

#[test]
fn empty_statements_and_comment_only_files_yield_nothing() {
    for dialect in Dialect::ALL {
        assert_eq!(read("", dialect), vec![]);
        assert_eq!(read("-- nothing\n/* at all */\n;;\n", dialect), vec![]);
    }
}

#[test]
fn last_statement_needs_no_semicolon() {
    assert_eq!(
        read("DROP TABLE a;\nDROP TABLE b", Dialect::Sqlite),
        vec![
            (1, OpKind::DropTable { table: "a".into() }),
            (2, OpKind::DropTable { table: "b".into() }),
        ]
    );
}

#[test]
fn crlf_and_non_ascii_keep_lines_and_text() {
    let ops = lower_sql(
        "SELECT 'é';\r\n-- ü\r\nCREATE TABLE naïve (a INT);\r\n",
        Dialect::Postgres,
    );
    assert_eq!(ops[1].line, 3);
    assert_eq!(ops[1].source, "CREATE TABLE naïve (a INT)");
}

#[test]
fn dollar_quoted_function_body_is_one_statement() {
    let sql = "CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$\n\
               BEGIN\n\
                 NEW.updated := now();\n\
                 RETURN NEW;\n\
               END;\n\
               $$ LANGUAGE plpgsql;\n\
               ALTER TABLE t ADD COLUMN updated TIMESTAMP;\n";
    let ops = read(sql, Dialect::Postgres);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(ops[0], (1, unsupported("CREATE FUNCTION", None)));
    assert!(matches!(&ops[1], (7, OpKind::AddColumn { column, .. }) if column.name == "updated"));
}

#[test]
fn mysql_trigger_with_begin_end_and_delimiter() {
    let sql = "DELIMITER $$\n\
               CREATE TRIGGER trg BEFORE INSERT ON rules FOR EACH ROW\n\
               BEGIN\n\
                 SET NEW.a = 1;\n\
                 IF NEW.b IS NULL THEN SET NEW.b = 2; END IF;\n\
               END$$\n\
               DELIMITER ;\n\
               DROP TABLE old_rules;\n";
    let ops = lower_sql(sql, Dialect::Mysql);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(ops[0].line, 2);
    assert_eq!(ops[0].kind, unsupported("CREATE TRIGGER", Some("rules")));
    assert!(ops[0].source.ends_with("END IF;\nEND"), "{}", ops[0].source);
    assert_eq!(
        (ops[1].line, &ops[1].kind),
        (
            8,
            &OpKind::DropTable {
                table: "old_rules".into()
            }
        )
    );
}

#[test]
fn mysql_trigger_without_delimiter_is_kept_whole() {
    let sql = "CREATE TRIGGER trg AFTER UPDATE ON t FOR EACH ROW BEGIN\n\
                 INSERT INTO audit VALUES (1);\n\
                 DELETE FROM other;\n\
               END;\n\
               SELECT 1;\n";
    assert_eq!(
        read(sql, Dialect::Mysql),
        vec![
            (1, unsupported("CREATE TRIGGER", Some("t"))),
            (5, no_effect("SELECT")),
        ]
    );
}

#[test]
fn failing_block_statement_is_skipped_whole() {
    // The parser rejects the body; recovery must not stop at the `;` inside it.
    let sql = "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN 1 THEN 2 END; DROP TABLE zz; \
               nonsense here; END;\n\
               DROP TABLE after;\n";
    let ops = read(sql, Dialect::Mysql);
    assert_eq!(
        ops,
        vec![
            (1, unsupported("CREATE PROCEDURE", None)),
            (
                2,
                OpKind::DropTable {
                    table: "after".into()
                }
            ),
        ]
    );
}

#[test]
fn unbalanced_block_falls_back_to_the_first_semicolon() {
    let sql = "CREATE TABLE t (a INT) BEGIN;\nDROP TABLE after;\n";
    let ops = read(sql, Dialect::Mysql);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert!(is_unreadable(&ops[0].1));
    assert_eq!(
        ops[1],
        (
            2,
            OpKind::DropTable {
                table: "after".into()
            }
        )
    );
}

#[test]
fn tokenizer_error_keeps_earlier_statements() {
    let sql = "DROP TABLE a;\n\nINSERT INTO t VALUES ('unterminated);\nDROP TABLE b;\n";
    let ops = lower_sql(sql, Dialect::Mysql);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(ops[0].kind, OpKind::DropTable { table: "a".into() });
    assert_eq!(ops[1].line, 3);
    assert!(ops[1].source.starts_with("INSERT INTO t"));
    match &ops[1].kind {
        OpKind::Unreadable { error } => assert!(error.contains("Unterminated"), "{error}"),
        other => panic!("not unreadable: {other:?}"),
    }
}

#[test]
fn deep_nesting_is_unreadable_not_a_crash() {
    let nested = format!("SELECT {}1{};", "(".repeat(5000), ")".repeat(5000));
    let sql = format!("{nested}\nDROP TABLE after;");
    let ops = read(&sql, Dialect::Generic);
    assert_eq!(ops.len(), 2);
    assert!(matches!(&ops[0].1, OpKind::Unreadable { error } if error.contains("nested")));
    assert_eq!(
        ops[1],
        (
            2,
            OpKind::DropTable {
                table: "after".into()
            }
        )
    );
}

#[test]
fn non_mysql_delimiter_line_is_unreadable_at_its_line() {
    let ops = read("SELECT 1;\nDELIMITER $$\n", Dialect::Postgres);
    assert_eq!(ops.len(), 2);
    assert_eq!(ops[1].0, 2);
    assert!(is_unreadable(&ops[1].1));
}

#[test]
fn every_operation_of_a_statement_shares_its_line_and_text() {
    let ops = lower_sql(
        "\n  ALTER TABLE t DROP COLUMN a, DROP COLUMN b  ;",
        Dialect::Postgres,
    );
    assert_eq!(ops.len(), 2);
    for op in &ops {
        assert_eq!(op.line, 2);
        assert_eq!(op.source, "ALTER TABLE t DROP COLUMN a, DROP COLUMN b");
    }
}

#[test]
fn read_sql_migration_wraps_the_operations() {
    let parsed = read_sql_migration("DROP TABLE a;", Dialect::Mysql);
    assert_eq!(parsed.operations.len(), 1);
    assert!(parsed.revision.is_none());
}

// ---------------------------------------------------------------- CREATE TABLE

#[test]
fn mysql_create_table() {
    let sql = "CREATE TABLE IF NOT EXISTS `rules` (\n\
                 `rule_id` INT(11) NOT NULL AUTO_INCREMENT,\n\
                 name VARCHAR(100) DEFAULT 'x',\n\
                 kind ENUM('a','b') NOT NULL,\n\
                 amount DECIMAL(10,2) UNSIGNED,\n\
                 owner INT,\n\
                 PRIMARY KEY (`rule_id`),\n\
                 UNIQUE KEY uk_name (name),\n\
                 KEY idx_kind (kind),\n\
                 CONSTRAINT fk_owner FOREIGN KEY (owner) REFERENCES users (id)\n\
               ) ENGINE=InnoDB;";
    let ops = read(sql, Dialect::Mysql);
    let mut rule_id = ColumnDef::new("rule_id", ty("INT", &[11]));
    rule_id.nullable = false;
    rule_id.auto_increment = true;
    let mut name = ColumnDef::new("name", ty("VARCHAR", &[100]));
    name.default = Some("'x'".into());
    let mut kind = ColumnDef::new(
        "kind",
        Some(SqlType {
            values: vec!["a".into(), "b".into()],
            ..SqlType::named("ENUM")
        }),
    );
    kind.nullable = false;
    let amount = ColumnDef::new(
        "amount",
        Some(SqlType {
            unsigned: true,
            ..SqlType::with_params("DECIMAL", &[10, 2])
        }),
    );
    let owner = ColumnDef::new("owner", ty("INT", &[]));
    assert_eq!(
        ops,
        vec![
            (
                1,
                OpKind::CreateTable {
                    table: "rules".into(),
                    columns: vec![rule_id, name, kind, amount, owner],
                    constraints: vec![
                        constraint(None, ConstraintKind::PrimaryKey, &["rule_id"]),
                        constraint(
                            Some("fk_owner"),
                            ConstraintKind::ForeignKey {
                                references: "users".into()
                            },
                            &["owner"]
                        ),
                    ],
                    if_not_exists: true,
                }
            ),
            (1, index("uk_name", "rules", &["name"], true)),
            (1, index("idx_kind", "rules", &["kind"], false)),
        ]
    );
}

#[test]
fn postgres_create_table() {
    let sql = "CREATE TABLE s.items (\n\
                 id BIGSERIAL PRIMARY KEY,\n\
                 seq INT GENERATED ALWAYS AS IDENTITY,\n\
                 total NUMERIC GENERATED ALWAYS AS (a + b) STORED,\n\
                 owner INT REFERENCES users(id),\n\
                 email TEXT UNIQUE CHECK (email <> ''),\n\
                 ts TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),\n\
                 code \"CHAR\",\n\
                 CONSTRAINT positive CHECK (id > 0)\n\
               );";
    let OpKind::CreateTable {
        table,
        columns,
        constraints,
        if_not_exists,
    } = only(sql, Dialect::Postgres)
    else {
        panic!("not a create table");
    };
    assert_eq!(table, "s.items");
    assert!(!if_not_exists);
    let mut id = ColumnDef::new("id", ty("BIGSERIAL", &[]));
    id.nullable = false;
    id.auto_increment = true;
    id.primary_key = true;
    let mut seq = ColumnDef::new("seq", ty("INT", &[]));
    seq.auto_increment = true;
    let mut total = ColumnDef::new("total", ty("NUMERIC", &[]));
    total.generated = true;
    let owner = ColumnDef::new("owner", ty("INT", &[]));
    let mut email = ColumnDef::new("email", ty("TEXT", &[]));
    email.unique = true;
    let mut ts = ColumnDef::new("ts", ty("TIMESTAMP WITH TIME ZONE", &[3]));
    ts.nullable = false;
    ts.default = Some("now()".into());
    assert_eq!(
        columns[..7],
        [id, seq, total, owner, email, ts, columns[6].clone()]
    );
    assert_eq!(columns[6].name, "code");
    assert_eq!(
        constraints,
        vec![
            constraint(
                None,
                ConstraintKind::ForeignKey {
                    references: "users".into()
                },
                &["owner"]
            ),
            constraint(
                None,
                ConstraintKind::Check {
                    expr: "email <> ''".into()
                },
                &["email"]
            ),
            constraint(
                Some("positive"),
                ConstraintKind::Check {
                    expr: "id > 0".into()
                },
                &[]
            ),
        ]
    );
}

#[test]
fn sqlite_create_table() {
    let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, untyped, \
               b TEXT NOT NULL DEFAULT '', PRIMARY KEY (b));";
    let OpKind::CreateTable { columns, .. } = only(sql, Dialect::Sqlite) else {
        panic!("not a create table");
    };
    let mut id = ColumnDef::new("id", ty("INTEGER", &[]));
    id.nullable = false;
    id.auto_increment = true;
    id.primary_key = true;
    let mut b = ColumnDef::new("b", ty("TEXT", &[]));
    b.nullable = false;
    b.default = Some("''".into());
    assert_eq!(columns, vec![id, ColumnDef::new("untyped", None), b]);
}

#[test]
fn table_level_primary_key_makes_columns_not_null() {
    let OpKind::CreateTable { columns, .. } = only(
        "CREATE TABLE t (a INT, b INT, PRIMARY KEY (a));",
        Dialect::Generic,
    ) else {
        panic!("not a create table");
    };
    assert!(!columns[0].nullable);
    assert!(columns[1].nullable);
}

#[test]
fn create_table_as_and_like_are_unsupported() {
    assert_eq!(
        only("CREATE TABLE t2 AS SELECT * FROM t;", Dialect::Postgres),
        unsupported("CREATE TABLE AS", Some("t2"))
    );
    assert_eq!(
        only("CREATE TABLE t3 LIKE t;", Dialect::Mysql),
        unsupported("CREATE TABLE LIKE", Some("t3"))
    );
}

#[test]
fn quoted_names_are_unquoted() {
    assert_eq!(
        only("DROP TABLE \"Public\".\"Rules\";", Dialect::Postgres),
        OpKind::DropTable {
            table: "Public.Rules".into()
        }
    );
    assert_eq!(
        only("DROP TABLE `db`.`rules`;", Dialect::Mysql),
        OpKind::DropTable {
            table: "db.rules".into()
        }
    );
}

// ---------------------------------------------------------------- ALTER TABLE, MySQL

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
            (1, unsupported("ALTER TABLE ENGINE", Some("t"))),
            (2, unsupported("ALTER TABLE CONVERT TO", Some("t"))),
            (3, unsupported("ALTER TABLE RENAME INDEX", Some("t"))),
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

// ---------------------------------------------------------------- ALTER TABLE, PostgreSQL

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
                OpKind::AddColumn {
                    table: "items".into(),
                    column: x
                }
            ),
            (
                1,
                OpKind::DropColumn {
                    table: "items".into(),
                    column: "y".into()
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
                        ConstraintKind::ForeignKey {
                            references: "users".into()
                        },
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
                    ConstraintKind::ForeignKey {
                        references: "u".into()
                    },
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
            (4, unsupported("ALTER TABLE VALIDATE CONSTRAINT", Some("t"))),
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

// ---------------------------------------------------------------- indexes

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

// ---------------------------------------------------------------- other objects

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
            (2, unsupported("ALTER TYPE", Some("mood"))),
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
            (1, unsupported("DO", None)),
            (2, unsupported("CREATE PROCEDURE", None)),
            (
                3,
                unsupported("ALTER TABLE ALTER CONSTRAINT", Some("items"))
            ),
            (4, unsupported("REINDEX", Some("items"))),
            (5, unsupported("CREATE STATISTICS", None)),
            (6, unsupported("COMMENT ON", Some("items"))),
            (7, unsupported("ALTER SEQUENCE", None)),
            (8, unsupported("ALTER TABLE SET", Some("items"))),
            (9, unsupported("GRANT", None)),
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
            (2, unsupported("CREATE TRIGGER", Some("t"))),
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

// ---------------------------------------------------------------- data and no-effect

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
        unsupported("SELECT INTO", Some("backup"))
    );
    assert_eq!(
        only(
            "WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone;",
            Dialect::Postgres
        ),
        unsupported("WITH data change", None)
    );
}

#[test]
fn unbalanced_blocks_everywhere_stay_linear() {
    // Each statement opens a block it never closes; recovery must not rescan the file
    // to its end for every one of them.
    let sql: String = (0..3000)
        .map(|i| format!("CREATE PROCEDURE p{i}() BEGIN x;\n"))
        .collect();
    let ops = read(&sql, Dialect::Mysql);
    assert_eq!(ops.len(), 3000);
    assert_eq!(ops[2999].0, 3000);
}

#[test]
fn other_alter_table_actions_are_unsupported_with_their_table() {
    assert_eq!(
        read(
            "ALTER TABLE t OWNER TO x;\n\
             ALTER TABLE t ENABLE TRIGGER trg;\n\
             ALTER TABLE t ADD CONSTRAINT ex EXCLUDE USING gist (a WITH &&);\n\
             ALTER TABLE t ADD COLUMN a INT, OWNER TO x;\n",
            Dialect::Postgres
        ),
        vec![
            (1, unsupported("ALTER TABLE OWNER TO", Some("t"))),
            (2, unsupported("ALTER TABLE ENABLE TRIGGER", Some("t"))),
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
            (4, unsupported("ALTER TABLE OWNER TO", Some("t"))),
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
            (6, unsupported("DROP TRIGGER", Some("t"))),
        ]
    );
}

//! CREATE TABLE and names.

use super::*;
use super::fk_to;
use crate::model::ops::{ColumnDef, ConstraintKind, Dialect, OpKind, SqlType};

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
                            fk_to("users", "id"),
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
    seq.nullable = false;
    let mut total = ColumnDef::new("total", ty("NUMERIC", &[]));
    total.generated = true;
    let owner = ColumnDef::new("owner", ty("INT", &[]));
    let mut email = ColumnDef::new("email", ty("TEXT", &[]));
    email.unique = true;
    let mut ts = ColumnDef::new("ts", ty("TIMESTAMP WITH TIME ZONE", &[3]));
    ts.nullable = false;
    ts.default = Some("now()".into());
    // sqlparser reads PostgreSQL's quoted "char" (a one-byte type) as CHAR.
    let code = ColumnDef::new("code", ty("CHAR", &[]));
    assert_eq!(columns, [id, seq, total, owner, email, ts, code]);
    assert_eq!(
        constraints,
        vec![
            constraint(
                None,
                fk_to("users", "id"),
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
fn create_table_as_names_its_column_sources_and_like_is_unsupported() {
    assert_eq!(
        only("CREATE TABLE t2 AS SELECT * FROM t;", Dialect::Postgres),
        OpKind::CreateTableAs {
            table: "t2".into(),
            columns: vec!["*".into()],
            sources: vec!["*:t".into()]
        }
    );
    assert_eq!(
        only(
            "CREATE TABLE t4 AS SELECT a.x, y AS z, count(*), max(a.w) AS m, NULL::int AS n, \
             a.x > 0 AS pos, u.* FROM t a JOIN u ON u.id = a.id;",
            Dialect::Postgres
        ),
        OpKind::CreateTableAs {
            table: "t4".into(),
            columns: ["x", "z", "count", "m", "n", "pos", "*"]
                .map(String::from)
                .to_vec(),
            sources: [
                "t.x",
                "t.y|u.y",
                "type:BIGINT",
                "t.w",
                "type:INT",
                "type:BOOLEAN",
                "*:u"
            ]
            .map(String::from)
            .to_vec()
        }
    );
    assert_eq!(
        only("CREATE TABLE t3 LIKE t;", Dialect::Mysql),
        OpKind::CreateTableLike {
            table: "t3".into(),
            source: "t".into(),
            including: vec![]
        }
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

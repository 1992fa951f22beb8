//! Sameness (baseline detection), differences and DDL output.

use super::apply_tests::{col, create, index, not_null, op, pk, rules};
use super::*;
use crate::model::ops::{
    ColumnDef, Constraint, ConstraintKind, Dialect, OpKind, Operation, SqlType,
};

fn with_default(mut c: ColumnDef, default: &str) -> ColumnDef {
    c.default = Some(default.into());
    c
}

#[test]
fn same_definition_ignores_aliases_case_order_and_key_spelling() {
    let mut c = Catalog::new(Dialect::Mysql);
    c.apply(&op(create(
        "releases",
        vec![
            pk(col("name", "VARCHAR", &[100])),
            not_null(col("data_version", "INT", &[11])),
            with_default(col("read_only", "BOOLEAN", &[]), "false"),
        ],
    )));
    // The squashed baseline: other spelling, other column order, table-level key.
    let baseline = OpKind::CreateTable {
        table: "RELEASES".into(),
        columns: vec![
            with_default(col("READ_ONLY", "TINYINT", &[1]), "'0'"),
            not_null(col("name", "CHARACTER VARYING", &[100])),
            not_null(col("data_version", "INTEGER", &[])),
        ],
        constraints: vec![Constraint {
            name: Some("pk_releases".into()),
            kind: ConstraintKind::PrimaryKey,
            columns: vec!["NAME".into()],
            not_valid: false,
        }],
        if_not_exists: false,
    };
    assert!(c.has_same_definition(&baseline));

    let different_length = create(
        "releases",
        vec![
            pk(col("name", "VARCHAR", &[50])),
            not_null(col("data_version", "INT", &[])),
            with_default(col("read_only", "BOOL", &[]), "0"),
        ],
    );
    assert!(!c.has_same_definition(&different_length));
    let nullable = create(
        "releases",
        vec![
            pk(col("name", "VARCHAR", &[100])),
            col("data_version", "INT", &[]),
            with_default(col("read_only", "BOOL", &[]), "0"),
        ],
    );
    assert!(!c.has_same_definition(&nullable));
    let extra_column = create(
        "releases",
        vec![
            pk(col("name", "VARCHAR", &[100])),
            not_null(col("data_version", "INT", &[])),
            with_default(col("read_only", "BOOL", &[]), "0"),
            col("extra", "INT", &[]),
        ],
    );
    assert!(!c.has_same_definition(&extra_column));
    assert!(!c.has_same_definition(&create("missing", vec![])));
}

#[test]
fn boolean_is_not_tinyint_outside_mysql() {
    let mut c = Catalog::new(Dialect::Postgres);
    c.apply(&op(create("t", vec![col("flag", "BOOLEAN", &[])])));
    assert!(c.has_same_definition(&create("t", vec![col("FLAG", "BOOL", &[])])));
    assert!(!c.has_same_definition(&create("t", vec![col("flag", "TINYINT", &[1])])));
}

#[test]
fn same_definition_of_indexes_columns_types_sequences_and_views() {
    let mut c = rules(Dialect::Mysql);
    c.apply(&op(index(Some("ix_product"), "rules", &["product"], false)));
    let mut email = col("email", "VARCHAR", &[100]);
    email.unique = true;
    c.apply(&op(OpKind::AddColumn {
        table: "rules".into(),
        column: email,
    }));
    assert!(c.has_same_definition(&index(Some("IX_PRODUCT"), "rules", &["PRODUCT"], false)));
    assert!(c.has_same_definition(&index(None, "rules", &["product"], false)));
    assert!(!c.has_same_definition(&index(Some("ix_product"), "rules", &["product"], true)));
    assert!(!c.has_same_definition(&index(Some("ix_other"), "rules", &["product"], false)));
    // The inline UNIQUE key is the unique index a baseline would create.
    assert!(c.has_same_definition(&index(None, "rules", &["email"], true)));
    assert!(c.has_same_definition(&OpKind::AddColumn {
        table: "rules".into(),
        column: col("PRIORITY", "INTEGER", &[]),
    }));
    assert!(!c.has_same_definition(&OpKind::AddColumn {
        table: "rules".into(),
        column: col("priority", "BIGINT", &[]),
    }));
    let mut unique_email = col("Email", "VARCHAR", &[100]);
    unique_email.unique = true;
    assert!(c.has_same_definition(&OpKind::AddColumn {
        table: "rules".into(),
        column: unique_email,
    }));
    assert!(!c.has_same_definition(&OpKind::AddColumn {
        table: "rules".into(),
        column: pk(col("email", "VARCHAR", &[100])),
    }));

    c.apply(&op(OpKind::CreateType {
        name: "mood".into(),
        values: vec!["a".into()],
    }));
    assert!(c.has_same_definition(&OpKind::CreateType {
        name: "MOOD".into(),
        values: vec!["a".into()],
    }));
    assert!(!c.has_same_definition(&OpKind::CreateType {
        name: "mood".into(),
        values: vec!["a".into(), "b".into()],
    }));
    c.apply(&op(OpKind::CreateSequence { name: "s".into() }));
    assert!(c.has_same_definition(&OpKind::CreateSequence { name: "S".into() }));

    let view = |source: &str, or_replace| Operation {
        line: 1,
        kind: OpKind::CreateView {
            view: "v".into(),
            or_replace,
        },
        source: source.into(),
    };
    c.apply(&view(
        "CREATE VIEW v AS\n  SELECT `name` FROM rules;",
        false,
    ));
    assert!(
        !c.has_same_definition(&view("", false).kind),
        "no body to compare"
    );
    assert!(c.has_same_definition_of(&view(
        "create or replace view V as select name from RULES",
        true
    )));
    assert!(!c.has_same_definition_of(&view("CREATE VIEW v AS SELECT 1", false)));
    // Operations that create nothing are never "the same".
    assert!(!c.has_same_definition(&OpKind::DropTable {
        table: "rules".into()
    }));
}

#[test]
fn diff_lists_changes_in_name_order() {
    let before = rules(Dialect::Mysql);
    let mut after = before.clone();
    for kind in [
        OpKind::AddColumn {
            table: "rules".into(),
            column: col("channel", "VARCHAR", &[75]),
        },
        OpKind::DropColumn {
            table: "rules".into(),
            column: "priority".into(),
        },
        OpKind::AlterColumnType {
            table: "rules".into(),
            column: "product".into(),
            new_type: SqlType::with_params("VARCHAR", &[50]),
        },
        // A spelling change only: not a difference.
        OpKind::AlterColumnType {
            table: "rules".into(),
            column: "rule_id".into(),
            new_type: SqlType::named("INT"),
        },
        index(Some("ix_channel"), "rules", &["channel"], false),
        create("a_new", vec![col("x", "INT", &[])]),
        OpKind::CreateType {
            name: "mood".into(),
            values: vec!["ok".into()],
        },
        OpKind::CreateSequence { name: "seq".into() },
    ] {
        after.apply(&op(kind));
    }
    after.apply(&op(OpKind::AddConstraint {
        table: "rules".into(),
        constraint: Constraint {
            name: Some("uq_product".into()),
            kind: ConstraintKind::Unique,
            columns: vec!["product".into()],
            not_valid: false,
        },
    }));
    let changes = diff(&before, &after);
    let expected = vec![
        SchemaChange::TableAdded {
            table: "a_new".into(),
        },
        SchemaChange::ColumnAdded {
            table: "rules".into(),
            column: col("channel", "VARCHAR", &[75]),
        },
        SchemaChange::ColumnRemoved {
            table: "rules".into(),
            column: col("priority", "INTEGER", &[]),
        },
        SchemaChange::ColumnChanged {
            table: "rules".into(),
            before: col("product", "VARCHAR", &[15]),
            after: col("product", "VARCHAR", &[50]),
        },
        SchemaChange::ConstraintAdded {
            table: "rules".into(),
            constraint: Constraint {
                name: Some("uq_product".into()),
                kind: ConstraintKind::Unique,
                columns: vec!["product".into()],
                not_valid: false,
            },
        },
        SchemaChange::IndexAdded {
            table: "rules".into(),
            index: Index {
                name: "ix_channel".into(),
                columns: vec!["channel".into()],
                unique: false,
                partial: false,
                implicit_name: false,
            },
        },
        SchemaChange::TypeAdded {
            name: "mood".into(),
        },
        SchemaChange::SequenceAdded { name: "seq".into() },
    ];
    assert_eq!(changes, expected);

    let reverse = diff(&after, &before);
    assert_eq!(reverse.len(), expected.len());
    assert_eq!(
        reverse.first(),
        Some(&SchemaChange::TableRemoved {
            table: "a_new".into()
        })
    );
    assert!(diff(&after, &after).is_empty());
}

#[test]
fn diff_of_add_then_drop_in_a_range_is_empty() {
    let before = rules(Dialect::Postgres);
    let mut after = before.clone();
    after.apply(&op(OpKind::AddColumn {
        table: "rules".into(),
        column: col("tmp", "INT", &[]),
    }));
    after.apply(&op(OpKind::DropColumn {
        table: "rules".into(),
        column: "tmp".into(),
    }));
    assert!(diff(&before, &after).is_empty());
}

#[test]
fn diff_reports_changed_indexes_views_and_types() {
    let mut before = rules(Dialect::Postgres);
    before.apply(&op(index(Some("ix"), "rules", &["product"], false)));
    before.apply(&op(OpKind::CreateType {
        name: "mood".into(),
        values: vec!["a".into()],
    }));
    before.apply(&Operation {
        line: 1,
        kind: OpKind::CreateView {
            view: "v".into(),
            or_replace: false,
        },
        source: "CREATE VIEW v AS SELECT 1".into(),
    });
    let mut after = before.clone();
    after.apply(&op(index(Some("ix"), "rules", &["priority"], false)));
    after.apply(&op(OpKind::DropType {
        name: "mood".into(),
    }));
    after.apply(&op(OpKind::CreateType {
        name: "mood".into(),
        values: vec!["a".into(), "b".into()],
    }));
    after.apply(&Operation {
        line: 1,
        kind: OpKind::CreateView {
            view: "v".into(),
            or_replace: true,
        },
        source: "CREATE OR REPLACE VIEW v AS SELECT 2".into(),
    });
    let changes = diff(&before, &after);
    let kinds: Vec<String> = changes
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.get("change").and_then(|c| c.as_str().map(String::from)))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "index-removed",
            "index-added",
            "view-changed",
            "type-changed"
        ]
    );
}

#[test]
fn ddl_is_normalised_and_deterministic() {
    let mut id = pk(col("id", "INT", &[]));
    id.auto_increment = true;
    let mut email = col("e-mail", "VARCHAR", &[100]);
    email.unique = true;
    let ops = [
        create(
            "users",
            vec![id, email, with_default(col("active", "BOOL", &[]), "1")],
        ),
        create(
            "accounts",
            vec![
                not_null(col("user_id", "INT", &[])),
                col("note", "TEXT", &[]),
            ],
        ),
        OpKind::AddConstraint {
            table: "accounts".into(),
            constraint: Constraint {
                name: Some("fk_user".into()),
                kind: ConstraintKind::foreign_key("users"),
                columns: vec!["user_id".into()],
                not_valid: false,
            },
        },
        index(Some("ix_b"), "accounts", &["note"], false),
        index(Some("ix_a"), "accounts", &["user_id", "lower(note)"], true),
        OpKind::Unsupported {
            what: "CREATE TRIGGER".into(),
            table: Some("users".into()),
        },
        OpKind::Unsupported {
            what: "GRANT".into(),
            table: None,
        },
    ];
    // Two catalogs built apart, not a clone: a clone copies whatever state decides the order,
    // so it would render the same even if the order came from how the catalog was built.
    let build = || {
        let mut c = Catalog::new(Dialect::Mysql);
        for kind in ops.iter().cloned() {
            c.apply(&op(kind));
        }
        c
    };
    let c = build();
    let expected = "\
-- uncertain: grant

CREATE TABLE accounts (
    user_id INT NOT NULL,
    note TEXT,
    CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users
);
CREATE UNIQUE INDEX ix_a ON accounts (user_id, lower(note));
CREATE INDEX ix_b ON accounts (note);

-- uncertain: create trigger
CREATE TABLE users (
    id INT NOT NULL AUTO_INCREMENT,
    `e-mail` VARCHAR(100),
    active BOOL DEFAULT 1,
    PRIMARY KEY (id),
    UNIQUE (`e-mail`)
);
";
    assert_eq!(c.to_ddl(Dialect::Mysql), expected);
    assert_eq!(build().to_ddl(Dialect::Mysql), expected, "deterministic");
}

#[test]
fn ddl_for_postgres_types_sequences_and_views() {
    let mut c = Catalog::new(Dialect::Postgres);
    let mut id = col("id", "BIGINT", &[]);
    id.auto_increment = true;
    c.apply(&op(create("t", vec![not_null(id)])));
    c.apply(&op(OpKind::CreateType {
        name: "mood".into(),
        values: vec!["it's".into(), "ok".into()],
    }));
    c.apply(&op(OpKind::CreateSequence { name: "Seq".into() }));
    c.apply(&Operation {
        line: 1,
        kind: OpKind::CreateView {
            view: "v".into(),
            or_replace: false,
        },
        source: "CREATE VIEW v AS\n    SELECT id FROM t;".into(),
    });
    c.apply(&op(OpKind::CreateView {
        view: "w".into(),
        or_replace: false,
    }));
    c.apply(&op(OpKind::Unsupported {
        what: "COMMENT ON".into(),
        table: Some("ghost".into()),
    }));
    let expected = "\
-- uncertain: ghost: comment on

CREATE TYPE mood AS ENUM ('it''s', 'ok');

CREATE SEQUENCE Seq;

CREATE TABLE t (
    id BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY
);

CREATE VIEW v AS SELECT id FROM t;

CREATE VIEW w AS /* definition not recorded */;
";
    assert_eq!(c.to_ddl(Dialect::Postgres), expected);
    assert_eq!(Catalog::new(Dialect::Mysql).to_ddl(Dialect::Mysql), "");
    let mut empty = Catalog::new(Dialect::Sqlite);
    empty.apply(&op(create("bare", vec![])));
    assert_eq!(empty.to_ddl(Dialect::Sqlite), "CREATE TABLE bare ();\n");
}

#[test]
fn ddl_shows_routines_triggers_and_objects_known_by_name() {
    let mut c = Catalog::new(Dialect::Postgres);
    for op in crate::read::sql::lower_sql(
        "CREATE TABLE t (id int PRIMARY KEY, n int);
         CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();
         ALTER TABLE t DISABLE TRIGGER t_bump;
         CREATE ROLE reader;",
        Dialect::Postgres,
    ) {
        c.apply(&op);
    }
    let ddl = c.to_ddl(Dialect::Postgres);
    assert!(ddl.contains("CREATE FUNCTION bump() RETURNS trigger\n"), "{ddl}");
    assert!(
        ddl.contains("-- disabled\nCREATE TRIGGER t_bump before insert on t"),
        "{ddl}"
    );
    assert!(ddl.contains("CREATE ROLE reader;"), "{ddl}");
}

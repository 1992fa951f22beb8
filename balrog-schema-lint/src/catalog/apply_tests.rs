//! Replay: the effect of every operation kind, conflicts, and history questions.

use super::*;
use crate::model::ops::{
    ColumnDef, Constraint, ConstraintKind, DataChangeKind, Dialect, OpKind, Operation, SqlType,
};

pub(super) fn op(kind: OpKind) -> Operation {
    Operation {
        line: 1,
        kind,
        source: String::new(),
    }
}

pub(super) fn col(name: &str, ty: &str, params: &[u64]) -> ColumnDef {
    ColumnDef::new(name, Some(SqlType::with_params(ty, params)))
}

pub(super) fn not_null(mut c: ColumnDef) -> ColumnDef {
    c.nullable = false;
    c
}

pub(super) fn pk(mut c: ColumnDef) -> ColumnDef {
    c.primary_key = true;
    c
}

pub(super) fn create(table: &str, columns: Vec<ColumnDef>) -> OpKind {
    OpKind::CreateTable {
        table: table.into(),
        columns,
        constraints: Vec::new(),
        if_not_exists: false,
    }
}

pub(super) fn index(name: Option<&str>, table: &str, columns: &[&str], unique: bool) -> OpKind {
    OpKind::CreateIndex {
        name: name.map(str::to_string),
        table: table.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        unique,
        concurrently: false,
        partial: false,
    }
}

fn fk(name: Option<&str>, columns: &[&str], references: &str) -> Constraint {
    Constraint {
        name: name.map(str::to_string),
        kind: ConstraintKind::foreign_key(references),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        not_valid: false,
    }
}

/// A catalog with `rules(rule_id INT PK AUTO_INCREMENT, product VARCHAR(15), priority INT)`.
pub(super) fn rules(dialect: Dialect) -> Catalog {
    let mut id = pk(col("rule_id", "INTEGER", &[]));
    id.auto_increment = true;
    let mut c = Catalog::new(dialect);
    let applied = c.apply(&op(create(
        "rules",
        vec![
            id,
            col("product", "VARCHAR", &[15]),
            col("priority", "INTEGER", &[]),
        ],
    )));
    assert_eq!(applied, Applied::Changed);
    c
}

fn conflict(applied: Applied) -> String {
    match applied {
        Applied::Conflict(why) => why,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn create_table_normalises_inline_primary_key() {
    let c = rules(Dialect::Mysql);
    let t = c.table("RULES").expect("table");
    assert_eq!(t.name(), "rules");
    let names: Vec<&str> = t.columns().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["rule_id", "product", "priority"]);
    let id = t.column("Rule_ID").expect("column");
    assert!(!id.nullable, "primary key columns are NOT NULL");
    assert!(!id.primary_key, "inline key moved to a constraint");
    assert!(t.in_primary_key("rule_id"));
    assert_eq!(
        t.primary_key().map(|k| k.columns.clone()),
        Some(vec!["rule_id".to_string()])
    );
}

#[test]
fn create_table_if_not_exists_on_existing_is_no_change() {
    let mut c = rules(Dialect::Mysql);
    let before = c.clone();
    let applied = c.apply(&op(OpKind::CreateTable {
        table: "Rules".into(),
        columns: vec![col("other", "INT", &[])],
        constraints: Vec::new(),
        if_not_exists: true,
    }));
    assert_eq!(applied, Applied::NoChange);
    assert_eq!(c, before);
}

#[test]
fn create_existing_table_conflicts_and_takes_the_new_definition() {
    let mut c = rules(Dialect::Mysql);
    let why = conflict(c.apply(&op(create("rules", vec![col("x", "INT", &[])]))));
    assert!(why.contains("already exists"), "{why}");
    let t = c.table("rules").expect("table");
    assert_eq!(t.columns().count(), 1);
    assert!(t.column("x").is_some());
}

#[test]
fn drop_table_and_conflict_on_missing() {
    let mut c = rules(Dialect::Mysql);
    let drop = op(OpKind::DropTable {
        table: "RULES".into(),
    });
    assert_eq!(c.apply(&drop), Applied::Changed);
    assert!(c.table("rules").is_none());
    assert!(conflict(c.apply(&drop)).contains("does not exist"));
}

#[test]
fn create_then_drop_then_create_in_sequence() {
    let mut c = Catalog::new(Dialect::Postgres);
    let steps = [
        (create("t", vec![col("a", "INT", &[])]), Applied::Changed),
        (OpKind::DropTable { table: "t".into() }, Applied::Changed),
        (create("t", vec![col("b", "TEXT", &[])]), Applied::Changed),
    ];
    for (kind, expected) in steps {
        assert_eq!(c.apply(&op(kind)), expected);
    }
    let t = c.table("t").expect("recreated");
    assert!(t.column("a").is_none());
    assert!(t.column("b").is_some());
}

#[test]
fn conflicts_do_not_abort_replay() {
    let mut c = Catalog::new(Dialect::Mysql);
    let ops = [
        OpKind::DropTable {
            table: "ghost".into(),
        },
        OpKind::AddColumn {
            table: "ghost".into(),
            column: col("a", "INT", &[]),
        },
        create("real", vec![col("a", "INT", &[])]),
        OpKind::AddColumn {
            table: "real".into(),
            column: col("A", "BIGINT", &[]),
        },
        OpKind::DropColumn {
            table: "real".into(),
            column: "nope".into(),
        },
        OpKind::AddColumn {
            table: "real".into(),
            column: col("b", "INT", &[]),
        },
    ];
    let results: Vec<Applied> = ops.into_iter().map(|k| c.apply(&op(k))).collect();
    let conflicts = results.iter().filter(|r| matches!(r, Applied::Conflict(_)));
    assert_eq!(conflicts.count(), 4, "{results:?}");
    assert_eq!(results.last(), Some(&Applied::Changed));
    let t = c.table("real").expect("table");
    // The duplicate ADD COLUMN took its definition, as later migrations expect.
    assert_eq!(
        t.column("a").and_then(|c| c.ty.clone()),
        Some(SqlType::named("BIGINT"))
    );
    assert!(t.column("b").is_some());
}

#[test]
fn rename_table_carries_indexes_constraints_and_references() {
    let mut c = rules(Dialect::Postgres);
    c.apply(&op(index(
        Some("rules_product_idx"),
        "rules",
        &["product"],
        false,
    )));
    c.apply(&op(create("history", vec![col("rule_id", "INT", &[])])));
    c.apply(&op(OpKind::AddConstraint {
        table: "history".into(),
        constraint: fk(Some("history_rule_fk"), &["rule_id"], "rules"),
    }));
    c.apply(&op(OpKind::Unsupported {
        what: "CREATE TRIGGER".into(),
        table: Some("rules".into()),
    }));
    let applied = c.apply(&op(OpKind::RenameTable {
        table: "rules".into(),
        new_name: "Rules2".into(),
    }));
    assert_eq!(applied, Applied::Changed);
    assert!(c.table("rules").is_none());
    let t = c.table("rules2").expect("renamed");
    assert_eq!(t.name(), "Rules2");
    assert!(t.index("RULES_PRODUCT_IDX").is_some());
    assert!(t.in_primary_key("rule_id"));
    assert_eq!(c.uncertainty("rules2"), ["create trigger"]);
    assert!(!c.is_uncertain("rules"));
    let history = c.table("history").expect("history");
    assert_eq!(
        history.constraints().first().map(|k| k.kind.clone()),
        Some(ConstraintKind::foreign_key("Rules2"))
    );
    // Dropping the index by its name still works in PostgreSQL (names are schema-wide).
    let drop = OpKind::DropIndex {
        name: "rules_product_idx".into(),
        table: None,
        concurrently: false,
    };
    assert_eq!(c.apply(&op(drop)), Applied::Changed);
}

#[test]
fn rename_table_conflicts() {
    let mut c = rules(Dialect::Mysql);
    c.apply(&op(create("other", vec![col("a", "INT", &[])])));
    let onto_existing = OpKind::RenameTable {
        table: "rules".into(),
        new_name: "OTHER".into(),
    };
    assert!(conflict(c.apply(&op(onto_existing))).contains("exists"));
    assert!(c.table("rules").is_some());
    let missing = OpKind::RenameTable {
        table: "nope".into(),
        new_name: "x".into(),
    };
    assert!(conflict(c.apply(&op(missing))).contains("does not exist"));
}

#[test]
fn views_types_and_sequences() {
    let mut c = Catalog::new(Dialect::Postgres);
    let view = Operation {
        line: 3,
        kind: OpKind::CreateView {
            view: "v".into(),
            or_replace: false,
        },
        source: "CREATE VIEW v AS SELECT 1".into(),
    };
    assert_eq!(c.apply(&view), Applied::Changed);
    assert!(conflict(c.apply(&view)).contains("already exists"));
    let replace = Operation {
        kind: OpKind::CreateView {
            view: "v".into(),
            or_replace: true,
        },
        ..view.clone()
    };
    assert_eq!(c.apply(&replace), Applied::NoChange);
    assert_eq!(
        c.apply(&op(OpKind::DropView { view: "V".into() })),
        Applied::Changed
    );
    assert!(c.view("v").is_none());
    assert!(matches!(
        c.apply(&op(OpKind::DropView { view: "v".into() })),
        Applied::Conflict(_)
    ));

    let ty = OpKind::CreateType {
        name: "mood".into(),
        values: vec!["happy".into(), "sad".into()],
    };
    assert_eq!(c.apply(&op(ty.clone())), Applied::Changed);
    assert!(matches!(c.apply(&op(ty)), Applied::Conflict(_)));
    assert_eq!(c.named_type("MOOD").map(|t| t.values.len()), Some(2));
    assert_eq!(
        c.apply(&op(OpKind::DropType {
            name: "mood".into()
        })),
        Applied::Changed
    );
    assert!(matches!(
        c.apply(&op(OpKind::DropType {
            name: "mood".into()
        })),
        Applied::Conflict(_)
    ));

    let seq = OpKind::CreateSequence { name: "s".into() };
    assert_eq!(c.apply(&op(seq.clone())), Applied::Changed);
    assert!(matches!(c.apply(&op(seq)), Applied::Conflict(_)));
    assert!(c.sequence("S").is_some());
    assert_eq!(
        c.apply(&op(OpKind::DropSequence { name: "s".into() })),
        Applied::Changed
    );
    assert!(matches!(
        c.apply(&op(OpKind::DropSequence { name: "s".into() })),
        Applied::Conflict(_)
    ));
}

#[test]
fn add_drop_and_rename_column() {
    let mut c = rules(Dialect::Mysql);
    let add = OpKind::AddColumn {
        table: "rules".into(),
        column: col("channel", "VARCHAR", &[75]),
    };
    assert_eq!(c.apply(&op(add)), Applied::Changed);
    let names: Vec<String> = c
        .table("rules")
        .map(|t| t.columns().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["rule_id", "product", "priority", "channel"]);

    let rename = OpKind::RenameColumn {
        table: "rules".into(),
        column: "CHANNEL".into(),
        new_name: "chan".into(),
    };
    assert_eq!(c.apply(&op(rename)), Applied::Changed);
    assert!(c.column("rules", "channel").is_none());
    assert!(c.column("rules", "chan").is_some());

    let clash = OpKind::RenameColumn {
        table: "rules".into(),
        column: "chan".into(),
        new_name: "product".into(),
    };
    assert!(conflict(c.apply(&op(clash))).contains("exists"));

    let drop = OpKind::DropColumn {
        table: "rules".into(),
        column: "chan".into(),
    };
    assert_eq!(c.apply(&op(drop.clone())), Applied::Changed);
    assert!(conflict(c.apply(&op(drop))).contains("does not exist"));
}

#[test]
fn rename_column_updates_indexes_and_constraints() {
    let mut c = rules(Dialect::Mysql);
    c.apply(&op(index(
        Some("ix"),
        "rules",
        &["product", "priority"],
        false,
    )));
    c.apply(&op(OpKind::RenameColumn {
        table: "rules".into(),
        column: "rule_id".into(),
        new_name: "id".into(),
    }));
    c.apply(&op(OpKind::RenameColumn {
        table: "rules".into(),
        column: "product".into(),
        new_name: "prod".into(),
    }));
    let t = c.table("rules").expect("table");
    assert_eq!(
        t.index("ix").map(|i| i.columns.clone()),
        Some(vec!["prod".to_string(), "priority".to_string()])
    );
    assert!(t.in_primary_key("id"));
}

#[test]
fn drop_column_shrinks_indexes_in_mysql_and_drops_them_in_postgres() {
    for (dialect, kept) in [(Dialect::Mysql, true), (Dialect::Postgres, false)] {
        let mut c = rules(dialect);
        c.apply(&op(index(
            Some("both"),
            "rules",
            &["product", "priority"],
            false,
        )));
        c.apply(&op(index(Some("only"), "rules", &["product"], false)));
        c.apply(&op(OpKind::DropColumn {
            table: "rules".into(),
            column: "Product".into(),
        }));
        let t = c.table("rules").expect("table");
        assert!(
            t.index("only").is_none(),
            "{dialect}: emptied index dropped"
        );
        assert_eq!(t.index("both").is_some(), kept, "{dialect}");
        if kept {
            assert_eq!(
                t.index("both").map(|i| i.columns.clone()),
                Some(vec!["priority".to_string()])
            );
        }
    }
}

#[test]
fn alter_type_nullability_and_defaults() {
    let mut c = rules(Dialect::Postgres);
    let set_type = OpKind::AlterColumnType {
        table: "rules".into(),
        column: "product".into(),
        new_type: SqlType::with_params("VARCHAR", &[100]),
    };
    assert_eq!(c.apply(&op(set_type.clone())), Applied::Changed);
    assert_eq!(c.apply(&op(set_type)), Applied::NoChange);
    assert_eq!(
        c.column("rules", "product").and_then(|c| c.ty.clone()),
        Some(SqlType::with_params("VARCHAR", &[100]))
    );

    let target = |kind: fn(String, String) -> OpKind| op(kind("rules".into(), "priority".into()));
    let set_nn = target(|table, column| OpKind::SetNotNull { table, column });
    let drop_nn = target(|table, column| OpKind::DropNotNull { table, column });
    let drop_default = target(|table, column| OpKind::DropDefault { table, column });
    assert_eq!(c.apply(&set_nn), Applied::Changed);
    assert_eq!(c.apply(&set_nn), Applied::NoChange);
    assert_eq!(
        c.column("rules", "priority").map(|c| c.nullable),
        Some(false)
    );
    assert_eq!(c.apply(&drop_nn), Applied::Changed);
    assert_eq!(
        c.column("rules", "priority").map(|c| c.nullable),
        Some(true)
    );

    let set_default = OpKind::SetDefault {
        table: "rules".into(),
        column: "priority".into(),
        default: " 100 ".into(),
    };
    assert_eq!(c.apply(&op(set_default.clone())), Applied::Changed);
    assert_eq!(c.apply(&op(set_default)), Applied::NoChange);
    assert_eq!(
        c.column("rules", "priority")
            .and_then(|c| c.default.clone()),
        Some("100".to_string())
    );
    assert_eq!(c.apply(&drop_default), Applied::Changed);
    assert_eq!(c.apply(&drop_default), Applied::NoChange);
    assert_eq!(
        c.column("rules", "priority")
            .and_then(|c| c.default.clone()),
        None
    );

    // A primary key column stays NOT NULL.
    let pk_nullable = OpKind::DropNotNull {
        table: "rules".into(),
        column: "rule_id".into(),
    };
    assert!(conflict(c.apply(&op(pk_nullable))).contains("primary key"));
    let missing = OpKind::SetNotNull {
        table: "rules".into(),
        column: "nope".into(),
    };
    assert!(conflict(c.apply(&op(missing))).contains("does not exist"));
}

#[test]
fn mysql_modify_changes_nullability_and_drops_auto_increment() {
    let mut c = rules(Dialect::Mysql);
    // MODIFY rule_id BIGINT (no AUTO_INCREMENT, nullability not stated).
    let modify = OpKind::RedefineColumn {
        table: "rules".into(),
        column: "rule_id".into(),
        definition: col("rule_id", "BIGINT", &[]),
        reorders: false,
    };
    assert_eq!(c.apply(&op(modify.clone())), Applied::Changed);
    let id = c.column("rules", "rule_id").cloned().expect("column");
    assert!(!id.auto_increment, "MODIFY restates the whole column");
    assert!(!id.nullable, "still in the primary key");
    assert_eq!(id.ty, Some(SqlType::named("BIGINT")));
    assert_eq!(c.apply(&op(modify)), Applied::NoChange);

    // MODIFY priority INT NOT NULL.
    let modify = OpKind::RedefineColumn {
        table: "rules".into(),
        column: "priority".into(),
        definition: not_null(col("priority", "INT", &[])),
        reorders: false,
    };
    assert_eq!(c.apply(&op(modify)), Applied::Changed);
    assert_eq!(
        c.column("rules", "priority").map(|c| c.nullable),
        Some(false)
    );
}

#[test]
fn mysql_change_renames_and_keeps_position_and_indexes() {
    let mut c = rules(Dialect::Mysql);
    c.apply(&op(index(None, "rules", &["product"], false)));
    let change = OpKind::RedefineColumn {
        table: "rules".into(),
        column: "product".into(),
        definition: col("product_name", "VARCHAR", &[50]),
        reorders: false,
    };
    assert_eq!(c.apply(&op(change)), Applied::Changed);
    let t = c.table("rules").expect("table");
    let names: Vec<&str> = t.columns().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["rule_id", "product_name", "priority"]);
    // MySQL named the index after its first column.
    assert_eq!(
        t.index("product").map(|i| i.columns.clone()),
        Some(vec!["product_name".to_string()])
    );
    let clash = OpKind::RedefineColumn {
        table: "rules".into(),
        column: "priority".into(),
        definition: col("product_name", "INT", &[]),
        reorders: false,
    };
    assert!(conflict(c.apply(&op(clash))).contains("exists"));
    let missing = OpKind::RedefineColumn {
        table: "rules".into(),
        column: "ghost".into(),
        definition: col("ghost", "INT", &[]),
        reorders: true,
    };
    assert!(conflict(c.apply(&op(missing))).contains("added"));
    assert!(c.column("rules", "ghost").is_some());
}

#[test]
fn indexes_create_and_drop() {
    let mut c = rules(Dialect::Mysql);
    c.apply(&op(create("other", vec![col("product", "INT", &[])])));
    // MySQL index names are per table: the same name on two tables is fine.
    assert_eq!(
        c.apply(&op(index(Some("ix"), "rules", &["product"], true))),
        Applied::Changed
    );
    assert_eq!(
        c.apply(&op(index(Some("ix"), "other", &["product"], false))),
        Applied::Changed
    );
    assert_eq!(
        c.apply(&op(index(Some("ix"), "rules", &["product"], true))),
        Applied::NoChange,
        "an identical index again (IF NOT EXISTS is not recorded)"
    );
    assert!(
        conflict(c.apply(&op(index(Some("IX"), "rules", &["priority"], false))))
            .contains("replaced")
    );
    let ambiguous = OpKind::DropIndex {
        name: "ix".into(),
        table: None,
        concurrently: false,
    };
    assert!(conflict(c.apply(&op(ambiguous))).contains("several"));
    let on_table = OpKind::DropIndex {
        name: "ix".into(),
        table: Some("other".into()),
        concurrently: false,
    };
    assert_eq!(c.apply(&op(on_table.clone())), Applied::Changed);
    assert!(conflict(c.apply(&op(on_table))).contains("does not exist"));
    let now_unique = OpKind::DropIndex {
        name: "ix".into(),
        table: None,
        concurrently: false,
    };
    assert_eq!(c.apply(&op(now_unique)), Applied::Changed);
    assert!(c.index("ix").is_none());
    let missing_table = index(Some("iy"), "ghost", &["a"], false);
    assert!(conflict(c.apply(&op(missing_table))).contains("ghost"));
}

#[test]
fn postgres_index_names_are_schema_wide() {
    let mut c = rules(Dialect::Postgres);
    c.apply(&op(create("other", vec![col("a", "INT", &[])])));
    c.apply(&op(index(Some("ix"), "rules", &["product"], false)));
    let applied = c.apply(&op(index(Some("ix"), "other", &["a"], false)));
    assert!(matches!(applied, Applied::Conflict(_)));
    assert!(c.table("rules").and_then(|t| t.index("ix")).is_none());
    assert!(c.table("other").and_then(|t| t.index("ix")).is_some());
    // Unnamed indexes get PostgreSQL's generated names, avoiding clashes.
    c.apply(&op(index(None, "rules", &["product", "priority"], false)));
    c.apply(&op(index(None, "rules", &["product", "priority"], true)));
    let t = c.table("rules").expect("table");
    let names: Vec<&str> = t.indexes().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["rules_product_priority_idx", "rules_product_priority_idx1"]
    );
}

#[test]
fn constraints_add_and_drop() {
    let mut c = Catalog::new(Dialect::Mysql);
    c.apply(&op(create(
        "t",
        vec![col("a", "INT", &[]), col("b", "INT", &[])],
    )));
    let add_pk = OpKind::AddConstraint {
        table: "t".into(),
        constraint: Constraint {
            name: None,
            kind: ConstraintKind::PrimaryKey,
            columns: vec!["a".into(), "b".into()],
            not_valid: false,
        },
    };
    assert_eq!(c.apply(&op(add_pk.clone())), Applied::Changed);
    assert_eq!(c.column("t", "b").map(|c| c.nullable), Some(false));
    assert!(conflict(c.apply(&op(add_pk))).contains("primary key"));
    assert_eq!(
        c.table("t").map(|t| t.constraints().len()),
        Some(1),
        "replaced, not doubled"
    );
    let add_fk = OpKind::AddConstraint {
        table: "t".into(),
        constraint: fk(None, &["b"], "other"),
    };
    assert_eq!(c.apply(&op(add_fk)), Applied::Changed);
    // MySQL's generated name for the first foreign key.
    let drop_fk = OpKind::DropConstraint {
        table: "t".into(),
        name: "t_ibfk_1".into(),
    };
    assert_eq!(c.apply(&op(drop_fk.clone())), Applied::Changed);
    assert!(conflict(c.apply(&op(drop_fk))).contains("does not exist"));
    let drop_pk = OpKind::DropConstraint {
        table: "t".into(),
        name: "PRIMARY".into(),
    };
    assert_eq!(c.apply(&op(drop_pk.clone())), Applied::Changed);
    assert!(c.table("t").and_then(|t| t.primary_key()).is_none());
    assert!(conflict(c.apply(&op(drop_pk))).contains("no primary key"));
    // Columns keep NOT NULL after the key goes, as in the databases.
    assert_eq!(c.column("t", "a").map(|c| c.nullable), Some(false));
}

#[test]
fn named_constraints_and_unique_keys_by_either_drop() {
    let mut c = Catalog::new(Dialect::Mysql);
    let mut email = col("email", "VARCHAR", &[100]);
    email.unique = true;
    c.apply(&op(create("users", vec![email])));
    // MySQL: an inline UNIQUE is an index named after the column.
    let drop_key = OpKind::DropIndex {
        name: "email".into(),
        table: Some("users".into()),
        concurrently: false,
    };
    assert_eq!(c.apply(&op(drop_key)), Applied::Changed);
    assert!(c.table("users").is_some_and(|t| t.constraints().is_empty()));

    let named = OpKind::AddConstraint {
        table: "users".into(),
        constraint: Constraint {
            name: Some("uq_email".into()),
            kind: ConstraintKind::Unique,
            columns: vec!["email".into()],
            not_valid: false,
        },
    };
    assert_eq!(c.apply(&op(named.clone())), Applied::Changed);
    assert!(conflict(c.apply(&op(named))).contains("uq_email"));
    let drop = OpKind::DropConstraint {
        table: "users".into(),
        name: "UQ_EMAIL".into(),
    };
    assert_eq!(c.apply(&op(drop)), Applied::Changed);
    // DROP KEY on a separately created unique index.
    c.apply(&op(index(Some("ix_email"), "users", &["email"], true)));
    let drop = OpKind::DropConstraint {
        table: "users".into(),
        name: "ix_email".into(),
    };
    assert_eq!(c.apply(&op(drop)), Applied::Changed);
    assert!(c.index("ix_email").is_none());
}

#[test]
fn data_changes_and_no_effect_leave_the_schema() {
    let mut c = rules(Dialect::Mysql);
    let before = c.clone();
    let insert = OpKind::DataChange {
        change: DataChangeKind::Insert,
        table: "rules".into(),
        filtered: true,
    };
    assert_eq!(c.apply(&op(insert)), Applied::NoChange);
    let begin = OpKind::NoEffect {
        what: "BEGIN".into(),
    };
    assert_eq!(c.apply(&op(begin)), Applied::NoChange);
    let delete_missing = OpKind::DataChange {
        change: DataChangeKind::Delete,
        table: "ghost".into(),
        filtered: false,
    };
    assert!(conflict(c.apply(&op(delete_missing))).contains("ghost"));
    assert_eq!(c, before);
}

#[test]
fn unsupported_marks_uncertain_and_unreadable_is_recorded() {
    let mut c = rules(Dialect::Mysql);
    let trigger = OpKind::Unsupported {
        what: "CREATE TRIGGER".into(),
        table: Some("Rules".into()),
    };
    assert_eq!(c.apply(&op(trigger.clone())), Applied::Unknown);
    assert_eq!(c.apply(&op(trigger)), Applied::Unknown);
    assert_eq!(c.uncertainty("rules"), ["create trigger"], "recorded once");
    let function = OpKind::Unsupported {
        what: "CREATE FUNCTION".into(),
        table: None,
    };
    assert_eq!(c.apply(&op(function)), Applied::Unknown);
    let unreadable = Operation {
        line: 7,
        kind: OpKind::Unreadable {
            error: "unexpected token".into(),
        },
        source: String::new(),
    };
    assert_eq!(c.apply(&unreadable), Applied::Unknown);
    assert_eq!(
        c.unmodelled(),
        [
            "create function".to_string(),
            "unreadable statement at line 7: unexpected token".to_string()
        ]
    );
    // The schema itself is unchanged; dropping the table clears its marks.
    assert!(c.table("rules").is_some());
    c.apply(&op(OpKind::DropTable {
        table: "rules".into(),
    }));
    assert!(!c.is_uncertain("rules"));
}

#[test]
fn created_in_range_tracks_tables_and_columns() {
    let mut c = rules(Dialect::Mysql);
    assert!(!c.created_in_range("rules"), "no range yet");
    c.begin_range();
    assert!(!c.created_in_range("rules"));
    c.apply(&op(create("fresh", vec![col("a", "INT", &[])])));
    c.apply(&op(OpKind::AddColumn {
        table: "rules".into(),
        column: col("added", "INT", &[]),
    }));
    c.apply(&op(OpKind::RenameTable {
        table: "fresh".into(),
        new_name: "fresh2".into(),
    }));
    assert!(c.created_in_range("FRESH2"));
    assert!(c.column_created_in_range("fresh2", "a"));
    assert!(c.column_created_in_range("rules", "ADDED"));
    assert!(!c.column_created_in_range("rules", "product"));
    assert!(!c.created_in_range("missing"));
    // History does not make two equal schemas unequal.
    let mut replayed = Catalog::new(Dialect::Mysql);
    for t in c.tables() {
        let columns = t.columns().cloned().collect();
        let constraints = t.constraints().to_vec();
        replayed.apply(&op(OpKind::CreateTable {
            table: t.name().into(),
            columns,
            constraints,
            if_not_exists: false,
        }));
    }
    assert_eq!(replayed, c);
}

#[test]
fn replaying_thousands_of_operations_is_fast() {
    let mut c = Catalog::new(Dialect::Mysql);
    let start = std::time::Instant::now();
    for t in 0..300 {
        let table = format!("t{t}");
        c.apply(&op(create(&table, vec![pk(col("id", "INT", &[]))])));
        for i in 0..20 {
            c.apply(&op(OpKind::AddColumn {
                table: table.clone(),
                column: col(&format!("c{i}"), "VARCHAR", &[50]),
            }));
            c.apply(&op(index(None, &table, &[&format!("c{i}")], false)));
            c.apply(&op(OpKind::AlterColumnType {
                table: table.clone(),
                column: format!("c{i}"),
                new_type: SqlType::with_params("VARCHAR", &[100]),
            }));
        }
    }
    assert_eq!(c.tables().count(), 300);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

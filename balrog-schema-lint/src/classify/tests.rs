use super::*;
use crate::model::ops::{Dialect, SqlType};

fn op(kind: OpKind) -> Operation {
    Operation {
        line: 1,
        kind,
        source: String::new(),
    }
}

fn column(name: &str, ty: &str, params: &[u64], nullable: bool) -> ColumnDef {
    let mut c = ColumnDef::new(name, Some(SqlType::with_params(ty, params)));
    c.nullable = nullable;
    c
}

fn create(table: &str, columns: Vec<ColumnDef>) -> Operation {
    op(OpKind::CreateTable {
        table: table.into(),
        columns,
        constraints: vec![],
        if_not_exists: false,
    })
}

/// The schema after replaying `history`.
fn schema(history: &[Operation]) -> Catalog {
    let mut catalog = Catalog::new(Dialect::Mysql);
    for op in history {
        catalog.apply(op);
    }
    catalog
}

fn directions(before: &Catalog, range: &[Operation]) -> Vec<Direction> {
    judge_range(before, range)
        .judgements
        .iter()
        .map(|j| j.direction)
        .collect()
}

fn rules_table() -> Operation {
    let mut id = column("id", "INT", &[], false);
    id.auto_increment = true;
    create(
        "rules",
        vec![
            id,
            column("comment", "VARCHAR", &[100], true),
            column("n", "INT", &[], true),
        ],
    )
}

#[test]
fn verdict_aggregation() {
    use Direction::*;
    assert_eq!(verdict([]), Verdict::None);
    assert_eq!(verdict([Neutral]), Verdict::None);
    assert_eq!(verdict([Expand, Neutral]), Verdict::Additive);
    assert_eq!(verdict([Contract]), Verdict::Destructive);
    assert_eq!(verdict([Expand, Contract]), Verdict::Mixed);
    assert_eq!(verdict([Expand, Breaking]), Verdict::Breaking);
    assert_eq!(verdict([Breaking, NeedsReview]), Verdict::NeedsReview);
}

#[test]
fn not_null_column_without_default_is_breaking_unless_table_is_new() {
    let add = op(OpKind::AddColumn {
        table: "t".into(),
        column: column("x", "INT", &[], false),
    });
    let before = schema(&[create("t", vec![column("a", "INT", &[], true)])]);
    assert_eq!(
        directions(&before, std::slice::from_ref(&add)),
        [Direction::Breaking]
    );
    let judged = judge_range(&Catalog::new(Dialect::Mysql), &[create("T", vec![]), add]);
    assert_eq!(judged.judgements[1].direction, Direction::Neutral);
    assert_eq!(judged.judgements[1].context, Context::NewInRange);
}

#[test]
fn add_then_drop_nets_to_nothing() {
    let before = schema(&[rules_table()]);
    let add = op(OpKind::AddColumn {
        table: "rules".into(),
        column: column("x", "INT", &[], true),
    });
    let drop = op(OpKind::DropColumn {
        table: "rules".into(),
        column: "X".into(),
    });
    assert_eq!(
        directions(&before, &[add, drop]),
        [Direction::Neutral, Direction::Neutral]
    );
}

#[test]
fn modify_is_judged_against_the_old_column() {
    let before = schema(&[rules_table()]);
    let modify = |def: ColumnDef| {
        op(OpKind::RedefineColumn {
            table: "rules".into(),
            column: def.name.clone(),
            definition: def,
            reorders: false,
        })
    };
    // VARCHAR(100) -> VARCHAR(500), still nullable: widening.
    assert_eq!(
        directions(
            &before,
            &[modify(column("comment", "VARCHAR", &[500], true))]
        ),
        [Direction::Expand]
    );
    // Narrowing.
    assert_eq!(
        directions(
            &before,
            &[modify(column("comment", "VARCHAR", &[50], true))]
        ),
        [Direction::Breaking]
    );
    // Adding NOT NULL only: contract.
    assert_eq!(
        directions(
            &before,
            &[modify(column("comment", "VARCHAR", &[100], false))]
        ),
        [Direction::Contract]
    );
    // Dropping AUTO_INCREMENT: contract, with the reason.
    let judged = judge_range(&before, &[modify(column("id", "INTEGER", &[], false))]);
    assert_eq!(judged.judgements[0].direction, Direction::Contract);
    assert!(judged.judgements[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("AUTO_INCREMENT"));
    // Restating the same column: neutral.
    assert_eq!(
        directions(&before, &[modify(column("n", "INTEGER", &[], true))]),
        [Direction::Neutral]
    );
}

#[test]
fn alter_type_widening_and_unknown_old_type() {
    let before = schema(&[rules_table()]);
    let alter = |table: &str, ty: SqlType| {
        op(OpKind::AlterColumnType {
            table: table.into(),
            column: "n".into(),
            new_type: ty,
        })
    };
    assert_eq!(
        directions(&before, &[alter("rules", SqlType::named("BIGINT"))]),
        [Direction::Expand]
    );
    assert_eq!(
        directions(&before, &[alter("rules", SqlType::named("SMALLINT"))]),
        [Direction::Breaking]
    );
    assert_eq!(
        directions(&before, &[alter("unknown_table", SqlType::named("BIGINT"))]),
        [Direction::Breaking]
    );
}

#[test]
fn baseline_recreating_existing_tables_is_no_change() {
    let before = schema(&[rules_table()]);
    let judged = judge_range(&before, &[rules_table()]);
    assert_eq!(judged.judgements[0].direction, Direction::Neutral);
    assert_eq!(judged.judgements[0].context, Context::Baseline);
}

#[test]
fn drop_and_recreate_with_the_same_definition_is_no_change() {
    let before = schema(&[rules_table()]);
    let drop = op(OpKind::DropTable {
        table: "rules".into(),
    });
    let judged = judge_range(&before, &[drop, rules_table()]);
    assert!(
        judged
            .judgements
            .iter()
            .all(|j| j.direction == Direction::Neutral),
        "{judged:?}"
    );
}

#[test]
fn sqlite_rebuild_is_judged_by_the_final_table() {
    let before = schema(&[rules_table()]);
    let mut id = column("id", "INT", &[], false);
    id.auto_increment = true;
    // The rebuild widens comment and drops n.
    let rebuilt = create(
        "rules_new",
        vec![id, column("comment", "VARCHAR", &[200], true)],
    );
    let copy = op(OpKind::DataChange {
        change: crate::model::ops::DataChangeKind::Insert,
        table: "rules_new".into(),
        filtered: true,
    });
    let drop = op(OpKind::DropTable {
        table: "rules".into(),
    });
    let rename = op(OpKind::RenameTable {
        table: "rules_new".into(),
        new_name: "rules".into(),
    });
    let judged = judge_range(&before, &[rebuilt, copy, drop, rename]);
    let d: Vec<Direction> = judged.judgements.iter().map(|j| j.direction).collect();
    assert_eq!(
        d,
        [
            Direction::Neutral,
            Direction::Neutral,
            Direction::Neutral,
            Direction::Breaking
        ]
    );
    let reason = judged.judgements[3].reason.as_deref().unwrap();
    assert!(
        reason.contains("drops n") && reason.contains("widens"),
        "{reason}"
    );
}

#[test]
fn conflicts_are_recorded() {
    let before = schema(&[rules_table()]);
    let drop = op(OpKind::DropColumn {
        table: "rules".into(),
        column: "nope".into(),
    });
    let judged = judge_range(&before, &[drop]);
    assert!(judged.judgements[0].conflict.is_some());
    // The model did not change, but the model may be what is wrong: still a contract.
    assert_eq!(judged.judgements[0].direction, Direction::Contract);
}

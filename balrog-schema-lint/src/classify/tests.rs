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
    // Widening comment expands, dropping n contracts: a mixed change, as the two ALTERs
    // would be. The new table carries the expanding part, the rename the contracting one.
    assert_eq!(
        d,
        [
            Direction::Expand,
            Direction::Neutral,
            Direction::Neutral,
            Direction::Contract
        ]
    );
    let expanding = judged.judgements[0].reason.as_deref().unwrap();
    assert!(
        expanding.contains("widens") && !expanding.contains("drops n"),
        "{expanding}"
    );
    let reason = judged.judgements[3].reason.as_deref().unwrap();
    assert!(
        reason.contains("drops n") && !reason.contains("widens"),
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
    // The statement fails on a database the earlier migrations built.
    assert_eq!(judged.judgements[0].direction, Direction::NeedsReview);
    // Another change to a column the table lacks fails the same way.
    let rename = op(OpKind::RenameColumn {
        table: "rules".into(),
        column: "nope".into(),
        new_name: "yes".into(),
    });
    let judged = judge_range(&before, std::slice::from_ref(&rename));
    assert_eq!(
        judged.judgements[0].conflict.as_deref(),
        Some("column rules.nope does not exist")
    );
    assert_eq!(judged.judgements[0].direction, Direction::NeedsReview);
    assert_eq!(judged.judgements[0].context, Context::Conflict);
    // A table the schema does not know proves nothing (a partial history, no replay).
    let judged = judge_range(&schema(&[]), &[rename]);
    assert_ne!(judged.judgements[0].context, Context::Conflict);
}

#[test]
fn drops_of_absent_objects() {
    let before = schema(&[rules_table()]);
    let drop = |source: &str| Operation {
        line: 1,
        kind: OpKind::DropTable {
            table: "shutoffs".into(),
        },
        source: source.into(),
    };
    let judged = judge_range(&before, &[drop("DROP TABLE IF EXISTS shutoffs")]);
    assert_eq!(judged.judgements[0].direction, Direction::Neutral);
    assert_eq!(judged.judgements[0].context, Context::Absent);
    let judged = judge_range(&before, &[drop("DROP TABLE shutoffs")]);
    assert_eq!(judged.judgements[0].direction, Direction::NeedsReview);
    // Judged alone (no schema built), the statement keeps its own direction.
    let judged = judge_range(
        &Catalog::new(Dialect::Mysql),
        &[drop("DROP TABLE shutoffs")],
    );
    assert_eq!(judged.judgements[0].direction, Direction::Contract);
}

/// SQLite's rebuild that makes a column NOT NULL (create the new table, copy, drop, rename):
/// judged by the net change, a contract, never as a rename.
#[test]
fn sqlite_rebuild_that_sets_not_null_is_a_contract() {
    let before = schema(&[rules_table()]);
    let mut id = column("id", "INT", &[], false);
    id.auto_increment = true;
    let steps = |n: ColumnDef| {
        vec![
            create(
                "new_rules",
                vec![id.clone(), column("comment", "VARCHAR", &[100], true), n],
            ),
            op(OpKind::DropTable {
                table: "rules".into(),
            }),
            op(OpKind::RenameTable {
                table: "new_rules".into(),
                new_name: "rules".into(),
            }),
        ]
    };
    let not_null = column("n", "INT", &[], false);
    let judged = judge_range(&before, &steps(not_null.clone()));
    let d: Vec<Direction> = judged.judgements.iter().map(|j| j.direction).collect();
    assert_eq!(
        d,
        [Direction::Neutral, Direction::Neutral, Direction::Contract]
    );
    assert_eq!(
        judged.judgements[2].reason.as_deref(),
        Some("rebuild of rules: rules.n: adds NOT NULL")
    );
    // With a default added on the way: the default expands, NOT NULL contracts (mixed).
    let mut with_default = not_null;
    with_default.default = Some("0".into());
    let judged = judge_range(&before, &steps(with_default));
    let d: Vec<Direction> = judged.judgements.iter().map(|j| j.direction).collect();
    assert_eq!(
        d,
        [Direction::Expand, Direction::Neutral, Direction::Contract]
    );
}

#[test]
fn do_block_branches_are_judged_as_if_they_ran_and_say_so() {
    let history = crate::read::sql::lower_sql("CREATE TABLE t (a int, b int);", Dialect::Postgres);
    let before = {
        let mut catalog = Catalog::new(Dialect::Postgres);
        for op in &history {
            catalog.apply(op);
        }
        catalog
    };
    let range = crate::read::sql::lower_sql(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension) THEN ALTER TABLE t DROP COLUMN b; END IF; END $$;\n\
         DO $$ BEGIN ALTER TABLE t ADD COLUMN c int; END $$;",
        Dialect::Postgres,
    );
    let judged = judge_range(&before, &range);
    let found: Vec<(Direction, Option<&str>)> = judged
        .judgements
        .iter()
        .map(|j| (j.direction, j.reason.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                Direction::Contract,
                Some("in a DO block with IF branches or EXCEPTION handlers: judged as if it runs")
            ),
            (Direction::Expand, None),
        ]
    );
}

//! A foreign key dropped and added back on the same columns and table in one range: no
//! orphan check and no new constraint, but what the database does on a delete or update of
//! the referenced row, or when it checks, may change under the running code.
//!
//! - a rejecting action (`NO ACTION`, `RESTRICT`) becoming `CASCADE` / `SET NULL` / `SET
//!   DEFAULT`: old code's deletes that failed now succeed; new code that relies on the
//!   database to remove or re-point child rows fails on the old schema. Expand.
//! - an acting action becoming a rejecting one (`CASCADE` to `RESTRICT`): old code that
//!   deletes a parent and relies on the database to remove its children now fails.
//!   Contract: the code that deletes the children itself deploys first.
//! - one acting action for another (`CASCADE` to `SET NULL`): both versions of the code see
//!   the other's outcome (children kept with NULL, or children gone). Breaking.
//! - `NO ACTION` to `RESTRICT` and back: only the moment of the check changes (PostgreSQL
//!   and SQLite check `NO ACTION` at the end of the statement). No change code can see.
//! - checks moved later (`NOT DEFERRABLE` to `DEFERRABLE`, `INITIALLY IMMEDIATE` to
//!   `INITIALLY DEFERRED`): expand. Moved earlier: contract, since code that writes a child
//!   before its parent in one transaction, or uses `SET CONSTRAINTS ... DEFERRED`, fails.

use super::{key, Context, Judgement};
use crate::catalog::Catalog;
use crate::model::foreign_key::{ForeignKeyActions, ReferentialAction};
use crate::model::ops::{Constraint, ConstraintKind, Dialect, Direction, OpKind, Operation};

/// Foreign keys the range has dropped so far from tables that exist at `FROM`.
#[derive(Default)]
pub(super) struct DroppedKeys {
    dropped: Vec<Dropped>,
}

struct Dropped {
    /// Index of the dropping operation.
    op: usize,
    table: String,
    constraint: Constraint,
}

/// The foreign keys of `table` in `catalog`.
pub(super) fn foreign_keys(catalog: &Catalog, op: &Operation) -> Vec<Constraint> {
    let OpKind::DropConstraint { table, .. } = &op.kind else {
        return Vec::new();
    };
    catalog
        .table(table)
        .map(|t| {
            t.constraints()
                .iter()
                .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

impl DroppedKeys {
    /// Records the foreign keys `op` (operation `index`) removed: `had` before it applied,
    /// `catalog` after. Only keys that production has (present at `FROM`) count.
    pub(super) fn observe(
        &mut self,
        index: usize,
        op: &Operation,
        had: Vec<Constraint>,
        catalog: &Catalog,
        before: &Catalog,
    ) {
        let OpKind::DropConstraint { table, .. } = &op.kind else {
            return;
        };
        let still = foreign_keys(catalog, op);
        for constraint in had {
            if still.contains(&constraint) || !released(before, table, &constraint) {
                continue;
            }
            self.dropped.push(Dropped {
                op: index,
                table: key(table),
                constraint,
            });
        }
    }

    /// For a foreign key added back (same table, columns and referenced table) after this
    /// range dropped it: the dropping operation's index and the judgement of the pair.
    pub(super) fn replacement(&self, op: &Operation, dialect: Dialect) -> Option<(usize, Judgement)> {
        let OpKind::AddConstraint { table, constraint } = &op.kind else {
            return None;
        };
        let ConstraintKind::ForeignKey { actions: new, .. } = &constraint.kind else {
            return None;
        };
        let dropped = self.dropped.iter().rev().find(|d| {
            d.table == key(table) && same_key(&d.constraint, constraint)
        })?;
        let ConstraintKind::ForeignKey { actions: old, .. } = &dropped.constraint.kind else {
            return None;
        };
        Some((dropped.op, judge_change(table, constraint, *old, *new, dialect)))
    }
}

fn released(before: &Catalog, table: &str, constraint: &Constraint) -> bool {
    before.table(table).is_some_and(|t| {
        t.constraints()
            .iter()
            .any(|c| same_key(c, constraint))
    })
}

/// Same columns and referenced table: the same key, whatever its actions and name.
fn same_key(a: &Constraint, b: &Constraint) -> bool {
    let references = |c: &Constraint| match &c.kind {
        ConstraintKind::ForeignKey { references, .. } => Some(key(references)),
        _ => None,
    };
    let columns = |c: &Constraint| c.columns.iter().map(|c| key(c)).collect::<Vec<_>>();
    references(a).is_some() && references(a) == references(b) && columns(a) == columns(b)
}

/// The judgement of a key re-added with `new` actions where it had `old`.
fn judge_change(
    table: &str,
    constraint: &Constraint,
    old: ForeignKeyActions,
    new: ForeignKeyActions,
    dialect: Dialect,
) -> Judgement {
    let (old, new) = (old.enforced_in(dialect), new.enforced_in(dialect));
    let subject = format!("the foreign key on {table}({})", constraint.columns.join(", "));
    let mut parts: Vec<(Direction, String)> = Vec::new();
    for (what, was, is) in [
        ("delete", old.on_delete, new.on_delete),
        ("update", old.on_update, new.on_update),
    ] {
        if let Some(part) = action_change(what, was, is) {
            parts.push(part);
        }
    }
    if old.deferrable != new.deferrable {
        let direction = if new.deferrable > old.deferrable {
            Direction::Expand
        } else {
            Direction::Contract
        };
        let effect = if direction == Direction::Expand {
            "the database checks later than before: old code keeps working"
        } else {
            "the database checks earlier than before: code that writes a child row before its parent in one transaction, or defers the check with SET CONSTRAINTS, fails"
        };
        parts.push((
            direction,
            format!("{} instead of {}: {effect}", new.deferrable.sql(), old.deferrable.sql()),
        ));
    }
    let differences: Vec<String> = parts.iter().map(|(_, text)| text.clone()).collect();
    let has = |d: Direction| parts.iter().any(|(p, _)| *p == d);
    let direction = if has(Direction::Breaking) || (has(Direction::Expand) && has(Direction::Contract)) {
        Direction::Breaking
    } else if has(Direction::Contract) {
        Direction::Contract
    } else if has(Direction::Expand) {
        Direction::Expand
    } else {
        Direction::Neutral
    };
    let reason = if differences.is_empty() {
        format!("{subject} is recreated as it was")
    } else {
        format!("{subject} is recreated with other actions: {}", differences.join("; "))
    };
    Judgement {
        direction,
        reason: Some(reason),
        context: Context::PreviousDefinition,
        conflict: None,
        differences,
    }
}

/// How changing the `ON DELETE` / `ON UPDATE` action from `was` to `is` affects code.
fn action_change(
    what: &str,
    was: ReferentialAction,
    is: ReferentialAction,
) -> Option<(Direction, String)> {
    if was == is {
        return None;
    }
    let change = format!("ON {} {} instead of {}", what.to_uppercase(), is.sql(), was.sql());
    let outcome = |action: ReferentialAction| match action {
        ReferentialAction::Cascade if what == "delete" => "deletes the child rows",
        ReferentialAction::Cascade => "updates the child rows' key",
        ReferentialAction::SetNull => "sets the child rows' key to NULL",
        ReferentialAction::SetDefault => "sets the child rows' key to its default",
        ReferentialAction::NoAction | ReferentialAction::Restrict => "refuses",
    };
    let (direction, effect) = match (was.rejects(), is.rejects()) {
        (true, true) => (
            Direction::Neutral,
            "only the moment of the check changes".to_string(),
        ),
        (true, false) => (
            Direction::Expand,
            format!(
                "a {what} of a referenced row that failed now {}; old code keeps working, new code that relies on it fails on the old schema",
                outcome(is)
            ),
        ),
        (false, true) => (
            Direction::Contract,
            format!(
                "old code that {what}s a referenced row and relies on the database to handle the child rows (it {}) now fails with a foreign key error; deploy code that handles them itself first",
                outcome(was)
            ),
        ),
        (false, false) => (
            Direction::Breaking,
            format!(
                "on a {what} of a referenced row the database now {} where it {}: old and new code each get the other's outcome",
                outcome(is),
                outcome(was)
            ),
        ),
    };
    Some((direction, format!("{change}: {effect}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::foreign_key::Deferrable;

    fn fk() -> Constraint {
        Constraint {
            name: Some("fk_rules_release".into()),
            kind: ConstraintKind::foreign_key("releases"),
            columns: vec!["release".into()],
            not_valid: false,
        }
    }

    fn on_delete(action: ReferentialAction) -> ForeignKeyActions {
        ForeignKeyActions {
            on_delete: action,
            ..ForeignKeyActions::default()
        }
    }

    fn direction(old: ForeignKeyActions, new: ForeignKeyActions, dialect: Dialect) -> Direction {
        judge_change("rules", &fk(), old, new, dialect).direction
    }

    #[test]
    fn cascade_to_restrict_breaks_old_deletes() {
        let j = judge_change(
            "rules",
            &fk(),
            on_delete(ReferentialAction::Cascade),
            on_delete(ReferentialAction::Restrict),
            Dialect::Postgres,
        );
        assert_eq!(j.direction, Direction::Contract);
        assert_eq!(j.differences.len(), 1);
        assert!(j.differences[0].starts_with("ON DELETE RESTRICT instead of CASCADE: old code"));
    }

    #[test]
    fn directions_of_each_change() {
        use ReferentialAction::*;
        let pg = Dialect::Postgres;
        assert_eq!(direction(on_delete(NoAction), on_delete(Cascade), pg), Direction::Expand);
        assert_eq!(direction(on_delete(Cascade), on_delete(SetNull), pg), Direction::Breaking);
        assert_eq!(direction(on_delete(NoAction), on_delete(Restrict), pg), Direction::Neutral);
        // MySQL checks NO ACTION as RESTRICT: nothing changes at all.
        let mysql = judge_change("rules", &fk(), on_delete(NoAction), on_delete(Restrict), Dialect::Mysql);
        assert_eq!(mysql.direction, Direction::Neutral);
        assert!(mysql.differences.is_empty());
        let deferred = ForeignKeyActions {
            deferrable: Deferrable::InitiallyDeferred,
            ..ForeignKeyActions::default()
        };
        assert_eq!(direction(ForeignKeyActions::default(), deferred, pg), Direction::Expand);
        assert_eq!(direction(deferred, ForeignKeyActions::default(), pg), Direction::Contract);
        // Checked later, but deletes now refused: one part expands, one contracts.
        let both = ForeignKeyActions {
            on_delete: Restrict,
            deferrable: Deferrable::InitiallyDeferred,
            ..ForeignKeyActions::default()
        };
        assert_eq!(direction(on_delete(Cascade), both, pg), Direction::Breaking);
    }
}

//! Directions for objects known by kind and name only, for changes of name, schema, owner
//! and settings of any object, and for `ALTER CONSTRAINT`. The reasons are in
//! `docs/objects.md`.

use super::{Context, Judgement};
use crate::catalog::{timing_after, Catalog};
use crate::model::foreign_key::Deferrable;
use crate::model::named::{ObjectChange, ObjectKind};
use crate::model::ops::{Direction, OpKind, Operation};

/// The direction and its reason from the statement alone; `None` for the other kinds.
fn plain(kind: &OpKind) -> Option<(Direction, String)> {
    let judged = match kind {
        OpKind::CreateObject {
            object: ObjectKind::Rule,
            table,
            ..
        } => (
            Direction::NeedsReview,
            format!(
                "a rule rewrites what statements on {} do, for old and new code alike: read what it does instead",
                table.as_deref().unwrap_or("its table")
            ),
        ),
        OpKind::CreateObject { object, name, .. } if !object.queries_depend_on() => (
            Direction::Neutral,
            format!("a {object} serves operations, not application queries ({name})"),
        ),
        OpKind::CreateObject { object, name, .. } => (
            Direction::Expand,
            format!("old code does not use {object} {name}; new code needs it"),
        ),
        OpKind::DropObject { object, name, .. } if !object.queries_depend_on() => (
            Direction::Neutral,
            format!("a {object} serves operations, not application queries ({name})"),
        ),
        OpKind::DropObject { object, name, .. } => (
            Direction::Contract,
            format!("code that uses {object} {name} must be gone before it is dropped"),
        ),
        OpKind::AlterObject {
            object,
            name,
            change,
        } => alter(*object, name, change),
        OpKind::AlterConstraint {
            deferrable,
            initially_deferred,
            ..
        } => match (deferrable, initially_deferred) {
            (Some(false), _) | (_, Some(false)) => (
                Direction::Contract,
                "the key is checked at each statement again: code that writes rows out of order in a transaction must be gone first".to_string(),
            ),
            _ => (
                Direction::Expand,
                "the key may be checked at commit: what passed at each statement still passes".to_string(),
            ),
        },
        _ => return None,
    };
    Some(judged)
}

fn alter(object: ObjectKind, name: &str, change: &ObjectChange) -> (Direction, String) {
    match change {
        ObjectChange::Rename { .. } | ObjectChange::SetSchema { .. }
            if object.named_in_queries() =>
        {
            let how = match change {
                ObjectChange::SetSchema { .. } => "moves to another schema",
                _ => "is renamed",
            };
            (
                Direction::Breaking,
                format!("{object} {name} {how}: code that names it breaks in either order"),
            )
        }
        ObjectChange::Rename { .. } | ObjectChange::SetSchema { .. } => (
            Direction::Neutral,
            format!("queries do not name a {object}"),
        ),
        ObjectChange::Owner { owner } => (
            Direction::NeedsReview,
            format!(
                "the owner's implicit privileges on {object} {name} move to {owner}: code that connects as the old owner loses them unless granted otherwise (which role the application uses is not known here)"
            ),
        ),
        ObjectChange::Settings { what } => (
            Direction::Neutral,
            format!(
                "operational: {} changes how {name} is stored, planned or numbered, not what code can read or write",
                what.to_ascii_lowercase()
            ),
        ),
        ObjectChange::DefaultPrivileges { revoke: true } => (
            Direction::Contract,
            format!("objects created from now on grant less ({name}): code that needs that access must be gone first"),
        ),
        ObjectChange::DefaultPrivileges { revoke: false } => (
            Direction::Expand,
            format!("objects created from now on grant more ({name})"),
        ),
        ObjectChange::ConvertCharset { charset } => (
            Direction::Breaking,
            format!(
                "every text column of {name} changes to {charset}: comparisons, sort order and byte lengths change for old and new code alike (and MySQL copies the table)"
            ),
        ),
        ObjectChange::Review { reason, .. } => (Direction::NeedsReview, reason.clone()),
    }
}

/// The direction of an operation of this module's kinds from the statement alone; `None`
/// for the other kinds.
pub(super) fn statement_direction(kind: &OpKind) -> Option<Direction> {
    plain(kind).map(|(direction, _)| direction)
}

/// A judgement from context for this module's kinds; `None` for the other kinds.
pub(super) fn judge(op: &Operation, catalog: &Catalog) -> Option<Judgement> {
    let (direction, reason) = plain(&op.kind)?;
    if let Some(table) = op.kind.table() {
        if catalog.created_in_range(table) {
            return Some(Judgement::because(
                Direction::Neutral,
                Context::NewInRange,
                format!("{table} is created in this release"),
            ));
        }
    }
    match &op.kind {
        OpKind::DropObject { object, name, .. } | OpKind::AlterObject { object, name, .. }
            if catalog.named_object_created_in_range(*object, name) =>
        {
            Some(Judgement::because(
                Direction::Neutral,
                Context::NewInRange,
                format!("{object} {name} is created in this release"),
            ))
        }
        OpKind::AlterConstraint {
            table,
            name,
            deferrable,
            initially_deferred,
        } => Some(match catalog.foreign_key_timing(table, name) {
            Some(before) => {
                let after = timing_after(before, *deferrable, *initially_deferred);
                timing_judgement(name, before, after)
            }
            None => Judgement::because(direction, Context::Statement, reason),
        }),
        _ => Some(Judgement::because(direction, Context::Statement, reason)),
    }
}

fn timing_judgement(name: &str, before: Deferrable, after: Deferrable) -> Judgement {
    let (direction, why) = match after.cmp(&before) {
        std::cmp::Ordering::Equal => (Direction::Neutral, "as it already was".to_string()),
        std::cmp::Ordering::Greater => (
            Direction::Expand,
            "later than before: what passed before still passes".to_string(),
        ),
        std::cmp::Ordering::Less => (
            Direction::Contract,
            "earlier than before: a transaction that writes rows out of order now fails, so code that relies on the deferral must be gone first".to_string(),
        ),
    };
    Judgement::because(
        direction,
        Context::PreviousDefinition,
        format!(
            "{name} was {}, is now {}: checked {why}",
            before.sql().to_ascii_lowercase(),
            after.sql().to_ascii_lowercase()
        ),
    )
}

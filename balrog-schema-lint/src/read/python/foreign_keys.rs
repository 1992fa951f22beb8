//! Foreign keys as SQLAlchemy and Alembic declare them: `ForeignKey("t.c", ondelete=...)`,
//! `ForeignKeyConstraint([...], [...], ondelete=...)` and `op.create_foreign_key(...,
//! ondelete=, onupdate=, deferrable=, initially=)`.

use super::interp::Args;
use super::value::Value;
use crate::model::foreign_key::{Deferrable, ForeignKeyActions, ReferentialAction};
use crate::model::ops::ConstraintKind;

/// The actions and timing given as keyword arguments; an argument that cannot be read is
/// an error naming it (the key's behaviour would otherwise be guessed).
pub(crate) fn actions(args: &Args) -> Result<ForeignKeyActions, String> {
    let action = |name: &str| -> Result<ReferentialAction, String> {
        match args.kw(name) {
            None | Some(Value::None) => Ok(ReferentialAction::NoAction),
            Some(Value::Str(text)) => ReferentialAction::parse(text)
                .ok_or_else(|| format!("cannot read {name}={text:?}: not a referential action")),
            Some(other) => Err(format!("cannot resolve {name}= ({})", other.kind_name())),
        }
    };
    let deferrable = match args.kw("deferrable") {
        None | Some(Value::None) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            return Err(format!("cannot resolve deferrable= ({})", other.kind_name()));
        }
    };
    let initially = match args.kw("initially") {
        None | Some(Value::None) => None,
        Some(Value::Str(text)) if text.eq_ignore_ascii_case("deferred") => Some(true),
        Some(Value::Str(text)) if text.eq_ignore_ascii_case("immediate") => Some(false),
        Some(other) => {
            return Err(format!("cannot resolve initially= ({})", other.kind_name()));
        }
    };
    Ok(ForeignKeyActions {
        on_delete: action("ondelete")?,
        on_update: action("onupdate")?,
        deferrable: Deferrable::from_clauses(deferrable, initially),
    })
}

/// A foreign key to `"table.column"` (SQLAlchemy's target spelling; `?` for a column not
/// known), with `actions`.
pub(crate) fn to_target(target: &str, actions: ForeignKeyActions) -> ConstraintKind {
    let (table, column) = match target.rsplit_once('.') {
        Some((table, column)) => (table, Some(column)),
        None => (target, None),
    };
    ConstraintKind::ForeignKey {
        references: table.to_string(),
        referenced_columns: column
            .filter(|c| *c != "?" && !c.is_empty())
            .map(|c| vec![c.to_string()])
            .unwrap_or_default(),
        actions,
    }
}

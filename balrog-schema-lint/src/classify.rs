//! Directions of operations and the release verdict.
//!
//! Each operation is judged against the schema just before it (see [`RangeState`]): the same
//! statement is harmless on a table created in this release and unsafe on one production
//! already has. Then the net effect folds away pairs that cancel (a column added and dropped
//! in the same release).

use std::collections::{HashMap, HashSet};

use crate::ops::{ConstraintKind, Direction, OpKind, Operation};
use crate::report::Verdict;

/// The direction of one operation and, when context decided it, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Which way the operation lets the deploy go.
    pub direction: Direction,
    /// Why, when it differs from what the statement alone would say.
    pub reason: Option<String>,
}

impl Judgement {
    fn plain(direction: Direction) -> Judgement {
        Judgement {
            direction,
            reason: None,
        }
    }
}

/// What the range has done so far, as the classifier walks it in apply order.
#[derive(Debug, Default)]
pub struct RangeState {
    created_tables: HashSet<String>,
}

fn key(name: &str) -> String {
    name.to_ascii_lowercase()
}

impl RangeState {
    /// Whether the table was created earlier in this release (so no deployed code uses it).
    pub fn table_is_new(&self, table: &str) -> bool {
        self.created_tables.contains(&key(table))
    }

    fn record(&mut self, kind: &OpKind) {
        match kind {
            OpKind::CreateTable { table, .. } => {
                self.created_tables.insert(key(table));
            }
            OpKind::RenameTable { table, new_name } => {
                if self.created_tables.remove(&key(table)) {
                    self.created_tables.insert(key(new_name));
                }
            }
            OpKind::DropTable { table } => {
                self.created_tables.remove(&key(table));
            }
            _ => {}
        }
    }
}

/// The direction of an operation on its own, given what the range did before it.
pub fn judge(kind: &OpKind, state: &RangeState) -> Judgement {
    if let Some(table) = kind.table() {
        if state.table_is_new(table) && !matches!(kind, OpKind::CreateTable { .. }) {
            return match kind {
                OpKind::Unsupported { .. } | OpKind::Unreadable { .. } => {
                    Judgement::plain(Direction::NeedsReview)
                }
                _ => Judgement {
                    direction: Direction::Neutral,
                    reason: Some(format!("{table} is created in this release")),
                },
            };
        }
    }
    let direction = match kind {
        OpKind::CreateTable { .. }
        | OpKind::CreateView { .. }
        | OpKind::CreateType { .. }
        | OpKind::CreateSequence { .. } => Direction::Expand,
        OpKind::AddColumn { column, .. } => {
            if column.fills_itself() {
                Direction::Expand
            } else {
                Direction::Breaking
            }
        }
        OpKind::CreateIndex { unique, .. } => {
            if *unique {
                Direction::Contract
            } else {
                Direction::Expand
            }
        }
        OpKind::DropNotNull { .. } | OpKind::SetDefault { .. } => Direction::Expand,
        OpKind::DropConstraint { name, .. } => {
            // Dropping a primary key removes what old code may rely on for upserts; other
            // constraints only relax.
            if name.eq_ignore_ascii_case("primary") {
                Direction::Contract
            } else {
                Direction::Expand
            }
        }
        OpKind::DropTable { .. }
        | OpKind::DropView { .. }
        | OpKind::DropColumn { .. }
        | OpKind::DropType { .. }
        | OpKind::DropSequence { .. }
        | OpKind::SetNotNull { .. }
        | OpKind::DropDefault { .. }
        | OpKind::DropIndex { .. } => Direction::Contract,
        OpKind::AddConstraint { constraint, .. } => match constraint.kind {
            ConstraintKind::PrimaryKey
            | ConstraintKind::Unique
            | ConstraintKind::ForeignKey { .. }
            | ConstraintKind::Check { .. } => Direction::Contract,
        },
        OpKind::RenameTable { .. } | OpKind::RenameColumn { .. } => Direction::Breaking,
        // Without the old definition a type change cannot be shown to widen.
        OpKind::AlterColumnType { .. } => Direction::Breaking,
        OpKind::RedefineColumn { .. } => Direction::Breaking,
        OpKind::DataChange { .. } | OpKind::NoEffect { .. } => Direction::Neutral,
        OpKind::Unsupported { .. } | OpKind::Unreadable { .. } => Direction::NeedsReview,
    };
    Judgement::plain(direction)
}

/// Judges every operation of a range, in apply order, then folds away what cancels out.
pub fn judge_range<'a>(operations: impl IntoIterator<Item = &'a Operation>) -> Vec<Judgement> {
    let operations: Vec<&Operation> = operations.into_iter().collect();
    let mut state = RangeState::default();
    let mut judgements = Vec::with_capacity(operations.len());
    for op in &operations {
        judgements.push(judge(&op.kind, &state));
        state.record(&op.kind);
    }
    fold_add_then_drop(&operations, &mut judgements);
    judgements
}

/// A column added and later dropped in the same release never reaches deployed code.
fn fold_add_then_drop(operations: &[&Operation], judgements: &mut [Judgement]) {
    let mut added: HashMap<(String, String), usize> = HashMap::new();
    for (i, op) in operations.iter().enumerate() {
        match &op.kind {
            OpKind::AddColumn { table, column } => {
                added.insert((key(table), key(&column.name)), i);
            }
            OpKind::DropColumn { table, column } => {
                if let Some(first) = added.remove(&(key(table), key(column))) {
                    let reason = format!("{table}.{column} is added and dropped in this release");
                    for index in [first, i] {
                        if let Some(j) = judgements.get_mut(index) {
                            j.direction = Direction::Neutral;
                            j.reason = Some(reason.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The release verdict from the directions of its operations.
pub fn verdict(directions: impl IntoIterator<Item = Direction>) -> Verdict {
    let (mut expand, mut contract, mut breaking, mut review) = (false, false, false, false);
    for direction in directions {
        match direction {
            Direction::Neutral => {}
            Direction::Expand => expand = true,
            Direction::Contract => contract = true,
            Direction::Breaking => breaking = true,
            Direction::NeedsReview => review = true,
        }
    }
    if review {
        Verdict::NeedsReview
    } else if breaking {
        Verdict::Breaking
    } else if expand && contract {
        Verdict::Mixed
    } else if expand {
        Verdict::Additive
    } else if contract {
        Verdict::Destructive
    } else {
        Verdict::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::ColumnDef;

    fn op(kind: OpKind) -> Operation {
        Operation {
            line: 1,
            kind,
            source: String::new(),
        }
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
        let mut column = ColumnDef::new("x", None);
        column.nullable = false;
        let add = op(OpKind::AddColumn {
            table: "t".into(),
            column,
        });
        assert_eq!(judge_range([&add])[0].direction, Direction::Breaking);
        let create = op(OpKind::CreateTable {
            table: "T".into(),
            columns: vec![],
            constraints: vec![],
            if_not_exists: false,
        });
        let judged = judge_range([&create, &add]);
        assert_eq!(judged[0].direction, Direction::Expand);
        assert_eq!(judged[1].direction, Direction::Neutral);
        assert!(judged[1]
            .reason
            .as_deref()
            .unwrap()
            .contains("created in this release"));
    }

    #[test]
    fn add_then_drop_nets_to_nothing() {
        let add = op(OpKind::AddColumn {
            table: "t".into(),
            column: ColumnDef::new("x", None),
        });
        let drop = op(OpKind::DropColumn {
            table: "t".into(),
            column: "X".into(),
        });
        let judged = judge_range([&add, &drop]);
        assert!(judged.iter().all(|j| j.direction == Direction::Neutral));
    }
}

//! The net effect of a range: what cancels out once the whole range is seen (a column added
//! and dropped, a table that ends as it began, a SQLite table rebuild).

use std::collections::HashMap;

use super::{column_parts, key, verdict, Context, Judgement};
use crate::catalog::{table_changed, Catalog, SchemaChange};
use crate::model::finding::Verdict;
use crate::model::ops::{Direction, OpKind, Operation};

/// A column added and later dropped in the same release never reaches deployed code.
pub(super) fn fold_add_then_drop(operations: &[&Operation], judgements: &mut [Judgement]) {
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
                            j.set(Direction::Neutral, Context::NetNoChange, reason.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Tables that exist at both ends with the same definition: whatever the range did to them
/// in between (drop and recreate, index dropped and rebuilt) changes nothing deployed code
/// can see. Unknown statements stay needs-review.
pub(super) fn fold_net_unchanged_tables(
    before: &Catalog,
    after: &Catalog,
    operations: &[&Operation],
    judgements: &mut [Judgement],
) {
    // Comparing schemas is the costly part: compare only the tables asked about, once each.
    let mut changed: HashMap<String, bool> = HashMap::new();
    for (op, judgement) in operations.iter().zip(judgements.iter_mut()) {
        if matches!(
            judgement.direction,
            Direction::Neutral | Direction::NeedsReview
        ) {
            continue;
        }
        if matches!(
            op.kind,
            OpKind::RenameTable { .. } | OpKind::DataChange { .. }
        ) {
            continue;
        }
        // An operation the replayed schema did not fit (dropping a column it does not have)
        // changed nothing in the model, but the model may be what is wrong: keep the
        // statement's own direction rather than call it no change.
        if judgement.conflict.is_some() {
            continue;
        }
        let Some(table) = op.kind.table() else {
            continue;
        };
        let unchanged = before.table(table).is_some()
            && after.table(table).is_some()
            && !*changed
                .entry(key(table))
                .or_insert_with(|| table_changed(before, after, table))
            && !before.is_uncertain(table);
        if unchanged && is_table_ddl(&op.kind) {
            judgement.set(
                Direction::Neutral,
                Context::NetNoChange,
                format!("{table} ends this release as it began"),
            );
        }
    }
}

/// Indexes that exist at both ends with the same definition on the same table: dropping and
/// recreating one (an index swap) changes nothing deployed code can see, whatever else
/// happens to its table.
pub(super) fn fold_net_unchanged_indexes(
    before: &Catalog,
    after: &Catalog,
    operations: &[&Operation],
    judgements: &mut [Judgement],
) {
    for (op, judgement) in operations.iter().zip(judgements.iter_mut()) {
        // An ordinary index dropped is neutral already, but as a swap it is not even worth
        // the drop-index note.
        if judgement.conflict.is_some()
            || judgement.direction == Direction::NeedsReview
            || matches!(
                judgement.context,
                Context::NewInRange | Context::NetNoChange | Context::Absent
            )
        {
            continue;
        }
        let (name, table) = match &op.kind {
            OpKind::CreateIndex {
                name: Some(name),
                table,
                ..
            } => (name, Some(table.as_str())),
            OpKind::DropIndex { name, table, .. } => (name, table.as_deref()),
            _ => continue,
        };
        let find = |catalog: &Catalog| match table {
            Some(table) => catalog
                .table(table)
                .and_then(|t| t.index(name).map(|i| (key(t.name()), i.clone()))),
            None => catalog.index(name).map(|(t, i)| (key(t.name()), i.clone())),
        };
        match (find(before), find(after)) {
            (Some(was), Some(is)) if was == is && !before.is_uncertain(&was.0) => {
                judgement.set(
                    Direction::Neutral,
                    Context::NetNoChange,
                    format!("index {name} ends this release as it began"),
                );
            }
            _ => {}
        }
    }
}

fn is_table_ddl(kind: &OpKind) -> bool {
    !matches!(
        kind,
        OpKind::CreateView { .. }
            | OpKind::DropView { .. }
            | OpKind::CreateType { .. }
            | OpKind::DropType { .. }
            | OpKind::CreateSequence { .. }
            | OpKind::DropSequence { .. }
            | OpKind::PartitionBy { .. }
            | OpKind::AttachPartition { .. }
            | OpKind::DetachPartition { .. }
            | OpKind::NoEffect { .. }
            | OpKind::DropDatabase { .. }
            | OpKind::Maintenance { .. }
            | OpKind::Unsupported { .. }
            | OpKind::Unreadable { .. }
            | OpKind::CreateRoutine { .. }
            | OpKind::DropRoutine { .. }
            | OpKind::AlterRoutine { .. }
            | OpKind::CreateTrigger { .. }
            | OpKind::DropTrigger { .. }
            | OpKind::RenameTrigger { .. }
            | OpKind::SetTriggerEnabled { .. }
            | OpKind::SetRowSecurity { .. }
            | OpKind::CreatePolicy { .. }
            | OpKind::AlterPolicy { .. }
            | OpKind::DropPolicy { .. }
            | OpKind::Grant { .. }
            | OpKind::Comment { .. }
            // Owners, character sets, rules and settings are not part of the table model.
            | OpKind::CreateObject { .. }
            | OpKind::DropObject { .. }
            | OpKind::AlterObject { .. }
    )
}

pub(super) fn changed_table(change: &SchemaChange) -> Option<&str> {
    match change {
        SchemaChange::TableAdded { table }
        | SchemaChange::TableRemoved { table }
        | SchemaChange::ColumnAdded { table, .. }
        | SchemaChange::ColumnRemoved { table, .. }
        | SchemaChange::ColumnChanged { table, .. }
        | SchemaChange::ConstraintAdded { table, .. }
        | SchemaChange::ConstraintRemoved { table, .. }
        | SchemaChange::IndexAdded { table, .. }
        | SchemaChange::IndexRemoved { table, .. } => Some(table),
        SchemaChange::ViewAdded { .. }
        | SchemaChange::ViewRemoved { .. }
        | SchemaChange::ViewChanged { .. }
        | SchemaChange::TypeAdded { .. }
        | SchemaChange::TypeRemoved { .. }
        | SchemaChange::TypeChanged { .. }
        | SchemaChange::SequenceAdded { .. }
        | SchemaChange::SequenceRemoved { .. } => None,
    }
}

/// The SQLite table rebuild: create `t_new`, copy the rows, drop `t`, rename `t_new` to `t`.
/// The steps on their own read as create + drop + rename (mixed and breaking); together they
/// are judged by how `t` at the end differs from `t` at the start.
pub(super) fn fold_rebuilds(
    before: &Catalog,
    after: &Catalog,
    operations: &[&Operation],
    judgements: &mut [Judgement],
) {
    for (i, op) in operations.iter().enumerate() {
        let OpKind::RenameTable {
            table: temp,
            new_name: target,
        } = &op.kind
        else {
            continue;
        };
        let (Some(old), Some(new)) = (before.table(target), after.table(target)) else {
            continue;
        };
        // The temporary table must be created, and the target dropped, earlier in the range.
        let created = operations[..i].iter().position(|o| {
            matches!(&o.kind, OpKind::CreateTable { table, .. } if table.eq_ignore_ascii_case(temp))
        });
        let dropped = operations[..i].iter().position(|o| {
            matches!(&o.kind, OpKind::DropTable { table } if table.eq_ignore_ascii_case(target))
        });
        let (Some(created), Some(dropped)) = (created, dropped) else {
            continue;
        };
        let parts = table_change(before, target, old, new);
        let part = format!("part of the rebuild of {target}");
        for index in [created, dropped] {
            if let Some(j) = judgements.get_mut(index) {
                j.set(Direction::Neutral, Context::Rebuild, part.clone());
            }
        }
        let said = |wanted: &[Direction]| {
            let said: Vec<&str> = parts
                .iter()
                .filter(|(d, _)| wanted.contains(d))
                .map(|(_, s)| s.as_str())
                .collect();
            format!("rebuild of {target}: {}", said.join("; "))
        };
        let (direction, reason) = match verdict(parts.iter().map(|(d, _)| *d)) {
            Verdict::None => (
                Direction::Neutral,
                format!("rebuild of {target} ends with the same columns"),
            ),
            Verdict::Additive => (Direction::Expand, said(&[Direction::Expand])),
            Verdict::Destructive => (Direction::Contract, said(&[Direction::Contract])),
            Verdict::Breaking => (Direction::Breaking, said(&[Direction::Breaking])),
            Verdict::NeedsReview => (Direction::NeedsReview, said(&[Direction::NeedsReview])),
            Verdict::Mixed => {
                // The rebuilt table both expands (a new default, a wider type) and contracts
                // (NOT NULL, a dropped column): as separate ALTERs it would be a mixed
                // release, and so it is here. The copy into the new table carries the
                // expanding part, the rename the contracting part.
                if let Some(j) = judgements.get_mut(created) {
                    j.set(
                        Direction::Expand,
                        Context::Rebuild,
                        said(&[Direction::Expand]),
                    );
                }
                (Direction::Contract, said(&[Direction::Contract]))
            }
        };
        if let Some(j) = judgements.get_mut(i) {
            j.set(direction, Context::Rebuild, reason);
        }
    }
}

/// How a table's definition changed over the range: each change with its direction.
fn table_change(
    catalog: &Catalog,
    name: &str,
    old: &crate::catalog::Table,
    new: &crate::catalog::Table,
) -> Vec<(Direction, String)> {
    let mut parts = Vec::new();
    for column in new.columns() {
        match old.column(&column.name) {
            None => {
                let d = if column.fills_itself() {
                    Direction::Expand
                } else {
                    Direction::Breaking
                };
                parts.push((d, format!("adds {}", column.name)));
            }
            Some(previous) => {
                let what = format!("{name}.{}", column.name);
                parts.extend(
                    column_parts(catalog, previous, column)
                        .into_iter()
                        .map(|(d, said)| (d, format!("{what}: {said}"))),
                );
            }
        }
    }
    for column in old.columns() {
        if new.column(&column.name).is_none() {
            parts.push((Direction::Contract, format!("drops {}", column.name)));
        }
    }
    parts
}

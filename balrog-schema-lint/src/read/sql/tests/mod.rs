//! Behaviour of the SQL reader, per dialect and construct: exact operations and lines.

mod alter;
mod maintenance;
mod named;
mod objects;
mod programs;
mod reading;
mod structure;
mod tables;

use super::lower_sql;
use crate::model::ops::{
    ColumnDef, Constraint, ConstraintKind, DataChangeKind, Dialect, OpKind, SqlType,
};

pub(super) fn read(sql: &str, dialect: Dialect) -> Vec<(u32, OpKind)> {
    lower_sql(sql, dialect)
        .into_iter()
        .map(|op| (op.line, op.kind))
        .collect()
}

pub(super) fn only(sql: &str, dialect: Dialect) -> OpKind {
    let mut ops = read(sql, dialect);
    assert_eq!(ops.len(), 1, "expected one operation from {sql}: {ops:?}");
    ops.remove(0).1
}

pub(super) fn ty(name: &str, params: &[u64]) -> Option<SqlType> {
    Some(SqlType::with_params(name, params))
}

pub(super) fn unsupported(what: &str, table: Option<&str>) -> OpKind {
    OpKind::Unsupported {
        what: what.to_string(),
        table: table.map(str::to_string),
    }
}

pub(super) fn no_effect(what: &str) -> OpKind {
    OpKind::NoEffect {
        what: what.to_string(),
    }
}

pub(super) fn data(change: DataChangeKind, table: &str, filtered: bool) -> OpKind {
    OpKind::DataChange {
        change,
        table: table.to_string(),
        filtered,
    }
}

pub(super) fn index(name: &str, table: &str, columns: &[&str], unique: bool) -> OpKind {
    OpKind::CreateIndex {
        name: Some(name.to_string()),
        table: table.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        unique,
        concurrently: false,
        partial: false,
    }
}

pub(super) fn constraint(name: Option<&str>, kind: ConstraintKind, columns: &[&str]) -> Constraint {
    Constraint {
        name: name.map(str::to_string),
        kind,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        not_valid: false,
    }
}

pub(super) fn is_unreadable(kind: &OpKind) -> bool {
    matches!(kind, OpKind::Unreadable { .. })
}

/// A foreign key to `table (column)` with the default actions.
fn fk_to(table: &str, column: &str) -> ConstraintKind {
    ConstraintKind::ForeignKey {
        references: table.into(),
        referenced_columns: vec![column.into()],
        actions: Default::default(),
    }
}

//! SQLite: one writer at a time for the whole database file, and a short list of `ALTER
//! TABLE` forms (SQLite "ALTER TABLE" page): `RENAME TO`, `RENAME COLUMN` (3.25.0),
//! `ADD COLUMN` (with restrictions), `DROP COLUMN` (3.35.0, which rewrites the table to
//! purge the column's data). Every other change needs the twelve-step rebuild: create the
//! new table, copy the rows, drop the old table, rename the new one into place.

use crate::model::lock::{Lock, LockMode, TableWork, Version};
use crate::model::ops::{ColumnDef, OpKind, Operation};

use super::postgres::volatile_call;

const REBUILD: &str = "SQLite has no ALTER TABLE form for this change";

fn write(table: TableWork) -> Option<Lock> {
    Some(Lock::postgres(LockMode::DatabaseWrite, table))
}

pub(super) fn lock(op: &Operation, release: Version) -> Option<Lock> {
    if let Some(reason) = rebuild_reason(op, release) {
        return Some(Lock::postgres(LockMode::DatabaseWrite, TableWork::Rewrite).because(reason));
    }
    match &op.kind {
        OpKind::CreateTable { .. }
        | OpKind::CreateTableAs { .. }
        | OpKind::CreateTemporaryTable { .. }
        | OpKind::CreateView { .. }
        | OpKind::PartitionBy { .. }
        | OpKind::CreateType { .. }
        | OpKind::DropType { .. }
        | OpKind::CreateSequence { .. }
        | OpKind::DropSequence { .. }
        | OpKind::CreateRoutine { .. }
        | OpKind::DropRoutine { .. }
        | OpKind::AlterRoutine { .. }
        | OpKind::Grant { .. }
        | OpKind::Comment { .. }
        | OpKind::AddEnumValue { .. }
        | OpKind::RenameEnumValue { .. }
        | OpKind::RenameType { .. }
        | OpKind::CreateCompositeType { .. }
        | OpKind::AddAttribute { .. }
        | OpKind::DropAttribute { .. }
        | OpKind::CreateDomain { .. }
        | OpKind::DropDomain { .. }
        | OpKind::AddDomainConstraint { .. }
        | OpKind::DropDomainConstraint { .. }
        | OpKind::SetDomainNotNull { .. }
        | OpKind::SetDomainDefault { .. }
        | OpKind::CreateSchema { .. }
        | OpKind::DropSchema { .. }
        | OpKind::DropDatabase { .. }
        | OpKind::Maintenance { .. }
        | OpKind::CreateExtension { .. }
        | OpKind::DropExtension { .. }
        | OpKind::SetRowSecurity { .. }
        | OpKind::CreatePolicy { .. }
        | OpKind::AlterPolicy { .. }
        | OpKind::DropPolicy { .. }
        | OpKind::CreateObject { .. }
        | OpKind::DropObject { .. }
        | OpKind::AlterObject { .. }
        | OpKind::CreateTableLike { .. }
        | OpKind::NoEffect { .. } => None,
        OpKind::DropTable { .. }
        | OpKind::DropView { .. }
        | OpKind::RenameTable { .. }
        | OpKind::RenameColumn { .. }
        | OpKind::AddColumn { .. }
        | OpKind::DropIndex { .. }
        | OpKind::CreateTrigger { .. }
        | OpKind::DropTrigger { .. }
        | OpKind::RenameTrigger { .. }
        | OpKind::SetTriggerEnabled { .. }
        | OpKind::DataChange { .. } => write(TableWork::None),
        OpKind::CreateIndex { .. } => write(TableWork::Scan),
        OpKind::DropColumn { .. } => Some(
            Lock::postgres(LockMode::DatabaseWrite, TableWork::Rewrite)
                .because("DROP COLUMN rewrites the table to purge the column's data"),
        ),
        OpKind::AlterColumnType { .. }
        | OpKind::RedefineColumn { .. }
        | OpKind::SetNotNull { .. }
        | OpKind::DropNotNull { .. }
        | OpKind::SetDefault { .. }
        | OpKind::DropDefault { .. }
        | OpKind::AddConstraint { .. }
        | OpKind::DropConstraint { .. }
        | OpKind::SetIdentity { .. }
        | OpKind::RenameConstraint { .. }
        | OpKind::ValidateConstraint { .. }
        | OpKind::RenameIndex { .. }
        | OpKind::CreatePartition { .. }
        | OpKind::AttachPartition { .. }
        | OpKind::DetachPartition { .. }
        | OpKind::AlterConstraint { .. } => write(TableWork::Rewrite),
        OpKind::Unsupported { .. } | OpKind::Unreadable { .. } => {
            Some(Lock::postgres(LockMode::Unknown, TableWork::Unknown))
        }
    }
}

/// Why SQLite at `release` has no `ALTER TABLE` form for `op`, so that it takes the
/// twelve-step rebuild (which Alembic's batch mode generates); `None` for a native form or
/// a statement that is not a table change.
pub fn rebuild_reason(op: &Operation, release: Version) -> Option<String> {
    match &op.kind {
        OpKind::RenameColumn { .. } if !release.at_least(3, 25, 0) => {
            Some("RENAME COLUMN arrived in SQLite 3.25.0".into())
        }
        OpKind::DropColumn { .. } if !release.at_least(3, 35, 0) => {
            Some("DROP COLUMN arrived in SQLite 3.35.0".into())
        }
        OpKind::AddColumn { column, .. } => add_column_refused(column, &op.source)
            .map(|why| format!("SQLite refuses ADD COLUMN {why}")),
        OpKind::AlterColumnType { .. }
        | OpKind::RedefineColumn { .. }
        | OpKind::SetNotNull { .. }
        | OpKind::DropNotNull { .. }
        | OpKind::SetDefault { .. }
        | OpKind::DropDefault { .. }
        | OpKind::AddConstraint { .. }
        | OpKind::DropConstraint { .. }
        | OpKind::SetIdentity { .. }
        | OpKind::RenameConstraint { .. }
        | OpKind::ValidateConstraint { .. }
        | OpKind::AlterConstraint { .. } => Some(REBUILD.into()),
        _ => None,
    }
}

/// Why SQLite's `ADD COLUMN` refuses `column`, if it does: a `PRIMARY KEY` or `UNIQUE`
/// column, `NOT NULL` without a non-NULL default, a default that is not a constant
/// (`CURRENT_TIMESTAMP` and function calls), a stored generated column.
fn add_column_refused(column: &ColumnDef, source: &str) -> Option<&'static str> {
    if column.primary_key || column.unique {
        return Some("of a PRIMARY KEY or UNIQUE column");
    }
    let default = column.default.as_deref().map(str::trim);
    let null_default = default.is_none_or(|d| d.eq_ignore_ascii_case("NULL"));
    if !column.nullable && null_default && !column.generated {
        return Some("of a NOT NULL column without a default");
    }
    if let Some(default) = default {
        let upper = default.to_ascii_uppercase();
        let clock = ["CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"]
            .iter()
            .any(|k| upper.contains(k));
        if clock || volatile_call(default).is_some() {
            return Some("with a default that is not a constant");
        }
    }
    if column.generated && super::has_words(source, "STORED") {
        return Some("of a STORED generated column");
    }
    None
}

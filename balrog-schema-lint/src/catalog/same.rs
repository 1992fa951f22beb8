//! Whether two definitions describe the same schema object, and baseline detection.
//!
//! Sameness is about what the database holds, not how it was spelled: identifier case,
//! type aliases (`INT` / `INTEGER`, MySQL `BOOL` / `TINYINT(1)`), default quoting and
//! constraint names do not count. Column order does not count either: code that names its
//! columns (SQLAlchemy always does) cannot tell, and squashed baselines often reorder.

use super::apply::build_table;
use super::model::{Index, Table};
use super::names::same_ident;
use super::types::{compare_types, TypeChange};
use super::Catalog;
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, Dialect, OpKind, Operation};

impl Catalog {
    /// Whether `op` would create an object that already exists with the same definition:
    /// a `CREATE TABLE`, `ADD COLUMN`, `CREATE INDEX`, `CREATE TYPE` or `CREATE SEQUENCE`
    /// that a baseline (squashed) migration repeats. `CREATE VIEW` carries no body in the
    /// operation, so it is never the same here; see [`Catalog::has_same_definition_of`].
    pub fn has_same_definition(&self, op: &OpKind) -> bool {
        match op {
            OpKind::CreateTable {
                table,
                columns,
                constraints,
                if_not_exists: _,
            } => self.table(table).is_some_and(|existing| {
                let (built, _) = build_table(table, columns, constraints, 0);
                tables_equivalent(self.dialect, existing, &built)
            }),
            OpKind::AddColumn { table, column } => self.table(table).is_some_and(|t| {
                // The catalog keeps inline keys as table constraints; compare likewise.
                let mut def = column.clone();
                def.primary_key = false;
                def.unique = false;
                if column.primary_key {
                    def.nullable = false;
                }
                let keys_present = (!column.primary_key || t.in_primary_key(&def.name))
                    && (!column.unique
                        || t.constraints().iter().any(|c| {
                            c.kind == ConstraintKind::Unique
                                && same_columns(&c.columns, std::slice::from_ref(&def.name))
                        }));
                t.column(&def.name)
                    .is_some_and(|existing| columns_equivalent(self.dialect, existing, &def))
                    && keys_present
            }),
            OpKind::CreateIndex {
                name,
                table,
                columns,
                unique,
                concurrently: _,
                partial,
            } => self.table(table).is_some_and(|t| {
                let wanted = Index {
                    name: name.clone().unwrap_or_default(),
                    columns: columns.clone(),
                    unique: *unique,
                    partial: *partial,
                    implicit_name: name.is_none(),
                };
                let as_index = match name {
                    Some(n) => t.index(n).is_some_and(|i| indexes_equivalent(i, &wanted)),
                    None => t.indexes().any(|i| indexes_equivalent(i, &wanted)),
                };
                // A unique key declared in CREATE TABLE is the same thing as a unique index.
                let as_constraint = *unique
                    && !*partial
                    && t.constraints().iter().any(|c| {
                        c.kind == ConstraintKind::Unique
                            && same_columns(&c.columns, columns)
                            && match (name, &c.name) {
                                (Some(a), Some(b)) => same_ident(a, b),
                                _ => true,
                            }
                    });
                as_index || as_constraint
            }),
            OpKind::CreateType { name, values } => {
                self.named_type(name).is_some_and(|t| t.values == *values)
            }
            OpKind::CreateSequence { name } => self.sequence(name).is_some(),
            OpKind::CreateView { .. }
            | OpKind::DropTable { .. }
            | OpKind::RenameTable { .. }
            | OpKind::DropView { .. }
            | OpKind::DropColumn { .. }
            | OpKind::RenameColumn { .. }
            | OpKind::AlterColumnType { .. }
            | OpKind::RedefineColumn { .. }
            | OpKind::SetNotNull { .. }
            | OpKind::DropNotNull { .. }
            | OpKind::SetDefault { .. }
            | OpKind::DropDefault { .. }
            | OpKind::DropIndex { .. }
            | OpKind::AddConstraint { .. }
            | OpKind::DropConstraint { .. }
            | OpKind::DropType { .. }
            | OpKind::DropSequence { .. }
            | OpKind::DataChange { .. }
            | OpKind::NoEffect { .. }
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
            | OpKind::CreateExtension { .. }
            | OpKind::DropExtension { .. }
            | OpKind::PartitionBy { .. }
            | OpKind::CreatePartition { .. }
            | OpKind::AttachPartition { .. }
            | OpKind::DetachPartition { .. }
            | OpKind::CreateTableAs { .. }
            | OpKind::RenameConstraint { .. }
            | OpKind::ValidateConstraint { .. }
            | OpKind::RenameIndex { .. }
            | OpKind::CreateTemporaryTable { .. }
            | OpKind::SetIdentity { .. }
            | OpKind::DropDatabase { .. }
            | OpKind::Maintenance { .. }
            | OpKind::CreateObject { .. }
            | OpKind::DropObject { .. }
            | OpKind::AlterObject { .. }
            | OpKind::AlterConstraint { .. }
            | OpKind::CreateTableLike { .. } => false,
        }
    }

    /// [`Catalog::has_same_definition`], and for `CREATE VIEW` a comparison of the
    /// statement text (case, spacing, quoting and `OR REPLACE` aside) with the one that
    /// created the existing view.
    pub fn has_same_definition_of(&self, op: &Operation) -> bool {
        match &op.kind {
            OpKind::CreateView { view, .. } => self.view(view).is_some_and(|v| {
                let (old, new) = (view_text(&v.source), view_text(&op.source));
                !old.is_empty() && old == new
            }),
            other => self.has_same_definition(other),
        }
    }
}

/// A view statement reduced to what matters for sameness.
pub(crate) fn view_text(source: &str) -> String {
    let words: Vec<String> = source
        .trim()
        .trim_end_matches(';')
        .split_whitespace()
        .map(|w| w.replace(['`', '"'], "").to_lowercase())
        .collect();
    words.join(" ").replacen("create or replace ", "create ", 1)
}

pub(crate) fn tables_equivalent(dialect: Dialect, a: &Table, b: &Table) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns().all(|ca| {
            b.column(&ca.name)
                .is_some_and(|cb| columns_equivalent(dialect, ca, cb))
        })
        && same_constraint_sets(dialect, &a.constraints, &b.constraints)
}

/// Same column as far as the database is concerned (name case, type aliases and default
/// spelling aside; the client-side default is not part of the schema).
pub(crate) fn columns_equivalent(dialect: Dialect, a: &ColumnDef, b: &ColumnDef) -> bool {
    let types = match (&a.ty, &b.ty) {
        (Some(x), Some(y)) => compare_types(dialect, x, y) == TypeChange::Same,
        (None, None) => true,
        (Some(_), None) | (None, Some(_)) => false,
    };
    same_ident(&a.name, &b.name)
        && types
        && a.nullable == b.nullable
        && normal_default(dialect, a.default.as_deref())
            == normal_default(dialect, b.default.as_deref())
        && a.auto_increment == b.auto_increment
        && a.primary_key == b.primary_key
        && a.unique == b.unique
        && a.generated == b.generated
        && a.collation == b.collation
}

/// A default expression in a canonical spelling; `None` for no default and `DEFAULT NULL`.
pub(crate) fn normal_default(dialect: Dialect, default: Option<&str>) -> Option<String> {
    let mut text = default?.trim().to_lowercase();
    // Bounded: a default is short, and each round removes two characters.
    for _ in 0..16 {
        let unwrapped = text
            .strip_prefix('(')
            .and_then(|t| t.strip_suffix(')'))
            .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
            .map(|t| t.trim().to_string());
        match unwrapped {
            Some(inner) => text = inner,
            None => break,
        }
    }
    let text = match text.as_str() {
        "null" => return None,
        "current_timestamp()" | "now()" | "localtimestamp" => "current_timestamp".to_string(),
        "true" if dialect == Dialect::Mysql => "1".to_string(),
        "false" if dialect == Dialect::Mysql => "0".to_string(),
        _ => text,
    };
    Some(text)
}

pub(crate) fn indexes_equivalent(a: &Index, b: &Index) -> bool {
    a.unique == b.unique && a.partial == b.partial && same_columns(&a.columns, &b.columns)
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_ident(x, y))
}

/// Constraints compared as multisets, names aside.
fn same_constraint_sets(dialect: Dialect, a: &[Constraint], b: &[Constraint]) -> bool {
    let mut left: Vec<String> = a.iter().map(|c| signature(dialect, c, false)).collect();
    let mut right: Vec<String> = b.iter().map(|c| signature(dialect, c, false)).collect();
    left.sort();
    right.sort();
    left == right
}

/// A canonical text for a constraint, optionally with its name, for comparison and order.
pub(crate) fn signature(dialect: Dialect, c: &Constraint, with_name: bool) -> String {
    let cols = c
        .columns
        .iter()
        .map(|c| c.to_lowercase())
        .collect::<Vec<_>>()
        .join(",");
    let kind = match &c.kind {
        ConstraintKind::PrimaryKey => "primary key".to_string(),
        ConstraintKind::Unique => "unique".to_string(),
        ConstraintKind::ForeignKey {
            references,
            actions,
            ..
        } => {
            // Referenced columns are left out: unwritten, they mean the primary key, which
            // the signature does not know.
            format!(
                "foreign key -> {}{}",
                references.to_lowercase(),
                actions.enforced_in(dialect).sql().to_lowercase()
            )
        }
        ConstraintKind::Check { expr } => {
            let expr = normal_default(dialect, Some(expr)).unwrap_or_default();
            format!(
                "check {}",
                expr.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        }
    };
    let name = match (&c.name, with_name) {
        (Some(n), true) => n.to_lowercase(),
        _ => String::new(),
    };
    format!("{kind} ({cols}) {name}")
}

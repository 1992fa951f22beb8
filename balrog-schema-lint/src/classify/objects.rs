//! Directions for structural objects: types, domains, schemas, extensions, partitions,
//! tables made from a query, renamed constraints and indexes. The reasons are in
//! `docs/objects.md`.

use super::{absent_object, Context, Judgement};
use crate::catalog::Catalog;
use crate::model::ops::{Direction, OpKind, Operation, SqlType};

/// The direction of an operation of this module's kinds from the statement alone; `None`
/// for the other kinds.
pub(super) fn statement_direction(kind: &OpKind) -> Option<Direction> {
    let direction = match kind {
        OpKind::AddEnumValue { .. }
        | OpKind::CreateCompositeType { .. }
        | OpKind::AddAttribute { .. }
        | OpKind::CreateDomain { .. }
        | OpKind::DropDomainConstraint { .. }
        | OpKind::CreateSchema { .. }
        | OpKind::CreateExtension { .. }
        | OpKind::CreatePartition { .. }
        | OpKind::CreateTableAs { .. } => Direction::Expand,
        OpKind::SetDomainNotNull { not_null, .. } => {
            if *not_null {
                Direction::Contract
            } else {
                Direction::Expand
            }
        }
        OpKind::SetDomainDefault { default, .. } => {
            if default.is_some() {
                Direction::Expand
            } else {
                Direction::Contract
            }
        }
        OpKind::SetIdentity { identity, .. } => {
            if *identity {
                Direction::Expand
            } else {
                Direction::Contract
            }
        }
        OpKind::DropAttribute { .. }
        | OpKind::DropDomain { .. }
        | OpKind::AddDomainConstraint { .. }
        | OpKind::DropSchema { .. }
        | OpKind::DropExtension { .. }
        | OpKind::AttachPartition { .. }
        | OpKind::DetachPartition { .. }
        | OpKind::DropDatabase { .. } => Direction::Contract,
        OpKind::RenameEnumValue { .. } | OpKind::RenameType { .. } => Direction::Breaking,
        OpKind::PartitionBy { .. }
        | OpKind::RenameConstraint { .. }
        | OpKind::ValidateConstraint { .. }
        | OpKind::RenameIndex { .. }
        | OpKind::CreateTemporaryTable { .. } => Direction::Neutral,
        _ => return None,
    };
    Some(direction)
}

/// The reason a direction from the statement alone has, for the kinds whose reason the
/// statement does not make plain.
fn plain_reason(kind: &OpKind) -> Option<String> {
    let reason = match kind {
        OpKind::RenameEnumValue { name, value, .. } => format!(
            "old code that writes or compares '{value}' of {name} fails on the new schema, new code on the old"
        ),
        OpKind::RenameType { name, .. } => format!(
            "code that names type {name} (casts, ORM type mappings looked up by name) breaks in either order"
        ),
        OpKind::RenameConstraint { .. } | OpKind::RenameIndex { .. } => {
            "queries do not name constraints or indexes (except ON CONFLICT ON CONSTRAINT and index hints)".to_string()
        }
        OpKind::ValidateConstraint { .. } => {
            "new rows were already checked since NOT VALID; this checks the old ones (a scan; fails if some violate)".to_string()
        }
        OpKind::PartitionBy { table, .. } => format!("part of creating {table}"),
        OpKind::AttachPartition { partition, .. } => format!(
            "{partition} now only accepts rows within its bound, and its rows appear in the parent"
        ),
        OpKind::DropDatabase { name } => format!(
            "every table, view and routine of database {name} is gone; the services must no longer use it"
        ),
        OpKind::DetachPartition {
            table, partition, ..
        } => format!(
            "rows of {partition} no longer appear in {table}; inserts into {table} for its bound fail"
        ),
        OpKind::CreateTemporaryTable { table } => {
            format!("{table} is temporary: it ends with the session and is not schema")
        }
        _ => return None,
    };
    Some(reason)
}

/// The name of the type, domain, schema or extension an operation changes (not creates).
fn changed_object(kind: &OpKind) -> Option<&str> {
    match kind {
        OpKind::AddEnumValue { name, .. }
        | OpKind::RenameEnumValue { name, .. }
        | OpKind::RenameType { name, .. }
        | OpKind::AddAttribute { name, .. }
        | OpKind::DropAttribute { name, .. }
        | OpKind::DropDomain { name }
        | OpKind::AddDomainConstraint { name, .. }
        | OpKind::DropDomainConstraint { name, .. }
        | OpKind::SetDomainNotNull { name, .. }
        | OpKind::SetDomainDefault { name, .. }
        | OpKind::DropSchema { name }
        | OpKind::DropExtension { name }
        | OpKind::DropType { name } => Some(name),
        _ => None,
    }
}

/// A judgement from context for the kinds of this module (and for the operations on tables
/// that these objects change: temporary tables, indexes on materialized views, enum column
/// types). `None` leaves the operation to the general rules.
pub(super) fn judge(op: &Operation, catalog: &Catalog) -> Option<Judgement> {
    let kind = &op.kind;
    if let Some(table) = kind.table() {
        if catalog.is_temporary(table) && !matches!(kind, OpKind::CreateTable { .. }) {
            return Some(Judgement::because(
                Direction::Neutral,
                Context::NewInRange,
                format!("{table} is a temporary table: not schema"),
            ));
        }
    }
    if let Some(name) = changed_object(kind) {
        if catalog.object_created_in_range(name) {
            return Some(Judgement::because(
                Direction::Neutral,
                Context::NewInRange,
                format!("{name} is created in this release"),
            ));
        }
    }
    match kind {
        OpKind::DropDomain { name } if catalog.domain(name).is_none() => {
            absent_object(op, catalog, &format!("domain {name}"))
        }
        OpKind::DropSchema { name } if !catalog.has_schema(name) => {
            absent_object(op, catalog, &format!("schema {name}"))
        }
        OpKind::DropExtension { name } if !catalog.has_extension(name) => {
            absent_object(op, catalog, &format!("extension {name}"))
        }
        OpKind::CreateSchema { name } if catalog.has_schema(name) => Some(Judgement::because(
            Direction::Neutral,
            Context::Baseline,
            format!("schema {name} already exists"),
        )),
        OpKind::CreateExtension { name } if catalog.has_extension(name) => {
            Some(Judgement::because(
                Direction::Neutral,
                Context::Baseline,
                format!("extension {name} already exists"),
            ))
        }
        OpKind::CreateTableAs {
            table,
            columns,
            sources,
        } => {
            let unknown: Vec<String> = catalog
                .query_columns(columns, sources)
                .into_iter()
                .filter(|(_, ty)| ty.is_none())
                .map(|(name, _)| name)
                .collect();
            if unknown.is_empty() {
                return None;
            }
            Some(Judgement::because(
                Direction::NeedsReview,
                Context::Statement,
                format!(
                    "the columns of {table} come from a query; the type of {} is not known to the tool",
                    unknown.join(", ")
                ),
            ))
        }
        OpKind::CreateIndex { table, .. } if catalog.is_materialized_view(table) => {
            Some(Judgement::because(
                Direction::Neutral,
                Context::Statement,
                format!("{table} is a materialized view: code reads it, only REFRESH writes it"),
            ))
        }
        OpKind::DropIndex { name, table: None, .. }
            if catalog.index(name).is_none() && catalog.view_index(name).is_some() =>
        {
            Some(Judgement::because(
                Direction::Neutral,
                Context::PreviousDefinition,
                format!("{name} is an index on a materialized view: only speed changes"),
            ))
        }
        OpKind::AlterColumnType {
            table,
            column,
            new_type,
        } => {
            let old = catalog.column(table, column)?.ty.as_ref()?;
            enum_change(catalog, &format!("{table}.{column}"), old, new_type)
        }
        _ => plain_reason(kind).and_then(|reason| {
            let direction = statement_direction(kind)?;
            Some(Judgement::because(direction, Context::Statement, reason))
        }),
    }
}

/// A column moved from one enum type to another: judged by the values each accepts.
fn enum_change(catalog: &Catalog, what: &str, old: &SqlType, new: &SqlType) -> Option<Judgement> {
    let (from, to) = (catalog.named_type(&old.name)?, catalog.named_type(&new.name)?);
    let mut judgement = value_change(what, &from.values, &to.values)?;
    judgement.reason = judgement
        .reason
        .map(|r| format!("{r} (enum {} to {})", from.name, to.name));
    Some(judgement)
}

/// A column whose enum values go from `from` to `to`.
fn value_change(what: &str, from: &[String], to: &[String]) -> Option<Judgement> {
    if from.is_empty() || to.is_empty() {
        return None;
    }
    let gone: Vec<&str> = from
        .iter()
        .filter(|v| !to.contains(v))
        .map(String::as_str)
        .collect();
    let added: Vec<&str> = to
        .iter()
        .filter(|v| !from.contains(v))
        .map(String::as_str)
        .collect();
    let (direction, said) = match (gone.is_empty(), added.is_empty()) {
        (true, true) => (Direction::Neutral, "keeps the same values".to_string()),
        (true, false) => (
            Direction::Expand,
            format!("adds the values {}", added.join(", ")),
        ),
        (false, true) => (
            Direction::Contract,
            format!(
                "removes the values {}: old code may still write them",
                gone.join(", ")
            ),
        ),
        (false, false) => (
            Direction::Breaking,
            format!(
                "removes {} and adds {}",
                gone.join(", "),
                added.join(", ")
            ),
        ),
    };
    Some(Judgement::because(
        direction,
        Context::PreviousDefinition,
        format!("the enum type of {what} {said}"),
    ))
}

/// A type renamed out of the way and replaced by a new type of its old name (how an enum
/// loses values in PostgreSQL: rename, create, move the columns, drop the old one): the
/// rename and the drop of the old copy are steps of the replacement, which is judged by the
/// column type changes.
pub(super) fn fold_type_swaps(
    before: &Catalog,
    after: &Catalog,
    operations: &[&Operation],
    judgements: &mut [Judgement],
) {
    for (i, op) in operations.iter().enumerate() {
        let OpKind::RenameType { name, new_name } = &op.kind else {
            continue;
        };
        let recreated = operations.iter().skip(i + 1).any(|o| match &o.kind {
            OpKind::CreateType { name: n, .. }
            | OpKind::CreateCompositeType { name: n, .. }
            | OpKind::CreateDomain { name: n, .. } => n.eq_ignore_ascii_case(name),
            _ => false,
        });
        let old_gone = after.named_type(new_name).is_none()
            && after.composite_type(new_name).is_none()
            && after.domain(new_name).is_none();
        if !recreated || !old_gone {
            continue;
        }
        let reason = format!("part of replacing type {name} (its columns are judged as they move)");
        if let Some(j) = judgements.get_mut(i) {
            j.set(Direction::Neutral, Context::NetNoChange, reason.clone());
        }
        for (j, later) in operations.iter().enumerate().skip(i + 1) {
            let drops_old = matches!(&later.kind, OpKind::DropType { name: n } if n.eq_ignore_ascii_case(new_name));
            let creates_new = matches!(&later.kind, OpKind::CreateType { name: n, .. } if n.eq_ignore_ascii_case(name));
            if drops_old || creates_new {
                if let Some(judgement) = judgements.get_mut(j) {
                    judgement.set(Direction::Neutral, Context::NetNoChange, reason.clone());
                }
            }
            // A column moved to the replacement keeps its type's name: judge it by the
            // values the type had at the start and has at the end.
            if let OpKind::AlterColumnType {
                table,
                column,
                new_type,
            } = &later.kind
            {
                let (Some(was), Some(is)) = (before.named_type(name), after.named_type(name))
                else {
                    continue;
                };
                if !new_type.name.eq_ignore_ascii_case(name) {
                    continue;
                }
                if let (Some(judgement), Some(changed)) = (
                    judgements.get_mut(j),
                    value_change(&format!("{table}.{column}"), &was.values, &is.values),
                ) {
                    *judgement = changed;
                }
            }
        }
    }
}

/// Types, domains, schemas, extensions and views that exist at both ends of the range with
/// the same definition: dropping and creating one again (a view rebuilt around a column
/// change, a type recreated as it was) changes nothing deployed code can see.
pub(super) fn fold_net_unchanged_objects(
    before: &Catalog,
    after: &Catalog,
    operations: &[&Operation],
    judgements: &mut [Judgement],
) {
    for (op, judgement) in operations.iter().zip(judgements.iter_mut()) {
        let name = match &op.kind {
            OpKind::CreateView { view, .. } | OpKind::DropView { view } => view,
            OpKind::CreateType { name, .. }
            | OpKind::DropType { name }
            | OpKind::CreateCompositeType { name, .. }
            | OpKind::CreateDomain { name, .. }
            | OpKind::DropDomain { name }
            | OpKind::CreateSchema { name }
            | OpKind::DropSchema { name }
            | OpKind::CreateExtension { name }
            | OpKind::DropExtension { name } => name,
            _ => continue,
        };
        if judgement.conflict.is_some()
            || matches!(
                judgement.direction,
                Direction::Neutral | Direction::NeedsReview
            )
            || before.is_uncertain(name)
        {
            continue;
        }
        match (before.object_definition(name), after.object_definition(name)) {
            (Some(was), Some(is)) if was == is => judgement.set(
                Direction::Neutral,
                Context::NetNoChange,
                format!("{name} ends this release as it began"),
            ),
            _ => {}
        }
    }
}

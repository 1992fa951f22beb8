//! Directions of operations and the release verdict.
//!
//! Each operation is judged against the replayed schema just before it: the same statement
//! is harmless on a table created in this release and unsafe on one production already has;
//! `MODIFY col INT NOT NULL` widens, narrows or only restates depending on what the column
//! was. Then the net effect folds away what cancels out over the whole range (a column added
//! and dropped, a table dropped and recreated as it was, a SQLite table rebuild).

use crate::catalog::{compare_types, diff, Applied, Catalog, SchemaChange, TypeChange};
use crate::model::finding::Verdict;
use crate::model::ops::{ColumnDef, ConstraintKind, Direction, OpKind, Operation};
use crate::model::programs::is_program_or_permission;

/// Why a direction was given, when context decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Judged from the statement alone.
    Statement,
    /// The object is created earlier in the same release.
    NewInRange,
    /// The object already exists with the same definition: a baseline (tool switch or squash).
    Baseline,
    /// Over the whole range the object ends as it began.
    NetNoChange,
    /// Judged against the object's definition at `FROM`.
    PreviousDefinition,
    /// Part of a table rebuild, judged by the rebuilt table's final definition.
    Rebuild,
    /// The object the statement drops does not exist in the replayed schema.
    Absent,
    /// The statement changes (renames, retypes, alters) a column its table does not have in
    /// the replayed schema: it would fail as written.
    Conflict,
}

/// The direction of one operation and, when context decided it, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Which way the operation lets the deploy go.
    pub direction: Direction,
    /// Why, when it differs from what the statement alone would say.
    pub reason: Option<String>,
    /// What decided it.
    pub context: Context,
    /// The replayed schema did not fit the operation (e.g. dropping a column that is not
    /// there); the message says what did not fit.
    pub conflict: Option<String>,
    /// For a statement that recreates an object the schema already has (a `CREATE TABLE` of
    /// an existing table): each way the new definition differs from the existing one. Empty
    /// when it matches, and for every other statement.
    pub differences: Vec<String>,
}

impl Judgement {
    /// A judgement from the statement alone.
    pub fn plain(direction: Direction) -> Judgement {
        Judgement {
            direction,
            reason: None,
            context: Context::Statement,
            conflict: None,
            differences: Vec::new(),
        }
    }

    /// Replaces the direction by what the whole range shows, keeping any replay conflict.
    fn set(&mut self, direction: Direction, context: Context, reason: String) {
        self.direction = direction;
        self.context = context;
        self.reason = Some(reason);
    }

    fn because(direction: Direction, context: Context, reason: String) -> Judgement {
        Judgement {
            direction,
            reason: Some(reason),
            context,
            conflict: None,
            differences: Vec::new(),
        }
    }
}

/// The result of judging a range.
#[derive(Debug, Clone)]
pub struct Judged {
    /// One judgement per operation, in order.
    pub judgements: Vec<Judgement>,
    /// For each operation that changes a column, the column as the replayed schema had it
    /// just before (what [`locks::lock`] needs to judge a type change); `None` otherwise.
    pub columns_before: Vec<Option<ColumnDef>>,
    /// The schema at the end of the range.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub after: Catalog,
}

/// Judges every operation of a range, in apply order, against the schema at `FROM`.
pub fn judge_range<'a>(
    before: &Catalog,
    operations: impl IntoIterator<Item = &'a Operation>,
) -> Judged {
    let operations: Vec<&Operation> = operations.into_iter().collect();
    let mut catalog = before.clone();
    catalog.begin_range();
    let mut judgements = Vec::with_capacity(operations.len());
    let mut columns_before = Vec::with_capacity(operations.len());
    let mut dropped_keys = foreign_keys::DroppedKeys::default();
    for (index, op) in operations.iter().enumerate() {
        columns_before.push(match (&op.kind, op.kind.table(), op.kind.column()) {
            (OpKind::AddColumn { .. }, _, _) => None,
            (_, Some(table), Some(column)) => catalog.column(table, column).cloned(),
            _ => None,
        });
        let mut judgement = judge(op, &catalog);
        if let Some((drop, replaced)) = dropped_keys.replacement(op, catalog.dialect()) {
            judgement = replaced;
            if let Some(dropped) = judgements.get_mut(drop) {
                let j: &mut Judgement = dropped;
                j.set(
                    Direction::Neutral,
                    Context::PreviousDefinition,
                    format!("the foreign key is added back at line {}", op.line),
                );
            }
        }
        let had_keys = foreign_keys::foreign_keys(&catalog, op);
        // A drop of an absent column is judged by `absent_object`; other changes to it here.
        let fails = judgement.context != Context::Absent && names_missing_column(op, &catalog);
        if let Applied::Conflict(message) = catalog.apply(op) {
            if fails {
                judgement = Judgement::because(
                    Direction::NeedsReview,
                    Context::Conflict,
                    format!("{message}: the statement would fail"),
                );
            }
            judgement.conflict = Some(message);
        }
        dropped_keys.observe(index, op, had_keys, &catalog, before);
        judgements.push(judgement);
    }
    fold_add_then_drop(&operations, &mut judgements);
    fold_net_unchanged_tables(before, &catalog, &operations, &mut judgements);
    fold_net_unchanged_indexes(before, &catalog, &operations, &mut judgements);
    fold_rebuilds(before, &catalog, &operations, &mut judgements);
    programs::fold_programs(before, &catalog, &operations, &mut judgements);
    objects::fold_type_swaps(before, &catalog, &operations, &mut judgements);
    objects::fold_net_unchanged_objects(before, &catalog, &operations, &mut judgements);
    note_do_block_branches(&operations, &mut judgements);
    Judged {
        judgements,
        columns_before,
        after: catalog,
    }
}

/// An operation read from a `DO` block with `IF` branches or `EXCEPTION` handlers is judged
/// as if it ran; its explanation says so, since the block may not run it.
fn note_do_block_branches(operations: &[&Operation], judgements: &mut [Judgement]) {
    for (op, judgement) in operations.iter().zip(judgements.iter_mut()) {
        let Some(note) = crate::read::sql::do_block_branch_note(&op.source) else {
            continue;
        };
        judgement.reason = Some(match judgement.reason.take() {
            Some(reason) => format!("{reason} ({note})"),
            None if judgement.direction == Direction::NeedsReview => {
                format!("its effect on deployed code cannot be decided ({note})")
            }
            None => note.to_string(),
        });
    }
}

/// Whether `op` changes a column that its table, known to the replayed schema and touched by
/// nothing the tool could not model, does not have: on a database built by the migrations
/// the statement fails. A table the schema does not know proves nothing (the history may be
/// partial, or replay off), so only a missing column of a known table counts.
fn names_missing_column(op: &Operation, catalog: &Catalog) -> bool {
    let (table, column) = match &op.kind {
        OpKind::DropColumn { table, column }
        | OpKind::RenameColumn { table, column, .. }
        | OpKind::AlterColumnType { table, column, .. }
        | OpKind::RedefineColumn { table, column, .. }
        | OpKind::SetNotNull { table, column }
        | OpKind::DropNotNull { table, column }
        | OpKind::SetDefault { table, column, .. }
        | OpKind::DropDefault { table, column } => (table, column),
        _ => return false,
    };
    // `DROP COLUMN IF EXISTS` (SQL) and `if_exists=True` (Alembic) do nothing when the column
    // is absent; the operation model does not carry the clause, the statement text does.
    let source = op.source.to_ascii_uppercase();
    if source.contains("IF EXISTS") || source.contains("IF_EXISTS=TRUE") {
        return false;
    }
    catalog.table(table).is_some()
        && !catalog.is_uncertain(table)
        && catalog.column(table, column).is_none()
}

/// The direction of one operation against the schema just before it.
pub fn judge(op: &Operation, catalog: &Catalog) -> Judgement {
    if let Some(judgement) = named::judge(op, catalog) {
        return judgement;
    }
    if let Some(judgement) = objects::judge(op, catalog) {
        return judgement;
    }
    let kind = &op.kind;
    if let Some(table) = kind.table() {
        let creates = matches!(
            kind,
            OpKind::CreateTable { .. } | OpKind::CreateTableLike { .. } | OpKind::CreateView { .. }
        );
        let unknown = matches!(kind, OpKind::Unsupported { .. } | OpKind::Unreadable { .. });
        if !creates && !unknown && catalog.created_in_range(table) {
            return Judgement::because(
                Direction::Neutral,
                Context::NewInRange,
                format!("{table} is created in this release"),
            );
        }
    }
    if let Some(judgement) = using_index::judge(op, catalog) {
        return judgement;
    }
    let column_at = |table: &str, column: &str| catalog.column(table, column);
    match kind {
        OpKind::CreateTable {
            table,
            if_not_exists,
            ..
        } => match catalog.table(table) {
            None => Judgement::plain(Direction::Expand),
            Some(_) if catalog.has_same_definition(kind) => Judgement::because(
                Direction::Neutral,
                Context::Baseline,
                format!("{table} already exists with the same definition"),
            ),
            Some(_) if *if_not_exists => Judgement::because(
                Direction::Neutral,
                Context::PreviousDefinition,
                format!(
                    "{table} already exists, so IF NOT EXISTS skips it (its definition differs)"
                ),
            ),
            Some(_) => {
                let differences = redefinition(catalog, op, table);
                let described = if differences.is_empty() {
                    "the difference is outside the modelled definition".to_string()
                } else {
                    differences.join("; ")
                };
                Judgement {
                    differences,
                    ..Judgement::because(
                        Direction::NeedsReview,
                        Context::PreviousDefinition,
                        format!("{table} already exists with a different definition: {described}"),
                    )
                }
            }
        },
        OpKind::CreateIndex {
            unique, columns, ..
        } => {
            if catalog.has_same_definition(kind) {
                Judgement::because(
                    Direction::Neutral,
                    Context::Baseline,
                    "the index already exists with the same definition".into(),
                )
            } else if *unique && on_new_columns(catalog, kind.table().unwrap_or_default(), columns)
            {
                new_columns_key(kind.table().unwrap_or_default(), columns)
            } else if *unique {
                Judgement::plain(Direction::Contract)
            } else {
                Judgement::plain(Direction::Expand)
            }
        }
        OpKind::CreateView { view, or_replace } => {
            if catalog.has_same_definition_of(op) {
                Judgement::because(
                    Direction::Neutral,
                    Context::Baseline,
                    format!("{view} already exists with the same definition"),
                )
            } else if *or_replace && catalog.view(view).is_some() {
                Judgement::because(
                    Direction::NeedsReview,
                    Context::PreviousDefinition,
                    format!("{view} is redefined: what old code reads through it changes"),
                )
            } else {
                Judgement::plain(Direction::Expand)
            }
        }
        OpKind::AddColumn { table, column } => match column_at(table, &column.name) {
            Some(existing) if columns_match(catalog, existing, column) => Judgement::because(
                Direction::Neutral,
                Context::Baseline,
                format!(
                    "{table}.{} already exists with the same definition",
                    column.name
                ),
            ),
            _ if column.fills_itself() => Judgement::plain(Direction::Expand),
            _ => Judgement::plain(Direction::Breaking),
        },
        OpKind::AlterColumnType {
            table,
            column,
            new_type,
        } => match column_at(table, column).and_then(|c| c.ty.as_ref()) {
            Some(old) => type_judgement(catalog, &format!("{table}.{column}"), old, new_type),
            None => Judgement::plain(Direction::Breaking),
        },
        OpKind::RedefineColumn {
            table,
            column,
            definition,
            ..
        } => match column_at(table, column) {
            Some(old) => compare_columns(catalog, &format!("{table}.{column}"), old, definition),
            None => Judgement::plain(Direction::Breaking),
        },
        OpKind::SetNotNull { table, column } | OpKind::DropDefault { table, column }
            if catalog.column_created_in_range(table, column) =>
        {
            new_column_constraint(catalog, kind, table, column)
        }
        OpKind::SetNotNull { table, column } => match column_at(table, column) {
            Some(old) if !old.nullable => Judgement::because(
                Direction::Neutral,
                Context::PreviousDefinition,
                format!("{table}.{column} is already NOT NULL"),
            ),
            _ => Judgement::plain(Direction::Contract),
        },
        OpKind::DropNotNull { table, column } => match column_at(table, column) {
            Some(old) if old.nullable => Judgement::because(
                Direction::Neutral,
                Context::PreviousDefinition,
                format!("{table}.{column} is already nullable"),
            ),
            _ => Judgement::plain(Direction::Expand),
        },
        OpKind::DropDefault { table, column } => match column_at(table, column) {
            Some(old) if old.default.is_none() => Judgement::because(
                Direction::Neutral,
                Context::PreviousDefinition,
                format!("{table}.{column} has no default"),
            ),
            _ => Judgement::plain(Direction::Contract),
        },
        OpKind::DropColumn { table, column } if catalog.column_created_in_range(table, column) => {
            Judgement::because(
                Direction::Neutral,
                Context::NewInRange,
                format!("{table}.{column} is added in this release"),
            )
        }
        OpKind::DropIndex { name, table, .. } => {
            let found = match table {
                Some(table) => catalog
                    .table(table)
                    .and_then(|t| t.index(name).map(|i| (t, i))),
                None => catalog.index(name),
            };
            match found {
                Some((table, _)) if catalog.created_in_range(table.name()) => Judgement::because(
                    Direction::Neutral,
                    Context::NewInRange,
                    format!("{} is created in this release", table.name()),
                ),
                Some((_, index)) if index.unique => Judgement::because(
                    Direction::Expand,
                    Context::PreviousDefinition,
                    format!("{name} is a unique index: dropping it relaxes the schema"),
                ),
                Some(_) => Judgement::because(
                    Direction::Neutral,
                    Context::PreviousDefinition,
                    format!("{name} is an ordinary index: only the speed of queries changes (see drop-index)"),
                ),
                None => absent_object(op, catalog, &format!("index {name}"))
                    .unwrap_or_else(|| Judgement::plain(Direction::Contract)),
            }
        }
        OpKind::AddConstraint { table, constraint }
            if !matches!(constraint.kind, ConstraintKind::PrimaryKey)
                && on_new_columns(catalog, table, &constraint.columns) =>
        {
            new_columns_key(table, &constraint.columns)
        }
        OpKind::DropTable { table } if catalog.table(table).is_none() => {
            absent_object(op, catalog, &format!("table {table}"))
                .unwrap_or_else(|| Judgement::plain(Direction::Contract))
        }
        OpKind::DropView { view } if catalog.view(view).is_none() => {
            absent_object(op, catalog, &format!("view {view}"))
                .unwrap_or_else(|| Judgement::plain(Direction::Contract))
        }
        OpKind::DropType { name }
            if catalog.named_type(name).is_none()
                && catalog.composite_type(name).is_none()
                && catalog.domain(name).is_none() =>
        {
            absent_object(op, catalog, &format!("type {name}"))
                .unwrap_or_else(|| Judgement::plain(Direction::Contract))
        }
        OpKind::DropSequence { name } if catalog.sequence(name).is_none() => {
            absent_object(op, catalog, &format!("sequence {name}"))
                .unwrap_or_else(|| Judgement::plain(Direction::Contract))
        }
        OpKind::DropColumn { table, column }
            if catalog.table(table).is_some() && catalog.column(table, column).is_none() =>
        {
            absent_object(op, catalog, &format!("column {table}.{column}"))
                .unwrap_or_else(|| Judgement::plain(Direction::Contract))
        }
        kind if is_program_or_permission(kind) => programs::judge(op, catalog),
        _ => Judgement::plain(statement_direction(kind)),
    }
}

/// A drop of an object the replayed schema does not have. With `IF EXISTS` the database
/// skips it: nothing happens. Without, the migration fails on a database built by these
/// migrations: needs review. `None` when the replay may simply not know the object (a
/// statement it could not model touched it or the whole schema, or no migration built any
/// table, as when a statement is judged alone), so the statement's own direction stands.
fn absent_object(op: &Operation, catalog: &Catalog, what: &str) -> Option<Judgement> {
    let name = op.kind.table().unwrap_or_default();
    if !catalog.unmodelled().is_empty() || catalog.is_uncertain(name) || !catalog.has_history() {
        return None;
    }
    Some(if op.if_exists() {
        Judgement::because(
            Direction::Neutral,
            Context::Absent,
            format!("{what} does not exist, so IF EXISTS makes this a no-op"),
        )
    } else {
        Judgement::because(
            Direction::NeedsReview,
            Context::Absent,
            format!("{what} does not exist in the schema the earlier migrations build: the statement fails there"),
        )
    })
}

/// Whether every column is added in this release without a default (and there is at least
/// one): every row holds NULL there, which no unique, foreign or check key rejects. A default
/// would give every row the same value, which a unique key does reject.
fn on_new_columns(catalog: &Catalog, table: &str, columns: &[String]) -> bool {
    !columns.is_empty()
        && columns.iter().all(|c| {
            catalog.column_created_in_range(table, c)
                && catalog
                    .column(table, c)
                    .is_some_and(|def| def.default.is_none() && !def.generated)
        })
}

/// A key on columns added in this release: their rows hold only NULL or the default, so
/// the key rejects nothing old code writes (it never writes those columns).
fn new_columns_key(table: &str, columns: &[String]) -> Judgement {
    Judgement::because(
        Direction::Neutral,
        Context::NewInRange,
        format!(
            "{table}({}) is added in this release: the key is part of that addition",
            columns.join(", ")
        ),
    )
}

/// `SET NOT NULL` or `DROP DEFAULT` on a column added earlier in the range completes that
/// addition: judge the column as it ends up, since no deployed code knows it yet but old code
/// still inserts rows without it.
fn new_column_constraint(catalog: &Catalog, kind: &OpKind, table: &str, column: &str) -> Judgement {
    let mut after = catalog.clone();
    after.apply(&Operation {
        line: 0,
        kind: kind.clone(),
        source: String::new(),
    });
    match after.column(table, column) {
        Some(c) if !c.fills_itself() => Judgement::because(
            Direction::Breaking,
            Context::NewInRange,
            format!(
                "{table}.{column} is added in this release and ends NOT NULL without a default"
            ),
        ),
        _ => Judgement::because(
            Direction::Neutral,
            Context::NewInRange,
            format!("{table}.{column} is added in this release"),
        ),
    }
}

/// How `CREATE TABLE` would differ from the table that exists, in words.
fn redefinition(catalog: &Catalog, op: &Operation, table: &str) -> Vec<String> {
    let mut replaced = catalog.clone();
    replaced.apply(&Operation {
        line: op.line,
        kind: OpKind::DropTable {
            table: table.to_string(),
        },
        source: String::new(),
    });
    replaced.apply(op);
    diff(catalog, &replaced)
        .iter()
        .filter(|change| changed_table(change).is_some_and(|t| t.eq_ignore_ascii_case(table)))
        .map(describe_change)
        .collect()
}

fn describe_change(change: &SchemaChange) -> String {
    let column = |c: &ColumnDef| {
        let ty = c.ty.as_ref().map(|t| format!(" {t}")).unwrap_or_default();
        let null = if c.nullable { "" } else { " NOT NULL" };
        let default = c
            .default
            .as_ref()
            .map(|d| format!(" DEFAULT {d}"))
            .unwrap_or_default();
        let inc = if c.auto_increment {
            " AUTO_INCREMENT"
        } else {
            ""
        };
        format!("{}{ty}{null}{default}{inc}", c.name)
    };
    match change {
        SchemaChange::ColumnAdded { column: c, .. } => format!("adds {}", column(c)),
        SchemaChange::ColumnRemoved { column: c, .. } => format!("lacks {}", column(c)),
        SchemaChange::ColumnChanged { before, after, .. } => {
            format!("{} instead of {}", column(after), column(before))
        }
        SchemaChange::ConstraintAdded { constraint, .. } => {
            format!(
                "adds {:?} on ({})",
                constraint.kind,
                constraint.columns.join(", ")
            )
        }
        SchemaChange::ConstraintRemoved { constraint, .. } => {
            format!(
                "lacks {:?} on ({})",
                constraint.kind,
                constraint.columns.join(", ")
            )
        }
        SchemaChange::IndexAdded { index, .. } => format!("adds index {}", index.name),
        SchemaChange::IndexRemoved { index, .. } => format!("lacks index {}", index.name),
        other => format!("{other:?}"),
    }
}

/// The direction of an operation from the statement alone (no schema context).
pub fn statement_direction(kind: &OpKind) -> Direction {
    match kind {
        OpKind::CreateTable { .. }
        | OpKind::CreateTableLike { .. }
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
        OpKind::AlterColumnType { .. } | OpKind::RedefineColumn { .. } => Direction::Breaking,
        OpKind::DataChange { .. } | OpKind::NoEffect { .. } | OpKind::Maintenance { .. } => {
            Direction::Neutral
        }
        OpKind::Unsupported { .. } | OpKind::Unreadable { .. } => Direction::NeedsReview,
        OpKind::CreateRoutine { .. }
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
        | OpKind::Comment { .. } => programs::statement_direction(kind),
        OpKind::AddEnumValue { .. }
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
        | OpKind::DropDatabase { .. } => {
            objects::statement_direction(kind).unwrap_or(Direction::NeedsReview)
        }
        OpKind::CreateObject { .. }
        | OpKind::DropObject { .. }
        | OpKind::AlterObject { .. }
        | OpKind::AlterConstraint { .. } => {
            named::statement_direction(kind).unwrap_or(Direction::NeedsReview)
        }
    }
}

fn columns_match(catalog: &Catalog, a: &ColumnDef, b: &ColumnDef) -> bool {
    compare_columns(catalog, &a.name, a, b).direction == Direction::Neutral
        && a.name.eq_ignore_ascii_case(&b.name)
}

fn type_judgement(
    catalog: &Catalog,
    what: &str,
    old: &crate::model::ops::SqlType,
    new: &crate::model::ops::SqlType,
) -> Judgement {
    let (direction, phrase) = type_change(catalog, old, new);
    Judgement::because(
        direction,
        Context::PreviousDefinition,
        format!("type of {what} {phrase}"),
    )
}

/// How a type change reads, as a verb phrase: `widens INT to BIGINT`.
fn type_change(
    catalog: &Catalog,
    old: &crate::model::ops::SqlType,
    new: &crate::model::ops::SqlType,
) -> (Direction, String) {
    match compare_types(catalog.dialect(), old, new) {
        TypeChange::Same => (Direction::Neutral, format!("is already {old}")),
        TypeChange::Widening => (Direction::Expand, format!("widens {old} to {new}")),
        TypeChange::Narrowing => (Direction::Breaking, format!("narrows {old} to {new}")),
        TypeChange::Unknown => (Direction::Breaking, format!("changes kind, {old} to {new}")),
    }
}

/// Compares a column's old and new full definitions (MySQL `MODIFY` / `CHANGE COLUMN`, or a
/// table rebuild) part by part.
pub fn compare_columns(
    catalog: &Catalog,
    what: &str,
    old: &ColumnDef,
    new: &ColumnDef,
) -> Judgement {
    let parts = column_parts(catalog, old, new);
    let has = |d: Direction| parts.iter().any(|(x, _)| *x == d);
    let direction = if parts.is_empty() {
        Direction::Neutral
    } else if has(Direction::Breaking) || (has(Direction::Expand) && has(Direction::Contract)) {
        Direction::Breaking
    } else if has(Direction::Contract) {
        Direction::Contract
    } else {
        Direction::Expand
    };
    let reason = if parts.is_empty() {
        format!("restates {what} unchanged")
    } else {
        let said: Vec<&str> = parts.iter().map(|(_, s)| s.as_str()).collect();
        format!("{what}: {}", said.join("; "))
    };
    Judgement::because(direction, Context::PreviousDefinition, reason)
}

/// Each way `new` differs from `old`, with its direction.
pub(crate) fn column_parts(
    catalog: &Catalog,
    old: &ColumnDef,
    new: &ColumnDef,
) -> Vec<(Direction, String)> {
    let mut parts: Vec<(Direction, String)> = Vec::new();
    if !old.name.eq_ignore_ascii_case(&new.name) {
        parts.push((Direction::Breaking, format!("renames it to {}", new.name)));
    }
    match (&old.ty, &new.ty) {
        (Some(a), Some(b)) => {
            let (direction, phrase) = type_change(catalog, a, b);
            if direction != Direction::Neutral {
                parts.push((direction, phrase));
            }
        }
        (None, Some(_)) => parts.push((Direction::Breaking, "its old type is unknown".into())),
        (_, None) => {}
    }
    if old.nullable && !new.nullable {
        parts.push((Direction::Contract, "adds NOT NULL".into()));
    } else if !old.nullable && new.nullable {
        parts.push((Direction::Expand, "drops NOT NULL".into()));
    }
    match (&old.default, &new.default) {
        (Some(_), None) => parts.push((Direction::Contract, "drops its default".into())),
        (None, Some(_)) => parts.push((Direction::Expand, "adds a default".into())),
        (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) => {
            parts.push((Direction::Expand, "changes its default".into()))
        }
        _ => {}
    }
    if old.auto_increment && !new.auto_increment {
        parts.push((
            Direction::Contract,
            "drops AUTO_INCREMENT: inserts that leave it out fail".into(),
        ));
    } else if !old.auto_increment && new.auto_increment {
        parts.push((Direction::Expand, "adds AUTO_INCREMENT".into()));
    }
    if let Some(phrase) = collation_change(old.collation.as_deref(), new.collation.as_deref()) {
        parts.push((Direction::Breaking, phrase));
    }
    parts
}

/// A change of character set or collation changes which values compare equal, how they sort
/// and what a unique key rejects, for old and new code at once: no deploy order keeps both
/// right. The replay does not know table or server defaults, so a collation declared where
/// none was (or dropped back to the table's default) is a change unless proven otherwise.
fn collation_change(old: Option<&str>, new: Option<&str>) -> Option<String> {
    match (old, new) {
        (Some(a), Some(b)) if a == b => None,
        (None, None) => None,
        (Some(a), Some(b)) => Some(format!("changes {a} to {b}")),
        (None, Some(b)) => Some(format!(
            "declares {b} where the table's default applied (not known to the replay)"
        )),
        (Some(a), None) => Some(format!("drops {a}, back to the table's default")),
    }
}

fn key(name: &str) -> String {
    name.to_ascii_lowercase()
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

pub mod locks;
mod foreign_keys;
mod named;
#[cfg(test)]
mod named_tests;
mod net;
mod programs;
mod objects;
mod using_index;
#[cfg(test)]
mod objects_tests;

use net::{
    changed_table, fold_add_then_drop, fold_net_unchanged_indexes, fold_net_unchanged_tables,
    fold_rebuilds,
};

#[cfg(test)]
mod programs_tests;
#[cfg(test)]
mod tests;

//! Replaying one operation into the catalog.

use std::sync::Arc;

use super::model::{Column, NamedType, Sequence, Table, View};
use super::names::{key, same_ident};
use super::{Applied, Catalog, Uncertainty};
use crate::model::ops::{
    ColumnDef, Constraint, ConstraintKind, Dialect, OpKind, Operation, SqlType,
};

pub(super) fn missing_table(table: &str) -> Applied {
    Applied::Conflict(format!("table {table} does not exist"))
}

fn missing_column(table: &str, column: &str) -> Applied {
    Applied::Conflict(format!("column {table}.{column} does not exist"))
}

impl Catalog {
    /// Applies one operation. Never fails: what does not fit the replayed schema is
    /// reported as [`Applied::Conflict`] and applied as far as it sensibly can be.
    pub fn apply(&mut self, op: &Operation) -> Applied {
        self.clock += 1;
        let now = self.clock;
        if let Some((line, source)) = &self.skipped_statement {
            if *line == op.line && *source == op.source {
                return Applied::NoChange;
            }
            self.skipped_statement = None;
        }
        if let Some(table) = op.kind.table() {
            let creates = matches!(
                op.kind,
                OpKind::CreateTable { .. }
                    | OpKind::CreateTableLike { .. }
                    | OpKind::CreateTemporaryTable { .. }
            );
            if !creates {
                let drops = matches!(op.kind, OpKind::DropTable { .. });
                if let Some(applied) = self.on_temporary(table, drops) {
                    return applied;
                }
            }
        }
        match &op.kind {
            OpKind::CreateTable {
                table,
                columns,
                constraints,
                if_not_exists,
            } => {
                let applied = self.create_table(table, columns, constraints, *if_not_exists, now);
                if *if_not_exists && applied == Applied::NoChange {
                    self.skipped_statement = Some((op.line, op.source.clone()));
                }
                applied
            }
            OpKind::DropTable { table } => self.drop_table(table),
            OpKind::RenameTable { table, new_name } => self.rename_table(table, new_name),
            OpKind::CreateView { view, or_replace } => {
                self.create_view(view, *or_replace, &op.source)
            }
            OpKind::DropView { view } => match self.views.remove(&key(view)) {
                Some(_) => {
                    self.after_drop_view(view);
                    self.uncertain.remove(&key(view));
                    Applied::Changed
                }
                None => Applied::Conflict(format!("view {view} does not exist")),
            },
            OpKind::AddColumn { table, column } => self.add_column(table, column, now),
            OpKind::DropColumn { table, column } => self.drop_column(table, column),
            OpKind::RenameColumn {
                table,
                column,
                new_name,
            } => self.rename_column(table, column, new_name),
            OpKind::AlterColumnType {
                table,
                column,
                new_type,
            } => self.alter_column_type(table, column, new_type),
            OpKind::RedefineColumn {
                table,
                column,
                definition,
                reorders,
            } => self.redefine_column(table, column, definition, *reorders, now),
            OpKind::SetNotNull { table, column } => {
                self.edit_column(table, column, |_, c| set_if_changed(&mut c.nullable, false))
            }
            OpKind::DropNotNull { table, column } => self.edit_column(table, column, |in_pk, c| {
                if in_pk {
                    return Applied::Conflict(format!(
                        "{table}.{column} is part of the primary key and stays NOT NULL"
                    ));
                }
                set_if_changed(&mut c.nullable, true)
            }),
            OpKind::SetDefault {
                table,
                column,
                default,
            } => {
                let postgres = self.dialect == Dialect::Postgres;
                self.edit_column(table, column, |_, c| {
                    let serial = postgres && take_serial(c);
                    let changed = set_if_changed(&mut c.default, Some(default.trim().to_string()));
                    if serial {
                        Applied::Changed
                    } else {
                        changed
                    }
                })
            }
            OpKind::DropDefault { table, column } => {
                let postgres = self.dialect == Dialect::Postgres;
                self.edit_column(table, column, |_, c| {
                    let serial = postgres && take_serial(c);
                    let changed = set_if_changed(&mut c.default, None);
                    if serial {
                        Applied::Changed
                    } else {
                        changed
                    }
                })
            }
            OpKind::CreateIndex {
                name,
                table,
                columns,
                unique,
                concurrently: _,
                partial,
            } => {
                let exists = name.as_deref().is_some_and(|n| self.index_exists(n, table));
                if exists && creates_if_not_exists(&op.source) {
                    return Applied::NoChange;
                }
                if self.table(table).is_none() {
                    let index = crate::catalog::Index {
                        name: name.clone().unwrap_or_else(|| format!("{table}_idx")),
                        columns: columns.clone(),
                        unique: *unique,
                        partial: *partial,
                        implicit_name: name.is_none(),
                    };
                    if let Some(applied) = self.create_view_index(table, index) {
                        return applied;
                    }
                }
                let applied = self.create_index(name.as_deref(), table, columns, *unique, *partial);
                self.after_create_index(table, name.as_deref(), columns);
                applied
            }
            OpKind::DropIndex {
                name,
                table,
                concurrently: _,
            } => {
                if table.is_none() && self.index(name).is_none() && self.drop_view_index(name) {
                    return Applied::Changed;
                }
                let applied = self.drop_index(name, table.as_deref());
                self.after_drop_index(name);
                applied
            }
            OpKind::AddConstraint { table, constraint } => {
                let taken = op
                    .using_index()
                    .filter(|_| constraint.columns.is_empty())
                    .and_then(|index| self.take_over_index(table, constraint, &index));
                let constraint = taken.as_ref().unwrap_or(constraint);
                let applied = self.add_constraint(table, constraint);
                self.after_add_constraint(table, constraint);
                applied
            }
            OpKind::DropConstraint { table, name } => self.drop_constraint(table, name),
            OpKind::CreateType { name, values } => {
                self.note_created(name, now);
                let replaced = self.types.insert(
                    key(name),
                    NamedType {
                        name: name.clone(),
                        values: values.clone(),
                    },
                );
                match replaced {
                    Some(_) => Applied::Conflict(format!("type {name} already exists; replaced")),
                    None => Applied::Changed,
                }
            }
            OpKind::DropType { name } => match self.types.remove(&key(name)) {
                Some(_) => {
                    self.uncertain.remove(&key(name));
                    Applied::Changed
                }
                None => self
                    .drop_other_type(name)
                    .unwrap_or_else(|| Applied::Conflict(format!("type {name} does not exist"))),
            },
            OpKind::CreateSequence { name } => {
                let seq = Sequence { name: name.clone() };
                match self.sequences.insert(key(name), seq) {
                    Some(_) => Applied::Conflict(format!("sequence {name} already exists")),
                    None => Applied::Changed,
                }
            }
            OpKind::DropSequence { name } => match self.sequences.remove(&key(name)) {
                Some(_) => {
                    self.uncertain.remove(&key(name));
                    Applied::Changed
                }
                None => Applied::Conflict(format!("sequence {name} does not exist")),
            },
            OpKind::DataChange { table, .. } => {
                let k = key(table);
                if self.tables.contains_key(&k) || self.views.contains_key(&k) {
                    Applied::NoChange
                } else {
                    Applied::Conflict(format!("data change on {table}, which does not exist"))
                }
            }
            OpKind::NoEffect { .. } => Applied::NoChange,
            OpKind::Unsupported { what, table } => {
                let what = what.to_ascii_lowercase();
                match table {
                    Some(table) => self.mark_uncertain(table, what),
                    None => self.unmodelled.push(what),
                }
                Applied::Unknown
            }
            OpKind::Unreadable { error } => {
                self.unmodelled
                    .push(format!("unreadable statement at line {}: {error}", op.line));
                Applied::Unknown
            }
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
            | OpKind::Comment { .. } => self.apply_program(op, now),
            OpKind::AddEnumValue {
                name,
                value,
                before,
                after,
            } => self.add_enum_value(
                name,
                value,
                before.as_deref(),
                after.as_deref(),
                op.source.to_ascii_uppercase().contains("IF NOT EXISTS"),
            ),
            OpKind::RenameEnumValue {
                name,
                value,
                new_value,
            } => self.rename_enum_value(name, value, new_value),
            OpKind::RenameType { name, new_name } => self.rename_type(name, new_name),
            OpKind::CreateCompositeType { name, attributes } => {
                self.note_created(name, now);
                self.create_composite(name, attributes)
            }
            OpKind::AddAttribute { name, attribute } => self.add_attribute(name, attribute),
            OpKind::DropAttribute { name, attribute } => self.drop_attribute(name, attribute),
            OpKind::CreateDomain {
                name,
                base,
                nullable,
                default,
                checks,
            } => {
                self.note_created(name, now);
                self.create_domain(crate::catalog::Domain {
                    name: name.clone(),
                    base: base.clone(),
                    nullable: *nullable,
                    default: default.clone(),
                    checks: checks.clone(),
                })
            }
            OpKind::DropDomain { name } => self.drop_domain(name),
            OpKind::AddDomainConstraint { name, constraint } => self.edit_domain(name, |d| {
                d.checks.push(constraint.clone());
                Applied::Changed
            }),
            OpKind::DropDomainConstraint { name, constraint } => self.edit_domain(name, |d| {
                let before = d.checks.len();
                d.checks
                    .retain(|c| !c.name.as_deref().is_some_and(|n| same_ident(n, constraint)));
                if d.checks.len() == before {
                    Applied::Conflict(format!("domain {name} has no constraint {constraint}"))
                } else {
                    Applied::Changed
                }
            }),
            OpKind::SetDomainNotNull { name, not_null } => {
                self.edit_domain(name, |d| set_if_changed(&mut d.nullable, !*not_null))
            }
            OpKind::SetDomainDefault { name, default } => {
                self.edit_domain(name, |d| set_if_changed(&mut d.default, default.clone()))
            }
            OpKind::CreateSchema { name } | OpKind::CreateExtension { name } => {
                let extension = matches!(op.kind, OpKind::CreateExtension { .. });
                let if_not_exists = op.source.to_ascii_uppercase().contains("IF NOT EXISTS");
                let applied = self.create_named(extension, name, if_not_exists);
                if applied == Applied::Changed {
                    self.note_created(name, now);
                }
                applied
            }
            OpKind::DropSchema { name } => self.drop_named(false, name),
            OpKind::DropExtension { name } => self.drop_named(true, name),
            OpKind::PartitionBy { table, key } => self.partition_by(table, key),
            OpKind::CreatePartition {
                table,
                parent,
                bound,
            } => self.create_partition(table, parent, bound, now),
            OpKind::AttachPartition {
                table,
                partition,
                bound,
            } => self.attach_partition(table, partition, bound),
            OpKind::DetachPartition {
                table, partition, ..
            } => {
                self.detach_partition(table, partition)
            }
            OpKind::CreateTableAs {
                table,
                columns,
                sources,
            } => self.create_table_as(table, columns, sources, now),
            OpKind::RenameConstraint {
                table,
                name,
                new_name,
            } => self.rename_constraint(table, name, new_name),
            OpKind::ValidateConstraint { table, name } => self.validate_constraint(table, name),
            OpKind::RenameIndex {
                name,
                new_name,
                table,
            } => self.rename_index(name, new_name, table.as_deref()),
            OpKind::CreateTemporaryTable { table } => self.create_temporary(table),
            OpKind::SetIdentity {
                table,
                column,
                identity,
            } => self.set_identity(table, column, *identity),
            OpKind::CreateTableLike {
                table,
                source,
                including,
            } => self.create_table_like(table, source, including, now),
            OpKind::CreateObject { object, name, .. } => {
                self.create_object(*object, name, &op.source)
            }
            OpKind::DropObject { object, name, .. } => self.drop_object(*object, name),
            OpKind::AlterObject {
                object,
                name,
                change,
            } => self.alter_object(*object, name, change),
            OpKind::AlterConstraint {
                table,
                name,
                deferrable,
                initially_deferred,
            } => self.alter_constraint(table, name, *deferrable, *initially_deferred),
            // Databases are not modelled: the schema replayed is the one the services use.
            // Maintenance rebuilds storage and changes no definition.
            OpKind::DropDatabase { .. } | OpKind::Maintenance { .. } => Applied::NoChange,
        }
    }

    pub(super) fn mark_uncertain(&mut self, name: &str, reason: String) {
        let entry = self
            .uncertain
            .entry(key(name))
            .or_insert_with(|| Uncertainty {
                name: name.to_string(),
                reasons: Vec::new(),
            });
        if !entry.reasons.contains(&reason) {
            entry.reasons.push(reason);
        }
    }

    pub(super) fn table_mut(&mut self, table: &str) -> Result<&mut Table, Applied> {
        self.tables
            .get_mut(&key(table))
            .map(Arc::make_mut)
            .ok_or_else(|| missing_table(table))
    }

    pub(super) fn create_table(
        &mut self,
        table: &str,
        columns: &[ColumnDef],
        constraints: &[Constraint],
        if_not_exists: bool,
        now: u64,
    ) -> Applied {
        let k = key(table);
        let mut conflict = None;
        if self.tables.contains_key(&k) {
            if if_not_exists {
                return Applied::NoChange;
            }
            // The later statement is what the following migrations were written against.
            conflict = Some(format!("table {table} already exists; definition replaced"));
        }
        let (mut built, duplicate) = build_table(table, columns, constraints, now);
        if self.dialect != Dialect::Mysql {
            merge_same_unique_keys(&mut built);
        }
        if conflict.is_none() {
            conflict = duplicate;
        }
        // A redefinition is not a new table: what existed keeps its age, so that nothing
        // deployed code already uses is taken for new in this range.
        if let Some(old) = self.tables.get(&k) {
            built.created_at = old.created_at;
            for column in &mut built.columns {
                if let Some(previous) = old.column_entry(&column.def.name) {
                    column.created_at = previous.created_at;
                }
            }
        }
        self.tables.insert(k, Arc::new(built));
        conflict.map_or(Applied::Changed, Applied::Conflict)
    }

    fn drop_table(&mut self, table: &str) -> Applied {
        let k = key(table);
        match self.tables.remove(&k) {
            Some(_) => {
                self.uncertain.remove(&k);
                self.programs_table_dropped(table);
                Applied::Changed
            }
            None => missing_table(table),
        }
    }

    fn rename_table(&mut self, table: &str, new_name: &str) -> Applied {
        let (old_key, new_key) = (key(table), key(new_name));
        if old_key != new_key && self.tables.contains_key(&new_key) {
            return Applied::Conflict(format!("cannot rename {table}: {new_name} exists"));
        }
        let Some(mut moved) = self.tables.remove(&old_key) else {
            return missing_table(table);
        };
        super::objects::freeze_constraint_names(self.dialect, Arc::make_mut(&mut moved));
        Arc::make_mut(&mut moved).name = new_name.to_string();
        self.tables.insert(new_key.clone(), moved);
        self.programs_table_renamed(table, new_name);
        if let Some(mut u) = self.uncertain.remove(&old_key) {
            u.name = new_name.to_string();
            self.uncertain.insert(new_key, u);
        }
        // Both MySQL and PostgreSQL keep foreign keys pointing at the renamed table.
        for t in self.tables.values_mut() {
            let refers = t.constraints.iter().any(|c| {
                matches!(&c.kind, ConstraintKind::ForeignKey { references, .. } if same_ident(references, table))
            });
            if !refers {
                // Copying a shared table only to find nothing to change would undo the sharing.
                continue;
            }
            for c in &mut Arc::make_mut(t).constraints {
                if let ConstraintKind::ForeignKey { references, .. } = &mut c.kind {
                    if same_ident(references, table) {
                        *references = new_name.to_string();
                    }
                }
            }
        }
        Applied::Changed
    }

    fn create_view(&mut self, view: &str, or_replace: bool, source: &str) -> Applied {
        let k = key(view);
        let new = View {
            name: view.to_string(),
            source: source.trim().to_string(),
        };
        let result = match self.views.get(&k) {
            None => Applied::Changed,
            Some(old) if or_replace && *old == new => Applied::NoChange,
            Some(_) if or_replace => Applied::Changed,
            Some(_) => Applied::Conflict(format!("view {view} already exists; replaced")),
        };
        self.views.insert(k, new);
        result
    }

    fn add_column(&mut self, table: &str, column: &ColumnDef, now: u64) -> Applied {
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let mut def = column.clone();
        let pk_conflict = take_inline_keys(t, &mut def);
        let replaced = match t.column_mut(&def.name) {
            Some(existing) => {
                *existing = Column {
                    def,
                    created_at: now,
                };
                true
            }
            None => {
                t.columns.push(Column {
                    def,
                    created_at: now,
                });
                false
            }
        };
        if replaced {
            Applied::Conflict(format!(
                "column {table}.{} already exists; definition replaced",
                column.name
            ))
        } else if pk_conflict {
            Applied::Conflict(format!(
                "{table} already has a primary key; column added to it"
            ))
        } else {
            Applied::Changed
        }
    }

    fn drop_column(&mut self, table: &str, column: &str) -> Applied {
        let dialect = self.dialect;
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let Some(i) = t.column_index(column) else {
            return missing_column(table, column);
        };
        t.columns.remove(i);
        let names = |cols: &[String]| cols.iter().any(|c| same_ident(c, column));
        if dialect == Dialect::Postgres {
            // PostgreSQL drops every index and constraint that involves the column, in an
            // expression (`lower(email)`) too.
            t.indexes.retain(|_, ix| {
                !ix.columns
                    .iter()
                    .any(|c| super::objects::mentions_column(c, column))
            });
            t.constraints.retain(|c| !names(&c.columns));
        } else {
            // MySQL (and the others, as a best effort) take the column out of multi-column
            // indexes and drop those left with none.
            for ix in t.indexes.values_mut() {
                ix.columns.retain(|c| !same_ident(c, column));
            }
            t.indexes.retain(|_, ix| !ix.columns.is_empty());
            for c in &mut t.constraints {
                c.columns.retain(|c| !same_ident(c, column));
            }
            t.constraints.retain(|c| {
                !c.columns.is_empty() || matches!(c.kind, ConstraintKind::Check { .. })
            });
        }
        Applied::Changed
    }

    fn rename_column(&mut self, table: &str, column: &str, new_name: &str) -> Applied {
        let dialect = self.dialect;
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        if t.column_index(column).is_some() {
            super::objects::freeze_constraint_names(dialect, t);
        }
        if !same_ident(column, new_name) && t.column_index(new_name).is_some() {
            return Applied::Conflict(format!("cannot rename {table}.{column}: {new_name} exists"));
        }
        let Some(c) = t.column_mut(column) else {
            return missing_column(table, column);
        };
        c.def.name = new_name.to_string();
        rename_in_keys(t, column, new_name);
        Applied::Changed
    }

    fn alter_column_type(&mut self, table: &str, column: &str, new_type: &SqlType) -> Applied {
        self.edit_column(table, column, |_, c| {
            set_if_changed(&mut c.ty, Some(new_type.clone()))
        })
    }

    fn redefine_column(
        &mut self,
        table: &str,
        column: &str,
        definition: &ColumnDef,
        reorders: bool,
        now: u64,
    ) -> Applied {
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let renaming = !same_ident(column, &definition.name);
        if renaming && t.column_index(&definition.name).is_some() {
            return Applied::Conflict(format!(
                "cannot rename {table}.{column}: {} exists",
                definition.name
            ));
        }
        if renaming {
            rename_in_keys(t, column, &definition.name);
        }
        let mut def = definition.clone();
        // A restatement without PRIMARY KEY / UNIQUE leaves existing keys in place.
        take_inline_keys(t, &mut def);
        if t.in_primary_key(&def.name) {
            def.nullable = false;
        }
        let Some(existing) = t.column_mut(column) else {
            t.columns.push(Column {
                def,
                created_at: now,
            });
            return Applied::Conflict(format!(
                "column {table}.{column} does not exist; added as restated"
            ));
        };
        // FIRST / AFTER moves the column, which the model does not place; report it as a
        // change all the same.
        if existing.def == def && !reorders {
            return Applied::NoChange;
        }
        existing.def = def;
        Applied::Changed
    }

    /// Applies `edit` to a column; the flag says whether it is in the primary key.
    fn edit_column(
        &mut self,
        table: &str,
        column: &str,
        edit: impl FnOnce(bool, &mut ColumnDef) -> Applied,
    ) -> Applied {
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let in_pk = t.in_primary_key(column);
        match t.column_mut(column) {
            Some(c) => edit(in_pk, &mut c.def),
            None => missing_column(table, column),
        }
    }
}

/// A PostgreSQL serial column numbers its rows through its default (`nextval(...)`):
/// setting or dropping the default ends that. Returns whether the column was serial.
fn take_serial(column: &mut ColumnDef) -> bool {
    std::mem::replace(&mut column.auto_increment, false)
}

fn set_if_changed<T: PartialEq>(slot: &mut T, value: T) -> Applied {
    if *slot == value {
        Applied::NoChange
    } else {
        *slot = value;
        Applied::Changed
    }
}

/// Builds a table from a `CREATE TABLE`; the second value reports a duplicate column.
pub(crate) fn build_table(
    name: &str,
    columns: &[ColumnDef],
    constraints: &[Constraint],
    now: u64,
) -> (Table, Option<String>) {
    let mut t = Table::new(name, now);
    let mut duplicate = None;
    for column in columns {
        let mut def = column.clone();
        take_inline_keys(&mut t, &mut def);
        match t.column_mut(&def.name) {
            Some(existing) => {
                duplicate = Some(format!("column {name}.{} declared twice", def.name));
                existing.def = def;
            }
            None => t.columns.push(Column {
                def,
                created_at: now,
            }),
        }
    }
    for c in constraints {
        if c.kind == ConstraintKind::PrimaryKey {
            // A table-level key and inline keys describe one primary key.
            if let Some(pk) = t
                .constraints
                .iter_mut()
                .find(|c| c.kind == ConstraintKind::PrimaryKey)
            {
                for col in &c.columns {
                    if !pk.columns.iter().any(|p| same_ident(p, col)) {
                        pk.columns.push(col.clone());
                    }
                }
                if pk.name.is_none() {
                    pk.name.clone_from(&c.name);
                }
                continue;
            }
        }
        t.constraints.push(c.clone());
    }
    enforce_pk_not_null(&mut t);
    (t, duplicate)
}

/// Moves inline `PRIMARY KEY` / `UNIQUE` flags of `def` into table constraints. Inline
/// primary keys on several columns form one composite key (SQLAlchemy's reading). Returns
/// whether the table already had a primary key the column was added to.
fn take_inline_keys(t: &mut Table, def: &mut ColumnDef) -> bool {
    let mut had_pk = false;
    if def.primary_key {
        def.primary_key = false;
        def.nullable = false;
        match t
            .constraints
            .iter_mut()
            .find(|c| c.kind == ConstraintKind::PrimaryKey)
        {
            Some(pk) => {
                if !pk.columns.iter().any(|c| same_ident(c, &def.name)) {
                    had_pk = true;
                    pk.columns.push(def.name.clone());
                }
            }
            None => t.constraints.push(Constraint {
                name: None,
                kind: ConstraintKind::PrimaryKey,
                columns: vec![def.name.clone()],
                not_valid: false,
            }),
        }
    }
    if def.unique {
        def.unique = false;
        let exists = t.constraints.iter().any(|c| {
            c.kind == ConstraintKind::Unique
                && c.columns.len() == 1
                && c.columns.iter().all(|c| same_ident(c, &def.name))
        });
        if !exists {
            t.constraints.push(Constraint {
                name: None,
                kind: ConstraintKind::Unique,
                columns: vec![def.name.clone()],
                not_valid: false,
            });
        }
    }
    had_pk
}

/// PostgreSQL and SQLite build one index for unique keys over the same columns declared in
/// one `CREATE TABLE` (`a int UNIQUE, UNIQUE (a)`), and none for a unique key over the
/// primary key's columns; a named key wins over an unnamed one. MySQL builds one index for
/// each (`a`, `a_2`).
fn merge_same_unique_keys(t: &mut Table) {
    let same = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_ident(x, y))
    };
    let mut kept: Vec<Constraint> = Vec::with_capacity(t.constraints.len());
    for c in std::mem::take(&mut t.constraints) {
        let twin = kept.iter().position(|k| {
            matches!(k.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
                && c.kind == ConstraintKind::Unique
                && same(&k.columns, &c.columns)
        });
        match twin {
            None => kept.push(c),
            Some(i) if kept[i].kind == ConstraintKind::Unique && kept[i].name.is_none() => {
                kept[i].name = c.name;
            }
            Some(_) => {}
        }
    }
    // A primary key declared after an identical unique key still absorbs it.
    if let Some(pk) = kept.iter().find(|c| c.kind == ConstraintKind::PrimaryKey).cloned() {
        kept.retain(|c| c.kind != ConstraintKind::Unique || !same(&c.columns, &pk.columns));
    }
    t.constraints = kept;
}

/// Whether a `CREATE INDEX` statement says `IF NOT EXISTS` (the operation does not carry
/// it): such a statement leaves an existing index of that name as it is.
fn creates_if_not_exists(source: &str) -> bool {
    let words: Vec<String> = source
        .split_whitespace()
        .take_while(|w| !w.eq_ignore_ascii_case("ON"))
        .map(str::to_ascii_uppercase)
        .collect();
    words.windows(3).any(|w| w == ["IF", "NOT", "EXISTS"])
}

pub(super) fn enforce_pk_not_null(t: &mut Table) {
    let Some(pk) = t
        .constraints
        .iter()
        .find(|c| c.kind == ConstraintKind::PrimaryKey)
    else {
        return;
    };
    for col in &mut t.columns {
        if pk.columns.iter().any(|p| same_ident(p, &col.def.name)) {
            col.def.nullable = false;
        }
    }
}

fn rename_in_keys(t: &mut Table, old: &str, new: &str) {
    // Index expressions refer to columns by position, so they follow a rename too.
    let rename = |cols: &mut Vec<String>| {
        for c in cols.iter_mut() {
            if same_ident(c, old) {
                *c = new.to_string();
            } else if super::objects::mentions_column(c, old) {
                *c = super::objects::rename_in_expression(c, old, new);
            }
        }
    };
    for ix in t.indexes.values_mut() {
        rename(&mut ix.columns);
    }
    for c in &mut t.constraints {
        rename(&mut c.columns);
    }
}

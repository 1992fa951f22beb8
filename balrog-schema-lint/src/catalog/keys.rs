//! Replaying operations on indexes and constraints.

use std::sync::Arc;

use super::apply::{enforce_pk_not_null, missing_table};
use super::model::{Index, Table};
use super::names::{implicit_index_name, key, matches_implicit_constraint_name, same_ident};
use super::{Applied, Catalog};
use crate::model::ops::{Constraint, ConstraintKind, Dialect};

impl Catalog {
    pub(super) fn create_index(
        &mut self,
        name: Option<&str>,
        table: &str,
        columns: &[String],
        unique: bool,
        partial: bool,
    ) -> Applied {
        let dialect = self.dialect;
        let Some(t) = self.tables.get(&key(table)) else {
            return missing_table(table);
        };
        // MySQL index names are per table; elsewhere they share the schema's name space.
        let global = dialect != Dialect::Mysql;
        let taken = |n: &str| {
            if global {
                self.index(n).is_some()
            } else {
                t.index(n).is_some()
            }
        };
        let index = Index {
            name: name.map_or_else(
                || implicit_index_name(dialect, table, columns, taken),
                str::to_string,
            ),
            columns: columns.to_vec(),
            unique,
            partial,
            implicit_name: name.is_none(),
        };
        let k = key(&index.name);
        // The operation does not say whether IF NOT EXISTS was given, so recreating an
        // identical index is taken as a no-op rather than a conflict.
        let mut result = Applied::Changed;
        let holders: Vec<String> = if global {
            self.tables
                .iter()
                .filter(|(_, t)| t.indexes.contains_key(&k))
                .map(|(tk, _)| tk.clone())
                .collect()
        } else {
            vec![key(table)]
        };
        for holder in holders {
            let Some(t) = self.tables.get_mut(&holder) else {
                continue;
            };
            if let Some(old) = t.indexes.get(&k) {
                if holder == key(table) && same_index(old, &index) {
                    return Applied::NoChange;
                }
                Arc::make_mut(t).indexes.remove(&k);
                result =
                    Applied::Conflict(format!("index {} already exists; replaced", index.name));
            }
        }
        match self.tables.get_mut(&key(table)) {
            Some(t) => {
                Arc::make_mut(t).indexes.insert(k, index);
                result
            }
            None => missing_table(table),
        }
    }

    /// Whether an index called `name` exists where one on `table` would be created (the
    /// schema's name space, or the table's in MySQL).
    pub(super) fn index_exists(&self, name: &str, table: &str) -> bool {
        match self.dialect {
            Dialect::Mysql => self.table(table).is_some_and(|t| t.index(name).is_some()),
            _ => self.index(name).is_some(),
        }
    }

    pub(super) fn drop_index(&mut self, name: &str, table: Option<&str>) -> Applied {
        let k = key(name);
        let holders: Vec<String> = match table {
            Some(table) => {
                if !self.tables.contains_key(&key(table)) {
                    return missing_table(table);
                }
                vec![key(table)]
            }
            None => self.tables.keys().cloned().collect(),
        };
        let with_index: Vec<&String> = holders
            .iter()
            .filter(|h| {
                self.tables
                    .get(*h)
                    .is_some_and(|t| t.indexes.contains_key(&k))
            })
            .collect();
        match with_index.as_slice() {
            [one] => {
                if let Some(t) = self.tables.get_mut(*one) {
                    Arc::make_mut(t).indexes.remove(&k);
                }
                Applied::Changed
            }
            [] => {
                // MySQL unique keys declared in CREATE TABLE are indexes too.
                let dialect = self.dialect;
                for h in &holders {
                    if let Some(t) = self.tables.get_mut(h) {
                        if remove_named_constraint(dialect, Arc::make_mut(t), name, |k| {
                            *k == ConstraintKind::Unique
                        }) {
                            return Applied::Changed;
                        }
                    }
                }
                Applied::Conflict(format!("index {name} does not exist"))
            }
            [..] => Applied::Conflict(format!(
                "index {name} exists on several tables; none dropped"
            )),
        }
    }

    /// PostgreSQL `ADD PRIMARY KEY USING INDEX i` / `ADD CONSTRAINT c UNIQUE USING INDEX i`:
    /// the constraint takes over the index of `table` (which the database renames to the
    /// constraint's name), so it has the index's columns and the index no longer stands
    /// alone. `None` when the table has no such index: the statement then fails, and the
    /// constraint is added as written.
    pub(super) fn take_over_index(
        &mut self,
        table: &str,
        constraint: &Constraint,
        index: &str,
    ) -> Option<Constraint> {
        let t = self.tables.get_mut(&key(table))?;
        let taken = Arc::make_mut(t).indexes.remove(&key(index))?;
        Some(Constraint {
            name: constraint.name.clone().or(Some(taken.name)),
            columns: taken.columns,
            ..constraint.clone()
        })
    }

    pub(super) fn add_constraint(&mut self, table: &str, constraint: &Constraint) -> Applied {
        // MySQL calls every primary key PRIMARY: the name given to one names nothing.
        let named = !(self.dialect == Dialect::Mysql && constraint.kind == ConstraintKind::PrimaryKey);
        let mysql = self.dialect == Dialect::Mysql;
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let mut conflict = None;
        if constraint.kind == ConstraintKind::PrimaryKey && t.primary_key().is_some() {
            t.constraints
                .retain(|c| c.kind != ConstraintKind::PrimaryKey);
            conflict = Some(format!("{table} already has a primary key; replaced"));
        }
        // MySQL names keys as indexes, and foreign keys and checks apart from them: a foreign
        // key named like a unique key leaves the key alone (found by the oracle).
        let index_like = |k: &ConstraintKind| {
            matches!(k, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
        };
        if let Some(name) = constraint.name.as_ref().filter(|_| named) {
            let before = t.constraints.len();
            t.constraints.retain(|c| {
                !c.name.as_deref().is_some_and(|n| same_ident(n, name))
                    || (mysql && index_like(&c.kind) != index_like(&constraint.kind))
            });
            if t.constraints.len() != before {
                conflict = Some(format!("constraint {name} already exists; replaced"));
            }
        }
        t.constraints.push(constraint.clone());
        enforce_pk_not_null(t);
        conflict.map_or(Applied::Changed, Applied::Conflict)
    }

    pub(super) fn drop_constraint(&mut self, table: &str, name: &str) -> Applied {
        let dialect = self.dialect;
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        if name.eq_ignore_ascii_case("PRIMARY") {
            let before = t.constraints.len();
            t.constraints
                .retain(|c| c.kind != ConstraintKind::PrimaryKey);
            return if t.constraints.len() == before {
                Applied::Conflict(format!("{table} has no primary key"))
            } else {
                Applied::Changed
            };
        }
        if remove_named_constraint(dialect, t, name, |_| true) {
            return Applied::Changed;
        }
        // `DROP KEY` / `DROP CONSTRAINT` on a unique index created separately.
        if t.indexes.remove(&key(name)).is_some() {
            return Applied::Changed;
        }
        Applied::Conflict(format!("constraint {name} does not exist on {table}"))
    }
}

fn same_index(a: &Index, b: &Index) -> bool {
    a.unique == b.unique
        && a.partial == b.partial
        && a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| same_ident(x, y))
}

/// Removes the constraint called `name`, by its declared name or the name the database
/// gave it, among those whose kind passes `kind_filter`. Returns whether one was removed.
fn remove_named_constraint(
    dialect: Dialect,
    t: &mut Table,
    name: &str,
    kind_filter: impl Fn(&ConstraintKind) -> bool,
) -> bool {
    let by_name = t.constraints.iter().position(|c| {
        kind_filter(&c.kind) && c.name.as_deref().is_some_and(|n| same_ident(n, name))
    });
    let found = by_name.or_else(|| {
        let mut seen: Vec<std::mem::Discriminant<ConstraintKind>> = Vec::new();
        t.constraints.iter().position(|c| {
            let d = std::mem::discriminant(&c.kind);
            seen.push(d);
            let ordinal = seen.iter().filter(|s| **s == d).count();
            kind_filter(&c.kind)
                && c.name.is_none()
                && matches_implicit_constraint_name(dialect, &t.name, c, ordinal, name)
        })
    });
    match found {
        Some(i) => {
            t.constraints.remove(i);
            true
        }
        None => false,
    }
}

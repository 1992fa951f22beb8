//! Objects known by kind and name only, the changes of name, schema, owner and settings any
//! object can undergo, and when a foreign key is checked (`ALTER CONSTRAINT`).

use std::collections::BTreeMap;

use super::names::{key, same_ident};
use super::{Applied, Catalog};
use crate::model::foreign_key::Deferrable;
use crate::model::named::{ObjectChange, ObjectKind};
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, Dialect};

/// One object of a kind the catalog keeps no definition for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NamedObject {
    name: String,
    /// The catalog's clock at its creation (bookkeeping, not schema).
    created_at: u64,
}

/// Objects by kind and lower-case name.
#[derive(Debug, Clone, Default)]
pub(super) struct NamedObjects {
    objects: BTreeMap<(ObjectKind, String), NamedObject>,
}

impl PartialEq for NamedObjects {
    fn eq(&self, other: &NamedObjects) -> bool {
        self.objects.len() == other.objects.len()
            && self
                .objects
                .iter()
                .zip(&other.objects)
                .all(|((a, x), (b, y))| a == b && x.name == y.name)
    }
}

impl Catalog {
    /// The objects known by name only, as `CREATE <KIND> name;`, sorted by kind and name.
    pub(super) fn named_blocks(&self, dialect: Dialect) -> Vec<String> {
        self.named
            .objects
            .iter()
            .map(|((kind, _), o)| {
                format!(
                    "CREATE {} {};\n",
                    kind.name().to_ascii_uppercase(),
                    super::ddl::ident(dialect, &o.name)
                )
            })
            .collect()
    }

    /// Whether an object of this kind and name exists and was created after
    /// [`Catalog::begin_range`].
    pub fn named_object_created_in_range(&self, kind: ObjectKind, name: &str) -> bool {
        match (self.range_start, self.named.objects.get(&(kind, key(name)))) {
            (Some(start), Some(o)) => o.created_at >= start,
            _ => false,
        }
    }

    pub(super) fn create_object(&mut self, kind: ObjectKind, name: &str, source: &str) -> Applied {
        let upper = source.to_ascii_uppercase();
        let replaces = upper.contains("IF NOT EXISTS") || upper.contains("OR REPLACE");
        let k = (kind, key(name));
        if self.named.objects.contains_key(&k) {
            return if replaces {
                Applied::NoChange
            } else {
                Applied::Conflict(format!("{kind} {name} already exists"))
            };
        }
        let created_at = self.clock;
        self.named.objects.insert(
            k,
            NamedObject {
                name: name.to_string(),
                created_at,
            },
        );
        Applied::Changed
    }

    /// Roles, tablespaces and the like are often made outside the migrations (by whoever
    /// set the database up), so dropping one the replay has not seen is no conflict.
    pub(super) fn drop_object(&mut self, kind: ObjectKind, name: &str) -> Applied {
        match self.named.objects.remove(&(kind, key(name))) {
            Some(_) => Applied::Changed,
            None => Applied::NoChange,
        }
    }

    pub(super) fn alter_object(
        &mut self,
        kind: ObjectKind,
        name: &str,
        change: &ObjectChange,
    ) -> Applied {
        match change {
            ObjectChange::Rename { new_name } => self.rename_object(kind, name, new_name),
            ObjectChange::SetSchema { schema } => {
                let base = name.rsplit('.').next().unwrap_or(name);
                let moved = if schema.eq_ignore_ascii_case("public") {
                    base.to_string()
                } else {
                    format!("{schema}.{base}")
                };
                self.rename_object(kind, name, &moved)
            }
            ObjectChange::Settings { what } if kind == ObjectKind::Sequence => {
                // A sequence owned by a column belongs to that column, like a serial's.
                let owned = what.starts_with("OWNED BY") && !what.ends_with("NONE");
                if owned && self.sequences.remove(&key(name)).is_some() {
                    Applied::Changed
                } else {
                    Applied::NoChange
                }
            }
            ObjectChange::Owner { .. }
            | ObjectChange::Settings { .. }
            | ObjectChange::DefaultPrivileges { .. }
            | ObjectChange::ConvertCharset { .. }
            | ObjectChange::Review { .. } => Applied::NoChange,
        }
    }

    fn rename_object(&mut self, kind: ObjectKind, name: &str, new_name: &str) -> Applied {
        match kind {
            ObjectKind::Table | ObjectKind::ForeignTable if self.table(name).is_some() => {
                self.rename_table_to(name, new_name)
            }
            ObjectKind::Table | ObjectKind::ForeignTable => {
                Applied::Conflict(format!("table {name} does not exist"))
            }
            ObjectKind::View | ObjectKind::MaterializedView => {
                match self.views.remove(&key(name)) {
                    Some(mut view) => {
                        view.name = new_name.to_string();
                        self.views.insert(key(new_name), view);
                        Applied::Changed
                    }
                    None => Applied::Conflict(format!("{kind} {name} does not exist")),
                }
            }
            // A serial column's sequence is part of its column, not in the catalog.
            ObjectKind::Sequence => match self.sequences.remove(&key(name)) {
                Some(mut sequence) => {
                    sequence.name = new_name.to_string();
                    self.sequences.insert(key(new_name), sequence);
                    Applied::Changed
                }
                None => Applied::NoChange,
            },
            ObjectKind::Index => self.rename_index(name, new_name, None),
            _ => match self.named.objects.remove(&(kind, key(name))) {
                Some(mut object) => {
                    object.name = new_name.to_string();
                    self.named.objects.insert((kind, key(new_name)), object);
                    Applied::Changed
                }
                None => Applied::NoChange,
            },
        }
    }

    /// When the foreign key `name` of `table` is checked, before a change.
    pub fn foreign_key_timing(&self, table: &str, name: &str) -> Option<Deferrable> {
        let t = self.table(table)?;
        let found = t
            .constraints
            .iter()
            .position(|c| c.name.as_deref().is_some_and(|n| same_ident(n, name)))
            .or_else(|| super::objects::implicit_constraint(self.dialect, t, name))?;
        match &t.constraints.get(found)?.kind {
            ConstraintKind::ForeignKey { actions, .. } => Some(actions.deferrable),
            _ => None,
        }
    }

    pub(super) fn alter_constraint(
        &mut self,
        table: &str,
        name: &str,
        deferrable: Option<bool>,
        initially_deferred: Option<bool>,
    ) -> Applied {
        let Some(before) = self.foreign_key_timing(table, name) else {
            return Applied::Conflict(format!("{table} has no foreign key {name}"));
        };
        let after = timing_after(before, deferrable, initially_deferred);
        if after == before {
            return Applied::NoChange;
        }
        let dialect = self.dialect;
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let found = t
            .constraints
            .iter()
            .position(|c| c.name.as_deref().is_some_and(|n| same_ident(n, name)))
            .or_else(|| super::objects::implicit_constraint(dialect, t, name));
        if let Some(ConstraintKind::ForeignKey { actions, .. }) =
            found.and_then(|i| t.constraints.get_mut(i)).map(|c| &mut c.kind)
        {
            actions.deferrable = after;
        }
        Applied::Changed
    }

    fn rename_table_to(&mut self, name: &str, new_name: &str) -> Applied {
        // The same path as `ALTER TABLE .. RENAME TO`.
        let op = crate::model::ops::Operation {
            line: 0,
            kind: crate::model::ops::OpKind::RenameTable {
                table: name.to_string(),
                new_name: new_name.to_string(),
            },
            source: String::new(),
        };
        // One statement, one tick of the clock.
        self.clock = self.clock.saturating_sub(1);
        self.apply(&op)
    }
}

/// When a key is checked after `ALTER CONSTRAINT` with these clauses. PostgreSQL keeps what
/// a clause does not mention; `INITIALLY DEFERRED` makes the key deferrable.
pub(crate) fn timing_after(
    before: Deferrable,
    deferrable: Option<bool>,
    initially_deferred: Option<bool>,
) -> Deferrable {
    if deferrable == Some(false) {
        return Deferrable::NotDeferrable;
    }
    let deferrable = deferrable.unwrap_or(before != Deferrable::NotDeferrable);
    let deferred = initially_deferred.unwrap_or(before == Deferrable::InitiallyDeferred);
    match (deferrable || deferred, deferred) {
        (false, _) => Deferrable::NotDeferrable,
        (true, true) => Deferrable::InitiallyDeferred,
        (true, false) => Deferrable::InitiallyImmediate,
    }
}

impl Catalog {
    /// `CREATE TABLE t LIKE source`: MySQL copies columns, keys (not foreign keys) and
    /// indexes; PostgreSQL copies names, types and `NOT NULL`, and the rest only as the
    /// `INCLUDING` clauses say (keys and indexes get names of the new table's own).
    pub(super) fn create_table_like(
        &mut self,
        table: &str,
        source: &str,
        including: &[String],
        now: u64,
    ) -> Applied {
        let Some(original) = self.table(source).cloned() else {
            let applied = self.create_table(table, &[], &[], false, now);
            self.mark_uncertain(table, format!("copied from {source}, which does not exist"));
            return match applied {
                Applied::Conflict(c) => Applied::Conflict(c),
                _ => Applied::Conflict(format!("table {source} does not exist")),
            };
        };
        let mysql = self.dialect == Dialect::Mysql;
        let has = |what: &str| mysql || including.iter().any(|i| i == "all" || i == what);
        let columns: Vec<ColumnDef> = original
            .columns()
            .map(|c| {
                let mut c = c.clone();
                if !has("defaults") {
                    c.default = None;
                    c.auto_increment = c.auto_increment && (mysql || has("identity"));
                }
                c
            })
            .collect();
        let constraints: Vec<Constraint> = original
            .constraints()
            .iter()
            .filter(|c| match c.kind {
                ConstraintKind::ForeignKey { .. } => false,
                ConstraintKind::Check { .. } => has("constraints"),
                ConstraintKind::PrimaryKey | ConstraintKind::Unique => has("indexes"),
            })
            .map(|c| Constraint {
                name: if mysql { c.name.clone() } else { None },
                ..c.clone()
            })
            .collect();
        let applied = self.create_table(table, &columns, &constraints, false, now);
        if has("indexes") {
            for index in original.indexes() {
                let name = mysql.then_some(index.name.as_str());
                let _ = self.create_index(name, table, &index.columns, index.unique, index.partial);
            }
        }
        applied
    }
}

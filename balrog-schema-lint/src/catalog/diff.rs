//! The difference between two catalogs, object by object.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{Index, Table};
use super::names::key;
use super::same::{columns_equivalent, indexes_equivalent, signature, view_text};
use super::Catalog;
use crate::model::ops::{ColumnDef, Constraint, Dialect};

/// One difference between two schemas.
///
/// ```
/// use balrog_schema_lint::{schema_diff, CheckRequest, SchemaChange};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.41".into()), to: Some("v3.42".into()), ..CheckRequest::default() };
/// let diff = schema_diff(&request)?;
/// assert!(matches!(
///     &diff.changes[..],
///     [SchemaChange::ColumnAdded { table, column }] if table == "rules" && column.name == "comment"
/// ));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "change")]
pub enum SchemaChange {
    /// A table exists only in the second schema (its columns are not listed separately).
    TableAdded {
        /// Table name.
        table: String,
    },
    /// A table exists only in the first schema.
    TableRemoved {
        /// Table name.
        table: String,
    },
    /// A column exists only in the second schema's table.
    ColumnAdded {
        /// Table name.
        table: String,
        /// The column.
        column: ColumnDef,
    },
    /// A column exists only in the first schema's table.
    ColumnRemoved {
        /// Table name.
        table: String,
        /// The column.
        column: ColumnDef,
    },
    /// A column's definition differs.
    ColumnChanged {
        /// Table name.
        table: String,
        /// The column in the first schema.
        before: ColumnDef,
        /// The column in the second schema.
        after: ColumnDef,
    },
    /// A constraint exists only in the second schema.
    ConstraintAdded {
        /// Table name.
        table: String,
        /// The constraint.
        constraint: Constraint,
    },
    /// A constraint exists only in the first schema.
    ConstraintRemoved {
        /// Table name.
        table: String,
        /// The constraint.
        constraint: Constraint,
    },
    /// An index exists only in the second schema (or changed: removed, then added).
    IndexAdded {
        /// Table name.
        table: String,
        /// The index.
        index: Index,
    },
    /// An index exists only in the first schema (or changed).
    IndexRemoved {
        /// Table name.
        table: String,
        /// The index.
        index: Index,
    },
    /// A view exists only in the second schema.
    ViewAdded {
        /// View name.
        view: String,
    },
    /// A view exists only in the first schema.
    ViewRemoved {
        /// View name.
        view: String,
    },
    /// A view was recreated with a different statement.
    ViewChanged {
        /// View name.
        view: String,
    },
    /// A named type exists only in the second schema.
    TypeAdded {
        /// Type name.
        name: String,
    },
    /// A named type exists only in the first schema.
    TypeRemoved {
        /// Type name.
        name: String,
    },
    /// A named type's members differ.
    TypeChanged {
        /// Type name.
        name: String,
        /// Members in the first schema.
        before: Vec<String>,
        /// Members in the second schema.
        after: Vec<String>,
    },
    /// A sequence exists only in the second schema.
    SequenceAdded {
        /// Sequence name.
        name: String,
    },
    /// A sequence exists only in the first schema.
    SequenceRemoved {
        /// Sequence name.
        name: String,
    },
}

/// The differences from `from` to `to`: tables (each with its columns by name, then
/// constraints, then indexes by name), then views, types and sequences, each sorted by
/// lower-case name. Spelling that does not change the schema (identifier case, type
/// aliases, column order) is not a difference. Types are judged in `to`'s dialect.
pub fn diff(from: &Catalog, to: &Catalog) -> Vec<SchemaChange> {
    let dialect = to.dialect;
    let mut out = Vec::new();
    for (_, side) in union(&from.tables, &to.tables) {
        match side {
            Side::Removed(t) => out.push(SchemaChange::TableRemoved {
                table: t.name.clone(),
            }),
            Side::Added(t) => out.push(SchemaChange::TableAdded {
                table: t.name.clone(),
            }),
            Side::Both(a, b) => diff_table(dialect, a, b, &mut out),
        }
    }
    for (_, side) in union(&from.views, &to.views) {
        match side {
            Side::Removed(v) => out.push(SchemaChange::ViewRemoved {
                view: v.name.clone(),
            }),
            Side::Added(v) => out.push(SchemaChange::ViewAdded {
                view: v.name.clone(),
            }),
            Side::Both(a, b) => {
                if view_text(&a.source) != view_text(&b.source) {
                    out.push(SchemaChange::ViewChanged {
                        view: b.name.clone(),
                    });
                }
            }
        }
    }
    for (_, side) in union(&from.types, &to.types) {
        match side {
            Side::Removed(t) => out.push(SchemaChange::TypeRemoved {
                name: t.name.clone(),
            }),
            Side::Added(t) => out.push(SchemaChange::TypeAdded {
                name: t.name.clone(),
            }),
            Side::Both(a, b) => {
                if a.values != b.values {
                    out.push(SchemaChange::TypeChanged {
                        name: b.name.clone(),
                        before: a.values.clone(),
                        after: b.values.clone(),
                    });
                }
            }
        }
    }
    for (_, side) in union(&from.sequences, &to.sequences) {
        match side {
            Side::Removed(s) => out.push(SchemaChange::SequenceRemoved {
                name: s.name.clone(),
            }),
            Side::Added(s) => out.push(SchemaChange::SequenceAdded {
                name: s.name.clone(),
            }),
            Side::Both(..) => {}
        }
    }
    out
}

/// Whether one table differs between two schemas, as [`diff`] would report it; cheaper than
/// [`diff`] when only a few tables matter.
pub fn table_changed(from: &Catalog, to: &Catalog, table: &str) -> bool {
    match (from.table(table), to.table(table)) {
        (Some(a), Some(b)) => {
            let mut out = Vec::new();
            diff_table(to.dialect, a, b, &mut out);
            !out.is_empty()
        }
        (None, None) => false,
        _ => true,
    }
}

enum Side<'a, T> {
    Removed(&'a T),
    Added(&'a T),
    Both(&'a T, &'a T),
}

/// Every key of either map, in order, with the entries on each side.
fn union<'a, T>(
    from: &'a BTreeMap<String, T>,
    to: &'a BTreeMap<String, T>,
) -> Vec<(&'a String, Side<'a, T>)> {
    let keys: BTreeSet<&String> = from.keys().chain(to.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let side = match (from.get(k), to.get(k)) {
                (Some(a), Some(b)) => Side::Both(a, b),
                (Some(a), None) => Side::Removed(a),
                (None, Some(b)) => Side::Added(b),
                (None, None) => return None,
            };
            Some((k, side))
        })
        .collect()
}

fn diff_table(dialect: Dialect, a: &Table, b: &Table, out: &mut Vec<SchemaChange>) {
    let table = b.name.clone();
    let by_key = |t: &Table| -> BTreeMap<String, ColumnDef> {
        t.columns().map(|c| (key(&c.name), c.clone())).collect()
    };
    let (before, after) = (by_key(a), by_key(b));
    for (_, side) in union(&before, &after) {
        match side {
            Side::Removed(c) => out.push(SchemaChange::ColumnRemoved {
                table: table.clone(),
                column: c.clone(),
            }),
            Side::Added(c) => out.push(SchemaChange::ColumnAdded {
                table: table.clone(),
                column: c.clone(),
            }),
            Side::Both(x, y) => {
                if !columns_equivalent(dialect, x, y) {
                    out.push(SchemaChange::ColumnChanged {
                        table: table.clone(),
                        before: x.clone(),
                        after: y.clone(),
                    });
                }
            }
        }
    }
    let signed = |t: &Table| -> Vec<(String, Constraint)> {
        let mut v: Vec<(String, Constraint)> = t
            .constraints
            .iter()
            .map(|c| (signature(dialect, c, true), c.clone()))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    let (mut old, mut new) = (signed(a), signed(b));
    // Multiset difference: drop pairs present on both sides.
    old.retain(|(sig, _)| match new.iter().position(|(s, _)| s == sig) {
        Some(i) => {
            new.remove(i);
            false
        }
        None => true,
    });
    for (_, constraint) in old {
        out.push(SchemaChange::ConstraintRemoved {
            table: table.clone(),
            constraint,
        });
    }
    for (_, constraint) in new {
        out.push(SchemaChange::ConstraintAdded {
            table: table.clone(),
            constraint,
        });
    }
    for (_, side) in union(&a.indexes, &b.indexes) {
        match side {
            Side::Removed(i) => out.push(SchemaChange::IndexRemoved {
                table: table.clone(),
                index: i.clone(),
            }),
            Side::Added(i) => out.push(SchemaChange::IndexAdded {
                table: table.clone(),
                index: i.clone(),
            }),
            Side::Both(x, y) => {
                if !indexes_equivalent(x, y) {
                    out.push(SchemaChange::IndexRemoved {
                        table: table.clone(),
                        index: x.clone(),
                    });
                    out.push(SchemaChange::IndexAdded {
                        table: table.clone(),
                        index: y.clone(),
                    });
                }
            }
        }
    }
}

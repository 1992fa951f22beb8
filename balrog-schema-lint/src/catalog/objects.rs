//! Structural objects beside tables: enum values, composite types, domains, schemas,
//! extensions, partitions, temporary tables, and tables made from a query.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::apply::missing_table;
use super::ddl::{column_line, ident, ident_list, one_line};
use super::model::{Column, Index, Table};
use super::names::{key, matches_implicit_constraint_name, same_ident};
use super::{Applied, Catalog};
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, Dialect, SqlType};

/// A composite type (`CREATE TYPE t AS (...)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeType {
    /// The name as written.
    pub name: String,
    /// Attributes in order.
    pub attributes: Vec<ColumnDef>,
}

/// A domain: a type with a base type and constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// The name as written.
    pub name: String,
    /// The underlying type.
    pub base: Option<SqlType>,
    /// `false` with `NOT NULL`.
    pub nullable: bool,
    /// The default expression.
    pub default: Option<String>,
    /// `CHECK` constraints.
    pub checks: Vec<Constraint>,
}

/// Where a partition belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// The partitioned table, as written.
    pub parent: String,
    /// The bound as written.
    pub bound: String,
}

/// The objects of this module, kept together so that the catalog holds one more field.
#[derive(Debug, Clone, Default)]
pub(super) struct Objects {
    composites: BTreeMap<String, CompositeType>,
    domains: BTreeMap<String, Domain>,
    schemas: BTreeMap<String, String>,
    extensions: BTreeMap<String, String>,
    /// Partitioned tables (by key) and their partition key as written.
    partition_keys: BTreeMap<String, String>,
    /// Partitions by key.
    partitions: BTreeMap<String, Partition>,
    /// Indexes of a partition made for an index of its parent: (partition key, index key)
    /// to the parent's index key.
    inherited_indexes: BTreeMap<(String, String), String>,
    /// Indexes on materialized views, by index key: (view key, index).
    view_indexes: BTreeMap<String, (String, Index)>,
    /// Temporary tables of the migrations (by key): not schema.
    temporary: BTreeSet<String>,
    /// When types, domains, schemas and extensions were created (bookkeeping, not schema).
    created: BTreeMap<String, u64>,
}

impl PartialEq for Objects {
    fn eq(&self, other: &Objects) -> bool {
        self.composites == other.composites
            && self.domains == other.domains
            && self.schemas == other.schemas
            && self.extensions == other.extensions
            && self.partition_keys == other.partition_keys
            && self.partitions == other.partitions
            && self.view_indexes == other.view_indexes
            && self.temporary == other.temporary
    }
}

impl Catalog {
    /// DDL blocks for schemas, extensions, composite types and domains (see `to_ddl`).
    pub(super) fn object_blocks(&self, dialect: Dialect) -> Vec<String> {
        let mut blocks = Vec::new();
        for name in self.objects.schemas.values() {
            blocks.push(format!("CREATE SCHEMA {};\n", ident(dialect, name)));
        }
        for name in self.objects.extensions.values() {
            blocks.push(format!("CREATE EXTENSION {};\n", ident(dialect, name)));
        }
        for t in self.objects.composites.values() {
            let attributes: Vec<String> = t
                .attributes
                .iter()
                .map(|a| column_line(dialect, a))
                .collect();
            blocks.push(format!(
                "CREATE TYPE {} AS ({});\n",
                ident(dialect, &t.name),
                attributes.join(", ")
            ));
        }
        for d in self.objects.domains.values() {
            let mut s = format!("CREATE DOMAIN {} AS ", ident(dialect, &d.name));
            match &d.base {
                Some(ty) => s.push_str(&ty.to_string()),
                None => s.push_str("/* type unknown */"),
            }
            if !d.nullable {
                s.push_str(" NOT NULL");
            }
            if let Some(default) = &d.default {
                s.push_str(&format!(" DEFAULT {}", one_line(default)));
            }
            for c in &d.checks {
                if let Some(name) = &c.name {
                    s.push_str(&format!(" CONSTRAINT {}", ident(dialect, name)));
                }
                if let ConstraintKind::Check { expr } = &c.kind {
                    s.push_str(&format!(" CHECK ({})", one_line(expr)));
                }
            }
            s.push_str(";\n");
            blocks.push(s);
        }
        blocks
    }

    /// DDL blocks for partition keys, partitions and indexes on materialized views (see
    /// `to_ddl`).
    pub(super) fn partition_blocks(&self, dialect: Dialect) -> Vec<String> {
        let mut blocks = Vec::new();
        for (table, partition_key) in &self.objects.partition_keys {
            let name = self.table(table).map_or(table.as_str(), |t| t.name());
            blocks.push(format!(
                "-- {} is partitioned by {}\n",
                ident(dialect, name),
                one_line(partition_key)
            ));
        }
        for (child, p) in &self.objects.partitions {
            let name = self.table(child).map_or(child.as_str(), |t| t.name());
            blocks.push(format!(
                "ALTER TABLE {} ATTACH PARTITION {} {};\n",
                ident(dialect, &p.parent),
                ident(dialect, name),
                one_line(&p.bound)
            ));
        }
        for (view, index) in self.objects.view_indexes.values() {
            let name = self.view(view).map_or(view.as_str(), |v| v.name.as_str());
            let unique = if index.unique { "UNIQUE " } else { "" };
            blocks.push(format!(
                "CREATE {unique}INDEX {} ON {} ({});\n",
                ident(dialect, &index.name),
                ident(dialect, name),
                ident_list(dialect, &index.columns)
            ));
        }
        blocks
    }
}

/// PostgreSQL's serial pseudo-types become plain integers once the table exists, which is
/// what a table made from a query copies.
fn without_serial(ty: &SqlType) -> SqlType {
    let name = match ty.name.as_str() {
        "SERIAL" | "SERIAL4" => "INTEGER",
        "BIGSERIAL" | "SERIAL8" => "BIGINT",
        "SMALLSERIAL" | "SERIAL2" => "SMALLINT",
        _ => return ty.clone(),
    };
    SqlType::named(name)
}

/// The type PostgreSQL gives `sum()` of a column of type `ty`; `None` when not known.
fn sum_type(ty: &SqlType) -> Option<SqlType> {
    let name = match ty.name.as_str() {
        "SMALLINT" | "INT2" | "INT" | "INTEGER" | "INT4" => "BIGINT",
        "BIGINT" | "INT8" | "NUMERIC" | "DECIMAL" => "NUMERIC",
        "REAL" | "FLOAT4" => "REAL",
        "DOUBLE PRECISION" | "FLOAT8" => "DOUBLE PRECISION",
        "INTERVAL" => "INTERVAL",
        _ => return None,
    };
    Some(SqlType::named(name))
}

/// A type as [`SqlType`]'s display wrote it: `NAME`, `NAME(1,2)`.
fn parse_type(text: &str) -> SqlType {
    match text.split_once('(') {
        Some((name, rest)) => {
            let params: Vec<u64> = rest
                .trim_end_matches(')')
                .split(',')
                .map_while(|p| p.trim().parse().ok())
                .collect();
            SqlType::with_params(name.trim(), &params)
        }
        None => SqlType::named(text.trim()),
    }
}

impl Catalog {
    /// A composite type by name, ignoring case.
    pub fn composite_type(&self, name: &str) -> Option<&CompositeType> {
        self.objects.composites.get(&key(name))
    }

    /// The composite types, sorted by lower-case name.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn composite_types(&self) -> impl Iterator<Item = &CompositeType> {
        self.objects.composites.values()
    }

    /// A domain by name, ignoring case.
    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.objects.domains.get(&key(name))
    }

    /// The domains, sorted by lower-case name.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn domains(&self) -> impl Iterator<Item = &Domain> {
        self.objects.domains.values()
    }

    /// Schemas created by the migrations, as written.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn schemas(&self) -> impl Iterator<Item = &str> {
        self.objects.schemas.values().map(String::as_str)
    }

    /// Whether the migrations created this schema.
    pub fn has_schema(&self, name: &str) -> bool {
        self.objects.schemas.contains_key(&key(name))
    }

    /// Extensions created by the migrations, as written.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn extensions(&self) -> impl Iterator<Item = &str> {
        self.objects.extensions.values().map(String::as_str)
    }

    /// Whether the migrations created this extension.
    pub fn has_extension(&self, name: &str) -> bool {
        self.objects.extensions.contains_key(&key(name))
    }

    /// The partition key of a partitioned table, as written.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn partition_key(&self, table: &str) -> Option<&str> {
        self.objects.partition_keys.get(&key(table)).map(String::as_str)
    }

    /// Where a table is attached as a partition.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn partition(&self, table: &str) -> Option<&Partition> {
        self.objects.partitions.get(&key(table))
    }

    /// Whether a view is materialized (its statement says so).
    pub fn is_materialized_view(&self, name: &str) -> bool {
        self.view(name).is_some_and(|v| {
            let words: Vec<String> = v
                .source
                .split_whitespace()
                .take(5)
                .map(str::to_ascii_uppercase)
                .collect();
            words.iter().any(|w| w == "MATERIALIZED")
        })
    }

    /// An index on a materialized view, with the view's name.
    pub fn view_index(&self, name: &str) -> Option<(&str, &Index)> {
        self.objects
            .view_indexes
            .get(&key(name))
            .map(|(v, i)| (v.as_str(), i))
    }

    /// Whether a temporary table of this name was created by the migrations.
    pub fn is_temporary(&self, table: &str) -> bool {
        self.objects.temporary.contains(&key(table))
    }

    /// Whether a type, domain, schema or extension of this name exists and was created after
    /// [`Catalog::begin_range`].
    pub fn object_created_in_range(&self, name: &str) -> bool {
        match (self.range_start, self.objects.created.get(&key(name))) {
            (Some(start), Some(at)) => *at >= start,
            _ => false,
        }
    }

    /// A comparable statement of what the type, domain, schema, extension or view of this
    /// name is, when one exists: equal definitions at two points mean the object was left as
    /// it was (or replaced by an identical one).
    pub fn object_definition(&self, name: &str) -> Option<String> {
        let k = key(name);
        if let Some(t) = self.types.get(&k) {
            return Some(format!("type {:?}", t.values));
        }
        if let Some(t) = self.objects.composites.get(&k) {
            return Some(format!("composite {:?}", t.attributes));
        }
        if let Some(d) = self.objects.domains.get(&k) {
            return Some(format!(
                "domain {:?} {} {:?} {:?}",
                d.base, d.nullable, d.default, d.checks
            ));
        }
        if let Some(v) = self.view(name) {
            let text = super::same::view_text(&v.source);
            return (!text.is_empty()).then(|| format!("view {text}"));
        }
        if self.objects.schemas.contains_key(&k) {
            return Some("schema".to_string());
        }
        self.objects
            .extensions
            .contains_key(&k)
            .then(|| "extension".to_string())
    }

    pub(super) fn note_created(&mut self, name: &str, now: u64) {
        self.objects.created.insert(key(name), now);
    }

    pub(super) fn add_enum_value(
        &mut self,
        name: &str,
        value: &str,
        before: Option<&str>,
        after: Option<&str>,
        if_not_exists: bool,
    ) -> Applied {
        let Some(ty) = self.types.get_mut(&key(name)) else {
            return Applied::Conflict(format!("enum type {name} does not exist"));
        };
        if ty.values.iter().any(|v| v == value) {
            return if if_not_exists {
                Applied::NoChange
            } else {
                Applied::Conflict(format!("enum {name} already has the value '{value}'"))
            };
        }
        let neighbour = |n: &str| ty.values.iter().position(|v| v == n);
        let at = match (before, after) {
            (Some(b), _) => neighbour(b),
            (None, Some(a)) => neighbour(a).map(|i| i + 1),
            (None, None) => Some(ty.values.len()),
        };
        match at {
            Some(at) => {
                ty.values.insert(at, value.to_string());
                Applied::Changed
            }
            None => {
                ty.values.push(value.to_string());
                Applied::Conflict(format!(
                    "enum {name} has no value to place '{value}' next to; added at the end"
                ))
            }
        }
    }

    pub(super) fn rename_enum_value(&mut self, name: &str, value: &str, new: &str) -> Applied {
        let Some(ty) = self.types.get_mut(&key(name)) else {
            return Applied::Conflict(format!("enum type {name} does not exist"));
        };
        match ty.values.iter_mut().find(|v| *v == value) {
            Some(v) => *v = new.to_string(),
            None => return Applied::Conflict(format!("enum {name} has no value '{value}'")),
        }
        // A default of an enum type holds the value itself, not its text: it follows the
        // rename.
        let (old_literal, new_literal) = (
            format!("'{}'", value.replace('\'', "''")),
            format!("'{}'", new.replace('\'', "''")),
        );
        for table in self.tables.values_mut() {
            let follows = |c: &Column| {
                c.def.ty.as_ref().is_some_and(|t| same_ident(&t.name, name))
                    && c.def
                        .default
                        .as_deref()
                        .is_some_and(|d| d.starts_with(&old_literal))
            };
            if !table.columns.iter().any(follows) {
                continue;
            }
            for column in &mut Arc::make_mut(table).columns {
                if follows(column) {
                    if let Some(d) = &mut column.def.default {
                        *d = d.replacen(&old_literal, &new_literal, 1);
                    }
                }
            }
        }
        Applied::Changed
    }

    /// Renames an enum, composite type or domain; columns, attributes and domains of that
    /// type follow it (the database refers to types by identity, not by name).
    pub(super) fn rename_type(&mut self, name: &str, new_name: &str) -> Applied {
        let (old, new) = (key(name), key(new_name));
        if old != new && self.type_exists(new_name) {
            return Applied::Conflict(format!("cannot rename type {name}: {new_name} exists"));
        }
        if let Some(mut t) = self.types.remove(&old) {
            t.name = new_name.to_string();
            self.types.insert(new.clone(), t);
        } else if let Some(mut t) = self.objects.composites.remove(&old) {
            t.name = new_name.to_string();
            self.objects.composites.insert(new.clone(), t);
        } else if let Some(mut t) = self.objects.domains.remove(&old) {
            t.name = new_name.to_string();
            self.objects.domains.insert(new.clone(), t);
        } else {
            return Applied::Conflict(format!("type {name} does not exist"));
        }
        if let Some(at) = self.objects.created.remove(&old) {
            self.objects.created.insert(new, at);
        }
        let retype = |ty: &mut Option<SqlType>| {
            if let Some(ty) = ty {
                if same_ident(&ty.name, name) {
                    ty.name = new_name.to_ascii_uppercase();
                }
            }
        };
        for table in self.tables.values_mut() {
            let uses = table
                .columns
                .iter()
                .any(|c| c.def.ty.as_ref().is_some_and(|t| same_ident(&t.name, name)));
            if uses {
                for column in &mut Arc::make_mut(table).columns {
                    retype(&mut column.def.ty);
                }
            }
        }
        for composite in self.objects.composites.values_mut() {
            for attribute in &mut composite.attributes {
                retype(&mut attribute.ty);
            }
        }
        for domain in self.objects.domains.values_mut() {
            retype(&mut domain.base);
        }
        Applied::Changed
    }

    fn type_exists(&self, name: &str) -> bool {
        let k = key(name);
        self.types.contains_key(&k)
            || self.objects.composites.contains_key(&k)
            || self.objects.domains.contains_key(&k)
    }

    pub(super) fn create_composite(&mut self, name: &str, attributes: &[ColumnDef]) -> Applied {
        let exists = self.type_exists(name);
        self.objects.composites.insert(
            key(name),
            CompositeType {
                name: name.to_string(),
                attributes: attributes.to_vec(),
            },
        );
        if exists {
            Applied::Conflict(format!("type {name} already exists; replaced"))
        } else {
            Applied::Changed
        }
    }

    /// `DROP TYPE` of a composite type or domain (enums are the caller's).
    pub(super) fn drop_other_type(&mut self, name: &str) -> Option<Applied> {
        let k = key(name);
        let removed = self.objects.composites.remove(&k).is_some()
            || self.objects.domains.remove(&k).is_some();
        removed.then(|| {
            self.objects.created.remove(&k);
            Applied::Changed
        })
    }

    pub(super) fn add_attribute(&mut self, name: &str, attribute: &ColumnDef) -> Applied {
        let Some(t) = self.objects.composites.get_mut(&key(name)) else {
            return Applied::Conflict(format!("composite type {name} does not exist"));
        };
        if t.attributes.iter().any(|a| same_ident(&a.name, &attribute.name)) {
            return Applied::Conflict(format!(
                "{name} already has the attribute {}",
                attribute.name
            ));
        }
        t.attributes.push(attribute.clone());
        Applied::Changed
    }

    pub(super) fn drop_attribute(&mut self, name: &str, attribute: &str) -> Applied {
        let Some(t) = self.objects.composites.get_mut(&key(name)) else {
            return Applied::Conflict(format!("composite type {name} does not exist"));
        };
        let before = t.attributes.len();
        t.attributes.retain(|a| !same_ident(&a.name, attribute));
        if t.attributes.len() == before {
            Applied::Conflict(format!("{name} has no attribute {attribute}"))
        } else {
            Applied::Changed
        }
    }

    pub(super) fn create_domain(&mut self, domain: Domain) -> Applied {
        let exists = self.type_exists(&domain.name);
        let name = domain.name.clone();
        self.objects.domains.insert(key(&name), domain);
        if exists {
            Applied::Conflict(format!("type {name} already exists; replaced"))
        } else {
            Applied::Changed
        }
    }

    pub(super) fn drop_domain(&mut self, name: &str) -> Applied {
        match self.objects.domains.remove(&key(name)) {
            Some(_) => {
                self.objects.created.remove(&key(name));
                Applied::Changed
            }
            None => Applied::Conflict(format!("domain {name} does not exist")),
        }
    }

    pub(super) fn edit_domain(
        &mut self,
        name: &str,
        edit: impl FnOnce(&mut Domain) -> Applied,
    ) -> Applied {
        match self.objects.domains.get_mut(&key(name)) {
            Some(domain) => edit(domain),
            None => Applied::Conflict(format!("domain {name} does not exist")),
        }
    }

    pub(super) fn create_named(&mut self, extension: bool, name: &str, if_not_exists: bool) -> Applied {
        let (what, set) = if extension {
            ("extension", &mut self.objects.extensions)
        } else {
            ("schema", &mut self.objects.schemas)
        };
        if set.contains_key(&key(name)) {
            return if if_not_exists {
                Applied::NoChange
            } else {
                Applied::Conflict(format!("{what} {name} already exists"))
            };
        }
        set.insert(key(name), name.to_string());
        Applied::Changed
    }

    pub(super) fn drop_named(&mut self, extension: bool, name: &str) -> Applied {
        let (what, set) = if extension {
            ("extension", &mut self.objects.extensions)
        } else {
            ("schema", &mut self.objects.schemas)
        };
        match set.remove(&key(name)) {
            Some(_) => {
                self.objects.created.remove(&key(name));
                Applied::Changed
            }
            None => Applied::Conflict(format!("{what} {name} does not exist")),
        }
    }

    pub(super) fn partition_by(&mut self, table: &str, partition_key: &str) -> Applied {
        if !self.tables.contains_key(&key(table)) {
            return missing_table(table);
        }
        self.objects
            .partition_keys
            .insert(key(table), partition_key.to_string());
        Applied::Changed
    }

    /// `CREATE TABLE .. PARTITION OF`: the partition takes its parent's columns, keys and
    /// indexes.
    pub(super) fn create_partition(&mut self, table: &str, parent: &str, bound: &str, now: u64) -> Applied {
        let Some(p) = self.tables.get(&key(parent)).cloned() else {
            return missing_table(parent);
        };
        let mut child = Table::new(table, now);
        child.columns = p
            .columns
            .iter()
            .map(|c| Column {
                def: c.def.clone(),
                created_at: now,
            })
            .collect();
        child.constraints = inherited_constraints(&p);
        let exists = self.tables.contains_key(&key(table));
        self.tables.insert(key(table), Arc::new(child));
        self.attach(table, parent, bound);
        if exists {
            Applied::Conflict(format!("table {table} already exists; replaced"))
        } else if !self.objects.partition_keys.contains_key(&key(parent)) {
            Applied::Conflict(format!("{parent} is not partitioned"))
        } else {
            Applied::Changed
        }
    }

    pub(super) fn attach_partition(&mut self, table: &str, partition: &str, bound: &str) -> Applied {
        if !self.tables.contains_key(&key(table)) {
            return missing_table(table);
        }
        // Keys the child lacks are created on it by the attach.
        let parent_keys = self
            .tables
            .get(&key(table))
            .map(|p| inherited_constraints(p))
            .unwrap_or_default();
        let Some(child) = self.tables.get_mut(&key(partition)) else {
            return missing_table(partition);
        };
        let child = Arc::make_mut(child);
        for c in parent_keys {
            let has = child
                .constraints
                .iter()
                .any(|own| own.kind == c.kind && own.columns == c.columns);
            if !has {
                child.constraints.push(c);
            }
        }
        self.attach(partition, table, bound);
        Applied::Changed
    }

    pub(super) fn detach_partition(&mut self, table: &str, partition: &str) -> Applied {
        match self.objects.partitions.get(&key(partition)) {
            Some(p) if same_ident(&p.parent, table) => {
                self.objects.partitions.remove(&key(partition));
                // The partition keeps its indexes, now its own.
                self.objects
                    .inherited_indexes
                    .retain(|(child, _), _| *child != key(partition));
                Applied::Changed
            }
            _ => Applied::Conflict(format!("{partition} is not a partition of {table}")),
        }
    }

    fn attach(&mut self, child: &str, parent: &str, bound: &str) {
        self.objects.partitions.insert(
            key(child),
            Partition {
                parent: parent.to_string(),
                bound: bound.to_string(),
            },
        );
        let indexes: Vec<Index> = self
            .tables
            .get(&key(parent))
            .map(|p| p.indexes.values().cloned().collect())
            .unwrap_or_default();
        for index in indexes {
            self.inherit_index(parent, child, &index);
        }
    }

    /// The partitions of `parent`, by key.
    fn partitions_of(&self, parent: &str) -> Vec<String> {
        self.objects
            .partitions
            .iter()
            .filter(|(_, p)| same_ident(&p.parent, parent))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Gives `child` an index like `index` of `parent`, unless it has an equal one.
    fn inherit_index(&mut self, parent: &str, child: &str, index: &Index) {
        let Some(t) = self.tables.get_mut(&key(child)) else {
            return;
        };
        let same = t.indexes.iter().find(|(_, i)| {
            i.unique == index.unique && i.partial == index.partial && i.columns == index.columns
        });
        let child_index = match same {
            Some((k, _)) => k.clone(),
            None => {
                let name = format!("{}_{}_idx", t.name, index.columns.join("_"));
                let k = key(&name);
                Arc::make_mut(t).indexes.insert(
                    k.clone(),
                    Index {
                        name,
                        implicit_name: true,
                        ..index.clone()
                    },
                );
                k
            }
        };
        self.objects
            .inherited_indexes
            .insert((key(child), child_index), key(&index.name));
        let _ = parent;
    }

    /// After an index is created on `table`: its partitions get one too.
    pub(super) fn after_create_index(&mut self, table: &str, name: Option<&str>, columns: &[String]) {
        if !self.objects.partition_keys.contains_key(&key(table)) {
            return;
        }
        let Some(index) = self.tables.get(&key(table)).and_then(|t| {
            t.indexes
                .values()
                .find(|i| match name {
                    Some(n) => same_ident(&i.name, n),
                    None => i.implicit_name && i.columns == columns,
                })
                .cloned()
        }) else {
            return;
        };
        for child in self.partitions_of(table) {
            self.inherit_index(table, &child, &index);
        }
    }

    /// After a constraint is added to `table`: its partitions get its keys too.
    pub(super) fn after_add_constraint(&mut self, table: &str, constraint: &Constraint) {
        if !self.objects.partition_keys.contains_key(&key(table))
            || matches!(constraint.kind, ConstraintKind::Check { .. })
        {
            return;
        }
        for child in self.partitions_of(table) {
            if let Some(t) = self.tables.get_mut(&child) {
                let c = Constraint {
                    name: None,
                    ..constraint.clone()
                };
                Arc::make_mut(t).constraints.push(c);
            }
        }
    }

    /// After an index is dropped: the partitions' indexes made for it go with it.
    pub(super) fn after_drop_index(&mut self, name: &str) {
        let parent_index = key(name);
        let gone: Vec<(String, String)> = self
            .objects
            .inherited_indexes
            .iter()
            .filter(|(_, p)| **p == parent_index)
            .map(|(k, _)| k.clone())
            .collect();
        for (child, index) in gone {
            if let Some(t) = self.tables.get_mut(&child) {
                Arc::make_mut(t).indexes.remove(&index);
            }
            self.objects.inherited_indexes.remove(&(child, index));
        }
    }

    /// An index on a materialized view (the catalog's indexes belong to tables).
    pub(super) fn create_view_index(&mut self, view: &str, index: Index) -> Option<Applied> {
        if !self.is_materialized_view(view) {
            return None;
        }
        let k = key(&index.name);
        let replaced = self
            .objects
            .view_indexes
            .insert(k, (key(view), index.clone()))
            .is_some();
        Some(if replaced {
            Applied::Conflict(format!("index {} already exists; replaced", index.name))
        } else {
            Applied::Changed
        })
    }

    pub(super) fn drop_view_index(&mut self, name: &str) -> bool {
        self.objects.view_indexes.remove(&key(name)).is_some()
    }

    /// Indexes on a dropped materialized view go with it.
    pub(super) fn after_drop_view(&mut self, view: &str) {
        let k = key(view);
        self.objects.view_indexes.retain(|_, (v, _)| *v != k);
    }

    pub(super) fn create_temporary(&mut self, table: &str) -> Applied {
        self.objects.temporary.insert(key(table));
        Applied::NoChange
    }

    /// Operations on a temporary table change no schema; `DROP TABLE` ends it.
    pub(super) fn on_temporary(&mut self, table: &str, drops: bool) -> Option<Applied> {
        if !self.objects.temporary.contains(&key(table)) {
            return None;
        }
        if drops {
            self.objects.temporary.remove(&key(table));
        }
        Some(Applied::NoChange)
    }

    /// The columns a table made from a query would have: name and type, `None` where the
    /// query does not tell. Columns taken from a view are followed into its query.
    pub fn query_columns(
        &self,
        columns: &[String],
        sources: &[String],
    ) -> Vec<(String, Option<SqlType>)> {
        columns
            .iter()
            .zip(sources)
            .flat_map(|(name, source)| self.resolve_column(name, source, 0))
            .collect()
    }

    /// Views are followed this deep (they may refer to each other, never in a cycle in a
    /// real database, but the replay may be wrong).
    const VIEW_DEPTH: u8 = 8;

    fn view_columns(&self, view: &str) -> Vec<(String, String)> {
        self.view(view)
            .map(|v| crate::read::sql::view_columns(&v.source, self.dialect))
            .unwrap_or_default()
    }

    fn resolve_column(&self, name: &str, source: &str, depth: u8) -> Vec<(String, Option<SqlType>)> {
        if let Some(relation) = source.strip_prefix("*:") {
            if let Some(t) = self.table(relation) {
                return t
                    .columns()
                    .map(|c| (c.name.clone(), c.ty.as_ref().map(without_serial)))
                    .collect();
            }
            let view = self.view_columns(relation);
            if view.is_empty() || depth >= Self::VIEW_DEPTH {
                return vec![(name.to_string(), None)];
            }
            return view
                .iter()
                .flat_map(|(n, s)| self.resolve_column(n, s, depth + 1))
                .collect();
        }
        let ty = if let Some(ty) = source.strip_prefix("type:") {
            Some(parse_type(ty))
        } else if let Some(summed) = source.strip_prefix("sum:") {
            self.resolve_column(name, summed, depth)
                .into_iter()
                .next()
                .and_then(|(_, ty)| ty)
                .and_then(|ty| sum_type(&ty))
        } else {
            source.split('|').find_map(|candidate| {
                let (relation, column) = candidate.rsplit_once('.')?;
                if let Some(c) = self.column(relation, column) {
                    return c.ty.as_ref().map(without_serial);
                }
                if depth >= Self::VIEW_DEPTH {
                    return None;
                }
                let view = self.view_columns(relation);
                let (n, s) = view.iter().find(|(n, _)| same_ident(n, column))?;
                self.resolve_column(n, s, depth + 1)
                    .into_iter()
                    .next()
                    .and_then(|(_, ty)| ty)
            })
        };
        vec![(name.to_string(), ty)]
    }

    pub(super) fn create_table_as(
        &mut self,
        table: &str,
        columns: &[String],
        sources: &[String],
        now: u64,
    ) -> Applied {
        let mut t = Table::new(table, now);
        for (name, ty) in self.query_columns(columns, sources) {
            t.columns.push(Column {
                def: ColumnDef::new(name, ty),
                created_at: now,
            });
        }
        let exists = self.tables.insert(key(table), Arc::new(t)).is_some();
        if exists {
            Applied::Conflict(format!("table {table} already exists; replaced"))
        } else {
            Applied::Changed
        }
    }

    pub(super) fn rename_constraint(&mut self, table: &str, name: &str, new_name: &str) -> Applied {
        let dialect = self.dialect;
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let explicit = t
            .constraints
            .iter()
            .position(|c| c.name.as_deref().is_some_and(|n| same_ident(n, name)));
        let found = explicit.or_else(|| implicit_constraint(dialect, t, name));
        match found.and_then(|i| t.constraints.get_mut(i)) {
            Some(c) => {
                c.name = Some(new_name.to_string());
                Applied::Changed
            }
            None => Applied::Conflict(format!("constraint {name} does not exist on {table}")),
        }
    }

    pub(super) fn validate_constraint(&mut self, table: &str, name: &str) -> Applied {
        let dialect = self.dialect;
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        let explicit = t
            .constraints
            .iter()
            .position(|c| c.name.as_deref().is_some_and(|n| same_ident(n, name)));
        let found = explicit.or_else(|| implicit_constraint(dialect, t, name));
        match found.and_then(|i| t.constraints.get_mut(i)) {
            Some(c) if c.not_valid => {
                c.not_valid = false;
                Applied::Changed
            }
            Some(_) => Applied::NoChange,
            None => Applied::Conflict(format!("constraint {name} does not exist on {table}")),
        }
    }

    pub(super) fn rename_index(&mut self, name: &str, new_name: &str, table: Option<&str>) -> Applied {
        let k = key(name);
        let holder = match table {
            Some(table) => Some(key(table)).filter(|t| {
                self.tables
                    .get(t)
                    .is_some_and(|t| t.indexes.contains_key(&k))
            }),
            None => self.index(name).map(|(t, _)| key(t.name())),
        };
        if let Some(holder) = holder {
            if let Some(t) = self.tables.get_mut(&holder) {
                let t = Arc::make_mut(t);
                if let Some(mut index) = t.indexes.remove(&k) {
                    index.name = new_name.to_string();
                    index.implicit_name = false;
                    t.indexes.insert(key(new_name), index);
                }
            }
            for parent in self.objects.inherited_indexes.values_mut() {
                if *parent == k {
                    *parent = key(new_name);
                }
            }
            return Applied::Changed;
        }
        if let Some((view, mut index)) = self.objects.view_indexes.remove(&k) {
            index.name = new_name.to_string();
            self.objects.view_indexes.insert(key(new_name), (view, index));
            return Applied::Changed;
        }
        // The index behind a primary key or unique constraint carries the constraint's name.
        let dialect = self.dialect;
        let tables: Vec<String> = match table {
            Some(t) => vec![key(t)],
            None => self.tables.keys().cloned().collect(),
        };
        for tk in tables {
            let Some(t) = self.tables.get(&tk) else {
                continue;
            };
            let keys = |c: &Constraint| {
                matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
            };
            let found = t
                .constraints
                .iter()
                .position(|c| keys(c) && c.name.as_deref().is_some_and(|n| same_ident(n, name)))
                .or_else(|| {
                    current_implicit_name(dialect, t, name)
                        .filter(|&i| t.constraints.get(i).is_some_and(keys))
                });
            if let Some(i) = found {
                if let Some(t) = self.tables.get_mut(&tk) {
                    if let Some(c) = Arc::make_mut(t).constraints.get_mut(i) {
                        c.name = Some(new_name.to_string());
                    }
                }
                return Applied::Changed;
            }
        }
        Applied::Conflict(format!("index {name} does not exist"))
    }

    pub(super) fn set_identity(&mut self, table: &str, column: &str, identity: bool) -> Applied {
        let t = match self.table_mut(table) {
            Ok(t) => t,
            Err(conflict) => return conflict,
        };
        match t.column_mut(column) {
            Some(c) if c.def.auto_increment == identity => Applied::NoChange,
            Some(c) => {
                c.def.auto_increment = identity;
                if identity {
                    c.def.nullable = false;
                }
                Applied::Changed
            }
            None => Applied::Conflict(format!("column {table}.{column} does not exist")),
        }
    }
}

/// Whether an indexed column or expression mentions `column` (outside string literals).
pub(super) fn mentions_column(expression: &str, column: &str) -> bool {
    let mut in_string = false;
    let mut word = String::new();
    for c in expression.chars().chain(std::iter::once(' ')) {
        if c == '\'' {
            in_string = !in_string;
            word.clear();
        } else if !in_string && (c.is_alphanumeric() || c == '_' || c == '$') {
            word.push(c);
        } else if !in_string && c == '"' {
            // Quotes around an identifier are not part of it.
        } else {
            if same_ident(&word, column) {
                return true;
            }
            word.clear();
        }
    }
    false
}

/// `expression` with the identifier `old` (outside string literals) replaced by `new`.
pub(super) fn rename_in_expression(expression: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(expression.len());
    let mut in_string = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if same_ident(word, old) {
            out.push_str(new);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in expression.chars() {
        if !in_string && (c.is_alphanumeric() || c == '_' || c == '$') {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if c == '\'' {
            in_string = !in_string;
        }
        out.push(c);
    }
    flush(&mut word, &mut out);
    out
}

/// The keys a partition takes from its parent: primary key, unique and foreign keys (the
/// database names the copies itself).
fn inherited_constraints(parent: &Table) -> Vec<Constraint> {
    parent
        .constraints
        .iter()
        .filter(|c| !matches!(c.kind, ConstraintKind::Check { .. }))
        .map(|c| Constraint {
            name: None,
            ..c.clone()
        })
        .collect()
}

/// The unnamed constraint of `t` the database calls `name`, by the name it gives it.
fn current_implicit_name(dialect: Dialect, t: &Table, name: &str) -> Option<usize> {
    let mut seen: Vec<std::mem::Discriminant<ConstraintKind>> = Vec::new();
    t.constraints.iter().position(|c| {
        let d = std::mem::discriminant(&c.kind);
        seen.push(d);
        let ordinal = seen.iter().filter(|s| **s == d).count();
        c.name.is_none() && matches_implicit_constraint_name(dialect, &t.name, c, ordinal, name)
    })
}

/// PostgreSQL names a key when it is created and keeps that name when the table or its
/// columns are renamed: before such a rename, unnamed keys get the name they have.
pub(super) fn freeze_constraint_names(dialect: Dialect, t: &mut Table) {
    if dialect != Dialect::Postgres {
        return;
    }
    let table = t.name.clone();
    for c in &mut t.constraints {
        if c.name.is_some() {
            continue;
        }
        let columns = c.columns.join("_");
        c.name = Some(match &c.kind {
            ConstraintKind::PrimaryKey => format!("{table}_pkey"),
            ConstraintKind::Unique => format!("{table}_{columns}_key"),
            ConstraintKind::ForeignKey { .. } => format!("{table}_{columns}_fkey"),
            ConstraintKind::Check { .. } => format!("{table}_{columns}_check"),
        });
    }
}

/// The unnamed constraint of `t` the database calls `name`: by the name it gives it, or,
/// failing that, the only unnamed one of the kind the name's suffix says (`_pkey`, `_key`,
/// `_fkey`, `_check`), or the one of that kind whose columns the name mentions.
pub(super) fn implicit_constraint(dialect: Dialect, t: &Table, name: &str) -> Option<usize> {
    if let Some(found) = current_implicit_name(dialect, t, name) {
        return Some(found);
    }
    let lower = name.to_ascii_lowercase();
    let kind_fits = |c: &Constraint| match &c.kind {
        ConstraintKind::PrimaryKey => lower.ends_with("_pkey"),
        ConstraintKind::Unique => lower.ends_with("_key") && !lower.ends_with("_pkey"),
        ConstraintKind::ForeignKey { .. } => lower.ends_with("_fkey"),
        ConstraintKind::Check { .. } => lower.ends_with("_check"),
    };
    let candidates: Vec<usize> = t
        .constraints
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.is_none() && kind_fits(c))
        .map(|(i, _)| i)
        .collect();
    let mentions = |i: &usize| {
        t.constraints.get(*i).is_some_and(|c| {
            c.columns
                .iter()
                .all(|col| lower.contains(&format!("_{}_", col.to_ascii_lowercase())))
        })
    };
    match candidates.as_slice() {
        [one] => Some(*one),
        many => many.iter().copied().find(mentions),
    }
}

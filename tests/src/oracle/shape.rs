//! The schema as both sides can state it: a real database's catalog and the replayed one are
//! each brought to this shape, then compared object by object.
//!
//! Names are compared in lower case (the replay looks names up without regard to case).
//! Index names are not compared: an unnamed key's name is the database's choice. Keys are
//! compared as (columns, unique, partial), unique constraints and unique indexes alike, since
//! every engine enforces a unique constraint with a unique index.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use balrog_schema_lint::catalog::Catalog;
use balrog_schema_lint::model::foreign_key::ForeignKeyActions;
use balrog_schema_lint::model::ops::{ConstraintKind, Dialect, SqlType};

use super::canon;
use crate::databases::Engine;

/// A whole schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Tables by lower-case name.
    pub tables: BTreeMap<String, TableShape>,
    /// View and materialized view names, lower case.
    pub views: BTreeSet<String>,
    /// Enum types (PostgreSQL) by lower-case name, with their values in order.
    pub enums: BTreeMap<String, Vec<String>>,
    /// Sequences not owned by a column (PostgreSQL), lower case.
    pub sequences: BTreeSet<String>,
    /// Routines of the schema asked about: `name(type, ...)` with canonical argument types
    /// (PostgreSQL; an extension's own functions excepted), `function name` / `procedure
    /// name` (MariaDB), lower case.
    pub routines: BTreeSet<String>,
    /// Triggers, `table.name` in lower case, with whether they fire (PostgreSQL `tgenabled`).
    pub triggers: BTreeMap<String, bool>,
    /// Row-level security policies, `table.name` in lower case, with `restrictive`.
    pub policies: BTreeMap<String, bool>,
    /// Tables with row-level security on: (enabled, forced).
    pub row_security: BTreeMap<String, (bool, bool)>,
    /// Privileges granted to PUBLIC on tables, `table privilege`.
    pub public_grants: BTreeSet<String>,
    /// Privileges on tables granted to accounts (MariaDB), `table privilege user@host`.
    pub table_grants: BTreeSet<String>,
    /// Comments on tables (`table`) and columns (`table.column`), with their text.
    pub comments: BTreeMap<String, String>,
    /// Composite types (PostgreSQL): attributes in order, as (name, canonical type).
    pub composites: BTreeMap<String, Vec<(String, String)>>,
    /// Domains (PostgreSQL).
    pub domains: BTreeMap<String, DomainShape>,
    /// Schemas the migrations created (PostgreSQL), lower case.
    pub schemas: BTreeSet<String>,
    /// Extensions the migrations created (PostgreSQL), lower case.
    pub extensions: BTreeSet<String>,
    /// Materialized views (PostgreSQL), lower case; also in `views`.
    pub materialized_views: BTreeSet<String>,
    /// Partitioned tables (PostgreSQL) with their canonical partition key.
    pub partitioned: BTreeMap<String, String>,
    /// Partitions (PostgreSQL) with their parent table.
    pub partitions: BTreeMap<String, String>,
}

/// A domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainShape {
    /// Canonical base type.
    pub base: String,
    /// Accepts NULL.
    pub nullable: bool,
    /// How many CHECK constraints it has.
    pub checks: usize,
}

/// One table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableShape {
    /// Columns in order.
    pub columns: Vec<ColumnShape>,
    /// Primary key columns, lower case, in key order.
    pub primary_key: Vec<String>,
    /// Indexes and unique constraints (the primary key excepted), sorted.
    pub keys: Vec<KeyShape>,
    /// Foreign keys, sorted.
    pub foreign_keys: Vec<ForeignKeyShape>,
    /// Generated (computed) columns, lower case, in column order (PostgreSQL, MariaDB).
    pub generated: Vec<String>,
    /// Columns that fill themselves: identity or serial (PostgreSQL), auto-increment
    /// (MariaDB).
    pub auto: Vec<String>,
    /// Names of constraints added `NOT VALID` and not validated since, sorted (PostgreSQL).
    pub not_valid: Vec<String>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnShape {
    /// Lower-case name.
    pub name: String,
    /// Canonical type (see `canon::column_type`).
    pub ty: String,
    /// Accepts NULL.
    pub nullable: bool,
    /// Canonical default expression; `None` without one (and for auto-increment columns,
    /// whose default is the sequence).
    pub default: Option<String>,
}

/// An index or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeyShape {
    /// Lower-case columns (or expressions) in index order.
    pub columns: Vec<String>,
    /// Unique.
    pub unique: bool,
    /// Partial (`WHERE`).
    pub partial: bool,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKeyShape {
    /// Lower-case referencing columns.
    pub columns: Vec<String>,
    /// Lower-case referenced table.
    pub references: String,
    /// `ON DELETE` / `ON UPDATE` / deferrability as the database enforces them (see
    /// [`actions_text`]).
    pub actions: String,
}

/// Foreign key actions in the spelling both sides compare: what a database of `engine`
/// enforces (MariaDB: `NO ACTION` is `RESTRICT`, nothing deferred), with deferrability left
/// out on SQLite, whose pragmas do not report it.
pub fn actions_text(engine: Engine, actions: ForeignKeyActions) -> String {
    let dialect = match engine {
        Engine::Postgres => Dialect::Postgres,
        Engine::Mariadb => Dialect::Mysql,
        Engine::Sqlite => Dialect::Sqlite,
    };
    let mut actions = actions.enforced_in(dialect);
    if engine == Engine::Sqlite {
        actions.deferrable = Default::default();
    }
    actions.sql().trim().to_lowercase()
}

/// One object on which the database and the replay disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The object, e.g. `table rules, column data`.
    pub object: String,
    /// What the database has (`-` when it has no such object).
    pub database: String,
    /// What the replay has.
    pub replay: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\n      database: {}\n      replay:   {}",
            self.object, self.database, self.replay
        )
    }
}

/// The counts behind a match rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Objects compared.
    pub compared: usize,
    /// Objects equal on both sides.
    pub equal: usize,
}

impl Tally {
    /// Adds another tally.
    pub fn add(&mut self, other: Tally) {
        self.compared += other.compared;
        self.equal += other.equal;
    }
}

fn compare_maps<T: PartialEq + fmt::Debug>(
    kind: &str,
    database: &BTreeMap<String, T>,
    replay: &BTreeMap<String, T>,
    tally: &mut Tally,
    out: &mut Vec<Mismatch>,
    mut inner: impl FnMut(&str, &T, &T, &mut Tally, &mut Vec<Mismatch>),
) {
    let names: BTreeSet<&String> = database.keys().chain(replay.keys()).collect();
    for name in names {
        match (database.get(name), replay.get(name)) {
            (Some(d), Some(r)) => inner(name, d, r, tally, out),
            (d, r) => {
                tally.compared += 1;
                out.push(Mismatch {
                    object: format!("{kind} {name}"),
                    database: if d.is_some() { "present" } else { "-" }.to_string(),
                    replay: if r.is_some() { "present" } else { "-" }.to_string(),
                });
            }
        }
    }
}

/// [`compare_maps`] where each object present on both sides is one value, described by
/// `describe` from its name.
fn compare_map_values<T: PartialEq + fmt::Debug>(
    kind: &str,
    database: &BTreeMap<String, T>,
    replay: &BTreeMap<String, T>,
    tally: &mut Tally,
    out: &mut Vec<Mismatch>,
    describe: impl Fn(&str) -> String,
) {
    compare_maps(
        kind,
        database,
        replay,
        tally,
        out,
        |name, d, r, tally, out| compare_value(describe(name), d, r, tally, out),
    );
}

fn compare_value<T: PartialEq + fmt::Debug>(
    object: String,
    database: &T,
    replay: &T,
    tally: &mut Tally,
    out: &mut Vec<Mismatch>,
) {
    tally.compared += 1;
    if database == replay {
        tally.equal += 1;
    } else {
        out.push(Mismatch {
            object,
            database: format!("{database:?}"),
            replay: format!("{replay:?}"),
        });
    }
}

/// Compares object by object; every object compared counts once in the tally.
pub fn compare(database: &Schema, replay: &Schema) -> (Tally, Vec<Mismatch>) {
    let mut tally = Tally::default();
    let mut out = Vec::new();
    compare_maps(
        "table",
        &database.tables,
        &replay.tables,
        &mut tally,
        &mut out,
        compare_table,
    );
    let as_map = |set: &BTreeSet<String>| -> BTreeMap<String, ()> {
        set.iter().map(|n| (n.clone(), ())).collect()
    };
    for (kind, d, r) in [
        ("view", &database.views, &replay.views),
        ("sequence", &database.sequences, &replay.sequences),
    ] {
        compare_maps(
            kind,
            &as_map(d),
            &as_map(r),
            &mut tally,
            &mut out,
            |_, _, _, tally, _| {
                tally.compared += 1;
                tally.equal += 1;
            },
        );
    }
    for (kind, d, r) in [
        ("routine", &database.routines, &replay.routines),
        (
            "grant to public",
            &database.public_grants,
            &replay.public_grants,
        ),
        (
            "grant to an account",
            &database.table_grants,
            &replay.table_grants,
        ),
    ] {
        compare_maps(
            kind,
            &as_map(d),
            &as_map(r),
            &mut tally,
            &mut out,
            |_, _, _, tally, _| {
                tally.compared += 1;
                tally.equal += 1;
            },
        );
    }
    compare_map_values(
        "trigger (enabled)",
        &database.triggers,
        &replay.triggers,
        &mut tally,
        &mut out,
        |n| format!("trigger {n}, enabled"),
    );
    compare_map_values(
        "policy (restrictive)",
        &database.policies,
        &replay.policies,
        &mut tally,
        &mut out,
        |n| format!("policy {n}, restrictive"),
    );
    compare_map_values(
        "row level security (enabled, forced) of",
        &database.row_security,
        &replay.row_security,
        &mut tally,
        &mut out,
        |n| format!("row level security of {n}"),
    );
    compare_map_values(
        "comment on",
        &database.comments,
        &replay.comments,
        &mut tally,
        &mut out,
        |n| format!("comment on {n}"),
    );
    compare_map_values(
        "enum type",
        &database.enums,
        &replay.enums,
        &mut tally,
        &mut out,
        |n| format!("enum type {n}"),
    );
    for (kind, d, r) in [
        ("schema", &database.schemas, &replay.schemas),
        ("extension", &database.extensions, &replay.extensions),
        (
            "materialized view",
            &database.materialized_views,
            &replay.materialized_views,
        ),
    ] {
        compare_maps(
            kind,
            &as_map(d),
            &as_map(r),
            &mut tally,
            &mut out,
            |_, _, _, tally, _| {
                tally.compared += 1;
                tally.equal += 1;
            },
        );
    }
    compare_map_values(
        "composite type",
        &database.composites,
        &replay.composites,
        &mut tally,
        &mut out,
        |n| format!("composite type {n}"),
    );
    compare_map_values(
        "domain",
        &database.domains,
        &replay.domains,
        &mut tally,
        &mut out,
        |n| format!("domain {n}"),
    );
    compare_map_values(
        "partitioned table",
        &database.partitioned,
        &replay.partitioned,
        &mut tally,
        &mut out,
        |n| format!("partitioned table {n}, key"),
    );
    compare_map_values(
        "partition",
        &database.partitions,
        &replay.partitions,
        &mut tally,
        &mut out,
        |n| format!("partition {n}, parent"),
    );
    (tally, out)
}

fn compare_table(
    name: &str,
    database: &TableShape,
    replay: &TableShape,
    tally: &mut Tally,
    out: &mut Vec<Mismatch>,
) {
    let names =
        |t: &TableShape| -> Vec<String> { t.columns.iter().map(|c| c.name.clone()).collect() };
    compare_value(
        format!("table {name}, column order"),
        &names(database),
        &names(replay),
        tally,
        out,
    );
    let by_name = |t: &TableShape| -> BTreeMap<String, ColumnShape> {
        t.columns
            .iter()
            .map(|c| (c.name.clone(), c.clone()))
            .collect()
    };
    compare_maps(
        &format!("table {name}, column"),
        &by_name(database),
        &by_name(replay),
        tally,
        out,
        |column, d, r, tally, out| {
            compare_value(format!("table {name}, column {column}"), d, r, tally, out)
        },
    );
    compare_value(
        format!("table {name}, primary key"),
        &database.primary_key,
        &replay.primary_key,
        tally,
        out,
    );
    compare_value(
        format!("table {name}, indexes and unique keys"),
        &database.keys,
        &replay.keys,
        tally,
        out,
    );
    compare_value(
        format!("table {name}, foreign keys"),
        &database.foreign_keys,
        &replay.foreign_keys,
        tally,
        out,
    );
    for (what, d, r) in [
        ("generated columns", &database.generated, &replay.generated),
        ("identity and serial columns", &database.auto, &replay.auto),
        (
            "constraints not validated",
            &database.not_valid,
            &replay.not_valid,
        ),
    ] {
        if !d.is_empty() || !r.is_empty() {
            compare_value(format!("table {name}, {what}"), d, r, tally, out);
        }
    }
}

/// A partition key without spaces or case: `RANGE (created)` and `range(created)` agree.
pub fn partition_key(key: &str) -> String {
    key.chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect::<String>()
        .to_lowercase()
}

/// The replayed catalog in the shape a database of `engine` would report.
pub fn from_catalog(engine: Engine, catalog: &Catalog) -> Schema {
    let mut schema = Schema::default();
    for table in catalog.tables() {
        let primary_key: Vec<String> = table
            .primary_key()
            .map(|pk| pk.columns.iter().map(|c| c.to_lowercase()).collect())
            .unwrap_or_default();
        let columns = table
            .columns()
            .map(|c| {
                let in_key = primary_key.iter().any(|k| k.eq_ignore_ascii_case(&c.name));
                ColumnShape {
                    name: c.name.to_lowercase(),
                    // SQLite keeps a column declared without a type with an empty one.
                    ty: c.ty.as_ref().map_or_else(
                        || if engine == Engine::Sqlite { "" } else { "?" }.to_string(),
                        |t| canon::column_type(engine, &type_text(t)),
                    ),
                    nullable: c.nullable && !in_key,
                    default: if c.auto_increment && engine != Engine::Sqlite {
                        None
                    } else {
                        c.default.as_deref().and_then(|d| canon::default(engine, d))
                    },
                }
            })
            .collect();
        let mut keys: Vec<KeyShape> = table
            .indexes()
            .map(|i| KeyShape {
                columns: i.columns.iter().map(|c| key_column(engine, c)).collect(),
                unique: i.unique,
                partial: i.partial,
            })
            .collect();
        let mut foreign_keys = Vec::new();
        for constraint in table.constraints() {
            match &constraint.kind {
                ConstraintKind::Unique => keys.push(KeyShape {
                    columns: constraint
                        .columns
                        .iter()
                        .map(|c| c.to_lowercase())
                        .collect(),
                    unique: true,
                    partial: false,
                }),
                ConstraintKind::ForeignKey {
                    references,
                    actions,
                    ..
                } => foreign_keys.push(ForeignKeyShape {
                    actions: actions_text(engine, *actions),
                    columns: constraint
                        .columns
                        .iter()
                        .map(|c| c.to_lowercase())
                        .collect(),
                    references: canon::object_name(references),
                }),
                ConstraintKind::PrimaryKey | ConstraintKind::Check { .. } => {}
            }
        }
        keys.sort();
        foreign_keys.sort();
        let postgres = engine == Engine::Postgres;
        let named = |pick: fn(&balrog_schema_lint::ColumnDef) -> bool| -> Vec<String> {
            if engine == Engine::Sqlite {
                return Vec::new();
            }
            table
                .columns()
                .filter(|c| pick(c))
                .map(|c| c.name.to_lowercase())
                .collect()
        };
        let mut not_valid: Vec<String> = if postgres {
            table
                .constraints()
                .iter()
                .filter(|c| c.not_valid)
                .map(|c| c.name.as_deref().unwrap_or("?").to_lowercase())
                .collect()
        } else {
            Vec::new()
        };
        not_valid.sort();
        let mut shape = TableShape {
            columns,
            primary_key,
            keys,
            foreign_keys,
            generated: named(|c| c.generated),
            auto: named(|c| c.auto_increment),
            not_valid,
        };
        if engine == Engine::Mariadb {
            without_foreign_key_indexes(&mut shape);
        }
        schema
            .tables
            .insert(canon::object_name(table.name()), shape);
        if postgres {
            if let Some(key) = catalog.partition_key(table.name()) {
                schema
                    .partitioned
                    .insert(canon::object_name(table.name()), partition_key(key));
            }
            if let Some(p) = catalog.partition(table.name()) {
                schema.partitions.insert(
                    canon::object_name(table.name()),
                    canon::object_name(&p.parent),
                );
            }
        }
    }
    if engine == Engine::Postgres {
        for t in catalog.composite_types() {
            let attributes = t
                .attributes
                .iter()
                .map(|a| {
                    let ty = a.ty.as_ref().map_or_else(
                        || "?".to_string(),
                        |t| canon::column_type(engine, &type_text(t)),
                    );
                    (a.name.to_lowercase(), ty)
                })
                .collect();
            schema
                .composites
                .insert(canon::object_name(&t.name), attributes);
        }
        for d in catalog.domains() {
            schema.domains.insert(
                canon::object_name(&d.name),
                DomainShape {
                    base: d.base.as_ref().map_or_else(
                        || "?".to_string(),
                        |t| canon::column_type(engine, &type_text(t)),
                    ),
                    nullable: d.nullable,
                    checks: d.checks.len(),
                },
            );
        }
        schema.schemas = catalog.schemas().map(canon::object_name).collect();
        schema.extensions = catalog.extensions().map(canon::object_name).collect();
        schema.materialized_views = catalog
            .views()
            .filter(|v| catalog.is_materialized_view(&v.name))
            .map(|v| canon::object_name(&v.name))
            .collect();
    }
    schema.views = catalog
        .views()
        .map(|v| canon::object_name(&v.name))
        .collect();
    for t in catalog.named_types() {
        if !t.values.is_empty() {
            schema
                .enums
                .insert(canon::object_name(&t.name), t.values.clone());
        }
    }
    schema.sequences = catalog
        .sequences()
        .map(|s| canon::object_name(&s.name))
        .collect();
    programs_from_catalog(engine, catalog, &mut schema);
    schema
}

/// Routines, triggers, policies, row-level security, grants and comments of the replay.
fn programs_from_catalog(engine: Engine, catalog: &Catalog, schema: &mut Schema) {
    // Routines of other schemas (`utils.f`) are not in the one the database is asked about.
    schema.routines = catalog
        .routines()
        .filter(|r| !canon::object_name(&r.name).contains('.'))
        .map(|r| routine_name(engine, &r.name, r.procedure, &r.args))
        .collect();
    schema.triggers = catalog
        .triggers()
        .map(|t| {
            let name = format!(
                "{}.{}",
                canon::object_name(&t.table),
                canon::object_name(&t.name)
            );
            (name, t.enabled)
        })
        .collect();
    schema.policies = catalog
        .policies()
        .map(|p| {
            let name = format!(
                "{}.{}",
                canon::object_name(&p.table),
                canon::object_name(&p.name)
            );
            (name, p.restrictive)
        })
        .collect();
    schema.row_security = catalog
        .row_security_tables()
        .map(|(table, rls)| (canon::object_name(table), (rls.enabled, rls.forced)))
        .collect();
    schema.public_grants = catalog
        .grants()
        .filter(|g| g.grantee == "public" && g.object_kind == "table")
        .map(|g| {
            format!(
                "{} {}",
                canon::object_name(&g.object),
                g.privilege.to_lowercase()
            )
        })
        .collect();
    if engine == Engine::Mariadb {
        schema.table_grants = catalog
            .grants()
            .filter(|g| g.object_kind == "table" && g.grantee != "public")
            .map(|g| {
                format!(
                    "{} {} {}",
                    canon::object_name(&g.object),
                    g.privilege.to_lowercase(),
                    canon::account(&g.grantee)
                )
            })
            .collect();
    }
    schema.comments = catalog
        .comments()
        .filter(|(kind, _, _)| matches!(*kind, "table" | "column"))
        .map(|(_, object, text)| (canon::object_name(object), text.to_string()))
        .collect();
}

/// A routine as the oracle names it: with canonical argument types where the engine
/// overloads by them (PostgreSQL), by kind and name elsewhere.
pub fn routine_name(engine: Engine, name: &str, procedure: bool, args: &[String]) -> String {
    match engine {
        Engine::Postgres => {
            let args: Vec<String> = args.iter().map(|a| canon::column_type(engine, a)).collect();
            format!("{}({})", canon::object_name(name), args.join(","))
        }
        _ => {
            let kind = if procedure { "procedure" } else { "function" };
            format!("{kind} {}", canon::object_name(name))
        }
    }
}

/// Leaves out plain indexes over exactly a foreign key's columns. InnoDB creates one for a
/// foreign key that has no index to use, and drops it when another index can serve; the
/// replay does not model that, so such indexes are compared on neither side.
pub fn without_foreign_key_indexes(table: &mut TableShape) {
    let foreign_keys = &table.foreign_keys;
    table
        .keys
        .retain(|k| k.unique || !foreign_keys.iter().any(|f| f.columns == k.columns));
}

/// An indexed column as the engine reports it: SQLite names no expression
/// (`pragma_index_info` gives `NULL`), so an expression is only `<expr>` there.
fn key_column(engine: Engine, column: &str) -> String {
    let plain = column
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '"' | '`' | '.'));
    if engine == Engine::Sqlite && !plain {
        "<expr>".to_string()
    } else {
        canon::key_column(column)
    }
}

/// A type as SQL text (`SqlType`'s display, which is the type as written, tidied).
fn type_text(ty: &SqlType) -> String {
    ty.to_string()
}

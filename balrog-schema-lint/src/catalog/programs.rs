//! Routines, triggers, row-level security, policies, grants and comments in the catalog.
//!
//! How each database names them decides the keys: PostgreSQL tells routines apart by name
//! and argument types (overloading) and triggers and policies by table and name; MySQL and
//! SQLite have one routine per name (functions and procedures apart in MySQL) and trigger
//! names are unique in the whole schema.

use std::collections::{BTreeMap, BTreeSet};

use super::names::key;
use super::{Applied, Catalog};
use crate::model::ops::{Dialect, OpKind, Operation};
use crate::model::programs::signature;

/// A function or procedure.
#[derive(Debug, Clone)]
pub struct Routine {
    /// The name as written.
    pub name: String,
    /// A procedure rather than a function.
    pub procedure: bool,
    /// Argument types (without `OUT` arguments), lower case.
    pub args: Vec<String>,
    /// The declared return type, lower case.
    pub returns: Option<String>,
    /// Language, attributes and body as normalised text (see `OpKind::CreateRoutine`).
    pub body: String,
    pub(crate) created_at: u64,
}

impl PartialEq for Routine {
    fn eq(&self, other: &Routine) -> bool {
        self.name == other.name
            && self.procedure == other.procedure
            && self.args == other.args
            && self.returns == other.returns
            && self.body == other.body
    }
}

impl Eq for Routine {}

impl Routine {
    /// `name(type, ...)`.
    pub fn signature(&self) -> String {
        signature(&self.name, &self.args)
    }
}

/// A trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The name as written.
    pub name: String,
    /// The table it fires on.
    pub table: String,
    /// Timing, events and action as normalised text.
    pub definition: String,
    /// Fires (not disabled with `ALTER TABLE .. DISABLE TRIGGER`).
    pub enabled: bool,
}

impl Trigger {
    /// Where the name of the function the trigger executes is in its definition (PostgreSQL
    /// `EXECUTE FUNCTION name(...)` / `EXECUTE PROCEDURE name(...)`).
    fn called_span(&self) -> Option<(usize, usize)> {
        let d = &self.definition;
        let start = ["execute function ", "execute procedure "]
            .iter()
            .find_map(|p| d.find(p).map(|i| i + p.len()))?;
        let end = start + d.get(start..)?.find('(')?;
        Some((start, end))
    }

    /// Whether the trigger executes the routine `name` (with or without a schema).
    pub fn calls(&self, name: &str) -> bool {
        let base = |n: &str| key(n.rsplit('.').next().unwrap_or(n).trim());
        self.called_span()
            .and_then(|(start, end)| self.definition.get(start..end))
            .is_some_and(|called| base(called) == base(name))
    }
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The name as written.
    pub name: String,
    /// The table.
    pub table: String,
    /// `AS RESTRICTIVE`.
    pub restrictive: bool,
    /// Command, roles and expressions as normalised text.
    pub definition: String,
}

/// Row-level security of one table (PostgreSQL `relrowsecurity`, `relforcerowsecurity`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowSecurity {
    /// Policies restrict the rows roles other than the owner see.
    pub enabled: bool,
    /// They restrict the owner too.
    pub forced: bool,
}

/// One privilege granted on one object to one role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GrantEntry {
    /// `table`, `sequence`, `function`, `schema`, ...
    pub object_kind: String,
    /// The object, lower case (a routine with its argument types).
    pub object: String,
    /// The role, lower case; `public` for everyone.
    pub grantee: String,
    /// The privilege in upper case.
    pub privilege: String,
}

/// The programmable and permission objects of a catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Programs {
    routines: BTreeMap<String, Routine>,
    triggers: BTreeMap<String, Trigger>,
    row_security: BTreeMap<String, RowSecurity>,
    policies: BTreeMap<String, Policy>,
    grants: BTreeSet<GrantEntry>,
    /// Keyed by (object kind, lower-case object); the value keeps the object as written.
    comments: BTreeMap<(String, String), (String, String)>,
}

/// What `ALL` means on a table, per dialect (PostgreSQL 16; MySQL's list is longer and is
/// kept as `ALL`).
const PG_TABLE_PRIVILEGES: [&str; 7] = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
];

fn routine_key(dialect: Dialect, name: &str, procedure: bool, args: &[String]) -> String {
    match dialect {
        Dialect::Postgres => format!("{}({})", key(name), args.join(",")),
        // MySQL keeps functions and procedures in separate namespaces, one of each per name.
        _ if procedure => format!("procedure {}", key(name)),
        _ => format!("function {}", key(name)),
    }
}

fn trigger_key(dialect: Dialect, table: &str, name: &str) -> String {
    match dialect {
        Dialect::Postgres => format!("{}\u{1}{}", key(table), key(name)),
        _ => key(name),
    }
}

fn policy_key(table: &str, name: &str) -> String {
    format!("{}\u{1}{}", key(table), key(name))
}

impl Catalog {
    /// The routine a statement names: with argument types, that overload; without, the only
    /// routine of that name (PostgreSQL rejects a bare name when it is overloaded).
    pub fn routine(&self, name: &str, procedure: bool, args: Option<&[String]>) -> Option<&Routine> {
        self.routine_key(name, procedure, args)
            .and_then(|k| self.programs.routines.get(&k))
    }

    fn routine_key(&self, name: &str, procedure: bool, args: Option<&[String]>) -> Option<String> {
        match (self.dialect, args) {
            (Dialect::Postgres, None) => {
                let mut found = self
                    .programs
                    .routines
                    .iter()
                    .filter(|(_, r)| key(&r.name) == key(name));
                match (found.next(), found.next()) {
                    (Some((k, _)), None) => Some(k.clone()),
                    _ => None,
                }
            }
            (dialect, args) => Some(routine_key(
                dialect,
                name,
                procedure,
                args.unwrap_or_default(),
            )),
        }
    }

    /// Every routine of this name, whatever its arguments.
    pub fn routines_named(&self, name: &str) -> impl Iterator<Item = &Routine> {
        let wanted = key(name);
        self.programs
            .routines
            .values()
            .filter(move |r| key(&r.name) == wanted)
    }

    /// The routines, by name and arguments.
    pub fn routines(&self) -> impl Iterator<Item = &Routine> {
        self.programs.routines.values()
    }

    /// Whether the routine was created after [`Catalog::begin_range`].
    pub fn routine_created_in_range(&self, routine: &Routine) -> bool {
        self.range_start
            .is_some_and(|start| routine.created_at >= start)
    }

    /// A trigger by name, on `table` where given (PostgreSQL trigger names are per table).
    pub fn trigger(&self, table: Option<&str>, name: &str) -> Option<&Trigger> {
        if let Some(table) = table {
            if let Some(t) = self
                .programs
                .triggers
                .get(&trigger_key(self.dialect, table, name))
            {
                return Some(t);
            }
        }
        let mut found = self
            .programs
            .triggers
            .values()
            .filter(|t| key(&t.name) == key(name))
            .filter(|t| table.is_none_or(|table| key(table) == key(&t.table)));
        match (found.next(), found.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        }
    }

    /// The triggers, by table and name.
    pub fn triggers(&self) -> impl Iterator<Item = &Trigger> {
        self.programs.triggers.values()
    }

    /// Row-level security of a table (off unless enabled).
    pub fn row_security(&self, table: &str) -> RowSecurity {
        self.programs
            .row_security
            .get(&key(table))
            .copied()
            .unwrap_or_default()
    }

    /// Tables with row-level security enabled or forced, by lower-case name.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn row_security_tables(&self) -> impl Iterator<Item = (&str, RowSecurity)> {
        self.programs
            .row_security
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
    }

    /// A policy by table and name.
    pub fn policy(&self, table: &str, name: &str) -> Option<&Policy> {
        self.programs.policies.get(&policy_key(table, name))
    }

    /// The policies, by table and name.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.programs.policies.values()
    }

    /// Every privilege granted by the migrations, sorted.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn grants(&self) -> impl Iterator<Item = &GrantEntry> {
        self.programs.grants.iter()
    }

    /// Comments: (object kind, object as written, text), sorted.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
    pub fn comments(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.programs
            .comments
            .iter()
            .map(|((kind, _), (object, text))| (kind.as_str(), object.as_str(), text.as_str()))
    }

    /// Applies a routine, trigger, security, grant or comment operation.
    pub(super) fn apply_program(&mut self, op: &Operation, now: u64) -> Applied {
        match &op.kind {
            OpKind::CreateRoutine {
                name,
                procedure,
                args,
                returns,
                body,
                or_replace,
            } => {
                let k = routine_key(self.dialect, name, *procedure, args);
                let mut routine = Routine {
                    name: name.clone(),
                    procedure: *procedure,
                    args: args.clone(),
                    returns: returns.clone(),
                    body: body.clone(),
                    created_at: now,
                };
                match self.programs.routines.get(&k) {
                    Some(existing) if *existing == routine => Applied::NoChange,
                    Some(existing) => {
                        // A replacement is not a new routine: it keeps its age.
                        routine.created_at = existing.created_at;
                        let conflict = if !or_replace {
                            Some(format!("{} already exists; replaced", routine.signature()))
                        } else if existing.returns != routine.returns {
                            Some(format!(
                                "{} cannot change its return type in place; replaced",
                                routine.signature()
                            ))
                        } else {
                            None
                        };
                        self.programs.routines.insert(k, routine);
                        conflict.map_or(Applied::Changed, Applied::Conflict)
                    }
                    None => {
                        self.programs.routines.insert(k, routine);
                        Applied::Changed
                    }
                }
            }
            OpKind::DropRoutine {
                name,
                procedure,
                args,
            } => {
                let Some(k) = self.routine_key(name, *procedure, args.as_deref()) else {
                    return Applied::Conflict(format!(
                        "{name} names no single routine (it is overloaded or absent)"
                    ));
                };
                match self.programs.routines.remove(&k) {
                    Some(_) => {
                        if op.source.to_ascii_uppercase().contains("CASCADE") {
                            self.drop_triggers_calling(name);
                        }
                        Applied::Changed
                    }
                    None => Applied::Conflict(format!("routine {name} does not exist")),
                }
            }
            OpKind::AlterRoutine {
                name,
                procedure,
                args,
                new_name,
                ..
            } => {
                let Some(k) = self.routine_key(name, *procedure, args.as_deref()) else {
                    return Applied::Conflict(format!("{name} names no single routine"));
                };
                let Some(mut routine) = self.programs.routines.remove(&k) else {
                    return Applied::Conflict(format!("routine {name} does not exist"));
                };
                match new_name {
                    Some(new_name) => {
                        self.rename_in_triggers(&routine.name, new_name);
                        routine.name = new_name.clone();
                        let new_key =
                            routine_key(self.dialect, new_name, routine.procedure, &routine.args);
                        self.programs.routines.insert(new_key, routine);
                        Applied::Changed
                    }
                    None => {
                        // Owner and attributes (settings, security, cost) are not modelled:
                        // the signature and body stay.
                        self.programs.routines.insert(k, routine);
                        Applied::NoChange
                    }
                }
            }
            OpKind::CreateTrigger {
                name,
                table,
                definition,
                or_replace,
            } => {
                let k = trigger_key(self.dialect, table, name);
                let trigger = Trigger {
                    name: name.clone(),
                    table: table.clone(),
                    definition: definition.clone(),
                    enabled: true,
                };
                let missing = !self.tables.contains_key(&key(table))
                    && !self.views.contains_key(&key(table));
                let previous = self.programs.triggers.insert(k, trigger.clone());
                if missing {
                    return Applied::Conflict(format!("table {table} does not exist"));
                }
                match previous {
                    Some(p) if p == trigger => Applied::NoChange,
                    Some(_) if !or_replace => Applied::Conflict(format!(
                        "trigger {name} on {table} already exists; replaced"
                    )),
                    _ => Applied::Changed,
                }
            }
            OpKind::DropTrigger { name, table } => {
                let found = self
                    .trigger(table.as_deref(), name)
                    .map(|t| trigger_key(self.dialect, &t.table, &t.name));
                match found.and_then(|k| self.programs.triggers.remove(&k)) {
                    Some(_) => Applied::Changed,
                    None => Applied::Conflict(format!("trigger {name} does not exist")),
                }
            }
            OpKind::RenameTrigger {
                name,
                table,
                new_name,
            } => {
                let k = trigger_key(self.dialect, table, name);
                match self.programs.triggers.remove(&k) {
                    Some(mut t) => {
                        t.name = new_name.clone();
                        let new_key = trigger_key(self.dialect, table, new_name);
                        self.programs.triggers.insert(new_key, t);
                        Applied::Changed
                    }
                    None => Applied::Conflict(format!("trigger {name} on {table} does not exist")),
                }
            }
            OpKind::SetTriggerEnabled {
                table,
                trigger,
                enabled,
            } => {
                if !self.tables.contains_key(&key(table)) {
                    return super::apply::missing_table(table);
                }
                let mut changed = false;
                let mut found = false;
                for t in self.programs.triggers.values_mut() {
                    let wanted = key(&t.table) == key(table)
                        && trigger.as_ref().is_none_or(|n| key(n) == key(&t.name));
                    if wanted {
                        found = true;
                        changed |= t.enabled != *enabled;
                        t.enabled = *enabled;
                    }
                }
                match (trigger, found, changed) {
                    (Some(name), false, _) => {
                        Applied::Conflict(format!("trigger {name} on {table} does not exist"))
                    }
                    (_, _, true) => Applied::Changed,
                    _ => Applied::NoChange,
                }
            }
            OpKind::SetRowSecurity { table, setting } => {
                if !self.tables.contains_key(&key(table)) {
                    return super::apply::missing_table(table);
                }
                let entry = self.programs.row_security.entry(key(table)).or_default();
                let before = *entry;
                match setting.as_str() {
                    "enable" => entry.enabled = true,
                    "disable" => entry.enabled = false,
                    "force" => entry.forced = true,
                    _ => entry.forced = false,
                }
                let after = *entry;
                if after == RowSecurity::default() {
                    self.programs.row_security.remove(&key(table));
                }
                if before == after {
                    Applied::NoChange
                } else {
                    Applied::Changed
                }
            }
            OpKind::CreatePolicy {
                name,
                table,
                restrictive,
                definition,
            } => {
                if !self.tables.contains_key(&key(table)) {
                    return super::apply::missing_table(table);
                }
                let policy = Policy {
                    name: name.clone(),
                    table: table.clone(),
                    restrictive: *restrictive,
                    definition: definition.clone(),
                };
                match self
                    .programs
                    .policies
                    .insert(policy_key(table, name), policy)
                {
                    Some(_) => Applied::Conflict(format!(
                        "policy {name} on {table} already exists; replaced"
                    )),
                    None => Applied::Changed,
                }
            }
            OpKind::AlterPolicy {
                name,
                table,
                new_name,
                definition,
            } => {
                let Some(mut policy) = self.programs.policies.remove(&policy_key(table, name))
                else {
                    return Applied::Conflict(format!("policy {name} on {table} does not exist"));
                };
                if let Some(new_name) = new_name {
                    policy.name = new_name.clone();
                }
                if let Some(definition) = definition {
                    // `ALTER POLICY` restates only what it changes; the command stays.
                    let command = policy
                        .definition
                        .split(" to ")
                        .next()
                        .filter(|c| c.starts_with("for "))
                        .map(|c| format!("{c} "))
                        .unwrap_or_default();
                    policy.definition = format!("{command}{definition}");
                }
                self.programs
                    .policies
                    .insert(policy_key(table, &policy.name.clone()), policy);
                Applied::Changed
            }
            OpKind::DropPolicy { name, table } => {
                match self.programs.policies.remove(&policy_key(table, name)) {
                    Some(_) => Applied::Changed,
                    None => Applied::Conflict(format!("policy {name} on {table} does not exist")),
                }
            }
            OpKind::Grant {
                revoke,
                privileges,
                object_kind,
                objects,
                grantees,
            } => self.grant(*revoke, privileges, object_kind, objects, grantees),
            OpKind::Comment {
                object_kind,
                object,
                text,
            } => {
                let target = match object_kind.as_str() {
                    "column" => object.rsplit_once('.').map(|(t, _)| t),
                    "table" => Some(object.as_str()),
                    _ => None,
                };
                if let Some(table) = target {
                    if !self.tables.contains_key(&key(table)) {
                        return super::apply::missing_table(table);
                    }
                }
                let k = (object_kind.clone(), key(object));
                match text {
                    Some(text) if !text.is_empty() => {
                        self.programs
                            .comments
                            .insert(k, (object.clone(), text.clone()));
                    }
                    _ => {
                        self.programs.comments.remove(&k);
                    }
                }
                Applied::Changed
            }
            _ => Applied::NoChange,
        }
    }

    fn grant(
        &mut self,
        revoke: bool,
        privileges: &[String],
        object_kind: &str,
        objects: &[String],
        grantees: &[String],
    ) -> Applied {
        // `ALL TABLES IN SCHEMA public` is every table the schema has now; other schemas
        // are not modelled, so their tables are not either.
        let (kind, objects): (&str, Vec<String>) = match object_kind {
            "all tables in schema" => {
                let public = objects.iter().any(|s| s.eq_ignore_ascii_case("public"));
                let tables = if public {
                    self.tables.values().map(|t| t.name.clone()).collect()
                } else {
                    Vec::new()
                };
                ("table", tables)
            }
            other => (other, objects.to_vec()),
        };
        let expand = |privilege: &str| -> Vec<String> {
            if privilege == "ALL" && kind == "table" && self.dialect == Dialect::Postgres {
                PG_TABLE_PRIVILEGES.iter().map(|p| p.to_string()).collect()
            } else {
                vec![privilege.to_string()]
            }
        };
        let mut changed = false;
        for object in &objects {
            for grantee in grantees {
                for privilege in privileges.iter().flat_map(|p| expand(p)) {
                    let entry = GrantEntry {
                        object_kind: kind.to_string(),
                        object: key(object),
                        grantee: grantee.to_lowercase(),
                        privilege,
                    };
                    changed |= if revoke {
                        let all = entry.privilege == "ALL";
                        let before = self.programs.grants.len();
                        self.programs.grants.retain(|g| {
                            !(g.object_kind == entry.object_kind
                                && g.object == entry.object
                                && g.grantee == entry.grantee
                                && (all || g.privilege == entry.privilege))
                        });
                        before != self.programs.grants.len()
                    } else {
                        self.programs.grants.insert(entry)
                    };
                }
            }
        }
        if changed {
            Applied::Changed
        } else {
            Applied::NoChange
        }
    }

    /// `DROP FUNCTION .. CASCADE` drops the triggers that call it.
    fn drop_triggers_calling(&mut self, routine: &str) {
        self.programs.triggers.retain(|_, t| !t.calls(routine));
    }

    /// A trigger names its function by identity, not by name: renaming the function keeps
    /// the trigger calling it.
    fn rename_in_triggers(&mut self, routine: &str, new_name: &str) {
        for t in self.programs.triggers.values_mut() {
            if t.calls(routine) {
                if let Some((start, end)) = t.called_span() {
                    t.definition
                        .replace_range(start..end, &new_name.to_lowercase());
                }
            }
        }
    }

    /// A dropped table takes its triggers, policies, security, grants and comments along.
    pub(super) fn programs_table_dropped(&mut self, table: &str) {
        let k = key(table);
        let p = &mut self.programs;
        p.triggers.retain(|_, t| key(&t.table) != k);
        p.policies.retain(|_, t| key(&t.table) != k);
        p.row_security.remove(&k);
        p.grants
            .retain(|g| !(g.object_kind == "table" && g.object == k));
        p.comments.retain(|(kind, object), _| match kind.as_str() {
            "table" => *object != k,
            "column" => object.rsplit_once('.').map(|(t, _)| t) != Some(k.as_str()),
            _ => true,
        });
    }

    /// A renamed table keeps its triggers, policies, security, grants and comments.
    pub(super) fn programs_table_renamed(&mut self, table: &str, new_name: &str) {
        let (old, new) = (key(table), key(new_name));
        let dialect = self.dialect;
        let p = &mut self.programs;
        p.triggers = std::mem::take(&mut p.triggers)
            .into_values()
            .map(|mut t| {
                if key(&t.table) == old {
                    t.table = new_name.to_string();
                }
                (trigger_key(dialect, &t.table, &t.name), t)
            })
            .collect();
        p.policies = std::mem::take(&mut p.policies)
            .into_values()
            .map(|mut t| {
                if key(&t.table) == old {
                    t.table = new_name.to_string();
                }
                (policy_key(&t.table, &t.name), t)
            })
            .collect();
        if let Some(security) = p.row_security.remove(&old) {
            p.row_security.insert(new.clone(), security);
        }
        p.grants = std::mem::take(&mut p.grants)
            .into_iter()
            .map(|mut g| {
                if g.object_kind == "table" && g.object == old {
                    g.object = new.clone();
                }
                g
            })
            .collect();
        p.comments = std::mem::take(&mut p.comments)
            .into_iter()
            .map(|((kind, object), (written, text))| {
                let renamed = match kind.as_str() {
                    "table" if object == old => Some((new.clone(), new_name.to_string())),
                    "column" => object
                        .split_once('.')
                        .filter(|(t, _)| *t == old)
                        .map(|(_, c)| (format!("{new}.{c}"), format!("{new_name}.{c}"))),
                    _ => None,
                };
                match renamed {
                    Some((object, written)) => ((kind, object), (written, text)),
                    None => ((kind, object), (written, text)),
                }
            })
            .collect();
    }
}

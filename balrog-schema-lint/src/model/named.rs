//! Objects known by kind and name only: roles, tablespaces, foreign servers, collations,
//! casts, aggregates, operators, publications, rules, event triggers, databases, MySQL
//! events, ... and the changes of owner, schema, name and settings any object can undergo.
//!
//! The model keeps no definition for these kinds: creating one is judged by its kind,
//! dropping one by whether application queries can depend on it, and altering one by the
//! attribute that changes (`docs/objects.md` gives each judgement with its reason).

use serde::{Deserialize, Serialize};

/// The kind of a named object.
///
/// ```
/// use balrog_schema_lint::model::named::ObjectKind;
///
/// assert_eq!(ObjectKind::from_words("FOREIGN DATA WRAPPER"), Some(ObjectKind::ForeignDataWrapper));
/// assert_eq!(ObjectKind::EventTrigger.name(), "event trigger");
/// assert!(ObjectKind::Collation.named_in_queries());
/// assert!(!ObjectKind::Tablespace.named_in_queries());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectKind {
    /// A table (for changes of owner, schema or settings).
    Table,
    /// A view.
    View,
    /// A materialized view.
    MaterializedView,
    /// A sequence.
    Sequence,
    /// An index (for changes of settings).
    Index,
    /// A schema.
    Schema,
    /// An extension.
    Extension,
    /// A database (MySQL `CREATE DATABASE` is `CREATE SCHEMA`).
    Database,
    /// A role, user or group: who code logs in as.
    Role,
    /// A tablespace: where data files live.
    Tablespace,
    /// A foreign server (PostgreSQL `CREATE SERVER`, MySQL FEDERATED servers).
    ForeignServer,
    /// A foreign-data wrapper.
    ForeignDataWrapper,
    /// A foreign table: a table whose rows live on a foreign server.
    ForeignTable,
    /// A user mapping: the credentials a role uses on a foreign server.
    UserMapping,
    /// A collation.
    Collation,
    /// A cast between two types.
    Cast,
    /// An aggregate function.
    Aggregate,
    /// An operator.
    Operator,
    /// An operator class or family (how an index method handles a type).
    OperatorClass,
    /// An encoding conversion.
    Conversion,
    /// A text search configuration, dictionary, parser or template.
    TextSearch,
    /// A procedural language.
    Language,
    /// An index or table access method.
    AccessMethod,
    /// A type transform for a procedural language.
    Transform,
    /// A logical replication publication.
    Publication,
    /// A logical replication subscription.
    Subscription,
    /// A query rewrite rule on a table.
    Rule,
    /// An event trigger: fires on DDL commands, not on data.
    EventTrigger,
    /// A MySQL scheduled event: SQL the server runs on a schedule.
    Event,
    /// Default privileges: what objects created later will grant.
    DefaultPrivileges,
}

/// Every kind with the words that name it after `CREATE`, `ALTER` or `DROP`.
const KIND_WORDS: &[(&str, ObjectKind)] = &[
    ("TABLE", ObjectKind::Table),
    ("VIEW", ObjectKind::View),
    ("MATERIALIZED VIEW", ObjectKind::MaterializedView),
    ("SEQUENCE", ObjectKind::Sequence),
    ("INDEX", ObjectKind::Index),
    ("SCHEMA", ObjectKind::Schema),
    ("EXTENSION", ObjectKind::Extension),
    ("DATABASE", ObjectKind::Database),
    ("ROLE", ObjectKind::Role),
    ("USER", ObjectKind::Role),
    ("GROUP", ObjectKind::Role),
    ("TABLESPACE", ObjectKind::Tablespace),
    ("SERVER", ObjectKind::ForeignServer),
    ("FOREIGN DATA WRAPPER", ObjectKind::ForeignDataWrapper),
    ("FOREIGN TABLE", ObjectKind::ForeignTable),
    ("USER MAPPING", ObjectKind::UserMapping),
    ("COLLATION", ObjectKind::Collation),
    ("CAST", ObjectKind::Cast),
    ("AGGREGATE", ObjectKind::Aggregate),
    ("OPERATOR", ObjectKind::Operator),
    ("OPERATOR CLASS", ObjectKind::OperatorClass),
    ("OPERATOR FAMILY", ObjectKind::OperatorClass),
    ("CONVERSION", ObjectKind::Conversion),
    ("DEFAULT CONVERSION", ObjectKind::Conversion),
    ("TEXT SEARCH", ObjectKind::TextSearch),
    ("LANGUAGE", ObjectKind::Language),
    ("PROCEDURAL LANGUAGE", ObjectKind::Language),
    ("TRUSTED LANGUAGE", ObjectKind::Language),
    ("ACCESS METHOD", ObjectKind::AccessMethod),
    ("TRANSFORM", ObjectKind::Transform),
    ("PUBLICATION", ObjectKind::Publication),
    ("SUBSCRIPTION", ObjectKind::Subscription),
    ("RULE", ObjectKind::Rule),
    ("EVENT TRIGGER", ObjectKind::EventTrigger),
    ("EVENT", ObjectKind::Event),
    ("DEFAULT PRIVILEGES", ObjectKind::DefaultPrivileges),
];

impl ObjectKind {
    /// The kind named by these upper-case words (`FOREIGN TABLE`), if any.
    pub fn from_words(words: &str) -> Option<ObjectKind> {
        KIND_WORDS
            .iter()
            .find(|(w, _)| *w == words)
            .map(|&(_, kind)| kind)
    }

    /// The longest number of words a kind takes.
    pub const MAX_WORDS: usize = 3;

    /// The lower-case name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Index => "index",
            ObjectKind::Schema => "schema",
            ObjectKind::Extension => "extension",
            ObjectKind::Database => "database",
            ObjectKind::Role => "role",
            ObjectKind::Tablespace => "tablespace",
            ObjectKind::ForeignServer => "foreign server",
            ObjectKind::ForeignDataWrapper => "foreign-data wrapper",
            ObjectKind::ForeignTable => "foreign table",
            ObjectKind::UserMapping => "user mapping",
            ObjectKind::Collation => "collation",
            ObjectKind::Cast => "cast",
            ObjectKind::Aggregate => "aggregate",
            ObjectKind::Operator => "operator",
            ObjectKind::OperatorClass => "operator class",
            ObjectKind::Conversion => "conversion",
            ObjectKind::TextSearch => "text search object",
            ObjectKind::Language => "language",
            ObjectKind::AccessMethod => "access method",
            ObjectKind::Transform => "transform",
            ObjectKind::Publication => "publication",
            ObjectKind::Subscription => "subscription",
            ObjectKind::Rule => "rule",
            ObjectKind::EventTrigger => "event trigger",
            ObjectKind::Event => "event",
            ObjectKind::DefaultPrivileges => "default privileges",
        }
    }

    /// Whether application SQL names objects of this kind (so a rename or a move to another
    /// schema breaks it), or connects by the name (databases, roles).
    pub fn named_in_queries(self) -> bool {
        match self {
            ObjectKind::Table
            | ObjectKind::View
            | ObjectKind::MaterializedView
            | ObjectKind::Sequence
            | ObjectKind::Schema
            | ObjectKind::Database
            | ObjectKind::Role
            | ObjectKind::ForeignTable
            | ObjectKind::Collation
            | ObjectKind::Aggregate
            | ObjectKind::Operator
            | ObjectKind::TextSearch => true,
            ObjectKind::Index
            | ObjectKind::Extension
            | ObjectKind::Tablespace
            | ObjectKind::ForeignServer
            | ObjectKind::ForeignDataWrapper
            | ObjectKind::UserMapping
            | ObjectKind::Cast
            | ObjectKind::OperatorClass
            | ObjectKind::Conversion
            | ObjectKind::Language
            | ObjectKind::AccessMethod
            | ObjectKind::Transform
            | ObjectKind::Publication
            | ObjectKind::Subscription
            | ObjectKind::Rule
            | ObjectKind::EventTrigger
            | ObjectKind::Event
            | ObjectKind::DefaultPrivileges => false,
        }
    }

    /// Whether what application code can do depends on objects of this kind existing: a
    /// query names them, uses them implicitly (casts, operator classes, rules), reaches
    /// data through them (servers, mappings) or logs in with them. Tablespaces, replication
    /// objects and event triggers serve operations, not queries.
    pub fn queries_depend_on(self) -> bool {
        !matches!(
            self,
            ObjectKind::Tablespace
                | ObjectKind::Publication
                | ObjectKind::Subscription
                | ObjectKind::EventTrigger
                | ObjectKind::DefaultPrivileges
        )
    }
}

impl std::fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What an `ALTER` (or an `ALTER TABLE` action, `SECURITY LABEL`, `ALTER DEFAULT
/// PRIVILEGES`) changes about a named object.
///
/// ```
/// use balrog_schema_lint::model::named::ObjectChange;
///
/// let owner = ObjectChange::Owner { owner: "app".into() };
/// assert_eq!(serde_json::to_value(&owner).unwrap()["type"], "owner");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum ObjectChange {
    /// `RENAME TO`.
    Rename {
        /// The new name.
        new_name: String,
    },
    /// `SET SCHEMA`: the object moves to another schema.
    SetSchema {
        /// The schema it moves to.
        schema: String,
    },
    /// `OWNER TO`: the owner's implicit privileges move to another role.
    Owner {
        /// The new owner, lower case.
        owner: String,
    },
    /// Storage, planning and numbering settings with no effect on what code can read or
    /// write: storage parameters, statistics targets, `CLUSTER ON`, `SET LOGGED`, a
    /// tablespace, a sequence's increment or restart.
    Settings {
        /// What is set, as written in upper case, e.g. `SET (FILLFACTOR = 70)`.
        what: String,
    },
    /// `ALTER DEFAULT PRIVILEGES ... GRANT / REVOKE`: what objects created later grant.
    DefaultPrivileges {
        /// `REVOKE` rather than `GRANT`.
        revoke: bool,
    },
    /// MySQL `CONVERT TO CHARACTER SET`: every text column changes character set and
    /// collation.
    ConvertCharset {
        /// The character set (and collation) as written, lower case.
        charset: String,
    },
    /// A change the model cannot judge from the statement: a person reads it, for the
    /// reason given.
    Review {
        /// What it changes, e.g. `ALTER ROLE ... SET statement_timeout`.
        what: String,
        /// Why it can matter to deployed code.
        reason: String,
    },
}

/// The description of a named-object operation, e.g. `rename sequence a to b`.
pub(crate) fn describe(kind: &super::ops::OpKind) -> String {
    use super::ops::OpKind;
    match kind {
        OpKind::CreateObject { object, name, .. } => format!("create {object} {name}"),
        OpKind::DropObject { object, name, .. } => format!("drop {object} {name}"),
        OpKind::AlterObject {
            object,
            name,
            change,
        } => match change {
            ObjectChange::Rename { new_name } => format!("rename {object} {name} to {new_name}"),
            ObjectChange::SetSchema { schema } => {
                format!("move {object} {name} to schema {schema}")
            }
            ObjectChange::Owner { owner } => format!("change owner of {object} {name} to {owner}"),
            ObjectChange::Settings { what } => {
                format!("{} on {object} {name}", what.to_ascii_lowercase())
            }
            ObjectChange::DefaultPrivileges { revoke } => {
                let verb = if *revoke { "revoke" } else { "grant" };
                format!("{verb} default privileges {name}")
            }
            ObjectChange::ConvertCharset { charset } => {
                format!("convert every text column of {name} to {charset}")
            }
            ObjectChange::Review { what, .. } => {
                format!("{} ({object} {name})", what.to_ascii_lowercase())
            }
        },
        OpKind::AlterConstraint {
            table,
            name,
            deferrable,
            initially_deferred,
        } => {
            let mut said = Vec::new();
            match deferrable {
                Some(true) => said.push("deferrable"),
                Some(false) => said.push("not deferrable"),
                None => {}
            }
            match initially_deferred {
                Some(true) => said.push("initially deferred"),
                Some(false) => said.push("initially immediate"),
                None => {}
            }
            format!("make constraint {name} on {table} {}", said.join(" "))
        }
        other => format!("{other:?}"),
    }
}

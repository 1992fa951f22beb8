//! The operation model every stage speaks.
//!
//! Readers (`sql`, `python`) lower migration source into [`Operation`]s; the catalog replays
//! them; `classify` gives each a [`Direction`]; rules and the plan read them. Nothing outside
//! the readers sees a parser's syntax tree.

use crate::model::foreign_key::ForeignKeyActions;
use crate::model::named::{ObjectChange, ObjectKind};
use serde::{Deserialize, Serialize};

/// The SQL dialect a migration is written for. It decides how SQL is parsed, so it comes
/// from configuration and is never guessed per statement.
///
/// ```
/// use balrog_schema_lint::Dialect;
///
/// assert_eq!(Dialect::from_name("postgres"), Some(Dialect::Postgres));
/// assert_eq!(Dialect::Mysql.name(), "mysql");
/// assert_eq!(Dialect::ALL.len(), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// MySQL / MariaDB (Balrog's production database).
    #[default]
    Mysql,
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
    /// ANSI-ish SQL with no vendor extensions.
    Generic,
}

impl Dialect {
    /// Every dialect, in the order they are listed to users.
    pub const ALL: [Dialect; 4] = [
        Dialect::Mysql,
        Dialect::Postgres,
        Dialect::Sqlite,
        Dialect::Generic,
    ];

    /// The name used in configuration and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Mysql => "mysql",
            Dialect::Postgres => "postgres",
            Dialect::Sqlite => "sqlite",
            Dialect::Generic => "generic",
        }
    }

    /// Parses a dialect name; `postgresql` and `mariadb` are accepted as aliases.
    pub fn from_name(name: &str) -> Option<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "mysql" | "mariadb" => Some(Dialect::Mysql),
            "postgres" | "postgresql" | "pg" => Some(Dialect::Postgres),
            "sqlite" | "sqlite3" => Some(Dialect::Sqlite),
            "generic" | "ansi" => Some(Dialect::Generic),
            _ => None,
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which way an operation lets the deploy go.
///
/// The question for each operation: can the old code run on the new schema (then the schema
/// may go first: expand), and can the new code run on the old schema (then the code may go
/// first: contract)?
///
/// ```
/// use balrog_schema_lint::Direction;
///
/// assert_eq!(Direction::Expand.name(), "expand");
/// assert_eq!(serde_json::to_value(Direction::NeedsReview).unwrap(), "needs-review");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// No effect on what either version of the code can do (data changes, transaction
    /// control, changes to objects created in the same release).
    Neutral,
    /// Old code keeps working on the new schema: the schema change goes first.
    Expand,
    /// New code works on the old schema: the schema change goes last.
    Contract,
    /// Neither order works (rename, narrowing type change, NOT NULL column without default).
    Breaking,
    /// The tool could not tell; a person must read it.
    NeedsReview,
}

impl Direction {
    /// The lowercase name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Neutral => "neutral",
            Direction::Expand => "expand",
            Direction::Contract => "contract",
            Direction::Breaking => "breaking",
            Direction::NeedsReview => "needs-review",
        }
    }
}

/// A SQL type as written, with its parameters split out so that widening can be judged.
///
/// ```
/// use balrog_schema_lint::SqlType;
///
/// assert_eq!(SqlType::with_params("varchar", &[100]).to_string(), "VARCHAR(100)");
/// assert_eq!(SqlType::named("text").name, "TEXT");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SqlType {
    /// The base name in upper case with aliases left as written, e.g. `VARCHAR`, `INT`.
    pub name: String,
    /// Length, or precision and scale, when given: `VARCHAR(100)` is `[100]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<u64>,
    /// Enum or set members, for `ENUM('a','b')`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// `UNSIGNED` (MySQL).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsigned: bool,
}

impl SqlType {
    /// A type with a name and no parameters.
    pub fn named(name: &str) -> SqlType {
        SqlType {
            name: name.to_ascii_uppercase(),
            params: Vec::new(),
            values: Vec::new(),
            unsigned: false,
        }
    }

    /// A type with a name and parameters, e.g. `SqlType::with_params("VARCHAR", &[100])`.
    pub fn with_params(name: &str, params: &[u64]) -> SqlType {
        SqlType {
            params: params.to_vec(),
            ..SqlType::named(name)
        }
    }
}

impl std::fmt::Display for SqlType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)?;
        if !self.values.is_empty() {
            let quoted: Vec<String> = self.values.iter().map(|v| format!("'{v}'")).collect();
            write!(f, "({})", quoted.join(","))?;
        } else if !self.params.is_empty() {
            let params: Vec<String> = self.params.iter().map(u64::to_string).collect();
            write!(f, "({})", params.join(","))?;
        }
        if self.unsigned {
            f.write_str(" UNSIGNED")?;
        }
        Ok(())
    }
}

/// A column as declared by `CREATE TABLE`, `ADD COLUMN`, MySQL `MODIFY`, or a Python
/// `Column(...)`.
///
/// ```
/// use balrog_schema_lint::{ColumnDef, SqlType};
///
/// let mut column = ColumnDef::new("priority", Some(SqlType::named("int")));
/// assert!(column.fills_itself()); // nullable
/// column.nullable = false;
/// assert!(!column.fills_itself()); // NOT NULL without a default: old inserts fail
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColumnDef {
    /// Column name as written, without quotes.
    pub name: String,
    /// Declared type; `None` when the reader could not tell (a Python type it does not know).
    pub ty: Option<SqlType>,
    /// `false` when declared `NOT NULL` or part of a primary key.
    pub nullable: bool,
    /// The default expression as SQL text, when one is declared (server side).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The default is computed per row at insert time by the application (Python `default=`),
    /// so the database itself has none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub client_default: bool,
    /// `AUTO_INCREMENT`, `SERIAL`, `AUTOINCREMENT`, identity.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_increment: bool,
    /// Declared `PRIMARY KEY` inline.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub primary_key: bool,
    /// Declared `UNIQUE` inline.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// A generated (computed) column.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated: bool,
    /// `CHARACTER SET` and `COLLATE` as declared on the column, lower case (`collate
    /// utf8mb4_bin`); `None` when the column takes its table's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

impl ColumnDef {
    /// A nullable column with no default, no flags.
    pub fn new(name: impl Into<String>, ty: Option<SqlType>) -> ColumnDef {
        ColumnDef {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            client_default: false,
            auto_increment: false,
            primary_key: false,
            unique: false,
            generated: false,
            collation: None,
        }
    }

    /// Whether an `INSERT` that does not name this column still succeeds.
    pub fn fills_itself(&self) -> bool {
        self.nullable || self.default.is_some() || self.auto_increment || self.generated
    }
}

/// The kind of a table constraint.
///
/// ```
/// use balrog_schema_lint::ConstraintKind;
///
/// let fk = ConstraintKind::foreign_key("releases");
/// assert_eq!(serde_json::to_value(&fk).unwrap()["type"], "foreign-key");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum ConstraintKind {
    /// `PRIMARY KEY (cols)`.
    PrimaryKey,
    /// `UNIQUE (cols)`.
    Unique,
    /// `FOREIGN KEY (cols) REFERENCES table (referenced_columns) ON DELETE ...`.
    ForeignKey {
        /// The referenced table.
        references: String,
        /// The referenced columns; empty when not written (the referenced table's primary
        /// key).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        referenced_columns: Vec<String>,
        /// `ON DELETE`, `ON UPDATE` and deferrability.
        #[serde(default, skip_serializing_if = "ForeignKeyActions::is_default")]
        actions: ForeignKeyActions,
    },
    /// `CHECK (expr)`.
    Check {
        /// The check expression as SQL text.
        expr: String,
    },
}

impl ConstraintKind {
    /// A foreign key to `references` (its primary key), with the default actions.
    pub fn foreign_key(references: impl Into<String>) -> ConstraintKind {
        ConstraintKind::ForeignKey {
            references: references.into(),
            referenced_columns: Vec::new(),
            actions: ForeignKeyActions::default(),
        }
    }
}

/// A named or unnamed table constraint.
///
/// ```
/// use balrog_schema_lint::{Constraint, ConstraintKind};
///
/// let unique = Constraint {
///     name: Some("rules_alias_key".into()),
///     kind: ConstraintKind::Unique,
///     columns: vec!["alias".into()],
///     not_valid: false,
/// };
/// let json = serde_json::to_value(&unique).unwrap();
/// assert_eq!(json["type"], "unique");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Constraint {
    /// The constraint name, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it constrains.
    #[serde(flatten)]
    pub kind: ConstraintKind,
    /// The constrained columns.
    pub columns: Vec<String>,
    /// PostgreSQL `NOT VALID`: existing rows are not checked now.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

/// The kind of row change a data statement makes.
///
/// ```
/// use balrog_schema_lint::DataChangeKind;
///
/// assert_eq!(serde_json::to_value(DataChangeKind::Delete).unwrap(), "delete");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataChangeKind {
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE` (or `TRUNCATE`).
    Delete,
}

/// What a schema operation does, with the objects it names.
///
/// Matched exhaustively everywhere, so that a new variant is seen by every stage.
///
/// ```
/// use balrog_schema_lint::OpKind;
///
/// let drop = OpKind::DropColumn { table: "rules".into(), column: "legacy_flag".into() };
/// assert_eq!(drop.table(), Some("rules"));
/// assert_eq!(drop.column(), Some("legacy_flag"));
/// assert!(drop.describe().contains("legacy_flag"));
/// assert_eq!(serde_json::to_value(&drop).unwrap()["kind"], "drop-column");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum OpKind {
    /// `CREATE TABLE`.
    CreateTable {
        /// Table name.
        table: String,
        /// Declared columns.
        columns: Vec<ColumnDef>,
        /// Table-level constraints.
        constraints: Vec<Constraint>,
        /// `IF NOT EXISTS` was given.
        if_not_exists: bool,
    },
    /// `DROP TABLE`.
    DropTable {
        /// Table name.
        table: String,
    },
    /// `ALTER TABLE .. RENAME TO` / `RENAME TABLE`.
    RenameTable {
        /// Old name.
        table: String,
        /// New name.
        new_name: String,
    },
    /// `CREATE VIEW`.
    CreateView {
        /// View name.
        view: String,
        /// `CREATE OR REPLACE`.
        or_replace: bool,
    },
    /// `DROP VIEW`.
    DropView {
        /// View name.
        view: String,
    },
    /// `ADD COLUMN`.
    AddColumn {
        /// Table name.
        table: String,
        /// The new column.
        column: ColumnDef,
    },
    /// `DROP COLUMN`.
    DropColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// `RENAME COLUMN`.
    RenameColumn {
        /// Table name.
        table: String,
        /// Old column name.
        column: String,
        /// New column name.
        new_name: String,
    },
    /// `ALTER COLUMN .. TYPE`.
    AlterColumnType {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The new type.
        new_type: SqlType,
    },
    /// MySQL `MODIFY` / `CHANGE COLUMN`: the whole column is restated, so what changed is
    /// only known against the previous definition.
    RedefineColumn {
        /// Table name.
        table: String,
        /// Column name before the statement.
        column: String,
        /// The full new definition (its name differs from `column` on a rename).
        definition: ColumnDef,
        /// `FIRST` / `AFTER x` was given (column reorder).
        reorders: bool,
    },
    /// `ALTER COLUMN .. SET NOT NULL`.
    SetNotNull {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN .. DROP NOT NULL`.
    DropNotNull {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN .. SET DEFAULT`.
    SetDefault {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The default expression as SQL text.
        default: String,
    },
    /// `ALTER COLUMN .. DROP DEFAULT`.
    DropDefault {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// Index name, when given.
        name: Option<String>,
        /// Indexed table.
        table: String,
        /// Indexed columns (or expressions as text).
        columns: Vec<String>,
        /// `UNIQUE`.
        unique: bool,
        /// PostgreSQL `CONCURRENTLY`.
        concurrently: bool,
        /// A partial index (`WHERE`).
        partial: bool,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// Index name.
        name: String,
        /// The table, where the statement names it (MySQL).
        table: Option<String>,
        /// PostgreSQL `CONCURRENTLY`.
        concurrently: bool,
    },
    /// `ADD CONSTRAINT` (primary key, unique, foreign key, check).
    AddConstraint {
        /// Table name.
        table: String,
        /// The constraint.
        constraint: Constraint,
    },
    /// `DROP CONSTRAINT` / `DROP FOREIGN KEY` / `DROP PRIMARY KEY`.
    DropConstraint {
        /// Table name.
        table: String,
        /// Constraint name (`PRIMARY` for a primary key).
        name: String,
    },
    /// `CREATE TYPE .. AS ENUM` and similar named types.
    CreateType {
        /// Type name.
        name: String,
        /// Enum members, when it is an enum.
        values: Vec<String>,
    },
    /// `DROP TYPE`.
    DropType {
        /// Type name.
        name: String,
    },
    /// `CREATE SEQUENCE`.
    CreateSequence {
        /// Sequence name.
        name: String,
    },
    /// `DROP SEQUENCE`.
    DropSequence {
        /// Sequence name.
        name: String,
    },
    /// `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`.
    DataChange {
        /// Which kind of row change.
        change: DataChangeKind,
        /// The table changed.
        table: String,
        /// A `WHERE` clause limits the rows (always true for `INSERT`).
        filtered: bool,
    },
    /// Statements with no schema effect: transaction control, `SET`, `SELECT`, comments.
    NoEffect {
        /// What it was, e.g. `BEGIN`.
        what: String,
    },
    /// A statement the tool read but does not model (function, trigger, procedure, grant...).
    /// Never safe by default: it needs review.
    Unsupported {
        /// What it was, e.g. `CREATE FUNCTION`.
        what: String,
        /// The table it touches, when known.
        table: Option<String>,
    },
    /// Source the tool could not read at all: a statement the SQL parser rejected, a Python
    /// expression it could not resolve.
    Unreadable {
        /// Why it could not be read.
        error: String,
    },
    /// `CREATE [OR REPLACE] FUNCTION` / `PROCEDURE`.
    CreateRoutine {
        /// Routine name.
        name: String,
        /// A procedure (called with `CALL`) rather than a function.
        procedure: bool,
        /// Argument types in order, lower case (`OUT` arguments are not part of it).
        args: Vec<String>,
        /// The return type, lower case, when declared.
        returns: Option<String>,
        /// Everything after the signature (language, attributes, body), one trimmed line per
        /// source line: two routines with the same body text are the same routine.
        body: String,
        /// `CREATE OR REPLACE`.
        or_replace: bool,
    },
    /// `DROP FUNCTION` / `DROP PROCEDURE`.
    DropRoutine {
        /// Routine name.
        name: String,
        /// A procedure.
        procedure: bool,
        /// Argument types when the statement lists them; `None` for a bare name.
        args: Option<Vec<String>>,
    },
    /// `ALTER FUNCTION` / `ALTER PROCEDURE`: a rename, or a change of owner or attributes.
    AlterRoutine {
        /// Routine name.
        name: String,
        /// A procedure.
        procedure: bool,
        /// Argument types when the statement lists them.
        args: Option<Vec<String>>,
        /// The new name, for `RENAME TO` and `SET SCHEMA`.
        new_name: Option<String>,
        /// What else it changes, e.g. `owner to app`, `set search_path = public`.
        action: String,
    },
    /// `CREATE [OR REPLACE] TRIGGER`.
    CreateTrigger {
        /// Trigger name.
        name: String,
        /// The table it fires on.
        table: String,
        /// Timing, events, level, condition and action as written (lower case outside
        /// strings, one trimmed line per source line of a body).
        definition: String,
        /// `CREATE OR REPLACE`.
        or_replace: bool,
    },
    /// `DROP TRIGGER`.
    DropTrigger {
        /// Trigger name.
        name: String,
        /// The table, where the statement names it (PostgreSQL).
        table: Option<String>,
    },
    /// `ALTER TRIGGER .. ON t RENAME TO`.
    RenameTrigger {
        /// Trigger name.
        name: String,
        /// Its table.
        table: String,
        /// The new name.
        new_name: String,
    },
    /// `ALTER TABLE .. ENABLE / DISABLE TRIGGER`.
    SetTriggerEnabled {
        /// The table.
        table: String,
        /// The trigger; `None` for `ALL` or `USER` (every trigger of the table).
        trigger: Option<String>,
        /// `ENABLE` rather than `DISABLE`.
        enabled: bool,
    },
    /// `ALTER TABLE .. ENABLE / DISABLE / FORCE / NO FORCE ROW LEVEL SECURITY`.
    SetRowSecurity {
        /// The table.
        table: String,
        /// `enable`, `disable`, `force` or `no force`.
        setting: String,
    },
    /// `CREATE POLICY`.
    CreatePolicy {
        /// Policy name.
        name: String,
        /// The table.
        table: String,
        /// `AS RESTRICTIVE`: it narrows what permissive policies allow.
        restrictive: bool,
        /// Command, roles, `USING` and `WITH CHECK` as written.
        definition: String,
    },
    /// `ALTER POLICY`: a rename, or new roles or expressions.
    AlterPolicy {
        /// Policy name.
        name: String,
        /// The table.
        table: String,
        /// The new name, for `RENAME TO`.
        new_name: Option<String>,
        /// The new roles and expressions as written; `None` for a rename.
        definition: Option<String>,
    },
    /// `DROP POLICY`.
    DropPolicy {
        /// Policy name.
        name: String,
        /// The table.
        table: String,
    },
    /// `GRANT` / `REVOKE` of privileges on objects.
    Grant {
        /// `REVOKE` rather than `GRANT`.
        revoke: bool,
        /// Privileges in upper case; `ALL` for all of them.
        privileges: Vec<String>,
        /// What kind of object: `table`, `sequence`, `function`, `schema`, ...
        object_kind: String,
        /// The objects (a function with its argument types).
        objects: Vec<String>,
        /// Roles or users, lower case; `public` for everyone.
        grantees: Vec<String>,
    },
    /// `COMMENT ON`.
    Comment {
        /// What kind of object: `table`, `column`, `view`, ...
        object_kind: String,
        /// The object (`table.column` for a column).
        object: String,
        /// The text; `None` for `IS NULL`, which removes it.
        text: Option<String>,
    },
    /// `ALTER TYPE .. ADD VALUE` (PostgreSQL enum).
    AddEnumValue {
        /// Enum type name.
        name: String,
        /// The new label.
        value: String,
        /// `BEFORE label`, when given.
        before: Option<String>,
        /// `AFTER label`, when given.
        after: Option<String>,
    },
    /// `ALTER TYPE .. RENAME VALUE`.
    RenameEnumValue {
        /// Enum type name.
        name: String,
        /// The label before.
        value: String,
        /// The label after.
        new_value: String,
    },
    /// `ALTER TYPE .. RENAME TO`.
    RenameType {
        /// Old type name.
        name: String,
        /// New type name.
        new_name: String,
    },
    /// `CREATE TYPE .. AS (attributes)`: a composite type.
    CreateCompositeType {
        /// Type name.
        name: String,
        /// Attributes in order.
        attributes: Vec<ColumnDef>,
    },
    /// `ALTER TYPE .. ADD ATTRIBUTE`.
    AddAttribute {
        /// Composite type name.
        name: String,
        /// The new attribute.
        attribute: ColumnDef,
    },
    /// `ALTER TYPE .. DROP ATTRIBUTE`.
    DropAttribute {
        /// Composite type name.
        name: String,
        /// The attribute dropped.
        attribute: String,
    },
    /// `CREATE DOMAIN`.
    CreateDomain {
        /// Domain name.
        name: String,
        /// The underlying type.
        base: Option<SqlType>,
        /// `false` with `NOT NULL`.
        nullable: bool,
        /// The default expression as SQL text.
        default: Option<String>,
        /// `CHECK` constraints (kind `check`, no columns).
        checks: Vec<Constraint>,
    },
    /// `DROP DOMAIN`.
    DropDomain {
        /// Domain name.
        name: String,
    },
    /// `ALTER DOMAIN .. ADD [CONSTRAINT name] CHECK (..)`.
    AddDomainConstraint {
        /// Domain name.
        name: String,
        /// The check constraint (no columns).
        constraint: Constraint,
    },
    /// `ALTER DOMAIN .. DROP CONSTRAINT`.
    DropDomainConstraint {
        /// Domain name.
        name: String,
        /// Constraint name.
        constraint: String,
    },
    /// `ALTER DOMAIN .. SET NOT NULL` / `DROP NOT NULL`.
    SetDomainNotNull {
        /// Domain name.
        name: String,
        /// `true` for `SET NOT NULL`.
        not_null: bool,
    },
    /// `ALTER DOMAIN .. SET DEFAULT` / `DROP DEFAULT`.
    SetDomainDefault {
        /// Domain name.
        name: String,
        /// The new default; `None` for `DROP DEFAULT`.
        default: Option<String>,
    },
    /// `CREATE SCHEMA`.
    CreateSchema {
        /// Schema name.
        name: String,
    },
    /// `DROP SCHEMA`.
    DropSchema {
        /// Schema name.
        name: String,
    },
    /// `CREATE EXTENSION`.
    CreateExtension {
        /// Extension name.
        name: String,
    },
    /// `DROP EXTENSION`.
    DropExtension {
        /// Extension name.
        name: String,
    },
    /// `CREATE TABLE .. PARTITION BY`: the table just created is partitioned.
    PartitionBy {
        /// The partitioned table.
        table: String,
        /// The partition key as written, e.g. `RANGE (created)`.
        key: String,
    },
    /// `CREATE TABLE .. PARTITION OF parent FOR VALUES ..`.
    CreatePartition {
        /// The new partition.
        table: String,
        /// The partitioned table.
        parent: String,
        /// The bound as written, e.g. `FOR VALUES FROM (1) TO (10)` or `DEFAULT`.
        bound: String,
    },
    /// `ALTER TABLE parent ATTACH PARTITION table ..`.
    AttachPartition {
        /// The partitioned table.
        table: String,
        /// The table attached.
        partition: String,
        /// The bound as written.
        bound: String,
    },
    /// `ALTER TABLE parent DETACH PARTITION table [CONCURRENTLY]`.
    DetachPartition {
        /// The partitioned table.
        table: String,
        /// The table detached.
        partition: String,
        /// PostgreSQL 14's `CONCURRENTLY` (or `FINALIZE`, which completes one): the parent
        /// is not locked against reads and writes.
        concurrently: bool,
    },
    /// `CREATE TABLE .. AS SELECT` / `SELECT .. INTO`: a table whose columns come from a
    /// query.
    CreateTableAs {
        /// Table name.
        table: String,
        /// Output column names in order (`*` for every column of `sources`' table).
        columns: Vec<String>,
        /// Where each column comes from: `table.column`, or empty for an expression.
        sources: Vec<String>,
    },
    /// `ALTER TABLE .. RENAME CONSTRAINT`.
    RenameConstraint {
        /// Table name.
        table: String,
        /// Old constraint name.
        name: String,
        /// New constraint name.
        new_name: String,
    },
    /// `ALTER TABLE .. VALIDATE CONSTRAINT`.
    ValidateConstraint {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
    },
    /// `ALTER INDEX .. RENAME TO` / MySQL `ALTER TABLE .. RENAME INDEX`.
    RenameIndex {
        /// Old index name.
        name: String,
        /// New index name.
        new_name: String,
        /// The table, where the statement names it (MySQL).
        table: Option<String>,
    },
    /// `CREATE TEMPORARY TABLE`: lives for one session, not part of the schema.
    CreateTemporaryTable {
        /// Table name.
        table: String,
    },
    /// `ALTER COLUMN .. ADD GENERATED .. AS IDENTITY` / `DROP IDENTITY`.
    SetIdentity {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// `true` when identity is added.
        identity: bool,
    },
    /// `CREATE` of an object known by kind and name only (a role, tablespace, collation,
    /// rule, ...).
    CreateObject {
        /// What kind of object.
        object: ObjectKind,
        /// Its name (a cast: `source AS target`; a rule or user mapping: with `ON x`).
        name: String,
        /// The table it belongs to (a rule), when it has one.
        table: Option<String>,
    },
    /// `DROP` of an object known by kind and name only.
    DropObject {
        /// What kind of object.
        object: ObjectKind,
        /// Its name.
        name: String,
        /// The table it belongs to (a rule), when it has one.
        table: Option<String>,
    },
    /// A change to a named object of any kind: a rename, a new owner or schema, settings.
    AlterObject {
        /// What kind of object.
        object: ObjectKind,
        /// Its name.
        name: String,
        /// What changes.
        change: ObjectChange,
    },
    /// `CREATE TABLE t LIKE source` / `CREATE TABLE t (LIKE source INCLUDING ..)`: a new
    /// table with the columns of another.
    CreateTableLike {
        /// The new table.
        table: String,
        /// The table whose definition is copied.
        source: String,
        /// What is copied beside column names, types and `NOT NULL`, lower case: `all`,
        /// `defaults`, `constraints`, `indexes`, ... (MySQL copies everything but foreign
        /// keys: `all`).
        including: Vec<String>,
    },
    /// `ALTER TABLE .. ALTER CONSTRAINT name [NOT] DEFERRABLE [INITIALLY ..]`: when a
    /// foreign key is checked.
    AlterConstraint {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
        /// `DEFERRABLE` / `NOT DEFERRABLE`, when written.
        deferrable: Option<bool>,
        /// `INITIALLY DEFERRED` (`true`) / `INITIALLY IMMEDIATE` (`false`), when written.
        initially_deferred: Option<bool>,
    },
    /// `DROP DATABASE` (MySQL's `DROP SCHEMA` is read as [`OpKind::DropSchema`]).
    DropDatabase {
        /// Database name.
        name: String,
    },
    /// Maintenance that changes no definition but rebuilds storage under a lock:
    /// `REINDEX`, `CLUSTER`, `VACUUM FULL` (plain `VACUUM` and `ANALYZE` are
    /// [`OpKind::NoEffect`]).
    Maintenance {
        /// Which statement.
        command: MaintenanceCommand,
        /// The table it names, when it names one.
        table: Option<String>,
        /// The index it names (`REINDEX INDEX i`, `CLUSTER t USING i`), when it names one.
        index: Option<String>,
        /// PostgreSQL 12's `REINDEX ... CONCURRENTLY`: writes go on while the index is
        /// rebuilt (always false for the others).
        concurrently: bool,
    },
}

/// The maintenance statements that rebuild storage.
///
/// ```
/// use balrog_schema_lint::{MaintenanceCommand, OpKind};
///
/// let vacuum = OpKind::Maintenance {
///     command: MaintenanceCommand::VacuumFull,
///     table: Some("releases_history".into()),
///     index: None,
///     concurrently: false,
/// };
/// assert_eq!(vacuum.describe(), "vacuum full releases_history");
/// assert_eq!(serde_json::to_value(&vacuum).unwrap()["command"], "vacuum-full");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaintenanceCommand {
    /// `REINDEX`; a whole schema, database or the system catalogs when it names neither a
    /// table nor an index.
    Reindex,
    /// `CLUSTER`: rewrites the table in index order (every clustered table when it names
    /// none).
    Cluster,
    /// `VACUUM FULL`: rewrites the table compactly (every table when it names none).
    VacuumFull,
}

impl MaintenanceCommand {
    /// The statement as written.
    ///
    /// ```
    /// use balrog_schema_lint::MaintenanceCommand;
    ///
    /// assert_eq!(MaintenanceCommand::VacuumFull.statement(), "VACUUM FULL");
    /// ```
    pub fn statement(self) -> &'static str {
        match self {
            MaintenanceCommand::Reindex => "REINDEX",
            MaintenanceCommand::Cluster => "CLUSTER",
            MaintenanceCommand::VacuumFull => "VACUUM FULL",
        }
    }
}

impl OpKind {
    /// The table (or view, type, sequence) this operation is about, when it names one.
    pub fn table(&self) -> Option<&str> {
        match self {
            OpKind::CreateTable { table, .. }
            | OpKind::DropTable { table }
            | OpKind::RenameTable { table, .. }
            | OpKind::AddColumn { table, .. }
            | OpKind::DropColumn { table, .. }
            | OpKind::RenameColumn { table, .. }
            | OpKind::AlterColumnType { table, .. }
            | OpKind::RedefineColumn { table, .. }
            | OpKind::SetNotNull { table, .. }
            | OpKind::DropNotNull { table, .. }
            | OpKind::SetDefault { table, .. }
            | OpKind::DropDefault { table, .. }
            | OpKind::CreateIndex { table, .. }
            | OpKind::AddConstraint { table, .. }
            | OpKind::DropConstraint { table, .. }
            | OpKind::DataChange { table, .. } => Some(table),
            OpKind::CreateView { view, .. } | OpKind::DropView { view } => Some(view),
            OpKind::DropIndex { table, .. } | OpKind::Unsupported { table, .. } => table.as_deref(),
            OpKind::CreateType { name, .. }
            | OpKind::DropType { name }
            | OpKind::CreateSequence { name }
            | OpKind::DropSequence { name } => Some(name),
            OpKind::AddEnumValue { name, .. }
            | OpKind::RenameEnumValue { name, .. }
            | OpKind::RenameType { name, .. }
            | OpKind::CreateCompositeType { name, .. }
            | OpKind::AddAttribute { name, .. }
            | OpKind::DropAttribute { name, .. }
            | OpKind::CreateDomain { name, .. }
            | OpKind::DropDomain { name }
            | OpKind::AddDomainConstraint { name, .. }
            | OpKind::DropDomainConstraint { name, .. }
            | OpKind::SetDomainNotNull { name, .. }
            | OpKind::SetDomainDefault { name, .. }
            | OpKind::CreateSchema { name }
            | OpKind::DropSchema { name }
            | OpKind::CreateExtension { name }
            | OpKind::DropExtension { name } => Some(name),
            OpKind::PartitionBy { table, .. }
            | OpKind::CreatePartition { table, .. }
            | OpKind::AttachPartition { table, .. }
            | OpKind::DetachPartition { table, .. }
            | OpKind::CreateTableAs { table, .. }
            | OpKind::RenameConstraint { table, .. }
            | OpKind::ValidateConstraint { table, .. }
            | OpKind::CreateTemporaryTable { table }
            | OpKind::SetIdentity { table, .. } => Some(table),
            OpKind::RenameIndex { table, .. } | OpKind::Maintenance { table, .. } => {
                table.as_deref()
            }
            OpKind::AlterConstraint { table, .. } | OpKind::CreateTableLike { table, .. } => {
                Some(table)
            }
            OpKind::CreateObject { table, .. } | OpKind::DropObject { table, .. } => {
                table.as_deref()
            }
            OpKind::AlterObject {
                object: ObjectKind::Table,
                name,
                ..
            } => Some(name),
            OpKind::AlterObject { .. } => None,
            OpKind::NoEffect { .. } | OpKind::Unreadable { .. } | OpKind::DropDatabase { .. } => {
                None
            }
            OpKind::CreateTrigger { table, .. }
            | OpKind::RenameTrigger { table, .. }
            | OpKind::SetTriggerEnabled { table, .. }
            | OpKind::SetRowSecurity { table, .. }
            | OpKind::CreatePolicy { table, .. }
            | OpKind::AlterPolicy { table, .. }
            | OpKind::DropPolicy { table, .. } => Some(table),
            OpKind::DropTrigger { table, .. } => table.as_deref(),
            OpKind::CreateRoutine { .. }
            | OpKind::DropRoutine { .. }
            | OpKind::AlterRoutine { .. }
            | OpKind::Grant { .. }
            | OpKind::Comment { .. } => None,
        }
    }

    /// The column this operation is about, when it names one.
    pub fn column(&self) -> Option<&str> {
        match self {
            OpKind::AddColumn { column, .. } => Some(&column.name),
            OpKind::DropColumn { column, .. }
            | OpKind::RenameColumn { column, .. }
            | OpKind::AlterColumnType { column, .. }
            | OpKind::RedefineColumn { column, .. }
            | OpKind::SetNotNull { column, .. }
            | OpKind::DropNotNull { column, .. }
            | OpKind::SetDefault { column, .. }
            | OpKind::DropDefault { column, .. }
            | OpKind::SetIdentity { column, .. } => Some(column),
            OpKind::CreateTable { .. }
            | OpKind::DropTable { .. }
            | OpKind::RenameTable { .. }
            | OpKind::CreateView { .. }
            | OpKind::DropView { .. }
            | OpKind::CreateIndex { .. }
            | OpKind::DropIndex { .. }
            | OpKind::AddConstraint { .. }
            | OpKind::DropConstraint { .. }
            | OpKind::CreateType { .. }
            | OpKind::DropType { .. }
            | OpKind::CreateSequence { .. }
            | OpKind::DropSequence { .. }
            | OpKind::DataChange { .. }
            | OpKind::NoEffect { .. }
            | OpKind::Unsupported { .. }
            | OpKind::Unreadable { .. }
            | OpKind::CreateRoutine { .. }
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
            | OpKind::Comment { .. }
            | OpKind::AddEnumValue { .. }
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
            | OpKind::DropDatabase { .. }
            | OpKind::Maintenance { .. }
            | OpKind::CreateObject { .. }
            | OpKind::DropObject { .. }
            | OpKind::AlterObject { .. }
            | OpKind::AlterConstraint { .. }
            | OpKind::CreateTableLike { .. } => None,
        }
    }

    /// A short human description, e.g. `drop column rules.legacy_flag`.
    pub fn describe(&self) -> String {
        match self {
            OpKind::CreateTable { table, .. } => format!("create table {table}"),
            OpKind::DropTable { table } => format!("drop table {table}"),
            OpKind::RenameTable { table, new_name } => {
                format!("rename table {table} to {new_name}")
            }
            OpKind::CreateView { view, .. } => format!("create view {view}"),
            OpKind::DropView { view } => format!("drop view {view}"),
            OpKind::AddColumn { table, column } => {
                let ty = column
                    .ty
                    .as_ref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default();
                let null = if column.nullable { "" } else { " NOT NULL" };
                let default = match &column.default {
                    Some(d) => format!(" DEFAULT {d}"),
                    None => String::new(),
                };
                format!("add column {table}.{}{ty}{null}{default}", column.name)
            }
            OpKind::DropColumn { table, column } => format!("drop column {table}.{column}"),
            OpKind::RenameColumn {
                table,
                column,
                new_name,
            } => format!("rename column {table}.{column} to {new_name}"),
            OpKind::AlterColumnType {
                table,
                column,
                new_type,
            } => format!("change type of {table}.{column} to {new_type}"),
            OpKind::RedefineColumn {
                table,
                column,
                definition,
                ..
            } => {
                let ty = definition
                    .ty
                    .as_ref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default();
                let null = if definition.nullable { "" } else { " NOT NULL" };
                let inc = if definition.auto_increment {
                    " AUTO_INCREMENT"
                } else {
                    ""
                };
                if definition.name != *column {
                    format!(
                        "redefine column {table}.{column} as {}{ty}{null}{inc}",
                        definition.name
                    )
                } else {
                    format!("redefine column {table}.{column}{ty}{null}{inc}")
                }
            }
            OpKind::SetNotNull { table, column } => format!("set NOT NULL on {table}.{column}"),
            OpKind::DropNotNull { table, column } => {
                format!("drop NOT NULL on {table}.{column}")
            }
            OpKind::SetDefault { table, column, .. } => {
                format!("set default on {table}.{column}")
            }
            OpKind::DropDefault { table, column } => format!("drop default on {table}.{column}"),
            OpKind::CreateIndex {
                name,
                table,
                columns,
                unique,
                ..
            } => {
                let unique = if *unique { "unique " } else { "" };
                let name = name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
                format!(
                    "create {unique}index{name} on {table}({})",
                    columns.join(", ")
                )
            }
            OpKind::DropIndex { name, table, .. } => match table {
                Some(table) => format!("drop index {name} on {table}"),
                None => format!("drop index {name}"),
            },
            OpKind::AddConstraint { table, constraint } => {
                let what = match &constraint.kind {
                    ConstraintKind::PrimaryKey => "primary key",
                    ConstraintKind::Unique => "unique constraint",
                    ConstraintKind::ForeignKey { .. } => "foreign key",
                    ConstraintKind::Check { .. } => "check constraint",
                };
                format!("add {what} on {table}({})", constraint.columns.join(", "))
            }
            OpKind::DropConstraint { table, name } => {
                format!("drop constraint {name} on {table}")
            }
            OpKind::CreateType { name, .. } => format!("create type {name}"),
            OpKind::DropType { name } => format!("drop type {name}"),
            OpKind::CreateSequence { name } => format!("create sequence {name}"),
            OpKind::DropSequence { name } => format!("drop sequence {name}"),
            OpKind::DataChange {
                change,
                table,
                filtered,
            } => {
                let verb = match change {
                    DataChangeKind::Insert => "insert into",
                    DataChangeKind::Update => "update",
                    DataChangeKind::Delete => "delete from",
                };
                let all = if !filtered && *change != DataChangeKind::Insert {
                    " (every row)"
                } else {
                    ""
                };
                format!("{verb} {table}{all}")
            }
            OpKind::NoEffect { what } => what.to_ascii_lowercase(),
            OpKind::Unsupported { what, table } => match table {
                Some(table) => format!("{} on {table} (not modelled)", what.to_ascii_lowercase()),
                None => format!("{} (not modelled)", what.to_ascii_lowercase()),
            },
            OpKind::Unreadable { .. } => "unreadable statement".to_string(),
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
            | OpKind::Comment { .. } => super::programs::describe(self),
            OpKind::AddEnumValue {
                name,
                value,
                before,
                after,
            } => {
                let place = match (before, after) {
                    (Some(b), _) => format!(" before '{b}'"),
                    (None, Some(a)) => format!(" after '{a}'"),
                    (None, None) => String::new(),
                };
                format!("add value '{value}' to enum {name}{place}")
            }
            OpKind::RenameEnumValue {
                name,
                value,
                new_value,
            } => format!("rename value '{value}' of enum {name} to '{new_value}'"),
            OpKind::RenameType { name, new_name } => format!("rename type {name} to {new_name}"),
            OpKind::CreateCompositeType { name, .. } => format!("create composite type {name}"),
            OpKind::AddAttribute { name, attribute } => {
                format!("add attribute {}.{}", name, attribute.name)
            }
            OpKind::DropAttribute { name, attribute } => {
                format!("drop attribute {name}.{attribute}")
            }
            OpKind::CreateDomain { name, .. } => format!("create domain {name}"),
            OpKind::DropDomain { name } => format!("drop domain {name}"),
            OpKind::AddDomainConstraint { name, constraint } => match &constraint.name {
                Some(c) => format!("add constraint {c} to domain {name}"),
                None => format!("add check constraint to domain {name}"),
            },
            OpKind::DropDomainConstraint { name, constraint } => {
                format!("drop constraint {constraint} of domain {name}")
            }
            OpKind::SetDomainNotNull { name, not_null } => {
                let verb = if *not_null { "set" } else { "drop" };
                format!("{verb} NOT NULL on domain {name}")
            }
            OpKind::SetDomainDefault { name, default } => match default {
                Some(_) => format!("set default on domain {name}"),
                None => format!("drop default on domain {name}"),
            },
            OpKind::CreateSchema { name } => format!("create schema {name}"),
            OpKind::DropSchema { name } => format!("drop schema {name}"),
            OpKind::CreateExtension { name } => format!("create extension {name}"),
            OpKind::DropExtension { name } => format!("drop extension {name}"),
            OpKind::PartitionBy { table, key } => format!("partition {table} by {key}"),
            OpKind::CreatePartition { table, parent, .. } => {
                format!("create partition {table} of {parent}")
            }
            OpKind::AttachPartition {
                table, partition, ..
            } => format!("attach partition {partition} to {table}"),
            OpKind::DetachPartition {
                table,
                partition,
                concurrently,
            } => {
                let how = if *concurrently { " concurrently" } else { "" };
                format!("detach partition {partition} from {table}{how}")
            }
            OpKind::CreateTableAs { table, .. } => format!("create table {table} from a query"),
            OpKind::RenameConstraint {
                table,
                name,
                new_name,
            } => format!("rename constraint {name} on {table} to {new_name}"),
            OpKind::ValidateConstraint { table, name } => {
                format!("validate constraint {name} on {table}")
            }
            OpKind::RenameIndex { name, new_name, .. } => {
                format!("rename index {name} to {new_name}")
            }
            OpKind::CreateTemporaryTable { table } => {
                format!("create temporary table {table} (not schema)")
            }
            OpKind::SetIdentity {
                table,
                column,
                identity,
            } => {
                let verb = if *identity { "add" } else { "drop" };
                format!("{verb} identity on {table}.{column}")
            }
            OpKind::DropDatabase { name } => format!("drop database {name}"),
            OpKind::Maintenance {
                command,
                table,
                index,
                concurrently,
            } => {
                let how = if *concurrently { " concurrently" } else { "" };
                let statement = format!("{}{how}", command.statement().to_ascii_lowercase());
                match (table, index) {
                    (Some(table), Some(index)) => format!("{statement} {table} using {index}"),
                    (Some(object), None) | (None, Some(object)) => format!("{statement} {object}"),
                    (None, None) => statement,
                }
            }
            OpKind::CreateObject { .. }
            | OpKind::DropObject { .. }
            | OpKind::AlterObject { .. }
            | OpKind::AlterConstraint { .. } => super::named::describe(self),
            OpKind::CreateTableLike { table, source, .. } => {
                format!("create table {table} like {source}")
            }
        }
    }
}

/// One operation read from a migration, at a line of its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Operation {
    /// 1-based line of the statement (or Python call) in the migration file.
    pub line: u32,
    /// What it does.
    #[serde(flatten)]
    pub kind: OpKind,
    /// The statement's source text, trimmed; used in messages and diffs.
    #[serde(skip)]
    pub source: String,
}

impl Operation {
    /// Whether the statement says `IF EXISTS` (or, in Python, `if_exists=True`) for what it
    /// drops. Read from the source text, within its first words, because the readers keep
    /// no such flag; only meaningful for drops.
    pub fn if_exists(&self) -> bool {
        let head: String = self.source.chars().take(200).collect::<String>();
        let upper = head.to_ascii_uppercase();
        let words: Vec<&str> = upper
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .take(8)
            .collect();
        words.windows(2).any(|w| w == ["IF", "EXISTS"])
            || upper.replace(' ', "").contains("IF_EXISTS=TRUE")
    }
}

impl Operation {
    /// The index a PostgreSQL `ADD PRIMARY KEY USING INDEX i` or `ADD CONSTRAINT c UNIQUE
    /// USING INDEX i` takes over, unquoted. Read from the source text: the constraint the
    /// readers lower carries no columns, because they are the index's.
    ///
    /// ```
    /// use balrog_schema_lint::model::ops::{OpKind, Operation};
    ///
    /// let op = Operation {
    ///     line: 1,
    ///     kind: OpKind::NoEffect { what: "example".into() },
    ///     source: "ALTER TABLE t ADD PRIMARY KEY USING INDEX \"T_id\";".into(),
    /// };
    /// assert_eq!(op.using_index().as_deref(), Some("T_id"));
    /// ```
    pub fn using_index(&self) -> Option<String> {
        let words: Vec<&str> = self
            .source
            .split(|c: char| c.is_whitespace() || c == ';' || c == ',' || c == '(' || c == ')')
            .filter(|w| !w.is_empty())
            .collect();
        words.windows(3).find_map(|w| {
            let keywords =
                w[0].eq_ignore_ascii_case("USING") && w[1].eq_ignore_ascii_case("INDEX");
            keywords.then(|| w[2].trim_matches('"').to_string())
        })
    }
}

/// Everything read from one migration file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedMigration {
    /// Operations in execution order.
    pub operations: Vec<Operation>,
    /// Inline suppressions found in the file's comments.
    pub suppressions: Vec<Suppression>,
    /// Alembic `revision` identifier, for revision files.
    pub revision: Option<String>,
    /// Alembic `down_revision` identifiers (several for a merge, none for a root); Django
    /// `dependencies` as `app.name`.
    pub down_revisions: Vec<String>,
    /// Django `run_before`: migrations (`app.name`) that must run after this one.
    pub run_before: Vec<String>,
}

/// An inline `balrog-schema-lint: allow RULE -- reason` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: u32,
    /// Rule names it allows.
    pub rules: Vec<String>,
    /// The reason given after `--`, if any.
    pub reason: Option<String>,
    /// Applies to the whole file (`allow-file`) rather than the next statement.
    pub file_level: bool,
}

/// `text` without a leading UTF-8 byte-order mark. Editors on Windows write one at the start
/// of a file; it is not part of the first statement, and takes no line.
pub fn without_byte_order_mark(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

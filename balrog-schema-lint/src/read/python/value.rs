//! The values the static reader computes for Python expressions.
//!
//! The reader is a small abstract interpreter: it follows only the parts of Python that
//! migrations use (literals, names, string building, loops over known lists, calls into
//! SQLAlchemy, sqlalchemy-migrate and Alembic). Everything else becomes
//! [`Value::Unknown`], which is reported as unreadable wherever it could change the schema.

use crate::model::ops::{ColumnDef, Constraint, DataChangeKind, SqlType};

/// Index of a table object in [`Objects::tables`].
pub(crate) type TableId = usize;
/// Index of a column object in [`Objects::columns`].
pub(crate) type ColumnId = usize;
/// Index of an index object in [`Objects::indexes`].
pub(crate) type IndexId = usize;
/// Index of a constraint object in [`Objects::constraints`].
pub(crate) type ConstraintId = usize;
/// Index of a user-defined function in the interpreter's function table.
pub(crate) type FuncId = usize;
/// Identity of a `MetaData()` object.
pub(crate) type MetaId = usize;

/// Longest string the reader builds; longer results are unknown, so that string building
/// in a loop cannot exhaust memory.
pub(crate) const MAX_TEXT: usize = 1 << 20;
/// Longest list the reader builds.
pub(crate) const MAX_ITEMS: usize = 100_000;

/// Why the engine name is unknown: the configured dialect is generic. A branch on it runs
/// every arm, so that the worse outcome is judged.
pub(crate) const DIALECT_NOT_KNOWN: &str =
    "the engine name is not known for the generic dialect; configure mysql, postgres or sqlite";
/// Why a value is unknown: it comes from rows read while the migration runs. A branch on it
/// runs every arm.
pub(crate) const FROM_ROW_DATA: &str = "it depends on rows read while the migration runs";
/// How the reason for a call into the application's own code ends.
pub(crate) const OUTSIDE_CALL: &str = "(imported from outside the migration)";
/// The text a row value stands for inside SQL built by the script; statements that use it
/// anywhere but in data are unreadable.
pub(crate) const ROW_VALUE_TEXT: &str = "__row_value__";

/// A value the reader could not work out, with the reason in words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unknown {
    /// Why, e.g. "cannot resolve name `bigintType`".
    pub reason: String,
    /// Already turned into an `Unreadable` operation; not to be reported again.
    pub reported: bool,
}

/// A Python value as far as the reader can tell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// `str`.
    Str(String),
    /// `int`.
    Int(i64),
    /// `bool`.
    Bool(bool),
    /// `None`.
    None,
    /// `list` or `tuple`.
    List(Vec<Value>),
    /// An imported module or name, as its dotted path (`sqlalchemy.String`).
    Sym(String),
    /// Something with no schema effect (logging, `print`, ...): calls on it do nothing.
    Noise,
    /// The engine or connection: `migrate_engine`, `conn`, `op.get_bind()`.
    Engine,
    /// `engine.dialect`.
    EngineDialect,
    /// A `MetaData()` object.
    MetaData(MetaId),
    /// A `Table(...)` object.
    Table(TableId),
    /// `table.c` / `table.columns`.
    TableColumns(TableId),
    /// A `Column(...)` object.
    Column(ColumnId),
    /// A column of a table known only by name (`existing_table.c.name`).
    ColumnRef {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A SQLAlchemy type, instantiated or not; `None` for a type the reader does not know.
    Type(Option<SqlType>),
    /// An `Index(...)` object.
    Index(IndexId),
    /// A constraint object (`UniqueConstraint(...)` and friends).
    Constraint(ConstraintId),
    /// `ForeignKey("table.column", ondelete=...)`, as the constraint it makes.
    ForeignKey(crate::model::ops::ConstraintKind),
    /// `text("...")`: SQL given as text.
    SqlText(String),
    /// A SQLAlchemy expression that is not DDL (`select(...)`, `and_(...)`, `func.now()`).
    SqlExpr,
    /// `table.insert()`, `.update()`, `.delete()`, possibly with `.where(...)`.
    DataStmt {
        /// Which change.
        change: DataChangeKind,
        /// The table changed.
        table: String,
        /// A `.where(...)` limits the rows.
        filtered: bool,
    },
    /// A lightweight `table("name", ...)` used for data changes, or the table Alembic's
    /// `op.create_table` returns.
    LightTable(String),
    /// Alembic's `batch_op` inside `with op.batch_alter_table("t") as batch_op:`.
    Batch(String),
    /// A function defined in the migration.
    Func(FuncId),
    /// A Python builtin the reader knows (`len`, `range`, ...).
    Builtin(&'static str),
    /// A `dict`, as its items in insertion order.
    Dict(Vec<(Value, Value)>),
    /// `str(engine.url)` / `engine.url`: the configured dialect's URL scheme.
    EngineUrl(String),
    /// Rows a query returns (`conn.execute(select(...))`, `session.query(Model)`), with the
    /// table they come from when known. Iterating runs the loop body once, on a row value.
    Rows(Option<String>),
    /// A value read from the database at run time: a row, one of its fields, an ORM object,
    /// with its table when known.
    Data(Option<String>),
    /// An ORM session bound to the migration's connection.
    Session,
    /// Anything else.
    Unknown(Unknown),
}

impl Value {
    /// An unknown value that has not been reported yet.
    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into(),
            reported: false,
        })
    }

    /// An unknown value whose problem has already been reported.
    pub fn reported(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into(),
            reported: true,
        })
    }

    /// A short name of the value's kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "str",
            Value::Int(_) => "int",
            Value::Bool(_) => "bool",
            Value::None => "None",
            Value::List(_) => "list",
            Value::Sym(_) => "imported name",
            Value::Noise => "non-schema object",
            Value::Engine => "engine",
            Value::EngineDialect => "engine dialect",
            Value::MetaData(_) => "MetaData",
            Value::Table(_) => "Table",
            Value::TableColumns(_) => "table columns",
            Value::Column(_) | Value::ColumnRef { .. } => "Column",
            Value::Type(_) => "type",
            Value::Index(_) => "Index",
            Value::Constraint(_) => "constraint",
            Value::ForeignKey(_) => "ForeignKey",
            Value::SqlText(_) => "text()",
            Value::SqlExpr => "SQL expression",
            Value::DataStmt { .. } => "data statement",
            Value::LightTable(_) => "table()",
            Value::Batch(_) => "batch operation",
            Value::Func(_) => "function",
            Value::Builtin(_) => "builtin",
            Value::Dict(_) => "dict",
            Value::EngineUrl(_) => "engine URL",
            Value::Rows(_) => "query result",
            Value::Data(_) => "row value",
            Value::Session => "ORM session",
            Value::Unknown(_) => "unknown value",
        }
    }

    /// Python truthiness, when it can be told.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Value::Str(s) => Some(!s.is_empty()),
            Value::Int(i) => Some(*i != 0),
            Value::Bool(b) => Some(*b),
            Value::None => Some(false),
            Value::List(items) => Some(!items.is_empty()),
            Value::Dict(items) => Some(!items.is_empty()),
            Value::Unknown(_) | Value::Sym(_) | Value::Noise | Value::Data(_) | Value::Rows(_) => {
                None
            }
            _ => Some(true),
        }
    }

    /// The text `str(value)` gives, for values whose text is known.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Bool(true) => Some("True".to_string()),
            Value::Bool(false) => Some("False".to_string()),
            Value::None => Some("None".to_string()),
            Value::EngineUrl(url) => Some(url.clone()),
            Value::Data(_) => Some(ROW_VALUE_TEXT.to_string()),
            _ => None,
        }
    }

    /// Whether an unknown value stands for something that only the database knows at run
    /// time (the engine under the generic dialect, row data): a branch on it is judged by
    /// running every arm rather than reported.
    pub fn is_run_time(&self) -> bool {
        match self {
            Value::Unknown(u) => u.reason == DIALECT_NOT_KNOWN || u.reason == FROM_ROW_DATA,
            Value::Data(_) | Value::Rows(_) => true,
            _ => false,
        }
    }

    /// The text `repr(value)` gives, for values whose text is known.
    pub fn to_repr(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(format!(
                "'{}'",
                s.replace('\\', "\\\\").replace('\'', "\\'")
            )),
            Value::List(items) => {
                let parts: Option<Vec<String>> = items.iter().map(Value::to_repr).collect();
                Some(format!("[{}]", parts?.join(", ")))
            }
            other => other.to_text(),
        }
    }
}

/// Whether a table object describes a table still to be created or one that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableState {
    /// Declared with columns; `create()` / `create_all()` will create it.
    Declared,
    /// Created by this migration already.
    Created,
    /// A handle to an existing table (`autoload=True`).
    Existing,
}

/// A `Table(...)` object.
#[derive(Debug, Clone)]
pub(crate) struct TableObj {
    /// Table name.
    pub name: String,
    /// The `MetaData` it is bound to.
    pub meta: Option<MetaId>,
    /// Declared columns, in order.
    pub columns: Vec<ColumnId>,
    /// Table-level constraints.
    pub constraints: Vec<Constraint>,
    /// Indexes that `create_all()` creates with the table.
    pub indexes: Vec<IndexId>,
    /// Declared, created or existing.
    pub state: TableState,
    /// Line of the `Table(...)` call (at the entry point's level).
    pub line: u32,
    /// Source text of that call.
    pub source: String,
    /// Why part of the declaration could not be read, if so.
    pub problems: Vec<String>,
}

/// A `Column(...)` object.
#[derive(Debug, Clone)]
pub(crate) struct ColumnObj {
    /// The column as the reader understood it.
    pub def: ColumnDef,
    /// The table it belongs to, once attached or created.
    pub table: Option<TableId>,
    /// An existing table it was added to, known by name only.
    pub table_name: Option<String>,
    /// `autoincrement=` as given (`None` is SQLAlchemy's "auto").
    pub autoincrement: Option<bool>,
    /// `index=True`.
    pub index: bool,
    /// Foreign keys declared by `ForeignKey(...)` arguments.
    pub foreign_keys: Vec<crate::model::ops::ConstraintKind>,
    /// `CheckConstraint(...)` arguments, as SQL text.
    pub checks: Vec<String>,
    /// Why part of the declaration could not be read, if so.
    pub problems: Vec<String>,
}

/// An `Index(...)` object.
#[derive(Debug, Clone)]
pub(crate) struct IndexObj {
    /// Index name.
    pub name: Option<String>,
    /// Table name, when the columns tell it.
    pub table: Option<String>,
    /// Column names.
    pub columns: Vec<String>,
    /// `unique=True`.
    pub unique: bool,
    /// `postgresql_where=` / `sqlite_where=`.
    pub partial: bool,
    /// Created already (by `create()` or with its table).
    pub created: bool,
    /// Line of the `Index(...)` call.
    pub line: u32,
    /// Source text of that call.
    pub source: String,
    /// Why part of the declaration could not be read, if so.
    pub problems: Vec<String>,
}

/// A constraint object and the table it is for, when known.
#[derive(Debug, Clone)]
pub(crate) struct ConstraintObj {
    /// The constraint.
    pub constraint: Constraint,
    /// `table=` given (sqlalchemy-migrate's standalone constraints).
    pub table: Option<String>,
}

/// Every schema object the script built, referenced by id from [`Value`]s.
#[derive(Debug, Default)]
pub(crate) struct Objects {
    /// Tables.
    pub tables: Vec<TableObj>,
    /// Columns.
    pub columns: Vec<ColumnObj>,
    /// Indexes.
    pub indexes: Vec<IndexObj>,
    /// Constraints.
    pub constraints: Vec<ConstraintObj>,
    /// Number of `MetaData()` objects made.
    pub metas: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_follows_python() {
        assert_eq!(Value::Str(String::new()).truthy(), Some(false));
        assert_eq!(Value::List(vec![Value::None]).truthy(), Some(true));
        assert_eq!(Value::Int(0).truthy(), Some(false));
        assert_eq!(Value::unknown("x").truthy(), None);
    }

    #[test]
    fn repr_quotes_strings() {
        let v = Value::List(vec![Value::Str("a'b".into()), Value::Int(3)]);
        assert_eq!(v.to_repr().as_deref(), Some("['a\\'b', 3]"));
    }
}

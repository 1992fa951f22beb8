//! SQLAlchemy and sqlalchemy-migrate: constructors (`Table`, `Column`, `Index`, ...) and the
//! methods that change the schema (`create`, `drop`, `alter`, `create_all`, `execute`).

use super::interp::{Args, Flavor, Interp};
use super::types::sqla_type;
use super::value::{
    ColumnId, ColumnObj, ConstraintObj, IndexObj, TableId, TableObj, TableState, Value,
};
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, DataChangeKind, OpKind, SqlType};

/// SQL expression helpers that build queries, not schema.
const SQL_EXPR_FUNCTIONS: &[&str] = &[
    "select",
    "and_",
    "or_",
    "not_",
    "func",
    "literal",
    "bindparam",
    "null",
    "true",
    "false",
    "case",
    "cast",
    "exists",
    "desc",
    "asc",
];

impl<'a> Interp<'a> {
    /// Calls an imported name (`Column(...)`, `sa.String(100)`, `op.add_column(...)`).
    pub fn call_sym(&mut self, path: &str, args: Args) -> Value {
        let aliased = flask_sqlalchemy_alias(path);
        let path = aliased.as_deref().unwrap_or(path);
        let root = path.split('.').next().unwrap_or(path);
        let last = path.rsplit('.').next().unwrap_or(path);
        if path.starts_with("alembic.op.") {
            return self.alembic_op(last, args);
        }
        if path.starts_with("alembic.context.") {
            return match last {
                "get_context" | "get_bind" => Value::Engine,
                "is_offline_mode" => Value::Bool(false),
                _ => Value::Data(None),
            };
        }
        if !matches!(root, "sqlalchemy" | "migrate") {
            // A helper from the application computing on row values gives a row value;
            // given the connection or a session it could do anything.
            let computes_on_rows = args
                .pos
                .iter()
                .chain(args.kw.iter().map(|(_, v)| v))
                .any(|v| matches!(v, Value::Data(_)))
                && !args
                    .pos
                    .iter()
                    .chain(args.kw.iter().map(|(_, v)| v))
                    .any(|v| matches!(v, Value::Engine | Value::Session));
            if computes_on_rows {
                return Value::Data(None);
            }
            // Reported where its result is used or dropped: as a column's type it is a type
            // from the application (its SQL unknown, the column real).
            return Value::unknown(format!(
                "cannot resolve call to `{path}` {}",
                super::value::OUTSIDE_CALL
            ));
        }
        if path.contains(".func.") && args.pos.is_empty() {
            // `server_default=sa.func.now()`: the SQL function call.
            return Value::SqlText(format!("{last}()"));
        }
        match last {
            "false" | "False_" => return Value::SqlText("false".to_string()),
            "true" | "True_" => return Value::SqlText("true".to_string()),
            // Facts about the live database: known only when the migration runs.
            "inspect" => return Value::Data(None),
            _ => {}
        }
        if path.contains(".func.") || SQL_EXPR_FUNCTIONS.contains(&last) {
            return Value::SqlExpr;
        }
        match last {
            // `sa.update(table)`, `sa.insert(table)`, `sa.delete(table)`.
            "update" | "insert" | "delete" => match args.pos.first() {
                Some(Value::LightTable(t)) => data_stmt(last, t.clone()),
                Some(Value::Table(t)) => {
                    let name = self.objs.tables.get(*t).map(|t| t.name.clone());
                    data_stmt(last, name.unwrap_or_else(|| "?".to_string()))
                }
                _ => Value::unknown(format!("cannot resolve the table of {last}()")),
            },
            // The ORM: a session bound to the migration's connection changes rows only.
            "Session" | "sessionmaker" | "scoped_session" => Value::Session,
            "declarative_base" | "relationship" | "backref" | "registry" | "mapped_column"
            | "Mapped" | "synonym" | "column_property" | "deferred" => Value::Noise,
            "MetaData" => {
                self.objs.metas += 1;
                Value::MetaData(self.objs.metas)
            }
            "Table" => self.new_table(args),
            "Column" => self.new_column(args),
            "Index" => self.new_index(args),
            "text" | "literal_column" => match args.pos.first() {
                Some(Value::Str(s)) => Value::SqlText(s.clone()),
                Some(other) => {
                    let other = other.clone();
                    self.text_argument(&other)
                }
                None => Value::unknown("cannot resolve text() without SQL"),
            },
            "ForeignKey" => {
                let target = match args.pos.first() {
                    Some(Value::Str(target)) => target.clone(),
                    Some(Value::Column(c)) => {
                        let table = self
                            .objs
                            .columns
                            .get(*c)
                            .and_then(|c| c.table)
                            .and_then(|t| self.objs.tables.get(t))
                            .map(|t| t.name.clone())
                            .unwrap_or_default();
                        format!("{table}.?")
                    }
                    Some(Value::ColumnRef { table, column }) => format!("{table}.{column}"),
                    _ => return Value::unknown("cannot resolve ForeignKey target"),
                };
                match super::foreign_keys::actions(&args) {
                    Ok(actions) => Value::ForeignKey(super::foreign_keys::to_target(&target, actions)),
                    Err(problem) => Value::unknown(format!("ForeignKey({target:?}): {problem}")),
                }
            }
            "UniqueConstraint"
            | "PrimaryKeyConstraint"
            | "ForeignKeyConstraint"
            | "CheckConstraint" => self.new_constraint(last, args),
            "table" => match args.pos.first() {
                Some(Value::Str(name)) => Value::LightTable(name.clone()),
                _ => Value::unknown("cannot resolve table() name"),
            },
            "column" | "Sequence" | "DefaultClause" => Value::SqlExpr,
            _ => {
                if let Some(ty) = sqla_type(last, &args.pos, &args.kw, self.dialect) {
                    return Value::Type(ty);
                }
                let msg = format!("cannot resolve call to `{path}`");
                self.report(msg.clone());
                Value::reported(msg)
            }
        }
    }

    fn text_argument(&mut self, v: &Value) -> Value {
        match v {
            Value::Unknown(u) => Value::Unknown(u.clone()),
            other => Value::unknown(format!("cannot resolve text() of a {}", other.kind_name())),
        }
    }

    /// The type a column argument stands for, and whether it is a type at all.
    fn as_type(&self, v: &Value) -> Option<Option<SqlType>> {
        match v {
            Value::Type(t) => Some(t.clone()),
            Value::Sym(path) => {
                let aliased = flask_sqlalchemy_alias(path);
                let path = aliased.as_deref().unwrap_or(path);
                let last = path.rsplit('.').next().unwrap_or(path);
                let root = path.split('.').next().unwrap_or(path);
                if matches!(root, "sqlalchemy" | "migrate") {
                    Some(sqla_type(last, &[], &[], self.dialect).flatten())
                } else {
                    // A type imported from the application: the column is real, its SQL type
                    // is not known.
                    Some(None)
                }
            }
            _ => None,
        }
    }

    fn new_table(&mut self, args: Args) -> Value {
        let (line, source) = self.here();
        let mut problems = Vec::new();
        let name = match args.pos.first() {
            Some(Value::Str(s)) => s.clone(),
            Some(Value::Unknown(u)) => {
                problems.push(format!("cannot resolve table name: {}", u.reason));
                "?".to_string()
            }
            _ => {
                problems.push("cannot resolve table name".to_string());
                "?".to_string()
            }
        };
        let meta = match args.pos.get(1) {
            Some(Value::MetaData(m)) => Some(*m),
            _ => None,
        };
        let autoload = args
            .kw
            .iter()
            .any(|(k, v)| (k == "autoload" && *v == Value::Bool(true)) || k == "autoload_with");
        let id = self.objs.tables.len();
        let mut table = TableObj {
            name,
            meta,
            columns: Vec::new(),
            constraints: Vec::new(),
            indexes: Vec::new(),
            state: if autoload {
                TableState::Existing
            } else {
                TableState::Declared
            },
            line,
            source,
            problems,
        };
        for item in args.pos.iter().skip(2) {
            match item {
                Value::Column(c) => {
                    if let Some(col) = self.objs.columns.get_mut(*c) {
                        col.table = Some(id);
                    }
                    table.columns.push(*c);
                }
                Value::Constraint(c) => {
                    if let Some(obj) = self.objs.constraints.get(*c) {
                        table.constraints.push(obj.constraint.clone());
                    }
                }
                Value::Unknown(u) => table.problems.push(u.reason.clone()),
                other => table
                    .problems
                    .push(format!("cannot resolve a {} in Table()", other.kind_name())),
            }
        }
        self.objs.tables.push(table);
        Value::Table(id)
    }

    fn new_column(&mut self, args: Args) -> Value {
        let mut pos = args.pos.iter().peekable();
        let mut problems = Vec::new();
        let name = match args.kw("name").or_else(|| match pos.peek() {
            Some(Value::Str(_)) => pos.next(),
            _ => None,
        }) {
            Some(Value::Str(s)) => s.clone(),
            _ => {
                problems.push("cannot resolve column name".to_string());
                "?".to_string()
            }
        };
        let mut ty = None;
        let mut foreign_keys = Vec::new();
        let mut checks = Vec::new();
        if let Some(t) = args.kw("type_") {
            match self.as_type(t) {
                Some(t) => ty = t,
                None => problems.push("cannot resolve column type".to_string()),
            }
        }
        for item in pos {
            if let Some(t) = self.as_type(item) {
                ty = t;
                continue;
            }
            match item {
                Value::ForeignKey(kind) => foreign_keys.push(kind.clone()),
                Value::Constraint(c) => {
                    if let Some(ConstraintKind::Check { expr }) = self
                        .objs
                        .constraints
                        .get(*c)
                        .map(|c| c.constraint.kind.clone())
                    {
                        checks.push(expr);
                    }
                }
                Value::SqlExpr => {}
                Value::Unknown(u)
                    if u.reason.ends_with(super::value::OUTSIDE_CALL) && ty.is_none() => {}
                Value::Unknown(u) => {
                    if !u.reported {
                        problems.push(format!("column `{name}`: {}", u.reason));
                    }
                }
                other => problems.push(format!(
                    "cannot resolve a {} in Column `{name}`",
                    other.kind_name()
                )),
            }
        }
        let mut def = ColumnDef::new(name, ty);
        let flag = |key: &str| args.kw(key) == Some(&Value::Bool(true));
        def.primary_key = flag("primary_key");
        def.unique = flag("unique");
        def.nullable = match args.kw("nullable") {
            Some(Value::Bool(b)) => *b && !def.primary_key,
            _ => !def.primary_key,
        };
        if let Some(v) = args.kw("default") {
            def.client_default = *v != Value::None;
        }
        if let Some(v) = args.kw("server_default") {
            match server_default_sql(v) {
                Ok(d) => def.default = d,
                Err(e) => problems.push(e),
            }
        }
        let autoincrement = match args.kw("autoincrement") {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        };
        let id = self.objs.columns.len();
        self.objs.columns.push(ColumnObj {
            def,
            table: None,
            table_name: None,
            autoincrement,
            index: flag("index"),
            foreign_keys,
            checks,
            problems,
        });
        Value::Column(id)
    }

    fn new_index(&mut self, args: Args) -> Value {
        let (line, source) = self.here();
        let mut problems = Vec::new();
        let name = match args.pos.first() {
            Some(Value::Str(s)) => Some(s.clone()),
            Some(Value::None) | None => None,
            Some(other) => {
                problems.push(format!("cannot resolve index name ({})", other.kind_name()));
                None
            }
        };
        let mut table = None;
        let mut table_id = None;
        let mut columns = Vec::new();
        for item in args.pos.iter().skip(1) {
            match item {
                Value::Column(c) => {
                    let col = self.objs.columns.get(*c);
                    columns.push(col.map(|c| c.def.name.clone()).unwrap_or_default());
                    let tid = col.and_then(|c| c.table);
                    table_id = table_id.or(tid);
                    table = table.or_else(|| {
                        tid.and_then(|t| self.objs.tables.get(t))
                            .map(|t| t.name.clone())
                    });
                }
                Value::ColumnRef { table: t, column } => {
                    columns.push(column.clone());
                    table = table.or_else(|| Some(t.clone()));
                }
                Value::Str(s) => columns.push(s.clone()),
                Value::SqlText(s) => columns.push(s.clone()),
                Value::Unknown(u) => problems.push(u.reason.clone()),
                other => {
                    problems.push(format!("cannot resolve a {} in Index()", other.kind_name()))
                }
            }
        }
        let id = self.objs.indexes.len();
        self.objs.indexes.push(IndexObj {
            name,
            table,
            columns,
            unique: args.kw("unique") == Some(&Value::Bool(true)),
            partial: args.kw("postgresql_where").is_some() || args.kw("sqlite_where").is_some(),
            created: false,
            line,
            source,
            problems,
        });
        // SQLAlchemy attaches an index to its table; `create_all()` then creates both.
        if let Some(t) = table_id.and_then(|t| self.objs.tables.get_mut(t)) {
            if t.state == TableState::Declared {
                t.indexes.push(id);
            }
        }
        Value::Index(id)
    }

    fn new_constraint(&mut self, class: &str, args: Args) -> Value {
        let name = match args.kw("name") {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let table = match args.kw("table") {
            Some(Value::Table(t)) => self.objs.tables.get(*t).map(|t| t.name.clone()),
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let names = |items: &[Value], objs: &super::value::Objects| -> Vec<String> {
            items
                .iter()
                .flat_map(|v| match v {
                    Value::List(inner) => inner.clone(),
                    other => vec![other.clone()],
                })
                .filter_map(|v| match v {
                    Value::Str(s) => Some(s),
                    Value::Column(c) => objs.columns.get(c).map(|c| c.def.name.clone()),
                    Value::ColumnRef { column, .. } => Some(column),
                    _ => None,
                })
                .collect()
        };
        let (kind, columns) = match class {
            "UniqueConstraint" => (ConstraintKind::Unique, names(&args.pos, &self.objs)),
            "PrimaryKeyConstraint" => (ConstraintKind::PrimaryKey, names(&args.pos, &self.objs)),
            "ForeignKeyConstraint" => {
                let local = names(
                    args.pos.first().map(std::slice::from_ref).unwrap_or(&[]),
                    &self.objs,
                );
                let remote = names(
                    args.pos.get(1).map(std::slice::from_ref).unwrap_or(&[]),
                    &self.objs,
                );
                let references = remote
                    .first()
                    .map(|r| r.rsplit_once('.').map_or(r.as_str(), |(t, _)| t).to_string())
                    .unwrap_or_default();
                let referenced_columns = remote
                    .iter()
                    .filter_map(|r| r.rsplit_once('.').map(|(_, c)| c.to_string()))
                    .collect();
                let actions = match super::foreign_keys::actions(&args) {
                    Ok(actions) => actions,
                    Err(problem) => {
                        self.report(format!("ForeignKeyConstraint: {problem}"));
                        Default::default()
                    }
                };
                let kind = ConstraintKind::ForeignKey {
                    references,
                    referenced_columns,
                    actions,
                };
                (kind, local)
            }
            _ => {
                let expr = match args.pos.first() {
                    Some(Value::Str(s) | Value::SqlText(s)) => s.clone(),
                    _ => "?".to_string(),
                };
                (ConstraintKind::Check { expr }, Vec::new())
            }
        };
        let id = self.objs.constraints.len();
        self.objs.constraints.push(ConstraintObj {
            constraint: Constraint {
                name,
                kind,
                columns,
                not_valid: false,
            },
            table,
        });
        Value::Constraint(id)
    }

    /// Methods on any value.
    pub fn call_method(&mut self, recv: Value, name: &str, args: Args) -> Value {
        if let Some(v) = self.python_method(&recv, name, &args) {
            return v;
        }
        match recv {
            Value::Sym(path) => self.call_sym(&format!("{path}.{name}"), args),
            // `json.loads(row.x)`, `datetime.utcnow()`, `logger.info(...)`: values known only
            // at run time, never schema.
            Value::Noise => Value::Data(None),
            Value::Engine => self.engine_method(name, args),
            Value::MetaData(m) => self.metadata_method(m, name, args),
            Value::Table(t) => self.table_method(t, name, args),
            Value::Column(_) | Value::ColumnRef { .. } => self.column_method(&recv, name, args),
            Value::Index(i) => self.index_method(i, name),
            Value::Constraint(c) => self.constraint_method(c, name),
            Value::LightTable(table) => match name {
                "insert" | "update" | "delete" => data_stmt(name, table),
                _ => Value::SqlExpr,
            },
            Value::DataStmt {
                change,
                table,
                filtered,
            } => Value::DataStmt {
                change,
                table,
                filtered: filtered || name == "where",
            },
            Value::Type(ty) => self.type_method(ty, name, &args),
            Value::SqlText(s) => Value::SqlText(s),
            Value::SqlExpr => Value::SqlExpr,
            Value::Batch(table) => self.batch_method(&table, name, args),
            Value::Dict(_) => Value::unknown(format!("cannot resolve `dict.{name}()`")),
            Value::EngineUrl(url) => match name {
                "get_backend_name" | "get_dialect" => self.engine_name(),
                "render_as_string" => Value::EngineUrl(url),
                _ => Value::Data(None),
            },
            Value::Rows(table) => self.rows_method(table, name),
            Value::Data(table) => Value::Data(table),
            Value::Session => self.session_method(name, args),
            Value::Unknown(u) if u.reason == super::value::DIALECT_NOT_KNOWN => Value::Unknown(u),
            Value::Unknown(u) => {
                if !u.reported {
                    self.report(format!("cannot resolve `.{name}()`: {}", u.reason));
                }
                Value::reported(u.reason)
            }
            other => {
                let msg = format!("cannot resolve `.{name}()` on a {}", other.kind_name());
                self.report(msg.clone());
                Value::reported(msg)
            }
        }
    }

    /// Methods on a type. `with_variant(other, "mysql")` picks `other` on that engine;
    /// other methods configure Python behaviour and keep the type.
    fn type_method(&mut self, ty: Option<SqlType>, name: &str, args: &Args) -> Value {
        if name != "with_variant" {
            return Value::Type(ty);
        }
        let variant = args.pos.first().and_then(|v| self.as_type(v));
        let engine = self.engine_name();
        let applies = match args.pos.get(1) {
            Some(Value::Str(d)) => Some(Value::Str(d.clone()) == engine),
            Some(Value::List(ds)) => Some(ds.contains(&engine)),
            _ => None,
        };
        match (applies, variant, engine) {
            (_, _, Value::Unknown(u)) => Value::Unknown(u),
            (Some(true), Some(v), _) => Value::Type(v),
            (Some(false), Some(_), _) => Value::Type(ty),
            _ => Value::unknown("cannot resolve with_variant()"),
        }
    }

    fn engine_method(&mut self, name: &str, args: Args) -> Value {
        match name {
            "execute" | "exec_driver_sql" | "scalar" | "scalars" => {
                let table = self.execute(args.pos.first());
                if name == "scalar" {
                    Value::Data(table)
                } else {
                    Value::Rows(table)
                }
            }
            "connect" | "begin" | "begin_nested" | "get_bind" => Value::Engine,
            "table_names" | "has_table" | "get_table_names" => Value::Data(None),
            "close" | "commit" | "rollback" | "dispose" => Value::Noise,
            _ => {
                let msg = format!("cannot resolve `.{name}()` on the engine");
                self.report(msg.clone());
                Value::reported(msg)
            }
        }
    }

    /// `execute(sql)`: SQL text is recorded for the SQL reader; statements built with
    /// SQLAlchemy become data changes.
    pub fn execute(&mut self, arg: Option<&Value>) -> Option<String> {
        match arg {
            Some(Value::Str(s) | Value::SqlText(s)) => self.emit_sql(s.clone()),
            // `select(...)` and other expressions that are not DDL read rows.
            Some(Value::SqlExpr) => self.emit(OpKind::NoEffect {
                what: "SELECT (reads rows)".to_string(),
            }),
            Some(Value::DataStmt {
                change,
                table,
                filtered,
            }) => self.emit(OpKind::DataChange {
                change: *change,
                table: table.clone(),
                filtered: *filtered || *change == DataChangeKind::Insert,
            }),
            Some(Value::Data(_) | Value::Rows(_)) => {
                self.report("cannot resolve SQL read from the database and executed")
            }
            Some(Value::Unknown(u)) => {
                if !u.reported {
                    self.report(format!(
                        "cannot resolve SQL passed to execute(): {}",
                        u.reason
                    ));
                }
            }
            Some(other) => {
                let msg = format!(
                    "cannot resolve SQL passed to execute(): a {}",
                    other.kind_name()
                );
                self.report(msg);
            }
            None => self.report("cannot resolve execute() without SQL"),
        }
        None
    }

    /// Methods on the rows a query returns (and on an ORM query).
    fn rows_method(&mut self, table: Option<String>, name: &str) -> Value {
        match name {
            "update" | "delete" => {
                self.emit(OpKind::DataChange {
                    change: if name == "update" {
                        DataChangeKind::Update
                    } else {
                        DataChangeKind::Delete
                    },
                    table: table.unwrap_or_else(|| "?".to_string()),
                    filtered: true,
                });
                Value::Data(None)
            }
            "first" | "one" | "one_or_none" | "scalar" | "scalar_one" | "scalar_one_or_none"
            | "fetchone" | "get" | "count" => Value::Data(table),
            _ => Value::Rows(table),
        }
    }

    /// Methods on an ORM session: reads and row changes, never schema.
    fn session_method(&mut self, name: &str, args: Args) -> Value {
        let table_of = |v: Option<&Value>| match v {
            Some(Value::Data(Some(t)) | Value::LightTable(t)) => t.clone(),
            _ => "?".to_string(),
        };
        let change = match name {
            "query" => return Value::Rows(Some(table_of(args.pos.first())).filter(|t| t != "?")),
            "execute" | "scalar" | "scalars" => return self.engine_method(name, args),
            "add" | "add_all" | "merge" | "bulk_save_objects" | "bulk_insert_mappings" => {
                DataChangeKind::Insert
            }
            "delete" => DataChangeKind::Delete,
            "bulk_update_mappings" => DataChangeKind::Update,
            "get" => return Value::Data(Some(table_of(args.pos.first())).filter(|t| t != "?")),
            _ => return Value::Noise,
        };
        let table = match args.pos.first() {
            Some(Value::List(items)) => table_of(items.first()),
            other => table_of(other),
        };
        self.emit(OpKind::DataChange {
            change,
            table,
            filtered: true,
        });
        Value::None
    }

    fn metadata_method(&mut self, meta: usize, name: &str, args: Args) -> Value {
        match name {
            "create_all" => {
                let checkfirst = args.kw("checkfirst") != Some(&Value::Bool(false));
                let tables: Vec<TableId> = match args.kw("tables") {
                    Some(Value::List(items)) => {
                        let mut ids = Vec::new();
                        for item in items.clone() {
                            match item {
                                Value::Table(t) => ids.push(t),
                                other => {
                                    self.consume(&other, "cannot resolve a table in create_all()");
                                }
                            }
                        }
                        ids
                    }
                    Some(other) => {
                        let other = other.clone();
                        self.consume(&other, "cannot resolve create_all(tables=...)");
                        Vec::new()
                    }
                    None => (0..self.objs.tables.len())
                        .filter(|&t| {
                            self.objs
                                .tables
                                .get(t)
                                .is_some_and(|t| t.meta == Some(meta))
                        })
                        .collect(),
                };
                for t in tables {
                    if self
                        .objs
                        .tables
                        .get(t)
                        .is_some_and(|t| t.state == TableState::Declared)
                    {
                        self.create_table(t, checkfirst, true);
                    }
                }
                Value::None
            }
            "drop_all" => {
                let tables: Vec<TableId> = (0..self.objs.tables.len())
                    .filter(|&t| {
                        self.objs
                            .tables
                            .get(t)
                            .is_some_and(|t| t.meta == Some(meta))
                    })
                    .collect();
                for t in tables.into_iter().rev() {
                    self.drop_table(t);
                }
                Value::None
            }
            "reflect" | "clear" => Value::None,
            "remove" => {
                if let Some(Value::Table(t)) = args.pos.first() {
                    if let Some(t) = self.objs.tables.get_mut(*t) {
                        t.meta = None;
                    }
                }
                Value::None
            }
            _ => {
                let msg = format!("cannot resolve `.{name}()` on MetaData");
                self.report(msg.clone());
                Value::reported(msg)
            }
        }
    }

    fn table_method(&mut self, t: TableId, name: &str, args: Args) -> Value {
        let table_name = self
            .objs
            .tables
            .get(t)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        match name {
            "create" => {
                let checkfirst = args.kw("checkfirst") == Some(&Value::Bool(true));
                match self.objs.tables.get(t).map(|t| t.state) {
                    Some(TableState::Declared) => self.create_table(t, checkfirst, false),
                    _ => self.report(format!(
                        "cannot resolve create() of table `{table_name}`, which is not declared here"
                    )),
                }
                Value::None
            }
            "drop" => {
                self.drop_table(t);
                Value::None
            }
            "rename" => {
                match args.pos.first() {
                    Some(Value::Str(new_name)) => {
                        self.emit(OpKind::RenameTable {
                            table: table_name,
                            new_name: new_name.clone(),
                        });
                    }
                    other => {
                        let other = other.cloned().unwrap_or(Value::None);
                        if !self.consume(&other, "cannot resolve rename()") {
                            self.report("cannot resolve the new name given to rename()");
                        }
                    }
                }
                Value::None
            }
            "append_column" => {
                let state = self.objs.tables.get(t).map(|t| t.state);
                match (args.pos.first(), state) {
                    (Some(Value::Column(c)), Some(TableState::Declared)) => {
                        let c = *c;
                        if let Some(col) = self.objs.columns.get_mut(c) {
                            col.table = Some(t);
                        }
                        if let Some(table) = self.objs.tables.get_mut(t) {
                            table.columns.push(c);
                        }
                    }
                    (Some(Value::Column(_)), _) => self.unsupported(
                        "append_column() on a table that is not created here (no DDL by itself)",
                        Some(table_name),
                    ),
                    (other, _) => {
                        let other = other.cloned().unwrap_or(Value::None);
                        if !self.consume(&other, "cannot resolve append_column()") {
                            self.report("cannot resolve append_column() argument");
                        }
                    }
                }
                Value::None
            }
            "append_constraint" => {
                match args.pos.first() {
                    Some(Value::Constraint(c)) => {
                        let c = self.objs.constraints.get(*c).map(|c| c.constraint.clone());
                        let state = self.objs.tables.get(t).map(|t| t.state);
                        match (c, state) {
                            (Some(c), Some(TableState::Declared)) => {
                                if let Some(table) = self.objs.tables.get_mut(t) {
                                    table.constraints.push(c);
                                }
                            }
                            _ => self.unsupported(
                                "append_constraint() on a table that is not created here",
                                Some(table_name),
                            ),
                        }
                    }
                    _ => self.report("cannot resolve append_constraint() argument"),
                }
                Value::None
            }
            "insert" | "update" | "delete" => data_stmt(name, table_name),
            "select" | "join" | "outerjoin" | "alias" => Value::SqlExpr,
            _ => {
                let msg = format!("cannot resolve `.{name}()` on table `{table_name}`");
                self.report(msg.clone());
                Value::reported(msg)
            }
        }
    }

    /// The table a column value belongs to, by name.
    fn column_table(&self, col: &Value) -> Option<(String, String)> {
        match col {
            Value::ColumnRef { table, column } => Some((table.clone(), column.clone())),
            Value::Column(c) => {
                let obj = self.objs.columns.get(*c)?;
                let table = match obj.table {
                    Some(t) => self.objs.tables.get(t).map(|t| t.name.clone()),
                    None => obj.table_name.clone(),
                }?;
                Some((table, obj.def.name.clone()))
            }
            _ => None,
        }
    }

    fn column_method(&mut self, col: &Value, name: &str, args: Args) -> Value {
        if name == "create" {
            self.column_create(col, args);
            return Value::None;
        }
        if matches!(
            name,
            "copy" | "label" | "desc" | "asc" | "in_" | "is_" | "isnot" | "like"
        ) {
            return Value::SqlExpr;
        }
        let Some((table, column)) = self.column_table(col) else {
            let msg = format!("cannot resolve `.{name}()` on a column not attached to a table");
            self.report(msg.clone());
            return Value::reported(msg);
        };
        match name {
            "drop" => self.emit(OpKind::DropColumn { table, column }),
            "alter" => self.column_alter(&table, &column, args),
            _ => {
                let msg = format!("cannot resolve `.{name}()` on column `{table}.{column}`");
                self.report(msg.clone());
                return Value::reported(msg);
            }
        }
        Value::None
    }

    /// sqlalchemy-migrate `Column.create(table)`.
    fn column_create(&mut self, col: &Value, args: Args) {
        let Value::Column(c) = col else {
            self.report("cannot resolve create() of a column of an existing table");
            return;
        };
        let (tid, table) = match args.get(0, "table") {
            Some(Value::Table(t)) => (
                Some(*t),
                self.objs
                    .tables
                    .get(*t)
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
            ),
            Some(other) => {
                let other = other.clone();
                if !self.consume(&other, "cannot resolve the table of Column.create()") {
                    self.report("cannot resolve the table of Column.create()");
                }
                return;
            }
            None => match self.column_table(col) {
                Some((t, _)) => (None, t),
                None => {
                    self.report("cannot resolve Column.create() without a table");
                    return;
                }
            },
        };
        if let Some(obj) = self.objs.columns.get_mut(*c) {
            obj.table = tid;
            obj.table_name = Some(table.clone());
        }
        if let Some(t) = tid.and_then(|t| self.objs.tables.get_mut(t)) {
            t.columns.push(*c);
        }
        let populate = args.kw("populate_default") != Some(&Value::Bool(false));
        self.add_column(*c, &table, populate && self.flavor == Flavor::Migrate);
    }

    /// Emits `AddColumn` for a column object (and its foreign keys, checks, index).
    pub fn add_column(&mut self, c: ColumnId, table: &str, populate_default: bool) {
        let Some(obj) = self.objs.columns.get(c).cloned() else {
            return;
        };
        for p in &obj.problems {
            self.report(p.clone());
        }
        let mut def = obj.def.clone();
        def.auto_increment =
            def.primary_key && obj.autoincrement == Some(true) && is_integer(def.ty.as_ref());
        let column = def.name.clone();
        let client_default = def.client_default;
        let unique = def.unique;
        self.emit(OpKind::AddColumn {
            table: table.to_string(),
            column: def,
        });
        self.column_extras(&obj, table, unique);
        if populate_default && client_default {
            // sqlalchemy-migrate fills a new column's Python default into existing rows.
            self.emit(OpKind::DataChange {
                change: DataChangeKind::Update,
                table: table.to_string(),
                filtered: false,
            });
        }
        let _ = column;
    }

    fn column_extras(&mut self, obj: &ColumnObj, table: &str, unique: bool) {
        for kind in &obj.foreign_keys {
            self.emit(OpKind::AddConstraint {
                table: table.to_string(),
                constraint: Constraint {
                    name: None,
                    kind: kind.clone(),
                    columns: vec![obj.def.name.clone()],
                    not_valid: false,
                },
            });
        }
        for expr in &obj.checks {
            self.emit(OpKind::AddConstraint {
                table: table.to_string(),
                constraint: Constraint {
                    name: None,
                    kind: ConstraintKind::Check { expr: expr.clone() },
                    columns: vec![obj.def.name.clone()],
                    not_valid: false,
                },
            });
        }
        if obj.index {
            self.emit(OpKind::CreateIndex {
                name: Some(format!("ix_{table}_{}", obj.def.name)),
                table: table.to_string(),
                columns: vec![obj.def.name.clone()],
                unique,
                concurrently: false,
                partial: false,
            });
        }
    }

    /// sqlalchemy-migrate `column.alter(...)`: one operation per change; a rename comes last
    /// so that the other changes name the column as it was.
    fn column_alter(&mut self, table: &str, column: &str, args: Args) {
        if let Some(Value::Column(new)) = args.pos.first() {
            if let Some(def) = self.objs.columns.get(*new).map(|c| c.def.clone()) {
                self.emit(OpKind::RedefineColumn {
                    table: table.to_string(),
                    column: column.to_string(),
                    definition: def,
                    reorders: false,
                });
            }
            return;
        }
        let mut rename = None;
        for (key, value) in &args.kw {
            match key.as_str() {
                "name" => match value {
                    Value::Str(n) => rename = Some(n.clone()),
                    other => {
                        if !self.consume(other, "cannot resolve alter(name=...)") {
                            self.report("cannot resolve alter(name=...)");
                        }
                    }
                },
                "type" | "type_" => match self.as_type(value) {
                    Some(Some(new_type)) => self.emit(OpKind::AlterColumnType {
                        table: table.to_string(),
                        column: column.to_string(),
                        new_type,
                    }),
                    _ => {
                        if !self.consume(value, "cannot resolve alter(type=...)") {
                            self.report("cannot resolve the new type given to alter()");
                        }
                    }
                },
                "nullable" => self.nullable_change(table, column, value),
                "server_default" => self.default_change(table, column, value),
                // Python-side defaults and reader options do not change the database.
                "default" | "alter_metadata" | "engine" | "table" | "metadata" => {}
                other => self.unsupported(format!("alter({other}=...)"), Some(table.to_string())),
            }
        }
        if let Some(new_name) = rename {
            self.emit(OpKind::RenameColumn {
                table: table.to_string(),
                column: column.to_string(),
                new_name,
            });
        }
    }

    /// `nullable=True/False` on an existing column.
    pub fn nullable_change(&mut self, table: &str, column: &str, value: &Value) {
        let (table, column) = (table.to_string(), column.to_string());
        match value {
            Value::Bool(false) => self.emit(OpKind::SetNotNull { table, column }),
            Value::Bool(true) => self.emit(OpKind::DropNotNull { table, column }),
            Value::None => {}
            other => {
                if !self.consume(other, "cannot resolve nullable=") {
                    self.report("cannot resolve nullable=");
                }
            }
        }
    }

    /// `server_default=` on an existing column: `None` drops it.
    pub fn default_change(&mut self, table: &str, column: &str, value: &Value) {
        let (table, column) = (table.to_string(), column.to_string());
        match server_default_sql(value) {
            Ok(Some(default)) => self.emit(OpKind::SetDefault {
                table,
                column,
                default,
            }),
            Ok(None) => self.emit(OpKind::DropDefault { table, column }),
            Err(e) => self.report(e),
        }
    }

    /// Emits `CreateTable` (and the indexes created with it) for a declared table.
    pub fn create_table(&mut self, t: TableId, if_not_exists: bool, at_declaration: bool) {
        let Some(table) = self.objs.tables.get(t).cloned() else {
            return;
        };
        if let Some(tm) = self.objs.tables.get_mut(t) {
            tm.state = TableState::Created;
        }
        let (line, source) = if at_declaration {
            (table.line, table.source.clone())
        } else {
            self.here()
        };
        for p in &table.problems {
            self.emit_at(
                OpKind::Unreadable { error: p.clone() },
                line,
                source.clone(),
            );
        }
        let cols: Vec<ColumnObj> = table
            .columns
            .iter()
            .filter_map(|c| self.objs.columns.get(*c).cloned())
            .collect();
        let pk_count = cols.iter().filter(|c| c.def.primary_key).count();
        let mut columns = Vec::new();
        let mut constraints = table.constraints.clone();
        for c in &cols {
            for p in &c.problems {
                self.emit_at(
                    OpKind::Unreadable { error: p.clone() },
                    line,
                    source.clone(),
                );
            }
            let mut def = c.def.clone();
            // SQLAlchemy's autoincrement="auto": the single integer primary key column
            // without a foreign key gets AUTO_INCREMENT / SERIAL.
            def.auto_increment = def.primary_key
                && is_integer(def.ty.as_ref())
                && match c.autoincrement {
                    Some(explicit) => explicit,
                    None => pk_count == 1 && c.foreign_keys.is_empty(),
                };
            for kind in &c.foreign_keys {
                constraints.push(Constraint {
                    name: None,
                    kind: kind.clone(),
                    columns: vec![def.name.clone()],
                    not_valid: false,
                });
            }
            for expr in &c.checks {
                constraints.push(Constraint {
                    name: None,
                    kind: ConstraintKind::Check { expr: expr.clone() },
                    columns: vec![def.name.clone()],
                    not_valid: false,
                });
            }
            columns.push(def);
        }
        self.emit_at(
            OpKind::CreateTable {
                table: table.name.clone(),
                columns,
                constraints,
                if_not_exists,
            },
            line,
            source.clone(),
        );
        for c in cols.iter().filter(|c| c.index) {
            self.emit_at(
                OpKind::CreateIndex {
                    name: Some(format!("ix_{}_{}", table.name, c.def.name)),
                    table: table.name.clone(),
                    columns: vec![c.def.name.clone()],
                    unique: c.def.unique,
                    concurrently: false,
                    partial: false,
                },
                line,
                source.clone(),
            );
        }
        for i in table.indexes {
            self.create_index(i, at_declaration);
        }
    }

    fn drop_table(&mut self, t: TableId) {
        if let Some(table) = self.objs.tables.get(t) {
            let name = table.name.clone();
            self.emit(OpKind::DropTable { table: name });
        }
    }

    fn create_index(&mut self, i: usize, at_declaration: bool) {
        let Some(index) = self.objs.indexes.get(i).cloned() else {
            return;
        };
        if index.created {
            return;
        }
        if let Some(obj) = self.objs.indexes.get_mut(i) {
            obj.created = true;
        }
        let (line, source) = if at_declaration {
            (index.line, index.source.clone())
        } else {
            self.here()
        };
        for p in &index.problems {
            self.emit_at(
                OpKind::Unreadable { error: p.clone() },
                line,
                source.clone(),
            );
        }
        match index.table {
            Some(table) => self.emit_at(
                OpKind::CreateIndex {
                    name: index.name,
                    table,
                    columns: index.columns,
                    unique: index.unique,
                    concurrently: false,
                    partial: index.partial,
                },
                line,
                source,
            ),
            None => self.emit_at(
                OpKind::Unreadable {
                    error: "cannot resolve the table of Index()".to_string(),
                },
                line,
                source,
            ),
        }
    }

    fn index_method(&mut self, i: usize, name: &str) -> Value {
        match name {
            "create" => self.create_index(i, false),
            "drop" => {
                let Some(index) = self.objs.indexes.get(i).cloned() else {
                    return Value::None;
                };
                match index.name {
                    Some(n) => self.emit(OpKind::DropIndex {
                        name: n,
                        table: index.table,
                        concurrently: false,
                    }),
                    None => self.report("cannot resolve the name of the index to drop"),
                }
            }
            _ => {
                let msg = format!("cannot resolve `.{name}()` on an Index");
                self.report(msg.clone());
                return Value::reported(msg);
            }
        }
        Value::None
    }

    fn constraint_method(&mut self, c: usize, name: &str) -> Value {
        let Some(obj) = self.objs.constraints.get(c).cloned() else {
            return Value::None;
        };
        let Some(table) = obj.table else {
            self.report(format!(
                "cannot resolve the table of the constraint in `.{name}()`"
            ));
            return Value::None;
        };
        match name {
            "create" => self.emit(OpKind::AddConstraint {
                table,
                constraint: obj.constraint,
            }),
            "drop" => match obj.constraint.name {
                Some(n) => self.emit(OpKind::DropConstraint { table, name: n }),
                None => self.report("cannot resolve the name of the constraint to drop"),
            },
            _ => {
                let msg = format!("cannot resolve `.{name}()` on a constraint");
                self.report(msg.clone());
                return Value::reported(msg);
            }
        }
        Value::None
    }
}

/// Flask-SQLAlchemy's `db` object re-exports SQLAlchemy: `app.models.db.String` is
/// `sqlalchemy.String`.
fn flask_sqlalchemy_alias(path: &str) -> Option<String> {
    let mut parts = path.rsplit('.');
    let last = parts.next()?;
    match parts.next() {
        Some("db")
            if !path.starts_with("sqlalchemy.")
                && (last.starts_with(|c: char| c.is_ascii_uppercase())
                    || matches!(last, "text" | "func" | "false" | "true" | "null")) =>
        {
            Some(format!("sqlalchemy.{last}"))
        }
        _ => None,
    }
}

fn data_stmt(method: &str, table: String) -> Value {
    let change = match method {
        "insert" => DataChangeKind::Insert,
        "update" => DataChangeKind::Update,
        _ => DataChangeKind::Delete,
    };
    Value::DataStmt {
        change,
        table,
        filtered: false,
    }
}

fn is_integer(ty: Option<&SqlType>) -> bool {
    ty.is_some_and(|t| {
        matches!(
            t.name.as_str(),
            "INTEGER" | "INT" | "BIGINT" | "SMALLINT" | "TINYINT" | "MEDIUMINT"
        )
    })
}

/// The SQL text of a `server_default=` value: a Python string is a quoted SQL literal,
/// `text("...")` is SQL as written, `None` is no default.
pub(crate) fn server_default_sql(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Str(s) => Ok(Some(format!("'{}'", s.replace('\'', "''")))),
        Value::SqlText(s) => Ok(Some(s.clone())),
        Value::None => Ok(None),
        Value::Unknown(u) => Err(format!("cannot resolve server_default: {}", u.reason)),
        other => Err(format!(
            "cannot resolve server_default given as a {}",
            other.kind_name()
        )),
    }
}

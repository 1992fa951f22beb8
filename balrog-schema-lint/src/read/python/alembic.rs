//! Alembic's `op.*` directives and `batch_op` inside `op.batch_alter_table`.

use super::interp::{Args, Interp};
use super::value::{TableState, Value};
use crate::model::ops::{Constraint, ConstraintKind, DataChangeKind, OpKind};

/// `alter_column` options that describe the column as it is, or do not touch the database.
const ALTER_IGNORED: &[&str] = &[
    "table_name",
    "column_name",
    "existing_type",
    "existing_nullable",
    "existing_server_default",
    "existing_comment",
    "existing_autoincrement",
    "schema",
    "comment",
    "postgresql_using",
];

impl<'a> Interp<'a> {
    /// `op.<name>(...)`.
    pub fn alembic_op(&mut self, name: &str, args: Args) -> Value {
        match name {
            "f" | "inline_literal" => {
                let value = args.pos.into_iter().next().unwrap_or(Value::None);
                if let (true, Value::Str(converted)) = (name == "f", &value) {
                    self.converted_names.push(converted.clone());
                }
                value
            }
            "get_bind" | "get_context" => Value::Engine,
            "batch_alter_table" => match args.get(0, "table_name") {
                Some(Value::Str(t)) => Value::Batch(t.clone()),
                other => self.unresolved(other, "batch_alter_table() table name"),
            },
            "execute" => {
                self.execute(args.get(0, "sqltext"));
                Value::None
            }
            "bulk_insert" => {
                match args.pos.first() {
                    Some(Value::LightTable(t)) => {
                        let table = t.clone();
                        self.emit(OpKind::DataChange {
                            change: DataChangeKind::Insert,
                            table,
                            filtered: true,
                        });
                    }
                    Some(Value::Table(t)) => {
                        let table = self.objs.tables.get(*t).map(|t| t.name.clone());
                        if let Some(table) = table {
                            self.emit(OpKind::DataChange {
                                change: DataChangeKind::Insert,
                                table,
                                filtered: true,
                            });
                        }
                    }
                    other => {
                        self.unresolved(other, "bulk_insert() table");
                    }
                }
                Value::None
            }
            "create_table" => self.op_create_table(args),
            "drop_table" => {
                if let Some(table) = self.str_arg(&args, 0, "table_name", "drop_table()") {
                    self.emit(OpKind::DropTable { table });
                }
                Value::None
            }
            "rename_table" => {
                let old = self.str_arg(&args, 0, "old_table_name", "rename_table()");
                let new = self.str_arg(&args, 1, "new_table_name", "rename_table()");
                if let (Some(table), Some(new_name)) = (old, new) {
                    self.emit(OpKind::RenameTable { table, new_name });
                }
                Value::None
            }
            _ => {
                let table = self.str_arg_quiet(&args, 1, "table_name");
                let rest = Args {
                    pos: args.pos.iter().skip(1).cloned().collect(),
                    kw: args.kw.clone(),
                };
                let (table, shifted) = match name {
                    // These take the table first.
                    "add_column" | "drop_column" | "alter_column" => {
                        (self.str_arg(&args, 0, "table_name", name), rest)
                    }
                    "create_index"
                    | "create_unique_constraint"
                    | "create_primary_key"
                    | "create_check_constraint"
                    | "drop_constraint" => {
                        // name first, then table: move the name after the table.
                        let mut pos = vec![args.pos.first().cloned().unwrap_or(Value::None)];
                        pos.extend(args.pos.iter().skip(2).cloned());
                        let kw = args.kw.clone();
                        let table = match table {
                            Some(t) => Some(t),
                            None => self.str_arg(&args, 1, "table_name", name),
                        };
                        (table, Args { pos, kw })
                    }
                    "create_foreign_key" => {
                        let mut pos = vec![args.pos.first().cloned().unwrap_or(Value::None)];
                        pos.extend(args.pos.iter().skip(2).cloned());
                        let table = match self.str_arg_quiet(&args, 1, "source_table") {
                            Some(t) => Some(t),
                            None => self.str_arg(&args, 1, "source_table", name),
                        };
                        (
                            table,
                            Args {
                                pos,
                                kw: args.kw.clone(),
                            },
                        )
                    }
                    "drop_index" => {
                        let index = self.str_arg(&args, 0, "index_name", name);
                        let table = match args.get(1, "table_name") {
                            Some(Value::Str(t)) => Some(t.clone()),
                            _ => None,
                        };
                        if let Some(index) = index {
                            self.emit(OpKind::DropIndex {
                                name: index,
                                table,
                                concurrently: args.kw("postgresql_concurrently")
                                    == Some(&Value::Bool(true)),
                            });
                        }
                        return Value::None;
                    }
                    "create_table_comment" | "drop_table_comment" => {
                        self.emit(OpKind::NoEffect {
                            what: "COMMENT".to_string(),
                        });
                        return Value::None;
                    }
                    _ => {
                        self.unsupported(format!("op.{name}()"), table);
                        return Value::None;
                    }
                };
                match table {
                    Some(t) => self.batch_method(&t, name, shifted),
                    None => Value::None,
                }
            }
        }
    }

    /// `batch_op.<name>(...)`, and the table-bound part of the `op.*` directives.
    pub fn batch_method(&mut self, table: &str, name: &str, args: Args) -> Value {
        let t = table.to_string();
        match name {
            "add_column" => match args.get(0, "column") {
                Some(Value::Column(c)) => {
                    let c = *c;
                    if let Some(obj) = self.objs.columns.get_mut(c) {
                        obj.table_name = Some(t.clone());
                    }
                    self.add_column(c, &t, false);
                }
                other => {
                    self.unresolved(other, "add_column() column");
                }
            },
            "drop_column" => {
                if let Some(column) = self.str_arg(&args, 0, "column_name", "drop_column()") {
                    self.emit(OpKind::DropColumn { table: t, column });
                }
            }
            "alter_column" => {
                if let Some(column) = self.str_arg(&args, 0, "column_name", "alter_column()") {
                    self.op_alter_column(&t, &column, &args);
                }
            }
            "create_index" => {
                let index = match args.get(0, "index_name") {
                    Some(Value::Str(s)) => Some(s.clone()),
                    _ => None,
                };
                let columns = match args.get(1, "columns") {
                    Some(Value::List(items)) => self.column_names(items),
                    Some(Value::Str(s)) => Some(vec![s.clone()]),
                    _ => None,
                };
                match columns {
                    Some(columns) => self.emit(OpKind::CreateIndex {
                        name: index,
                        table: t,
                        columns,
                        unique: args.kw("unique") == Some(&Value::Bool(true)),
                        concurrently: args.kw("postgresql_concurrently")
                            == Some(&Value::Bool(true)),
                        partial: args.kw("postgresql_where").is_some()
                            || args.kw("sqlite_where").is_some(),
                    }),
                    None => self.report("cannot resolve the columns of create_index()"),
                }
            }
            "drop_index" => {
                if let Some(index) = self.str_arg(&args, 0, "index_name", "drop_index()") {
                    self.emit(OpKind::DropIndex {
                        name: index,
                        table: Some(t),
                        concurrently: false,
                    });
                }
            }
            "create_unique_constraint" | "create_primary_key" => {
                let kind = if name == "create_primary_key" {
                    ConstraintKind::PrimaryKey
                } else {
                    ConstraintKind::Unique
                };
                self.op_constraint(&t, kind, &args, 1);
            }
            "create_check_constraint" => {
                let expr = match args.get(1, "condition") {
                    Some(Value::Str(s) | Value::SqlText(s)) => s.clone(),
                    _ => "?".to_string(),
                };
                self.op_constraint(&t, ConstraintKind::Check { expr }, &args, usize::MAX);
            }
            "create_foreign_key" => {
                let references = match args.get(1, "referent_table") {
                    Some(Value::Str(s)) => s.clone(),
                    other => {
                        self.unresolved(other, "create_foreign_key() referent table");
                        return Value::None;
                    }
                };
                let referenced_columns = match args.get(3, "remote_cols") {
                    Some(Value::List(items)) => self.column_names(items).unwrap_or_default(),
                    _ => Vec::new(),
                };
                let actions = match super::foreign_keys::actions(&args) {
                    Ok(actions) => actions,
                    Err(problem) => {
                        self.report(format!("create_foreign_key(): {problem}"));
                        return Value::None;
                    }
                };
                let kind = ConstraintKind::ForeignKey {
                    references,
                    referenced_columns,
                    actions,
                };
                self.op_constraint(&t, kind, &args, 2);
            }
            "drop_constraint" => {
                if let Some(n) = self.str_arg(&args, 0, "constraint_name", "drop_constraint()") {
                    self.emit(OpKind::DropConstraint { table: t, name: n });
                }
            }
            "execute" => {
                self.execute(args.pos.first());
            }
            _ => self.unsupported(format!("{name}()"), Some(t)),
        }
        Value::None
    }

    fn op_create_table(&mut self, args: Args) -> Value {
        let Some(table) = self.str_arg(&args, 0, "table_name", "create_table()") else {
            return Value::None;
        };
        // Build the same table object `Table(name, metadata, *items)` would, then create it.
        let mut pos = vec![Value::Str(table.clone()), Value::None];
        pos.extend(args.pos.iter().skip(1).cloned());
        let kw = args
            .kw
            .iter()
            .filter(|(k, _)| k != "autoload" && k != "autoload_with")
            .cloned()
            .collect();
        let v = self.call_sym("sqlalchemy.Table", Args { pos, kw });
        if let Value::Table(t) = v {
            if self
                .objs
                .tables
                .get(t)
                .is_some_and(|t| t.state == TableState::Declared)
            {
                self.create_table(t, false, false);
            }
        }
        Value::LightTable(table)
    }

    fn op_alter_column(&mut self, table: &str, column: &str, args: &Args) {
        let mut rename = None;
        for (key, value) in &args.kw {
            match key.as_str() {
                "nullable" => self.nullable_change(table, column, value),
                "type_" => match value {
                    Value::Type(Some(new_type)) => self.emit(OpKind::AlterColumnType {
                        table: table.to_string(),
                        column: column.to_string(),
                        new_type: new_type.clone(),
                    }),
                    other => {
                        let other = other.clone();
                        match self.sym_type(&other) {
                            Some(new_type) => self.emit(OpKind::AlterColumnType {
                                table: table.to_string(),
                                column: column.to_string(),
                                new_type,
                            }),
                            None => {
                                if !self.consume(&other, "cannot resolve alter_column(type_=)") {
                                    self.report("cannot resolve the new type in alter_column()");
                                }
                            }
                        }
                    }
                },
                "new_column_name" => match value {
                    Value::Str(n) => rename = Some(n.clone()),
                    other => {
                        let other = other.clone();
                        self.unresolved(Some(&other), "alter_column(new_column_name=)");
                    }
                },
                // Alembic's own default `False` means "leave the default alone".
                "server_default" if *value == Value::Bool(false) => {}
                "server_default" => self.default_change(table, column, value),
                ignored if ALTER_IGNORED.contains(&ignored) => {}
                other => self.unsupported(
                    format!("alter_column({other}=...)"),
                    Some(table.to_string()),
                ),
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

    /// The SQL type of an uninstantiated SQLAlchemy type class.
    fn sym_type(&self, v: &Value) -> Option<crate::model::ops::SqlType> {
        match v {
            Value::Sym(path) => {
                let last = path.rsplit('.').next().unwrap_or(path);
                let root = path.split('.').next().unwrap_or(path);
                let flask_db = path.rsplit('.').nth(1) == Some("db");
                if !matches!(root, "sqlalchemy" | "migrate") && !flask_db {
                    return None;
                }
                super::types::sqla_type(last, &[], &[], self.dialect).flatten()
            }
            _ => None,
        }
    }

    fn op_constraint(&mut self, table: &str, kind: ConstraintKind, args: &Args, cols_at: usize) {
        let name = match args.get(0, "constraint_name") {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let columns = match args.pos.get(cols_at).or_else(|| {
            args.kw("columns")
                .or_else(|| args.kw("local_cols"))
                .filter(|_| cols_at != usize::MAX)
        }) {
            Some(Value::List(items)) => match self.column_names(items) {
                Some(c) => c,
                None => {
                    self.report("cannot resolve the columns of the constraint");
                    return;
                }
            },
            _ => Vec::new(),
        };
        self.emit(OpKind::AddConstraint {
            table: table.to_string(),
            constraint: Constraint {
                name,
                kind,
                columns,
                not_valid: false,
            },
        });
    }

    fn column_names(&self, items: &[Value]) -> Option<Vec<String>> {
        items
            .iter()
            .map(|v| match v {
                Value::Str(s) | Value::SqlText(s) => Some(s.clone()),
                Value::ColumnRef { column, .. } => Some(column.clone()),
                Value::Column(c) => self.objs.columns.get(*c).map(|c| c.def.name.clone()),
                _ => None,
            })
            .collect()
    }

    /// A string argument; reports and returns `None` when it is not a known string.
    fn str_arg(&mut self, args: &Args, index: usize, name: &str, what: &str) -> Option<String> {
        match args.get(index, name) {
            Some(Value::Str(s)) => Some(s.clone()),
            other => {
                let other = other.cloned();
                self.unresolved(other.as_ref(), &format!("{what} `{name}`"));
                None
            }
        }
    }

    fn str_arg_quiet(&self, args: &Args, index: usize, name: &str) -> Option<String> {
        match args.kw(name).or_else(|| args.pos.get(index)) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        }
    }

    /// Reports an argument that is missing or not what the directive needs.
    fn unresolved(&mut self, v: Option<&Value>, what: &str) -> Value {
        match v {
            Some(Value::Unknown(u)) if u.reported => Value::reported(u.reason.clone()),
            Some(Value::Unknown(u)) => {
                let msg = format!("cannot resolve {what}: {}", u.reason);
                self.report(msg.clone());
                Value::reported(msg)
            }
            Some(other) => {
                let msg = format!("cannot resolve {what}: got a {}", other.kind_name());
                self.report(msg.clone());
                Value::reported(msg)
            }
            None => {
                let msg = format!("cannot resolve {what}: missing");
                self.report(msg.clone());
                Value::reported(msg)
            }
        }
    }
}

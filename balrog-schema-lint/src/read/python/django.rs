//! Django migrations (`<app>/migrations/NNNN_name.py`), read statically: no Django, no
//! settings, no database. The `Migration` class's `dependencies`, `replaces`, `run_before`
//! and `operations` are literal Python; each operation becomes [`Operation`]s on the tables
//! Django would create.
//!
//! # What the operations mean
//! - Tables are named `<app_label>_<model name in lower case>` unless the model's options
//!   give `db_table` (in the same file: `CreateModel(options={"db_table": ...})` or
//!   `AlterModelTable`).
//! - `ForeignKey` / `OneToOneField` `x` is the column `x_id` (or `db_column`) with an index
//!   (unless `db_index=False`; unique for one-to-one) and a foreign key constraint.
//!   `ManyToManyField` `tags` on `app_book` is the join table `app_book_tags` (unless
//!   `through=`).
//! - `null=False` (the default) is `NOT NULL`. A Python `default=` is not a database
//!   default: Django fills existing rows while adding the column, then drops the default,
//!   so code that inserts without the column fails. `db_default=` is a database default.
//! - `AlterField` redefines the column; the replayed schema tells what changed.
//! - `RunSQL` is read by the SQL reader (`reverse_sql` is ignored); `RunPython` is a data
//!   change, and one without `reverse_code` cannot be unapplied; `SeparateDatabaseAndState`
//!   counts only its `database_operations`.
//! - A squashed migration (`replaces = [...]`) is recorded as applied, not run, on a
//!   database that already ran the migrations it replaces: it changes nothing there.

use ruff_python_ast::{Expr, ModModule, Number, PySourceType, Stmt};
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;

use crate::model::foreign_key::{Deferrable, ForeignKeyActions, ReferentialAction};
use crate::model::ops::{
    ColumnDef, Constraint, ConstraintKind, DataChangeKind, Dialect, OpKind, Operation,
    ParsedMigration, SqlType,
};

/// What a `RunPython` without `reverse_code` is described as; the
/// `run-python-without-reverse` rule looks for it.
pub const RUN_PYTHON_WITHOUT_REVERSE: &str =
    "RunPython without reverse_code: the migration cannot be unapplied";

/// Whether a file's text is a Django migration: it declares `class Migration` deriving from
/// `migrations.Migration`.
pub fn is_django_migration(source: &str) -> bool {
    source.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("class Migration(") && line.contains("Migration)")
    })
}

/// The app label and migration name of a file at `<...>/<app>/migrations/<name>.py`.
pub fn migration_identity(path: &str) -> Option<(String, String)> {
    let mut parts = path.rsplit('/');
    let name = parts.next()?.strip_suffix(".py")?;
    if parts.next()? != "migrations" {
        return None;
    }
    let app = parts.next()?;
    Some((app.to_string(), name.to_string()))
}

/// Reads a Django migration of app `app_label` named `name`. `revision` is `app.name`;
/// `down_revisions` are its dependencies (`app.name`, `app.__first__` for a dependency on an
/// app's first migration); `run_before` the migrations that depend on it.
pub fn read_django(source: &str, app_label: &str, name: &str, dialect: Dialect) -> ParsedMigration {
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let lines = LineIndex::from_source_text(source);
    let mut reader = Reader {
        src: source,
        app: app_label.to_string(),
        dialect,
        lines: &lines,
        module: parsed.syntax(),
        db_tables: Vec::new(),
        ops: Vec::new(),
        line: 1,
    };
    let mut out = ParsedMigration {
        revision: Some(format!("{app_label}.{name}")),
        ..ParsedMigration::default()
    };
    for error in parsed.errors() {
        reader.line = reader.line_of(error.location.start());
        reader.unreadable(format!("syntax error: {}", error.error));
    }
    let class = parsed.syntax().body.iter().find_map(|s| match s {
        Stmt::ClassDef(c) if c.name.as_str() == "Migration" => Some(c),
        _ => None,
    });
    let Some(class) = class else {
        reader.unreadable("not a Django migration: it declares no `class Migration`".into());
        out.operations = reader.ops;
        return out;
    };
    let mut operations = None;
    let mut replaces = Vec::new();
    for stmt in &class.body {
        let Stmt::Assign(assign) = stmt else { continue };
        let Some(Expr::Name(target)) = assign.targets.first() else {
            continue;
        };
        match target.id.as_str() {
            "dependencies" => out.down_revisions = reader.migration_keys(&assign.value),
            "run_before" => out.run_before = reader.migration_keys(&assign.value),
            "replaces" => replaces = reader.migration_keys(&assign.value),
            "operations" => operations = Some(&*assign.value),
            _ => {}
        }
    }
    if !replaces.is_empty() {
        reader.ops.push(Operation {
            line: reader.line_of(class.start()),
            kind: OpKind::NoEffect {
                what: format!(
                    "squashed migration: a database that ran {} is recorded at it without running it",
                    replaces.join(", ")
                ),
            },
            source: String::new(),
        });
    } else if let Some(list) = operations {
        match reader.resolve(list, 0) {
            Value::List(items) => {
                for item in items {
                    reader.operation(&item);
                }
            }
            other => {
                reader.line = reader.line_of(list.start());
                reader.unreadable(format!("cannot resolve `operations`: {}", other.describe()));
            }
        }
    }
    out.operations = reader.ops;
    out.suppressions = super::suppress::suppressions(source, &parsed, &lines);
    out
}

/// A literal Python value, or a call with literal arguments.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// `f(args, key=value)`, with the call's line.
    Call {
        func: String,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        line: u32,
    },
    /// A dotted name that is not bound to a literal (`models.CASCADE`, a function).
    Name(String),
    /// Anything else, as its source text.
    Other(String),
}

impl Value {
    fn describe(&self) -> String {
        match self {
            Value::Other(text) => format!("`{}`", text.chars().take(60).collect::<String>()),
            Value::Name(name) => format!("`{name}`"),
            _ => "an unexpected value".to_string(),
        }
    }

    fn str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn kw(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Call { kwargs, .. } => kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Positional argument `index`, else keyword `name`.
    fn arg(&self, index: usize, name: &str) -> Option<&Value> {
        match self {
            Value::Call { args, .. } => args.get(index).or_else(|| self.kw(name)),
            _ => None,
        }
    }

    /// The last part of a call's function name: `CharField` for `models.CharField`.
    fn class(&self) -> &str {
        match self {
            Value::Call { func, .. } => func.rsplit('.').next().unwrap_or(func),
            _ => "",
        }
    }

    fn flag(&self, name: &str) -> Option<bool> {
        match self.kw(name) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    fn items(&self) -> &[Value] {
        match self {
            Value::List(items) => items,
            _ => &[],
        }
    }
}

struct Reader<'a> {
    src: &'a str,
    app: String,
    dialect: Dialect,
    lines: &'a LineIndex,
    module: &'a ModModule,
    /// `db_table` of models, as (lower-case model name, table), from this file.
    db_tables: Vec<(String, String)>,
    ops: Vec<Operation>,
    /// Line of the operation being read.
    line: u32,
}

impl Reader<'_> {
    fn line_of(&self, offset: ruff_text_size::TextSize) -> u32 {
        u32::try_from(self.lines.line_index(offset).get()).unwrap_or(u32::MAX)
    }

    fn emit(&mut self, kind: OpKind) {
        self.ops.push(Operation {
            line: self.line,
            kind,
            source: String::new(),
        });
    }

    fn unreadable(&mut self, error: String) {
        self.emit(OpKind::Unreadable { error });
    }

    /// Evaluates a literal expression; names resolve through module-level assignments.
    fn resolve(&self, expr: &Expr, depth: u32) -> Value {
        if depth > 40 {
            return Value::Other("nested too deeply".into());
        }
        let d = depth + 1;
        match expr {
            Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_string()),
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => i.as_i64().map_or(Value::Other(i.to_string()), Value::Int),
                _ => Value::Other("a number".into()),
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::List(l) => Value::List(l.elts.iter().map(|e| self.resolve(e, d)).collect()),
            Expr::Tuple(t) => Value::List(t.elts.iter().map(|e| self.resolve(e, d)).collect()),
            Expr::Set(s) => Value::List(s.elts.iter().map(|e| self.resolve(e, d)).collect()),
            Expr::Dict(dict) => Value::Dict(
                dict.items
                    .iter()
                    .filter_map(|item| {
                        let key = item.key.as_ref()?;
                        Some((self.resolve(key, d), self.resolve(&item.value, d)))
                    })
                    .collect(),
            ),
            Expr::BinOp(b) if b.op == ruff_python_ast::Operator::Add => {
                match (self.resolve(&b.left, d), self.resolve(&b.right, d)) {
                    (Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
                    (Value::List(mut a), Value::List(b)) => {
                        a.extend(b);
                        Value::List(a)
                    }
                    _ => Value::Other(self.text(expr)),
                }
            }
            Expr::Call(call) => Value::Call {
                func: self.text(&call.func),
                args: call
                    .arguments
                    .args
                    .iter()
                    .map(|a| self.resolve(a, d))
                    .collect(),
                kwargs: call
                    .arguments
                    .keywords
                    .iter()
                    .filter_map(|k| Some((k.arg.as_ref()?.to_string(), self.resolve(&k.value, d))))
                    .collect(),
                line: self.line_of(call.start()),
            },
            Expr::Name(n) => match self.module_binding(n.id.as_str()) {
                Some(bound) => self.resolve(bound, d),
                None => Value::Name(n.id.to_string()),
            },
            Expr::Attribute(_) => Value::Name(self.text(expr)),
            _ => Value::Other(self.text(expr)),
        }
    }

    fn text(&self, expr: &Expr) -> String {
        let range = expr.range();
        self.src
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or_default()
            .to_string()
    }

    /// The expression a module-level name is last assigned.
    fn module_binding(&self, name: &str) -> Option<&Expr> {
        self.module.body.iter().rev().find_map(|s| match s {
            Stmt::Assign(a)
                if a.targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) =>
            {
                Some(&*a.value)
            }
            _ => None,
        })
    }

    /// `[("app", "0001_x"), ...]` as `app.0001_x` keys.
    fn migration_keys(&self, expr: &Expr) -> Vec<String> {
        let mut keys = Vec::new();
        for item in self.resolve(expr, 0).items() {
            // `migrations.swappable_dependency(settings.AUTH_USER_MODEL)` names the user
            // model's app, outside this project's migrations unless it provides it.
            if let [Value::Str(app), Value::Str(name)] = item.items() {
                keys.push(format!("{app}.{name}"));
            }
        }
        keys
    }

    /// The table of a model named in this app (or `app.Model`).
    fn table(&self, model: &str) -> String {
        let (app, model) = match model.split_once('.') {
            Some((app, model)) => (app.to_string(), model),
            None => (self.app.clone(), model),
        };
        let lower = model.to_ascii_lowercase();
        if app == self.app {
            if let Some((_, table)) = self.db_tables.iter().rev().find(|(m, _)| *m == lower) {
                return table.clone();
            }
        }
        format!("{app}_{lower}")
    }

    /// The table a relation points at: `"app.Model"`, `"Model"`, `"self"`, the user model.
    fn target_table(&self, target: Option<&Value>, own_model: &str) -> String {
        match target {
            Some(Value::Str(s)) if s == "self" => self.table(own_model),
            Some(Value::Str(s)) => self.table(s),
            Some(Value::Name(n)) if n.ends_with("AUTH_USER_MODEL") => "auth_user".to_string(),
            Some(Value::Name(n)) => self.table(n.rsplit('.').next().unwrap_or(n)),
            _ => "?".to_string(),
        }
    }

    fn operation(&mut self, op: &Value) {
        let Value::Call { line, .. } = op else {
            self.unreadable(format!("cannot resolve operation {}", op.describe()));
            return;
        };
        self.line = *line;
        let str_arg =
            |i: usize, name: &str| op.arg(i, name).and_then(Value::str).map(str::to_string);
        match op.class() {
            "CreateModel" => self.create_model(op),
            "DeleteModel" => match str_arg(0, "name") {
                Some(model) => {
                    let table = self.table(&model);
                    self.emit(OpKind::DropTable { table });
                }
                None => self.unreadable("cannot resolve the model of DeleteModel".into()),
            },
            "RenameModel" => match (str_arg(0, "old_name"), str_arg(1, "new_name")) {
                (Some(old), Some(new)) => {
                    let (table, new_name) = (self.table(&old), self.table(&new));
                    if table != new_name {
                        self.emit(OpKind::RenameTable { table, new_name });
                    }
                }
                _ => self.unreadable("cannot resolve the models of RenameModel".into()),
            },
            "AlterModelTable" => match (str_arg(0, "name"), op.arg(1, "table")) {
                (Some(model), Some(Value::Str(new_name))) => {
                    let table = self.table(&model);
                    self.db_tables
                        .push((model.to_ascii_lowercase(), new_name.clone()));
                    self.emit(OpKind::RenameTable {
                        table,
                        new_name: new_name.clone(),
                    });
                }
                (Some(model), Some(Value::None)) => {
                    let table = self.table(&model);
                    let new_name = format!("{}_{}", self.app, model.to_ascii_lowercase());
                    self.emit(OpKind::RenameTable { table, new_name });
                }
                _ => self.unreadable("cannot resolve AlterModelTable".into()),
            },
            "AddField" => match (
                str_arg(0, "model_name"),
                str_arg(1, "name"),
                op.arg(2, "field"),
            ) {
                (Some(model), Some(name), Some(field)) => self.add_field(&model, &name, field),
                _ => self.unreadable("cannot resolve AddField".into()),
            },
            "RemoveField" => match (str_arg(0, "model_name"), str_arg(1, "name")) {
                (Some(model), Some(name)) => {
                    // Without the field's definition the column may be `name` or `name_id`;
                    // the definition is in an earlier migration.
                    let table = self.table(&model);
                    self.emit(OpKind::DropColumn {
                        table,
                        column: name,
                    });
                }
                _ => self.unreadable("cannot resolve RemoveField".into()),
            },
            "AlterField" => match (
                str_arg(0, "model_name"),
                str_arg(1, "name"),
                op.arg(2, "field"),
            ) {
                (Some(model), Some(name), Some(field)) => self.alter_field(&model, &name, field),
                _ => self.unreadable("cannot resolve AlterField".into()),
            },
            "RenameField" => match (
                str_arg(0, "model_name"),
                str_arg(1, "old_name"),
                str_arg(2, "new_name"),
            ) {
                (Some(model), Some(old), Some(new)) => {
                    let table = self.table(&model);
                    self.emit(OpKind::RenameColumn {
                        table,
                        column: old,
                        new_name: new,
                    });
                }
                _ => self.unreadable("cannot resolve RenameField".into()),
            },
            "AddIndex" => match (str_arg(0, "model_name"), op.arg(1, "index")) {
                (Some(model), Some(index)) => {
                    let table = self.table(&model);
                    self.index(&table, index);
                }
                _ => self.unreadable("cannot resolve AddIndex".into()),
            },
            "RemoveIndex" => match (str_arg(0, "model_name"), str_arg(1, "name")) {
                (Some(model), Some(name)) => {
                    let table = self.table(&model);
                    self.emit(OpKind::DropIndex {
                        name,
                        table: Some(table),
                        concurrently: false,
                    });
                }
                _ => self.unreadable("cannot resolve RemoveIndex".into()),
            },
            "RenameIndex" => match (
                str_arg(1, "new_name"),
                op.kw("old_name").and_then(Value::str),
            ) {
                (Some(new), Some(old)) => self.emit(OpKind::NoEffect {
                    what: format!("RENAME INDEX {old} TO {new}"),
                }),
                (Some(new), None) => self.emit(OpKind::NoEffect {
                    what: format!("RENAME INDEX (old_fields) TO {new}"),
                }),
                _ => self.unreadable("cannot resolve RenameIndex".into()),
            },
            "AddConstraint" => match (str_arg(0, "model_name"), op.arg(1, "constraint")) {
                (Some(model), Some(constraint)) => {
                    let table = self.table(&model);
                    self.constraint(&table, constraint);
                }
                _ => self.unreadable("cannot resolve AddConstraint".into()),
            },
            "RemoveConstraint" => match (str_arg(0, "model_name"), str_arg(1, "name")) {
                (Some(model), Some(name)) => {
                    let table = self.table(&model);
                    self.emit(OpKind::DropConstraint { table, name });
                }
                _ => self.unreadable("cannot resolve RemoveConstraint".into()),
            },
            "AlterUniqueTogether" | "AlterIndexTogether" => {
                let unique = op.class() == "AlterUniqueTogether";
                let key = if unique {
                    "unique_together"
                } else {
                    "index_together"
                };
                match (str_arg(0, "name"), op.arg(1, key)) {
                    (Some(model), Some(sets)) => {
                        let table = self.table(&model);
                        self.together(&table, sets, unique);
                    }
                    _ => self.unreadable(format!("cannot resolve {}", op.class())),
                }
            }
            "RunSQL" => self.run_sql(op.arg(0, "sql")),
            "RunPython" => {
                let code = match op.arg(0, "code") {
                    Some(Value::Name(n)) => n.clone(),
                    _ => "code".to_string(),
                };
                self.emit(OpKind::DataChange {
                    change: DataChangeKind::Update,
                    table: format!("(RunPython {code})"),
                    filtered: true,
                });
                let reversible = matches!(op.arg(1, "reverse_code"), Some(v) if *v != Value::None);
                if !reversible {
                    self.emit(OpKind::NoEffect {
                        what: RUN_PYTHON_WITHOUT_REVERSE.to_string(),
                    });
                }
            }
            "SeparateDatabaseAndState" => {
                if let Some(ops) = op.arg(0, "database_operations") {
                    for inner in ops.items().to_vec() {
                        self.operation(&inner);
                    }
                }
            }
            "AlterModelOptions"
            | "AlterModelManagers"
            | "AlterOrderWithRespectTo"
            | "AlterModelTableComment" => self.emit(OpKind::NoEffect {
                what: format!("{} (model state only)", op.class()),
            }),
            // Extensions and collations: `CreateExtension("hstore")` and friends.
            "CreateExtension" | "HStoreExtension" | "TrigramExtension" | "UnaccentExtension"
            | "BtreeGinExtension" | "BtreeGistExtension" | "CITextExtension"
            | "CryptoExtension" | "BloomExtension" => self.emit(OpKind::NoEffect {
                what: format!("{} (PostgreSQL extension)", op.class()),
            }),
            other => self.emit(OpKind::Unsupported {
                what: format!("Django operation {other}"),
                table: None,
            }),
        }
    }

    fn run_sql(&mut self, sql: Option<&Value>) {
        let statements: Vec<Value> = match sql {
            Some(Value::List(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        for statement in statements {
            let text = match &statement {
                Value::Str(s) => s.clone(),
                // `(sql, params)` pairs.
                Value::List(pair) => match pair.first() {
                    Some(Value::Str(s)) => s.clone(),
                    _ => {
                        self.unreadable("cannot resolve the SQL of RunSQL".into());
                        continue;
                    }
                },
                Value::Name(n) if n.ends_with("RunSQL.noop") || n.ends_with(".noop") => continue,
                other => {
                    self.unreadable(format!(
                        "cannot resolve the SQL of RunSQL: {}",
                        other.describe()
                    ));
                    continue;
                }
            };
            for mut op in crate::read::sql::lower_sql(&text, self.dialect) {
                op.line = self.line;
                self.ops.push(op);
            }
        }
    }

    fn create_model(&mut self, op: &Value) {
        let Some(model) = op.arg(0, "name").and_then(Value::str).map(str::to_string) else {
            self.unreadable("cannot resolve the model of CreateModel".into());
            return;
        };
        let options = op.arg(2, "options");
        if let Some(Value::Str(table)) = options.and_then(|o| dict_get(o, "db_table")) {
            self.db_tables
                .push((model.to_ascii_lowercase(), table.clone()));
        }
        if matches!(
            options.and_then(|o| dict_get(o, "managed")),
            Some(Value::Bool(false))
        ) {
            self.emit(OpKind::NoEffect {
                what: format!("CreateModel {model} (managed = False: Django creates no table)"),
            });
            return;
        }
        // A proxy model has no table of its own.
        if matches!(
            options.and_then(|o| dict_get(o, "proxy")),
            Some(Value::Bool(true))
        ) {
            self.emit(OpKind::NoEffect {
                what: format!("CreateModel {model} (proxy model: no table)"),
            });
            return;
        }
        let table = self.table(&model);
        let mut columns = Vec::new();
        let mut constraints = Vec::new();
        let mut after = Vec::new();
        // Field names to column names (`author` is `author_id`), for the options.
        let mut field_columns: Vec<(String, String)> = Vec::new();
        let fields = op
            .arg(1, "fields")
            .map(Value::items)
            .unwrap_or_default()
            .to_vec();
        for field in &fields {
            let [Value::Str(name), definition] = field.items() else {
                self.unreadable(format!("cannot resolve a field of {model}"));
                continue;
            };
            match self.field(&model, name, definition) {
                Field::Column(column) => {
                    field_columns.push((name.clone(), column.def.name.clone()));
                    if let Some(fk) = column.foreign_key {
                        constraints.push(fk);
                    }
                    if let Some(index) = column.index {
                        after.push(index);
                    }
                    columns.push(column.def);
                }
                Field::Join(join) => after.push(join),
                Field::Unknown(reason) => self.unreadable(reason),
            }
        }
        if !columns.iter().any(|c| c.primary_key) {
            let mut id = ColumnDef::new("id", Some(SqlType::named("INTEGER")));
            id.nullable = false;
            id.primary_key = true;
            id.auto_increment = true;
            columns.insert(0, id);
        }
        let to_columns = |names: &mut Vec<String>| {
            for name in names.iter_mut() {
                if let Some((_, column)) = field_columns.iter().find(|(f, _)| f == name) {
                    name.clone_from(column);
                }
            }
        };
        if let Some(options) = options {
            for constraint in dict_get(options, "constraints")
                .map(Value::items)
                .unwrap_or_default()
            {
                if let Some(mut c) = self.constraint_of(constraint) {
                    to_columns(&mut c.columns);
                    constraints.push(c);
                }
            }
        }
        self.emit(OpKind::CreateTable {
            table: table.clone(),
            columns,
            constraints,
            if_not_exists: false,
        });
        for kind in after {
            self.emit(kind);
        }
        let first_option_op = self.ops.len();
        if let Some(options) = options {
            for index in dict_get(options, "indexes")
                .map(Value::items)
                .unwrap_or_default()
                .to_vec()
            {
                self.index(&table, &index);
            }
            if let Some(sets) = dict_get(options, "unique_together").cloned() {
                self.together(&table, &sets, true);
            }
            if let Some(sets) = dict_get(options, "index_together").cloned() {
                self.together(&table, &sets, false);
            }
        }
        for op in self.ops.iter_mut().skip(first_option_op) {
            match &mut op.kind {
                OpKind::CreateIndex { columns, .. } => to_columns(columns),
                OpKind::AddConstraint { constraint, .. } => to_columns(&mut constraint.columns),
                _ => {}
            }
        }
    }

    fn add_field(&mut self, model: &str, name: &str, definition: &Value) {
        let table = self.table(model);
        match self.field(model, name, definition) {
            Field::Column(column) => {
                self.emit(OpKind::AddColumn {
                    table: table.clone(),
                    column: column.def,
                });
                if let Some(constraint) = column.foreign_key {
                    self.emit(OpKind::AddConstraint { table, constraint });
                }
                if let Some(index) = column.index {
                    self.emit(index);
                }
            }
            Field::Join(join) => self.emit(join),
            Field::Unknown(reason) => self.unreadable(reason),
        }
    }

    fn alter_field(&mut self, model: &str, name: &str, definition: &Value) {
        let table = self.table(model);
        match self.field(model, name, definition) {
            Field::Column(column) => {
                let column_name = column.def.name.clone();
                self.emit(OpKind::RedefineColumn {
                    table: table.clone(),
                    column: column_name,
                    definition: column.def,
                    reorders: false,
                });
            }
            // A many-to-many field's join table is not altered by its options.
            Field::Join(_) => self.emit(OpKind::NoEffect {
                what: format!("AlterField {model}.{name} (many-to-many)"),
            }),
            Field::Unknown(reason) => self.unreadable(reason),
        }
    }

    /// A field's column (or join table), as Django's schema editor creates it.
    fn field(&self, model: &str, name: &str, definition: &Value) -> Field {
        let class = definition.class();
        let table = self.table(model);
        if class == "ManyToManyField" {
            if definition.kw("through").is_some() {
                return Field::Join(OpKind::NoEffect {
                    what: format!("many-to-many {model}.{name} through its own model"),
                });
            }
            let target = self.target_table(definition.arg(0, "to"), model);
            let own = format!("{}_id", model.to_ascii_lowercase());
            let target_model = target.rsplit('_').next().unwrap_or(&target).to_string();
            let other = if target == table {
                format!("to_{target_model}_id")
            } else {
                format!("{target_model}_id")
            };
            let own = if target == table {
                format!("from_{own}")
            } else {
                own
            };
            let mut id = ColumnDef::new("id", Some(SqlType::named("INTEGER")));
            id.nullable = false;
            id.primary_key = true;
            id.auto_increment = true;
            let mut a = ColumnDef::new(own.clone(), None);
            a.nullable = false;
            let mut b = ColumnDef::new(other.clone(), None);
            b.nullable = false;
            return Field::Join(OpKind::CreateTable {
                table: format!("{table}_{name}"),
                columns: vec![id, a, b],
                constraints: vec![
                    Constraint {
                        name: None,
                        kind: ConstraintKind::ForeignKey {
                            references: table,
                            referenced_columns: Vec::new(),
                            actions: database_actions(None, self.dialect),
                        },
                        columns: vec![own.clone()],
                        not_valid: false,
                    },
                    Constraint {
                        name: None,
                        kind: ConstraintKind::ForeignKey {
                            references: target,
                            referenced_columns: Vec::new(),
                            actions: database_actions(None, self.dialect),
                        },
                        columns: vec![other.clone()],
                        not_valid: false,
                    },
                    Constraint {
                        name: None,
                        kind: ConstraintKind::Unique,
                        columns: vec![own, other],
                        not_valid: false,
                    },
                ],
                if_not_exists: false,
            });
        }
        let relation = matches!(class, "ForeignKey" | "OneToOneField");
        let column_name = match definition.kw("db_column") {
            Some(Value::Str(c)) => c.clone(),
            _ if relation => format!("{name}_id"),
            _ => name.to_string(),
        };
        let ty = if relation {
            None
        } else {
            // A field class from a library or the project: a real column whose SQL type
            // is not known.
            field_type(class, definition, self.dialect).unwrap_or_default()
        };
        let mut def = ColumnDef::new(column_name.clone(), ty);
        def.primary_key = definition.flag("primary_key") == Some(true);
        def.nullable = definition.flag("null") == Some(true) && !def.primary_key;
        def.unique = definition.flag("unique") == Some(true) || class == "OneToOneField";
        def.auto_increment = matches!(class, "AutoField" | "BigAutoField" | "SmallAutoField");
        def.client_default = definition.kw("default").is_some_and(|v| *v != Value::None);
        match definition.kw("db_default") {
            Some(Value::Str(s)) => def.default = Some(format!("'{}'", s.replace('\'', "''"))),
            Some(Value::Int(i)) => def.default = Some(i.to_string()),
            Some(Value::Bool(b)) => def.default = Some(b.to_string()),
            Some(Value::Call { func, .. }) => {
                let last = func.rsplit('.').next().unwrap_or(func);
                def.default = Some(format!("{}()", last.to_ascii_uppercase()));
            }
            _ => {}
        }
        let foreign_key = relation.then(|| Constraint {
            name: None,
            kind: ConstraintKind::ForeignKey {
                references: self.target_table(definition.arg(0, "to"), model),
                referenced_columns: Vec::new(),
                actions: database_actions(definition.arg(1, "on_delete"), self.dialect),
            },
            columns: vec![column_name.clone()],
            not_valid: false,
        });
        let indexed =
            (relation && definition.flag("db_index") != Some(false) && class != "OneToOneField")
                || (definition.flag("db_index") == Some(true) && !def.unique && !def.primary_key);
        let index = indexed.then(|| OpKind::CreateIndex {
            name: None,
            table: table.clone(),
            columns: vec![column_name.clone()],
            unique: false,
            concurrently: false,
            partial: false,
        });
        if class.is_empty() {
            return Field::Unknown(format!(
                "cannot resolve the field {model}.{name}: {}",
                definition.describe()
            ));
        }
        Field::Column(Box::new(FieldColumn {
            def,
            foreign_key,
            index,
        }))
    }

    fn index(&mut self, table: &str, index: &Value) {
        let fields: Vec<String> = index
            .kw("fields")
            .map(Value::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::str)
            .map(|f| f.trim_start_matches('-').to_string())
            .collect();
        let name = index.kw("name").and_then(Value::str).map(str::to_string);
        if fields.is_empty() && index.kw("expressions").is_none() && index.arg(0, "").is_none() {
            self.unreadable("cannot resolve the fields of the index".into());
            return;
        }
        self.emit(OpKind::CreateIndex {
            name,
            table: table.to_string(),
            columns: fields,
            unique: false,
            concurrently: false,
            partial: index.kw("condition").is_some(),
        });
    }

    fn constraint_of(&self, constraint: &Value) -> Option<Constraint> {
        let name = constraint
            .kw("name")
            .and_then(Value::str)
            .map(str::to_string);
        let columns: Vec<String> = constraint
            .kw("fields")
            .map(Value::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::str)
            .map(str::to_string)
            .collect();
        let kind = match constraint.class() {
            "UniqueConstraint" => ConstraintKind::Unique,
            "CheckConstraint" => ConstraintKind::Check {
                expr: match constraint
                    .kw("check")
                    .or_else(|| constraint.kw("condition"))
                {
                    Some(Value::Call { func, .. }) => format!("{func}(...)"),
                    _ => "?".to_string(),
                },
            },
            _ => return None,
        };
        Some(Constraint {
            name,
            kind,
            columns,
            not_valid: false,
        })
    }

    fn constraint(&mut self, table: &str, constraint: &Value) {
        match self.constraint_of(constraint) {
            Some(constraint) => self.emit(OpKind::AddConstraint {
                table: table.to_string(),
                constraint,
            }),
            None => self.emit(OpKind::Unsupported {
                what: format!("Django constraint {}", constraint.describe()),
                table: Some(table.to_string()),
            }),
        }
    }

    /// `unique_together` / `index_together`: the new sets. Sets no longer listed are dropped
    /// by Django; their names are not known here, and dropping them only relaxes.
    fn together(&mut self, table: &str, sets: &Value, unique: bool) {
        let items = sets.items();
        // A single tuple of names stands for one set.
        let sets: Vec<Vec<String>> =
            if items.iter().all(|v| matches!(v, Value::Str(_))) && !items.is_empty() {
                vec![items
                    .iter()
                    .filter_map(Value::str)
                    .map(str::to_string)
                    .collect()]
            } else {
                items
                    .iter()
                    .map(|set| {
                        set.items()
                            .iter()
                            .filter_map(Value::str)
                            .map(str::to_string)
                            .collect()
                    })
                    .collect()
            };
        if sets.is_empty() {
            self.emit(OpKind::NoEffect {
                what: format!(
                    "{} of {table} emptied (relaxing)",
                    if unique {
                        "unique_together"
                    } else {
                        "index_together"
                    }
                ),
            });
        }
        for columns in sets {
            if unique {
                self.emit(OpKind::AddConstraint {
                    table: table.to_string(),
                    constraint: Constraint {
                        name: None,
                        kind: ConstraintKind::Unique,
                        columns,
                        not_valid: false,
                    },
                });
            } else {
                self.emit(OpKind::CreateIndex {
                    name: None,
                    table: table.to_string(),
                    columns,
                    unique: false,
                    concurrently: false,
                    partial: false,
                });
            }
        }
    }
}

enum Field {
    Column(Box<FieldColumn>),
    /// A many-to-many field: its join table (or nothing, with `through=`).
    Join(OpKind),
    Unknown(String),
}

struct FieldColumn {
    def: ColumnDef,
    foreign_key: Option<Constraint>,
    index: Option<OpKind>,
}

fn dict_get<'v>(dict: &'v Value, key: &str) -> Option<&'v Value> {
    match dict {
        Value::Dict(items) => items
            .iter()
            .find(|(k, _)| k.str() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The column type Django's schema editor gives a field class on each database (Django's
/// documented `data_types` mapping). `None` for a class this reader does not know.
/// What the database gets for a relation's foreign key. Django carries out `on_delete`
/// (`CASCADE`, `PROTECT`, `SET_NULL`, ...) in Python, before its own `DELETE`: the key
/// itself has no action. Only the `DB_CASCADE`, `DB_SET_NULL` and `DB_SET_DEFAULT` options
/// (Django 6.0) write an `ON DELETE` clause. On PostgreSQL and SQLite Django creates every
/// foreign key `DEFERRABLE INITIALLY DEFERRED`; MySQL has no deferred constraints.
fn database_actions(on_delete: Option<&Value>, dialect: Dialect) -> ForeignKeyActions {
    let on_delete = match on_delete {
        Some(Value::Name(name)) => match name.rsplit('.').next().unwrap_or(name) {
            "DB_CASCADE" => ReferentialAction::Cascade,
            "DB_SET_NULL" => ReferentialAction::SetNull,
            "DB_SET_DEFAULT" => ReferentialAction::SetDefault,
            _ => ReferentialAction::NoAction,
        },
        _ => ReferentialAction::NoAction,
    };
    ForeignKeyActions {
        on_delete,
        on_update: ReferentialAction::NoAction,
        deferrable: match dialect {
            Dialect::Postgres | Dialect::Sqlite => Deferrable::InitiallyDeferred,
            Dialect::Mysql | Dialect::Generic => Deferrable::NotDeferrable,
        },
    }
}

fn field_type(class: &str, field: &Value, dialect: Dialect) -> Option<Option<SqlType>> {
    use Dialect::{Mysql, Postgres, Sqlite};
    let int = |key: &str| match field.kw(key) {
        Some(Value::Int(i)) => u64::try_from(*i).ok(),
        _ => None,
    };
    let varchar =
        |default: u64| SqlType::with_params("VARCHAR", &[int("max_length").unwrap_or(default)]);
    let named = SqlType::named;
    let unsigned = |name: &str| SqlType {
        unsigned: dialect == Mysql,
        ..SqlType::named(name)
    };
    let ty = match class {
        "AutoField" | "IntegerField" => named("INTEGER"),
        "BigAutoField" | "BigIntegerField" => named("BIGINT"),
        "SmallAutoField" | "SmallIntegerField" => named("SMALLINT"),
        "PositiveIntegerField" => unsigned("INTEGER"),
        "PositiveSmallIntegerField" => unsigned("SMALLINT"),
        "PositiveBigIntegerField" => unsigned("BIGINT"),
        "BooleanField" | "NullBooleanField" => named("BOOLEAN"),
        "CharField" => match int("max_length") {
            Some(n) => SqlType::with_params("VARCHAR", &[n]),
            None => named("VARCHAR"),
        },
        "SlugField" => varchar(50),
        "EmailField" => varchar(254),
        "URLField" => varchar(200),
        "FileField" | "ImageField" | "FilePathField" => varchar(100),
        "CommaSeparatedIntegerField" => varchar(0),
        "GenericIPAddressField" | "IPAddressField" => match dialect {
            Postgres => named("INET"),
            _ => SqlType::with_params("CHAR", &[39]),
        },
        "TextField" => match dialect {
            Mysql => named("LONGTEXT"),
            _ => named("TEXT"),
        },
        "FloatField" => match dialect {
            Sqlite => named("REAL"),
            _ => named("DOUBLE PRECISION"),
        },
        "DecimalField" => {
            let params: Vec<u64> = [int("max_digits"), int("decimal_places")]
                .into_iter()
                .flatten()
                .collect();
            SqlType::with_params("NUMERIC", &params)
        }
        "DateField" => named("DATE"),
        "DateTimeField" => match dialect {
            Mysql => SqlType::with_params("DATETIME", &[6]),
            Postgres => named("TIMESTAMP WITH TIME ZONE"),
            _ => named("DATETIME"),
        },
        "TimeField" => match dialect {
            Mysql => SqlType::with_params("TIME", &[6]),
            _ => named("TIME"),
        },
        "DurationField" => match dialect {
            Postgres => named("INTERVAL"),
            _ => named("BIGINT"),
        },
        "UUIDField" => match dialect {
            Postgres => named("UUID"),
            _ => SqlType::with_params("CHAR", &[32]),
        },
        "JSONField" => match dialect {
            Postgres => named("JSONB"),
            Sqlite => named("TEXT"),
            _ => named("JSON"),
        },
        "BinaryField" => match dialect {
            Mysql => named("LONGBLOB"),
            Postgres => named("BYTEA"),
            _ => named("BLOB"),
        },
        _ => return Some(None),
    };
    Some(Some(ty))
}

//! Statement execution: scopes, user functions, control flow, and the stream of effects.
//!
//! Only module level and `upgrade()` are executed; function bodies run only when called, so
//! `downgrade()` never runs. Helper functions are inlined when called (up to
//! [`MAX_HELPER_DEPTH`] deep). Every recursive step counts against [`MAX_DEPTH`] so that
//! deeply nested input cannot exhaust the stack, and every statement counts against
//! [`MAX_STEPS`] so that loops cannot run away.

use std::collections::HashMap;

use ruff_python_ast::{Expr, ModModule, Stmt, StmtFunctionDef};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange};

use super::value::{FuncId, Objects, Value};
use crate::model::ops::{Dialect, OpKind, Operation};

/// Recursion budget shared by statements, expressions and calls.
pub(crate) const MAX_DEPTH: u32 = 120;
/// How deep helper functions may call each other.
pub(crate) const MAX_HELPER_DEPTH: u32 = 8;
/// Statements and loop iterations executed before the reader gives up.
pub(crate) const MAX_STEPS: u32 = 200_000;
/// Operations one script may yield. Real migrations yield hundreds at most; a script that
/// yields more is not followed further, so that memory stays bounded.
pub(crate) const MAX_EFFECTS: usize = 20_000;
/// Function calls one script may make. Each call keeps its scope (closures may read it
/// later), so the number of calls bounds the reader's memory.
pub(crate) const MAX_CALLS: usize = 10_000;
/// Characters of a statement's source kept with each operation (for messages only).
const MAX_SOURCE_CHARS: usize = 2_000;

/// Which migration tool the script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// sqlalchemy-migrate: `upgrade(migrate_engine)`.
    Migrate,
    /// Alembic: `upgrade()` with `op`.
    Alembic,
}

/// SQL text the script runs, resolved to a string, at the line of the Python call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedSql {
    /// 1-based line of the Python call that runs it.
    pub line: u32,
    /// The SQL text.
    pub sql: String,
    /// The Python source of the call.
    pub source: String,
}

/// One thing the script does to the database, in execution order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Effect {
    /// A schema operation read from Python calls.
    Op(Operation),
    /// Raw SQL, still to be lowered by the SQL reader.
    Sql(ResolvedSql),
}

/// A statement's source, cut to a length fit for messages.
fn shorten(mut source: String) -> String {
    if let Some((cut, _)) = source.char_indices().nth(MAX_SOURCE_CHARS) {
        source.truncate(cut);
    }
    source
}

/// How a block of statements ended.
pub(crate) enum Flow {
    /// Ran to its end.
    Normal,
    /// `return`, with the value.
    Return(Value),
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// The script cannot go on (it raises, or the reader ran out of budget).
    Stop,
}

struct Scope {
    vars: HashMap<String, Value>,
    parent: Option<usize>,
}

/// Positional and keyword arguments of a call, evaluated.
#[derive(Debug, Default)]
pub(crate) struct Args {
    /// Positional arguments (`*list` already expanded).
    pub pos: Vec<Value>,
    /// Keyword arguments.
    pub kw: Vec<(String, Value)>,
}

impl Args {
    /// The keyword argument `name`.
    pub fn kw(&self, name: &str) -> Option<&Value> {
        self.kw.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Positional argument `index`, or else keyword `name`.
    pub fn get(&self, index: usize, name: &str) -> Option<&Value> {
        self.pos.get(index).or_else(|| self.kw(name))
    }
}

/// The interpreter state for one script.
pub(crate) struct Interp<'a> {
    pub(crate) src: &'a str,
    lines: &'a LineIndex,
    pub(crate) dialect: Dialect,
    pub(crate) flavor: Flavor,
    scopes: Vec<Scope>,
    cur_scope: usize,
    /// User functions: definition, defining scope, and the code (index into `codes`) it
    /// is written in.
    funcs: Vec<(&'a StmtFunctionDef, usize, usize)>,
    /// Source and line index of the code being read: the script first, then the modules
    /// it imports from the repository.
    codes: Vec<(&'a str, &'a LineIndex)>,
    /// The code executing now (index into `codes`).
    cur_code: usize,
    /// Modules of the repository the script may import, by dotted name as written.
    modules: HashMap<String, (&'a str, &'a LineIndex, &'a ModModule)>,
    /// Imported modules already run: their module scope.
    module_scopes: HashMap<String, usize>,
    /// How many repository modules are running their top level now. What a module's top
    /// level cannot resolve (its own imports from the application, say) matters only if
    /// the script uses it, and is reported there.
    importing: u32,
    pub(crate) objs: Objects,
    pub(crate) effects: Vec<Effect>,
    /// Names `op.f()` marked as already converted by the naming convention.
    pub(crate) converted_names: Vec<String>,
    pub(crate) depth: u32,
    steps: u32,
    helper_depth: u32,
    anchor: Option<TextRange>,
    stmt_range: TextRange,
    stopped: bool,
    /// Inside arms run because their test is only known at run time: a `raise` there ends
    /// that arm, not the script.
    run_time_arms: u32,
}

impl<'a> Interp<'a> {
    /// A fresh interpreter over `src` (whose line index is `lines`).
    pub fn new(src: &'a str, lines: &'a LineIndex, dialect: Dialect, flavor: Flavor) -> Self {
        Interp {
            src,
            lines,
            dialect,
            flavor,
            scopes: vec![Scope {
                vars: HashMap::new(),
                parent: None,
            }],
            cur_scope: 0,
            funcs: Vec::new(),
            codes: vec![(src, lines)],
            cur_code: 0,
            modules: HashMap::new(),
            module_scopes: HashMap::new(),
            importing: 0,
            objs: Objects::default(),
            effects: Vec::new(),
            converted_names: Vec::new(),
            depth: 0,
            steps: 0,
            helper_depth: 0,
            anchor: None,
            stmt_range: TextRange::default(),
            stopped: false,
            run_time_arms: 0,
        }
    }

    /// Makes a module of the repository importable by its dotted name (as the script writes
    /// it, leading dots included for a relative import).
    pub fn add_module(
        &mut self,
        name: &str,
        src: &'a str,
        lines: &'a LineIndex,
        module: &'a ModModule,
    ) {
        self.modules.insert(name.to_string(), (src, lines, module));
    }

    /// Runs a module of the repository the script imports (once), in a scope of its own and
    /// at the line of the import; its scope, or `None` when the module was not given.
    fn import_module(&mut self, name: &str, import: TextRange) -> Option<usize> {
        if let Some(&scope) = self.module_scopes.get(name) {
            return Some(scope);
        }
        let &(src, lines, module) = self.modules.get(name)?;
        let scope = self.scopes.len();
        self.scopes.push(Scope {
            vars: HashMap::new(),
            parent: None,
        });
        // Registered before it runs, so that an import cycle ends here.
        self.module_scopes.insert(name.to_string(), scope);
        let code = self.codes.len();
        self.codes.push((src, lines));
        let (saved_scope, saved_code, saved_anchor) = (self.cur_scope, self.cur_code, self.anchor);
        self.cur_scope = scope;
        self.cur_code = code;
        self.anchor = Some(self.anchor.unwrap_or(import));
        self.helper_depth += 1;
        self.importing += 1;
        let _ = self.exec_block(&module.body);
        self.importing -= 1;
        self.helper_depth -= 1;
        self.cur_scope = saved_scope;
        self.cur_code = saved_code;
        self.anchor = saved_anchor;
        Some(scope)
    }

    /// Runs the module body, then `upgrade()`.
    pub fn run(&mut self, module: &'a ModModule) {
        let _ = self.exec_block(&module.body);
        if self.stopped {
            return;
        }
        match self
            .scopes
            .first()
            .and_then(|s| s.vars.get("upgrade"))
            .cloned()
        {
            Some(Value::Func(id)) => {
                let n_params = self
                    .funcs
                    .get(id)
                    .map_or(0, |(def, _, _)| def.parameters.args.len());
                let args = Args {
                    pos: vec![Value::Engine; n_params],
                    kw: Vec::new(),
                };
                let _ = self.call_func(id, args, true);
            }
            _ => {
                self.anchor = Some(TextRange::default());
                self.report("cannot resolve the upgrade() function: the script defines none");
                self.anchor = None;
            }
        }
    }

    /// A module-level binding, after [`Interp::run`].
    pub fn global(&self, name: &str) -> Option<&Value> {
        self.scopes.first().and_then(|s| s.vars.get(name))
    }

    /// 1-based line of a source offset range's start.
    fn line_in_script(&self, range: TextRange) -> u32 {
        u32::try_from(self.lines.line_index(range.start()).get()).unwrap_or(u32::MAX)
    }

    /// Trimmed source text of a range of the code executing now.
    pub fn text_of(&self, range: TextRange) -> String {
        let src = self.codes.get(self.cur_code).map_or(self.src, |c| c.0);
        text_in(src, range)
    }

    /// Source of a range of the script itself.
    fn script_text(&self, range: TextRange) -> String {
        text_in(self.src, range)
    }


    /// The range operations are reported at now: the outermost call of the entry code.
    fn anchor_range(&self) -> TextRange {
        self.anchor.unwrap_or(self.stmt_range)
    }

    /// Line and source of the current anchor.
    pub fn here(&self) -> (u32, String) {
        let range = self.anchor_range();
        (self.line_in_script(range), self.script_text(range))
    }

    /// Records an operation at the current anchor.
    pub fn emit(&mut self, kind: OpKind) {
        let (line, source) = self.here();
        self.emit_at(kind, line, source);
    }

    /// Records an operation at a given line.
    pub fn emit_at(&mut self, kind: OpKind, line: u32, source: String) {
        if self.over_budget(line) {
            return;
        }
        let source = shorten(source);
        self.effects
            .push(Effect::Op(Operation { line, kind, source }));
    }

    /// Records SQL text the script runs, at the current anchor.
    pub fn emit_sql(&mut self, sql: String) {
        let (line, source) = self.here();
        if self.over_budget(line) {
            return;
        }
        let source = shorten(source);
        self.effects
            .push(Effect::Sql(ResolvedSql { line, sql, source }));
    }

    /// Whether the script has yielded all it may; the first time, says so at `line` and
    /// stops the script.
    fn over_budget(&mut self, line: u32) -> bool {
        if self.effects.len() < MAX_EFFECTS {
            return false;
        }
        if !self.stopped {
            self.stopped = true;
            self.effects.push(Effect::Op(Operation {
                line,
                kind: OpKind::Unreadable {
                    error: format!(
                        "cannot resolve the script: it yields more than {MAX_EFFECTS} operations"
                    ),
                },
                source: String::new(),
            }));
        }
        true
    }

    /// Records something the reader cannot resolve, at the current anchor.
    pub fn report(&mut self, reason: impl Into<String>) {
        if self.importing > 0 {
            return;
        }
        self.emit(OpKind::Unreadable {
            error: reason.into(),
        });
    }

    /// Records an operation the reader understood but does not model.
    pub fn unsupported(&mut self, what: impl Into<String>, table: Option<String>) {
        self.emit(OpKind::Unsupported {
            what: what.into(),
            table,
        });
    }

    /// Reports `value` if it is an unknown not reported yet. True when it is unknown.
    pub fn consume(&mut self, value: &Value, context: &str) -> bool {
        match value {
            Value::Unknown(u) => {
                if !u.reported {
                    let reason = if context.is_empty() {
                        u.reason.clone()
                    } else {
                        format!("{context}: {}", u.reason)
                    };
                    self.report(reason);
                }
                true
            }
            _ => false,
        }
    }

    /// Runs `f` with the anchor set to `range` when no outer anchor is active in entry code.
    pub fn anchored<T>(&mut self, range: TextRange, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.anchor.is_none() && self.helper_depth == 0;
        if outer {
            self.anchor = Some(range);
        }
        let result = f(self);
        if outer {
            self.anchor = None;
        }
        result
    }

    /// Enters one level of recursion; false when the budget is spent (already reported).
    pub fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return false;
        }
        true
    }

    /// Leaves one level of recursion.
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Looks a name up through the enclosing scopes, then the builtins.
    pub fn lookup(&self, name: &str) -> Value {
        let mut scope = Some(self.cur_scope);
        while let Some(id) = scope {
            let Some(s) = self.scopes.get(id) else { break };
            if let Some(v) = s.vars.get(name) {
                return v.clone();
            }
            scope = s.parent;
        }
        match name {
            "print" | "len" | "str" | "int" | "bool" | "dict" | "set" | "range" | "list"
            | "tuple" | "sorted" | "reversed" | "enumerate" => Value::Builtin(builtin_name(name)),
            // Run by the migration tool, a script is imported, never `__main__`.
            "__name__" => Value::Str("migration".into()),
            "__file__" | "__doc__" => Value::Noise,
            _ => Value::unknown(format!("cannot resolve name `{name}`")),
        }
    }

    /// Binds a name in the current scope.
    pub fn bind(&mut self, name: &str, value: Value) {
        if let Some(s) = self.scopes.get_mut(self.cur_scope) {
            s.vars.insert(name.to_string(), value);
        }
    }

    /// Assigns to a target expression (names, tuples of names, attributes).
    pub fn assign(&mut self, target: &'a Expr, value: Value) {
        match target {
            Expr::Name(n) => self.bind(n.id.as_str(), value),
            Expr::Tuple(t) => self.unpack(&t.elts, value),
            Expr::List(l) => self.unpack(&l.elts, value),
            Expr::Attribute(a) => {
                let recv = self.eval(&a.value);
                match recv {
                    // `metadata.bind = migrate_engine` and friends configure Python objects.
                    Value::MetaData(_) | Value::Noise | Value::Engine | Value::Session => {}
                    // `Model.attr = relationship(...)`: ORM configuration in Python only.
                    Value::Sym(_) | Value::LightTable(_) if matches!(value, Value::Noise) => {}
                    // `obj.field = ...` on an ORM object read from the database: the session
                    // writes it back.
                    Value::Data(table) => self.emit(OpKind::DataChange {
                        change: crate::model::ops::DataChangeKind::Update,
                        table: table.unwrap_or_else(|| "?".to_string()),
                        filtered: true,
                    }),
                    Value::Unknown(_) => {
                        self.consume(&recv, "cannot resolve assignment target");
                    }
                    other => self.unsupported(
                        format!("assignment to `.{}` of a {}", a.attr, other.kind_name()),
                        None,
                    ),
                }
            }
            // Filling a dict or a row value: no effect until it is executed.
            Expr::Subscript(s)
                if matches!(
                    self.eval(&s.value),
                    Value::Dict(_) | Value::Data(_) | Value::List(_)
                ) => {}
            other => {
                let text = self.text_of(other.range());
                self.report(format!("cannot resolve assignment to `{text}`"));
            }
        }
    }

    fn unpack(&mut self, targets: &'a [Expr], value: Value) {
        match value {
            Value::Data(table) => {
                for t in targets {
                    self.assign(t, Value::Data(table.clone()));
                }
            }
            Value::List(items) if items.len() == targets.len() => {
                for (t, v) in targets.iter().zip(items) {
                    self.assign(t, v);
                }
            }
            other => {
                let reason = match &other {
                    Value::Unknown(u) => u.reason.clone(),
                    v => format!("cannot unpack a {}", v.kind_name()),
                };
                self.consume(&Value::unknown(reason.clone()), "");
                for t in targets {
                    self.assign(t, Value::reported(reason.clone()));
                }
            }
        }
    }

    /// Executes statements in order until one ends the block.
    pub fn exec_block(&mut self, body: &'a [Stmt]) -> Flow {
        for stmt in body {
            if self.stopped {
                return Flow::Stop;
            }
            match self.exec_stmt(stmt) {
                Flow::Normal => {}
                other => return other,
            }
        }
        Flow::Normal
    }

    fn exec_stmt(&mut self, stmt: &'a Stmt) -> Flow {
        if self.stopped {
            return Flow::Stop;
        }
        self.steps += 1;
        if self.helper_depth == 0 && self.anchor.is_none() {
            self.stmt_range = stmt.range();
        }
        if self.steps > MAX_STEPS {
            self.report("cannot resolve the script: it runs too many steps to follow");
            self.stopped = true;
            return Flow::Stop;
        }
        if !self.enter() {
            self.report("cannot resolve statements nested this deeply");
            return Flow::Normal;
        }
        let flow = self.exec_stmt_inner(stmt);
        self.leave();
        flow
    }

    fn exec_stmt_inner(&mut self, stmt: &'a Stmt) -> Flow {
        match stmt {
            Stmt::Expr(e) => {
                let v = self.eval(&e.value);
                self.consume(&v, "");
                Flow::Normal
            }
            Stmt::Assign(a) => {
                let v = self.eval(&a.value);
                // A call into the application may change the schema; its result kept in a
                // variable must not hide it.
                let v = match v {
                    Value::Unknown(u)
                        if !u.reported && u.reason.ends_with(super::value::OUTSIDE_CALL) =>
                    {
                        self.report(u.reason.clone());
                        Value::reported(u.reason)
                    }
                    v => v,
                };
                for t in &a.targets {
                    self.assign(t, v.clone());
                }
                Flow::Normal
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.eval(value);
                    self.assign(&a.target, v);
                }
                Flow::Normal
            }
            Stmt::AugAssign(a) => {
                let left = self.eval(&a.target);
                let right = self.eval(&a.value);
                let v = self.binop(left, a.op, right);
                self.assign(&a.target, v);
                Flow::Normal
            }
            Stmt::FunctionDef(f) => {
                let id: FuncId = self.funcs.len();
                self.funcs.push((f, self.cur_scope, self.cur_code));
                self.bind(f.name.as_str(), Value::Func(id));
                Flow::Normal
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let full = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => self.bind(asname.as_str(), module_value(full)),
                        None => {
                            let root = full.split('.').next().unwrap_or(full);
                            self.bind(root, module_value(root));
                        }
                    }
                }
                Flow::Normal
            }
            Stmt::ImportFrom(i) => {
                let module = i.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                let written = format!("{}{module}", ".".repeat(i.level as usize));
                // A relative import is relative to the script's package: only the script's
                // own are resolved (a module's would name another package).
                let repo_scope = if i.level == 0 || self.cur_code == 0 {
                    self.import_module(&written, i.range())
                } else {
                    None
                };
                for alias in &i.names {
                    let name = alias.name.as_str();
                    if name == "*" {
                        self.unsupported(format!("`from {module} import *`"), None);
                        continue;
                    }
                    let bound = alias.asname.as_ref().map_or(name, |a| a.as_str());
                    // What the module's top level could not resolve (a class of the
                    // application, a value of its own imports) stays a name from outside
                    // the migration, as without the module.
                    let found = repo_scope
                        .and_then(|scope| self.scopes.get(scope))
                        .and_then(|scope| scope.vars.get(name))
                        .filter(|value| !matches!(value, Value::Unknown(_)))
                        .cloned();
                    if let Some(value) = found {
                        self.bind(bound, value);
                        continue;
                    }
                    let path = if module.is_empty() || i.level > 0 {
                        format!("(relative).{name}")
                    } else {
                        format!("{module}.{name}")
                    };
                    self.bind(bound, module_value(&path));
                }
                Flow::Normal
            }
            Stmt::If(s) => {
                let test = self.eval(&s.test);
                if test.is_run_time() {
                    return self.exec_every_arm(s, &test);
                }
                match self.condition(&test) {
                    Some(true) => return self.exec_block(&s.body),
                    Some(false) => {}
                    None => {
                        self.forget_assigned(
                            &s.body,
                            "assigned under a condition that cannot be resolved",
                        );
                        for clause in &s.elif_else_clauses {
                            self.forget_assigned(
                                &clause.body,
                                "assigned under a condition that cannot be resolved",
                            );
                        }
                        return Flow::Normal;
                    }
                }
                for (i, clause) in s.elif_else_clauses.iter().enumerate() {
                    match &clause.test {
                        None => return self.exec_block(&clause.body),
                        Some(t) => {
                            let v = self.eval(t);
                            if v.is_run_time() {
                                let arms: Vec<&'a [Stmt]> = s
                                    .elif_else_clauses
                                    .iter()
                                    .skip(i)
                                    .map(|c| &c.body[..])
                                    .collect();
                                return self.exec_arms(&arms, &v);
                            }
                            match self.condition(&v) {
                                Some(true) => return self.exec_block(&clause.body),
                                Some(false) => {}
                                None => {
                                    for rest in s.elif_else_clauses.iter().skip(i) {
                                        self.forget_assigned(
                                            &rest.body,
                                            "assigned under a condition that cannot be resolved",
                                        );
                                    }
                                    return Flow::Normal;
                                }
                            }
                        }
                    }
                }
                Flow::Normal
            }
            Stmt::For(f) => {
                let iter = self.eval(&f.iter);
                let items = match iter {
                    Value::List(items) => items,
                    Value::Dict(items) => items.into_iter().map(|(k, _)| k).collect(),
                    // Rows read at run time: the body runs once, on a row value, so that
                    // what it does to each row is read once.
                    Value::Rows(table) | Value::Data(table) => vec![Value::Data(table)],
                    Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string())).collect(),
                    other => {
                        let reason = match &other {
                            Value::Unknown(u) => u.reason.clone(),
                            v => format!("iterating over a {}", v.kind_name()),
                        };
                        if !matches!(&other, Value::Unknown(u) if u.reported) {
                            self.report(format!("cannot resolve loop: {reason}"));
                        }
                        self.forget_assigned(&f.body, "assigned in a loop that cannot be resolved");
                        return Flow::Normal;
                    }
                };
                for item in items {
                    self.steps += 1;
                    self.assign(&f.target, item);
                    match self.exec_block(&f.body) {
                        Flow::Normal | Flow::Continue => {}
                        Flow::Break => return Flow::Normal,
                        other => return other,
                    }
                }
                self.exec_block(&f.orelse)
            }
            Stmt::With(w) => {
                for item in &w.items {
                    let v = self.eval(&item.context_expr);
                    if self.consume(&v, "cannot resolve `with`") {
                        return Flow::Normal;
                    }
                    if let Some(target) = &item.optional_vars {
                        self.assign(target, v);
                    }
                }
                self.exec_block(&w.body)
            }
            Stmt::Return(r) => {
                let v = match &r.value {
                    Some(e) => self.eval(e),
                    None => Value::None,
                };
                Flow::Return(v)
            }
            Stmt::Raise(_) if self.run_time_arms > 0 => Flow::Stop,
            Stmt::Raise(_) => {
                self.report(format!(
                    "cannot resolve the migration for dialect {}: it raises an exception here",
                    self.dialect
                ));
                self.stopped = true;
                Flow::Stop
            }
            Stmt::Break(_) => Flow::Break,
            Stmt::Continue(_) => Flow::Continue,
            Stmt::Pass(_) | Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Assert(_) => Flow::Normal,
            Stmt::Delete(d) => {
                for t in &d.targets {
                    if let Expr::Name(n) = t {
                        if let Some(s) = self.scopes.get_mut(self.cur_scope) {
                            s.vars.remove(n.id.as_str());
                        }
                    }
                }
                Flow::Normal
            }
            Stmt::Try(t) => {
                if !t.handlers.is_empty() {
                    self.unsupported(
                        "try/except: only the `try` path is read; the handlers need review",
                        None,
                    );
                }
                match self.exec_block(&t.body) {
                    Flow::Normal => {}
                    other => return other,
                }
                match self.exec_block(&t.orelse) {
                    Flow::Normal => {}
                    other => return other,
                }
                self.exec_block(&t.finalbody)
            }
            Stmt::ClassDef(c) => {
                // An ORM model declared for data changes: known by its `__tablename__`.
                let value = match table_name_of_class(c) {
                    Some(name) => Value::LightTable(name),
                    None => self.type_class(c),
                };
                self.bind(c.name.as_str(), value);
                Flow::Normal
            }
            Stmt::While(_) => {
                self.unsupported("`while` loop", None);
                Flow::Normal
            }
            Stmt::Match(_) => {
                self.unsupported("`match` statement", None);
                Flow::Normal
            }
            Stmt::TypeAlias(_) => Flow::Normal,
            Stmt::IpyEscapeCommand(_) => {
                self.report("cannot resolve an IPython escape command");
                Flow::Normal
            }
        }
    }

    /// An `if` whose test only the running database can answer (the engine under the
    /// generic dialect, row data): every arm runs, one after the other, so that the worse
    /// of them decides the verdict.
    fn exec_every_arm(&mut self, s: &'a ruff_python_ast::StmtIf, test: &Value) -> Flow {
        let arms: Vec<&'a [Stmt]> = std::iter::once(&s.body[..])
            .chain(s.elif_else_clauses.iter().map(|c| &c.body[..]))
            .collect();
        self.exec_arms(&arms, test)
    }

    /// Runs each arm in turn. A name the arms bind to different values is unknown after
    /// them (a column type chosen per database), for the same reason as the test.
    fn exec_arms(&mut self, arms: &[&'a [Stmt]], test: &Value) -> Flow {
        let reason = match test {
            Value::Unknown(u) if u.reason == super::value::DIALECT_NOT_KNOWN => {
                super::value::DIALECT_NOT_KNOWN
            }
            _ => super::value::FROM_ROW_DATA,
        };
        self.run_time_arms += 1;
        let mut bound: Vec<(String, Value, bool)> = Vec::new();
        for arm in arms {
            // A `return`, `break` or `raise` in one arm must not hide the others' effects.
            let _ = self.exec_block(arm);
            let mut names = Vec::new();
            collect_assigned(arm, &mut names, 0);
            for name in names {
                let value = self.lookup(&name);
                match bound.iter_mut().find(|(n, _, _)| *n == name) {
                    Some((_, first, differs)) => *differs |= *first != value,
                    None => bound.push((name, value, false)),
                }
            }
            if self.stopped {
                break;
            }
        }
        for (name, _, differs) in bound {
            if differs {
                self.bind(&name, Value::unknown(reason));
            }
        }
        self.run_time_arms -= 1;
        if self.stopped {
            Flow::Stop
        } else {
            Flow::Normal
        }
    }

    /// After a block that could not be followed, every name it may have bound or mutated
    /// is unknown, and is reported again where it is used.
    fn forget_assigned(&mut self, body: &'a [Stmt], reason: &str) {
        let mut names = Vec::new();
        collect_assigned(body, &mut names, 0);
        for name in names {
            self.bind(&name, Value::unknown(format!("`{name}` is {reason}")));
        }
    }

    /// The truth of an `if`/`elif` test; reports and returns `None` when it is not known.
    fn condition(&mut self, test: &Value) -> Option<bool> {
        match test.truthy() {
            Some(b) => Some(b),
            None => {
                let reason = match test {
                    Value::Unknown(u) if u.reported => return None,
                    Value::Unknown(u) => u.reason.clone(),
                    v => format!("the truth of a {} is not known", v.kind_name()),
                };
                self.report(format!("cannot resolve condition: {reason}"));
                None
            }
        }
    }

    /// Calls a function defined in the script. `entry` is true for `upgrade()` itself.
    pub fn call_func(&mut self, id: FuncId, args: Args, entry: bool) -> Value {
        let Some(&(def, def_scope, def_code)) = self.funcs.get(id) else {
            return Value::unknown("cannot resolve function");
        };
        if !entry && self.helper_depth >= MAX_HELPER_DEPTH {
            let msg = format!(
                "cannot resolve call to `{}`: helper functions nested too deeply",
                def.name
            );
            self.report(msg.clone());
            return Value::reported(msg);
        }
        if self.scopes.len() >= MAX_CALLS {
            let msg = format!(
                "cannot resolve the script: it calls functions more than {MAX_CALLS} times"
            );
            if !self.stopped {
                self.report(msg.clone());
                self.stopped = true;
            }
            return Value::reported(msg);
        }
        let scope = self.scopes.len();
        self.scopes.push(Scope {
            vars: HashMap::new(),
            parent: Some(def_scope),
        });
        let saved_scope = self.cur_scope;
        self.cur_scope = scope;
        let saved_code = self.cur_code;
        self.cur_code = def_code;
        let params = &def.parameters;
        let mut pos = args.pos.into_iter();
        for p in params.posonlyargs.iter().chain(params.args.iter()) {
            let name = p.parameter.name.as_str();
            let value = match pos.next() {
                Some(v) => v,
                None => match args.kw.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => v.clone(),
                    None => match &p.default {
                        Some(d) => self.eval(d),
                        None => Value::unknown(format!("missing argument `{name}`")),
                    },
                },
            };
            self.bind(name, value);
        }
        if let Some(rest) = &params.vararg {
            self.bind(rest.name.as_str(), Value::List(pos.collect()));
        }
        for p in &params.kwonlyargs {
            let name = p.parameter.name.as_str();
            let value = match args.kw.iter().find(|(k, _)| k == name) {
                Some((_, v)) => v.clone(),
                None => match &p.default {
                    Some(d) => self.eval(d),
                    None => Value::unknown(format!("missing argument `{name}`")),
                },
            };
            self.bind(name, value);
        }
        if let Some(kwargs) = &params.kwarg {
            self.bind(
                kwargs.name.as_str(),
                Value::unknown("cannot resolve `**kwargs`"),
            );
        }
        if !entry {
            self.helper_depth += 1;
        }
        let flow = self.exec_block(&def.body);
        if !entry {
            self.helper_depth -= 1;
        }
        self.cur_scope = saved_scope;
        self.cur_code = saved_code;
        match flow {
            Flow::Return(v) => v,
            Flow::Stop => Value::reported("the script stopped"),
            _ => Value::None,
        }
    }

    /// Replaces the list bound to `name` (for `name.append(...)`).
    pub fn rebind_existing(&mut self, name: &str, value: Value) {
        let mut scope = Some(self.cur_scope);
        while let Some(id) = scope {
            let Some(s) = self.scopes.get_mut(id) else {
                break;
            };
            if let Some(slot) = s.vars.get_mut(name) {
                *slot = value;
                return;
            }
            scope = s.parent;
        }
    }

    /// `engine.url` for the configured dialect: only its scheme is known.
    pub fn engine_url(&self) -> Value {
        match self.engine_name() {
            Value::Str(name) => Value::EngineUrl(format!("{name}://")),
            other => other,
        }
    }

    /// The engine name SQLAlchemy reports for the configured dialect.
    pub fn engine_name(&self) -> Value {
        match self.dialect {
            Dialect::Mysql => Value::Str("mysql".into()),
            Dialect::Postgres => Value::Str("postgresql".into()),
            Dialect::Sqlite => Value::Str("sqlite".into()),
            Dialect::Generic => Value::unknown(super::value::DIALECT_NOT_KNOWN),
        }
    }
}

impl<'a> Interp<'a> {
    /// A class deriving from `TypeDecorator` is a column type: its `impl` when the reader
    /// knows it, else a type whose SQL is not known.
    fn type_class(&mut self, class: &'a ruff_python_ast::StmtClassDef) -> Value {
        let derives_type = class.bases().iter().any(|b| {
            let text = self.text_of(b.range());
            text.ends_with("TypeDecorator") || text.ends_with("UserDefinedType")
        });
        if !derives_type {
            return Value::unknown(format!("cannot resolve class `{}`", class.name));
        }
        let implementation = class.body.iter().find_map(|stmt| match stmt {
            Stmt::Assign(a)
                if a.targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "impl")) =>
            {
                Some(&*a.value)
            }
            _ => None,
        });
        match implementation.map(|e| self.eval(e)) {
            Some(Value::Type(t)) => Value::Type(t),
            Some(Value::Sym(path)) => match path.rsplit('.').next() {
                Some(last) => {
                    Value::Type(super::types::sqla_type(last, &[], &[], self.dialect).flatten())
                }
                None => Value::Type(None),
            },
            _ => Value::Type(None),
        }
    }
}

/// The literal `__tablename__ = "..."` of a class body, if any.
fn table_name_of_class(class: &ruff_python_ast::StmtClassDef) -> Option<String> {
    class.body.iter().find_map(|stmt| {
        let Stmt::Assign(a) = stmt else { return None };
        let named = a
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__tablename__"));
        match (&*a.value, named) {
            (Expr::StringLiteral(s), true) => Some(s.value.to_str().to_string()),
            _ => None,
        }
    })
}

fn builtin_name(name: &str) -> &'static str {
    match name {
        "print" => "print",
        "len" => "len",
        "bool" => "bool",
        "dict" => "dict",
        "set" => "set",
        "str" => "str",
        "int" => "int",
        "range" => "range",
        "list" => "list",
        "tuple" => "tuple",
        "sorted" => "sorted",
        "reversed" => "reversed",
        _ => "enumerate",
    }
}

/// Modules whose calls cannot touch the database.
const NOISE_MODULES: &[&str] = &[
    "logging",
    "os",
    "sys",
    "time",
    "datetime",
    "json",
    "re",
    "warnings",
    "typing",
    "typing_extensions",
    "__future__",
    "collections",
    "functools",
    "itertools",
    "textwrap",
];

/// Trimmed text of a range of `src`.
fn text_in(src: &str, range: TextRange) -> String {
    src.get(range.start().to_usize()..range.end().to_usize())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The value an imported module or name is bound to.
pub(crate) fn module_value(path: &str) -> Value {
    let root = path.split('.').next().unwrap_or(path);
    if NOISE_MODULES.contains(&root) {
        Value::Noise
    } else {
        Value::Sym(path.to_string())
    }
}

/// Names a block may bind or mutate (`x = ...`, `for x in`, `x.append(...)`), nested
/// blocks included up to a fixed depth.
fn collect_assigned(body: &[Stmt], out: &mut Vec<String>, depth: u32) {
    if depth > 32 {
        return;
    }
    let target = |e: &Expr, out: &mut Vec<String>| collect_target_names(e, out, 0);
    for stmt in body {
        match stmt {
            Stmt::Assign(a) => a.targets.iter().for_each(|t| target(t, out)),
            Stmt::AugAssign(a) => target(&a.target, out),
            Stmt::AnnAssign(a) => target(&a.target, out),
            Stmt::For(f) => {
                target(&f.target, out);
                collect_assigned(&f.body, out, depth + 1);
                collect_assigned(&f.orelse, out, depth + 1);
            }
            Stmt::While(w) => {
                collect_assigned(&w.body, out, depth + 1);
                collect_assigned(&w.orelse, out, depth + 1);
            }
            Stmt::If(i) => {
                collect_assigned(&i.body, out, depth + 1);
                for c in &i.elif_else_clauses {
                    collect_assigned(&c.body, out, depth + 1);
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        target(v, out);
                    }
                }
                collect_assigned(&w.body, out, depth + 1);
            }
            Stmt::Try(t) => {
                collect_assigned(&t.body, out, depth + 1);
                collect_assigned(&t.orelse, out, depth + 1);
                collect_assigned(&t.finalbody, out, depth + 1);
            }
            Stmt::Expr(e) => {
                if let Expr::Call(c) = &*e.value {
                    if let Expr::Attribute(a) = &*c.func {
                        let mutates = matches!(
                            a.attr.as_str(),
                            "append" | "extend" | "insert" | "remove" | "pop" | "clear"
                        );
                        if let (true, Expr::Name(n)) = (mutates, &*a.value) {
                            out.push(n.id.as_str().to_string());
                        }
                    }
                }
            }
            Stmt::FunctionDef(f) => out.push(f.name.as_str().to_string()),
            _ => {}
        }
    }
}

fn collect_target_names(e: &Expr, out: &mut Vec<String>, depth: u32) {
    if depth > 32 {
        return;
    }
    match e {
        Expr::Name(n) => out.push(n.id.as_str().to_string()),
        Expr::Tuple(t) => t
            .elts
            .iter()
            .for_each(|e| collect_target_names(e, out, depth + 1)),
        Expr::List(l) => l
            .elts
            .iter()
            .for_each(|e| collect_target_names(e, out, depth + 1)),
        Expr::Starred(s) => collect_target_names(&s.value, out, depth + 1),
        _ => {}
    }
}

//! Python migrations (sqlalchemy-migrate and Alembic), read statically: the source is
//! parsed, never imported or run.
//!
//! # How a script is read
//! The reader executes the script abstractly: module level first, then `upgrade()`.
//! `downgrade()` and other functions run only when called from there; comments are never
//! read. Names bound to literals, lists and tuples iterated by `for` loops, `%` formatting,
//! `str.format`, f-strings, `+` concatenation, small helper functions (inlined), and
//! branches on the engine name (`migrate_engine.name == "mysql"`, chosen by the configured
//! [`Dialect`]) are all followed. Calls into SQLAlchemy, sqlalchemy-migrate and Alembic
//! become [`Operation`]s. Anything that cannot be resolved becomes
//! [`OpKind::Unreadable`] ("cannot resolve ...") or [`OpKind::Unsupported`] at its line,
//! never a silent gap. For [`Dialect::Generic`] the engine name is not known, so a branch
//! on it is unreadable.
//!
//! # What the SQLAlchemy calls mean
//! - `metadata.create_all()` creates the declared, not yet created tables bound to that
//!   `MetaData` (as `CREATE TABLE IF NOT EXISTS`, because it checks first), with their
//!   `index=True` columns and `Index(...)` objects; `table.create()` creates one table.
//!   `Table(name, metadata, autoload=True)` is only a handle to an existing table.
//! - `Column(...).create(table)` adds a column; when the column has a Python `default=`,
//!   sqlalchemy-migrate also fills existing rows, read as an `UPDATE` of every row.
//! - `col.alter(...)` gives one operation per keyword (`type`, `nullable`, `server_default`),
//!   and the rename (`name=`) last, so that the others name the column as it was.
//! - A single integer primary key column gets `auto_increment` unless
//!   `autoincrement=False`, as SQLAlchemy does; `primary_key=True` implies NOT NULL.
//! - Types map as listed in the `types` module; types the reader does not know (a custom
//!   type imported from the application) leave the column's type unknown.
//!
//! # Lines
//! An operation carries the line of the call that caused it, in the code of module level or
//! `upgrade()` itself: when a helper function is inlined, its operations carry the line of
//! the call to the helper; inside a loop, every iteration carries the loop body's line. A
//! table created by `metadata.create_all()` carries the line of its `Table(...)` declaration
//! (and an index the line of its `Index(...)`), so that each table has its own line.
//!
//! # Branches and data
//! A branch on the dialect (`op.get_bind().dialect.name`, `op.get_context().dialect.name`,
//! `context.get_context().dialect`, `bind.engine.name`, `str(bind.engine.url).startswith(...)`,
//! `url.drivername`, helper functions returning such tests) is decided by the configured
//! dialect. With the generic dialect, and for tests on row data, every arm runs in turn, so
//! that the worse outcome is judged. Data code is read as data: dict literals and their
//! `.items()`, `select(...)` executed (a read, no effect), `update` / `insert` / `delete`
//! built with SQLAlchemy Core (`table.update().where(...)`, `sa.update(table)`), rows read and
//! looped over (the body runs once, on a row value), ORM sessions (`Session(bind=...)`,
//! `session.query(Model)`, `session.add(...)`, attribute writes on rows) and models declared
//! with `__tablename__`. SQL text built from row values is read as data when it changes
//! data; used as a name in DDL it is unreadable.
//!
//! Raw SQL (`migrate_engine.execute("...")`, `conn.execute(text("..."))`,
//! `op.execute(sa.text("..."))`) is resolved to its string and lowered with
//! [`crate::read::sql::lower_sql`]; every operation it yields carries the line of the Python call,
//! not the line inside the string, because a resolved string is often built from several
//! literals spread over several lines.

mod alembic;
pub mod django;
mod expr;
mod foreign_keys;
mod guard;
mod naming;
mod interp;
mod sqla;
mod strfmt;
mod suppress;
mod synapse;
mod types;
mod value;

#[cfg(test)]
mod tests;

use ruff_python_ast::{ModModule, PySourceType};
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;

use crate::model::ops::{Dialect, OpKind, Operation, ParsedMigration};
use interp::{Effect, Flavor, Interp};
pub use synapse::read_synapse_delta;
use value::Value;

/// Reads a sqlalchemy-migrate script: module level and `upgrade()` count.
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
pub fn read_sqlalchemy_migrate(source: &str, dialect: Dialect) -> ParsedMigration {
    lower(resolve(source, dialect, Flavor::Migrate), dialect)
}

/// Reads an Alembic revision: `revision`, `down_revision` and `upgrade()`.
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
pub fn read_alembic(source: &str, dialect: Dialect) -> ParsedMigration {
    lower(resolve(source, dialect, Flavor::Alembic), dialect)
}

/// A repository module that migrations import, parsed once: every script that imports the
/// same blob reads the same tree (Balrog's two scripts that import the 160 KB `auslib/db.py`
/// parsed it twice for every version of it).
#[derive(Debug)]
pub struct ParsedModule {
    text: String,
    lines: LineIndex,
    /// Always `Some` until dropped (see [`guard::dispose`]).
    parsed: Option<ruff_python_parser::Parsed<ModModule>>,
}

impl ParsedModule {
    /// Parses a module's source (errors are kept, as for any script: what parses is read).
    pub fn parse(text: String) -> ParsedModule {
        let parsed = ruff_python_parser::parse_unchecked_source(&text, PySourceType::Python);
        let lines = LineIndex::from_source_text(&text);
        ParsedModule {
            text,
            lines,
            parsed: Some(parsed),
        }
    }

    fn syntax(&self) -> Option<&ModModule> {
        self.parsed.as_ref().map(|p| p.syntax())
    }
}

impl Drop for ParsedModule {
    fn drop(&mut self) {
        if let Some(parsed) = self.parsed.take() {
            guard::dispose(parsed);
        }
    }
}

/// Reads a Python migration (`Alembic` or sqlalchemy-migrate) with the repository modules it
/// imports: `modules` maps a module's name as the script writes it after `from` (leading
/// dots included) to the module. Their top-level functions and constants are read as the
/// script's own helpers are; names from a module not given stay unresolved.
pub fn read_python_with_modules(
    source: &str,
    dialect: Dialect,
    alembic: bool,
    modules: &[(String, std::sync::Arc<ParsedModule>)],
) -> ParsedMigration {
    let flavor = if alembic {
        Flavor::Alembic
    } else {
        Flavor::Migrate
    };
    lower(resolve_with(source, dialect, flavor, modules), dialect)
}

/// Modules a script imports with `from NAME import ...`, as written (leading dots kept),
/// that may be the repository's own: a plain scan of the text, so that they can be looked up
/// before the script is parsed. Libraries the reader models are left out.
pub fn imported_module_names(source: &str) -> Vec<String> {
    const LIBRARIES: &[&str] = &[
        "__future__", "alembic", "sqlalchemy", "migrate", "typing", "datetime", "os", "sys",
        "re", "json", "uuid", "enum", "collections", "functools", "itertools", "logging",
        "django", "decimal", "textwrap", "contextlib", "dataclasses",
    ];
    let mut names: Vec<String> = Vec::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("from ") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let (Some(name), Some("import")) = (words.next(), words.next()) else {
            continue;
        };
        let root = name.trim_start_matches('.').split('.').next().unwrap_or("");
        let relative = name.starts_with('.');
        if !relative && LIBRARIES.contains(&root) {
            continue;
        }
        if names.len() < MAX_IMPORTED_MODULES && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// Repository modules read for one script: a bound on the extra parsing one file can cause.
pub const MAX_IMPORTED_MODULES: usize = 16;

/// Whether a line is a Python 2 `print` statement (`print "x"`, `print x, y`,
/// `print >>f, x`), not a call of the `print` function.
fn is_python2_print(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("print") else {
        return false;
    };
    let rest_trimmed = rest.trim_start();
    rest.starts_with([' ', '\t'])
        && !rest_trimmed.is_empty()
        && !rest_trimmed.starts_with(['(', '=', '.', '[', ','])
        && !rest_trimmed.starts_with("+=")
}

/// What a script does, before raw SQL is lowered.
#[derive(Debug)]
pub(crate) struct Resolved {
    /// Operations and SQL strings in execution order.
    pub effects: Vec<Effect>,
    /// Alembic `revision`.
    pub revision: Option<String>,
    /// Alembic `down_revision`.
    pub down_revisions: Vec<String>,
    /// Inline suppression comments.
    pub suppressions: Vec<crate::model::ops::Suppression>,
}

/// Parses and executes a script, keeping raw SQL as resolved strings.
#[cfg_attr(not(test), allow(dead_code))] // tests read scripts without modules
pub(crate) fn resolve(source: &str, dialect: Dialect, flavor: Flavor) -> Resolved {
    resolve_with(source, dialect, flavor, &[])
}

/// [`resolve`], with repository modules the script may import (see
/// [`read_python_with_modules`]).
pub(crate) fn resolve_with(
    source: &str,
    dialect: Dialect,
    flavor: Flavor,
    modules: &[(String, std::sync::Arc<ParsedModule>)],
) -> Resolved {
    let source = crate::model::ops::without_byte_order_mark(source);
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let lines = LineIndex::from_source_text(source);
    let line_of = |offset| u32::try_from(lines.line_index(offset).get()).unwrap_or(u32::MAX);

    let mut syntax_errors = Vec::new();
    let mut error_lines = Vec::new();
    for error in parsed.errors() {
        let line = line_of(error.location.start());
        // Recovery often reports several errors for one mistake; one per line is enough.
        if error_lines.contains(&line) {
            continue;
        }
        // Python 2's `print "..."` statement (old migrations were Python 2): recovery reads
        // it as the name `print` and the printed values, which change nothing.
        let text = source.lines().nth(line.saturating_sub(1) as usize).unwrap_or("");
        if is_python2_print(text) {
            continue;
        }
        error_lines.push(line);
        syntax_errors.push(Effect::Op(Operation {
            line,
            kind: OpKind::Unreadable {
                error: format!("syntax error: {}", error.error),
            },
            source: String::new(),
        }));
    }

    let mut interp = Interp::new(source, &lines, dialect, flavor);
    for (name, module) in modules {
        if let Some(syntax) = module.syntax() {
            interp.add_module(name, &module.text, &module.lines, syntax);
        }
    }
    interp.run(parsed.syntax());
    if flavor == Flavor::Alembic {
        let syntaxes: Vec<&ModModule> = modules.iter().filter_map(|m| m.1.syntax()).collect();
        if let Some(convention) = naming::find(&syntaxes) {
            for effect in &mut interp.effects {
                if let Effect::Op(op) = effect {
                    convention.apply(&mut op.kind, &interp.converted_names);
                }
            }
        }
    }
    // Error recovery leaves placeholder nodes behind; what they yield repeats the error.
    // Deeply nested code yields one unreadable op per level: one per line is enough, and
    // thousands would make every later stage slow.
    let mut unreadable_lines = error_lines.clone();
    let read: Vec<Effect> = interp
        .effects
        .drain(..)
        .filter(|e| match e {
            Effect::Op(op) if matches!(op.kind, OpKind::Unreadable { .. }) => {
                if unreadable_lines.contains(&op.line) {
                    return false;
                }
                unreadable_lines.push(op.line);
                true
            }
            Effect::Op(_) | Effect::Sql(_) => true,
        })
        .collect();
    let effects = place_syntax_errors(read, syntax_errors);

    let mut resolved = Resolved {
        effects,
        revision: None,
        down_revisions: Vec::new(),
        suppressions: suppress::suppressions(source, &parsed, &lines),
    };
    if flavor == Flavor::Alembic {
        alembic_identifiers(&interp, &parsed, &mut resolved, &line_of);
    }
    drop(interp);
    guard::dispose(parsed);
    resolved
}

fn effect_line(effect: &Effect) -> u32 {
    match effect {
        Effect::Op(op) => op.line,
        Effect::Sql(sql) => sql.line,
    }
}

/// Puts each syntax error where it stands in the file: before the first effect read from a
/// later line, so that the report lists the file top to bottom.
fn place_syntax_errors(read: Vec<Effect>, errors: Vec<Effect>) -> Vec<Effect> {
    let mut out = Vec::with_capacity(read.len() + errors.len());
    let mut errors = errors.into_iter().peekable();
    for effect in read {
        while let Some(error) = errors.next_if(|e| effect_line(e) < effect_line(&effect)) {
            out.push(error);
        }
        out.push(effect);
    }
    out.extend(errors);
    out
}

/// Reads `revision` and `down_revision` from the module's bindings.
fn alembic_identifiers(
    interp: &Interp<'_>,
    parsed: &ruff_python_parser::Parsed<ruff_python_ast::ModModule>,
    resolved: &mut Resolved,
    line_of: &dyn Fn(ruff_text_size::TextSize) -> u32,
) {
    let assigned_line = |name: &str| {
        parsed
            .syntax()
            .body
            .iter()
            .find(|s| match s {
                ruff_python_ast::Stmt::Assign(a) => a
                    .targets
                    .iter()
                    .any(|t| matches!(t, ruff_python_ast::Expr::Name(n) if n.id.as_str() == name)),
                ruff_python_ast::Stmt::AnnAssign(a) => {
                    matches!(&*a.target, ruff_python_ast::Expr::Name(n) if n.id.as_str() == name)
                }
                _ => false,
            })
            .map_or(1, |s| line_of(s.start()))
    };
    let mut problem = |name: &str, what: String| {
        resolved.effects.push(Effect::Op(Operation {
            line: assigned_line(name),
            kind: OpKind::Unreadable { error: what },
            source: String::new(),
        }));
    };
    match interp.global("revision") {
        Some(Value::Str(r)) => resolved.revision = Some(r.clone()),
        _ => problem(
            "revision",
            "cannot resolve the Alembic `revision` identifier".to_string(),
        ),
    }
    match interp.global("down_revision") {
        Some(Value::Str(r)) => resolved.down_revisions = vec![r.clone()],
        Some(Value::None) => {}
        Some(Value::List(items)) => {
            let mut ids = Vec::new();
            for item in items {
                match item {
                    Value::Str(s) => ids.push(s.clone()),
                    _ => {
                        problem(
                            "down_revision",
                            "cannot resolve an Alembic `down_revision` entry".to_string(),
                        );
                    }
                }
            }
            resolved.down_revisions = ids;
        }
        _ => problem(
            "down_revision",
            "cannot resolve the Alembic `down_revision`".to_string(),
        ),
    }
}

/// Lowers raw SQL through the SQL reader and gives its operations the Python call's line.
fn lower(resolved: Resolved, dialect: Dialect) -> ParsedMigration {
    let mut operations = Vec::new();
    for effect in resolved.effects {
        match effect {
            Effect::Op(op) => operations.push(op),
            Effect::Sql(sql) => {
                let from_rows = sql.sql.contains(value::ROW_VALUE_TEXT);
                for mut op in crate::read::sql::lower_sql(&sql.sql, dialect) {
                    op.line = sql.line;
                    // Values read from rows may stand in data, never in names.
                    if from_rows
                        && !matches!(op.kind, OpKind::DataChange { .. } | OpKind::NoEffect { .. })
                    {
                        op.kind = OpKind::Unreadable {
                            error:
                                "cannot resolve SQL built from values read while the migration runs"
                                    .to_string(),
                        };
                    }
                    if op.source.is_empty() {
                        op.source.clone_from(&sql.source);
                    }
                    operations.push(op);
                }
            }
        }
    }
    ParsedMigration {
        operations,
        suppressions: resolved.suppressions,
        revision: resolved.revision,
        down_revisions: resolved.down_revisions,
        run_before: Vec::new(),
    }
}

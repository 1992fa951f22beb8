//! Synapse's Python schema deltas (`delta/<N>/<name>.py`), read statically.
//!
//! Synapse calls `run_create(cur, database_engine)` on every database it upgrades and
//! `run_upgrade(cur, database_engine, config)` on existing ones; both count. A delta is read
//! when those functions only run SQL strings through the cursor (`cur.execute("...")`,
//! `cur.execute(SQL)` with a module-level string), optionally under
//! `if isinstance(database_engine, PostgresEngine):` (resolved by the dialect). Anything
//! else they do is reported at its line as unreadable: it needs review.

use ruff_python_ast::{Expr, ModModule, PySourceType, Stmt};
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;

use crate::model::ops::{Dialect, OpKind, Operation, ParsedMigration};

/// The entry points Synapse calls.
const ENTRY_POINTS: [&str; 2] = ["run_create", "run_upgrade"];

/// How deep `if` blocks may nest before the reader gives up on a statement.
const MAX_DEPTH: usize = 32;

/// Reads a Synapse Python delta.
pub fn read_synapse_delta(source: &str, dialect: Dialect) -> ParsedMigration {
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let lines = LineIndex::from_source_text(source);
    let mut reader = DeltaReader {
        source,
        lines: &lines,
        dialect,
        operations: Vec::new(),
        constants: Vec::new(),
    };
    if let Some(error) = parsed.errors().first() {
        reader.unreadable_at(
            reader.line_of(error.location.start()),
            format!("syntax error: {}", error.error),
        );
    } else {
        reader.read_module(parsed.syntax());
    }
    let operations = reader.operations;
    super::guard::dispose(parsed);
    ParsedMigration {
        operations,
        ..ParsedMigration::default()
    }
}

struct DeltaReader<'a> {
    source: &'a str,
    lines: &'a LineIndex,
    dialect: Dialect,
    operations: Vec<Operation>,
    /// Module-level names bound to string literals.
    constants: Vec<(String, String)>,
}

impl<'a> DeltaReader<'a> {
    fn line_of(&self, offset: ruff_text_size::TextSize) -> u32 {
        u32::try_from(self.lines.line_index(offset).get()).unwrap_or(u32::MAX)
    }

    fn source_of(&self, range: ruff_text_size::TextRange) -> String {
        let text = self.source.get(range.to_std_range()).unwrap_or("");
        text.lines().next().unwrap_or("").trim().to_string()
    }

    fn unreadable_at(&mut self, line: u32, error: String) {
        self.operations.push(Operation {
            line,
            kind: OpKind::Unreadable { error },
            source: String::new(),
        });
    }

    fn unreadable(&mut self, stmt: &Stmt, what: &str) {
        let line = self.line_of(stmt.start());
        let source = self.source_of(stmt.range());
        self.operations.push(Operation {
            line,
            kind: OpKind::Unreadable {
                error: format!(
                    "a Synapse Python delta {what}: `{source}` is not only SQL run through the cursor"
                ),
            },
            source,
        });
    }

    fn read_module(&mut self, module: &ModModule) {
        let mut entries = Vec::new();
        for stmt in &module.body {
            match stmt {
                Stmt::Import(_) | Stmt::ImportFrom(_) | Stmt::ClassDef(_) => {}
                Stmt::Expr(e) if matches!(&*e.value, Expr::StringLiteral(_)) => {}
                Stmt::FunctionDef(f) if ENTRY_POINTS.contains(&f.name.as_str()) => entries.push(f),
                // Helpers run only when an entry point calls them, which is reported there.
                Stmt::FunctionDef(_) => {}
                // `logger = logging.getLogger(__name__)` and other bindings run no SQL.
                Stmt::Assign(a) => {
                    if let ([Expr::Name(name)], Some(text)) =
                        (a.targets.as_slice(), self.string(&a.value))
                    {
                        self.constants.push((name.id.as_str().to_string(), text))
                    }
                }
                Stmt::AnnAssign(_) => {}
                other => self.unreadable(other, "runs code at module level"),
            }
        }
        for entry in entries {
            self.read_block(&entry.body, 0);
        }
    }

    /// A string literal, a module-level string constant, or a concatenation of those.
    fn string(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            Expr::Name(n) => self
                .constants
                .iter()
                .find(|(name, _)| name == n.id.as_str())
                .map(|(_, text)| text.clone()),
            Expr::BinOp(b) if b.op == ruff_python_ast::Operator::Add => {
                Some(self.string(&b.left)? + &self.string(&b.right)?)
            }
            _ => None,
        }
    }

    /// Which way `isinstance(database_engine, PostgresEngine)` goes for the dialect.
    fn engine_test(&self, test: &Expr) -> Option<bool> {
        let (negated, test) = match test {
            Expr::UnaryOp(u) if u.op == ruff_python_ast::UnaryOp::Not => (true, &*u.operand),
            other => (false, other),
        };
        let Expr::Call(call) = test else {
            return None;
        };
        let Expr::Name(func) = &*call.func else {
            return None;
        };
        if func.id.as_str() != "isinstance" || call.arguments.args.len() != 2 {
            return None;
        }
        let class = match call.arguments.args.get(1)? {
            Expr::Name(n) => n.id.as_str().to_string(),
            Expr::Attribute(a) => a.attr.as_str().to_string(),
            _ => return None,
        };
        let matches = match class.as_str() {
            "PostgresEngine" => self.dialect == Dialect::Postgres,
            "Sqlite3Engine" => self.dialect == Dialect::Sqlite,
            _ => return None,
        };
        Some(matches != negated)
    }

    fn read_block(&mut self, body: &[Stmt], depth: usize) {
        for stmt in body {
            self.read_statement(stmt, depth);
        }
    }

    fn read_statement(&mut self, stmt: &Stmt, depth: usize) {
        if depth > MAX_DEPTH {
            self.unreadable(stmt, "nests too deeply");
            return;
        }
        match stmt {
            Stmt::Pass(_) | Stmt::Return(_) => {}
            Stmt::Expr(e) => match &*e.value {
                Expr::StringLiteral(_) => {}
                Expr::Call(call) => self.read_call(stmt, call),
                _ => self.unreadable(stmt, "evaluates an expression"),
            },
            Stmt::If(s) => {
                let Some(first) = self.engine_test(&s.test) else {
                    self.unreadable(stmt, "branches on a condition the tool cannot resolve");
                    return;
                };
                if first {
                    self.read_block(&s.body, depth + 1);
                    return;
                }
                for clause in &s.elif_else_clauses {
                    match &clause.test {
                        None => {
                            self.read_block(&clause.body, depth + 1);
                            return;
                        }
                        Some(test) => match self.engine_test(test) {
                            Some(true) => {
                                self.read_block(&clause.body, depth + 1);
                                return;
                            }
                            Some(false) => {}
                            None => {
                                self.unreadable(
                                    stmt,
                                    "branches on a condition the tool cannot resolve",
                                );
                                return;
                            }
                        },
                    }
                }
            }
            other => self.unreadable(other, "does more than run SQL"),
        }
    }

    fn read_call(&mut self, stmt: &Stmt, call: &ruff_python_ast::ExprCall) {
        let Expr::Attribute(method) = &*call.func else {
            self.unreadable(stmt, "calls a function");
            return;
        };
        let receiver_is_logger =
            matches!(&*method.value, Expr::Name(n) if n.id.as_str() == "logger");
        if receiver_is_logger {
            return;
        }
        let receiver_is_cursor = matches!(&*method.value, Expr::Name(n) if matches!(n.id.as_str(), "cur" | "cursor" | "txn"));
        let sql = call.arguments.args.first().and_then(|a| self.string(a));
        match (receiver_is_cursor, method.attr.as_str(), sql) {
            (true, "execute", Some(sql)) => {
                let line = self.line_of(stmt.start());
                let source = self.source_of(stmt.range());
                for mut op in crate::read::sql::lower_sql(&sql, self.dialect) {
                    op.line = line;
                    if op.source.is_empty() {
                        op.source.clone_from(&source);
                    }
                    self.operations.push(op);
                }
            }
            _ => self.unreadable(stmt, "calls a method"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(source: &str, dialect: Dialect) -> Vec<String> {
        read_synapse_delta(source, dialect)
            .operations
            .iter()
            .map(|op| format!("{}: {}", op.line, op.kind.describe()))
            .collect()
    }

    #[test]
    fn runs_sql_strings_through_the_cursor() {
        let source = r#""""Adds a column."""
import logging

from synapse.storage.engines import PostgresEngine

logger = logging.getLogger(__name__)

ADD = """
ALTER TABLE users ADD COLUMN shadow_banned BOOLEAN
"""


def run_create(cur, database_engine, *args, **kwargs):
    logger.info("adding a column")
    cur.execute(ADD)
    if isinstance(database_engine, PostgresEngine):
        cur.execute("CREATE INDEX users_sb ON users (shadow_banned)")
    else:
        cur.execute("DROP TABLE old_users")


def run_upgrade(cur, database_engine, *args, **kwargs):
    pass
"#;
        assert_eq!(
            described(source, Dialect::Postgres),
            [
                "15: add column users.shadow_banned BOOLEAN",
                "17: create index users_sb on users(shadow_banned)"
            ]
        );
        assert_eq!(
            described(source, Dialect::Sqlite),
            [
                "15: add column users.shadow_banned BOOLEAN",
                "19: drop table old_users"
            ]
        );
    }

    #[test]
    fn anything_else_needs_review() {
        let source = "def run_create(cur, database_engine):\n    for row in rows():\n        cur.execute('DELETE FROM t')\n    if database_engine.supports_x:\n        pass\n    helper(cur)\n";
        let ops = read_synapse_delta(source, Dialect::Postgres).operations;
        let lines: Vec<u32> = ops.iter().map(|op| op.line).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert!(ops
            .iter()
            .all(|op| matches!(op.kind, OpKind::Unreadable { .. })));
        let syntax = read_synapse_delta("def run_create(cur:\n", Dialect::Postgres);
        assert!(matches!(
            syntax.operations[0].kind,
            OpKind::Unreadable { .. }
        ));
    }
}

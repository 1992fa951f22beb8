//! SQLAlchemy naming conventions: `MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s", ...})`
//! in the project's metadata (the module Alembic's `env.py` takes `target_metadata` from).
//! Alembic's operations name an unnamed constraint by it, and fill `%(constraint_name)s`
//! from a given name, unless `op.f()` marks the name as already converted.
//!
//! The convention is found statically: a `MetaData(...)` call whose `naming_convention=` is
//! a dict literal, or a name bound to one at the top level of the same module, in `env.py`
//! or a repository module the migration or `env.py` imports. When the modules declare
//! different conventions, none is used (the names stay unknown, as without one).

use std::collections::HashMap;

use ruff_python_ast::{Expr, Stmt};

use crate::model::ops::{Constraint, ConstraintKind, OpKind};

/// Name templates by constraint kind (`ix`, `uq`, `ck`, `fk`, `pk`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct NamingConvention {
    templates: HashMap<String, String>,
}

/// The one naming convention `modules` declare, if they declare exactly one.
pub(crate) fn find(modules: &[&ruff_python_ast::ModModule]) -> Option<NamingConvention> {
    let mut found: Vec<NamingConvention> = Vec::new();
    for module in modules {
        let mut dicts: HashMap<&str, &Expr> = HashMap::new();
        for stmt in &module.body {
            if let Stmt::Assign(assign) = stmt {
                if let ([Expr::Name(name)], Expr::Dict(_)) = (assign.targets.as_slice(), &*assign.value) {
                    dicts.insert(name.id.as_str(), &assign.value);
                }
            }
        }
        let mut calls = Vec::new();
        for stmt in &module.body {
            collect_metadata_calls(stmt, &mut calls);
        }
        for call in calls {
            let Some(keyword) = call
                .arguments
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "naming_convention"))
            else {
                continue;
            };
            let dict = match &keyword.value {
                Expr::Name(name) => dicts.get(name.id.as_str()).copied(),
                other => Some(other),
            };
            if let Some(convention) = dict.and_then(convention_of) {
                if !found.contains(&convention) {
                    found.push(convention);
                }
            }
        }
    }
    match found.len() {
        1 => found.pop(),
        _ => None,
    }
}

/// `MetaData(...)` calls in top-level statements (assignments, and the arguments of other
/// calls such as `SQLAlchemy(metadata=MetaData(...))` or `declarative_base(...)`).
fn collect_metadata_calls<'a>(stmt: &'a Stmt, out: &mut Vec<&'a ruff_python_ast::ExprCall>) {
    let value = match stmt {
        Stmt::Assign(a) => &*a.value,
        Stmt::AnnAssign(a) => match &a.value {
            Some(v) => &**v,
            None => return,
        },
        Stmt::Expr(e) => &*e.value,
        _ => return,
    };
    collect_in_expr(value, out, 0);
}

fn collect_in_expr<'a>(expr: &'a Expr, out: &mut Vec<&'a ruff_python_ast::ExprCall>, depth: u32) {
    if depth > 8 {
        return;
    }
    let Expr::Call(call) = expr else {
        return;
    };
    let callee = match &*call.func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => "",
    };
    if callee == "MetaData" {
        out.push(call);
    }
    for arg in call.arguments.args.iter() {
        collect_in_expr(arg, out, depth + 1);
    }
    for keyword in call.arguments.keywords.iter() {
        collect_in_expr(&keyword.value, out, depth + 1);
    }
}

fn convention_of(expr: &Expr) -> Option<NamingConvention> {
    let Expr::Dict(dict) = expr else {
        return None;
    };
    let mut templates = HashMap::new();
    for item in dict.iter() {
        let (Some(Expr::StringLiteral(key)), Expr::StringLiteral(value)) = (&item.key, &item.value)
        else {
            // A key given as a class (`UniqueConstraint: ...`) or a computed value: the
            // rest of the convention still holds.
            continue;
        };
        templates.insert(key.value.to_str().to_string(), value.value.to_str().to_string());
    }
    (!templates.is_empty()).then_some(NamingConvention { templates })
}

impl NamingConvention {
    /// Names `op`'s constraints and indexes as SQLAlchemy would: unnamed ones by their
    /// template, named ones through a template's `%(constraint_name)s` unless `converted`
    /// (the names `op.f()` marked).
    pub(crate) fn apply(&self, kind: &mut OpKind, converted: &[String]) {
        match kind {
            OpKind::AddConstraint { table, constraint } => {
                self.name_constraint(table, constraint, converted);
            }
            OpKind::CreateTable {
                table, constraints, ..
            } => {
                for constraint in constraints.iter_mut() {
                    self.name_constraint(table, constraint, converted);
                }
            }
            OpKind::CreateIndex {
                name,
                table,
                columns,
                ..
            } => {
                if name.as_ref().is_some_and(|n| converted.contains(n)) {
                    return;
                }
                if let Some(template) = self.templates.get("ix") {
                    let tokens = Tokens {
                        table,
                        columns,
                        constraint_name: name.as_deref(),
                        referred_table: None,
                        referred_columns: &[],
                    };
                    if name.is_none() || template.contains("%(constraint_name)s") {
                        if let Some(named) = tokens.render(template) {
                            *name = Some(named);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn name_constraint(&self, table: &str, constraint: &mut Constraint, converted: &[String]) {
        if constraint.name.as_ref().is_some_and(|n| converted.contains(n)) {
            return;
        }
        let (key, referred_table, referred_columns) = match &constraint.kind {
            ConstraintKind::PrimaryKey => ("pk", None, &[][..]),
            ConstraintKind::Unique => ("uq", None, &[][..]),
            ConstraintKind::Check { .. } => ("ck", None, &[][..]),
            ConstraintKind::ForeignKey {
                references,
                referenced_columns,
                ..
            } => ("fk", Some(references.as_str()), referenced_columns.as_slice()),
        };
        let Some(template) = self.templates.get(key) else {
            return;
        };
        if constraint.name.is_some() && !template.contains("%(constraint_name)s") {
            return;
        }
        let tokens = Tokens {
            table,
            columns: &constraint.columns,
            constraint_name: constraint.name.as_deref(),
            referred_table,
            referred_columns,
        };
        if let Some(named) = tokens.render(template) {
            constraint.name = Some(named);
        }
    }
}

/// What a template's `%(token)s` can name.
struct Tokens<'a> {
    table: &'a str,
    columns: &'a [String],
    constraint_name: Option<&'a str>,
    referred_table: Option<&'a str>,
    referred_columns: &'a [String],
}

impl Tokens<'_> {
    /// The template with every token filled in; `None` when one cannot be (a token the
    /// reader does not know, or a value it does not have).
    fn render(&self, template: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("%(") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find(")s")?;
            out.push_str(&self.value(&after[..end])?);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Some(out)
    }

    fn value(&self, token: &str) -> Option<String> {
        let first = |list: &[String]| list.first().cloned();
        Some(match token {
            "table_name" => self.table.to_string(),
            "constraint_name" => self.constraint_name?.to_string(),
            "column_0_name" | "column_0_key" => first(self.columns)?,
            "column_0_label" => format!("{}_{}", self.table, first(self.columns)?),
            "column_0N_name" | "column_0N_key" => self.columns.concat(),
            "column_0_N_name" | "column_0_N_key" => self.columns.join("_"),
            "column_0N_label" => self
                .columns
                .iter()
                .map(|c| format!("{}_{c}", self.table))
                .collect::<String>(),
            "column_0_N_label" => self
                .columns
                .iter()
                .map(|c| format!("{}_{c}", self.table))
                .collect::<Vec<_>>()
                .join("_"),
            "referred_table_name" => self.referred_table?.to_string(),
            "referred_column_0_name" | "referred_column_0_key" => first(self.referred_columns)?,
            "referred_column_0N_name" => self.referred_columns.concat(),
            "referred_column_0_N_name" => self.referred_columns.join("_"),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::PySourceType;

    fn convention(src: &str) -> Option<NamingConvention> {
        let parsed = ruff_python_parser::parse_unchecked_source(src, PySourceType::Python);
        find(&[parsed.syntax()])
    }

    #[test]
    fn conventions_are_found_in_literals_and_names() {
        let literal = convention(
            "from sqlalchemy import MetaData\nmeta = MetaData(naming_convention={\"uq\": \"uq_%(table_name)s_%(column_0_name)s\"})\n",
        );
        let named = convention(
            "import sqlalchemy as sa\nCONVENTION = {\"uq\": \"uq_%(table_name)s_%(column_0_name)s\"}\ndb = SQLAlchemy(metadata=sa.MetaData(naming_convention=CONVENTION))\n",
        );
        assert!(literal.is_some());
        assert_eq!(literal, named);
        assert_eq!(convention("meta = MetaData()\n"), None);
    }

    #[test]
    fn templates_render_like_sqlalchemy() {
        let columns = vec!["owner_id".to_string(), "label".to_string()];
        let referred = vec!["id".to_string()];
        let tokens = Tokens {
            table: "gadgets",
            columns: &columns,
            constraint_name: Some("positive"),
            referred_table: Some("owners"),
            referred_columns: &referred,
        };
        assert_eq!(
            tokens.render("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s").as_deref(),
            Some("fk_gadgets_owner_id_owners")
        );
        assert_eq!(tokens.render("ix_%(column_0_label)s").as_deref(), Some("ix_gadgets_owner_id"));
        assert_eq!(tokens.render("uq_%(table_name)s_%(column_0_N_name)s").as_deref(), Some("uq_gadgets_owner_id_label"));
        assert_eq!(tokens.render("ck_%(table_name)s_%(constraint_name)s").as_deref(), Some("ck_gadgets_positive"));
        assert_eq!(tokens.render("x_%(custom)s"), None);
    }
}

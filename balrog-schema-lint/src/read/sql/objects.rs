//! Structural objects and table forms: types (enum, composite, domain), schemas, extensions,
//! partitions, tables made from a query, temporary tables, index renames.
//!
//! Parsed statements are lowered here; the forms sqlparser 0.64 rejects (`ALTER DOMAIN`,
//! `ALTER TYPE .. ADD ATTRIBUTE`, `ALTER INDEX .. SET`, a domain with `NOT NULL`) are read
//! from their tokens.

use sqlparser::ast::{
    AlterType, AlterTypeAddValuePosition, AlterTypeOperation, CreateDomain, CreateTable, Query,
    SetExpr, TableConstraint,
};
use sqlparser::tokenizer::Token;

use super::columns::{ident, object_name, sql_type};
use super::query_columns::query_columns;
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, OpKind, SqlType};

/// `ALTER TYPE` forms sqlparser reads.
pub(crate) fn alter_type(alter: &AlterType) -> OpKind {
    let name = object_name(&alter.name);
    match &alter.operation {
        AlterTypeOperation::Rename(rename) => OpKind::RenameType {
            name,
            new_name: ident(&rename.new_name),
        },
        AlterTypeOperation::AddValue(add) => {
            let (before, after) = match &add.position {
                Some(AlterTypeAddValuePosition::Before(v)) => (Some(ident(v)), None),
                Some(AlterTypeAddValuePosition::After(v)) => (None, Some(ident(v))),
                None => (None, None),
            };
            OpKind::AddEnumValue {
                name,
                value: ident(&add.value),
                before,
                after,
            }
        }
        AlterTypeOperation::RenameValue(rename) => OpKind::RenameEnumValue {
            name,
            value: ident(&rename.from),
            new_value: ident(&rename.to),
        },
    }
}

/// `CREATE DOMAIN` as sqlparser reads it (without `NOT NULL`, which it rejects).
pub(crate) fn create_domain(domain: &CreateDomain) -> OpKind {
    let checks = domain
        .constraints
        .iter()
        .filter_map(|c| match c {
            TableConstraint::Check(check) => Some(Constraint {
                name: check.name.as_ref().map(ident),
                kind: ConstraintKind::Check {
                    expr: check.expr.to_string(),
                },
                columns: Vec::new(),
                not_valid: false,
            }),
            _ => None,
        })
        .collect();
    OpKind::CreateDomain {
        name: object_name(&domain.name),
        base: sql_type(&domain.data_type),
        nullable: true,
        default: domain.default.as_ref().map(ToString::to_string),
        checks,
    }
}

/// `CREATE TABLE` forms that are not an ordinary table definition: temporary, from a query,
/// a partition. `None` for an ordinary table.
pub(crate) fn special_table(create: &CreateTable) -> Option<Vec<OpKind>> {
    let table = object_name(&create.name);
    if create.temporary {
        return Some(vec![OpKind::CreateTemporaryTable { table }]);
    }
    if let Some(query) = &create.query {
        return Some(vec![table_as(table, query)]);
    }
    if let Some(parent) = &create.partition_of {
        let bound = create
            .for_values
            .as_ref()
            .map_or_else(|| "DEFAULT".to_string(), ToString::to_string);
        return Some(vec![OpKind::CreatePartition {
            table,
            parent: object_name(parent),
            bound,
        }]);
    }
    None
}

/// The `PARTITION BY` that follows an ordinary `CREATE TABLE`, if any.
pub(crate) fn partition_by(create: &CreateTable) -> Option<OpKind> {
    create.partition_by.as_ref().map(|key| OpKind::PartitionBy {
        table: object_name(&create.name),
        key: key.to_string(),
    })
}

/// A table from a query: its columns as far as the query names and types them.
pub(crate) fn table_as(table: String, query: &Query) -> OpKind {
    let (columns, sources) = query_columns(query)
        .into_iter()
        .map(|c| (c.name, c.source))
        .unzip();
    OpKind::CreateTableAs {
        table,
        columns,
        sources,
    }
}

/// `SELECT .. INTO table` (not `INTO TEMPORARY`).
pub(crate) fn select_into(query: &Query) -> Option<OpKind> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let into = select.into.as_ref()?;
    let table = match into.targets.first()? {
        sqlparser::ast::Expr::Identifier(i) => ident(i),
        sqlparser::ast::Expr::CompoundIdentifier(parts) => {
            parts.iter().map(ident).collect::<Vec<_>>().join(".")
        }
        _ => return None,
    };
    if into.temporary {
        return Some(OpKind::CreateTemporaryTable { table });
    }
    Some(table_as(table, query))
}

/// Upper-cased text of a word token that is not quoted.
fn keyword(token: Option<&&Token>) -> Option<String> {
    match token {
        Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

fn is_kw(token: Option<&&Token>, kw: &str) -> bool {
    keyword(token).is_some_and(|k| k == kw)
}

/// An object name (`a` or `schema.a`) at `at`, and the index after it.
fn name_at(tokens: &[&Token], mut at: usize) -> Option<(String, usize)> {
    let mut name = String::new();
    loop {
        match tokens.get(at) {
            Some(Token::Word(w)) => name.push_str(&w.value),
            _ => return None,
        }
        at += 1;
        if matches!(tokens.get(at), Some(Token::Period)) {
            name.push('.');
            at += 1;
        } else {
            return Some((name, at));
        }
    }
}

/// The tokens from `at` to the end as SQL text (single spaces between tokens).
fn text_from(tokens: &[&Token], at: usize) -> String {
    tokens
        .get(at..)
        .unwrap_or_default()
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A type written from `at` to `end` (`int`, `varchar ( 20 )`, `timestamp with time zone`).
fn type_at(tokens: &[&Token], at: usize, end: usize) -> Option<SqlType> {
    let text = tokens.get(at..end)?.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    if text.is_empty() {
        return None;
    }
    let sql = format!("CREATE TABLE t (c {})", text.join(" "));
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    match sqlparser::parser::Parser::parse_sql(&dialect, &sql).ok()?.first()? {
        sqlparser::ast::Statement::CreateTable(create) => {
            create.columns.first().and_then(|c| sql_type(&c.data_type))
        }
        _ => None,
    }
}

/// A parenthesised `CHECK (...)` starting at `at` (the `CHECK` keyword): its expression text.
fn check_at(tokens: &[&Token], at: usize) -> Option<(String, usize)> {
    if !is_kw(tokens.get(at), "CHECK") || !matches!(tokens.get(at + 1), Some(Token::LParen)) {
        return None;
    }
    let mut depth = 0usize;
    let mut i = at + 1;
    while let Some(token) = tokens.get(i) {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    let inner = tokens.get(at + 2..i)?;
                    let text = inner.iter().map(|t| t.to_string()).collect::<Vec<_>>();
                    return Some((text.join(" "), i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Statements of this module's kinds that sqlparser rejects; `None` when `tokens` is none of
/// them (or one in a shape not understood, which stays unreadable).
pub(crate) fn recognise(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    let first = keyword(tokens.first())?;
    let second = keyword(tokens.get(1));
    match (first.as_str(), second.as_deref()) {
        ("ALTER", Some("DOMAIN")) => alter_domain(tokens).map(|op| vec![op]),
        ("CREATE", Some("DOMAIN")) => create_domain_tokens(tokens).map(|op| vec![op]),
        ("ALTER", Some("TYPE")) => alter_type_attribute(tokens).map(|op| vec![op]),
        ("ALTER", Some("INDEX")) => alter_index(tokens),
        ("CREATE", Some("MATERIALIZED")) => materialized_view(tokens),
        ("ALTER", Some("TABLE")) => drop_identity(tokens).map(|op| vec![op]),
        _ => None,
    }
}

/// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT expr] [constraint ...]`.
fn create_domain_tokens(tokens: &[&Token]) -> Option<OpKind> {
    let (name, mut at) = name_at(tokens, 2)?;
    if is_kw(tokens.get(at), "AS") {
        at += 1;
    }
    let stop = |t: Option<&&Token>| {
        ["NOT", "NULL", "DEFAULT", "CONSTRAINT", "CHECK", "COLLATE"]
            .iter()
            .any(|k| is_kw(t, k))
    };
    let type_end = (at..tokens.len())
        .find(|&i| stop(tokens.get(i)))
        .unwrap_or(tokens.len());
    let base = type_at(tokens, at, type_end);
    base.as_ref()?;
    at = type_end;
    let (mut nullable, mut default, mut checks) = (true, None, Vec::new());
    let mut pending_name = None;
    while at < tokens.len() {
        if is_kw(tokens.get(at), "NOT") && is_kw(tokens.get(at + 1), "NULL") {
            nullable = false;
            at += 2;
        } else if is_kw(tokens.get(at), "NULL") {
            at += 1;
        } else if is_kw(tokens.get(at), "COLLATE") {
            at += 2;
        } else if is_kw(tokens.get(at), "CONSTRAINT") {
            pending_name = Some(name_at(tokens, at + 1)?.0);
            at += 2;
        } else if is_kw(tokens.get(at), "CHECK") {
            let (expr, next) = check_at(tokens, at)?;
            checks.push(Constraint {
                name: pending_name.take(),
                kind: ConstraintKind::Check { expr },
                columns: Vec::new(),
                not_valid: false,
            });
            at = next;
        } else if is_kw(tokens.get(at), "DEFAULT") {
            let end = (at + 1..tokens.len())
                .find(|&i| stop(tokens.get(i)))
                .unwrap_or(tokens.len());
            let text: Vec<String> = tokens.get(at + 1..end)?.iter().map(|t| t.to_string()).collect();
            default = Some(text.join(" "));
            at = end;
        } else {
            return None;
        }
    }
    Some(OpKind::CreateDomain {
        name,
        base,
        nullable,
        default,
        checks,
    })
}

/// `ALTER DOMAIN name { SET DEFAULT e | DROP DEFAULT | SET NOT NULL | DROP NOT NULL |
/// ADD [CONSTRAINT c] CHECK (..) [NOT VALID] | DROP CONSTRAINT [IF EXISTS] c [CASCADE] }`.
fn alter_domain(tokens: &[&Token]) -> Option<OpKind> {
    let (name, at) = name_at(tokens, 2)?;
    let word = |i: usize| keyword(tokens.get(at + i));
    let op = match (word(0)?.as_str(), word(1).as_deref()) {
        ("SET", Some("DEFAULT")) => OpKind::SetDomainDefault {
            name,
            default: Some(text_from(tokens, at + 2)),
        },
        ("DROP", Some("DEFAULT")) => OpKind::SetDomainDefault {
            name,
            default: None,
        },
        ("SET", Some("NOT")) => OpKind::SetDomainNotNull {
            name,
            not_null: true,
        },
        ("DROP", Some("NOT")) => OpKind::SetDomainNotNull {
            name,
            not_null: false,
        },
        ("ADD", _) => {
            let mut i = at + 1;
            let mut constraint_name = None;
            if is_kw(tokens.get(i), "CONSTRAINT") {
                constraint_name = Some(name_at(tokens, i + 1)?.0);
                i += 2;
            }
            let (expr, next) = check_at(tokens, i)?;
            let not_valid =
                is_kw(tokens.get(next), "NOT") && is_kw(tokens.get(next + 1), "VALID");
            OpKind::AddDomainConstraint {
                name,
                constraint: Constraint {
                    name: constraint_name,
                    kind: ConstraintKind::Check { expr },
                    columns: Vec::new(),
                    not_valid,
                },
            }
        }
        ("DROP", Some("CONSTRAINT")) => {
            let mut i = at + 2;
            if is_kw(tokens.get(i), "IF") && is_kw(tokens.get(i + 1), "EXISTS") {
                i += 2;
            }
            OpKind::DropDomainConstraint {
                name,
                constraint: name_at(tokens, i)?.0,
            }
        }
        ("RENAME", Some("TO")) => OpKind::RenameType {
            name,
            new_name: name_at(tokens, at + 2)?.0,
        },
        // Ownership and schema moves change no value the domain accepts.
        ("OWNER", _) => OpKind::NoEffect {
            what: "ALTER DOMAIN OWNER".to_string(),
        },
        _ => return None,
    };
    Some(op)
}

/// `ALTER TYPE name { ADD ATTRIBUTE a type | DROP ATTRIBUTE [IF EXISTS] a | OWNER TO .. }`.
fn alter_type_attribute(tokens: &[&Token]) -> Option<OpKind> {
    let (name, at) = name_at(tokens, 2)?;
    let action = keyword(tokens.get(at))?;
    if action == "OWNER" {
        return Some(OpKind::NoEffect {
            what: "ALTER TYPE OWNER".to_string(),
        });
    }
    if !is_kw(tokens.get(at + 1), "ATTRIBUTE") {
        return None;
    }
    match action.as_str() {
        "ADD" => {
            let (attribute, type_from) = name_at(tokens, at + 2)?;
            let end = (type_from..tokens.len())
                .find(|&i| is_kw(tokens.get(i), "CASCADE") || is_kw(tokens.get(i), "RESTRICT"))
                .unwrap_or(tokens.len());
            Some(OpKind::AddAttribute {
                name,
                attribute: ColumnDef::new(attribute, type_at(tokens, type_from, end)),
            })
        }
        "DROP" => {
            let mut i = at + 2;
            if is_kw(tokens.get(i), "IF") && is_kw(tokens.get(i + 1), "EXISTS") {
                i += 2;
            }
            Some(OpKind::DropAttribute {
                name,
                attribute: name_at(tokens, i)?.0,
            })
        }
        _ => None,
    }
}

/// `ALTER INDEX [IF EXISTS] name { RENAME TO n | SET (..) | RESET (..) | ATTACH PARTITION p
/// | SET TABLESPACE t }`.
fn alter_index(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    let mut at = 2;
    if is_kw(tokens.get(at), "IF") && is_kw(tokens.get(at + 1), "EXISTS") {
        at += 2;
    }
    let (name, at) = name_at(tokens, at)?;
    let action = keyword(tokens.get(at))?;
    let op = match action.as_str() {
        "RENAME" if is_kw(tokens.get(at + 1), "TO") => OpKind::RenameIndex {
            name,
            new_name: name_at(tokens, at + 2)?.0,
            table: None,
        },
        // Storage parameters, tablespace, statistics targets: how the index is kept, not
        // what it indexes. Attaching a partition's index to its parent's index changes no
        // index either: both already exist.
        "SET" | "RESET" | "ALTER" | "ATTACH" => OpKind::NoEffect {
            what: format!("ALTER INDEX {action}"),
        },
        _ => return None,
    };
    Some(vec![op])
}

/// `CREATE MATERIALIZED VIEW [IF NOT EXISTS] name .. AS query WITH [NO] DATA`: sqlparser
/// reads it without the trailing `WITH [NO] DATA`, which only says whether rows are computed
/// now.
fn materialized_view(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    if !is_kw(tokens.get(2), "VIEW") {
        return None;
    }
    let n = tokens.len();
    let with_data = n > 3
        && is_kw(tokens.get(n - 1), "DATA")
        && (is_kw(tokens.get(n - 2), "WITH")
            || (is_kw(tokens.get(n - 2), "NO") && is_kw(tokens.get(n - 3), "WITH")));
    if !with_data {
        return None;
    }
    let mut at = 3;
    if is_kw(tokens.get(at), "IF") {
        at += 3;
    }
    let (view, _) = name_at(tokens, at)?;
    Some(vec![OpKind::CreateView {
        view,
        or_replace: false,
    }])
}

/// `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c DROP IDENTITY [IF EXISTS]`, which
/// sqlparser rejects.
fn drop_identity(tokens: &[&Token]) -> Option<OpKind> {
    let mut at = 2;
    if is_kw(tokens.get(at), "IF") && is_kw(tokens.get(at + 1), "EXISTS") {
        at += 2;
    }
    if is_kw(tokens.get(at), "ONLY") {
        at += 1;
    }
    let (table, mut at) = name_at(tokens, at)?;
    if !is_kw(tokens.get(at), "ALTER") {
        return None;
    }
    at += 1;
    if is_kw(tokens.get(at), "COLUMN") {
        at += 1;
    }
    let (column, at) = name_at(tokens, at)?;
    if !is_kw(tokens.get(at), "DROP") || !is_kw(tokens.get(at + 1), "IDENTITY") {
        return None;
    }
    let end = if is_kw(tokens.get(at + 2), "IF") && is_kw(tokens.get(at + 3), "EXISTS") {
        at + 4
    } else {
        at + 2
    };
    (end == tokens.len()).then_some(OpKind::SetIdentity {
        table,
        column,
        identity: false,
    })
}

//! The columns of a table made from a query (`CREATE TABLE .. AS SELECT`, `SELECT .. INTO`):
//! each output column's name, and where its type comes from, as far as the query text alone
//! tells.
//!
//! A source is `table.column` (the catalog knows its type), `type:NAME` (a cast, a literal, a
//! comparison, a count), `sum:SOURCE` (the sum of a column, whose type depends on the
//! summed one), `*:table` (every column of a table), or empty when the query does not say (an expression the reader does not type). Derived tables and `UNION` are followed
//! into their first branch, whose column types PostgreSQL gives the result.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Query, Select,
    SelectItem, SelectItemQualifiedWildcardKind, SetExpr, TableFactor, UnaryOperator, Value,
};

use super::columns::{ident, object_name, sql_type};

/// One output column: its name and its source (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryColumn {
    pub(crate) name: String,
    pub(crate) source: String,
}

/// A relation in `FROM`: the name it is referred to by, and its columns when it is a
/// derived table (a base table's columns are the catalog's).
struct Relation {
    alias: String,
    table: Option<String>,
    derived: Vec<QueryColumn>,
}

/// The output columns of `query`.
pub(crate) fn query_columns(query: &Query) -> Vec<QueryColumn> {
    set_columns(&query.body)
}

fn set_columns(body: &SetExpr) -> Vec<QueryColumn> {
    match body {
        SetExpr::Select(select) => select_columns(select),
        SetExpr::Query(query) => query_columns(query),
        SetExpr::SetOperation { left, .. } => set_columns(left),
        _ => Vec::new(),
    }
}

fn relations(select: &Select) -> Vec<Relation> {
    let mut out = Vec::new();
    let factors = select
        .from
        .iter()
        .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)));
    for factor in factors {
        match factor {
            TableFactor::Table { name, alias, .. } => {
                let table = object_name(name);
                out.push(Relation {
                    alias: alias
                        .as_ref()
                        .map_or_else(|| table.clone(), |a| ident(&a.name)),
                    table: Some(table),
                    derived: Vec::new(),
                });
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let mut derived = query_columns(subquery);
                if let Some(alias) = alias {
                    for (column, name) in derived.iter_mut().zip(&alias.columns) {
                        column.name = ident(&name.name);
                    }
                }
                out.push(Relation {
                    alias: alias.as_ref().map(|a| ident(&a.name)).unwrap_or_default(),
                    table: None,
                    derived,
                });
            }
            _ => out.push(Relation {
                alias: String::new(),
                table: None,
                derived: Vec::new(),
            }),
        }
    }
    out
}

fn select_columns(select: &Select) -> Vec<QueryColumn> {
    let from = relations(select);
    let mut out = Vec::new();
    for item in &select.projection {
        match item {
            SelectItem::UnnamedExpr(expr) => out.push(QueryColumn {
                name: default_name(expr),
                source: source(expr, &from),
            }),
            SelectItem::ExprWithAlias { expr, alias } => out.push(QueryColumn {
                name: ident(alias),
                source: source(expr, &from),
            }),
            SelectItem::Wildcard(_) => {
                for relation in &from {
                    out.extend(every_column(relation));
                }
            }
            SelectItem::QualifiedWildcard(kind, _) => {
                let name = match kind {
                    SelectItemQualifiedWildcardKind::ObjectName(name) => {
                        name.0.last().map(|p| p.to_string()).unwrap_or_default()
                    }
                    SelectItemQualifiedWildcardKind::Expr(_) => String::new(),
                };
                let name = name.trim_matches('"');
                for relation in from.iter().filter(|r| r.alias.eq_ignore_ascii_case(name)) {
                    out.extend(every_column(relation));
                }
            }
            SelectItem::ExprWithAliases { expr, aliases } => {
                for alias in aliases {
                    out.push(QueryColumn {
                        name: ident(alias),
                        source: source(expr, &from),
                    });
                }
            }
        }
    }
    out
}

fn every_column(relation: &Relation) -> Vec<QueryColumn> {
    match &relation.table {
        Some(table) => vec![QueryColumn {
            name: "*".to_string(),
            source: format!("*:{table}"),
        }],
        None if relation.derived.is_empty() => vec![QueryColumn {
            name: "*".to_string(),
            source: String::new(),
        }],
        None => relation.derived.clone(),
    }
}

/// The name PostgreSQL gives an unaliased output column: the column's name, a function's
/// name, the type of a cast, `?column?` otherwise.
fn default_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(i) => ident(i),
        Expr::CompoundIdentifier(parts) => parts.last().map(ident).unwrap_or_default(),
        Expr::Function(f) => f
            .name
            .0
            .last()
            .map(|p| p.to_string().to_lowercase())
            .unwrap_or_default(),
        Expr::Cast { expr, .. } | Expr::Nested(expr) => match default_name(expr).as_str() {
            "?column?" => match expr.as_ref() {
                Expr::Cast { data_type, .. } => data_type.to_string().to_lowercase(),
                _ => "?column?".to_string(),
            },
            name => name.to_string(),
        },
        _ => "?column?".to_string(),
    }
}

/// Where a column named by `parts` (`c` or `t.c`) comes from among the `FROM` relations.
fn column_source(parts: &[String], from: &[Relation]) -> String {
    let (qualifier, column) = match parts {
        [column] => (None, column),
        [.., qualifier, column] => (Some(qualifier), column),
        [] => return String::new(),
    };
    let candidates: Vec<&Relation> = from
        .iter()
        .filter(|r| qualifier.is_none_or(|q| r.alias.eq_ignore_ascii_case(q)))
        .collect();
    for relation in &candidates {
        if let Some(found) = relation
            .derived
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(column))
        {
            return found.source.clone();
        }
    }
    // Unqualified with several base tables: which one has the column is the catalog's to
    // say, so name every candidate.
    let tables: Vec<String> = candidates
        .iter()
        .filter_map(|r| r.table.as_ref().map(|t| format!("{t}.{column}")))
        .collect();
    tables.join("|")
}

fn source(expr: &Expr, from: &[Relation]) -> String {
    match expr {
        Expr::Identifier(i) => column_source(&[ident(i)], from),
        Expr::CompoundIdentifier(parts) => {
            column_source(&parts.iter().map(ident).collect::<Vec<_>>(), from)
        }
        Expr::Nested(inner) => source(inner, from),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => source(expr, from),
        // The branches share one type; the first that says which is taken.
        Expr::Case {
            conditions,
            else_result,
            ..
        } => conditions
            .iter()
            .map(|c| &c.result)
            .chain(else_result.as_deref())
            .map(|e| source(e, from))
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        Expr::Cast { data_type, .. } => match sql_type(data_type) {
            Some(ty) => format!("type:{ty}"),
            None => String::new(),
        },
        Expr::Value(v) => match &v.value {
            Value::Boolean(_) => "type:BOOLEAN".to_string(),
            Value::SingleQuotedString(_) => "type:TEXT".to_string(),
            _ => String::new(),
        },
        Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsFalse(_)
        | Expr::IsDistinctFrom(..)
        | Expr::IsNotDistinctFrom(..)
        | Expr::In { .. }
        | Expr::Between { .. }
        | Expr::Exists { .. }
        | Expr::Like { .. }
        | Expr::ILike { .. } => "type:BOOLEAN".to_string(),
        Expr::BinaryOp { op, .. } if is_comparison(op) => "type:BOOLEAN".to_string(),
        Expr::Function(f) => {
            let name = f
                .name
                .0
                .last()
                .map(|p| p.to_string().to_lowercase())
                .unwrap_or_default();
            match name.as_str() {
                "count" => "type:BIGINT".to_string(),
                "bool_and" | "bool_or" | "every" => "type:BOOLEAN".to_string(),
                // These keep their argument's type.
                "max" | "min" | "coalesce" | "any_value" | "greatest" | "least" => {
                    match first_argument(&f.args) {
                        Some(arg) => source(arg, from),
                        None => String::new(),
                    }
                }
                // The sum of integers is wider than its argument: the catalog decides.
                "sum" => match first_argument(&f.args).map(|arg| source(arg, from)) {
                    Some(inner) if !inner.is_empty() => format!("sum:{inner}"),
                    _ => String::new(),
                },
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}

fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq
            | BinaryOperator::And
            | BinaryOperator::Or
    )
}

fn first_argument(args: &FunctionArguments) -> Option<&Expr> {
    match args {
        FunctionArguments::List(list) => match list.args.first()? {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
            | FunctionArg::Named {
                arg: FunctionArgExpr::Expr(e),
                ..
            } => Some(e),
            _ => None,
        },
        _ => None,
    }
}

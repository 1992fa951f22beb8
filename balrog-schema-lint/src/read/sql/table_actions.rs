//! The `ALTER TABLE` actions sqlparser 0.64 does not read (`ALTER CONSTRAINT`, storage
//! parameters, owners and schemas, MySQL `DROP KEY`, `DROP CHECK`, partition clauses, ...),
//! each read on its own, and MySQL's partitioned `CREATE TABLE`.

use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::named::{after_group, ident, is_kw, keyword, name_at, skip_if_exists, text, words};
use super::reader::sql_dialect;
use crate::model::named::{ObjectChange, ObjectKind};
use crate::model::ops::{DataChangeKind, Dialect, OpKind};

/// `ALTER TABLE [IF EXISTS] [ONLY] t action, ...` when some action is one sqlparser does
/// not read: each action on its own, the ones sqlparser reads through it.
pub(super) fn alter_table(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    let mut at = skip_if_exists(tokens, 2);
    if is_kw(tokens.get(at), "ONLY") {
        at += 1;
    }
    let (table, at) = name_at(tokens, at)?;
    let mut ops = Vec::new();
    for action in split_actions(tokens.get(at..)?) {
        match table_action(&table, action, dialect) {
            Some(more) => ops.extend(more),
            None => {
                let statement = format!("ALTER TABLE {table} {}", text(action));
                let parsed = Parser::parse_sql(sql_dialect(dialect), &statement).ok()?;
                let [sqlparser::ast::Statement::AlterTable(alter)] = parsed.as_slice() else {
                    return None;
                };
                let lowered = super::alter::alter_table(alter);
                if lowered.iter().any(|op| matches!(op, OpKind::Unsupported { .. })) {
                    return None;
                }
                ops.extend(lowered);
            }
        }
    }
    (!ops.is_empty()).then_some(ops)
}

/// The actions of an `ALTER TABLE`, split at the commas outside parentheses.
fn split_actions<'a, 't>(tokens: &'a [&'t Token]) -> Vec<&'a [&'t Token]> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                out.extend(tokens.get(start..i));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.extend(tokens.get(start..));
    out.retain(|a| !a.is_empty());
    out
}

fn settings(table: &str, action: &[&Token]) -> OpKind {
    OpKind::AlterObject {
        object: ObjectKind::Table,
        name: table.to_string(),
        change: ObjectChange::Settings {
            what: text(action).to_ascii_uppercase(),
        },
    }
}

fn review(table: &str, action: &[&Token], reason: String) -> OpKind {
    OpKind::AlterObject {
        object: ObjectKind::Table,
        name: table.to_string(),
        change: ObjectChange::Review {
            what: format!("ALTER TABLE {}", text(action).to_ascii_uppercase()),
            reason,
        },
    }
}

/// One `ALTER TABLE` action of the shapes sqlparser does not read; `None` for the others.
fn table_action(table: &str, action: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    let first = keyword(action.first())?;
    let second = keyword(action.get(1));
    let t = || table.to_string();
    let op = match (first.as_str(), second.as_deref()) {
        ("ALTER", Some("CONSTRAINT")) => {
            let name = ident(action.get(2))?;
            let clauses = text(action.get(3..)?).to_ascii_uppercase();
            let deferrable = if clauses.contains("NOT DEFERRABLE") {
                Some(false)
            } else if clauses.contains("DEFERRABLE") {
                Some(true)
            } else {
                None
            };
            let initially_deferred = if clauses.contains("INITIALLY DEFERRED") {
                Some(true)
            } else if clauses.contains("INITIALLY IMMEDIATE") {
                Some(false)
            } else {
                None
            };
            if deferrable.is_none() && initially_deferred.is_none() {
                return None;
            }
            OpKind::AlterConstraint {
                table: t(),
                name,
                deferrable,
                initially_deferred,
            }
        }
        ("OWNER", Some("TO")) => OpKind::AlterObject {
            object: ObjectKind::Table,
            name: t(),
            change: ObjectChange::Owner {
                owner: ident(action.get(2))?.to_ascii_lowercase(),
            },
        },
        ("SET", Some("SCHEMA")) => OpKind::AlterObject {
            object: ObjectKind::Table,
            name: t(),
            change: ObjectChange::SetSchema {
                schema: ident(action.get(2))?,
            },
        },
        ("SET", Some("UNLOGGED")) => review(
            table,
            action,
            format!("an unlogged {table} is emptied after a crash and cannot be read on standbys: code that reads it from a replica fails"),
        ),
        ("SET" | "RESET", _)
            if matches!(action.get(1), Some(Token::LParen))
                || matches!(
                    second.as_deref(),
                    Some("LOGGED" | "WITHOUT" | "TABLESPACE" | "ACCESS")
                ) =>
        {
            settings(table, action)
        }
        ("CLUSTER", Some("ON")) | ("REPLICA", Some("IDENTITY")) | ("INHERIT" | "NO", _) => {
            if first == "INHERIT" || first == "NO" {
                return None;
            }
            settings(table, action)
        }
        ("ALTER", _) => return column_action(table, action),
        ("CONVERT", Some("TO")) => {
            let charset = text(action.get(2..)?).to_ascii_lowercase();
            OpKind::AlterObject {
                object: ObjectKind::Table,
                name: t(),
                change: ObjectChange::ConvertCharset {
                    charset: charset.trim_start_matches("character set ").to_string(),
                },
            }
        }
        ("DROP", Some("KEY" | "INDEX")) if dialect == Dialect::Mysql && action.len() == 3 => {
            OpKind::DropIndex {
                name: ident(action.get(2))?,
                table: Some(t()),
                concurrently: false,
            }
        }
        ("DROP", Some("CHECK")) if action.len() == 3 => OpKind::DropConstraint {
            table: t(),
            name: ident(action.get(2))?,
        },
        ("ADD", _)
            if dialect == Dialect::Mysql
                && (matches!(action.get(1), Some(Token::LParen))
                    || (second.as_deref() == Some("COLUMN")
                        && matches!(action.get(2), Some(Token::LParen)))) =>
        {
            return add_columns(table, action, dialect);
        }
        _ => return partition_action(table, action, dialect).map(|op| vec![op]),
    };
    Some(vec![op])
}

/// MySQL `ADD [COLUMN] (a t, b t)`: each column on its own.
fn add_columns(table: &str, action: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    let open = action.iter().position(|t| matches!(t, Token::LParen))?;
    let end = after_group(action, open)?;
    if end != action.len() {
        return None;
    }
    let mut ops = Vec::new();
    for column in split_actions(action.get(open + 1..end - 1)?) {
        let statement = format!("ALTER TABLE {table} ADD COLUMN {}", text(column));
        let parsed = Parser::parse_sql(sql_dialect(dialect), &statement).ok()?;
        let [sqlparser::ast::Statement::AlterTable(alter)] = parsed.as_slice() else {
            return None;
        };
        ops.extend(super::alter::alter_table(alter));
    }
    Some(ops)
}

/// `ALTER [COLUMN] c SET STATISTICS / STORAGE / COMPRESSION / (..)`, MySQL `ALTER COLUMN c
/// SET [IN]VISIBLE`, `ALTER INDEX i [IN]VISIBLE`, `ALTER CHECK c [NOT] ENFORCED`.
fn column_action(table: &str, action: &[&Token]) -> Option<Vec<OpKind>> {
    let op = if is_kw(action.get(1), "INDEX") {
        // The optimizer ignores an invisible index: speed, not compatibility.
        settings(table, action)
    } else if is_kw(action.get(1), "CHECK") {
        review(
            table,
            action,
            "whether a check constraint is enforced changes: enforcing it again rejects rows old code may write".to_string(),
        )
    } else {
        let at = if is_kw(action.get(1), "COLUMN") { 2 } else { 1 };
        let column = ident(action.get(at))?;
        let rest = words(action, at + 1, 2).unwrap_or_default();
        match rest.as_str() {
            "SET STATISTICS" | "SET STORAGE" | "SET COMPRESSION" => settings(table, action),
            _ if matches!(action.get(at + 2), Some(Token::LParen)) => settings(table, action),
            "SET INVISIBLE" | "SET VISIBLE" => review(
                table,
                action,
                format!("an invisible column ({column}) is left out of SELECT *: code that reads it through * no longer gets it"),
            ),
            _ => return None,
        }
    };
    Some(vec![op])
}

/// MySQL partition maintenance: dropping or truncating a partition deletes its rows; the
/// rest says how rows are stored.
fn partition_action(table: &str, action: &[&Token], dialect: Dialect) -> Option<OpKind> {
    if dialect != Dialect::Mysql {
        return None;
    }
    let first = keyword(action.first())?;
    let second = keyword(action.get(1))?;
    let op = match (first.as_str(), second.as_str()) {
        ("DROP" | "TRUNCATE", "PARTITION") => OpKind::DataChange {
            change: DataChangeKind::Delete,
            table: table.to_string(),
            filtered: true,
        },
        ("EXCHANGE", "PARTITION") => review(
            table,
            action,
            format!("swaps the rows of a partition of {table} with another table's"),
        ),
        ("ADD" | "REORGANIZE" | "COALESCE" | "REBUILD" | "OPTIMIZE" | "ANALYZE" | "CHECK"
        | "REPAIR" | "DISCARD" | "IMPORT", "PARTITION")
        | ("REMOVE", "PARTITIONING")
        | ("PARTITION", "BY") => settings(table, action),
        _ => return None,
    };
    Some(op)
}

/// MySQL `CREATE TABLE t (...) [options] PARTITION BY ... [(PARTITION ...)]`: the table as
/// the parser reads it without the partitioning, then how its rows are split.
pub(super) fn mysql_partitioned_table(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    if dialect != Dialect::Mysql || !is_kw(tokens.get(1), "TABLE") {
        return None;
    }
    let open = tokens.iter().position(|t| matches!(t, Token::LParen))?;
    let after_columns = after_group(tokens, open)?;
    let partition = (after_columns..tokens.len()).find(|&i| {
        is_kw(tokens.get(i), "PARTITION") && is_kw(tokens.get(i + 1), "BY")
    })?;
    let statement = text(tokens.get(..partition)?);
    let parsed = Parser::parse_sql(sql_dialect(dialect), &statement).ok()?;
    let [statement @ sqlparser::ast::Statement::CreateTable(create)] = parsed.as_slice() else {
        return None;
    };
    let mut ops = super::lower::lower_statement(statement, &|| "CREATE TABLE".to_string());
    if ops.iter().any(|op| !matches!(op, OpKind::CreateTable { .. } | OpKind::CreateIndex { .. }))
    {
        return None;
    }
    let key_end = (partition + 2..tokens.len())
        .find(|&i| matches!(tokens.get(i), Some(Token::LParen)))
        .and_then(|i| after_group(tokens, i))
        .unwrap_or(tokens.len());
    ops.push(OpKind::PartitionBy {
        table: super::columns::object_name(&create.name),
        key: text(tokens.get(partition + 2..key_end)?),
    });
    Some(ops)
}

//! `REINDEX`, `CLUSTER` and `VACUUM`, read from tokens: sqlparser 0.64 parses none of
//! PostgreSQL's forms of the first two, and only some of `VACUUM`'s.
//!
//! They change no definition, but `REINDEX` (without `CONCURRENTLY`), `CLUSTER` and
//! `VACUUM FULL` rebuild storage under a lock, so they become [`OpKind::Maintenance`]; plain
//! `VACUUM` stays [`OpKind::NoEffect`]. A shape not understood is read as the statement on
//! every object it can reach (no table named), so the lock is still reported.

use sqlparser::tokenizer::Token;

use super::recognise::{is_kw, keyword, name_at};
use crate::model::ops::{MaintenanceCommand, OpKind};

/// The operations of a `REINDEX`, `CLUSTER` or `VACUUM` statement; `None` for others.
pub(super) fn maintenance(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    match keyword(tokens.first())?.as_str() {
        "REINDEX" => Some(vec![reindex(tokens)]),
        "CLUSTER" => Some(vec![cluster(tokens)]),
        "VACUUM" => Some(vacuum(tokens)),
        _ => None,
    }
}

/// Whether an option list or the statement turns `option` on: the word present and not
/// followed by `FALSE`, `OFF` or `0`.
fn option_on(tokens: &[&Token], option: &str) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        is_kw(Some(t), option)
            && !matches!(
                keyword(tokens.get(i + 1)).as_deref(),
                Some("FALSE" | "OFF")
            )
            && !matches!(tokens.get(i + 1), Some(Token::Number(n, _)) if n == "0")
    })
}

/// The index just after a parenthesised option list at `at`, or `at` when there is none.
fn skip_options(tokens: &[&Token], at: usize) -> usize {
    if !matches!(tokens.get(at), Some(Token::LParen)) {
        return at;
    }
    (at..tokens.len())
        .find(|&i| matches!(tokens.get(i), Some(Token::RParen)))
        .map_or(tokens.len(), |close| close + 1)
}

/// `REINDEX [ ( options ) ] { INDEX | TABLE | SCHEMA | DATABASE | SYSTEM } [ CONCURRENTLY ] name`.
fn reindex(tokens: &[&Token]) -> OpKind {
    let mut at = skip_options(tokens, 1);
    let kind = keyword(tokens.get(at));
    at += 1;
    if is_kw(tokens.get(at), "CONCURRENTLY") {
        at += 1;
    }
    let name = name_at(tokens, at)
        .filter(|&(_, end)| end == tokens.len())
        .map(|(name, _)| name);
    let (table, index) = match kind.as_deref() {
        Some("TABLE") => (name, None),
        Some("INDEX") => (None, name),
        // A schema, a database or the system catalogs: every table in it.
        _ => (None, None),
    };
    OpKind::Maintenance {
        command: MaintenanceCommand::Reindex,
        table,
        index,
        concurrently: option_on(tokens, "CONCURRENTLY"),
    }
}

/// `CLUSTER [VERBOSE | ( options )] [ table [ USING index ] ]`, and the old
/// `CLUSTER index ON table`.
fn cluster(tokens: &[&Token]) -> OpKind {
    let mut at = skip_options(tokens, 1);
    if is_kw(tokens.get(at), "VERBOSE") {
        at += 1;
    }
    let (mut table, mut index) = (None, None);
    if let Some((first, next)) = name_at(tokens, at) {
        if is_kw(tokens.get(next), "USING") {
            if let Some((name, end)) = name_at(tokens, next + 1) {
                if end == tokens.len() {
                    table = Some(first);
                    index = Some(name);
                }
            }
        } else if is_kw(tokens.get(next), "ON") {
            if let Some((name, end)) = name_at(tokens, next + 1) {
                if end == tokens.len() {
                    table = Some(name);
                    index = Some(first);
                }
            }
        } else if next == tokens.len() {
            table = Some(first);
        }
    }
    OpKind::Maintenance {
        command: MaintenanceCommand::Cluster,
        table,
        index,
        concurrently: false,
    }
}

/// `VACUUM [ ( options ) ] [ table [ (columns) ] [, ...] ]` and the older
/// `VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [table ...]`: one operation per table.
fn vacuum(tokens: &[&Token]) -> Vec<OpKind> {
    let mut at = skip_options(tokens, 1);
    let options = tokens.get(1..at).unwrap_or_default();
    let mut full = option_on(options, "FULL");
    while let Some(word) = keyword(tokens.get(at)) {
        match word.as_str() {
            "FULL" => full = true,
            "FREEZE" | "VERBOSE" | "ANALYZE" | "ANALYSE" => {}
            _ => break,
        }
        at += 1;
    }
    if !full {
        return vec![OpKind::NoEffect {
            what: "VACUUM".to_string(),
        }];
    }
    let every_table = || {
        vec![OpKind::Maintenance {
            command: MaintenanceCommand::VacuumFull,
            table: None,
            index: None,
            concurrently: false,
        }]
    };
    let mut tables = Vec::new();
    while at < tokens.len() {
        let Some((name, next)) = name_at(tokens, at) else {
            return every_table();
        };
        tables.push(name);
        at = skip_options(tokens, next);
        if matches!(tokens.get(at), Some(Token::Comma)) {
            at += 1;
        } else if at != tokens.len() {
            return every_table();
        }
    }
    if tables.is_empty() {
        return every_table();
    }
    tables
        .into_iter()
        .map(|table| OpKind::Maintenance {
            command: MaintenanceCommand::VacuumFull,
            table: Some(table),
            index: None,
            concurrently: false,
        })
        .collect()
}

//! `DO` blocks: an anonymous plpgsql block whose body is plain statements is read as them.

use sqlparser::tokenizer::Token;

use super::named::{ident, is_kw};
use crate::model::ops::{Dialect, OpKind};

/// `DO $$ BEGIN statements END $$`: an anonymous plpgsql block whose body is plain SQL
/// (`PERFORM` read as `SELECT`) is read as its statements. A body with declarations,
/// conditions, loops or dynamic SQL is not read here: it stays unsupported, since what it
/// runs depends on data the tool does not see.
pub(super) fn do_block(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    let body = tokens.iter().find_map(|t| match t {
        Token::DollarQuotedString(s) => Some(s.value.as_str()),
        Token::SingleQuotedString(s) => Some(s.as_str()),
        _ => None,
    })?;
    let language = tokens
        .windows(2)
        .find(|w| is_kw(w.first(), "LANGUAGE"))
        .and_then(|w| ident(w.get(1)));
    if language.is_some_and(|l| !l.eq_ignore_ascii_case("plpgsql")) {
        return None;
    }
    let trimmed = body.trim();
    let head = trimmed.get(..5)?;
    if !head.eq_ignore_ascii_case("BEGIN") {
        return None;
    }
    let inner = trimmed.get(5..)?.trim_end().trim_end_matches(';').trim_end();
    let tail = inner.len().checked_sub(3)?;
    if !inner.get(tail..)?.eq_ignore_ascii_case("END") {
        return None;
    }
    let statements = inner.get(..tail)?;
    // Nested dollar quotes are nested blocks, bodies or dynamic SQL: not read (which also
    // bounds the recursion).
    if statements.contains('$') {
        return None;
    }
    let mut kinds = Vec::new();
    for op in super::lower_sql(&perform_as_select(statements), Dialect::Postgres) {
        if matches!(op.kind, OpKind::Unreadable { .. } | OpKind::Unsupported { .. }) {
            return None;
        }
        kinds.push(op.kind);
    }
    if kinds.is_empty() {
        kinds.push(OpKind::NoEffect {
            what: "DO (empty block)".to_string(),
        });
    }
    Some(kinds)
}

/// plpgsql's `PERFORM query` runs a query and discards its rows: a `SELECT` to the model.
fn perform_as_select(body: &str) -> String {
    body.split_inclusive(';')
        .map(|statement| {
            let start = statement.len() - statement.trim_start().len();
            match statement.get(start..start + 7) {
                Some(word) if word.eq_ignore_ascii_case("PERFORM") => format!(
                    "{}SELECT{}",
                    statement.get(..start).unwrap_or_default(),
                    statement.get(start + 7..).unwrap_or_default()
                ),
                _ => statement.to_string(),
            }
        })
        .collect()
}

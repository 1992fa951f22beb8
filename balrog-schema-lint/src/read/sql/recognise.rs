//! Token-level recognisers: naming statements by their leading keywords, and reading the
//! statements sqlparser 0.64 rejects but real migrations contain.
//!
//! A recognised statement becomes a precise operation (`DROP INDEX CONCURRENTLY`) or an
//! `Unsupported` one that says what it was; anything else stays unreadable with the
//! parser's message. A syntax error in a statement the model covers (a misspelt
//! `ALTER TABLE ... ADD COLUMN`) is never recognised away.

use sqlparser::tokenizer::{Token, Word};

use crate::model::ops::OpKind;

/// Upper-cased text of a word token; quoted identifiers never count as keywords.
pub(super) fn keyword(token: Option<&&Token>) -> Option<String> {
    match token {
        Some(Token::Word(Word {
            value,
            quote_style: None,
            ..
        })) => Some(value.to_ascii_uppercase()),
        _ => None,
    }
}

pub(super) fn is_kw(token: Option<&&Token>, kw: &str) -> bool {
    keyword(token).is_some_and(|k| k == kw)
}

/// Object kinds named after `CREATE`, `ALTER` and `DROP`.
const KINDS: &[&str] = &[
    "TABLE",
    "VIEW",
    "INDEX",
    "TYPE",
    "SEQUENCE",
    "TRIGGER",
    "FUNCTION",
    "PROCEDURE",
    "EVENT",
    "SCHEMA",
    "DATABASE",
    "EXTENSION",
    "STATISTICS",
    "DOMAIN",
    "RULE",
    "POLICY",
    "ROLE",
    "USER",
    "AGGREGATE",
    "OPERATOR",
    "COLLATION",
    "CAST",
    "PUBLICATION",
    "SUBSCRIPTION",
    "SERVER",
    "TABLESPACE",
    "LANGUAGE",
    "CONVERSION",
    "GROUP",
    "MATERIALIZED",
    "FOREIGN",
    "TEXT",
    "DEFAULT",
    "LOGFILE",
];

/// Two-word kinds, by their first word.
const KIND_PAIRS: &[(&str, &str)] = &[
    ("MATERIALIZED", "VIEW"),
    ("FOREIGN", "TABLE"),
    ("FOREIGN", "DATA"),
    ("TEXT", "SEARCH"),
    ("DEFAULT", "PRIVILEGES"),
    ("EVENT", "TRIGGER"),
    ("CONSTRAINT", "TRIGGER"),
    ("USER", "MAPPING"),
    ("OPERATOR", "CLASS"),
    ("OPERATOR", "FAMILY"),
    ("ACCESS", "METHOD"),
];

/// How many leading tokens naming a statement needs.
pub(crate) const HEAD_TOKENS: usize = 16;

/// Where the object kind of a `CREATE` / `ALTER` / `DROP` statement is, and its name.
fn kind_of(tokens: &[&Token]) -> Option<(usize, String)> {
    // Modifiers (`OR REPLACE`, `TEMPORARY`, `DEFINER = x@y`, `ALGORITHM = MERGE`) come
    // before the kind; a dozen tokens is plenty for them.
    for i in 1..tokens.len().min(HEAD_TOKENS - 2) {
        let Some(word) = keyword(tokens.get(i)) else {
            continue;
        };
        if let Some(next) = keyword(tokens.get(i + 1)) {
            if KIND_PAIRS.iter().any(|&(a, b)| a == word && b == next) {
                return Some((i + 1, format!("{word} {next}")));
            }
        }
        if KINDS.contains(&word.as_str()) {
            return Some((i, word));
        }
    }
    None
}

/// A short name for a statement from its leading keywords, e.g. `CREATE FUNCTION`.
pub(crate) fn statement_what(tokens: &[&Token]) -> String {
    let Some(first) = keyword(tokens.first()) else {
        return "statement".to_string();
    };
    match first.as_str() {
        "CREATE" | "ALTER" | "DROP" => match kind_of(tokens) {
            Some((_, kind)) => format!("{first} {kind}"),
            None => first,
        },
        "COMMENT" => "COMMENT ON".to_string(),
        "START" => "START TRANSACTION".to_string(),
        "LOCK" | "UNLOCK" => match keyword(tokens.get(1)) {
            Some(next) if next == "TABLES" || next == "TABLE" => format!("{first} {next}"),
            _ => first,
        },
        _ => first,
    }
}

/// An object name (`a` or `schema.a`) at `at`, and the index after it.
pub(super) fn name_at(tokens: &[&Token], mut at: usize) -> Option<(String, usize)> {
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

/// Skips `IF EXISTS` / `IF NOT EXISTS` at `at`.
fn skip_if_exists(tokens: &[&Token], at: usize) -> usize {
    if !is_kw(tokens.get(at), "IF") {
        return at;
    }
    if is_kw(tokens.get(at + 1), "NOT") && is_kw(tokens.get(at + 2), "EXISTS") {
        at + 3
    } else if is_kw(tokens.get(at + 1), "EXISTS") {
        at + 2
    } else {
        at
    }
}

/// Operations for a statement the parser rejected, when it is one of the known shapes.
pub(crate) fn recognise(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    if let Some(ops) = super::objects::recognise(tokens) {
        return Some(ops);
    }
    let first = keyword(tokens.first())?;
    match first.as_str() {
        "DROP" if is_kw(tokens.get(1), "INDEX") => drop_index(tokens),
        "CREATE" | "DROP" | "ALTER" => {
            let (at, kind) = kind_of(tokens)?;
            match (first.as_str(), kind.as_str()) {
                ("ALTER", "TABLE") => alter_table(tokens, at + 1),
                // `DROP DATABASE x WITH (FORCE)` and other forms the parser rejects.
                ("DROP", "DATABASE") => {
                    let (name, _) = name_at(tokens, skip_if_exists(tokens, at + 1))?;
                    Some(vec![OpKind::DropDatabase { name }])
                }
                // Extended planner statistics: query plans change, not what code can do.
                (_, "STATISTICS") => Some(vec![OpKind::NoEffect {
                    what: format!("{first} STATISTICS"),
                }]),
                // A syntax error in a statement the model covers stays unreadable.
                (
                    "CREATE" | "DROP",
                    "TABLE" | "VIEW" | "INDEX" | "TYPE" | "SEQUENCE" | "MATERIALIZED VIEW",
                ) => None,
                _ => Some(vec![OpKind::Unsupported {
                    what: format!("{first} {kind}"),
                    table: target_table(tokens, &kind, at),
                }]),
            }
        }
        // sqlparser wants a literal (`PRAGMA foreign_keys = OFF` fails); a pragma changes
        // connection settings, not the schema.
        "PRAGMA" => Some(vec![OpKind::NoEffect {
            what: "PRAGMA".to_string(),
        }]),
        // Statistics, documentation and messaging change no definition code depends on:
        // COMMENT documents, REFRESH recomputes a materialized view's rows (REINDEX, CLUSTER
        // and VACUUM are read by `maintenance`).
        "ANALYZE" | "COMMENT" | "REFRESH" | "OPTIMIZE"
        | "REPAIR" | "CHECKPOINT" | "NOTIFY" | "LISTEN" | "UNLISTEN" | "DISCARD" => {
            Some(vec![OpKind::NoEffect {
                what: statement_what(tokens),
            }])
        }
        "DO" | "PREPARE" | "EXECUTE" | "DEALLOCATE" | "GRANT" | "REVOKE" | "SECURITY" | "CALL"
        | "IMPORT" | "LOAD" | "HANDLER" | "REASSIGN" => Some(vec![OpKind::Unsupported {
            what: statement_what(tokens),
            table: None,
        }]),
        _ => None,
    }
}

/// `DROP INDEX [CONCURRENTLY] [IF EXISTS] name [, ...] [CASCADE | RESTRICT] [ON table]`.
fn drop_index(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    let mut at = 2;
    let concurrently = is_kw(tokens.get(at), "CONCURRENTLY");
    if concurrently {
        at += 1;
    }
    at = skip_if_exists(tokens, at);
    let mut names = Vec::new();
    loop {
        let (name, next) = name_at(tokens, at)?;
        names.push(name);
        at = next;
        if matches!(tokens.get(at), Some(Token::Comma)) {
            at += 1;
        } else {
            break;
        }
    }
    if is_kw(tokens.get(at), "CASCADE") || is_kw(tokens.get(at), "RESTRICT") {
        at += 1;
    }
    let mut table = None;
    if is_kw(tokens.get(at), "ON") {
        let (name, next) = name_at(tokens, at + 1)?;
        table = Some(name);
        at = next;
        // MySQL's `ALGORITHM = ...` / `LOCK = ...` may follow; they do not change what
        // is dropped.
        while is_kw(tokens.get(at), "ALGORITHM") || is_kw(tokens.get(at), "LOCK") {
            at += 1;
            if matches!(tokens.get(at), Some(Token::Eq)) {
                at += 1;
            }
            keyword(tokens.get(at))?;
            at += 1;
        }
    }
    if at != tokens.len() {
        return None;
    }
    Some(
        names
            .into_iter()
            .map(|name| OpKind::DropIndex {
                name,
                table: table.clone(),
                concurrently,
            })
            .collect(),
    )
}

/// `ALTER TABLE` forms sqlparser 0.64 rejects; `at` is just after `TABLE`.
fn alter_table(tokens: &[&Token], at: usize) -> Option<Vec<OpKind>> {
    let mut at = skip_if_exists(tokens, at);
    if is_kw(tokens.get(at), "ONLY") {
        at += 1;
    }
    let (table, at) = name_at(tokens, at)?;
    let rest = tokens.get(at..).unwrap_or_default();
    let what = if rest
        .windows(2)
        .any(|w| is_kw(w.first(), "ALTER") && is_kw(w.get(1), "CONSTRAINT"))
    {
        "ALTER TABLE ALTER CONSTRAINT".to_string()
    } else {
        let action = keyword(rest.first())?;
        let next = rest.get(1);
        match action.as_str() {
            "SET" | "RESET" if matches!(next, Some(Token::LParen)) => {
                format!("ALTER TABLE {action} storage parameters")
            }
            "SET" | "CLUSTER" | "CONVERT" => {
                let next = keyword(next)?;
                format!("ALTER TABLE {action} {next}")
            }
            "RENAME" if is_kw(next, "INDEX") || is_kw(next, "KEY") => {
                let (name, after) = name_at(rest, 2)?;
                if is_kw(rest.get(after), "TO") {
                    let (new_name, end) = name_at(rest, after + 1)?;
                    if end == rest.len() {
                        return Some(vec![OpKind::RenameIndex {
                            name,
                            new_name,
                            table: Some(table),
                        }]);
                    }
                }
                "ALTER TABLE RENAME INDEX".to_string()
            }
            // MySQL table options change storage, not what code can read or write (they may
            // rebuild the table, which is an operational matter, not a compatibility one).
            "ENGINE" | "ROW_FORMAT" | "CHARSET" | "CHARACTER" | "DEFAULT" | "COLLATE"
            | "COMMENT" | "FORCE" | "ORDER" | "KEY_BLOCK_SIZE" | "STATS_PERSISTENT" => {
                return Some(vec![OpKind::NoEffect {
                    what: format!("ALTER TABLE {action}"),
                }]);
            }
            _ => return None,
        }
    };
    Some(vec![OpKind::Unsupported {
        what,
        table: Some(table),
    }])
}

/// The table a trigger, rule or policy is attached to (`... ON table`).
fn target_table(tokens: &[&Token], kind: &str, kind_at: usize) -> Option<String> {
    if !matches!(kind, "TRIGGER" | "RULE" | "POLICY" | "CONSTRAINT TRIGGER") {
        return None;
    }
    let on = (kind_at + 1..tokens.len()).find(|&i| is_kw(tokens.get(i), "ON"))?;
    name_at(tokens, on + 1).map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::Tokenizer;

    fn with_tokens<T>(sql: &str, f: impl FnOnce(&[&Token]) -> T) -> T {
        let all = Tokenizer::new(&PostgreSqlDialect {}, sql)
            .tokenize()
            .unwrap_or_default();
        let solid: Vec<&Token> = all
            .iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .collect();
        f(&solid)
    }

    #[test]
    fn names_statements_by_leading_keywords() {
        let what = |sql: &str| with_tokens(sql, statement_what);
        assert_eq!(what("CREATE OR REPLACE FUNCTION f()"), "CREATE FUNCTION");
        assert_eq!(
            what("CREATE DEFINER=`root`@`%` TRIGGER t BEFORE INSERT"),
            "CREATE TRIGGER"
        );
        assert_eq!(
            what("CREATE MATERIALIZED VIEW v AS SELECT 1"),
            "CREATE MATERIALIZED VIEW"
        );
        assert_eq!(what("COMMENT ON TABLE t IS 'x'"), "COMMENT ON");
        assert_eq!(what("GRANT SELECT ON t TO u"), "GRANT");
        assert_eq!(what("(SELECT 1)"), "statement");
    }

    #[test]
    fn drop_index_shapes() {
        let ops = |sql: &str| with_tokens(sql, recognise);
        assert_eq!(
            ops("DROP INDEX CONCURRENTLY IF EXISTS s.idx_a, idx_b CASCADE"),
            Some(vec![
                OpKind::DropIndex {
                    name: "s.idx_a".into(),
                    table: None,
                    concurrently: true
                },
                OpKind::DropIndex {
                    name: "idx_b".into(),
                    table: None,
                    concurrently: true
                },
            ])
        );
        assert_eq!(ops("DROP INDEX CONCURRENTLY idx junk"), None);
    }

    #[test]
    fn syntax_errors_in_modelled_statements_stay_unreadable() {
        let ops = |sql: &str| with_tokens(sql, recognise);
        assert_eq!(ops("CREATE TABLE t (a INT,,)"), None);
        assert_eq!(ops("ALTER TABLE t ADD COLUMN"), None);
        assert_eq!(ops("SELEC 1"), None);
    }
}

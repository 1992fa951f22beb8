//! Token-level reading of the statements about objects known by kind and name (roles,
//! tablespaces, collations, rules, ...) and of `ALTER` forms that change a name, schema,
//! owner or settings; the token helpers `table_actions` and `do_block` share.
//!
//! A statement is read here only when every part of it is understood; otherwise the caller
//! keeps what it had (an `Unsupported` or `Unreadable` operation).

use sqlparser::tokenizer::{Token, Word};

use crate::model::named::{ObjectChange, ObjectKind};
use crate::model::ops::{Dialect, OpKind};

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

/// The upper-case words of `tokens` from `at`, up to `count` of them, joined by spaces.
pub(super) fn words(tokens: &[&Token], at: usize, count: usize) -> Option<String> {
    let mut out = Vec::with_capacity(count);
    for i in at..at + count {
        out.push(keyword(tokens.get(i))?);
    }
    Some(out.join(" "))
}

/// Tokens printed back as SQL, separated by spaces except around `.` and inside
/// parentheses.
pub(super) fn text(tokens: &[&Token]) -> String {
    let mut out = String::new();
    let mut glue = true;
    for token in tokens {
        let tight = matches!(token, Token::Period | Token::RParen | Token::Comma);
        if !glue && !tight {
            out.push(' ');
        }
        out.push_str(&token.to_string());
        glue = matches!(token, Token::Period | Token::LParen);
    }
    out
}

/// An identifier's value without quotes.
pub(super) fn ident(token: Option<&&Token>) -> Option<String> {
    match token {
        Some(Token::Word(w)) => Some(w.value.clone()),
        Some(Token::SingleQuotedString(s)) | Some(Token::DoubleQuotedString(s)) => Some(s.clone()),
        _ => None,
    }
}

/// An object name (`a`, `schema.a`, MySQL `'user'@'host'`) at `at`, and the index after it.
pub(super) fn name_at(tokens: &[&Token], mut at: usize) -> Option<(String, usize)> {
    let mut name = ident(tokens.get(at))?;
    at += 1;
    loop {
        match tokens.get(at) {
            Some(Token::Period) => name.push('.'),
            Some(Token::AtSign) => name.push('@'),
            _ => return Some((name, at)),
        }
        name.push_str(&ident(tokens.get(at + 1))?);
        at += 2;
    }
}

/// The index just after the parenthesis group opening at `at`.
pub(super) fn after_group(tokens: &[&Token], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(at) {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Skips `IF EXISTS` / `IF NOT EXISTS` at `at`.
pub(super) fn skip_if_exists(tokens: &[&Token], at: usize) -> usize {
    if !is_kw(tokens.get(at), "IF") {
        at
    } else if is_kw(tokens.get(at + 1), "NOT") && is_kw(tokens.get(at + 2), "EXISTS") {
        at + 3
    } else if is_kw(tokens.get(at + 1), "EXISTS") {
        at + 2
    } else {
        at
    }
}

/// Kinds read here for `CREATE` and `DROP`; the others have statements of their own.
fn generic(kind: ObjectKind) -> bool {
    !matches!(
        kind,
        ObjectKind::Table
            | ObjectKind::View
            | ObjectKind::MaterializedView
            | ObjectKind::Sequence
            | ObjectKind::Index
            | ObjectKind::Schema
            | ObjectKind::Extension
            | ObjectKind::DefaultPrivileges
    )
}

/// The kind named at `at` (longest match first) and the index after its words.
fn kind_at(tokens: &[&Token], at: usize) -> Option<(ObjectKind, usize)> {
    (1..=ObjectKind::MAX_WORDS).rev().find_map(|n| {
        let words = words(tokens, at, n)?;
        // `TEXT SEARCH CONFIGURATION / DICTIONARY / PARSER / TEMPLATE`.
        let kind = ObjectKind::from_words(&words)?;
        let end = if kind == ObjectKind::TextSearch { at + n + 1 } else { at + n };
        Some((kind, end))
    })
}

/// Where the kind of a `CREATE` is: after `OR REPLACE`, `TEMPORARY`, `DEFAULT`, ...
fn create_kind(tokens: &[&Token]) -> Option<(ObjectKind, usize)> {
    let mut at = 1;
    while let Some(word) = keyword(tokens.get(at)) {
        if let Some(found) = kind_at(tokens, at) {
            return Some(found);
        }
        if !matches!(word.as_str(), "OR" | "REPLACE" | "TEMP" | "TEMPORARY" | "UNLOGGED") || at > 4
        {
            return None;
        }
        at += 1;
    }
    None
}

/// The name of an object of `kind` at `at`: a cast's `(a AS b)`, an operator's symbol, a
/// user mapping's `FOR role SERVER s`, else a plain or qualified name.
fn object_name(kind: ObjectKind, tokens: &[&Token], at: usize) -> Option<(String, usize)> {
    match kind {
        ObjectKind::Cast => {
            let end = after_group(tokens, at)?;
            Some((text(tokens.get(at..end)?), end))
        }
        ObjectKind::Operator => {
            let end = (at..tokens.len())
                .find(|&i| matches!(tokens.get(i), Some(Token::LParen) | Some(Token::Word(_))))
                .unwrap_or(tokens.len());
            let symbol = text(tokens.get(at..end)?).replace(' ', "");
            (!symbol.is_empty()).then_some((symbol, end))
        }
        ObjectKind::UserMapping => {
            let end = (at..tokens.len())
                .find(|&i| is_kw(tokens.get(i), "OPTIONS"))
                .unwrap_or(tokens.len());
            Some((text(tokens.get(at..end)?).to_ascii_lowercase(), end))
        }
        _ => {
            let (name, end) = name_at(tokens, at)?;
            // An aggregate (and PostgreSQL routines generally) are named with their argument
            // types.
            if kind == ObjectKind::Aggregate && matches!(tokens.get(end), Some(Token::LParen)) {
                let after = after_group(tokens, end)?;
                return Some((format!("{name}{}", text(tokens.get(end..after)?)), after));
            }
            Some((name, end))
        }
    }
}

/// The table of a rule: `CREATE RULE r AS ON event TO table`, `DROP RULE r ON table`.
fn rule_table(tokens: &[&Token], from: usize, marker: &str) -> Option<String> {
    let at = (from..tokens.len()).find(|&i| is_kw(tokens.get(i), marker))?;
    name_at(tokens, at + 1).map(|(name, _)| name)
}

/// Reads a statement of the shapes this module knows; `None` leaves it to the caller.
pub(crate) fn recognise(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    let first = keyword(tokens.first())?;
    match first.as_str() {
        "CREATE" => create(tokens, dialect),
        "DROP" => drop(tokens),
        "ALTER" if is_kw(tokens.get(1), "DEFAULT") && is_kw(tokens.get(2), "PRIVILEGES") => {
            default_privileges(tokens)
        }
        "ALTER" if is_kw(tokens.get(1), "TABLE") => super::table_actions::alter_table(tokens, dialect),
        "ALTER" => alter(tokens),
        "SECURITY" => security_label(tokens),
        "DO" => super::do_block::do_block(tokens),
        // Locks last until the transaction ends; checks only read.
        "LOCK" | "CHECK" | "CHECKSUM" => Some(vec![OpKind::NoEffect {
            what: format!("{first} TABLE"),
        }]),
        _ => None,
    }
}

fn create(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    if let Some(ops) = mysql_create(tokens, dialect) {
        return Some(ops);
    }
    if let Some(op) = create_table_like(tokens) {
        return Some(vec![op]);
    }
    if let Some(ops) = super::table_actions::mysql_partitioned_table(tokens, dialect) {
        return Some(ops);
    }
    let (kind, at) = create_kind(tokens)?;
    if !generic(kind) {
        return None;
    }
    let at = skip_if_exists(tokens, at);
    let (name, end) = object_name(kind, tokens, at)?;
    let table = match kind {
        ObjectKind::Rule => Some(rule_table(tokens, end, "TO")?),
        _ => None,
    };
    Some(vec![OpKind::CreateObject {
        object: kind,
        name,
        table,
    }])
}

/// MySQL `CREATE FULLTEXT / SPATIAL INDEX` and `CREATE ALGORITHM = .. VIEW`, which the
/// parser rejects.
fn mysql_create(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    if dialect != Dialect::Mysql {
        return None;
    }
    let second = keyword(tokens.get(1))?;
    if matches!(second.as_str(), "FULLTEXT" | "SPATIAL") && is_kw(tokens.get(2), "INDEX") {
        let (name, at) = name_at(tokens, 3)?;
        if !is_kw(tokens.get(at), "ON") {
            return None;
        }
        let (table, at) = name_at(tokens, at + 1)?;
        let end = after_group(tokens, at)?;
        let columns = tokens
            .get(at + 1..end - 1)?
            .split(|t| matches!(t, Token::Comma))
            .filter_map(|part| ident(part.first()))
            .collect();
        return Some(vec![OpKind::CreateIndex {
            name: Some(name),
            table,
            columns,
            unique: false,
            concurrently: false,
            partial: false,
        }]);
    }
    // `CREATE [OR REPLACE] [ALGORITHM = x] [DEFINER = u] [SQL SECURITY x] VIEW v AS ...`.
    let view_at = (1..tokens.len().min(16)).find(|&i| is_kw(tokens.get(i), "VIEW"))?;
    let head = text(tokens.get(1..view_at)?).to_ascii_uppercase();
    if !head.contains("ALGORITHM") && !head.contains("DEFINER") && !head.contains("SECURITY") {
        return None;
    }
    let (view, at) = name_at(tokens, view_at + 1)?;
    if !is_kw(tokens.get(at), "AS") && !matches!(tokens.get(at), Some(Token::LParen)) {
        return None;
    }
    Some(vec![OpKind::CreateView {
        view,
        or_replace: head.contains("REPLACE"),
    }])
}

fn drop(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    let (kind, at) = kind_at(tokens, 1)?;
    if !generic(kind) {
        return None;
    }
    let mut at = skip_if_exists(tokens, at);
    let mut ops = Vec::new();
    loop {
        let (name, end) = object_name(kind, tokens, at)?;
        let table = match kind {
            ObjectKind::Rule => Some(rule_table(tokens, end, "ON")?),
            _ => None,
        };
        ops.push(OpKind::DropObject {
            object: kind,
            name,
            table,
        });
        if matches!(tokens.get(end), Some(Token::Comma)) && kind != ObjectKind::Rule {
            at = end + 1;
        } else {
            return Some(ops);
        }
    }
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT | REVOKE ...`.
fn default_privileges(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    let verb = (3..tokens.len()).find(|&i| {
        is_kw(tokens.get(i), "GRANT") || is_kw(tokens.get(i), "REVOKE")
    })?;
    let scope = text(tokens.get(3..verb)?).to_ascii_lowercase();
    let grant = text(tokens.get(verb..)?).to_ascii_lowercase();
    Some(vec![OpKind::AlterObject {
        object: ObjectKind::DefaultPrivileges,
        name: format!("{scope} {grant}").trim().to_string(),
        change: ObjectChange::DefaultPrivileges {
            revoke: is_kw(tokens.get(verb), "REVOKE"),
        },
    }])
}

/// `SECURITY LABEL [FOR provider] ON kind name IS 'label'`.
fn security_label(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    if !is_kw(tokens.get(1), "LABEL") {
        return None;
    }
    let on = (2..tokens.len()).find(|&i| is_kw(tokens.get(i), "ON"))?;
    let (kind, at) = kind_at(tokens, on + 1).unwrap_or((ObjectKind::Table, on + 2));
    let (name, _) = name_at(tokens, at)?;
    Some(vec![OpKind::AlterObject {
        object: kind,
        name,
        change: ObjectChange::Review {
            what: "SECURITY LABEL".to_string(),
            reason: "a security label decides who may use the object under a label-based access policy (sepgsql): code may lose access".to_string(),
        },
    }])
}

/// `ALTER kind name action` for every kind but tables.
fn alter(tokens: &[&Token]) -> Option<Vec<OpKind>> {
    let (kind, at) = kind_at(tokens, 1)?;
    if matches!(kind, ObjectKind::Table | ObjectKind::DefaultPrivileges) {
        return None;
    }
    let at = skip_if_exists(tokens, at);
    let (name, at) = object_name(kind, tokens, at)?;
    let rest = tokens.get(at..)?;
    // MySQL `ALTER VIEW v AS SELECT ...` redefines the view.
    if kind == ObjectKind::View && is_kw(rest.first(), "AS") {
        return Some(vec![OpKind::CreateView {
            view: name,
            or_replace: true,
        }]);
    }
    let change = alter_change(kind, &name, rest)?;
    Some(vec![OpKind::AlterObject {
        object: kind,
        name,
        change,
    }])
}

/// What `rest` (the words after an object's name) changes.
fn alter_change(kind: ObjectKind, name: &str, rest: &[&Token]) -> Option<ObjectChange> {
    let first = keyword(rest.first())?;
    let second = keyword(rest.get(1));
    let whole = text(rest).to_ascii_uppercase();
    let change = match (first.as_str(), second.as_deref()) {
        ("RENAME", Some("TO")) => ObjectChange::Rename {
            new_name: name_at(rest, 2)?.0,
        },
        ("OWNER", Some("TO")) => ObjectChange::Owner {
            owner: ident(rest.get(2))?.to_ascii_lowercase(),
        },
        ("SET", Some("SCHEMA")) => ObjectChange::SetSchema {
            schema: ident(rest.get(2))?,
        },
        _ => match kind {
            ObjectKind::Sequence => sequence_change(&whole),
            ObjectKind::Role => ObjectChange::Review {
                what: format!("ALTER ROLE {whole}"),
                reason: if first == "SET" || first == "RESET" || first == "IN" {
                    format!("changes the settings every session of {name} starts with: queries of old and new code may behave differently (timeouts, search path)")
                } else {
                    format!("changes what {name} may do or how it logs in: code that connects as {name} may be refused")
                },
            },
            ObjectKind::Database if first == "SET" || first == "RESET" => ObjectChange::Review {
                what: format!("ALTER DATABASE {whole}"),
                reason: format!("changes the settings every session in {name} starts with: queries of old and new code may behave differently"),
            },
            ObjectKind::Extension => ObjectChange::Review {
                what: format!("ALTER EXTENSION {whole}"),
                reason: format!("the functions and types of {name} change with it: read what the new version changes"),
            },
            ObjectKind::Event => ObjectChange::Review {
                what: format!("ALTER EVENT {whole}"),
                reason: format!("changes when or whether the scheduled event {name} runs, and so what data changes it makes"),
            },
            ObjectKind::View if whole.contains("DEFAULT") => ObjectChange::Review {
                what: format!("ALTER VIEW {whole}"),
                reason: format!("changes what inserts through {name} fill in for a column they leave out"),
            },
            // Storage and planning of tables, indexes and views; a collation's version;
            // MySQL database defaults (they apply to tables created later).
            ObjectKind::Database
            | ObjectKind::View
            | ObjectKind::MaterializedView
            | ObjectKind::Index
            | ObjectKind::Tablespace
            | ObjectKind::Collation
            | ObjectKind::Publication
            | ObjectKind::Subscription => ObjectChange::Settings { what: whole },
            _ => ObjectChange::Review {
                what: format!("ALTER {} {whole}", kind.name().to_ascii_uppercase()),
                reason: format!("changes {kind} {name} in a way the model does not judge: read what it changes"),
            },
        },
    };
    Some(change)
}

/// `ALTER SEQUENCE` options: numbering is operational; limits are for review.
fn sequence_change(whole: &str) -> ObjectChange {
    let limits = whole.starts_with("AS ")
        || whole.contains("MAXVALUE")
        || whole.contains("MINVALUE")
        || whole.contains("NO CYCLE");
    if limits && !whole.contains("NO MAXVALUE") && !whole.contains("NO MINVALUE") {
        ObjectChange::Review {
            what: format!("ALTER SEQUENCE {whole}"),
            reason: "limits the values the sequence hands out: inserts that take from it fail once it reaches the limit".to_string(),
        }
    } else {
        ObjectChange::Settings {
            what: whole.to_string(),
        }
    }
}

/// `CREATE TABLE [IF NOT EXISTS] t (LIKE source [INCLUDING x | EXCLUDING x] ...)`.
fn create_table_like(tokens: &[&Token]) -> Option<OpKind> {
    if !is_kw(tokens.get(1), "TABLE") {
        return None;
    }
    let (table, at) = name_at(tokens, skip_if_exists(tokens, 2))?;
    if !matches!(tokens.get(at), Some(Token::LParen)) || !is_kw(tokens.get(at + 1), "LIKE") {
        return None;
    }
    if after_group(tokens, at)? != tokens.len() {
        return None;
    }
    let (source, mut at) = name_at(tokens, at + 2)?;
    let mut including = Vec::new();
    loop {
        match keyword(tokens.get(at)).as_deref() {
            Some("INCLUDING") => including.push(ident(tokens.get(at + 1))?.to_ascii_lowercase()),
            Some("EXCLUDING") => {
                let what = ident(tokens.get(at + 1))?.to_ascii_lowercase();
                including.retain(|i| *i != what);
            }
            _ => break,
        }
        at += 2;
    }
    matches!(tokens.get(at), Some(Token::RParen)).then_some(OpKind::CreateTableLike {
        table,
        source,
        including,
    })
}

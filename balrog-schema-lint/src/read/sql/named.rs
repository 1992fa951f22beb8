//! Token-level reading of the statements about objects known by kind and name (roles,
//! tablespaces, collations, rules, ...), of `ALTER` forms that change a name, schema, owner
//! or settings, and of the `ALTER TABLE` actions sqlparser 0.64 does not read (`ALTER
//! CONSTRAINT`, storage parameters, MySQL `DROP KEY` and partition clauses, ...).
//!
//! A statement is read here only when every part of it is understood; otherwise the caller
//! keeps what it had (an `Unsupported` or `Unreadable` operation).

use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Word};

use super::reader::sql_dialect;
use crate::model::named::{ObjectChange, ObjectKind};
use crate::model::ops::{DataChangeKind, Dialect, OpKind};

/// Upper-cased text of a word token; quoted identifiers never count as keywords.
fn keyword(token: Option<&&Token>) -> Option<String> {
    match token {
        Some(Token::Word(Word {
            value,
            quote_style: None,
            ..
        })) => Some(value.to_ascii_uppercase()),
        _ => None,
    }
}

fn is_kw(token: Option<&&Token>, kw: &str) -> bool {
    keyword(token).is_some_and(|k| k == kw)
}

/// The upper-case words of `tokens` from `at`, up to `count` of them, joined by spaces.
fn words(tokens: &[&Token], at: usize, count: usize) -> Option<String> {
    let mut out = Vec::with_capacity(count);
    for i in at..at + count {
        out.push(keyword(tokens.get(i))?);
    }
    Some(out.join(" "))
}

/// Tokens printed back as SQL, separated by spaces except around `.` and inside
/// parentheses.
fn text(tokens: &[&Token]) -> String {
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
fn ident(token: Option<&&Token>) -> Option<String> {
    match token {
        Some(Token::Word(w)) => Some(w.value.clone()),
        Some(Token::SingleQuotedString(s)) | Some(Token::DoubleQuotedString(s)) => Some(s.clone()),
        _ => None,
    }
}

/// An object name (`a`, `schema.a`, MySQL `'user'@'host'`) at `at`, and the index after it.
fn name_at(tokens: &[&Token], mut at: usize) -> Option<(String, usize)> {
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
fn after_group(tokens: &[&Token], at: usize) -> Option<usize> {
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
fn skip_if_exists(tokens: &[&Token], at: usize) -> usize {
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
        "ALTER" if is_kw(tokens.get(1), "TABLE") => alter_table(tokens, dialect),
        "ALTER" => alter(tokens),
        "SECURITY" => security_label(tokens),
        "DO" => do_block(tokens),
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
    if let Some(ops) = mysql_partitioned_table(tokens, dialect) {
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

/// `ALTER TABLE [IF EXISTS] [ONLY] t action, ...` when some action is one sqlparser does
/// not read: each action on its own, the ones sqlparser reads through it.
fn alter_table(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
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

/// `DO $$ BEGIN statements END $$`: an anonymous plpgsql block whose body is plain SQL
/// (`PERFORM` read as `SELECT`) is read as its statements. A body with declarations,
/// conditions, loops or dynamic SQL is not read here: it stays unsupported, since what it
/// runs depends on data the tool does not see.
fn do_block(tokens: &[&Token]) -> Option<Vec<OpKind>> {
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

/// MySQL `CREATE TABLE t (...) [options] PARTITION BY ... [(PARTITION ...)]`: the table as
/// the parser reads it without the partitioning, then how its rows are split.
fn mysql_partitioned_table(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
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

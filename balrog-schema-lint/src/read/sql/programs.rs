//! Routines, triggers, row-level security, policies, grants and comments.
//!
//! Drops, alters, policies, grants and comments are read from sqlparser's tree. `CREATE
//! FUNCTION`, `CREATE PROCEDURE` and `CREATE TRIGGER` are read from the statement's tokens
//! whether sqlparser parsed them or not: sqlparser 0.64 rejects forms real migrations use
//! (MySQL functions, PostgreSQL procedures with a `$$` body, SQLite `IF NOT EXISTS`, MySQL
//! `FOLLOWS`, PostgreSQL trigger arguments), and one reading for every dialect gives every
//! definition the same spelling, so that a routine recreated as it was compares equal.
//! sqlparser still decides where such a statement ends (a `BEGIN ... END` body is kept
//! whole). A form the token reader does not recognise is left to the caller, which reports
//! it unsupported or unreadable at its line.

use sqlparser::ast::{
    AlterFunction, AlterFunctionKind, AlterFunctionOperation, AlterPolicyOperation,
    AlterTriggerOperation, CreatePolicyType, FunctionDesc, GrantObjects, Grantee, GranteeName,
    GranteesType, ObjectName, Privileges, Statement,
};
use sqlparser::tokenizer::{Token, Word};

use super::columns::{ident, object_name};
use crate::model::ops::{Dialect, OpKind};

/// Operations for a statement about a routine, trigger, policy, grant or comment; `None`
/// for every other statement (and for forms this module does not read).
pub(crate) fn lower_program<'t>(
    statement: Option<&Statement>,
    tokens: impl Fn() -> Vec<&'t Token>,
    dialect: Dialect,
) -> Option<Vec<OpKind>> {
    let Some(statement) = statement else {
        return from_tokens(&tokens(), dialect);
    };
    let ops = match statement {
        Statement::CreateFunction(_)
        | Statement::CreateProcedure { .. }
        | Statement::CreateTrigger(_) => return from_tokens(&tokens(), dialect),
        Statement::DropFunction(drop) => drop
            .func_desc
            .iter()
            .map(|d| drop_routine(d, false, dialect))
            .collect(),
        Statement::DropProcedure { proc_desc, .. } => proc_desc
            .iter()
            .map(|d| drop_routine(d, true, dialect))
            .collect(),
        Statement::AlterFunction(alter) => vec![alter_function(alter, dialect)?],
        Statement::DropTrigger(drop) => vec![OpKind::DropTrigger {
            name: object_name(&drop.trigger_name),
            table: drop.table_name.as_ref().map(object_name),
        }],
        Statement::AlterTrigger(alter) => match &alter.operation {
            AlterTriggerOperation::Rename { new_name } => vec![OpKind::RenameTrigger {
                name: ident(&alter.name),
                table: object_name(&alter.table_name),
                new_name: ident(new_name),
            }],
            _ => return None,
        },
        Statement::CreatePolicy(policy) => {
            let mut definition = Vec::new();
            if let Some(command) = &policy.command {
                definition.push(format!("for {command}"));
            }
            if let Some(to) = &policy.to {
                definition.push(format!("to {}", joined(to)));
            }
            if let Some(using) = &policy.using {
                definition.push(format!("using ({using})"));
            }
            if let Some(check) = &policy.with_check {
                definition.push(format!("with check ({check})"));
            }
            vec![OpKind::CreatePolicy {
                name: ident(&policy.name),
                table: object_name(&policy.table_name),
                restrictive: matches!(policy.policy_type, Some(CreatePolicyType::Restrictive)),
                definition: definition.join(" ").to_lowercase(),
            }]
        }
        Statement::AlterPolicy(alter) => {
            let (new_name, definition) = match &alter.operation {
                AlterPolicyOperation::Rename { new_name } => (Some(ident(new_name)), None),
                AlterPolicyOperation::Apply {
                    to,
                    using,
                    with_check,
                } => {
                    let mut parts = Vec::new();
                    if let Some(to) = to {
                        parts.push(format!("to {}", joined(to)));
                    }
                    if let Some(using) = using {
                        parts.push(format!("using ({using})"));
                    }
                    if let Some(check) = with_check {
                        parts.push(format!("with check ({check})"));
                    }
                    (None, Some(parts.join(" ").to_lowercase()))
                }
            };
            vec![OpKind::AlterPolicy {
                name: ident(&alter.name),
                table: object_name(&alter.table_name),
                new_name,
                definition,
            }]
        }
        Statement::DropPolicy(drop) => vec![OpKind::DropPolicy {
            name: ident(&drop.name),
            table: object_name(&drop.table_name),
        }],
        Statement::Grant(grant) => vec![grant_op(
            false,
            &grant.privileges,
            grant.objects.as_ref()?,
            &grant.grantees,
            dialect,
        )?],
        Statement::Revoke(revoke) => vec![grant_op(
            true,
            &revoke.privileges,
            revoke.objects.as_ref()?,
            &revoke.grantees,
            dialect,
        )?],
        Statement::GrantRole(grant) => vec![role_membership(false, &grant.roles, &grant.grantees)],
        Statement::RevokeRole(revoke) => {
            vec![role_membership(true, &revoke.roles, &revoke.grantees)]
        }
        Statement::Comment {
            object_type,
            object_name: name,
            comment,
            ..
        } => vec![OpKind::Comment {
            object_kind: object_type.to_string().to_lowercase(),
            object: object_name(name),
            text: comment.clone(),
        }],
        _ => return None,
    };
    Some(ops)
}

fn joined(items: &[impl ToString]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Argument types of a routine reference: `OUT` arguments are not part of a signature.
fn desc_args(desc: &FunctionDesc, dialect: Dialect) -> Option<Vec<String>> {
    desc.args.as_ref().map(|args| {
        args.iter()
            .filter(|a| {
                !matches!(
                    a.mode,
                    Some(sqlparser::ast::ArgMode::Out)
                )
            })
            .map(|a| type_key(&a.data_type.to_string(), dialect))
            .collect()
    })
}

fn drop_routine(desc: &FunctionDesc, procedure: bool, dialect: Dialect) -> OpKind {
    OpKind::DropRoutine {
        name: object_name(&desc.name),
        procedure,
        args: desc_args(desc, dialect),
    }
}

fn alter_function(alter: &AlterFunction, dialect: Dialect) -> Option<OpKind> {
    if alter.kind != AlterFunctionKind::Function {
        return None;
    }
    let (new_name, action) = match &alter.operation {
        AlterFunctionOperation::RenameTo { new_name } => (Some(ident(new_name)), String::new()),
        AlterFunctionOperation::SetSchema { schema_name } => {
            let base = alter.function.name.0.last().map(ToString::to_string);
            let name = base.unwrap_or_default();
            (Some(format!("{}.{name}", object_name(schema_name))), String::new())
        }
        other => (None, other.to_string().to_lowercase()),
    };
    Some(OpKind::AlterRoutine {
        name: object_name(&alter.function.name),
        procedure: false,
        args: desc_args(&alter.function, dialect),
        new_name,
        action,
    })
}

fn grant_op(
    revoke: bool,
    privileges: &Privileges,
    objects: &GrantObjects,
    grantees: &[Grantee],
    dialect: Dialect,
) -> Option<OpKind> {
    let privileges = match privileges {
        Privileges::All { .. } => vec!["ALL".to_string()],
        Privileges::Actions(actions) => actions
            .iter()
            .map(|a| {
                // Column lists (`UPDATE (a, b)`) are kept in the privilege's name.
                a.to_string().to_uppercase()
            })
            .collect(),
    };
    let names = |names: &[ObjectName]| names.iter().map(object_name).collect::<Vec<_>>();
    let routines = |descs: &[FunctionDesc]| {
        descs
            .iter()
            .map(|d| {
                let args = desc_args(d, dialect).unwrap_or_default();
                crate::model::programs::signature(&object_name(&d.name), &args)
            })
            .collect::<Vec<_>>()
    };
    let (object_kind, objects) = match objects {
        GrantObjects::Tables(t) => ("table", names(t)),
        GrantObjects::Views(v) => ("table", names(v)),
        GrantObjects::Sequences(s) => ("sequence", names(s)),
        GrantObjects::Schemas(s) => ("schema", names(s)),
        GrantObjects::Databases(d) => ("database", names(d)),
        GrantObjects::Functions(f) => ("function", routines(f)),
        GrantObjects::Procedures(p) => ("procedure", routines(p)),
        GrantObjects::AllTablesInSchema { schemas } => ("all tables in schema", names(schemas)),
        GrantObjects::AllSequencesInSchema { schemas } => {
            ("all sequences in schema", names(schemas))
        }
        GrantObjects::AllFunctionsInSchema { schemas } => {
            ("all functions in schema", names(schemas))
        }
        GrantObjects::AllProceduresInSchema { schemas } => {
            ("all procedures in schema", names(schemas))
        }
        GrantObjects::AllRoutinesInSchema { schemas } => {
            ("all routines in schema", names(schemas))
        }
        GrantObjects::AllViewsInSchema { schemas } => ("all views in schema", names(schemas)),
        _ => return None,
    };
    Some(OpKind::Grant {
        revoke,
        privileges,
        object_kind: object_kind.to_string(),
        objects,
        grantees: grantee_names(grantees),
    })
}

/// `GRANT role TO user` / `REVOKE role FROM user`: membership in a role is a privilege too.
fn role_membership(revoke: bool, roles: &[sqlparser::ast::Ident], grantees: &[Grantee]) -> OpKind {
    OpKind::Grant {
        revoke,
        privileges: vec!["MEMBER".to_string()],
        object_kind: "role".to_string(),
        objects: roles.iter().map(|r| ident(r).to_lowercase()).collect(),
        grantees: grantee_names(grantees),
    }
}

fn grantee_names(grantees: &[Grantee]) -> Vec<String> {
    grantees
        .iter()
        .map(|g| match (&g.grantee_type, &g.name) {
            (GranteesType::Public, _) | (_, None) => "public".to_string(),
            (_, Some(GranteeName::ObjectName(name))) => object_name(name).to_lowercase(),
            (_, Some(GranteeName::UserHost { user, host })) => {
                format!("{}@{}", user.value, host.value).to_lowercase()
            }
        })
        .collect()
}

/// Upper-cased text of an unquoted word.
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

/// The index of the `)` matching the `(` at `open`.
fn closing(tokens: &[&Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Statements read from tokens: `CREATE FUNCTION / PROCEDURE / TRIGGER` in any form, and
/// `ALTER FUNCTION / PROCEDURE` where sqlparser rejects them.
fn from_tokens(tokens: &[&Token], dialect: Dialect) -> Option<Vec<OpKind>> {
    let first = keyword(tokens.first())?;
    // The kind comes after modifiers: `OR REPLACE`, `DEFINER = user@host`, `TEMPORARY`,
    // `CONSTRAINT`.
    let kind_at = (1..tokens.len().min(14)).find(|&i| {
        matches!(
            keyword(tokens.get(i)).as_deref(),
            Some("FUNCTION" | "PROCEDURE" | "TRIGGER")
        )
    })?;
    let kind = keyword(tokens.get(kind_at))?;
    let modifiers: Vec<String> = tokens[1..kind_at]
        .iter()
        .filter_map(|t| keyword(Some(t)))
        .collect();
    let has = |word: &str| modifiers.iter().any(|m| m == word);
    // Only these modifiers come between the verb and the kind; anything else means the word
    // is part of another statement (`CREATE TABLE t (function text)`). A definer names a
    // user in any spelling.
    let known = |t: &&Token| {
        matches!(
            keyword(Some(t)).as_deref(),
            Some("OR" | "REPLACE" | "ALTER" | "TEMP" | "TEMPORARY" | "CONSTRAINT")
        )
    };
    if !has("DEFINER") && !tokens[1..kind_at].iter().all(known) {
        return None;
    }
    match first.as_str() {
        "CREATE" => {
            // Only `OR REPLACE`, `OR ALTER`, `DEFINER = ...`, `TEMP` and `CONSTRAINT` may come
            // before the kind; anything else (`AGGREGATE`, `EVENT TRIGGER`) is another object.
            if has("EVENT") || has("AGGREGATE") {
                return None;
            }
            let or_replace = has("REPLACE") || has("ALTER");
            let mut at = kind_at + 1;
            if is_kw(tokens.get(at), "IF")
                && is_kw(tokens.get(at + 1), "NOT")
                && is_kw(tokens.get(at + 2), "EXISTS")
            {
                at += 3;
            }
            let (name, after_name) = name_at(tokens, at)?;
            let rest = &tokens[after_name..];
            if kind == "TRIGGER" {
                if has("TEMP") || has("TEMPORARY") {
                    // A temporary trigger lives for one connection: not schema.
                    return Some(vec![OpKind::NoEffect {
                        what: "CREATE TEMPORARY TRIGGER".to_string(),
                    }]);
                }
                let on = rest.iter().position(|t| is_kw(Some(t), "ON"))?;
                let (table, _) = name_at(rest, on + 1)?;
                return Some(vec![OpKind::CreateTrigger {
                    name,
                    table,
                    definition: render(rest),
                    or_replace,
                }]);
            }
            create_routine(name, kind == "PROCEDURE", rest, or_replace, dialect).map(|op| vec![op])
        }
        "ALTER" if kind_at == 1 && kind != "TRIGGER" => {
            let (name, after_name) = name_at(tokens, 2)?;
            let mut rest = &tokens[after_name..];
            let mut args = None;
            if matches!(rest.first(), Some(Token::LParen)) {
                let end = closing(rest, 0)?;
                args = Some(arg_types(&rest[1..end], dialect));
                rest = &rest[end + 1..];
            }
            let new_name = if is_kw(rest.first(), "RENAME") && is_kw(rest.get(1), "TO") {
                Some(name_at(rest, 2)?.0)
            } else if is_kw(rest.first(), "SET") && is_kw(rest.get(1), "SCHEMA") {
                let schema = name_at(rest, 2)?.0;
                let base = name.rsplit('.').next().unwrap_or(&name).to_string();
                Some(format!("{schema}.{base}"))
            } else {
                None
            };
            let action = if new_name.is_some() {
                String::new()
            } else {
                render(rest)
            };
            Some(vec![OpKind::AlterRoutine {
                name,
                procedure: kind == "PROCEDURE",
                args,
                new_name,
                action,
            }])
        }
        _ => None,
    }
}

/// Words that end a `RETURNS` clause.
const AFTER_RETURNS: &[&str] = &[
    "LANGUAGE",
    "AS",
    "IMMUTABLE",
    "STABLE",
    "VOLATILE",
    "DETERMINISTIC",
    "NOT",
    "BEGIN",
    "RETURN",
    "SECURITY",
    "COST",
    "ROWS",
    "PARALLEL",
    "STRICT",
    "CALLED",
    "SET",
    "WINDOW",
    "LEAKPROOF",
    "SUPPORT",
    "TRANSFORM",
    "COMMENT",
    "CONTAINS",
    "NO",
    "READS",
    "MODIFIES",
    "SQL",
    "CHARSET",
    "COLLATE",
    "EXTERNAL",
    "ATOMIC",
];

fn create_routine(
    name: String,
    procedure: bool,
    rest: &[&Token],
    or_replace: bool,
    dialect: Dialect,
) -> Option<OpKind> {
    if !matches!(rest.first(), Some(Token::LParen)) {
        return None;
    }
    let end = closing(rest, 0)?;
    let args = arg_types(&rest[1..end], dialect);
    let mut at = end + 1;
    let mut returns = None;
    if is_kw(rest.get(at), "RETURNS") {
        let start = at + 1;
        let mut depth = 0usize;
        at = start;
        while let Some(token) = rest.get(at) {
            match token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                _ if depth == 0
                    && at > start
                    && keyword(Some(token))
                        .is_some_and(|k| AFTER_RETURNS.contains(&k.as_str())) =>
                {
                    break
                }
                _ => {}
            }
            at += 1;
        }
        returns = Some(type_key(&render(&rest[start..at]), dialect));
    }
    let body = rest.get(at..).unwrap_or_default();
    // A PostgreSQL routine has its body after `AS`, or a standard SQL body (`RETURN expr`,
    // `BEGIN ATOMIC`); without one the database rejects it, so it is not read as a routine.
    let has_body = body
        .iter()
        .any(|t| is_kw(Some(t), "AS") || is_kw(Some(t), "RETURN") || is_kw(Some(t), "ATOMIC"));
    if dialect == Dialect::Postgres && !has_body {
        return None;
    }
    Some(OpKind::CreateRoutine {
        name,
        procedure,
        args,
        returns,
        body: render(body),
        or_replace,
    })
}

/// The types of a routine's arguments (the text between its parentheses), without `OUT`
/// arguments, names and defaults.
fn arg_types(tokens: &[&Token], dialect: Dialect) -> Vec<String> {
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                args.extend(arg_type(&tokens[start..i], dialect));
                start = i + 1;
            }
            _ => {}
        }
    }
    args.extend(arg_type(&tokens[start..], dialect));
    args
}

/// Words that can follow a type's first word inside the type (`double precision`,
/// `character varying`, `timestamp with time zone`).
const TYPE_CONTINUATIONS: &[&str] = &["PRECISION", "VARYING", "WITH", "WITHOUT", "UNSIGNED"];

fn arg_type(tokens: &[&Token], dialect: Dialect) -> Option<String> {
    let end = tokens
        .iter()
        .position(|t| matches!(t, Token::Eq) || is_kw(Some(t), "DEFAULT"))
        .unwrap_or(tokens.len());
    let mut arg = tokens.get(..end)?;
    let mode = keyword(arg.first());
    match mode.as_deref() {
        Some("OUT") => return None,
        Some("IN" | "INOUT" | "VARIADIC") => arg = &arg[1..],
        _ => {}
    }
    if arg.is_empty() {
        return None;
    }
    // `name type` or just `type`: a second word that is not part of a type names the first.
    let named = arg.len() >= 2
        && matches!(arg.first(), Some(Token::Word(_)))
        && !matches!(arg.get(1), Some(Token::LParen | Token::LBracket | Token::Period))
        && !keyword(arg.get(1)).is_some_and(|k| TYPE_CONTINUATIONS.contains(&k.as_str()));
    let ty = if named { &arg[1..] } else { arg };
    Some(type_key(&render(ty), dialect))
}

/// A type's spelling for comparing signatures: lower case, single spaces, and PostgreSQL's
/// aliases resolved (`int4` and `int` are `integer`).
pub(crate) fn type_key(text: &str, dialect: Dialect) -> String {
    let text = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(" (", "(")
        .replace(", ", ",");
    if dialect != Dialect::Postgres {
        return text;
    }
    let (base, rest) = match text.find(['(', '[']) {
        Some(i) => text.split_at(i),
        None => (text.as_str(), ""),
    };
    let base = match base.trim() {
        "int" | "int4" => "integer",
        "int8" => "bigint",
        "int2" => "smallint",
        "bool" => "boolean",
        "varchar" => "character varying",
        "char" | "bpchar" => "character",
        "float8" => "double precision",
        "float4" => "real",
        "decimal" => "numeric",
        "timestamptz" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timetz" => "time with time zone",
        other => other,
    };
    format!("{base}{rest}")
}

/// Tokens as normalised text: unquoted words in lower case, single spaces, and string
/// bodies with each line trimmed and blank lines dropped, so that re-indenting a body or
/// changing the case of a keyword is not a change of definition.
pub(crate) fn render(tokens: &[&Token]) -> String {
    // A statement the parser rejected at the end of a file keeps its closing `;`.
    let end = tokens
        .iter()
        .rposition(|t| !matches!(t, Token::SemiColon))
        .map_or(0, |i| i + 1);
    let tokens = &tokens[..end];
    let mut out = String::new();
    let mut glue_next = true;
    for token in tokens {
        let text = match token {
            Token::Word(Word {
                value,
                quote_style: None,
                ..
            }) => value.to_lowercase(),
            Token::DollarQuotedString(body) => format!("$$\n{}\n$$", trimmed_lines(&body.value)),
            Token::SingleQuotedString(body) if body.contains('\n') => {
                format!("'\n{}\n'", trimmed_lines(body))
            }
            other => other.to_string(),
        };
        let glue = matches!(
            token,
            Token::Comma
                | Token::RParen
                | Token::Period
                | Token::LParen
                | Token::LBracket
                | Token::RBracket
                | Token::SemiColon
                | Token::DoubleColon
        );
        if !out.is_empty() && !glue && !glue_next {
            out.push(' ');
        }
        out.push_str(&text);
        glue_next = matches!(
            token,
            Token::LParen | Token::Period | Token::LBracket | Token::DoubleColon
        );
    }
    out
}

fn trimmed_lines(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

//! Canonical spellings, so that a type or default as a database reports it and as a migration
//! wrote it compare equal when they mean the same thing. These tables are written from the
//! engines' documentation and checked by the oracle itself (each side goes through the same
//! function, and the database's own spelling is one of the inputs).

use crate::databases::Engine;

/// An object name without quotes or a `public.` / `main.` qualifier, in lower case.
pub fn object_name(name: &str) -> String {
    let unquoted: String = name
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .collect();
    let lower = unquoted.to_lowercase();
    for prefix in ["public.", "main."] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    lower
}

/// A MariaDB account, `user@host`, lower case, without quotes.
pub fn account(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '\'' | '"' | '`'))
        .collect::<String>()
        .to_lowercase()
}

/// An indexed column or expression: lower case, no quotes, no spaces, no `::type` casts
/// (PostgreSQL adds the casts it applies: `lower(name)` reads back as `lower(name::text)`).
pub fn key_column(column: &str) -> String {
    strip_casts(&column.to_lowercase())
        .chars()
        .filter(|c| !matches!(c, '"' | '`') && !c.is_whitespace())
        .collect()
}

/// Lower case outside single-quoted strings, spaces collapsed, identifier quotes removed.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut last_space = true;
    for c in text.trim().chars() {
        if c == '\'' {
            in_string = !in_string;
        }
        if in_string || c == '\'' {
            out.push(c);
            last_space = false;
        } else if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else if c != '"' && c != '`' {
            out.extend(c.to_lowercase());
            last_space = false;
        }
    }
    out.trim_end().replace(" (", "(").replace(", ", ",")
}

/// Splits `name(params) rest` into (`name rest`, `params`).
fn split_params(ty: &str) -> (String, Option<String>) {
    match ty.split_once('(') {
        Some((head, tail)) => {
            let (inside, rest) = match tail.rfind(')') {
                Some(end) => (&tail[..end], &tail[end + 1..]),
                None => (tail, ""),
            };
            let name = format!("{} {}", head.trim(), rest.trim());
            (name.trim().to_string(), Some(inside.to_string()))
        }
        None => (ty.to_string(), None),
    }
}

/// A column type in the engine's own canonical spelling.
pub fn column_type(engine: Engine, ty: &str) -> String {
    let ty = tidy(ty);
    match engine {
        Engine::Sqlite => ty,
        Engine::Postgres => postgres_type(&ty),
        Engine::Mariadb => mariadb_type(&ty),
    }
}

fn with_params(name: &str, params: Option<String>) -> String {
    match params {
        Some(p) => format!("{name}({p})"),
        None => name.to_string(),
    }
}

fn postgres_type(ty: &str) -> String {
    let (array, ty) = match ty.strip_suffix("[]") {
        Some(inner) => ("[]", inner),
        None => ("", ty),
    };
    let (name, params) = split_params(ty);
    let name = match name.as_str() {
        "int" | "int4" | "integer" | "serial" | "serial4" => "integer",
        "bigint" | "int8" | "bigserial" | "serial8" => "bigint",
        "smallint" | "int2" | "smallserial" | "serial2" => "smallint",
        "varchar" | "character varying" => "character varying",
        "char" | "character" | "bpchar" => {
            return format!("character({}){array}", params.unwrap_or_else(|| "1".into()))
        }
        "bool" | "boolean" => "boolean",
        "float8" | "double precision" => "double precision",
        "float" => match params.as_deref().and_then(|p| p.parse::<u32>().ok()) {
            Some(p) if p <= 24 => return format!("real{array}"),
            _ => return format!("double precision{array}"),
        },
        "float4" | "real" => "real",
        "decimal" | "numeric" => "numeric",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "time" | "time without time zone" => "time without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        other => return format!("{}{array}", with_params(&object_name(other), params)),
    };
    format!("{}{array}", with_params(name, params))
}

fn mariadb_type(ty: &str) -> String {
    let (name, params) = split_params(ty);
    let mut words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let unsigned = words.iter().any(|w| *w == "unsigned" || *w == "zerofill");
    words.retain(|w| !matches!(*w, "unsigned" | "signed" | "zerofill"));
    let base = words.join(" ");
    let suffix = if unsigned { " unsigned" } else { "" };
    let int = |n: &str| format!("{n}{suffix}");
    match base.as_str() {
        // Display widths (`int(11)`) change nothing a client can store.
        "bool" | "boolean" => int("tinyint"),
        "tinyint" | "smallint" | "mediumint" | "bigint" => int(&base),
        "int" | "integer" => int("int"),
        "serial" => "bigint unsigned".to_string(),
        "char" | "character" => format!("char({})", params.unwrap_or_else(|| "1".into())),
        "varchar" | "character varying" => with_params("varchar", params),
        "binary" => format!("binary({})", params.unwrap_or_else(|| "1".into())),
        "decimal" | "numeric" | "dec" | "fixed" => {
            let p = match params.as_deref() {
                None => "10,0".to_string(),
                Some(p) if !p.contains(',') => format!("{p},0"),
                Some(p) => p.to_string(),
            };
            format!("decimal({p}){suffix}")
        }
        "double" | "double precision" | "real" => format!("double{suffix}"),
        "float" => format!("float{suffix}"),
        "datetime" | "timestamp" | "time" => match params.as_deref() {
            Some("0") | None => base,
            Some(p) => format!("{base}({p})"),
        },
        "enum" | "set" => with_params(&base, params),
        // MariaDB's JSON is LONGTEXT with a validity check.
        "json" => "longtext".to_string(),
        _ => with_params(&base, params),
    }
}

/// A default expression in canonical form; `None` when it means "no default" (`NULL`).
pub fn default(engine: Engine, expr: &str) -> Option<String> {
    // MySQL reads a double-quoted default as a string (`DEFAULT ""`), not an identifier.
    let trimmed = expr.trim();
    let requoted;
    let expr = match trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if engine == Engine::Mariadb && !inner.contains('\'') => {
            requoted = format!("'{inner}'");
            requoted.as_str()
        }
        _ => expr,
    };
    let mut text = tidy(expr);
    // PostgreSQL stores casts the source did not write (`'a'::character varying`).
    if engine == Engine::Postgres {
        text = strip_casts(&text);
    }
    while text.starts_with('(') && text.ends_with(')') && balanced(&text[1..text.len() - 1]) {
        text = text[1..text.len() - 1].trim().to_string();
    }
    if text == "null" {
        return None;
    }
    let text = match text.as_str() {
        // Precision 0 is the default precision: MariaDB reads `CURRENT_TIMESTAMP(0)` back
        // as `current_timestamp()`.
        "current_timestamp()"
        | "now()"
        | "current_timestamp"
        | "localtimestamp"
        | "current_timestamp(0)"
        | "now(0)" => "current_timestamp".to_string(),
        "true" if engine == Engine::Mariadb => "1".to_string(),
        "false" if engine == Engine::Mariadb => "0".to_string(),
        _ => text,
    };
    // A quoted number and the number are the same default for a numeric column, and
    // MariaDB states a decimal's default at its scale (`0.00` for `DEFAULT 0`).
    let unquoted = text
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .unwrap_or(&text);
    if let Some(number) = plain_number(unquoted) {
        return Some(number);
    }
    Some(text)
}

/// A decimal number without trailing zeros after its point (`1.50` -> `1.5`, `-0` -> `0`).
fn plain_number(text: &str) -> Option<String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        || digits.matches('.').count() > 1
    {
        return None;
    }
    let mut number = text.to_string();
    if number.contains('.') {
        number = number
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    if number == "-0" || number.is_empty() {
        number = "0".to_string();
    }
    Some(number)
}

fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

fn strip_casts(text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if !in_string && c == ':' && chars.peek() == Some(&':') {
            chars.next();
            // Skip the type name (words, spaces inside a multi-word type, and parameters).
            while let Some(&n) = chars.peek() {
                if n.is_alphanumeric() || n == '_' || n == ' ' || n == '.' || n == '[' || n == ']' {
                    chars.next();
                } else if n == '(' {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                } else {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_spellings() {
        assert_eq!(
            column_type(Engine::Postgres, "VARCHAR(100)"),
            "character varying(100)"
        );
        assert_eq!(
            column_type(Engine::Postgres, "character varying(100)"),
            "character varying(100)"
        );
        assert_eq!(column_type(Engine::Postgres, "SERIAL"), "integer");
        assert_eq!(
            column_type(Engine::Postgres, "TIMESTAMPTZ"),
            "timestamp with time zone"
        );
        assert_eq!(column_type(Engine::Postgres, "text[]"), "text[]");
        assert_eq!(
            default(Engine::Postgres, "'a'::character varying"),
            Some("'a'".into())
        );
        assert_eq!(
            default(Engine::Postgres, "NOW()"),
            Some("current_timestamp".into())
        );
    }

    #[test]
    fn mariadb_spellings() {
        assert_eq!(column_type(Engine::Mariadb, "int(11)"), "int");
        assert_eq!(
            column_type(Engine::Mariadb, "INTEGER UNSIGNED"),
            "int unsigned"
        );
        assert_eq!(
            column_type(Engine::Mariadb, "int(10) unsigned"),
            "int unsigned"
        );
        assert_eq!(column_type(Engine::Mariadb, "BOOLEAN"), "tinyint");
        assert_eq!(column_type(Engine::Mariadb, "DECIMAL(5)"), "decimal(5,0)");
        assert_eq!(
            column_type(Engine::Mariadb, "ENUM('a', 'B')"),
            "enum('a','B')"
        );
        assert_eq!(default(Engine::Mariadb, "'0'"), Some("0".into()));
        assert_eq!(default(Engine::Mariadb, "NULL"), None);
        assert_eq!(
            default(Engine::Mariadb, "0.00"),
            default(Engine::Mariadb, "0")
        );
        assert_eq!(default(Engine::Mariadb, "1.50"), Some("1.5".into()));
        assert_eq!(default(Engine::Mariadb, "\"\""), Some("''".into()));
        assert_eq!(column_type(Engine::Mariadb, "JSON"), "longtext");
        assert_eq!(
            default(Engine::Mariadb, "CURRENT_TIMESTAMP(0)"),
            default(Engine::Mariadb, "current_timestamp()")
        );
    }
}

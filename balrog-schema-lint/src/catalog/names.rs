//! Identifier handling: case-insensitive keys and the names a database gives to objects
//! declared without one.

use crate::model::ops::{Constraint, ConstraintKind, Dialect};

/// The lookup key of an identifier. Both MySQL (on the usual case-insensitive file systems
/// for tables, always for columns) and unquoted PostgreSQL identifiers fold case, so lookups
/// ignore it; the name as written is kept separately for display.
pub(crate) fn key(name: &str) -> String {
    let name = unqualified(name);
    // Character by character, like `same_ident`, so that both agree on every name.
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    name.chars().flat_map(char::to_lowercase).collect()
}

/// `name` without a `public.` qualifier: PostgreSQL's default schema, where unqualified
/// names are created and found, so `public.t` and `t` are one table. (MySQL has no schema
/// of that name in practice; a database called `public` would be read the same way.)
fn unqualified(name: &str) -> &str {
    match name.get(..7) {
        Some(head) if head.eq_ignore_ascii_case("public.") && name.len() > 7 => {
            name.get(7..).unwrap_or(name)
        }
        _ => name,
    }
}

/// Case-insensitive identifier equality without allocating.
pub(crate) fn same_ident(a: &str, b: &str) -> bool {
    let (a, b) = (unqualified(a), unqualified(b));
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The name the database would give an index created without one, avoiding `taken` names.
/// MySQL names it after its first column; PostgreSQL after the table and columns.
pub(crate) fn implicit_index_name(
    dialect: Dialect,
    table: &str,
    columns: &[String],
    taken: impl Fn(&str) -> bool,
) -> String {
    let base = match dialect {
        Dialect::Mysql => columns
            .first()
            .cloned()
            .unwrap_or_else(|| "index".to_string()),
        Dialect::Postgres | Dialect::Sqlite | Dialect::Generic => {
            format!("{table}_{}_idx", columns.join("_"))
        }
    };
    if !taken(&base) {
        return base;
    }
    // Both databases append a counter; MySQL starts at 2, PostgreSQL at 1. Bounded so that a
    // pathological catalog cannot loop for long.
    let first = if dialect == Dialect::Mysql { 2 } else { 1 };
    for n in first..first + 10_000 {
        let candidate = match dialect {
            Dialect::Mysql => format!("{base}_{n}"),
            Dialect::Postgres | Dialect::Sqlite | Dialect::Generic => {
                format!("{table}_{}_idx{n}", columns.join("_"))
            }
        };
        if !taken(&candidate) {
            return candidate;
        }
    }
    base
}

/// Whether `name` is what the database calls the unnamed `constraint` of `table`.
/// `ordinal` is the 1-based position of the constraint among the table's constraints of the
/// same kind (MySQL numbers foreign keys and checks that way).
pub(crate) fn matches_implicit_constraint_name(
    dialect: Dialect,
    table: &str,
    constraint: &Constraint,
    ordinal: usize,
    name: &str,
) -> bool {
    let cols = constraint.columns.join("_");
    let candidates: Vec<String> = match (&constraint.kind, dialect) {
        (ConstraintKind::PrimaryKey, _) => vec![
            "PRIMARY".to_string(),
            format!("{table}_pkey"),
            format!("pk_{table}"),
        ],
        (ConstraintKind::Unique, Dialect::Mysql) => {
            constraint.columns.first().cloned().into_iter().collect()
        }
        (ConstraintKind::Unique, _) => vec![format!("{table}_{cols}_key")],
        (ConstraintKind::ForeignKey { .. }, Dialect::Mysql) => {
            vec![format!("{table}_ibfk_{ordinal}")]
        }
        (ConstraintKind::ForeignKey { .. }, _) => vec![format!("{table}_{cols}_fkey")],
        (ConstraintKind::Check { .. }, Dialect::Mysql) => vec![format!("{table}_chk_{ordinal}")],
        (ConstraintKind::Check { .. }, _) => vec![format!("{table}_{cols}_check")],
    };
    candidates.iter().any(|c| same_ident(c, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_compare_without_case() {
        assert!(same_ident("Rules", "rules"));
        assert!(same_ident("ÄB", "äb"));
        assert!(!same_ident("rules", "rule"));
        assert_eq!(key("Rules_History"), "rules_history");
    }

    #[test]
    fn implicit_index_names_follow_the_dialect() {
        let cols = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            implicit_index_name(Dialect::Mysql, "t", &cols, |_| false),
            "a"
        );
        assert_eq!(
            implicit_index_name(Dialect::Mysql, "t", &cols, |n| n == "a"),
            "a_2"
        );
        assert_eq!(
            implicit_index_name(Dialect::Postgres, "t", &cols, |_| false),
            "t_a_b_idx"
        );
        assert_eq!(
            implicit_index_name(Dialect::Postgres, "t", &cols, |n| n == "t_a_b_idx"),
            "t_a_b_idx1"
        );
    }

    #[test]
    fn implicit_constraint_names() {
        let fk = Constraint {
            name: None,
            kind: ConstraintKind::foreign_key("rules"),
            columns: vec!["rule_id".into()],
            not_valid: false,
        };
        assert!(matches_implicit_constraint_name(
            Dialect::Mysql,
            "h",
            &fk,
            2,
            "h_ibfk_2"
        ));
        assert!(matches_implicit_constraint_name(
            Dialect::Postgres,
            "h",
            &fk,
            1,
            "h_rule_id_fkey"
        ));
        assert!(!matches_implicit_constraint_name(
            Dialect::Postgres,
            "h",
            &fk,
            1,
            "h_ibfk_1"
        ));
    }
}

//! SQLAlchemy types to [`SqlType`].
//!
//! | SQLAlchemy                           | SqlType                                  |
//! |--------------------------------------|------------------------------------------|
//! | `String(n)`, `Unicode(n)`            | `VARCHAR(n)` (`VARCHAR` without length)  |
//! | `Text`, `UnicodeText`                | `TEXT`                                   |
//! | `Integer`                            | `INTEGER`                                |
//! | `SmallInteger`                       | `SMALLINT`                               |
//! | `BigInteger`                         | `BIGINT`                                 |
//! | `Boolean`                            | `BOOLEAN`                                |
//! | `Float(p)`                           | `FLOAT(p)`                               |
//! | `Double`                             | `DOUBLE`                                 |
//! | `Numeric(p, s)`                      | `NUMERIC(p,s)`                           |
//! | `DateTime`                           | `DATETIME` (`TIMESTAMP` on PostgreSQL)   |
//! | `Date`, `Time`, `Interval`           | `DATE`, `TIME`, `INTERVAL`               |
//! | `LargeBinary`, `PickleType`          | `BLOB` (`BYTEA` on PostgreSQL)           |
//! | `JSON`                               | `JSON`                                   |
//! | `Uuid`                               | `UUID`                                   |
//! | `Enum("a", "b")`                     | `ENUM('a','b')`                          |
//! | upper-case classes (`VARCHAR(10)`, `mysql.LONGTEXT`, `mysql.BIT`, `postgresql.JSONB`, ...) | the class name, with numeric arguments as parameters and `unsigned=True` kept |
//!
//! Any other SQLAlchemy class, and types imported from the application (Balrog's
//! `CompatibleBooleanColumn`), give a column whose type is not known (`None`).

use super::value::Value;
use crate::model::ops::{Dialect, SqlType};

/// The SQL type for a SQLAlchemy type class called (or used bare) with these arguments.
///
/// Returns `None` when `name` is not a type class at all, `Some(None)` for a type class
/// whose SQL type is not known.
pub(crate) fn sqla_type(
    name: &str,
    positional: &[Value],
    keywords: &[(String, Value)],
    dialect: Dialect,
) -> Option<Option<SqlType>> {
    let int_kw = |key: &str| {
        keywords.iter().find_map(|(k, v)| match v {
            Value::Int(i) if k == key => u64::try_from(*i).ok(),
            _ => None,
        })
    };
    let mut params: Vec<u64> = positional
        .iter()
        .filter_map(|v| match v {
            Value::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        })
        .collect();
    for key in ["length", "precision", "scale", "display_width"] {
        if let Some(p) = int_kw(key) {
            params.push(p);
        }
    }
    let postgres = dialect == Dialect::Postgres;
    let base = match name {
        "String" | "Unicode" => "VARCHAR",
        "Text" | "UnicodeText" => "TEXT",
        "Integer" => "INTEGER",
        "SmallInteger" => "SMALLINT",
        "BigInteger" => "BIGINT",
        "Boolean" => "BOOLEAN",
        "Float" => "FLOAT",
        "Double" => "DOUBLE",
        "Numeric" => "NUMERIC",
        "DateTime" if postgres => "TIMESTAMP",
        "DateTime" => "DATETIME",
        "Date" => "DATE",
        "Time" => "TIME",
        "Interval" => "INTERVAL",
        "LargeBinary" | "PickleType" if postgres => "BYTEA",
        "LargeBinary" | "PickleType" => "BLOB",
        "JSON" => "JSON",
        "Uuid" => "UUID",
        "Enum" => "ENUM",
        upper if is_upper_type_name(upper) => upper,
        camel if camel.chars().next().is_some_and(char::is_uppercase) => {
            // A SQLAlchemy class the table above does not list (TypeDecorator subclasses,
            // ARRAY of something): the column is real, its SQL type is not known.
            return Some(None);
        }
        _ => return None,
    };
    let mut ty = SqlType::with_params(base, &params);
    if base == "ENUM" || base == "SET" {
        ty.params.clear();
        ty.values = positional
            .iter()
            .filter_map(|v| match v {
                Value::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
    }
    ty.unsigned = keywords
        .iter()
        .any(|(k, v)| k == "unsigned" && *v == Value::Bool(true));
    Some(Some(ty))
}

/// Upper-case class names are SQL type names in SQLAlchemy (`VARCHAR`, `LONGTEXT`, `BIT`).
fn is_upper_type_name(name: &str) -> bool {
    name.len() > 1
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(name: &str, pos: &[Value]) -> Option<Option<SqlType>> {
        sqla_type(name, pos, &[], Dialect::Mysql)
    }

    #[test]
    fn generic_types_map_to_sql_names() {
        assert_eq!(
            ty("String", &[Value::Int(100)]),
            Some(Some(SqlType::with_params("VARCHAR", &[100])))
        );
        assert_eq!(ty("Integer", &[]), Some(Some(SqlType::named("INTEGER"))));
        assert_eq!(ty("BigInteger", &[]), Some(Some(SqlType::named("BIGINT"))));
        assert_eq!(ty("Text", &[]), Some(Some(SqlType::named("TEXT"))));
        assert_eq!(ty("Boolean", &[]), Some(Some(SqlType::named("BOOLEAN"))));
    }

    #[test]
    fn dialect_specific_types_keep_their_name() {
        assert_eq!(ty("LONGTEXT", &[]), Some(Some(SqlType::named("LONGTEXT"))));
        let unsigned = sqla_type(
            "INTEGER",
            &[],
            &[("unsigned".into(), Value::Bool(true))],
            Dialect::Mysql,
        );
        assert_eq!(unsigned.flatten().map(|t| t.unsigned), Some(true));
    }

    #[test]
    fn keyword_length_and_enum_values() {
        let s = sqla_type(
            "String",
            &[],
            &[("length".into(), Value::Int(20))],
            Dialect::Sqlite,
        );
        assert_eq!(s, Some(Some(SqlType::with_params("VARCHAR", &[20]))));
        let e = ty("Enum", &[Value::Str("a".into()), Value::Str("b".into())]);
        assert_eq!(
            e.flatten().map(|t| t.values),
            Some(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn dialect_changes_datetime_and_binary() {
        let pg = sqla_type("DateTime", &[], &[], Dialect::Postgres);
        assert_eq!(pg, Some(Some(SqlType::named("TIMESTAMP"))));
        let blob = sqla_type("LargeBinary", &[], &[], Dialect::Mysql);
        assert_eq!(blob, Some(Some(SqlType::named("BLOB"))));
    }

    #[test]
    fn unknown_classes_and_non_types() {
        assert_eq!(ty("PickleTypeish", &[]), Some(None));
        assert_eq!(ty("text", &[]), None);
    }
}

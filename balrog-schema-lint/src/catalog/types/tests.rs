use super::*;
use TypeChange::{Narrowing, Same, Unknown, Widening};

fn ty(name: &str, params: &[u64]) -> SqlType {
    SqlType::with_params(name, params)
}

fn unsigned(name: &str) -> SqlType {
    SqlType {
        unsigned: true,
        ..SqlType::named(name)
    }
}

fn members(name: &str, values: &[&str]) -> SqlType {
    SqlType {
        values: values.iter().map(|v| v.to_string()).collect(),
        ..SqlType::named(name)
    }
}

/// (dialect, old, new, expected), each checked and reported by index on failure.
fn table() -> Vec<(Dialect, SqlType, SqlType, TypeChange)> {
    use Dialect::{Generic, Mysql, Postgres, Sqlite};
    vec![
        // 0: strings
        (Mysql, ty("VARCHAR", &[50]), ty("VARCHAR", &[100]), Widening),
        (
            Mysql,
            ty("VARCHAR", &[100]),
            ty("VARCHAR", &[50]),
            Narrowing,
        ),
        (Mysql, ty("CHAR", &[10]), ty("VARCHAR", &[10]), Widening),
        (Mysql, ty("VARCHAR", &[255]), ty("TEXT", &[]), Widening),
        (Mysql, ty("TEXT", &[]), ty("MEDIUMTEXT", &[]), Widening),
        (Mysql, ty("LONGTEXT", &[]), ty("TEXT", &[]), Narrowing),
        (Mysql, ty("TEXT", &[]), ty("VARCHAR", &[255]), Narrowing),
        (Mysql, ty("VARCHAR", &[100]), ty("TINYTEXT", &[]), Unknown),
        (
            Mysql,
            ty("VARCHAR", &[1000]),
            ty("TINYTEXT", &[]),
            Narrowing,
        ),
        (Mysql, ty("BLOB", &[]), ty("LONGBLOB", &[]), Widening),
        // 10
        (Mysql, ty("VARBINARY", &[100]), ty("BLOB", &[]), Widening),
        (Mysql, ty("BLOB", &[]), ty("TEXT", &[]), Unknown),
        (Mysql, ty("VARCHAR", &[10]), ty("CHAR", &[20]), Unknown),
        (Mysql, ty("VARCHAR", &[20]), ty("CHAR", &[10]), Narrowing),
        // integers
        (Mysql, ty("TINYINT", &[]), ty("SMALLINT", &[]), Widening),
        (Mysql, ty("MEDIUMINT", &[]), ty("INT", &[]), Widening),
        (Mysql, ty("INT", &[11]), ty("BIGINT", &[20]), Widening),
        (Mysql, ty("BIGINT", &[]), ty("INT", &[]), Narrowing),
        (Mysql, ty("INT", &[]), unsigned("INT"), Narrowing),
        (Mysql, unsigned("INT"), ty("INT", &[]), Narrowing),
        // 20
        (Mysql, unsigned("INT"), ty("BIGINT", &[]), Widening),
        (Mysql, ty("INT", &[]), unsigned("BIGINT"), Narrowing),
        (Mysql, ty("INT", &[11]), ty("INTEGER", &[]), Same),
        (Mysql, ty("BOOLEAN", &[]), ty("TINYINT", &[1]), Same),
        (Mysql, ty("BOOL", &[]), ty("INT", &[]), Widening),
        (Mysql, ty("INT UNSIGNED", &[]), unsigned("INT"), Same),
        // numeric and float
        (
            Mysql,
            ty("DECIMAL", &[10, 2]),
            ty("DECIMAL", &[12, 2]),
            Widening,
        ),
        (
            Mysql,
            ty("DECIMAL", &[10, 2]),
            ty("DECIMAL", &[10, 4]),
            Narrowing,
        ),
        (
            Mysql,
            ty("DECIMAL", &[10, 2]),
            ty("DECIMAL", &[12, 1]),
            Narrowing,
        ),
        (Mysql, ty("DECIMAL", &[]), ty("NUMERIC", &[10, 0]), Same),
        // 30
        (Mysql, ty("FLOAT", &[]), ty("DOUBLE", &[]), Widening),
        (Mysql, ty("DOUBLE", &[]), ty("FLOAT", &[]), Narrowing),
        (Mysql, ty("REAL", &[]), ty("DOUBLE", &[]), Same),
        (Mysql, ty("INT", &[]), ty("DECIMAL", &[12, 0]), Widening),
        (Mysql, ty("INT", &[]), ty("DECIMAL", &[5, 0]), Narrowing),
        (Mysql, ty("DOUBLE", &[]), ty("INT", &[]), Narrowing),
        (Mysql, ty("INT", &[]), ty("VARCHAR", &[20]), Unknown),
        (Mysql, ty("DATETIME", &[]), ty("DATETIME", &[6]), Widening),
        (Mysql, ty("DATETIME", &[]), ty("TIMESTAMP", &[]), Unknown),
        // enums
        (
            Mysql,
            members("ENUM", &["a", "b"]),
            members("ENUM", &["a", "b", "c"]),
            Widening,
        ),
        // 40
        (
            Mysql,
            members("ENUM", &["a", "b"]),
            members("ENUM", &["a"]),
            Narrowing,
        ),
        (
            Mysql,
            members("ENUM", &["a", "b"]),
            members("ENUM", &["b", "a"]),
            Narrowing,
        ),
        (
            Mysql,
            members("ENUM", &["a", "b"]),
            members("ENUM", &["a", "x", "b"]),
            Unknown,
        ),
        (
            Mysql,
            members("ENUM", &["a", "bb"]),
            ty("VARCHAR", &[10]),
            Widening,
        ),
        (
            Mysql,
            ty("VARCHAR", &[10]),
            members("ENUM", &["a"]),
            Narrowing,
        ),
        (
            Mysql,
            members("ENUM", &["a"]),
            members("SET", &["a"]),
            Unknown,
        ),
        // postgres
        (Postgres, ty("VARCHAR", &[]), ty("TEXT", &[]), Same),
        (
            Postgres,
            ty("CHARACTER VARYING", &[40]),
            ty("VARCHAR", &[40]),
            Same,
        ),
        (Postgres, ty("VARCHAR", &[40]), ty("TEXT", &[]), Widening),
        (Postgres, ty("TEXT", &[]), ty("VARCHAR", &[40]), Narrowing),
        // 50
        (Postgres, ty("VARCHAR", &[40]), ty("VARCHAR", &[]), Widening),
        (Postgres, ty("INT4", &[]), ty("INT8", &[]), Widening),
        (Postgres, ty("INTEGER", &[]), ty("SMALLINT", &[]), Narrowing),
        (Postgres, ty("BOOL", &[]), ty("BOOLEAN", &[]), Same),
        (Postgres, ty("BOOLEAN", &[]), ty("SMALLINT", &[]), Unknown),
        (
            Postgres,
            ty("NUMERIC", &[10, 2]),
            ty("NUMERIC", &[]),
            Widening,
        ),
        (
            Postgres,
            ty("NUMERIC", &[]),
            ty("NUMERIC", &[10, 2]),
            Narrowing,
        ),
        (
            Postgres,
            ty("REAL", &[]),
            ty("DOUBLE PRECISION", &[]),
            Widening,
        ),
        (Postgres, ty("FLOAT", &[]), ty("FLOAT8", &[]), Same),
        (
            Postgres,
            ty("TIMESTAMP", &[]),
            ty("TIMESTAMP WITHOUT TIME ZONE", &[]),
            Same,
        ),
        // 60
        (
            Postgres,
            ty("TIMESTAMP", &[]),
            ty("TIMESTAMPTZ", &[]),
            Unknown,
        ),
        (Postgres, ty("JSON", &[]), ty("JSONB", &[]), Unknown),
        (Postgres, ty("mood", &[]), ty("MOOD", &[]), Same),
        (Postgres, ty("UUID", &[]), ty("TEXT", &[]), Unknown),
        (Postgres, ty("BYTEA", &[]), ty("TEXT", &[]), Unknown),
        // sqlite: affinity decides, lengths are not enforced
        (Sqlite, ty("VARCHAR", &[100]), ty("VARCHAR", &[10]), Same),
        (Sqlite, ty("INT", &[]), ty("BIGINT", &[]), Same),
        (Sqlite, ty("VARCHAR", &[10]), ty("TEXT", &[]), Same),
        (Sqlite, ty("INTEGER", &[]), ty("NUMERIC", &[]), Widening),
        (Sqlite, ty("TEXT", &[]), ty("INTEGER", &[]), Unknown),
        // 70
        (Sqlite, ty("TEXT", &[]), ty("BLOB", &[]), Widening),
        // generic
        (Generic, ty("SMALLINT", &[]), ty("BIGINT", &[]), Widening),
        (
            Generic,
            ty("VARCHAR", &[20]),
            ty("VARCHAR", &[10]),
            Narrowing,
        ),
        (Generic, ty("CHAR", &[]), ty("CHARACTER", &[1]), Same),
        (Generic, ty("VARCHAR(30)", &[]), ty("VARCHAR", &[30]), Same),
    ]
}

#[test]
fn widening_and_narrowing_table() {
    let mut failures = Vec::new();
    for (i, (dialect, old, new, expected)) in table().into_iter().enumerate() {
        let got = compare_types(dialect, &old, &new);
        if got != expected {
            failures.push(format!(
                "#{i} {dialect}: {old} -> {new}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn identical_types_are_the_same_in_every_dialect() {
    for dialect in Dialect::ALL {
        for t in [
            ty("VARCHAR", &[]),
            ty("GEOMETRY", &[3]),
            members("ENUM", &["x"]),
        ] {
            assert_eq!(compare_types(dialect, &t, &t), Same, "{dialect} {t}");
        }
    }
}

#[test]
fn mysql_varchar_without_length_compares_as_unknown() {
    assert_eq!(
        compare_types(Dialect::Mysql, &ty("VARCHAR", &[]), &ty("VARCHAR", &[10])),
        Unknown
    );
}

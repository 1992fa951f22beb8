//! Facts about one statement that the operations do not carry, for the rules that need
//! them: the columns an `UPDATE` assigns twice, whether a `TRUNCATE` cascades.

use sqlparser::ast::{AssignmentTarget, CascadeOption, ObjectName, SetExpr, Statement};

use super::columns::object_name;
use super::reader::sql_dialect;
use crate::model::ops::Dialect;

/// The statement `text` holds, when it is exactly one that parses.
fn parse_one(text: &str, dialect: Dialect) -> Option<Statement> {
    let text = text.trim().trim_end_matches(';');
    let mut parsed = sqlparser::parser::Parser::parse_sql(sql_dialect(dialect), text).ok()?;
    (parsed.len() == 1).then(|| parsed.remove(0))
}

/// The columns an `UPDATE` statement assigns more than once (`SET a = 1, a = 2`), each
/// once, in the order of their second assignment; empty for any other statement.
pub fn repeated_assignments(statement: &str, dialect: Dialect) -> Vec<String> {
    let update = match parse_one(statement, dialect) {
        Some(Statement::Update(update)) => update,
        Some(Statement::Query(query)) => match *query.body {
            SetExpr::Update(Statement::Update(update)) => update,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    // `SET t.a = 1` names column `a`.
    let column = |name: &ObjectName| {
        let full = object_name(name);
        full.rsplit('.').next().unwrap_or(&full).to_ascii_lowercase()
    };
    let mut seen: Vec<String> = Vec::new();
    let mut twice: Vec<String> = Vec::new();
    for assignment in &update.assignments {
        let targets: Vec<String> = match &assignment.target {
            AssignmentTarget::ColumnName(name) => vec![column(name)],
            AssignmentTarget::Tuple(names) => names.iter().map(column).collect(),
        };
        for target in targets {
            if seen.contains(&target) {
                if !twice.contains(&target) {
                    twice.push(target);
                }
            } else {
                seen.push(target);
            }
        }
    }
    twice
}

/// Whether a statement is a `TRUNCATE ... CASCADE`.
pub fn truncate_cascades(statement: &str, dialect: Dialect) -> bool {
    matches!(
        parse_one(statement, dialect),
        Some(Statement::Truncate(truncate)) if truncate.cascade == Some(CascadeOption::Cascade)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_assigned_twice() {
        let twice = |sql| repeated_assignments(sql, Dialect::Postgres);
        assert_eq!(twice("UPDATE t SET a = 1, b = 2, t.a = 3, A = 4;"), ["a"]);
        assert_eq!(twice("UPDATE t SET (a, b) = (1, 2), b = 3"), ["b"]);
        assert!(twice("UPDATE t SET a = 1, b = 2 WHERE a = 0").is_empty());
        assert!(twice("DELETE FROM t").is_empty());
    }

    #[test]
    fn truncate_cascade() {
        assert!(truncate_cascades("TRUNCATE rules CASCADE;", Dialect::Postgres));
        assert!(truncate_cascades("TRUNCATE TABLE a, b CASCADE", Dialect::Postgres));
        assert!(!truncate_cascades("TRUNCATE rules RESTRICT;", Dialect::Postgres));
        assert!(!truncate_cascades("TRUNCATE rules;", Dialect::Postgres));
    }
}

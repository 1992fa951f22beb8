//! Behaviour of the SQL reader, per dialect and construct.

use super::*;

fn lines(sql: &str, dialect: Dialect) -> Vec<(u32, OpKind)> {
    lower_sql(sql, dialect)
        .into_iter()
        .map(|op| (op.line, op.kind))
        .collect()
}

#[test]
fn debug_dump() {
    let sql = std::env::var("SQLDUMP").unwrap_or_default();
    let dialect = Dialect::from_name(&std::env::var("SQLDIALECT").unwrap_or("mysql".into()))
        .unwrap_or_default();
    for op in lower_sql(&sql, dialect) {
        eprintln!("{} {:?}\n    <<{}>>", op.line, op.kind, op.source);
    }
}

//! What the schema-design rules read: the columns and types a release declares, the type
//! families PostgreSQL and MySQL treat alike, and the transaction a statement runs in.

use crate::analysis::{AnalyzedMigration, AnalyzedOp};
use crate::classify::Context;
use crate::model::ops::{ColumnDef, Direction, OpKind, SqlType};

/// Whether the operation declares something new to production: not a baseline that
/// recreates what production has, and not a change that nets to nothing over the range. An
/// object created earlier in the range counts (its columns are new too).
pub(super) fn declares_new(aop: &AnalyzedOp) -> bool {
    aop.judgement.direction != Direction::Neutral || aop.judgement.context == Context::NewInRange
}

/// The columns an operation declares, with their table: `CREATE TABLE`, `ADD COLUMN`, and
/// MySQL `MODIFY` / `CHANGE`.
pub(super) fn declared_columns(kind: &OpKind) -> Vec<(&str, &ColumnDef)> {
    match kind {
        OpKind::CreateTable { table, columns, .. } => {
            columns.iter().map(|c| (table.as_str(), c)).collect()
        }
        OpKind::AddColumn { table, column } => vec![(table.as_str(), column)],
        OpKind::RedefineColumn {
            table, definition, ..
        } => vec![(table.as_str(), definition)],
        _ => Vec::new(),
    }
}

/// Every column type an operation gives, with table and column: the declared columns and
/// `ALTER COLUMN .. TYPE`.
pub(super) fn declared_types(kind: &OpKind) -> Vec<(&str, &str, &SqlType)> {
    if let OpKind::AlterColumnType {
        table,
        column,
        new_type,
    } = kind
    {
        return vec![(table.as_str(), column.as_str(), new_type)];
    }
    declared_columns(kind)
        .into_iter()
        .filter_map(|(table, c)| c.ty.as_ref().map(|ty| (table, c.name.as_str(), ty)))
        .collect()
}

/// An integer type of 32 bits or fewer (`int`, `serial`, `smallint`, MySQL `mediumint`),
/// signed or not: a counter in it runs out at about two (or four) billion.
pub(super) fn is_narrow_integer(ty: &SqlType) -> bool {
    matches!(
        ty.name.as_str(),
        "INT"
            | "INTEGER"
            | "INT4"
            | "INT2"
            | "SMALLINT"
            | "MEDIUMINT"
            | "TINYINT"
            | "SERIAL"
            | "SERIAL4"
            | "SMALLSERIAL"
            | "SERIAL2"
    )
}

/// A 64-bit integer type.
pub(super) fn is_wide_integer(ty: &SqlType) -> bool {
    matches!(
        ty.name.as_str(),
        "BIGINT" | "INT8" | "BIGSERIAL" | "SERIAL8"
    )
}

/// PostgreSQL's `serial` pseudo-types, which create a sequence and a default.
pub(super) fn is_serial(ty: &SqlType) -> bool {
    matches!(
        ty.name.as_str(),
        "SERIAL" | "SERIAL4" | "BIGSERIAL" | "SERIAL8" | "SMALLSERIAL" | "SERIAL2"
    )
}

/// Whether the migration's statement at `index` runs in the same transaction as the one at
/// `earlier`: the runner wraps each file (or Python migration) in one transaction, so only
/// a `COMMIT` between them (an explicit block that ends) separates them.
pub(super) fn same_transaction(migration: &AnalyzedMigration, earlier: usize, index: usize) -> bool {
    migration
        .operations
        .get(earlier + 1..index)
        .is_some_and(|between| !between.iter().any(ends_transaction))
}

/// The line of the `BEGIN` (or `START TRANSACTION`) whose block holds the migration's
/// statement at `index`, when one does.
pub(super) fn open_block(migration: &AnalyzedMigration, index: usize) -> Option<u32> {
    let mut open = None;
    for aop in migration.operations.iter().take(index) {
        if starts_transaction(aop) {
            open = Some(aop.op.line);
        } else if ends_transaction(aop) {
            open = None;
        }
    }
    open
}

fn transaction_word(aop: &AnalyzedOp) -> Option<String> {
    let OpKind::NoEffect { what } = &aop.op.kind else {
        return None;
    };
    let text = if what.trim().is_empty() {
        aop.op.source.as_str()
    } else {
        what.as_str()
    };
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .take(2)
        .map(str::to_ascii_uppercase)
        .collect();
    Some(words.join(" "))
}

fn starts_transaction(aop: &AnalyzedOp) -> bool {
    transaction_word(aop).is_some_and(|w| {
        w == "BEGIN" || w.starts_with("BEGIN ") || w == "START TRANSACTION"
    })
}

fn ends_transaction(aop: &AnalyzedOp) -> bool {
    transaction_word(aop).is_some_and(|w| {
        let first = w.split(' ').next().unwrap_or("");
        matches!(first, "COMMIT" | "ROLLBACK" | "END")
    })
}

/// What `check` finds in one migration of `sql` on the schema `production` builds, as
/// `(line, message)`. SQL in, findings out: the reader and the judgement are the real ones.
#[cfg(test)]
pub(super) fn findings_of(
    check: fn(&crate::analysis::Analysis, &mut Vec<crate::model::finding::Finding>),
    dialect: crate::model::ops::Dialect,
    production: &str,
    sql: &str,
) -> Vec<(u32, String)> {
    use crate::read::sql::lower_sql;
    let mut before = crate::catalog::Catalog::new(dialect);
    for op in lower_sql(production, dialect) {
        before.apply(&op);
    }
    let ops = lower_sql(sql, dialect);
    let judged = crate::classify::judge_range(&before, &ops);
    let mut migration = super::testing::migration("m/0002_x.sql", Vec::new());
    migration.dialect = dialect;
    migration.operations = ops
        .into_iter()
        .zip(judged.judgements)
        .map(|(op, judgement)| AnalyzedOp { op, judgement })
        .collect();
    let mut analysis = super::testing::analysis(dialect, Vec::new());
    analysis.migrations = vec![migration];
    for named in before.named_types() {
        analysis
            .context
            .enum_values
            .insert(named.name.to_ascii_lowercase(), named.values.clone());
    }
    for table in before.tables() {
        for column in table.columns() {
            if let Some(ty) = &column.ty {
                let key = format!("{}.{}", table.name(), column.name).to_ascii_lowercase();
                analysis.context.column_types.insert(key, ty.clone());
            }
        }
    }
    let mut out = Vec::new();
    check(&analysis, &mut out);
    out.into_iter()
        .map(|f| (f.line.unwrap_or(0), f.message))
        .collect()
}

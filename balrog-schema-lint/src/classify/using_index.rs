//! PostgreSQL `ADD PRIMARY KEY USING INDEX` / `ADD CONSTRAINT .. UNIQUE USING INDEX`: the
//! constraint takes over a unique index that already exists, so what it changes is judged
//! by that index, not by the (empty) column list the statement has.

use super::{Context, Judgement};
use crate::catalog::Catalog;
use crate::model::ops::{ConstraintKind, Direction, OpKind, Operation};

/// The judgement of a constraint added over an existing index, or `None` when `op` is not
/// one or the replayed schema does not know the index (the statement's own direction then
/// stands).
pub(super) fn judge(op: &Operation, catalog: &Catalog) -> Option<Judgement> {
    let OpKind::AddConstraint { table, constraint } = &op.kind else {
        return None;
    };
    let primary = match constraint.kind {
        ConstraintKind::PrimaryKey => true,
        ConstraintKind::Unique => false,
        ConstraintKind::ForeignKey { .. } | ConstraintKind::Check { .. } => return None,
    };
    if !constraint.columns.is_empty() {
        return None;
    }
    let name = op.using_index()?;
    let t = catalog.table(table)?;
    let index = t.index(&name)?;
    // PostgreSQL refuses a partial or non-unique index here: the statement fails.
    if !index.unique || index.partial {
        return Some(Judgement::because(
            Direction::NeedsReview,
            Context::Conflict,
            format!("{name} is not a plain unique index: PostgreSQL refuses USING INDEX with it"),
        ));
    }
    let columns = index.columns.join(", ");
    let nullable: Vec<&str> = index
        .columns
        .iter()
        .filter(|c| t.column(c).is_some_and(|def| def.nullable))
        .map(String::as_str)
        .collect();
    Some(if primary && !nullable.is_empty() {
        Judgement::because(
            Direction::Contract,
            Context::PreviousDefinition,
            format!(
                "{name} already keeps ({columns}) unique, but the primary key also sets NOT NULL on {}: existing NULLs make it fail",
                nullable.join(", ")
            ),
        )
    } else {
        Judgement::because(
            Direction::Neutral,
            Context::PreviousDefinition,
            format!("{name} already keeps ({columns}) unique: the constraint takes the index over and rejects nothing new"),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::classify::judge_range;
    use crate::model::ops::{Dialect, Direction};
    use crate::read::sql::lower_sql;

    /// The directions of `range` on the schema `production` builds.
    fn directions(production: &str, range: &str) -> Vec<Direction> {
        let mut before = Catalog::new(Dialect::Postgres);
        for op in lower_sql(production, Dialect::Postgres) {
            before.apply(&op);
        }
        let ops = lower_sql(range, Dialect::Postgres);
        judge_range(&before, &ops)
            .judgements
            .iter()
            .map(|j| j.direction)
            .collect()
    }

    const PRODUCTION: &str = "CREATE TABLE rules (rule_id INT NOT NULL, alias TEXT);
        CREATE UNIQUE INDEX rules_id_idx ON rules (rule_id);
        CREATE UNIQUE INDEX rules_alias_idx ON rules (alias);
        CREATE INDEX rules_alias_plain ON rules (alias);";

    #[test]
    fn constraint_over_a_unique_index_changes_nothing() {
        assert_eq!(
            directions(
                PRODUCTION,
                "ALTER TABLE rules ADD PRIMARY KEY USING INDEX rules_id_idx;
                 ALTER TABLE rules ADD CONSTRAINT rules_alias_key UNIQUE USING INDEX rules_alias_idx;"
            ),
            [Direction::Neutral, Direction::Neutral]
        );
    }

    #[test]
    fn primary_key_over_nullable_columns_contracts() {
        assert_eq!(
            directions(
                PRODUCTION,
                "ALTER TABLE rules ADD PRIMARY KEY USING INDEX rules_alias_idx;"
            ),
            [Direction::Contract]
        );
    }

    #[test]
    fn index_built_in_the_range_then_taken_over() {
        assert_eq!(
            directions(
                PRODUCTION,
                "CREATE UNIQUE INDEX CONCURRENTLY rules_alias2 ON rules (alias);
                 ALTER TABLE rules ADD CONSTRAINT rules_alias2 UNIQUE USING INDEX rules_alias2;"
            ),
            [Direction::Contract, Direction::Neutral]
        );
    }

    #[test]
    fn non_unique_or_unknown_index() {
        assert_eq!(
            directions(
                PRODUCTION,
                "ALTER TABLE rules ADD CONSTRAINT k UNIQUE USING INDEX rules_alias_plain;
                 ALTER TABLE rules ADD CONSTRAINT k2 UNIQUE USING INDEX nowhere;"
            ),
            [Direction::NeedsReview, Direction::Contract]
        );
    }

    #[test]
    fn the_constraint_takes_the_index_columns() {
        let mut catalog = Catalog::new(Dialect::Postgres);
        let sql = format!("{PRODUCTION}\nALTER TABLE rules ADD CONSTRAINT rules_alias_key UNIQUE USING INDEX rules_alias_idx;");
        for op in lower_sql(&sql, Dialect::Postgres) {
            catalog.apply(&op);
        }
        let table = catalog.table("rules").expect("rules");
        assert!(table.index("rules_alias_idx").is_none());
        let ddl = catalog.to_ddl(Dialect::Postgres);
        assert!(ddl.contains("rules_alias_key UNIQUE (alias)"), "{ddl}");
    }
}

//! `baseline-migration`: a new migration tool's baseline recreates the existing schema.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "baseline-migration",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Info,
    summary: "A baseline recreates the schema production already has: stamp it, do not run it",
    doc: "## What it does
Reports the first migration of a new location (a switch of migration tool, such as
sqlalchemy-migrate to Alembic, or a squash into an \"initial schema\") that recreates tables
production already has. It states the precondition under which the release changes nothing.

## Why is this bad
It is not, when production is at the last old migration and the new tool is told so (Alembic:
`alembic stamp`). Run against production instead, its `CREATE TABLE` statements fail or,
with `IF NOT EXISTS`, silently skip differences.

## Example
```sql
-- a new folder db/alembic/versions whose first revision recreates every table
CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
```

## Use instead
Keep the baseline, and record in the deploy notes that the database must be stamped at it:
```sql
SELECT 1;
```

## Deploy ordering
None: the baseline changes no database that ran the old migrations.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        let Some(precondition) = &migration.baseline else {
            continue;
        };
        let recreated = migration
            .operations
            .iter()
            .filter(|a| a.judgement.context == crate::classify::Context::Baseline)
            .count();
        out.push(finding(
            &RULE,
            Some(migration),
            migration.operations.first().map(|a| a.op.line),
            format!(
                "{} is a baseline: it recreates {recreated} object(s) production already has. Precondition: the database must already be at version {precondition}; it is then stamped at this baseline, not migrated.",
                migration.path
            ),
            "Stamp production at this revision (for Alembic: `alembic stamp <revision>`) instead of running it.".into(),
        ));
    }
}

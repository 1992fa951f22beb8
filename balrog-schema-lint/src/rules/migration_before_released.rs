//! `migration-before-released`: a new migration is numbered at or below a released one.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::migration::FileStatus;
use crate::model::migration::MigrationFormat;

pub(super) static RULE: Rule = Rule {
    name: "migration-before-released",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Error,
    summary: "A new migration is numbered at or below the highest released version",
    doc: "## What it does
Reports a migration added in the range whose version is not above the highest version that
was already released in the same location.

## Why is this bad
Production's schema is already at the highest released version: most migration tools skip a
lower-numbered script there (so production never gets it) or refuse to run, while fresh
databases do run it.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
-- v1.0 released 0001 and 0003; this release adds 0002_more.sql
ALTER TABLE rules ADD COLUMN extra INT NULL;
```

## Use instead
Number the new migration after the last released one:
```sql
-- 0003_more.sql
ALTER TABLE rules ADD COLUMN extra INT NULL;
```

## Deploy ordering
Fix the numbering first; the order cannot be judged while production would skip the script.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.status != FileStatus::A
            || migration.format == MigrationFormat::Alembic
            || migration.version.is_repeatable()
        {
            continue;
        }
        let Some(Some(max)) = analysis.released_max.get(migration.location) else {
            continue;
        };
        // Synapse runs every file of the schema version it is at, and of every later one, that
        // it has not run yet: only a file in an older version folder is skipped.
        let skipped = match migration.format {
            MigrationFormat::Synapse => migration.version.parts() < max.parts(),
            _ => migration.version <= *max,
        };
        if skipped {
            out.push(finding(
                &RULE,
                Some(migration),
                None,
                format!(
                    "new migration version {} is not above the highest released version {}: production may skip it.",
                    migration.version.as_str(),
                    max.as_str()
                ),
                "Renumber it after the last released migration.".into(),
            ));
        }
    }
}

//! `renamed-released-migration`: a released migration's name changed.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::migration::FileStatus;
use crate::model::migration::MigrationFormat;

pub(super) static RULE: Rule = Rule {
    name: "renamed-released-migration",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Warning,
    summary: "A released migration was renamed (not just moved to another folder)",
    doc: "## What it does
Reports a released migration whose file name (or, for diesel, folder name) changed in the
range. Moving a migrations folder without renaming the files is not reported; changes to the
content are reported by `edited-released-migration`. Alembic files are exempt: Alembic
tracks the `revision` inside the file.

## Why is this bad
Most runners record applied migrations by version or file name. A new name is a new
migration to them: production may run it a second time, or refuse to start because a
recorded migration is missing.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, alias VARCHAR(50));
-- migrations/0003_add_index.sql, released in v1.0, is renamed to migrations/0004_add_index.sql
CREATE INDEX rules_alias_idx ON rules (alias);
```

## Use instead
Keep the released name; put any change in a new migration:
```sql
-- migrations/0005_add_alias_idx.sql
CREATE INDEX rules_alias_product_idx ON rules (alias, product);
```

## Deploy ordering
Fix the name first: the runner's view of what is applied decides what the schema step does.
",
    enabled_by_default: true,
    standalone_example: false,
};

/// The part of a path a runner identifies a migration by: the file name, or the folder name
/// for diesel-style `<version>_<name>/up.sql`.
fn identity(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path);
    // diesel and Prisma name a migration by its folder (Prisma records the folder name in
    // `_prisma_migrations`).
    if matches!(file, "up.sql" | "down.sql" | "migration.sql") {
        parts.next().unwrap_or(file)
    } else {
        file
    }
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.status != FileStatus::R
            || !migration.released
            || migration.format == MigrationFormat::Alembic
            // sqitch knows a change by its plan entry, which the pairing kept: a rework
            // moves the released entry's script to `<change>@<tag>.sql`.
            || migration.format == MigrationFormat::Sqitch
        {
            continue;
        }
        let Some(old_path) = &migration.old_path else {
            continue;
        };
        if identity(old_path) == identity(&migration.path) {
            continue;
        }
        out.push(finding(
            &RULE,
            Some(migration),
            None,
            format!("released migration {old_path} was renamed to {}: the runner may treat it as a new migration and run it again.", migration.path),
            format!("Restore the name {}; put changes in a new migration.", identity(old_path)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Dialect;

    fn renamed(old: &str, new: &str) -> Analysis {
        let mut m = migration(new, vec![]);
        m.status = FileStatus::R;
        m.released = true;
        m.old_path = Some(old.into());
        analysis(Dialect::Mysql, vec![m])
    }

    #[test]
    fn renames_but_not_moves() {
        assert_eq!(
            lines(check, &renamed("m/0003_a.sql", "m/0004_a.sql")),
            [None]
        );
        assert!(lines(check, &renamed("old/0003_a.sql", "db/0003_a.sql")).is_empty());
        assert_eq!(
            lines(check, &renamed("m/2024_a/up.sql", "m/2025_a/up.sql")),
            [None]
        );
        assert!(lines(check, &renamed("a/2024_a/up.sql", "b/2024_a/up.sql")).is_empty());
        assert_eq!(
            lines(
                check,
                &renamed("m/20210320112658_init/migration.sql", "m/01_init/migration.sql")
            ),
            [None]
        );
    }
}

//! `duplicate-migration-version`: two migrations share a version.

use std::collections::BTreeMap;

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::migration::FileStatus;
use crate::model::migration::MigrationFormat;

pub(super) static RULE: Rule = Rule {
    name: "duplicate-migration-version",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Error,
    summary: "Two migrations in one location have the same version",
    doc: "## What it does
Reports a migration added or renamed in the range whose version (`0012`, `V12`, `012`) is
also the version of another migration in the same location at `TO`. Versions compare as
numbers: `012` and `12` are the same.

## Why is this bad
The runner records one version as applied: it runs one of the files and skips the other, or
refuses to run at all. Which one wins depends on the tool and the file system. Two branches
that each added the next number produce this when both merge.

## Example
A duplicate of a released version is never above it, so `migration-before-released` reports
it too.
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
-- migrations/0012_add_memory.sql is released; this release adds migrations/0012_add_alias.sql
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Use instead
Renumber the new file after the highest version:
```sql
-- migrations/0013_add_alias.sql
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Deploy ordering
Fix the numbering first: the order cannot be judged while the runner may skip a file.
",
    enabled_by_default: true,
    standalone_example: false,
};

/// The version as the runner compares it: leading zeros do not count.
fn numeric_key(version: &str) -> String {
    version
        .split(['.', '_'])
        .map(|part| {
            let trimmed = part.trim_start_matches('0');
            if trimmed.is_empty() && !part.is_empty() {
                "0"
            } else {
                trimmed
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    let mut by_version: BTreeMap<(usize, String), Vec<&str>> = BTreeMap::new();
    for file in &analysis.context.tree {
        // Alembic orders by its chain, Flyway repeatables by description: neither has a
        // version to share.
        if file.format == MigrationFormat::Alembic || file.version.is_repeatable() {
            continue;
        }
        by_version
            .entry((file.location, numeric_key(file.version.as_str())))
            .or_default()
            .push(&file.path);
    }
    for migration in &analysis.migrations {
        if !matches!(migration.status, FileStatus::A | FileStatus::R) {
            continue;
        }
        let key = (migration.location, numeric_key(migration.version.as_str()));
        let Some(paths) = by_version.get(&key) else {
            continue;
        };
        let others: Vec<&str> = paths
            .iter()
            .copied()
            .filter(|p| *p != migration.path)
            .collect();
        if others.is_empty() {
            continue;
        }
        out.push(finding(
            &RULE,
            Some(migration),
            None,
            format!(
                "version {} is also the version of {}: the runner applies only one of them.",
                migration.version.as_str(),
                others.join(", ")
            ),
            "Renumber the new migration after the highest version in its location.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::analysis::TreeMigration;
    use crate::model::migration::MigrationVersion;
    use crate::model::ops::Dialect;

    fn tree(path: &str, version: &str) -> TreeMigration {
        TreeMigration {
            path: path.into(),
            location: 0,
            format: MigrationFormat::Sql,
            version: MigrationVersion::new(vec![], version),
            revision: None,
            down_revisions: vec![],
        }
    }

    #[test]
    fn added_file_sharing_a_version() {
        let mut m = migration("m/12_b.sql", vec![]);
        m.version = MigrationVersion::new(vec![12], "12");
        let mut a = analysis(Dialect::Mysql, vec![m]);
        a.context.tree = vec![tree("m/0012_a.sql", "0012"), tree("m/12_b.sql", "12")];
        assert_eq!(lines(check, &a), [None]);
        a.context.tree = vec![tree("m/0011_a.sql", "0011"), tree("m/12_b.sql", "12")];
        assert!(lines(check, &a).is_empty());
    }
}

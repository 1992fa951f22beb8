//! `missing-down-migration`: a layout with down migrations gets an up without one.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::migration::FileStatus;
use crate::model::migration::MigrationFormat;

pub(super) static RULE: Rule = Rule {
    name: "missing-down-migration",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A new migration has no down migration where the others have one",
    doc: "## What it does
When a migrations folder keeps down (revert) scripts — golang-migrate `12_x.down.sql`, diesel
`<version>_x/down.sql` — reports a migration added in the range that has none. Flyway undo
scripts (`U12__x.sql`) are optional by design, so a Flyway migration without one is not
reported.

## Why is this bad
The project's way to roll a schema change back is the down script. Without one, rolling this
release back means writing the revert during an incident.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
-- migrations/13_add_alias.up.sql, next to 12_add_memory.up.sql and 12_add_memory.down.sql
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Use instead
Add the down script with the up script; here `13_add_alias.down.sql` holds
`ALTER TABLE rules DROP COLUMN alias;`:
```sql
-- migrations/13_add_alias.up.sql, with migrations/13_add_alias.down.sql beside it
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```

## Deploy ordering
No effect on the order; it decides whether the release can be rolled back by the tool.
",
    enabled_by_default: true,
    standalone_example: false,
};

/// The down script an up migration would have, and the folder whose down scripts show that
/// the layout uses them.
fn expected_down(path: &str) -> Option<(String, String)> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if name == "up.sql" {
        let parent = dir.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        return Some((format!("{dir}/down.sql"), parent.to_string()));
    }
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    if let Some(stem) = name.strip_suffix(".up.sql") {
        return Some((format!("{prefix}{stem}.down.sql"), dir.to_string()));
    }
    None
}

/// The folder that holds a down script, or for diesel the folder above its own.
fn scope_of_down(path: &str) -> &str {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if name == "down.sql" {
        dir.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
    } else {
        dir
    }
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    let downs = &analysis.context.down_files;
    for migration in &analysis.migrations {
        // Flyway's undo scripts are optional: one undo script does not make them expected.
        if migration.status != FileStatus::A
            || !migration.format.is_sql()
            || migration.format == MigrationFormat::Flyway
        {
            continue;
        }
        let Some((expected, scope)) = expected_down(&migration.path) else {
            continue;
        };
        let layout_has_downs = downs.iter().any(|d| scope_of_down(d) == scope);
        if layout_has_downs && !downs.contains(&expected) {
            out.push(finding(
                &RULE,
                Some(migration),
                None,
                format!(
                    "{} has no down migration ({expected}), while its folder keeps down scripts.",
                    migration.path
                ),
                format!("Add {expected} that reverts it."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::Dialect;

    fn with_downs(path: &str, downs: &[&str]) -> Analysis {
        let mut a = analysis(Dialect::Mysql, vec![migration(path, vec![])]);
        a.context.down_files = downs.iter().map(|d| d.to_string()).collect();
        a
    }

    #[test]
    fn missing_only_where_the_layout_has_downs() {
        assert_eq!(
            lines(check, &with_downs("m/13_b.up.sql", &["m/12_a.down.sql"])),
            [None]
        );
        assert!(lines(
            check,
            &with_downs("m/13_b.up.sql", &["m/12_a.down.sql", "m/13_b.down.sql"])
        )
        .is_empty());
        assert!(lines(check, &with_downs("m/13_b.up.sql", &[])).is_empty());
        assert!(lines(
            check,
            &with_downs("m/13_b.up.sql", &["other/12_a.down.sql"])
        )
        .is_empty());
        assert_eq!(
            lines(
                check,
                &with_downs("d/2024_b/up.sql", &["d/2023_a/down.sql"])
            ),
            [None]
        );
        assert!(lines(
            check,
            &with_downs("d/2024_b/up.sql", &["d/2024_b/down.sql"])
        )
        .is_empty());
        assert!(lines(check, &with_downs("f/V2__b.sql", &["f/U1__a.sql"])).is_empty());
        assert!(lines(check, &with_downs("f/0002_b.sql", &["f/U1__a.sql"])).is_empty());
    }
}

//! The rule catalogue: one file per rule, one registry everything derives from (lookup by
//! name, the `rules` listing, `explain`, config validation, SARIF metadata, the docs page).

mod add_column_not_null_without_default;
mod change_column_type;
mod deleted_released_migration;
mod drop_column;
mod drop_table;
mod edited_released_migration;
mod migration_before_released;
mod mixed_release;
mod rename_column;
mod rename_table;
mod unreadable_statement;
mod unsupported_statement;

use serde::Serialize;

use crate::analysis::{Analysis, AnalyzedMigration};
use crate::report::{Finding, Severity};

/// What a rule protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Old code must keep working on the new schema (the schema goes first).
    OldCodeNewSchema,
    /// New code must work on the old schema (the code goes first).
    NewCodeOldSchema,
    /// The release as a whole has no safe deploy order.
    ReleaseShape,
    /// Migrations that production already ran must not change.
    HistoryIntegrity,
    /// Locks, rewrites and long-running statements.
    Operational,
    /// Something the tool could not judge.
    Review,
}

impl Category {
    /// The kebab-case name shown in listings.
    pub fn name(self) -> &'static str {
        match self {
            Category::OldCodeNewSchema => "old-code-new-schema",
            Category::NewCodeOldSchema => "new-code-old-schema",
            Category::ReleaseShape => "release-shape",
            Category::HistoryIntegrity => "history-integrity",
            Category::Operational => "operational",
            Category::Review => "review",
        }
    }
}

/// A rule's metadata. Its documentation has the sections What it does / Why is this bad /
/// Example / Use instead / Deploy ordering.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    /// Stable kebab-case name, e.g. `drop-column`.
    pub name: &'static str,
    /// What it protects.
    pub category: Category,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// The full documentation, in Markdown.
    pub doc: &'static str,
}

type Check = fn(&Analysis, &mut Vec<Finding>);

struct Entry {
    rule: &'static Rule,
    check: Check,
}

static REGISTRY: &[Entry] = &[
    Entry {
        rule: &add_column_not_null_without_default::RULE,
        check: add_column_not_null_without_default::check,
    },
    Entry {
        rule: &change_column_type::RULE,
        check: change_column_type::check,
    },
    Entry {
        rule: &deleted_released_migration::RULE,
        check: deleted_released_migration::check,
    },
    Entry {
        rule: &drop_column::RULE,
        check: drop_column::check,
    },
    Entry {
        rule: &drop_table::RULE,
        check: drop_table::check,
    },
    Entry {
        rule: &edited_released_migration::RULE,
        check: edited_released_migration::check,
    },
    Entry {
        rule: &migration_before_released::RULE,
        check: migration_before_released::check,
    },
    Entry {
        rule: &mixed_release::RULE,
        check: mixed_release::check,
    },
    Entry {
        rule: &rename_column::RULE,
        check: rename_column::check,
    },
    Entry {
        rule: &rename_table::RULE,
        check: rename_table::check,
    },
    Entry {
        rule: &unreadable_statement::RULE,
        check: unreadable_statement::check,
    },
    Entry {
        rule: &unsupported_statement::RULE,
        check: unsupported_statement::check,
    },
];

/// Every rule, sorted by name.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    REGISTRY.iter().map(|e| e.rule)
}

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static Rule> {
    all().find(|r| r.name == name)
}

/// Runs every rule over the analysis. Severities are the defaults; the caller applies
/// configuration.
pub fn run(analysis: &Analysis) -> Vec<Finding> {
    let mut findings = Vec::new();
    for entry in REGISTRY {
        (entry.check)(analysis, &mut findings);
    }
    findings
}

/// A finding of `rule` at its default severity.
fn finding(
    rule: &Rule,
    migration: Option<&AnalyzedMigration>,
    line: Option<u32>,
    message: String,
    help: String,
) -> Finding {
    Finding {
        rule: rule.name.to_string(),
        severity: rule.default_severity,
        path: migration.map(|m| m.path.clone()),
        line,
        message,
        help,
        diff: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        let names: Vec<&str> = all().map(|r| r.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "registry must be sorted by name, without duplicates"
        );
        for rule in all() {
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{} is not kebab-case",
                rule.name
            );
            for section in [
                "## What it does",
                "## Why is this bad",
                "## Example",
                "## Use instead",
                "## Deploy ordering",
            ] {
                assert!(rule.doc.contains(section), "{} lacks {section}", rule.name);
            }
        }
    }
}

//! `deleted-released-migration`: a released migration was deleted.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::migration::FileStatus;

pub(super) static RULE: Rule = Rule {
    name: "deleted-released-migration",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Warning,
    summary: "A migration that was already released was deleted",
    doc: "## What it does
Reports a migration that exists at `FROM` and is gone at `TO`.

## Why is this bad
A database that already ran it is unaffected, but a fresh database built from the
repository no longer gets what it did, and the migration tool may refuse to run on a database
whose recorded version has no script.

## Example
```sql
-- the file migrations/0003_add_index.sql, released in v1.0, is deleted in v1.1
DELETE FROM nothing_here WHERE 1 = 0;
```

## Use instead
Keep released migrations; squash them only together with a new baseline and a documented
precondition (the database must already be at the latest version).
```sql
SELECT 1;
```

## Deploy ordering
No effect on the order: it changes no database that already ran it.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.status == FileStatus::D && migration.released {
            out.push(finding(
                &RULE,
                Some(migration),
                None,
                format!("released migration {} (version {}) was deleted; databases that ran it are unaffected.", migration.path, migration.version.as_str()),
                "Fresh databases no longer get its changes: make sure a baseline covers them.".into(),
            ));
        }
    }
}

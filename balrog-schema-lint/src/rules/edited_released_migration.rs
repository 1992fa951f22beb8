//! `edited-released-migration`: a migration production already ran was edited.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "edited-released-migration",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Error,
    summary: "A migration that was already released (and run in production) was edited",
    doc: "## What it does
Reports a migration that exists at `FROM` and changed in the range. When the edit changes no
operation (formatting, comments, imports) it is a warning; when it changes what the migration
does it is an error, with the difference.

## Why is this bad
Production ran the old version and will not run the new one: the new text describes a
schema that production does not have, while fresh databases get the new one. The two drift
apart.

## Example
```sql
-- v1.0 released this file with its first statement; this release adds the second:
ALTER TABLE rules ADD COLUMN a INT NULL;
ALTER TABLE rules ADD COLUMN b INT NULL;
```

## Use instead
Leave released migrations alone and add a new one:
```sql
-- 0004_add_b.sql
ALTER TABLE rules ADD COLUMN b INT NULL;
```

## Deploy ordering
No effect on the order: production does not run the edited file again.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        let Some(edit) = &migration.edit else {
            continue;
        };
        let diff = similar::TextDiff::from_lines(&edit.old_text, &edit.new_text)
            .unified_diff()
            .context_radius(2)
            .header(
                &format!(
                    "{} ({})",
                    migration.old_path.as_deref().unwrap_or(&migration.path),
                    analysis.from
                ),
                &format!("{} ({})", migration.path, analysis.to),
            )
            .to_string();
        let mut f = if edit.changes_operations() {
            let before: Vec<String> = edit.before.iter().map(|o| o.kind.describe()).collect();
            let after: Vec<String> = edit.after.iter().map(|o| o.kind.describe()).collect();
            finding(
                &RULE,
                Some(migration),
                edit.after.first().map(|o| o.line).or(Some(1)),
                format!(
                    "released migration changed what it does: before [{}], now [{}]. Production ran the old version and will not run this one.",
                    before.join("; "),
                    after.join("; ")
                ),
                "Restore the released text and put the change in a new migration.".into(),
            )
        } else {
            let mut f = finding(
                &RULE,
                Some(migration),
                Some(1),
                "released migration was edited, but its operations are unchanged (formatting only).".into(),
                "No schema effect; prefer leaving released migrations untouched.".into(),
            );
            f.severity = Severity::Warning;
            f
        };
        f.diff = Some(diff);
        out.push(f);
    }
}

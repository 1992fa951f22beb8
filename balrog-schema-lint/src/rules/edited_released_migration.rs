//! `edited-released-migration`: a migration production already ran was edited.

use super::{finding, Category, Rule};
use crate::analysis::{Analysis, Edit};
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "edited-released-migration",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Error,
    summary: "A migration that was already released (and run in production) was edited",
    doc: "## What it does
Reports a migration that exists at `FROM` and changed in the range. When the edit changes no
operation (formatting, comments, imports) it is a warning; when it changes what the migration
does it is an error, with the difference. When the operations differ only in why a statement
could not be read at either end (the statement was reworded, or a repository module it calls
changed), the tool cannot tell whether it does something else now: still an error, saying
so, with both reasons.

## Why is this bad
Production ran the old version and will not run the new one: the new text describes a
schema that production does not have, while fresh databases get the new one. The two drift
apart.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY);
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
        let mut f = if let Some(unread) = reasons_only(edit) {
            let lines: Vec<String> = unread
                .iter()
                .map(|(line, was, now)| format!("line {line} (before: {was}; now: {now})"))
                .collect();
            finding(
                &RULE,
                Some(migration),
                unread.first().map(|(line, _, _)| *line),
                format!(
                    "released migration was edited, and whether it changed what it does cannot be told: its operations are the same, but {} could not be read at either end, for different reasons: {}. Production ran the old version and will not run this one.",
                    if unread.len() == 1 { "a statement".to_string() } else { format!("{} statements", unread.len()) },
                    lines.join(", ")
                ),
                "The statement, or code it calls (a repository module the migration imports, say), changed between the releases. Read it at both ends; if it does the same, suppress this finding with that reason.".into(),
            )
        } else if edit.changes_operations() {
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

/// When an edit's operations differ only in why statements could not be read, those
/// statements: line now, reason before, reason now. Two unreadable statements say nothing of
/// whether the edit changed them, so the finding must not say it did, nor that it did not.
fn reasons_only(edit: &Edit) -> Option<Vec<(u32, &str, &str)>> {
    if edit.before.len() != edit.after.len() {
        return None;
    }
    let mut unread = Vec::new();
    for (was, now) in edit.before.iter().zip(&edit.after) {
        match (&was.kind, &now.kind) {
            _ if was.kind == now.kind => {}
            (OpKind::Unreadable { error: before }, OpKind::Unreadable { error: after }) => {
                unread.push((now.line, before.as_str(), after.as_str()));
            }
            _ => return None,
        }
    }
    (!unread.is_empty()).then_some(unread)
}

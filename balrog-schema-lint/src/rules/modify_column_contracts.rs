//! `modify-column-contracts`: MySQL `MODIFY`/`CHANGE COLUMN` takes something away.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Direction, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "modify-column-contracts",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "MySQL MODIFY/CHANGE COLUMN restates a column without something it had",
    doc: "## What it does
Compares a MySQL `MODIFY` or `CHANGE COLUMN` (or sqlalchemy-migrate `alter(Column(...))`),
which restates the whole column, with the column as it was, and reports what the restatement
takes away: `AUTO_INCREMENT`, a default, or nullability.

## Why is this bad
Anything not restated is dropped. Old code that leaves the column out of its inserts relied on
the database filling it (`AUTO_INCREMENT`, default) or accepting NULL; after the change those
inserts fail. It is easy to miss because the statement does not say `DROP`.

## Example
```sql
CREATE TABLE conditions (sc_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY);
ALTER TABLE conditions MODIFY sc_id INT NOT NULL;
```

## Use instead
Restate everything the column keeps:
```sql
CREATE TABLE conditions (sc_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY);
ALTER TABLE conditions MODIFY sc_id INT NOT NULL AUTO_INCREMENT;
```

## Deploy ordering
Contract: deploy the code that no longer relies on what is taken away first, the schema last.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if !matches!(aop.op.kind, OpKind::RedefineColumn { .. })
            || aop.judgement.direction != Direction::Contract
        {
            continue;
        }
        let reason = aop
            .judgement
            .reason
            .as_deref()
            .unwrap_or("it takes something away");
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("{reason}."),
            "Deploy code that no longer relies on it first (it writes the column itself), or restate what the column keeps.".into(),
        ));
    }
}

//! `foreign-key-action-changed`: a released foreign key dropped and added back with another
//! `ON DELETE` / `ON UPDATE` action or another deferrability.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::classify::Context;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{ConstraintKind, Direction, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "foreign-key-action-changed",
    category: Category::OldCodeNewSchema,
    default_severity: Severity::Warning,
    summary: "A foreign key is recreated with another ON DELETE / ON UPDATE action or deferrability",
    doc: "## What it does
Reports a foreign key that production has, dropped and added back in the same release on the
same columns and table with another `ON DELETE` or `ON UPDATE` action, or checked at another
moment (`DEFERRABLE`, `INITIALLY DEFERRED`).

## Why is this bad
The key still exists, so nothing looks removed, but what a `DELETE` or `UPDATE` of a
referenced row does changes under the code that is running. From `CASCADE` to `RESTRICT`,
old code that deletes a parent and relies on the database to remove its children starts
failing; from `RESTRICT` to `CASCADE`, new code that relies on the cascade fails on the old
schema; from `CASCADE` to `SET NULL`, each version of the code gets the outcome the other
expects. A key checked earlier than before (no longer `INITIALLY DEFERRED`) makes code that
writes a child before its parent in one transaction fail. MySQL and MariaDB check `NO ACTION`
as `RESTRICT` and have no deferred keys: there, those changes change nothing.

## Example
```sql
-- dialect: postgres
-- production: CREATE TABLE releases (name VARCHAR(100) NOT NULL PRIMARY KEY);
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, release_name VARCHAR(100), CONSTRAINT rules_release_fk FOREIGN KEY (release_name) REFERENCES releases (name) ON DELETE CASCADE);
ALTER TABLE rules DROP CONSTRAINT rules_release_fk;
ALTER TABLE rules ADD CONSTRAINT rules_release_fk FOREIGN KEY (release_name) REFERENCES releases (name) ON DELETE RESTRICT;
```

## Use instead
Ship code that deletes (or re-points) the child rows itself first, then change the action in a
later release; or keep the action:
```sql
-- dialect: postgres
-- production: CREATE TABLE releases (name VARCHAR(100) NOT NULL PRIMARY KEY);
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, release_name VARCHAR(100), CONSTRAINT rules_release_fk FOREIGN KEY (release_name) REFERENCES releases (name) ON DELETE CASCADE);
ALTER TABLE rules DROP CONSTRAINT rules_release_fk;
ALTER TABLE rules ADD CONSTRAINT rules_release_fk FOREIGN KEY (release_name) REFERENCES releases (name) ON DELETE CASCADE;
```

## Deploy ordering
Refusing where the database acted (`CASCADE` to `RESTRICT`), or checking earlier: contract,
the code first. Acting where it refused, or checking later: expand, the schema first. One
action for another (`CASCADE` to `SET NULL`), or both kinds at once: breaking, no order is
safe; split it over two releases.
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let OpKind::AddConstraint { table, constraint } = &aop.op.kind else {
            continue;
        };
        let ConstraintKind::ForeignKey { references, .. } = &constraint.kind else {
            continue;
        };
        let judgement = &aop.judgement;
        if judgement.context != Context::PreviousDefinition || judgement.differences.is_empty() {
            continue;
        }
        let order = match judgement.direction {
            Direction::Contract => "Deploy the code that handles the change first, the schema last.",
            Direction::Expand => "Deploy the schema first; code that relies on the new action after it.",
            _ => "No deploy order keeps both versions of the code working: change the code to work with both actions in one release, and the key in the next.",
        };
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!(
                "{table}({}) -> {references}: {}.",
                constraint.columns.join(", "),
                judgement.differences.join("; ")
            ),
            order.to_string(),
        ));
    }
}

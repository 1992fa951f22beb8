//! `baseline-schema-drift`: a baseline differs from the schema production has.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::classify::Context;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;

pub(super) static RULE: Rule = Rule {
    name: "baseline-schema-drift",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Warning,
    summary: "A baseline creates a table differently from the schema production has",
    doc: "## What it does
Compares each table a baseline migration recreates with the same table replayed from the old
migrations, and reports every difference (column type, nullability, default, keys).

## Why is this bad
Production keeps the old definition (the baseline is stamped, not run) while every new
database, test and developer database gets the baseline's. Code tested on one meets the other
in production: a column that is `BIGINT` in production and `INTEGER` in tests hides overflow.

## Example
```sql
-- production has rules.timestamp BIGINT; the baseline says:
CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, timestamp INT NOT NULL);
```

## Use instead
Make the baseline declare exactly what production has:
```sql
CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, timestamp BIGINT NOT NULL);
```

## Deploy ordering
None for production; fix the baseline so that new databases match it.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for migration in &analysis.migrations {
        if migration.baseline.is_none() {
            continue;
        }
        for aop in &migration.operations {
            let OpKind::CreateTable { table, .. } = &aop.op.kind else {
                continue;
            };
            let Some(reason) = &aop.judgement.reason else {
                continue;
            };
            if aop.judgement.context != Context::Baseline || !reason.contains(" differs: ") {
                continue;
            }
            let differences = reason
                .split_once(" differs: ")
                .map(|(_, d)| d)
                .unwrap_or(reason);
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                format!("{table} in this baseline differs from production's: {differences}."),
                format!("Declare {table} in the baseline exactly as production has it, so that new databases match production."),
            ));
        }
    }
}

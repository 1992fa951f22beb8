//! `add-domain-constraint`: a constraint added to a PostgreSQL domain columns already use.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::{Dialect, OpKind};

pub(super) static RULE: Rule = Rule {
    name: "add-domain-constraint",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A constraint is added to an existing PostgreSQL domain without NOT VALID",
    doc: "## What it does
Reports PostgreSQL `ALTER DOMAIN .. ADD CONSTRAINT` on a domain production already has,
without `NOT VALID`.

## Why is this bad
PostgreSQL checks the new constraint against every value of every column that uses the
domain, in every table, holding a lock on each that blocks writes until it is done; one
violating row makes the statement fail. Nothing in the statement names those tables, so the
cost is easy to miss in review. Old code that writes values the constraint rejects starts
failing too.

## Example
```sql
-- dialect: postgres
-- production: CREATE DOMAIN priority AS INTEGER;
-- production: CREATE TABLE rules (rule_id BIGINT PRIMARY KEY, priority priority);
ALTER DOMAIN priority ADD CONSTRAINT priority_positive CHECK (VALUE > 0);
```

## Use instead
Add it `NOT VALID` (new values are checked at once), then `ALTER DOMAIN priority VALIDATE
CONSTRAINT priority_positive` in a later migration, which lets writes through:
```sql
-- dialect: postgres
ALTER DOMAIN priority ADD CONSTRAINT priority_positive CHECK (VALUE > 0) NOT VALID;
```

## Deploy ordering
Contract, like any new check: code that never writes rejected values deploys first
(balrog-production), the schema change last (balrog-admin-production).
",
    enabled_by_default: true,
    standalone_example: true,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if migration.dialect != Dialect::Postgres {
            continue;
        }
        let OpKind::AddDomainConstraint { name, constraint } = &aop.op.kind else {
            continue;
        };
        if constraint.not_valid || !touches_released(aop) {
            continue;
        }
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!("the constraint added to domain {name} is checked against every column of every table that uses the domain, with writes to them blocked."),
            "Add it NOT VALID, then VALIDATE CONSTRAINT in a later migration.".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::declared::findings_of;
    use super::*;

    #[test]
    fn existing_domain_without_not_valid() {
        let production = "CREATE DOMAIN d AS INTEGER;";
        let add = "ALTER DOMAIN d ADD CONSTRAINT d_pos CHECK (VALUE > 0);\n";
        assert_eq!(findings_of(check, Dialect::Postgres, production, add).len(), 1);
        let not_valid = "ALTER DOMAIN d ADD CONSTRAINT d_pos CHECK (VALUE > 0) NOT VALID;\n";
        assert!(findings_of(check, Dialect::Postgres, production, not_valid).is_empty());
        let new_domain = format!("CREATE DOMAIN e AS INTEGER;\n{}", add.replace(" d ", " e "));
        assert!(findings_of(check, Dialect::Postgres, "", &new_domain).is_empty());
    }
}

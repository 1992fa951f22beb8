//! `unrecognised-migration-file`: a changed file under a migration location that the tool
//! does not read.

use super::{Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::migration::FileStatus;

pub(super) static RULE: Rule = Rule {
    name: "unrecognised-migration-file",
    category: Category::Review,
    default_severity: Severity::Error,
    summary: "A changed file under a migration location is not a migration the tool reads",
    doc: "## What it does
Reports every file under a migration location (configured, given with `--migrations`, or
detected) that the range adds, modifies, deletes or renames, and that is neither a migration
the tool reads nor a file its layout defines as not being an upgrade (a README, `env.py`, a
down script, ...). The finding names what the tool expected there. Rails migrations (`.rb`),
Django migrations, goose `.go` migrations, a `.py` file in an SQL folder that is neither an
Alembic revision nor a sqlalchemy-migrate script, and SQL files without a version are
reported this way.

## Why is this bad
A file the tool did not read may change the schema. Calling the release safe without reading
it would be a guess; the release is needs-review until a person has read the file.

## Example
A Python script in a folder of numbered SQL migrations, that is neither an Alembic revision
nor a sqlalchemy-migrate script:
```python
# db/migrations/0003_add_alias.py
def run(connection):
    connection.execute('ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL')
```

## Use instead
Write the change in the folder's own format, where the tool reads it:
```sql
-- db/migrations/0003_add_alias.sql
ALTER TABLE rules ADD COLUMN alias VARCHAR(50) NULL;
```
Or read the file and decide the deploy order by hand; if the folder holds a layout the tool
reads, name it in `balrog-schema-lint.toml` (`[[migrations]]` with `path` and `format`).

## Deploy ordering
Needs review: decide the order by hand.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for file in &analysis.ledger.unrecognised {
        let change = match file.status {
            FileStatus::A => "added",
            FileStatus::M => "modified",
            FileStatus::D => "deleted",
            FileStatus::R => "renamed",
        };
        out.push(Finding {
            rule: RULE.name.to_string(),
            severity: RULE.default_severity,
            path: Some(file.path.clone()),
            line: None,
            message: format!(
                "{} is {change} under a migration location, but it is not a migration the tool reads (expected {}); its effect on the schema is unknown.",
                file.path, file.reason
            ),
            help: "Read it and decide the deploy order by hand; set the location's `format` in balrog-schema-lint.toml if the tool reads its layout.".to_string(),
            diff: None,
            related: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::migration::LedgerFile;
    use crate::model::ops::Dialect;

    #[test]
    fn one_finding_per_unrecognised_file() {
        let mut a = analysis(Dialect::Mysql, vec![]);
        assert!(lines(check, &a).is_empty());
        a.ledger.unrecognised.push(LedgerFile {
            path: "db/migrate/1_x.rb".into(),
            old_path: None,
            status: FileStatus::A,
            reason: "a Rails migration (.rb)".into(),
        });
        a.ledger.ignored.push(LedgerFile {
            path: "db/migrate/README".into(),
            old_path: None,
            status: FileStatus::A,
            reason: "documentation".into(),
        });
        let mut out = Vec::new();
        check(&a, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path.as_deref(), Some("db/migrate/1_x.rb"));
        assert!(out[0].message.contains("is added"), "{}", out[0].message);
    }
}

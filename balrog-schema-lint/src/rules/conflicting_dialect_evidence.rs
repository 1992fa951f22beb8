//! `conflicting-dialect-evidence`: the repository names more than one database dialect.

use super::{Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};

pub(super) static RULE: Rule = Rule {
    name: "conflicting-dialect-evidence",
    category: Category::Review,
    default_severity: Severity::Warning,
    summary: "The repository names more than one database dialect, and neither --dialect nor the configuration says which production runs",
    doc: "## What it does
When neither `--dialect` nor `dialect` in the configuration names the dialect, the tool
detects it from the repository (Cargo features, Prisma's provider, Alembic and Django
settings, Flyway's URL, per-dialect file suffixes, then the SQL itself). This rule reports
when two of those sources disagree, naming both, and says which one the check followed.

## Why is this bad
Migrations read in the wrong dialect can be misread without an error: a PostgreSQL
`ALTER COLUMN ... TYPE` or `CREATE INDEX CONCURRENTLY` means something else, or nothing, to a
MySQL reader, and a MySQL `ADD INDEX` read as PostgreSQL adds a column named `INDEX`. A
verdict is only as good as the dialect it was read in.

## Example
```sql
-- Cargo.toml: diesel = { version = \"2\", features = [\"postgres\"] }
-- migrations/2024-01-01-000000_init/up.sql:
CREATE TABLE `rules` (id BIGINT AUTO_INCREMENT PRIMARY KEY);
```
The check follows the Cargo feature, the more trusted source, so the backquoted name is also
an `unreadable-statement` in PostgreSQL: the conflict is what explains that error.

## Use instead
Say which database production runs, with `dialect = \"mysql\"` in `balrog-schema-lint.toml`
(or `--dialect mysql`); the migrations are then read in that dialect, and the rest of the
evidence no longer matters:
```sql
-- balrog-schema-lint.toml: dialect = \"mysql\"
CREATE TABLE `rules` (id BIGINT AUTO_INCREMENT PRIMARY KEY);
```

## Deploy ordering
None by itself; it questions every other verdict of the check until the dialect is settled.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    let Some((decided, other)) = &analysis.context.dialect_conflict else {
        return;
    };
    let names = |dialects: &[crate::model::ops::Dialect]| {
        dialects
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    out.push(Finding {
        rule: RULE.name.to_string(),
        severity: RULE.default_severity,
        path: Some(other.path.clone()),
        line: other.line,
        message: format!(
            "{} says {} ({}), but {} says {} ({}); the migrations were read as {}.",
            decided.kind.describe(),
            names(&decided.dialects),
            decided.locate(),
            other.kind.describe(),
            names(&other.dialects),
            other.locate(),
            analysis.dialect.name(),
        ),
        help: format!(
            "Set `dialect = \"{}\"` (or the dialect production really runs) in balrog-schema-lint.toml, or pass --dialect.",
            analysis.dialect.name()
        ),
        diff: None,
        related: Vec::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::dialect_source::{Evidence, EvidenceKind};
    use crate::model::ops::Dialect;

    #[test]
    fn names_both_sources() {
        let mut a = single(Dialect::Postgres, vec![]);
        assert!(lines(check, &a).is_empty());
        let evidence = |kind, dialect, path: &str, line| Evidence {
            kind,
            dialects: vec![dialect],
            path: path.into(),
            line,
            text: "t".into(),
        };
        a.context.dialect_conflict = Some((
            evidence(
                EvidenceKind::CargoFeatures,
                Dialect::Postgres,
                "Cargo.toml",
                Some(5),
            ),
            evidence(EvidenceKind::SqlContent, Dialect::Mysql, "m/1.sql", Some(2)),
        ));
        let mut found = Vec::new();
        check(&a, &mut found);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path.as_deref(), Some("m/1.sql"));
        assert_eq!(found[0].line, Some(2));
        assert!(
            found[0].message.contains("Cargo.toml:5 (t)")
                && found[0].message.contains("says mysql (m/1.sql:2 (t))")
                && found[0].message.ends_with("read as postgres."),
            "{}",
            found[0].message
        );
    }
}

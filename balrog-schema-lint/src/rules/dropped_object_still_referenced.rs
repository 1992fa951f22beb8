//! `dropped-object-still-referenced`: code at `TO` still names what the range removes.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::repo::code_search::{removed_name, Reference};

pub(super) static RULE: Rule = Rule {
    name: "dropped-object-still-referenced",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Warning,
    summary: "Code in the release still names a table or column that the release drops or renames",
    doc: "## What it does
For every table, view or column the range drops or renames away, searches the source tree
at `TO` (the code that will run against the schema without it) for the name, ignoring case:
a distinctive name (`legacy_flag`, `systemCapabilities`) as a whole word anywhere, a plain
word (`when`, `data`) only where code names it (quoted, after a `.`, as a keyword argument,
or in a line of SQL), since prose uses such words all the time. Migration folders, tests, docs and binary files are not searched; the
`code_paths` setting chooses the files instead. Each match is listed as `file:line`.

## Why is this bad
A query that still names the object fails as soon as the schema change has run. The match is
textual, so a hit can also be an unrelated word: read each one.

## Example
```sql
-- src/auslib/db.py at TO still has: self.legacy_flag = ...
ALTER TABLE rules DROP COLUMN legacy_flag;
```

## Use instead
Remove every use in an earlier release, then drop:
```sql
-- no file outside the migrations names legacy_flag any more
SELECT 1;
```

## Deploy ordering
Contract: the code without the references must be deployed (and finished) before the schema
change runs; if the code at `TO` still uses it, no order is safe.
",
    enabled_by_default: true,
    standalone_example: false,
};

/// At most this many locations are listed per name.
const LISTED: usize = 20;

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let Some(name) = removed_name(&aop.op.kind) else {
            continue;
        };
        if !touches_released(aop) {
            continue;
        }
        let hits: Vec<&Reference> = analysis
            .context
            .references
            .iter()
            .filter(|r| r.name.eq_ignore_ascii_case(name))
            .collect();
        if hits.is_empty() {
            continue;
        }
        let mut listed: Vec<String> = hits
            .iter()
            .take(LISTED)
            .map(|r| format!("{}:{}", r.path, r.line))
            .collect();
        if hits.len() > LISTED {
            listed.push(format!("and {} more", hits.len() - LISTED));
        }
        out.push(finding(
            &RULE,
            Some(migration),
            Some(aop.op.line),
            format!(
                "{} but the code at {} still names {name} ({} place(s)): {}.",
                aop.op.kind.describe(),
                analysis.to,
                hits.len(),
                listed.join(", ")
            ),
            format!("Remove these uses of {name} (or confirm they are unrelated) and ship that code before the schema change."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{Dialect, OpKind};

    fn reference(name: &str, line: u32) -> Reference {
        Reference {
            name: name.into(),
            path: "src/app.py".into(),
            line,
        }
    }

    #[test]
    fn lists_references_with_a_cap() {
        let drop = OpKind::DropColumn {
            table: "rules".into(),
            column: "legacy_flag".into(),
        };
        let mut a = single(Dialect::Mysql, vec![drop.clone()]);
        a.context.references = (1..=25).map(|l| reference("LEGACY_FLAG", l)).collect();
        a.context.references.push(reference("other", 1));
        let mut out = Vec::new();
        check(&a, &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("25 place(s)"), "{}", out[0].message);
        assert!(
            out[0].message.contains("src/app.py:20, and 5 more"),
            "{}",
            out[0].message
        );
        assert!(!out[0].message.contains("src/app.py:21"));

        a.context.references = vec![reference("other", 1)];
        assert!(lines(check, &a).is_empty());
        let mut new_table = single(Dialect::Mysql, vec![create("rules"), drop]);
        new_table.context.references = vec![reference("legacy_flag", 1)];
        assert!(lines(check, &new_table).is_empty());
    }
}

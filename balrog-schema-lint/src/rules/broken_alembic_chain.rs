//! `broken-alembic-chain`: the Alembic revision graph at `TO` cannot be upgraded.

use std::collections::{BTreeMap, HashSet};

use super::{Category, Rule};
use crate::analysis::{Analysis, TreeMigration};
use crate::model::finding::{Finding, Severity};
use crate::model::migration::MigrationFormat;

pub(super) static RULE: Rule = Rule {
    name: "broken-alembic-chain",
    category: Category::HistoryIntegrity,
    default_severity: Severity::Error,
    summary:
        "The Alembic revision chain has a missing parent, several heads, a duplicate or a cycle, or lost the released head",
    doc: "## What it does
Reads `revision` and `down_revision` of every Alembic revision at `TO` and reports a
`down_revision` that names no revision, more than one head (two branches each added a
revision on the same parent and nothing merges them), two files with the same `revision`, a
file without a readable `revision`, and cycles. It also reports a head released at `FROM`
that no longer exists at `TO` (the history was squashed or reset to a new root). A merge
revision (`down_revision` a tuple of two parents) is fine.

## Why is this bad
`alembic upgrade head` refuses to run with several heads and fails on a missing parent or a
cycle: the deploy that runs the schema upgrade fails. A database upgraded by `FROM` records
its head in `alembic_version`; when that revision is gone, `alembic upgrade` stops at once
(\"Can't locate revision\").

## Example
```python
# versions/b2_add_alias.py
revision = \"b2\"
down_revision = \"a1\"
# versions/c3_add_memory.py, written on another branch
revision = \"c3\"
down_revision = \"a1\"
```

## Use instead
Rebase one revision onto the other (or add a merge revision with `alembic merge`):
```python
# versions/c3_add_memory.py
revision = \"c3\"
down_revision = \"b2\"
```

## Deploy ordering
Fix the chain first: the schema upgrade does not run as it is.
",
    enabled_by_default: true,
    standalone_example: false,
};

fn problem(path: &str, message: String) -> Finding {
    Finding {
        rule: RULE.name.to_string(),
        severity: RULE.default_severity,
        path: Some(path.to_string()),
        line: None,
        message,
        help: "Make every revision's down_revision name an existing revision, with exactly one head (merge branches with `alembic merge`).".into(),
        diff: None,
        related: Vec::new(),
    }
}

fn check_location(files: &[&TreeMigration], out: &mut Vec<Finding>) {
    let mut by_revision: BTreeMap<&str, &str> = BTreeMap::new();
    for file in files {
        match &file.revision {
            None => out.push(problem(
                &file.path,
                "this Alembic file has no readable `revision`.".into(),
            )),
            Some(rev) => {
                if let Some(first) = by_revision.insert(rev, &file.path) {
                    out.push(problem(
                        &file.path,
                        format!("revision {rev} is also the revision of {first}."),
                    ));
                }
            }
        }
    }
    for file in files {
        for parent in &file.down_revisions {
            if !by_revision.contains_key(parent.as_str()) {
                out.push(problem(
                    &file.path,
                    format!("down_revision {parent} names no revision in this location."),
                ));
            }
        }
    }
    let parents: HashSet<&str> = files
        .iter()
        .flat_map(|f| f.down_revisions.iter().map(String::as_str))
        .collect();
    let heads: Vec<&&TreeMigration> = files
        .iter()
        .filter(|f| f.revision.as_deref().is_some_and(|r| !parents.contains(r)))
        .collect();
    if heads.len() > 1 {
        let names: Vec<String> = heads
            .iter()
            .map(|f| format!("{} ({})", f.revision.as_deref().unwrap_or("?"), f.path))
            .collect();
        if let Some(last) = heads.last() {
            out.push(problem(
                &last.path,
                format!(
                    "the revision chain has {} heads: {}.",
                    heads.len(),
                    names.join(", ")
                ),
            ));
        }
    }
    // Place every revision whose parents are placed (a missing parent, reported above,
    // counts as placed); what is never placed sits on a cycle or descends from one.
    let mut placed: HashSet<&str> = HashSet::new();
    loop {
        let before = placed.len();
        for file in files {
            if let Some(rev) = file.revision.as_deref() {
                if file
                    .down_revisions
                    .iter()
                    .all(|p| placed.contains(p.as_str()) || !by_revision.contains_key(p.as_str()))
                {
                    placed.insert(rev);
                }
            }
        }
        if placed.len() == before {
            break;
        }
    }
    for file in files {
        let Some(rev) = file.revision.as_deref() else {
            continue;
        };
        let parents_exist = file
            .down_revisions
            .iter()
            .all(|p| by_revision.contains_key(p.as_str()));
        if !placed.contains(rev) && parents_exist {
            out.push(problem(
                &file.path,
                format!("revision {rev} is part of a cycle (or descends from one)."),
            ));
        }
    }
}

/// Heads released at `FROM` that no revision at `TO` provides.
fn lost_released_heads(analysis: &Analysis, out: &mut Vec<Finding>) {
    let at_to: HashSet<&str> = analysis
        .context
        .tree
        .iter()
        .filter(|f| f.format == MigrationFormat::Alembic)
        .filter_map(|f| f.revision.as_deref())
        .collect();
    if at_to.is_empty() {
        return;
    }
    let roots: Vec<&str> = analysis
        .context
        .tree
        .iter()
        .filter(|f| f.format == MigrationFormat::Alembic && f.down_revisions.is_empty())
        .filter_map(|f| f.revision.as_deref())
        .collect();
    for (revision, path) in &analysis.context.released_heads {
        if at_to.contains(revision.as_str()) {
            continue;
        }
        let mut finding = problem(
            path,
            format!(
                "revision {revision}, the head released in {}, no longer exists at {}: databases at {} record it in alembic_version and `alembic upgrade` stops (\"Can't locate revision {revision}\").",
                analysis.from, analysis.to, analysis.from
            ),
        );
        finding.help = format!(
            "Before deploying, stamp every database at the new root (`alembic stamp --purge {}`) once its schema is checked to match, or keep revision {revision} in the history.",
            roots.first().copied().unwrap_or("<new root>")
        );
        out.push(finding);
    }
}

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    lost_released_heads(analysis, out);
    let mut locations: BTreeMap<usize, Vec<&TreeMigration>> = BTreeMap::new();
    for file in &analysis.context.tree {
        if file.format == MigrationFormat::Alembic {
            locations.entry(file.location).or_default().push(file);
        }
    }
    for files in locations.values() {
        check_location(files, out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::migration::MigrationVersion;
    use crate::model::ops::Dialect;

    fn rev(path: &str, revision: Option<&str>, parents: &[&str]) -> TreeMigration {
        TreeMigration {
            path: path.into(),
            location: 0,
            format: MigrationFormat::Alembic,
            version: MigrationVersion::new(vec![], path),
            revision: revision.map(str::to_string),
            down_revisions: parents.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn messages(tree: Vec<TreeMigration>) -> Vec<String> {
        let mut a = single(Dialect::Mysql, vec![]);
        a.context.tree = tree;
        let mut out = Vec::new();
        check(&a, &mut out);
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn linear_chain_and_merge_are_fine() {
        assert!(messages(vec![rev("a", Some("a"), &[]), rev("b", Some("b"), &["a"])]).is_empty());
        let merged = vec![
            rev("a", Some("a"), &[]),
            rev("b", Some("b"), &["a"]),
            rev("c", Some("c"), &["a"]),
            rev("m", Some("m"), &["b", "c"]),
        ];
        assert!(messages(merged).is_empty());
    }

    #[test]
    fn each_breakage_is_named() {
        let two_heads = messages(vec![
            rev("a", Some("a"), &[]),
            rev("b", Some("b"), &["a"]),
            rev("c", Some("c"), &["a"]),
        ]);
        assert_eq!(two_heads.len(), 1);
        assert!(two_heads[0].contains("2 heads"), "{two_heads:?}");
        let missing = messages(vec![rev("a", Some("a"), &[]), rev("b", Some("b"), &["zz"])]);
        assert!(
            missing.iter().any(|m| m.contains("zz names no revision")),
            "{missing:?}"
        );
        let cycle = messages(vec![
            rev("a", Some("a"), &[]),
            rev("x", Some("x"), &["y"]),
            rev("y", Some("y"), &["x"]),
        ]);
        assert!(cycle.iter().any(|m| m.contains("cycle")), "{cycle:?}");
        let dup = messages(vec![rev("a", Some("a"), &[]), rev("a2", Some("a"), &[])]);
        assert!(
            dup.iter().any(|m| m.contains("also the revision")),
            "{dup:?}"
        );
        let unreadable = messages(vec![rev("a", None, &[])]);
        assert_eq!(unreadable.len(), 1);
    }
}

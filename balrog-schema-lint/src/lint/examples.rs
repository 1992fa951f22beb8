//! Running the rules on one migration, as the documentation's examples need, and the test
//! that every rule's documented example does what the documentation says.

use crate::analysis::{Analysis, AnalyzedMigration, AnalyzedOp, RepoContext};
use crate::catalog::Catalog;
use crate::classify;
use crate::config::Config;
use crate::lint::suppress;
use crate::model::finding::Finding;
use crate::model::migration::{migration_version, FileStatus, MigrationFormat, MigrationVersion};
use crate::model::ops::{Dialect, Operation};
use crate::read::directives;
use crate::rules;

/// The comment that states, in an Example, what production already has: each line
/// `-- production: CREATE TABLE ...;` is a statement of the schema at `FROM`.
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // with check_migration
pub const PRODUCTION_PREFIX: &str = "-- production:";

/// The statements of `text`'s `-- production:` lines, one a line.
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // with check_migration
pub fn production_sql(text: &str) -> String {
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix(PRODUCTION_PREFIX))
        .map(|sql| format!("{}\n", sql.trim()))
        .collect()
}

/// Runs every rule on one migration, as if adding it were the whole release: its text is
/// read by `lower`; production has the schema its `-- production:` lines state (replayed as
/// the released migrations would be), and nothing else; its inline suppressions and
/// `config` apply. There is no history and no repository, so rules about those find
/// nothing.
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
pub fn check_migration(
    path: &str,
    text: &str,
    dialect: Dialect,
    config: &Config,
    lower: impl Fn(&str, Dialect) -> Vec<Operation>,
) -> Vec<Finding> {
    let mut before = Catalog::new(dialect);
    for op in lower(&production_sql(text), dialect) {
        before.apply(&op);
    }
    let operations = lower(text, dialect);
    let judged = classify::judge_range(&before, &operations);
    let operations: Vec<AnalyzedOp> = operations
        .into_iter()
        .zip(judged.judgements)
        .map(|(op, judgement)| AnalyzedOp { op, judgement })
        .collect();
    let verdict = classify::verdict(operations.iter().map(|a| a.judgement.direction));
    let name = path.rsplit('/').next().unwrap_or(path);
    let migration = AnalyzedMigration {
        path: path.to_string(),
        old_path: None,
        status: FileStatus::A,
        version: migration_version(name).unwrap_or_else(|| MigrationVersion::new(vec![1], "1")),
        format: MigrationFormat::Sql,
        dialect,
        location: 0,
        released: false,
        operations,
        edit: None,
        baseline: None,
    };
    let mut context = RepoContext::default();
    for table in before.tables() {
        for column in table.columns() {
            if let Some(ty) = &column.ty {
                let key = format!("{}.{}", table.name(), column.name).to_ascii_lowercase();
                context.column_types.insert(key, ty.clone());
            }
        }
    }
    for named in before.named_types() {
        context
            .enum_values
            .insert(named.name.to_ascii_lowercase(), named.values.clone());
    }
    let directives = directives::directives(text);
    if !directives.is_empty() {
        context.suppressions.insert(path.to_string(), directives);
    }
    let analysis = Analysis {
        dialect,
        from: "FROM".into(),
        to: "TO".into(),
        migrations: vec![migration],
        released_max: vec![None],
        ledger: crate::analysis::Ledger::default(),
        verdict,
        context,
    };
    suppress::apply(rules::run(&analysis), &analysis, config)
}

/// The ```sql blocks of a documentation section, each with the dialect its first line names
/// (`-- dialect: postgres`), MySQL otherwise.
#[cfg(test)]
pub(super) fn sql_blocks(doc: &str, section: &str) -> Vec<(Dialect, String)> {
    code_blocks(doc, section, "sql")
        .into_iter()
        .map(|block| {
            let dialect = block
                .lines()
                .next()
                .and_then(|l| l.trim().strip_prefix("-- dialect:"))
                .and_then(|d| Dialect::from_name(d.trim()))
                .unwrap_or(Dialect::Mysql);
            (dialect, block)
        })
        .collect()
}

/// The code blocks in `language` of a documentation section.
#[cfg(test)]
fn code_blocks(doc: &str, section: &str, language: &str) -> Vec<String> {
    let body = doc.split(section).nth(1).unwrap_or("");
    let body = body.split("\n## ").next().unwrap_or("");
    body.split(&format!("```{language}\n"))
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::example_repos::{example_repo, run};
    use super::*;
    use crate::config::RuleLevel;
    use crate::model::finding::Severity;
    use crate::model::ops::OpKind;
    use crate::rules::{all, Rule};

    fn level(severity: Severity) -> RuleLevel {
        match severity {
            Severity::Info => RuleLevel::Info,
            Severity::Warning => RuleLevel::Warning,
            Severity::Error => RuleLevel::Error,
        }
    }

    /// Every Example of `rule` with the findings it produces: alone when it is one
    /// migration, in the repository it describes otherwise.
    fn run_examples(rule: &Rule) -> Vec<(String, Vec<Finding>)> {
        let mut config = Config::default();
        config
            .rules
            .insert(rule.name.to_string(), level(rule.default_severity));
        let mut blocks: Vec<(Dialect, String)> = sql_blocks(rule.doc, "## Example");
        blocks.extend(
            code_blocks(rule.doc, "## Example", "python")
                .into_iter()
                .map(|b| (Dialect::Mysql, b)),
        );
        blocks
            .into_iter()
            .map(|(dialect, text)| {
                let found = if rule.standalone_example {
                    check_migration(
                        "m/0002_x.sql",
                        &text,
                        dialect,
                        &config,
                        crate::read::sql::lower_sql,
                    )
                } else {
                    let repo = example_repo(rule.name, &text).unwrap_or_else(|| {
                        panic!(
                            "{}: no example repository for a rule that needs one",
                            rule.name
                        )
                    });
                    run(&repo)
                };
                (text, found)
            })
            .collect()
    }

    /// The diagnostics each rule's documented Example produces, one snapshot per rule, so
    /// that a change to any message is seen and reviewed.
    #[test]
    fn example_diagnostics() {
        for rule in all() {
            let mut rendered = String::new();
            for (text, found) in run_examples(rule) {
                rendered.push_str(&format!("{}\n", text.trim_end()));
                for f in &found {
                    let at = match (&f.path, f.line) {
                        (Some(path), Some(line)) => format!(" {path}:{line}"),
                        (Some(path), None) => format!(" {path}"),
                        _ => String::new(),
                    };
                    rendered.push_str(&format!(
                        "{}[{}]{at}\n  {}\n  help: {}\n",
                        f.severity.name(),
                        f.rule,
                        f.message,
                        f.help
                    ));
                }
            }
            insta::assert_snapshot!(rule.name, rendered);
        }
    }

    /// Every Example triggers its rule exactly once and no other rule's error unless its
    /// Example section names that rule (`` `mixed-release` ``); every Use instead triggers
    /// nothing.
    #[test]
    fn examples_trigger_their_rule_and_alternatives_trigger_nothing() {
        let mut failures = Vec::new();
        for rule in all() {
            for (dialect, sql) in sql_blocks(rule.doc, "## Use instead") {
                let found = check_migration(
                    "m/0002_x.sql",
                    &sql,
                    dialect,
                    &Config::default(),
                    crate::read::sql::lower_sql,
                );
                if !found.is_empty() {
                    let rules: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
                    failures.push(format!("{}: Use instead triggers {rules:?}", rule.name));
                }
            }
            let examples = run_examples(rule);
            if examples.is_empty() {
                failures.push(format!("{}: no Example", rule.name));
            }
            let section = rule.doc.split("## Example").nth(1).unwrap_or("");
            let section = section.split("\n## ").next().unwrap_or("");
            for (_, found) in examples {
                let hits = found.iter().filter(|f| f.rule == rule.name).count();
                if hits != 1 {
                    failures.push(format!("{}: Example triggers it {hits} times", rule.name));
                }
                for other in found.iter().filter(|f| {
                    f.rule != rule.name
                        && f.severity == Severity::Error
                        && !section.contains(&format!("`{}`", f.rule))
                }) {
                    failures.push(format!(
                        "{}: Example also triggers error[{}]: {}",
                        rule.name, other.rule, other.message
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Only rules that read history or the repository need one built for their Example.
    #[test]
    fn example_repositories_only_where_needed() {
        for rule in all() {
            for (_, text) in sql_blocks(rule.doc, "## Example") {
                assert_eq!(
                    example_repo(rule.name, &text).is_some(),
                    !rule.standalone_example,
                    "{}",
                    rule.name
                );
            }
        }
    }

    #[test]
    fn production_lines_are_the_schema_at_from() {
        let text = "-- dialect: postgres\n-- production: CREATE TABLE t (a INT);\n  -- production:   CREATE TABLE u (b INT);\nDROP TABLE t;\n";
        assert_eq!(
            production_sql(text),
            "CREATE TABLE t (a INT);\nCREATE TABLE u (b INT);\n"
        );
        // The type of a production column is known, so a widening is additive.
        let found = check_migration(
            "m/0002_x.sql",
            "-- production: CREATE TABLE t (a INT NOT NULL);\nALTER TABLE t ALTER COLUMN a TYPE BIGINT;\n",
            Dialect::Postgres,
            &Config::default(),
            crate::read::sql::lower_sql,
        );
        assert!(
            found.iter().all(|f| f.rule != "change-column-type"),
            "{found:?}"
        );
    }
    /// A stand-in reader: `DROP c` on line n drops column `c` of table `t`.
    fn toy_lower(text: &str, _: Dialect) -> Vec<Operation> {
        text.lines()
            .enumerate()
            .filter_map(|(i, line)| {
                let column = line.strip_prefix("DROP ")?;
                Some(Operation {
                    line: i as u32 + 1,
                    kind: OpKind::DropColumn {
                        table: "t".into(),
                        column: column.trim().into(),
                    },
                    source: line.to_string(),
                })
            })
            .collect()
    }

    #[test]
    fn check_migration_runs_rules_and_suppressions() {
        let text = "DROP a\n-- balrog-schema-lint: allow drop-column -- reviewed\nDROP b\n";
        let found = check_migration(
            "m/0002_x.sql",
            text,
            Dialect::Mysql,
            &Config::default(),
            toy_lower,
        );
        let got: Vec<(&str, Option<u32>)> =
            found.iter().map(|f| (f.rule.as_str(), f.line)).collect();
        assert_eq!(got, [("drop-column", Some(1))]);
    }

    #[test]
    fn example_blocks_and_dialects_are_found() {
        let doc = "## Example\n```sql\n-- dialect: postgres\nSELECT 1;\n```\n\n## Use instead\n```sql\nSELECT 2;\n```\n";
        assert_eq!(
            sql_blocks(doc, "## Example"),
            [(
                Dialect::Postgres,
                "-- dialect: postgres\nSELECT 1;\n".to_string()
            )]
        );
        assert_eq!(
            sql_blocks(doc, "## Use instead"),
            [(Dialect::Mysql, "SELECT 2;\n".to_string())]
        );
        for rule in all().filter(|r| r.standalone_example) {
            assert!(
                !sql_blocks(rule.doc, "## Example").is_empty(),
                "{}",
                rule.name
            );
        }
    }
}

//! Running the rules on one migration, as the documentation's examples need, and the test
//! that every rule's documented example does what the documentation says.

use crate::analysis::{Analysis, AnalyzedMigration, AnalyzedOp, RepoContext};
use crate::classify;
use crate::config::Config;
use crate::lint::suppress;
use crate::model::finding::Finding;
use crate::model::migration::FileStatus;
use crate::model::migration::MigrationFormat;
use crate::model::migration::{migration_version, MigrationVersion};
use crate::model::ops::{Dialect, Operation};
use crate::read::directives;
use crate::rules;

/// Runs every rule on one migration, as if adding it were the whole release: its text is
/// read by `lower`, its tables exist in production unless it creates them, its inline
/// suppressions and `config` apply. There is no history and no repository, so rules about
/// those find nothing.
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
pub fn check_migration(
    path: &str,
    text: &str,
    dialect: Dialect,
    config: &Config,
    lower: impl Fn(&str, Dialect) -> Vec<Operation>,
) -> Vec<Finding> {
    let operations = lower(text, dialect);
    let judged = classify::judge_range(&crate::catalog::Catalog::new(dialect), &operations);
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
    let body = doc.split(section).nth(1).unwrap_or("");
    let body = body.split("\n## ").next().unwrap_or("");
    body.split("```sql\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .map(|block| {
            let dialect = block
                .lines()
                .next()
                .and_then(|l| l.trim().strip_prefix("-- dialect:"))
                .and_then(|d| Dialect::from_name(d.trim()))
                .unwrap_or(Dialect::Mysql);
            (dialect, block.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuleLevel;
    use crate::model::finding::Severity;
    use crate::model::ops::OpKind;
    use crate::rules::all;

    fn level(severity: Severity) -> RuleLevel {
        match severity {
            Severity::Info => RuleLevel::Info,
            Severity::Warning => RuleLevel::Warning,
            Severity::Error => RuleLevel::Error,
        }
    }

    /// The diagnostics each rule's documented Example produces, one snapshot per rule, so
    /// that a change to any message is seen and reviewed.
    #[test]
    fn example_diagnostics() {
        for rule in all().filter(|r| r.standalone_example) {
            let mut config = Config::default();
            config
                .rules
                .insert(rule.name.to_string(), level(rule.default_severity));
            let mut rendered = String::new();
            for (dialect, sql) in sql_blocks(rule.doc, "## Example") {
                rendered.push_str(&format!("-- {dialect}\n{}\n", sql.trim_end()));
                let found = check_migration(
                    "m/0002_x.sql",
                    &sql,
                    dialect,
                    &config,
                    crate::read::sql::lower_sql,
                );
                for f in &found {
                    let line = f.line.map(|l| format!(":{l}")).unwrap_or_default();
                    rendered.push_str(&format!(
                        "{}[{}] m/0002_x.sql{line}\n  {}\n  help: {}\n",
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
            if !rule.standalone_example {
                continue;
            }
            let mut config = Config::default();
            config
                .rules
                .insert(rule.name.to_string(), level(rule.default_severity));
            let blocks = sql_blocks(rule.doc, "## Example");
            if blocks.is_empty() {
                failures.push(format!("{}: no sql Example", rule.name));
            }
            for (dialect, sql) in blocks {
                let found = check_migration(
                    "m/0002_x.sql",
                    &sql,
                    dialect,
                    &config,
                    crate::read::sql::lower_sql,
                );
                let hits = found.iter().filter(|f| f.rule == rule.name).count();
                if hits != 1 {
                    failures.push(format!("{}: Example triggers it {hits} times", rule.name));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
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

//! Applying inline suppressions (read by `read::directives`) and the configured severities
//! to the findings, so that a suppression of a rule that is turned off is not reported as
//! unused.

use std::collections::HashSet;

use crate::analysis::{Analysis, AnalyzedMigration};
use crate::config::{did_you_mean, Config, RuleLevel};
use crate::model::finding::{Finding, Severity};
use crate::read::directives::Directive;
use crate::rules;

/// The severity configuration gives a finding of `rule` (reported at `current`), or `None`
/// when the rule is off.
fn effective_level(rule: &str, config: &Config, current: Severity) -> Option<Severity> {
    match config.rules.get(rule) {
        Some(RuleLevel::Off) => None,
        Some(RuleLevel::Info) => Some(Severity::Info),
        Some(RuleLevel::Warning) => Some(Severity::Warning),
        Some(RuleLevel::Error) => Some(Severity::Error),
        // Unconfigured, a finding keeps the severity its rule gave it (a rule may report a
        // milder case below its default).
        None => match rules::find(rule) {
            Some(found) if !config.runs_unconfigured(found.name, found.enabled_by_default) => None,
            Some(_) | None => Some(current),
        },
    }
}

/// Whether a directive covers a finding at `line` of `migration`.
fn covers(directive: &Directive, line: Option<u32>, migration: Option<&AnalyzedMigration>) -> bool {
    if directive.suppression.file_level {
        return true;
    }
    let Some(line) = line else {
        return false;
    };
    if !directive.trailing {
        return directive.target == Some(line);
    }
    let at = directive.suppression.line;
    if line == at {
        return true;
    }
    // A comment after the last line of a statement that spans several lines.
    migration.is_some_and(|m| {
        m.operations.iter().any(|aop| {
            let span = aop.op.source.lines().count().max(1) as u32;
            aop.op.line == line && line < at && at < line.saturating_add(span)
        })
    })
}

fn meta_finding(rule: &str, path: &str, line: u32, message: String, help: String) -> Finding {
    Finding {
        rule: rule.to_string(),
        severity: rules::find(rule)
            .map(|r| r.default_severity)
            .unwrap_or(Severity::Warning),
        path: Some(path.to_string()),
        line: Some(line),
        message,
        help,
        diff: None,
        related: Vec::new(),
    }
}

/// Applies configured severities (dropping rules that are off), removes findings that an
/// inline suppression covers, reports suppressions that are invalid, lack a reason or cover
/// nothing, and sorts the result by file and line.
pub fn apply(findings: Vec<Finding>, analysis: &Analysis, config: &Config) -> Vec<Finding> {
    // (path, directive index, rule name) of every rule name that suppressed something.
    let mut used: HashSet<(String, usize, String)> = HashSet::new();
    let mut kept = Vec::with_capacity(findings.len());
    for mut finding in findings {
        let Some(severity) = effective_level(&finding.rule, config, finding.severity) else {
            continue;
        };
        finding.severity = severity;
        // A configured severity caps the places the finding lists too.
        for related in &mut finding.related {
            related.severity = related.severity.min(severity);
        }
        let path = finding.path.clone().unwrap_or_default();
        let directives = analysis.context.suppressions.get(&path);
        let migration = analysis.migrations.iter().find(|m| m.path == path);
        let mut suppressed = false;
        for (index, directive) in directives.into_iter().flatten().enumerate() {
            if directive.suppression.rules.contains(&finding.rule)
                && covers(directive, finding.line, migration)
            {
                used.insert((path.clone(), index, finding.rule.clone()));
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }

    let mut meta = Vec::new();
    for (path, directives) in &analysis.context.suppressions {
        for (index, directive) in directives.iter().enumerate() {
            let line = directive.suppression.line;
            if let Some(problem) = &directive.problem {
                meta.push(meta_finding(
                    "invalid-suppression",
                    path,
                    line,
                    problem.clone(),
                    "`balrog-schema-lint rules` lists the rule names.".into(),
                ));
                continue;
            }
            for name in &directive.suppression.rules {
                if rules::find(name).is_none() {
                    let suggestion = did_you_mean(name, rules::all().map(|r| r.name))
                        .map(|n| format!(" did you mean \"{n}\"?"))
                        .unwrap_or_default();
                    meta.push(meta_finding(
                        "invalid-suppression",
                        path,
                        line,
                        format!("the suppression names `{name}`, which is not a rule;{suggestion}"),
                        "`balrog-schema-lint rules` lists the rule names.".into(),
                    ));
                } else if effective_level(name, config, Severity::Warning).is_some()
                    && !used.contains(&(path.clone(), index, name.clone()))
                {
                    let scope = if directive.suppression.file_level {
                        "in this file"
                    } else {
                        "at this statement"
                    };
                    meta.push(meta_finding(
                        "unused-suppression",
                        path,
                        line,
                        format!("the suppression of {name} matches no {name} finding {scope}."),
                        "Remove it, or move it onto the line above the statement it is for.".into(),
                    ));
                }
            }
            if directive.suppression.reason.is_none() {
                meta.push(meta_finding(
                    "suppression-without-reason",
                    path,
                    line,
                    format!(
                        "the suppression of {} gives no reason.",
                        directive.suppression.rules.join(", ")
                    ),
                    "Say why after ` -- `, e.g. `-- balrog-schema-lint: allow drop-column -- unused since v4.10`.".into(),
                ));
            }
        }
    }
    for mut finding in meta {
        if let Some(severity) = effective_level(&finding.rule, config, finding.severity) {
            finding.severity = severity;
            kept.push(finding);
        }
    }
    kept.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ops::{ColumnDef, OpKind};
    use crate::read::directives::directives;
    use crate::rules::testing::{analysis, migration, op_at};

    fn drop_at(line: u32, source: &str) -> crate::model::ops::Operation {
        op_at(
            line,
            OpKind::DropColumn {
                table: "t".into(),
                column: format!("c{line}"),
            },
            source,
        )
    }

    /// Runs rules and suppressions over one migration of drops with `text` as its source.
    fn run(
        text: &str,
        ops: Vec<crate::model::ops::Operation>,
        config: &Config,
    ) -> Vec<(String, Option<u32>)> {
        let mut a = analysis(
            crate::model::ops::Dialect::Mysql,
            vec![migration("m/0002_x.sql", ops)],
        );
        a.context
            .suppressions
            .insert("m/0002_x.sql".into(), directives(text));
        apply(rules::run(&a), &a, config)
            .into_iter()
            .map(|f| (f.rule, f.line))
            .collect()
    }

    #[test]
    fn suppresses_at_the_statement_and_reports_the_rest() {
        let text = "\
-- balrog-schema-lint: allow drop-column -- unused since v4.10
ALTER TABLE t DROP COLUMN c2;
ALTER TABLE t
  DROP COLUMN c3; -- balrog-schema-lint: allow drop-column
ALTER TABLE t DROP COLUMN c5;
-- balrog-schema-lint: allow drop-table, drop-colum -- wrong names
ALTER TABLE t DROP COLUMN c7;
";
        let ops = vec![
            drop_at(2, "ALTER TABLE t DROP COLUMN c2;"),
            drop_at(3, "ALTER TABLE t\n  DROP COLUMN c3;"),
            drop_at(5, "ALTER TABLE t DROP COLUMN c5;"),
            drop_at(7, "ALTER TABLE t DROP COLUMN c7;"),
        ];
        let found = run(text, ops, &Config::default());
        let s = |r: &str, l: u32| (r.to_string(), Some(l));
        assert_eq!(
            found,
            vec![
                s("suppression-without-reason", 4),
                s("drop-column", 5),
                s("invalid-suppression", 6),
                s("unused-suppression", 6),
                s("drop-column", 7),
            ]
        );
    }

    #[test]
    fn file_level_and_configuration() {
        let text = "# balrog-schema-lint: allow-file drop-column -- whole file reviewed\n";
        let ops = vec![drop_at(2, ""), drop_at(3, "")];
        assert!(run(text, ops.clone(), &Config::default()).is_empty());

        // A suppression of a rule that is off is not unused; the rule's findings are gone.
        let mut config = Config::default();
        config.rules.insert("drop-column".into(), RuleLevel::Off);
        let text = "-- balrog-schema-lint: allow drop-column -- r\nSELECT 1;\n";
        assert!(run(text, ops.clone(), &config).is_empty());

        let mut config = Config::default();
        config.rules.insert("drop-column".into(), RuleLevel::Error);
        let a = analysis(
            crate::model::ops::Dialect::Mysql,
            vec![migration("m/0002_x.sql", ops)],
        );
        let out = apply(rules::run(&a), &a, &config);
        assert!(out.iter().all(|f| f.severity == Severity::Error));
        assert_eq!(out.len(), 2);

        // Unconfigured, a rule's own choice of severity stands.
        let mut milder = rules::run(&a);
        for f in &mut milder {
            f.severity = Severity::Info;
        }
        let out = apply(milder, &a, &Config::default());
        assert!(out.iter().all(|f| f.severity == Severity::Info));
    }

    #[test]
    fn rules_off_by_default_run_only_when_configured() {
        let add = op_at(
            1,
            OpKind::AddColumn {
                table: "t".into(),
                column: ColumnDef::new("a", None),
            },
            "ALTER TABLE t ADD COLUMN a INT",
        );
        let a = analysis(
            crate::model::ops::Dialect::Mysql,
            vec![migration("m/0002_x.sql", vec![add])],
        );
        assert!(apply(rules::run(&a), &a, &Config::default()).is_empty());
        let mut config = Config::default();
        config
            .rules
            .insert("mysql-missing-algorithm-lock".into(), RuleLevel::Warning);
        let out = apply(rules::run(&a), &a, &config);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, "mysql-missing-algorithm-lock");
    }
}

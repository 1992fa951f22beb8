//! Inline suppressions: `balrog-schema-lint: allow RULE[, RULE] -- reason` in a `--` (SQL)
//! or `#` (Python, MySQL) comment on a statement's line or in the comment block directly
//! above it, and `balrog-schema-lint: allow-file RULE -- reason` anywhere in a file.
//!
//! [`apply`] also applies the configured severities, so that a suppression of a rule that is
//! turned off is not reported as unused.

use std::collections::HashSet;

use crate::analysis::{Analysis, AnalyzedMigration};
use crate::config::{did_you_mean, Config, RuleLevel};
use crate::ops::Suppression;
use crate::report::{Finding, Severity};
use crate::rules;

/// The marker that starts a directive inside a comment.
pub const MARKER: &str = "balrog-schema-lint:";

/// A suppression comment with where it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// What the comment says.
    pub suppression: Suppression,
    /// The comment follows code on its line, so it applies to the statement on that line.
    pub trailing: bool,
    /// For a comment on a line of its own: the first line after its comment block, when
    /// that line holds code (a blank line detaches the comment).
    pub target: Option<u32>,
    /// Why the comment is not a valid directive, when it is not.
    pub problem: Option<String>,
}

/// The suppressions in a file's text.
pub fn parse(text: &str) -> Vec<Suppression> {
    directives(text)
        .into_iter()
        .map(|d| d.suppression)
        .collect()
}

/// Where a comment starts on a line, skipping quoted strings; and the length of its opener.
fn comment_start(line: &str) -> Option<(usize, usize)> {
    let mut quote: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '#' => return Some((i, 1)),
                '-' if chars.peek().is_some_and(|(_, n)| *n == '-') => return Some((i, 2)),
                _ => {}
            },
        }
    }
    None
}

/// A line that holds only a comment.
fn is_comment_only(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("--") || trimmed.starts_with('#')
}

/// Every directive in a file's text, with where it applies.
pub fn directives(text: &str) -> Vec<Directive> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some((start, opener)) = comment_start(line) else {
            continue;
        };
        let comment = line.get(start + opener..).unwrap_or("");
        let body = comment.trim_start_matches(['-', '#']).trim_start();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        let number = index as u32 + 1;
        let trailing = !line.get(..start).unwrap_or("").trim().is_empty();
        let target = if trailing {
            None
        } else {
            lines
                .iter()
                .enumerate()
                .skip(index + 1)
                .find(|(_, l)| !is_comment_only(l))
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, _)| i as u32 + 1)
        };
        let (suppression, problem) = read_directive(rest, number);
        found.push(Directive {
            suppression,
            trailing,
            target,
            problem,
        });
    }
    found
}

/// Reads `allow a, b -- reason` (the text after the marker).
fn read_directive(rest: &str, line: u32) -> (Suppression, Option<String>) {
    let (head, reason) = match rest.split_once("--") {
        Some((head, reason)) => (head, Some(reason.trim())),
        None => (rest, None),
    };
    let reason = reason.filter(|r| !r.is_empty()).map(str::to_string);
    let head = head.trim();
    let (verb, names) = head.split_once(char::is_whitespace).unwrap_or((head, ""));
    let rules: Vec<String> = names
        .split([',', ' ', '\t'])
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    let file_level = verb == "allow-file";
    let mut problem = None;
    if verb != "allow" && !file_level {
        problem = Some(format!(
            "`{MARKER} {verb}` is not a directive: write `allow RULE -- reason` or `allow-file RULE -- reason`."
        ));
    } else if rules.is_empty() {
        problem = Some(format!("`{MARKER} {verb}` names no rule."));
    }
    let suppression = Suppression {
        line,
        rules: if problem.is_some() { Vec::new() } else { rules },
        reason,
        file_level,
    };
    (suppression, problem)
}

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
            Some(found) if !config.runs_unconfigured(found) => None,
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
    use crate::ops::{ColumnDef, OpKind};
    use crate::rules::testing::{analysis, migration, op_at};

    #[test]
    fn parses_sql_and_python_comments() {
        let text = "\
-- balrog-schema-lint: allow drop-column, rename-column -- unused since v4.10
ALTER TABLE rules DROP COLUMN a;
op.drop_column('rules', 'b')  # balrog-schema-lint: allow drop-column
-- balrog-schema-lint: allow-file drop-table -- archived
SELECT '-- balrog-schema-lint: allow drop-table -- in a string';
-- a comment that is not a directive
";
        let parsed = parse(text);
        assert_eq!(
            parsed,
            vec![
                Suppression {
                    line: 1,
                    rules: vec!["drop-column".into(), "rename-column".into()],
                    reason: Some("unused since v4.10".into()),
                    file_level: false,
                },
                Suppression {
                    line: 3,
                    rules: vec!["drop-column".into()],
                    reason: None,
                    file_level: false,
                },
                Suppression {
                    line: 4,
                    rules: vec!["drop-table".into()],
                    reason: Some("archived".into()),
                    file_level: true,
                },
            ]
        );
    }

    #[test]
    fn targets_skip_the_comment_block_but_not_blank_lines() {
        let text = "\
-- balrog-schema-lint: allow drop-column -- r
-- more words
ALTER TABLE t DROP COLUMN a;
-- balrog-schema-lint: allow drop-column -- r

ALTER TABLE t DROP COLUMN b;
ALTER TABLE t DROP COLUMN c; -- balrog-schema-lint: allow drop-column -- r
";
        let found = directives(text);
        let targets: Vec<(Option<u32>, bool)> =
            found.iter().map(|d| (d.target, d.trailing)).collect();
        assert_eq!(targets, [(Some(3), false), (None, false), (None, true)]);
    }

    #[test]
    fn malformed_directives_are_problems() {
        let found = directives(
            "-- balrog-schema-lint: alow drop-column -- r\n-- balrog-schema-lint: allow -- r\n",
        );
        assert!(found[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("not a directive"));
        assert!(found[1]
            .problem
            .as_deref()
            .unwrap()
            .contains("names no rule"));
    }

    fn drop_at(line: u32, source: &str) -> crate::ops::Operation {
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
        ops: Vec<crate::ops::Operation>,
        config: &Config,
    ) -> Vec<(String, Option<u32>)> {
        let mut a = analysis(
            crate::ops::Dialect::Mysql,
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
            crate::ops::Dialect::Mysql,
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
            crate::ops::Dialect::Mysql,
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

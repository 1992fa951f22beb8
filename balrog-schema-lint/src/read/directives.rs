//! Inline suppression comments: `balrog-schema-lint: allow RULE[, RULE] -- reason` in a
//! `--` (SQL) or `#` (Python, MySQL) comment on a statement's line or in the comment block
//! directly above it, and `balrog-schema-lint: allow-file RULE -- reason` anywhere in a file.
//! Reading them is text work; `lint::suppress` applies them to the findings.

use crate::model::ops::Suppression;

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
#[cfg_attr(not(feature = "internals"), allow(dead_code))] // fuzz targets, benches, tests
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

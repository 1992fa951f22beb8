//! Inline suppressions in Python comments: `# balrog-schema-lint: allow RULE[, RULE] -- reason`
//! applies to the next statement, `allow-file` to the whole file.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;

use crate::model::ops::Suppression;

const MARKER: &str = "balrog-schema-lint:";

/// Every suppression comment in the file, from the parser's comment tokens (so that text
/// inside strings is never mistaken for a comment).
pub(crate) fn suppressions(
    source: &str,
    parsed: &Parsed<ModModule>,
    lines: &LineIndex,
) -> Vec<Suppression> {
    parsed
        .tokens()
        .iter()
        .filter(|t| t.kind() == TokenKind::Comment)
        .filter_map(|t| {
            let text = source.get(t.start().to_usize()..t.end().to_usize())?;
            let line = u32::try_from(lines.line_index(t.start()).get()).ok()?;
            parse_comment(text, line)
        })
        .collect()
}

/// Parses one comment, `#` included.
fn parse_comment(comment: &str, line: u32) -> Option<Suppression> {
    let body = comment.trim_start_matches('#').trim();
    let rest = body.strip_prefix(MARKER)?.trim_start();
    let (file_level, rest) = if let Some(r) = rest.strip_prefix("allow-file") {
        (true, r)
    } else {
        (false, rest.strip_prefix("allow")?)
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let (rules_text, reason) = match rest.split_once("--") {
        Some((r, why)) => (r, Some(why.trim().to_string()).filter(|w| !w.is_empty())),
        None => (rest, None),
    };
    let rules: Vec<String> = rules_text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    if rules.is_empty() {
        return None;
    }
    Some(Suppression {
        line,
        rules,
        reason,
        file_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_reason() {
        let s = parse_comment(
            "# balrog-schema-lint: allow drop-column, rename -- done in two steps",
            4,
        );
        assert_eq!(
            s,
            Some(Suppression {
                line: 4,
                rules: vec!["drop-column".into(), "rename".into()],
                reason: Some("done in two steps".into()),
                file_level: false,
            })
        );
        let f = parse_comment("#balrog-schema-lint: allow-file add-not-null", 1);
        assert_eq!(f.map(|s| (s.file_level, s.reason)), Some((true, None)));
    }

    #[test]
    fn ignores_other_comments() {
        assert_eq!(parse_comment("# just a note", 1), None);
        assert_eq!(parse_comment("# balrog-schema-lint: allowed", 1), None);
        assert_eq!(
            parse_comment("# balrog-schema-lint: allow -- no rule", 1),
            None
        );
    }

    #[test]
    fn reads_comment_tokens_only() {
        let src =
            "x = '# balrog-schema-lint: allow a'\n# balrog-schema-lint: allow b -- why\ny = 1\n";
        let parsed =
            ruff_python_parser::parse_unchecked_source(src, ruff_python_ast::PySourceType::Python);
        let lines = LineIndex::from_source_text(src);
        let found = suppressions(src, &parsed, &lines);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].rules, vec!["b".to_string()]);
    }
}

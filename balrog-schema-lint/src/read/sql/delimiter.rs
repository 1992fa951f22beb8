//! MySQL client `DELIMITER` lines.
//!
//! `DELIMITER $$` is a command of the mysql client, not SQL: it changes what ends a
//! statement until the next `DELIMITER` line. The parser already keeps `BEGIN ... END`
//! bodies whole, so it is enough to blank the directive lines and turn the custom
//! delimiter back into `;`. Replacements keep every line and column where it was, so the
//! lines reported stay those of the original file.

use std::borrow::Cow;

/// Rewrites `sql` so that it no longer uses `DELIMITER` directives.
pub(crate) fn rewrite_delimiters(sql: &str) -> Cow<'_, str> {
    if !contains_ignore_case(sql, "delimiter") {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut custom: Option<&str> = None;
    let mut changed = false;
    for line in sql.split_inclusive('\n') {
        if let Some(new) = directive(line) {
            out.extend(
                line.chars()
                    .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
            );
            custom = (new != ";").then_some(new);
            changed = true;
            continue;
        }
        match custom {
            Some(delim) => {
                let mut rest = line;
                while let Some(at) = rest.find(delim) {
                    out.push_str(rest.get(..at).unwrap_or_default());
                    out.push(';');
                    out.extend(std::iter::repeat_n(' ', delim.chars().count() - 1));
                    rest = rest.get(at + delim.len()..).unwrap_or_default();
                }
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(sql)
    }
}

/// The new delimiter if `line` is a `DELIMITER x` directive.
fn directive(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let keyword = trimmed.get(..9)?;
    if !keyword.eq_ignore_ascii_case("delimiter") {
        return None;
    }
    let rest = trimmed.get(9..)?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    rest.split_whitespace().next()
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_directive_borrows() {
        assert!(matches!(
            rewrite_delimiters("SELECT 1;"),
            Cow::Borrowed("SELECT 1;")
        ));
    }

    #[test]
    fn directive_lines_blanked_and_delimiter_replaced() {
        let sql = "DELIMITER $$\nCREATE TRIGGER t BEGIN SET x = 1; END$$\nDELIMITER ;\nSELECT 1;\n";
        let out = rewrite_delimiters(sql);
        assert_eq!(
            out,
            "            \nCREATE TRIGGER t BEGIN SET x = 1; END; \n           \nSELECT 1;\n"
        );
        assert_eq!(out.len(), sql.len());
    }

    #[test]
    fn word_starting_with_delimiter_is_not_a_directive() {
        assert_eq!(directive("DELIMITERS x"), None);
        assert_eq!(directive("  delimiter //"), Some("//"));
        assert_eq!(directive("DELIMITER"), None);
    }
}

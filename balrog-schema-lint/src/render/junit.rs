//! JUnit XML rendering, for CI systems that show test results but nothing else.
//!
//! One test suite per run: a test case per migration (failed when it has an error-severity
//! finding) and a test case per finding (failed when the finding is an error; warnings and
//! infos pass and carry their text in `system-out`).

use std::fmt::Write;

use crate::model::finding::{Finding, Severity};
use crate::report::Report;

/// Escapes text for an XML attribute value. Characters XML 1.0 cannot carry at all (most
/// control characters) are replaced, and whitespace is kept as character references so that
/// parsers do not normalise line breaks to spaces.
pub(crate) fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// Escapes text for XML element content, where line breaks and tabs may stay as they are.
pub(crate) fn escape_content(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            // A bare carriage return is read back as a line feed, in content too.
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// The characters XML 1.0 allows (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{a}' | '\u{d}' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

fn location(f: &Finding) -> String {
    match (&f.path, f.line) {
        (Some(path), Some(line)) => format!("{path}:{line}"),
        (Some(path), None) => path.clone(),
        _ => "release".to_string(),
    }
}

fn finding_text(f: &Finding) -> String {
    let mut text = format!(
        "{}[{}] {}\n{}\nhelp: {}",
        f.severity.name(),
        f.rule,
        location(f),
        f.message,
        f.help
    );
    if let Some(diff) = &f.diff {
        text.push('\n');
        text.push_str(diff);
    }
    text
}

struct Case {
    classname: &'static str,
    name: String,
    /// (message, body) of the failure, if it failed.
    failure: Option<(String, String)>,
    output: Option<String>,
}

fn cases(report: &Report) -> Vec<Case> {
    let mut cases = Vec::new();
    for m in &report.migrations {
        let errors: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.path.as_deref() == Some(&m.path))
            .collect();
        let failure = if errors.is_empty() {
            None
        } else {
            let rules: Vec<&str> = errors.iter().map(|f| f.rule.as_str()).collect();
            let body: Vec<String> = errors.iter().map(|f| finding_text(f)).collect();
            Some((rules.join(", "), body.join("\n\n")))
        };
        let ops: Vec<String> = m
            .operations
            .iter()
            .map(|o| format!("{:>5}  {}  {}", o.line, o.description, o.direction.name()))
            .collect();
        cases.push(Case {
            classname: "balrog-schema-lint.migrations",
            name: m.path.clone(),
            failure,
            output: (!ops.is_empty()).then(|| ops.join("\n")),
        });
    }
    for f in &report.findings {
        let name = format!("{} at {}", f.rule, location(f));
        let (failure, output) = if f.severity == Severity::Error {
            (Some((f.message.clone(), finding_text(f))), None)
        } else {
            (None, Some(finding_text(f)))
        };
        cases.push(Case {
            classname: "balrog-schema-lint.findings",
            name,
            failure,
            output,
        });
    }
    cases
}

/// The report as a JUnit XML document.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let xml = balrog_schema_lint::render::junit::render(&report);
/// assert!(xml.starts_with("<?xml"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render(report: &Report) -> String {
    let cases = cases(report);
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    let suite = format!("balrog-schema-lint {}..{}", report.from.rev, report.to.rev);
    let mut out = String::new();
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        out,
        "<testsuites name=\"balrog-schema-lint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        escape(&suite),
        cases.len()
    );
    let _ = writeln!(out, "    <properties>");
    for (name, value) in [
        ("verdict", report.verdict.name()),
        ("summary", report.summary.as_str()),
        ("from", report.from.commit.as_str()),
        ("to", report.to.commit.as_str()),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            escape(value)
        );
    }
    let _ = writeln!(out, "    </properties>");
    for case in &cases {
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            case.classname,
            escape(&case.name)
        );
        if case.failure.is_none() && case.output.is_none() {
            let _ = writeln!(out, "{open}/>");
            continue;
        }
        let _ = writeln!(out, "{open}>");
        if let Some((message, body)) = &case.failure {
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"error\">{}</failure>",
                escape(message),
                escape_content(body)
            );
        }
        if let Some(output) = &case.output {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape_content(output)
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    let _ = writeln!(out, "  </testsuite>");
    let _ = writeln!(out, "</testsuites>");
    out
}

#[cfg(test)]
mod tests {
    use quick_xml::events::Event;
    use quick_xml::Reader;

    use super::*;
    use crate::report::fixtures;

    #[test]
    fn destructive_release_snapshot() {
        insta::assert_snapshot!("junit_destructive", render(&fixtures::destructive()));
    }

    #[test]
    fn mixed_release_snapshot() {
        insta::assert_snapshot!("junit_mixed", render(&fixtures::mixed()));
    }

    /// What a JUnit consumer reads: attribute counts, test cases, failures, and the text of
    /// the first failure (unescaped).
    struct Parsed {
        suite_tests: usize,
        suite_failures: usize,
        testcases: Vec<String>,
        failures: usize,
        failure_texts: Vec<String>,
    }

    fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> String {
        let attr = e
            .try_get_attribute(name)
            .expect("well-formed attribute")
            .unwrap_or_else(|| panic!("missing {name}"));
        attr.unescape_value().expect("valid escape").into_owned()
    }

    fn parse(xml: &str) -> Parsed {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut parsed = Parsed {
            suite_tests: 0,
            suite_failures: 0,
            testcases: Vec::new(),
            failures: 0,
            failure_texts: Vec::new(),
        };
        let mut depth = 0i32;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e)
                    if e.name().as_ref() == b"testsuite" || e.name().as_ref() == b"testcase" =>
                {
                    if e.name().as_ref() == b"testsuite" {
                        parsed.suite_tests = attribute(&e, "tests").parse().unwrap();
                        parsed.suite_failures = attribute(&e, "failures").parse().unwrap();
                        depth += 1;
                    } else {
                        parsed.testcases.push(attribute(&e, "name"));
                    }
                }
                Event::Start(e) if e.name().as_ref() == b"failure" => {
                    parsed.failures += 1;
                    assert!(!attribute(&e, "message").is_empty());
                    let raw = reader.read_text(e.name()).expect("closed failure");
                    let text = quick_xml::escape::unescape(&raw).expect("valid text");
                    parsed.failure_texts.push(text.into_owned());
                }
                Event::End(e) if e.name().as_ref() == b"testsuite" => depth -= 1,
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0, "every suite is closed");
        parsed
    }

    #[test]
    fn destructive_release_parses_back() {
        let report = fixtures::destructive();
        let parsed = parse(&render(&report));
        assert_eq!(
            parsed.suite_tests,
            report.migrations.len() + report.findings.len()
        );
        assert_eq!(parsed.testcases.len(), parsed.suite_tests);
        assert_eq!(parsed.failures, 0, "warnings do not fail");
        assert_eq!(parsed.suite_failures, 0);
        assert_eq!(parsed.testcases[0], "migrations/0041_drop_rules_legacy.sql");
        assert_eq!(
            parsed.testcases[3],
            "drop-column at migrations/0041_drop_rules_legacy.sql:2"
        );
    }

    #[test]
    fn errors_fail_and_text_round_trips() {
        let mut report = fixtures::mixed();
        report.findings[1].severity = Severity::Error;
        report.findings[1].message.push_str(" \u{1b}]]>");
        let parsed = parse(&render(&report));
        // The release-wide error and the drop-table error (and its migration) fail.
        assert_eq!(parsed.failures, 3);
        assert_eq!(parsed.suite_failures, 3);
        assert_eq!(parsed.suite_tests, 5);
        let text = &parsed.failure_texts;
        assert!(
            text.iter().any(|t| t
                .contains("<all> of them & \"forever\".\nRows | columns are gone. \u{fffd}]]>")),
            "{text:?}"
        );
    }

    #[test]
    fn escape_covers_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c'\u{0}\n"),
            "a&lt;b&gt;&amp;&quot;c'\u{fffd}&#10;"
        );
        assert_eq!(escape_content("a\"b\n\r]]>"), "a\"b\n&#13;]]&gt;");
    }
}

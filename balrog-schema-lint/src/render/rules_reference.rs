//! The rule reference page, `docs/rules.md`, generated from the registry.

use crate::rules::all;

/// The Markdown of `docs/rules.md`: a table of every rule, then each rule's documentation.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n\
         <!-- Generated from the rule registry by `rules::reference_markdown()`; do not edit.\n     \
         Regenerate with `UPDATE_RULES_DOC=1 cargo test -p balrog-schema-lint rules_doc`. -->\n\n\
         Every finding names one of these rules. Set a rule's severity, or turn it off, under\n\
         `[rules]` in `balrog-schema-lint.toml` (`off`, `info`, `warning`, `error`); suppress a\n\
         single finding with `-- balrog-schema-lint: allow RULE -- reason` on or directly above\n\
         the statement (`#` in Python), or a whole file with `allow-file`.\n\n\
         | Rule | Category | Default severity | Summary |\n\
         |---|---|---|---|\n",
    );
    for rule in all() {
        let severity = if rule.enabled_by_default {
            rule.default_severity.name().to_string()
        } else {
            format!("off ({} when on)", rule.default_severity.name())
        };
        out.push_str(&format!(
            "| [`{name}`](#{name}) | {} | {severity} | {} |\n",
            rule.category.name(),
            rule.summary,
            name = rule.name,
        ));
    }
    for rule in all() {
        out.push_str(&format!("\n## {}\n\n", rule.name));
        out.push_str(&format!(
            "Category: {}. Default severity: {}{}.\n\n",
            rule.category.name(),
            rule.default_severity.name(),
            if rule.enabled_by_default {
                ""
            } else {
                " (off unless configured)"
            }
        ));
        for line in rule.doc.trim_end().lines() {
            if line.starts_with("## ") {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
        let expected = reference_markdown();
        if std::env::var_os("UPDATE_RULES_DOC").is_some() {
            std::fs::write(path, &expected).expect("writing docs/rules.md");
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == expected,
            "docs/rules.md is out of date with the rule registry; regenerate it with \
             `UPDATE_RULES_DOC=1 cargo test -p balrog-schema-lint rules_doc`"
        );
    }

    #[test]
    fn every_rule_has_a_section() {
        let page = reference_markdown();
        for rule in all() {
            assert!(
                page.contains(&format!("\n## {}\n", rule.name)),
                "{}",
                rule.name
            );
        }
        assert!(page.contains("### What it does"));
    }
}

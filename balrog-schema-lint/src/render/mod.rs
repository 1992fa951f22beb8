//! Renderers: a report (or a history, a schema difference, the rule catalogue) as text,
//! JSON, SARIF, GitHub workflow commands, Markdown, GitLab Code Quality or JUnit XML. Only
//! the top of the crate (the library's re-exports, the CLI) uses them; no stage does.

mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod history;
pub mod json;
pub mod junit;
pub mod markdown;
#[cfg(test)]
mod rules_reference;
pub mod sarif;
pub mod schema_diff;
pub mod text;

/// Items joined with commas, or `(none)`: the file lists of a split release.
pub(crate) fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

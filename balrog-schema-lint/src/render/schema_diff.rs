//! The schema difference as text: the schema at `TO`, then a unified diff from `FROM`.

use crate::report::SchemaDiff;

/// The schema at `TO`, then the unified diff from `FROM`.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// };
/// let diff = balrog_schema_lint::schema_diff(&request)?;
/// let text = balrog_schema_lint::render::schema_diff::render_schema_diff(&diff);
/// assert!(text.starts_with("-- schema at v3.41"));
/// assert!(text.contains("-legacy_flag") || text.contains("legacy_flag"));
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render_schema_diff(diff: &SchemaDiff) -> String {
    let mut out = format!("-- schema at {}\n{}\n", diff.to, diff.to_ddl);
    if diff.from_ddl == diff.to_ddl {
        out.push_str(&format!(
            "-- no schema difference between {} and {}\n",
            diff.from, diff.to
        ));
    } else {
        let unified = similar::TextDiff::from_lines(&diff.from_ddl, &diff.to_ddl)
            .unified_diff()
            .context_radius(3)
            .header(&diff.from, &diff.to)
            .to_string();
        out.push_str(&format!(
            "-- difference from {} to {}\n{unified}",
            diff.from, diff.to
        ));
    }
    out
}

//! The schema difference as text: the schema at `TO`, then a unified diff from `FROM`.

use crate::report::SchemaDiff;

/// The schema at `TO`, then the unified diff from `FROM`.
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

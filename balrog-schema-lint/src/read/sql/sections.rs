//! Migration tools that keep the up and the down script in one file: dbmate
//! (`-- migrate:up` / `-- migrate:down`) and goose (`-- +goose Up` / `-- +goose Down`, with
//! `-- +goose StatementBegin` / `StatementEnd` around statements that hold semicolons).
//!
//! Only the up section is an upgrade. Every other line is blanked, not removed, so that the
//! lines reported stay those of the file.

use std::borrow::Cow;

/// Which tool's section markers a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sections {
    /// `-- migrate:up` / `-- migrate:down`.
    Dbmate,
    /// `-- +goose Up` / `-- +goose Down`.
    Goose,
}

/// What a marker line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Up,
    Down,
    /// Another directive of the tool (goose's `StatementBegin`, `NO TRANSACTION`): a comment
    /// to the SQL reader, kept blank.
    Other,
}

fn marker(line: &str, sections: Sections) -> Option<Marker> {
    let rest = line.trim().strip_prefix("--")?.trim_start();
    match sections {
        Sections::Dbmate => {
            let command = rest.strip_prefix("migrate:")?;
            let word = command.split_whitespace().next().unwrap_or("");
            Some(match word.to_ascii_lowercase().as_str() {
                "up" => Marker::Up,
                "down" => Marker::Down,
                _ => Marker::Other,
            })
        }
        Sections::Goose => {
            let command = rest.strip_prefix("+goose")?.trim();
            Some(match command.to_ascii_lowercase().as_str() {
                "up" => Marker::Up,
                "down" => Marker::Down,
                _ => Marker::Other,
            })
        }
    }
}

/// The up section of a file, with every other line blank. A file with no up marker is read
/// whole: reading too much can only make a release look less safe, never safer.
pub fn up_section(text: &str, sections: Sections) -> Cow<'_, str> {
    if !text
        .lines()
        .any(|line| marker(line, sections) == Some(Marker::Up))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_up = false;
    for line in text.split_inclusive('\n') {
        let keep = match marker(line, sections) {
            Some(Marker::Up) => {
                in_up = true;
                false
            }
            Some(Marker::Down) => {
                in_up = false;
                false
            }
            Some(Marker::Other) => false,
            None => in_up,
        };
        if keep {
            out.push_str(line);
        } else if line.ends_with("\r\n") {
            out.push_str("\r\n");
        } else if line.ends_with('\n') {
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbmate_keeps_only_the_up_section_on_its_lines() {
        let text = "-- migrate:up\nALTER TABLE t ADD COLUMN c INT;\n\n-- migrate:down\nALTER TABLE t DROP COLUMN c;\n";
        assert_eq!(
            up_section(text, Sections::Dbmate),
            "\nALTER TABLE t ADD COLUMN c INT;\n\n\n\n"
        );
        // Down first, options after the marker.
        let text = "-- migrate:down\nDROP TABLE t;\n-- migrate:up transaction:false\nCREATE TABLE t (id INT);\n";
        assert_eq!(
            up_section(text, Sections::Dbmate),
            "\n\n\nCREATE TABLE t (id INT);\n"
        );
    }

    #[test]
    fn goose_blanks_down_and_directives() {
        let text = "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION f;\n";
        assert_eq!(
            up_section(text, Sections::Goose),
            "\n\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\n\n\n\n"
        );
        assert_eq!(
            up_section(
                "-- +goose up\r\nSELECT 1;\r\n-- +goose down\r\nSELECT 2;\r\n",
                Sections::Goose
            ),
            "\r\nSELECT 1;\r\n\r\n\r\n"
        );
    }

    #[test]
    fn files_without_an_up_marker_are_read_whole() {
        let text = "ALTER TABLE t DROP COLUMN c;\n";
        assert_eq!(up_section(text, Sections::Goose), text);
        assert_eq!(up_section(text, Sections::Dbmate), text);
    }
}

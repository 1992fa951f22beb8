//! Just enough lexing to tell code from comments and string literals: per language, where
//! comments and strings start and end. No parser: a name inside a comment must not count,
//! and a name inside a string counts differently from one in code.

/// The languages the search tells apart, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Python,
    /// JavaScript and TypeScript.
    JavaScript,
    Rust,
    Go,
    /// Java, Kotlin, Scala, C#, C and C++: `//` and `/* */` comments, `"` strings.
    CLike,
    Ruby,
    Sql,
    Prisma,
    /// HTML and templates: comments only; quotes in markup are prose or attributes.
    Markup,
    /// YAML, TOML, INI, shell: `#` comments.
    Config,
    /// Anything else: searched as plain text.
    Other,
}

impl Language {
    /// The language of a file, from its extension.
    pub(crate) fn of(path: &str) -> Language {
        let name = path.rsplit('/').next().unwrap_or(path);
        let extension = name.rsplit_once('.').map_or("", |(_, ext)| ext);
        match extension.to_ascii_lowercase().as_str() {
            "py" | "pyi" => Language::Python,
            "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" => Language::JavaScript,
            "rs" => Language::Rust,
            "go" => Language::Go,
            "java" | "kt" | "kts" | "scala" | "cs" | "c" | "h" | "cc" | "cpp" | "hpp" | "swift" => {
                Language::CLike
            }
            "rb" | "rake" => Language::Ruby,
            "sql" => Language::Sql,
            "prisma" => Language::Prisma,
            "html" | "htm" | "jinja" | "jinja2" | "j2" | "erb" | "vue" | "svelte" | "xml"
            | "jsp" | "hbs" | "mustache" => Language::Markup,
            "yml" | "yaml" | "toml" | "ini" | "cfg" | "conf" | "sh" | "bash" | "env" => {
                Language::Config
            }
            _ => Language::Other,
        }
    }

    fn line_comments(self) -> &'static [&'static str] {
        match self {
            Language::Python | Language::Ruby | Language::Config => &["#"],
            Language::JavaScript
            | Language::Rust
            | Language::Go
            | Language::CLike
            | Language::Prisma => &["//"],
            Language::Sql => &["--"],
            Language::Markup | Language::Other => &[],
        }
    }

    fn block_comments(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Language::JavaScript
            | Language::Rust
            | Language::Go
            | Language::CLike
            | Language::Sql => &[("/*", "*/")],
            Language::Markup => &[("<!--", "-->"), ("{#", "#}"), ("{{!--", "--}}")],
            Language::Ruby => &[("\n=begin", "\n=end")],
            Language::Python | Language::Prisma | Language::Config | Language::Other => &[],
        }
    }

    /// String delimiters, longest first: (opening and closing quote, may span lines, raw).
    fn quotes(self) -> &'static [(&'static str, bool, bool)] {
        match self {
            Language::Python => &[
                ("\"\"\"", true, false),
                ("'''", true, false),
                ("\"", false, false),
                ("'", false, false),
            ],
            Language::JavaScript => &[("`", true, false), ("\"", false, false), ("'", false, false)],
            Language::Rust | Language::CLike | Language::Prisma => &[("\"", true, false)],
            Language::Go => &[("`", true, true), ("\"", false, false)],
            Language::Ruby | Language::Config => &[("\"", false, false), ("'", false, false)],
            Language::Sql => &[("'", true, false), ("\"", true, false), ("`", true, false)],
            Language::Markup | Language::Other => &[],
        }
    }

    /// Whether `'x'` is a character literal (and a lone `'` a lifetime or label).
    fn has_char_literals(self) -> bool {
        matches!(self, Language::Rust | Language::Go | Language::CLike)
    }
}

/// What a stretch of a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpanKind {
    Comment,
    /// A string literal opened by `quote` (its first byte); the span is its content.
    String { quote: u8 },
}

/// A comment or the content of a string literal, as byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: SpanKind,
}

/// The comments and string literals of `text`, in order; everything between is code.
/// Unterminated strings and comments run to the end of their line (single-line strings) or
/// of the file, so a stray quote cannot hide more than it must.
pub(crate) fn spans(text: &str, language: Language) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if let Some(open) = language
            .line_comments()
            .iter()
            .find(|open| rest.starts_with(**open))
        {
            let end = rest.find('\n').map_or(bytes.len(), |n| i + n);
            spans.push(Span {
                start: i + open.len(),
                end,
                kind: SpanKind::Comment,
            });
            i = end;
            continue;
        }
        if let Some((open, close)) = language
            .block_comments()
            .iter()
            .find(|(open, _)| rest.starts_with(open) || at_file_start(i, rest, open))
        {
            let start = i + if rest.starts_with(open) {
                open.len()
            } else {
                open.len() - 1
            };
            let end = text[start..].find(close).map_or(bytes.len(), |n| start + n);
            spans.push(Span {
                start,
                end,
                kind: SpanKind::Comment,
            });
            i = (end + close.len()).min(bytes.len());
            continue;
        }
        if language.has_char_literals() && bytes[i] == b'\'' {
            i = skip_char_literal(text, i);
            continue;
        }
        if let Some((quote, open, multiline, raw)) = opening_quote(rest, language) {
            let start = i + open;
            let (end, after) = string_end(text, start, quote, multiline, raw);
            spans.push(Span {
                start,
                end,
                kind: SpanKind::String {
                    quote: quote.as_bytes()[0],
                },
            });
            i = after;
            continue;
        }
        // Step over a whole identifier, so that `r"` is only raw at the start of a word.
        if bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    spans
}

/// Whether a block comment that opens at the start of a line (`\n=begin`) opens at the
/// start of the file.
fn at_file_start(i: usize, rest: &str, open: &str) -> bool {
    i == 0
        && open
            .strip_prefix('\n')
            .is_some_and(|open| rest.starts_with(open))
}

/// The quote opening a string at the start of `rest`: (closing quote, bytes before the
/// content, may span lines, raw). Handles Rust raw strings `r#"..."#`.
fn opening_quote(rest: &str, language: Language) -> Option<(&'static str, usize, bool, bool)> {
    if language == Language::Rust && rest.starts_with('r') {
        let hashes = rest[1..].bytes().take_while(|b| *b == b'#').count();
        if rest[1 + hashes..].starts_with('"') {
            let close = RAW_CLOSERS.get(hashes).copied()?;
            return Some((close, 2 + hashes, true, true));
        }
    }
    language
        .quotes()
        .iter()
        .find(|(quote, _, _)| rest.starts_with(quote))
        .map(|(quote, multiline, raw)| (*quote, quote.len(), *multiline, *raw))
}

/// Closing quotes of Rust raw strings by the number of `#`.
const RAW_CLOSERS: [&str; 4] = ["\"", "\"#", "\"##", "\"###"];

/// Where the string whose content starts at `start` ends: (end of content, after the
/// closing quote).
fn string_end(text: &str, start: usize, quote: &str, multiline: bool, raw: bool) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        if !raw && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == b'\n' && !multiline {
            return (i, i);
        }
        if bytes[i..].starts_with(quote.as_bytes()) {
            return (i, i + quote.len());
        }
        i += 1;
    }
    (bytes.len(), bytes.len())
}

/// After a `'` at `at` in a language with character literals: past `'x'` or `'\n'`, or just
/// past the `'` of a lifetime or label.
fn skip_char_literal(text: &str, at: usize) -> usize {
    let rest = &text[at + 1..];
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, '\\')) => rest
            .get(1..)
            .and_then(|r| r.char_indices().take(10).find(|(_, c)| *c == '\''))
            .map_or(at + 1, |(n, _)| at + 1 + 1 + n + 1),
        Some((_, c)) if c != '\'' => match chars.next() {
            Some((n, '\'')) => at + 1 + n + 1,
            _ => at + 1,
        },
        _ => at + 1,
    }
}

/// The span containing byte `at`, if any (`spans` in order, as [`spans`] returns them).
pub(crate) fn span_at(spans: &[Span], at: usize) -> Option<&Span> {
    let index = spans.partition_point(|s| s.start <= at);
    let span = spans.get(index.checked_sub(1)?)?;
    (at < span.end).then_some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each span, tagged `#` for a comment and the quote for a string.
    fn lex(text: &str, language: Language) -> Vec<String> {
        spans(text, language)
            .iter()
            .map(|s| {
                let tag = match s.kind {
                    SpanKind::Comment => '#',
                    SpanKind::String { quote } => quote as char,
                };
                format!("{tag}{}", &text[s.start..s.end])
            })
            .collect()
    }

    #[test]
    fn python_comments_and_strings() {
        assert_eq!(
            lex(
                "x = 'a#b'  # note \"q\"\ns = \"\"\"SELECT\nc\"\"\" + r\"\\d\" + \"it's\"\n",
                Language::Python
            ),
            ["'a#b", "# note \"q\"", "\"SELECT\nc", "\"\\d", "\"it's"]
        );
        // An unterminated single-line string stops at the end of its line.
        assert_eq!(lex("a = 'oops\nb = 1 # c\n", Language::Python), ["'oops", "# c"]);
    }

    #[test]
    fn c_like_comments_strings_and_char_literals() {
        assert_eq!(
            lex(
                "let q = \"a // b\"; // c\n/* d\n e */ let x: &'a str = '\"'; r#\"e\"f\"#",
                Language::Rust
            ),
            ["\"a // b", "# c", "# d\n e ", "\"e\"f"]
        );
        assert_eq!(
            lex("s := `db:\"x\"` // y\nc := 'a'", Language::Go),
            ["`db:\"x\"", "# y"]
        );
        assert_eq!(
            lex("const a = `x ${y}`; // z\nb['k']", Language::JavaScript),
            ["`x ${y}", "# z", "'k"]
        );
    }

    #[test]
    fn sql_ruby_markup_and_other() {
        assert_eq!(
            lex("SELECT \"a\", `b` FROM t WHERE c = 'x' -- d\n/* e */", Language::Sql),
            ["\"a", "`b", "'x", "# d", "# e "]
        );
        assert_eq!(
            lex("=begin\nold\n=end\nx = :a # b", Language::Ruby),
            ["#\nold", "# b"]
        );
        assert_eq!(lex("<p>don't</p><!-- c -->", Language::Markup), ["# c "]);
        assert!(lex("a # b 'c'", Language::Other).is_empty());
    }

    #[test]
    fn finds_the_span_of_an_offset() {
        let text = "a 'bc' d";
        let found = spans(text, Language::Python);
        assert_eq!(span_at(&found, 3).map(|s| s.start), Some(3));
        assert_eq!(span_at(&found, 5), None, "the closing quote is code");
        assert_eq!(span_at(&found, 0), None);
        assert_eq!(Language::of("ui/app/x.min.js"), Language::JavaScript);
        assert_eq!(Language::of("Makefile"), Language::Other);
    }
}

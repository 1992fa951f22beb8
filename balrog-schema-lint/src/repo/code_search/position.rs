//! Where in the code a name occurs, and whether that place names a database object for
//! certain (an exact reference) or only shares its spelling (a word match).

use serde::{Deserialize, Serialize};

use super::syntax::{span_at, Language, Span, SpanKind};

/// The kind of place a name occurs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// In a string literal that reads as SQL, or in a SQL file outside the migrations.
    SqlText,
    /// A string literal holding exactly the name (or a column list or dotted path with
    /// it), passed or subscripted: `Column("x")`, `row["x"]`, `@map("x")`, a Go `db:"x"`
    /// tag.
    QuotedName,
    /// A SQLAlchemy column attribute: `table.c.x`, `table.columns.x`.
    ColumnAttribute,
    /// A model field declaration: `x = Column(...)`, `x = models.IntegerField(...)`,
    /// `x: Mapped[int] = mapped_column(...)`.
    ModelField,
    /// A keyword argument of an ORM query method: `.filter(x=1)`, `.values(x=1)`.
    OrmKeyword,
    /// A diesel `table!` entry: `x -> Integer,` or the table's own line.
    DieselTable,
    /// A Prisma schema field or model.
    PrismaField,
    /// A Ruby symbol or hash key in an ActiveRecord model or query: `:x`, `where(x: 1)`.
    RailsSymbol,
    /// The name as an identifier in code: a variable, attribute or key of the same name.
    Identifier,
    /// A string that is exactly the name but is not passed or subscripted: a dict key, an
    /// element of a list, a value compared with `==`.
    QuotedWord,
    /// The name as a word in a string that is not SQL: a message, a docstring, a form label.
    Text,
}

impl Position {
    /// Whether this place names the database object itself, so the code fails once it is
    /// gone.
    pub fn is_exact(self) -> bool {
        match self {
            Position::SqlText
            | Position::QuotedName
            | Position::ColumnAttribute
            | Position::ModelField
            | Position::OrmKeyword
            | Position::DieselTable
            | Position::PrismaField
            | Position::RailsSymbol => true,
            Position::Identifier | Position::QuotedWord | Position::Text => false,
        }
    }

    /// How reports describe the place.
    pub fn describe(self) -> &'static str {
        match self {
            Position::SqlText => "in SQL text",
            Position::QuotedName => "as a quoted name",
            Position::ColumnAttribute => "as a SQLAlchemy column attribute",
            Position::ModelField => "as a model field",
            Position::OrmKeyword => "as an ORM query keyword",
            Position::DieselTable => "in a diesel table! declaration",
            Position::PrismaField => "in the Prisma schema",
            Position::RailsSymbol => "as an ActiveRecord symbol",
            Position::Identifier => "as an identifier",
            Position::QuotedWord => "as a quoted word",
            Position::Text => "as a word in a string",
        }
    }
}

/// One file being searched: its lower-cased text, where its comments and strings are, and
/// what it is.
pub(crate) struct Source<'a> {
    pub(crate) path: &'a str,
    /// The text as written, for comparisons where case matters.
    pub(crate) text: &'a str,
    pub(crate) lower: &'a str,
    pub(crate) language: Language,
    pub(crate) spans: &'a [Span],
    /// Whether the file declares diesel tables (`table!`).
    pub(crate) diesel: bool,
}

/// Query methods whose keyword arguments are column names (Django, SQLAlchemy).
const ORM_METHODS: [&str; 14] = [
    "filter",
    "filter_by",
    "exclude",
    "get",
    "create",
    "update",
    "values",
    "values_list",
    "get_or_create",
    "update_or_create",
    "insert",
    "where",
    "order_by",
    "only",
];

/// Calls that declare a column on their right-hand side (lower-cased, as searched).
const COLUMN_CALLS: [&str; 7] = [
    "column(",
    "sa.column(",
    "db.column(",
    "sqlalchemy.column(",
    "mapped_column(",
    "orm.mapped_column(",
    "sa.orm.mapped_column(",
];

/// What the occurrence of a name (`name` as the migration spells it, `needle` lower-cased)
/// at byte `at` is, or `None` when it does not count: inside a comment, or a plain word
/// (`distinctive` false) where code does not name it.
pub(crate) fn classify(
    source: &Source<'_>,
    at: usize,
    name: &str,
    needle: &str,
    distinctive: bool,
) -> Option<Position> {
    let lower = source.lower;
    if source.language == Language::Rust && in_rust_test_module(source, at) {
        return None;
    }
    let position = match span_at(source.spans, at).map(|s| (s, s.kind)) {
        Some((_, SpanKind::Comment)) => return None,
        Some((span, SpanKind::String { .. })) if is_docstring(source, span.start) => {
            Position::Text
        }
        Some((span, SpanKind::String { quote })) => in_string(source, span, quote, name),
        None => in_code(source, at, needle),
    };
    let counts = distinctive
        || position.is_exact()
        || position == Position::QuotedWord
        || (position == Position::Identifier && names_in_code(lower, at, needle));
    counts.then_some(position)
}

/// Whether byte `at` of a Rust file is inside a `#[cfg(test)] mod name { ... }` block: test
/// code, like the files under `tests/`, never runs against production.
fn in_rust_test_module(source: &Source<'_>, at: usize) -> bool {
    let lower = source.lower;
    let mut before = &lower[..at];
    while let Some(attribute) = before.rfind("#[cfg(test)]") {
        before = &lower[..attribute];
        let mut after = lower[attribute + "#[cfg(test)]".len()..].trim_start();
        // Other attributes may follow (`#[expect(...)]`), and a visibility.
        while let Some(attribute) = after.strip_prefix("#[") {
            after = attribute
                .split_once(']')
                .map_or("", |(_, rest)| rest)
                .trim_start();
        }
        let after = after
            .strip_prefix("pub(crate) ")
            .or_else(|| after.strip_prefix("pub "))
            .unwrap_or(after);
        let Some(rest) = after.strip_prefix("mod ") else {
            continue;
        };
        let Some(open) = rest.find('{').filter(|&n| {
            rest[..n]
                .trim()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        }) else {
            continue;
        };
        let open = lower.len() - rest.len() + open;
        let mut depth = 0usize;
        for (offset, byte) in lower.as_bytes()[open..].iter().enumerate() {
            let here = open + offset;
            if !matches!(byte, b'{' | b'}') || span_at(source.spans, here).is_some() {
                continue;
            }
            if *byte == b'{' {
                depth += 1;
            } else {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at < here;
                }
            }
        }
        return true;
    }
    false
}

/// A Python triple-quoted string that opens a module or follows a `def` or `class` line
/// (nothing but `:` and whitespace before it): documentation, however SQL-like its prose.
fn is_docstring(source: &Source<'_>, content_start: usize) -> bool {
    let before = &source.lower[..content_start];
    let Some(opening) = before
        .strip_suffix("\"\"\"")
        .or_else(|| before.strip_suffix("'''"))
    else {
        return false;
    };
    source.language == Language::Python
        && opening
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .trim_end()
            .chars()
            .next_back()
            .is_none_or(|c| c == ':')
}

fn in_string(source: &Source<'_>, span: &Span, quote: u8, name: &str) -> Position {
    match source.language {
        // In SQL, a single-quoted string is a value; double quotes and backticks quote names.
        Language::Sql if quote == b'\'' => return Position::Text,
        Language::Sql => return Position::QuotedName,
        Language::Markup | Language::Config | Language::Other => return Position::Text,
        _ => {}
    }
    // Case matters here: `"Bracket"` is a label, `"bracket"` the column.
    let content = source.text.get(span.start..span.end).unwrap_or("");
    let passed = is_argument_or_key(source.lower, span.start);
    let names_it = is_name_list(content, name);
    if (passed && names_it) || has_struct_tag(content, name) {
        Position::QuotedName
    } else if names_it {
        Position::QuotedWord
    } else if looks_like_sql(&source.lower[span.start..span.end]) {
        Position::SqlText
    } else {
        Position::Text
    }
}

fn in_code(source: &Source<'_>, at: usize, needle: &str) -> Position {
    let lower = source.lower;
    let line_start = lower[..at].rfind('\n').map_or(0, |n| n + 1);
    let line_end = lower[at..].find('\n').map_or(lower.len(), |n| at + n);
    let before = &lower[line_start..at];
    let after = &lower[at + needle.len()..line_end];
    let starts_line = before.trim().is_empty();
    match source.language {
        Language::Sql => Position::SqlText,
        Language::Python => {
            if before.ends_with(".c.") || before.ends_with(".columns.") {
                Position::ColumnAttribute
            } else if starts_line && declares_field(source.path, after) {
                Position::ModelField
            } else if is_keyword_argument(after)
                && enclosing_call(lower, at).is_some_and(|call| ORM_METHODS.contains(&call))
            {
                Position::OrmKeyword
            } else {
                Position::Identifier
            }
        }
        Language::Rust if source.diesel && starts_line => {
            let rest = after.trim_start();
            if rest.starts_with("->") || (rest.starts_with('(') && rest.trim_end().ends_with('{'))
            {
                Position::DieselTable
            } else {
                Position::Identifier
            }
        }
        Language::Prisma => {
            let model = before.trim() == "model" || before.trim() == "enum";
            let field = starts_line && after.starts_with(|c: char| c.is_ascii_whitespace());
            if model || field {
                Position::PrismaField
            } else {
                Position::Identifier
            }
        }
        Language::Ruby => {
            let symbol = before.ends_with(':') && !before.ends_with("::");
            let key = after.starts_with(':') && !after.starts_with("::");
            let active_record = source.path.contains("app/models/")
                || [".where(", ".pluck(", ".order(", ".select(", "find_by("]
                    .iter()
                    .any(|call| before.contains(call));
            if (symbol || key) && active_record {
                Position::RailsSymbol
            } else {
                Position::Identifier
            }
        }
        Language::Rust
        | Language::JavaScript
        | Language::Go
        | Language::CLike
        | Language::Markup
        | Language::Config
        | Language::Other => Position::Identifier,
    }
}

/// `= models.BooleanField(...)`, `= Column(...)`, `: Mapped[bool] = mapped_column(...)`:
/// the right-hand side (after the name) declares a column. Django fields count in a models
/// module or with the `models.` prefix, so a form's `CharField` does not.
fn declares_field(path: &str, after: &str) -> bool {
    let Some((_, value)) = after.split_once('=') else {
        return false;
    };
    if value.starts_with('=') {
        return false;
    }
    let value = value.trim_start();
    let call = value.split('(').next().unwrap_or("");
    let models_module = path.ends_with("models.py") || path.contains("/models/");
    let django_field = call.ends_with("field")
        || call.ends_with("foreignkey")
        || call.ends_with(".jsonfield");
    COLUMN_CALLS.iter().any(|c| value.starts_with(c))
        || (call.starts_with("models.") && django_field)
        || (models_module && django_field && !call.starts_with("forms.") && value.contains('('))
}

/// Whether the string whose content starts at `start` is passed to a call (`Column("x")`,
/// `.get("x")`) or subscripts a value (`row["x"]`): not an element of a list, tuple or dict
/// literal, and not a value compared with `==`.
fn is_argument_or_key(lower: &str, start: usize) -> bool {
    let opening = start.saturating_sub(1);
    let Some((bracket, at)) = enclosing_bracket(lower, opening) else {
        return false;
    };
    let before = lower[..at].trim_end_matches(' ').bytes().next_back();
    let named = before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    match bracket {
        b'(' => named && !lower[..at].trim_end().ends_with(" in"),
        b'[' => named || matches!(before, Some(b')' | b']')),
        _ => false,
    }
}

/// The identifier at the start of `text`.
pub(super) fn identifier_prefix(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Whether a model (lower-cased class name) can be the table `table`: Django's
/// `app_model`, or the table named after the model, plural or not.
pub fn model_fits_table(model: &str, table: &str) -> bool {
    let table: String = table
        .to_ascii_lowercase()
        .chars()
        .filter(|c| *c != '_')
        .collect();
    let model: String = model.chars().filter(|c| *c != '_').collect();
    let model = model.trim_end_matches("table");
    !model.is_empty()
        && (table.ends_with(model)
            || table.ends_with(&format!("{model}s"))
            || table.ends_with(&format!("{model}es")))
}

/// `x=1` or `x__in=[...]` (a Django lookup), not `x == 1`.
fn is_keyword_argument(after: &str) -> bool {
    let after = after
        .strip_prefix("__")
        .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after)
        .trim_start();
    after.starts_with('=') && !after.starts_with("==")
}

/// The name of the call whose parentheses hold byte `at`: `filter` in
/// `Rule.objects.filter(\n    x=1)`.
fn enclosing_call(lower: &str, at: usize) -> Option<&str> {
    match enclosing_bracket(lower, at)? {
        (b'(', open) => {
            let head = &lower[..open];
            let name_start = head
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |n| n + 1);
            Some(&head[name_start..])
        }
        _ => None,
    }
}

/// The innermost unclosed bracket before byte `at`, and its offset. Looks back a bounded
/// distance; brackets inside strings count, which only matters when they do not balance.
pub(super) fn enclosing_bracket(lower: &str, at: usize) -> Option<(u8, usize)> {
    let start = at.saturating_sub(2000);
    let window = lower.as_bytes().get(start..at)?;
    let mut depth = 0usize;
    for (offset, byte) in window.iter().enumerate().rev() {
        match byte {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'(' | b'[' | b'{' => return Some((*byte, start + offset)),
            _ => {}
        }
    }
    None
}

/// Where a plain word counts in code: as an attribute (`sc.when`) or a keyword argument
/// (`when=3`), not as a local variable or in prose.
fn names_in_code(lower: &str, at: usize, needle: &str) -> bool {
    let after = lower
        .get(at + needle.len()..)
        .unwrap_or("")
        .split('\n')
        .next()
        .unwrap_or("");
    let attribute = lower[..at].ends_with('.') && !after.trim_start().starts_with('(');
    attribute || (is_keyword_argument(after) && enclosing_call(lower, at).is_some())
}

/// The string is the name, or a comma-separated list or dotted path of identifiers that
/// includes it: `"legacy_flag"`, `"rules.legacy_flag"`, `"id, legacy_flag"`.
fn is_name_list(content: &str, needle: &str) -> bool {
    let content = content.trim();
    content.len() <= 200
        && content
            .split([',', '.'])
            .map(|part| part.trim().trim_matches(['`', '"']))
            .try_fold(false, |found, part| {
                let identifier = !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
                identifier.then_some(found || part == needle)
            })
            .unwrap_or(false)
}

/// A Go struct tag naming the column: `db:"x"`, `gorm:"column:x"`.
fn has_struct_tag(content: &str, needle: &str) -> bool {
    content.contains(&format!("db:\"{needle}\""))
        || content.contains(&format!("db:\"{needle},"))
        || content.contains(&format!("column:{needle}"))
}

/// Whether a string reads as SQL. One keyword is not enough (`"Raised when an update
/// fails"`): it takes a statement's shape.
pub(super) fn looks_like_sql(content: &str) -> bool {
    let has = |word: &str| contains_word(content, word);
    (has("select") && has("from"))
        || has("insert into")
        || (has("update") && has("set"))
        || has("delete from")
        || has("alter table")
        || has("create table")
        || has("drop table")
        || has("create index")
        || has("create view")
        || has("order by")
        || has("group by")
        || (has("where") && content.contains(['=', '<', '>', '%', '?', '$']))
        || (has("join") && has("on"))
}

/// Whether `needle` occurs in `haystack` with no identifier character on either side.
pub(crate) fn contains_word(haystack: &str, needle: &str) -> bool {
    word_occurrences(haystack, needle).next().is_some()
}

/// Byte offsets of `needle` in `haystack` with no identifier character on either side.
pub(crate) fn word_occurrences<'h>(
    haystack: &'h str,
    needle: &'h str,
) -> impl Iterator<Item = usize> + 'h {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    haystack
        .match_indices(needle)
        .map(|(at, _)| at)
        .filter(move |at| {
            let bytes = haystack.as_bytes();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + needle.len()).copied();
            // `x__in=` is a Django lookup on `x`.
            let lookup = haystack
                .get(at + needle.len()..)
                .is_some_and(|rest| rest.starts_with("__"))
                && !needle.is_empty();
            !needle.is_empty()
                && !before.is_some_and(is_ident)
                && (!after.is_some_and(is_ident) || lookup)
        })
}

#[cfg(test)]
mod tests {
    use super::super::syntax::spans;
    use super::*;

    /// The position of the first occurrence of `needle` in `code`.
    fn at(path: &str, code: &str, needle: &str) -> Option<Position> {
        let lower = code.to_ascii_lowercase();
        let language = Language::of(path);
        let spans = spans(&lower, language);
        let source = Source {
            path,
            text: code,
            lower: &lower,
            language,
            spans: &spans,
            diesel: lower.contains("table!"),
        };
        let first = word_occurrences(&lower, needle).next()?;
        classify(&source, first, needle, needle, needle.contains('_'))
    }

    #[test]
    fn python_positions() {
        let p = |code: &str| at("app/db.py", code, "legacy_flag");
        assert_eq!(p("# legacy_flag = 1"), None);
        assert_eq!(p("x = 1  # uses legacy_flag"), None);
        assert_eq!(p("Column(\"legacy_flag\", Integer)"), Some(Position::QuotedName));
        assert_eq!(p("row['legacy_flag']"), Some(Position::QuotedName));
        assert_eq!(p("text('rules.legacy_flag')"), Some(Position::QuotedName));
        assert_eq!(p("q = 'rules.legacy_flag'"), Some(Position::QuotedWord));
        assert_eq!(
            p("db.execute(\"SELECT legacy_flag FROM rules\")"),
            Some(Position::SqlText)
        );
        assert_eq!(
            p("q = \"\"\"\nUPDATE rules\n SET legacy_flag = 0\n\"\"\""),
            Some(Position::SqlText)
        );
        assert_eq!(p("log('legacy_flag is gone')"), Some(Position::Text));
        assert_eq!(
            p("def f():\n    \"\"\"Select the legacy_flag from rules.\"\"\""),
            Some(Position::Text)
        );
        assert_eq!(
            p("db.execute(\n    \"\"\"SELECT legacy_flag FROM rules\"\"\")"),
            Some(Position::SqlText)
        );
        assert_eq!(p("self.table.c.legacy_flag == 1"), Some(Position::ColumnAttribute));
        assert_eq!(
            p("    legacy_flag = Column(Boolean)"),
            Some(Position::ModelField)
        );
        assert_eq!(
            p("    legacy_flag: Mapped[bool] = mapped_column()"),
            Some(Position::ModelField)
        );
        assert_eq!(
            p("    legacy_flag = models.BooleanField(default=False)"),
            Some(Position::ModelField)
        );
        assert_eq!(
            p("    legacy_flag = forms.BooleanField()"),
            Some(Position::Identifier)
        );
        assert_eq!(
            at("app/models.py", "    legacy_flag = BooleanField()", "legacy_flag"),
            Some(Position::ModelField)
        );
        assert_eq!(
            p("Rule.objects.filter(\n    legacy_flag__in=[1])"),
            Some(Position::OrmKeyword)
        );
        assert_eq!(p("render(legacy_flag=x)"), Some(Position::Identifier));
        assert_eq!(p("legacy_flag = compute()"), Some(Position::Identifier));
        assert_eq!(p("if a == legacy_flag:"), Some(Position::Identifier));
    }

    #[test]
    fn plain_words_count_only_where_code_names_them() {
        let p = |code: &str| {
            let lower = code.to_ascii_lowercase();
            let spans = spans(&lower, Language::Python);
            let source = Source {
                path: "a.py",
                text: code,
                lower: &lower,
                language: Language::Python,
                spans: &spans,
                diesel: false,
            };
            let first = word_occurrences(&lower, "when").next()?;
            classify(&source, first, "when", "when", false)
        };
        assert_eq!(p("row[\"when\"]"), Some(Position::QuotedName));
        assert_eq!(p("sc.when = 1"), Some(Position::Identifier));
        assert_eq!(p("router.when('/', x)"), None);
        assert_eq!(p("f(when=3)"), Some(Position::Identifier));
        assert_eq!(p("if a == when: pass"), None);
        assert_eq!(p("when = compute()"), None);
        assert_eq!(p("kinds = [\"start\", \"when\"]"), Some(Position::QuotedWord));
        assert_eq!(p("if action == \"when\":"), Some(Position::QuotedWord));
        assert_eq!(
            p("if action in (\"when\", \"x\"):"),
            Some(Position::QuotedWord)
        );
        assert_eq!(p("d = {\"when\": 1}"), Some(Position::QuotedWord));
        assert_eq!(p("label(\"When\")"), None);
        assert_eq!(p("q.order_by(\"when\")"), Some(Position::QuotedName));
        assert_eq!(p("raise E('run this when ready')"), None);
        assert_eq!(p("# run this when ready"), None);
    }

    #[test]
    fn other_languages() {
        let diesel = "diesel::table! {\n    rules (id) {\n        id -> Int4,\n        legacy_flag -> Bool,\n    }\n}\n";
        assert_eq!(at("src/schema.rs", diesel, "legacy_flag"), Some(Position::DieselTable));
        assert_eq!(at("src/schema.rs", diesel, "rules"), Some(Position::DieselTable));
        let lower = diesel.to_ascii_lowercase();
        let spans = spans(&lower, Language::Rust);
        let source = Source {
            path: "src/schema.rs",
            text: diesel,
            lower: &lower,
            language: Language::Rust,
            spans: &spans,
            diesel: true,
        };
        let column = lower.find("legacy_flag").unwrap_or(0);
        assert_eq!(
            super::super::owners::owners(&source, column, Position::DieselTable),
            ["rules"]
        );
        assert_eq!(
            at("src/lib.rs", "let legacy_flag = 1; // legacy_flag", "legacy_flag"),
            Some(Position::Identifier)
        );
        // Unit tests inside a source file are test code.
        let tests = "fn f() {}\n#[cfg(test)]\n#[expect(clippy::unwrap_used)]\npub mod tests {\n  fn t() { let s = \"}\"; q(\"SELECT legacy_flag FROM rules\"); }\n}\n";
        assert_eq!(at("src/lib.rs", tests, "legacy_flag"), None);
        let after = "#[cfg(test)]\nmod tests {\n  fn t() {}\n}\nfn g() { q(\"SELECT legacy_flag FROM rules\"); }\n";
        assert_eq!(at("src/lib.rs", after, "legacy_flag"), Some(Position::SqlText));
        assert_eq!(
            at("src/q.rs", "sql_query(\"SELECT legacy_flag FROM rules\")", "legacy_flag"),
            Some(Position::SqlText)
        );
        assert_eq!(
            at("db.go", "Flag bool `db:\"legacy_flag\" json:\"flag\"`", "legacy_flag"),
            Some(Position::QuotedName)
        );
        assert_eq!(
            at("a.ts", "const legacy_flag = row.legacy_flag;", "legacy_flag"),
            Some(Position::Identifier)
        );
        assert_eq!(
            at("a.ts", "knex('rules').select('legacy_flag')", "legacy_flag"),
            Some(Position::QuotedName)
        );
        assert_eq!(
            at("prisma/schema.prisma", "model Rule {\n  legacyFlag Boolean @map(\"legacy_flag\")\n}", "legacy_flag"),
            Some(Position::QuotedName)
        );
        assert_eq!(
            at("prisma/schema.prisma", "model Rule {\n  legacy_flag Boolean\n}", "legacy_flag"),
            Some(Position::PrismaField)
        );
        assert_eq!(
            at("app/models/rule.rb", "validates :legacy_flag, presence: true", "legacy_flag"),
            Some(Position::RailsSymbol)
        );
        assert_eq!(
            at("lib/x.rb", "legacy_flag = 1", "legacy_flag"),
            Some(Position::Identifier)
        );
        assert_eq!(
            at("queries/report.sql", "SELECT legacy_flag FROM rules -- legacy_flag", "legacy_flag"),
            Some(Position::SqlText)
        );
        assert_eq!(
            at("queries/report.sql", "WHERE name = 'legacy_flag'", "legacy_flag"),
            Some(Position::Text)
        );
        assert_eq!(
            at("ui/form.html", "<input name=\"legacy_flag\"><!-- legacy_flag -->", "legacy_flag"),
            Some(Position::Identifier)
        );
        assert_eq!(at("ui/form.html", "<!-- legacy_flag -->", "legacy_flag"), None);
    }

    #[test]
    fn name_lists_and_sql_shapes() {
        assert!(is_name_list(" id, legacy_flag ", "legacy_flag"));
        assert!(is_name_list("`rules`.`legacy_flag`", "legacy_flag"));
        assert!(!is_name_list("legacy_flag is set", "legacy_flag"));
        assert!(!is_name_list("id, other", "legacy_flag"));
        assert!(looks_like_sql("select a from b"));
        assert!(looks_like_sql(" where name = %s"));
        assert!(!looks_like_sql("raised when an update or delete fails"));
        assert!(contains_word("a.legacy_flag = 1", "legacy_flag"));
        assert!(!contains_word("legacy_flags", "legacy_flag"));
        assert!(contains_word("legacy_flag__in", "legacy_flag"));
        assert!(!contains_word("", "x"));
        assert_eq!(enclosing_call("x.filter(a, b=(1), c", 19), Some("filter"));
        assert_eq!(enclosing_call("{a: 1, c", 8), None);
        assert!(model_fits_table("check", "api_check"));
        assert!(model_fits_table("rule", "rules"));
        assert!(model_fits_table("rulestable", "rules"));
        assert!(!model_fits_table("member", "api_check"));
        assert!(model_fits_table("mod_remove_post", "mod_remove_post"));
        assert!(!model_fits_table("mod_remove_post", "mod_transfer_community"));
        assert_eq!(enclosing_bracket("f(a, [b, (c)], d", 16), Some((b'(', 1)));
    }
}

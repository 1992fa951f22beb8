//! What a reference is about: the tables and models the place of a name ties it to, so that
//! a dropped column is an exact reference only where the code names it with its table (a
//! query naming the table, a field of that model, a `table.c.x` of that table, a key read
//! near that table's query).

use super::position::{enclosing_bracket, identifier_prefix, looks_like_sql, Position, Source};
use super::syntax::{span_at, SpanKind};

/// Lines either side of a quoted name searched for the table it is read from (`row["x"]`
/// a few lines under the query that selects it).
const NEAR_LINES: usize = 10;

/// At most this many words are kept per reference.
const MAX_WORDS: usize = 200;

/// The tables, models or words that the place of the name at byte `at` ties it to,
/// lower-cased: for a model field the class it is declared in; for an ORM keyword the model
/// queried; for a diesel or Prisma entry its table or model; for `x.c.name` the parts of
/// `x` and the class around it; for an ActiveRecord symbol the model file and the words of
/// the line; for SQL text the words of the statement; for a quoted name the table whose
/// `Table(...)` it is declared in and the words within [`NEAR_LINES`] lines outside
/// comments. Empty for the places that are never exact.
pub(crate) fn owners(source: &Source<'_>, at: usize, position: Position) -> Vec<String> {
    let lower = source.lower;
    match position {
        Position::ModelField => enclosing_class(lower, at).into_iter().collect(),
        Position::DieselTable => {
            let line_start = line_start(lower, at);
            lower[..line_start]
                .lines()
                .rev()
                .find_map(|line| {
                    let trimmed = line.trim();
                    let (table, _) = trimmed.split_once('(')?;
                    trimmed
                        .ends_with('{')
                        .then(|| identifier_prefix(table.trim()))
                        .filter(|t| !t.is_empty())
                })
                .into_iter()
                .collect()
        }
        Position::PrismaField => lower[..line_start(lower, at)]
            .lines()
            .rev()
            .find_map(|line| {
                let name = line.trim().strip_prefix("model ")?;
                Some(identifier_prefix(name.trim_start()))
            })
            .into_iter()
            .collect(),
        Position::OrmKeyword => orm_model(lower, at).into_iter().collect(),
        Position::ColumnAttribute => {
            let before = &lower[line_start(lower, at)..at];
            let chain = before
                .strip_suffix(".c.")
                .or_else(|| before.strip_suffix(".columns."))
                .unwrap_or(before);
            let chain_start = chain
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .map_or(0, |n| n + 1);
            let mut owners: Vec<String> = chain[chain_start..]
                .split('.')
                .filter(|part| !part.is_empty())
                .map(str::to_string)
                .collect();
            owners.extend(enclosing_class(lower, at));
            owners
        }
        Position::RailsSymbol => {
            let mut owners = words(&lower[line_start(lower, at)..line_end(lower, at)]);
            if let Some(model) = source.path.split("app/models/").nth(1) {
                let file = model.rsplit('/').next().unwrap_or(model);
                owners.push(file.trim_end_matches(".rb").to_string());
            }
            owners
        }
        Position::SqlText => match span_at(source.spans, at) {
            Some(span) => words(&lower[span.start..span.end]),
            // A `.sql` file: the statement around the name.
            None => {
                let start = lower[..at].rfind(';').map_or(0, |n| n + 1);
                let end = lower[at..].find(';').map_or(lower.len(), |n| at + n);
                words(&lower[start..end])
            }
        },
        Position::QuotedName if reads_request_data(lower, at) => Vec::new(),
        Position::QuotedName => {
            let mut owners: Vec<String> = declaring_table(lower, at).into_iter().collect();
            owners.extend(words_near(source, at));
            owners
        }
        Position::Identifier | Position::QuotedWord | Position::Text => Vec::new(),
    }
}

fn line_start(lower: &str, at: usize) -> usize {
    lower[..at].rfind('\n').map_or(0, |n| n + 1)
}

fn line_end(lower: &str, at: usize) -> usize {
    lower[at..].find('\n').map_or(lower.len(), |n| at + n)
}

/// The distinct identifier words of `text` (a dotted name gives each part), at most
/// [`MAX_WORDS`].
fn words(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.is_empty() || word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if !found.iter().any(|w| w == word) {
            found.push(word.to_string());
            if found.len() == MAX_WORDS {
                break;
            }
        }
    }
    found
}

/// Parts of an expression that hold what a client sent or the process was given, never a
/// row: `request.form.get("x")`, `request.args["x"]`, `form.cleaned_data["x"]`.
const REQUEST_DATA: [&str; 10] = [
    "request",
    "form",
    "args",
    "params",
    "query_params",
    "headers",
    "cookies",
    "environ",
    "cleaned_data",
    "kwargs",
];

/// Whether the quoted name at `at` is looked up in request data (`request.form.get("x")`)
/// rather than in a row.
fn reads_request_data(lower: &str, at: usize) -> bool {
    let before = &lower[line_start(lower, at)..at];
    let receiver = before
        .trim_end_matches(['"', '\'', '`'])
        .trim_end()
        .trim_end_matches(['(', '['])
        .trim_end();
    let receiver = receiver.strip_suffix(".get").unwrap_or(receiver);
    let chain_start = receiver
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |n| n + 1);
    receiver[chain_start..]
        .split('.')
        .any(|part| REQUEST_DATA.contains(&part))
}

/// The words within [`NEAR_LINES`] lines of byte `at` that are code or SQL: outside
/// comments and outside strings that are not SQL (`item == "rules"` is a value, not a
/// query of `rules`).
fn words_near(source: &Source<'_>, at: usize) -> Vec<String> {
    let lower = source.lower;
    let mut start = line_start(lower, at);
    for _ in 0..NEAR_LINES {
        if start == 0 {
            break;
        }
        start = line_start(lower, start - 1);
    }
    let mut end = line_end(lower, at);
    for _ in 0..NEAR_LINES {
        if end >= lower.len() {
            break;
        }
        end = line_end(lower, end + 1);
    }
    let mut text = String::with_capacity(end - start);
    let mut i = start;
    while i < end {
        match span_at(source.spans, i) {
            Some(span)
                if span.kind == SpanKind::Comment
                    || !looks_like_sql(&lower[span.start..span.end.min(lower.len())]) =>
            {
                text.push(' ');
                i = span.end.max(i + 1);
            }
            _ => {
                let next = lower[i..end]
                    .char_indices()
                    .nth(1)
                    .map_or(end, |(n, _)| i + n);
                text.push_str(&lower[i..next]);
                i = next;
            }
        }
    }
    words(&text)
}

/// The class whose body holds byte `at` (Python: walking up through the blocks that hold
/// the line, by indentation, to a `class` line).
fn enclosing_class(lower: &str, at: usize) -> Option<String> {
    let line_start = line_start(lower, at);
    let prefix = &lower[line_start..at];
    let mut indent = prefix.len() - prefix.trim_start().len();
    for line in lower[..line_start].lines().rev() {
        let trimmed = line.trim_start();
        if indent == 0 {
            return None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let depth = line.len() - trimmed.len();
        if depth < indent {
            if let Some(class) = trimmed.strip_prefix("class ") {
                return Some(identifier_prefix(class));
            }
            indent = depth;
        }
    }
    None
}

/// `Model` in `Model.objects.filter(x=...)` or `Model.query.filter_by(x=...)`.
fn orm_model(lower: &str, at: usize) -> Option<String> {
    let (_, open) = enclosing_bracket(lower, at)?;
    let head = &lower[..open];
    let line = &head[head.rfind('\n').map_or(0, |n| n + 1)..];
    let (model, _) = line
        .rsplit_once(".objects.")
        .or_else(|| line.rsplit_once(".query."))?;
    let start = model
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |n| n + 1);
    Some(model[start..].to_string()).filter(|m| !m.is_empty())
}

/// The table a quoted column name is declared in: the first string argument of the
/// `Table(...)` call around `Column("x", ...)`.
fn declaring_table(lower: &str, at: usize) -> Option<String> {
    let (_, column_open) = enclosing_bracket(lower, at)?;
    let (bracket, table_open) = enclosing_bracket(lower, column_open)?;
    let head = lower[..table_open].trim_end();
    if bracket != b'(' || !head.ends_with("table") {
        return None;
    }
    let args = &lower[table_open + 1..column_open];
    let quote = args.find(['"', '\''])?;
    let name = identifier_prefix(&args[quote + 1..]);
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::super::position::{classify, word_occurrences};
    use super::super::syntax::{spans, Language};
    use super::*;

    /// The position and owners of the first `legacy_flag` in `code`.
    fn owners_of(path: &str, code: &str) -> Option<(Position, Vec<String>)> {
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
        let first = word_occurrences(&lower, "legacy_flag").next()?;
        let position = classify(&source, first, "legacy_flag", "legacy_flag", true)?;
        Some((position, owners(&source, first, position)))
    }

    fn has(path: &str, code: &str, owner: &str) -> bool {
        owners_of(path, code).is_some_and(|(_, owners)| owners.iter().any(|o| o == owner))
    }

    #[test]
    fn sql_text_is_about_the_tables_it_names() {
        assert!(has("a.py", "q = \"SELECT legacy_flag FROM Rules\"", "rules"));
        assert!(!has("a.py", "q = \"SELECT legacy_flag FROM releases\"", "rules"));
        assert!(has(
            "q.sql",
            "SELECT 1;\nUPDATE rules SET legacy_flag = 0;\nSELECT 2 FROM other;",
            "rules"
        ));
        assert!(!has(
            "q.sql",
            "SELECT 1 FROM rules;\nUPDATE other SET legacy_flag = 0;",
            "rules"
        ));
    }

    #[test]
    fn quoted_names_are_about_their_table_or_the_query_near_them() {
        let table = "rules = Table(\n    \"rules\",\n    metadata,\n    Column(\"legacy_flag\", Integer),\n)";
        assert!(has("a.py", table, "rules"));
        let far = format!(
            "rows = db.execute('SELECT * FROM rules')\n{}flag = row[\"legacy_flag\"]\n",
            "x = 1\n".repeat(NEAR_LINES + 1)
        );
        assert!(!has("a.py", &far, "rules"));
        let near = "rows = db.execute('SELECT * FROM rules')\nfor row in rows:\n    flag = row[\"legacy_flag\"]\n";
        assert!(has("a.py", near, "rules"));
        // A comment or a plain string naming the table is not the query.
        assert!(!has("a.py", "# read from rules\nflag = row[\"legacy_flag\"]\n", "rules"));
        assert!(!has(
            "a.py",
            "if item == 'rules':\n    flag = row[\"legacy_flag\"]\n",
            "rules"
        ));
        // A model of the table in code is.
        assert!(has(
            "a.py",
            "rule = Rules.query.get(1)\nflag = row[\"legacy_flag\"]\n",
            "rules"
        ));
        // Request data is never a row, whatever is near it.
        for code in [
            "Rules.query.get(1)\nflag = request.form.get('legacy_flag')",
            "Rules.query.get(1)\nflag = request.args[\"legacy_flag\"]",
            "Rules.query.get(1)\nflag = form.cleaned_data[\"legacy_flag\"]",
        ] {
            assert_eq!(
                owners_of("a.py", code),
                Some((Position::QuotedName, Vec::new())),
                "{code}"
            );
        }
    }

    #[test]
    fn models_and_column_attributes() {
        assert!(has(
            "app/models.py",
            "class Rule(Model):\n    x = 1\n    legacy_flag = BooleanField()",
            "rule"
        ));
        assert!(has("a.py", "Member.objects.filter(legacy_flag=1)", "member"));
        assert!(has("a.py", "Rule.query.filter_by(legacy_flag=1)", "rule"));
        assert_eq!(
            owners_of("a.py", "rules.filter(legacy_flag=1)").map(|(_, o)| o),
            Some(Vec::new())
        );
        assert!(has("a.py", "q = dbo.rules.t.c.legacy_flag == 1", "rules"));
        assert!(has(
            "a.py",
            "class Rules(AUSTable):\n    def f(self):\n        return self.table.c.legacy_flag",
            "rules"
        ));
        assert!(!has(
            "a.py",
            "class Rules(AUSTable):\n    pass\n\ndef f(table):\n    return table.c.legacy_flag",
            "rules"
        ));
        assert!(has(
            "prisma/schema.prisma",
            "model Rule {\n  legacy_flag Boolean\n}",
            "rule"
        ));
        assert!(has(
            "app/models/rule.rb",
            "validates :legacy_flag, presence: true",
            "rule"
        ));
    }
}

//! `dropped-object-still-referenced`: code at `TO` still names what the range removes.

use super::{finding, touches_released, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, RelatedLocation, Severity};
use crate::model::ops::OpKind;
use crate::repo::code_search::{model_fits_table, removed_name, Position, Reference};

pub(super) static RULE: Rule = Rule {
    name: "dropped-object-still-referenced",
    category: Category::NewCodeOldSchema,
    default_severity: Severity::Error,
    summary: "Code in the release still names a table or column that the release drops or renames",
    doc: "## What it does
For every table, view or column the range drops or renames away, searches the source tree
at `TO` (the code that will run against the schema without it) for the name, ignoring case,
and sorts each line that names it:
- an **exact reference** (an error) names the database object itself, and for a column,
  with its table: the name in a string of SQL that also names the table
  (`\"SELECT legacy_flag FROM rules\"`) or in such a statement of a `.sql` file; a string
  that is the name (case included), passed to a call or used as a subscript, declared in the
  table's `Table(\"rules\", ...)` or within ten lines of code naming the table
  (`Column(\"legacy_flag\")`, `row[\"legacy_flag\"]` under the query that selects it,
  `@map(\"legacy_flag\")`, a Go `db:\"legacy_flag\"` tag); `x.c.legacy_flag` where `x` or
  the class around it is the table; a field of a model that can be the table
  (`legacy_flag = Column(...)`, `= mapped_column(...)`, `= models.BooleanField(...)` in
  `class Rule`); a keyword of a query of that model (`Rule.objects.filter(legacy_flag=...)`,
  `Rule.query.filter_by(...)`); an entry of the table's diesel `table!` block; a field of its
  Prisma model; an ActiveRecord symbol of its model (`where(legacy_flag: ...)` or in
  `app/models/rule.rb`). The same places not tied to the table (a query of another table,
  `request.form[\"legacy_flag\"]` far from any query of it, `Member.objects.filter(user=...)`
  when `api_check.user` is dropped, `query.filter_by(legacy_flag=...)` of an unnamed model)
  are word matches;
- a **word match** (a warning) only shares the spelling: a variable, attribute or form field
  of the same name, a quoted word (a dict key, a list element, a value compared with `==`),
  or the word in a message.

Comments are skipped (each file is lexed by its extension: Python, JavaScript/TypeScript,
Rust, Go, Java and other C-like languages, Ruby, SQL, Prisma, HTML templates, YAML), and so
are Rust `#[cfg(test)]` modules and files that are not the project's running code: the
migration locations, tests, docs,
vendored and installed code (`vendor/`, `node_modules/`, `third_party/`), build output
(`dist/`, `build/`, `target/`), minified scripts (`*.min.js`, or lines averaging over 300
characters), source maps and lock files. A plain word (`when`, `data`) counts only in an
exact place, as a quoted word, as an attribute or as a call's keyword argument; a distinctive
name (`legacy_flag`, `systemCapabilities`) counts anywhere outside comments.

The finding stays at the migration (where an inline suppression goes), an error when any
line is an exact reference, else a warning; every line is its own related location: in
SARIF `relatedLocations`, a GitHub annotation on the code line, a line in the Markdown
comment, the JSON `related` list and the text report. When the range also gives the name to
something else (a column of that name added to another table, a table created again, a
rename to it), the code may mean the new one, so every line is a warning. The `code_paths`
setting chooses the files instead of the default selection.

## Why is this bad
A query that still names the object fails as soon as the schema change has run: the
runbook's \"current production code can run with your schema change\", checked.

## Example
```sql
-- production: CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, legacy_flag TINYINT(1));
-- src/auslib/db.py at TO still has: Column(\"legacy_flag\", Boolean)
ALTER TABLE rules DROP COLUMN legacy_flag;
```

## Use instead
Remove every use in an earlier release, then drop:
```sql
-- no file outside the migrations names legacy_flag any more
SELECT 1;
```

## Fix
Delete or rewrite each line listed, ship that code, and drop in a later release. For a word
match that is not about the column (a local variable of the same name), nothing needs to
change: configure `code_paths`, or suppress the finding on the migration line.

## Known problems
The search is lexical, not a parse: a string equal to the name that is not about the
database (a JSON key of an API) is still an exact reference when it is read within ten lines
of code naming the table, and a column named through a variable or a model's attribute
(`row.legacy_flag`), or through a table whose name the code builds (`\"%s_history\" % name`),
is only a word match.

## Deploy ordering
Contract: the code without the references must be deployed (and finished) before the schema
change runs; if the code at `TO` still uses it, no order is safe.
",
    enabled_by_default: true,
    standalone_example: false,
};

/// At most this many places are listed per name in the message, and related locations
/// carried by the finding.
const LISTED: usize = 3;
const RELATED: usize = 50;

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        let Some(name) = removed_name(&aop.op.kind) else {
            continue;
        };
        if !touches_released(aop) {
            continue;
        }
        // When the range gives the name to something else, code naming it may mean that.
        let reused = reused_by(analysis, name);
        let table = column_table(&aop.op.kind);
        let mut hits: Vec<(&Reference, bool)> = analysis
            .context
            .references
            .iter()
            .filter(|r| r.name.eq_ignore_ascii_case(name))
            .map(|r| (r, reused.is_none() && is_exact(r, table)))
            .collect();
        if hits.is_empty() {
            continue;
        }
        // Exact references first: they are the code that fails.
        hits.sort_by_key(|(_, exact)| !exact);
        let exact = hits.iter().filter(|(_, exact)| *exact).count();
        let words = hits.len() - exact;
        let (exact_hits, word_hits) = hits.split_at(exact);
        let mut counts = Vec::new();
        if exact > 0 {
            counts.push(format!(
                "{exact} exact reference(s) ({})",
                listed(exact_hits)
            ));
        }
        if words > 0 {
            counts.push(format!("{words} word match(es) ({})", listed(word_hits)));
        }
        let mut message = format!(
            "{} but the code at {} still names {name}: {}.",
            aop.op.kind.describe(),
            analysis.to,
            counts.join(" and ")
        );
        if let Some(other) = &reused {
            message.push_str(&format!(
                " The range also {other}, so these may mean the new one."
            ));
        }
        let help = if exact > 0 {
            format!("These lines fail once the schema change has run: remove these uses of {name} and ship that code before the schema change.")
        } else {
            format!("Read each match: remove the uses of {name} (or confirm they are unrelated) and ship that code before the schema change.")
        };
        let mut finding = finding(&RULE, Some(migration), Some(aop.op.line), message, help);
        if exact == 0 {
            finding.severity = Severity::Warning;
        }
        finding.related = hits
            .iter()
            .take(RELATED)
            .map(|(r, exact)| related(r, *exact, table))
            .collect();
        out.push(finding);
    }
}

/// The table of a removed column; `None` for a removed table or view.
fn column_table(kind: &OpKind) -> Option<&str> {
    match kind {
        OpKind::DropColumn { table, .. }
        | OpKind::RenameColumn { table, .. }
        | OpKind::RedefineColumn { table, .. } => Some(table),
        _ => None,
    }
}

/// An exact reference that is about `table`, the table of a dropped column: SQL text that
/// names the table, a quoted name declared in the table's `Table(...)` or read within a few
/// lines of code naming it, a field, ORM keyword, `x.c.name`, Prisma or ActiveRecord entry
/// of a model that can be the table, a diesel entry of its `table!` block. The same places
/// not tied to the table (`Member.user` when `api_check.user` is dropped, `row["user"]`
/// far from any query of `api_check`) are word matches. A dropped table or view is named by
/// the name itself.
fn is_exact(reference: &Reference, table: Option<&str>) -> bool {
    if !reference.position.is_exact() {
        return false;
    }
    let Some(table) = table else {
        return true;
    };
    // `public.rules` is named `rules` in code.
    let table = table.rsplit('.').next().unwrap_or(table);
    let names_table = |owner: &String| owner.eq_ignore_ascii_case(table);
    let owners = &reference.owners;
    match reference.position {
        Position::SqlText | Position::QuotedName | Position::DieselTable => {
            owners.iter().any(names_table)
        }
        Position::ModelField
        | Position::OrmKeyword
        | Position::ColumnAttribute
        | Position::PrismaField
        | Position::RailsSymbol => owners
            .iter()
            .any(|o| names_table(o) || (o.len() >= 3 && model_fits_table(o, table))),
        Position::Identifier | Position::QuotedWord | Position::Text => false,
    }
}

/// `path:line` of the first few references, and how many more there are.
fn listed(hits: &[(&Reference, bool)]) -> String {
    let mut places: Vec<String> = hits
        .iter()
        .take(LISTED)
        .map(|(r, _)| format!("{}:{}", r.path, r.line))
        .collect();
    if hits.len() > LISTED {
        places.push(format!("{} more", hits.len() - LISTED));
    }
    places.join(", ")
}

/// A reference as a related location of the finding: an error when it is exact. A place
/// that would name the column if it were tied to its table says why it is not.
fn related(reference: &Reference, exact: bool, table: Option<&str>) -> RelatedLocation {
    let model = match (table, reference.owners.first()) {
        _ if exact || !reference.position.is_exact() => String::new(),
        (_, Some(owner))
            if matches!(
                reference.position,
                Position::ModelField | Position::OrmKeyword | Position::DieselTable
            ) =>
        {
            format!(" of {owner}")
        }
        (Some(table), _) => format!(" not tied to {table}"),
        (None, _) => String::new(),
    };
    RelatedLocation {
        path: reference.path.clone(),
        line: reference.line,
        severity: if exact {
            Severity::Error
        } else {
            Severity::Warning
        },
        message: format!(
            "{} {} {}{model}: {}",
            if exact { "Exact reference" } else { "Word match" },
            reference.name,
            reference.position.describe(),
            reference.code
        ),
    }
}

/// What in the range takes the removed name (a column or table created, added or renamed
/// to it), in words.
fn reused_by(analysis: &Analysis, name: &str) -> Option<String> {
    let same = |other: &str| other.eq_ignore_ascii_case(name);
    analysis.operations().find_map(|(_, aop)| match &aop.op.kind {
        OpKind::CreateTable { table, columns, .. } if columns.iter().any(|c| same(&c.name)) => {
            Some(format!("creates {table} with a column {name}"))
        }
        OpKind::AddColumn { table, column } if same(&column.name) => {
            Some(format!("adds a column {name} to {table}"))
        }
        OpKind::RenameColumn {
            table, new_name, ..
        } if same(new_name) => Some(format!("renames a column of {table} to {name}")),
        OpKind::RedefineColumn {
            table, definition, ..
        } if same(&definition.name) => Some(format!("renames a column of {table} to {name}")),
        OpKind::CreateTable { table, .. } if same(table) => Some(format!("creates {table} again")),
        OpKind::RenameTable { table, new_name } if same(new_name) => {
            Some(format!("renames {table} to {name}"))
        }
        OpKind::CreateView { view, .. } if same(view) => Some(format!("creates a view {view}")),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::ops::{ColumnDef, Dialect, OpKind};

    fn reference(name: &str, line: u32, position: Position) -> Reference {
        Reference {
            name: name.into(),
            path: "src/app.py".into(),
            line,
            position,
            code: format!("code {line}"),
            owners: vec!["rules".into()],
        }
    }

    fn drop() -> OpKind {
        OpKind::DropColumn {
            table: "rules".into(),
            column: "legacy_flag".into(),
        }
    }

    #[test]
    fn exact_references_are_errors_and_every_place_is_related() {
        let mut a = single(Dialect::Mysql, vec![drop()]);
        a.context.references = (1..=60)
            .map(|l| reference("LEGACY_FLAG", l, Position::Identifier))
            .collect();
        a.context.references.push(reference("legacy_flag", 70, Position::SqlText));
        a.context.references.push(reference("other", 1, Position::SqlText));
        let mut out = Vec::new();
        check(&a, &mut out);
        assert_eq!(out.len(), 1);
        let f = &out[0];
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message.contains(
                "1 exact reference(s) (src/app.py:70) and 60 word match(es) (src/app.py:1, src/app.py:2, src/app.py:3, 57 more)"
            ),
            "{}",
            f.message
        );
        assert_eq!(f.related.len(), RELATED);
        assert_eq!(f.related[0].line, 70, "exact references come first");
        assert_eq!(f.related[0].severity, Severity::Error);
        assert_eq!(
            f.related[0].message,
            "Exact reference legacy_flag in SQL text: code 70"
        );
        assert_eq!(f.related[1].severity, Severity::Warning);
        assert!(f.related[1].message.starts_with("Word match LEGACY_FLAG as an identifier"));
    }

    #[test]
    fn word_matches_alone_warn_and_nothing_is_quiet() {
        let mut a = single(Dialect::Mysql, vec![drop()]);
        a.context.references = vec![reference("legacy_flag", 3, Position::Text)];
        let mut out = Vec::new();
        check(&a, &mut out);
        assert_eq!(out[0].severity, Severity::Warning);
        assert!(out[0].help.starts_with("Read each match"));

        a.context.references = vec![reference("other", 1, Position::SqlText)];
        assert!(lines(check, &a).is_empty());
        let mut new_table = single(Dialect::Mysql, vec![create("rules"), drop()]);
        new_table.context.references = vec![reference("legacy_flag", 1, Position::SqlText)];
        assert!(lines(check, &new_table).is_empty());
    }

    #[test]
    fn a_name_the_range_reuses_only_warns() {
        let moved = OpKind::AddColumn {
            table: "rules_conditions".into(),
            column: ColumnDef::new("legacy_flag", None),
        };
        let mut a = single(Dialect::Mysql, vec![moved, drop()]);
        a.context.references = vec![reference("legacy_flag", 3, Position::QuotedName)];
        let mut out = Vec::new();
        check(&a, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].severity, Severity::Warning);
        assert_eq!(out[0].related[0].severity, Severity::Warning);
        assert!(
            out[0]
                .message
                .contains("The range also adds a column legacy_flag to rules_conditions"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn a_field_of_another_model_only_warns() {
        let mut a = single(Dialect::Mysql, vec![drop()]);
        let mut field = reference("legacy_flag", 3, Position::ModelField);
        field.owners = vec!["member".into()];
        let mut own = reference("legacy_flag", 9, Position::ModelField);
        own.owners = vec!["rule".into()];
        a.context.references = vec![field, own];
        let mut out = Vec::new();
        check(&a, &mut out);
        let severities: Vec<(u32, Severity)> =
            out[0].related.iter().map(|r| (r.line, r.severity)).collect();
        assert_eq!(
            severities,
            [(9, Severity::Error), (3, Severity::Warning)]
        );
        assert_eq!(
            out[0].related[1].message,
            "Word match legacy_flag as a model field of member: code 3"
        );

        let mut other_table = reference("legacy_flag", 4, Position::DieselTable);
        other_table.owners = vec!["community_rules".into()];
        a.context.references = vec![other_table];
        let mut out = Vec::new();
        check(&a, &mut out);
        assert_eq!(out[0].severity, Severity::Warning, "diesel tables match exactly");
    }

    #[test]
    fn an_exact_place_not_tied_to_the_table_only_warns() {
        let mut a = single(Dialect::Mysql, vec![drop()]);
        let mut other_query = reference("legacy_flag", 3, Position::SqlText);
        other_query.owners = vec!["select".into(), "legacy_flag".into(), "releases".into()];
        let mut far_key = reference("legacy_flag", 5, Position::QuotedName);
        far_key.owners = vec!["url".into(), "legacy_flag".into()];
        let mut near_key = reference("legacy_flag", 8, Position::QuotedName);
        near_key.owners = vec!["rows".into(), "rules".into()];
        let mut table_c = reference("legacy_flag", 9, Position::ColumnAttribute);
        table_c.owners = vec!["self".into(), "t".into()];
        a.context.references = vec![other_query, far_key, near_key, table_c];
        let mut out = Vec::new();
        check(&a, &mut out);
        let severities: Vec<(u32, Severity)> =
            out[0].related.iter().map(|r| (r.line, r.severity)).collect();
        assert_eq!(
            severities,
            [
                (8, Severity::Error),
                (3, Severity::Warning),
                (5, Severity::Warning),
                (9, Severity::Warning)
            ]
        );
        assert_eq!(
            out[0].related[1].message,
            "Word match legacy_flag in SQL text not tied to rules: code 3"
        );
        // A dropped table is named by its name wherever the place is exact.
        let mut dropped_table = single(
            Dialect::Mysql,
            vec![OpKind::DropTable {
                table: "rules".into(),
            }],
        );
        let mut query = reference("rules", 2, Position::SqlText);
        query.owners = vec!["rules".into()];
        dropped_table.context.references = vec![query];
        let mut out = Vec::new();
        check(&dropped_table, &mut out);
        assert_eq!(out[0].severity, Severity::Error);
    }
}

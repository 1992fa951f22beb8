//! The catalog written out as normalised DDL, for showing two schemas side by side.

use std::fmt::Write as _;

use super::model::{Index, Table};
use super::names::key;
use super::Catalog;
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, Dialect};

impl Catalog {
    /// The schema as deterministic DDL, one statement per object: named types, schemas,
    /// extensions, composite types, domains and sequences first (tables may use them), then
    /// tables sorted by name, each followed by its indexes sorted by name, then views, then
    /// partition keys and partitions, routines, triggers, and the objects known by name
    /// only (roles, collations, ...). Columns keep their declared order.
    /// Objects touched by statements that are not modelled get a `-- uncertain: <why>` line
    /// above them; uncertainty about the schema as a whole, or about names no object has,
    /// comes first. Identifiers are quoted only when they need it.
    pub fn to_ddl(&self, dialect: Dialect) -> String {
        let mut out = String::new();
        for why in &self.unmodelled {
            let _ = writeln!(out, "-- uncertain: {}", one_line(why));
        }
        for (k, u) in &self.uncertain {
            if !self.exists(k) {
                for why in &u.reasons {
                    let _ = writeln!(out, "-- uncertain: {}: {}", u.name, one_line(why));
                }
            }
        }
        let mut blocks: Vec<String> = Vec::new();
        for t in self.types.values() {
            let mut s = self.uncertain_lines(&t.name);
            if t.values.is_empty() {
                let _ = writeln!(s, "CREATE TYPE {};", ident(dialect, &t.name));
            } else {
                let values: Vec<String> = t.values.iter().map(|v| literal(v)).collect();
                let _ = writeln!(
                    s,
                    "CREATE TYPE {} AS ENUM ({});",
                    ident(dialect, &t.name),
                    values.join(", ")
                );
            }
            blocks.push(s);
        }
        blocks.extend(self.object_blocks(dialect));
        for seq in self.sequences.values() {
            let mut s = self.uncertain_lines(&seq.name);
            let _ = writeln!(s, "CREATE SEQUENCE {};", ident(dialect, &seq.name));
            blocks.push(s);
        }
        for t in self.tables.values() {
            let mut s = self.uncertain_lines(&t.name);
            write_table(&mut s, dialect, t);
            blocks.push(s);
        }
        for v in self.views.values() {
            let mut s = self.uncertain_lines(&v.name);
            let text = one_line(&v.source);
            let text = text.trim_end_matches(';').trim_end();
            if text.is_empty() {
                let _ = writeln!(
                    s,
                    "CREATE VIEW {} AS /* definition not recorded */;",
                    ident(dialect, &v.name)
                );
            } else {
                let _ = writeln!(s, "{text};");
            }
            blocks.push(s);
        }
        blocks.extend(self.partition_blocks(dialect));
        blocks.extend(self.program_blocks(dialect));
        blocks.extend(self.named_blocks(dialect));
        if !out.is_empty() && !blocks.is_empty() {
            out.push('\n');
        }
        out.push_str(&blocks.join("\n"));
        out
    }

    fn uncertain_lines(&self, name: &str) -> String {
        let mut s = String::new();
        if let Some(u) = self.uncertain.get(&key(name)) {
            for why in &u.reasons {
                let _ = writeln!(s, "-- uncertain: {}", one_line(why));
            }
        }
        s
    }
}

fn write_table(s: &mut String, dialect: Dialect, t: &Table) {
    let mut lines: Vec<String> = t.columns().map(|c| column_line(dialect, c)).collect();
    lines.extend(t.constraints.iter().map(|c| constraint_line(dialect, c)));
    if lines.is_empty() {
        let _ = writeln!(s, "CREATE TABLE {} ();", ident(dialect, &t.name));
    } else {
        let _ = writeln!(s, "CREATE TABLE {} (", ident(dialect, &t.name));
        let _ = writeln!(s, "    {}", lines.join(",\n    "));
        let _ = writeln!(s, ");");
    }
    for ix in t.indexes.values() {
        let _ = writeln!(s, "{}", index_line(dialect, t, ix));
    }
}

pub(super) fn column_line(dialect: Dialect, c: &ColumnDef) -> String {
    let mut s = ident(dialect, &c.name);
    match &c.ty {
        Some(ty) => {
            let _ = write!(s, " {ty}");
        }
        None => s.push_str(" /* type unknown */"),
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        let _ = write!(s, " DEFAULT {}", one_line(d));
    }
    if c.auto_increment {
        let serial =
            c.ty.as_ref()
                .is_some_and(|t| t.name.to_ascii_uppercase().contains("SERIAL"));
        match dialect {
            Dialect::Mysql => s.push_str(" AUTO_INCREMENT"),
            // SQLite only accepts AUTOINCREMENT on an inline INTEGER PRIMARY KEY.
            Dialect::Sqlite => s.push_str(" /* AUTOINCREMENT */"),
            Dialect::Postgres | Dialect::Generic if serial => {}
            Dialect::Postgres | Dialect::Generic => s.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        }
    }
    if c.generated {
        s.push_str(" /* generated */");
    }
    if c.primary_key {
        s.push_str(" PRIMARY KEY");
    }
    if c.unique {
        s.push_str(" UNIQUE");
    }
    s
}

fn constraint_line(dialect: Dialect, c: &Constraint) -> String {
    let mut s = String::new();
    if let Some(name) = &c.name {
        let _ = write!(s, "CONSTRAINT {} ", ident(dialect, name));
    }
    let cols = ident_list(dialect, &c.columns);
    match &c.kind {
        ConstraintKind::PrimaryKey => {
            let _ = write!(s, "PRIMARY KEY ({cols})");
        }
        ConstraintKind::Unique => {
            let _ = write!(s, "UNIQUE ({cols})");
        }
        ConstraintKind::ForeignKey {
            references,
            referenced_columns,
            actions,
        } => {
            let _ = write!(
                s,
                "FOREIGN KEY ({cols}) REFERENCES {}",
                ident(dialect, references)
            );
            if !referenced_columns.is_empty() {
                let _ = write!(s, " ({})", ident_list(dialect, referenced_columns));
            }
            s.push_str(&actions.sql());
        }
        ConstraintKind::Check { expr } => {
            let _ = write!(s, "CHECK ({})", one_line(expr));
        }
    }
    if c.not_valid {
        s.push_str(" /* NOT VALID */");
    }
    s
}

fn index_line(dialect: Dialect, t: &Table, ix: &Index) -> String {
    // Index entries may be expressions; only plain column names are quoted.
    let cols: Vec<String> = ix
        .columns
        .iter()
        .map(|c| match t.column(c) {
            Some(_) => ident(dialect, c),
            None => one_line(c),
        })
        .collect();
    format!(
        "CREATE {}INDEX {} ON {} ({}){};",
        if ix.unique { "UNIQUE " } else { "" },
        ident(dialect, &ix.name),
        ident(dialect, &t.name),
        cols.join(", "),
        if ix.partial {
            " /* partial: WHERE not recorded */"
        } else {
            ""
        }
    )
}

pub(super) fn ident_list(dialect: Dialect, names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(dialect, n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An identifier, quoted for `dialect` when it is not a plain word or is an SQL keyword
/// (`when`, `order`), so that the DDL is valid SQL.
pub(super) fn ident(dialect: Dialect, name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::read::sql::is_reserved_word(name);
    if plain {
        return name.to_string();
    }
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        Dialect::Postgres | Dialect::Sqlite | Dialect::Generic => {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    }
}

fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Text on one line with runs of white space collapsed, so that layout does not show up
/// as a schema difference.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Catalog {
    /// Routines (by name and arguments) and triggers (by table and name), each with its
    /// normalised definition, so that a replaced body shows in a diff.
    fn program_blocks(&self, dialect: Dialect) -> Vec<String> {
        let mut blocks = Vec::new();
        for r in self.routines() {
            let kind = if r.procedure { "PROCEDURE" } else { "FUNCTION" };
            let returns = r
                .returns
                .as_deref()
                .map(|t| format!(" RETURNS {t}"))
                .unwrap_or_default();
            let mut s = String::new();
            let _ = writeln!(
                s,
                "CREATE {kind} {}({}){returns}\n{};",
                ident(dialect, &r.name),
                r.args.join(", "),
                r.body.trim_end().trim_end_matches(';')
            );
            blocks.push(s);
        }
        for t in self.triggers() {
            let mut s = String::new();
            if !t.enabled {
                let _ = writeln!(s, "-- disabled");
            }
            // The definition holds timing, events, `ON table` and the action.
            let _ = writeln!(
                s,
                "CREATE TRIGGER {} {};",
                ident(dialect, &t.name),
                t.definition.trim_end().trim_end_matches(';')
            );
            blocks.push(s);
        }
        blocks
    }
}

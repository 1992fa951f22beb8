//! Names, types, column definitions and table constraints, from sqlparser's syntax tree to
//! the operation model.

use sqlparser::ast::{
    ColumnOption, DataType, EnumMember, Expr, Ident, IndexColumn, KeyOrIndexDisplay, ObjectName,
    TableConstraint, TypeModifier,
};
use sqlparser::tokenizer::Token;

use crate::model::foreign_key::{Deferrable, ForeignKeyActions, ReferentialAction};
use crate::model::ops::{ColumnDef, Constraint, ConstraintKind, SqlType};

/// A foreign key's target, actions and timing, as written.
fn foreign_key(fk: &sqlparser::ast::ForeignKeyConstraint) -> ConstraintKind {
    let action = |action: Option<sqlparser::ast::ReferentialAction>| match action {
        None | Some(sqlparser::ast::ReferentialAction::NoAction) => ReferentialAction::NoAction,
        Some(sqlparser::ast::ReferentialAction::Restrict) => ReferentialAction::Restrict,
        Some(sqlparser::ast::ReferentialAction::Cascade) => ReferentialAction::Cascade,
        Some(sqlparser::ast::ReferentialAction::SetNull) => ReferentialAction::SetNull,
        Some(sqlparser::ast::ReferentialAction::SetDefault) => ReferentialAction::SetDefault,
    };
    let characteristics = fk.characteristics.as_ref();
    let deferrable = Deferrable::from_clauses(
        characteristics.and_then(|c| c.deferrable),
        characteristics
            .and_then(|c| c.initially)
            .map(|i| i == sqlparser::ast::DeferrableInitial::Deferred),
    );
    ConstraintKind::ForeignKey {
        references: object_name(&fk.foreign_table),
        referenced_columns: idents(&fk.referred_columns),
        actions: ForeignKeyActions {
            on_delete: action(fk.on_delete),
            on_update: action(fk.on_update),
            deferrable,
        },
    }
}

/// An object name as unquoted text; schema-qualified names keep their dots.
pub(crate) fn object_name(name: &ObjectName) -> String {
    let mut out = String::new();
    for (i, part) in name.0.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match part.as_ident() {
            Some(ident) => out.push_str(&ident.value),
            None => out.push_str(&part.to_string()),
        }
    }
    out
}

/// An identifier as unquoted text.
pub(crate) fn ident(ident: &Ident) -> String {
    ident.value.clone()
}

/// An indexed column's name, or its expression as SQL text.
pub(crate) fn index_column(column: &IndexColumn) -> String {
    match &column.column.expr {
        Expr::Identifier(i) => ident(i),
        Expr::CompoundIdentifier(parts) => parts
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>()
            .join("."),
        other => other.to_string(),
    }
}

fn index_columns(columns: &[IndexColumn]) -> Vec<String> {
    columns.iter().map(index_column).collect()
}

fn idents(list: &[Ident]) -> Vec<String> {
    list.iter().map(ident).collect()
}

/// PostgreSQL serial pseudo-types: an integer with a sequence default, never NULL.
fn is_serial(ty: &SqlType) -> bool {
    matches!(
        ty.name.as_str(),
        "SERIAL" | "BIGSERIAL" | "SMALLSERIAL" | "SERIAL2" | "SERIAL4" | "SERIAL8"
    )
}

/// The model's type for a declared type; `None` for a column declared without one
/// (SQLite allows that).
pub(crate) fn sql_type(data_type: &DataType) -> Option<SqlType> {
    match data_type {
        DataType::Unspecified => None,
        DataType::Enum(members, _) => Some(SqlType {
            values: members
                .iter()
                .map(|m| match m {
                    EnumMember::Name(name) | EnumMember::NamedValue(name, _) => name.clone(),
                })
                .collect(),
            ..SqlType::named("ENUM")
        }),
        DataType::Set(members) => Some(SqlType {
            values: members.clone(),
            ..SqlType::named("SET")
        }),
        DataType::Custom(name, modifiers) => Some(SqlType {
            params: modifiers
                .iter()
                .map_while(|m| match m {
                    TypeModifier::Number(n, _) => n.parse::<u64>().ok(),
                    _ => None,
                })
                .collect(),
            ..SqlType::named(&object_name(name))
        }),
        other => Some(parse_type_text(&other.to_string())),
    }
}

/// Splits a type as sqlparser prints it, e.g. `TIMESTAMP(3) WITH TIME ZONE` or
/// `INT(11) UNSIGNED`, into name, parameters and the unsigned flag. Going through the
/// printed form covers sqlparser's many type variants with one small function.
fn parse_type_text(text: &str) -> SqlType {
    let (head, params, tail) = match (text.find('('), text.rfind(')')) {
        (Some(open), Some(close)) if open < close => (
            text.get(..open).unwrap_or_default(),
            text.get(open + 1..close).unwrap_or_default(),
            text.get(close + 1..).unwrap_or_default(),
        ),
        _ => (text, "", ""),
    };
    let mut unsigned = false;
    let mut words = Vec::new();
    for word in head.split_whitespace().chain(tail.split_whitespace()) {
        if word.eq_ignore_ascii_case("UNSIGNED") {
            unsigned = true;
        } else if word.eq_ignore_ascii_case("ZEROFILL") {
            // Display padding only.
        } else {
            words.push(word);
        }
    }
    SqlType {
        params: numbers(params.split(',')),
        unsigned,
        ..SqlType::named(&words.join(" "))
    }
}

/// Leading numeric parameters; stops at the first one that is not a number (`MAX`).
fn numbers<'a>(parts: impl Iterator<Item = &'a str>) -> Vec<u64> {
    parts
        .map(|p| {
            p.split_whitespace()
                .next()
                .unwrap_or_default()
                .parse::<u64>()
        })
        .map_while(Result::ok)
        .collect()
}

/// A column definition plus the constraints declared inline on it (`REFERENCES`, `CHECK`),
/// which the model keeps at table level.
pub(crate) fn column_def<'a>(
    name: &Ident,
    data_type: &DataType,
    options: impl IntoIterator<Item = &'a ColumnOption>,
) -> (ColumnDef, Vec<Constraint>) {
    let mut column = ColumnDef::new(ident(name), sql_type(data_type));
    let mut constraints = Vec::new();
    if column.ty.as_ref().is_some_and(is_serial) {
        column.auto_increment = true;
        column.nullable = false;
    }
    for option in options {
        match option {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(expr) => column.default = Some(expr.to_string()),
            ColumnOption::PrimaryKey(_) => {
                column.primary_key = true;
                column.nullable = false;
            }
            ColumnOption::Unique(_) => column.unique = true,
            ColumnOption::ForeignKey(fk) => constraints.push(Constraint {
                name: fk.name.as_ref().map(ident),
                kind: foreign_key(fk),
                columns: vec![column.name.clone()],
                not_valid: false,
            }),
            ColumnOption::Check(check) => constraints.push(Constraint {
                name: check.name.as_ref().map(ident),
                kind: ConstraintKind::Check {
                    expr: check.expr.to_string(),
                },
                columns: vec![column.name.clone()],
                not_valid: false,
            }),
            ColumnOption::DialectSpecific(tokens) if tokens.iter().any(is_auto_increment) => {
                column.auto_increment = true;
            }
            ColumnOption::Generated {
                generation_expr, ..
            } => {
                if generation_expr.is_some() {
                    column.generated = true;
                } else {
                    // `GENERATED ... AS IDENTITY`: PostgreSQL makes the column NOT NULL.
                    column.auto_increment = true;
                    column.nullable = false;
                }
            }
            ColumnOption::Identity(_) => column.auto_increment = true,
            ColumnOption::Materialized(_) | ColumnOption::Alias(_) => column.generated = true,
            // A collation decides which values compare equal, how they sort and what a unique
            // key rejects, for old and new code alike (and MySQL copies the table to change it).
            ColumnOption::CharacterSet(_) | ColumnOption::Collation(_) => {
                let declared = option.to_string().to_lowercase();
                column.collation = Some(match column.collation.take() {
                    Some(before) => format!("{before} {declared}"),
                    None => declared,
                });
            }
            // Comments, `ON UPDATE` and the like do not change which rows or statements the
            // column accepts.
            _ => {}
        }
    }
    (column, constraints)
}

fn is_auto_increment(token: &Token) -> bool {
    matches!(token, Token::Word(w)
        if w.value.eq_ignore_ascii_case("AUTO_INCREMENT")
            || w.value.eq_ignore_ascii_case("AUTOINCREMENT"))
}

/// What a table constraint in `CREATE TABLE` or `ADD ...` becomes.
pub(crate) enum Lowered {
    /// A constraint in the model's sense.
    Constraint(Constraint),
    /// An index (MySQL `INDEX` / `KEY` / `UNIQUE INDEX`, `FULLTEXT`, `SPATIAL`).
    Index {
        /// Index name, when given.
        name: Option<String>,
        /// Indexed columns.
        columns: Vec<String>,
        /// Unique index.
        unique: bool,
    },
    /// Something the model has no place for, named for the report.
    Other(&'static str),
}

/// Lowers a table constraint; `not_valid` is PostgreSQL's `NOT VALID`.
pub(crate) fn table_constraint(constraint: &TableConstraint, not_valid: bool) -> Lowered {
    let make = |name: Option<&Ident>, kind, columns| {
        Lowered::Constraint(Constraint {
            name: name.map(ident),
            kind,
            columns,
            not_valid,
        })
    };
    match constraint {
        TableConstraint::PrimaryKey(pk) => make(
            pk.name.as_ref().or(pk.index_name.as_ref()),
            ConstraintKind::PrimaryKey,
            index_columns(&pk.columns),
        ),
        TableConstraint::Unique(u) if u.index_type_display != KeyOrIndexDisplay::None => {
            Lowered::Index {
                name: u.index_name.as_ref().or(u.name.as_ref()).map(ident),
                columns: index_columns(&u.columns),
                unique: true,
            }
        }
        TableConstraint::Unique(u) => make(
            u.name.as_ref().or(u.index_name.as_ref()),
            ConstraintKind::Unique,
            index_columns(&u.columns),
        ),
        TableConstraint::ForeignKey(fk) => make(
            fk.name.as_ref().or(fk.index_name.as_ref()),
            foreign_key(fk),
            idents(&fk.columns),
        ),
        TableConstraint::Check(check) => make(
            check.name.as_ref(),
            ConstraintKind::Check {
                expr: check.expr.to_string(),
            },
            Vec::new(),
        ),
        // The columns live in an index built beforehand; the constraint is what changes.
        TableConstraint::PrimaryKeyUsingIndex(c) => {
            make(c.name.as_ref(), ConstraintKind::PrimaryKey, Vec::new())
        }
        TableConstraint::UniqueUsingIndex(c) => {
            make(c.name.as_ref(), ConstraintKind::Unique, Vec::new())
        }
        TableConstraint::Index(index) => Lowered::Index {
            name: index.name.as_ref().map(ident),
            columns: index_columns(&index.columns),
            unique: false,
        },
        TableConstraint::FulltextOrSpatial(index) => Lowered::Index {
            name: index.opt_index_name.as_ref().map(ident),
            columns: index_columns(&index.columns),
            unique: false,
        },
        TableConstraint::Exclude(_) => Lowered::Other("EXCLUDE constraint"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_types_split_into_parts() {
        assert_eq!(
            parse_type_text("VARCHAR(100)"),
            SqlType::with_params("VARCHAR", &[100])
        );
        assert_eq!(
            parse_type_text("DECIMAL(10,2) UNSIGNED"),
            SqlType {
                unsigned: true,
                ..SqlType::with_params("DECIMAL", &[10, 2])
            }
        );
        assert_eq!(
            parse_type_text("TIMESTAMP(3) WITH TIME ZONE"),
            SqlType::with_params("TIMESTAMP WITH TIME ZONE", &[3])
        );
        assert_eq!(parse_type_text("varchar(MAX)"), SqlType::named("VARCHAR"));
        assert_eq!(
            parse_type_text("CHARACTER VARYING(200 CHARACTERS)"),
            SqlType::with_params("CHARACTER VARYING", &[200])
        );
    }
}

//! The lock each operation takes and what it does to the table's rows, per database and
//! release: the manuals' tables as data (PostgreSQL's "Explicit Locking" and `ALTER TABLE`
//! pages, MySQL's "Online DDL Operations", MariaDB's "InnoDB Online DDL" pages, SQLite's
//! "ALTER TABLE"). docs/locks.md gives the same facts in prose, with the sources.
//!
//! The answer is for the statement as written, without an `ALGORITHM=` or `LOCK=` clause:
//! what the server picks by itself. Rules read it instead of keeping their own lists.

pub mod mysql;
pub mod postgres;
pub mod sqlite;
#[cfg(test)]
mod tests;

pub use sqlite::rebuild_reason as sqlite_rebuild_reason;

use crate::model::lock::{Lock, Target};
use crate::model::ops::{ColumnDef, Dialect, Operation};

/// The lock `op` takes on its table and what it does to the rows, on the `target` release
/// of `dialect`'s database. `before` is the column the operation changes as the replayed
/// schema had it just before (`None` when the operation changes no column, or the schema
/// does not know it). `None` when the statement locks no table (transaction control, `SET`,
/// a new table, a type, a grant) or the dialect names no database.
pub fn lock(
    op: &Operation,
    before: Option<&ColumnDef>,
    dialect: Dialect,
    target: &Target,
) -> Option<Lock> {
    match dialect {
        Dialect::Postgres => postgres::lock(op, before, target.postgres),
        Dialect::Mysql => mysql::lock(op, before, target.mysql_server, target.mysql),
        Dialect::Sqlite => sqlite::lock(op, target.sqlite),
        Dialect::Generic => None,
    }
}

/// Whether `source` holds `words` as a phrase (case and spacing ignored), outside quotes.
fn has_words(source: &str, words: &str) -> bool {
    let tokens: Vec<String> = unquoted(source)
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let wanted: Vec<&str> = words.split_whitespace().collect();
    tokens
        .windows(wanted.len())
        .any(|w| w.iter().zip(&wanted).all(|(a, b)| a == b))
}

/// `source` with the contents of string literals blanked, so a keyword inside a default
/// value or a comment string does not count.
fn unquoted(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut quote: Option<char> = None;
    for c in source.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(' ');
            }
            Some(_) => out.push(' '),
            None if c == '\'' => {
                quote = Some(c);
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    out
}

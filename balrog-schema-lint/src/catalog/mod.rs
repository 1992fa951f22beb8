//! The schema catalog: replays operations into a model of the database schema, answers
//! questions about the state before an operation, and compares two states.
//!
//! Replay never stops: an operation that does not fit the model (dropping a table that is
//! not there) is reported as [`Applied::Conflict`] and the catalog carries on with a
//! best-effort state. Operations the tool does not model mark the objects they touch as
//! uncertain instead of being ignored.

mod types;

pub use types::{compare_types, TypeChange};

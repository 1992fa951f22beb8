//! Reading migration text into operations: SQL and Python (the only users of the parsers),
//! and the suppression comments in either.

pub mod directives;
pub mod python;
pub mod sql;

//! The vocabulary every stage speaks: operations, migration files and versions, verdicts
//! and findings. It imports nothing else from the crate.

pub mod dialect_source;
pub mod finding;
pub mod foreign_key;
pub mod migration;
pub mod named;
pub mod ops;
pub mod profile;
pub mod programs;
pub mod release_tags;

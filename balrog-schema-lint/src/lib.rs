//! balrog-schema-lint: judges whether the schema migrations between two releases are safe
//! to deploy, and in which order.
#![warn(missing_docs)]

pub mod catalog;
pub mod config;
pub mod error;
pub mod ops;
pub mod python;
pub mod report;
pub mod sql;

pub use error::{Error, Result};

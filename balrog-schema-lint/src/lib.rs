//! balrog-schema-lint: judges whether the schema migrations between two releases are safe
//! to deploy, and in which order.
//!
//! The data flows one way: git range -> migration discovery -> reading (SQL and Python) into
//! [`ops::Operation`]s -> classification and rules -> deploy plan -> [`report::Report`].
//! The library never prints and never exits; the `balrog-schema-lint` binary does both.
//!
//! ```no_run
//! use balrog_schema_lint::{check, CheckRequest};
//!
//! let report = check(&CheckRequest {
//!     repo: ".".into(),
//!     from: Some("v3.40".into()),
//!     ..CheckRequest::default()
//! })?;
//! println!("{} first: {:?}", report.verdict.name(), report.plan.steps.first());
//! # Ok::<(), balrog_schema_lint::Error>(())
//! ```
#![warn(missing_docs)]

pub mod analysis;
pub mod catalog;
pub mod classify;
pub mod config;
pub mod discover;
pub mod error;
pub mod git;
pub mod history;
pub mod lint;
pub mod ops;
pub mod plan;
pub mod pull_request;
pub mod python;
pub mod references;
pub mod repo_context;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sql;
pub mod suppress;
pub mod version;

pub use error::{Error, Result};
pub use lint::{check, CheckRequest};
pub use report::{Report, Severity, Verdict};

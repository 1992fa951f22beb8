//! balrog-schema-lint: judges whether the schema migrations between two releases are safe
//! to deploy, and in which order.
//!
//! The data flows one way: git range -> migration discovery -> reading (SQL and Python) into
//! operations ([`OpKind`]) -> classification and rules -> deploy plan -> [`Report`].
//! The library never prints and never exits; the `balrog-schema-lint` binary does both.
//!
//! What a deploy tool does with it: check a release range, read the verdict and the ordered
//! plan as data, and keep the report as JSON.
//!
//! ```
//! use balrog_schema_lint::{check, CheckRequest, Verdict};
//! # use git2::{Repository, Signature, Time};
//! # fn commit(repo: &Repository, files: &[(&str, &str)], tag: &str) {
//! #     let mut dir = repo.treebuilder(None).unwrap();
//! #     for (name, sql) in files {
//! #         dir.insert(name, repo.blob(sql.as_bytes()).unwrap(), 0o100644).unwrap();
//! #     }
//! #     let mut root = repo.treebuilder(None).unwrap();
//! #     root.insert("migrations", dir.write().unwrap(), 0o040000).unwrap();
//! #     let tree = repo.find_tree(root.write().unwrap()).unwrap();
//! #     let sig = Signature::new("r", "r@example.com", &Time::new(1_700_000_000, 0)).unwrap();
//! #     let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
//! #     let parents: Vec<&git2::Commit> = parent.iter().collect();
//! #     let id = repo.commit(Some("HEAD"), &sig, &sig, tag, &tree, &parents).unwrap();
//! #     repo.tag_lightweight(tag, &repo.find_object(id, None).unwrap(), false).unwrap();
//! # }
//! # let dir = tempfile::tempdir().unwrap();
//! # let repo = Repository::init(dir.path()).unwrap();
//! # let init = "CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, legacy_flag INT);";
//! # commit(&repo, &[("0001_init.sql", init)], "v3.40");
//! # let drop = "ALTER TABLE rules DROP COLUMN legacy_flag;";
//! # commit(&repo, &[("0001_init.sql", init), ("0002_drop_legacy.sql", drop)], "v3.41");
//! // A repository whose release v3.41 drops a column that v3.40 has.
//! let report = check(&CheckRequest {
//!     repo: dir.path().to_path_buf(),
//!     from: Some("v3.40".into()),
//!     to: Some("v3.41".into()),
//!     ..CheckRequest::default()
//! })?;
//!
//! // Destructive: the public app deploys first, the migrator (schema upgrade) last.
//! assert_eq!(report.verdict, Verdict::Destructive);
//! let order: Vec<&str> = report
//!     .plan
//!     .steps
//!     .iter()
//!     .flat_map(|step| step.services.iter().map(String::as_str))
//!     .collect();
//! // This repository is not Balrog and names no services, so the plan names roles; in
//! // Balrog (its `auslib` layout, or `profile = "balrog"`) they are balrog-production,
//! // then balrog-admin-production.
//! assert_eq!(order, ["the application", "the service that runs the migrations"]);
//! assert!(!report.fails_at(balrog_schema_lint::Severity::Error));
//!
//! // The report is plain data with a versioned JSON form.
//! let json = serde_json::to_value(&report).unwrap();
//! assert_eq!(json["schema_version"], 1);
//! assert_eq!(json["migrations"][0]["operations"][0]["kind"], "drop-column");
//! # Ok::<(), balrog_schema_lint::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The stages are private: the API is the short list of re-exports below, so that internal
// changes break no caller. The `internals` feature makes them public for the fuzz targets
// and benchmarks only; nothing else may depend on it.
//
// Bottom to top: each module imports only from the layers before it in this list (and
// from inside itself). `tests/architecture.rs` checks it; README's module map describes it.
macro_rules! layers {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        mod $name;
    )*};
}

layers!(error, model, read, config, catalog, repo, classify, plan, analysis, rules, report, lint);

pub mod render;

pub use catalog::SchemaChange;
pub use config::{Config, Location, RuleLevel, Service, Services, CONFIG_FILE};
pub use error::{Error, Result};
pub use lint::history::{history, history_each, HistoryEvent, HistoryRequest, Progress};
pub use lint::pull_request::{check_pull_request, DEFAULT_BASES};
pub use lint::schema_diff::{schema_at, schema_diff};
pub use lint::{check, check_repository, CheckRequest};
pub use model::dialect_source::{DialectSource, Evidence, EvidenceKind};
pub use model::finding::{Finding, RelatedLocation, Severity, Verdict};
pub use model::foreign_key::{Deferrable, ForeignKeyActions, ReferentialAction};
pub use model::migration::{FileStatus, LedgerFile, MigrationFormat};
pub use model::ops::{
    ColumnDef, Constraint, ConstraintKind, DataChangeKind, Dialect, Direction, MaintenanceCommand,
    OpKind, SqlType,
};
pub use model::profile::Profile;
pub use plan::cut::{
    Bisect, Blocked, CommitRef, Conflict, ConflictKind, Culprit, Cut, DeployOrder, MigrationRef,
    PlacedMigration, SplitRelease,
};
pub use plan::{Plan, PlanStep, Split, StepAction, WaitFor};
pub use report::{
    Counts, History, HistoryHeader, MigrationReport, OperationReport, Pair, PullRequestReport,
    Report, Revision, SchemaDiff, HISTORY_SCHEMA_VERSION, SCHEMA_VERSION,
};
pub use rules::{all as rules, find as find_rule, Category, Rule};

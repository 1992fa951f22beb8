//! The repository: git trees and diffs, where migrations live and in which order, reading
//! their blobs (once per run), and searching the code for names.

pub mod code_search;
pub mod dialect_evidence;
pub mod discover;
pub mod files;
pub mod git;
pub mod profile;
pub mod python_imports;
pub mod release_tags;
pub mod tree_diff;
pub mod layout;

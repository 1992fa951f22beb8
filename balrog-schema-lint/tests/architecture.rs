//! The crate is layered one way: each top-level module imports only from the layers below
//! it (and from inside itself). This test reads every `crate::` path of every source file
//! and fails when a module reaches up, so the shape stays true without anyone policing it.
//!
//! The layers, bottom to top (README's module map describes the same list):
//!
//! | layer      | holds                                                              |
//! |------------|--------------------------------------------------------------------|
//! | `error`    | `Error`, `Result`                                                  |
//! | `model`    | the vocabulary: operations, migration files and versions, verdict, severity, finding |
//! | `read`     | SQL and Python text -> operations; suppression comments             |
//! | `config`   | TOML -> `Config` (rule names come in as an argument)               |
//! | `catalog`  | the replayed schema, its DDL and differences                       |
//! | `repo`     | git, migration discovery, blob reading, code search                |
//! | `classify` | operations + catalog -> directions and the verdict                 |
//! | `plan`     | verdict + services -> `Plan`                                       |
//! | `analysis` | what rules read                                                    |
//! | `rules`    | the rule registry and one file per rule                            |
//! | `report`   | output documents as data (report, history, pull request, schema diff) |
//! | `lint`     | the pipeline: `check`, `history`, pull requests, schema diff       |
//! | `render`   | text, JSON, SARIF, GitHub, GitLab, JUnit, Markdown renderers        |
//!
//! `lib.rs` sits above them all: it only declares the modules and re-exports.

use std::path::{Path, PathBuf};

/// Bottom to top.
const LAYERS: [&str; 13] = [
    "error", "model", "read", "config", "catalog", "repo", "classify", "plan", "analysis", "rules",
    "report", "lint", "render",
];

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`lint/changes.rs` -> `lint`).
fn owner(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("file under src");
    let first = relative
        .components()
        .next()
        .expect("non-empty path")
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules named by `crate::` paths in one line of code, including each
/// member of a `crate::{a, b::c}` group.
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        // `balrog_schema_lint::...` or `some_crate::` are not paths into this crate.
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                    _ if depth == 0 => item.push(c),
                    _ => {}
                }
            }
            items.push(item);
            for item in items {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

/// Joins `use crate::{` groups that rustfmt spread over several lines into one line, and
/// drops comments (docs may mention a path without importing it).
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let code = match raw.find("//") {
            Some(at) if !raw[..at].contains('"') => &raw[..at],
            _ => raw,
        };
        if let Some((start, mut joined)) = pending.take() {
            joined.push_str(code.trim());
            if code.contains('}') && joined.matches('{').count() <= joined.matches('}').count() {
                lines.push((start, joined));
            } else {
                pending = Some((start, joined));
            }
            continue;
        }
        if code.contains("crate::{") && code.matches('{').count() > code.matches('}').count() {
            pending = Some((index + 1, code.to_string()));
        } else {
            lines.push((index + 1, code.to_string()));
        }
    }
    lines.extend(pending);
    lines
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

#[test]
fn every_module_imports_only_from_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let module = owner(&src, file);
        if module == "lib" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            violations.push(format!(
                "{}: module `{module}` is in no layer; add it to LAYERS (and README's map)",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for (line, code) in code_lines(&text) {
            for target in crate_paths(&code) {
                if target == module {
                    continue;
                }
                match layer_of(&target) {
                    Some(layer) if layer < own => {}
                    Some(_) => violations.push(format!(
                        "{}:{line}: `{module}` imports `{target}`, a layer at or above it",
                        file.strip_prefix(&src).unwrap_or(file).display()
                    )),
                    // The crate root's re-exports (`crate::check`) reach every layer.
                    None => violations.push(format!(
                        "{}:{line}: `{module}` uses `crate::{target}`; name the module it lives in",
                        file.strip_prefix(&src).unwrap_or(file).display()
                    )),
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the layering:\n{}",
        violations.join("\n")
    );
}

/// The module graph as it is: each layer, bottom to top, and the layers it imports. A
/// snapshot, so that a new dependency between layers shows up in review (README's module
/// map describes the same graph).
#[test]
fn module_graph() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut imports: Vec<std::collections::BTreeSet<usize>> =
        vec![Default::default(); LAYERS.len()];
    for file in &files {
        let Some(own) = layer_of(&owner(&src, file)) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for (_, code) in code_lines(&text) {
            for target in crate_paths(&code) {
                if let Some(layer) = layer_of(&target).filter(|l| *l != own) {
                    imports[own].insert(layer);
                }
            }
        }
    }
    let graph: Vec<String> = LAYERS
        .iter()
        .zip(&imports)
        .map(|(layer, below)| {
            let names: Vec<&str> = below.iter().map(|l| LAYERS[*l]).collect();
            if names.is_empty() {
                format!("{layer}: (nothing)")
            } else {
                format!("{layer}: {}", names.join(", "))
            }
        })
        .collect();
    insta::assert_snapshot!("module_graph", graph.join("\n"));
}

/// lib.rs declares the private stages in a `layers!(...)` list, bottom to top, then the
/// public `render` module: the same order as [`LAYERS`].
#[test]
fn lib_declares_the_layers_in_order() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let list = lib
        .split("\nlayers!(")
        .nth(1)
        .and_then(|rest| rest.split_once(");"))
        .map(|(list, _)| list)
        .expect("a layers!(...) list in lib.rs");
    let mut declared: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    declared.extend(lib.lines().filter_map(|l| {
        l.strip_prefix("pub mod ")
            .or_else(|| l.strip_prefix("mod "))
            .and_then(|r| r.strip_suffix(';'))
    }));
    assert_eq!(declared, LAYERS);
}

#[test]
fn the_path_reader_sees_groups_and_skips_other_crates() {
    assert_eq!(crate_paths("use crate::model::ops::Dialect;"), ["model"]);
    assert_eq!(
        crate_paths("use crate::{read::sql, lint::{a, b}, report};"),
        ["read", "lint", "report"]
    );
    assert!(crate_paths("use balrog_schema_lint::lint::check;").is_empty());
    let joined = code_lines("use crate::{\n    a::b,\n    c,\n};\n// crate::d\n");
    assert_eq!(crate_paths(&joined[0].1), ["a", "c"]);
    assert!(crate_paths(&joined[1].1).is_empty());
}

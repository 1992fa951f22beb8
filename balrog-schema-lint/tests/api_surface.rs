//! The public API, as a reviewed list: every item `lib.rs` re-exports, the public methods
//! and associated constants of each re-exported type, and the public functions and types of
//! the `render` module. An addition or removal changes the snapshot, so it shows up in
//! review. Each item must also carry a doc comment with an example (a doctest).
//!
//! rustdoc's JSON output would give the same list, but it needs a nightly compiler; this
//! reads the source instead.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The file that defines module `path` (`lint::history` -> `src/lint/history.rs`).
fn module_file(path: &[&str]) -> PathBuf {
    let joined = path.join("/");
    let file = src().join(format!("{joined}.rs"));
    if file.exists() {
        file
    } else {
        src().join(joined).join("mod.rs")
    }
}

/// `pub use` lines of lib.rs as (module path, item name, public name).
fn reexports(lib: &str) -> Vec<(Vec<String>, String, String)> {
    let mut found = Vec::new();
    let mut statement = String::new();
    for line in lib.lines() {
        let line = line.trim();
        if statement.is_empty() && !line.starts_with("pub use ") {
            continue;
        }
        statement.push_str(line);
        statement.push(' ');
        if !line.ends_with(';') {
            continue;
        }
        let body = statement
            .trim()
            .trim_start_matches("pub use ")
            .trim_end_matches(';')
            .to_string();
        statement.clear();
        let (prefix, items) = match body.split_once("::{") {
            Some((prefix, items)) => (prefix.to_string(), items.trim_end_matches('}').to_string()),
            None => {
                let (prefix, item) = body.rsplit_once("::").expect("a path");
                (prefix.to_string(), item.to_string())
            }
        };
        let module: Vec<String> = prefix.split("::").map(str::to_string).collect();
        for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (name, public) = match item.split_once(" as ") {
                Some((name, public)) => (name.trim(), public.trim()),
                None => (item, item),
            };
            found.push((module.clone(), name.to_string(), public.to_string()));
        }
    }
    found
}

/// The doc comment right above line `index` (attributes skipped).
fn doc_above(lines: &[&str], index: usize) -> String {
    let mut doc = Vec::new();
    for line in lines[..index].iter().rev() {
        let line = line.trim();
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text);
        } else if line.starts_with("#[") {
            continue;
        } else {
            break;
        }
    }
    doc.reverse();
    doc.join("\n")
}

/// What a source line declares publicly: ("fn" | "struct" | ..., name).
fn declaration(line: &str) -> Option<(&'static str, String)> {
    let rest = line.trim_start().strip_prefix("pub ")?;
    for kind in ["fn", "struct", "enum", "const", "type", "trait"] {
        if let Some(after) = rest.strip_prefix(kind).and_then(|r| r.strip_prefix(' ')) {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            return Some((kind, name));
        }
    }
    None
}

fn source_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&src(), &mut found);
    found.sort();
    found
}

struct Surface {
    items: Vec<String>,
    undocumented: Vec<String>,
}

impl Surface {
    fn add(&mut self, label: String, lines: &[&str], index: usize) {
        if !doc_above(lines, index).contains("```") {
            self.undocumented.push(label.clone());
        }
        self.items.push(label);
    }

    /// The public methods and constants of `impl Type` blocks in `text`.
    fn methods(&mut self, public: &str, name: &str, text: &str, type_doc: &str) {
        let lines: Vec<&str> = text.lines().collect();
        let mut inside = false;
        for (index, line) in lines.iter().enumerate() {
            if line.starts_with("impl ") {
                let header = line.trim_end_matches('{').trim();
                inside = header == format!("impl {name}")
                    || header.starts_with(&format!("impl {name}<"))
                    || header.starts_with(&format!("impl<'r> {name}<"));
                continue;
            }
            if line.starts_with('}') {
                inside = false;
            }
            if !inside || !line.starts_with("    pub ") {
                continue;
            }
            if let Some((kind, method)) = declaration(line) {
                let label = format!("{kind} {public}::{method}");
                // The type's own example may be the one that shows the method.
                let shown = type_doc.contains(&format!(".{method}("))
                    || type_doc.contains(&format!("::{method}"));
                if shown {
                    self.items.push(label);
                } else {
                    self.add(label, &lines, index);
                }
            }
        }
    }
}

fn surface() -> Surface {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let mut surface = Surface {
        items: Vec::new(),
        undocumented: Vec::new(),
    };
    for (module, name, public) in reexports(&lib) {
        let mut path: Vec<&str> = module.iter().map(String::as_str).collect();
        // Follow a module's own `pub use child::{.., Name, ..}` to the child that defines it.
        let text = std::fs::read_to_string(module_file(&path)).expect("module source");
        if let Some(child) = text.lines().find_map(|l| {
            let rest = l.strip_prefix("pub use ")?;
            let (child, items) = rest.split_once("::")?;
            let listed = items
                .trim_matches(|c| c == '{' || c == '}' || c == ';')
                .split(',')
                .any(|i| i.trim() == name);
            listed.then_some(child)
        }) {
            path.push(child);
        }
        let file = module_file(&path);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
        let lines: Vec<&str> = text.lines().collect();
        let Some((index, (kind, _))) = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.starts_with(' '))
            .find_map(|(i, l)| declaration(l).filter(|(_, n)| *n == name).map(|d| (i, d)))
        else {
            panic!("{name} is not declared at the top of {}", file.display());
        };
        surface.add(format!("{kind} {public}"), &lines, index);
        if matches!(kind, "struct" | "enum") {
            let type_doc = doc_above(&lines, index);
            for other in source_files() {
                let text = std::fs::read_to_string(&other).expect("source");
                surface.methods(&public, &name, &text, &type_doc);
            }
        }
    }
    let render = std::fs::read_to_string(src().join("render/mod.rs")).expect("render");
    for line in render.lines() {
        let Some(module) = line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        else {
            continue;
        };
        let text = std::fs::read_to_string(module_file(&["render", module])).expect("module");
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if let Some((kind, name)) = declaration(line).filter(|_| !line.starts_with(' ')) {
                surface.add(format!("{kind} render::{module}::{name}"), &lines, index);
            }
        }
    }
    surface.items.sort();
    surface
}

#[test]
fn public_api_surface() {
    let surface = surface();
    insta::assert_snapshot!("public_api", surface.items.join("\n"));
}

#[test]
fn every_public_item_has_an_example() {
    let surface = surface();
    assert!(
        surface.undocumented.is_empty(),
        "public items without a doctest example in their doc comment:\n{}",
        surface.undocumented.join("\n")
    );
}

//! The JSON contract of the report: a JSON Schema generated from the report types' source
//! (the structs and enums with their serde attributes), committed as
//! `docs/report.schema.json`, and a small validator for the subset of JSON Schema it uses
//! (`type`, `properties`, `required`, `additionalProperties: false`, `items`, `enum`,
//! `const`, `oneOf`, `anyOf`, `$ref`, `minimum`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

/// Where the committed schema lives.
pub fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/report.schema.json")
}

/// The committed schema.
pub fn committed_schema() -> Value {
    let text = std::fs::read_to_string(schema_path()).expect("docs/report.schema.json");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn library_source(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../balrog-schema-lint/src")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// One field of a struct or of an enum variant.
struct Field {
    name: String,
    ty: String,
    skipped_when_empty: bool,
    flatten: bool,
}

/// The body lines of `pub struct Name {` / `pub enum Name {` (up to the closing `}`), and
/// the attribute lines above it.
fn item<'a>(text: &'a str, keyword: &str, name: &str) -> (Vec<&'a str>, Vec<&'a str>) {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with(&format!("pub {keyword} {name} ")))
        .unwrap_or_else(|| panic!("pub {keyword} {name} not found"));
    let attrs: Vec<&str> = lines[..start]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
        .copied()
        .filter(|l| l.starts_with("#["))
        .collect();
    let body: Vec<&str> = lines[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with('}'))
        .copied()
        .collect();
    (body, attrs)
}

/// Fields in `lines` at the given indentation (`pub name: Type,` or `name: Type,`).
fn fields(lines: &[&str], indent: usize) -> Vec<Field> {
    let mut found = Vec::new();
    let mut serde_attrs = String::new();
    for line in lines {
        let depth = line.len() - line.trim_start().len();
        let code = line.trim();
        if depth != indent {
            continue;
        }
        if code.starts_with("#[serde") {
            serde_attrs.push_str(code);
            continue;
        }
        if code.starts_with("///") || code.starts_with("#[") {
            continue;
        }
        let code = code.trim_start_matches("pub ");
        if let Some((name, ty)) = code.split_once(": ") {
            let skip = serde_attrs.contains("skip_serializing_if");
            if !serde_attrs.contains("skip)") {
                found.push(Field {
                    name: name.to_string(),
                    ty: ty.trim_end_matches(',').to_string(),
                    skipped_when_empty: skip,
                    flatten: serde_attrs.contains("flatten"),
                });
            }
        }
        serde_attrs.clear();
    }
    found
}

/// `KebabCase` for `rename_all = "kebab-case"`, `lowercase`, or the name as written.
fn rename(name: &str, rule: Option<&str>) -> String {
    match rule {
        Some("kebab-case") => {
            let mut out = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
        Some("lowercase") => name.to_lowercase(),
        _ => name.to_string(),
    }
}

fn serde_arg<'a>(attrs: &[&'a str], key: &str) -> Option<&'a str> {
    attrs.iter().find_map(|a| {
        let at = a.find(&format!("{key} = \""))?;
        let rest = &a[at + key.len() + 4..];
        rest.split('"').next()
    })
}

/// The types the schema describes, each with the file that defines it.
const TYPES: [(&str, &str, &str); 45] = [
    ("Report", "struct", "report/mod.rs"),
    ("Revision", "struct", "report/mod.rs"),
    ("MigrationReport", "struct", "report/mod.rs"),
    ("OperationReport", "struct", "report/mod.rs"),
    ("Counts", "struct", "report/mod.rs"),
    ("Finding", "struct", "model/finding.rs"),
    ("RelatedLocation", "struct", "model/finding.rs"),
    ("Verdict", "enum", "model/finding.rs"),
    ("Severity", "enum", "model/finding.rs"),
    ("Plan", "struct", "plan/mod.rs"),
    ("PlanStep", "struct", "plan/mod.rs"),
    ("StepAction", "enum", "plan/mod.rs"),
    ("WaitFor", "enum", "plan/mod.rs"),
    ("Service", "struct", "config.rs"),
    ("Split", "struct", "plan/mod.rs"),
    ("Cut", "struct", "plan/cut.rs"),
    ("CommitRef", "struct", "plan/cut.rs"),
    ("SplitRelease", "struct", "plan/cut.rs"),
    ("DeployOrder", "enum", "plan/cut.rs"),
    ("MigrationRef", "struct", "plan/cut.rs"),
    ("Blocked", "struct", "plan/cut.rs"),
    ("Conflict", "struct", "plan/cut.rs"),
    ("ConflictKind", "enum", "plan/cut.rs"),
    ("PlacedMigration", "struct", "plan/cut.rs"),
    ("Bisect", "struct", "plan/cut.rs"),
    ("Culprit", "struct", "plan/cut.rs"),
    ("FileStatus", "enum", "model/migration.rs"),
    ("MigrationFormat", "enum", "model/migration.rs"),
    ("LedgerFile", "struct", "model/migration.rs"),
    ("Dialect", "enum", "model/ops.rs"),
    ("DialectSource", "enum", "model/dialect_source.rs"),
    ("Evidence", "struct", "model/dialect_source.rs"),
    ("EvidenceKind", "enum", "model/dialect_source.rs"),
    ("Profile", "enum", "model/profile.rs"),
    ("Direction", "enum", "model/ops.rs"),
    ("SqlType", "struct", "model/ops.rs"),
    ("ColumnDef", "struct", "model/ops.rs"),
    ("Constraint", "struct", "model/ops.rs"),
    ("ForeignKeyActions", "struct", "model/foreign_key.rs"),
    ("ReferentialAction", "enum", "model/foreign_key.rs"),
    ("Deferrable", "enum", "model/foreign_key.rs"),
    ("DataChangeKind", "enum", "model/ops.rs"),
    ("MaintenanceCommand", "enum", "model/ops.rs"),
    ("ObjectKind", "enum", "model/named.rs"),
    ("ObjectChange", "enum", "model/named.rs"),
];

fn type_schema(ty: &str) -> Value {
    if let Some(inner) = ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
        return json!({ "anyOf": [type_schema(inner), { "type": "null" }] });
    }
    if let Some(inner) = ty.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')) {
        return json!({ "type": "array", "items": type_schema(inner) });
    }
    match ty {
        "String" => json!({ "type": "string" }),
        "bool" => json!({ "type": "boolean" }),
        "u32" | "u64" | "usize" => json!({ "type": "integer", "minimum": 0 }),
        other => json!({ "$ref": format!("#/$defs/{other}") }),
    }
}

/// An object schema from fields (flattened ones are merged by the caller).
fn object(fields: &[Field], extra: &[(String, Value, bool)]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, schema, is_required) in extra {
        properties.insert(name.clone(), schema.clone());
        if *is_required {
            required.push(Value::String(name.clone()));
        }
    }
    for field in fields.iter().filter(|f| !f.flatten) {
        properties.insert(field.name.clone(), type_schema(&field.ty));
        if !field.skipped_when_empty {
            required.push(Value::String(field.name.clone()));
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// An internally tagged enum (`tag = "..."`) as one object schema per variant, each with
/// `base` fields (the struct that flattens it) merged in.
fn tagged_variants(file: &str, name: &str, base: &[Field]) -> Value {
    let text = library_source(file);
    let (body, attrs) = item(&text, "enum", name);
    let rule = serde_arg(&attrs, "rename_all");
    let tag = serde_arg(&attrs, "tag").expect("an internally tagged enum");
    let mut variants = Vec::new();
    let mut index = 0;
    while index < body.len() {
        let line = body[index];
        let code = line.trim();
        let is_variant = line.len() - line.trim_start().len() == 4
            && code.chars().next().is_some_and(char::is_uppercase);
        if !is_variant {
            index += 1;
            continue;
        }
        let variant: String = code.chars().take_while(|c| c.is_alphanumeric()).collect();
        let mut variant_lines = Vec::new();
        if code.ends_with('{') {
            index += 1;
            while index < body.len() && body[index].trim() != "}," {
                variant_lines.push(body[index]);
                index += 1;
            }
        }
        index += 1;
        let mut all = fields(&variant_lines, 8);
        all.extend(base.iter().map(|f| Field {
            name: f.name.clone(),
            ty: f.ty.clone(),
            skipped_when_empty: f.skipped_when_empty,
            flatten: f.flatten,
        }));
        let tag_value = json!({ "const": rename(&variant, rule) });
        variants.push(object(&all, &[(tag.to_string(), tag_value, true)]));
    }
    json!({ "oneOf": variants })
}

/// The JSON Schema of the report, generated from the types' source.
pub fn generate() -> Value {
    let mut defs = BTreeMap::new();
    for (name, keyword, file) in TYPES {
        let text = library_source(file);
        let (body, attrs) = item(&text, keyword, name);
        let schema = match (keyword, name) {
            ("struct", "OperationReport") => {
                tagged_variants("model/ops.rs", "OpKind", &fields(&body, 4))
            }
            ("struct", "Constraint") => {
                tagged_variants("model/ops.rs", "ConstraintKind", &fields(&body, 4))
            }
            ("enum", "DialectSource" | "ObjectChange" | "StepAction" | "WaitFor") => {
                tagged_variants(file, name, &[])
            }
            // `cut` is flattened into the split: its fields, each present or absent together.
            ("struct", "Split") => {
                let cut_source = library_source("plan/cut.rs");
                let (cut_body, _) = item(&cut_source, "struct", "Cut");
                let mut all = fields(&body, 4);
                all.extend(fields(&cut_body, 4).into_iter().map(|f| Field {
                    skipped_when_empty: true,
                    ..f
                }));
                object(&all, &[])
            }
            ("struct", _) => object(&fields(&body, 4), &[]),
            _ => {
                let rule = serde_arg(&attrs, "rename_all");
                let names: Vec<Value> = body
                    .iter()
                    .filter(|l| l.len() - l.trim_start().len() == 4)
                    .map(|l| l.trim())
                    .filter(|l| l.chars().next().is_some_and(char::is_uppercase))
                    .map(|l| Value::String(rename(l.trim_end_matches(','), rule)))
                    .collect();
                json!({ "enum": names })
            }
        };
        defs.insert(name.to_string(), schema);
    }
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/mozilla-releng/balrog-schema-lint/blob/main/docs/report.schema.json",
        "title": "balrog-schema-lint report",
        "description": "The JSON report of `balrog-schema-lint check --format json` (schema_version 1). Generated from the report types by the tests crate (`UPDATE_SCHEMA=1 cargo test -p balrog-schema-lint-tests --test json_contract`); do not edit.",
        "$ref": "#/$defs/Report",
    });
    root["$defs"] = serde_json::to_value(defs).expect("defs");
    root
}

/// Checks `value` against `schema` (resolving `$ref`s in `root`); the error names the JSON
/// path at fault.
pub fn validate(value: &Value, schema: &Value, root: &Value, path: &str) -> Result<(), String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        let target = &root["$defs"][name];
        if target.is_null() {
            return Err(format!("{path}: unknown $ref {reference}"));
        }
        return validate(value, target, root, path);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = options
            .iter()
            .filter(|o| validate(value, o, root, path).is_ok())
            .count();
        return if matching == 1 {
            Ok(())
        } else {
            Err(format!(
                "{path}: matches {matching} of the oneOf schemas, not 1: {value}"
            ))
        };
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        return if options
            .iter()
            .any(|o| validate(value, o, root, path).is_ok())
        {
            Ok(())
        } else {
            Err(format!(
                "{path}: matches none of the anyOf schemas: {value}"
            ))
        };
    }
    if let Some(expected) = schema.get("const") {
        if value != expected {
            return Err(format!("{path}: {value} is not {expected}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            return Err(format!("{path}: {value} is not one of {allowed:?}"));
        }
    }
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        let ok = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_u64() || value.is_i64(),
            "null" => value.is_null(),
            other => return Err(format!("{path}: the validator does not know type {other}")),
        };
        if !ok {
            return Err(format!("{path}: {value} is not of type {ty}"));
        }
    }
    if let (Some(minimum), Some(number)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if number < minimum {
            return Err(format!("{path}: {number} is below {minimum}"));
        }
    }
    if let Some(items) = schema.get("items") {
        for (index, item) in value.as_array().into_iter().flatten().enumerate() {
            validate(item, items, root, &format!("{path}[{index}]"))?;
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(required) {
                return Err(format!("{path}: missing required field `{required}`"));
            }
        }
        for (key, field) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(field_schema) => {
                    validate(field, field_schema, root, &format!("{path}.{key}"))?
                }
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{path}: field `{key}` is not in the schema"));
                }
                None => {}
            }
        }
    }
    Ok(())
}

/// Panics with the JSON path at fault when `report` (a report's JSON) does not match the
/// committed schema.
pub fn assert_valid_report(report: &Value) {
    let schema = committed_schema();
    if let Err(err) = validate(report, &schema, &schema, "$") {
        panic!("the report does not match docs/report.schema.json: {err}");
    }
}

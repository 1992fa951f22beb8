//! SARIF 2.1.0 rendering, for code scanning (GitHub) and any SARIF viewer.
//!
//! Only the objects and properties this tool fills are modelled. The rule metadata comes
//! from the rule registry, so a finding's `ruleIndex` points at its rule's documentation.

use serde::Serialize;

use super::fingerprint::fingerprints;
use crate::model::finding::{Finding, Severity};
use crate::plan::cut::{Bisect, Cut};
use crate::plan::Split;
use crate::report::Report;
use crate::rules::{self, Rule};

/// The schema the document declares.
pub(crate) const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where users learn about the tool.
pub(crate) const INFORMATION_URI: &str = "https://github.com/mozilla-releng/balrog-schema-lint";
/// The key of the fingerprint this tool computes (see [`super::fingerprint`]); serde's
/// rename on `Fingerprints` spells it out, and the tests check the two agree.
#[cfg(test)]
const FINGERPRINT_KEY: &str = "balrog-schema-lint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

/// The verdict and plan travel in the run's property bag, where SARIF allows any data.
#[derive(Serialize)]
struct RunProperties<'a> {
    verdict: &'static str,
    summary: &'a str,
    from: &'a str,
    to: &'a str,
    /// For a mixed release, where to cut it, in words (the data is in `split`).
    #[serde(rename = "whereToCut", skip_serializing_if = "Option::is_none")]
    where_to_cut: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    split: Option<&'a Split>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bisect: Option<&'a Bisect>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    semantic_version: &'a str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Markdown,
    help: Markdown,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

/// A `multiformatMessageString`: `text` is required, `markdown` is the rich form.
#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    category: &'static str,
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
    fingerprints: Fingerprints,
}

/// Another place the result is about (the code that names a dropped column), which viewers
/// link from the result.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    physical_location: PhysicalLocation<'a>,
    message: Text,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "balrog-schema-lint/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

/// The SARIF `level` of a severity.
pub(crate) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The report as a pretty-printed SARIF 2.1.0 log with a trailing newline. Rule metadata is
/// every rule in the registry.
///
/// ```
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let report = balrog_schema_lint::check(&balrog_schema_lint::CheckRequest {
///     repo: dir.path().to_path_buf(),
///     from: Some("v3.40".into()),
///     to: Some("v3.41".into()),
///     ..Default::default()
/// })?;
/// let sarif: serde_json::Value = serde_json::from_str(&balrog_schema_lint::render::sarif::render(&report)).unwrap();
/// assert_eq!(sarif["version"], "2.1.0");
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
pub fn render(report: &Report) -> String {
    let registry: Vec<&Rule> = rules::all().collect();
    render_with_rules(report, &registry)
}

fn descriptor(rule: &Rule) -> RuleDescriptor {
    RuleDescriptor {
        id: rule.name,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_string(),
        },
        full_description: Markdown {
            text: rule.doc.to_string(),
            markdown: rule.doc.to_string(),
        },
        help: Markdown {
            text: rule.summary.to_string(),
            markdown: rule.doc.to_string(),
        },
        default_configuration: Configuration {
            level: level(rule.default_severity),
        },
        properties: RuleProperties {
            category: rule.category.name(),
            tags: vec![rule.category.name(), "schema-migration"],
        },
    }
}

fn result<'a>(finding: &'a Finding, rules: &[&Rule], fingerprint: String) -> SarifResult<'a> {
    let locations = match &finding.path {
        Some(uri) => vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri },
                // SARIF lines start at 1; 0 means "unknown" in this tool's model.
                region: finding
                    .line
                    .filter(|l| *l >= 1)
                    .map(|start_line| Region { start_line }),
            },
        }],
        None => Vec::new(),
    };
    SarifResult {
        rule_id: &finding.rule,
        rule_index: rules.iter().position(|r| r.name == finding.rule),
        level: level(finding.severity),
        message: Text {
            text: format!("{}\nhelp: {}", finding.message, finding.help),
        },
        locations,
        related_locations: finding
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| RelatedLocation {
                id,
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: &related.path },
                    region: Some(Region {
                        start_line: related.line.max(1),
                    }),
                },
                message: Text {
                    text: format!("{}: {}", related.severity.name(), related.message),
                },
            })
            .collect(),
        fingerprints: Fingerprints { v1: fingerprint },
    }
}

/// Renders with the given rule metadata (the registry in production; fixed rules in tests,
/// so that snapshots do not change whenever a rule is added).
fn render_with_rules(report: &Report, rules: &[&Rule]) -> String {
    let results = report
        .findings
        .iter()
        .zip(fingerprints(&report.findings))
        .map(|(f, fp)| result(f, rules, fp))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "balrog-schema-lint",
                    version: &report.tool_version,
                    semantic_version: &report.tool_version,
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().map(|r| descriptor(r)).collect(),
                },
            },
            results,
            properties: RunProperties {
                verdict: report.verdict.name(),
                summary: &report.summary,
                from: &report.from.rev,
                to: &report.to.rev,
                where_to_cut: report
                    .plan
                    .split
                    .as_ref()
                    .and_then(|split| split.cut.as_ref())
                    .map(Cut::sentence),
                split: report.plan.split.as_ref(),
                bisect: report.bisect.as_ref(),
            },
        }],
    };
    let mut text = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|err| format!("{{\"error\": \"cannot serialise the SARIF log: {err}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::report::fixtures;
    use crate::rules::Category;

    /// Fixed metadata, so that the snapshots do not move when the registry grows.
    const TEST_RULES: [Rule; 3] = [
        Rule {
            name: "drop-column",
            category: Category::NewCodeOldSchema,
            default_severity: Severity::Warning,
            summary: "A column is dropped.",
            doc: "## What it does\nFlags dropped columns.",
            enabled_by_default: true,
            standalone_example: true,
        },
        Rule {
            name: "edited-released-migration",
            category: Category::HistoryIntegrity,
            default_severity: Severity::Error,
            summary: "A released migration was edited.",
            doc: "## What it does\nFlags edits to released files.",
            enabled_by_default: true,
            standalone_example: true,
        },
        Rule {
            name: "mixed-release",
            category: Category::ReleaseShape,
            default_severity: Severity::Error,
            summary: "The release both expands and contracts.",
            doc: "## What it does\nFlags mixed releases.",
            enabled_by_default: true,
            standalone_example: true,
        },
    ];

    fn render_fixed(report: &Report) -> String {
        let rules: Vec<&Rule> = TEST_RULES.iter().collect();
        render_with_rules(report, &rules)
    }

    fn object<'v>(value: &'v Value, what: &str) -> &'v serde_json::Map<String, Value> {
        value
            .as_object()
            .unwrap_or_else(|| panic!("{what} must be an object: {value}"))
    }

    fn require(value: &Value, what: &str, keys: &[&str]) {
        let map = object(value, what);
        for key in keys {
            assert!(map.contains_key(*key), "{what} lacks required `{key}`");
        }
    }

    fn message_string(value: &Value, what: &str) {
        require(value, what, &["text"]);
        assert!(value["text"].is_string(), "{what}.text must be a string");
        if let Some(markdown) = value.get("markdown") {
            assert!(markdown.is_string(), "{what}.markdown must be a string");
        }
    }

    /// The required properties and value constraints that SARIF 2.1.0 (OASIS standard,
    /// sections 3.13 onwards) puts on every object this renderer emits. The official JSON
    /// schema is not vendored (it is another project's file) and a schema validator would
    /// be a heavy dependency, so the constraints are written out here instead.
    fn assert_sarif_structure(log: &Value) {
        require(log, "sarifLog", &["version", "runs"]);
        assert_eq!(log["version"], "2.1.0");
        assert!(log["$schema"].is_string());
        let runs = log["runs"].as_array().expect("runs is an array");
        assert!(!runs.is_empty());
        for run in runs {
            require(run, "run", &["tool"]);
            require(&run["tool"], "tool", &["driver"]);
            let driver = &run["tool"]["driver"];
            require(driver, "toolComponent", &["name"]);
            assert!(driver["name"].is_string());
            assert!(driver["informationUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")));
            let rules = driver["rules"].as_array().expect("rules is an array");
            let mut ids = Vec::new();
            for rule in rules {
                require(rule, "reportingDescriptor", &["id"]);
                ids.push(rule["id"].as_str().expect("id is a string"));
                message_string(&rule["shortDescription"], "shortDescription");
                message_string(&rule["fullDescription"], "fullDescription");
                message_string(&rule["help"], "help");
                let level = rule["defaultConfiguration"]["level"].as_str();
                assert!(matches!(level, Some("none" | "note" | "warning" | "error")));
                object(&rule["properties"], "propertyBag");
            }
            let results = run["results"].as_array().expect("results is an array");
            for result in results {
                require(result, "result", &["message"]);
                message_string(&result["message"], "message");
                let level = result["level"].as_str();
                assert!(matches!(level, Some("none" | "note" | "warning" | "error")));
                let rule_id = result["ruleId"].as_str().expect("ruleId is a string");
                if let Some(index) = result.get("ruleIndex") {
                    let index = index.as_u64().expect("ruleIndex is a non-negative integer");
                    assert_eq!(
                        ids.get(index as usize),
                        Some(&rule_id),
                        "ruleIndex points at its rule"
                    );
                }
                for fingerprint in object(&result["fingerprints"], "fingerprints").values() {
                    assert!(fingerprint.is_string());
                }
                if let Some(locations) = result.get("locations") {
                    for location in locations.as_array().expect("locations is an array") {
                        let physical = &location["physicalLocation"];
                        require(physical, "physicalLocation", &["artifactLocation"]);
                        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
                        assert!(!uri.starts_with('/'), "uri is relative to the repository");
                        if let Some(region) = physical.get("region") {
                            let line = region["startLine"].as_u64().expect("startLine");
                            assert!(line >= 1, "startLine starts at 1");
                        }
                    }
                }
            }
        }
    }

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("SARIF is valid JSON")
    }

    #[test]
    fn destructive_release_snapshot() {
        let text = render_fixed(&fixtures::destructive());
        assert_sarif_structure(&parse(&text));
        insta::assert_snapshot!("sarif_destructive", text);
    }

    #[test]
    fn mixed_release_snapshot() {
        let text = render_fixed(&fixtures::mixed());
        assert_sarif_structure(&parse(&text));
        insta::assert_snapshot!("sarif_mixed", text);
    }

    #[test]
    fn registry_rules_are_the_metadata() {
        let log = parse(&render(&fixtures::mixed()));
        assert_sarif_structure(&log);
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), crate::rules::all().count());
        let drop_table = crate::rules::find("drop-table").unwrap();
        let index = log["runs"][0]["results"][1]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "drop-table");
        assert_eq!(rules[index]["shortDescription"]["text"], drop_table.summary);
        assert_eq!(rules[index]["help"]["markdown"], drop_table.doc);
        assert_eq!(
            rules[index]["properties"]["category"],
            drop_table.category.name()
        );
    }

    #[test]
    fn results_carry_level_location_and_help() {
        let log = parse(&render_fixed(&fixtures::mixed()));
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        let mixed = &results[0];
        assert_eq!(mixed["ruleId"], "mixed-release");
        assert_eq!(mixed["ruleIndex"], 2);
        assert_eq!(mixed["level"], "error");
        assert!(
            mixed.get("locations").is_none(),
            "a release-wide finding has no location"
        );
        let drop = &results[1];
        assert!(
            drop.get("ruleIndex").is_none(),
            "drop-table is not in the fixed rules"
        );
        assert_eq!(drop["level"], "warning");
        let physical = &drop["locations"][0]["physicalLocation"];
        assert_eq!(
            physical["artifactLocation"]["uri"],
            "migrations/0043_drop_req_signoffs.sql"
        );
        assert_eq!(physical["region"]["startLine"], 1);
        assert!(drop["message"]["text"]
            .as_str()
            .unwrap()
            .contains("\nhelp: Back it up"));
        assert_eq!(results[2]["level"], "note");
        assert!(results[0]["fingerprints"].get(FINGERPRINT_KEY).is_some());
        assert_eq!(log["runs"][0]["properties"]["verdict"], "mixed");
    }

    /// The output deserialises into the SARIF 2.1.0 object model that serde-sarif generates
    /// from the OASIS schema: required properties present, enumerations (levels, kinds) and
    /// types as the schema defines them.
    #[test]
    fn output_fits_the_sarif_schema_model() {
        for report in [fixtures::destructive(), fixtures::mixed()] {
            let text = render(&report);
            let log: serde_sarif::sarif::Sarif = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("not SARIF 2.1.0: {err}\n{text}"));
            assert_eq!(log.runs.len(), 1);
            let run = &log.runs[0];
            assert_eq!(run.tool.driver.name, "balrog-schema-lint");
            let results = run.results.as_ref().expect("results");
            assert_eq!(results.len(), report.findings.len());
        }
    }

    #[test]
    fn unknown_line_has_no_region() {
        let mut report = fixtures::destructive();
        report.findings[0].line = None;
        report.findings[1].line = Some(0);
        let log = parse(&render_fixed(&report));
        for result in log["runs"][0]["results"].as_array().unwrap() {
            let physical = &result["locations"][0]["physicalLocation"];
            assert!(physical["artifactLocation"]["uri"].is_string());
            assert!(physical.get("region").is_none());
        }
    }
}

//! `history`: the verdict of every consecutive pair of release tags, to see how a project's
//! releases have been shaped over time (and to test the tool on a whole history at once).
//!
//! One repository handle and one [`Reader`] serve the whole run, so each distinct migration
//! file is parsed once however many pairs it appears in.

use std::fmt::Write;
use std::path::PathBuf;

use git2::{Oid, Repository};
use globset::{Glob, GlobMatcher};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::git::{self, ReleaseTag};
use crate::lint::{self, CheckRequest, Range, Reader};
use crate::ops::Dialect;
use crate::report::{Counts, Plan, Severity, Verdict};

/// Version of the history document's shape.
pub const HISTORY_SCHEMA_VERSION: u32 = 1;

/// Which releases to compare.
#[derive(Debug, Clone, Default)]
pub struct HistoryRequest {
    /// A path inside the repository.
    pub repo: PathBuf,
    /// Only tags at or after this revision (in history).
    pub from: Option<String>,
    /// Only tags that are this revision or its ancestors; default `HEAD`.
    pub to: Option<String>,
    /// Only tags whose name matches this glob, e.g. `v3.*`.
    pub tags: Option<String>,
    /// A configuration file instead of `balrog-schema-lint.toml` at the newest tag.
    pub config_file: Option<PathBuf>,
    /// Migration locations that replace the configured ones.
    pub migrations: Vec<String>,
    /// A dialect that replaces the configured one.
    pub dialect: Option<Dialect>,
}

/// The verdict of one pair of consecutive releases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// The older release tag.
    pub from: String,
    /// The newer release tag.
    pub to: String,
    /// The commit of `from`.
    pub from_commit: String,
    /// The commit of `to`.
    pub to_commit: String,
    /// The release verdict.
    pub verdict: Verdict,
    /// The deploy plan.
    pub plan: Plan,
    /// Totals.
    pub counts: Counts,
}

impl Pair {
    /// Whether this pair has a finding at or above `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        let c = &self.counts;
        match threshold {
            Severity::Error => c.errors > 0,
            Severity::Warning => c.errors + c.warnings > 0,
            Severity::Info => c.errors + c.warnings + c.infos > 0,
        }
    }

    /// The services of the plan's first step, or what stands in their place: for a mixed
    /// release, the commit that cuts it in two, when one does.
    pub fn first_step(&self) -> String {
        if let Some(step) = self.plan.steps.first() {
            return step.services.join(", ");
        }
        let split = self.plan.split.as_ref();
        match (
            split.and_then(|s| s.cut.as_ref()),
            split.and_then(|s| s.blocked_by.as_ref()),
        ) {
            (Some(cut), _) => format!(
                "(no safe order) clean cut at {}: {} then {}",
                cut.commit.short,
                cut.first.verdict.name(),
                cut.second.verdict.name()
            ),
            (None, Some(_)) => "(no safe order) no clean cut".to_string(),
            (None, None) => "(no safe order)".to_string(),
        }
    }

    /// Whether this is a mixed release that one commit of its range cuts in two.
    pub fn has_clean_cut(&self) -> bool {
        self.plan.split.as_ref().is_some_and(|s| s.cut.is_some())
    }
}

/// Every pair, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// Version of this document's shape.
    pub schema_version: u32,
    /// The consecutive pairs of selected release tags, in version order.
    pub pairs: Vec<Pair>,
}

/// Where a run is, for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Pairs finished so far.
    pub done: usize,
    /// Pairs in the run.
    pub total: usize,
    /// The pair about to be checked (`None` once all are done).
    pub next: Option<(&'a str, &'a str)>,
}

/// The release tags a history covers, in version order: ancestors of (or at) `to`, at or
/// after `from` when given, with names matching `glob` when given.
pub fn select_tags(
    repo: &Repository,
    to: Oid,
    from: Option<Oid>,
    glob: Option<&GlobMatcher>,
) -> Result<Vec<ReleaseTag>> {
    let mut selected = Vec::new();
    let in_history = git::ancestors(repo, to)?;
    for tag in git::release_tags(repo)? {
        if glob.is_some_and(|g| !g.is_match(&tag.name)) {
            continue;
        }
        if !in_history.contains(&tag.commit) {
            continue;
        }
        if let Some(from) = from {
            if tag.commit != from && !git::is_descendant(repo, tag.commit, from)? {
                continue;
            }
        }
        selected.push(tag);
    }
    Ok(selected)
}

/// Checks every consecutive pair of selected release tags. `progress` is called before each
/// pair and once at the end.
pub fn history(
    request: &HistoryRequest,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<History> {
    let glob = match &request.tags {
        Some(pattern) => Some(
            Glob::new(pattern)
                .map_err(|err| Error::Usage(format!("--tags `{pattern}`: {err}")))?
                .compile_matcher(),
        ),
        None => None,
    };
    let repo = git::open(&request.repo)?;
    let to = git::resolve_commit(&repo, request.to.as_deref().unwrap_or("HEAD"))?;
    let from = match &request.from {
        Some(rev) => Some(git::resolve_commit(&repo, rev)?),
        None => None,
    };
    let tags = select_tags(&repo, to, from, glob.as_ref())?;
    let Some(newest) = tags.last() else {
        progress(Progress {
            done: 0,
            total: 0,
            next: None,
        });
        return Ok(History {
            schema_version: HISTORY_SCHEMA_VERSION,
            pairs: Vec::new(),
        });
    };
    let config = lint::load_config(
        &repo,
        newest.commit,
        &CheckRequest {
            repo: request.repo.clone(),
            config_file: request.config_file.clone(),
            migrations: request.migrations.clone(),
            dialect: request.dialect,
            ..CheckRequest::default()
        },
    )?;
    let mut reader = Reader::new(&repo, &config);
    let total = tags.len().saturating_sub(1);
    let mut pairs = Vec::with_capacity(total);
    for (done, window) in tags.windows(2).enumerate() {
        let [older, newer] = window else {
            continue;
        };
        progress(Progress {
            done,
            total,
            next: Some((&older.name, &newer.name)),
        });
        let range = Range {
            from: (older.name.clone(), older.commit, "release-tag"),
            to: (newer.name.clone(), newer.commit, "release-tag"),
        };
        let report = lint::check_range(&repo, &range, &config, &mut reader)?;
        pairs.push(Pair {
            from: older.name.clone(),
            to: newer.name.clone(),
            from_commit: older.commit.to_string(),
            to_commit: newer.commit.to_string(),
            verdict: report.verdict,
            plan: report.plan,
            counts: report.counts,
        });
    }
    progress(Progress {
        done: total,
        total,
        next: None,
    });
    Ok(History {
        schema_version: HISTORY_SCHEMA_VERSION,
        pairs,
    })
}

/// The history as a pretty-printed JSON document with a trailing newline.
pub fn render_json(history: &History) -> String {
    let mut text = serde_json::to_string_pretty(history)
        .unwrap_or_else(|err| format!("{{\"error\": \"cannot serialise the history: {err}\"}}"));
    text.push('\n');
    text
}

/// The history as a text table, one row per pair, and a tally of verdicts.
pub fn render_text(history: &History) -> String {
    const HEADERS: [&str; 8] = [
        "FROM",
        "TO",
        "VERDICT",
        "MIGRATIONS",
        "OPERATIONS",
        "ERRORS",
        "WARNINGS",
        "FIRST STEP",
    ];
    if history.pairs.is_empty() {
        return "No pair of release tags (vX.Y, vX.Y.Z) in the range.\n".to_string();
    }
    let rows: Vec<[String; 8]> = history
        .pairs
        .iter()
        .map(|p| {
            [
                p.from.clone(),
                p.to.clone(),
                p.verdict.name().to_string(),
                p.counts.migrations.to_string(),
                p.counts.operations.to_string(),
                p.counts.errors.to_string(),
                p.counts.warnings.to_string(),
                p.first_step(),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 8]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            // Counts are right-aligned, names left-aligned; the last column is not padded.
            let _ = match i {
                3..=6 => write!(text, "{cell:>width$}  "),
                7 => write!(text, "{cell}"),
                _ => write!(text, "{cell:<width$}  "),
            };
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(HEADERS);
    for row in &rows {
        line(row.each_ref().map(String::as_str));
    }
    let mut tally: Vec<(Verdict, usize)> = Vec::new();
    for pair in &history.pairs {
        match tally.iter_mut().find(|(v, _)| *v == pair.verdict) {
            Some((_, n)) => *n += 1,
            None => tally.push((pair.verdict, 1)),
        }
    }
    tally.sort();
    let cuts = history.pairs.iter().filter(|p| p.has_clean_cut()).count();
    let tally: Vec<String> = tally
        .iter()
        .map(|(v, n)| match v {
            Verdict::Mixed => format!("{n} {} ({cuts} with a clean cut)", v.name()),
            _ => format!("{n} {}", v.name()),
        })
        .collect();
    let _ = writeln!(
        out,
        "\n{} pair{}: {}.",
        history.pairs.len(),
        if history.pairs.len() == 1 { "" } else { "s" },
        tally.join(", ")
    );
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use git2::{Signature, Time};

    use super::*;
    use crate::report::fixtures;

    /// Builds repositories commit by commit: each commit is a whole tree of files.
    struct Builder {
        repo: Repository,
        head: Option<Oid>,
        time: i64,
    }

    impl Builder {
        fn new(dir: &Path) -> Builder {
            Builder {
                repo: Repository::init(dir).unwrap(),
                head: None,
                time: 1_700_000_000,
            }
        }

        /// Commits `files` on top of `parent` (default: the last commit) and tags it.
        fn commit(&mut self, files: &[(&str, &str)], parent: Option<Oid>, tags: &[&str]) -> Oid {
            let mut root = std::collections::BTreeMap::<String, Vec<(String, Oid)>>::new();
            for (path, text) in files {
                let blob = self.repo.blob(text.as_bytes()).unwrap();
                let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
                root.entry(dir.to_string())
                    .or_default()
                    .push((name.to_string(), blob));
            }
            let mut top = self.repo.treebuilder(None).unwrap();
            for (dir, entries) in root {
                let mut builder = self.repo.treebuilder(None).unwrap();
                for (name, blob) in entries {
                    builder.insert(&name, blob, 0o100644).unwrap();
                }
                if dir.is_empty() {
                    let tree = self.repo.find_tree(builder.write().unwrap()).unwrap();
                    for entry in tree.iter() {
                        top.insert(entry.name().unwrap(), entry.id(), 0o100644)
                            .unwrap();
                    }
                } else {
                    top.insert(&dir, builder.write().unwrap(), 0o040000)
                        .unwrap();
                }
            }
            let tree = self.repo.find_tree(top.write().unwrap()).unwrap();
            self.time += 60;
            let sig = Signature::new("r", "r@example.com", &Time::new(self.time, 0)).unwrap();
            let parents: Vec<git2::Commit<'_>> = parent
                .or(self.head)
                .iter()
                .map(|p| self.repo.find_commit(*p).unwrap())
                .collect();
            let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let update = if parent.is_none() { Some("HEAD") } else { None };
            let id = self
                .repo
                .commit(update, &sig, &sig, "c", &tree, &refs)
                .unwrap();
            if parent.is_none() {
                self.head = Some(id);
            }
            let object = self.repo.find_object(id, None).unwrap();
            for tag in tags {
                self.repo.tag_lightweight(tag, &object, false).unwrap();
            }
            id
        }
    }

    const M1: (&str, &str) = ("migrations/0001_a.sql", "CREATE TABLE a (id INT);\n");
    const M2: (&str, &str) = ("migrations/0002_b.sql", "CREATE TABLE b (id INT);\n");
    const M3: (&str, &str) = ("migrations/0003_c.sql", "CREATE TABLE c (id INT);\n");

    /// v1.0 (0001) -> v1.1 (+0002) -> v1.2 (nothing) -> v1.10 (+0003), with a side branch
    /// tagged v1.5 off v1.1 and a tag that is not a release.
    fn sample(dir: &Path) -> Builder {
        let mut b = Builder::new(dir);
        b.commit(&[M1], None, &["v1.0"]);
        let v11 = b.commit(&[M1, M2], None, &["v1.1", "v1.1-real"]);
        b.commit(&[M1, M2, ("README", "x\n")], None, &["v1.2"]);
        b.commit(&[M1, M2, M3], None, &["v1.10"]);
        b.commit(
            &[M1, M2, ("migrations/0009_side.sql", "DROP TABLE a;\n")],
            Some(v11),
            &["v1.5"],
        );
        b
    }

    fn run(request: &HistoryRequest) -> Result<History> {
        history(request, &mut |_| {})
    }

    fn names(history: &History) -> Vec<(String, String, usize)> {
        history
            .pairs
            .iter()
            .map(|p| (p.from.clone(), p.to.clone(), p.counts.migrations))
            .collect()
    }

    fn pair(from: &str, to: &str, migrations: usize) -> (String, String, usize) {
        (from.to_string(), to.to_string(), migrations)
    }

    #[test]
    fn consecutive_release_tags_in_the_history_of_to() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let request = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        let found = run(&request).unwrap();
        assert_eq!(found.schema_version, 1);
        assert_eq!(
            names(&found),
            vec![
                pair("v1.0", "v1.1", 1),
                pair("v1.1", "v1.2", 0),
                pair("v1.2", "v1.10", 1),
            ]
        );
        assert_eq!(found.pairs[1].verdict, Verdict::None);
        assert_eq!(found.pairs[0].from_commit.len(), 40);
    }

    #[test]
    fn from_to_and_glob_bound_the_tags() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let base = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        let found = run(&HistoryRequest {
            from: Some("v1.1".into()),
            ..base.clone()
        })
        .unwrap();
        assert_eq!(
            names(&found),
            vec![pair("v1.1", "v1.2", 0), pair("v1.2", "v1.10", 1)]
        );
        let found = run(&HistoryRequest {
            tags: Some("v1.1*".into()),
            ..base.clone()
        })
        .unwrap();
        assert_eq!(names(&found), vec![pair("v1.1", "v1.10", 1)]);
        // The side branch's tag is only seen from the side branch.
        let found = run(&HistoryRequest {
            to: Some("v1.5".into()),
            ..base.clone()
        })
        .unwrap();
        assert_eq!(
            names(&found),
            vec![pair("v1.0", "v1.1", 1), pair("v1.1", "v1.5", 1)]
        );
        let found = run(&HistoryRequest {
            tags: Some("v9.*".into()),
            ..base
        })
        .unwrap();
        assert!(found.pairs.is_empty());
        assert!(render_text(&found).starts_with("No pair of release tags"));
    }

    #[test]
    fn input_errors_name_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let base = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        let err = run(&HistoryRequest {
            tags: Some("v[1".into()),
            ..base.clone()
        })
        .unwrap_err();
        assert!(
            matches!(err, Error::Usage(ref m) if m.contains("v[1")),
            "{err}"
        );
        let err = run(&HistoryRequest {
            from: Some("v7.0".into()),
            ..base
        })
        .unwrap_err();
        assert!(err.to_string().contains("v7.0"), "{err}");
    }

    #[test]
    fn config_comes_from_the_newest_tag() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Builder::new(dir.path());
        b.commit(&[M1], None, &["v2.0"]);
        b.commit(&[M1, M2], None, &["v2.1"]);
        let config = (
            "balrog-schema-lint.toml",
            "[[migrations]]\npath = \"elsewhere\"\n",
        );
        b.commit(&[M1, M2, M3, config], None, &["v2.2"]);
        let request = HistoryRequest {
            repo: dir.path().to_path_buf(),
            ..HistoryRequest::default()
        };
        // Only `elsewhere` holds migrations, as the newest configuration says.
        assert_eq!(
            names(&run(&request).unwrap()),
            vec![pair("v2.0", "v2.1", 0), pair("v2.1", "v2.2", 0)]
        );
    }

    #[test]
    fn progress_counts_up_to_the_total() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let mut seen = Vec::new();
        history(
            &HistoryRequest {
                repo: dir.path().to_path_buf(),
                ..HistoryRequest::default()
            },
            &mut |p| seen.push((p.done, p.total, p.next.map(|(a, b)| format!("{a}..{b}")))),
        )
        .unwrap();
        assert_eq!(
            seen,
            vec![
                (0, 3, Some("v1.0..v1.1".into())),
                (1, 3, Some("v1.1..v1.2".into())),
                (2, 3, Some("v1.2..v1.10".into())),
                (3, 3, None),
            ]
        );
    }

    fn hand_built() -> History {
        let pair = |from: &str, to: &str, report: crate::report::Report| Pair {
            from: from.into(),
            to: to.into(),
            from_commit: report.from.commit.clone(),
            to_commit: report.to.commit.clone(),
            verdict: report.verdict,
            plan: report.plan,
            counts: report.counts,
        };
        History {
            schema_version: HISTORY_SCHEMA_VERSION,
            pairs: vec![
                pair("v4.12", "v4.13", fixtures::destructive()),
                pair("v4.13", "v4.14", fixtures::mixed()),
            ],
        }
    }

    #[test]
    fn text_table_snapshot() {
        insta::assert_snapshot!("history_text", render_text(&hand_built()));
    }

    #[test]
    fn json_has_the_documented_shape() {
        let doc: serde_json::Value = serde_json::from_str(&render_json(&hand_built())).unwrap();
        assert_eq!(doc["schema_version"], 1);
        let first = &doc["pairs"][0];
        assert_eq!(first["from"], "v4.12");
        assert_eq!(first["to"], "v4.13");
        assert_eq!(first["verdict"], "destructive");
        assert_eq!(
            first["plan"]["steps"][0]["services"][0],
            "balrog-production"
        );
        assert_eq!(first["counts"]["warnings"], 2);
        assert_eq!(doc["pairs"][1]["verdict"], "mixed");
    }

    #[test]
    fn fails_at_follows_the_counts() {
        let history = hand_built();
        let (destructive, mixed) = (&history.pairs[0], &history.pairs[1]);
        assert!(!destructive.fails_at(Severity::Error));
        assert!(destructive.fails_at(Severity::Warning));
        assert!(mixed.fails_at(Severity::Error));
        assert_eq!(mixed.first_step(), "(no safe order)");
        assert_eq!(destructive.first_step(), "balrog-production");
    }
}

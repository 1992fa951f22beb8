//! Gathers what rules need from the repository beyond the migrations of the range: the
//! whole migration tree at `TO`, down files, the project version at both ends, references
//! to removed names, and each migration's inline suppressions.

use git2::Repository;

use crate::analysis::{AnalyzedMigration, RepoContext, TreeMigration, VersionBump};
use crate::config::Config;
use crate::model::migration::MigrationFormat;

use crate::catalog::Catalog;
use crate::model::dialect_source::DialectSource;
use crate::error::Result;
use crate::lint::trees::Trees;
use crate::lint::{Range, Reader};
use crate::model::migration::FileStatus;
use crate::model::ops::{ConstraintKind, Direction, OpKind};
use crate::read::directives;
use crate::repo::code_search;
use crate::repo::git::{self, TreeFile};

/// Files that record the project version, in the order they are trusted.
const VERSION_FILES: [&str; 4] = ["VERSION", "version.txt", "pyproject.toml", "setup.py"];

/// Gathers the context for the rules.
pub fn gather(
    repo: &Repository,
    range: &Range,
    trees: &Trees,
    migrations: &[AnalyzedMigration],
    reader: &mut Reader<'_>,
    config: &Config,
) -> Result<RepoContext> {
    let to_is_tag = repo
        .find_reference(&format!("refs/tags/{}", range.to.0))
        .is_ok();
    let mut context = RepoContext {
        to_is_tag,
        tag_problem: if to_is_tag {
            crate::rules::tag_problem(&range.to.0, config.profile(), &config.release_tags())
        } else {
            None
        },
        dialect_conflict: match &config.dialect_source {
            DialectSource::Detected {
                evidence,
                conflict: Some(other),
            } => Some((evidence.clone(), other.clone())),
            _ => None,
        },
        down_files: trees.at_to.down_files.clone(),
        ..RepoContext::default()
    };
    let mut released: Vec<(String, Vec<String>, String)> = Vec::new();
    for file in &trees.at_from.migrations {
        if file.format == MigrationFormat::Alembic {
            let read = reader.read(file)?;
            if let Some(revision) = &read.parsed.revision {
                released.push((
                    revision.clone(),
                    read.parsed.down_revisions.clone(),
                    file.path.clone(),
                ));
            }
        }
    }
    context.released_heads = released
        .iter()
        .filter(|(revision, _, _)| {
            !released
                .iter()
                .any(|(_, parents, _)| parents.contains(revision))
        })
        .map(|(revision, _, path)| (revision.clone(), path.clone()))
        .collect();
    for file in &trees.at_to.migrations {
        let (revision, down_revisions) = if file.format == MigrationFormat::Alembic {
            let read = reader.read(file)?;
            (
                read.parsed.revision.clone(),
                read.parsed.down_revisions.clone(),
            )
        } else {
            (None, Vec::new())
        };
        context.tree.push(TreeMigration {
            path: file.path.clone(),
            location: file.location,
            format: file.format,
            version: file.version.clone(),
            revision,
            down_revisions,
        });
    }
    for migration in migrations {
        if migration.status == FileStatus::D {
            continue;
        }
        let Some(file) = trees
            .at_to
            .migrations
            .iter()
            .find(|f| f.path == migration.path)
        else {
            continue;
        };
        let directives = directives::directives(&reader.read(file)?.text);
        if !directives.is_empty() {
            context
                .suppressions
                .insert(migration.path.clone(), directives);
        }
    }
    if let (Some(from), Some((file, to))) = (
        project_version(repo, &trees.from_files)?,
        project_version(repo, &trees.to_files)?,
    ) {
        if from.0 == file {
            context.version_bump = Some(VersionBump {
                file,
                from: from.1,
                to,
            });
        }
    }
    let names = removed_names(migrations);
    if !names.is_empty() {
        let migration_paths: std::collections::HashSet<&str> =
            trees.at_to.migrations.iter().map(|m| m.path.as_str()).collect();
        context.references = code_search::find_references(
            repo,
            &trees.to_files,
            &mut reader.code,
            &names,
            &config.code_paths,
            // Every file under a migration folder, but a folder that is the whole
            // repository holds the code too: there only the migrations themselves.
            |path| {
                trees.locations.iter().any(|l| {
                    !l.location.path.trim_matches('/').is_empty() && l.contains(path)
                }) || migration_paths.contains(path)
            },
        )?;
    }
    Ok(context)
}

/// The project version a tree records, with the file it came from.
pub fn project_version(repo: &Repository, files: &[TreeFile]) -> Result<Option<(String, String)>> {
    for name in VERSION_FILES {
        let Some(file) = git::file_at(files, name) else {
            continue;
        };
        let bytes = git::read_blob(repo, file.id, name)?;
        let text = String::from_utf8_lossy(&bytes);
        let version = if name.ends_with(".toml") || name.ends_with(".py") {
            assigned_version(&text)
        } else {
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_string)
        };
        if let Some(version) = version {
            return Ok(Some((name.to_string(), version)));
        }
    }
    Ok(None)
}

/// The value of the first `version = "..."` (or `version="..."`, as in a `setup()` call).
fn assigned_version(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("version")?.trim_start();
        let rest = rest.strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = rest.get(1..)?.split(quote).next()?;
        Some(value.to_string())
    })
}

/// The names removed from objects deployed code can see, without duplicates.
fn removed_names(migrations: &[AnalyzedMigration]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for aop in migrations.iter().flat_map(|m| &m.operations) {
        if aop.judgement.direction == Direction::Neutral {
            continue;
        }
        if let Some(name) = code_search::removed_name(&aop.op.kind) {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The tables an operation's foreign keys reference: rules compare a key with the column
/// it points at.
fn referenced_tables(kind: &OpKind) -> Vec<&str> {
    let constraints = match kind {
        OpKind::CreateTable { constraints, .. } => constraints.iter().collect(),
        OpKind::AddConstraint { constraint, .. } => vec![constraint],
        _ => Vec::new(),
    };
    constraints
        .into_iter()
        .filter_map(|c| match &c.kind {
            ConstraintKind::ForeignKey { references, .. } => Some(references.as_str()),
            _ => None,
        })
        .collect()
}

/// The types of the columns of the tables the range touches or references, and the values of
/// the enums it adds values to, from the schema at `FROM`.
pub fn add_column_types(
    context: &mut RepoContext,
    migrations: &[AnalyzedMigration],
    before: &Catalog,
) {
    // Rules ask for the types of columns the range touches; the whole schema's would cost
    // more than the rest of a pair on a long history.
    let touched: std::collections::HashSet<String> = migrations
        .iter()
        .flat_map(|m| {
            let edited = m.edit.iter().flat_map(|e| e.before.iter().chain(&e.after));
            m.operations.iter().map(|a| &a.op).chain(edited)
        })
        .flat_map(|op| op.kind.table().into_iter().chain(referenced_tables(&op.kind)))
        .map(str::to_ascii_lowercase)
        .collect();
    for op in migrations.iter().flat_map(|m| m.operations.iter().map(|a| &a.op)) {
        if let OpKind::AddEnumValue { name, .. } = &op.kind {
            if let Some(found) = before.named_type(name) {
                context
                    .enum_values
                    .insert(name.to_ascii_lowercase(), found.values.clone());
            }
        }
    }
    for table in before.tables() {
        if !touched.contains(&table.name().to_ascii_lowercase()) {
            continue;
        }
        for column in table.columns() {
            if let Some(ty) = &column.ty {
                let key = format!("{}.{}", table.name(), column.name).to_ascii_lowercase();
                context.column_types.insert(key, ty.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Commits `files` (path, content) on top of HEAD and tags the commit.
    fn commit_and_tag(repo: &Repository, files: &[(&str, &str)], tag: &str) {
        let dir = repo.workdir().unwrap().to_path_buf();
        let mut index = repo.index().unwrap();
        for (path, content) in files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, content).unwrap();
            index.add_path(Path::new(path)).unwrap();
        }
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let id = repo
            .commit(Some("HEAD"), &sig, &sig, tag, &tree, &parents)
            .unwrap();
        repo.tag_lightweight(tag, &repo.find_object(id, None).unwrap(), false)
            .unwrap();
    }

    #[test]
    fn check_fills_the_context_and_applies_suppressions() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let init = "CREATE TABLE rules (id INT NOT NULL PRIMARY KEY);\n";
        commit_and_tag(
            &repo,
            &[
                ("migrations/0001_init.sql", init),
                ("version.txt", "1.0\n"),
                // Tag format and version bumps are Balrog's conventions.
                ("balrog-schema-lint.toml", "profile = \"balrog\"\n"),
            ],
            "v1.0",
        );
        let edited = format!(
            "-- balrog-schema-lint: allow-file edited-released-migration -- comment only\n{init}"
        );
        commit_and_tag(
            &repo,
            &[
                ("migrations/0001_init.sql", edited.as_str()),
                (
                    "migrations/0002_noop.sql",
                    "-- balrog-schema-lint: allow drop-colum -- typo\nSELECT 1;\n",
                ),
            ],
            "v1.1.0",
        );
        let report = crate::lint::check(&crate::lint::CheckRequest {
            repo: dir.path().to_path_buf(),
            from: Some("v1.0".into()),
            to: Some("v1.1.0".into()),
            ..crate::lint::CheckRequest::default()
        })
        .unwrap();
        let found: Vec<(&str, Option<&str>)> = report
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.path.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                ("release-tag-format", None),
                ("invalid-suppression", Some("migrations/0002_noop.sql")),
                ("version-not-bumped", Some("version.txt")),
            ]
        );
        assert!(report.findings[1]
            .message
            .contains("did you mean \"drop-column\"?"));
    }

    #[test]
    fn reads_assigned_versions() {
        assert_eq!(
            assigned_version("[project]\nname = \"x\"\nversion = \"3.41\"\n").as_deref(),
            Some("3.41")
        );
        assert_eq!(
            assigned_version("setup(\n    name='balrog',\n    version='3.40',\n)").as_deref(),
            Some("3.40")
        );
        assert_eq!(assigned_version("version_info = (1, 2)\n"), None);
    }
}

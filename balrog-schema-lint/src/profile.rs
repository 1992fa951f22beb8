//! Profiles: what the tool assumes about a project it is given no configuration for.
//!
//! Balrog's profile names Balrog's three services, keeps its `vX.Y` release tags and runs
//! the two rules about how Balrog tags and versions its releases. Every other project gets
//! the generic profile: the plan speaks of roles ("the service that runs the migrations",
//! "the application") because the tool cannot know the project's service names, and rules
//! about one project's tagging conventions stay off unless configured.

use serde::{Deserialize, Serialize};

use crate::config::{Service, Services};
use crate::discover::BALROG_LOCATIONS;
use crate::git::TreeFile;
use crate::release_tags::ReleaseTags;

/// Rules about Balrog's own release conventions: on in the Balrog profile, elsewhere only
/// when `[rules]` configures them.
pub const BALROG_ONLY_RULES: [&str; 2] = ["release-tag-format", "version-not-bumped"];

/// A set of defaults for one kind of project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Mozilla's Balrog: its services, `vX.Y` tags, MySQL.
    Balrog,
    /// Any other project: roles instead of service names.
    #[default]
    Generic,
}

impl Profile {
    /// The name used in configuration and reports.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Balrog => "balrog",
            Profile::Generic => "generic",
        }
    }

    /// The profile a tree looks like: Balrog when it has Balrog's migration layout
    /// (`auslib/migrate`, `src/auslib/migrate` or `src/auslib/alembic`), else generic.
    pub fn detect(files: &[TreeFile]) -> Profile {
        let is_balrog = BALROG_LOCATIONS.iter().any(|(folder, _)| {
            let prefix = format!("{folder}/");
            files.iter().any(|f| f.path.starts_with(&prefix))
        });
        if is_balrog {
            Profile::Balrog
        } else {
            Profile::Generic
        }
    }

    /// The services the plan names when the configuration names none.
    pub fn services(self) -> Services {
        match self {
            Profile::Balrog => Services::balrog(),
            Profile::Generic => Services::roles(),
        }
    }

    /// Which tags are releases when `release_tags` is not configured.
    pub fn release_tags(self) -> ReleaseTags {
        match self {
            Profile::Balrog => ReleaseTags::balrog(),
            Profile::Generic => ReleaseTags::default_rule(),
        }
    }

    /// Whether a rule that is on by default runs in this profile without configuration.
    pub fn runs_by_default(self, rule: &str) -> bool {
        match self {
            Profile::Balrog => true,
            Profile::Generic => !BALROG_ONLY_RULES.contains(&rule),
        }
    }
}

impl Services {
    /// The generic plan's roles: the service whose deploy runs the migrations, and the
    /// application that uses the database.
    pub fn roles() -> Services {
        Services {
            migrator: Service {
                name: "the service that runs the migrations".into(),
                canary: false,
                note: None,
            },
            dependents: vec![Service {
                name: "the application".into(),
                canary: false,
                note: None,
            }],
            independent: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::EntryKind;

    fn tree(paths: &[&str]) -> Vec<TreeFile> {
        paths
            .iter()
            .map(|p| TreeFile {
                path: p.to_string(),
                id: git2::Oid::ZERO_SHA1,
                kind: EntryKind::File,
            })
            .collect()
    }

    #[test]
    fn balrog_is_recognised_by_its_auslib_layout() {
        assert_eq!(
            Profile::detect(&tree(&["src/auslib/alembic/versions/abc_x.py"])),
            Profile::Balrog
        );
        assert_eq!(
            Profile::detect(&tree(&["auslib/migrate/versions/001_x.py"])),
            Profile::Balrog
        );
        assert_eq!(
            Profile::detect(&tree(&["app/alembic/versions/abc_x.py", "auslib.txt"])),
            Profile::Generic
        );
    }

    #[test]
    fn generic_profile_names_roles_and_leaves_balrog_rules_off() {
        let roles = Profile::Generic.services();
        assert_eq!(roles.migrator.name, "the service that runs the migrations");
        assert_eq!(roles.dependents[0].name, "the application");
        assert!(roles.independent.is_empty());
        assert_eq!(
            Profile::Balrog.services().migrator.name,
            "balrog-admin-production"
        );
        for rule in BALROG_ONLY_RULES {
            assert!(crate::rules::find(rule).is_some(), "{rule}");
            assert!(!Profile::Generic.runs_by_default(rule));
            assert!(Profile::Balrog.runs_by_default(rule));
        }
        assert!(Profile::Generic.runs_by_default("drop-column"));
        assert_eq!(
            Profile::Balrog.release_tags().pattern(),
            r"v\d+\.\d+(\.\d+)?"
        );
    }
}

//! From a verdict to an ordered deploy plan over the configured services.

pub mod cut;

use crate::config::{Service, Services};
use crate::model::finding::Verdict;
use crate::model::named::ObjectChange;
use crate::model::ops::{Direction, OpKind};
use serde::{Deserialize, Serialize};

use cut::{Blocked, Cut, CutOutcome, DeployOrder};

/// One step of the deploy plan.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.40".into()), to: Some("v3.41".into()), ..CheckRequest::default() };
/// let step = &check(&request)?.plan.steps[0];
/// assert_eq!(step.services, ["balrog-production"]);
/// assert!(step.wait_for.is_some()); // the migrator goes only once it has finished
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStep {
    /// The services deployed in this step (in parallel).
    pub services: Vec<String>,
    /// What to do; its `Display` is one sentence.
    pub action: StepAction,
    /// What must have happened before the next step starts, if anything; its `Display`
    /// is one clause (`... has finished deploying ...`).
    pub wait_for: Option<WaitFor>,
}

/// What a plan step does.
///
/// ```
/// use balrog_schema_lint::{Service, StepAction};
///
/// let upgrade = StepAction::UpgradeSchema { service: "balrog-admin-production".into() };
/// assert_eq!(
///     upgrade.to_string(),
///     "Deploy balrog-admin-production. Its deploy upgrades the schema."
/// );
/// let app = Service { name: "balrog-production".into(), canary: true, note: Some("the public app".into()) };
/// let deploy = StepAction::Deploy { services: vec![app] };
/// assert_eq!(
///     deploy.to_string(),
///     "Deploy balrog-production (the public app): canary first, then promote."
/// );
/// assert_eq!(serde_json::to_value(&upgrade).unwrap()["kind"], "upgrade-schema");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StepAction {
    /// No schema change: every service deploys, in any order.
    DeployEverything,
    /// Deploy the service that runs the migrations: its deploy upgrades the schema.
    UpgradeSchema {
        /// The migrator.
        service: String,
    },
    /// Deploy these services (a canary one canary first, then promoted).
    Deploy {
        /// The services, as configured.
        services: Vec<Service>,
    },
}

impl std::fmt::Display for StepAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepAction::DeployEverything => {
                f.write_str("No schema change: deploy every service, in parallel if you like.")
            }
            StepAction::UpgradeSchema { service } => {
                write!(f, "Deploy {service}. Its deploy upgrades the schema.")
            }
            StepAction::Deploy { services } => {
                for (i, service) in services.iter().enumerate() {
                    let space = if i == 0 { "" } else { " " };
                    let note = service
                        .note
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    let canary = if service.canary {
                        ": canary first, then promote"
                    } else {
                        ""
                    };
                    write!(f, "{space}Deploy {}{note}{canary}.", service.name)?;
                }
                Ok(())
            }
        }
    }
}

/// What must have happened before a plan's next step starts.
///
/// ```
/// use balrog_schema_lint::WaitFor;
///
/// let wait = WaitFor::OldCodeGone {
///     services: vec!["balrog-production".into()],
///     promoted: true,
///     from: "v3.40".into(),
/// };
/// assert_eq!(
///     wait.to_string(),
///     "balrog-production has finished deploying (promoted), so no v3.40 code still uses the old schema"
/// );
/// assert_eq!(serde_json::to_value(&wait).unwrap()["kind"], "old-code-gone");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WaitFor {
    /// The migrator has finished deploying, and with it the schema upgrade.
    SchemaUpgraded {
        /// The migrator.
        service: String,
    },
    /// These services have finished deploying (and been promoted, when they deploy a
    /// canary first), so no code of the `FROM` release still uses the old schema.
    OldCodeGone {
        /// The services.
        services: Vec<String>,
        /// Whether one of them deploys a canary first, so promoted is what counts.
        promoted: bool,
        /// The `FROM` release.
        from: String,
    },
}

impl std::fmt::Display for WaitFor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitFor::SchemaUpgraded { service } => write!(
                f,
                "{service} has finished deploying and the schema upgrade has completed"
            ),
            WaitFor::OldCodeGone {
                services,
                promoted,
                from,
            } => write!(
                f,
                "{} {} finished deploying{}, so no {from} code still uses the old schema",
                services.join(" and "),
                if services.len() == 1 { "has" } else { "have" },
                if *promoted { " (promoted)" } else { "" },
            ),
        }
    }
}

/// How to split a release that has no safe single order.
///
/// ```
/// use balrog_schema_lint::Split;
///
/// // A mixed release: the expand half ships first, the contract half later.
/// let split = Split {
///     first_release: vec!["0003_add.sql".into()],
///     second_release: vec!["0004_drop.sql".into()],
///     advice: vec!["Ship the additions first.".into()],
///     cut: None,
///     blocked_by: None,
/// };
/// assert_eq!(serde_json::to_value(&split).unwrap()["second_release"][0], "0004_drop.sql");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Migrations to ship in a first release (expand), with the code that needs them.
    pub first_release: Vec<String>,
    /// Migrations to ship in a later release (contract), once no deployed code needs the
    /// old objects.
    pub second_release: Vec<String>,
    /// The recipe, in words.
    pub advice: Vec<String>,
    /// For a mixed release whose commits allow it: the commit to tag as the first release
    /// (`commit`), the two releases that result (`first`, `second`) and the next commit that
    /// changes a migration (`next_migration_commit`).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub cut: Option<Cut>,
    /// For a mixed release no commit of which cuts it in two: why, and what reordering would.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Blocked>,
}

impl Split {
    /// The two file lists as the releases they make, in deploy order, with their labels: the
    /// expand release first, unless the cut found ships the contract release first.
    pub(crate) fn releases_in_order(&self) -> [(&'static str, &[String]); 2] {
        let expand = (
            "release (expand, schema first)",
            self.first_release.as_slice(),
        );
        let contract = (
            "release (contract, code first)",
            self.second_release.as_slice(),
        );
        match &self.cut {
            Some(cut) if cut.first.order == DeployOrder::CodeFirst => [contract, expand],
            _ => [expand, contract],
        }
    }

    /// Records what the walk over the range's commits found.
    pub(crate) fn set_outcome(&mut self, outcome: CutOutcome) {
        match outcome {
            CutOutcome::Cut(cut) => self.cut = Some(*cut),
            CutOutcome::Blocked(blocked) => self.blocked_by = Some(blocked),
        }
    }
}

/// The deploy plan.
///
/// ```
/// use balrog_schema_lint::{check, CheckRequest};
/// # let dir = include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doctest/repo.rs"));
/// let request = CheckRequest { repo: dir.path().to_path_buf(), from: Some("v3.41".into()), to: Some("v3.42".into()), ..CheckRequest::default() };
/// let plan = check(&request)?.plan;
/// assert_eq!(plan.steps[0].services, ["balrog-admin-production"]); // additive: schema first
/// assert_eq!(plan.any_time, ["balrog-agent-production"]);
/// assert!(plan.split.is_none());
/// # Ok::<(), balrog_schema_lint::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Ordered steps; a step's services deploy in parallel.
    pub steps: Vec<PlanStep>,
    /// Services that may deploy at any point.
    pub any_time: Vec<String>,
    /// What a rollback to `FROM` means after this release.
    pub rollback: String,
    /// For mixed and breaking releases: how to split it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
}

/// One migration's contribution to the plan: its path and the directions of its operations.
#[derive(Debug, Clone)]
pub struct PlannedMigration<'a> {
    /// Path of the migration.
    pub path: &'a str,
    /// Its operations with their directions.
    pub operations: Vec<(&'a OpKind, Direction)>,
}

/// The migrator's step: its deploy runs the schema upgrade (its note is implied by it).
fn upgrade_schema(migrator: &Service) -> StepAction {
    StepAction::UpgradeSchema {
        service: migrator.name.clone(),
    }
}

fn names(services: &[Service]) -> Vec<String> {
    services.iter().map(|s| s.name.clone()).collect()
}

fn dependents_step(services: &Services) -> PlanStep {
    PlanStep {
        services: names(&services.dependents),
        action: StepAction::Deploy {
            services: services.dependents.clone(),
        },
        wait_for: None,
    }
}

/// Builds the deploy plan for a verdict. `migrations` are the range's migrations in apply
/// order; `from` and `to` name the releases; `schema_version` is the version the range
/// upgrades the schema to, when known.
pub fn build(
    verdict: Verdict,
    services: &Services,
    migrations: &[PlannedMigration<'_>],
    from: &str,
    to: &str,
) -> Plan {
    let migrator = &services.migrator;
    let any_time = names(&services.independent);
    match verdict {
        Verdict::None => {
            let mut all = vec![migrator.name.clone()];
            all.extend(names(&services.dependents));
            all.extend(any_time.iter().cloned());
            Plan {
                steps: vec![PlanStep {
                    services: all,
                    action: StepAction::DeployEverything,
                    wait_for: None,
                }],
                any_time: Vec::new(),
                rollback: format!("{from} can be redeployed at any time: the schema is unchanged."),
                split: None,
            }
        }
        Verdict::Additive => {
            let mut migrate = PlanStep {
                services: vec![migrator.name.clone()],
                action: upgrade_schema(migrator),
                wait_for: Some(WaitFor::SchemaUpgraded {
                    service: migrator.name.clone(),
                }),
            };
            if services.dependents.is_empty() {
                migrate.wait_for = None;
            }
            let mut steps = vec![migrate];
            if !services.dependents.is_empty() {
                steps.push(dependents_step(services));
            }
            Plan {
                steps,
                any_time,
                rollback: format!(
                    "Rolling back to {from} is safe: its code runs on the new schema (the schema change stays)."
                ),
                split: None,
            }
        }
        Verdict::Destructive => {
            let mut steps = Vec::new();
            if !services.dependents.is_empty() {
                let mut step = dependents_step(services);
                step.wait_for = Some(WaitFor::OldCodeGone {
                    services: names(&services.dependents),
                    promoted: services.dependents.iter().any(|s| s.canary),
                    from: from.to_string(),
                });
                steps.push(step);
            }
            steps.push(PlanStep {
                services: vec![migrator.name.clone()],
                action: upgrade_schema(migrator),
                wait_for: None,
            });
            Plan {
                steps,
                any_time,
                rollback: format!(
                    "Until {} has deployed, rolling back to {from} is safe. Once it has, {from} code no longer runs on the schema: roll forward instead.",
                    migrator.name
                ),
                split: None,
            }
        }
        Verdict::Mixed | Verdict::Breaking | Verdict::NeedsReview => Plan {
            steps: Vec::new(),
            any_time,
            rollback: format!(
                "No order makes {to} safe as it stands, so no rollback promise can be made."
            ),
            split: Some(split(verdict, migrations)),
        },
    }
}

fn split(verdict: Verdict, migrations: &[PlannedMigration<'_>]) -> Split {
    let mut first = Vec::new();
    let mut second = Vec::new();
    let mut advice = Vec::new();
    for migration in migrations {
        let has = |d: Direction| migration.operations.iter().any(|(_, x)| *x == d);
        let (expand, contract) = (has(Direction::Expand), has(Direction::Contract));
        // Which files go in which release is only a plan for a mixed release; a breaking or
        // unjudged one needs the recipe or a person first.
        if verdict == Verdict::Mixed && expand {
            first.push(migration.path.to_string());
        }
        if verdict == Verdict::Mixed && contract {
            second.push(migration.path.to_string());
        }
        if verdict == Verdict::Mixed && expand && contract {
            advice.push(format!(
                "{} both expands and contracts the schema: split it into two files, one per release.",
                migration.path
            ));
        }
        for (kind, direction) in &migration.operations {
            if *direction == Direction::Breaking {
                advice.push(format!("{}: {}", kind.describe(), recipe(kind)));
            }
        }
    }
    match verdict {
        Verdict::Mixed => advice.insert(
            0,
            "Ship the expanding migrations, with the code that needs them, in a first release (schema first). Ship the contracting migrations in a later release once no deployed code uses what they remove (code first).".to_string(),
        ),
        Verdict::NeedsReview => advice.insert(
            0,
            "Some statements could not be judged: read the needs-review findings, then decide the order by hand or make the statements ones the tool understands.".to_string(),
        ),
        Verdict::None | Verdict::Additive | Verdict::Destructive | Verdict::Breaking => {}
    }
    Split {
        first_release: first,
        second_release: second,
        advice,
        cut: None,
        blocked_by: None,
    }
}

/// The expand/contract recipe for an operation no order makes safe, as a sentence that
/// follows the operation's description.
pub fn recipe(kind: &OpKind) -> String {
    match kind {
        OpKind::RenameColumn { table, column, new_name, .. } => format!(
            "add {table}.{new_name} (release 1), write both columns and backfill, switch reads to {new_name} (release 2), then drop {column} (release 3)."
        ),
        OpKind::RenameTable { table, new_name } => format!(
            "create {new_name} (release 1), write both tables and backfill, switch reads (release 2), then drop {table} (release 3)."
        ),
        OpKind::AddColumn { table, column } => format!(
            "add {table}.{} as nullable or with a default (release 1), make the code write it and backfill existing rows, then set NOT NULL (release 2).",
            column.name
        ),
        OpKind::AlterColumnType { table, column, .. } | OpKind::RedefineColumn { table, column, .. } => format!(
            "add a new column with the new type (release 1), write both and backfill, switch reads, then drop {table}.{column} (later release)."
        ),
        OpKind::AlterObject { object, name, change: ObjectChange::SetSchema { schema } } => format!(
            "move {object} {name} to {schema} and create a view named {name} in its old schema over it (release 1), switch the code to {schema}.{name}, then drop the view (release 2)."
        ),
        OpKind::AlterObject { object, name, change: ObjectChange::Rename { new_name } } => format!(
            "create {new_name} beside {object} {name} (release 1), switch the code to {new_name}, then drop {name} (release 2)."
        ),
        _ => "no single order is safe; split it into an expand and a contract step over two releases.".to_string(),
    }
}

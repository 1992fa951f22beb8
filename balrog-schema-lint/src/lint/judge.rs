//! The judging step: every operation of the range classified against the schema at
//! `FROM`, baselines recognised, and the release verdict.

use crate::analysis::{AnalyzedMigration, AnalyzedOp};
use crate::catalog::Catalog;
use crate::classify::{self, locks, Context};
use crate::model::lock::Target;
use crate::model::finding::Verdict;
use crate::model::migration::FileStatus;
use crate::model::ops::{Direction, OpKind};
use crate::repo::discover::Discovered;

/// Judges each operation of `migrations` in place and returns the release verdict. Each
/// changed file the tool did not read (`unrecognised`) makes it needs-review: a file that was
/// not read can never let a release look safe.
pub fn judge(
    migrations: &mut [AnalyzedMigration],
    unrecognised: usize,
    before: &Catalog,
    at_from: &Discovered,
    target: &Target,
) -> Verdict {
    let judged = classify::judge_range(
        before,
        migrations
            .iter()
            .flat_map(|m| m.operations.iter().map(|a| &a.op)),
    );
    let mut judgements = judged.judgements.into_iter();
    let mut columns_before = judged.columns_before.into_iter();
    for migration in migrations.iter_mut() {
        let dialect = migration.dialect;
        for aop in &mut migration.operations {
            if let Some(judgement) = judgements.next() {
                aop.judgement = judgement;
            }
            let before = columns_before.next().flatten();
            aop.lock = locks::lock(&aop.op, before.as_ref(), dialect, target);
        }
    }
    mark_baselines(migrations, at_from);
    classify::verdict(
        migrations
            .iter()
            .flat_map(|m| m.operations.iter().map(|a| a.judgement.direction))
            .chain(std::iter::repeat_n(Direction::NeedsReview, unrecognised)),
    )
}

/// A new location's first migration that recreates tables production already has is a
/// baseline (a switch of migration tool, or a squash): a database that already ran the old
/// migrations is stamped at it, not migrated. Its recreations change nothing; where they
/// differ from the replayed schema, the difference is drift for the `baseline-schema-drift`
/// rule, not a change to production.
fn mark_baselines(migrations: &mut [AnalyzedMigration], at_from: &Discovered) {
    let Some(latest) = at_from.migrations.last() else {
        return;
    };
    let precondition = format!("{} ({})", latest.version.as_str(), latest.path);
    let mut seen_locations: Vec<usize> = at_from.migrations.iter().map(|m| m.location).collect();
    for migration in migrations.iter_mut() {
        if migration.status != FileStatus::A || seen_locations.contains(&migration.location) {
            continue;
        }
        seen_locations.push(migration.location);
        let recreates = |a: &AnalyzedOp| {
            matches!(
                a.op.kind,
                OpKind::CreateTable { .. } | OpKind::CreateIndex { .. }
            ) && matches!(
                a.judgement.context,
                Context::Baseline | Context::PreviousDefinition
            )
        };
        if !migration.operations.iter().any(recreates) {
            continue;
        }
        migration.baseline = Some(precondition.clone());
        for aop in &mut migration.operations {
            if recreates(aop) && aop.judgement.direction == Direction::NeedsReview {
                aop.judgement.direction = Direction::Neutral;
                aop.judgement.context = Context::Baseline;
                let reason = aop.judgement.reason.take().unwrap_or_default();
                let table = aop.op.kind.table().unwrap_or_default();
                aop.judgement.reason = Some(if aop.judgement.differences.is_empty() {
                    format!("baseline: {reason}")
                } else {
                    format!(
                        "baseline: {table} differs: {}",
                        aop.judgement.differences.join("; ")
                    )
                });
            }
        }
    }
}

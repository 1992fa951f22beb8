//! What a deploy tool does with the library: check the release range, refuse to deploy when
//! no single order is safe (or a finding is an error), and otherwise run the plan's steps in
//! order, waiting where the plan says so.
//!
//! ```text
//! cargo run -p balrog-schema-lint --example deploy_tool -- REPO FROM TO
//! ```
//!
//! Deploying is printed here; a real tool calls its deploy API at each step.

use std::process::ExitCode;

use balrog_schema_lint::{check, CheckRequest, Severity};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [repo, from, to] = args.as_slice() else {
        eprintln!("usage: deploy_tool REPO FROM TO");
        return ExitCode::from(2);
    };
    let report = match check(&CheckRequest {
        repo: repo.into(),
        from: Some(from.clone()),
        to: Some(to.clone()),
        ..CheckRequest::default()
    }) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("cannot check {from}..{to}: {err}");
            return ExitCode::from(2);
        }
    };

    // The gate: a verdict without a safe order, or an error finding, stops the deploy.
    if !report.verdict.has_safe_order() || report.fails_at(Severity::Error) {
        eprintln!("not deploying {to}: {}", report.summary);
        for finding in report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            let place = finding.path.as_deref().unwrap_or("(range)");
            eprintln!(
                "  {}[{}] {place}: {}",
                finding.severity.name(),
                finding.rule,
                finding.message
            );
        }
        if let Some(split) = &report.plan.split {
            eprintln!("  ship first: {}", split.first_release.join(", "));
            eprintln!("  ship later: {}", split.second_release.join(", "));
        }
        return ExitCode::from(1);
    }

    println!(
        "deploying {to} ({}): {}",
        report.verdict.name(),
        report.summary
    );
    for (number, step) in report.plan.steps.iter().enumerate() {
        // The services of one step deploy in parallel.
        println!(
            "step {}: deploy {}",
            number + 1,
            step.services.join(" and ")
        );
        println!("  {}", step.action);
        if let Some(wait) = &step.wait_for {
            println!("  waiting until: {wait}");
        }
    }
    for service in &report.plan.any_time {
        println!("any time: deploy {service}");
    }
    println!("rollback: {}", report.plan.rollback);
    ExitCode::SUCCESS
}

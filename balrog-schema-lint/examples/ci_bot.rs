//! What a CI bot does with the library: check a pull request's head against the latest
//! release and post the Markdown report as a comment.
//!
//! ```text
//! cargo run -p balrog-schema-lint --example ci_bot -- REPO [HEAD]
//! ```
//!
//! The comment's request body is printed instead of sent: the bot's own HTTP client posts
//! it (`POST /repos/{owner}/{repo}/issues/{number}/comments` on GitHub).

use std::process::ExitCode;

use balrog_schema_lint::{check, render, CheckRequest, Severity};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(repo) = args.next() else {
        eprintln!("usage: ci_bot REPO [HEAD]");
        return ExitCode::from(2);
    };
    let report = match check(&CheckRequest {
        repo: repo.into(),
        to: args.next(),
        ..CheckRequest::default()
    }) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("cannot check: {err}");
            return ExitCode::from(2);
        }
    };
    let comment = render::markdown::render(&report);
    let body = serde_json::json!({ "body": comment });
    println!("{body}");
    // The bot's status check fails on error findings; the comment explains why.
    if report.fails_at(Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

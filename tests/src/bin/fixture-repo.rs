//! `fixture-repo SCENARIO DEST`: commits a fixture history from testdata/scenarios into a new
//! git repository at DEST, tagging each release snapshot.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [scenario, dest] = args.as_slice() else {
        eprintln!("usage: fixture-repo SCENARIO DEST   (SCENARIO: a folder name under testdata/scenarios, or a path)");
        return ExitCode::from(2);
    };
    let path = PathBuf::from(scenario);
    let path = if path.is_dir() {
        path
    } else {
        balrog_schema_lint_tests::scenarios_dir().join(scenario)
    };
    if !path.is_dir() {
        eprintln!("error: no scenario folder {}", path.display());
        return ExitCode::from(2);
    }
    let dest = PathBuf::from(dest);
    if dest.exists() {
        eprintln!("error: {} already exists", dest.display());
        return ExitCode::from(2);
    }
    match balrog_schema_lint_tests::build_repo(&path, &dest) {
        Ok(_) => {
            println!("{}", dest.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

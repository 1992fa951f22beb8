//! Which profile a repository looks like.

use crate::model::profile::Profile;
use crate::repo::discover::BALROG_LOCATIONS;
use crate::repo::git::TreeFile;

/// The profile a tree looks like: Balrog when it has Balrog's migration layout
/// (`auslib/migrate`, `src/auslib/migrate` or `src/auslib/alembic`), else generic.
pub fn detect_profile(files: &[TreeFile]) -> Profile {
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::repo::git::tree_of_files as tree;

    #[test]
    fn balrog_is_recognised_by_its_auslib_layout() {
        assert_eq!(
            detect_profile(&tree(&["src/auslib/alembic/versions/abc_x.py"])),
            Profile::Balrog
        );
        assert_eq!(
            detect_profile(&tree(&["auslib/migrate/versions/001_x.py"])),
            Profile::Balrog
        );
        assert_eq!(
            detect_profile(&tree(&["app/alembic/versions/abc_x.py", "auslib.txt"])),
            Profile::Generic
        );
    }
}

// A small release history for the documentation's examples, built in a temporary folder:
// v3.40 creates `rules`, v3.41 drops its `legacy_flag` column (destructive), v3.42 adds a
// nullable column (additive). Used as `include!(...)` in doctests; it evaluates to the
// `tempfile::TempDir` that holds the repository.
{
    use git2::{Repository, Signature, Time};
    let dir = tempfile::tempdir().expect("temporary folder");
    let repo = Repository::init(dir.path()).expect("git init");
    let init = "CREATE TABLE rules (rule_id INT NOT NULL PRIMARY KEY, legacy_flag INT);";
    let drop = "ALTER TABLE rules DROP COLUMN legacy_flag;";
    let add = "ALTER TABLE rules ADD COLUMN comment VARCHAR(100);";
    let releases: [(&str, &[(&str, &str)]); 3] = [
        ("v3.40", &[("0001_init.sql", init)]),
        ("v3.41", &[("0001_init.sql", init), ("0002_drop_legacy.sql", drop)]),
        (
            "v3.42",
            &[
                ("0001_init.sql", init),
                ("0002_drop_legacy.sql", drop),
                ("0003_comment.sql", add),
            ],
        ),
    ];
    let mut time = 1_700_000_000;
    for (tag, files) in releases {
        let mut folder = repo.treebuilder(None).expect("tree builder");
        for (name, sql) in files {
            let blob = repo.blob(sql.as_bytes()).expect("blob");
            folder.insert(name, blob, 0o100644).expect("tree entry");
        }
        let mut root = repo.treebuilder(None).expect("tree builder");
        let folder = folder.write().expect("tree");
        root.insert("migrations", folder, 0o040000).expect("tree entry");
        let tree = repo.find_tree(root.write().expect("tree")).expect("tree");
        time += 86_400;
        let sig = Signature::new("r", "r@example.com", &Time::new(time, 0)).expect("signature");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = repo
            .commit(Some("HEAD"), &sig, &sig, tag, &tree, &parents)
            .expect("commit");
        let object = repo.find_object(id, None).expect("commit object");
        repo.tag_lightweight(tag, &object, false).expect("tag");
    }
    dir
}

//! Release tag names and migration file names into versions; ordering must stay total.
#![no_main]

use balrog_schema_lint::model::migration::{migration_version, sql_direction, ReleaseVersion};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid -= 1;
    }
    let (left, right) = text.split_at(mid);
    if let (Some(a), Some(b)) = (ReleaseVersion::parse(left), ReleaseVersion::parse(right)) {
        assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    }
    let _ = ReleaseVersion::parse(text);
    if let (Some(a), Some(b)) = (migration_version(left), migration_version(right)) {
        assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    }
    let _ = migration_version(text);
    let _ = sql_direction(text);
});

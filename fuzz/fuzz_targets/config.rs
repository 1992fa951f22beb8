//! Configuration parsing and validation, and inline suppression comments.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = balrog_schema_lint::Config::from_toml(text, "fuzz.toml");
    let _ = balrog_schema_lint::read::directives::parse(text);
    let _ = balrog_schema_lint::read::directives::directives(text);
});

//! Stable fingerprints of findings, for tools that track a finding across runs (GitLab Code
//! Quality, SARIF). `std::hash` is not stable across Rust versions, so this is FNV-1a 64,
//! which is fixed by its definition.

use std::collections::HashMap;

use crate::model::finding::Finding;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a, 64 bits.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(FNV_PRIME)
    })
}

/// One fingerprint per finding, in order, as 16 lowercase hex digits.
///
/// The line is left out so that a finding keeps its fingerprint when lines above it move.
/// Findings that would collide (same rule, file and message) get an occurrence number mixed
/// in, so every fingerprint in one report is distinct and still stable between runs.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let mut key = Vec::new();
            key.extend_from_slice(f.rule.as_bytes());
            key.push(0);
            key.extend_from_slice(f.path.as_deref().unwrap_or("").as_bytes());
            key.push(0);
            key.extend_from_slice(f.message.as_bytes());
            let base = fnv1a64(&key);
            let occurrence = seen.entry(base).or_insert(0);
            *occurrence += 1;
            let hash = if *occurrence == 1 {
                base
            } else {
                key.push(0);
                key.extend_from_slice(occurrence.to_string().as_bytes());
                fnv1a64(&key)
            };
            format!("{hash:016x}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::Severity;

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    fn finding(line: u32, message: &str) -> Finding {
        Finding {
            rule: "drop-column".into(),
            severity: Severity::Warning,
            path: Some("m/1.sql".into()),
            line: Some(line),
            message: message.into(),
            help: String::new(),
            diff: None,
            related: Vec::new(),
        }
    }

    #[test]
    fn fingerprints_ignore_the_line_and_never_repeat() {
        let moved = fingerprints(&[finding(2, "x")]);
        assert_eq!(moved, fingerprints(&[finding(40, "x")]));
        assert_eq!(moved[0].len(), 16);
        let twice = fingerprints(&[finding(2, "x"), finding(9, "x"), finding(3, "y")]);
        assert_eq!(twice[0], moved[0]);
        assert_ne!(twice[0], twice[1]);
        assert_ne!(twice[1], twice[2]);
    }
}

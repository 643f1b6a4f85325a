//! The fuzz targets in `cargo test`: a few hundred mutations per target of the examples'
//! sources and of the Tape artifacts compiled from them (binary and text, what
//! `avmc compile -o` writes), each of which must end in success or a clean error
//! (`avm_tests::fuzz`). The long runs use cargo-fuzz on the same targets (`fuzz/README.md`).
//! Raise the case count with `PROPTEST_CASES=10000`.

use avm_tests::fuzz::{
    binary_loader, front_end, repl_session, seed_artifacts, seed_sources, text_loader,
};
use proptest::prelude::*;

/// The seeds, compiled once per test binary.
fn sources() -> &'static [String] {
    static SOURCES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SOURCES.get_or_init(seed_sources)
}

fn artifacts() -> &'static [(Vec<u8>, String)] {
    static ARTIFACTS: std::sync::OnceLock<Vec<(Vec<u8>, String)>> = std::sync::OnceLock::new();
    ARTIFACTS.get_or_init(seed_artifacts)
}

/// One edit of an input: at a position (taken modulo the length), with a byte.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
    /// Copies a span of the input over another place (duplicates structure).
    Splice(usize, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Insert(p, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), any::<usize>(), 0usize..64).prop_map(|(a, b, n)| Edit::Splice(a, b, n)),
    ]
}

fn mutate(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match *e {
            Edit::Flip(p, b) => {
                if let Some(x) = bytes.get_mut(p % len) {
                    *x ^= b | 1;
                }
            }
            Edit::Insert(p, b) => bytes.insert(p % (bytes.len() + 1), b),
            Edit::Delete(p) => {
                if !bytes.is_empty() {
                    bytes.remove(p % len);
                }
            }
            Edit::Truncate(p) => bytes.truncate(p % len),
            Edit::Splice(from, to, n) => {
                let from = from % len;
                let end = (from + n).min(bytes.len());
                let chunk: Vec<u8> = bytes.get(from..end).map(<[u8]>::to_vec).unwrap_or_default();
                let to = to % (bytes.len() + 1);
                bytes.splice(to..to, chunk);
            }
        }
    }
    bytes
}

/// Mutations of text that keep it UTF-8 (invalid sequences become U+FFFD).
fn mutate_text(text: &str, edits: &[Edit]) -> String {
    String::from_utf8_lossy(&mutate(text.as_bytes().to_vec(), edits)).into_owned()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[test]
fn the_seeds_are_accepted() {
    let sources = sources();
    assert!(sources.len() >= 3, "examples found: {}", sources.len());
    let artifacts = artifacts();
    assert_eq!(artifacts.len(), sources.len(), "every seed compiles");
    for (bytes, text) in artifacts {
        assert_eq!(binary_loader(bytes), avm_tests::fuzz::Outcome::Accepted);
        assert_eq!(text_loader(text), avm_tests::fuzz::Outcome::Accepted);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn binary_loader_survives_mutated_artifacts(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let artifacts = artifacts();
        let (bytes, _) = &artifacts[seed.index(artifacts.len())];
        binary_loader(&mutate(bytes.clone(), &edits));
    }

    #[test]
    fn text_loader_survives_mutated_artifacts(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let artifacts = artifacts();
        let (_, text) = &artifacts[seed.index(artifacts.len())];
        text_loader(&mutate_text(text, &edits));
    }

    #[test]
    fn front_end_survives_mutated_sources(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let sources = sources();
        let src = &sources[seed.index(sources.len())];
        front_end(&mutate_text(src, &edits));
    }

    #[test]
    fn repl_session_survives_mutated_lines(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
        split in 1usize..6,
    ) {
        let sources = sources();
        let src = mutate_text(&sources[seed.index(sources.len())], &edits);
        // The program in `split` pieces, then a few expressions and commands.
        let lines: Vec<&str> = src.lines().collect();
        let chunk = lines.len().div_ceil(split).max(1);
        let mut inputs: Vec<String> = lines.chunks(chunk).map(|c| c.join("\n")).collect();
        inputs.extend(["main()", ":type main", "1 + 1", ":objects"].map(String::from));
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        repl_session(&refs);
    }
}

//! The corpus harness: every file under `tests/corpus/<stage>/` is run through
//! the stages up to `<stage>` and must produce exactly what its header says.
//! Also checks that every registered diagnostic code is exercised by at least
//! one corpus file.

use std::collections::BTreeSet;

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::diagnostics::{Code, REGISTRY};
use avm_compiler::syntax::span::SourceMap;
use avm_tests::corpus::{Expectation, Stage, codes_of, files_of, matches, parse_header, run_up_to};

#[test]
fn every_corpus_file_meets_its_header() {
    let mut failures = Vec::new();
    let mut count = 0;
    for &stage in Stage::ALL {
        for path in files_of(stage) {
            count += 1;
            let text = std::fs::read_to_string(&path).expect("corpus file is readable");
            let expectation = match parse_header(&text) {
                Ok(e) => e,
                Err(e) => {
                    failures.push(format!("{}: bad header: {e:?}", path.display()));
                    continue;
                }
            };
            let diags = run_up_to(stage, &text);
            if !matches(&expectation, &diags) {
                let mut map = SourceMap::new();
                map.add(path.display().to_string(), text.clone());
                failures.push(format!(
                    "{}: expected {:?}, got {:?}\n{}",
                    path.display(),
                    expectation,
                    codes_of(&diags),
                    render_all(&diags, &map, ColorChoice::Off)
                ));
            }
        }
    }
    assert!(count >= 60, "the corpus has only {count} files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_registered_code_is_exercised_by_the_corpus() {
    let mut seen: BTreeSet<Code> = BTreeSet::new();
    for &stage in Stage::ALL {
        for path in files_of(stage) {
            let text = std::fs::read_to_string(&path).expect("corpus file is readable");
            if let Ok(Expectation::Codes(codes)) = parse_header(&text) {
                seen.extend(codes);
            }
        }
    }
    let missing: Vec<&str> = REGISTRY
        .iter()
        .filter(|info| !seen.contains(&info.code))
        .map(|info| info.code.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a corpus file: {missing:?}"
    );
}

/// The rendered diagnostics of every error case, so message wording changes
/// are reviewed (source and output in one snapshot, colour off).
#[test]
fn error_cases_render_stably() {
    insta::glob!("../corpus", "{lex,parse}/{err,warn}_*.avm", |path| {
        let text = std::fs::read_to_string(path).expect("corpus file is readable");
        let stage = if path.parent().is_some_and(|p| p.ends_with("lex")) {
            Stage::Lex
        } else {
            Stage::Parse
        };
        let diags = run_up_to(stage, &text);
        let mut map = SourceMap::new();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        map.add(name, text.clone());
        let rendered = render_all(&diags, &map, ColorChoice::Off);
        insta::assert_snapshot!(format!(
            "--- source ---\n{text}--- diagnostics ---\n{rendered}"
        ));
    });
}

//! The corpus: `.avm` files under `tests/corpus/<stage>/`, each opening with a
//! header comment that states the expected outcome.
//!
//! Takes a corpus file's text; produces its [`Expectation`] and the outcome
//! of running the stages up to the one the file is sorted under. Header forms
//! (first line of the file):
//!
//! ```text
//! // expect: ok
//! // expect: error E0201 E0203      (exactly this set of codes is reported)
//! // expect: warning W0101
//! ```
//!
//! Stages run in order; the run stops after the first stage that reports an
//! error. To add a stage: add a [`Stage`] variant, its directory name, and a
//! branch in [`run_stage`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use avm_compiler::diagnostics::{Code, Diagnostic, Stage as CodeStage, has_errors};
use avm_compiler::resolve::{TextLoader, load_program, resolve};
use avm_compiler::syntax::lexer::lex;
use avm_compiler::syntax::parse;
use avm_compiler::syntax::span::FileId;
use avm_compiler::typeck::check;

/// The stages the corpus is sorted by, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Lex,
    Parse,
    Resolve,
    Typeck,
    /// Lowering to ITree terms (E05xx).
    Lower,
}

impl Stage {
    pub const ALL: &'static [Stage] = &[
        Stage::Lex,
        Stage::Parse,
        Stage::Resolve,
        Stage::Typeck,
        Stage::Lower,
    ];

    /// The corpus directory of the stage.
    pub fn dir_name(self) -> &'static str {
        match self {
            Stage::Lex => "lex",
            Stage::Parse => "parse",
            Stage::Resolve => "resolve",
            Stage::Typeck => "typeck",
            Stage::Lower => "lower",
        }
    }
}

/// What a corpus file says must happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// No diagnostics at all.
    Ok,
    /// Exactly this set of codes is reported (errors and/or warnings).
    Codes(BTreeSet<Code>),
}

/// Why a header could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    Missing,
    UnknownCode(String),
    NoCodes,
}

/// Reads the `// expect:` header on the first line.
pub fn parse_header(text: &str) -> Result<Expectation, HeaderError> {
    let first = text.lines().next().unwrap_or("");
    let rest = first
        .trim()
        .strip_prefix("//")
        .map(str::trim)
        .and_then(|r| r.strip_prefix("expect:"))
        .ok_or(HeaderError::Missing)?
        .trim();
    if rest == "ok" {
        return Ok(Expectation::Ok);
    }
    let mut words = rest.split_whitespace();
    match words.next() {
        Some("error") | Some("warning") | Some("errors") | Some("warnings") => {}
        _ => return Err(HeaderError::Missing),
    }
    let mut codes = BTreeSet::new();
    for w in words {
        let code = Code::parse(w).ok_or_else(|| HeaderError::UnknownCode(w.to_string()))?;
        codes.insert(code);
    }
    if codes.is_empty() {
        return Err(HeaderError::NoCodes);
    }
    Ok(Expectation::Codes(codes))
}

/// Runs one stage on a source text and returns that stage's own
/// diagnostics (earlier stages' diagnostics are reported by their own run).
pub fn run_stage(stage: Stage, text: &str) -> Vec<Diagnostic> {
    let file = FileId(0);
    match stage {
        Stage::Lex => lex(file, text).diagnostics,
        // The parser lexes too; keep only what the lexer did not report.
        Stage::Parse => {
            let lexical = lex(file, text).diagnostics;
            parse(file, text)
                .diagnostics
                .into_iter()
                .filter(|d| !lexical.contains(d))
                .collect()
        }
        // The whole pipeline up to ITree terms; only the lowering's own codes.
        Stage::Lower => {
            use avm_compiler::itree::LowerOptions;
            use avm_compiler::pipeline::{NoSources, Stage as Pipe, compile};
            compile(
                "t.avm",
                text,
                &mut NoSources,
                Pipe::Itree,
                &LowerOptions::default(),
            )
            .diagnostics
            .into_iter()
            .filter(|d| d.code.stage() == CodeStage::Lowering)
            .collect()
        }
        // Each stage reports only its own diagnostics (the run stops after
        // the first stage with errors, so these run on a parsed module).
        Stage::Resolve | Stage::Typeck => {
            let Some(module) = parse(file, text).module else {
                return Vec::new();
            };
            // Imports of std modules load their embedded sources.
            let mut sources = avm_compiler::syntax::span::SourceMap::new();
            sources.add("t.avm", text);
            let mut loader = TextLoader::new(std::collections::BTreeMap::new(), &mut sources);
            let program = load_program(module, &mut loader);
            if stage == Stage::Resolve {
                resolve(&program).diagnostics
            } else {
                check(&program)
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.code.stage() != CodeStage::NameResolution)
                    .collect()
            }
        }
    }
}

/// Runs the stages up to `last` in order, collecting their diagnostics and
/// stopping after the first stage that reports an error.
pub fn run_up_to(last: Stage, text: &str) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    for &stage in Stage::ALL.iter().filter(|s| **s <= last) {
        let diags = run_stage(stage, text);
        let failed = has_errors(&diags);
        all.extend(diags);
        if failed {
            break;
        }
    }
    all
}

/// The set of codes in a list of diagnostics.
pub fn codes_of(diags: &[Diagnostic]) -> BTreeSet<Code> {
    diags.iter().map(|d| d.code).collect()
}

/// Whether the outcome matches the expectation.
pub fn matches(expectation: &Expectation, diags: &[Diagnostic]) -> bool {
    match expectation {
        Expectation::Ok => diags.is_empty(),
        Expectation::Codes(codes) => codes_of(diags) == *codes,
    }
}

/// The corpus root (`tests/corpus`).
pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every `.avm` file of a stage's directory, sorted by name.
pub fn files_of(stage: Stage) -> Vec<PathBuf> {
    let dir = corpus_root().join(stage.dir_name());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "avm"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse() {
        assert_eq!(parse_header("// expect: ok\nfn"), Ok(Expectation::Ok));
        assert_eq!(
            parse_header("// expect: error E0201 E0203"),
            Ok(Expectation::Codes(
                [Code::E0201, Code::E0203].into_iter().collect()
            ))
        );
        assert_eq!(parse_header("fn main() {}"), Err(HeaderError::Missing));
        assert_eq!(
            parse_header("// expect: error E9999"),
            Err(HeaderError::UnknownCode("E9999".into()))
        );
        assert_eq!(parse_header("// expect: error"), Err(HeaderError::NoCodes));
    }
}

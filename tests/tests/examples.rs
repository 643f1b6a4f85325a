//! The examples harness: every program under `examples/*/main.avm`,
//! `drafts/*/main.avm` and `std/tests/*.avm`, and every std module
//! `std/*.avm`, goes through the front end (parse, resolve, type check) and
//! must come out without errors or warnings.
//!
//! Running the programs and comparing their output with
//! `examples/<name>/expected.txt` needs the lowering and the `avmc run`
//! pipeline, which are not on this branch yet (see the report of the
//! `examples` branch); until then this harness checks that every program is
//! well typed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::syntax::span::SourceMap;
use avm_compiler::typeck::check_source;

/// The repository root (the tests crate lives in `<root>/tests`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace")
        .to_path_buf()
}

/// `dir/*/main.avm`, sorted.
fn programs_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path().join("main.avm"))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found
}

/// `dir/*.avm`, sorted.
fn avm_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "avm"))
        .collect();
    found.sort();
    found
}

/// The text the front end checks for `path`. A std test
/// `std/tests/<m>.avm` is appended to its module `std/<m>.avm`: the resolver
/// answers `import std.<m>` with the built-in prelude and does not read std
/// sources yet.
fn program_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("program is readable");
    let std_dir = repo_root().join("std");
    if path.parent() == Some(std_dir.join("tests").as_path())
        && let Some(name) = path.file_name()
    {
        let module =
            std::fs::read_to_string(std_dir.join(name)).expect("every std test has its std module");
        return format!("{module}\n{text}");
    }
    text
}

/// Type-checks `path`; the rendered diagnostics, empty when there are none.
fn front_end_diagnostics(path: &Path) -> String {
    let text = program_text(path);
    let mut sources = SourceMap::new();
    let name = path
        .strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string();
    let outcome = check_source(&mut sources, &name, &text, BTreeMap::new());
    if outcome.diagnostics.is_empty() {
        String::new()
    } else {
        render_all(&outcome.diagnostics, &sources, ColorChoice::Off)
    }
}

fn all_programs() -> Vec<PathBuf> {
    let root = repo_root();
    let mut all = programs_in(&root.join("examples"));
    all.extend(programs_in(&root.join("drafts")));
    all.extend(avm_files_in(&root.join("std")));
    all.extend(avm_files_in(&root.join("std").join("tests")));
    all
}

#[test]
fn every_program_passes_the_front_end() {
    let programs = all_programs();
    assert!(
        programs.len() >= 9,
        "expected the nine examples, found {programs:?}"
    );
    let failures: Vec<String> = programs
        .iter()
        .map(|p| (p, front_end_diagnostics(p)))
        .filter(|(_, d)| !d.is_empty())
        .map(|(p, d)| format!("== {}\n{d}", p.display()))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

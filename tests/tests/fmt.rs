//! The formatter (`avmc fmt`) over the repository's programs.
//!
//! Takes every program under `examples/`, `std/` (modules and tests) and
//! `tests/corpus/`; checks that
//! - every example and std file is already formatted (what `avmc fmt --check` checks),
//! - formatting any file that parses keeps the parsed program (ASTs compared
//!   without spans or ids, through the AST printer) and formatting twice equals
//!   formatting once, and a file that does not parse is refused,
//! - (property) re-indenting lines and widening the spaces of a program does not
//!   change its formatted text: the layout is canonical.

use std::path::{Path, PathBuf};

use avm_compiler::fmt::{FormatError, format_source};
use avm_compiler::syntax::parse;
use avm_compiler::syntax::pretty::print_module;
use avm_compiler::syntax::span::FileId;
use proptest::prelude::*;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace")
        .to_path_buf()
}

/// Every `.avm` file under `dir`, recursively, sorted.
fn avm_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "avm") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The programs that must stay formatted.
fn formatted_programs() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files = avm_files(&root.join("examples"));
    files.extend(avm_files(&root.join("std")));
    files
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The parsed program without spans or ids, or `None` when it has syntax errors.
fn tree(src: &str) -> Option<String> {
    let parsed = parse(FileId(0), src);
    if parsed.has_errors() {
        return None;
    }
    parsed.module.map(|m| print_module(&m))
}

#[test]
fn examples_and_std_are_formatted() {
    let files = formatted_programs();
    assert!(files.len() >= 12, "found only {} programs", files.len());
    let mut unformatted = Vec::new();
    for file in &files {
        let text = read(file);
        match format_source(FileId(0), &text) {
            Ok(f) if f == text => {}
            Ok(_) => unformatted.push(file.display().to_string()),
            Err(e) => panic!("{}: {e:?}", file.display()),
        }
    }
    assert!(
        unformatted.is_empty(),
        "not formatted (run `avmc fmt` on them): {}",
        unformatted.join(", ")
    );
}

#[test]
fn formatting_keeps_the_program_and_is_idempotent() {
    let mut files = avm_files(&repo_root().join("tests/corpus"));
    files.extend(formatted_programs());
    let (mut formatted, mut refused) = (0, 0);
    for file in &files {
        let text = read(file);
        let name = file.display();
        match (tree(&text), format_source(FileId(0), &text)) {
            (Some(before), Ok(once)) => {
                assert_eq!(
                    tree(&once).as_deref(),
                    Some(before.as_str()),
                    "{name}: program changed"
                );
                let twice = format_source(FileId(0), &once).expect("formatted text parses");
                assert_eq!(twice, once, "{name}: not idempotent");
                formatted += 1;
            }
            (None, Err(FormatError::Syntax(d))) => {
                assert!(!d.is_empty(), "{name}: refused without a diagnostic");
                refused += 1;
            }
            (Some(_), Err(e)) => panic!("{name}: parses but was refused: {e:?}"),
            (None, Ok(_)) => panic!("{name}: has syntax errors but was formatted"),
        }
    }
    assert!(formatted >= 100, "only {formatted} files formatted");
    assert!(refused >= 20, "only {refused} files with syntax errors");
}

/// `text` with some lines' indentation changed and some spaces doubled (outside
/// string literals and comments): the same program, laid out differently.
fn perturb(text: &str, seeds: &[u8]) -> String {
    let mut out = String::new();
    let mut k = 0usize;
    let mut next = || {
        k += 1;
        seeds[k % seeds.len()]
    };
    for line in text.lines() {
        let code_end = ["\"", "//", "/*"]
            .iter()
            .filter_map(|m| line.find(m))
            .min()
            .unwrap_or(line.len());
        let (code, rest) = line.split_at(code_end);
        let trimmed = code.trim_start();
        out.push_str(&" ".repeat((next() % 9) as usize));
        for (i, part) in trimmed.split(' ').enumerate() {
            if i > 0 {
                out.push_str(if next() % 3 == 0 { "   " } else { " " });
            }
            out.push_str(part);
        }
        out.push_str(rest);
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn layout_does_not_depend_on_the_input_layout(
        index in 0usize..1000,
        seeds in proptest::collection::vec(any::<u8>(), 1..64),
    ) {
        let files = formatted_programs();
        let text = read(&files[index % files.len()]);
        let canonical = format_source(FileId(0), &text).expect("formats");
        let shaken = perturb(&text, &seeds);
        prop_assert_eq!(tree(&shaken), tree(&text));
        prop_assert_eq!(format_source(FileId(0), &shaken).expect("formats"), canonical);
    }
}

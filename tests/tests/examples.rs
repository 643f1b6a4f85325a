//! The examples harness.
//!
//! Takes every program under `examples/*/main.avm` and every std test
//! `std/tests/*.avm`; compiles it with the library pipeline (parse, resolve,
//! type check, lower to ITree and to Tape), runs it on both engines the way
//! `avmc run` does (controller `main`, default limits), and compares each
//! engine's output (the `print` lines, then `main`'s value in source syntax)
//! with the checked-in `expected.txt` next to it
//! (`std/tests/<m>.expected.txt` for a std test). Any difference, compile
//! error or runtime failure on either engine fails.
//! Every one of them must also agree between the engines on trace and store.
//!
//! Also checks that every std module `std/*.avm` and every program under
//! `drafts/*/main.avm` (those that cannot run yet because the compiler does
//! not lower their forms) passes the front end without a diagnostic.
//! Std tests reach their module with `import std.<m>` (the compiler embeds
//! the std sources). Set `UPDATE_EXPECTED=1` to rewrite the expected files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_compiler::syntax::span::SourceMap;
use avm_compiler::typeck::check_source;
use avm_compiler::value_text;
use avm_vm::itree::{RunConfig, RunResult};
use avm_vm::trace::EventType;
use avm_vm::value::Val;
use avm_vm::world::World;

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

/// The path shown in diagnostics and failures.
fn shown(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The text of the program at `path`.
fn program_text(path: &Path) -> String {
    std::fs::read_to_string(path).expect("program is readable")
}

/// Type-checks `path`; the rendered diagnostics, empty when there are none.
fn front_end_diagnostics(path: &Path) -> String {
    let text = program_text(path);
    let mut sources = SourceMap::new();
    let outcome = check_source(&mut sources, &shown(path), &text, BTreeMap::new());
    if outcome.diagnostics.is_empty() {
        String::new()
    } else {
        render_all(&outcome.diagnostics, &sources, ColorChoice::Off)
    }
}

/// Which interpreter runs a program (`avmc run --engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    /// The reference ITree interpreter.
    Itree,
    /// The Tape interpreter on the compiled Tape program (`avmc run`'s default).
    Tape,
}

/// Compiles and runs `path` on `engine` as `avmc run` does; its stdout, or
/// the diagnostics / runtime failure.
fn run_program(path: &Path, engine: Engine) -> Result<String, String> {
    let text = program_text(path);
    let options = LowerOptions {
        default_controller: Some("main".to_string()),
    };
    let outcome = compile(&shown(path), &text, &mut NoSources, Stage::Tape, &options);
    if !outcome.diagnostics.is_empty() {
        return Err(render_all(
            &outcome.diagnostics,
            &outcome.sources,
            ColorChoice::Off,
        ));
    }
    let Some(program) = outcome.itree else {
        return Err("the pipeline produced no ITree program".to_string());
    };
    let mut world = World::new();
    let result = match engine {
        Engine::Itree => avm_vm::itree::run(&program, &mut world, &RunConfig::default()),
        Engine::Tape => {
            let Some(tape) = outcome.tape else {
                return Err("the pipeline produced no Tape program".to_string());
            };
            for (name, function) in &program.pure_registry {
                if world.pure.get(name).is_none() {
                    let _ = world.pure.register(name.clone(), function.clone());
                }
            }
            let config = avm_vm::tape::interp::RunConfig::from(&RunConfig::default());
            avm_vm::tape::interp::run_program(&tape, &mut world, &config)
                .map_err(|e| format!("the Tape program does not load: {e}"))?
        }
    };
    result_text(&result)
}

/// The output lines and the final value of a run, or its failure.
fn result_text(result: &RunResult) -> Result<String, String> {
    let mut out = String::new();
    for e in result.trace.entries() {
        if let EventType::Output(v) = &e.event {
            match v {
                Val::Str(s) => out.push_str(s),
                other => out.push_str(&value_text::value(other)),
            }
            out.push('\n');
        }
    }
    match &result.outcome {
        Ok(v) => {
            out.push_str(&value_text::value(v));
            out.push('\n');
            Ok(out)
        }
        Err(e) => Err(format!("{out}runtime failure: {e}")),
    }
}

/// Where the expected output of `program` is kept.
fn expected_path(program: &Path) -> PathBuf {
    if program.file_name().is_some_and(|n| n == "main.avm") {
        program.with_file_name("expected.txt")
    } else {
        program.with_extension("expected.txt")
    }
}

fn runnable_programs() -> Vec<PathBuf> {
    let root = repo_root();
    let mut all = programs_in(&root.join("examples"));
    all.extend(avm_files_in(&root.join("std").join("tests")));
    all
}

#[test]
fn every_example_and_std_test_prints_its_expected_output() {
    let programs = runnable_programs();
    assert!(
        programs.len() >= 6,
        "expected the examples and std tests, found {programs:?}"
    );
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for program in &programs {
        let expected_file = expected_path(program);
        for engine in [Engine::Itree, Engine::Tape] {
            match run_program(program, engine) {
                Err(e) => failures.push(format!(
                    "== {} does not run on {engine:?}:\n{e}",
                    shown(program)
                )),
                Ok(actual) if update && engine == Engine::Itree => {
                    std::fs::write(&expected_file, actual).expect("expected file is writable");
                }
                Ok(actual) => {
                    let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
                    if actual != expected {
                        failures.push(format!(
                            "== {} on {engine:?}: output differs from {}\n-- expected\n{expected}-- actual\n{actual}",
                            shown(program),
                            shown(&expected_file)
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every example and std test that the Tape back end compiles runs on both engines with the
/// same outcome, trace, store and clock (`avm_vm::testing::compare_runs`); every one of them
/// lowers to Tape (FD search under `try atomic` uses the Tape `try` ops).
#[test]
fn the_engines_agree_on_every_example_and_std_test() {
    let options = LowerOptions {
        default_controller: Some("main".to_string()),
    };
    let mut compared = 0;
    let mut failures = Vec::new();
    for path in runnable_programs() {
        let text = program_text(&path);
        let out = compile(&shown(&path), &text, &mut NoSources, Stage::Tape, &options);
        let (Some(program), Some(tape)) = (out.itree.as_ref(), out.tape.as_ref()) else {
            failures.push(format!("== {}: does not compile to Tape", shown(&path)));
            continue;
        };
        let make_world = || {
            let mut w = World::new();
            for (name, function) in &program.pure_registry {
                // Cannot fail: the registry starts empty and the compiler's names are unique.
                let _ = w.pure.register(name.clone(), function.clone());
            }
            w
        };
        let config = RunConfig::default();
        let itree_run = avm_vm::testing::run_itree(program, &config, &make_world);
        match avm_vm::testing::run_tape(tape, &config, &make_world) {
            Ok(tape_run) => {
                compared += 1;
                let diffs = avm_vm::testing::compare_runs(&itree_run, &tape_run);
                if !diffs.is_empty() {
                    let diffs: Vec<String> = diffs.iter().map(|d| d.to_string()).collect();
                    failures.push(format!("== {}:\n{}", shown(&path), diffs.join("\n")));
                }
            }
            Err(e) => failures.push(format!("== {}: Tape load error: {e}", shown(&path))),
        }
    }
    assert!(
        compared >= 6,
        "only {compared} programs ran on both engines"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_has_a_readme() {
    let missing: Vec<String> = programs_in(&repo_root().join("examples"))
        .iter()
        .chain(programs_in(&repo_root().join("drafts")).iter())
        .filter(|p| !p.with_file_name("README.md").is_file())
        .map(|p| shown(p))
        .collect();
    assert!(missing.is_empty(), "no README.md next to {missing:?}");
}

#[test]
fn std_modules_and_drafts_pass_the_front_end() {
    let root = repo_root();
    let mut programs = avm_files_in(&root.join("std"));
    programs.extend(programs_in(&root.join("drafts")));
    assert!(
        !programs.is_empty(),
        "expected std modules and drafts under {}",
        root.display()
    );
    let failures: Vec<String> = programs
        .iter()
        .map(|p| (p, front_end_diagnostics(p)))
        .filter(|(_, d)| !d.is_empty())
        .map(|(p, d)| format!("== {}\n{d}", shown(p)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_harness_notices_a_wrong_expectation() {
    // The harness must fail on an example that does not produce its
    // snapshot: running a program yields exactly its output, so a changed
    // expected file cannot match.
    let counter = repo_root()
        .join("examples")
        .join("counter")
        .join("main.avm");
    let actual = run_program(&counter, Engine::Tape).expect("the counter example runs");
    assert!(actual.ends_with("10\n"), "{actual}");
    assert_ne!(actual, format!("{actual}extra line\n"));
}

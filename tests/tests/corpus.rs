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
    // Runtime failures (E0701) are exercised by the run corpus's `runtime-error` files;
    // Tape loading errors (E06xx) concern `.tape` files, exercised by
    // `compiler/tests/cli.rs::bad_tape_file_is_e0601`.
    let run_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/run");
    let runtime_files = std::fs::read_dir(run_dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| {
                    std::fs::read_to_string(e.path())
                        .is_ok_and(|t| t.starts_with("// expect: runtime-error"))
                })
                .count()
        })
        .unwrap_or(0);
    if runtime_files > 0 {
        seen.insert(Code::E0701);
    }
    seen.extend(
        REGISTRY
            .iter()
            .filter(|i| i.stage == avm_compiler::diagnostics::Stage::TapeLoading)
            .map(|i| i.code),
    );
    // REPL errors (E08xx) concern REPL input, exercised by the REPL transcripts
    // (`compiler/tests/repl_transcripts/*.txt`, replayed by `compiler/tests/repl.rs`): a code
    // counts when a transcript's expected output shows it.
    let transcripts =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../compiler/tests/repl_transcripts");
    let transcript_text: String = std::fs::read_dir(transcripts)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    seen.extend(
        REGISTRY
            .iter()
            .filter(|i| i.stage == avm_compiler::diagnostics::Stage::Repl)
            .filter(|i| transcript_text.contains(&format!("[{}]", i.code.as_str())))
            .map(|i| i.code),
    );
    // Driver errors (E00xx) concern the files named on the command line, exercised by
    // `compiler/tests/cli.rs` (`file_errors_have_driver_codes`): a code counts when that file
    // expects `error[CODE]` on stderr.
    let cli_tests = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../compiler/tests/cli.rs"),
    )
    .unwrap_or_default();
    seen.extend(
        REGISTRY
            .iter()
            .filter(|i| i.stage == avm_compiler::diagnostics::Stage::Driver)
            .filter(|i| cli_tests.contains(&format!("error[{}]", i.code.as_str())))
            .map(|i| i.code),
    );
    // Runtime limits other than E0701 (memory, timeout) are `avmc run` outcomes, exercised by
    // the resource-bomb tests: a code counts when one of those files expects `[CODE]`.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bomb_tests: String = [
        root.join("tests/bombs_runtime.rs"),
        root.join("../compiler/tests/cli_bounds.rs"),
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(p).ok())
    .collect();
    // The SMT solver's runtime errors (E0730, E0731) need a solver process, exercised by
    // `compiler/tests/solver.rs`: a code counts when that file expects it (`"E07xx"`).
    let solver_tests = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../compiler/tests/solver.rs"),
    )
    .unwrap_or_default();
    seen.extend(
        REGISTRY
            .iter()
            .filter(|i| i.stage == avm_compiler::diagnostics::Stage::Runtime)
            .filter(|i| {
                bomb_tests.contains(&format!("[{}]", i.code.as_str()))
                    || solver_tests.contains(&format!("\"{}\"", i.code.as_str()))
            })
            .map(|i| i.code),
    );
    // World errors (E09xx) concern world files and runs against them, exercised by
    // `compiler/tests/world.rs`: a code counts when that file names it in quotes.
    let world_tests =
        std::fs::read_to_string(root.join("../compiler/tests/world.rs")).unwrap_or_default();
    seen.extend(
        REGISTRY
            .iter()
            .filter(|i| i.stage == avm_compiler::diagnostics::Stage::World)
            .filter(|i| world_tests.contains(&format!("\"{}\"", i.code.as_str())))
            .map(|i| i.code),
    );
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

/// The run stage: every `tests/corpus/run/*.avm` compiles to ITree and Tape, runs on both
/// interpreters with identical outcome, trace and store (differential check), and gives what
/// its header says (`// expect: output <value>` or
/// `// expect: runtime-error <text the error contains>`). A runtime-error file may give the
/// failing source position on its second line, `// at: <line>:<column>`: the start of the
/// innermost backtrace location of both engines must be there.
#[test]
fn every_run_corpus_file_runs_as_expected() {
    use avm_compiler::itree::LowerOptions;
    use avm_compiler::pipeline::{NoSources, Stage as Pipe, compile};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/run");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/run exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "avm"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "only {} run corpus files", paths.len());
    let mut failures = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable");
        let header = text.lines().next().unwrap_or_default();
        let out = compile(
            "t.avm",
            &text,
            &mut NoSources,
            Pipe::Tape,
            &LowerOptions::default(),
        );
        let (Some(program), Some(tape)) = (out.itree.as_ref(), out.tape.as_ref()) else {
            failures.push(format!(
                "{}: does not compile:\n{}",
                path.display(),
                render_all(&out.diagnostics, &out.sources, ColorChoice::Off)
            ));
            continue;
        };
        let make_world = || {
            let mut w = avm_vm::world::World::new();
            for (name, function) in &program.pure_registry {
                // Cannot fail: the registry starts empty and the compiler's names are unique.
                let _ = w.pure.register(name.clone(), function.clone());
            }
            w
        };
        let config = avm_vm::itree::RunConfig::default();
        let itree_run = avm_vm::testing::run_itree(program, &config, &make_world);
        let want_at = text
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("// at: "))
            .map(str::trim);
        let position = |b: &avm_vm::srcloc::Backtrace| {
            b.innermost().and_then(|loc| {
                let file = out
                    .sources
                    .get(avm_compiler::syntax::span::FileId(loc.source))?;
                let lc = file.line_col(loc.start);
                Some(format!("{}:{}", lc.line, lc.column))
            })
        };
        if let Some(want) = want_at {
            let got = position(&itree_run.result.backtrace);
            if got.as_deref() != Some(want) {
                failures.push(format!(
                    "{}: ITree failure at {got:?}, header says {want}",
                    path.display()
                ));
            }
        }
        match avm_vm::testing::run_tape(tape, &config, &make_world) {
            Ok(tape_run) => {
                if let Some(want) = want_at {
                    let got = position(&tape_run.result.backtrace);
                    if got.as_deref() != Some(want) {
                        failures.push(format!(
                            "{}: Tape failure at {got:?}, header says {want}",
                            path.display()
                        ));
                    }
                }
                let diffs = avm_vm::testing::compare_runs(&itree_run, &tape_run);
                if !diffs.is_empty() {
                    failures.push(format!(
                        "{}: the engines disagree:\n{}",
                        path.display(),
                        diffs
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join("\n")
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: Tape load error: {e}", path.display())),
        }
        let r = &itree_run.result;
        let ok = if let Some(want) = header.strip_prefix("// expect: output ") {
            match &r.outcome {
                Ok(v) => avm_compiler::value_text::value(v) == want.trim(),
                Err(_) => false,
            }
        } else if let Some(want) = header.strip_prefix("// expect: runtime-error ") {
            match &r.outcome {
                Ok(_) => false,
                Err(e) => e.to_string().contains(want.trim()),
            }
        } else {
            false
        };
        if !ok {
            failures.push(format!(
                "{}: header `{header}`, got {:?}",
                path.display(),
                r.outcome
                    .as_ref()
                    .map(avm_compiler::value_text::value)
                    .map_err(|e| e.to_string())
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! The fuzz targets of the toolchain's untrusted inputs, shared by the proptest versions in
//! `cargo test` (`tests/tests/fuzz_front.rs`) and the cargo-fuzz targets (`fuzz/`).
//!
//! Takes one input (bytes, text, or REPL lines); produces the [`Outcome`] it ended in, or
//! panics when a rule is broken, which is what a fuzzer reports. Rules: every input ends in
//! success or a clean error (the caller sees a panic or abort otherwise), a program that loads
//! is run only under [`FUZZ_FUEL`] steps, and what the compiler writes (`avmc compile -o`, both
//! formats) loads back. The seeds are the examples' sources and the Tape artifacts compiled
//! from them ([`seed_sources`], [`seed_artifacts`]).

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, SourceLoader, Stage, compile};
use avm_compiler::repl::{Mode, ReplHost, Session};
use avm_vm::itree::{Limits, RunConfig};
use avm_vm::tape;
use avm_vm::world::World;

/// The step budget of a run of a fuzzed program.
pub const FUZZ_FUEL: u64 = 5_000;

/// The most bytes the rendered diagnostics of one fuzzed source may take (100 diagnostics
/// of bounded width, plus the closing note).
pub const MAX_RENDERED: usize = 1 << 20;

/// How a fuzzed input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It loaded or compiled (and ran, for a program, within the fuel).
    Accepted,
    /// It was refused with an error (a load error, or coded diagnostics).
    Refused,
}

/// Runs a loaded program under [`FUZZ_FUEL`]; a failed run is a clean outcome too.
fn run_bounded(program: &tape::Program) {
    // The rest of the limits keep their defaults, whatever fields the VM adds later (a memory
    // limit is planned by issue 12).
    #[allow(clippy::needless_update)]
    let limits = Limits {
        fuel: FUZZ_FUEL,
        max_call_depth: 1_000,
        ..Limits::default()
    };
    let config = RunConfig {
        limits,
        ..RunConfig::default()
    };
    let mut world = World::new();
    let tape_config = tape::interp::RunConfig::from(&config);
    let _ = tape::interp::run_program(program, &mut world, &tape_config);
}

/// The binary loader (`avmc run X.tape` with the `AVMT` header).
pub fn binary_loader(bytes: &[u8]) -> Outcome {
    match tape::binary::load(bytes) {
        Ok(program) => {
            run_bounded(&program);
            Outcome::Accepted
        }
        Err(_) => Outcome::Refused,
    }
}

/// The text loader (`avmc run X.tape` in the text format).
pub fn text_loader(text: &str) -> Outcome {
    match tape::parse::parse_program(text) {
        Ok(program) => {
            run_bounded(&program);
            Outcome::Accepted
        }
        Err(_) => Outcome::Refused,
    }
}

/// The front end: the whole pipeline to Tape. Errors must be diagnostics whose rendering is
/// bounded; a program that compiles must survive both `-o` formats and run under the fuel.
pub fn front_end(source: &str) -> Outcome {
    let outcome = compile(
        "fuzz.avm",
        source,
        &mut NoSources,
        Stage::Tape,
        &LowerOptions::default(),
    );
    if outcome.has_errors() {
        let rendered = render_all(&outcome.diagnostics, &outcome.sources, ColorChoice::Off);
        assert!(
            rendered.len() <= MAX_RENDERED,
            "{} bytes of diagnostics",
            rendered.len()
        );
        return Outcome::Refused;
    }
    let Some(program) = &outcome.tape else {
        return Outcome::Refused;
    };
    let bytes = tape::binary::encode(program).expect("a compiled program encodes");
    let loaded = tape::binary::load(&bytes).expect("what `compile -o` writes (binary) loads");
    let text = tape::text::print_program(program);
    tape::parse::parse_program(&text).expect("what `compile -o --format text` writes loads");
    run_bounded(&loaded);
    Outcome::Accepted
}

/// A REPL host with no files: `:load` and imports find nothing, `:msc` cannot write.
#[derive(Debug, Default)]
pub struct NoFiles;

impl SourceLoader for NoFiles {
    fn load_text(&mut self, _path: &str) -> Option<(String, String)> {
        None
    }
}

impl ReplHost for NoFiles {
    fn read_file(&mut self, _path: &str) -> Result<String, std::io::Error> {
        Err(std::io::ErrorKind::NotFound.into())
    }
    fn write_file(&mut self, _path: &str, _text: &str) -> Result<(), std::io::Error> {
        Err(std::io::ErrorKind::PermissionDenied.into())
    }
    fn is_file(&mut self, _path: &str) -> bool {
        false
    }
}

/// A REPL session fed `lines` one input at a time, each run under [`FUZZ_FUEL`].
pub fn repl_session(lines: &[&str]) -> Outcome {
    let mut session = Session::new(Mode::Avm);
    session.set_fuel(FUZZ_FUEL);
    let mut host = NoFiles;
    let mut refused = false;
    for line in lines {
        let reply = session.eval(line, &mut host);
        let _ = reply.render(ColorChoice::Off);
        refused |= reply.has_errors();
        if reply.control == avm_compiler::repl::Control::Quit {
            break;
        }
    }
    if refused {
        Outcome::Refused
    } else {
        Outcome::Accepted
    }
}

/// The examples' programs (`examples/*/main.avm`) that stand alone (no imports), as the
/// seeds of the front-end and REPL targets.
pub fn seed_sources() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| {
                    let text = std::fs::read_to_string(e.path().join("main.avm")).ok()?;
                    Some((e.file_name().to_string_lossy().into_owned(), text))
                })
                .filter(|(_, t)| !t.lines().any(|l| l.trim_start().starts_with("import")))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.into_iter().map(|(_, t)| t).collect()
}

/// The Tape artifacts compiled from [`seed_sources`]: (binary, text) per program.
pub fn seed_artifacts() -> Vec<(Vec<u8>, String)> {
    seed_sources()
        .iter()
        .filter_map(|src| {
            let out = compile(
                "seed.avm",
                src,
                &mut NoSources,
                Stage::Tape,
                &LowerOptions::default(),
            );
            let program = out.tape?;
            let bytes = tape::binary::encode(&program).ok()?;
            Some((bytes, tape::text::print_program(&program)))
        })
        .collect()
}

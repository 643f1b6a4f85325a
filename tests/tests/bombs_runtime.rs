//! Resource bombs against the VM (issue 12, runtime items): each input that used to exhaust
//! memory or time, run under the default limits on both engines, must end with the right
//! result or the coded error, within a bounded time.
//!
//! Takes the inputs named in the issue (nested `atomic` recursion, a `.tape` file with 65535
//! registers per frame that begins a transaction at every level, a `print` loop, a list and a
//! string doubled 40 times, a prepend loop under `--fuel`, an inclusive range ending at the
//! largest integer); produces pass/fail. Every run's wall time is bounded by [`TIME_BOUND`]
//! (generous: debug build, shared machine); memory is bounded by the VM's own limit, whose error
//! (E0702) the tests assert. The streaming of `print` output and `--timeout` are `avmc run`
//! behaviours, tested in `compiler/tests/cli_bounds.rs`.

use std::time::{Duration, Instant};

use avm_compiler::diagnostics::Code;
use avm_compiler::diagnostics::render::ColorChoice;
use avm_compiler::diagnostics::runtime::code_of;
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, SourceLoader, Stage, compile};
use avm_compiler::repl::{Mode, ReplHost, Session};
use avm_vm::error::{AvmError, LimitError};
use avm_vm::itree::{Limits, RunConfig, RunResult};
use avm_vm::value::Val;
use avm_vm::world::World;

/// The longest any bomb may run (a debug build on a loaded 2-core machine).
const TIME_BOUND: Duration = Duration::from_secs(60);

/// Which interpreter ran.
#[derive(Clone, Copy, Debug)]
enum Engine {
    Itree,
    Tape,
}

/// Compiles `source` and runs it on `engine` with `limits` (the defaults unless a test says
/// otherwise), checking the time bound.
fn run(source: &str, engine: Engine, limits: Limits) -> RunResult {
    let outcome = compile(
        "bomb.avm",
        source,
        &mut NoSources,
        Stage::Tape,
        &LowerOptions::default(),
    );
    assert!(
        outcome.diagnostics.is_empty(),
        "does not compile: {:?}",
        outcome.diagnostics
    );
    let (Some(itree), Some(tape)) = (outcome.itree, outcome.tape) else {
        panic!("no program");
    };
    let config = RunConfig {
        limits,
        ..RunConfig::default()
    };
    let mut world = World::new();
    let start = Instant::now();
    let result = match engine {
        Engine::Itree => avm_vm::itree::run(&itree, &mut world, &config),
        Engine::Tape => {
            let config = avm_vm::tape::interp::RunConfig::from(&config);
            avm_vm::tape::interp::run_program(&tape, &mut world, &config).expect("loads")
        }
    };
    assert!(
        start.elapsed() < TIME_BOUND,
        "{engine:?} took {:?}",
        start.elapsed()
    );
    result
}

const ENGINES: [Engine; 2] = [Engine::Itree, Engine::Tape];

fn is_memory_limit(r: &RunResult) -> bool {
    matches!(
        r.outcome,
        Err(AvmError::Limit(LimitError::MemoryLimitExceeded { .. }))
    )
}

/// Item 1: `beginTx` at every level of a 30,000-deep recursion (quadratic memory before: out
/// of memory at this depth).
#[test]
fn nested_atomic_recursion_30000_deep_runs() {
    let source = "fn f(n: Int) -> Int { if n == 0 { 0 } else { atomic { 1 + f(n - 1) } } }
                  fn main() -> Int { f(30000) }";
    for engine in ENGINES {
        let r = run(source, engine, Limits::default());
        assert_eq!(r.outcome, Ok(Val::Int(30000)), "{engine:?}");
    }
}

/// The 201-byte `.tape` bomb: 65535 registers per frame, `fx.beginTx` and a recursive `call`
/// at every level.
const WIDE_FRAMES_TAPE: &str = ".func \"f\" params=0 regs=65535 safe main
    none -> r0
    fx.beginTx r0..r1 -> r1
    call f0 -> r2
    ret r2
.end
.entry f0
";

fn run_tape_text(text: &str, limits: avm_vm::tape::interp::Limits) -> RunResult {
    let program = avm_vm::tape::parse::parse_program(text).expect("parses");
    let config = avm_vm::tape::interp::RunConfig {
        limits,
        ..avm_vm::tape::interp::RunConfig::default()
    };
    let start = Instant::now();
    let r = avm_vm::tape::interp::run_program(&program, &mut World::new(), &config).expect("loads");
    assert!(start.elapsed() < TIME_BOUND, "took {:?}", start.elapsed());
    r
}

/// Item 1: under `--fuel 1000` the wide-frame recursion stops at once (opening a window and
/// copying it for the restart are charged per register), without allocating more than a few
/// frames.
#[test]
fn wide_frame_tape_with_begin_tx_stops_under_fuel_1000() {
    let limits = avm_vm::tape::interp::Limits {
        fuel: 1000,
        ..avm_vm::tape::interp::Limits::default()
    };
    let r = run_tape_text(WIDE_FRAMES_TAPE, limits);
    assert_eq!(r.outcome, Err(LimitError::OutOfFuel { fuel: 1000 }.into()));
}

/// Item 1 and 4: under the default limits the same file ends with the memory limit's error
/// (the register file and the restart copies are counted), not with the host out of memory.
/// A smaller limit keeps the test light; the default takes the same path at 1 GiB.
#[test]
fn wide_frame_tape_with_begin_tx_ends_at_the_memory_limit() {
    let limits = avm_vm::tape::interp::Limits {
        max_memory: 64 << 20,
        ..avm_vm::tape::interp::Limits::default()
    };
    let r = run_tape_text(WIDE_FRAMES_TAPE, limits);
    assert!(is_memory_limit(&r), "{:?}", r.outcome);
    let e = r.outcome.expect_err("fails");
    assert_eq!(code_of(&e), Code::E0702);
}

/// Item 4: doubling a list 40 times ends with E0702 when the list would pass the limit.
#[test]
fn doubling_a_list_40_times_hits_the_memory_limit() {
    let source = "fn main() -> Int {
                      var xs = [1]
                      var i = 0
                      while i < 40 { xs = xs ++ xs
                          i = i + 1 }
                      len(xs)
                  }";
    for engine in ENGINES {
        let r = run(source, engine, Limits::default());
        assert!(is_memory_limit(&r), "{engine:?}: {:?}", r.outcome);
    }
}

/// Item 4: the same with a string.
#[test]
fn doubling_a_string_40_times_hits_the_memory_limit() {
    let source = "fn main() -> Int {
                      var s = \"ab\"
                      var i = 0
                      while i < 40 { s = s ++ s
                          i = i + 1 }
                      len(s)
                  }";
    for engine in ENGINES {
        let r = run(source, engine, Limits::default());
        assert!(is_memory_limit(&r), "{engine:?}: {:?}", r.outcome);
    }
}

/// Item 5: `xs = [i] ++ xs` in an endless loop under `--fuel 1000000` stops quickly: each
/// prepend pays for the elements it copies.
#[test]
fn prepending_in_a_loop_under_fuel_stops_quickly() {
    let source = "fn main() -> Int {
                      var xs: List[Int] = []
                      var i = 0
                      while true { xs = [i] ++ xs
                          i = i + 1 }
                      len(xs)
                  }";
    let limits = Limits {
        fuel: 1_000_000,
        ..Limits::default()
    };
    for engine in ENGINES {
        let r = run(source, engine, limits);
        assert_eq!(
            r.outcome,
            Err(LimitError::OutOfFuel { fuel: 1_000_000 }.into()),
            "{engine:?}"
        );
    }
}

/// Item 3 (the VM side): an endless `print` loop under fuel ends with the fuel error; the
/// output it produced is in the trace (`avmc run` streams and forgets it).
#[test]
fn print_loop_under_fuel_ends_with_its_output() {
    let source = "fn main() -> Int { let x = 7
                      while true { print(x) }
                      0 }";
    let limits = Limits {
        fuel: 100_000,
        ..Limits::default()
    };
    for engine in ENGINES {
        let r = run(source, engine, limits);
        assert_eq!(
            r.outcome,
            Err(LimitError::OutOfFuel { fuel: 100_000 }.into())
        );
        assert!(r.trace.len() > 1000, "{engine:?}: {}", r.trace.len());
    }
}

/// Item 8: a range ending at the largest integer runs three times on both engines.
#[test]
fn inclusive_range_to_the_largest_integer_runs_three_times() {
    let source = "fn main() -> Int {
                      var c = 0
                      for i in 9223372036854775805..=9223372036854775807 { c = c + 1 }
                      c
                  }";
    for engine in ENGINES {
        let r = run(source, engine, Limits::default());
        assert_eq!(r.outcome, Ok(Val::Int(3)), "{engine:?}");
    }
}

/// Item 8: an overflow in a range loop's body reports where it happened on the Tape engine
/// too.
#[test]
fn an_overflow_in_a_range_loop_has_a_location_on_both_engines() {
    let source = "fn main() -> Int {
                      var c = 0
                      for i in 9223372036854775806..=9223372036854775807 { c = c + i }
                      c
                  }";
    for engine in ENGINES {
        let r = run(source, engine, Limits::default());
        assert!(
            matches!(r.outcome, Err(AvmError::Exec(_))),
            "{engine:?}: {:?}",
            r.outcome
        );
        let at = r.backtrace.innermost().expect("a location");
        assert_eq!(&source[at.start as usize..at.end as usize], "c = c + i");
    }
}

/// A REPL host without files.
struct NoFiles;

impl SourceLoader for NoFiles {
    fn load_text(&mut self, _path: &str) -> Option<(String, String)> {
        None
    }
}

impl ReplHost for NoFiles {
    fn read_file(&mut self, _path: &str) -> Result<String, std::io::Error> {
        Err(std::io::ErrorKind::NotFound.into())
    }
    fn is_file(&mut self, _path: &str) -> bool {
        false
    }
    fn write_file(&mut self, _path: &str, _text: &str) -> Result<(), std::io::Error> {
        Err(std::io::ErrorKind::PermissionDenied.into())
    }
}

/// Item 4: the REPL reports the memory limit (error[E0702]) and keeps its session.
#[test]
fn the_repl_survives_the_memory_limit_and_keeps_its_world() {
    let mut session = Session::new(Mode::Avm);
    let mut host = NoFiles;
    session.eval("let kept = 41", &mut host);
    session.eval(
        "fn grow(xs: List[Int], n: Int) -> Int { if n == 0 { len(xs) } else { grow(xs ++ xs, n - 1) } }",
        &mut host,
    );
    let start = Instant::now();
    let reply = session
        .eval("grow([1], 40)", &mut host)
        .render(ColorChoice::Off);
    assert!(start.elapsed() < TIME_BOUND);
    assert!(reply.contains("[E0702]"), "{reply}");
    assert!(reply.contains("memory limit"), "{reply}");
    let after = session.eval("kept + 1", &mut host).render(ColorChoice::Off);
    assert!(after.contains("42"), "{after}");
}

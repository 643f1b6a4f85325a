//! Differential-test support: run one program on both interpreters and compare.
//!
//! Takes an ITree `Program`, the same program as a Tape `Program` and a run configuration;
//! produces both runs (each on a fresh `World` from a caller-supplied constructor) and the list
//! of [`Difference`]s between them: outcome, trace, final context, the store (every slot:
//! object, behaviour, metadata, state, version), the pure registry and the logical clock.
//! [`assert_same_run`] panics with every difference listed; it is test support, compiled only
//! for this crate's tests and with the `testing` feature (the compiler's tests enable it).

use crate::itree::{self, RunResult};
use crate::tape::interp::{self as tape_interp, LoadError};
use crate::tape::program::Program as TapeProgram;
use crate::world::World;
use std::fmt;

/// One engine's run and the world it left.
#[derive(Debug)]
pub struct EngineRun {
    /// The run's result.
    pub result: RunResult,
    /// The world after the run.
    pub world: World,
}

/// One way two runs differ (rendered with `Debug` of both sides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What differs (`outcome`, `trace entry 3`, `store slot #2`, ...).
    pub what: String,
    /// The ITree interpreter's side.
    pub itree: String,
    /// The Tape interpreter's side.
    pub tape: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:\n  itree: {}\n  tape:  {}",
            self.what, self.itree, self.tape
        )
    }
}

/// Runs the ITree program on `make_world()`.
pub fn run_itree(
    program: &itree::Program,
    config: &itree::RunConfig,
    make_world: &dyn Fn() -> World,
) -> EngineRun {
    let mut world = make_world();
    let result = itree::run(program, &mut world, config);
    EngineRun { result, world }
}

/// Loads and runs the Tape program on `make_world()` with the same start and limits.
pub fn run_tape(
    program: &TapeProgram,
    config: &itree::RunConfig,
    make_world: &dyn Fn() -> World,
) -> Result<EngineRun, LoadError> {
    let mut world = make_world();
    let result = tape_interp::run_program(program, &mut world, &config.into())?;
    Ok(EngineRun { result, world })
}

fn push_if_differs<T: fmt::Debug + PartialEq>(
    out: &mut Vec<Difference>,
    what: impl Into<String>,
    itree: &T,
    tape: &T,
) {
    if itree != tape {
        out.push(Difference {
            what: what.into(),
            itree: format!("{itree:?}"),
            tape: format!("{tape:?}"),
        });
    }
}

/// Every difference between two runs (empty when they agree). Step counts are not compared:
/// the engines count different units of work.
pub fn compare_runs(itree: &EngineRun, tape: &EngineRun) -> Vec<Difference> {
    let mut out = Vec::new();
    push_if_differs(
        &mut out,
        "outcome",
        &itree.result.outcome,
        &tape.result.outcome,
    );
    let (a, b) = (itree.result.trace.entries(), tape.result.trace.entries());
    push_if_differs(&mut out, "trace length", &a.len(), &b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        push_if_differs(&mut out, format!("trace entry {i}"), x, y);
    }
    push_if_differs(
        &mut out,
        "final context",
        &itree.result.final_context,
        &tape.result.final_context,
    );
    let (sa, sb) = (&itree.world.store, &tape.world.store);
    push_if_differs(&mut out, "store ids", &sa.slot_ids(), &sb.slot_ids());
    for id in sa.slot_ids() {
        push_if_differs(
            &mut out,
            format!("store slot {id}"),
            &sa.slot(id),
            &sb.slot(id),
        );
    }
    let (pa, pb) = (&itree.world.pure, &tape.world.pure);
    push_if_differs(&mut out, "pure registry names", &pa.names(), &pb.names());
    for name in pa.names() {
        push_if_differs(
            &mut out,
            format!("pure registry entry {name:?}"),
            &pa.get(&name),
            &pb.get(&name),
        );
    }
    push_if_differs(&mut out, "clock", &itree.world.clock, &tape.world.clock);
    out
}

/// Runs both programs on fresh `World::new()`s and panics unless outcome, trace, final
/// context, store, registry and clock are identical. Returns the (shared) ITree result.
pub fn assert_same_run(
    itree: &itree::Program,
    tape: &TapeProgram,
    config: &itree::RunConfig,
) -> RunResult {
    assert_same_run_in(itree, tape, config, &World::new)
}

/// [`assert_same_run`] with worlds made by `make_world` (e.g. with unreachable machines).
pub fn assert_same_run_in(
    itree: &itree::Program,
    tape: &TapeProgram,
    config: &itree::RunConfig,
    make_world: &dyn Fn() -> World,
) -> RunResult {
    let a = run_itree(itree, config, make_world);
    let b = match run_tape(tape, config, make_world) {
        Ok(b) => b,
        Err(e) => panic!("the Tape program does not load: {e} ({e:?})"),
    };
    let diffs = compare_runs(&a, &b);
    if !diffs.is_empty() {
        let listed: Vec<String> = diffs.iter().map(ToString::to_string).collect();
        panic!(
            "the ITree and Tape runs differ in {} place(s):\n{}",
            diffs.len(),
            listed.join("\n")
        );
    }
    a.result
}

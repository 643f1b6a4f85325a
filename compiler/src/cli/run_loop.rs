//! Driving a run of `avmc run` in slices: streaming `print` output and the `--timeout`.
//!
//! Takes a started interpreter (Tape or ITree, behind [`Sliced`]), the world, the wall-clock
//! limit and the trace mode; runs it [`SLICE_STEPS`] steps at a time and, after each slice,
//! writes to stdout the values printed since the last one (block-buffered and flushed after the
//! slice when stdout is a file or pipe, line-buffered to a terminal), so output appears while
//! the program runs rather than at the end. Output inside a transaction that may still be re-run
//! with other choices (nondeterminism) is held back until it cannot be discarded any more
//! (`Execution::settled_trace_len`). Without `--trace` / `--msc` the handled entries are
//! forgotten, so a long-running `print` loop runs in bounded memory. Produces whether the run
//! finished, hit the timeout or lost its reader (stdout closed), and the trace position up to
//! which output was written.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use super::run_limits::RunBounds;
use avm_vm::exec::Execution;
use avm_vm::itree::{RunResult, Status};
use avm_vm::trace::{EventType, LogEntry};
use avm_vm::value::Val;
use avm_vm::world::World;

/// Steps per slice: small enough that output and the timeout are checked many times a second,
/// large enough that the slicing costs nothing measurable.
pub(super) const SLICE_STEPS: u64 = 1 << 16;

/// An interpreter that runs a bounded number of steps at a time.
pub(super) trait Sliced {
    /// Runs at most `steps` steps.
    fn slice(&mut self, world: &mut World, steps: u64) -> Status;
    /// The execution state (its trace holds the output).
    fn execution(&mut self) -> &mut Execution;
}

impl Sliced for avm_vm::tape::interp::Interp<'_> {
    fn slice(&mut self, world: &mut World, steps: u64) -> Status {
        self.run_slice(world, steps)
    }
    fn execution(&mut self) -> &mut Execution {
        &mut self.exec
    }
}

impl Sliced for avm_vm::itree::Interp<'_> {
    fn slice(&mut self, world: &mut World, steps: u64) -> Status {
        self.run_slice(world, steps)
    }
    fn execution(&mut self) -> &mut Execution {
        &mut self.exec
    }
}

/// Whether the whole trace is kept for the end of the run (`--trace`, `--msc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KeepTrace {
    /// Keep every entry.
    All,
    /// Forget entries once their output is written.
    OutputOnly,
}

/// Where the values a run prints go while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OutputSink {
    /// Written to stdout as they are produced.
    Stdout,
    /// Dropped: stdout carries something else (`--emit-constraints`).
    Discard,
}

/// How a driven run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ended {
    /// The interpreter finished (with a value or an error).
    Finished,
    /// The wall-clock limit passed first.
    TimedOut,
    /// Stdout was closed by its reader (`avmc run prog.avm | head`): nothing more can be shown,
    /// so the run stops as a program killed by `SIGPIPE` would.
    OutputClosed,
}

/// Runs `it` to the end or until `timeout` passes, writing output as it is produced (`show`
/// renders a printed value). Returns how it ended, the trace position up to which output
/// was written (the rest is for the caller to write from the finished run's trace) and the
/// settled trace length at the end (output after it belongs to a transaction still open when
/// the run stopped).
pub(super) fn drive(
    it: &mut impl Sliced,
    world: &mut World,
    timeout: Option<Duration>,
    keep: KeepTrace,
    sink: OutputSink,
    show: &dyn Fn(&Val, &World) -> String,
) -> (Ended, usize, usize) {
    let start = Instant::now();
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut written = 0;
    let ended = loop {
        let status = it.slice(world, SLICE_STEPS);
        let exec = it.execution();
        let settled = exec.settled_trace_len();
        let fresh = exec.trace.since(written);
        let upto = settled.saturating_sub(written).min(fresh.len());
        let mut wrote = Ok(());
        if sink == OutputSink::Stdout {
            wrote = write_outputs(&mut out, &fresh[..upto], world, show, terminal)
                .and_then(|()| out.flush());
        }
        written += upto;
        if keep == KeepTrace::OutputOnly {
            exec.trace.forget_until(written);
        }
        if wrote.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
            break Ended::OutputClosed;
        }
        if status == Status::Finished {
            break Ended::Finished;
        }
        if timeout.is_some_and(|t| start.elapsed() >= t) {
            break Ended::TimedOut;
        }
    };
    let settled = it.execution().settled_trace_len();
    (ended, written, settled)
}

/// Writes the values of the `Output` entries, one a line, stopping at the first failed write
/// (a closed pipe: the caller decides what that means for the run).
pub(super) fn write_outputs(
    out: &mut impl Write,
    entries: &[LogEntry],
    world: &World,
    show: &dyn Fn(&Val, &World) -> String,
    terminal: bool,
) -> std::io::Result<()> {
    for e in entries {
        if let EventType::Output(v) = &e.event {
            writeln!(out, "{}", show(v, world))?;
            if terminal {
                out.flush()?;
            }
        }
    }
    Ok(())
}

/// A driven run: how it ended, the interpreter's result (`None` when the timeout or a closed
/// stdout stopped it), the trace position up to which its output is written, and the settled
/// trace length when it stopped (`Execution::settled_trace_len`: the output after it was
/// printed inside a transaction that never committed).
pub(super) struct Driven {
    pub ended: Ended,
    pub result: Option<RunResult>,
    pub written: usize,
    pub settled: usize,
}

impl Driven {
    /// Whether the run ended with an error (not a timeout).
    pub fn failed(&self) -> bool {
        self.result.as_ref().is_some_and(|r| r.outcome.is_err())
    }
}

/// Loads and runs a Tape program (`avmc run`'s Tape engine).
pub(super) fn run_tape(
    program: &avm_vm::tape::Program,
    world: &mut World,
    config: &avm_vm::tape::interp::RunConfig,
    bounds: &RunBounds,
    keep: KeepTrace,
    sink: OutputSink,
) -> Result<Driven, avm_vm::tape::interp::LoadError> {
    let image = avm_vm::tape::interp::Image::load(program)?;
    let mut it = avm_vm::tape::interp::Interp::new(&image, world, config);
    let (ended, written, settled) = drive(
        &mut it,
        world,
        bounds.timeout(),
        keep,
        sink,
        &super::printed,
    );
    Ok(Driven {
        ended,
        result: (ended == Ended::Finished).then(|| it.finish()),
        written,
        settled,
    })
}

/// Runs an ITree program (`avmc run --engine itree`).
pub(super) fn run_itree(
    program: &avm_vm::itree::Program,
    world: &mut World,
    config: &avm_vm::itree::RunConfig,
    bounds: &RunBounds,
    keep: KeepTrace,
    sink: OutputSink,
) -> Driven {
    let mut it = avm_vm::itree::Interp::new(program, world, config);
    let (ended, written, settled) = drive(
        &mut it,
        world,
        bounds.timeout(),
        keep,
        sink,
        &super::printed,
    );
    Driven {
        ended,
        result: (ended == Ended::Finished).then(|| it.finish()),
        written,
        settled,
    }
}

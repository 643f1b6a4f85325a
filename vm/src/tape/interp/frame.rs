//! Call frames of the Tape interpreter and the run types it shares with the ITree interpreter.
//!
//! Takes nothing; produces [`Limits`] and [`RunConfig`] (the ITree interpreter's limits plus
//! a register budget), the heap frame record [`Frame`] and [`FrameKind`] (what a frame's
//! return does), and [`ScryState`] (the progress of a `scryMeta`/`scryDeep` whose predicate
//! runs as ordinary Tape frames). Frames are small `Copy` records on a `Vec`; the caller's
//! `call` context (`isa::obj::SavedCall`) and scry progress live on their own side stacks, so
//! a plain function call pushes 16 bytes.

use crate::ids::{MachineId, ObjectId};
use crate::isa::reflect::ScryCandidate;
use crate::itree;
use crate::trace::TraceMode;
use crate::value::Val;

/// Runtime limits of a Tape run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of ops executed (`u64::MAX` = unlimited). One op is one step.
    pub fuel: u64,
    /// Maximum number of live frames (entry, function calls, behaviour calls, pure calls,
    /// scry predicates); tail calls reuse their frame.
    pub max_call_depth: usize,
    /// Maximum extent of the register file the live frames' windows cover (each slot holds
    /// one `Val`, 24 bytes; shared payloads are reference counted and not counted; a callee's
    /// window overlaps its caller's registers that are dead after the call, `interp::live`).
    /// This bounds the register file.
    pub max_registers: usize,
    /// The memory limit in bytes (`crate::budget`): no value built may exceed it, nor may the
    /// register file with the registers the transactions' restart points keep.
    pub max_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let itree = itree::Limits::default();
        Limits {
            fuel: itree.fuel,
            max_call_depth: itree.max_call_depth,
            max_registers: 1 << 26,
            max_memory: itree.max_memory,
        }
    }
}

/// How to start a Tape run (the ITree interpreter's `RunConfig` with Tape limits).
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The machine the entry runs on.
    pub machine: MachineId,
    /// The top-level pseudo-object's id (`self` of the entry).
    pub self_id: ObjectId,
    /// The entry's input.
    pub input: Val,
    /// Fuel, depth and register limits.
    pub limits: Limits,
    /// Whether to record the trace.
    pub trace_mode: TraceMode,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig::from(&itree::RunConfig::default())
    }
}

impl From<&itree::RunConfig> for RunConfig {
    /// The same start (machine, self, input, trace mode, fuel, depth) with the default
    /// register budget.
    fn from(c: &itree::RunConfig) -> Self {
        RunConfig {
            machine: c.machine.clone(),
            self_id: c.self_id,
            input: c.input.clone(),
            limits: Limits {
                fuel: c.limits.fuel,
                max_call_depth: c.limits.max_call_depth,
                max_memory: c.limits.max_memory,
                ..Limits::default()
            },
            trace_mode: c.trace_mode,
        }
    }
}

/// What happens when a frame returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// The entry: its return ends the run.
    Main,
    /// A Tape `call`: the value goes to the caller's `dst`.
    Function,
    /// A `callPure` target: `some(value)` goes to the caller's `dst`.
    Pure,
    /// A behaviour's dispatch function run by `fx.call`: `isa::obj::call_exit` with the
    /// returned output list (the top of the saved-call stack), its result to `dst`.
    Behaviour,
    /// A scry predicate: the boolean decides whether the candidate is kept (the top of the
    /// scry stack); the next candidate's predicate runs, or the list goes to `dst`.
    Scry,
}

/// One activation on the heap frame stack.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// The running function.
    pub func: u32,
    /// The next op (saved while a callee runs).
    pub pc: u32,
    /// The frame's first register in the shared register file.
    pub base: u32,
    /// The caller's register that receives the result.
    pub dst: u16,
    /// What its return does.
    pub kind: FrameKind,
}

/// Which scry instruction is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScryKind {
    /// `scryMeta`: predicate over metadata, items `(id, meta)`.
    Meta,
    /// `scryDeep`: predicate over behaviour and metadata, items `(id, behaviour, meta)`.
    Deep,
}

/// The progress of one scry.
#[derive(Debug)]
pub struct ScryState {
    /// Which instruction.
    pub kind: ScryKind,
    /// The predicate function.
    pub predicate: u32,
    /// Every live object, ascending id.
    pub candidates: Vec<ScryCandidate>,
    /// The candidate whose predicate is running.
    pub next: usize,
    /// The items kept so far.
    pub kept: Vec<Val>,
}

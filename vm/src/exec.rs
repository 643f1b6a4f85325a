//! The execution state of one running program (everything that is not the shared `World`).
//!
//! Takes a starting machine, a top-level self id and an input, and holds the current frame
//! context (self, input, sender, machine, the activation's mailbox), the transaction stack, the
//! trace, and the FD constraint store with its propagation gas. Logging goes through
//! `Execution::log`, which stamps entries with the world's logical clock (`World::clock`) and the transaction controller, exactly as the spec builds `LogEntry`s, plus the running object and its call depth (`LogEntry::actor`, `LogEntry::depth`).
//! Both interpreters own one `Execution` per run and pass it, with the world, to `crate::isa`.

use crate::fd::{ConstraintStore, StepBudget, Tracing};
use crate::ids::{ControllerId, MachineId, ObjectId};
use crate::trace::{EventType, LogEntry, Trace, TraceMode};
use crate::tx::TxStack;
use crate::value::Val;
use crate::world::World;

/// Whether an activation's mailbox still holds the message that started it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mailbox {
    /// The starting message has not been received yet.
    Full,
    /// `receive` already took it.
    Empty,
}

/// The frame context of the running activation (the spec's `self`, `input`, `sender`,
/// `machineId`, plus the mailbox). 64 bytes; `isa::obj::call_enter` updates it in place and
/// keeps only what the callee's context does not determine (`isa::obj::SavedCall`, 48 bytes).
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    /// The running object (or the top-level pseudo-object).
    pub self_id: ObjectId,
    /// The message that started this activation.
    pub input: Val,
    /// The caller, `None` at top level.
    pub sender: Option<ObjectId>,
    /// The machine executing now.
    pub machine: MachineId,
    /// The activation's mailbox.
    pub mailbox: Mailbox,
    /// How many object calls are open below the top level (0 at top level).
    pub depth: u32,
}

/// One running program's state.
#[derive(Clone, Debug)]
pub struct Execution {
    /// The current frame context.
    pub ctx: Context,
    /// Open transactions.
    pub txs: TxStack,
    /// The run's trace.
    pub trace: Trace,
    /// Whether to record the trace.
    pub trace_mode: TraceMode,
    /// The finite-domain constraint store (transactional: each savepoint holds a mark).
    pub fd: ConstraintStore,
    /// Propagation gas: every FD instruction draws from it (`FdError::ErrGasExhausted`).
    pub fd_gas: StepBudget,
    /// `require`s executed outside any transaction.
    pub requires_outside_tx: u32,
}

impl Execution {
    /// A fresh execution at top level: `self_id` on `machine` with `input`, no transaction.
    pub fn new(machine: MachineId, self_id: ObjectId, input: Val, trace_mode: TraceMode) -> Self {
        Execution {
            ctx: Context {
                self_id,
                input,
                sender: None,
                machine,
                mailbox: Mailbox::Full,
                depth: 0,
            },
            txs: TxStack::default(),
            trace: Trace::new(),
            trace_mode,
            fd: ConstraintStore::new(match trace_mode {
                TraceMode::On => Tracing::Record,
                TraceMode::Off | TraceMode::Outputs => Tracing::Off,
            }),
            fd_gas: StepBudget::unlimited(),
            requires_outside_tx: 0,
        }
    }

    /// The transaction controller (`None` outside a transaction or while deferred).
    pub fn tx_controller(&self) -> Option<&ControllerId> {
        self.txs.controller.as_ref()
    }

    /// Appends an event stamped with the current clock and transaction controller; spec events
    /// advance the clock.
    pub fn log(&mut self, world: &mut World, event: EventType) {
        let timestamp = world.clock;
        if event.consumes_timestamp() {
            world.clock += 1;
        }
        let record = match self.trace_mode {
            TraceMode::On => true,
            TraceMode::Off => false,
            TraceMode::Outputs => matches!(event, EventType::Output(_)),
        };
        if record {
            self.trace.push(LogEntry {
                timestamp,
                event,
                executing_controller: self.txs.controller.clone(),
                actor: self.ctx.self_id,
                depth: self.ctx.depth,
            });
        }
    }

    /// The trace's length up to which no entry can be taken back: the trace length at the
    /// outermost open transaction's restart point (a re-run with other choices truncates the
    /// trace to it, `isa::nondet`), or the whole trace when no transaction is open. A host
    /// streaming `print` output shows the entries before it.
    pub fn settled_trace_len(&self) -> usize {
        self.txs
            .savepoints
            .iter()
            .filter_map(|sp| sp.choices.restart.as_ref())
            .map(|r| r.trace_len)
            .min()
            .unwrap_or(self.trace.len())
            .min(self.trace.len())
    }

    /// Appends a spec event stamped with an explicit executing controller.
    pub fn log_as(
        &mut self,
        world: &mut World,
        event: EventType,
        controller: Option<ControllerId>,
    ) {
        let timestamp = world.clock;
        world.clock += 1;
        if self.trace_mode == TraceMode::On {
            self.trace.push(LogEntry {
                timestamp,
                event,
                executing_controller: controller,
                actor: self.ctx.self_id,
                depth: self.ctx.depth,
            });
        }
    }

    /// Like `log`, but builds the event only when tracing is on (for events that clone values).
    #[inline]
    pub fn log_with(
        &mut self,
        world: &mut World,
        consumes: bool,
        event: impl FnOnce() -> EventType,
    ) {
        if self.trace_mode == TraceMode::On {
            self.log(world, event());
        } else if consumes {
            world.clock += 1;
        }
    }
}

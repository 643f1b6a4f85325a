//! The execution trace: log entries with logical timestamps and the executing controller.
//!
//! Takes events from the instruction semantics and produces one append-only `Trace` per run
//! (nested calls append to the same vector; nothing is copied per call). `EventType` has every
//! spec event (`semantics.md` §7) plus our extensions, which never consume a logical timestamp so
//! that spec traces stay comparable: `StateUpdated` (a state write), `Output` (a program's
//! `print`), the FD events (`VarCreated`, `ConstraintPosted`, `DomainNarrowed`, `Labeled`,
//! `FdFailed`) and `ChoicesResolved` (nondeterminism). `ErrorOccurred` is appended when a run
//! fails. Every entry also records its actor (the running object), which `Display` leaves out.
//! Tracing can be switched off (`TraceMode::Off`). `Display` follows the spec's convention `[ts] Event(args) @ctrl`.

use crate::error::{AvmError, FdError};
use crate::fd::{Constraint, Domain};
use crate::ids::{ControllerId, MachineId, ObjectId, TxId, VarId};
use crate::value::{Val, write_quoted};
use std::fmt;
use std::rc::Rc;

/// Whether a run records its trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TraceMode {
    /// Record every event.
    #[default]
    On,
    /// Record nothing (the logical clock still advances, so ids are unchanged).
    Off,
    /// Record only `Output` events (what `print` writes): a run's output without the memory
    /// of a full trace (`avmc run` without `--trace` or `--msc`). The clock advances as with
    /// `On`.
    Outputs,
}

/// Which events a rendering shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceView {
    /// Only the spec's event types.
    Spec,
    /// Spec events and our extensions (`StateUpdated`, `Output`, `ErrorOccurred`).
    Full,
}

/// The spec's `EventType` plus our extensions.
#[derive(Clone, Debug, PartialEq)]
pub enum EventType {
    /// `ObjectCreated oid behaviourName`.
    ObjectCreated(ObjectId, Rc<str>),
    /// `ObjectDestroyed oid`.
    ObjectDestroyed(ObjectId),
    /// `ObjectCalled oid input (Maybe output)`.
    ObjectCalled(ObjectId, Val, Option<Val>),
    /// `MessageReceived oid input`.
    MessageReceived(ObjectId, Val),
    /// `ObjectMoved oid from to`.
    ObjectMoved(ObjectId, MachineId, MachineId),
    /// `ExecutionMoved destination source` (the spec's interpreter passes destination first).
    ExecutionMoved(MachineId, MachineId),
    /// `ObjectFetched oid machine`.
    ObjectFetched(ObjectId, MachineId),
    /// `ObjectTransferred oid from to`.
    ObjectTransferred(ObjectId, ControllerId, ControllerId),
    /// `ObjectFrozen oid controller`.
    ObjectFrozen(ObjectId, ControllerId),
    /// `FunctionUpdated name`.
    FunctionUpdated(Rc<str>),
    /// `TransactionStarted txid`.
    TransactionStarted(TxId),
    /// `TransactionCommitted txid`.
    TransactionCommitted(TxId),
    /// `TransactionAborted txid`.
    TransactionAborted(TxId),
    /// `ErrorOccurred err` (appended when a run fails).
    ErrorOccurred(AvmError),
    /// Extension: the state of an object was written (no timestamp consumed).
    StateUpdated(ObjectId),
    /// Extension: a program printed a value (no timestamp consumed).
    Output(Val),
    /// Extension: `newVar` created a variable with this domain.
    VarCreated(VarId, Domain),
    /// Extension: `post` added a constraint.
    ConstraintPosted(Constraint),
    /// Extension: an FD instruction's propagation left this domain (one per changed variable).
    DomainNarrowed(VarId, Domain),
    /// Extension: `label` chose this value.
    Labeled(VarId, i64),
    /// Extension: an FD instruction failed (the store was restored).
    FdFailed(FdError),
    /// Extension: a transaction's choices were resolved after discarding this many runs.
    ChoicesResolved(TxId, u64),
}

impl EventType {
    /// Whether this is one of the spec's event types (not an extension).
    pub fn is_spec(&self) -> bool {
        !matches!(
            self,
            EventType::StateUpdated(_)
                | EventType::Output(_)
                | EventType::VarCreated(..)
                | EventType::ConstraintPosted(_)
                | EventType::DomainNarrowed(..)
                | EventType::Labeled(..)
                | EventType::FdFailed(_)
                | EventType::ChoicesResolved(..)
        )
    }

    /// Whether emitting this event advances the logical clock.
    pub fn consumes_timestamp(&self) -> bool {
        self.is_spec()
    }
}

/// One trace entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// The logical timestamp (the event counter when the entry was made).
    pub timestamp: u64,
    /// What happened.
    pub event: EventType,
    /// The transaction controller at the time (`None` outside a transaction or while deferred).
    pub executing_controller: Option<ControllerId>,
    /// Extension: the object whose code was running when the event was logged (for
    /// `ObjectCalled` and `ObjectCreated`, the caller / creator; the run's top-level self id
    /// outside any object). Not part of the spec's entry, so `Display` does not show it; message
    /// sequence charts use it to draw each call from its caller's lane.
    pub actor: ObjectId,
    /// Extension: the actor's call depth (0 at top level; a callee runs one deeper than its
    /// caller, and `ObjectCalled` is logged at the caller's depth after the callee's events).
    pub depth: u32,
}

/// An append-only trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    entries: Vec<LogEntry>,
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Self {
        Trace::default()
    }

    /// Appends an entry.
    pub fn push(&mut self, entry: LogEntry) {
        self.entries.push(entry);
    }

    /// All entries in execution order.
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    /// Drops every entry after the first `len` (a discarded nondeterministic run).
    pub fn truncate(&mut self, len: usize) {
        self.entries.truncate(len);
    }

    /// Keeps only the entries `keep` accepts (a host that already printed the outputs).
    pub fn retain(&mut self, keep: impl FnMut(&LogEntry) -> bool) {
        self.entries.retain(keep);
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the trace is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The trace as text, one entry a line, in the spec's display convention.
    pub fn render(&self, view: TraceView) -> String {
        let mut out = String::new();
        for e in &self.entries {
            if view == TraceView::Spec && !e.event.is_spec() {
                continue;
            }
            if view == TraceView::Spec && matches!(e.event, EventType::ErrorOccurred(_)) {
                continue;
            }
            out.push_str(&e.to_string());
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventType::ObjectCreated(o, name) => {
                write!(f, "ObjectCreated({o}, ")?;
                write_quoted(f, name)?;
                f.write_str(")")
            }
            EventType::ObjectDestroyed(o) => write!(f, "ObjectDestroyed({o})"),
            EventType::ObjectCalled(o, input, Some(out)) => {
                write!(f, "ObjectCalled({o}, {input} -> {out})")
            }
            EventType::ObjectCalled(o, input, None) => write!(f, "ObjectCalled({o}, {input})"),
            EventType::MessageReceived(o, v) => write!(f, "MessageReceived({o}, {v})"),
            EventType::ObjectMoved(o, from, to) => write!(f, "ObjectMoved({o}, {from}, {to})"),
            EventType::ExecutionMoved(to, from) => write!(f, "ExecutionMoved({to}, {from})"),
            EventType::ObjectFetched(o, m) => write!(f, "ObjectFetched({o}, {m})"),
            EventType::ObjectTransferred(o, from, to) => {
                write!(f, "ObjectTransferred({o}, {from}, {to})")
            }
            EventType::ObjectFrozen(o, c) => write!(f, "ObjectFrozen({o}, {c})"),
            EventType::FunctionUpdated(name) => {
                f.write_str("FunctionUpdated(")?;
                write_quoted(f, name)?;
                f.write_str(")")
            }
            EventType::TransactionStarted(t) => write!(f, "TransactionStarted({t})"),
            EventType::TransactionCommitted(t) => write!(f, "TransactionCommitted({t})"),
            EventType::TransactionAborted(t) => write!(f, "TransactionAborted({t})"),
            EventType::ErrorOccurred(e) => write!(f, "ErrorOccurred({e})"),
            EventType::StateUpdated(o) => write!(f, "StateUpdated({o})"),
            EventType::Output(v) => write!(f, "Output({v})"),
            EventType::VarCreated(v, d) => write!(f, "VarCreated({v}, {d})"),
            EventType::ConstraintPosted(c) => write!(f, "ConstraintPosted({c})"),
            EventType::DomainNarrowed(v, d) => write!(f, "DomainNarrowed({v}, {d})"),
            EventType::Labeled(v, x) => write!(f, "Labeled({v}, {x})"),
            EventType::FdFailed(e) => write!(f, "FdFailed({e})"),
            EventType::ChoicesResolved(t, n) => write!(f, "ChoicesResolved({t}, {n} discarded)"),
        }
    }
}

impl fmt::Display for LogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} @", self.timestamp, self.event)?;
        match &self.executing_controller {
            Some(c) => write!(f, "{c}"),
            None => f.write_str("none"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_spec_convention() {
        let mut t = Trace::new();
        t.push(LogEntry {
            timestamp: 0,
            event: EventType::ObjectCreated(ObjectId(0), Rc::from("pong")),
            executing_controller: None,
            actor: ObjectId(9),
            depth: 0,
        });
        t.push(LogEntry {
            timestamp: 1,
            event: EventType::StateUpdated(ObjectId(0)),
            executing_controller: None,
            actor: ObjectId(9),
            depth: 0,
        });
        t.push(LogEntry {
            timestamp: 1,
            event: EventType::ObjectCalled(ObjectId(0), Val::Int(7), Some(Val::Int(7))),
            executing_controller: Some(ControllerId::new("c1")),
            actor: ObjectId(9),
            depth: 0,
        });
        t.push(LogEntry {
            timestamp: 2,
            event: EventType::ObjectCalled(ObjectId(0), Val::Int(5), None),
            executing_controller: None,
            actor: ObjectId(9),
            depth: 0,
        });
        insta::assert_snapshot!(t.render(TraceView::Full));
        assert_eq!(t.render(TraceView::Spec).lines().count(), 3);
    }
}

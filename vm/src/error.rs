//! The AVM error hierarchy.
//!
//! Takes the spec's error families (`semantics.md` §6) and produces one flat `AvmError` enum with a
//! variant per family, each family an enum whose constructors carry the spec's data. The spec's
//! layered wrapping (`pure-layer-error (tx-layer-error (base-error (obj-error e)))`) is flattened:
//! `AvmError::Obj(e)`; `AvmError::layer` reports the spec's layer for reference. Two families are
//! ours, not the spec's: `ExecError` (evaluation failures of the term language: arithmetic, types,
//! patterns, unsafe code, unknown names) and `LimitError` (fuel, call depth, the Tape VM's
//! register budget). `FdError` is raised by the FD instructions (`crate::isa::fd`), `NondetError`
//! by `choose`/`require` and the commit-time search (`crate::isa::nondet`).
//! `Display` gives a short human message; rich rendering lives in the compiler's diagnostics.

use crate::fd::WipeoutCause;
use crate::ids::{ControllerId, MachineId, ObjectId, TxId, VarId};
use crate::solver::SolverFailure;
use crate::solver::ir::RequirePlace;
use crate::value::Val;
use std::fmt;
use std::rc::Rc;

/// Object family errors (`ObjError`).
#[derive(Clone, Debug, PartialEq)]
pub enum ObjError {
    /// The object does not exist (raised by call, destroyObj, moveObject, transferObject, freeze).
    ErrObjectNotFound(ObjectId),
    /// Declared by the spec, never raised by its interpreter.
    ErrObjectAlreadyDestroyed(ObjectId),
    /// Declared by the spec, never raised by its interpreter.
    ErrObjectAlreadyExists(ObjectId),
    /// Declared by the spec, never raised by its interpreter.
    ErrInvalidInput(ObjectId, Val),
    /// Declared by the spec, never raised by its interpreter.
    ErrObjectRejectedCall(ObjectId, Val),
    /// An object has a behaviour but no metadata (unreachable in our store: both live in one slot).
    ErrMetadataCorruption(ObjectId),
}

/// Introspection family errors (declared, never raised by the spec).
#[derive(Clone, Debug, PartialEq)]
pub enum IntrospectError {
    /// Declared by the spec, never raised.
    ErrContextUnavailable(Rc<str>),
}

/// Reflection family errors (declared, never raised by the spec).
#[derive(Clone, Debug, PartialEq)]
pub enum ReflectError {
    /// Declared, never raised.
    ErrMetadataNotFound(ObjectId),
    /// Declared, never raised.
    ErrMetadataInconsistent(ObjectId, Rc<str>),
    /// Declared, never raised.
    ErrStoreCorruption(Rc<str>),
    /// Declared, never raised.
    ErrScryPredicateFailed(Rc<str>),
    /// Declared, never raised.
    ErrReflectionDenied(ObjectId),
}

/// Reification family errors (declared, never raised by the spec).
#[derive(Clone, Debug, PartialEq)]
pub enum ReifyError {
    /// Declared, never raised.
    ErrReifyContextFailed(Rc<str>),
    /// Declared, never raised.
    ErrNoTransactionToReify,
    /// Declared, never raised.
    ErrTxStateAccessDenied,
    /// Declared, never raised.
    ErrConstraintStoreUnavailable,
}

/// Transaction family errors (`TxError`).
#[derive(Clone, Debug, PartialEq)]
pub enum TxError {
    /// Commit of a wrong id, or the read set changed since the transaction started.
    ErrTxConflict(TxId),
    /// Abort of an id that is not open while a transaction is open (ours; see spec-deviations).
    ErrTxNotFound(TxId),
    /// Declared, never raised.
    ErrTxAlreadyCommitted(TxId),
    /// Declared, never raised.
    ErrTxAlreadyAborted(TxId),
    /// Commit with no open transaction.
    ErrNoActiveTx,
    /// An instruction that may not run inside a transaction (`teleport`), or a nested begin with
    /// a different controller (ours).
    ErrInvalidDuringTx(Rc<str>),
}

/// Pure-function family errors (`PureError`).
#[derive(Clone, Debug, PartialEq)]
pub enum PureError {
    /// `updatePure` of a name that is not registered.
    ErrFunctionNotFound(Rc<str>),
    /// `registerPure` of a name that is already registered.
    ErrFunctionAlreadyRegistered(Rc<str>),
    /// Declared, never raised: (name, expected version, actual version).
    ErrVersionConflict(Rc<str>, u64, u64),
}

/// Machine family errors (`MachineError`).
#[derive(Clone, Debug, PartialEq)]
pub enum MachineError {
    /// The machine is not reachable (teleport, moveObject).
    ErrMachineUnreachable(MachineId),
    /// Declared, never raised.
    ErrInvalidMachineTransfer(ObjectId, MachineId),
    /// Declared, never raised (teleport in a tx raises `ErrInvalidDuringTx "teleport"`).
    ErrTeleportDuringTx,
}

/// Controller family errors (`ControllerError`).
#[derive(Clone, Debug, PartialEq)]
pub enum ControllerError {
    /// The controller is not reachable (beginTx, transferObject, freeze).
    ErrControllerUnreachable(ControllerId),
    /// Declared, never raised.
    ErrUnauthorizedTransfer(ObjectId, ControllerId),
    /// The object's controller differs from the transaction's (object, object's controller or
    /// `"unknown"` when it has none).
    ErrCrossControllerTx(ObjectId, ControllerId),
    /// Declared, never raised.
    ErrObjectNotAvailable(ObjectId),
    /// Declared, never raised.
    ErrObjectNotConsistent(ObjectId),
    /// Declared, never raised.
    ErrFreezeFailed(ObjectId),
    /// The object (or the transaction that needs to adopt its controller) has no controller.
    ErrObjectHasNoController(ObjectId),
}

/// Finite-domain constraint errors (`crate::isa::fd`). After any of them the constraint store is
/// exactly as before the failing instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum FdError {
    /// A domain became empty: `newVar []`, a `narrow` to disjoint values, or the propagation of
    /// a `post`/`narrow`/`label` (the cause names the constraint).
    ErrDomainWipeout {
        /// The variable left without values.
        var: VarId,
        /// What removed its last value.
        cause: WipeoutCause,
    },
    /// The variable does not exist (never created, or its creation was undone by an abort).
    ErrUnknownVar(VarId),
    /// A domain element or constraint constant is not an integer.
    ErrNonIntegerValue(Val),
    /// The value given to `post` is not a constraint (see `docs/tape.md`, effects).
    ErrMalformedConstraint(Val),
    /// Propagation ran out of gas (steps spent by the failing instruction).
    ErrGasExhausted {
        /// Steps the instruction consumed before it stopped.
        spent: u64,
    },
}

/// One `require` of a run: its ordinal among the `require`s executed since the enclosing
/// transaction began (1-based; outside a transaction, since the run began).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequireSite(pub u32);

impl fmt::Display for RequireSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "require #{}", self.0)
    }
}

/// Nondeterminism errors (`crate::isa::nondet`).
#[derive(Clone, Debug, PartialEq)]
pub enum NondetError {
    /// `choose []`: nothing to choose from.
    ErrEmptyChoice,
    /// `require false` outside a transaction (nothing to search).
    ErrRequirementFailed(RequireSite),
    /// No assignment of the transaction's choice points satisfies its requirements; `conflict`
    /// is a smallest set found of requirements that fail together in every run.
    ErrUnsatisfiable {
        /// The transaction whose commit failed.
        tx: TxId,
        /// Requirements that cannot all hold (ascending).
        conflict: Vec<RequireSite>,
        /// Where the conflicting requirements are (those with a known place, in `conflict`
        /// order).
        places: Vec<RequirePlace>,
        /// How many runs (choice assignments) were tried (1 when a solver decided).
        runs: u64,
    },
    /// The SMT solver gave no verdict; the transaction is rolled back.
    ErrSolver {
        /// The transaction.
        tx: TxId,
        /// What went wrong.
        failure: SolverFailure,
    },
    /// The solver's model failed the VM's re-check (a `require` was false when the
    /// transaction ran with it); the transaction is rolled back.
    ErrModelRejected {
        /// The transaction.
        tx: TxId,
        /// The requirement that failed.
        site: RequireSite,
        /// Where it is, when known.
        place: Option<RequirePlace>,
    },
}

/// Evaluation errors of the term language (ours, not the spec's: the spec's `Val` operations are
/// total Agda functions).
#[derive(Clone, Debug, PartialEq)]
pub enum ExecError {
    /// Checked integer arithmetic overflowed (`op` is the operator).
    IntegerOverflow {
        /// The operator that overflowed.
        op: &'static str,
    },
    /// Division or remainder by zero.
    DivisionByZero,
    /// A value of the wrong kind reached an operation.
    TypeMismatch {
        /// The kind the operation needs.
        expected: &'static str,
        /// The kind it got.
        found: &'static str,
    },
    /// Ordering comparison on a kind that has no order.
    NotOrdered {
        /// The kind compared.
        kind: &'static str,
    },
    /// List/tuple index out of range.
    IndexOutOfBounds {
        /// The index used.
        index: i64,
        /// The length of the indexed value.
        len: usize,
    },
    /// A record has no field of that name.
    NoSuchField {
        /// The field looked up.
        field: Rc<str>,
    },
    /// No `match` arm matched the value.
    NoMatchingArm {
        /// The scrutinee.
        value: Val,
    },
    /// A variable was used that is not bound.
    UnboundVariable(Rc<str>),
    /// A function name that the program does not define.
    UnknownFunction(Rc<str>),
    /// `createObj` named a behaviour the program does not define.
    UnknownBehaviour(Rc<str>),
    /// A function was called with the wrong number of arguments.
    ArityMismatch {
        /// The function.
        function: Rc<str>,
        /// Declared parameter count.
        expected: usize,
        /// Given argument count.
        found: usize,
    },
    /// A behaviour returned something other than a list of outputs.
    BehaviourOutputNotList {
        /// The called object.
        object: ObjectId,
        /// The kind it returned.
        found: &'static str,
    },
    /// An explicit failure raised by the program (`Fail`).
    Failed(Val),
    /// An Unsafe instruction ran in code not marked unsafe.
    UnsafeInSafeCode {
        /// The instruction's spec name.
        instruction: &'static str,
    },
    /// An effectful instruction ran inside a pure function.
    EffectInPureFunction {
        /// The instruction's spec name.
        instruction: &'static str,
    },
    /// A state field index beyond the object's state.
    NoSuchStateField {
        /// The object whose state was accessed.
        object: ObjectId,
        /// The field index.
        index: usize,
        /// The state's length.
        len: usize,
    },
    /// The durable store below the world failed (I/O error, full disk, corrupt record); the
    /// world on disk is as of the last commit.
    Storage {
        /// What failed.
        message: Rc<str>,
    },
    /// `lookup` found an object whose behaviour's interface differs from the requested type's.
    InterfaceMismatch {
        /// The name looked up.
        name: Rc<str>,
        /// The object it names.
        object: ObjectId,
        /// The interface the program asked for.
        expected: Rc<str>,
        /// The stored object's interface (empty when its behaviour declares none).
        found: Rc<str>,
    },
}

/// Runtime limits (ours): fuel and call depth.
#[derive(Clone, Debug, PartialEq)]
pub enum LimitError {
    /// The run used all its fuel (steps).
    OutOfFuel {
        /// The configured fuel.
        fuel: u64,
    },
    /// The frame stack reached the configured maximum depth.
    CallDepthExceeded {
        /// The configured maximum depth.
        max_depth: usize,
    },
    /// The live register slots of all frames would exceed the configured maximum (Tape VM).
    RegisterLimitExceeded {
        /// The configured maximum number of live register slots.
        max_registers: usize,
    },
    /// A value being built, or the interpreter's stacks (registers or variables, frames and
    /// the copies kept for transaction restarts), would exceed the run's memory limit
    /// (`crate::budget`).
    MemoryLimitExceeded {
        /// The limit in bytes.
        max_memory: usize,
        /// The bytes the value or the stacks would need.
        needed: usize,
    },
}

/// Every error an AVM run can end with.
#[derive(Clone, Debug, PartialEq)]
pub enum AvmError {
    /// `obj-error`.
    Obj(ObjError),
    /// `introspect-error`.
    Introspect(IntrospectError),
    /// `reflect-error`.
    Reflect(ReflectError),
    /// `reify-error`.
    Reify(ReifyError),
    /// `tx-error`.
    Tx(TxError),
    /// `pure-error`.
    Pure(PureError),
    /// `machine-error`.
    Machine(MachineError),
    /// `controller-error`.
    Controller(ControllerError),
    /// `fd-error`.
    Fd(FdError),
    /// `nondet-error`.
    Nondet(NondetError),
    /// Evaluation error of the term language (ours).
    Exec(ExecError),
    /// Runtime limit reached (ours).
    Limit(LimitError),
}

/// The spec's error layer an `AvmError` belongs to (`semantics.md` §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorLayer {
    /// `BaseError` (obj, introspect, reflect, reify).
    Base,
    /// `TxLayerError`.
    TxLayer,
    /// `PureLayerError`.
    PureLayer,
    /// Top-level `AVMError` constructors (machine, controller, fd, nondet).
    Avm,
    /// Not a spec error (evaluation or limit errors).
    Runtime,
}

impl AvmError {
    /// Whether this is a failure of the FD / Nondet search (a wipe-out, an unsatisfiable
    /// commit, ...), which `try` turns into `none`. A failed SMT solver or a rejected model is
    /// not: it is a fault of the platform, reported even under `try`.
    pub fn is_search_failure(&self) -> bool {
        match self {
            AvmError::Fd(_) => true,
            AvmError::Nondet(e) => !matches!(
                e,
                NondetError::ErrSolver { .. } | NondetError::ErrModelRejected { .. }
            ),
            _ => false,
        }
    }

    /// The spec layer of this error.
    pub fn layer(&self) -> ErrorLayer {
        match self {
            AvmError::Obj(_)
            | AvmError::Introspect(_)
            | AvmError::Reflect(_)
            | AvmError::Reify(_) => ErrorLayer::Base,
            AvmError::Tx(_) => ErrorLayer::TxLayer,
            AvmError::Pure(_) => ErrorLayer::PureLayer,
            AvmError::Machine(_)
            | AvmError::Controller(_)
            | AvmError::Fd(_)
            | AvmError::Nondet(_) => ErrorLayer::Avm,
            AvmError::Exec(_) | AvmError::Limit(_) => ErrorLayer::Runtime,
        }
    }
}

macro_rules! from_family {
    ($($family:ident => $variant:ident),* $(,)?) => {
        $(impl From<$family> for AvmError {
            fn from(e: $family) -> Self {
                AvmError::$variant(e)
            }
        })*
    };
}

from_family!(
    ObjError => Obj,
    IntrospectError => Introspect,
    ReflectError => Reflect,
    ReifyError => Reify,
    TxError => Tx,
    PureError => Pure,
    MachineError => Machine,
    ControllerError => Controller,
    FdError => Fd,
    NondetError => Nondet,
    ExecError => Exec,
    LimitError => Limit,
);

impl fmt::Display for ObjError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjError::ErrObjectNotFound(o) => write!(f, "object {o} not found"),
            ObjError::ErrObjectAlreadyDestroyed(o) => write!(f, "object {o} already destroyed"),
            ObjError::ErrObjectAlreadyExists(o) => write!(f, "object {o} already exists"),
            ObjError::ErrInvalidInput(o, v) => write!(f, "invalid input {v} for object {o}"),
            ObjError::ErrObjectRejectedCall(o, v) => write!(f, "object {o} rejected call {v}"),
            ObjError::ErrMetadataCorruption(o) => write!(f, "object {o} has no metadata"),
        }
    }
}

impl fmt::Display for IntrospectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntrospectError::ErrContextUnavailable(what) => {
                write!(f, "context unavailable: {what}")
            }
        }
    }
}

impl fmt::Display for ReflectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReflectError::ErrMetadataNotFound(o) => write!(f, "metadata of {o} not found"),
            ReflectError::ErrMetadataInconsistent(o, why) => {
                write!(f, "metadata of {o} inconsistent: {why}")
            }
            ReflectError::ErrStoreCorruption(why) => write!(f, "store corruption: {why}"),
            ReflectError::ErrScryPredicateFailed(why) => write!(f, "scry predicate failed: {why}"),
            ReflectError::ErrReflectionDenied(o) => write!(f, "reflection on {o} denied"),
        }
    }
}

impl fmt::Display for ReifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReifyError::ErrReifyContextFailed(why) => write!(f, "cannot reify context: {why}"),
            ReifyError::ErrNoTransactionToReify => f.write_str("no transaction to reify"),
            ReifyError::ErrTxStateAccessDenied => f.write_str("transaction state access denied"),
            ReifyError::ErrConstraintStoreUnavailable => {
                f.write_str("constraint store unavailable")
            }
        }
    }
}

impl fmt::Display for TxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TxError::ErrTxConflict(t) => write!(f, "transaction {t} conflicts"),
            TxError::ErrTxNotFound(t) => write!(f, "transaction {t} not found"),
            TxError::ErrTxAlreadyCommitted(t) => write!(f, "transaction {t} already committed"),
            TxError::ErrTxAlreadyAborted(t) => write!(f, "transaction {t} already aborted"),
            TxError::ErrNoActiveTx => f.write_str("no active transaction"),
            TxError::ErrInvalidDuringTx(what) => {
                write!(f, "{what} is not allowed in a transaction")
            }
        }
    }
}

impl fmt::Display for PureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PureError::ErrFunctionNotFound(n) => write!(f, "pure function {n:?} not found"),
            PureError::ErrFunctionAlreadyRegistered(n) => {
                write!(f, "pure function {n:?} already registered")
            }
            PureError::ErrVersionConflict(n, expected, actual) => write!(
                f,
                "pure function {n:?}: expected version {expected}, found {actual}"
            ),
        }
    }
}

impl fmt::Display for MachineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MachineError::ErrMachineUnreachable(m) => write!(f, "machine {m} unreachable"),
            MachineError::ErrInvalidMachineTransfer(o, m) => {
                write!(f, "invalid transfer of {o} to machine {m}")
            }
            MachineError::ErrTeleportDuringTx => f.write_str("teleport during a transaction"),
        }
    }
}

impl fmt::Display for ControllerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ControllerError::ErrControllerUnreachable(c) => {
                write!(f, "controller {c} unreachable")
            }
            ControllerError::ErrUnauthorizedTransfer(o, c) => {
                write!(f, "unauthorized transfer of {o} to {c}")
            }
            ControllerError::ErrCrossControllerTx(o, c) => write!(
                f,
                "object {o} is controlled by {c}, not by the transaction's controller"
            ),
            ControllerError::ErrObjectNotAvailable(o) => write!(f, "object {o} not available"),
            ControllerError::ErrObjectNotConsistent(o) => write!(f, "object {o} not consistent"),
            ControllerError::ErrFreezeFailed(o) => write!(f, "freeze of {o} failed"),
            ControllerError::ErrObjectHasNoController(o) => {
                write!(f, "object {o} has no controller")
            }
        }
    }
}

impl fmt::Display for FdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FdError::ErrDomainWipeout { var, cause } => match cause {
                WipeoutCause::Creation => write!(f, "newVar {var}: empty domain"),
                WipeoutCause::Narrow => write!(f, "narrow: domain of {var} became empty"),
                WipeoutCause::Labeling => write!(f, "label: domain of {var} is empty"),
                WipeoutCause::Constraint(c) => {
                    write!(f, "domain of {var} wiped out by constraint {c}")
                }
            },
            FdError::ErrUnknownVar(v) => write!(f, "unknown FD variable {v}"),
            FdError::ErrNonIntegerValue(v) => write!(f, "FD value {v} is not an integer"),
            FdError::ErrMalformedConstraint(v) => write!(f, "{v} is not a constraint"),
            FdError::ErrGasExhausted { spent } => {
                write!(f, "FD propagation out of gas after {spent} steps")
            }
        }
    }
}

impl fmt::Display for NondetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NondetError::ErrEmptyChoice => f.write_str("choose from an empty list"),
            NondetError::ErrRequirementFailed(site) => {
                write!(f, "{site} failed outside a transaction")
            }
            NondetError::ErrUnsatisfiable {
                tx,
                conflict,
                places,
                runs,
            } => {
                write!(f, "transaction {tx}: requirements ")?;
                for (i, site) in conflict.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "#{}", site.0)?;
                }
                write!(f, " cannot hold together ({runs} runs tried)")?;
                for (i, place) in places.iter().enumerate() {
                    f.write_str(if i == 0 { ": " } else { "; " })?;
                    write!(f, "{place}")?;
                }
                Ok(())
            }
            NondetError::ErrSolver { tx, failure } => {
                write!(f, "transaction {tx}: {failure}; nothing was committed")
            }
            NondetError::ErrModelRejected { tx, site, place } => {
                write!(f, "transaction {tx}: the solver's model fails {site}")?;
                if let Some(p) = place {
                    write!(f, " at {p}")?;
                }
                f.write_str(" when re-checked; nothing was committed")
            }
        }
    }
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecError::IntegerOverflow { op } => write!(f, "integer overflow in `{op}`"),
            ExecError::DivisionByZero => f.write_str("division by zero"),
            ExecError::TypeMismatch { expected, found } => {
                write!(f, "expected a value of type {expected}, found {found}")
            }
            ExecError::NotOrdered { kind } => write!(f, "values of type {kind} have no order"),
            ExecError::IndexOutOfBounds { index, len } => {
                write!(f, "index {index} out of bounds for length {len}")
            }
            ExecError::NoSuchField { field } => write!(f, "no field `{field}`"),
            ExecError::NoMatchingArm { value } => write!(f, "no match arm for {value}"),
            ExecError::UnboundVariable(n) => write!(f, "unbound variable `{n}`"),
            ExecError::UnknownFunction(n) => write!(f, "unknown function `{n}`"),
            ExecError::UnknownBehaviour(n) => write!(f, "unknown behaviour `{n}`"),
            ExecError::ArityMismatch {
                function,
                expected,
                found,
            } => write!(
                f,
                "function `{function}` takes {expected} argument(s), {found} given"
            ),
            ExecError::BehaviourOutputNotList { object, found } => write!(
                f,
                "the behaviour of {object} must return a list of outputs, returned {found}"
            ),
            ExecError::Failed(v) => write!(f, "failed: {v}"),
            ExecError::UnsafeInSafeCode { instruction } => write!(
                f,
                "unsafe instruction `{instruction}` in code not marked unsafe"
            ),
            ExecError::EffectInPureFunction { instruction } => {
                write!(f, "instruction `{instruction}` in a pure function")
            }
            ExecError::NoSuchStateField { object, index, len } => write!(
                f,
                "object {object} has {len} state field(s), field {index} accessed"
            ),
            ExecError::Storage { message } => {
                write!(f, "the world's storage failed: {message}")
            }
            ExecError::InterfaceMismatch {
                name,
                object,
                expected,
                found,
            } => write!(
                f,
                "`{name}` names object {object}, whose interface `{found}` is not the requested `{expected}`"
            ),
        }
    }
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitError::OutOfFuel { fuel } => write!(f, "out of fuel after {fuel} steps"),
            LimitError::CallDepthExceeded { max_depth } => {
                write!(f, "call depth limit of {max_depth} frames exceeded")
            }
            LimitError::RegisterLimitExceeded { max_registers } => {
                write!(
                    f,
                    "register limit of {max_registers} live registers exceeded"
                )
            }
            LimitError::MemoryLimitExceeded { max_memory, needed } => write!(
                f,
                "memory limit of {max_memory} bytes exceeded ({needed} bytes needed)"
            ),
        }
    }
}

impl fmt::Display for AvmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AvmError::Obj(e) => e.fmt(f),
            AvmError::Introspect(e) => e.fmt(f),
            AvmError::Reflect(e) => e.fmt(f),
            AvmError::Reify(e) => e.fmt(f),
            AvmError::Tx(e) => e.fmt(f),
            AvmError::Pure(e) => e.fmt(f),
            AvmError::Machine(e) => e.fmt(f),
            AvmError::Controller(e) => e.fmt(f),
            AvmError::Fd(e) => e.fmt(f),
            AvmError::Nondet(e) => e.fmt(f),
            AvmError::Exec(e) => e.fmt(f),
            AvmError::Limit(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AvmError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_convert_and_display() {
        let e: AvmError = ObjError::ErrObjectNotFound(ObjectId(42)).into();
        assert_eq!(e.to_string(), "object #42 not found");
        assert_eq!(e.layer(), ErrorLayer::Base);
        let e: AvmError =
            ControllerError::ErrCrossControllerTx(ObjectId(1), ControllerId::new("c2")).into();
        assert_eq!(e.layer(), ErrorLayer::Avm);
        let e: AvmError = LimitError::CallDepthExceeded { max_depth: 10 }.into();
        assert_eq!(e.to_string(), "call depth limit of 10 frames exceeded");
        assert_eq!(e.layer(), ErrorLayer::Runtime);
    }
}

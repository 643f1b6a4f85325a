//! Errors of the ITree → Tape lowering.
//!
//! Takes nothing; produces [`LowerError`] (which function, and what construct in it) and
//! [`LowerErrorKind`]. Lowering a well-formed ITree program never fails: every kind here
//! describes malformed input (an unknown name, a wrong arity, a value no Tape code can
//! produce) or a program too large for the Tape format's index widths. Rendering is the
//! `Display` impl; no IO.

use avm_vm::tape::BuildError;
use std::fmt;

/// A lowering failure, located in one function of the output program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerError {
    /// The Tape function being produced (`main`, `Counter.dispatch`, `fib`, ...).
    pub function: String,
    /// What went wrong.
    pub kind: LowerErrorKind,
}

/// What went wrong while lowering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LowerErrorKind {
    /// A variable that no enclosing binding defines.
    UnboundVariable { name: String },
    /// A call, `registerPure` or `updatePure` names a function the program does not define.
    UnknownFunction { name: String },
    /// `createObj` names a behaviour the program does not define.
    UnknownBehaviour { name: String },
    /// A call passes a different number of arguments than the callee declares.
    ArityMismatch {
        callee: String,
        expected: usize,
        found: usize,
    },
    /// A built-in applied to the wrong number of arguments.
    BuiltinArity {
        builtin: &'static str,
        expected: u16,
        found: usize,
    },
    /// A literal of a kind that only the running VM can create (object, transaction and FD
    /// variable ids).
    UnrepresentableLiteral { kind: &'static str },
    /// An AVM instruction inside a pure function (the ITree interpreter fails when it reaches
    /// one; Tape pure functions cannot contain them at all).
    InstructionInPureFunction { instruction: &'static str },
    /// A pure function calls a plain one (Tape pure functions call only pure functions).
    PureCallsPlain { callee: String },
    /// `registerPure` / `updatePure` names a function that is not pure.
    ImplementationNotPure { function: String },
    /// A `scryMeta` / `scryDeep` predicate uses a variable of the enclosing code (Tape
    /// predicates are functions of their parameters only).
    PredicateCaptures { name: String },
    /// More parameters than a Tape function can take.
    TooManyParameters { count: usize },
    /// A state field index beyond the Tape format's `u16`.
    FieldIndexTooLarge { index: usize },
    /// More live registers than a Tape frame can hold.
    TooManyRegisters,
    /// Two output functions would get the same name (e.g. a user function called
    /// `X.dispatch` next to a behaviour `X`).
    DuplicateFunctionName { name: String },
    /// The Tape builder refused the output (table or jump-offset limits).
    Build(BuildError),
}

impl fmt::Display for LowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "in `{}`: {}", self.function, self.kind)
    }
}

impl fmt::Display for LowerErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LowerErrorKind::*;
        match self {
            UnboundVariable { name } => write!(f, "unbound variable `{name}`"),
            UnknownFunction { name } => write!(f, "unknown function `{name}`"),
            UnknownBehaviour { name } => write!(f, "unknown behaviour `{name}`"),
            ArityMismatch {
                callee,
                expected,
                found,
            } => write!(f, "`{callee}` takes {expected} arguments, {found} given"),
            BuiltinArity {
                builtin,
                expected,
                found,
            } => write!(
                f,
                "built-in `{builtin}` takes {expected} arguments, {found} given"
            ),
            UnrepresentableLiteral { kind } => {
                write!(f, "a literal of kind {kind} cannot be compiled")
            }
            InstructionInPureFunction { instruction } => {
                write!(f, "instruction `{instruction}` inside a pure function")
            }
            PureCallsPlain { callee } => {
                write!(f, "a pure function calls the plain function `{callee}`")
            }
            ImplementationNotPure { function } => {
                write!(
                    f,
                    "pure-registry implementation `{function}` is not a pure function"
                )
            }
            PredicateCaptures { name } => write!(
                f,
                "a scry predicate uses the variable `{name}` of the enclosing code"
            ),
            TooManyParameters { count } => write!(f, "{count} parameters is too many"),
            FieldIndexTooLarge { index } => write!(f, "state field index {index} is too large"),
            TooManyRegisters => f.write_str("more than 65536 live registers"),
            DuplicateFunctionName { name } => write!(f, "two functions named `{name}`"),
            Build(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LowerError {}

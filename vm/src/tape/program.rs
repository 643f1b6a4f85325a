//! A whole Tape program.
//!
//! Takes the ops of `op.rs`; produces [`Program`] (functions, constant pool, interned
//! strings, object behaviours, entry point, source table), [`Function`] (with its span
//! table of [`SpanEntry`]s), [`FunctionKind`], [`Behaviour`] and the constant type [`Const`]. Nothing here checks well-formedness:
//! that is `verify.rs`.

use super::effect::Safety;
use super::op::{FuncIdx, Op, StrIdx};
use crate::srcloc::SrcLoc;
use serde::{Deserialize, Serialize};

/// The deepest nesting of list / tuple / `some` constants a program may contain. Deeper
/// constants are rejected by the parser, the binary loader and the verifier, so that no
/// recursive walk over a constant can exhaust the stack.
pub const MAX_CONST_DEPTH: usize = 64;

/// A Tape program: what `avmc` compiles to and what the Tape interpreter runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Program {
    /// The function table, indexed by [`FuncIdx`]. Names are unique.
    pub functions: Vec<Function>,
    /// The constant pool, indexed by [`super::op::ConstIdx`].
    pub constants: Vec<Const>,
    /// Interned strings (behaviour names, tags, failure messages), indexed by [`StrIdx`].
    pub strings: Vec<String>,
    /// The object behaviours the program defines.
    pub behaviours: Vec<Behaviour>,
    /// The function `avmc run` starts with, if the program has one.
    pub entry: Option<FuncIdx>,
    /// The source file names that span tables refer to ([`SrcLoc::source`] indexes it);
    /// empty for hand-written programs.
    pub sources: Vec<String>,
}

impl Program {
    /// The function at `idx`, if it exists.
    pub fn function(&self, idx: FuncIdx) -> Option<&Function> {
        self.functions.get(usize::try_from(idx.0).ok()?)
    }

    /// The index of the function named `name`, if any.
    pub fn function_index(&self, name: &str) -> Option<FuncIdx> {
        let pos = self.functions.iter().position(|f| f.name == name)?;
        u32::try_from(pos).ok().map(FuncIdx)
    }

    /// The interned string at `idx`, if it exists.
    pub fn string(&self, idx: StrIdx) -> Option<&str> {
        self.strings
            .get(usize::try_from(idx.0).ok()?)
            .map(String::as_str)
    }

    /// The behaviour named `name`, if any.
    pub fn behaviour(&self, name: &str) -> Option<&Behaviour> {
        self.behaviours.iter().find(|b| b.name == name)
    }
}

/// What role a function plays; the verifier checks the rules each kind implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FunctionKind {
    /// An object method, called from its behaviour's dispatch function.
    Method,
    /// A behaviour's dispatch function: one parameter (the input message, in `r0`); it
    /// returns the behaviour's output list (empty = the call is rejected).
    Dispatch,
    /// A pure function: no effects, no object state, no output, calls only pure functions.
    /// Pure functions implement `pure fn`s (via the pure-function registry) and predicates.
    Pure,
    /// An ordinary function; runs in its caller's context and may perform effects.
    Plain,
    /// The program's entry point (`fn main`): no parameters.
    Main,
}

impl FunctionKind {
    /// Every kind, in declaration order.
    pub const ALL: [FunctionKind; 5] = [
        FunctionKind::Method,
        FunctionKind::Dispatch,
        FunctionKind::Pure,
        FunctionKind::Plain,
        FunctionKind::Main,
    ];

    /// The keyword used in the text format.
    pub fn keyword(self) -> &'static str {
        match self {
            FunctionKind::Method => "method",
            FunctionKind::Dispatch => "dispatch",
            FunctionKind::Pure => "pure",
            FunctionKind::Plain => "plain",
            FunctionKind::Main => "main",
        }
    }
}

/// One Tape function: a flat list of ops over a fixed register file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// The function's name, unique in the program (e.g. `Counter.add`, `fib`).
    pub name: String,
    /// How many parameters it takes; they arrive in `r0 .. r<params>`.
    pub params: u16,
    /// The size of its register file (at least `params`).
    pub registers: u16,
    /// Whether it may contain unsafe effect ops.
    pub safety: Safety,
    /// Its role.
    pub kind: FunctionKind,
    /// Its body; execution starts at op 0.
    pub ops: Vec<Op>,
    /// Its span table, by increasing op index: entry `e` gives the source location of ops
    /// `e.op` up to (not including) the next entry's op. Ops before the first entry have no
    /// location; an empty table is valid (hand-written Tape).
    pub spans: Vec<SpanEntry>,
}

impl Function {
    /// The source location of op `op`, if the span table gives one.
    pub fn span_at(&self, op: u32) -> Option<SrcLoc> {
        span_at(&self.spans, op)
    }
}

/// The location a span table (ordered by op) gives op `op`: the last entry at or before it.
pub fn span_at(spans: &[SpanEntry], op: u32) -> Option<SrcLoc> {
    let after = spans.partition_point(|e| e.op <= op);
    after
        .checked_sub(1)
        .and_then(|i| spans.get(i))
        .map(|e| e.loc)
}

/// One row of a function's span table: from op `op` on, the ops come from `loc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanEntry {
    /// The first op the location applies to.
    pub op: u32,
    /// The source location.
    pub loc: SrcLoc,
}

/// An object behaviour: the code that runs when an object created under `name` is called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Behaviour {
    /// The behaviour name passed to `createObj`.
    pub name: String,
    /// Its dispatch function (kind [`FunctionKind::Dispatch`]).
    pub dispatch: FuncIdx,
    /// The state layout: field `i` of the object state (the `List Val` of the spec) is named
    /// `fields[i]`; `field.get i` / `field.set i` address it.
    pub fields: Vec<String>,
}

/// A constant of the constant pool.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Const {
    /// A 64-bit signed integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
    /// The unit value `()`.
    Unit,
    /// A list of constants.
    List(Vec<Const>),
    /// A tuple of constants.
    Tuple(Vec<Const>),
    /// The empty option.
    None,
    /// A present option.
    Some(Box<Const>),
}

impl Const {
    /// The nesting depth: 1 for a scalar, 1 + the deepest element for aggregates. Stops
    /// counting (returns `limit + 1`) once it exceeds `limit`, so the walk is bounded.
    pub fn depth_within(&self, limit: usize) -> usize {
        fn walk(c: &Const, level: usize, limit: usize) -> usize {
            if level > limit {
                return level;
            }
            match c {
                Const::Int(_) | Const::Bool(_) | Const::Str(_) | Const::Unit | Const::None => level,
                Const::Some(inner) => walk(inner, level + 1, limit),
                Const::List(items) | Const::Tuple(items) => items
                    .iter()
                    .map(|item| walk(item, level + 1, limit))
                    .max()
                    .unwrap_or(level),
            }
        }
        walk(self, 1, limit)
    }
}

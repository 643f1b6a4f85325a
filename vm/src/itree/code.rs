//! The resolved form of a program that the reference interpreter runs (`resolve` builds it).
//!
//! Defines `Code` (one arena of `Node`s holding the entry term and every function and behaviour
//! body, children as `NodeId` indices), `Node` (a term with resolved variables and callees, the
//! counter call's instructions as nodes of their own), `RExpr` (an expression whose variables
//! are frame slots, `RExpr::BinSimple` for binary operations on variables and constants), and
//! the operand and binding types around them. No logic beyond lookups.

use crate::error::{AvmError, ExecError};
use crate::itree::term::{Behaviour, BinOp, Builtin, Function, Instr, Name, Pattern, UnOp};
use crate::srcloc::SrcLoc;
use crate::value::Val;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

/// The index of a `Node` in `Code`.
pub(crate) type NodeId = u32;

/// The index of a function in `Code::functions`.
pub(crate) type FnId = u32;

/// The index of a behaviour in `Code::behaviours`.
pub(crate) type BehaviourId = u32;

/// An `Expr` with variables resolved to frame slots.
#[derive(Debug)]
pub(crate) enum RExpr<'p> {
    /// A constant.
    Lit(&'p Val),
    /// The variable in slot `.0` of the current frame (its name, for an error that cannot
    /// happen in a well-formed run).
    Slot(usize, &'p Name),
    /// A variable with no binding in scope: evaluating it fails.
    Unbound(&'p Name),
    /// A unary operation.
    Unary(UnOp, Box<RExpr<'p>>),
    /// A binary operation.
    Binary(BinOp, Box<RExpr<'p>>, Box<RExpr<'p>>),
    /// A binary operation other than `and` / `or` whose operands are both variables or
    /// constants (`n == 0`, `c + n`, `n - 1`): evaluated without cloning its operands, and
    /// without building a `Val` when it is an `if` condition on integers.
    BinSimple(BinOp, Operand<'p>, Operand<'p>),
    /// A list literal.
    List(Box<[RExpr<'p>]>),
    /// A tuple literal.
    Tuple(Box<[RExpr<'p>]>),
    /// `some(e)`.
    Just(Box<RExpr<'p>>),
    /// A record literal.
    Record {
        /// Type name.
        type_name: &'p Name,
        /// Fields in order.
        fields: Box<[(&'p Name, RExpr<'p>)]>,
    },
    /// An enum variant.
    Variant {
        /// Enum name.
        enum_name: &'p Name,
        /// Variant name.
        variant: &'p Name,
        /// Payload.
        payload: Box<[RExpr<'p>]>,
    },
    /// Record field access.
    Field(Box<RExpr<'p>>, &'p Name),
    /// Indexing.
    Index(Box<RExpr<'p>>, Box<RExpr<'p>>),
    /// A built-in operation.
    Builtin(Builtin, Box<[RExpr<'p>]>),
}

/// An operand of `RExpr::BinSimple`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Operand<'p> {
    /// The variable in slot `.0` of the current frame (its name, for the error).
    Slot(u32, &'p Name),
    /// A constant.
    Lit(&'p Val),
}

impl<'p> Operand<'p> {
    /// The operand form of a resolved variable or constant (`None` for anything else, or a
    /// slot number too large for `u32`).
    pub(super) fn of(e: &RExpr<'p>) -> Option<Operand<'p>> {
        match *e {
            RExpr::Slot(i, n) => Some(Operand::Slot(u32::try_from(i).ok()?, n)),
            RExpr::Lit(v) => Some(Operand::Lit(v)),
            _ => None,
        }
    }
}

/// Whether anything reads the variable an instruction binds its result to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Binding {
    /// Some expression in scope of the binding reads it.
    Used,
    /// Nothing reads it: the slot only has to exist.
    Unused,
}

/// An instruction's operand expressions, in the order the instruction lists them (for
/// `scryMeta` / `scryDeep`: the predicate's body, resolved with its parameters in scope).
#[derive(Debug)]
pub(crate) struct Ops<'p>(pub(super) SmallVec<[RExpr<'p>; 2]>);

impl<'p> Ops<'p> {
    /// Operand `i`.
    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Result<&RExpr<'p>, AvmError> {
        match self.0.get(i) {
            Some(e) => Ok(e),
            None => Err(missing_operand()),
        }
    }
}

/// The error for an operand `resolve` did not produce (an interpreter bug, not a panic).
#[cold]
fn missing_operand() -> AvmError {
    ExecError::Failed(Val::str("internal: instruction operand missing")).into()
}

/// A `match` arm.
#[derive(Debug)]
pub(crate) struct RArm<'p> {
    /// The pattern (its bindings are pushed in order, names no longer needed).
    pub pattern: &'p Pattern,
    /// The guard, resolved with the pattern's bindings in scope.
    pub guard: Option<RExpr<'p>>,
    /// The body.
    pub body: NodeId,
}

/// A `Term` with resolved variables and callees; children are arena indices.
#[derive(Debug)]
pub(crate) enum Node<'p> {
    /// `ret e`.
    Ret(RExpr<'p>),
    /// `tau t`.
    Tau(NodeId),
    /// An instruction; its result goes to the next slot.
    Instr {
        /// The instruction as written (its kind and non-expression operands).
        instr: &'p Instr,
        /// Its resolved operand expressions.
        ops: Ops<'p>,
        /// Whether the result is read.
        result: Binding,
        /// The continuation.
        rest: NodeId,
    },
    /// `call target input` (the instruction as written, for errors); when the callee returns,
    /// its result goes to the next slot.
    CallObject {
        /// The instruction.
        instr: &'p Instr,
        /// The called object.
        target: RExpr<'p>,
        /// The call's input.
        input: RExpr<'p>,
        /// Whether the result is read.
        result: Binding,
        /// The continuation.
        rest: NodeId,
    },
    /// `input`; the value goes to the next slot.
    Input {
        /// The instruction.
        instr: &'p Instr,
        /// The continuation.
        rest: NodeId,
    },
    /// `getField index`; the value goes to the next slot.
    GetField {
        /// The instruction.
        instr: &'p Instr,
        /// The state field.
        index: usize,
        /// The continuation.
        rest: NodeId,
    },
    /// `setField index value`; `()` goes to the next slot.
    SetField {
        /// The instruction.
        instr: &'p Instr,
        /// The state field.
        index: usize,
        /// The value written.
        value: RExpr<'p>,
        /// The continuation.
        rest: NodeId,
    },
    /// `let`; the value goes to the next slot.
    Let {
        /// Value.
        value: RExpr<'p>,
        /// Continuation.
        rest: NodeId,
    },
    /// `if`.
    If {
        /// Condition.
        cond: RExpr<'p>,
        /// Taken when true.
        then_branch: NodeId,
        /// Taken when false.
        else_branch: NodeId,
    },
    /// `match`.
    Match {
        /// The value matched.
        scrutinee: RExpr<'p>,
        /// The arms.
        arms: Box<[RArm<'p>]>,
    },
    /// A call of a program function.
    Call {
        /// The callee's name (for errors).
        function: &'p Name,
        /// The callee, if the program has it.
        target: Option<FnId>,
        /// Arguments.
        args: Box<[RExpr<'p>]>,
    },
    /// Monadic bind; `first`'s result goes to the next slot of `rest`.
    Bind {
        /// The sub-term.
        first: NodeId,
        /// The continuation.
        rest: NodeId,
    },
    /// Fail with the value.
    Fail(RExpr<'p>),
    /// `Term::At`: `body` comes from source location `loc` (no step of its own).
    At {
        /// The location.
        loc: SrcLoc,
        /// The marked node.
        body: NodeId,
    },
    /// `Term::Try`.
    Try {
        /// The guarded sub-term.
        body: NodeId,
        /// The continuation (the option goes to the next slot).
        rest: NodeId,
    },
}

/// A function of the program with its resolved body.
#[derive(Debug)]
pub(crate) struct FnCode<'p> {
    /// The definition.
    pub def: &'p Function,
    /// Its body (parameters in slots `0..params.len()`).
    pub entry: NodeId,
}

/// A behaviour of the program with its resolved body.
#[derive(Debug)]
pub(crate) struct BehaviourCode<'p> {
    /// The definition.
    pub def: &'p Behaviour,
    /// Its body.
    pub entry: NodeId,
}

/// A resolved program.
#[derive(Debug)]
pub(crate) struct Code<'p> {
    /// The node arena.
    pub(super) nodes: Vec<Node<'p>>,
    /// The program's functions.
    pub functions: Vec<FnCode<'p>>,
    /// Function indices by name.
    pub(super) function_ids: FxHashMap<&'p str, FnId>,
    /// The program's behaviours.
    pub behaviours: Vec<BehaviourCode<'p>>,
    /// Behaviour indices by name.
    pub(super) behaviour_ids: FxHashMap<&'p str, BehaviourId>,
    /// The entry term.
    pub main: NodeId,
}

impl<'p> Code<'p> {
    /// The node with index `id` (ids come from this `Code`).
    #[inline]
    pub(crate) fn node(&self, id: NodeId) -> &Node<'p> {
        &self.nodes[id as usize]
    }

    /// The function called `name`.
    #[inline]
    pub(crate) fn function(&self, name: &str) -> Option<&FnCode<'p>> {
        let i = *self.function_ids.get(name)?;
        self.functions.get(i as usize)
    }

    /// The id of the behaviour called `name`.
    #[inline]
    pub(crate) fn behaviour_id(&self, name: &str) -> Option<BehaviourId> {
        self.behaviour_ids.get(name).copied()
    }
}

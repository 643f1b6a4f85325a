//! Tape operations and their operand types.
//!
//! Takes nothing; produces the index newtypes ([`Reg`], [`RegRange`], [`ConstIdx`],
//! [`StrIdx`], [`FuncIdx`], [`Target`]) and the [`Op`] enum, the instruction set of the
//! flat register Tape IR. Every op is at most 16 bytes and allocation-free, so an
//! interpreter can dispatch on it directly. The text form of each op (its `Display`)
//! lives in `text.rs`; the operand convention there is "sources, then `-> dst`".

use super::effect::EffectKind;
use super::prim::PrimKind;
use serde::{Deserialize, Serialize};

/// A register of the current call frame: a dense index below the function's register count.
/// A function's parameters arrive in `r0 .. r<params>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reg(pub u16);

/// A contiguous, half-open range of registers `start .. start + len` (printed `r3..r5` for
/// `r3, r4`). Calls, aggregate constructors and effects take their arguments this way, so an
/// interpreter can slice the frame without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegRange {
    /// The first register of the range.
    pub start: Reg,
    /// How many registers the range holds.
    pub len: u16,
}

impl RegRange {
    /// The empty range at `r0` (the canonical empty range; the text format omits it).
    pub const EMPTY: RegRange = RegRange {
        start: Reg(0),
        len: 0,
    };

    /// The range `start .. start + len`.
    pub fn new(start: Reg, len: u16) -> RegRange {
        RegRange { start, len }
    }

    /// One past the last register, widened so that it cannot overflow.
    pub fn end(self) -> u32 {
        u32::from(self.start.0) + u32::from(self.len)
    }

    /// Whether the range holds no register.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The registers of the range, in order.
    pub fn regs(self) -> impl Iterator<Item = Reg> {
        (u32::from(self.start.0)..self.end()).filter_map(|r| u16::try_from(r).ok().map(Reg))
    }
}

/// An index into the program's constant pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConstIdx(pub u32);

/// An index into the program's interned string table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StrIdx(pub u32);

/// An index into the program's function table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FuncIdx(pub u32);

/// A jump target: the index of an op in the same function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target(pub u32);

/// One Tape operation.
///
/// Conventions: `dst` is the register written; every other register is read. Arithmetic is
/// on 64-bit signed integers and fails (never wraps) on overflow and division by zero. An op
/// applied to values of the wrong type fails the run. Ops that produce a new list, string,
/// tuple or tagged value never mutate their operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    // ----- constants and moves -----
    /// `const c<idx> -> dst`: `dst := constants[idx]`.
    LoadConst { dst: Reg, idx: ConstIdx },
    /// `unit -> dst`: `dst := ()`.
    LoadUnit { dst: Reg },
    /// `bool true|false -> dst`: `dst := value`.
    LoadBool { dst: Reg, value: bool },
    /// `int <value> -> dst`: `dst := value` (a small immediate; larger integers use `const`).
    LoadInt { dst: Reg, value: i32 },
    /// `move src -> dst`: `dst := src`.
    Move { dst: Reg, src: Reg },

    // ----- checked integer arithmetic -----
    /// `add lhs, rhs -> dst`: `dst := lhs + rhs`; fails on overflow.
    Add { dst: Reg, lhs: Reg, rhs: Reg },
    /// `sub lhs, rhs -> dst`: `dst := lhs - rhs`; fails on overflow.
    Sub { dst: Reg, lhs: Reg, rhs: Reg },
    /// `mul lhs, rhs -> dst`: `dst := lhs * rhs`; fails on overflow.
    Mul { dst: Reg, lhs: Reg, rhs: Reg },
    /// `div lhs, rhs -> dst`: `dst := lhs / rhs` truncated toward zero; fails on division by
    /// zero and on overflow (`MIN / -1`).
    Div { dst: Reg, lhs: Reg, rhs: Reg },
    /// `rem lhs, rhs -> dst`: `dst := lhs % rhs` (sign of `lhs`); fails on division by zero
    /// and on overflow.
    Rem { dst: Reg, lhs: Reg, rhs: Reg },
    /// `neg src -> dst`: `dst := -src`; fails on overflow.
    Neg { dst: Reg, src: Reg },

    // ----- comparisons (structural equality on any values, order on integers and strings) -----
    /// `eq lhs, rhs -> dst`: `dst := lhs == rhs`.
    Eq { dst: Reg, lhs: Reg, rhs: Reg },
    /// `ne lhs, rhs -> dst`: `dst := lhs != rhs`.
    Ne { dst: Reg, lhs: Reg, rhs: Reg },
    /// `lt lhs, rhs -> dst`: `dst := lhs < rhs`.
    Lt { dst: Reg, lhs: Reg, rhs: Reg },
    /// `le lhs, rhs -> dst`: `dst := lhs <= rhs`.
    Le { dst: Reg, lhs: Reg, rhs: Reg },
    /// `gt lhs, rhs -> dst`: `dst := lhs > rhs`.
    Gt { dst: Reg, lhs: Reg, rhs: Reg },
    /// `ge lhs, rhs -> dst`: `dst := lhs >= rhs`.
    Ge { dst: Reg, lhs: Reg, rhs: Reg },

    // ----- boolean logic (both operands already evaluated) -----
    /// `not src -> dst`: `dst := !src`.
    Not { dst: Reg, src: Reg },
    /// `and lhs, rhs -> dst`: `dst := lhs && rhs`.
    And { dst: Reg, lhs: Reg, rhs: Reg },
    /// `or lhs, rhs -> dst`: `dst := lhs || rhs`.
    Or { dst: Reg, lhs: Reg, rhs: Reg },

    // ----- lists -----
    /// `list items -> dst`: `dst := [items...]` (the registers of the range, in order).
    MakeList { dst: Reg, items: RegRange },
    /// `list.push list, item -> dst`: `dst := list ++ [item]`.
    ListPush { dst: Reg, list: Reg, item: Reg },
    /// `list.concat lhs, rhs -> dst`: `dst := lhs ++ rhs`.
    ListConcat { dst: Reg, lhs: Reg, rhs: Reg },
    /// `list.len list -> dst`: `dst := length(list)`.
    ListLen { dst: Reg, list: Reg },
    /// `list.index list, index -> dst`: `dst := list[index]`; fails when out of range.
    ListIndex { dst: Reg, list: Reg, index: Reg },
    /// `list.cons head, tail -> dst`: `dst := [head] ++ tail`.
    ListCons { dst: Reg, head: Reg, tail: Reg },
    /// `list.head list -> dst`: `dst := list[0]`; fails on the empty list.
    ListHead { dst: Reg, list: Reg },
    /// `list.tail list -> dst`: `dst := list` without its first element; fails on the empty list.
    ListTail { dst: Reg, list: Reg },
    /// `list.is_empty list -> dst`: `dst := (list == [])`.
    ListIsEmpty { dst: Reg, list: Reg },

    // ----- strings -----
    /// `str.concat lhs, rhs -> dst`: `dst := lhs ++ rhs`.
    StrConcat { dst: Reg, lhs: Reg, rhs: Reg },
    /// `str.len src -> dst`: `dst :=` the number of Unicode scalar values of `src`.
    StrLen { dst: Reg, src: Reg },

    // ----- tuples -----
    /// `tuple items -> dst`: `dst := (items...)`.
    MakeTuple { dst: Reg, items: RegRange },
    /// `tuple.get src, index -> dst`: `dst :=` field `index` (from 0) of the tuple `src`;
    /// fails when out of range.
    TupleGet { dst: Reg, src: Reg, index: u16 },

    // ----- options -----
    /// `some src -> dst`: `dst := some(src)`.
    MakeSome { dst: Reg, src: Reg },
    /// `none -> dst`: `dst := none`.
    LoadNone { dst: Reg },
    /// `opt.is_some src -> dst`: `dst := (src is some(_))`.
    IsSome { dst: Reg, src: Reg },
    /// `opt.unwrap src -> dst`: `dst := x` where `src = some(x)`; fails on `none`.
    Unwrap { dst: Reg, src: Reg },

    // ----- tagged values (structs and enums) -----
    /// `record s<name>, fields -> dst`: `dst :=` the record of type `strings[name]` with the
    /// field values of the range, in declaration order.
    MakeRecord {
        dst: Reg,
        name: StrIdx,
        fields: RegRange,
    },
    /// `variant s<enum>, s<variant>, payload -> dst`: `dst :=` the variant
    /// `strings[enum]::strings[variant]` carrying the payload registers (none for a bare tag).
    MakeVariant {
        dst: Reg,
        enum_name: StrIdx,
        variant: StrIdx,
        payload: RegRange,
    },
    /// `tagged.get src, index -> dst`: `dst :=` field `index` of a record, or payload value
    /// `index` of a variant; fails when out of range or when `src` is not tagged.
    TaggedGet { dst: Reg, src: Reg, index: u16 },
    /// `variant.is src, s<enum>, s<variant> -> dst`: `dst := (src is the variant
    /// strings[enum]::strings[variant])`; `false` for any other value.
    IsVariant {
        dst: Reg,
        src: Reg,
        enum_name: StrIdx,
        variant: StrIdx,
    },

    // ----- control flow -----
    /// `jump L`: continue at op `target`.
    Jump { target: Target },
    /// `br cond, L`: continue at `target` if `cond` is `true`, else at the next op.
    BranchIf { cond: Reg, target: Target },
    /// `brnot cond, L`: continue at `target` if `cond` is `false`, else at the next op.
    BranchIfNot { cond: Reg, target: Target },
    /// `call @f, args -> dst`: call Tape function `func` with the argument range (its length
    /// must equal the callee's parameter count); the callee's return value goes to `dst`.
    Call {
        dst: Reg,
        func: FuncIdx,
        args: RegRange,
    },
    /// `tail @f, args`: call `func` in place of the current frame; its return value is this
    /// function's return value (recursion-based loops run in constant frame space).
    TailCall { func: FuncIdx, args: RegRange },
    /// `ret src`: return `src` to the caller.
    Ret { src: Reg },
    /// `fail s<message>`: fail the run with the message `strings[message]`.
    Fail { message: StrIdx },
    /// `fail.value src`: fail the run with the value of `src` (`ExecError::Failed(src)`, the
    /// ITree `Fail` term's error).
    FailValue { src: Reg },
    /// `fail.nomatch src`: fail the run because no `match` arm matched the value of `src`
    /// (`ExecError::NoMatchingArm`).
    FailNoMatch { src: Reg },

    // ----- catching FD / nondeterminism failures (`Term::Try`) -----
    /// `try L -> dst`: opens a catch scope in the current frame and continues at the next op
    /// (the guarded body). If the body fails with an FD or Nondet error — in this frame or in
    /// any frame it called — the frames above this one are dropped, the transactions opened
    /// since the `try` and still open are aborted (innermost first), the call context is
    /// restored to this frame's, `dst := none` and execution continues at `handler`. Other
    /// errors are not caught. Scopes nest; the verifier checks that every path closes the
    /// scope with `try.end` before `ret`/`tail` and that the handler is reached with the
    /// scope closed.
    TryBegin { handler: Target, dst: Reg },
    /// `try.end`: closes the innermost catch scope of the current frame (the body succeeded).
    TryEnd,

    // ----- output and object state -----
    /// `print src`: append `src` to the program's output (an output event in the trace).
    Print { src: Reg },
    /// `field.get index -> dst`: `dst :=` field `index` of the running object's state
    /// (semantically `getState` then take field `index`; visible in the trace as such).
    FieldGet { dst: Reg, field: u16 },
    /// `field.set index, src`: replace field `index` of the running object's state with `src`
    /// (semantically `getState`, update one field, `setState`; visible in the trace).
    FieldSet { field: u16, src: Reg },

    // ----- primitive value operations -----
    /// `prim.<name> args -> dst`: the primitive value operation `kind` (see
    /// [`super::prim`]) on the argument registers `args` (exactly `kind.arity()` of them).
    Prim {
        kind: PrimKind,
        args: RegRange,
        dst: Reg,
    },

    // ----- AVM instructions -----
    /// `fx.<name> args -> dst`: run the AVM instruction `kind` with the argument registers
    /// `args` (exactly `kind.arity()` of them, in the spec's argument order) and write its
    /// result to `dst` (`()` for instructions whose result is `⊤`). Only for kinds without a
    /// function operand.
    Effect {
        kind: EffectKind,
        args: RegRange,
        dst: Reg,
    },
    /// `fx.<name> @f, args -> dst`: like [`Op::Effect`] for the kinds that also take a pure Tape
    /// function (`scryMeta`/`scryDeep` predicates, `registerPure`/`updatePure` implementations).
    EffectWithFunction {
        kind: EffectKind,
        func: FuncIdx,
        args: RegRange,
        dst: Reg,
    },
}

impl Op {
    /// Whether control can continue at the next op (false for `jump`, `ret`, `tail` and the
    /// `fail` ops).
    pub fn falls_through(&self) -> bool {
        !matches!(
            self,
            Op::Jump { .. }
                | Op::Ret { .. }
                | Op::TailCall { .. }
                | Op::Fail { .. }
                | Op::FailValue { .. }
                | Op::FailNoMatch { .. }
        )
    }

    /// The jump target of a `jump`, `br` or `brnot`, or the handler of a `try`.
    pub fn target(&self) -> Option<Target> {
        match self {
            Op::Jump { target }
            | Op::BranchIf { target, .. }
            | Op::BranchIfNot { target, .. }
            | Op::TryBegin {
                handler: target, ..
            } => Some(*target),
            _ => None,
        }
    }

    /// The single registers the op reads or writes (its register range, if any, is
    /// [`Op::range`]), in operand order; unused slots are `None`.
    pub fn registers(&self) -> [Option<Reg>; 3] {
        use Op::*;
        match *self {
            LoadConst { dst, .. }
            | LoadUnit { dst }
            | LoadBool { dst, .. }
            | LoadInt { dst, .. }
            | LoadNone { dst }
            | MakeList { dst, .. }
            | MakeTuple { dst, .. }
            | MakeRecord { dst, .. }
            | MakeVariant { dst, .. }
            | Call { dst, .. }
            | FieldGet { dst, .. }
            | Effect { dst, .. }
            | EffectWithFunction { dst, .. }
            | Prim { dst, .. }
            | TryBegin { dst, .. } => [Some(dst), None, None],
            Move { dst, src }
            | Neg { dst, src }
            | Not { dst, src }
            | StrLen { dst, src }
            | TupleGet { dst, src, .. }
            | MakeSome { dst, src }
            | IsSome { dst, src }
            | Unwrap { dst, src }
            | TaggedGet { dst, src, .. }
            | IsVariant { dst, src, .. }
            | ListLen { dst, list: src }
            | ListHead { dst, list: src }
            | ListTail { dst, list: src }
            | ListIsEmpty { dst, list: src } => [Some(dst), Some(src), None],
            Add { dst, lhs, rhs }
            | Sub { dst, lhs, rhs }
            | Mul { dst, lhs, rhs }
            | Div { dst, lhs, rhs }
            | Rem { dst, lhs, rhs }
            | Eq { dst, lhs, rhs }
            | Ne { dst, lhs, rhs }
            | Lt { dst, lhs, rhs }
            | Le { dst, lhs, rhs }
            | Gt { dst, lhs, rhs }
            | Ge { dst, lhs, rhs }
            | And { dst, lhs, rhs }
            | Or { dst, lhs, rhs }
            | ListPush {
                dst,
                list: lhs,
                item: rhs,
            }
            | ListConcat { dst, lhs, rhs }
            | ListIndex {
                dst,
                list: lhs,
                index: rhs,
            }
            | ListCons {
                dst,
                head: lhs,
                tail: rhs,
            }
            | StrConcat { dst, lhs, rhs } => [Some(dst), Some(lhs), Some(rhs)],
            BranchIf { cond, .. } | BranchIfNot { cond, .. } => [Some(cond), None, None],
            Ret { src }
            | Print { src }
            | FieldSet { src, .. }
            | FailValue { src }
            | FailNoMatch { src } => [Some(src), None, None],
            Jump { .. } | TailCall { .. } | Fail { .. } | TryEnd => [None, None, None],
        }
    }

    /// The register range the op reads, if it has one.
    pub fn range(&self) -> Option<RegRange> {
        match *self {
            Op::MakeList { items, .. } | Op::MakeTuple { items, .. } => Some(items),
            Op::MakeRecord { fields, .. } => Some(fields),
            Op::MakeVariant { payload, .. } => Some(payload),
            Op::Call { args, .. }
            | Op::TailCall { args, .. }
            | Op::Effect { args, .. }
            | Op::EffectWithFunction { args, .. }
            | Op::Prim { args, .. } => Some(args),
            _ => None,
        }
    }

    /// The jump target (or `try` handler), mutably (used by the builder to patch labels).
    pub fn target_mut(&mut self) -> Option<&mut Target> {
        match self {
            Op::Jump { target }
            | Op::BranchIf { target, .. }
            | Op::BranchIfNot { target, .. }
            | Op::TryBegin {
                handler: target, ..
            } => Some(target),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_is_at_most_16_bytes() {
        assert!(size_of::<Op>() <= 16, "Op is {} bytes", size_of::<Op>());
    }

    #[test]
    fn range_end_does_not_overflow() {
        let range = RegRange::new(Reg(u16::MAX), u16::MAX);
        assert_eq!(range.end(), 2 * u32::from(u16::MAX));
        assert_eq!(range.regs().count(), 1);
    }
}

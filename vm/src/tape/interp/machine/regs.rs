//! Register-file helpers of the Tape machine: writing registers and opening frame windows.
//!
//! Takes register slots and values; produces the writes the dispatch loop needs without
//! calling the generic drop glue for plain values (integers, booleans, ids), and prepares a
//! new frame's window: the register file grown to cover it and exactly the registers the
//! function may read before writing (`LoadedFunction::clear`, from the load-time
//! definite-assignment analysis) set to `()`. Every other slot keeps whatever a dead frame
//! left there: no op of the function reads it before writing it.

use crate::tape::interp::image::LoadedFunction;
use crate::value::Val;
use std::rc::Rc;

/// Whether dropping `v` has nothing to do (no reference-counted payload).
#[inline(always)]
pub(super) fn is_plain(v: &Val) -> bool {
    matches!(
        v,
        Val::Unit
            | Val::Bool(_)
            | Val::Int(_)
            | Val::Nothing
            | Val::Object(_)
            | Val::Tx(_)
            | Val::FdVar(_)
    )
}

/// Stores `v` in a register; the old value is dropped only when it owns a payload, so the
/// common case (integers, booleans) needs no call into the generic drop glue.
#[inline(always)]
pub(super) fn put(slot: &mut Val, v: Val) {
    discard(std::mem::replace(slot, v));
}

/// Drops a value, calling the generic drop glue only when it owns a payload.
#[inline(always)]
fn discard(old: Val) {
    if is_plain(&old) {
        std::mem::forget(old);
    } else {
        drop(old);
    }
}

/// Stores an integer: in place when the register already holds one (one 8-byte store), else
/// through `put`. Separate from `put` so the hot arithmetic path does not build a `Val` in
/// memory first (which costs a store-forwarding stall on x86).
#[inline(always)]
pub(super) fn put_int(slot: &mut Val, i: i64) {
    match slot {
        Val::Int(x) => *x = i,
        _ => put(slot, Val::Int(i)),
    }
}

/// Stores a boolean, in place when the register already holds one (see `put_int`).
#[inline(always)]
pub(super) fn put_bool(slot: &mut Val, b: bool) {
    match slot {
        Val::Bool(x) => *x = b,
        _ => put(slot, Val::Bool(b)),
    }
}

/// Stores `just v` (`Some(v)`) or `nothing` (`None`). When the register holds a `just`
/// that nothing else shares (a loop calling an object again and again), its payload is
/// replaced in place instead of allocating a new one and freeing the old; else an unshared
/// `just` kept in `spare` (see [`put_keeping_just`]) is reused. No one can observe the
/// difference.
#[inline]
pub(super) fn put_option(slot: &mut Val, v: Option<Val>, spare: &mut Option<Rc<Val>>) {
    match v {
        Some(v) => {
            if let Val::Just(rc) = slot
                && let Some(inner) = Rc::get_mut(rc)
            {
                put(inner, v);
            } else if let Some(mut rc) = spare.take()
                && let Some(inner) = Rc::get_mut(&mut rc)
            {
                put(inner, v);
                put(slot, Val::Just(rc));
            } else {
                put(slot, Val::just(v));
            }
        }
        None => put(slot, Val::Nothing),
    }
}

/// Stores `v` in a register; an unshared `just` it overwrites goes to `spare` (for
/// `put_option`) instead of being freed.
#[inline]
pub(super) fn put_keeping_just(slot: &mut Val, v: Val, spare: &mut Option<Rc<Val>>) {
    match std::mem::replace(slot, v) {
        Val::Just(rc) if Rc::strong_count(&rc) == 1 && Rc::weak_count(&rc) == 0 => {
            *spare = Some(rc);
        }
        old => discard(old),
    }
}

/// Sets a register to `()`, dropping its old value only when it owns a payload.
#[inline(always)]
fn reset(slot: &mut Val) {
    if is_plain(slot) {
        std::mem::forget(std::mem::replace(slot, Val::Unit));
    } else {
        *slot = Val::Unit;
    }
}

/// Prepares the window `base .. base + f.registers` for a new frame of `f` whose first
/// `given` registers will receive the arguments: grows the register file to cover it and
/// sets to `()` every register the function may read before writing (missing parameters
/// and `f.clear`). Calls and returns move no values; the other slots keep dead values that
/// the function overwrites before reading.
#[inline(always)]
pub(super) fn open_window(regs: &mut Vec<Val>, base: usize, f: &LoadedFunction, given: usize) {
    let end = base + usize::from(f.registers);
    if regs.len() < end {
        regs.resize(end, Val::Unit);
    }
    for r in given..usize::from(f.params) {
        if let Some(slot) = regs.get_mut(base + r) {
            reset(slot);
        }
    }
    for &r in &f.clear {
        if let Some(slot) = regs.get_mut(base + usize::from(r)) {
            reset(slot);
        }
    }
}

/// Copies `regs[from]` to `regs[to]` (argument passing); an integer is copied in place.
#[inline(always)]
pub(super) fn copy_reg(regs: &mut [Val], from: usize, to: usize) {
    match regs[from] {
        Val::Int(i) => put_int(&mut regs[to], i),
        ref v => {
            let v = v.clone();
            put(&mut regs[to], v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_option_reuses_an_unshared_just_and_leaves_a_shared_one_alone() {
        let mut slot = Val::just(Val::Int(1));
        let before = match &slot {
            Val::Just(rc) => Rc::as_ptr(rc),
            _ => Rc::as_ptr(&Rc::new(Val::Unit)),
        };
        let mut spare = None;
        put_option(&mut slot, Some(Val::str("two")), &mut spare);
        assert_eq!(slot, Val::just(Val::str("two")));
        assert!(matches!(&slot, Val::Just(rc) if Rc::as_ptr(rc) == before));

        let shared = slot.clone();
        put_option(&mut slot, Some(Val::Int(3)), &mut spare);
        assert_eq!(slot, Val::just(Val::Int(3)));
        assert_eq!(shared, Val::just(Val::str("two")));

        put_option(&mut slot, None, &mut spare);
        assert_eq!(slot, Val::Nothing);
        put_option(&mut slot, Some(Val::Unit), &mut spare);
        assert_eq!(slot, Val::just(Val::Unit));
    }

    #[test]
    fn an_overwritten_unshared_just_is_reused_by_the_next_option() {
        let mut spare = None;
        let mut slot = Val::just(Val::Int(1));
        let before = match &slot {
            Val::Just(rc) => Rc::as_ptr(rc),
            _ => Rc::as_ptr(&Rc::new(Val::Unit)),
        };
        put_keeping_just(&mut slot, Val::Int(7), &mut spare);
        assert_eq!(slot, Val::Int(7));
        assert!(spare.is_some());
        put_option(&mut slot, Some(Val::Int(8)), &mut spare);
        assert_eq!(slot, Val::just(Val::Int(8)));
        assert!(matches!(&slot, Val::Just(rc) if Rc::as_ptr(rc) == before));
        assert!(spare.is_none());
        // A shared `just` is not kept: its other holder still sees it.
        let shared = slot.clone();
        put_keeping_just(&mut slot, Val::Unit, &mut spare);
        assert!(spare.is_none());
        assert_eq!(shared, Val::just(Val::Int(8)));
    }
}

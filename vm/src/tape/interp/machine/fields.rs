//! The fused state-field update of the Tape machine (`Code::FieldAdd`), out of the dispatch loop.
//!
//! Takes the interpreter, the world and the fused instruction; produces the three ops' effects
//! (`field.get`, `add`, `field.set`) through `isa::introspect::update_field`, counting their
//! steps and locating a failure at the op that fails. Kept out of line: inlined, its store
//! probe and transaction path made the loop's other hot paths (Tape calls) spill registers.

use super::Interp;
use super::regs::{put, put_int};
use crate::error::{AvmError, ExecError};
use crate::isa;
use crate::tape::interp::code::Code;
use crate::trace::EventType;
use crate::value::Val;
use crate::world::World;

impl Interp<'_> {
    /// Runs `instr` (a `Code::FieldAdd` at op index `at` of the frame at `base`; any other
    /// instruction does nothing): the steps of the ops run are added to `steps`, and `fault`
    /// is left at the op being run.
    #[inline(never)]
    pub(super) fn field_add(
        &mut self,
        world: &mut World,
        instr: &Code,
        base: usize,
        at: usize,
        steps: &mut u64,
        fault: &mut usize,
    ) -> Result<(), AvmError> {
        let Code::FieldAdd {
            field,
            got,
            lhs,
            rhs,
            dst,
        } = *instr
        else {
            return Ok(());
        };
        let (field, got, lhs, rhs, dst) = (
            usize::from(field),
            base + usize::from(got.0),
            base + usize::from(lhs.0),
            base + usize::from(rhs.0),
            base + usize::from(dst.0),
        );
        if !self.exec.txs.active() {
            // The integer path of `update_field` outside a transaction: one probe, the field
            // read, added and written as integers (no `Val` moved through a closure).
            let me = self.exec.ctx.self_id;
            let slot = world.store.field_mut(me, field)?;
            if let Val::Int(old) = *slot.get() {
                // A slice: its length stays in a register across the writes below, so the
                // bounds checks do not reload it from the `Vec`.
                let regs = self.regs.as_mut_slice();
                put_int(&mut regs[got], old);
                if let (Val::Int(a), Val::Int(b)) = (&regs[lhs], &regs[rhs])
                    && let Some(v) = a.checked_add(*b)
                {
                    put_int(&mut regs[dst], v);
                    slot.set(Val::Int(v));
                    world.committed(&[me])?;
                    // Both ops completed (the counters are written once, not per op).
                    *steps += 2;
                    *fault = at + 2;
                    self.exec
                        .log_with(world, false, || EventType::StateUpdated(me));
                    return Ok(());
                }
                // `field.get` completed; the `add` fails (an overflow or a non-integer
                // operand: `Val::checked_add` adds integers only) and nothing is written.
                *steps += 1;
                *fault = at + 1;
                return Err(add_error(&regs[lhs], &regs[rhs]));
            }
        }
        self.field_add_general(world, field, [got, lhs, rhs, dst], at, steps, fault)
    }

    /// `field_add` inside a transaction or on a field that does not hold an integer, through
    /// `isa::introspect::update_field` (registers `got`, `lhs`, `rhs`, `dst` as
    /// register-file indices). Out of line so the integer path needs fewer saved registers.
    #[inline(never)]
    fn field_add_general(
        &mut self,
        world: &mut World,
        field: usize,
        [got, lhs, rhs, dst]: [usize; 4],
        at: usize,
        steps: &mut u64,
        fault: &mut usize,
    ) -> Result<(), AvmError> {
        let regs = &mut self.regs;
        isa::introspect::update_field(&mut self.exec, world, field, |old| {
            put(&mut regs[got], old);
            *steps += 1;
            *fault = at + 1;
            let sum = if let (Val::Int(a), Val::Int(b)) = (&regs[lhs], &regs[rhs]) {
                let Some(v) = a.checked_add(*b) else {
                    return Err(overflow());
                };
                put_int(&mut regs[dst], v);
                Val::Int(v)
            } else {
                let v = regs[lhs].checked_add(&regs[rhs])?;
                put(&mut regs[dst], v.clone());
                v
            };
            *steps += 1;
            *fault = at + 2;
            Ok(sum)
        })
    }
}

/// The error of `lhs + rhs` when it has no integer result (overflow or a non-integer
/// operand), the same `Val::checked_add` gives.
#[cold]
#[inline(never)]
fn add_error(lhs: &Val, rhs: &Val) -> AvmError {
    match lhs.checked_add(rhs) {
        Err(e) => e.into(),
        // Unreachable (the caller saw no integer sum); reported as the overflow it implies.
        Ok(_) => overflow(),
    }
}

/// The error of an overflowing `+` (out of line: the hot path never builds it).
#[cold]
#[inline(never)]
fn overflow() -> AvmError {
    ExecError::IntegerOverflow { op: "+" }.into()
}

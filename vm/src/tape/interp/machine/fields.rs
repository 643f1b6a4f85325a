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
        let regs = &mut self.regs;
        isa::introspect::update_field(&mut self.exec, world, usize::from(field), |old| {
            put(&mut regs[base + usize::from(got.0)], old);
            *steps += 1;
            *fault = at + 1;
            let (l, r) = (base + usize::from(lhs.0), base + usize::from(rhs.0));
            let sum = if let (Val::Int(a), Val::Int(b)) = (&regs[l], &regs[r]) {
                let Some(v) = a.checked_add(*b) else {
                    return Err(ExecError::IntegerOverflow { op: "+" }.into());
                };
                put_int(&mut regs[base + usize::from(dst.0)], v);
                Val::Int(v)
            } else {
                let v = regs[l].checked_add(&regs[r])?;
                put(&mut regs[base + usize::from(dst.0)], v.clone());
                v
            };
            *steps += 1;
            *fault = at + 2;
            Ok(sum)
        })
    }
}

//! Pushing and popping frames of the Tape machine outside the dispatch loop's fast paths.
//!
//! Takes the interpreter state; produces new frames (entry, `callPure` targets, behaviour
//! dispatch functions of `fx.call`, tail calls) with their register windows prepared as
//! `regs::open_window` describes, and delivers returned values to the caller's register
//! (wrapping them in `some` for pure calls, through `isa::obj::call_exit` for behaviours).

use super::Interp;
use super::regs::{open_window, put, put_keeping_just, put_option};
use crate::error::{AvmError, ExecError, LimitError};
use crate::isa;
use crate::tape::interp::frame::{Frame, FrameKind};
use crate::tape::op::{Reg, RegRange};
use crate::value::Val;
use crate::world::World;
use std::rc::Rc;

impl Interp<'_> {
    /// Pushes a frame for `func` whose first registers are `args` (cloned); the registers
    /// it may read before writing are `()`.
    pub(super) fn push_frame(
        &mut self,
        func: u32,
        dst: Reg,
        kind: FrameKind,
        args: &[Val],
    ) -> Result<(), AvmError> {
        let base = self.reserve(func)?;
        self.finish_push(func, base, dst, kind, args);
        Ok(())
    }

    /// Checks the depth and register limits for a new frame of `func`; returns its base.
    #[inline]
    pub(super) fn reserve(&self, func: u32) -> Result<usize, AvmError> {
        self.reserve_at(func, self.top)
    }

    /// [`Interp::reserve`] for a window starting at `base` (a call site's window,
    /// `super::super::live`).
    #[inline]
    pub(super) fn reserve_at(&self, func: u32, base: usize) -> Result<usize, AvmError> {
        self.check_depth()?;
        self.check_registers(func, base)
    }

    /// Fails when one more frame would exceed the call-depth limit.
    #[inline(always)]
    fn check_depth(&self) -> Result<(), AvmError> {
        if self.frames.len() >= self.limits.max_call_depth {
            return Err(LimitError::CallDepthExceeded {
                max_depth: self.limits.max_call_depth,
            }
            .into());
        }
        Ok(())
    }

    /// Fails when a window of `func` at `base` would exceed the register limit; else `base`.
    #[inline(always)]
    fn check_registers(&self, func: u32, base: usize) -> Result<usize, AvmError> {
        let f = &self.image.functions[func as usize];
        let size = usize::from(f.registers);
        if base + size > self.reg_cap {
            return Err(self.register_error(base + size));
        }
        Ok(base)
    }

    /// The error for a window that would end at register-file index `end`: the register
    /// limit's, or the memory limit's when that is what leaves too little room.
    #[cold]
    pub(super) fn register_error(&self, end: usize) -> AvmError {
        if end > self.limits.max_registers {
            LimitError::RegisterLimitExceeded {
                max_registers: self.limits.max_registers,
            }
            .into()
        } else {
            LimitError::MemoryLimitExceeded {
                max_memory: self.limits.max_memory,
                needed: (end + self.restart_regs).saturating_mul(std::mem::size_of::<Val>()),
            }
            .into()
        }
    }

    /// Pushes the frame at `base` (checked by `reserve`) with `args` in its first registers.
    pub(super) fn finish_push(
        &mut self,
        func: u32,
        base: usize,
        dst: Reg,
        kind: FrameKind,
        args: &[Val],
    ) {
        self.open_frame(func, base, dst, kind, args.len());
        for (slot, v) in self.regs[base..].iter_mut().zip(args) {
            put(slot, v.clone());
        }
    }

    /// Pushes the frame at `base` (checked by `reserve`) whose first `given` registers the
    /// caller fills in.
    #[inline(always)]
    fn open_frame(&mut self, func: u32, base: usize, dst: Reg, kind: FrameKind, given: usize) {
        let f = &self.image.functions[func as usize];
        let size = usize::from(f.registers);
        crate::budget::charge(size);
        open_window(&mut self.regs, base, f, given);
        self.top = base + size;
        self.frames.push(Frame {
            func,
            pc: 0,
            // The register limit is far below u32::MAX in any practical configuration; a base
            // that does not fit saturates and the frame's register accesses fail the bounds
            // check of the register file (an error path the limits make unreachable).
            base: u32::try_from(base).unwrap_or(u32::MAX),
            dst: dst.0,
            kind,
        });
    }

    /// `tail @f, args`: the current frame becomes `func`'s, with the arguments in `r0..`.
    pub(super) fn tail_call(
        &mut self,
        func: u32,
        base: usize,
        args: RegRange,
    ) -> Result<(), AvmError> {
        let f = &self.image.functions[func as usize];
        let size = usize::from(f.registers);
        if base + size > self.reg_cap {
            return Err(self.register_error(base + size));
        }
        crate::budget::charge(size);
        let start = base + usize::from(args.start.0);
        let len = usize::from(args.len);
        if start != base {
            // Forward swaps move each argument down to its slot; a source is never overwritten
            // before it is moved because every destination lies below its source.
            for i in 0..len {
                self.regs.swap(base + i, start + i);
            }
        }
        open_window(&mut self.regs, base, f, len);
        self.top = base + size;
        if let Some(top) = self.frames.last_mut() {
            top.func = func;
            top.pc = 0;
        }
        Ok(())
    }

    /// Sets `top` to the end of the (new) top frame's window after a pop.
    fn restore_top(&mut self) {
        if let Some(caller) = self.frames.last() {
            let f = &self.image.functions[caller.func as usize];
            self.top = caller.base as usize + usize::from(f.registers);
        }
    }

    /// Pops the returning frame and delivers `v`; `Some(value)` when the entry returned.
    pub(super) fn ret(&mut self, world: &mut World, v: Val) -> Result<Option<Val>, AvmError> {
        self.before_pop();
        let Some(frame) = self.frames.pop() else {
            return Ok(Some(v));
        };
        self.restore_top();
        let delivered = match frame.kind {
            FrameKind::Main => return Ok(Some(v)),
            FrameKind::Function => v,
            FrameKind::Pure => Val::just(v),
            FrameKind::Behaviour => match self.saved_calls.pop() {
                Some(saved) => isa::obj::call_exit(&mut self.exec, world, saved, &v)?,
                None => v,
            },
            FrameKind::Scry => match self.scry_next(v, frame.dst)? {
                Some(list) => list,
                None => return Ok(None),
            },
        };
        if let Some(caller) = self.frames.last() {
            let slot = caller.base as usize + usize::from(frame.dst);
            put(&mut self.regs[slot], delivered);
        }
        Ok(None)
    }

    /// `list items; ret` at the end of a behaviour's dispatch frame (the top frame; its saved
    /// call is the top of the saved-call stack): pops the frame and delivers
    /// `isa::obj::call_exit_outputs` of `regs[s .. s + len]`, as `ret` does with the list.
    /// Returns the caller's frame (where the loop continues), `None` if there is none.
    pub(super) fn ret_behaviour_outputs(
        &mut self,
        world: &mut World,
        s: usize,
        len: usize,
    ) -> Result<Option<Frame>, AvmError> {
        self.before_pop();
        let Some(saved) = self.saved_calls.pop() else {
            return Ok(self.frames.last().copied());
        };
        let Some(frame) = self.frames.pop() else {
            return Ok(None);
        };
        let caller = self.frames.last().copied();
        if let Some(c) = caller {
            let f = &self.image.functions[c.func as usize];
            self.top = c.base as usize + usize::from(f.registers);
        }
        let outputs = &self.regs[s..s + len];
        let result = isa::obj::call_exit_result(&mut self.exec, world, saved, outputs)?;
        if let Some(c) = caller {
            let slot = c.base as usize + usize::from(frame.dst);
            put_option(&mut self.regs[slot], result, &mut self.spare_just);
        }
        Ok(caller)
    }

    /// `fx.call oid, input -> dst` (arguments at register-file index `s`): enters the
    /// callee's context and pushes its dispatch function with the input in `r0`, its window
    /// at register-file index `window` (the call site's, `super::super::live`). Returns the
    /// pushed frame's function and base (where the loop continues, at pc 0).
    pub(super) fn object_call(
        &mut self,
        world: &mut World,
        s: usize,
        dst: Reg,
        window: usize,
    ) -> Result<(u32, usize), AvmError> {
        let target = self.regs[s].as_object()?;
        let input = self.regs[s + 1].clone_inline();
        self.check_depth()?;
        world.touch(target)?;
        let call =
            isa::obj::call_enter(&mut self.exec, world, target, input, &mut self.saved_calls)?;
        let behaviour = call.name();
        let dispatch = match &self.last_behaviour {
            Some((name, dispatch)) if Rc::ptr_eq(name, behaviour) => *dispatch,
            _ => {
                let Some(dispatch) = self.image.dispatch_of(behaviour) else {
                    return Err(ExecError::UnknownBehaviour(behaviour.clone()).into());
                };
                self.last_behaviour = Some((behaviour.clone(), dispatch));
                dispatch
            }
        };
        // The depth was checked before entering (nothing pushed a frame since).
        let base = self.check_registers(dispatch, window)?;
        self.open_frame(dispatch, base, dst, FrameKind::Behaviour, 1);
        let input = self.exec.ctx.input.clone_inline();
        // The window may overlap the call's `dst` (dead until the call returns): the `some`
        // a previous call left there is kept for this call's result.
        put_keeping_just(&mut self.regs[base], input, &mut self.spare_just);
        Ok((dispatch, base))
    }

    /// `fx.callPure name, args -> dst`: `Some(none)` when the name is unknown or the arity
    /// differs (the value to write at once), `None` when the function's frame was pushed.
    pub(super) fn call_pure(
        &mut self,
        world: &World,
        s: usize,
        dst: Reg,
    ) -> Result<Option<Val>, AvmError> {
        let name = self.regs[s].as_str()?.clone();
        let args = self.regs[s + 1].clone();
        let args = args.as_list()?;
        let Some(target) = isa::pure::call_pure_target(&self.exec, world, &name) else {
            return Ok(Some(Val::Nothing));
        };
        let Some(func) = self.image.function_named(&target) else {
            return Err(ExecError::UnknownFunction(target).into());
        };
        if usize::from(self.image.functions[func.0 as usize].params) != args.len() {
            return Ok(Some(Val::Nothing));
        }
        self.push_frame(func.0, dst, FrameKind::Pure, &args.to_vec())?;
        Ok(None)
    }
}

//! The Tape register machine: the dispatch loop, calls and returns.
//!
//! Takes a loaded [`Image`], a `World` and a [`RunConfig`]; produces a resumable [`Interp`]
//! whose `run_slice` executes ops until the entry returns, an error ends the run, the fuel
//! runs out or the slice's step budget is used, and whose `finish` gives the ITree
//! interpreter's `RunResult`. All registers live in one `Vec<Val>`; a frame is a window
//! `base .. base + registers` of it. Frames are on a heap `Vec`, so Tape-to-Tape and
//! object-to-object call depth is bounded only by `Limits::max_call_depth`. A call copies its
//! argument range into the callee's window (no allocation beyond the register file's growth);
//! `ret` moves the returned value out before the window is dropped. Effects go through the
//! same `crate::isa` functions as the ITree interpreter.

mod catch;
mod fault;

use super::data;
use super::effects::{pure_registry_effect, simple_effect};
use super::frame::{Frame, FrameKind, Limits, RunConfig, ScryKind, ScryState};
use super::image::Image;
use crate::error::{AvmError, ExecError, LimitError};
use crate::exec::Execution;
use crate::isa::nondet::CommitCheck;
use crate::isa::{self, Safety};
use crate::itree::{RunResult, Status};
use crate::srcloc::Backtrace;
use crate::tape::effect::EffectKind;
use crate::tape::op::{Op, Reg, RegRange};
use crate::trace::EventType;
use crate::value::Val;
use crate::world::World;
use std::cmp::Ordering;
use std::rc::Rc;

/// Whether dropping `v` has nothing to do (no reference-counted payload).
#[inline(always)]
fn is_plain(v: &Val) -> bool {
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
fn put(slot: &mut Val, v: Val) {
    let old = std::mem::replace(slot, v);
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
fn put_int(slot: &mut Val, i: i64) {
    match slot {
        Val::Int(x) => *x = i,
        _ => put(slot, Val::Int(i)),
    }
}

/// Stores a boolean, in place when the register already holds one (see `put_int`).
#[inline(always)]
fn put_bool(slot: &mut Val, b: bool) {
    match slot {
        Val::Bool(x) => *x = b,
        _ => put(slot, Val::Bool(b)),
    }
}

/// Makes `regs[from..to]` a fresh window tail: every register `()`. Slots beyond the live
/// top keep dead values until a frame reuses them, so calls and returns move no values.
#[inline(always)]
fn clear_window(regs: &mut Vec<Val>, from: usize, to: usize) {
    let existing = to.min(regs.len());
    if let Some(slots) = regs.get_mut(from..existing) {
        for slot in slots {
            if is_plain(slot) {
                std::mem::forget(std::mem::replace(slot, Val::Unit));
            } else {
                *slot = Val::Unit;
            }
        }
    }
    let extra = to.saturating_sub(regs.len());
    regs.extend((0..extra).map(|_| Val::Unit));
}

/// Why the loop stopped without an error.
enum Exit {
    /// The entry returned this value.
    Done(Val),
    /// The slice's step budget is used; the run can continue.
    Paused,
}

/// A resumable run of a loaded Tape program.
pub struct Interp<'p> {
    image: &'p Image,
    /// The execution state (context, transactions, trace).
    pub exec: Execution,
    /// The register file; `regs[..top]` are the live frames' windows, the rest is dead.
    regs: Vec<Val>,
    top: usize,
    frames: Vec<Frame>,
    saved_calls: Vec<isa::obj::SavedCall>,
    scrys: Vec<ScryState>,
    steps: u64,
    limits: Limits,
    outcome: Option<Result<Val, AvmError>>,
    /// One restart point per open transaction, outermost first (`isa::nondet`).
    restarts: Vec<Restart>,
    /// Open catch scopes (`try`), innermost last.
    catches: Vec<catch::CatchScope>,
    /// Where the run failed (set when an error ends it).
    backtrace: Backtrace,
}

/// The machine just after a `beginTx` (its result already stored, the pc past it), for
/// re-running the transaction with other choices.
struct Restart {
    regs: Vec<Val>,
    frames: Vec<Frame>,
    saved_calls: Vec<isa::obj::SavedCall>,
    catches: Vec<catch::CatchScope>,
}

/// Runs a loaded program to completion.
pub fn run(image: &Image, world: &mut World, config: &RunConfig) -> RunResult {
    let mut it = Interp::new(image, world, config);
    while it.run_slice(world, u64::MAX) == Status::Running {}
    it.finish()
}

impl<'p> Interp<'p> {
    /// Prepares a run positioned at the entry function's first op.
    pub fn new(image: &'p Image, world: &mut World, config: &RunConfig) -> Self {
        let mut it = Interp {
            image,
            exec: Execution::new(
                config.machine.clone(),
                config.self_id,
                config.input.clone(),
                config.trace_mode,
            ),
            regs: Vec::new(),
            top: 0,
            frames: Vec::new(),
            saved_calls: Vec::new(),
            scrys: Vec::new(),
            steps: 0,
            limits: config.limits,
            outcome: None,
            restarts: Vec::new(),
            catches: Vec::new(),
            backtrace: Backtrace::default(),
        };
        if let Err(e) = it.push_frame(image.entry, Reg(0), FrameKind::Main, &[]) {
            it.fail(world, e);
        }
        it
    }

    /// Interpreter steps (ops) executed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Live frames (the call depth).
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Runs at most `max_steps` ops.
    pub fn run_slice(&mut self, world: &mut World, max_steps: u64) -> Status {
        if self.outcome.is_some() || self.frames.is_empty() {
            return Status::Finished;
        }
        let stop = self.steps.saturating_add(max_steps);
        let mut steps = self.steps;
        let mut fault = 0;
        let result = loop {
            match self.exec_loop(world, stop, &mut steps, &mut fault) {
                Err(e) if catch::catchable(&e) && self.catch(world) => {}
                other => break other,
            }
        };
        self.steps = steps;
        match result {
            Ok(Exit::Paused) => Status::Running,
            Ok(Exit::Done(v)) => {
                self.outcome = Some(Ok(v));
                Status::Finished
            }
            Err(e) => {
                self.backtrace = self.backtrace_at(fault);
                self.fail(world, e);
                Status::Finished
            }
        }
    }

    /// The result (call after `run_slice` returned `Finished`; an unfinished run reports
    /// `OutOfFuel` with the steps taken so far, as the ITree interpreter does).
    pub fn finish(self) -> RunResult {
        let outcome = self
            .outcome
            .unwrap_or(Err(LimitError::OutOfFuel { fuel: self.steps }.into()));
        RunResult {
            outcome,
            trace: self.exec.trace,
            steps: self.steps,
            final_context: self.exec.ctx,
            backtrace: self.backtrace,
        }
    }

    fn fail(&mut self, world: &mut World, e: AvmError) {
        self.exec
            .log_with(world, true, || EventType::ErrorOccurred(e.clone()));
        self.outcome = Some(Err(e));
        self.catches.clear();
        self.frames.clear();
        self.regs.clear();
        self.top = 0;
    }

    /// Pushes a frame for `func` whose first registers are `args` (cloned), the rest `()`.
    fn push_frame(
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
    fn reserve(&self, func: u32) -> Result<usize, AvmError> {
        if self.frames.len() >= self.limits.max_call_depth {
            return Err(LimitError::CallDepthExceeded {
                max_depth: self.limits.max_call_depth,
            }
            .into());
        }
        let base = self.top;
        let size = usize::from(self.function_registers(func));
        if base + size > self.limits.max_registers {
            return Err(LimitError::RegisterLimitExceeded {
                max_registers: self.limits.max_registers,
            }
            .into());
        }
        Ok(base)
    }

    /// Pushes the frame at `base` (checked by `reserve`) with `args` in its first registers.
    fn finish_push(&mut self, func: u32, base: usize, dst: Reg, kind: FrameKind, args: &[Val]) {
        let size = usize::from(self.function_registers(func));
        clear_window(&mut self.regs, base, base + size);
        for (slot, v) in self.regs[base..].iter_mut().zip(args) {
            put(slot, v.clone());
        }
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

    #[inline]
    fn function_registers(&self, func: u32) -> u16 {
        self.image.functions[func as usize].registers
    }

    /// The main loop. Every index it uses was checked by the verifier when the image was
    /// loaded (registers below the frame size, targets and function indices in range, no path
    /// past the end of a function), so the indexing below cannot fail on a loaded program.
    /// `fault` is kept at the index of the op being run in the innermost frame, so that an
    /// error can be located (`fault.rs`).
    fn exec_loop(
        &mut self,
        world: &mut World,
        stop: u64,
        steps: &mut u64,
        fault: &mut usize,
    ) -> Result<Exit, AvmError> {
        let image = self.image;
        let fuel = self.limits.fuel;
        let limit = stop.min(fuel);
        let Some(&top) = self.frames.last() else {
            return Ok(Exit::Paused);
        };
        let mut function = &image.functions[top.func as usize];
        let mut ops: &'p [Op] = &function.ops;
        let mut pc = top.pc as usize;
        let mut base = top.base as usize;
        *fault = pc;

        macro_rules! r {
            ($reg:expr) => {
                self.regs[base + usize::from($reg.0)]
            };
        }
        macro_rules! set {
            ($reg:expr, $v:expr) => {{
                let v = $v;
                put(&mut self.regs[base + usize::from($reg.0)], v);
            }};
        }
        macro_rules! set_int {
            ($reg:expr, $v:expr) => {{
                let v = $v;
                put_int(&mut self.regs[base + usize::from($reg.0)], v);
            }};
        }
        macro_rules! set_bool {
            ($reg:expr, $v:expr) => {{
                let v = $v;
                put_bool(&mut self.regs[base + usize::from($reg.0)], v);
            }};
        }
        macro_rules! save_pc {
            () => {
                if let Some(f) = self.frames.last_mut() {
                    f.pc = u32::try_from(pc).unwrap_or(u32::MAX);
                }
            };
        }
        macro_rules! reload {
            () => {{
                let Some(&top) = self.frames.last() else {
                    return Ok(Exit::Paused);
                };
                function = &image.functions[top.func as usize];
                ops = &function.ops;
                pc = top.pc as usize;
                base = top.base as usize;
            }};
        }
        macro_rules! cmp {
            ($dst:expr, $lhs:expr, $rhs:expr, $test:expr) => {{
                let ord = match (&r!($lhs), &r!($rhs)) {
                    (Val::Int(a), Val::Int(b)) => a.cmp(b),
                    (a, b) => a.compare(b)?,
                };
                set_bool!($dst, $test(ord));
            }};
        }

        loop {
            if *steps >= limit {
                save_pc!();
                if *steps >= fuel {
                    return Err(LimitError::OutOfFuel { fuel }.into());
                }
                return Ok(Exit::Paused);
            }
            *steps += 1;
            let at = pc;
            *fault = at;
            pc += 1;
            match ops[at] {
                Op::LoadConst { dst, idx } => set!(dst, image.constants[idx.0 as usize].clone()),
                Op::LoadUnit { dst } => set!(dst, Val::Unit),
                Op::LoadBool { dst, value } => set_bool!(dst, value),
                Op::LoadInt { dst, value } => set_int!(dst, i64::from(value)),
                Op::Move { dst, src } => set!(dst, r!(src).clone()),
                Op::Add { dst, lhs, rhs } => {
                    if let (Val::Int(a), Val::Int(b)) = (&r!(lhs), &r!(rhs)) {
                        match a.checked_add(*b) {
                            Some(v) => set_int!(dst, v),
                            None => return Err(ExecError::IntegerOverflow { op: "+" }.into()),
                        }
                    } else {
                        let v = r!(lhs).checked_add(&r!(rhs))?;
                        set!(dst, v);
                    }
                }
                Op::Sub { dst, lhs, rhs } => {
                    if let (Val::Int(a), Val::Int(b)) = (&r!(lhs), &r!(rhs)) {
                        match a.checked_sub(*b) {
                            Some(v) => set_int!(dst, v),
                            None => return Err(ExecError::IntegerOverflow { op: "-" }.into()),
                        }
                    } else {
                        let v = r!(lhs).checked_sub(&r!(rhs))?;
                        set!(dst, v);
                    }
                }
                Op::Mul { dst, lhs, rhs } => set!(dst, r!(lhs).checked_mul(&r!(rhs))?),
                Op::Div { dst, lhs, rhs } => set!(dst, r!(lhs).checked_div(&r!(rhs))?),
                Op::Rem { dst, lhs, rhs } => set!(dst, r!(lhs).checked_rem(&r!(rhs))?),
                Op::Neg { dst, src } => set!(dst, r!(src).checked_neg()?),
                Op::Eq { dst, lhs, rhs } => set_bool!(dst, r!(lhs) == r!(rhs)),
                Op::Ne { dst, lhs, rhs } => set_bool!(dst, r!(lhs) != r!(rhs)),
                Op::Lt { dst, lhs, rhs } => {
                    let v = match (&r!(lhs), &r!(rhs)) {
                        (Val::Int(a), Val::Int(b)) => a < b,
                        (a, b) => a.compare(b)? == Ordering::Less,
                    };
                    set_bool!(dst, v);
                }
                Op::Le { dst, lhs, rhs } => cmp!(dst, lhs, rhs, |o| o != Ordering::Greater),
                Op::Gt { dst, lhs, rhs } => cmp!(dst, lhs, rhs, |o| o == Ordering::Greater),
                Op::Ge { dst, lhs, rhs } => cmp!(dst, lhs, rhs, |o| o != Ordering::Less),
                Op::Not { dst, src } => set!(dst, Val::Bool(!r!(src).as_bool()?)),
                Op::And { dst, lhs, rhs } => {
                    set!(dst, Val::Bool(r!(lhs).as_bool()? && r!(rhs).as_bool()?));
                }
                Op::Or { dst, lhs, rhs } => {
                    set!(dst, Val::Bool(r!(lhs).as_bool()? || r!(rhs).as_bool()?));
                }
                Op::MakeList { dst, items } => {
                    let s = base + usize::from(items.start.0);
                    let v = Val::List(Rc::from(&self.regs[s..s + usize::from(items.len)]));
                    set!(dst, v);
                }
                Op::ListPush { dst, list, item } => {
                    set!(dst, data::list_push(&r!(list), &r!(item))?)
                }
                Op::ListConcat { dst, lhs, rhs } => {
                    set!(dst, data::list_concat(&r!(lhs), &r!(rhs))?);
                }
                Op::ListLen { dst, list } => set!(dst, data::list_len(&r!(list))?),
                Op::ListIndex { dst, list, index } => {
                    set!(dst, data::list_index(&r!(list), &r!(index))?);
                }
                Op::ListCons { dst, head, tail } => {
                    set!(dst, data::list_cons(&r!(head), &r!(tail))?)
                }
                Op::ListHead { dst, list } => set!(dst, data::list_head(&r!(list))?),
                Op::ListTail { dst, list } => set!(dst, data::list_tail(&r!(list))?),
                Op::ListIsEmpty { dst, list } => set!(dst, data::list_is_empty(&r!(list))?),
                Op::StrConcat { dst, lhs, rhs } => {
                    set!(dst, data::str_concat(&r!(lhs), &r!(rhs))?);
                }
                Op::StrLen { dst, src } => set!(dst, data::str_len(&r!(src))?),
                Op::MakeTuple { dst, items } => {
                    let s = base + usize::from(items.start.0);
                    let v = Val::Tuple(Rc::from(&self.regs[s..s + usize::from(items.len)]));
                    set!(dst, v);
                }
                Op::TupleGet { dst, src, index } => set!(dst, data::tuple_get(&r!(src), index)?),
                Op::MakeSome { dst, src } => set!(dst, Val::just(r!(src).clone())),
                Op::LoadNone { dst } => set!(dst, Val::Nothing),
                Op::IsSome { dst, src } => set!(dst, data::is_some(&r!(src))?),
                Op::Unwrap { dst, src } => set!(dst, data::unwrap(&r!(src))?),
                Op::MakeRecord { dst, name, fields } => {
                    let s = base + usize::from(fields.start.0);
                    let v = data::make_record(
                        &image.strings[name.0 as usize],
                        &image.field_names,
                        &self.regs[s..s + usize::from(fields.len)],
                    );
                    set!(dst, v);
                }
                Op::MakeVariant {
                    dst,
                    enum_name,
                    variant,
                    payload,
                } => {
                    let s = base + usize::from(payload.start.0);
                    let v = data::make_variant(
                        &image.strings[enum_name.0 as usize],
                        &image.strings[variant.0 as usize],
                        &self.regs[s..s + usize::from(payload.len)],
                    );
                    set!(dst, v);
                }
                Op::TaggedGet { dst, src, index } => set!(dst, data::tagged_get(&r!(src), index)?),
                Op::IsVariant {
                    dst,
                    src,
                    enum_name,
                    variant,
                } => {
                    let v = data::is_variant(
                        &r!(src),
                        &image.strings[enum_name.0 as usize],
                        &image.strings[variant.0 as usize],
                    );
                    set!(dst, v);
                }
                Op::Jump { target } => pc = target.0 as usize,
                Op::BranchIf { cond, target } => {
                    if r!(cond).as_bool()? {
                        pc = target.0 as usize;
                    }
                }
                Op::BranchIfNot { cond, target } => {
                    if !r!(cond).as_bool()? {
                        pc = target.0 as usize;
                    }
                }
                Op::Call { dst, func, args } => {
                    // The hot path of Tape-to-Tape calls, inlined: check the limits, copy the
                    // arguments into the new window, fill the rest with `()`.
                    save_pc!();
                    let callee = &image.functions[func.0 as usize];
                    let new_base = self.top;
                    let size = usize::from(callee.registers);
                    if self.frames.len() >= self.limits.max_call_depth {
                        return Err(LimitError::CallDepthExceeded {
                            max_depth: self.limits.max_call_depth,
                        }
                        .into());
                    }
                    if new_base + size > self.limits.max_registers {
                        return Err(LimitError::RegisterLimitExceeded {
                            max_registers: self.limits.max_registers,
                        }
                        .into());
                    }
                    let len = usize::from(args.len);
                    clear_window(&mut self.regs, new_base + len, new_base + size);
                    let start = base + usize::from(args.start.0);
                    for i in 0..len {
                        let v = self.regs[start + i].clone();
                        put(&mut self.regs[new_base + i], v);
                    }
                    self.top = new_base + size;
                    self.frames.push(Frame {
                        func: func.0,
                        pc: 0,
                        base: u32::try_from(new_base).unwrap_or(u32::MAX),
                        dst: dst.0,
                        kind: FrameKind::Function,
                    });
                    function = callee;
                    ops = &function.ops;
                    pc = 0;
                    base = new_base;
                }
                Op::TailCall { func, args } => {
                    self.tail_call(func.0, base, args)?;
                    reload!();
                }
                Op::Ret { src } => {
                    let v = std::mem::replace(&mut r!(src), Val::Unit);
                    // Fast path: a Tape function returning to its Tape caller.
                    if let [.., caller, callee] = self.frames[..]
                        && callee.kind == FrameKind::Function
                    {
                        self.frames.pop();
                        self.top = base;
                        base = caller.base as usize;
                        put(&mut self.regs[base + usize::from(callee.dst)], v);
                        function = &image.functions[caller.func as usize];
                        ops = &function.ops;
                        pc = caller.pc as usize;
                        continue;
                    }
                    let returned = match self.ret(world, v) {
                        Ok(returned) => returned,
                        Err(e) => {
                            // The frame is gone: the failure is at the caller's call op.
                            *fault = self
                                .frames
                                .last()
                                .map_or(0, |f| (f.pc as usize).saturating_sub(1));
                            return Err(e);
                        }
                    };
                    if let Some(done) = returned {
                        return Ok(Exit::Done(done));
                    }
                    reload!();
                }
                Op::Fail { message } => {
                    return Err(ExecError::Failed(Val::Str(
                        image.strings[message.0 as usize].clone(),
                    ))
                    .into());
                }
                Op::FailValue { src } => {
                    return Err(ExecError::Failed(r!(src).clone()).into());
                }
                Op::FailNoMatch { src } => {
                    return Err(ExecError::NoMatchingArm {
                        value: r!(src).clone(),
                    }
                    .into());
                }
                Op::TryBegin { handler, dst } => self.open_catch(handler.0, dst),
                Op::TryEnd => {
                    self.catches.pop();
                }
                Op::Prim { kind, args, dst } => {
                    let s = base + usize::from(args.start.0);
                    let v =
                        crate::tape::prim::apply(kind, &self.regs[s..s + usize::from(args.len)])?;
                    set!(dst, v);
                }
                Op::Print { src } => {
                    let v = r!(src).clone();
                    self.exec.log(world, EventType::Output(v));
                }
                Op::FieldGet { dst, field } => {
                    let v = isa::introspect::get_field(&mut self.exec, world, usize::from(field))?;
                    set!(dst, v);
                }
                Op::FieldSet { field, src } => {
                    let v = r!(src).clone();
                    isa::introspect::set_field(&mut self.exec, world, usize::from(field), v)?;
                }
                Op::Effect { kind, args, dst } => {
                    let s = base + usize::from(args.start.0);
                    match kind {
                        EffectKind::Call => {
                            save_pc!();
                            self.object_call(world, s, dst)?;
                            reload!();
                        }
                        EffectKind::CallPure => {
                            save_pc!();
                            if let Some(v) = self.call_pure(world, s, dst)? {
                                set!(dst, v);
                            } else {
                                reload!();
                            }
                        }
                        EffectKind::CommitTx | EffectKind::CommitOrAbort => {
                            // Nondeterminism: a run whose requirements failed is re-run with
                            // the next choices from its `beginTx` (`isa::nondet`), for both
                            // commit forms (as the ITree interpreter does).
                            let id = self.regs[s].as_tx()?;
                            if isa::nondet::check_commit(&mut self.exec, world, id)?
                                == CommitCheck::Retry
                            {
                                self.restart_tx()?;
                                reload!();
                            } else {
                                let committed = if kind == EffectKind::CommitTx {
                                    isa::tx::commit(&mut self.exec, world, id)?
                                } else {
                                    isa::tx::commit_or_abort(&mut self.exec, world, id)?
                                };
                                let v = Val::Bool(committed);
                                self.restarts.truncate(self.exec.txs.savepoints.len());
                                set!(dst, v);
                            }
                        }
                        _ => {
                            let v = simple_effect(
                                image,
                                &mut self.exec,
                                world,
                                function.safety,
                                kind,
                                &self.regs[s..s + usize::from(args.len)],
                            )?;
                            set!(dst, v);
                            match kind {
                                EffectKind::BeginTx => {
                                    save_pc!();
                                    self.save_restart();
                                }
                                EffectKind::AbortTx => {
                                    self.restarts.truncate(self.exec.txs.savepoints.len());
                                }
                                _ => {}
                            }
                        }
                    }
                }
                Op::EffectWithFunction {
                    kind,
                    func,
                    args,
                    dst,
                } => {
                    let s = base + usize::from(args.start.0);
                    match kind {
                        EffectKind::ScryMeta | EffectKind::ScryDeep => {
                            save_pc!();
                            if let Some(v) = self.scry(world, kind, func.0, function.safety, dst)? {
                                set!(dst, v);
                            } else {
                                reload!();
                            }
                        }
                        _ => {
                            let v = pure_registry_effect(
                                image,
                                &mut self.exec,
                                world,
                                function.safety,
                                kind,
                                func.0,
                                &self.regs[s..s + usize::from(args.len)],
                            )?;
                            set!(dst, v);
                        }
                    }
                }
            }
        }
    }

    /// `tail @f, args`: the current frame becomes `func`'s, with the arguments in `r0..`.
    fn tail_call(&mut self, func: u32, base: usize, args: RegRange) -> Result<(), AvmError> {
        let size = usize::from(self.function_registers(func));
        if base + size > self.limits.max_registers {
            return Err(LimitError::RegisterLimitExceeded {
                max_registers: self.limits.max_registers,
            }
            .into());
        }
        let start = base + usize::from(args.start.0);
        let len = usize::from(args.len);
        if start != base {
            // Forward swaps move each argument down to its slot; a source is never overwritten
            // before it is moved because every destination lies below its source.
            for i in 0..len {
                self.regs.swap(base + i, start + i);
            }
        }
        clear_window(&mut self.regs, base + len, base + size);
        self.top = base + size;
        if let Some(top) = self.frames.last_mut() {
            top.func = func;
            top.pc = 0;
        }
        Ok(())
    }

    /// Pops the returning frame and delivers `v`; `Some(value)` when the entry returned.
    fn ret(&mut self, world: &mut World, v: Val) -> Result<Option<Val>, AvmError> {
        let Some(frame) = self.frames.pop() else {
            return Ok(Some(v));
        };
        self.top = frame.base as usize;
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

    /// `fx.call oid, input -> dst` (arguments at register-file index `s`): enters the
    /// callee's context and pushes its dispatch function with the input in `r0`.
    fn object_call(&mut self, world: &mut World, s: usize, dst: Reg) -> Result<(), AvmError> {
        let target = self.regs[s].as_object()?;
        let input = self.regs[s + 1].clone();
        if self.frames.len() >= self.limits.max_call_depth {
            return Err(LimitError::CallDepthExceeded {
                max_depth: self.limits.max_call_depth,
            }
            .into());
        }
        let call = isa::obj::call_enter(&mut self.exec, world, target, input)?;
        let Some(dispatch) = self.image.dispatch_of(&call.behaviour) else {
            return Err(ExecError::UnknownBehaviour(call.behaviour).into());
        };
        let base = self.reserve(dispatch)?;
        let input = [self.exec.ctx.input.clone()];
        self.finish_push(dispatch, base, dst, FrameKind::Behaviour, &input);
        self.saved_calls.push(call.saved);
        Ok(())
    }

    /// `fx.callPure name, args -> dst`: `Some(none)` when the name is unknown or the arity
    /// differs (the value to write at once), `None` when the function's frame was pushed.
    fn call_pure(&mut self, world: &World, s: usize, dst: Reg) -> Result<Option<Val>, AvmError> {
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
        self.push_frame(func.0, dst, FrameKind::Pure, args)?;
        Ok(None)
    }

    /// `fx.scryMeta` / `fx.scryDeep`: lists the candidates and runs the predicate on the
    /// first; `Some([])` at once when there are none.
    fn scry(
        &mut self,
        world: &World,
        kind: EffectKind,
        predicate: u32,
        safety: Safety,
        dst: Reg,
    ) -> Result<Option<Val>, AvmError> {
        let scry_kind = if kind == EffectKind::ScryDeep {
            ScryKind::Deep
        } else {
            ScryKind::Meta
        };
        let candidates = isa::reflect::scry_candidates(world, safety, kind.name())?;
        if candidates.is_empty() {
            return Ok(Some(Val::list(Vec::new())));
        }
        self.scrys.push(ScryState {
            kind: scry_kind,
            predicate,
            candidates,
            next: 0,
            kept: Vec::new(),
        });
        self.push_predicate(dst)?;
        Ok(None)
    }

    /// Pushes the predicate frame for the current candidate of the innermost scry.
    fn push_predicate(&mut self, dst: Reg) -> Result<(), AvmError> {
        let Some(state) = self.scrys.last() else {
            return Ok(());
        };
        let Some(c) = state.candidates.get(state.next) else {
            return Ok(());
        };
        let predicate = state.predicate;
        let meta = c.meta.to_val();
        match state.kind {
            ScryKind::Meta => self.push_frame(predicate, dst, FrameKind::Scry, &[meta]),
            ScryKind::Deep => {
                let behaviour = Val::Str(c.behaviour.clone());
                self.push_frame(predicate, dst, FrameKind::Scry, &[behaviour, meta])
            }
        }
    }

    /// A predicate returned `keep`: records the candidate if kept, then runs the next
    /// predicate (`None`) or finishes the scry with the kept items (`Some(list)`).
    fn scry_next(&mut self, keep: Val, dst: u16) -> Result<Option<Val>, AvmError> {
        let keep = keep.as_bool()?;
        let Some(state) = self.scrys.last_mut() else {
            return Ok(Some(Val::list(Vec::new())));
        };
        if keep && let Some(c) = state.candidates.get(state.next) {
            state.kept.push(match state.kind {
                ScryKind::Meta => isa::reflect::scry_meta_item(c),
                ScryKind::Deep => isa::reflect::scry_deep_item(c),
            });
        }
        state.next += 1;
        if state.next < state.candidates.len() {
            self.push_predicate(Reg(dst))?;
            return Ok(None);
        }
        let kept = self.scrys.pop().map(|s| s.kept).unwrap_or_default();
        Ok(Some(Val::list(kept)))
    }
}

impl Interp<'_> {
    /// Saves the machine after a successful `beginTx` (the caller saved the pc).
    fn save_restart(&mut self) {
        let open = self.exec.txs.savepoints.len();
        self.restarts.truncate(open.saturating_sub(1));
        self.restarts.push(Restart {
            regs: self.regs[..self.top].to_vec(),
            frames: self.frames.clone(),
            saved_calls: self.saved_calls.clone(),
            catches: self.catches.clone(),
        });
    }

    /// Puts the machine back to the innermost transaction's `beginTx` (`isa::nondet` has reset
    /// the execution state and set up the next choices); the caller reloads the frame.
    fn restart_tx(&mut self) -> Result<(), AvmError> {
        self.restarts.truncate(self.exec.txs.savepoints.len());
        let Some(r) = self.restarts.last() else {
            return Err(ExecError::Failed(Val::str("no restart point for the transaction")).into());
        };
        self.top = r.regs.len();
        for (slot, v) in self.regs.iter_mut().zip(r.regs.iter()) {
            put(slot, v.clone());
        }
        self.frames.clone_from(&r.frames);
        self.saved_calls.clone_from(&r.saved_calls);
        self.catches.clone_from(&r.catches);
        Ok(())
    }
}

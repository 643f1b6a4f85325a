//! The Tape register machine: the dispatch loop, calls and returns.
//!
//! Takes a loaded [`Image`], a `World` and a `RunConfig`; produces a resumable [`Interp`]
//! whose `run_slice` executes ops until the entry returns, an error ends the run, the fuel
//! runs out or the slice's step budget is used, and whose `finish` gives the ITree
//! interpreter's `RunResult`. All registers live in one `Vec<Val>`; a frame is a window
//! `base .. base + registers` of it. Frames are on a heap `Vec`, so Tape-to-Tape and
//! object-to-object call depth is bounded only by `Limits::max_call_depth`. A call copies its
//! argument range into the callee's window (no allocation beyond the register file's growth);
//! `ret` moves the returned value out before the window is dropped. Effects go through the
//! same `crate::isa` functions as the ITree interpreter. The loop runs a function's loaded
//! `code` (ops with load-time superinstructions, `super::code`); frame pushes outside the
//! loop's fast paths are in `frames`, the fused state-field update in `fields`, scry in
//! `scry`, transaction restarts in `restart`, register writes and window preparation in `regs`,
//! starting and finishing a run in `setup`.

mod catch;
mod fault;
mod fields;
mod frames;
mod regs;
mod restart;
mod scry;
mod setup;

use super::code::{ArithImm, Code, MAX_FUSED};
use super::data;
use super::effects::{pure_registry_effect, simple_effect};
use super::frame::{Frame, FrameKind, Limits, ScryState};
use super::image::Image;
use crate::error::{AvmError, ExecError, LimitError};
use crate::exec::Execution;
use crate::isa;
use crate::isa::nondet::CommitCheck;
use crate::itree::Status;
use crate::srcloc::Backtrace;
use crate::tape::effect::EffectKind;
use crate::tape::op::Op;
use crate::trace::EventType;
use crate::value::Val;
use crate::world::World;
use regs::{copy_reg, open_window, put, put_bool, put_int};
use restart::Restart;
use std::cmp::Ordering;
use std::rc::Rc;

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
    /// The register file; `regs[..top]` holds the live frames' windows (an `fx.call`
    /// dispatch window may overlap its caller's registers that are dead after the call,
    /// `super::live`), the rest is dead.
    regs: Vec<Val>,
    /// The end of the top frame's window: where a frame pushed outside a call site starts.
    top: usize,
    frames: Vec<Frame>,
    saved_calls: Vec<isa::obj::SavedCall>,
    scrys: Vec<ScryState>,
    steps: u64,
    limits: Limits,
    outcome: Option<Result<Val, AvmError>>,
    /// One restart point per open transaction, outermost first (`isa::nondet`).
    restarts: Vec<Restart>,
    /// The register file's extent the frames may reach: the register limit, or less when
    /// the memory limit and the restart points' register copies leave less room
    /// (`restart::set_register_cap`).
    reg_cap: usize,
    /// Registers the open restart points hold copies of.
    restart_regs: usize,
    /// With open restart points, a return that leaves fewer frames than this may pop a frame
    /// a restart point shares (`restart::before_pop`); 0 without.
    pop_guard: usize,
    /// Open catch scopes (`try`), innermost last.
    catches: Vec<catch::CatchScope>,
    /// Where the run failed (set when an error ends it).
    backtrace: Backtrace,
    /// The behaviour of the last `fx.call` and its dispatch function: a loop calling the
    /// same object (or objects created together) finds it by one pointer comparison.
    last_behaviour: Option<(Rc<str>, u32)>,
    /// An unshared `some(..)` cell a call's window overwrote, reused for the next `fx.call`
    /// result (`regs::put_option`).
    spare_just: Option<Rc<Val>>,
}

pub use setup::{Buffers, run, run_with_buffers};

impl<'p> Interp<'p> {
    /// Runs at most `max_steps` ops.
    pub fn run_slice(&mut self, world: &mut World, max_steps: u64) -> Status {
        if self.outcome.is_some() || self.frames.is_empty() {
            return Status::Finished;
        }
        crate::budget::set_memory_limit(self.limits.max_memory);
        let _ = crate::budget::take_work();
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

    fn fail(&mut self, world: &mut World, e: AvmError) {
        self.exec
            .log_with(world, true, || EventType::ErrorOccurred(e.clone()));
        self.outcome = Some(Err(e));
        self.catches.clear();
        self.frames.clear();
        self.regs.clear();
        self.top = 0;
    }

    /// The main loop. Every index it uses was checked by the verifier when the image was
    /// loaded (registers below the frame size, targets and function indices in range, no path
    /// past the end of a function), so the indexing below cannot fail on a loaded program.
    /// `fault` is kept at the index of the op being run in the innermost frame, so that an
    /// error can be located (`fault.rs`).
    #[inline(always)]
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
        let mut code: &'p [Code] = &function.code;
        // Below `fast`, the budget left covers the longest fused instruction; from there on,
        // the loop runs plain ops so that fuel and slices end on the same op as without
        // fusion.
        let fast = limit.saturating_sub(MAX_FUSED - 1);
        let mut plain;
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
                code = &function.code;
                pc = top.pc as usize;
                base = top.base as usize;
            }};
        }
        // Adds the work a value operation charged (`crate::budget`) to the step count.
        macro_rules! charge {
            () => {
                *steps += crate::budget::take_work()
            };
        }
        macro_rules! cmp {
            ($dst:expr, $lhs:expr, $rhs:expr, $test:expr) => {{
                let ord = match (&r!($lhs), &r!($rhs)) {
                    (Val::Int(a), Val::Int(b)) => a.cmp(b),
                    (a, b) => {
                        let o = a.compare(b)?;
                        charge!();
                        o
                    }
                };
                set_bool!($dst, $test(ord));
            }};
        }

        loop {
            let at = pc;
            let instr = if *steps < fast {
                &code[at]
            } else {
                if *steps >= limit {
                    save_pc!();
                    if *steps >= fuel {
                        return Err(LimitError::OutOfFuel { fuel }.into());
                    }
                    return Ok(Exit::Paused);
                }
                plain = Code::Op(function.ops[at]);
                &plain
            };
            *steps += 1;
            *fault = at;
            pc += 1;
            // Superinstructions (`super::code`): the ops they stand for, in order, each
            // counted as a step before it runs (as the plain loop does).
            let op = match *instr {
                Code::Op(op) => op,
                Code::CmpImmBranch {
                    k,
                    x,
                    c,
                    cmp,
                    when,
                    imm,
                    target,
                } => {
                    set_int!(k, i64::from(imm));
                    *steps += 1;
                    let holds = match r!(x) {
                        Val::Int(a) => cmp.holds(a.cmp(&i64::from(imm))),
                        ref a => cmp.eval(a, &r!(k))?,
                    };
                    set_bool!(c, holds);
                    *steps += 1;
                    pc = if when.jumps(holds) {
                        target as usize
                    } else {
                        at + 3
                    };
                    continue;
                }
                Code::CmpBranch {
                    lhs,
                    rhs,
                    c,
                    cmp,
                    when,
                    target,
                } => {
                    let holds = cmp.eval(&r!(lhs), &r!(rhs))?;
                    set_bool!(c, holds);
                    *steps += 1;
                    pc = if when.jumps(holds) {
                        target as usize
                    } else {
                        at + 2
                    };
                    continue;
                }
                Code::ArithImm { k, x, dst, op, imm } => {
                    set_int!(k, i64::from(imm));
                    *steps += 1;
                    pc = at + 2;
                    let b = i64::from(imm);
                    if let Val::Int(a) = r!(x) {
                        let (v, name) = match op {
                            ArithImm::Add => (a.checked_add(b), "+"),
                            ArithImm::Sub => (a.checked_sub(b), "-"),
                        };
                        match v {
                            Some(v) => set_int!(dst, v),
                            None => return Err(ExecError::IntegerOverflow { op: name }.into()),
                        }
                    } else {
                        let v = match op {
                            ArithImm::Add => r!(x).checked_add(&r!(k))?,
                            ArithImm::Sub => r!(x).checked_sub(&r!(k))?,
                        };
                        set!(dst, v);
                    }
                    continue;
                }
                Code::ArithJump {
                    lhs,
                    rhs,
                    dst,
                    op,
                    target,
                } => {
                    if let (Val::Int(a), Val::Int(b)) = (&r!(lhs), &r!(rhs)) {
                        let (v, name) = match op {
                            ArithImm::Add => (a.checked_add(*b), "+"),
                            ArithImm::Sub => (a.checked_sub(*b), "-"),
                        };
                        match v {
                            Some(v) => set_int!(dst, v),
                            None => return Err(ExecError::IntegerOverflow { op: name }.into()),
                        }
                    } else {
                        let v = match op {
                            ArithImm::Add => r!(lhs).checked_add(&r!(rhs))?,
                            ArithImm::Sub => r!(lhs).checked_sub(&r!(rhs))?,
                        };
                        set!(dst, v);
                    }
                    *steps += 1;
                    pc = target as usize;
                    continue;
                }
                Code::ListRet { dst, items } => {
                    if self.frames.last().map(|f| f.kind) == Some(FrameKind::Behaviour)
                        && !self.saved_calls.is_empty()
                    {
                        *steps += 1;
                        let s = base + usize::from(items.start.0);
                        let Some(caller) =
                            self.ret_behaviour_outputs(world, s, usize::from(items.len))?
                        else {
                            return Ok(Exit::Paused);
                        };
                        function = &image.functions[caller.func as usize];
                        code = &function.code;
                        pc = caller.pc as usize;
                        base = caller.base as usize;
                        continue;
                    }
                    Op::MakeList { dst, items }
                }
                Code::ObjCall { args, dst, window } => {
                    save_pc!();
                    let s = base + usize::from(args.0);
                    let window = base + usize::from(window);
                    let (func, new_base) = self.object_call(world, s, dst, window)?;
                    function = &image.functions[func as usize];
                    code = &function.code;
                    pc = 0;
                    base = new_base;
                    continue;
                }
                Code::SelfId { dst } => {
                    set!(dst, Val::Object(isa::introspect::self_id(&self.exec)));
                    continue;
                }
                Code::FieldAdd { .. } => {
                    self.field_add(world, instr, base, at, steps, fault)?;
                    pc = at + 3;
                    continue;
                }
            };
            match op {
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
                Op::Eq { dst, lhs, rhs } => {
                    set_bool!(dst, r!(lhs).equals(&r!(rhs)));
                    charge!();
                }
                Op::Ne { dst, lhs, rhs } => {
                    set_bool!(dst, !r!(lhs).equals(&r!(rhs)));
                    charge!();
                }
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
                    let v = Val::list(self.regs[s..s + usize::from(items.len)].to_vec());
                    set!(dst, v);
                }
                Op::ListPush { dst, list, item } => {
                    set!(dst, data::list_push(&r!(list), &r!(item))?);
                    charge!();
                }
                Op::ListConcat { dst, lhs, rhs } => {
                    set!(dst, data::list_concat(&r!(lhs), &r!(rhs))?);
                    charge!();
                }
                Op::ListLen { dst, list } => set!(dst, data::list_len(&r!(list))?),
                Op::ListIndex { dst, list, index } => {
                    set!(dst, data::list_index(&r!(list), &r!(index))?);
                }
                Op::ListCons { dst, head, tail } => {
                    set!(dst, data::list_cons(&r!(head), &r!(tail))?);
                    charge!();
                }
                Op::ListHead { dst, list } => set!(dst, data::list_head(&r!(list))?),
                Op::ListTail { dst, list } => {
                    set!(dst, data::list_tail(&r!(list))?);
                    charge!();
                }
                Op::ListIsEmpty { dst, list } => set!(dst, data::list_is_empty(&r!(list))?),
                Op::StrConcat { dst, lhs, rhs } => {
                    set!(dst, data::str_concat(&r!(lhs), &r!(rhs))?);
                    charge!();
                }
                Op::StrLen { dst, src } => {
                    set!(dst, data::str_len(&r!(src))?);
                    charge!();
                }
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
                    // The hot path of Tape-to-Tape calls, inlined: check the limits, open the
                    // new window, copy the arguments into it.
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
                    if new_base + size > self.reg_cap {
                        return Err(self.register_error(new_base + size));
                    }
                    // Opening the window touches its registers (`crate::budget`).
                    *steps += (size / crate::budget::UNITS_PER_STEP) as u64;
                    let len = usize::from(args.len);
                    open_window(&mut self.regs, new_base, callee, len);
                    let start = base + usize::from(args.start.0);
                    for i in 0..len {
                        copy_reg(&mut self.regs, start + i, new_base + i);
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
                    code = &function.code;
                    pc = 0;
                    base = new_base;
                }
                Op::TailCall { func, args } => {
                    self.tail_call(func.0, base, args)?;
                    charge!();
                    reload!();
                }
                Op::Ret { src } => {
                    // Fast path: a Tape function returning to its Tape caller.
                    if let [.., caller, callee] = self.frames[..]
                        && callee.kind == FrameKind::Function
                        && self.frames.len() >= self.pop_guard
                    {
                        // A `call` frame starts at its caller's window end.
                        self.frames.pop();
                        self.top = base;
                        let from = base + usize::from(src.0);
                        base = caller.base as usize;
                        let to = base + usize::from(callee.dst);
                        if let Val::Int(i) = self.regs[from] {
                            put_int(&mut self.regs[to], i);
                        } else {
                            let v = std::mem::replace(&mut self.regs[from], Val::Unit);
                            put(&mut self.regs[to], v);
                        }
                        function = &image.functions[caller.func as usize];
                        code = &function.code;
                        pc = caller.pc as usize;
                        continue;
                    }
                    let v = std::mem::replace(&mut r!(src), Val::Unit);
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
                    self.before_catch_pop();
                    self.catches.pop();
                }
                Op::Prim { kind, args, dst } => {
                    let s = base + usize::from(args.start.0);
                    let v =
                        crate::tape::prim::apply(kind, &self.regs[s..s + usize::from(args.len)])?;
                    set!(dst, v);
                    charge!();
                }
                Op::Print { src } => {
                    let v = r!(src).clone();
                    crate::budget::charge(v.top_size());
                    charge!();
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
                            let window = base + usize::from(function.call_window[at]);
                            let (func, new_base) = self.object_call(world, s, dst, window)?;
                            charge!();
                            function = &image.functions[func as usize];
                            code = &function.code;
                            pc = 0;
                            base = new_base;
                        }
                        EffectKind::CallPure => {
                            save_pc!();
                            if let Some(v) = self.call_pure(world, s, dst)? {
                                set!(dst, v);
                            } else {
                                charge!();
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
                                self.drop_closed_restarts();
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
                                    self.save_restart()?;
                                }
                                EffectKind::AbortTx => {
                                    self.drop_closed_restarts();
                                }
                                _ => {}
                            }
                            charge!();
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
}

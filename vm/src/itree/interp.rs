//! The reference interpreter for ITree programs.
//!
//! Takes a `Program`, a `World` and a `RunConfig`, and produces a `RunResult` (the value or the
//! error, the trace up to the end or the failure, the step count). Frames live on the heap: a
//! continuation stack of `Bind` continuations and activation `Frame`s, so object-to-object call
//! depth is bounded only by `Limits::max_call_depth` (an error, never a crash). A function call in
//! tail position reuses its frame, so tail-recursive loops run in constant space. Every
//! instruction is executed by the shared semantics in `crate::isa`. `Interp::run_slice` runs a
//! bounded number of steps, so tests can interleave several executions against one world.

use crate::error::{AvmError, ExecError, LimitError};
use crate::exec::{Context, Execution};
use crate::ids::{MachineId, ObjectId};
use crate::isa::nondet::CommitCheck;
use crate::isa::{self, Safety};
use crate::itree::eval::Env;
use crate::itree::term::{FnKind, Instr, Name, Program, Term};
use crate::srcloc::{Backtrace, SrcLoc};
use crate::trace::{EventType, Trace, TraceMode};
use crate::value::Val;
use crate::world::World;
use smallvec::SmallVec;

/// Runtime limits of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of interpreter steps (`u64::MAX` = unlimited).
    pub fuel: u64,
    /// Maximum number of live activation frames (behaviour calls, function calls, the entry).
    pub max_call_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: u64::MAX,
            max_call_depth: 10_000_000,
        }
    }
}

/// How to start a run.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The machine the entry runs on.
    pub machine: MachineId,
    /// The top-level pseudo-object's id (`self` of the entry).
    pub self_id: ObjectId,
    /// The entry's input.
    pub input: Val,
    /// Fuel and depth limits.
    pub limits: Limits,
    /// Whether to record the trace.
    pub trace_mode: TraceMode,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            machine: MachineId::new("m0"),
            self_id: ObjectId(u64::MAX),
            input: Val::Unit,
            limits: Limits::default(),
            trace_mode: TraceMode::On,
        }
    }
}

/// The result of a run.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// The entry's value, or the error that ended the run.
    pub outcome: Result<Val, AvmError>,
    /// The trace (up to the failure, with a final `ErrorOccurred`, if the run failed).
    pub trace: Trace,
    /// Interpreter steps taken.
    pub steps: u64,
    /// The frame context at the end (the entry's, if the run finished normally).
    pub final_context: Context,
    /// Where the run failed (empty when it did not, or when the program has no source
    /// locations). The ITree interpreter records the innermost `Term::At` only; the Tape
    /// interpreter adds the call sites of the failing frame's callers.
    pub backtrace: Backtrace,
}

/// Whether a run is still going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// More steps to run.
    Running,
    /// Finished (successfully or not).
    Finished,
}

#[derive(Clone)]
enum FrameKind {
    Main,
    Function,
    Pure,
    /// A behaviour call; its saved caller context is on `Interp::saved_calls`.
    Behaviour,
}

#[derive(Clone)]
enum Kont<'p> {
    Bind {
        name: &'p Name,
        rest: &'p Term,
        env_len: usize,
    },
    Frame {
        kind: FrameKind,
        caller_base: usize,
        caller_safety: Safety,
        caller_purity: FnKind,
    },
    /// A `Term::Try` in progress: what to restore when its body fails.
    Try(Box<TryScope<'p>>),
}

/// The state at the start of a `Term::Try` body.
#[derive(Clone)]
struct TryScope<'p> {
    name: &'p Name,
    rest: &'p Term,
    env_len: usize,
    env_base: usize,
    saved_calls: usize,
    open_txs: usize,
    depth: usize,
    safety: Safety,
    purity: FnKind,
    ctx: Context,
    /// The source location at the `Try` (restored with the rest of the state).
    loc: Option<SrcLoc>,
}

/// The interpreter's continuation just after a `beginTx` (for re-running the transaction with
/// other choices, `isa::nondet`).
struct Restart<'p> {
    env: Env,
    konts: Vec<Kont<'p>>,
    saved_calls: Vec<isa::obj::SavedCall>,
    rest: &'p Term,
    depth: usize,
    safety: Safety,
    purity: FnKind,
    loc: Option<SrcLoc>,
}

enum Cur<'p> {
    Eval(&'p Term),
    Return(Val),
}

/// A resumable run of a program.
pub struct Interp<'p> {
    program: &'p Program,
    /// The execution state (context, transactions, trace).
    pub exec: Execution,
    env: Env,
    konts: Vec<Kont<'p>>,
    saved_calls: Vec<isa::obj::SavedCall>,
    cur: Option<Cur<'p>>,
    depth: usize,
    steps: u64,
    limits: Limits,
    safety: Safety,
    purity: FnKind,
    outcome: Option<Result<Val, AvmError>>,
    /// One restart point per open transaction, outermost first.
    restarts: Vec<Restart<'p>>,
    /// The location of the innermost `Term::At` entered (for error reports).
    loc: Option<SrcLoc>,
}

/// Runs a program to completion.
pub fn run(program: &Program, world: &mut World, config: &RunConfig) -> RunResult {
    let mut it = Interp::new(program, world, config);
    while it.run_slice(world, u64::MAX) == Status::Running {}
    it.finish()
}

impl<'p> Interp<'p> {
    /// Prepares a run: installs the program's initial pure-function registry entries that the
    /// world does not have yet, and positions at the entry term.
    pub fn new(program: &'p Program, world: &mut World, config: &RunConfig) -> Self {
        for (name, function) in &program.pure_registry {
            if world.pure.get(name).is_none() {
                // Cannot fail: the name was just checked to be free.
                let _ = world.pure.register(name.clone(), function.clone());
            }
        }
        Interp {
            program,
            exec: Execution::new(
                config.machine.clone(),
                config.self_id,
                config.input.clone(),
                config.trace_mode,
            ),
            env: Env::default(),
            konts: vec![Kont::Frame {
                kind: FrameKind::Main,
                caller_base: 0,
                caller_safety: program.main_safety,
                caller_purity: FnKind::Plain,
            }],
            saved_calls: Vec::new(),
            cur: Some(Cur::Eval(&program.main)),
            depth: 1,
            steps: 0,
            limits: config.limits,
            safety: program.main_safety,
            purity: FnKind::Plain,
            outcome: None,
            restarts: Vec::new(),
            loc: None,
        }
    }

    /// Runs at most `max_steps` steps.
    pub fn run_slice(&mut self, world: &mut World, max_steps: u64) -> Status {
        let Some(mut cur) = self.cur.take() else {
            return Status::Finished;
        };
        let start = self.steps;
        loop {
            let budget = max_steps.saturating_sub(self.steps - start);
            match self.run_loop(world, cur, budget) {
                Ok(Some(next)) => {
                    self.cur = Some(next);
                    return Status::Running;
                }
                Ok(None) => return Status::Finished,
                Err(e) => {
                    if catchable(&e)
                        && let Some(next) = self.catch(world)
                    {
                        cur = next;
                        continue;
                    }
                    self.exec
                        .log_with(world, true, || EventType::ErrorOccurred(e.clone()));
                    self.outcome = Some(Err(e));
                    return Status::Finished;
                }
            }
        }
    }

    /// Unwinds to the innermost `Term::Try`: aborts the transactions its body left open,
    /// restores its frame and context and continues with `none`. `None` when no `Try` is
    /// active.
    fn catch(&mut self, world: &mut World) -> Option<Cur<'p>> {
        let at = self.konts.iter().rposition(|k| matches!(k, Kont::Try(_)))?;
        let Some(Kont::Try(scope)) = self.konts.drain(at..).next() else {
            return None;
        };
        while self.exec.txs.savepoints.len() > scope.open_txs {
            let id = self.exec.txs.top().map(|sp| sp.id)?;
            if isa::tx::abort(&mut self.exec, world, id).is_err() {
                break;
            }
        }
        self.restarts.truncate(self.exec.txs.savepoints.len());
        self.saved_calls.truncate(scope.saved_calls);
        self.env.vars.truncate(scope.env_len);
        self.env.base = scope.env_base;
        self.depth = scope.depth;
        self.safety = scope.safety;
        self.purity = scope.purity;
        self.exec.ctx = scope.ctx;
        self.loc = scope.loc;
        self.env.push(scope.name.clone(), Val::Nothing);
        Some(Cur::Eval(scope.rest))
    }

    /// Saves the continuation after a successful `beginTx` (its result already bound).
    fn save_restart(&mut self, rest: &'p Term) {
        self.restarts
            .truncate(self.exec.txs.savepoints.len().saturating_sub(1));
        self.restarts.push(Restart {
            env: self.env.clone(),
            konts: self.konts.clone(),
            saved_calls: self.saved_calls.clone(),
            rest,
            depth: self.depth,
            safety: self.safety,
            purity: self.purity,
            loc: self.loc,
        });
    }

    /// Resumes the innermost transaction's body from its `beginTx` (`isa::nondet` has already
    /// reset the execution state and set up the next choices).
    fn restart_tx(&mut self) -> Result<Cur<'p>, AvmError> {
        self.restarts.truncate(self.exec.txs.savepoints.len());
        let Some(r) = self.restarts.last() else {
            return Err(ExecError::Failed(Val::str("no restart point for the transaction")).into());
        };
        self.env = r.env.clone();
        self.konts = r.konts.clone();
        self.saved_calls = r.saved_calls.clone();
        self.depth = r.depth;
        self.safety = r.safety;
        self.purity = r.purity;
        self.loc = r.loc;
        Ok(Cur::Eval(r.rest))
    }

    /// The hot loop: `cur` stays in a local; returns the next position when the budget runs out,
    /// `None` when the program finished.
    fn run_loop(
        &mut self,
        world: &mut World,
        mut cur: Cur<'p>,
        max_steps: u64,
    ) -> Result<Option<Cur<'p>>, AvmError> {
        let fuel_left = self.limits.fuel.saturating_sub(self.steps);
        let budget = max_steps.min(fuel_left);
        let mut taken = 0u64;
        let result = loop {
            if taken == budget {
                break Ok(Some(cur));
            }
            taken += 1;
            let next = match cur {
                Cur::Eval(term) => self.eval_term(world, term),
                Cur::Return(v) => match self.ret(world, v) {
                    Ok(Some(c)) => Ok(c),
                    Ok(None) => break Ok(None),
                    Err(e) => Err(e),
                },
            };
            match next {
                Ok(c) => cur = c,
                Err(e) => break Err(e),
            }
        };
        self.steps += taken;
        match result {
            Ok(Some(c)) if self.steps >= self.limits.fuel => {
                drop(c);
                Err(LimitError::OutOfFuel {
                    fuel: self.limits.fuel,
                }
                .into())
            }
            other => other,
        }
    }

    /// The result (call after `run_slice` returned `Finished`; an unfinished run reports
    /// `OutOfFuel` with the steps taken so far).
    pub fn finish(self) -> RunResult {
        let outcome = self
            .outcome
            .unwrap_or(Err(LimitError::OutOfFuel { fuel: self.steps }.into()));
        let backtrace = match (&outcome, self.loc) {
            (Err(_), Some(loc)) => Backtrace::from_locations(std::iter::once(loc)),
            _ => Backtrace::default(),
        };
        RunResult {
            outcome,
            trace: self.exec.trace,
            steps: self.steps,
            final_context: self.exec.ctx,
            backtrace,
        }
    }

    fn push_frame(&mut self, kind: FrameKind) -> Result<(), AvmError> {
        if self.depth >= self.limits.max_call_depth {
            return Err(LimitError::CallDepthExceeded {
                max_depth: self.limits.max_call_depth,
            }
            .into());
        }
        self.konts.push(Kont::Frame {
            kind,
            caller_base: self.env.base,
            caller_safety: self.safety,
            caller_purity: self.purity,
        });
        self.env.base = self.env.vars.len();
        self.depth += 1;
        Ok(())
    }

    fn ret(&mut self, world: &mut World, v: Val) -> Result<Option<Cur<'p>>, AvmError> {
        match self.konts.pop() {
            None => {
                self.outcome = Some(Ok(v));
                Ok(None)
            }
            Some(Kont::Bind {
                name,
                rest,
                env_len,
            }) => {
                self.env.vars.truncate(env_len);
                self.env.push(name.clone(), v);
                Ok(Some(Cur::Eval(rest)))
            }
            Some(Kont::Try(scope)) => {
                self.env.vars.truncate(scope.env_len);
                self.env.push(scope.name.clone(), Val::just(v));
                Ok(Some(Cur::Eval(scope.rest)))
            }
            Some(Kont::Frame {
                kind,
                caller_base,
                caller_safety,
                caller_purity,
            }) => {
                self.env.vars.truncate(self.env.base);
                self.env.base = caller_base;
                self.safety = caller_safety;
                self.purity = caller_purity;
                self.depth -= 1;
                match kind {
                    FrameKind::Main => {
                        self.outcome = Some(Ok(v));
                        Ok(None)
                    }
                    FrameKind::Function => Ok(Some(Cur::Return(v))),
                    FrameKind::Pure => Ok(Some(Cur::Return(Val::just(v)))),
                    FrameKind::Behaviour => {
                        let Some(saved) = self.saved_calls.pop() else {
                            // Every Behaviour frame pushes one saved call; a missing one would be
                            // an interpreter bug, reported as an error rather than a panic.
                            return Err(ExecError::Failed(Val::str(
                                "internal: call frame without saved context",
                            ))
                            .into());
                        };
                        let r = isa::obj::call_exit(&mut self.exec, world, saved, &v)?;
                        Ok(Some(Cur::Return(r)))
                    }
                }
            }
        }
    }

    fn eval_term(&mut self, world: &mut World, term: &'p Term) -> Result<Cur<'p>, AvmError> {
        match term {
            Term::Ret(e) => Ok(Cur::Return(self.env.eval(e)?)),
            Term::Tau(t) => Ok(Cur::Eval(t)),
            Term::Let { name, value, rest } => {
                let v = self.env.eval(value)?;
                self.env.push(name.clone(), v);
                Ok(Cur::Eval(rest))
            }
            Term::If {
                cond,
                then_branch,
                else_branch,
            } => {
                if self.env.eval(cond)?.as_bool()? {
                    Ok(Cur::Eval(then_branch))
                } else {
                    Ok(Cur::Eval(else_branch))
                }
            }
            Term::Match { scrutinee, arms } => {
                let v = self.env.eval(scrutinee)?;
                for arm in arms {
                    let mark = self.env.vars.len();
                    if self.env.bind_pattern(&arm.pattern, &v) {
                        let pass = match &arm.guard {
                            None => true,
                            Some(g) => self.env.eval(g)?.as_bool()?,
                        };
                        if pass {
                            return Ok(Cur::Eval(&arm.body));
                        }
                        self.env.vars.truncate(mark);
                    }
                }
                Err(ExecError::NoMatchingArm { value: v }.into())
            }
            Term::Bind { first, name, rest } => {
                self.konts.push(Kont::Bind {
                    name,
                    rest,
                    env_len: self.env.vars.len(),
                });
                Ok(Cur::Eval(first))
            }
            Term::Fail(e) => Err(ExecError::Failed(self.env.eval(e)?).into()),
            Term::Try { body, name, rest } => {
                self.konts.push(Kont::Try(Box::new(TryScope {
                    name,
                    rest,
                    env_len: self.env.vars.len(),
                    env_base: self.env.base,
                    saved_calls: self.saved_calls.len(),
                    open_txs: self.exec.txs.savepoints.len(),
                    depth: self.depth,
                    safety: self.safety,
                    purity: self.purity,
                    ctx: self.exec.ctx.clone(),
                    loc: self.loc,
                })));
                Ok(Cur::Eval(body))
            }
            Term::Call { function, args } => {
                let program = self.program;
                let Some(f) = program.functions.get(function) else {
                    return Err(ExecError::UnknownFunction(function.clone()).into());
                };
                if f.params.len() != args.len() {
                    return Err(ExecError::ArityMismatch {
                        function: function.clone(),
                        expected: f.params.len(),
                        found: args.len(),
                    }
                    .into());
                }
                let mut vals: SmallVec<[Val; 4]> = SmallVec::new();
                for a in args {
                    vals.push(self.env.eval(a)?);
                }
                let tail = matches!(
                    self.konts.last(),
                    Some(Kont::Frame {
                        kind: FrameKind::Function | FrameKind::Pure,
                        ..
                    })
                );
                if tail {
                    self.env.vars.truncate(self.env.base);
                } else {
                    self.push_frame(FrameKind::Function)?;
                }
                for (p, v) in f.params.iter().zip(vals) {
                    self.env.push(p.clone(), v);
                }
                self.safety = f.safety;
                if f.kind == FnKind::Pure {
                    self.purity = FnKind::Pure;
                }
                Ok(Cur::Eval(&f.body))
            }
            Term::Instr { instr, bind, rest } => self.exec_instr(world, instr, bind, rest),
            Term::At { loc, body } => {
                // No step of its own: the marked term runs in this step (nested marks are
                // unwrapped in a loop, so the host stack does not grow).
                self.loc = Some(*loc);
                let mut body: &'p Term = body;
                while let Term::At { loc, body: inner } = body {
                    self.loc = Some(*loc);
                    body = inner;
                }
                self.eval_term(world, body)
            }
        }
    }

    fn exec_instr(
        &mut self,
        world: &mut World,
        instr: &'p Instr,
        bind: &'p Name,
        rest: &'p Term,
    ) -> Result<Cur<'p>, AvmError> {
        if self.purity == FnKind::Pure {
            return Err(ExecError::EffectInPureFunction {
                instruction: instr_name(instr),
            }
            .into());
        }
        let program = self.program;
        let exec = &mut self.exec;
        let env = &self.env;
        let v = match instr {
            Instr::Call(target, input) => {
                let target = env.eval(target)?.as_object()?;
                let input = env.eval(input)?;
                if self.depth >= self.limits.max_call_depth {
                    return Err(LimitError::CallDepthExceeded {
                        max_depth: self.limits.max_call_depth,
                    }
                    .into());
                }
                let t = isa::obj::call_enter(exec, world, target, input)?;
                let Some(b) = program.behaviours.get(&t.behaviour) else {
                    return Err(ExecError::UnknownBehaviour(t.behaviour).into());
                };
                self.konts.push(Kont::Bind {
                    name: bind,
                    rest,
                    env_len: self.env.vars.len(),
                });
                self.push_frame(FrameKind::Behaviour)?;
                self.saved_calls.push(t.saved);
                self.safety = b.safety;
                self.purity = FnKind::Plain;
                return Ok(Cur::Eval(&b.body));
            }
            Instr::CallPure { name, args } => {
                let args = env.eval(args)?;
                let args = args.as_list()?;
                let target = isa::pure::call_pure_target(exec, world, name);
                let f = match target {
                    None => None,
                    Some(fname) => match program.functions.get(&fname) {
                        None => return Err(ExecError::UnknownFunction(fname).into()),
                        Some(f) if f.params.len() == args.len() => Some(f),
                        Some(_) => None,
                    },
                };
                match f {
                    None => Val::Nothing,
                    Some(f) => {
                        let args = args.clone();
                        self.konts.push(Kont::Bind {
                            name: bind,
                            rest,
                            env_len: self.env.vars.len(),
                        });
                        self.push_frame(FrameKind::Pure)?;
                        for (p, v) in f.params.iter().zip(args.iter()) {
                            self.env.push(p.clone(), v.clone());
                        }
                        self.safety = f.safety;
                        self.purity = FnKind::Pure;
                        return Ok(Cur::Eval(&f.body));
                    }
                }
            }
            Instr::CreateObj {
                behaviour,
                controller,
            } => {
                let c = env.eval(controller)?.as_opt_controller()?;
                if !program.behaviours.contains_key(behaviour) {
                    return Err(ExecError::UnknownBehaviour(behaviour.clone()).into());
                }
                Val::Object(isa::obj::create(exec, world, behaviour.clone(), c)?)
            }
            Instr::DestroyObj(o) => {
                Val::Bool(isa::obj::destroy(exec, world, env.eval(o)?.as_object()?)?)
            }
            Instr::Receive => isa::obj::receive(exec, world),
            Instr::SelfId => Val::Object(isa::introspect::self_id(exec)),
            Instr::Input => isa::introspect::input(exec),
            Instr::GetCurrentMachine => Val::Machine(isa::introspect::current_machine(exec)),
            Instr::GetState => isa::introspect::get_state(exec, world),
            Instr::SetState(s) => {
                isa::introspect::set_state(exec, world, &env.eval(s)?)?;
                Val::Unit
            }
            Instr::Sender => isa::introspect::sender(exec),
            Instr::GetField(i) => isa::introspect::get_field(exec, world, *i)?,
            Instr::SetField(i, e) => {
                isa::introspect::set_field(exec, world, *i, env.eval(e)?)?;
                Val::Unit
            }
            Instr::Reflect(o) => {
                isa::reflect::reflect(world, self.safety, env.eval(o)?.as_object()?)?
            }
            Instr::ScryMeta(pred) | Instr::ScryDeep(pred) => {
                let deep = matches!(instr, Instr::ScryDeep(_));
                let name = if deep { "scryDeep" } else { "scryMeta" };
                let candidates = isa::reflect::scry_candidates(world, self.safety, name)?;
                let mut out = Vec::new();
                for c in &candidates {
                    let mark = self.env.vars.len();
                    let mut params = pred.params.iter();
                    if deep && let Some(p) = params.next() {
                        self.env.push(p.clone(), Val::Str(c.behaviour.clone()));
                    }
                    if let Some(p) = params.next() {
                        self.env.push(p.clone(), c.meta.to_val());
                    }
                    let keep = self.env.eval(&pred.body).and_then(|v| Ok(v.as_bool()?));
                    self.env.vars.truncate(mark);
                    if keep? {
                        out.push(if deep {
                            isa::reflect::scry_deep_item(c)
                        } else {
                            isa::reflect::scry_meta_item(c)
                        });
                    }
                }
                Val::list(out)
            }
            Instr::ReifyContext => isa::reify::reify_context(exec).to_val(),
            Instr::ReifyTxState => {
                Val::from_option(isa::reify::reify_tx_state(exec, self.safety)?.map(|s| s.to_val()))
            }
            Instr::ReifyConstraints => isa::reify::reify_constraints(exec, self.safety)?.to_val(),
            Instr::BeginTx(c) => {
                let c = env.eval(c)?.as_opt_controller()?;
                Val::Tx(isa::tx::begin(exec, world, c)?)
            }
            Instr::CommitTx(t) | Instr::CommitOrAbort(t) => {
                let id = env.eval(t)?.as_tx()?;
                if isa::nondet::check_commit(exec, world, id)? == CommitCheck::Retry {
                    return self.restart_tx();
                }
                let exec = &mut self.exec;
                let committed = match instr {
                    Instr::CommitTx(_) => isa::tx::commit(exec, world, id)?,
                    _ => isa::tx::commit_or_abort(exec, world, id)?,
                };
                self.restarts.truncate(self.exec.txs.savepoints.len());
                self.env.push(bind.clone(), Val::Bool(committed));
                return Ok(Cur::Eval(rest));
            }
            Instr::AbortTx(t) => {
                isa::tx::abort(exec, world, env.eval(t)?.as_tx()?)?;
                self.restarts.truncate(self.exec.txs.savepoints.len());
                Val::Unit
            }
            Instr::RegisterPure { name, function } => {
                if !program.functions.contains_key(function) {
                    return Err(ExecError::UnknownFunction(function.clone()).into());
                }
                Val::Bool(isa::pure::register_pure(
                    world,
                    self.safety,
                    name.clone(),
                    function.clone(),
                )?)
            }
            Instr::UpdatePure { name, function } => {
                if !program.functions.contains_key(function) {
                    return Err(ExecError::UnknownFunction(function.clone()).into());
                }
                Val::Bool(isa::pure::update_pure(
                    exec,
                    world,
                    name.clone(),
                    function.clone(),
                )?)
            }
            Instr::GetMachine(o) => {
                isa::machine::get_machine(exec, world, env.eval(o)?.as_object()?)
            }
            Instr::Teleport(m) => {
                let m = env.eval(m)?.as_machine()?.clone();
                Val::Bool(isa::machine::teleport(exec, world, m)?)
            }
            Instr::MoveObject(o, m) => {
                let o = env.eval(o)?.as_object()?;
                let m = env.eval(m)?.as_machine()?.clone();
                Val::Bool(isa::machine::move_object(exec, world, o, m)?)
            }
            Instr::Fetch(o) => {
                Val::Bool(isa::machine::fetch(exec, world, env.eval(o)?.as_object()?))
            }
            Instr::GetCurrentController => isa::controller::get_current_controller(exec),
            Instr::GetController(o) => {
                isa::controller::get_controller(exec, world, env.eval(o)?.as_object()?)?
            }
            Instr::TransferObject(o, c) => {
                let o = env.eval(o)?.as_object()?;
                let c = env.eval(c)?.as_controller()?.clone();
                Val::Bool(isa::controller::transfer_object(exec, world, o, c)?)
            }
            Instr::Freeze(o) => isa::controller::freeze(exec, world, env.eval(o)?.as_object()?)?,
            Instr::Print(e) => {
                let v = env.eval(e)?;
                exec.log(world, EventType::Output(v));
                Val::Unit
            }
            Instr::NewVar(d) => isa::fd::new_var(exec, world, &env.eval(d)?)?,
            Instr::Narrow(x, d) => {
                let x = isa::fd::var_of(&env.eval(x)?)?;
                isa::fd::narrow(exec, world, x, &env.eval(d)?)?
            }
            Instr::Post(c) => isa::fd::post(exec, world, &env.eval(c)?)?,
            Instr::Label(x) => isa::fd::label(exec, world, isa::fd::var_of(&env.eval(x)?)?)?,
            Instr::Choose(options) => isa::nondet::choose(exec, &env.eval(options)?)?,
            Instr::Require(c) => isa::nondet::require(exec, env.eval(c)?.as_bool()?)?,
        };
        self.env.push(bind.clone(), v);
        if matches!(instr, Instr::BeginTx(_)) {
            self.save_restart(rest);
        }
        Ok(Cur::Eval(rest))
    }
}

/// Whether `Term::Try` turns the error into `none` (FD and Nondet failures).
fn catchable(e: &AvmError) -> bool {
    matches!(e, AvmError::Fd(_) | AvmError::Nondet(_))
}

/// The spec's name of an instruction (for error messages).
pub fn instr_name(instr: &Instr) -> &'static str {
    match instr {
        Instr::CreateObj { .. } => "createObj",
        Instr::DestroyObj(_) => "destroyObj",
        Instr::Call(..) => "call",
        Instr::Receive => "receive",
        Instr::SelfId => "self",
        Instr::Input => "input",
        Instr::GetCurrentMachine => "getCurrentMachine",
        Instr::GetState => "getState",
        Instr::SetState(_) => "setState",
        Instr::Sender => "sender",
        Instr::GetField(_) => "getField",
        Instr::SetField(..) => "setField",
        Instr::Reflect(_) => "reflect",
        Instr::ScryMeta(_) => "scryMeta",
        Instr::ScryDeep(_) => "scryDeep",
        Instr::ReifyContext => "reifyContext",
        Instr::ReifyTxState => "reifyTxState",
        Instr::ReifyConstraints => "reifyConstraints",
        Instr::BeginTx(_) => "beginTx",
        Instr::CommitTx(_) => "commitTx",
        Instr::AbortTx(_) => "abortTx",
        Instr::CommitOrAbort(_) => "commitOrAbort",
        Instr::CallPure { .. } => "callPure",
        Instr::RegisterPure { .. } => "registerPure",
        Instr::UpdatePure { .. } => "updatePure",
        Instr::GetMachine(_) => "getMachine",
        Instr::Teleport(_) => "teleport",
        Instr::MoveObject(..) => "moveObject",
        Instr::Fetch(_) => "fetch",
        Instr::GetCurrentController => "getCurrentController",
        Instr::GetController(_) => "getController",
        Instr::TransferObject(..) => "transferObject",
        Instr::Freeze(_) => "freeze",
        Instr::Print(_) => "print",
        Instr::NewVar(_) => "newVar",
        Instr::Narrow(..) => "narrow",
        Instr::Post(_) => "post",
        Instr::Label(_) => "label",
        Instr::Choose(_) => "choose",
        Instr::Require(_) => "require",
    }
}

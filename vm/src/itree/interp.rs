//! The reference interpreter for ITree programs.
//!
//! Takes a `Program`, a `World` and a `RunConfig`, and produces a `RunResult` (the value or the
//! error, the trace up to the end or the failure, the step count). The program is first resolved
//! (`resolve`: variables become frame slots, callees indices); the interpreter's step loop then
//! runs the resolved nodes one step each (`node`), passing only the next node between steps
//! and a `Cur` position for returns and call results. Frames live on the heap: one value stack
//! whose current frame starts at `Env::base`, and a continuation stack of small `Kont` entries
//! (a behaviour call is one entry), so object-to-object call depth is bounded only by
//! `Limits::max_call_depth` (an error, never a crash). A function call in tail position reuses
//! its frame, so tail-recursive loops run in constant space; a finished run's stacks are reused
//! by the thread's next run (`stacks`). Every instruction is executed by the shared semantics in
//! `crate::isa` (`instr`, `node`). `Interp::run_slice` runs a bounded number of steps, so tests
//! can interleave several executions against one world.

use crate::error::{AvmError, ExecError, LimitError};
use crate::exec::{Context, Execution};
use crate::ids::{MachineId, ObjectId};
use crate::isa::{self, Safety};
use crate::itree::code::{Binding, Code, NodeId};
use crate::itree::eval::Env;
use crate::itree::instr::BehaviourCache;
use crate::itree::stacks::{self, Stacks};
use crate::itree::term::{FnKind, Instr, Program};
use crate::srcloc::{Backtrace, SrcLoc};
use crate::stack_mark::StackMark;
use crate::trace::{EventType, Trace, TraceMode};
use crate::value::Val;
use crate::world::World;
use std::rc::Rc;

/// Runtime limits of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of interpreter steps (`u64::MAX` = unlimited).
    pub fuel: u64,
    /// Maximum number of live activation frames (behaviour calls, function calls, the entry).
    pub max_call_depth: usize,
    /// The memory limit in bytes (`crate::budget`): no value built may exceed it, nor may the
    /// value and continuation stacks with the copies the transactions' restart points keep.
    pub max_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: u64::MAX,
            max_call_depth: 10_000_000,
            max_memory: crate::budget::DEFAULT_MAX_MEMORY,
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
            self_id: ObjectId::TOP_LEVEL,
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

/// A function frame: the entry's or a program function's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FrameKind {
    Main,
    Function,
}

/// A continuation entry. Every variant is at most 16 bytes (checked by a test), so deep call
/// chains stay compact.
#[derive(Clone)]
pub(super) enum Kont {
    /// A `Term::Bind`: bind the value and continue with `rest`.
    Bind { rest: NodeId, env_len: usize },
    /// A function frame.
    Frame {
        kind: FrameKind,
        caller_base: usize,
        caller_safety: Safety,
        caller_purity: FnKind,
    },
    /// A behaviour call (`call` instruction): the callee's frame and, after it, the caller's
    /// continuation `rest` (the caller's saved context is on `Interp::saved_calls`; the caller
    /// is never pure).
    Call {
        rest: NodeId,
        result: Binding,
        caller_base: usize,
        caller_safety: Safety,
    },
    /// A `callPure` call: the pure function's frame and the caller's continuation `rest`.
    PureCall {
        rest: NodeId,
        caller_base: usize,
        caller_safety: Safety,
        caller_purity: FnKind,
    },
    /// A `Term::Try` in progress: what to restore when its body fails.
    Try(Box<TryScope>),
}

/// The state at the start of a `Term::Try` body.
#[derive(Clone)]
pub(super) struct TryScope {
    pub(super) rest: NodeId,
    pub(super) env_len: usize,
    pub(super) env_base: usize,
    pub(super) saved_calls: usize,
    pub(super) open_txs: usize,
    pub(super) depth: usize,
    pub(super) safety: Safety,
    pub(super) purity: FnKind,
    pub(super) ctx: Context,
    /// The source location at the `Try` (restored with the rest of the state).
    pub(super) loc: Option<SrcLoc>,
}

impl Restart {
    /// The values, continuations and saved calls the restart point holds copies of.
    fn copied(&self) -> usize {
        self.vars.copied() + self.konts.copied() + self.saved_calls.copied()
    }
}

/// The interpreter's continuation just after a `beginTx` (for re-running the transaction with
/// other choices, `isa::nondet`). The stacks are lazy marks (`crate::stack_mark`): beginning
/// copies the running frame's values only; the continuations, values and saved calls below are
/// copied when a frame that was live at the mark returns while the transaction is open
/// (`Interp::unshare`). So `beginTx` costs the running frame's size whatever the call depth.
struct Restart {
    vars: StackMark<Val>,
    env_base: usize,
    konts: StackMark<Kont>,
    saved_calls: StackMark<isa::obj::SavedCall>,
    rest: NodeId,
    depth: usize,
    safety: Safety,
    purity: FnKind,
    loc: Option<SrcLoc>,
}

/// Where the interpreter is. Each variant is one step.
pub(super) enum Cur {
    /// Run a node.
    Eval(NodeId),
    /// Return a value to the innermost continuation.
    Return(Val),
    /// A behaviour returned the list literal whose first element (if any) is this: return it
    /// to the `Kont::Call` on top without building the list.
    Outputs(Option<Val>),
    /// A call's result to bind before continuing with the node (the second half of returning
    /// from a behaviour or `callPure` call).
    Continue(Val, NodeId),
}

/// The position after running a node: usually just the next node. Small (with `Fault`, the
/// step result fits in two registers); any other position is written to the step's `pos`.
pub(super) enum Next {
    /// Run this node.
    Node(NodeId),
    /// The position the step wrote to its `pos` argument.
    Pos,
}

/// A failed step's error, boxed so that a step's `Result` stays small (the error path is rare).
pub(super) type Fault = Box<AvmError>;

/// `e` as a `Fault`.
#[cold]
pub(super) fn fault(e: impl Into<AvmError>) -> Fault {
    Box::new(e.into())
}

/// A resumable run of a program.
pub struct Interp<'p> {
    pub(super) program: &'p Program,
    pub(super) code: Rc<Code<'p>>,
    /// The execution state (context, transactions, trace).
    pub exec: Execution,
    pub(super) env: Env,
    pub(super) konts: Vec<Kont>,
    pub(super) saved_calls: Vec<isa::obj::SavedCall>,
    cur: Option<Cur>,
    pub(super) depth: usize,
    steps: u64,
    pub(super) limits: Limits,
    pub(super) safety: Safety,
    pub(super) purity: FnKind,
    outcome: Option<Result<Val, AvmError>>,
    /// One restart point per open transaction, outermost first.
    restarts: Vec<Restart>,
    /// With open restart points, a continuation popped when there are at most this many may
    /// be one a restart point shares (`Interp::unshare`); 0 without.
    pop_guard: usize,
    /// Values and continuations the open restart points hold copies of.
    restart_vals: usize,
    pub(super) behaviour_cache: BehaviourCache,
    /// The location of the innermost `Term::At` entered (for error reports).
    pub(super) loc: Option<SrcLoc>,
}

/// Runs a program to completion.
pub fn run(program: &Program, world: &mut World, config: &RunConfig) -> RunResult {
    let mut it = Interp::new(program, world, config);
    while it.run_slice(world, u64::MAX) == Status::Running {}
    it.finish()
}

impl<'p> Interp<'p> {
    /// Prepares a run: installs the program's initial pure-function registry entries that the
    /// world does not have yet, resolves the program and positions at the entry term.
    pub fn new(program: &'p Program, world: &mut World, config: &RunConfig) -> Self {
        for (name, function) in &program.pure_registry {
            if world.pure.get(name).is_none() {
                // Cannot fail: the name was just checked to be free.
                let _ = world.pure.register(name.clone(), function.clone());
            }
        }
        let code = Code::new(program);
        let main = code.main;
        let stacks = stacks::take();
        let mut konts = stacks.konts;
        konts.push(Kont::Frame {
            kind: FrameKind::Main,
            caller_base: 0,
            caller_safety: program.main_safety,
            caller_purity: FnKind::Plain,
        });
        Interp {
            program,
            code: Rc::new(code),
            exec: Execution::new(
                config.machine.clone(),
                config.self_id,
                config.input.clone(),
                config.trace_mode,
            ),
            env: Env {
                vars: stacks.vars,
                base: 0,
            },
            konts,
            saved_calls: stacks.saved_calls,
            cur: Some(Cur::Eval(main)),
            depth: 1,
            steps: 0,
            limits: config.limits,
            safety: program.main_safety,
            purity: FnKind::Plain,
            outcome: None,
            restarts: Vec::new(),
            pop_guard: 0,
            restart_vals: 0,
            behaviour_cache: BehaviourCache::default(),
            loc: None,
        }
    }

    /// Runs at most `max_steps` steps.
    pub fn run_slice(&mut self, world: &mut World, max_steps: u64) -> Status {
        let Some(mut cur) = self.cur.take() else {
            return Status::Finished;
        };
        crate::budget::set_memory_limit(self.limits.max_memory);
        let _ = crate::budget::take_work();
        let start = self.steps;
        let code = Rc::clone(&self.code);
        loop {
            let budget = max_steps.saturating_sub(self.steps - start);
            match self.run_loop(&code, world, cur, budget) {
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
    fn catch(&mut self, world: &mut World) -> Option<Cur> {
        let at = self.konts.iter().rposition(|k| matches!(k, Kont::Try(_)))?;
        let Some(Kont::Try(scope)) = self.konts.get(at) else {
            return None;
        };
        let open_txs = scope.open_txs;
        while self.exec.txs.savepoints.len() > open_txs {
            let id = self.exec.txs.top().map(|sp| sp.id)?;
            if isa::tx::abort(&mut self.exec, world, id).is_err() {
                break;
            }
        }
        self.drop_closed_restarts();
        let Some(Kont::Try(scope)) = self.konts.get(at) else {
            return None;
        };
        let (env_base, calls) = (scope.env_base, scope.saved_calls);
        self.unshare(at, env_base, calls);
        let Some(Kont::Try(scope)) = self.konts.drain(at..).next() else {
            return None;
        };
        self.saved_calls.truncate(scope.saved_calls);
        self.env.vars.truncate(scope.env_len);
        self.env.base = scope.env_base;
        self.depth = scope.depth;
        self.safety = scope.safety;
        self.purity = scope.purity;
        self.exec.ctx = scope.ctx;
        self.loc = scope.loc;
        self.env.push(Val::Nothing);
        Some(Cur::Eval(scope.rest))
    }

    /// Saves the continuation after a successful `beginTx` (its result already bound): copies
    /// the running frame's values, nothing below it.
    pub(super) fn save_restart(&mut self, rest: NodeId) -> Result<(), AvmError> {
        self.truncate_restarts(self.exec.txs.savepoints.len().saturating_sub(1));
        let copied = self.env.vars.len() - self.env.base;
        crate::budget::charge(copied);
        self.restart_vals += copied;
        self.restarts.push(Restart {
            vars: StackMark::new(&self.env.vars, self.env.base),
            env_base: self.env.base,
            konts: StackMark::new(&self.konts, self.konts.len()),
            saved_calls: StackMark::new(&self.saved_calls, self.saved_calls.len()),
            rest,
            depth: self.depth,
            safety: self.safety,
            purity: self.purity,
            loc: self.loc,
        });
        self.set_pop_guard();
        self.check_memory()
    }

    /// Forgets the restart points of transactions no longer open.
    pub(super) fn drop_closed_restarts(&mut self) {
        self.truncate_restarts(self.exec.txs.savepoints.len());
    }

    /// Keeps the first `n` restart points.
    fn truncate_restarts(&mut self, n: usize) {
        if n < self.restarts.len() {
            for r in self.restarts.drain(n..) {
                self.restart_vals -= r.copied();
            }
        }
        self.set_pop_guard();
    }

    /// `pop_guard`: the innermost restart point's continuation floor (the highest: floors only
    /// go down, and a later mark starts at or above every earlier one's floor).
    fn set_pop_guard(&mut self) {
        self.pop_guard = self.restarts.last().map_or(0, |r| r.konts.floor());
    }

    /// Call before popping the top continuation: when a restart point shares it, the restart
    /// points copy it, and for a frame entry the caller's values and saved call.
    #[inline]
    fn before_pop(&mut self) {
        if self.konts.len() <= self.pop_guard
            && let Some(k) = self.konts.last()
        {
            let (base, calls) = match k {
                Kont::Frame { caller_base, .. } | Kont::PureCall { caller_base, .. } => {
                    (*caller_base, self.saved_calls.len())
                }
                Kont::Call { caller_base, .. } => {
                    (*caller_base, self.saved_calls.len().saturating_sub(1))
                }
                Kont::Bind { .. } | Kont::Try(_) => (self.env.base, self.saved_calls.len()),
            };
            self.unshare(self.konts.len() - 1, base, calls);
        }
    }

    /// Makes every restart point copy what it still shares with the live stacks and is about
    /// to change: the continuations are cut to `konts` entries, the frame starting at value
    /// index `base` becomes the current one (written from `base` up), the saved calls are cut
    /// to `calls`.
    fn unshare(&mut self, konts: usize, base: usize, calls: usize) {
        for r in &mut self.restarts {
            let before = r.copied();
            r.konts.lower(&self.konts, konts);
            r.vars.lower(&self.env.vars, base);
            r.saved_calls.lower(&self.saved_calls, calls);
            self.restart_vals += r.copied() - before;
        }
        self.set_pop_guard();
    }

    /// Resumes the innermost transaction's body from its `beginTx` (`isa::nondet` has already
    /// reset the execution state and set up the next choices).
    pub(super) fn restart_tx(&mut self) -> Result<Cur, AvmError> {
        self.drop_closed_restarts();
        let Some(r) = self.restarts.last() else {
            return Err(ExecError::Failed(Val::str("no restart point for the transaction")).into());
        };
        r.vars.restore(&mut self.env.vars);
        self.env.base = r.env_base;
        r.konts.restore(&mut self.konts);
        r.saved_calls.restore(&mut self.saved_calls);
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
        code: &Code<'p>,
        world: &mut World,
        cur: Cur,
        max_steps: u64,
    ) -> Result<Option<Cur>, AvmError> {
        let fuel_left = self.limits.fuel.saturating_sub(self.steps);
        let budget = max_steps.min(fuel_left);
        let mut taken = 0u64;
        let result = self.steps_loop(code, world, cur, budget, &mut taken);
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

    /// Runs at most `budget` steps from `cur`, counting them in `taken` (a step that fails
    /// counts); returns the next position, or `None` when the program finished. Runs of
    /// nodes (most steps) pass only the next node from step to step.
    fn steps_loop(
        &mut self,
        code: &Code<'p>,
        world: &mut World,
        mut cur: Cur,
        budget: u64,
        taken: &mut u64,
    ) -> Result<Option<Cur>, AvmError> {
        // Counted in a local (not through `taken`) and stored once at the end.
        let mut t = *taken;
        // Where a step writes a position other than a next node (`Next::Pos`).
        let mut pos = Cur::Eval(0);
        let result = 'run: loop {
            let mut node = match cur {
                Cur::Eval(node) => node,
                _ if t >= budget => break 'run Ok(Some(cur)),
                Cur::Continue(v, rest) => {
                    t += 1;
                    self.env.push(v);
                    rest
                }
                Cur::Return(v) => {
                    t += 1;
                    match self.ret(world, v) {
                        Ok(Some(c)) => {
                            cur = c;
                            continue;
                        }
                        Ok(None) => break 'run Ok(None),
                        Err(e) => break 'run Err(e),
                    }
                }
                Cur::Outputs(first) => {
                    t += 1;
                    let (v, rest) = match self.ret_outputs(world, first) {
                        Ok(r) => r,
                        Err(e) => break 'run Err(e),
                    };
                    // The next step (`Cur::Continue`) binds the result.
                    if t >= budget {
                        break 'run Ok(Some(Cur::Continue(v, rest)));
                    }
                    t += 1;
                    self.env.push(v);
                    rest
                }
            };
            loop {
                if t >= budget {
                    break 'run Ok(Some(Cur::Eval(node)));
                }
                t += 1;
                let next = self.eval_node(code, world, node, &mut pos);
                // The work the step's value operations charged (`crate::budget`).
                t += crate::budget::take_work();
                match next {
                    Ok(Next::Node(n)) => node = n,
                    Ok(Next::Pos) => {
                        cur = std::mem::replace(&mut pos, Cur::Eval(node));
                        break;
                    }
                    Err(e) => break 'run Err(*e),
                }
            }
        };
        *taken = t;
        result
    }

    /// The result (call after `run_slice` returned `Finished`; an unfinished run reports
    /// `OutOfFuel` with the steps taken so far). The run's stacks are kept for the thread's
    /// next run (`stacks`).
    pub fn finish(self) -> RunResult {
        let Interp {
            exec,
            env,
            konts,
            saved_calls,
            steps,
            outcome,
            loc,
            ..
        } = self;
        stacks::give(Stacks {
            vars: env.vars,
            konts,
            saved_calls,
        });
        let outcome = outcome.unwrap_or(Err(LimitError::OutOfFuel { fuel: steps }.into()));
        let backtrace = match (&outcome, loc) {
            (Err(_), Some(loc)) => Backtrace::from_locations(std::iter::once(loc)),
            _ => Backtrace::default(),
        };
        RunResult {
            outcome,
            trace: exec.trace,
            steps,
            final_context: exec.ctx,
            backtrace,
        }
    }

    /// Fails with `EffectInPureFunction` inside a pure function (`instr` names the effect).
    #[inline]
    pub(super) fn effects_allowed(&self, instr: &Instr) -> Result<(), AvmError> {
        if self.purity == FnKind::Pure {
            return Err(ExecError::EffectInPureFunction {
                instruction: instr_name(instr),
            }
            .into());
        }
        Ok(())
    }

    /// Fails when another frame would exceed the depth limit.
    #[inline]
    pub(super) fn check_depth(&self) -> Result<(), AvmError> {
        if self.depth >= self.limits.max_call_depth {
            return Err(LimitError::CallDepthExceeded {
                max_depth: self.limits.max_call_depth,
            }
            .into());
        }
        Ok(())
    }

    /// Fails when the value and continuation stacks, with the values the restart points keep,
    /// exceed the memory limit.
    #[inline]
    pub(super) fn check_memory(&self) -> Result<(), AvmError> {
        let bytes = (self.env.vars.len() + self.restart_vals) * std::mem::size_of::<Val>()
            + self.konts.len() * std::mem::size_of::<Kont>();
        if bytes > self.limits.max_memory {
            return Err(LimitError::MemoryLimitExceeded {
                max_memory: self.limits.max_memory,
                needed: bytes,
            }
            .into());
        }
        Ok(())
    }

    /// Pushes `kont` (a frame entry) and starts the new frame at the top of the value stack.
    #[inline]
    pub(super) fn enter_frame(&mut self, kont: Kont) -> Result<(), AvmError> {
        self.check_depth()?;
        self.check_memory()?;
        self.konts.push(kont);
        self.env.base = self.env.vars.len();
        self.depth += 1;
        Ok(())
    }

    /// Drops the current frame's values and makes the caller's frame current.
    #[inline]
    fn leave_frame(&mut self, caller_base: usize, caller_safety: Safety, caller_purity: FnKind) {
        self.env.vars.truncate(self.env.base);
        self.env.base = caller_base;
        self.safety = caller_safety;
        self.purity = caller_purity;
        self.depth -= 1;
    }

    fn ret(&mut self, world: &mut World, v: Val) -> Result<Option<Cur>, AvmError> {
        self.before_pop();
        match self.konts.pop() {
            None => {
                self.outcome = Some(Ok(v));
                Ok(None)
            }
            Some(Kont::Bind { rest, env_len }) => {
                self.env.vars.truncate(env_len);
                self.env.push(v);
                Ok(Some(Cur::Eval(rest)))
            }
            Some(Kont::Try(scope)) => {
                self.env.vars.truncate(scope.env_len);
                self.env.push(Val::just(v));
                Ok(Some(Cur::Eval(scope.rest)))
            }
            Some(Kont::Frame {
                kind,
                caller_base,
                caller_safety,
                caller_purity,
            }) => {
                self.leave_frame(caller_base, caller_safety, caller_purity);
                match kind {
                    FrameKind::Main => {
                        self.outcome = Some(Ok(v));
                        Ok(None)
                    }
                    FrameKind::Function => Ok(Some(Cur::Return(v))),
                }
            }
            Some(Kont::PureCall {
                rest,
                caller_base,
                caller_safety,
                caller_purity,
            }) => {
                self.leave_frame(caller_base, caller_safety, caller_purity);
                Ok(Some(Cur::Continue(Val::just(v), rest)))
            }
            Some(Kont::Call {
                rest,
                result,
                caller_base,
                caller_safety,
            }) => {
                self.leave_frame(caller_base, caller_safety, FnKind::Plain);
                let Some(saved) = self.saved_calls.pop() else {
                    return Err(missing_saved_call());
                };
                let r = match &v {
                    Val::List(items) => {
                        let first = items.first();
                        drop(v);
                        call_result(
                            isa::obj::call_exit_first(&mut self.exec, world, saved, first),
                            result,
                        )
                    }
                    // Not a list: `call_exit` reports the error.
                    _ => isa::obj::call_exit(&mut self.exec, world, saved, &v)?,
                };
                Ok(Some(Cur::Continue(r, rest)))
            }
        }
    }

    /// Returns a behaviour's outputs given by their first element (`Cur::Outputs`): the
    /// call's result and the caller's continuation (`Cur::Continue`'s parts).
    fn ret_outputs(
        &mut self,
        world: &mut World,
        first: Option<Val>,
    ) -> Result<(Val, NodeId), AvmError> {
        self.before_pop();
        let Some(Kont::Call {
            rest,
            result,
            caller_base,
            caller_safety,
        }) = self.konts.pop()
        else {
            return Err(ExecError::Failed(Val::str(
                "internal: behaviour outputs without a call frame",
            ))
            .into());
        };
        self.leave_frame(caller_base, caller_safety, FnKind::Plain);
        let Some(saved) = self.saved_calls.pop() else {
            return Err(missing_saved_call());
        };
        let r = isa::obj::call_exit_first(&mut self.exec, world, saved, first);
        Ok((call_result(r, result), rest))
    }
}

/// A behaviour call's result as the caller binds it: `nothing` / `just head`, or `()` when the
/// caller never reads it (no allocation).
#[inline]
fn call_result(first: Option<Val>, result: Binding) -> Val {
    match result {
        Binding::Used => Val::from_option(first),
        Binding::Unused => Val::Unit,
    }
}

/// The error for a behaviour call's return without the caller's saved context: every
/// `Kont::Call` pushes one, so this is an interpreter bug, reported rather than a panic.
#[cold]
fn missing_saved_call() -> AvmError {
    ExecError::Failed(Val::str("internal: call frame without saved context")).into()
}

/// Whether `Term::Try` turns the error into `none` ([`AvmError::is_search_failure`]).
fn catchable(e: &AvmError) -> bool {
    e.is_search_failure()
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
        Instr::Publish(..) => "publish",
        Instr::Lookup(..) => "lookup",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_entries_are_small() {
        assert!(std::mem::size_of::<Kont>() <= 16);
    }
}

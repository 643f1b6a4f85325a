//! Lowering one function body: terms and control flow.
//!
//! Takes an ITree [`Term`] (a function, behaviour or entry body); produces the ops of one Tape
//! function through a [`FunctionBuilder`]. A term is lowered towards a [`Dest`]: `Return` (the
//! function's tail position: `ret`, or `tail` for a call in a plain or pure function, exactly
//! where the ITree interpreter reuses the frame) or `Into` (a `Bind`'s first part: write the
//! value to a register and jump to the join label). `Let` and pattern bindings alias registers
//! (every name is bound once, so a register is never overwritten while its name is in scope);
//! `If` is a `brnot`; `Fail` is `fail.value`; a call evaluates its arguments into a contiguous
//! block and calls the function by index; `Try` guards its body with `try` / `try.end` (the
//! handler, reached with `none` when the body fails with an FD or Nondet error, is the
//! continuation).

use super::env::Holder;
use super::error::{LowerError, LowerErrorKind};
use super::lower::{Lowerer, PendingPredicate};
use super::regalloc::{RegStack, nth};
use avm_vm::itree::{Expr, FnKind, Name, Term};
use avm_vm::srcloc::SrcLoc;
use avm_vm::tape::{self, FuncIdx, FunctionBuilder, Label, Op, Reg};

/// What the function being lowered is; decides tail calls and purity checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The program entry.
    Main,
    /// A behaviour's dispatch function.
    Dispatch,
    /// A plain ITree function.
    Plain,
    /// A pure ITree function.
    Pure,
    /// A scry predicate.
    Predicate,
}

impl Role {
    /// Whether a call in tail position replaces the frame (as `Kont::Frame` of kind
    /// function/pure does in the ITree interpreter; the entry and behaviour frames do not).
    fn tail_calls(self) -> bool {
        matches!(self, Role::Plain | Role::Pure)
    }

    /// Whether AVM instructions are forbidden.
    pub fn is_pure(self) -> bool {
        matches!(self, Role::Pure | Role::Predicate)
    }
}

/// Where a term's value goes.
#[derive(Debug, Clone, Copy)]
pub enum Dest {
    /// Return it from the function.
    Return,
    /// Write it to `dst`, then continue at `join`.
    Into { dst: Reg, join: Label },
}

/// The lowering state of one function.
pub struct FnLowerer<'l, 'p> {
    pub(crate) lw: &'l mut Lowerer<'p>,
    pub(crate) fb: FunctionBuilder,
    pub(crate) regs: RegStack,
    /// Visible bindings, innermost last.
    pub(crate) env: super::env::Env,
    pub(crate) name: String,
    pub(crate) role: Role,
    pub(crate) safety: tape::Safety,
    /// How many predicates this function has generated (for their names).
    pub(crate) predicates: usize,
    /// The source location of the term being lowered (the innermost `Term::At` around it).
    pub(crate) loc: Option<SrcLoc>,
    /// The reads of each variable not lowered yet (counted when the body starts).
    pub(crate) uses: super::liveness::UseCounts,
    /// Registers that a binding shares with something else: never freed early.
    pub(crate) pinned: rustc_hash::FxHashSet<Reg>,
}

impl<'l, 'p> FnLowerer<'l, 'p> {
    /// A lowerer for the function `name` with `params` parameter registers, the first of which
    /// are bound to `names`.
    pub(crate) fn new(
        lw: &'l mut Lowerer<'p>,
        name: String,
        role: Role,
        safety: tape::Safety,
        params: usize,
        names: &[Name],
    ) -> Result<Self, LowerError> {
        let count = u16::try_from(params).map_err(|_| LowerError {
            function: name.clone(),
            kind: LowerErrorKind::TooManyParameters { count: params },
        })?;
        let env = super::env::Env::params(names);
        Ok(FnLowerer {
            lw,
            fb: FunctionBuilder::new(name.clone(), count),
            regs: RegStack::new(count),
            env,
            name,
            role,
            safety,
            predicates: 0,
            loc: None,
            uses: super::liveness::UseCounts::default(),
            pinned: rustc_hash::FxHashSet::default(),
        })
    }

    /// An error located in this function.
    pub(crate) fn err(&self, kind: LowerErrorKind) -> LowerError {
        LowerError {
            function: self.name.clone(),
            kind,
        }
    }

    /// One fresh register.
    pub(crate) fn alloc(&mut self) -> Result<Reg, LowerError> {
        self.regs
            .alloc()
            .map_err(|_| self.err(LowerErrorKind::TooManyRegisters))
    }

    /// `count` fresh contiguous registers.
    pub(crate) fn alloc_block(&mut self, count: usize) -> Result<tape::RegRange, LowerError> {
        self.regs
            .alloc_block(count)
            .map_err(|_| self.err(LowerErrorKind::TooManyRegisters))
    }

    /// The register bound to `name` (innermost binding).
    pub(crate) fn lookup(&self, name: &Name) -> Result<Reg, LowerError> {
        self.env.get(name).ok_or_else(|| {
            self.err(LowerErrorKind::UnboundVariable {
                name: name.to_string(),
            })
        })
    }

    /// Lowers `body` as the whole function and defines the function `idx`.
    pub(crate) fn lower_function(mut self, idx: FuncIdx, body: &Term) -> Result<(), LowerError> {
        self.uses = super::liveness::UseCounts::of_body(body);
        self.term(body, Dest::Return)?;
        self.define(idx)
    }

    /// Finishes the builder (frame size = the register stack's high-water mark).
    fn define(mut self, idx: FuncIdx) -> Result<(), LowerError> {
        let extra = self.regs.frame_size() - self.fb.params();
        self.fb.regs(extra);
        let name = self.name.clone();
        self.lw
            .builder
            .define(idx, self.fb)
            .map_err(|e| LowerError {
                function: name,
                kind: LowerErrorKind::Build(e),
            })
    }

    /// Defines a pending scry predicate: its parameters bound to the predicate's names, its body
    /// the predicate expression.
    pub(crate) fn lower_predicate(
        lw: &mut Lowerer<'p>,
        p: PendingPredicate,
    ) -> Result<(), LowerError> {
        let names: Vec<Name> = p
            .predicate
            .params
            .iter()
            .take(usize::from(p.params))
            .cloned()
            .collect();
        let mut fl = FnLowerer::new(
            lw,
            p.name,
            Role::Predicate,
            p.safety,
            usize::from(p.params),
            &names,
        )?;
        let r = fl.expr_reg(&p.predicate.body).map_err(|e| match e.kind {
            LowerErrorKind::UnboundVariable { name } => LowerError {
                function: e.function,
                kind: LowerErrorKind::PredicateCaptures { name },
            },
            _ => e,
        })?;
        fl.fb.emit(Op::Ret { src: r });
        fl.define(p.idx)
    }

    /// Lowers a term towards `dest`. Every path it emits ends in `ret`, `tail`, a `fail` op or a
    /// jump to the join label. Sequences (`let`, instructions, `bind` continuations, `tau`,
    /// `else` branches) are walked in a loop, so a long program does not deepen the host stack.
    pub(crate) fn term(&mut self, term: &Term, dest: Dest) -> Result<(), LowerError> {
        let scope = (self.env.len(), self.regs.mark(), self.loc);
        let mut term = term;
        loop {
            match term {
                Term::Tau(t) => term = t,
                Term::At { loc, body } => {
                    self.set_loc(Some(*loc));
                    term = body;
                }
                Term::Let { name, value, rest } => {
                    match value {
                        // Bindings never change, so a copy of a variable can share its register.
                        Expr::Var(v) => {
                            let r = self.lookup(v)?;
                            self.bind_shared(name, r);
                        }
                        _ => {
                            let r = self.alloc()?;
                            self.expr_into(value, r)?;
                            self.bind_owned(name, r);
                        }
                    }
                    self.lowered(|uses, dead| uses.lowered_expr(value, dead));
                    term = rest;
                }
                Term::Instr { instr, bind, rest } => {
                    let r = self.alloc()?;
                    self.instr(instr, r)?;
                    self.bind_owned(bind, r);
                    self.lowered(|uses, dead| uses.lowered_instr(instr, dead));
                    term = rest;
                }
                Term::Bind { first, name, rest } => {
                    let r = self.alloc()?;
                    if !self.straight_line_into(first, r)? {
                        let join = self.fb.label();
                        self.term(first, Dest::Into { dst: r, join })?;
                        self.bind_here(join);
                    }
                    self.bind_owned(name, r);
                    term = rest;
                }
                Term::If {
                    cond,
                    then_branch,
                    else_branch,
                } => {
                    let mark = self.regs.mark();
                    let c = self.expr_reg(cond)?;
                    self.regs.release(mark);
                    let otherwise = self.fb.label();
                    self.fb.branch_if_not(c, otherwise);
                    self.lowered(|uses, dead| uses.lowered_expr(cond, dead));
                    self.term(then_branch, dest)?;
                    self.bind_here(otherwise);
                    term = else_branch;
                }
                Term::Ret(e) => {
                    match dest {
                        Dest::Into { dst, join } => {
                            self.expr_into(e, dst)?;
                            self.fb.jump(join);
                        }
                        Dest::Return => {
                            let r = self.expr_reg(e)?;
                            self.fb.emit(Op::Ret { src: r });
                        }
                    }
                    break;
                }
                Term::Match { scrutinee, arms } => {
                    self.lower_match(scrutinee, arms, dest)?;
                    break;
                }
                Term::Call { function, args } => {
                    self.call(function, args, dest)?;
                    break;
                }
                Term::Fail(e) => {
                    let r = self.expr_reg(e)?;
                    self.fb.emit(Op::FailValue { src: r });
                    break;
                }
                Term::Try { body, name, rest } => {
                    // try handler -> opt; body -> val; try.end; some val -> opt; handler:
                    let opt = self.alloc()?;
                    let val = self.alloc()?;
                    let handler = self.fb.label();
                    self.fb.try_begin(handler, opt);
                    if !self.straight_line_into(body, val)? {
                        let join = self.fb.label();
                        self.term(body, Dest::Into { dst: val, join })?;
                        self.bind_here(join);
                    }
                    self.fb.emit(Op::TryEnd);
                    self.fb.emit(Op::MakeSome { dst: opt, src: val });
                    self.bind_here(handler);
                    self.bind_shared(name, opt);
                    term = rest;
                }
            }
        }
        // Scopes nest, so restoring the state at entry closes every binding made above.
        self.env.truncate(scope.0);
        self.regs.release(scope.1);
        self.set_loc(scope.2);
        Ok(())
    }

    /// Makes `loc` the location of the ops emitted from now on (kept when `None`: the span
    /// table cannot say "no location", and the ops still belong to the enclosing code).
    pub(crate) fn set_loc(&mut self, loc: Option<SrcLoc>) {
        self.loc = loc;
        if let Some(loc) = loc {
            self.fb.at(loc);
        }
    }

    /// Binds `name` to `r`, a register allocated for it: freed after the name's last read.
    fn bind_owned(&mut self, name: &Name, r: Reg) {
        self.env.push(name.clone(), r, Holder::Owner);
        if self.uses.remaining(name) == 0 {
            self.free_dead(name);
        }
    }

    /// Binds `name` to `r`, a register it shares (with another binding, a parameter, a value
    /// being matched): never freed early.
    pub(crate) fn bind_shared(&mut self, name: &Name, r: Reg) {
        self.pinned.insert(r);
        self.env.push(name.clone(), r, Holder::Sharer);
    }

    /// Takes the reads of a lowered statement off the counts (`count` does it) and frees the
    /// registers of the bindings read for the last time.
    fn lowered(
        &mut self,
        count: impl FnOnce(&mut super::liveness::UseCounts, &mut dyn FnMut(&Name)),
    ) {
        let mut dead: Vec<Name> = Vec::new();
        count(&mut self.uses, &mut |n| dead.push(n.clone()));
        for name in &dead {
            self.free_dead(name);
        }
    }

    /// Frees the register of the innermost binding of `name` (no read of it is left to lower)
    /// unless another binding shares it.
    fn free_dead(&mut self, name: &Name) {
        if let Some(r) = self.env.take_owned(name)
            && !self.pinned.contains(&r)
        {
            self.regs.free(r);
        }
    }

    /// Binds `label` here and restates the current location: the ops after a join come from
    /// the term being lowered, not from the branch printed just before them.
    pub(crate) fn bind_here(&mut self, label: tape::Label) {
        self.fb.bind(label);
        self.set_loc(self.loc);
    }

    /// Lowers `first` straight into `dst` when it cannot branch (a `ret` or a call, possibly
    /// under `tau`), so no join label and jump are needed; returns whether it did.
    fn straight_line_into(&mut self, first: &Term, dst: Reg) -> Result<bool, LowerError> {
        match first {
            Term::Tau(t) => self.straight_line_into(t, dst),
            Term::At { loc, body } if matches!(**body, Term::Ret(_) | Term::Call { .. }) => {
                let outer = self.loc;
                self.set_loc(Some(*loc));
                let done = self.straight_line_into(body, dst)?;
                self.set_loc(outer);
                Ok(done)
            }
            Term::Ret(e) => {
                self.expr_into(e, dst)?;
                Ok(true)
            }
            Term::Call { function, args } => {
                let (idx, block, mark) = self.call_args(function, args)?;
                self.fb.emit(Op::Call {
                    dst,
                    func: idx,
                    args: block,
                });
                self.regs.release(mark);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Checks a call and evaluates its arguments into a fresh block; returns the callee, the
    /// block and the mark to release after the call op.
    fn call_args(
        &mut self,
        function: &Name,
        args: &[Expr],
    ) -> Result<(FuncIdx, tape::RegRange, super::regalloc::Mark), LowerError> {
        let program = self.lw.program;
        let (Some(f), Some(idx)) = (
            program.functions.get(function),
            self.lw.functions.get(function).copied(),
        ) else {
            return Err(self.err(LowerErrorKind::UnknownFunction {
                name: function.to_string(),
            }));
        };
        if f.params.len() != args.len() {
            return Err(self.err(LowerErrorKind::ArityMismatch {
                callee: function.to_string(),
                expected: f.params.len(),
                found: args.len(),
            }));
        }
        if self.role.is_pure() && f.kind != FnKind::Pure {
            return Err(self.err(LowerErrorKind::PureCallsPlain {
                callee: function.to_string(),
            }));
        }
        let mark = self.regs.mark();
        let block = self.alloc_block(args.len())?;
        for (i, a) in args.iter().enumerate() {
            self.expr_into(a, nth(block, i))?;
        }
        Ok((idx, block, mark))
    }

    /// A call of a program function: arguments into a contiguous block, then `tail` (tail
    /// position of a plain or pure function) or `call`.
    fn call(&mut self, function: &Name, args: &[Expr], dest: Dest) -> Result<(), LowerError> {
        let (idx, block, mark) = self.call_args(function, args)?;
        match dest {
            Dest::Return if self.role.tail_calls() => {
                self.fb.emit(Op::TailCall {
                    func: idx,
                    args: block,
                });
            }
            Dest::Return => {
                let r = self.alloc()?;
                self.fb.emit(Op::Call {
                    dst: r,
                    func: idx,
                    args: block,
                });
                self.fb.emit(Op::Ret { src: r });
            }
            Dest::Into { dst, join } => {
                self.fb.emit(Op::Call {
                    dst,
                    func: idx,
                    args: block,
                });
                self.fb.jump(join);
            }
        }
        self.regs.release(mark);
        Ok(())
    }
}

//! Blocks, statements and loops.
//!
//! Takes an [`ast::Block`] (or a statement list) and the continuation of its value; produces the
//! ITree [`Term`], each statement (and a block's tail expression) marked with its source span
//! (`Term::At`, when the sources are known). `let` binds (or matches) a pattern, assignment rebinds a local or writes a
//! state field, and `while` / `for` become a tail-recursive loop function over every variable in
//! scope plus an exit function holding the statements after the loop.

use avm_vm::itree::builder::name;
use avm_vm::itree::{BinOp, Expr, Instr, Name, Term};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::unit;
use super::seq::fill_hole;
use super::{LoopCx, Lowered, Lowerer};
use crate::resolve::Res;
use crate::syntax::ast::{self, AssignOp, ExprKind, PatternKind, RangeKind, StmtKind};
use crate::syntax::span::Span;

impl Lowerer<'_> {
    /// Lowers a block and continues with its value.
    pub fn block<'e>(&mut self, b: &'e ast::Block, k: Cont<'e>) -> Lowered<Term> {
        self.stmts(&b.stmts, b.tail.as_deref(), k)
    }

    /// Lowers statements then the tail: the leading straight statements (see
    /// [`seq`](super::seq)) in a loop, each with a hole, the rest of the block nested, then
    /// the holes filled from the back, so a block costs constant stack per straight statement.
    fn stmts<'e>(
        &mut self,
        stmts: &'e [ast::Stmt],
        tail: Option<&'e ast::Expr>,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let mut outer: Vec<(Term, Span)> = Vec::new();
        let mut at = 0;
        while let Some(stmt) = stmts.get(at)
            && self.straight(stmt)
        {
            outer.push((self.straight_stmt(stmt)?, stmt.span));
            at += 1;
        }
        let mut term = self.stmts_nested(&stmts[at..], tail, k)?;
        while let Some((t, span)) = outer.pop() {
            term = match fill_hole(t, term) {
                Some(t) => t,
                None => return Err(self.unsupported(span, "this statement")),
            };
        }
        Ok(term)
    }

    /// Lowers the first statement with the rest of the block (from [`Lowerer::stmts`]) at the
    /// place its lowering continues.
    fn stmts_nested<'e>(
        &mut self,
        stmts: &'e [ast::Stmt],
        tail: Option<&'e ast::Expr>,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let Some((first, rest)) = stmts.split_first() else {
            return match tail {
                Some(e) => {
                    let loc = self.loc(e.span);
                    self.stmt_loc = loc;
                    Ok(Lowerer::mark(loc, self.expr(e, k)?))
                }
                None => k.apply(self, unit()),
            };
        };
        let loc = self.loc(first.span);
        self.stmt_loc = loc;
        let term = match &first.kind {
            StmtKind::Let { pattern, init, .. } => self.expr(
                init,
                Cont::then(move |lw, v| {
                    lw.bind_pattern(pattern, v, Box::new(move |lw| lw.stmts(rest, tail, k)))
                }),
            ),
            StmtKind::Assign { op, target, value } => self.assign(
                *op,
                target,
                value,
                Box::new(move |lw| lw.stmts(rest, tail, k)),
            ),
            StmtKind::Expr(e) => self.expr(e, Cont::then(move |lw, _| lw.stmts(rest, tail, k))),
            StmtKind::While { cond, body } => {
                let after: Rest<'e> = Box::new(move |lw| lw.stmts(rest, tail, k));
                self.while_loop(cond, body, after)
            }
            StmtKind::For {
                pattern,
                iter,
                body,
            } => {
                let after: Rest<'e> = Box::new(move |lw| lw.stmts(rest, tail, k));
                self.for_loop(pattern, iter, body, after)
            }
            StmtKind::Error => Err(self.unsupported(first.span, "this statement")),
        }?;
        Ok(Lowerer::mark(loc, term))
    }

    /// Binds `pattern` to `value` for the rest: a `let` for a name, a one-arm `match`
    /// otherwise (a value that does not fit fails the run).
    pub fn bind_pattern<'e>(
        &mut self,
        pattern: &'e ast::Pattern,
        value: Expr,
        rest: Rest<'e>,
    ) -> Lowered<Term> {
        let is_local = self
            .typed
            .resolution
            .binder(self.cx.module, pattern.id)
            .is_some();
        match &pattern.kind {
            PatternKind::Binding(ident) if is_local => {
                let n = self.declare(pattern.id, &ident.name);
                let rest = rest(self)?;
                Ok(Term::Let {
                    name: n,
                    value,
                    rest: Box::new(rest),
                })
            }
            PatternKind::Wildcard => {
                let rest = rest(self)?;
                Ok(Term::Let {
                    name: name("_"),
                    value,
                    rest: Box::new(rest),
                })
            }
            _ => {
                let p = self.pattern(pattern)?;
                let body = rest(self)?;
                Ok(Term::Match {
                    scrutinee: value,
                    arms: vec![avm_vm::itree::Arm {
                        pattern: p,
                        guard: None,
                        body,
                    }],
                })
            }
        }
    }

    pub(crate) fn assign<'e>(
        &mut self,
        op: AssignOp,
        target: &'e ast::Expr,
        value: &'e ast::Expr,
        rest: Rest<'e>,
    ) -> Lowered<Term> {
        let bin = match op {
            AssignOp::Assign => None,
            AssignOp::AddAssign => Some(BinOp::Add),
            AssignOp::SubAssign => Some(BinOp::Sub),
            AssignOp::MulAssign => Some(BinOp::Mul),
        };
        self.expr(
            value,
            Cont::then(move |lw, v| match bin {
                None => lw.store(target, v, rest),
                Some(op) => lw.expr(
                    target,
                    Cont::then(move |lw, old| {
                        lw.store(target, Expr::Binary(op, Box::new(old), Box::new(v)), rest)
                    }),
                ),
            }),
        )
    }

    /// Writes `v` to the place `target`: rebinds a local, writes a state field, or rebuilds the
    /// enclosing struct / tuple / list and stores that in its own place.
    fn store<'e>(&mut self, target: &'e ast::Expr, v: Expr, rest: Rest<'e>) -> Lowered<Term> {
        match &target.kind {
            ExprKind::Path(_) => {
                match self
                    .typed
                    .resolution
                    .res(self.cx.module, target.id)
                    .cloned()
                {
                    Some(Res::Local(binder)) => {
                        let Some(n) = self.cx.locals.get(&binder).cloned() else {
                            return Err(self.unsupported(target.span, "assigning this variable"));
                        };
                        let rest = rest(self)?;
                        Ok(Term::Let {
                            name: n,
                            value: v,
                            rest: Box::new(rest),
                        })
                    }
                    Some(Res::StateField { index, .. }) => {
                        let rest = rest(self)?;
                        Ok(Term::Instr {
                            instr: Instr::SetField(index, v),
                            bind: name("_"),
                            rest: Box::new(rest),
                        })
                    }
                    _ => Err(self.unsupported(target.span, "assigning to this name")),
                }
            }
            ExprKind::Field { base, field } => {
                let fields: Option<(Name, Vec<String>)> =
                    match self.typed.type_of(self.cx.module, base.id) {
                        Some(crate::typeck::Type::Struct(sid, _)) => {
                            let d = self.typed.resolution.defs.struct_decl(*sid);
                            Some((name(&d.name), d.fields.clone()))
                        }
                        _ => None,
                    };
                let Some((type_name, fields)) = fields else {
                    return Err(self.unsupported(target.span, "assigning to this field"));
                };
                let field = field.name.clone();
                self.expr(
                    base,
                    Cont::then(move |lw, cur| {
                        let record = Expr::Record {
                            type_name,
                            fields: fields
                                .iter()
                                .map(|f| {
                                    let value = if *f == field {
                                        v.clone()
                                    } else {
                                        Expr::Field(Box::new(cur.clone()), name(f))
                                    };
                                    (name(f), value)
                                })
                                .collect(),
                        };
                        lw.store(base, record, rest)
                    }),
                )
            }
            ExprKind::TupleIndex { base, index, .. } => {
                let arity = match self.typed.type_of(self.cx.module, base.id) {
                    Some(crate::typeck::Type::Tuple(ts)) => ts.len(),
                    _ => return Err(self.unsupported(target.span, "assigning to this element")),
                };
                let index = *index as usize;
                self.expr(
                    base,
                    Cont::then(move |lw, cur| {
                        let tuple = Expr::Tuple(
                            (0..arity)
                                .map(|j| {
                                    if j == index {
                                        v.clone()
                                    } else {
                                        Expr::Index(
                                            Box::new(cur.clone()),
                                            Box::new(Expr::Lit(Val::Int(j as i64))),
                                        )
                                    }
                                })
                                .collect(),
                        );
                        lw.store(base, tuple, rest)
                    }),
                )
            }
            ExprKind::Index { base, index } => self.expr(
                index,
                Cont::then(move |lw, i| {
                    lw.expr(
                        base,
                        Cont::then(move |lw, cur| {
                            let helper = lw.list_set_helper();
                            let t = lw.temp();
                            lw.cx.scope.push(t.clone());
                            let after = lw.store(base, Expr::Var(t.clone()), rest)?;
                            Ok(Term::Bind {
                                first: Box::new(Term::Call {
                                    function: helper,
                                    args: vec![cur, i, v, Expr::List(Vec::new())],
                                }),
                                name: t,
                                rest: Box::new(after),
                            })
                        }),
                    )
                }),
            ),
            _ => Err(self.unsupported(target.span, "assignment to this expression")),
        }
    }

    /// `$list_set(xs, i, v, acc)`: `xs` with element `i` replaced by `v` (tail-recursive; an
    /// index out of range fails the run). Generated once per program.
    fn list_set_helper(&mut self) -> Name {
        let helper = name("$list_set");
        if self.functions.contains_key(&helper) {
            return helper;
        }
        use avm_vm::itree::{Arm, Builtin as VmBuiltin, Pattern};
        let var = |s: &str| Expr::Var(name(s));
        let body = Term::Match {
            scrutinee: var("xs"),
            arms: vec![
                Arm {
                    pattern: Pattern::Cons(
                        Box::new(Pattern::Bind(name("h"))),
                        Box::new(Pattern::Bind(name("t"))),
                    ),
                    guard: None,
                    body: Term::If {
                        cond: Expr::Binary(
                            BinOp::Eq,
                            Box::new(var("i")),
                            Box::new(Expr::Lit(Val::Int(0))),
                        ),
                        then_branch: Box::new(Term::Ret(Expr::Binary(
                            BinOp::Concat,
                            Box::new(Expr::Builtin(VmBuiltin::Reverse, vec![var("acc")])),
                            Box::new(Expr::Builtin(VmBuiltin::Cons, vec![var("v"), var("t")])),
                        ))),
                        else_branch: Box::new(Term::Call {
                            function: helper.clone(),
                            args: vec![
                                var("t"),
                                Expr::Binary(
                                    BinOp::Sub,
                                    Box::new(var("i")),
                                    Box::new(Expr::Lit(Val::Int(1))),
                                ),
                                var("v"),
                                Expr::Builtin(VmBuiltin::Cons, vec![var("h"), var("acc")]),
                            ],
                        }),
                    },
                },
                Arm {
                    pattern: Pattern::Wild,
                    guard: None,
                    body: Term::Fail(Expr::Lit(Val::str("list index out of range in assignment"))),
                },
            ],
        };
        self.functions.insert(
            helper.clone(),
            avm_vm::itree::Function {
                name: helper.clone(),
                params: vec![name("xs"), name("i"), name("v"), name("acc")],
                body,
                kind: avm_vm::itree::FnKind::Pure,
                safety: avm_vm::isa::Safety::Safe,
            },
        );
        helper
    }

    /// Sets up a loop: the exit function (the statements after the loop, over `params`) and
    /// the loop function; returns the entry call.
    fn loop_frame<'e>(
        &mut self,
        after: Rest<'e>,
        extra_init: Vec<(Name, Expr)>,
        head_body: impl FnOnce(&mut Lowerer, &LoopCx) -> Lowered<Term>,
    ) -> Lowered<Term> {
        let params = self.scope_params();
        let head = self.gen_fn_name("loop");
        let exit = self.gen_fn_name("exit");
        let saved_scope = self.cx.scope.clone();
        let saved_loops = self.cx.loops.clone();
        // The exit function: the rest of the block, outside this loop.
        self.cx.scope = params.clone();
        let exit_body = after(self);
        self.cx.scope = params.clone();
        let exit_body = exit_body?;
        self.add_function(exit.clone(), params.clone(), exit_body);
        // The loop function over params ++ loop-private names.
        let head_params: Vec<Name> = params
            .iter()
            .cloned()
            .chain(extra_init.iter().map(|(n, _)| n.clone()))
            .collect();
        self.cx.scope = head_params.clone();
        let cx = LoopCx {
            head: head.clone(),
            extra: Vec::new(),
            more: None,
            exit: exit.clone(),
            params: params.clone(),
            atomic_depth: self.cx.atomics.len(),
        };
        let body = head_body(self, &cx);
        self.cx.scope = saved_scope;
        self.cx.loops = saved_loops;
        self.add_function(head.clone(), head_params, body?);
        let mut args: Vec<Expr> = params.into_iter().map(Expr::Var).collect();
        args.extend(extra_init.into_iter().map(|(_, e)| e));
        Ok(Term::Call {
            function: head,
            args,
        })
    }

    fn while_loop<'e>(
        &mut self,
        cond: &'e ast::Expr,
        body: &'e ast::Block,
        after: Rest<'e>,
    ) -> Lowered<Term> {
        self.loop_frame(after, Vec::new(), move |lw, cx| {
            let cx = cx.clone();
            lw.expr(
                cond,
                Cont::then(move |lw, c| {
                    let stop = cx.exit_call();
                    let again = cx.continue_call();
                    lw.cx.loops.push(cx);
                    let mark = lw.cx.scope.len();
                    let run = lw.block(body, Cont::then(move |_, _| Ok(again)));
                    lw.cx.scope.truncate(mark);
                    lw.cx.loops.pop();
                    Ok(Term::If {
                        cond: c,
                        then_branch: Box::new(run?),
                        else_branch: Box::new(stop),
                    })
                }),
            )
        })
    }

    fn for_loop<'e>(
        &mut self,
        pattern: &'e ast::Pattern,
        iter: &'e ast::Expr,
        body: &'e ast::Block,
        after: Rest<'e>,
    ) -> Lowered<Term> {
        if let ExprKind::Range { kind, start, end } = &iter.kind {
            let kind = *kind;
            let bounds: Vec<&'e ast::Expr> = vec![start, end];
            return self.expr_refs(
                bounds,
                Box::new(move |lw, mut vs| {
                    let end_v = vs.pop().unwrap_or_else(unit);
                    let start_v = vs.pop().unwrap_or_else(unit);
                    let i = lw.temp();
                    let end_n = lw.temp();
                    let next = lw.temp();
                    let extra = vec![(i.clone(), start_v), (end_n.clone(), end_v)];
                    lw.loop_frame(after, extra, move |lw, cx| {
                        let mut cx = cx.clone();
                        let (op, stepped) = match kind {
                            RangeKind::Exclusive => (BinOp::Lt, Expr::Var(next.clone())),
                            // `i + 1` only when `i < end`: `continue` checks that first
                            // (`LoopCx::more`), so a range ending at the largest integer
                            // does not overflow.
                            RangeKind::Inclusive => {
                                cx.more = Some(Expr::Binary(
                                    BinOp::Lt,
                                    Box::new(Expr::Var(i.clone())),
                                    Box::new(Expr::Var(end_n.clone())),
                                ));
                                (BinOp::Le, successor(&i))
                            }
                        };
                        cx.extra = vec![stepped, Expr::Var(end_n.clone())];
                        let stop = cx.exit_call();
                        let again = cx.continue_call();
                        let cond = Expr::Binary(
                            op,
                            Box::new(Expr::Var(i.clone())),
                            Box::new(Expr::Var(end_n.clone())),
                        );
                        lw.cx.loops.push(cx);
                        let mark = lw.cx.scope.len();
                        if kind == RangeKind::Exclusive {
                            lw.cx.scope.push(next.clone());
                        }
                        let run = lw.bind_pattern(
                            pattern,
                            Expr::Var(i.clone()),
                            Box::new(move |lw| lw.block(body, Cont::then(move |_, _| Ok(again)))),
                        );
                        lw.cx.scope.truncate(mark);
                        lw.cx.loops.pop();
                        let then_branch = match kind {
                            RangeKind::Exclusive => Term::Let {
                                name: next.clone(),
                                value: successor(&i),
                                rest: Box::new(run?),
                            },
                            RangeKind::Inclusive => run?,
                        };
                        Ok(Term::If {
                            cond,
                            then_branch: Box::new(then_branch),
                            else_branch: Box::new(stop),
                        })
                    })
                }),
            );
        }
        self.expr(
            iter,
            Cont::then(move |lw, xs| {
                let list = lw.temp();
                let head = lw.temp();
                let tail = lw.temp();
                lw.loop_frame(after, vec![(list.clone(), xs)], move |lw, cx| {
                    let mut cx = cx.clone();
                    cx.extra = vec![Expr::Var(tail.clone())];
                    let stop = cx.exit_call();
                    let again = cx.continue_call();
                    lw.cx.loops.push(cx);
                    let mark = lw.cx.scope.len();
                    lw.cx.scope.push(head.clone());
                    lw.cx.scope.push(tail.clone());
                    let run = lw.bind_pattern(
                        pattern,
                        Expr::Var(head.clone()),
                        Box::new(move |lw| lw.block(body, Cont::then(move |_, _| Ok(again)))),
                    );
                    lw.cx.scope.truncate(mark);
                    lw.cx.loops.pop();
                    use avm_vm::itree::{Arm, Pattern};
                    Ok(Term::Match {
                        scrutinee: Expr::Var(list),
                        arms: vec![
                            Arm {
                                pattern: Pattern::Cons(
                                    Box::new(Pattern::Bind(head)),
                                    Box::new(Pattern::Bind(tail)),
                                ),
                                guard: None,
                                body: run?,
                            },
                            Arm {
                                pattern: Pattern::Wild,
                                guard: None,
                                body: stop,
                            },
                        ],
                    })
                })
            }),
        )
    }
}

/// The rest of a statement list, lowered when its place is known.
pub(crate) type Rest<'e> = Box<dyn FnOnce(&mut Lowerer) -> Lowered<Term> + 'e>;

impl LoopCx {
    /// `break`: the exit function over the loop's parameters.
    pub fn exit_call(&self) -> Term {
        Term::Call {
            function: self.exit.clone(),
            args: self.params.iter().cloned().map(Expr::Var).collect(),
        }
    }

    /// `continue`: the loop function again (for an inclusive range, only while the index is
    /// below the end; else the exit).
    pub fn continue_call(&self) -> Term {
        let call = Term::Call {
            function: self.head.clone(),
            args: self
                .params
                .iter()
                .cloned()
                .map(Expr::Var)
                .chain(self.extra.iter().cloned())
                .collect(),
        };
        match &self.more {
            Some(cond) => Term::If {
                cond: cond.clone(),
                then_branch: Box::new(call),
                else_branch: Box::new(self.exit_call()),
            },
            None => call,
        }
    }
}

/// `name + 1`.
fn successor(name: &Name) -> Expr {
    Expr::Binary(
        BinOp::Add,
        Box::new(Expr::Var(name.clone())),
        Box::new(Expr::Lit(Val::Int(1))),
    )
}

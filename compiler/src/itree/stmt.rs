//! Blocks, statements and loops.
//!
//! Takes an [`ast::Block`] (or a statement list) and the continuation of its value; produces the
//! ITree [`Term`]. `let` binds (or matches) a pattern, assignment rebinds a local or writes a
//! state field, and `while` / `for` become a tail-recursive loop function over every variable in
//! scope plus an exit function holding the statements after the loop.

use avm_vm::itree::builder::name;
use avm_vm::itree::{BinOp, Expr, Instr, Name, Term};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::unit;
use super::{LoopCx, Lowered, Lowerer};
use crate::resolve::Res;
use crate::syntax::ast::{self, AssignOp, ExprKind, PatternKind, RangeKind, StmtKind};

impl Lowerer<'_> {
    /// Lowers a block and continues with its value.
    pub fn block<'e>(&mut self, b: &'e ast::Block, k: Cont<'e>) -> Lowered<Term> {
        self.stmts(&b.stmts, b.tail.as_deref(), k)
    }

    fn stmts<'e>(
        &mut self,
        stmts: &'e [ast::Stmt],
        tail: Option<&'e ast::Expr>,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let Some((first, rest)) = stmts.split_first() else {
            return match tail {
                Some(e) => self.expr(e, k),
                None => k.apply(self, unit()),
            };
        };
        match &first.kind {
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
        }
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

    fn assign<'e>(
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
        let combine = move |old: Expr, new: Expr| match bin {
            None => new,
            Some(op) => Expr::Binary(op, Box::new(old), Box::new(new)),
        };
        let res = match &target.kind {
            ExprKind::Path(_) => self
                .typed
                .resolution
                .res(self.cx.module, target.id)
                .cloned(),
            _ => None,
        };
        match res {
            Some(Res::Local(binder)) => {
                let Some(n) = self.cx.locals.get(&binder).cloned() else {
                    return Err(self.unsupported(target.span, "assigning this variable"));
                };
                self.expr(
                    value,
                    Cont::then(move |lw, v| {
                        let rest = rest(lw)?;
                        Ok(Term::Let {
                            name: n.clone(),
                            value: combine(Expr::Var(n), v),
                            rest: Box::new(rest),
                        })
                    }),
                )
            }
            Some(Res::StateField { index, .. }) => self.expr(
                value,
                Cont::then(move |lw, v| {
                    let write = move |lw: &mut Lowerer, old: Expr| -> Lowered<Term> {
                        let rest = rest(lw)?;
                        Ok(Term::Instr {
                            instr: Instr::SetField(index, combine(old, v)),
                            bind: name("_"),
                            rest: Box::new(rest),
                        })
                    };
                    if bin.is_none() {
                        write(lw, unit())
                    } else {
                        lw.instr(Instr::GetField(index), Cont::then(write))
                    }
                }),
            ),
            _ => Err(self.unsupported(
                target.span,
                "assignment to a part of a value (`p.x = e`, `t.0 = e`, `xs[i] = e`)",
            )),
        }
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
            exit: exit.clone(),
            params: params.clone(),
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
                        cx.extra = vec![next.clone(), end_n.clone()];
                        let stop = cx.exit_call();
                        let again = cx.continue_call();
                        let op = match kind {
                            RangeKind::Exclusive => BinOp::Lt,
                            RangeKind::Inclusive => BinOp::Le,
                        };
                        let cond = Expr::Binary(
                            op,
                            Box::new(Expr::Var(i.clone())),
                            Box::new(Expr::Var(end_n.clone())),
                        );
                        lw.cx.loops.push(cx);
                        let mark = lw.cx.scope.len();
                        lw.cx.scope.push(next.clone());
                        let run = lw.bind_pattern(
                            pattern,
                            Expr::Var(i.clone()),
                            Box::new(move |lw| lw.block(body, Cont::then(move |_, _| Ok(again)))),
                        );
                        lw.cx.scope.truncate(mark);
                        lw.cx.loops.pop();
                        Ok(Term::If {
                            cond,
                            then_branch: Box::new(Term::Let {
                                name: next.clone(),
                                value: Expr::Binary(
                                    BinOp::Add,
                                    Box::new(Expr::Var(i)),
                                    Box::new(Expr::Lit(Val::Int(1))),
                                ),
                                rest: Box::new(run?),
                            }),
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
                    cx.extra = vec![tail.clone()];
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

    /// `continue`: the loop function again.
    pub fn continue_call(&self) -> Term {
        Term::Call {
            function: self.head.clone(),
            args: self
                .params
                .iter()
                .chain(&self.extra)
                .cloned()
                .map(Expr::Var)
                .collect(),
        }
    }
}

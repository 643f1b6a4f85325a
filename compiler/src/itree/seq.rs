//! Statement sequences lowered with constant stack per statement.
//!
//! Takes the statements of a block; produces, for each leading *straight* statement (a `let`,
//! expression statement or assignment of a local / state field whose value needs no
//! instructions or control flow, or is a direct call of a function), its term with a *hole* where the statements after it
//! go. The lowering of a block ([`Lowerer::stmts`](super::Lowerer)) lowers the straight
//! statements front to back in a loop, lowers the rest of the block, and then nests the terms
//! from the back with another loop, filling each hole. The lowering of a straight statement
//! reaches its hole as its very last step (nothing is named, declared or reported after it),
//! so the terms and names are exactly those of lowering the rest at the hole, recursively.

use avm_vm::itree::builder::name;
use avm_vm::itree::{FnKind as ItFnKind, Name, Term};

use super::cont::Cont;
use super::{Lowered, Lowerer};
use crate::resolve::Res;
use crate::syntax::ast::{self, AssignOp, ExprKind, FnKind, StmtKind};
use crate::typeck::CallInfo;

/// The name of the call that marks a hole (`$` twice: no written or generated name has it).
const HOLE: &str = "$$rest";

/// The lowering state when a hole was reached; the same state after the statement's lowering
/// returned shows the hole was its last step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HoleMark {
    fresh: u32,
    functions: usize,
    diags: usize,
    scope: usize,
    locals: usize,
}

impl Lowerer<'_> {
    /// Whether `stmt` is straight: its values are effect-free expressions and its target (for
    /// an assignment) a local or a state field, so its lowering continues with the rest in
    /// tail position.
    pub(crate) fn straight(&self, stmt: &ast::Stmt) -> bool {
        match &stmt.kind {
            StmtKind::Let { init, .. } => self.straight_value(init),
            StmtKind::Expr(e) => self.straight_value(e),
            StmtKind::Assign { op, target, value } => {
                let place = match self.typed.resolution.res(self.cx.module, target.id) {
                    Some(Res::Local(binder)) => self.cx.locals.contains_key(binder),
                    Some(Res::StateField { .. }) => *op == AssignOp::Assign,
                    _ => false,
                };
                matches!(target.kind, ExprKind::Path(_)) && place && self.straight_value(value)
            }
            StmtKind::While { .. } | StmtKind::For { .. } | StmtKind::Error => false,
        }
    }

    /// Whether the lowering of `e` continues in tail position: an effect-free expression, or
    /// a direct call of a top-level function (not `callPure`) with effect-free arguments.
    fn straight_value(&self, e: &ast::Expr) -> bool {
        if self.pure_expr(e).is_some() {
            return true;
        }
        let ExprKind::Call { args, .. } = &e.kind else {
            return false;
        };
        let direct = match self.call_info(e.id) {
            Some(CallInfo::Fn { kind, .. }) => {
                *kind != FnKind::Pure || self.cx.kind == ItFnKind::Pure
            }
            _ => false,
        };
        direct && args.iter().all(|a| self.pure_expr(a).is_some())
    }

    /// Lowers a straight statement (see [`Lowerer::straight`]) with a hole for the rest,
    /// marked with its source span.
    pub(crate) fn straight_stmt(&mut self, stmt: &ast::Stmt) -> Lowered<Term> {
        let loc = self.loc(stmt.span);
        self.stmt_loc = loc;
        self.hole = None;
        let term = match &stmt.kind {
            StmtKind::Let { pattern, init, .. } => self.expr(
                init,
                Cont::then(move |lw, v| {
                    lw.bind_pattern(pattern, v, Box::new(|lw: &mut Lowerer| lw.hole()))
                }),
            ),
            StmtKind::Assign { op, target, value } => {
                self.assign(*op, target, value, Box::new(|lw: &mut Lowerer| lw.hole()))
            }
            StmtKind::Expr(e) => self.expr(e, Cont::then(|lw, _| lw.hole())),
            StmtKind::While { .. } | StmtKind::For { .. } | StmtKind::Error => {
                return Err(self.unsupported(stmt.span, "this statement"));
            }
        }?;
        let last_step = self.hole.take() == Some(self.hole_mark());
        if !last_step {
            return Err(self.unsupported(stmt.span, "this statement"));
        }
        Ok(Lowerer::mark(loc, term))
    }

    /// The hole of the straight statement being lowered.
    fn hole(&mut self) -> Lowered<Term> {
        self.hole = Some(self.hole_mark());
        Ok(Term::Call {
            function: name(HOLE),
            args: Vec::new(),
        })
    }

    fn hole_mark(&self) -> HoleMark {
        HoleMark {
            fresh: self.fresh,
            functions: self.functions.len(),
            diags: self.diags.len(),
            scope: self.cx.scope.len(),
            locals: self.cx.locals.len(),
        }
    }
}

/// `outer` with its hole replaced by `rest` (searched with an explicit stack: `outer` is the
/// term of one statement, the rest is put in after the search); `None` when it has no hole.
pub(crate) fn fill_hole(mut outer: Term, rest: Term) -> Option<Term> {
    let hole: Name = name(HOLE);
    let mut rest = Some(rest);
    let mut stack: Vec<&mut Term> = vec![&mut outer];
    while let Some(t) = stack.pop() {
        match t {
            Term::Call { function, args } if *function == hole && args.is_empty() => {
                if let Some(r) = rest.take() {
                    *t = r;
                }
                break;
            }
            Term::Ret(_) | Term::Call { .. } | Term::Fail(_) => {}
            Term::Tau(body) | Term::At { body, .. } => stack.push(body),
            Term::Instr { rest, .. } | Term::Let { rest, .. } => stack.push(rest),
            Term::If {
                then_branch,
                else_branch,
                ..
            } => {
                stack.push(else_branch);
                stack.push(then_branch);
            }
            Term::Match { arms, .. } => stack.extend(arms.iter_mut().rev().map(|a| &mut a.body)),
            Term::Bind { first, rest, .. }
            | Term::Try {
                body: first, rest, ..
            } => {
                stack.push(rest);
                stack.push(first);
            }
        }
    }
    rest.is_none().then_some(outer)
}

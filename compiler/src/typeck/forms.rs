//! Type rules for control transfer and the AVM forms: `if`, `abort`,
//! `reject`, `break`/`continue`, `return`, `try`, casts, `atomic`,
//! `unsafe`, `update pure` / `register pure`, the object, machine and
//! controller forms, and `post` / `require`.
//!
//! Takes those expressions; produces their types and diagnostics: placement
//! (E0408 `abort`, E0409 `reject`, E0410 `break`/`continue`), `try` (E0419),
//! casts (E0405), constraints (E0420), effects (E0406) and unsafe forms
//! (E0407).

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::{ItemDef, Res};
use crate::syntax::ast::{BinaryOp, Block, Expr, ExprKind, FnKind, UnaryOp};
use crate::syntax::span::Span;
use crate::typeck::check::Checker;
use crate::typeck::types::Type;

type AstType = crate::syntax::ast::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FdTerm {
    Var,
    Constant,
}

impl Checker<'_> {
    #[inline(never)]
    pub(crate) fn unary(&mut self, op: UnaryOp, operand: &Expr) -> Type {
        let t = self.infer_expr(operand);
        match op {
            UnaryOp::Neg => {
                if self.operand(&t, &Type::Int, operand.span, "unary `-`") {
                    Type::Int
                } else {
                    Type::Error
                }
            }
            UnaryOp::Not => {
                if self.operand(&t, &Type::Bool, operand.span, "`!`") {
                    Type::Bool
                } else {
                    Type::Error
                }
            }
        }
    }

    #[inline(never)]
    pub(crate) fn if_expr(
        &mut self,
        cond: &Expr,
        then_branch: &Block,
        else_branch: Option<&Expr>,
    ) -> Type {
        self.check_expr(cond, &Type::Bool);
        let then_ty = self.block(then_branch);
        let Some(else_expr) = else_branch else {
            // Without `else` the value of the branch, if any, is discarded.
            return Type::Unit;
        };
        let else_ty = self.infer_expr(else_expr);
        if !self.infer.unify(&then_ty, &else_ty) {
            let (t, e) = (self.show(&then_ty), self.show(&else_ty));
            let d = Diagnostic::new(
                Code::E0401,
                format!("`if` and `else` have different types: `{t}` and `{e}`"),
                self.label(else_expr.span, format!("this is `{e}`")),
            )
            .with_secondary(self.label(then_branch.span, format!("this is `{t}`")))
            .with_help("make both branches produce the same type");
            self.report(d);
        }
        then_ty
    }

    /// `abort`, `reject`, `break`, `continue`, `return`: they leave the
    /// current block, so their type is a fresh variable (any type), or
    /// `Error` when they are misplaced.
    #[inline(never)]
    pub(crate) fn control(&mut self, expr: &Expr) -> Type {
        let misplaced = match &expr.kind {
            ExprKind::Abort if self.atomic_depth == 0 => Some(
                Diagnostic::new(
                    Code::E0408,
                    "`abort` outside an atomic block",
                    self.label(expr.span, "there is no transaction to abort here"),
                )
                .with_help("put this inside `atomic { ... }` (and use `try atomic { ... }` to get `none` on abort)"),
            ),
            ExprKind::Reject if self.ctx.object.is_none() => Some(
                Diagnostic::new(
                    Code::E0409,
                    "`reject` outside a method",
                    self.label(expr.span, "only a method can reject its call"),
                )
                .with_help("move this into an object's method, or return an `Option` (`none`) from this function"),
            ),
            ExprKind::Break | ExprKind::Continue if self.loop_depth == 0 => {
                let word = if matches!(expr.kind, ExprKind::Break) { "break" } else { "continue" };
                Some(
                    Diagnostic::new(
                        Code::E0410,
                        format!("`{word}` outside a loop"),
                        self.label(expr.span, format!("`{word}` must be inside `while` or `for`")),
                    )
                    .with_help(format!("remove `{word}`, or move it into the body of a loop")),
                )
            }
            ExprKind::Return(value) => {
                let want = self.returns.last().cloned().unwrap_or(Type::Unit);
                match value {
                    Some(v) => {
                        self.check_expr(v, &want);
                    }
                    None => {
                        self.expect(&want, &Type::Unit, expr.span);
                    }
                }
                None
            }
            _ => None,
        };
        match misplaced {
            Some(d) => {
                self.report(d);
                Type::Error
            }
            None => self.infer.fresh_diverging(),
        }
    }

    /// The AVM forms written as keywords.
    #[inline(never)]
    pub(crate) fn avm_form(&mut self, expr: &Expr) -> Type {
        match &expr.kind {
            ExprKind::Atomic { controller, body } => {
                if let Some(c) = controller {
                    self.check_expr(c, &Type::ControllerId);
                }
                self.effect(expr.span, "run a transaction");
                self.atomic_depth += 1;
                let t = self.block(body);
                self.atomic_depth -= 1;
                return t;
            }
            ExprKind::Unsafe(b) => {
                self.unsafe_depth += 1;
                let t = self.block(b);
                self.unsafe_depth -= 1;
                return t;
            }
            ExprKind::UpdatePure { .. } => {
                self.effect(expr.span, "update a pure function");
                self.pure_fn_pair(expr, "update pure");
            }
            ExprKind::RegisterPure { .. } => {
                self.unsafe_op(expr.span, "`register pure`");
                self.effect(expr.span, "register a pure function");
                self.registered_impl(expr);
            }
            ExprKind::Teleport(m) => {
                self.check_expr(m, &Type::MachineId);
                self.effect(expr.span, "teleport");
            }
            ExprKind::Destroy(object) | ExprKind::Fetch(object) | ExprKind::Freeze(object) => {
                let t = self.infer_expr(object);
                self.expect_ref(&t, object.span);
                let what = match &expr.kind {
                    ExprKind::Destroy(_) => "destroy an object",
                    ExprKind::Fetch(_) => "fetch an object",
                    _ => "freeze an object",
                };
                self.effect(expr.span, what);
            }
            ExprKind::Move { object, machine } => {
                let t = self.infer_expr(object);
                self.expect_ref(&t, object.span);
                self.check_expr(machine, &Type::MachineId);
                self.effect(expr.span, "move an object");
            }
            ExprKind::Transfer { object, controller } => {
                let t = self.infer_expr(object);
                self.expect_ref(&t, object.span);
                self.check_expr(controller, &Type::ControllerId);
                self.effect(expr.span, "transfer an object");
            }
            ExprKind::Post(constraint) => {
                self.effect(expr.span, "post a constraint");
                self.constraint(constraint);
            }
            ExprKind::Require(cond) => {
                self.effect(expr.span, "record a `require`");
                self.check_expr(cond, &Type::Bool);
            }
            _ => {}
        }
        Type::Unit
    }

    pub(crate) fn try_expr(&mut self, inner: &Expr) -> Type {
        match &inner.kind {
            ExprKind::MethodCall { .. } if !self.mres.module_calls.contains_key(&inner.id) => {
                Type::option(self.infer_expr(inner))
            }
            ExprKind::Atomic { .. } => Type::option(self.infer_expr(inner)),
            _ => {
                let t = self.infer_expr(inner);
                let shown = self.show(&t);
                let d = Diagnostic::new(
                    Code::E0419,
                    "`try` applies only to a method call or an atomic block",
                    self.label(inner.span, format!("this `{shown}` expression cannot reject or abort")),
                )
                .with_help("remove `try`, or apply it to `c.method(...)` or `atomic { ... }`; wrap a plain value with `some(...)`");
                self.report(d);
                Type::option(t)
            }
        }
    }
    pub(crate) fn cast(&mut self, inner: &Expr, ty: &AstType) -> Type {
        let from = self.infer_expr(inner);
        let to = self.lower_type(ty);
        let from_r = self.infer.shallow(&from);
        let to_r = self.infer.zonk(&to);
        let ok = match (&from_r, &to_r) {
            (Type::Error, _) | (_, Type::Error) => true,
            (Type::Any, Type::Fn(_)) => false,
            (Type::Any, _) => true,
            (Type::Ref(_), Type::Ref(_)) => true,
            (Type::Var(_), _) => self.infer.unify(&from, &to),
            _ => self.infer.unify(&to, &from),
        };
        if !ok {
            let (f, t) = (self.show(&from), self.show(&to));
            let help = match (&from_r, &to_r) {
                (_, Type::String) => "convert to a string with `to_string(...)`".to_string(),
                _ => format!(
                    "`as` converts only from `Any` or `Ref[Any]`; build a `{t}` explicitly instead"
                ),
            };
            let d = Diagnostic::new(
                Code::E0405,
                format!("cannot cast `{f}` to `{t}`"),
                self.label(inner.span, format!("this is `{f}`")),
            )
            .with_help(help);
            self.report(d);
        }
        to
    }
    pub(crate) fn pure_fn_pair(&mut self, expr: &Expr, what: &str) {
        let Some((a, b)) = self.mres.pure_fn_pairs.get(&expr.id).cloned() else {
            return;
        };
        let sig_of = |res: &Res| match res {
            Res::Item(ItemDef::Fn(id)) => Some(*id),
            _ => None,
        };
        let (Some(fa), Some(fb)) = (sig_of(&a), sig_of(&b)) else {
            let d = Diagnostic::new(
                Code::E0401,
                format!("`{what}` names two pure functions"),
                self.label(expr.span, "not a pair of functions"),
            )
            .with_help(format!(
                "write `{what} f = g` where `f` and `g` are `pure fn`s"
            ));
            self.report(d);
            return;
        };
        let (sa, sb) = (&self.sigs.fns[fa.0 as usize], &self.sigs.fns[fb.0 as usize]);
        let same = sa.params == sb.params && sa.ret == sb.ret;
        let both_pure = sa.kind == FnKind::Pure && sb.kind == FnKind::Pure;
        if !both_pure || !same {
            let problem = if !both_pure {
                "both functions must be declared `pure fn`"
            } else {
                "the two functions must have the same parameter and result types"
            };
            let d = Diagnostic::new(
                Code::E0401,
                format!("`{what}`: {problem}"),
                self.label(expr.span, problem),
            )
            .with_secondary(crate::diagnostics::Label::new(
                sa.file,
                sa.name_span,
                "first function",
            ))
            .with_secondary(crate::diagnostics::Label::new(
                sb.file,
                sb.name_span,
                "second function",
            ))
            .with_help("declare both as `pure fn` with identical signatures");
            self.report(d);
        }
    }
    /// `register pure name = g`: `g` must be a `pure fn`.
    pub(crate) fn registered_impl(&mut self, expr: &Expr) {
        let Some(res) = self.mres.registered_impls.get(&expr.id).cloned() else {
            return;
        };
        let pure = matches!(res, Res::Item(ItemDef::Fn(id)) if self.sigs.fns[id.0 as usize].kind == FnKind::Pure);
        if !pure {
            let d = Diagnostic::new(
                Code::E0401,
                "`register pure` needs a `pure fn` as its implementation",
                self.label(expr.span, "the implementation is not a pure function"),
            )
            .with_help("write `register pure name = f` where `f` is declared `pure fn`");
            self.report(d);
        }
    }
    /// The operand of `post`: a comparison involving `FdVar`s, or a
    /// `Constraint` value such as `all_different(qs)`.
    pub(crate) fn constraint(&mut self, c: &Expr) {
        if let ExprKind::Binary { op, lhs, rhs } = &c.kind
            && matches!(
                op,
                BinaryOp::Eq
                    | BinaryOp::Ne
                    | BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge
            )
        {
            let l = self.fd_term(lhs);
            let r = self.fd_term(rhs);
            self.record(c.id, &Type::Constraint);
            if l == Some(FdTerm::Constant) && r == Some(FdTerm::Constant) {
                self.bad_constraint(c.span, "compares two integers");
            }
            return;
        }
        let t = self.infer_expr(c);
        match self.infer.shallow(&t) {
            Type::Constraint | Type::Error => {}
            _ => self.bad_constraint(c.span, "is not a constraint"),
        }
    }
    fn bad_constraint(&mut self, span: Span, why: &str) {
        let d = Diagnostic::new(
            Code::E0420,
            format!("`post` needs a constraint on `FdVar`s, but this {why}"),
            self.label(span, "not a finite-domain constraint"),
        )
        .with_help(
            "post a comparison with an `FdVar` (`post q != r + 1`) or `all_different(vars)`",
        );
        self.report(d);
    }
    /// One side of a posted comparison: an `FdVar`, an `FdVar` plus or minus
    /// an integer, or an integer.
    fn fd_term(&mut self, e: &Expr) -> Option<FdTerm> {
        if let ExprKind::Binary {
            op: BinaryOp::Add | BinaryOp::Sub,
            lhs,
            rhs,
        } = &e.kind
        {
            let l = self.infer_expr(lhs);
            let r = self.infer_expr(rhs);
            let term = match (self.infer.shallow(&l), self.infer.shallow(&r)) {
                (Type::FdVar, Type::Int) | (Type::Int, Type::FdVar) => Some(FdTerm::Var),
                (Type::Int, Type::Int) => Some(FdTerm::Constant),
                (Type::Error, _) | (_, Type::Error) => None,
                _ => {
                    self.bad_constraint(e.span, "offset is not `FdVar + Int`");
                    None
                }
            };
            let ty = if term == Some(FdTerm::Constant) {
                Type::Int
            } else {
                Type::FdVar
            };
            self.record(e.id, &ty);
            return term;
        }
        let t = self.infer_expr(e);
        match self.infer.shallow(&t) {
            Type::FdVar => Some(FdTerm::Var),
            Type::Int => Some(FdTerm::Constant),
            Type::Error => None,
            other => {
                let shown = self.show(&other);
                let d = Diagnostic::new(
                    Code::E0420,
                    format!("a constraint compares `FdVar`s and `Int`s, not `{shown}`"),
                    self.label(e.span, format!("this is `{shown}`")),
                )
                .with_help("use variables made by `fd_vars(n, domain)` and integer constants");
                self.report(d);
                None
            }
        }
    }
}

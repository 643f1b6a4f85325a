//! Type rules for expressions, statements and blocks: the dispatch over
//! expression kinds, literals, paths, operators, lists and tuples, closures,
//! `let` / assignment / loops.
//!
//! Takes AST expressions; produces their types (recorded in the module's
//! side table) and diagnostics: mismatches (E0401), operators (E0418) and
//! uses of names that are not values (E0415, E0417). Field access and
//! struct literals live in `access`, control transfer and the AVM forms in
//! `forms`, calls in `calls`, patterns in `pattern`.

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::{ItemDef, Res, VariantShape};
use crate::syntax::ast::*;
use crate::syntax::span::Span;
use crate::typeck::check::{Checker, ClosureEffects};
use crate::typeck::types::{Purity, RefTarget, Type};

/// Whether a statement transfers control away (so a block ending in it has
/// any type).
fn diverges(expr: &Expr) -> bool {
    matches!(
        expr.kind,
        ExprKind::Return(_)
            | ExprKind::Abort
            | ExprKind::Reject
            | ExprKind::Break
            | ExprKind::Continue
    )
}

impl Checker<'_> {
    /// Infers the type of `expr` and requires it to fit `expected`.
    pub fn check_expr(&mut self, expr: &Expr, expected: &Type) -> Type {
        // Checking mode for the forms whose inference needs the context.
        match (&expr.kind, self.infer.shallow(expected)) {
            (ExprKind::Closure { params, body }, Type::Fn(ft))
                if ft.params.len() == params.len() =>
            {
                let ty = self.closure(params, body, Some(&ft.params));
                self.record(expr.id, &ty);
                self.expect(expected, &ty, expr.span);
                return ty;
            }
            (ExprKind::List(items), Type::Any) => {
                for item in items {
                    self.check_expr(item, &Type::Any);
                }
                let ty = Type::list(Type::Any);
                self.record(expr.id, &ty);
                return ty;
            }
            _ => {}
        }
        let ty = self.infer_expr(expr);
        self.expect(expected, &ty, expr.span);
        ty
    }

    pub fn infer_expr(&mut self, expr: &Expr) -> Type {
        let ty = self.infer_kind(expr);
        self.record(expr.id, &ty);
        ty
    }

    pub fn block(&mut self, block: &Block) -> Type {
        // The type of a statement that leaves the block (`return`, `break`,
        // …): a fresh variable, or `Error` when it was misplaced.
        let mut ends: Option<Type> = None;
        for stmt in &block.stmts {
            self.stmt(stmt);
            if let StmtKind::Expr(e) = &stmt.kind
                && diverges(e)
            {
                ends = self.out.types.get(&e.id).cloned();
            }
        }
        let ty = match (&block.tail, ends) {
            (Some(tail), _) => self.infer_expr(tail),
            (None, Some(t)) => t,
            (None, None) => Type::Unit,
        };
        self.record(block.id, &ty);
        ty
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Let {
                pattern, ty, init, ..
            } => {
                let init_ty = self.infer_expr(init);
                let ty = match ty {
                    Some(annotation) => {
                        let declared = self.lower_type(annotation);
                        self.expect(&declared, &init_ty, init.span);
                        declared
                    }
                    None => init_ty,
                };
                let before = self.diags.len();
                self.check_pattern(pattern, &ty);
                if self.diags.len() == before {
                    self.check_irrefutable(pattern, &ty);
                }
                self.collect_let_binders(pattern);
            }
            StmtKind::Assign { op, target, value } => {
                let target_ty = self.infer_expr(target);
                if let ExprKind::Path(_) = &target.kind
                    && let Some(Res::StateField { .. }) = self.mres.res.get(&target.id)
                {
                    self.effect(target.span, "write an object's state");
                }
                match op {
                    AssignOp::Assign => {
                        self.check_expr(value, &target_ty);
                    }
                    AssignOp::AddAssign | AssignOp::SubAssign | AssignOp::MulAssign => {
                        self.operand(&target_ty, &Type::Int, target.span, "arithmetic assignment");
                        let v = self.infer_expr(value);
                        self.operand(&v, &Type::Int, value.span, "arithmetic assignment");
                    }
                }
            }
            StmtKind::While { cond, body } => {
                self.check_expr(cond, &Type::Bool);
                self.loop_depth += 1;
                self.block(body);
                self.loop_depth -= 1;
            }
            StmtKind::For {
                pattern,
                iter,
                body,
            } => {
                let iter_ty = self.infer_expr(iter);
                let elem = self.infer.fresh();
                if !self.infer.unify(&Type::list(elem.clone()), &iter_ty) {
                    let found = self.show(&iter_ty);
                    let d = Diagnostic::new(
                        Code::E0401,
                        format!("`for` loops iterate over lists and ranges, not `{found}`"),
                        self.label(iter.span, format!("this is `{found}`")),
                    )
                    .with_help("iterate over a `List[T]` or a range such as `0..n`");
                    self.report(d);
                }
                let before = self.diags.len();
                self.check_pattern(pattern, &elem);
                if self.diags.len() == before {
                    self.check_irrefutable(pattern, &elem);
                }
                self.loop_depth += 1;
                self.block(body);
                self.loop_depth -= 1;
            }
            StmtKind::Expr(e) => {
                self.infer_expr(e);
            }
            StmtKind::Error => {}
        }
    }

    fn collect_let_binders(&mut self, pattern: &Pattern) {
        match &pattern.kind {
            PatternKind::Binding(_) if self.mres.binders.contains_key(&pattern.id) => {
                self.let_binders.push(pattern.id);
            }
            PatternKind::Tuple(items) => items.iter().for_each(|p| self.collect_let_binders(p)),
            _ => {}
        }
    }

    /// Requires an operand of an operator to have type `want`.
    pub fn operand(&mut self, actual: &Type, want: &Type, span: Span, what: &str) -> bool {
        if self.infer.unify(want, actual) {
            return true;
        }
        let (w, a) = (self.show(want), self.show(actual));
        let help = if matches!(self.infer.zonk(actual), Type::String) && what == "`+`" {
            "concatenate strings with `++`".to_string()
        } else {
            format!("{what} needs `{w}` operands; convert this value or use a different operator")
        };
        let d = Diagnostic::new(
            Code::E0418,
            format!("{what} cannot be applied to `{a}`"),
            self.label(span, format!("this is `{a}`, expected `{w}`")),
        )
        .with_help(help);
        self.report(d);
        false
    }

    fn infer_kind(&mut self, expr: &Expr) -> Type {
        match &expr.kind {
            ExprKind::Lit(lit) => literal_type(lit),
            ExprKind::Path(_) => self.path_expr(expr),
            ExprKind::Context(ContextValue::SelfRef) => match self.ctx.object {
                Some(o) => Type::Ref(RefTarget::Object(o)),
                None => Type::Error,
            },
            ExprKind::Context(ContextValue::Sender) => Type::option(Type::Ref(RefTarget::Any)),
            ExprKind::Context(ContextValue::Input) => Type::Any,
            ExprKind::None => Type::option(self.infer.fresh()),
            ExprKind::Some(inner) => Type::option(self.infer_expr(inner)),
            ExprKind::Call { callee, args } => self.call(expr, callee, args),
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => self.method_call(expr, receiver, method, args),
            ExprKind::Field { base, field } => self.field(base, field),
            ExprKind::TupleIndex {
                base,
                index,
                index_span,
            } => self.tuple_index(base, *index, *index_span),
            ExprKind::Index { base, index } => self.index(base, index),
            ExprKind::Unary { op, operand } => self.unary(*op, operand),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs),
            ExprKind::Range { start, end, .. } => {
                let s = self.infer_expr(start);
                self.operand(&s, &Type::Int, start.span, "a range");
                let e = self.infer_expr(end);
                self.operand(&e, &Type::Int, end.span, "a range");
                Type::list(Type::Int)
            }
            ExprKind::Tuple(items) => {
                Type::Tuple(items.iter().map(|e| self.infer_expr(e)).collect())
            }
            ExprKind::List(items) => {
                let elem = self.infer.fresh();
                for item in items {
                    self.check_expr(item, &elem);
                }
                Type::list(elem)
            }
            ExprKind::Struct { path, fields } => self.struct_literal(expr, path, fields),
            ExprKind::Block(b) => self.block(b),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => self.if_expr(cond, then_branch, else_branch.as_deref()),
            ExprKind::Match { scrutinee, arms } => self.match_expr(scrutinee, arms),
            ExprKind::Closure { params, body } => self.closure(params, body, None),
            ExprKind::Create {
                args, controller, ..
            } => self.create(expr, args.as_deref(), controller.as_deref()),
            ExprKind::Destroy(_) => self.avm_form(expr),
            ExprKind::Try(inner) => self.try_expr(inner),
            ExprKind::Atomic { .. }
            | ExprKind::Unsafe(_)
            | ExprKind::UpdatePure { .. }
            | ExprKind::RegisterPure { .. }
            | ExprKind::Teleport(_)
            | ExprKind::Move { .. }
            | ExprKind::Fetch(_)
            | ExprKind::Transfer { .. }
            | ExprKind::Freeze(_)
            | ExprKind::Post(_)
            | ExprKind::Require(_) => self.avm_form(expr),
            ExprKind::Abort
            | ExprKind::Reject
            | ExprKind::Break
            | ExprKind::Continue
            | ExprKind::Return(_) => self.control(expr),
            ExprKind::Cast { expr: inner, ty } => self.cast(inner, ty),
            ExprKind::Error => Type::Error,
        }
    }

    fn path_expr(&mut self, expr: &Expr) -> Type {
        let Some(res) = self.mres.res.get(&expr.id).cloned() else {
            return Type::Error;
        };
        match res {
            Res::Local(binder) => self.locals.get(&binder).cloned().unwrap_or(Type::Error),
            Res::StateField { object, index } => self.sigs.objects[object.0 as usize]
                .fields
                .get(index)
                .map_or(Type::Error, |f| f.ty.clone()),
            Res::Item(ItemDef::Fn(id)) => {
                let sig = &self.sigs.fns[id.0 as usize];
                let args: Vec<Type> = sig.generics.iter().map(|_| self.infer.fresh()).collect();
                Type::func(
                    sig.purity(),
                    sig.params.iter().map(|t| t.instantiate(&args)).collect(),
                    sig.ret.instantiate(&args),
                )
            }
            Res::Variant { enum_id, index } => {
                let decl = self.defs.enum_decl(enum_id);
                let args: Vec<Type> = (0..decl.generics).map(|_| self.infer.fresh()).collect();
                let enum_ty = Type::Enum(enum_id, args.clone().into());
                let variant = &self.sigs.enums[enum_id.0 as usize].variants[index as usize];
                match decl.variants[index as usize].shape {
                    VariantShape::Unit => enum_ty,
                    VariantShape::Tuple => Type::func(
                        Purity::Pure,
                        variant
                            .fields
                            .iter()
                            .map(|f| f.ty.instantiate(&args))
                            .collect(),
                        enum_ty,
                    ),
                    VariantShape::Struct => {
                        let name = variant.name.clone();
                        let d = Diagnostic::new(
                            Code::E0415,
                            format!("variant `{name}` has named fields and is built with braces"),
                            self.label(expr.span, "not a value by itself"),
                        )
                        .with_help(format!("write `{name} {{ field: value, ... }}`"));
                        self.report(d);
                        Type::Error
                    }
                }
            }
            Res::Builtin(b) => match crate::typeck::builtins::signature(b) {
                crate::typeck::builtins::BuiltinSig::Plain {
                    generics,
                    params,
                    ret,
                } => {
                    let args: Vec<Type> = (0..generics).map(|_| self.infer.fresh()).collect();
                    let purity = if b.is_effect() {
                        Purity::Effectful
                    } else {
                        Purity::Pure
                    };
                    Type::func(
                        purity,
                        params.iter().map(|t| t.instantiate(&args)).collect(),
                        ret.instantiate(&args),
                    )
                }
                crate::typeck::builtins::BuiltinSig::Special => {
                    let d = Diagnostic::new(
                        Code::E0415,
                        format!("`{}` can only be called directly", b.name()),
                        self.label(expr.span, "used as a value"),
                    )
                    .with_help(format!("wrap it in a closure: `|x| {}(x)`", b.name()));
                    self.report(d);
                    Type::Error
                }
            },
            Res::Item(ItemDef::Object(o)) => {
                let name = self.defs.object(o).name.clone();
                let d = Diagnostic::new(
                    Code::E0417,
                    format!("object `{name}` is not a value"),
                    self.label(expr.span, "an object name used as a value"),
                )
                .with_help(format!("create an instance with `create {name}`"));
                self.report(d);
                Type::Error
            }
            Res::Item(def @ (ItemDef::Struct(_) | ItemDef::Enum(_))) => {
                let name = self.defs.item_name(def).to_string();
                let d = Diagnostic::new(
                    Code::E0415,
                    format!("`{name}` is a type, not a value"),
                    self.label(expr.span, "a type used as a value"),
                )
                .with_help(match def {
                    ItemDef::Struct(_) => {
                        format!("build a value with `{name} {{ field: value, ... }}`")
                    }
                    _ => format!("name one of its variants: `{name}::Variant`"),
                });
                self.report(d);
                Type::Error
            }
            Res::Module(_) | Res::BuiltinType(_) | Res::Generic(_) => {
                let d = Diagnostic::new(
                    Code::E0415,
                    "a module is not a value",
                    self.label(expr.span, "a module name used as a value"),
                )
                .with_help("call one of its functions: `module.function(...)`");
                self.report(d);
                Type::Error
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Type {
        let l = self.infer_expr(lhs);
        let r = self.infer_expr(rhs);
        let sym = op.symbol();
        let what = format!("`{sym}`");
        match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => {
                if self.operand(&l, &Type::Int, lhs.span, &what)
                    && self.operand(&r, &Type::Int, rhs.span, &what)
                {
                    Type::Int
                } else {
                    Type::Error
                }
            }
            BinaryOp::And | BinaryOp::Or => {
                if self.operand(&l, &Type::Bool, lhs.span, &what)
                    && self.operand(&r, &Type::Bool, rhs.span, &what)
                {
                    Type::Bool
                } else {
                    Type::Error
                }
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                if !self.infer.unify(&l, &r) {
                    let (a, b) = (self.show(&l), self.show(&r));
                    let d = Diagnostic::new(
                        Code::E0418,
                        format!("cannot compare `{a}` with `{b}`"),
                        self.label(rhs.span, format!("this is `{b}`")),
                    )
                    .with_secondary(self.label(lhs.span, format!("this is `{a}`")))
                    .with_help("compare two values of the same type");
                    self.report(d);
                    return Type::Bool;
                }
                if matches!(
                    op,
                    BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
                ) {
                    match self.infer.shallow(&l) {
                        Type::Int | Type::String | Type::Error => {}
                        Type::Var(_) => {
                            self.infer.unify(&l, &Type::Int);
                        }
                        other => {
                            let a = self.show(&other);
                            let d = Diagnostic::new(
                                Code::E0418,
                                format!("{what} cannot order values of type `{a}`"),
                                self.label(lhs.span, format!("this is `{a}`")),
                            )
                            .with_help("only `Int`s and `String`s are ordered; compare a field or a number derived from the value");
                            self.report(d);
                        }
                    }
                }
                Type::Bool
            }
            BinaryOp::Concat => {
                if !self.infer.unify(&l, &r) {
                    let (a, b) = (self.show(&l), self.show(&r));
                    let d = Diagnostic::new(
                        Code::E0418,
                        format!("`++` needs two lists or two strings, found `{a}` and `{b}`"),
                        self.label(rhs.span, format!("this is `{b}`")),
                    )
                    .with_secondary(self.label(lhs.span, format!("this is `{a}`")))
                    .with_help("convert one side so both have the same type (e.g. `to_string(n)`, or `[x]` for a list)");
                    self.report(d);
                    return Type::Error;
                }
                match self.infer.shallow(&l) {
                    Type::List(_) | Type::String | Type::Error | Type::Var(_) => l,
                    other => {
                        let a = self.show(&other);
                        let d = Diagnostic::new(
                            Code::E0418,
                            format!("`++` cannot be applied to `{a}`"),
                            self.label(lhs.span, format!("this is `{a}`")),
                        )
                        .with_help("`++` concatenates lists or strings; use `+` to add numbers");
                        self.report(d);
                        Type::Error
                    }
                }
            }
        }
    }

    /// A closure; `expected` are the parameter types the context wants.
    fn closure(&mut self, params: &[ClosureParam], body: &Expr, expected: Option<&[Type]>) -> Type {
        let mut param_tys = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let t = match &p.ty {
                Some(t) => self.lower_type(t),
                None => match expected.and_then(|e| e.get(i)) {
                    Some(t) => t.clone(),
                    None => self.infer.fresh(),
                },
            };
            self.locals.insert(p.id, t.clone());
            self.record(p.id, &t);
            param_tys.push(t);
        }
        let ret = self.infer.fresh();
        self.returns.push(ret.clone());
        self.closures.push(ClosureEffects::None);
        let (loops, atomics) = (self.loop_depth, self.atomic_depth);
        self.loop_depth = 0;
        self.atomic_depth = 0;
        self.check_expr(body, &ret);
        self.loop_depth = loops;
        self.atomic_depth = atomics;
        self.returns.pop();
        let purity = match self.closures.pop() {
            Some(ClosureEffects::Some) => Purity::Effectful,
            _ => Purity::Pure,
        };
        Type::func(purity, param_tys, ret)
    }
}

pub fn literal_type(lit: &Literal) -> Type {
    match lit {
        Literal::Int(_) => Type::Int,
        Literal::Bool(_) => Type::Bool,
        Literal::String(_) => Type::String,
        Literal::Unit => Type::Unit,
    }
}

//! Type rules for expressions, statements and blocks.
//!
//! Takes AST expressions; produces their types (recorded in the module's
//! side table) and diagnostics: mismatches (E0401), operators (E0418),
//! fields and indexing (E0412, E0413, E0422), casts (E0405), `try` (E0419),
//! `abort`/`reject`/`break`/`continue` placement (E0408–E0410), constraints
//! (E0420) and unsolved `let` types (E0414 is reported by the caller).

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
            ExprKind::Unary { op, operand } => {
                let t = self.infer_expr(operand);
                match op {
                    UnaryOp::Neg => {
                        self.operand(&t, &Type::Int, operand.span, "unary `-`");
                        Type::Int
                    }
                    UnaryOp::Not => {
                        self.operand(&t, &Type::Bool, operand.span, "`!`");
                        Type::Bool
                    }
                }
            }
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
            } => {
                self.check_expr(cond, &Type::Bool);
                let then_ty = self.block(then_branch);
                match else_branch {
                    Some(else_expr) => {
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
                    None => {
                        // The value of the branch, if any, is discarded.
                        Type::Unit
                    }
                }
            }
            ExprKind::Match { scrutinee, arms } => self.match_expr(scrutinee, arms),
            ExprKind::Closure { params, body } => self.closure(params, body, None),
            ExprKind::Create {
                args, controller, ..
            } => self.create(expr, args.as_deref(), controller.as_deref()),
            ExprKind::Destroy(target) => {
                let t = self.infer_expr(target);
                self.expect_ref(&t, target.span);
                self.effect(expr.span, "destroy an object");
                Type::Unit
            }
            ExprKind::Try(inner) => self.try_expr(inner),
            ExprKind::Atomic { controller, body } => {
                if let Some(c) = controller {
                    self.check_expr(c, &Type::ControllerId);
                }
                self.effect(expr.span, "run a transaction");
                self.atomic_depth += 1;
                let t = self.block(body);
                self.atomic_depth -= 1;
                t
            }
            ExprKind::Abort => {
                if self.atomic_depth == 0 {
                    let d = Diagnostic::new(
                        Code::E0408,
                        "`abort` outside an atomic block",
                        self.label(expr.span, "there is no transaction to abort here"),
                    )
                    .with_help("put this inside `atomic { ... }` (and use `try atomic { ... }` to get `none` on abort)");
                    self.report(d);
                    return Type::Error;
                }
                self.infer.fresh()
            }
            ExprKind::Reject => {
                if self.ctx.object.is_none() {
                    let d = Diagnostic::new(
                        Code::E0409,
                        "`reject` outside a method",
                        self.label(expr.span, "only a method can reject its call"),
                    )
                    .with_help("move this into an object's method, or return an `Option` (`none`) from this function");
                    self.report(d);
                    return Type::Error;
                }
                self.infer.fresh()
            }
            ExprKind::Unsafe(b) => {
                self.unsafe_depth += 1;
                let t = self.block(b);
                self.unsafe_depth -= 1;
                t
            }
            ExprKind::UpdatePure { .. } => {
                self.effect(expr.span, "update a pure function");
                self.pure_fn_pair(expr, "update pure");
                Type::Unit
            }
            ExprKind::RegisterPure { .. } => {
                self.unsafe_op(expr.span, "`register pure`");
                self.effect(expr.span, "register a pure function");
                self.registered_impl(expr);
                Type::Unit
            }
            ExprKind::Teleport(m) => {
                self.check_expr(m, &Type::MachineId);
                self.effect(expr.span, "teleport");
                Type::Unit
            }
            ExprKind::Move { object, machine } => {
                let t = self.infer_expr(object);
                self.expect_ref(&t, object.span);
                self.check_expr(machine, &Type::MachineId);
                self.effect(expr.span, "move an object");
                Type::Unit
            }
            ExprKind::Fetch(object) => {
                let t = self.infer_expr(object);
                self.expect_ref(&t, object.span);
                self.effect(expr.span, "fetch an object");
                Type::Unit
            }
            ExprKind::Transfer { object, controller } => {
                let t = self.infer_expr(object);
                self.expect_ref(&t, object.span);
                self.check_expr(controller, &Type::ControllerId);
                self.effect(expr.span, "transfer an object");
                Type::Unit
            }
            ExprKind::Freeze(object) => {
                let t = self.infer_expr(object);
                self.expect_ref(&t, object.span);
                self.effect(expr.span, "freeze an object");
                Type::Unit
            }
            ExprKind::Post(constraint) => {
                self.effect(expr.span, "post a constraint");
                self.constraint(constraint);
                Type::Unit
            }
            ExprKind::Require(cond) => {
                self.effect(expr.span, "record a `require`");
                self.check_expr(cond, &Type::Bool);
                Type::Unit
            }
            ExprKind::Cast { expr: inner, ty } => self.cast(inner, ty),
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
                self.infer.fresh()
            }
            ExprKind::Break | ExprKind::Continue => {
                if self.loop_depth == 0 {
                    let word = if matches!(expr.kind, ExprKind::Break) {
                        "break"
                    } else {
                        "continue"
                    };
                    let d = Diagnostic::new(
                        Code::E0410,
                        format!("`{word}` outside a loop"),
                        self.label(
                            expr.span,
                            format!("`{word}` must be inside `while` or `for`"),
                        ),
                    )
                    .with_help(format!(
                        "remove `{word}`, or move it into the body of a loop"
                    ));
                    self.report(d);
                    return Type::Error;
                }
                self.infer.fresh()
            }
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
                let enum_ty = Type::Enum(enum_id, args.clone());
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
        let sym = binary_symbol(op);
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

    fn field(&mut self, base: &Expr, field: &Ident) -> Type {
        let base_ty = self.infer_expr(base);
        let resolved = self.infer.shallow(&base_ty);
        let fields: Vec<(String, Type)> = match &resolved {
            Type::Error => return Type::Error,
            Type::Struct(id, args) => self.sigs.structs[id.0 as usize]
                .fields
                .iter()
                .map(|f| (f.name.clone(), f.ty.instantiate(args)))
                .collect(),
            Type::Record(r) => r
                .fields()
                .into_iter()
                .map(|(n, t)| (n.to_string(), t))
                .collect(),
            Type::Ref(RefTarget::Object(o)) => {
                let name = self.defs.object(*o).name.clone();
                let d = Diagnostic::new(
                    Code::E0412,
                    format!("the state of `{name}` is private to its methods"),
                    self.label(field.span, "cannot read another object's state"),
                )
                .with_help(format!(
                    "add a method to `{name}` that returns it, e.g. `fn {}() -> T {{ {} }}`, and call it",
                    field.name, field.name
                ));
                self.report(d);
                return Type::Error;
            }
            Type::Var(_) => {
                let d = Diagnostic::new(
                    Code::E0414,
                    "the type of this value must be known to access its fields",
                    self.label(base.span, "type unknown here"),
                )
                .with_help("annotate the variable, e.g. `let p: Point = ...`");
                self.report(d);
                return Type::Error;
            }
            other => {
                let t = self.show(other);
                let help = if matches!(other, Type::Tuple(_)) {
                    "tuple elements are read by position: `t.0`, `t.1`".to_string()
                } else {
                    "only structs and reflection records have named fields".to_string()
                };
                let d = Diagnostic::new(
                    Code::E0412,
                    format!("`{t}` has no field `{}`", field.name),
                    self.label(field.span, "unknown field"),
                )
                .with_help(help);
                self.report(d);
                return Type::Error;
            }
        };
        if let Some((_, t)) = fields.iter().find(|(n, _)| *n == field.name) {
            return t.clone();
        }
        let t = self.show(&resolved);
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        let mut d = Diagnostic::new(
            Code::E0412,
            format!("`{t}` has no field `{}`", field.name),
            self.label(field.span, "unknown field"),
        );
        if let Type::Struct(id, _) = &resolved {
            let decl = self.defs.struct_decl(*id);
            d = d.with_secondary(crate::diagnostics::Label::new(
                decl.file,
                decl.name_span,
                "the struct is declared here",
            ));
        }
        d = match crate::typeck::suggest(&field.name, &names) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("the fields of `{t}` are: {}", names.join(", "))),
        };
        self.report(d);
        Type::Error
    }

    fn tuple_index(&mut self, base: &Expr, index: u32, span: Span) -> Type {
        let base_ty = self.infer_expr(base);
        match self.infer.shallow(&base_ty) {
            Type::Error => Type::Error,
            Type::Tuple(items) => match items.get(index as usize) {
                Some(t) => t.clone(),
                None => {
                    let d = Diagnostic::new(
                        Code::E0422,
                        format!(
                            "this tuple has {} elements, so `.{index}` is out of range",
                            items.len()
                        ),
                        self.label(span, "no such element"),
                    )
                    .with_help(format!("use an index from `.0` to `.{}`", items.len() - 1));
                    self.report(d);
                    Type::Error
                }
            },
            Type::Var(_) => {
                let d = Diagnostic::new(
                    Code::E0414,
                    "the type of this value must be known to take a tuple element",
                    self.label(base.span, "type unknown here"),
                )
                .with_help("annotate the variable, e.g. `let t: (Int, Int) = ...`");
                self.report(d);
                Type::Error
            }
            other => {
                let t = self.show(&other);
                let d = Diagnostic::new(
                    Code::E0422,
                    format!("`{t}` is not a tuple"),
                    self.label(span, "`.N` needs a tuple"),
                )
                .with_help("read struct fields by name (`p.x`) and list elements with `xs[i]`");
                self.report(d);
                Type::Error
            }
        }
    }

    fn index(&mut self, base: &Expr, index: &Expr) -> Type {
        let base_ty = self.infer_expr(base);
        let elem = self.infer.fresh();
        if !self.infer.unify(&Type::list(elem.clone()), &base_ty) {
            let t = self.show(&base_ty);
            let d = Diagnostic::new(
                Code::E0422,
                format!("cannot index into a value of type `{t}`"),
                self.label(base.span, format!("this is `{t}`, not a list")),
            )
            .with_help("only lists are indexed with `xs[i]`; use `t.0` for tuples and `p.x` for struct fields");
            self.report(d);
            self.infer_expr(index);
            return Type::Error;
        }
        let i = self.infer_expr(index);
        if !self.infer.unify(&Type::Int, &i) {
            let t = self.show(&i);
            let d = Diagnostic::new(
                Code::E0422,
                format!("list indices are `Int`, not `{t}`"),
                self.label(index.span, format!("this is `{t}`")),
            )
            .with_help("index with an integer position, counting from 0");
            self.report(d);
        }
        elem
    }

    fn struct_literal(&mut self, expr: &Expr, path: &Path, fields: &[FieldInit]) -> Type {
        let name = path
            .segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("::");
        let (ty, declared): (Type, Vec<(String, Type)>) = match self.mres.res.get(&expr.id).cloned()
        {
            Some(Res::Item(ItemDef::Struct(id))) => {
                let args: Vec<Type> = (0..self.defs.struct_decl(id).generics)
                    .map(|_| self.infer.fresh())
                    .collect();
                let declared = self.sigs.structs[id.0 as usize]
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.instantiate(&args)))
                    .collect();
                (Type::Struct(id, args), declared)
            }
            Some(Res::Variant { enum_id, index })
                if self.defs.enum_decl(enum_id).variants[index as usize].shape
                    == VariantShape::Struct =>
            {
                let args: Vec<Type> = (0..self.defs.enum_decl(enum_id).generics)
                    .map(|_| self.infer.fresh())
                    .collect();
                let declared = self.sigs.enums[enum_id.0 as usize].variants[index as usize]
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.instantiate(&args)))
                    .collect();
                (Type::Enum(enum_id, args), declared)
            }
            None => {
                for f in fields {
                    self.infer_expr(&f.value);
                }
                return Type::Error;
            }
            Some(_) => {
                let d = Diagnostic::new(
                    Code::E0415,
                    format!("`{name}` is not a struct"),
                    self.label(path.span, "not a struct or a variant with named fields"),
                )
                .with_help("use `{ ... }` only after a struct name or a variant declared with named fields");
                self.report(d);
                for f in fields {
                    self.infer_expr(&f.value);
                }
                return Type::Error;
            }
        };
        let mut given: Vec<&str> = Vec::new();
        for f in fields {
            if given.contains(&f.name.name.as_str()) {
                let d = Diagnostic::new(
                    Code::E0302,
                    format!("field `{}` is given twice", f.name.name),
                    self.label(f.name.span, "given again here"),
                )
                .with_help("give each field exactly once");
                self.report(d);
                self.infer_expr(&f.value);
                continue;
            }
            given.push(&f.name.name);
            match declared.iter().find(|(n, _)| *n == f.name.name) {
                Some((_, t)) => {
                    let t = t.clone();
                    self.check_expr(&f.value, &t);
                }
                None => {
                    self.infer_expr(&f.value);
                    let names: Vec<&str> = declared.iter().map(|(n, _)| n.as_str()).collect();
                    let mut d = Diagnostic::new(
                        Code::E0412,
                        format!("`{name}` has no field `{}`", f.name.name),
                        self.label(f.name.span, "unknown field"),
                    );
                    d = match crate::typeck::suggest(&f.name.name, &names) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => {
                            d.with_help(format!("the fields of `{name}` are: {}", names.join(", ")))
                        }
                    };
                    self.report(d);
                }
            }
        }
        let missing: Vec<&str> = declared
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !given.contains(n))
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let example = missing
                .iter()
                .map(|m| format!("{m}: ..."))
                .collect::<Vec<_>>()
                .join(", ");
            let d = Diagnostic::new(
                Code::E0413,
                format!(
                    "missing field{} {list} in `{name}`",
                    if missing.len() == 1 { "" } else { "s" }
                ),
                self.label(expr.span, format!("{list} not given")),
            )
            .with_help(format!("give every field a value: add `{example}`"));
            self.report(d);
        }
        ty
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

    fn try_expr(&mut self, inner: &Expr) -> Type {
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

    fn cast(&mut self, inner: &Expr, ty: &Type_) -> Type {
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

    fn pure_fn_pair(&mut self, expr: &Expr, what: &str) {
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
    fn registered_impl(&mut self, expr: &Expr) {
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
    fn constraint(&mut self, c: &Expr) {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FdTerm {
    Var,
    Constant,
}

type Type_ = crate::syntax::ast::Type;

pub fn literal_type(lit: &Literal) -> Type {
    match lit {
        Literal::Int(_) => Type::Int,
        Literal::Bool(_) => Type::Bool,
        Literal::String(_) => Type::String,
        Literal::Unit => Type::Unit,
    }
}

pub fn binary_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Rem => "%",
        BinaryOp::Eq => "==",
        BinaryOp::Ne => "!=",
        BinaryOp::Lt => "<",
        BinaryOp::Le => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::Ge => ">=",
        BinaryOp::And => "&&",
        BinaryOp::Or => "||",
        BinaryOp::Concat => "++",
    }
}

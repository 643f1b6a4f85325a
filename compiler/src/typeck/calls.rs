//! Type rules for calls: functions, built-ins, variant constructors,
//! closures, object methods (`c.m(args)`), module functions (`fd.solve`)
//! and `create`.
//!
//! Takes call expressions; produces their result types and the per-call
//! [`CallInfo`] the lowering needs, plus diagnostics: arity (E0403), unknown
//! methods (E0402), calls on `Ref[Any]` (E0404) and on non-objects (E0416),
//! uncallable values (E0415), `create` of a non-object (E0417), effects in
//! pure functions (E0406) and unsafe built-ins (E0407).

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::{Builtin, ItemDef, Res, VariantShape};
use crate::syntax::ast::{self, Expr, ExprKind, FnKind, Ident};
use crate::syntax::span::Span;
use crate::typeck::CallInfo;
use crate::typeck::builtins::{BuiltinSig, signature};
use crate::typeck::check::Checker;
use crate::typeck::signatures::TypeLowering;
use crate::typeck::types::{Purity, RefTarget, Type};

impl Checker<'_> {
    pub fn lower_type(&mut self, ty: &ast::Type) -> Type {
        let mut lower = TypeLowering {
            defs: self.defs,
            res: self.mres,
            file: self.file,
            diags: &mut self.diags,
        };
        lower.lower(ty)
    }

    fn arity(
        &mut self,
        what: &str,
        want: usize,
        args: &[Expr],
        call_span: Span,
        decl: Option<Label>,
    ) -> bool {
        if want == args.len() {
            return true;
        }
        let got = args.len();
        let span = if got > want {
            args[want].span.to(args[got - 1].span)
        } else {
            call_span
        };
        let mut d = Diagnostic::new(
            Code::E0403,
            format!(
                "{what} takes {want} argument{} but {got} {} given",
                if want == 1 { "" } else { "s" },
                if got == 1 { "was" } else { "were" }
            ),
            self.label(
                span,
                if got > want {
                    format!(
                        "{} extra argument{}",
                        got - want,
                        if got - want == 1 { "" } else { "s" }
                    )
                } else {
                    format!(
                        "{} argument{} missing",
                        want - got,
                        if want - got == 1 { "" } else { "s" }
                    )
                },
            ),
        )
        .with_help(if got > want {
            "remove the extra arguments".to_string()
        } else {
            format!("pass {want} argument{}", if want == 1 { "" } else { "s" })
        });
        if let Some(label) = decl {
            d = d.with_secondary(label);
        }
        self.report(d);
        false
    }

    /// Checks arguments against parameter types (extra or missing ones are
    /// still inferred so their own errors show).
    fn args(&mut self, params: &[Type], args: &[Expr]) {
        for (i, arg) in args.iter().enumerate() {
            match params.get(i) {
                Some(p) => {
                    let p = p.clone();
                    self.check_expr(arg, &p);
                }
                None => {
                    self.infer_expr(arg);
                }
            }
        }
    }

    pub fn call(&mut self, expr: &Expr, callee: &Expr, args: &[Expr]) -> Type {
        let res = match &callee.kind {
            ExprKind::Path(_) => self.mres.res.get(&callee.id).cloned(),
            _ => None,
        };
        match res {
            Some(Res::Item(ItemDef::Fn(id))) => self.call_fn(expr, callee, id, args),
            Some(Res::Builtin(b)) => self.call_builtin(expr, callee.span, b, args),
            Some(Res::Variant { enum_id, index })
                if self.defs.enum_decl(enum_id).variants[index as usize].shape
                    == VariantShape::Tuple =>
            {
                let decl = self.defs.enum_decl(enum_id);
                let targs: Vec<Type> = (0..decl.generics).map(|_| self.infer.fresh()).collect();
                let variant = &self.sigs.enums[enum_id.0 as usize].variants[index as usize];
                let params: Vec<Type> = variant
                    .fields
                    .iter()
                    .map(|f| f.ty.instantiate(&targs))
                    .collect();
                let what = format!("variant `{}`", variant.name);
                let decl_label = Label::new(
                    decl.file,
                    decl.variants[index as usize].name_span,
                    "variant declared here",
                );
                self.record(callee.id, &Type::Error);
                self.arity(&what, params.len(), args, expr.span, Some(decl_label));
                self.args(&params, args);
                Type::Enum(enum_id, targs.into())
            }
            Some(Res::Variant { enum_id, index }) => {
                let decl = self.defs.enum_decl(enum_id);
                let v = &decl.variants[index as usize];
                let (name, shape) = (v.name.clone(), v.shape);
                let help = if shape == VariantShape::Unit {
                    format!("`{name}` has no fields: write `{name}` without parentheses")
                } else {
                    format!("`{name}` has named fields: write `{name} {{ field: value }}`")
                };
                let d = Diagnostic::new(
                    Code::E0415,
                    format!("variant `{name}` is not called with `(...)`"),
                    self.label(callee.span, "not callable"),
                )
                .with_help(help);
                self.report(d);
                self.args(&[], args);
                Type::Enum(
                    enum_id,
                    (0..decl.generics).map(|_| self.infer.fresh()).collect(),
                )
            }
            Some(Res::Item(ItemDef::Object(o))) => {
                let name = self.defs.object(o).name.clone();
                let d = Diagnostic::new(
                    Code::E0417,
                    format!("object `{name}` is not called like a function"),
                    self.label(callee.span, "an object name"),
                )
                .with_help(format!("create an instance with `create {name}(...)`"));
                self.report(d);
                self.args(&[], args);
                Type::Error
            }
            Some(Res::Item(ItemDef::Struct(s))) => {
                let name = self.defs.struct_decl(s).name.clone();
                let d = Diagnostic::new(
                    Code::E0415,
                    format!("struct `{name}` is built with braces, not called"),
                    self.label(callee.span, "not callable"),
                )
                .with_help(format!("write `{name} {{ field: value, ... }}`"));
                self.report(d);
                self.args(&[], args);
                Type::Error
            }
            _ => self.call_value(expr, callee, args),
        }
    }

    fn call_fn(
        &mut self,
        expr: &Expr,
        callee: &Expr,
        id: crate::resolve::FnId,
        args: &[Expr],
    ) -> Type {
        // `sigs` outlives `self`'s borrow, so the signature is not cloned.
        let sigs = self.sigs;
        let sig = &sigs.fns[id.0 as usize];
        let targs: Vec<Type> = sig.generics.iter().map(|_| self.infer.fresh()).collect();
        let params: Vec<Type> = sig.params.iter().map(|t| t.instantiate(&targs)).collect();
        let ret = sig.ret.instantiate(&targs);
        self.record(
            callee.id,
            &Type::func(sig.purity(), params.clone(), ret.clone()),
        );
        let decl = Label::new(sig.file, sig.name_span, "function declared here");
        self.arity(
            &format!("function `{}`", sig.name),
            params.len(),
            args,
            expr.span,
            Some(decl),
        );
        self.args(&params, args);
        match sig.kind {
            FnKind::Pure => {}
            FnKind::Plain => self.effect(
                callee.span,
                &format!("call the plain function `{}`", sig.name),
            ),
            FnKind::Unsafe => {
                self.unsafe_op(
                    callee.span,
                    &format!("calling the `unsafe fn` `{}`", sig.name),
                );
                self.effect(
                    callee.span,
                    &format!("call the unsafe function `{}`", sig.name),
                );
            }
        }
        self.out
            .calls
            .insert(expr.id, CallInfo::Fn { id, kind: sig.kind });
        ret
    }

    fn call_builtin(&mut self, expr: &Expr, callee_span: Span, b: Builtin, args: &[Expr]) -> Type {
        if b.is_unsafe() {
            self.unsafe_op(callee_span, &format!("`{}`", b.name()));
        }
        if b.is_effect() {
            let what = match b {
                Builtin::Print => "print".to_string(),
                _ => format!("call `{}` (an AVM effect)", b.name()),
            };
            self.effect(callee_span, &what);
        }
        self.out.calls.insert(expr.id, CallInfo::Builtin(b));
        match signature(b) {
            BuiltinSig::Plain {
                generics,
                params,
                ret,
            } => {
                let targs: Vec<Type> = (0..generics).map(|_| self.infer.fresh()).collect();
                let params: Vec<Type> = params.iter().map(|t| t.instantiate(&targs)).collect();
                self.arity(
                    &format!("`{}`", b.name()),
                    params.len(),
                    args,
                    expr.span,
                    None,
                );
                self.args(&params, args);
                ret.instantiate(&targs)
            }
            BuiltinSig::Special => {
                self.arity(&format!("`{}`", b.name()), 1, args, expr.span, None);
                let Some(arg) = args.first() else {
                    return if b == Builtin::Len {
                        Type::Int
                    } else if b == Builtin::Print {
                        Type::Unit
                    } else {
                        Type::String
                    };
                };
                let t = self.infer_expr(arg);
                self.args(&[], &args[1..]);
                match b {
                    Builtin::Len => {
                        match self.infer.shallow(&t) {
                            Type::List(_) | Type::String | Type::Error => {}
                            Type::Var(_) => {
                                let e = self.infer.fresh();
                                self.infer.unify(&Type::list(e), &t);
                            }
                            other => {
                                let shown = self.show(&other);
                                let d = Diagnostic::new(
                                    Code::E0401,
                                    format!("`len` takes a list or a string, not `{shown}`"),
                                    self.label(arg.span, format!("this is `{shown}`")),
                                )
                                .with_help("pass a `List[T]` or a `String`");
                                self.report(d);
                            }
                        }
                        Type::Int
                    }
                    _ => {
                        if let Type::Fn(_) = self.infer.shallow(&t) {
                            let d = Diagnostic::new(
                                Code::E0401,
                                format!("`{}` cannot show a function", b.name()),
                                self.label(arg.span, "this is a function"),
                            )
                            .with_help("call the function and pass its result");
                            self.report(d);
                        }
                        if b == Builtin::Print {
                            Type::Unit
                        } else {
                            Type::String
                        }
                    }
                }
            }
        }
    }

    /// Calling a local of function type (a closure or a function value).
    fn call_value(&mut self, expr: &Expr, callee: &Expr, args: &[Expr]) -> Type {
        let t = self.infer_expr(callee);
        match self.infer.shallow(&t) {
            Type::Fn(ft) => {
                self.arity("this function", ft.params.len(), args, expr.span, None);
                self.args(&ft.params, args);
                if ft.purity == Purity::Effectful {
                    self.effect(callee.span, "call a function value that may have effects");
                }
                self.out.calls.insert(expr.id, CallInfo::Closure);
                ft.ret.clone()
            }
            Type::Var(_) => {
                let params: Vec<Type> = args.iter().map(|_| self.infer.fresh()).collect();
                let ret = self.infer.fresh();
                self.infer.unify(
                    &t,
                    &Type::func(Purity::Effectful, params.clone(), ret.clone()),
                );
                self.args(&params, args);
                self.effect(callee.span, "call a function value that may have effects");
                self.out.calls.insert(expr.id, CallInfo::Closure);
                ret
            }
            Type::Error => {
                self.args(&[], args);
                Type::Error
            }
            other => {
                let shown = self.show(&other);
                let d = Diagnostic::new(
                    Code::E0415,
                    format!("a value of type `{shown}` cannot be called"),
                    self.label(callee.span, format!("this is `{shown}`, not a function")),
                )
                .with_help(
                    "call a function or closure; remove the `(...)` to use the value itself",
                );
                self.report(d);
                self.args(&[], args);
                Type::Error
            }
        }
    }

    pub fn method_call(
        &mut self,
        expr: &Expr,
        receiver: &Expr,
        method: &Ident,
        args: &[Expr],
    ) -> Type {
        if let Some(res) = self.mres.module_calls.get(&expr.id).cloned() {
            self.record(receiver.id, &Type::Unit);
            return match res {
                Res::Item(ItemDef::Fn(id)) => self.call_fn(expr, receiver, id, args),
                Res::Builtin(b) => self.call_builtin(expr, method.span, b, args),
                _ => {
                    let d = Diagnostic::new(
                        Code::E0415,
                        format!("`{}` is not a function", method.name),
                        self.label(method.span, "not callable"),
                    )
                    .with_help("call a function of the module");
                    self.report(d);
                    self.args(&[], args);
                    Type::Error
                }
            };
        }
        if matches!(self.mres.res.get(&receiver.id), Some(Res::Module(_))) {
            // The module has no such member; reported by resolve.
            self.args(&[], args);
            return Type::Error;
        }
        let recv = self.infer_expr(receiver);
        self.effect(
            method.span,
            &format!("call the method `{}` (an AVM `call`)", method.name),
        );
        match self.infer.shallow(&recv) {
            Type::Ref(RefTarget::Object(o)) => {
                let (sigs, defs) = (self.sigs, self.defs);
                let osig = &sigs.objects[o.0 as usize];
                let decl = defs.object(o);
                match osig.methods.iter().position(|m| m.name == method.name) {
                    Some(index) => {
                        let sig = &osig.methods[index];
                        let decl_label =
                            Label::new(sig.file, sig.name_span, "method declared here");
                        self.arity(
                            &format!("method `{}::{}`", decl.name, sig.name),
                            sig.params.len(),
                            args,
                            expr.span,
                            Some(decl_label),
                        );
                        self.args(&sig.params, args);
                        self.out.calls.insert(
                            expr.id,
                            CallInfo::Method {
                                object: o,
                                method: index,
                            },
                        );
                        sig.ret.clone()
                    }
                    None => {
                        let names: Vec<&str> =
                            osig.methods.iter().map(|m| m.name.as_str()).collect();
                        let mut d = Diagnostic::new(
                            Code::E0402,
                            format!("object `{}` has no method `{}`", decl.name, method.name),
                            self.label(method.span, "unknown method"),
                        )
                        .with_secondary(Label::new(
                            decl.file,
                            decl.name_span,
                            "the object is declared here",
                        ));
                        d = match crate::typeck::suggest(&method.name, &names) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None if names.is_empty() => d.with_help(format!(
                                "`{}` declares no methods; add `fn {}(...) {{ ... }}` to it",
                                decl.name, method.name
                            )),
                            None => d.with_help(format!(
                                "the methods of `{}` are: {}",
                                decl.name,
                                names.join(", ")
                            )),
                        };
                        self.report(d);
                        self.args(&[], args);
                        Type::Error
                    }
                }
            }
            Type::Ref(RefTarget::Any) => {
                let owners: Vec<String> = self
                    .sigs
                    .objects
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.methods.iter().any(|m| m.name == method.name))
                    .map(|(i, _)| self.defs.objects[i].name.clone())
                    .collect();
                let target = owners.first().cloned().unwrap_or_else(|| "O".into());
                let mut d = Diagnostic::new(
                    Code::E0404,
                    format!("cannot call method `{}` on a `Ref[Any]`", method.name),
                    self.label(receiver.span, "the object kind of this reference is unknown"),
                )
                .with_help(format!(
                    "convert with `as Ref[{target}]` first: `({} as Ref[{target}]).{}(...)` (checked at run time)",
                    snippet_name(receiver),
                    method.name
                ));
                if !owners.is_empty() {
                    d = d.with_note(format!(
                        "objects with a method `{}`: {}",
                        method.name,
                        owners.join(", ")
                    ));
                }
                self.report(d);
                self.args(&[], args);
                Type::Error
            }
            Type::Error => {
                self.args(&[], args);
                Type::Error
            }
            Type::Var(_) => {
                let d = Diagnostic::new(
                    Code::E0414,
                    "the type of the receiver must be known to call a method on it",
                    self.label(receiver.span, "type unknown here"),
                )
                .with_help("annotate the variable with its reference type, e.g. `let c: Ref[Counter] = ...`");
                self.report(d);
                self.args(&[], args);
                Type::Error
            }
            other => {
                let shown = self.show(&other);
                let help = match Builtin::prelude(&method.name) {
                    Some(b) => format!(
                        "call the prelude function instead: `{}({}{})`",
                        b.name(),
                        snippet_name(receiver),
                        if args.is_empty() { "" } else { ", ..." }
                    ),
                    None => "method calls are AVM `call`s and need an object reference `Ref[O]`"
                        .to_string(),
                };
                let d = Diagnostic::new(
                    Code::E0416,
                    format!("`{shown}` has no methods"),
                    self.label(
                        receiver.span,
                        format!("this is `{shown}`, not an object reference"),
                    ),
                )
                .with_help(help);
                self.report(d);
                self.args(&[], args);
                Type::Error
            }
        }
    }

    pub fn create(
        &mut self,
        expr: &Expr,
        args: Option<&[Expr]>,
        controller: Option<&Expr>,
    ) -> Type {
        if let Some(c) = controller {
            let t = self.infer_expr(c);
            if matches!(c.kind, ExprKind::None) || matches!(self.infer.shallow(&t), Type::Option(_))
            {
                self.expect(&Type::option(Type::ControllerId), &t, c.span);
            } else {
                self.expect(&Type::ControllerId, &t, c.span);
            }
        }
        let args = args.unwrap_or(&[]);
        match self.mres.res.get(&expr.id).cloned() {
            Some(Res::Item(ItemDef::Object(o))) => {
                self.effect(expr.span, "create an object");
                let decl = self.defs.object(o);
                let params = self.sigs.objects[o.0 as usize]
                    .init
                    .as_ref()
                    .map(|s| s.params.clone())
                    .unwrap_or_default();
                let label = Label::new(decl.file, decl.name_span, "the object is declared here");
                self.arity(
                    &format!("`init` of `{}`", decl.name),
                    params.len(),
                    args,
                    expr.span,
                    Some(label),
                );
                self.args(&params, args);
                self.out
                    .calls
                    .insert(expr.id, CallInfo::Create { object: o });
                Type::Ref(RefTarget::Object(o))
            }
            None => {
                self.args(&[], args);
                Type::Error
            }
            Some(res) => {
                let name = match &expr.kind {
                    ExprKind::Create { object, .. } => object
                        .segments
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join("::"),
                    _ => String::new(),
                };
                let help = match res {
                    Res::Item(ItemDef::Struct(_)) => {
                        format!("`{name}` is a struct: build it with `{name} {{ ... }}`")
                    }
                    _ => "`create` takes the name of an object declared with `object Name { ... }`"
                        .to_string(),
                };
                let d = Diagnostic::new(
                    Code::E0417,
                    format!("`{name}` is not an object"),
                    self.label(expr.span, "only objects can be created"),
                )
                .with_help(help);
                self.report(d);
                self.args(&[], args);
                Type::Error
            }
        }
    }
}

/// A short source-like name for an expression in help texts.
fn snippet_name(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Path(p) => p
            .segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("::"),
        ExprKind::Context(ast::ContextValue::SelfRef) => "self".into(),
        _ => "x".into(),
    }
}

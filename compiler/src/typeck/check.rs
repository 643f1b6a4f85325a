//! The checker's state and shared helpers.
//!
//! Takes one module with its resolution and the program's signatures;
//! produces types for every expression, pattern and binder
//! ([`crate::typeck::ModuleTypes`]) and diagnostics. The expression,
//! statement, call and pattern rules live in sibling modules; this file
//! holds the context stacks (function kind, loops, atomic and unsafe blocks,
//! closures), the reporting helpers and the effect and unsafe checks.

use rustc_hash::FxHashMap;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::{DefTable, ModuleIdx, ModuleResolution, ObjectDefId, Resolution};
use crate::syntax::ast::{FnKind, NodeId};
use crate::syntax::span::{FileId, Span};
use crate::typeck::ModuleTypes;
use crate::typeck::infer::Infer;
use crate::typeck::signatures::Signatures;
use crate::typeck::types::{Purity, RefTarget, Type};

/// The function, method or initialiser whose body is being checked.
#[derive(Debug, Clone)]
pub struct FnContext {
    pub name: String,
    pub kind: FnKind,
    /// The object when checking an `init` or a method.
    pub object: Option<ObjectDefId>,
    pub generics: Vec<String>,
    pub name_span: Span,
}

/// Per-closure bookkeeping: whether its body performed an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureEffects {
    None,
    Some,
}

pub struct Checker<'a> {
    pub defs: &'a DefTable,
    pub sigs: &'a Signatures,
    pub mres: &'a ModuleResolution,
    pub file: FileId,
    pub infer: Infer,
    /// Binder node → its type.
    pub locals: FxHashMap<NodeId, Type>,
    pub out: ModuleTypes,
    pub diags: Vec<Diagnostic>,
    pub ctx: FnContext,
    /// Expected result type of the enclosing function or closure (innermost last).
    pub returns: Vec<Type>,
    pub loop_depth: u32,
    pub atomic_depth: u32,
    pub unsafe_depth: u32,
    pub closures: Vec<ClosureEffects>,
    /// `let` binders of the current function (checked for unsolved types).
    pub let_binders: Vec<NodeId>,
}

impl<'a> Checker<'a> {
    pub fn new(
        resolution: &'a Resolution,
        sigs: &'a Signatures,
        module: ModuleIdx,
        file: FileId,
    ) -> Checker<'a> {
        Checker {
            defs: &resolution.defs,
            sigs,
            mres: &resolution.modules[module.0 as usize],
            file,
            infer: Infer::default(),
            locals: FxHashMap::default(),
            out: ModuleTypes::default(),
            diags: Vec::new(),
            ctx: FnContext {
                name: String::new(),
                kind: FnKind::Plain,
                object: None,
                generics: Vec::new(),
                name_span: Span::default(),
            },
            returns: Vec::new(),
            loop_depth: 0,
            atomic_depth: 0,
            unsafe_depth: 0,
            closures: Vec::new(),
            let_binders: Vec::new(),
        }
    }

    pub fn show(&self, ty: &Type) -> String {
        self.infer.zonk(ty).display(self.defs, &self.ctx.generics)
    }

    pub fn label(&self, span: Span, text: impl Into<String>) -> Label {
        Label::new(self.file, span, text)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn record(&mut self, node: NodeId, ty: &Type) {
        self.out.types.insert(node, ty.clone());
    }

    /// Requires `actual` to fit `expected`; reports E0401 at `span` otherwise.
    pub fn expect(&mut self, expected: &Type, actual: &Type, span: Span) -> bool {
        if self.infer.coerces(expected, actual) {
            return true;
        }
        self.mismatch(expected, actual, span);
        false
    }

    pub fn mismatch(&mut self, expected: &Type, actual: &Type, span: Span) {
        let e = self.infer.zonk(expected);
        let a = self.infer.zonk(actual);
        let (es, as_) = (self.show(&e), self.show(&a));
        let help = mismatch_help(&e, &a, &es, &as_);
        let d = Diagnostic::new(
            Code::E0401,
            format!("mismatched types: expected `{es}`, found `{as_}`"),
            self.label(span, format!("expected `{es}`, found `{as_}`")),
        )
        .with_help(help);
        self.report(d);
    }

    /// Records that an AVM effect happens at `span` (`what` completes
    /// "a pure function cannot …"). Marks enclosing closures as effectful
    /// and reports E0406 inside a `pure fn`.
    pub fn effect(&mut self, span: Span, what: &str) {
        for c in &mut self.closures {
            *c = ClosureEffects::Some;
        }
        if self.ctx.kind == FnKind::Pure {
            let name = self.ctx.name.clone();
            let d = Diagnostic::new(
                Code::E0406,
                format!("pure function `{name}` cannot {what}"),
                self.label(span, "this is an effect"),
            )
            .with_secondary(Label::new(
                self.file,
                self.ctx.name_span,
                "declared `pure fn` here",
            ))
            .with_note("pure functions run through `callPure` and may only compute")
            .with_help(format!(
                "remove this from `{name}`, or declare `{name}` as a plain `fn` (drop `pure`)"
            ));
            self.report(d);
        }
    }

    /// Reports E0407 unless inside `unsafe { }` or an `unsafe fn`.
    pub fn unsafe_op(&mut self, span: Span, what: &str) {
        if self.unsafe_depth > 0 || self.ctx.kind == FnKind::Unsafe {
            return;
        }
        let d = Diagnostic::new(
            Code::E0407,
            format!("{what} is unsafe and needs an `unsafe` block"),
            self.label(span, "unsafe operation"),
        )
        .with_note("the AVM spec marks reflection, reification of transactions and constraints, and `registerPure` as Unsafe")
        .with_help("wrap it in `unsafe { ... }`, or declare the enclosing function `unsafe fn`");
        self.report(d);
    }

    /// Requires an object reference (`Ref[O]` or `Ref[Any]`).
    pub fn expect_ref(&mut self, ty: &Type, span: Span) {
        match self.infer.shallow(ty) {
            Type::Ref(_) | Type::Error => {}
            Type::Var(_) => {
                self.infer.unify(ty, &Type::Ref(RefTarget::Any));
            }
            other => {
                let found = self.show(&other);
                let d = Diagnostic::new(
                    Code::E0401,
                    format!("expected an object reference, found `{found}`"),
                    self.label(span, format!("this is `{found}`, not a `Ref[..]`")),
                )
                .with_help("pass a reference to an object, e.g. the result of `create Counter`");
                self.report(d);
            }
        }
    }
}

/// A concrete fix for a type mismatch.
fn mismatch_help(expected: &Type, actual: &Type, es: &str, as_: &str) -> String {
    match (expected, actual) {
        (Type::String, Type::Int | Type::Bool) => "convert it to a string with `to_string(...)`".into(),
        (Type::Bool, Type::Int) => "a `Bool` is needed here: compare the number, e.g. `n != 0`".into(),
        (Type::Option(inner), other) if **inner == *other || matches!(**inner, Type::Var(_)) => {
            "wrap the value in `some(...)`".into()
        }
        (other, Type::Option(inner)) if **inner == *other => {
            "the value is optional: `match` on it (`some(v) => ..., none => ...`) to get the value".into()
        }
        (Type::Ref(RefTarget::Object(_)), Type::Ref(RefTarget::Any)) => format!("convert the reference with `as {es}` (checked at run time)"),
        (Type::Fn(f), Type::Fn(g)) if f.purity == Purity::Pure && g.purity == Purity::Effectful => {
            "a pure function is needed here: remove the effects from the function, or pass a `pure fn`".into()
        }
        (_, Type::Any) => format!("convert the value with `as {es}` (checked at run time)"),
        (Type::Unit, _) => format!("add `()` as the last expression to discard the `{as_}` value, or declare the type `{as_}`"),
        _ => format!("change this expression to produce `{es}`, or change the expected type to `{as_}`"),
    }
}

//! The type checker.
//!
//! Takes a [`Program`] (all modules, parsed); runs name resolution
//! ([`crate::resolve`]), lowers item signatures, then checks every body.
//! Produces a [`CheckOutcome`]: the [`TypedProgram`] (the resolution, the
//! signatures, and per module a side table [`NodeId`] → [`Type`] for every
//! expression, pattern, block and binder, plus per call the [`CallInfo`] the
//! lowering needs) and every diagnostic of both stages (E03xx, E04xx, W04xx).
//!
//! Rules in brief: local types are inferred by unification (annotated
//! parameters, results, state fields and struct fields are the anchors);
//! method calls on `Ref[O]` are checked against `O`'s methods; a `pure fn`
//! performs no effect and calls only pure functions; Unsafe instructions
//! need `unsafe`; `abort` needs an enclosing `atomic`, `reject` a method,
//! `break`/`continue` a loop; `match` must be exhaustive (guarded arms do not
//! count). Unsolved inference variables left in expression types after a
//! function is checked are replaced by `Unit` (a value never constrained,
//! such as `print(none)`); an unsolved `let` type is an error (E0414).

mod access;
mod builtins;
mod calls;
mod check;
mod exhaustive;
mod expr;
mod forms;
mod infer;
pub mod interface;
mod pattern;
pub mod signatures;
pub mod types;

use rustc_hash::FxHashMap;

use crate::diagnostics::{Code, Diagnostic, has_errors};
use crate::resolve::{Builtin, FnId, ModuleIdx, ObjectDefId, Program, Resolution};
use crate::syntax::ast::{Block, FnDef, FnKind, ItemKind, NodeId, ObjectMember};
use crate::syntax::span::Span;
use check::{Checker, FnContext};
pub use signatures::Signatures;
pub use types::{FnType, Purity, Record, RefTarget, Type};

/// What a call expression (or `create`) calls, for the lowering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallInfo {
    /// A top-level function: `Pure` ones are called through `callPure`.
    Fn { id: FnId, kind: FnKind },
    /// A prelude or std built-in.
    Builtin(Builtin),
    /// `c.m(args)`: an AVM `call` to method `method` (index into the
    /// object's methods in [`Signatures::objects`]) of `object`.
    Method { object: ObjectDefId, method: usize },
    /// A call of a function value (closure, parameter, variant constructor
    /// passed as a value).
    Closure,
    /// `create O(args)`.
    Create { object: ObjectDefId },
}

/// The side tables of one module.
#[derive(Debug, Clone, Default)]
pub struct ModuleTypes {
    /// The type of every expression, block, pattern, parameter and closure
    /// parameter, by node id.
    pub types: FxHashMap<NodeId, Type>,
    /// By node id of a call, method call or `create` expression.
    pub calls: FxHashMap<NodeId, CallInfo>,
}

/// A checked program.
#[derive(Debug, Clone, Default)]
pub struct TypedProgram {
    pub resolution: Resolution,
    pub signatures: Signatures,
    /// One per module, in [`Program::modules`] order.
    pub modules: Vec<ModuleTypes>,
}

impl TypedProgram {
    pub fn type_of(&self, module: ModuleIdx, node: NodeId) -> Option<&Type> {
        self.modules.get(module.0 as usize)?.types.get(&node)
    }

    pub fn call(&self, module: ModuleIdx, node: NodeId) -> Option<&CallInfo> {
        self.modules.get(module.0 as usize)?.calls.get(&node)
    }
}

/// The result of [`check`]: the typed program and every diagnostic
/// (errors and warnings) of name resolution and type checking.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    pub typed: TypedProgram,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckOutcome {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    /// The typed program when there is no error (warnings are dropped;
    /// read them from `diagnostics` first if needed).
    pub fn into_result(self) -> Result<TypedProgram, Vec<Diagnostic>> {
        if has_errors(&self.diagnostics) {
            Err(self.diagnostics)
        } else {
            Ok(self.typed)
        }
    }
}

/// "Did you mean" among `candidates`.
pub(crate) fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    crate::resolve::suggest::closest(name, candidates.iter().copied())
}

/// Parses `text` as the root module `name`, loads its imports from
/// `modules` (dotted path → source text), then resolves and checks it all.
/// Every file is added to `sources`; the diagnostics include the lexer's and
/// parser's. Name resolution and type checking run only when parsing
/// reported no error.
pub fn check_source(
    sources: &mut crate::syntax::span::SourceMap,
    name: &str,
    text: &str,
    modules: std::collections::BTreeMap<String, String>,
) -> CheckOutcome {
    let file = sources.add(name, text);
    let parsed = crate::syntax::parse(file, text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.module else {
        return CheckOutcome {
            typed: TypedProgram::default(),
            diagnostics,
        };
    };
    let mut loader = crate::resolve::TextLoader::new(modules, sources);
    let program = crate::resolve::load_program(root, &mut loader);
    diagnostics.append(&mut loader.diagnostics);
    if has_errors(&diagnostics) {
        return CheckOutcome {
            typed: TypedProgram::default(),
            diagnostics,
        };
    }
    let mut outcome = check(&program);
    diagnostics.append(&mut outcome.diagnostics);
    outcome.diagnostics = diagnostics;
    outcome
}

/// Resolves and type-checks a whole program.
pub fn check(program: &Program) -> CheckOutcome {
    let mut resolution = crate::resolve::resolve(program);
    let mut diagnostics = std::mem::take(&mut resolution.diagnostics);
    let signatures = signatures::collect(program, &resolution, &mut diagnostics);
    let mut modules = Vec::with_capacity(program.modules.len());
    for (mi, entry) in program.modules.iter().enumerate() {
        let module = ModuleIdx(mi as u32);
        let mut checker = Checker::new(&resolution, &signatures, module, entry.module.file);
        checker.out.types.reserve(entry.module.node_count as usize);
        let mut object_ids = resolution
            .defs
            .objects
            .iter()
            .enumerate()
            .filter(|(_, o)| o.loc.module == module)
            .map(|(i, _)| ObjectDefId(i as u32));
        let mut fn_ids = resolution
            .defs
            .fns
            .iter()
            .enumerate()
            .filter(|(_, f)| f.loc.module == module)
            .map(|(i, _)| FnId(i as u32));
        for (ii, item) in entry.module.items.iter().enumerate() {
            match &item.kind {
                ItemKind::Fn(f) => {
                    // Duplicate functions are not in the def table; check
                    // their bodies anyway, with their own signature.
                    let id = fn_ids
                        .clone()
                        .find(|id| resolution.defs.fn_decl(*id).loc.item == ii);
                    if id.is_some() {
                        fn_ids.next();
                    }
                    let sig = match id {
                        Some(id) => signatures.fns[id.0 as usize].clone(),
                        None => {
                            let mut lower = signatures::TypeLowering {
                                defs: &resolution.defs,
                                res: &resolution.modules[mi],
                                file: entry.module.file,
                                diags: &mut Vec::new(),
                            };
                            signatures::fn_sig(&mut lower, f)
                        }
                    };
                    checker.function(f, &sig.params, &sig.ret, None);
                }
                ItemKind::Object(o) => {
                    let Some(id) = object_ids
                        .clone()
                        .find(|id| resolution.defs.object(*id).loc.item == ii)
                    else {
                        continue;
                    };
                    object_ids.next();
                    checker.object(id, o);
                }
                ItemKind::Import(_) | ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Error => {
                }
            }
        }
        diagnostics.append(&mut checker.diags);
        modules.push(checker.finish());
    }
    CheckOutcome {
        typed: TypedProgram {
            resolution,
            signatures,
            modules,
        },
        diagnostics,
    }
}

impl Checker<'_> {
    fn function(&mut self, f: &FnDef, params: &[Type], ret: &Type, object: Option<ObjectDefId>) {
        self.ctx = FnContext {
            name: f.name.name.clone(),
            kind: f.kind,
            object,
            generics: f.generics.iter().map(|g| g.name.clone()).collect(),
            name_span: f.name.span,
        };
        for (p, t) in f.params.iter().zip(params) {
            self.locals.insert(p.id, t.clone());
            self.record(p.id, t);
        }
        self.body(&f.body, ret);
    }

    fn body(&mut self, body: &Block, ret: &Type) {
        self.returns = vec![ret.clone()];
        self.loop_depth = 0;
        self.atomic_depth = 0;
        self.unsafe_depth = 0;
        self.closures.clear();
        let t = self.block(body);
        // Where `Unit` is expected, the body's value is discarded.
        if *ret != Type::Unit {
            let span = body.tail.as_ref().map_or(body.span, |e| e.span);
            self.expect(ret, &t, span);
        }
        self.end_function();
    }

    fn object(&mut self, id: ObjectDefId, o: &crate::syntax::ast::ObjectDef) {
        let (sigs, defs) = (self.sigs, self.defs);
        let sig = &sigs.objects[id.0 as usize];
        let decl = defs.object(id);
        for member in &o.members {
            match member {
                ObjectMember::State(field) => {
                    let Some(index) = decl.fields.iter().position(|f| f.name == field.name.name)
                    else {
                        continue;
                    };
                    self.ctx = FnContext {
                        name: field.name.name.clone(),
                        kind: FnKind::Plain,
                        object: None,
                        generics: Vec::new(),
                        name_span: field.name.span,
                    };
                    self.returns = vec![Type::Unit];
                    let ty = sig.fields[index].ty.clone();
                    self.check_expr(&field.init, &ty);
                    self.end_function();
                }
                ObjectMember::Init(init) => {
                    self.ctx = FnContext {
                        name: "init".into(),
                        kind: FnKind::Plain,
                        object: Some(id),
                        generics: Vec::new(),
                        name_span: Span::new(
                            init.span.start as usize,
                            init.span.start as usize + 4,
                        ),
                    };
                    let params = sig
                        .init
                        .as_ref()
                        .map(|s| s.params.clone())
                        .unwrap_or_default();
                    for (p, t) in init.params.iter().zip(&params) {
                        self.locals.insert(p.id, t.clone());
                        self.record(p.id, t);
                    }
                    self.returns = vec![Type::Unit];
                    self.loop_depth = 0;
                    self.atomic_depth = 0;
                    self.unsafe_depth = 0;
                    self.block(&init.body);
                    self.end_function();
                }
                ObjectMember::Method(m) => {
                    let msig = decl
                        .methods
                        .iter()
                        .position(|d| d.name == m.name.name)
                        .and_then(|i| sig.methods.get(i))
                        .filter(|s| s.name_span == m.name.span)
                        .cloned();
                    let (params, ret) = match msig {
                        Some(s) => (s.params, s.ret),
                        None => continue, // a duplicate method: reported by resolve
                    };
                    self.function(m, &params, &ret, Some(id));
                }
                ObjectMember::Error(_) => {}
            }
        }
    }

    /// E0414 for `let`s whose type is still unknown at the end of a body.
    fn end_function(&mut self) {
        for binder in std::mem::take(&mut self.let_binders) {
            let Some(t) = self.locals.get(&binder) else {
                continue;
            };
            let t = self.infer.zonk(t);
            if t.has_vars() && !self.infer.default_diverging(&t) {
                let Some(b) = self.mres.binders.get(&binder) else {
                    continue;
                };
                let shown = t.display(self.defs, &self.ctx.generics);
                let d = crate::diagnostics::Diagnostic::new(
                    Code::E0414,
                    format!("cannot infer the type of `{}`", b.name),
                    self.label(b.span, format!("type `{shown}` is not fully known")),
                )
                .with_help(format!(
                    "annotate it, e.g. `let {}: {} = ...`",
                    b.name,
                    shown.replace('_', "Int")
                ));
                self.report(d);
            }
        }
    }

    /// Zonks every recorded type (unsolved variables become `Unit`).
    fn finish(self) -> ModuleTypes {
        let Checker { infer, mut out, .. } = self;
        infer.zonk_final(out.types.values_mut(), &Type::Unit);
        out
    }
}

//! Lowering of a type-checked program to ITree terms.
//!
//! Takes the parsed [`Program`] (all modules) and its [`TypedProgram`]; produces a
//! [`vm::itree::Program`] or the E05xx diagnostics of constructs that cannot be lowered.
//!
//! The lowering is continuation-passing: every expression is lowered together with what happens
//! to its value ([`cont::Cont`]). A continuation that is needed on more than one path (after an
//! `if`, a `match`, a loop, a `try atomic`) becomes a *join function* that takes every variable in
//! scope as a parameter, and every jump to it is an ITree call in tail position. So loops are
//! tail-recursive functions, `break` / `continue` / `abort` / `return` / `reject` are tail calls
//! or returns, and no construct grows the host stack or the VM's frame stack.
//!
//! Mapping (see `docs/language.md`, "Compilation"):
//! - `object O` → behaviour `O`: `match input { ["m", a, b] => O.m(a, b), ["init", ..] =>
//!   O.init(..), _ => [] }`; method `O.m` is an ITree function whose result `v` is the output
//!   list `[v]`; `reject` returns `[]`.
//! - `create O(args) by c` → `createObj("O", c)` then, when `O` has `init` or state fields,
//!   `call(id, ["init", args…])`; `O.init` sets the state to the field initialisers (only when
//!   the state is still empty) and runs the `init` body.
//! - state fields → `getField i` / `setField i`; `c.m(x)` → `call(c, ["m", x])`, `none` → fail.
//! - `pure fn f` → a pure ITree function registered as `f`, called through `callPure` from
//!   effectful code and directly from pure code (the VM forbids `callPure` inside pure code).
//! - `atomic` → `beginTx` … `commitOrAbort`; `abort` → `abortTx` and a jump out of the block.
//! - function values → `("target", [captured…])` pairs and generated dispatch functions
//!   (`funval`).

mod builtins;
mod calls;
mod captures;
mod cast;
mod cont;
mod exits;
mod expr;
mod fd;
mod funval;
mod guards;
mod lift;
mod pattern;
mod seq;
mod stmt;

use rustc_hash::FxHashMap;
use std::rc::Rc;

use avm_vm::isa::Safety;
use avm_vm::itree::builder::name;
use avm_vm::itree::{
    self as it, Arm, Behaviour, Expr, FnKind as ItFnKind, Function, Instr, Name, Pattern, Term,
};
use avm_vm::srcloc::SrcLoc;
use avm_vm::value::Val;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::{FnId, ModuleIdx, ObjectDefId, Program};
use crate::syntax::ast::{self, FnKind, ItemKind, NodeId, ObjectMember};
use crate::syntax::span::{FileId, SourceMap, Span};
use crate::typeck::TypedProgram;

/// Options of the lowering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerOptions {
    /// The controller `create` passes when no `by` is written (`None`: `createObj(.., none)`).
    pub default_controller: Option<String>,
}

impl Default for LowerOptions {
    fn default() -> Self {
        LowerOptions {
            default_controller: Some("main".to_string()),
        }
    }
}

/// Lowers a checked program to an ITree program. `main` of the root module is the entry.
pub fn lower(
    program: &Program,
    typed: &TypedProgram,
    options: &LowerOptions,
) -> Result<it::Program, Vec<Diagnostic>> {
    lower_located(program, typed, options, None)
}

/// [`lower`], with the program's sources: the run-time failures the compiler generates (a
/// rejected call, an aborted transaction, an unregistered pure function) then name the source
/// position (`file:line:column`) in their message.
pub fn lower_located(
    program: &Program,
    typed: &TypedProgram,
    options: &LowerOptions,
    sources: Option<&SourceMap>,
) -> Result<it::Program, Vec<Diagnostic>> {
    let mut lw = Lowerer::new(program, typed, options);
    lw.sources = sources;
    let source_names: Vec<Name> = sources
        .map(|m| m.files().map(|(_, f)| name(&f.name)).collect())
        .unwrap_or_default();
    lw.all_items();
    let main = lw.entry();
    lw.finish_fn_values();
    if !lw.diags.is_empty() {
        return Err(lw.diags);
    }
    let mut pure_registry: Vec<(Name, Name)> = lw.pure_registry.clone();
    pure_registry.sort();
    Ok(it::Program {
        functions: lw.functions,
        behaviours: lw.behaviours,
        pure_registry,
        main,
        main_safety: Safety::Safe,
        sources: source_names,
    })
}

/// The result of a lowering step: a term, or the diagnostic that stops this function.
pub(crate) type Lowered<T> = Result<T, Box<Diagnostic>>;

/// How a value leaves the function being lowered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetMode {
    /// The value is the function's result.
    Value,
    /// The value is a method's output: the behaviour returns `[v]`.
    MethodOutput,
}

/// Where an `abort` jumps.
#[derive(Debug, Clone)]
pub(crate) enum AbortExit {
    /// Plain `atomic`: the run fails with "transaction aborted".
    Fail,
    /// `try atomic`: continue after the block with `none`.
    Value(cont::Shared),
}

/// An enclosing atomic block.
#[derive(Debug, Clone)]
pub(crate) struct AtomicCx {
    pub tx: Name,
    pub exit: AbortExit,
    /// What the block's `require`s can tell a solver (see `lift`).
    pub lift: lift::SharedPlan,
}

/// An enclosing loop.
#[derive(Debug, Clone)]
pub(crate) struct LoopCx {
    /// The loop function; `continue` calls it with `params` then `extra`.
    pub head: Name,
    /// Loop-private arguments (the rest of the list, the next index, the end).
    pub extra: Vec<Expr>,
    /// For an inclusive range, `index < end`: `continue` runs the loop again only when it
    /// holds (the next index exists), else leaves it.
    pub more: Option<Expr>,
    /// The function after the loop; `break` calls it with `params`.
    pub exit: Name,
    pub params: Vec<Name>,
    /// How many atomic blocks were open where the loop starts.
    pub atomic_depth: usize,
}

/// The state of the function being lowered.
#[derive(Debug, Clone)]
pub(crate) struct FnCx {
    pub module: ModuleIdx,
    pub file: FileId,
    /// A prefix for the names of generated join functions.
    pub prefix: String,
    pub kind: ItFnKind,
    pub safety: Safety,
    pub ret: RetMode,
    pub object: Option<ObjectDefId>,
    /// ITree names bound at this point of the lowering, in binding order.
    pub scope: Vec<Name>,
    /// Binder node → ITree name.
    pub locals: FxHashMap<NodeId, Name>,
    /// How many binders of each source name this function has seen.
    pub name_counts: FxHashMap<String, u32>,
    pub loops: Vec<LoopCx>,
    pub atomics: Vec<AtomicCx>,
    /// Inside the body of a `try atomic` that may run under `Term::Try`: how many atomic
    /// blocks were open outside it (a jump that leaves those cannot be lowered there).
    pub try_depth: Option<usize>,
}

/// The program-wide lowering state.
pub(crate) struct Lowerer<'a> {
    pub program: &'a Program,
    pub typed: &'a TypedProgram,
    pub options: &'a LowerOptions,
    /// The sources, for positions in generated failure messages.
    pub sources: Option<&'a SourceMap>,
    pub functions: FxHashMap<Name, Function>,
    pub behaviours: FxHashMap<Name, Behaviour>,
    pub pure_registry: Vec<(Name, Name)>,
    pub diags: Vec<Diagnostic>,
    pub fresh: u32,
    /// How many FD / Nondet forms were lowered so far (decides how `try atomic` is lowered).
    pub fd_forms: usize,
    /// How many calls that may reach FD / Nondet forms in other code (plain functions,
    /// methods, function values, `create`) were lowered so far (also decides how `try atomic`
    /// is lowered).
    pub calls_out: usize,
    /// The location of the statement being lowered (`Term::At` marks for runtime errors).
    pub stmt_loc: Option<SrcLoc>,
    /// The function values and dispatchers used so far.
    pub fn_values: funval::FnValues,
    /// The first jump (`return`, `reject`, `break`, `continue`) seen leaving the body of a
    /// `try atomic` being lowered (see `exits`).
    pub try_escape: Option<Span>,
    /// The state in which the hole of the straight statement being lowered was reached (see
    /// `stmt::Lowerer::straight_stmt`).
    pub hole: Option<seq::HoleMark>,
    pub cx: FnCx,
}

impl<'a> Lowerer<'a> {
    fn new(program: &'a Program, typed: &'a TypedProgram, options: &'a LowerOptions) -> Self {
        let file = program
            .modules
            .first()
            .map(|m| m.module.file)
            .unwrap_or(FileId(0));
        Lowerer {
            program,
            typed,
            options,
            sources: None,
            functions: FxHashMap::default(),
            behaviours: FxHashMap::default(),
            pure_registry: Vec::new(),
            diags: Vec::new(),
            fresh: 0,
            fd_forms: 0,
            calls_out: 0,
            stmt_loc: None,
            fn_values: funval::FnValues::default(),
            try_escape: None,
            hole: None,
            cx: FnCx::new(ModuleIdx(0), file, String::new()),
        }
    }

    /// The ITree name of a top-level function (qualified by its module path outside the root).
    pub fn fn_name(&self, id: FnId) -> Name {
        let decl = self.typed.resolution.defs.fn_decl(id);
        let path = &self.program.modules[decl.loc.module.0 as usize].path;
        if path.is_empty() {
            name(&decl.name)
        } else {
            name(&format!("{path}.{}", decl.name))
        }
    }

    /// The name of an object's behaviour.
    pub fn object_name(&self, id: ObjectDefId) -> Name {
        name(&self.typed.resolution.defs.object(id).name)
    }

    /// A fresh temporary name.
    pub fn temp(&mut self) -> Name {
        self.fresh += 1;
        name(&format!("${}", self.fresh))
    }

    /// A fresh name for a generated function.
    pub fn gen_fn_name(&mut self, what: &str) -> Name {
        self.fresh += 1;
        name(&format!("{}${what}{}", self.cx.prefix, self.fresh))
    }

    /// The location of `span` in the current file, for `Term::At`; `None` without sources
    /// (or for a file the source map does not hold, such as the built-in prelude).
    pub fn loc(&self, span: Span) -> Option<SrcLoc> {
        self.sources.and_then(|m| m.get(self.cx.file))?;
        Some(SrcLoc {
            source: self.cx.file.0,
            start: span.start,
            end: span.end,
        })
    }

    /// `t` marked as coming from `loc` (unchanged without a location).
    pub fn mark(loc: Option<SrcLoc>, t: Term) -> Term {
        match loc {
            Some(loc) => Term::At {
                loc,
                body: Box::new(t),
            },
            None => t,
        }
    }

    /// `" at file:line:column"` for a span of the current file (empty without sources): the
    /// place of a `require` named by an unsatisfiable commit. The file is named as the driver
    /// gave it (relative to the compile directory), so artifacts stay reproducible.
    pub fn at(&self, span: Span) -> String {
        match self.sources.and_then(|m| m.get(self.cx.file)) {
            Some(f) => {
                let lc = f.line_col(span.start);
                format!(" at {}:{}:{}", f.name, lc.line, lc.column)
            }
            None => String::new(),
        }
    }

    /// An E0501 diagnostic at `span` of the current file.
    pub fn unsupported(&self, span: Span, what: &str) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::new(
                Code::E0501,
                format!("{what} is not supported by the compiler yet"),
                Label::new(self.cx.file, span, "cannot be compiled yet"),
            )
            .with_help("rewrite this part without it; `avmc explain E0501` lists what is missing"),
        )
    }

    /// Adds a generated function with the current function's kind and safety.
    pub fn add_function(&mut self, fname: Name, params: Vec<Name>, body: Term) {
        self.functions.insert(
            fname.clone(),
            Function {
                name: fname,
                params,
                body,
                kind: self.cx.kind,
                safety: self.cx.safety,
            },
        );
    }

    /// The scope without duplicates (the last binding of a name wins at run time anyway).
    pub fn scope_params(&self) -> Vec<Name> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut out = Vec::new();
        for n in &self.cx.scope {
            if seen.insert(n.clone()) {
                out.push(n.clone());
            }
        }
        out
    }

    /// Declares a source binder and returns its ITree name (unique in the function).
    pub fn declare(&mut self, node: NodeId, source: &str) -> Name {
        let count = self.cx.name_counts.entry(source.to_string()).or_insert(0);
        let n = if *count == 0 {
            name(source)
        } else {
            name(&format!("{source}'{count}"))
        };
        *count += 1;
        self.cx.locals.insert(node, n.clone());
        self.cx.scope.push(n.clone());
        n
    }

    fn all_items(&mut self) {
        let program = self.program;
        let defs = &self.typed.resolution.defs;
        // Each function's and object's id by where it is declared, found once: a search per
        // item made a program of many functions quadratic to lower.
        let fn_ids: FxHashMap<(ModuleIdx, usize), FnId> = defs
            .fns
            .iter()
            .enumerate()
            .rev()
            .map(|(i, f)| ((f.loc.module, f.loc.item), FnId(i as u32)))
            .collect();
        let object_ids: FxHashMap<(ModuleIdx, usize), ObjectDefId> = defs
            .objects
            .iter()
            .enumerate()
            .rev()
            .map(|(i, o)| ((o.loc.module, o.loc.item), ObjectDefId(i as u32)))
            .collect();
        for (mi, entry) in program.modules.iter().enumerate() {
            let module = ModuleIdx(mi as u32);
            for (ii, item) in entry.module.items.iter().enumerate() {
                match &item.kind {
                    ItemKind::Fn(f) => {
                        let Some(id) = fn_ids.get(&(module, ii)).copied() else {
                            continue;
                        };
                        let fname = self.fn_name(id);
                        self.function(module, entry.module.file, fname, f, None);
                    }
                    ItemKind::Object(o) => {
                        let Some(id) = object_ids.get(&(module, ii)).copied() else {
                            continue;
                        };
                        self.object(module, entry.module.file, id, o);
                    }
                    ItemKind::Import(_)
                    | ItemKind::Struct(_)
                    | ItemKind::Enum(_)
                    | ItemKind::Error => {}
                }
            }
        }
    }

    /// Lowers a function or method body into the ITree function `fname`.
    fn function(
        &mut self,
        module: ModuleIdx,
        file: FileId,
        fname: Name,
        f: &ast::FnDef,
        object: Option<ObjectDefId>,
    ) {
        let mut cx = FnCx::new(module, file, fname.to_string());
        cx.object = object;
        cx.ret = if object.is_some() {
            RetMode::MethodOutput
        } else {
            RetMode::Value
        };
        cx.kind = match (f.kind, object) {
            (FnKind::Pure, None) => ItFnKind::Pure,
            _ => ItFnKind::Plain,
        };
        cx.safety = match f.kind {
            FnKind::Unsafe => Safety::Unsafe,
            _ => Safety::Safe,
        };
        self.cx = cx;
        let params: Vec<Name> = f
            .params
            .iter()
            .map(|p| self.declare(p.id, &p.name.name))
            .collect();
        match self.block(&f.body, cont::Cont::Return) {
            Ok(body) => {
                if self.cx.kind == ItFnKind::Pure {
                    self.pure_registry.push((fname.clone(), fname.clone()));
                }
                self.add_function(fname, params, body);
            }
            Err(d) => self.diags.push(*d),
        }
    }

    fn object(&mut self, module: ModuleIdx, file: FileId, id: ObjectDefId, o: &ast::ObjectDef) {
        let oname = self.object_name(id);
        let decl = self.typed.resolution.defs.object(id).clone();
        let mut arms = Vec::new();
        let mut fields: Vec<&ast::Expr> = Vec::new();
        let mut init: Option<&ast::InitDef> = None;
        for member in &o.members {
            match member {
                ObjectMember::State(s) => {
                    if decl.fields.iter().any(|f| f.name == s.name.name) {
                        fields.push(&s.init);
                    }
                }
                ObjectMember::Init(i) => init = Some(i),
                ObjectMember::Method(m) => {
                    if !decl
                        .methods
                        .iter()
                        .any(|d| d.name == m.name.name && d.name_span == m.name.span)
                    {
                        continue; // a duplicate, reported by name resolution
                    }
                    let fname = name(&format!("{oname}.{}", m.name.name));
                    self.function(module, file, fname.clone(), m, Some(id));
                    arms.push(dispatch_arm(&m.name.name, &fname, m.params.len()));
                }
                ObjectMember::Error(_) => {}
            }
        }
        if init.is_some() || !fields.is_empty() {
            let fname = name(&format!("{oname}.init"));
            let arity = init.map_or(0, |i| i.params.len());
            self.init_function(module, file, id, fname.clone(), &fields, init);
            arms.push(dispatch_arm("init", &fname, arity));
        }
        arms.push(Arm {
            pattern: Pattern::Wild,
            guard: None,
            body: Term::Ret(Expr::List(Vec::new())),
        });
        let msg = name("$msg");
        let body = Term::Instr {
            instr: Instr::Input,
            bind: msg.clone(),
            rest: Box::new(Term::Match {
                scrutinee: Expr::Var(msg),
                arms,
            }),
        };
        self.behaviours.insert(
            oname.clone(),
            Behaviour {
                name: oname,
                body,
                safety: Safety::Safe,
            },
        );
    }

    /// `O.init(params)`: when the state is still empty, set it to the field initialisers, run
    /// the `init` body and output `[()]`; otherwise output nothing (a second `init` is rejected).
    fn init_function(
        &mut self,
        module: ModuleIdx,
        file: FileId,
        id: ObjectDefId,
        fname: Name,
        fields: &[&ast::Expr],
        init: Option<&ast::InitDef>,
    ) {
        let mut cx = FnCx::new(module, file, fname.to_string());
        cx.object = Some(id);
        cx.ret = RetMode::MethodOutput;
        self.cx = cx;
        let params: Vec<Name> = init
            .map(|i| {
                i.params
                    .iter()
                    .map(|p| self.declare(p.id, &p.name.name))
                    .collect()
            })
            .unwrap_or_default();
        let body = self.expr_refs(
            fields.to_vec(),
            Box::new(move |lw: &mut Lowerer, vals: Vec<Expr>| {
                let after = match init {
                    Some(i) => lw.block(&i.body, cont::Cont::Return)?,
                    None => Term::Ret(Expr::List(vec![Expr::Lit(Val::Unit)])),
                };
                Ok(Term::Instr {
                    instr: Instr::SetState(Expr::List(vals)),
                    bind: name("_"),
                    rest: Box::new(after),
                })
            }),
        );
        match body {
            Ok(body) => {
                let state = name("$state");
                let guarded = Term::Instr {
                    instr: Instr::GetState,
                    bind: state.clone(),
                    rest: Box::new(Term::If {
                        cond: Expr::Binary(
                            it::BinOp::Eq,
                            Box::new(Expr::Var(state)),
                            Box::new(Expr::List(Vec::new())),
                        ),
                        then_branch: Box::new(body),
                        else_branch: Box::new(Term::Ret(Expr::List(Vec::new()))),
                    }),
                };
                self.add_function(fname, params, guarded);
            }
            Err(d) => self.diags.push(*d),
        }
    }

    /// The entry term: a call of the root module's `main`.
    fn entry(&mut self) -> Term {
        let defs = &self.typed.resolution.defs;
        let main = defs
            .fns
            .iter()
            .position(|f| f.loc.module == ModuleIdx(0) && f.name == "main")
            .map(|i| FnId(i as u32));
        let file = self
            .program
            .modules
            .first()
            .map(|m| m.module.file)
            .unwrap_or(FileId(0));
        match main {
            Some(id) if self.typed.signatures.fns[id.0 as usize].params.is_empty() => {
                let fname = self.fn_name(id);
                let sig = &self.typed.signatures.fns[id.0 as usize];
                if sig.kind == FnKind::Pure {
                    // A pure `main` is called like any pure function.
                    let r = name("$main");
                    Term::Instr {
                        instr: Instr::CallPure {
                            name: fname.clone(),
                            args: Expr::List(Vec::new()),
                        },
                        bind: r.clone(),
                        rest: Box::new(unwrap_or_fail(
                            Expr::Var(r),
                            format!("pure function `{fname}` is not registered"),
                        )),
                    }
                } else {
                    Term::Call {
                        function: fname,
                        args: Vec::new(),
                    }
                }
            }
            Some(id) => {
                let span = defs.fn_decl(id).name_span;
                self.diags.push(
                    Diagnostic::new(
                        Code::E0502,
                        "`main` must take no parameters",
                        Label::new(file, span, "this `main` has parameters"),
                    )
                    .with_help("remove the parameters of `main`"),
                );
                Term::Ret(Expr::Lit(Val::Unit))
            }
            None => {
                let span = self
                    .program
                    .modules
                    .first()
                    .map(|m| Span::point(m.module.span.start as usize))
                    .unwrap_or(Span::point(0));
                self.diags.push(
                    Diagnostic::new(
                        Code::E0502,
                        "this program has no `main` function",
                        Label::new(file, span, "no `fn main()` in this file"),
                    )
                    .with_help("add `fn main() -> Int { 0 }` (any result type works)"),
                );
                Term::Ret(Expr::Lit(Val::Unit))
            }
        }
    }
}

impl FnCx {
    fn new(module: ModuleIdx, file: FileId, prefix: String) -> FnCx {
        FnCx {
            module,
            file,
            prefix,
            kind: ItFnKind::Plain,
            safety: Safety::Safe,
            ret: RetMode::Value,
            object: None,
            scope: Vec::new(),
            locals: FxHashMap::default(),
            name_counts: FxHashMap::default(),
            loops: Vec::new(),
            atomics: Vec::new(),
            try_depth: None,
        }
    }
}

/// `["m", a0, a1, …] => O.m(a0, a1, …)`.
fn dispatch_arm(method: &str, fname: &Name, arity: usize) -> Arm {
    let args: Vec<Name> = (0..arity).map(|i| name(&format!("$a{i}"))).collect();
    let mut items = vec![Pattern::Lit(Val::Str(Rc::from(method)))];
    items.extend(args.iter().map(|a| Pattern::Bind(a.clone())));
    Arm {
        pattern: Pattern::List(items),
        guard: None,
        body: Term::Call {
            function: fname.clone(),
            args: args.into_iter().map(Expr::Var).collect(),
        },
    }
}

/// `match e { some(v) => ret v, none => fail message }`.
pub(crate) fn unwrap_or_fail(e: Expr, message: String) -> Term {
    let v = name("$v");
    Term::Match {
        scrutinee: e,
        arms: vec![
            Arm {
                pattern: Pattern::Just(Box::new(Pattern::Bind(v.clone()))),
                guard: None,
                body: Term::Ret(Expr::Var(v)),
            },
            Arm {
                pattern: Pattern::Wild,
                guard: None,
                body: Term::Fail(Expr::Lit(Val::Str(Rc::from(message.as_str())))),
            },
        ],
    }
}

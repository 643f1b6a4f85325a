//! Language input: compile one input together with the session's definitions and bindings,
//! run it against the session's world, and keep what it defined and bound.
//!
//! Takes the session, the input text (items and statements, as `parse_repl` reads them) and the
//! host; produces a [`Reply`]. Each input becomes a program (see [`super::program`]) compiled in
//! two passes: the first type-checks `repl_main` returning `Unit` to learn the type of the last
//! expression and of every new binding, the second makes `repl_main` return that value and every
//! binding as nested pairs. The entry term is replaced by a call of `repl_main` whose arguments
//! are read from the run's input (`Instr::Input`, a list of the bindings' values), so values that
//! have no literal form (object references) pass from one input to the next.

use avm_vm::error::AvmError;
use avm_vm::itree::{self as vm_itree, Expr, Instr, Term};
use avm_vm::srcloc::Backtrace;
use avm_vm::trace::{EventType, TraceView};
use avm_vm::value::Val;

use crate::diagnostics::Diagnostic;
use crate::diagnostics::runtime::{runtime_failure, runtime_failure_of_input};
use crate::itree::LowerOptions;
use crate::pipeline::{Stage, compile};
use crate::resolve::ModuleIdx;
use crate::syntax::ReplEntry;
use crate::syntax::ast::{ItemKind, Pattern, PatternKind, StmtKind};
use crate::syntax::span::{FileId, SourceMap, Span};
use crate::typeck::TypedProgram;

use super::program::{self, BindingDecl, Generated, Mutability, Parts, Piece, REPL_MAIN};
use super::{Binding, DefOrigin, Definition, Output, ReplHost, Reply, Session, Tracing};

/// An input split into definitions and statements.
pub(super) struct Split<'a> {
    pub(super) items: Vec<(Definition, Piece<'a>)>,
    pub(super) stmts: Vec<Piece<'a>>,
    pub(super) last_is_value: bool,
}

/// The compiled form of an input, ready to run.
pub(super) struct Compiled {
    pub(super) itree: vm_itree::Program,
    /// The Tape program, or why the Tape back end refused it (the ITree engine runs it then).
    pub(super) tape: Result<avm_vm::tape::Program, String>,
    /// The bindings after the input, in the order `repl_main` returns them.
    env: Vec<BindingDecl>,
    /// The names the input bound at top level, in order.
    new_names: Vec<String>,
    /// The type of the input's value, when its last statement is an expression.
    tail_ty: Option<String>,
    /// Notes for the user (bindings that cannot be kept).
    notes: Vec<String>,
    /// Warnings about the input.
    warnings: Option<Output>,
    /// The program text, to map a failed run's source locations back to the input.
    generated: Generated,
    /// The render map of the compile.
    render: RenderMap,
    /// The object types' interfaces (what `lookup` checks).
    interfaces: crate::typeck::interface::Interfaces,
}

/// The sources a compile's diagnostics are rendered against (see [`program::render_map`]):
/// the map, the id of the generated text in it, and the new ids of imported files.
pub(super) struct RenderMap {
    sources: SourceMap,
    gen_id: FileId,
    moved: Vec<(FileId, FileId)>,
}

/// Why a run did not give a value.
pub(super) enum RunFailure {
    /// The AVM failed, at these source locations (ids of the compile's own source map).
    Avm(AvmError, Backtrace),
    /// The Tape interpreter refused the compiled program (a compiler bug).
    Rejected(String),
}

/// The outcome of the type-checking pass.
pub(super) struct Checked {
    /// Warnings about the input (already rendered against its text).
    pub(super) warnings: Option<Output>,
    pub(super) tail_ty: Option<String>,
    new: Vec<BindingDecl>,
    notes: Vec<String>,
}

pub(super) fn item_definition(kind: &ItemKind, text: &str) -> Option<Definition> {
    let (name, word) = match kind {
        ItemKind::Fn(f) => (f.name.name.clone(), "fn"),
        ItemKind::Object(o) => (o.name.name.clone(), "object"),
        ItemKind::Struct(s) => (s.name.name.clone(), "struct"),
        ItemKind::Enum(e) => (e.name.name.clone(), "enum"),
        ItemKind::Import(i) => (
            i.path
                .segments
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join("."),
            "import",
        ),
        ItemKind::Error => return None,
    };
    Some(Definition {
        name,
        kind: word,
        text: text.to_string(),
        origin: None,
    })
}

/// Collects the names a `let` pattern binds, with their pattern nodes.
fn pattern_bindings<'p>(p: &'p Pattern, out: &mut Vec<&'p Pattern>) {
    match &p.kind {
        PatternKind::Binding(_) => out.push(p),
        PatternKind::Tuple(ps) | PatternKind::Variant { args: ps, .. } => {
            for q in ps {
                pattern_bindings(q, out);
            }
        }
        PatternKind::List { items, .. } => {
            for q in items {
                pattern_bindings(q, out);
            }
        }
        PatternKind::Some(q) => pattern_bindings(q, out),
        PatternKind::Struct { fields, .. } => {
            for f in fields {
                pattern_bindings(&f.pattern, out);
            }
        }
        _ => {}
    }
}

impl Session {
    pub(super) fn split<'a>(&self, input: &'a str) -> Result<Split<'a>, Reply> {
        let parsed = crate::syntax::parse_repl(FileId(0), input);
        let entries = match parsed.entries {
            Some(e) if !crate::diagnostics::has_errors(&parsed.diagnostics) => e,
            _ => return Err(self.diagnostics_reply(parsed.diagnostics, input)),
        };
        let mut split = Split {
            items: Vec::new(),
            stmts: Vec::new(),
            last_is_value: false,
        };
        let source: std::rc::Rc<str> = std::rc::Rc::from(input);
        for entry in &entries {
            match entry {
                ReplEntry::Item(item) => {
                    let text = &input[item.span.range()];
                    if let Some(mut def) = item_definition(&item.kind, text) {
                        def.origin = Some(DefOrigin {
                            name: format!("<repl:{}>", self.count),
                            text: source.clone(),
                            offset: item.span.start as usize,
                        });
                        let piece = Piece {
                            text,
                            origin: Some((FileId(0), item.span.start as usize)),
                        };
                        split.items.push((def, piece));
                    }
                }
                ReplEntry::Stmt(stmt) => {
                    split.stmts.push(Piece {
                        text: &input[stmt.span.range()],
                        origin: Some((FileId(0), stmt.span.start as usize)),
                    });
                    split.last_is_value = matches!(stmt.kind, StmtKind::Expr(_));
                }
            }
        }
        Ok(split)
    }

    /// Diagnostics about the current input only (`<repl:N>` is file 0).
    fn diagnostics_reply(&self, diagnostics: Vec<Diagnostic>, input: &str) -> Reply {
        let mut sources = SourceMap::new();
        sources.add(format!("<repl:{}>", self.count), input);
        let mut r = Reply::new();
        r.outputs.push(Output::Diagnostics {
            diagnostics,
            sources,
        });
        r
    }

    /// The definition pieces for a compile: the kept ones not replaced by `new`, then `new`;
    /// whether a `main` must be added; and the sources the kept ones came from, which are the
    /// render map's files 1, 2, … (file 0 is the current input), in the pieces' origins.
    pub(super) fn item_pieces<'a>(
        &'a self,
        new: &[(Definition, Piece<'a>)],
    ) -> (Vec<Piece<'a>>, bool, Vec<(String, String)>) {
        let replaced = |d: &Definition| {
            new.iter()
                .any(|(n, _)| n.name == d.name && n.kind == d.kind)
        };
        let mut kept_sources: Vec<(String, String)> = Vec::new();
        let mut pieces: Vec<Piece<'a>> = Vec::new();
        for d in self.defs.iter().filter(|d| !replaced(d)) {
            let Some(origin) = &d.origin else {
                pieces.push(Piece::generated(&d.text));
                continue;
            };
            let index = match kept_sources
                .iter()
                .position(|(name, text)| *name == origin.name && **text == *origin.text)
            {
                Some(i) => i,
                None => {
                    kept_sources.push((origin.name.clone(), origin.text.to_string()));
                    kept_sources.len() - 1
                }
            };
            pieces.push(Piece {
                text: &d.text,
                origin: Some((FileId(1 + index as u32), origin.offset)),
            });
        }
        pieces.extend(new.iter().map(|(_, p)| *p));
        let has_main = self
            .defs
            .iter()
            .chain(new.iter().map(|(d, _)| d))
            .any(|d| d.kind == "fn" && d.name == "main");
        (pieces, !has_main, kept_sources)
    }

    /// Compiles `generated` up to `stage`. On errors, the reply that shows them; otherwise
    /// the outcome and the warnings about the user's text of this compile (`inputs`), if any
    /// (warnings about kept definitions were shown when they were entered).
    fn compile_generated(
        &self,
        inputs: &[(String, String)],
        kept_sources: &[(String, String)],
        generated: &Generated,
        stage: Stage,
        host: &mut dyn ReplHost,
    ) -> Result<(crate::pipeline::CompileOutcome, Option<Output>, RenderMap), Reply> {
        let gen_name = format!("<repl:{} generated>", self.count);
        let mut outcome = compile(
            &gen_name,
            &generated.text,
            host,
            stage,
            &LowerOptions::default(),
        );
        let all_inputs: Vec<(String, String)> =
            inputs.iter().chain(kept_sources).cloned().collect();
        let (sources, gen_id, moved) =
            program::render_map(&all_inputs, &outcome.sources, &gen_name, generated);
        let mut diagnostics = std::mem::take(&mut outcome.diagnostics);
        generated.remap(&mut diagnostics, FileId(0), gen_id, &moved);
        if !crate::diagnostics::has_errors(&diagnostics) {
            diagnostics.retain(|d| (d.primary.file.0 as usize) < inputs.len());
            let warnings = (!diagnostics.is_empty()).then(|| Output::Diagnostics {
                diagnostics,
                sources: sources.clone(),
            });
            let render = RenderMap {
                sources,
                gen_id,
                moved,
            };
            return Ok((outcome, warnings, render));
        }
        // Warnings about kept definitions were shown when they were entered.
        diagnostics.retain(|d| d.is_error() || (d.primary.file.0 as usize) < inputs.len());
        let mut r = Reply::new();
        r.outputs.push(Output::Diagnostics {
            diagnostics,
            sources,
        });
        Err(r)
    }

    /// The type-checking pass: the type of the last expression and of each new binding.
    pub(super) fn check_pass(
        &self,
        inputs: &[(String, String)],
        parts: &Parts<'_>,
        host: &mut dyn ReplHost,
    ) -> Result<Checked, Reply> {
        let generated = program::generate(parts, &program::Result::Unit);
        let (outcome, warnings, _) =
            self.compile_generated(inputs, &parts.kept_sources, &generated, Stage::Typed, host)?;
        let (Some(prog), Some(typed)) = (&outcome.program, &outcome.typed) else {
            return Err(Reply::text(
                "internal: the type-checking pass produced no program",
            ));
        };
        let Some(module) = prog.modules.first().map(|m| &m.module) else {
            return Err(Reply::text(
                "internal: the type-checking pass produced no module",
            ));
        };
        let body = module.items.iter().find_map(|item| match &item.kind {
            ItemKind::Fn(f) if f.name.name == REPL_MAIN => Some(&f.body),
            _ => None,
        });
        let Some(body) = body else {
            return Err(Reply::text("internal: `repl_main` is missing"));
        };
        let show = |typed: &TypedProgram, id| {
            typed
                .type_of(ModuleIdx(0), id)
                .filter(|t| !t.has_vars() && !matches!(t, crate::typeck::types::Type::Error))
                .map(|t| t.display(&typed.resolution.defs, &[]))
        };
        let mut checked = Checked {
            warnings,
            tail_ty: None,
            new: Vec::new(),
            notes: Vec::new(),
        };
        if parts.last_is_value
            && let Some(tail) = &body.tail
        {
            checked.tail_ty = show(typed, tail.id);
        }
        for stmt in body.stmts.iter().skip(parts.params.len()) {
            let StmtKind::Let {
                mutability,
                pattern,
                ..
            } = &stmt.kind
            else {
                continue;
            };
            let mut pats = Vec::new();
            pattern_bindings(pattern, &mut pats);
            for p in pats {
                let PatternKind::Binding(ident) = &p.kind else {
                    continue;
                };
                if ident.name == "_" {
                    continue;
                }
                match show(typed, p.id) {
                    Some(ty) => checked.new.push(BindingDecl {
                        name: ident.name.clone(),
                        ty,
                        mutability: match mutability {
                            crate::syntax::ast::Mutability::Immutable => Mutability::Let,
                            crate::syntax::ast::Mutability::Mutable => Mutability::Var,
                        },
                    }),
                    None => checked.notes.push(format!(
                        "`{}` is not kept for later inputs: its type is not known here (annotate it)",
                        ident.name
                    )),
                }
            }
        }
        Ok(checked)
    }

    /// Both passes and the lowering: the program that runs `split` against the session.
    pub(super) fn compile_input(
        &self,
        inputs: &[(String, String)],
        split: &Split<'_>,
        host: &mut dyn ReplHost,
    ) -> Result<Compiled, Reply> {
        let (items, add_main, kept_sources) = self.item_pieces(&split.items);
        let params: Vec<BindingDecl> = self.bindings.iter().map(|b| b.decl.clone()).collect();
        let mut parts = Parts {
            items,
            add_main,
            kept_sources,
            params: &params,
            stmts: split.stmts.clone(),
            last_is_value: split.last_is_value,
        };
        let checked = self.check_pass(inputs, &parts, host)?;
        let mut env = params.clone();
        for b in &checked.new {
            match env.iter_mut().find(|e| e.name == b.name) {
                Some(e) => *e = b.clone(),
                None => env.push(b.clone()),
            }
        }
        // A last expression whose type cannot be written stays an ordinary statement.
        parts.last_is_value = parts.last_is_value && checked.tail_ty.is_some();
        let tail_ty = checked
            .tail_ty
            .clone()
            .unwrap_or_else(|| "Unit".to_string());
        let generated = program::generate(
            &parts,
            &program::Result::Values {
                tail_ty,
                bindings: &env,
            },
        );
        let (outcome, _, render) =
            self.compile_generated(inputs, &parts.kept_sources, &generated, Stage::Itree, host)?;
        let interfaces = outcome
            .typed
            .as_ref()
            .map(crate::typeck::interface::object_interfaces)
            .unwrap_or_default();
        let Some(mut itree) = outcome.itree else {
            return Err(Reply::text("internal: no ITree program"));
        };
        itree.main = entry_term(params.len());
        let tape = crate::tape::lower(&itree).map_err(|e| e.to_string());
        let mut new_names = Vec::new();
        for b in &checked.new {
            new_names.retain(|n| *n != b.name);
            new_names.push(b.name.clone());
        }
        Ok(Compiled {
            itree,
            tape,
            env,
            new_names,
            tail_ty: checked.tail_ty.filter(|_| parts.last_is_value),
            notes: checked.notes,
            warnings: checked.warnings,
            generated,
            render,
            interfaces,
        })
    }

    /// Evaluates language input.
    pub(super) fn eval_avm(&mut self, name: &str, input: &str, host: &mut dyn ReplHost) -> Reply {
        let split = match self.split(input) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let inputs = [(name.to_string(), input.to_string())];
        let compiled = match self.compile_input(&inputs, &split, host) {
            Ok(c) => c,
            Err(r) => return r,
        };
        let mut reply = Reply::new();
        reply.outputs.extend(compiled.warnings.clone());
        // The definitions compiled: keep them, whatever the run does.
        let new_defs: Vec<Definition> = split.items.iter().map(|(d, _)| d.clone()).collect();
        self.keep_definitions(new_defs.clone());
        for d in &new_defs {
            reply
                .outputs
                .push(Output::Text(format!("defined {} {}", d.kind, d.name)));
        }
        if split.stmts.is_empty() {
            return reply;
        }
        let (result, world_trace) = self.run(&compiled);
        reply.outputs.extend(world_trace);
        for note in &compiled.notes {
            reply.outputs.push(Output::Text(format!("note: {note}")));
        }
        match result {
            Ok(v) => {
                let (tail, values) = unpack(&v, compiled.env.len());
                self.bindings = compiled
                    .env
                    .iter()
                    .zip(values)
                    .map(|(decl, value)| Binding {
                        decl: decl.clone(),
                        value,
                    })
                    .collect();
                for n in &compiled.new_names {
                    if let Some(b) = self.bindings.iter().find(|b| b.decl.name == *n) {
                        reply.outputs.push(Output::Value {
                            name: Some(n.clone()),
                            ty: b.decl.ty.clone(),
                            value: crate::value_text::value(&b.value),
                        });
                    }
                }
                if let Some(ty) = compiled.tail_ty.filter(|t| t != "Unit") {
                    reply.outputs.push(Output::Value {
                        name: None,
                        ty,
                        value: crate::value_text::value(&tail),
                    });
                }
            }
            Err(RunFailure::Avm(error, backtrace)) => {
                reply
                    .outputs
                    .push(compiled.failure_output(&error, &backtrace, input));
            }
            Err(RunFailure::Rejected(message)) => {
                reply.outputs.push(Output::RuntimeError(message));
            }
        }
        reply
    }

    /// Runs a compiled input; returns `repl_main`'s value (or the AVM error) and the outputs of
    /// the run (printed lines, the trace when `:trace on`). The run's trace joins the session's.
    fn run(&mut self, compiled: &Compiled) -> (Result<Val, RunFailure>, Vec<Output>) {
        let input = Val::List(self.bindings.iter().map(|b| b.value.clone()).collect());
        let mut config = vm_itree::RunConfig {
            input,
            ..vm_itree::RunConfig::default()
        };
        config.limits.fuel = self.fuel;
        crate::typeck::interface::install_interfaces(&mut self.world, &compiled.interfaces);
        for (name, function) in &compiled.itree.pure_registry {
            if self.world.pure.get(name).is_none() {
                let _ = self.world.pure.register(name.clone(), function.clone());
            }
        }
        let result = match &compiled.tape {
            Ok(tape) => {
                let tape_config = avm_vm::tape::interp::RunConfig::from(&config);
                match avm_vm::tape::interp::run_program(tape, &mut self.world, &tape_config) {
                    Ok(r) => r,
                    Err(e) => {
                        return (
                            Err(RunFailure::Rejected(format!(
                                "the compiled Tape was rejected: {e}"
                            ))),
                            Vec::new(),
                        );
                    }
                }
            }
            Err(_) => vm_itree::run(&compiled.itree, &mut self.world, &config),
        };
        let mut outputs = Vec::new();
        for e in result.trace.entries() {
            if let EventType::Output(v) = &e.event {
                outputs.push(Output::Printed(match v {
                    Val::Str(s) => s.to_string(),
                    other => crate::value_text::value(other),
                }));
            }
            self.trace.push(e.clone());
        }
        if self.tracing == Tracing::On {
            outputs.push(Output::Text(result.trace.render(TraceView::Full)));
        }
        let backtrace = result.backtrace;
        (
            result.outcome.map_err(|e| RunFailure::Avm(e, backtrace)),
            outputs,
        )
    }

    /// Adds definitions, replacing kept ones of the same kind and name.
    pub(super) fn keep_definitions(&mut self, new: Vec<Definition>) {
        for d in new {
            match self
                .defs
                .iter_mut()
                .find(|k| k.name == d.name && k.kind == d.kind)
            {
                Some(k) => *k = d,
                None => self.defs.push(d),
            }
        }
    }
}

impl Compiled {
    /// The E0701 diagnostic of a failed run, labelled where it failed in the input (or in a
    /// kept definition, shown in the generated text), with a note per caller; labelled at the
    /// whole input when the failure has no location.
    fn failure_output(&self, error: &AvmError, backtrace: &Backtrace, input: &str) -> Output {
        let render = &self.render;
        let backtrace =
            self.generated
                .remap_backtrace(backtrace, FileId(0), render.gen_id, &render.moved);
        let diagnostic = runtime_failure(error, &backtrace, &render.sources).unwrap_or_else(|| {
            let trimmed = input.trim_end();
            let start = trimmed.len() - trimmed.trim_start().len();
            runtime_failure_of_input(error, FileId(0), Span::new(start, trimmed.len()))
        });
        Output::Diagnostics {
            diagnostics: vec![diagnostic],
            sources: render.sources.clone(),
        }
    }
}

/// The entry term: `repl_main(input[0], …, input[n-1])`.
fn entry_term(n: usize) -> Term {
    let env: vm_itree::Name = std::rc::Rc::from("repl$env");
    Term::Instr {
        instr: Instr::Input,
        bind: env.clone(),
        rest: Box::new(Term::Call {
            function: std::rc::Rc::from(REPL_MAIN),
            args: (0..n)
                .map(|i| {
                    Expr::Index(
                        Box::new(Expr::Var(env.clone())),
                        Box::new(Expr::Lit(Val::Int(i as i64))),
                    )
                })
                .collect(),
        }),
    }
}

/// Splits `(it, (b0, (b1, ())))` into the value and `n` binding values.
fn unpack(v: &Val, n: usize) -> (Val, Vec<Val>) {
    let pair = |v: &Val| match v {
        Val::Tuple(items) if items.len() == 2 => Some((items[0].clone(), items[1].clone())),
        _ => None,
    };
    let Some((tail, mut rest)) = pair(v) else {
        return (v.clone(), vec![Val::Unit; n]);
    };
    let mut values = Vec::with_capacity(n);
    for _ in 0..n {
        match pair(&rest) {
            Some((x, r)) => {
                values.push(x);
                rest = r;
            }
            None => values.push(Val::Unit),
        }
    }
    (tail, values)
}

//! One document's analysis: its parsed program and the type checker's side tables.
//!
//! Takes the document's name and text and a [`SourceLoader`] for its imports; produces an
//! [`Analysis`]: the diagnostics `avmc check` would report, and, when the document parses,
//! the program (root module first), the name resolution, the signatures and the type of
//! every expression, pattern and binder. The type checker's tables are kept even when it
//! reports errors (the nodes it could type keep their types); [`Typing`] says which case it
//! is. Also renders signatures and types as source text.

use crate::diagnostics::{Diagnostic, has_errors};
use crate::itree::LowerOptions;
use crate::pipeline::{SourceLoader, Stage, compile};
use crate::resolve::{ItemLoc, ModuleIdx, Program, Res};
use crate::syntax::ast::{Item, ItemKind, Module, NodeId, ObjectMember};
use crate::syntax::source_printer::fn_prefix;
use crate::typeck::signatures::FnSig;
use crate::typeck::{TypedProgram, check};

/// The root module's index: the open document.
pub const ROOT: ModuleIdx = ModuleIdx(0);

/// How far type checking got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typing {
    /// The document (or an import) has syntax errors: no types.
    NotRun,
    /// Checked with errors: some nodes have no type or an error type.
    WithErrors,
    /// Checked without errors.
    Clean,
}

/// A document's analysis.
#[derive(Debug)]
pub struct Analysis {
    /// Every diagnostic (of every file) of parsing, resolution and type checking.
    pub diagnostics: Vec<Diagnostic>,
    /// The root file's id in the source map (diagnostics elsewhere belong to imports).
    pub root_file: Option<crate::syntax::span::FileId>,
    pub program: Option<Program>,
    /// Present when [`Typing`] is not `NotRun`.
    pub typed: Option<TypedProgram>,
    pub typing: Typing,
}

/// Parses, resolves and type-checks the document as `avmc check` does.
pub fn analyze(name: &str, text: &str, loader: &mut dyn SourceLoader) -> Analysis {
    let outcome = compile(name, text, loader, Stage::Ast, &LowerOptions::default());
    let root_file = outcome.sources.files().next().map(|(id, _)| id);
    let mut diagnostics = outcome.diagnostics;
    let (typed, typing) = match &outcome.program {
        Some(program) if !has_errors(&diagnostics) => {
            let checked = check(program);
            let typing = if checked.has_errors() {
                Typing::WithErrors
            } else {
                Typing::Clean
            };
            diagnostics.extend(checked.diagnostics);
            (Some(checked.typed), typing)
        }
        _ => (None, Typing::NotRun),
    };
    Analysis {
        diagnostics,
        root_file,
        program: outcome.program,
        typed,
        typing,
    }
}

impl Analysis {
    /// The document's parsed module.
    pub fn root(&self) -> Option<&Module> {
        self.program.as_ref()?.modules.first().map(|m| &m.module)
    }

    /// The typed program with the root module, when the checker ran.
    pub fn typed_root(&self) -> Option<(&TypedProgram, &Module)> {
        Some((self.typed.as_ref()?, self.root()?))
    }

    /// What a node of the document names (path expressions, patterns, types).
    pub fn res(&self, node: NodeId) -> Option<&Res> {
        self.typed.as_ref()?.resolution.res(ROOT, node)
    }

    /// The type of a node of the document as source text (type parameters named by
    /// `generics`), when it is fully known (no error, no unsolved part).
    pub fn type_text(&self, node: NodeId, generics: &[String]) -> Option<String> {
        let typed = self.typed.as_ref()?;
        let ty = typed.type_of(ROOT, node)?;
        known(ty.display(&typed.resolution.defs, generics))
    }

    /// The item at a location of the program.
    pub fn item(&self, loc: ItemLoc) -> Option<&Item> {
        self.program
            .as_ref()?
            .modules
            .get(loc.module.0 as usize)?
            .module
            .items
            .get(loc.item)
    }

    /// The doc comment of an object's member (by index in its `members`).
    pub fn member_doc(&self, loc: ItemLoc, member: usize) -> Option<String> {
        let ItemKind::Object(o) = &self.item(loc)?.kind else {
            return None;
        };
        match o.members.get(member)? {
            ObjectMember::State(s) => s.doc.clone(),
            ObjectMember::Init(i) => i.doc.clone(),
            ObjectMember::Method(f) => f.doc.clone(),
            ObjectMember::Error(_) => None,
        }
    }

    /// The doc comment of a top-level item (for a function, its own or the item's).
    pub fn item_doc(&self, loc: ItemLoc) -> Option<String> {
        let item = self.item(loc)?;
        match &item.kind {
            ItemKind::Fn(f) => item.doc.clone().or_else(|| f.doc.clone()),
            _ => item.doc.clone(),
        }
    }

    /// A function's or method's signature as source text: `fn add(k: Int) -> Int`.
    pub fn fn_sig_text(&self, sig: &FnSig) -> String {
        let (head, params, tail) = self.fn_sig_parts(sig);
        format!("{head}({}){tail}", params.join(", "))
    }

    /// A signature in three parts: `fn add`, the parameters (`k: Int`), ` -> Int`.
    pub fn fn_sig_parts(&self, sig: &FnSig) -> (String, Vec<String>, String) {
        let generics = if sig.generics.is_empty() {
            String::new()
        } else {
            format!("[{}]", sig.generics.join(", "))
        };
        let head = format!("{} {}{generics}", fn_prefix(sig.kind), sig.name);
        let Some(typed) = &self.typed else {
            return (head, sig.param_names.clone(), String::new());
        };
        let defs = &typed.resolution.defs;
        let show = |t: &crate::typeck::Type| t.display(defs, &sig.generics);
        let params = sig
            .params
            .iter()
            .zip(&sig.param_names)
            .map(|(t, n)| format!("{n}: {}", show(t)))
            .collect();
        let tail = if sig.ret == crate::typeck::Type::Unit {
            String::new()
        } else {
            format!(" -> {}", show(&sig.ret))
        };
        (head, params, tail)
    }
}

/// A displayed type, unless it has an error or an unsolved part in it.
fn known(text: String) -> Option<String> {
    (!text.contains("{error}")
        && !text
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| w == "_"))
    .then_some(text)
}

//! Name resolution: which definition every name in the program refers to.
//!
//! Takes a [`Program`] (the parsed root module plus every module it imports,
//! gathered IO-free through a [`ModuleLoader`] by [`load_program`]); produces
//! a [`Resolution`]: the program-wide [`DefTable`] and, per module, a side
//! table from [`NodeId`] to [`Res`] (local, parameter, state field, item,
//! variant, built-in, generic, module) plus the binder of every local, and
//! the diagnostics of this stage (codes E03xx).
//!
//! Scoping rules: blocks, function parameters, match arms, closures and `for`
//! loops open scopes; an object's state fields are visible inside its `init`
//! and methods; `self`, `sender` and `input` only inside `init` and methods.
//! Top-level names are looked up in the module itself, then in the modules it
//! imports (every item of an imported module is visible unqualified and as
//! `module::item`), then among enum variants (`Sunk(3)` without `Shot::`),
//! then in the prelude ([`prelude::Builtin`]).

pub mod defs;
pub mod loader;
mod lookup;
pub mod prelude;
mod scopes;
pub mod stdlib;
pub(crate) mod suggest;
mod walk;

use rustc_hash::{FxHashMap, FxHashSet};

pub use defs::{
    DefTable, EnumId, FnId, ImportTarget, ItemDef, ItemLoc, ModuleIdx, ObjectDefId, StructId,
    VariantShape,
};
pub use loader::TextLoader;
pub use prelude::{Builtin, BuiltinClass};

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::ast::{ItemKind, Module, Mutability, NodeId};
use crate::syntax::span::Span;

/// One module of a program, with the dotted path it was imported by
/// (`""` for the root).
#[derive(Debug, Clone)]
pub struct ModuleEntry {
    pub path: String,
    pub module: Module,
}

/// Every module of one compilation; `modules[0]` is the root.
#[derive(Debug, Clone)]
pub struct Program {
    pub modules: Vec<ModuleEntry>,
}

impl Program {
    /// A program of one module and no imports of user modules.
    pub fn single(module: Module) -> Program {
        Program {
            modules: vec![ModuleEntry {
                path: String::new(),
                module,
            }],
        }
    }
}

/// Supplies imported modules. The CLI implements it over the file system
/// (read `a/b.avm` for `import a.b`, parse it, add it to the source map);
/// tests implement it over a map. The library never reads files.
/// Implementations serve the std modules with sources from
/// [`stdlib::source`] before looking anywhere else.
pub trait ModuleLoader {
    /// The parsed module for the dotted path (e.g. `"shapes.point"`), or
    /// `None` when no such module exists. Parse errors are the loader's to
    /// report; it should still return the recovered module.
    fn load(&mut self, path: &str) -> Option<Module>;
}

/// The dotted path of an import (`std.list`).
pub fn import_path(import: &crate::syntax::ast::Import) -> String {
    import
        .path
        .segments
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// Gathers the root module and, transitively, every module it imports.
/// Modules the loader does not know are left out; [`resolve`] reports them
/// (E0303) at their `import`.
pub fn load_program(root: Module, loader: &mut dyn ModuleLoader) -> Program {
    let mut program = Program::single(root);
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut next = 0;
    while next < program.modules.len() {
        let imports: Vec<(String, Span)> = program.modules[next]
            .module
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::Import(import) => Some((import_path(import), import.path.span)),
                _ => None,
            })
            .collect();
        for (path, _span) in imports {
            if prelude::STD_MODULES.contains(&path.as_str()) || !seen.insert(path.clone()) {
                continue;
            }
            if let Some(module) = loader.load(&path) {
                program.modules.push(ModuleEntry { path, module });
            }
        }
        next += 1;
    }
    program
}

fn unknown_module(file: crate::syntax::span::FileId, path: &str, span: Span) -> Diagnostic {
    let mut candidates: Vec<&str> = prelude::STD_MODULES.to_vec();
    candidates.extend(stdlib::STD_SOURCES.iter().map(|(p, _, _)| *p));
    candidates.retain(|m| *m != "std");
    let mut d = Diagnostic::new(
        Code::E0303,
        format!("no module named `{path}`"),
        Label::new(file, span, "this module was not found"),
    );
    d = match suggest::closest(path, candidates.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        // `std.x` is never a file next to the importing one: name the modules std has.
        None if path.starts_with("std.") => {
            candidates.sort_unstable();
            let names: Vec<String> = candidates.iter().map(|m| format!("`{m}`")).collect();
            d.with_help(format!(
                "std has no such module; the std modules are {}",
                names.join(", ")
            ))
        }
        None => d.with_help(format!(
            "create the file `{}.avm` next to this one, or remove the import",
            path.replace('.', "/")
        )),
    };
    d
}

/// What a name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Res {
    /// A local variable, parameter or pattern binding: the [`NodeId`] of its
    /// binder (a `Pattern`, `Param` or `ClosureParam` of the same module; for
    /// `[h, ..t]` the list pattern's id binds `t`).
    Local(NodeId),
    /// A state field of the object whose method is running: the index in
    /// [`defs::ObjectDecl::fields`] (the position in the AVM state list).
    StateField { object: ObjectDefId, index: usize },
    /// A top-level item.
    Item(ItemDef),
    /// An enum variant.
    Variant { enum_id: EnumId, index: u32 },
    /// A prelude or std built-in function.
    Builtin(Builtin),
    /// A built-in type name (`Int`, `List`, `Ref`, …).
    BuiltinType(&'static str),
    /// The `index`-th type parameter of the enclosing item.
    Generic(u32),
    /// An imported module used as a qualifier (`fd` in `fd.solve(qs)`).
    Module(ImportTarget),
}

/// How a local came into being.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinderKind {
    Let,
    Param,
    ClosureParam,
    Pattern,
}

/// A local variable's declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binder {
    pub name: String,
    pub span: Span,
    pub mutability: Mutability,
    pub kind: BinderKind,
}

/// The side tables of one module.
#[derive(Debug, Clone, Default)]
pub struct ModuleResolution {
    /// By node id of a path expression, a pattern naming a variant or struct,
    /// a named type, a struct literal or a `create`: what it names.
    pub res: FxHashMap<NodeId, Res>,
    /// By node id of a binder: the local it declares.
    pub binders: FxHashMap<NodeId, Binder>,
    /// By node id of an `update pure f = g` expression: the two functions
    /// it names (`f`, `g`).
    pub pure_fn_pairs: FxHashMap<NodeId, (Res, Res)>,
    /// By node id of a `register pure name = g` expression: the function
    /// `g` (the registered `name` is new and not resolved).
    pub registered_impls: FxHashMap<NodeId, Res>,
    /// By node id of a method-call expression whose receiver is a module
    /// (`fd.solve(qs)`): the function it calls.
    pub module_calls: FxHashMap<NodeId, Res>,
}

/// The result of name resolution for a whole program.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub defs: DefTable,
    /// One per module, in [`Program::modules`] order.
    pub modules: Vec<ModuleResolution>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Resolution {
    pub fn res(&self, module: ModuleIdx, node: NodeId) -> Option<&Res> {
        self.modules.get(module.0 as usize)?.res.get(&node)
    }

    pub fn binder(&self, module: ModuleIdx, node: NodeId) -> Option<&Binder> {
        self.modules.get(module.0 as usize)?.binders.get(&node)
    }
}

/// Resolves every name of the program.
pub fn resolve(program: &Program) -> Resolution {
    let mut diagnostics = Vec::new();
    let mut defs = defs::collect(program, &mut diagnostics);
    // Imports: map each module's imports to their targets.
    let index_of: FxHashMap<&str, ModuleIdx> = program
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.as_str(), ModuleIdx(i as u32)))
        .collect();
    for (mi, entry) in program.modules.iter().enumerate() {
        for item in &entry.module.items {
            if let ItemKind::Import(import) = &item.kind {
                let path = import_path(import);
                let Some(last) = import.path.segments.last() else {
                    continue;
                };
                let target = if let Some(idx) = index_of.get(path.as_str()) {
                    ImportTarget::Module(*idx)
                } else if prelude::STD_MODULES.contains(&path.as_str()) {
                    ImportTarget::Std(path.clone())
                } else {
                    diagnostics.push(unknown_module(entry.module.file, &path, import.path.span));
                    continue;
                };
                defs.modules[mi].imports.insert(last.name.clone(), target);
            }
        }
    }
    let mut modules = Vec::with_capacity(program.modules.len());
    for (mi, entry) in program.modules.iter().enumerate() {
        let out =
            walk::resolve_module(&defs, ModuleIdx(mi as u32), &entry.module, &mut diagnostics);
        modules.push(out);
    }
    Resolution {
        defs,
        modules,
        diagnostics,
    }
}

//! The program-wide table of top-level definitions.
//!
//! Takes the parsed modules of a [`Program`]; produces a [`DefTable`]: every
//! struct, enum, object (with its state fields, `init` and methods) and
//! function, numbered program-wide, plus each module's namespace. Reports
//! duplicate definitions (E0302).

use rustc_hash::FxHashMap;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::Program;
use crate::syntax::ast::{FnKind, ItemKind, ObjectMember, VariantFields};
use crate::syntax::span::{FileId, Span};

/// Index of a module in [`Program::modules`] (0 is the root).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleIdx(pub u32);

/// A struct definition, numbered program-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StructId(pub u32);
/// An enum definition, numbered program-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnumId(pub u32);
/// An object (behaviour) definition, numbered program-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectDefId(pub u32);
/// A top-level function, numbered program-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FnId(pub u32);

/// Where a definition lives: its module and its index in `Module::items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemLoc {
    pub module: ModuleIdx,
    pub item: usize,
}

#[derive(Debug, Clone)]
pub struct StructDecl {
    pub name: String,
    pub name_span: Span,
    pub file: FileId,
    pub loc: ItemLoc,
    pub fields: Vec<String>,
    /// Number of type parameters.
    pub generics: usize,
}

#[derive(Debug, Clone)]
pub struct VariantDecl {
    pub name: String,
    pub name_span: Span,
    pub shape: VariantShape,
}

/// How a variant is written: `A`, `A(T, U)` or `A { x: T }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantShape {
    Unit,
    Tuple,
    Struct,
}

#[derive(Debug, Clone)]
pub struct EnumDecl {
    pub name: String,
    pub name_span: Span,
    pub file: FileId,
    pub loc: ItemLoc,
    pub variants: Vec<VariantDecl>,
    /// Number of type parameters.
    pub generics: usize,
}

/// A state field or method of an object: its name and its index in
/// `ObjectDef::members`.
#[derive(Debug, Clone)]
pub struct MemberDecl {
    pub name: String,
    pub name_span: Span,
    pub member: usize,
}

#[derive(Debug, Clone)]
pub struct ObjectDecl {
    pub name: String,
    pub name_span: Span,
    pub file: FileId,
    pub loc: ItemLoc,
    /// State fields in declaration order (the order of the AVM state list).
    pub fields: Vec<MemberDecl>,
    pub methods: Vec<MemberDecl>,
    /// Index of the `init` member, if any.
    pub init: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct FnDecl {
    pub name: String,
    pub name_span: Span,
    pub file: FileId,
    pub loc: ItemLoc,
    pub kind: FnKind,
}

/// A top-level name in a module namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemDef {
    Struct(StructId),
    Enum(EnumId),
    Object(ObjectDefId),
    Fn(FnId),
}

/// The names one module defines and imports.
#[derive(Debug, Clone, Default)]
pub struct ModuleScope {
    /// Items defined in this module.
    pub items: FxHashMap<String, ItemDef>,
    /// Modules imported by this one, by the last segment of their path.
    pub imports: FxHashMap<String, ImportTarget>,
}

/// What an `import` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportTarget {
    /// A module of the program.
    Module(ModuleIdx),
    /// A std module known to the compiler (e.g. `"std.fd"`).
    Std(String),
}

/// Every top-level definition of the program.
#[derive(Debug, Clone, Default)]
pub struct DefTable {
    pub structs: Vec<StructDecl>,
    pub enums: Vec<EnumDecl>,
    pub objects: Vec<ObjectDecl>,
    pub fns: Vec<FnDecl>,
    pub modules: Vec<ModuleScope>,
}

impl DefTable {
    pub fn item_name(&self, def: ItemDef) -> &str {
        match def {
            ItemDef::Struct(id) => &self.structs[id.0 as usize].name,
            ItemDef::Enum(id) => &self.enums[id.0 as usize].name,
            ItemDef::Object(id) => &self.objects[id.0 as usize].name,
            ItemDef::Fn(id) => &self.fns[id.0 as usize].name,
        }
    }

    pub fn item_span(&self, def: ItemDef) -> (FileId, Span) {
        match def {
            ItemDef::Struct(id) => {
                let d = &self.structs[id.0 as usize];
                (d.file, d.name_span)
            }
            ItemDef::Enum(id) => {
                let d = &self.enums[id.0 as usize];
                (d.file, d.name_span)
            }
            ItemDef::Object(id) => {
                let d = &self.objects[id.0 as usize];
                (d.file, d.name_span)
            }
            ItemDef::Fn(id) => {
                let d = &self.fns[id.0 as usize];
                (d.file, d.name_span)
            }
        }
    }

    pub fn object(&self, id: ObjectDefId) -> &ObjectDecl {
        &self.objects[id.0 as usize]
    }

    pub fn enum_decl(&self, id: EnumId) -> &EnumDecl {
        &self.enums[id.0 as usize]
    }

    pub fn struct_decl(&self, id: StructId) -> &StructDecl {
        &self.structs[id.0 as usize]
    }

    pub fn fn_decl(&self, id: FnId) -> &FnDecl {
        &self.fns[id.0 as usize]
    }
}

fn duplicate(
    file: FileId,
    what: &str,
    name: &str,
    span: Span,
    first: (FileId, Span),
) -> Diagnostic {
    Diagnostic::new(
        Code::E0302,
        format!("{what} `{name}` is defined more than once"),
        Label::new(file, span, format!("`{name}` redefined here")),
    )
    .with_secondary(Label::new(first.0, first.1, "first defined here"))
    .with_help(format!(
        "rename one of the two definitions of `{name}`, or delete one"
    ))
}

/// Collects every definition of every module (imports are filled in later).
pub fn collect(program: &Program, diags: &mut Vec<Diagnostic>) -> DefTable {
    let mut table = DefTable::default();
    for (mi, entry) in program.modules.iter().enumerate() {
        let module = ModuleIdx(mi as u32);
        let file = entry.module.file;
        let mut scope = ModuleScope::default();
        for (ii, item) in entry.module.items.iter().enumerate() {
            let loc = ItemLoc { module, item: ii };
            let (name, def) = match &item.kind {
                ItemKind::Struct(s) => {
                    let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
                    for f in &s.fields {
                        if let Some(first) = seen.insert(&f.name.name, f.name.span) {
                            diags.push(duplicate(
                                file,
                                "field",
                                &f.name.name,
                                f.name.span,
                                (file, first),
                            ));
                        }
                    }
                    let id = StructId(table.structs.len() as u32);
                    table.structs.push(StructDecl {
                        name: s.name.name.clone(),
                        name_span: s.name.span,
                        file,
                        loc,
                        fields: s.fields.iter().map(|f| f.name.name.clone()).collect(),
                        generics: s.generics.len(),
                    });
                    (&s.name, ItemDef::Struct(id))
                }
                ItemKind::Enum(e) => {
                    let mut variants: Vec<VariantDecl> = Vec::new();
                    for v in &e.variants {
                        if let Some(first) = variants.iter().find(|d| d.name == v.name.name) {
                            diags.push(duplicate(
                                file,
                                "variant",
                                &v.name.name,
                                v.name.span,
                                (file, first.name_span),
                            ));
                            continue;
                        }
                        let shape = match &v.fields {
                            VariantFields::Unit => VariantShape::Unit,
                            VariantFields::Tuple(_) => VariantShape::Tuple,
                            VariantFields::Struct(_) => VariantShape::Struct,
                        };
                        variants.push(VariantDecl {
                            name: v.name.name.clone(),
                            name_span: v.name.span,
                            shape,
                        });
                    }
                    let id = EnumId(table.enums.len() as u32);
                    table.enums.push(EnumDecl {
                        name: e.name.name.clone(),
                        name_span: e.name.span,
                        file,
                        loc,
                        variants,
                        generics: e.generics.len(),
                    });
                    (&e.name, ItemDef::Enum(id))
                }
                ItemKind::Object(o) => {
                    let mut decl = ObjectDecl {
                        name: o.name.name.clone(),
                        name_span: o.name.span,
                        file,
                        loc,
                        fields: Vec::new(),
                        methods: Vec::new(),
                        init: None,
                    };
                    let mut seen: FxHashMap<String, Span> = FxHashMap::default();
                    for (k, member) in o.members.iter().enumerate() {
                        let (name, span) = match member {
                            ObjectMember::State(f) => (f.name.name.clone(), f.name.span),
                            ObjectMember::Method(m) => (m.name.name.clone(), m.name.span),
                            ObjectMember::Init(i) => (
                                "init".to_string(),
                                Span::new(i.span.start as usize, i.span.start as usize + 4),
                            ),
                            ObjectMember::Error(_) => continue,
                        };
                        if let Some(first) = seen.get(&name) {
                            diags.push(duplicate(file, "member", &name, span, (file, *first)));
                            continue;
                        }
                        seen.insert(name.clone(), span);
                        let m = MemberDecl {
                            name,
                            name_span: span,
                            member: k,
                        };
                        match member {
                            ObjectMember::State(_) => decl.fields.push(m),
                            ObjectMember::Method(_) => decl.methods.push(m),
                            ObjectMember::Init(_) => decl.init = Some(k),
                            ObjectMember::Error(_) => {}
                        }
                    }
                    let id = ObjectDefId(table.objects.len() as u32);
                    table.objects.push(decl);
                    (&o.name, ItemDef::Object(id))
                }
                ItemKind::Fn(f) => {
                    let id = FnId(table.fns.len() as u32);
                    table.fns.push(FnDecl {
                        name: f.name.name.clone(),
                        name_span: f.name.span,
                        file,
                        loc,
                        kind: f.kind,
                    });
                    (&f.name, ItemDef::Fn(id))
                }
                ItemKind::Import(_) | ItemKind::Error => continue,
            };
            if let Some(first) = scope.items.get(&name.name) {
                let first_span = table.item_span(*first);
                diags.push(duplicate(file, "item", &name.name, name.span, first_span));
                continue;
            }
            scope.items.insert(name.name.clone(), def);
        }
        table.modules.push(scope);
    }
    table
}

//! Item signatures: the declared types of every struct, enum, object and
//! function, lowered from their written types.
//!
//! Takes the [`Program`] and its [`Resolution`]; produces [`Signatures`]
//! (indexed by the program-wide ids of the def table) and diagnostics for
//! malformed types (E0421, E0417 for an object name used as a type).

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::{DefTable, ItemDef, ModuleIdx, ModuleResolution, Program, Res, Resolution};
use crate::syntax::ast::{self, FnKind, ItemKind, ObjectMember, TypeKind, VariantFields};
use crate::syntax::span::{FileId, Span};
use crate::typeck::types::{Purity, Record, RefTarget, Type};

#[derive(Debug, Clone)]
pub struct FieldSig {
    pub name: String,
    pub ty: Type,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct StructSig {
    pub generics: Vec<String>,
    pub fields: Vec<FieldSig>,
}

#[derive(Debug, Clone)]
pub struct VariantSig {
    pub name: String,
    /// Positional (`Sunk(Int)`) or named (`Move { from: Int }`) fields;
    /// named fields have their names, positional ones `""`.
    pub fields: Vec<FieldSig>,
}

#[derive(Debug, Clone)]
pub struct EnumSig {
    pub generics: Vec<String>,
    pub variants: Vec<VariantSig>,
}

/// A function's or method's signature.
#[derive(Debug, Clone)]
pub struct FnSig {
    pub name: String,
    pub kind: FnKind,
    pub generics: Vec<String>,
    pub params: Vec<Type>,
    pub param_names: Vec<String>,
    pub ret: Type,
    pub name_span: Span,
    pub file: FileId,
}

impl FnSig {
    pub fn purity(&self) -> Purity {
        match self.kind {
            FnKind::Pure => Purity::Pure,
            FnKind::Plain | FnKind::Unsafe => Purity::Effectful,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ObjectSig {
    /// State fields in declaration order (the AVM state list).
    pub fields: Vec<FieldSig>,
    /// Methods, in the order of [`crate::resolve::defs::ObjectDecl::methods`].
    pub methods: Vec<FnSig>,
    /// The parameters of `init`, if the object declares one.
    pub init: Option<FnSig>,
}

/// Every item's signature, indexed like the [`DefTable`].
#[derive(Debug, Clone, Default)]
pub struct Signatures {
    pub structs: Vec<StructSig>,
    pub enums: Vec<EnumSig>,
    pub objects: Vec<ObjectSig>,
    pub fns: Vec<FnSig>,
}

/// Lowers written types to [`Type`]s.
pub struct TypeLowering<'a> {
    pub defs: &'a DefTable,
    pub res: &'a ModuleResolution,
    pub file: FileId,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl TypeLowering<'_> {
    fn arity(&mut self, name: &str, want: usize, ty: &ast::Type, got: usize) -> bool {
        if want == got {
            return true;
        }
        let example = match want {
            0 => name.to_string(),
            1 => format!("{name}[T]"),
            n => format!("{name}[{}]", vec!["T"; n].join(", ")),
        };
        let d = Diagnostic::new(
            Code::E0421,
            format!(
                "`{name}` takes {want} type argument{}, but {got} {} given",
                plural(want),
                if got == 1 { "was" } else { "were" }
            ),
            Label::new(
                self.file,
                ty.span,
                format!("expected {want} type argument{}", plural(want)),
            ),
        )
        .with_help(format!("write it as `{example}`"));
        self.diags.push(d);
        false
    }

    pub fn lower(&mut self, ty: &ast::Type) -> Type {
        match &ty.kind {
            TypeKind::Error => Type::Error,
            TypeKind::Tuple(items) if items.is_empty() => Type::Unit,
            TypeKind::Tuple(items) if items.len() == 1 => self.lower(&items[0]),
            TypeKind::Tuple(items) => Type::Tuple(items.iter().map(|t| self.lower(t)).collect()),
            TypeKind::Fn { kind, params, ret } => Type::func(
                if *kind == FnKind::Pure {
                    Purity::Pure
                } else {
                    Purity::Effectful
                },
                params.iter().map(|t| self.lower(t)).collect(),
                self.lower(ret),
            ),
            TypeKind::Named { path, args } => {
                let Some(res) = self.res.res.get(&ty.id).cloned() else {
                    return Type::Error; // unknown type: reported by resolve
                };
                match res {
                    Res::Generic(i) => {
                        if self.arity(&path_name(path), 0, ty, args.len()) {
                            Type::Generic(i)
                        } else {
                            Type::Error
                        }
                    }
                    Res::BuiltinType(name) => self.builtin(name, ty, args),
                    Res::Item(ItemDef::Struct(id)) => {
                        let want = self.defs.struct_decl(id).generics;
                        if self.arity(&path_name(path), want, ty, args.len()) {
                            Type::Struct(id, args.iter().map(|t| self.lower(t)).collect())
                        } else {
                            Type::Error
                        }
                    }
                    Res::Item(ItemDef::Enum(id)) => {
                        let want = self.defs.enum_decl(id).generics;
                        if self.arity(&path_name(path), want, ty, args.len()) {
                            Type::Enum(id, args.iter().map(|t| self.lower(t)).collect())
                        } else {
                            Type::Error
                        }
                    }
                    Res::Item(ItemDef::Object(id)) => {
                        let name = &self.defs.object(id).name;
                        let d = Diagnostic::new(
                            Code::E0417,
                            format!("object `{name}` is not a type by itself"),
                            Label::new(self.file, ty.span, "an object name used as a type"),
                        )
                        .with_help(format!(
                            "a reference to a `{name}` object has type `Ref[{name}]`"
                        ));
                        self.diags.push(d);
                        Type::Error
                    }
                    _ => Type::Error,
                }
            }
        }
    }

    fn builtin(&mut self, name: &'static str, ty: &ast::Type, args: &[ast::Type]) -> Type {
        if let Some(record) = Record::from_name(name) {
            return if self.arity(name, 0, ty, args.len()) {
                Type::Record(record)
            } else {
                Type::Error
            };
        }
        let want = match name {
            "List" | "Option" | "Ref" => 1,
            _ => 0,
        };
        if !self.arity(name, want, ty, args.len()) {
            return Type::Error;
        }
        match name {
            "Int" => Type::Int,
            "Bool" => Type::Bool,
            "String" => Type::String,
            "Unit" => Type::Unit,
            "Any" => Type::Any,
            "TxId" => Type::TxId,
            "MachineId" => Type::MachineId,
            "ControllerId" => Type::ControllerId,
            "FdVar" => Type::FdVar,
            "Constraint" => Type::Constraint,
            "List" => Type::list(self.lower(&args[0])),
            "Option" => Type::option(self.lower(&args[0])),
            "Ref" => {
                let arg = &args[0];
                match self.res.res.get(&arg.id) {
                    Some(Res::BuiltinType("Any")) => Type::Ref(RefTarget::Any),
                    Some(Res::Item(ItemDef::Object(o))) => Type::Ref(RefTarget::Object(*o)),
                    None => Type::Error,
                    Some(_) => {
                        let d = Diagnostic::new(
                            Code::E0421,
                            "`Ref` takes an object name or `Any`",
                            Label::new(self.file, arg.span, "not an object"),
                        )
                        .with_help("write `Ref[Counter]` for a reference to a `Counter` object, or `Ref[Any]`");
                        self.diags.push(d);
                        Type::Error
                    }
                }
            }
            _ => Type::Error,
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn path_name(path: &ast::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

fn names(idents: &[ast::Ident]) -> Vec<String> {
    idents.iter().map(|i| i.name.clone()).collect()
}

/// Lowers a function's parameter and result types.
pub fn fn_sig(lower: &mut TypeLowering<'_>, f: &ast::FnDef) -> FnSig {
    FnSig {
        name: f.name.name.clone(),
        kind: f.kind,
        generics: names(&f.generics),
        params: f.params.iter().map(|p| lower.lower(&p.ty)).collect(),
        param_names: f.params.iter().map(|p| p.name.name.clone()).collect(),
        ret: f.ret.as_ref().map_or(Type::Unit, |t| lower.lower(t)),
        name_span: f.name.span,
        file: lower.file,
    }
}

/// Computes every item's signature.
pub fn collect(
    program: &Program,
    resolution: &Resolution,
    diags: &mut Vec<Diagnostic>,
) -> Signatures {
    let defs = &resolution.defs;
    let mut sigs = Signatures::default();
    for decl in &defs.structs {
        let module = &program.modules[decl.loc.module.0 as usize].module;
        let ItemKind::Struct(s) = &module.items[decl.loc.item].kind else {
            continue; // the def table only points at struct items
        };
        let mut lower = lowering(defs, resolution, decl.loc.module, module.file, diags);
        let fields = s
            .fields
            .iter()
            .map(|f| FieldSig {
                name: f.name.name.clone(),
                ty: lower.lower(&f.ty),
                span: f.name.span,
            })
            .collect();
        sigs.structs.push(StructSig {
            generics: names(&s.generics),
            fields,
        });
    }
    for decl in &defs.enums {
        let module = &program.modules[decl.loc.module.0 as usize].module;
        let ItemKind::Enum(e) = &module.items[decl.loc.item].kind else {
            continue;
        };
        let mut lower = lowering(defs, resolution, decl.loc.module, module.file, diags);
        let mut variants = Vec::new();
        for vd in &decl.variants {
            let Some(v) = e.variants.iter().find(|v| v.name.name == vd.name) else {
                continue;
            };
            let fields = match &v.fields {
                VariantFields::Unit => Vec::new(),
                VariantFields::Tuple(tys) => tys
                    .iter()
                    .map(|t| FieldSig {
                        name: String::new(),
                        ty: lower.lower(t),
                        span: t.span,
                    })
                    .collect(),
                VariantFields::Struct(fs) => fs
                    .iter()
                    .map(|f| FieldSig {
                        name: f.name.name.clone(),
                        ty: lower.lower(&f.ty),
                        span: f.name.span,
                    })
                    .collect(),
            };
            variants.push(VariantSig {
                name: vd.name.clone(),
                fields,
            });
        }
        sigs.enums.push(EnumSig {
            generics: names(&e.generics),
            variants,
        });
    }
    for decl in &defs.objects {
        let module = &program.modules[decl.loc.module.0 as usize].module;
        let ItemKind::Object(o) = &module.items[decl.loc.item].kind else {
            continue;
        };
        let mut lower = lowering(defs, resolution, decl.loc.module, module.file, diags);
        let mut fields = Vec::new();
        for f in &decl.fields {
            if let ObjectMember::State(field) = &o.members[f.member] {
                fields.push(FieldSig {
                    name: field.name.name.clone(),
                    ty: lower.lower(&field.ty),
                    span: field.name.span,
                });
            }
        }
        let mut methods = Vec::new();
        for m in &decl.methods {
            if let ObjectMember::Method(method) = &o.members[m.member] {
                methods.push(fn_sig(&mut lower, method));
            }
        }
        let init = decl.init.and_then(|k| match &o.members[k] {
            ObjectMember::Init(init) => Some(FnSig {
                name: "init".into(),
                kind: FnKind::Plain,
                generics: Vec::new(),
                params: init.params.iter().map(|p| lower.lower(&p.ty)).collect(),
                param_names: init.params.iter().map(|p| p.name.name.clone()).collect(),
                ret: Type::Unit,
                name_span: Span::new(init.span.start as usize, init.span.start as usize + 4),
                file: module.file,
            }),
            _ => None,
        });
        sigs.objects.push(ObjectSig {
            fields,
            methods,
            init,
        });
    }
    for decl in &defs.fns {
        let module = &program.modules[decl.loc.module.0 as usize].module;
        let ItemKind::Fn(f) = &module.items[decl.loc.item].kind else {
            continue;
        };
        let mut lower = lowering(defs, resolution, decl.loc.module, module.file, diags);
        sigs.fns.push(fn_sig(&mut lower, f));
    }
    sigs
}

fn lowering<'a>(
    defs: &'a DefTable,
    resolution: &'a Resolution,
    module: ModuleIdx,
    file: FileId,
    diags: &'a mut Vec<Diagnostic>,
) -> TypeLowering<'a> {
    TypeLowering {
        defs,
        res: &resolution.modules[module.0 as usize],
        file,
        diags,
    }
}

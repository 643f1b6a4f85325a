//! The types of the AVM language.
//!
//! Takes nothing (a data model); produced by signature lowering and
//! inference, consumed by the checker and by the lowering to ITree terms.

use crate::resolve::{DefTable, EnumId, ObjectDefId, StructId};

/// An inference variable (an unknown type being solved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeVar(pub u32);

/// What a reference points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefTarget {
    /// `Ref[O]`: an object of kind `O`.
    Object(ObjectDefId),
    /// `Ref[Any]`: an object of unknown kind.
    Any,
}

/// Whether a function value may perform effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purity {
    /// `pure fn(..) -> T`: callable from pure code (`callPure` for items).
    Pure,
    /// `fn(..) -> T`: may perform effects.
    Effectful,
}

/// The built-in record types of reflection and reification (spec §0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Record {
    ObjectMeta,
    ReifiedContext,
    ReifiedTxState,
    ReifiedConstraints,
}

impl Record {
    pub fn name(self) -> &'static str {
        match self {
            Record::ObjectMeta => "ObjectMeta",
            Record::ReifiedContext => "ReifiedContext",
            Record::ReifiedTxState => "ReifiedTxState",
            Record::ReifiedConstraints => "ReifiedConstraints",
        }
    }

    pub fn from_name(name: &str) -> Option<Record> {
        [
            Record::ObjectMeta,
            Record::ReifiedContext,
            Record::ReifiedTxState,
            Record::ReifiedConstraints,
        ]
        .into_iter()
        .find(|r| r.name() == name)
    }

    /// The record's fields, in the order of the spec's record.
    pub fn fields(self) -> Vec<(&'static str, Type)> {
        let any_ref = || Type::Ref(RefTarget::Any);
        let opt = |t: Type| Type::Option(Box::new(t));
        let list = |t: Type| Type::List(Box::new(t));
        match self {
            Record::ObjectMeta => vec![
                ("object", any_ref()),
                ("machine", Type::MachineId),
                ("creating_controller", opt(Type::ControllerId)),
                ("current_controller", opt(Type::ControllerId)),
            ],
            Record::ReifiedContext => vec![
                ("object", any_ref()),
                ("input", Type::Any),
                ("sender", opt(any_ref())),
                ("machine", Type::MachineId),
                ("controller", Type::ControllerId),
            ],
            Record::ReifiedTxState => vec![
                ("id", opt(Type::TxId)),
                ("writes", list(Type::Tuple(vec![any_ref(), Type::Any]))),
                ("creates", list(any_ref())),
                ("destroys", list(any_ref())),
                ("observed", list(any_ref())),
            ],
            Record::ReifiedConstraints => vec![
                ("vars", list(Type::Tuple(vec![Type::Int, list(Type::Int)]))),
                ("count", Type::Int),
            ],
        }
    }
}

/// A function type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FnType {
    pub purity: Purity,
    pub params: Vec<Type>,
    pub ret: Box<Type>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    Int,
    Bool,
    String,
    Unit,
    /// Any value; converted with a run-time check (`x as T`).
    Any,
    TxId,
    MachineId,
    ControllerId,
    FdVar,
    /// A finite-domain constraint (the operand of `post`).
    Constraint,
    List(Box<Type>),
    Option(Box<Type>),
    /// Two or more elements (the empty tuple is `Unit`).
    Tuple(Vec<Type>),
    Ref(RefTarget),
    Struct(StructId, Vec<Type>),
    Enum(EnumId, Vec<Type>),
    Record(Record),
    Fn(FnType),
    /// The `index`-th type parameter of the enclosing item (rigid inside it,
    /// instantiated with fresh variables at each use).
    Generic(u32),
    Var(TypeVar),
    /// The type of an expression that already has an error reported; it
    /// agrees with every type so that one mistake gives one diagnostic.
    Error,
}

impl Type {
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }

    pub fn option(inner: Type) -> Type {
        Type::Option(Box::new(inner))
    }

    pub fn func(purity: Purity, params: Vec<Type>, ret: Type) -> Type {
        Type::Fn(FnType {
            purity,
            params,
            ret: Box::new(ret),
        })
    }

    /// Replaces `Generic(i)` by `args[i]` (missing arguments become `Error`).
    pub fn instantiate(&self, args: &[Type]) -> Type {
        self.map(&mut |t| match t {
            Type::Generic(i) => Some(args.get(*i as usize).cloned().unwrap_or(Type::Error)),
            _ => None,
        })
    }

    /// Rebuilds the type bottom-up; `f` may replace any node.
    pub fn map(&self, f: &mut dyn FnMut(&Type) -> Option<Type>) -> Type {
        if let Some(t) = f(self) {
            return t;
        }
        match self {
            Type::List(t) => Type::List(Box::new(t.map(f))),
            Type::Option(t) => Type::Option(Box::new(t.map(f))),
            Type::Tuple(ts) => Type::Tuple(ts.iter().map(|t| t.map(f)).collect()),
            Type::Struct(id, ts) => Type::Struct(*id, ts.iter().map(|t| t.map(f)).collect()),
            Type::Enum(id, ts) => Type::Enum(*id, ts.iter().map(|t| t.map(f)).collect()),
            Type::Fn(ft) => Type::Fn(FnType {
                purity: ft.purity,
                params: ft.params.iter().map(|t| t.map(f)).collect(),
                ret: Box::new(ft.ret.map(f)),
            }),
            other => other.clone(),
        }
    }

    /// True when `pred` holds for the type or any type inside it (no
    /// allocation).
    pub fn any(&self, pred: &mut dyn FnMut(&Type) -> bool) -> bool {
        if pred(self) {
            return true;
        }
        match self {
            Type::List(t) | Type::Option(t) => t.any(pred),
            Type::Tuple(ts) | Type::Struct(_, ts) | Type::Enum(_, ts) => {
                ts.iter().any(|t| t.any(pred))
            }
            Type::Fn(ft) => ft.params.iter().any(|t| t.any(pred)) || ft.ret.any(pred),
            _ => false,
        }
    }

    /// True when the type contains an inference variable.
    pub fn has_vars(&self) -> bool {
        self.any(&mut |t| matches!(t, Type::Var(_)))
    }

    /// The type in source syntax, with struct, enum and object names
    /// taken from `defs` and type parameters named by `generics`.
    pub fn display(&self, defs: &DefTable, generics: &[String]) -> String {
        let show = |ts: &[Type]| -> String {
            ts.iter()
                .map(|t| t.display(defs, generics))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let with_args = |name: &str, ts: &[Type]| -> String {
            if ts.is_empty() {
                name.to_string()
            } else {
                format!("{name}[{}]", show(ts))
            }
        };
        match self {
            Type::Int => "Int".into(),
            Type::Bool => "Bool".into(),
            Type::String => "String".into(),
            Type::Unit => "Unit".into(),
            Type::Any => "Any".into(),
            Type::TxId => "TxId".into(),
            Type::MachineId => "MachineId".into(),
            Type::ControllerId => "ControllerId".into(),
            Type::FdVar => "FdVar".into(),
            Type::Constraint => "Constraint".into(),
            Type::List(t) => format!("List[{}]", t.display(defs, generics)),
            Type::Option(t) => format!("Option[{}]", t.display(defs, generics)),
            Type::Tuple(ts) => format!("({})", show(ts)),
            Type::Ref(RefTarget::Any) => "Ref[Any]".into(),
            Type::Ref(RefTarget::Object(o)) => format!("Ref[{}]", defs.object(*o).name),
            Type::Struct(id, ts) => with_args(&defs.struct_decl(*id).name, ts),
            Type::Enum(id, ts) => with_args(&defs.enum_decl(*id).name, ts),
            Type::Record(r) => r.name().into(),
            Type::Fn(ft) => {
                let kw = match ft.purity {
                    Purity::Pure => "pure fn",
                    Purity::Effectful => "fn",
                };
                format!(
                    "{kw}({}) -> {}",
                    show(&ft.params),
                    ft.ret.display(defs, generics)
                )
            }
            Type::Generic(i) => generics
                .get(*i as usize)
                .cloned()
                .unwrap_or_else(|| format!("T{i}")),
            Type::Var(_) => "_".into(),
            Type::Error => "{error}".into(),
        }
    }
}

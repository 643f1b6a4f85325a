//! The types of the AVM language.
//!
//! Takes nothing (a data model); produced by signature lowering and
//! inference, consumed by the checker and by the lowering to ITree terms.

use std::rc::Rc;

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
        let opt = Type::option;
        let list = Type::list;
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
                ("writes", list(Type::tuple(vec![any_ref(), Type::Any]))),
                ("creates", list(any_ref())),
                ("destroys", list(any_ref())),
                ("observed", list(any_ref())),
            ],
            Record::ReifiedConstraints => vec![
                ("vars", list(Type::tuple(vec![Type::Int, list(Type::Int)]))),
                ("count", Type::Int),
            ],
        }
    }
}

/// A function type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnType {
    pub purity: Purity,
    pub params: Vec<Type>,
    pub ret: Type,
}

/// What a type contains, computed once when a shared part is built, so that asking whether a
/// type has inference variables or type parameters costs O(1) however large the type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks {
    /// It contains an inference variable ([`Type::Var`]).
    pub vars: bool,
    /// It contains a type parameter ([`Type::Generic`]).
    pub generics: bool,
}

impl Marks {
    fn join(self, other: Marks) -> Marks {
        Marks {
            vars: self.vars || other.vars,
            generics: self.generics || other.generics,
        }
    }

    fn overlaps(self, other: Marks) -> bool {
        (self.vars && other.vars) || (self.generics && other.generics)
    }
}

/// Something whose [`Marks`] can be computed from its direct parts.
pub trait Marked {
    fn marks(&self) -> Marks;
}

impl Marked for [Type] {
    fn marks(&self) -> Marks {
        self.iter().fold(Marks::default(), |m, t| m.join(t.marks()))
    }
}

impl Marked for FnType {
    fn marks(&self) -> Marks {
        self.params.marks().join(self.ret.marks())
    }
}

/// A shared, immutable part of a type (the element of a list, the items of a tuple, ...).
///
/// Types are values built by copying: `let x1 = (x0, x0)` gives `x1` a type holding `x0`'s
/// twice. Sharing the parts makes such a copy O(1) and the type a DAG whose size is linear in
/// the source, where copying would double it at each line; the operations that walk types
/// ([`Type::replace`], unification, display) visit each shared part once or stop at a budget.
#[derive(Debug)]
pub struct Shared<T: ?Sized> {
    marks: Marks,
    inner: Rc<T>,
}

impl<T: ?Sized> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            marks: self.marks,
            inner: Rc::clone(&self.inner),
        }
    }
}

impl<T: ?Sized> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized + PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
            || (self.marks == other.marks && *self.inner == *other.inner)
    }
}

impl<T: ?Sized + Eq> Eq for Shared<T> {}

impl<T: ?Sized> Shared<T> {
    /// The address of the shared part: the same for every copy of it.
    pub fn key(&self) -> usize {
        Rc::as_ptr(&self.inner).cast::<()>() as usize
    }

    /// Whether the two are the same shared part (not only equal).
    pub fn same(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Shared<Type> {
    pub fn new(t: Type) -> Self {
        Shared {
            marks: t.marks(),
            inner: Rc::new(t),
        }
    }
}

impl Shared<FnType> {
    pub fn new(t: FnType) -> Self {
        Shared {
            marks: t.marks(),
            inner: Rc::new(t),
        }
    }
}

impl From<Vec<Type>> for Shared<[Type]> {
    fn from(ts: Vec<Type>) -> Self {
        Shared {
            marks: ts.marks(),
            inner: Rc::from(ts),
        }
    }
}

impl FromIterator<Type> for Shared<[Type]> {
    fn from_iter<I: IntoIterator<Item = Type>>(iter: I) -> Self {
        iter.into_iter().collect::<Vec<Type>>().into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
    List(Shared<Type>),
    Option(Shared<Type>),
    /// Two or more elements (the empty tuple is `Unit`).
    Tuple(Shared<[Type]>),
    Ref(RefTarget),
    Struct(StructId, Shared<[Type]>),
    Enum(EnumId, Shared<[Type]>),
    Record(Record),
    Fn(Shared<FnType>),
    /// The `index`-th type parameter of the enclosing item (rigid inside it,
    /// instantiated with fresh variables at each use).
    Generic(u32),
    Var(TypeVar),
    /// The type of an expression that already has an error reported; it
    /// agrees with every type so that one mistake gives one diagnostic.
    Error,
}

impl Marked for Type {
    fn marks(&self) -> Marks {
        match self {
            Type::Var(_) => Marks {
                vars: true,
                generics: false,
            },
            Type::Generic(_) => Marks {
                vars: false,
                generics: true,
            },
            Type::List(t) | Type::Option(t) => t.marks,
            Type::Tuple(ts) | Type::Struct(_, ts) | Type::Enum(_, ts) => ts.marks,
            Type::Fn(ft) => ft.marks,
            _ => Marks::default(),
        }
    }
}

/// The parts [`Type::replace`] has rebuilt: by node kind, struct or enum id and the address of
/// the shared part.
type ReplaceMemo = rustc_hash::FxHashMap<(u8, u32, usize), Type>;

/// The longest type [`Type::display`] writes; a longer one ends in `…`.
pub const DISPLAY_LIMIT: usize = 200;

impl Type {
    pub fn list(elem: Type) -> Type {
        Type::List(Shared::<Type>::new(elem))
    }

    pub fn option(inner: Type) -> Type {
        Type::Option(Shared::<Type>::new(inner))
    }

    pub fn tuple(items: Vec<Type>) -> Type {
        Type::Tuple(items.into())
    }

    pub fn func(purity: Purity, params: Vec<Type>, ret: Type) -> Type {
        Type::Fn(Shared::<FnType>::new(FnType {
            purity,
            params,
            ret,
        }))
    }

    /// Replaces `Generic(i)` by `args[i]` (missing arguments become `Error`).
    pub fn instantiate(&self, args: &[Type]) -> Type {
        self.replace(
            Marks {
                vars: false,
                generics: true,
            },
            &mut |t| match t {
                Type::Generic(i) => Some(args.get(*i as usize).cloned().unwrap_or(Type::Error)),
                _ => None,
            },
        )
    }

    /// Rebuilds the parts of the type that carry one of the marks `within`; `f` may replace
    /// any node there. Each shared part is rebuilt once (the copies share the result), so the
    /// cost is linear in the number of distinct parts, not in the size of the written-out type.
    pub fn replace(&self, within: Marks, f: &mut dyn FnMut(&Type) -> Option<Type>) -> Type {
        let mut memo = rustc_hash::FxHashMap::default();
        self.replace_in(within, f, &mut memo)
    }

    fn replace_in(
        &self,
        within: Marks,
        f: &mut dyn FnMut(&Type) -> Option<Type>,
        memo: &mut ReplaceMemo,
    ) -> Type {
        if !self.marks().overlaps(within) {
            return self.clone();
        }
        if let Some(t) = f(self) {
            return t;
        }
        // The part's address with the node around it: two nodes may share one part.
        let key = match self {
            Type::List(t) => (0, 0, t.key()),
            Type::Option(t) => (1, 0, t.key()),
            Type::Tuple(ts) => (2, 0, ts.key()),
            Type::Struct(id, ts) => (3, id.0, ts.key()),
            Type::Enum(id, ts) => (4, id.0, ts.key()),
            Type::Fn(ft) => (5, 0, ft.key()),
            _ => return self.clone(),
        };
        if let Some(done) = memo.get(&key) {
            return done.clone();
        }
        let mut all = |ts: &[Type], memo: &mut ReplaceMemo| {
            ts.iter()
                .map(|t| t.replace_in(within, f, memo))
                .collect::<Shared<[Type]>>()
        };
        let rebuilt = match self {
            Type::List(t) => Type::list(t.replace_in(within, f, memo)),
            Type::Option(t) => Type::option(t.replace_in(within, f, memo)),
            Type::Tuple(ts) => Type::Tuple(all(ts, memo)),
            Type::Struct(id, ts) => Type::Struct(*id, all(ts, memo)),
            Type::Enum(id, ts) => Type::Enum(*id, all(ts, memo)),
            Type::Fn(ft) => {
                let params = all(&ft.params, memo).to_vec();
                let ret = ft.ret.replace_in(within, f, memo);
                Type::func(ft.purity, params, ret)
            }
            other => other.clone(),
        };
        memo.insert(key, rebuilt.clone());
        rebuilt
    }

    /// How many distinct shared parts the type holds: its size in memory, where its written-out
    /// size may be exponential (each shared part counted once, visited once).
    pub fn distinct_parts(&self) -> usize {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut work: Vec<&Type> = vec![self];
        while let Some(t) = work.pop() {
            match t {
                Type::List(p) | Type::Option(p) if seen.insert(p.key()) => work.push(p),
                Type::Tuple(ts) | Type::Struct(_, ts) | Type::Enum(_, ts)
                    if seen.insert(ts.key()) =>
                {
                    work.extend(ts.iter())
                }
                Type::Fn(ft) if seen.insert(ft.key()) => {
                    work.extend(ft.params.iter());
                    work.push(&ft.ret);
                }
                _ => {}
            }
        }
        seen.len()
    }

    /// True when the type contains an inference variable (O(1)).
    pub fn has_vars(&self) -> bool {
        self.marks().vars
    }

    /// The type in source syntax, with struct, enum and object names
    /// taken from `defs` and type parameters named by `generics`.
    /// At most [`DISPLAY_LIMIT`] characters (then `…`): a type shared many times over can be
    /// far larger written out than in memory.
    pub fn display(&self, defs: &DefTable, generics: &[String]) -> String {
        let mut out = String::new();
        self.write_display(defs, generics, &mut out);
        if out.len() > DISPLAY_LIMIT {
            let mut cut = DISPLAY_LIMIT;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
        }
        out
    }

    /// Appends the type to `out`, stopping once `out` is past [`DISPLAY_LIMIT`].
    fn write_display(&self, defs: &DefTable, generics: &[String], out: &mut String) {
        if out.len() > DISPLAY_LIMIT {
            return;
        }
        let list = |ts: &[Type], out: &mut String| {
            for (i, t) in ts.iter().enumerate() {
                if out.len() > DISPLAY_LIMIT {
                    return;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                t.write_display(defs, generics, out);
            }
        };
        let with_args = |name: &str, ts: &[Type], out: &mut String| {
            out.push_str(name);
            if !ts.is_empty() {
                out.push('[');
                list(ts, out);
                out.push(']');
            }
        };
        match self {
            Type::Int => out.push_str("Int"),
            Type::Bool => out.push_str("Bool"),
            Type::String => out.push_str("String"),
            Type::Unit => out.push_str("Unit"),
            Type::Any => out.push_str("Any"),
            Type::TxId => out.push_str("TxId"),
            Type::MachineId => out.push_str("MachineId"),
            Type::ControllerId => out.push_str("ControllerId"),
            Type::FdVar => out.push_str("FdVar"),
            Type::Constraint => out.push_str("Constraint"),
            Type::List(t) => with_args("List", std::slice::from_ref(&**t), out),
            Type::Option(t) => with_args("Option", std::slice::from_ref(&**t), out),
            Type::Tuple(ts) => {
                out.push('(');
                list(ts, out);
                out.push(')');
            }
            Type::Ref(RefTarget::Any) => out.push_str("Ref[Any]"),
            Type::Ref(RefTarget::Object(o)) => {
                out.push_str("Ref[");
                out.push_str(&defs.object(*o).name);
                out.push(']');
            }
            Type::Struct(id, ts) => with_args(&defs.struct_decl(*id).name, ts, out),
            Type::Enum(id, ts) => with_args(&defs.enum_decl(*id).name, ts, out),
            Type::Record(r) => out.push_str(r.name()),
            Type::Fn(ft) => {
                out.push_str(match ft.purity {
                    Purity::Pure => "pure fn(",
                    Purity::Effectful => "fn(",
                });
                list(&ft.params, out);
                out.push_str(") -> ");
                ft.ret.write_display(defs, generics, out);
            }
            Type::Generic(i) => match generics.get(*i as usize) {
                Some(name) => out.push_str(name),
                None => out.push_str(&format!("T{i}")),
            },
            Type::Var(_) => out.push('_'),
            Type::Error => out.push_str("{error}"),
        }
    }
}

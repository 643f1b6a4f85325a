//! The types of the prelude and std built-ins.
//!
//! Takes a [`Builtin`]; produces its signature as a [`BuiltinSig`]: type
//! parameters are `Generic(i)`, instantiated afresh at each call. A few
//! built-ins take "any printable value" or "a list or a string" and are
//! checked by the checker itself ([`BuiltinSig::Special`]).

use crate::resolve::Builtin;
use crate::typeck::types::{Purity, Record, RefTarget, Type};

/// How a built-in is typed.
#[derive(Debug, Clone)]
pub enum BuiltinSig {
    /// An ordinary (possibly generic) function type.
    Plain {
        generics: u32,
        params: Vec<Type>,
        ret: Type,
    },
    /// Checked by hand: `print` and `to_string` (one value of any type but a
    /// function), `len` (a list or a string).
    Special,
}

fn g(i: u32) -> Type {
    Type::Generic(i)
}

fn plain(generics: u32, params: Vec<Type>, ret: Type) -> BuiltinSig {
    BuiltinSig::Plain {
        generics,
        params,
        ret,
    }
}

pub fn signature(b: Builtin) -> BuiltinSig {
    use Builtin::*;
    let any_ref = || Type::Ref(RefTarget::Any);
    let pure_fn = |params: Vec<Type>, ret: Type| Type::func(Purity::Pure, params, ret);
    match b {
        Len | ToString | Print => BuiltinSig::Special,
        Min | Max => plain(0, vec![Type::Int, Type::Int], Type::Int),
        Abs => plain(0, vec![Type::Int], Type::Int),
        Map => plain(
            2,
            vec![Type::list(g(0)), pure_fn(vec![g(0)], g(1))],
            Type::list(g(1)),
        ),
        Filter => plain(
            1,
            vec![Type::list(g(0)), pure_fn(vec![g(0)], Type::Bool)],
            Type::list(g(0)),
        ),
        Fold => plain(
            2,
            vec![Type::list(g(0)), g(1), pure_fn(vec![g(1), g(0)], g(1))],
            g(1),
        ),
        Contains => plain(1, vec![Type::list(g(0)), g(0)], Type::Bool),
        Reverse | Tail => plain(1, vec![Type::list(g(0))], Type::list(g(0))),
        Head => plain(1, vec![Type::list(g(0))], Type::option(g(0))),
        AllDifferent => plain(0, vec![Type::list(Type::FdVar)], Type::Constraint),
        MachineNamed => plain(0, vec![Type::String], Type::MachineId),
        ControllerNamed => plain(0, vec![Type::String], Type::ControllerId),
        Here => plain(0, vec![], Type::MachineId),
        Publish => plain(0, vec![Type::String, any_ref()], Type::Unit),
        // `Option[Ref[T]]` with `T` from the context; the lowering checks it is a reference.
        Lookup => plain(1, vec![Type::String], Type::option(g(0))),
        MachineOf => plain(0, vec![any_ref()], Type::option(Type::MachineId)),
        CurrentController => plain(0, vec![], Type::option(Type::ControllerId)),
        ControllerOf => plain(0, vec![any_ref()], Type::option(Type::ControllerId)),
        Receive => plain(0, vec![], Type::option(Type::Any)),
        RawCall => plain(0, vec![any_ref(), Type::Any], Type::option(Type::Any)),
        ReifyContext => plain(0, vec![], Type::Record(Record::ReifiedContext)),
        BeginTx => plain(0, vec![Type::option(Type::ControllerId)], Type::TxId),
        CommitTx => plain(0, vec![Type::TxId], Type::Bool),
        AbortTx => plain(0, vec![Type::TxId], Type::Unit),
        FdVars => plain(
            0,
            vec![Type::Int, Type::list(Type::Int)],
            Type::list(Type::FdVar),
        ),
        Narrow => plain(0, vec![Type::FdVar, Type::list(Type::Int)], Type::Bool),
        Label => plain(0, vec![Type::FdVar], Type::Int),
        Choose => plain(1, vec![Type::list(g(0))], g(0)),
        Reflect => plain(
            0,
            vec![any_ref()],
            Type::option(Type::Record(Record::ObjectMeta)),
        ),
        ScryMeta => plain(
            0,
            vec![pure_fn(vec![Type::Record(Record::ObjectMeta)], Type::Bool)],
            Type::list(Type::tuple(vec![
                any_ref(),
                Type::Record(Record::ObjectMeta),
            ])),
        ),
        ScryDeep => plain(
            0,
            vec![pure_fn(
                vec![Type::String, Type::Record(Record::ObjectMeta)],
                Type::Bool,
            )],
            Type::list(Type::tuple(vec![
                any_ref(),
                Type::String,
                Type::Record(Record::ObjectMeta),
            ])),
        ),
        ReifyTx => plain(
            0,
            vec![],
            Type::option(Type::Record(Record::ReifiedTxState)),
        ),
        ReifyConstraints => plain(0, vec![], Type::Record(Record::ReifiedConstraints)),
    }
}

//! Continuations of the CPS lowering.
//!
//! Takes a lowered value (`Expr`); produces the term that continues with it: a return from the
//! function (wrapped as a method output where needed), a tail call of a join function, or an
//! inline continuation. [`Cont::shareable`] turns an inline continuation into a join function so
//! several paths can jump to it.

use avm_vm::itree::{Expr, Term};

use super::{Lowered, Lowerer, RetMode};

/// An inline continuation.
pub(crate) type ThenFn<'a> = Box<dyn FnOnce(&mut Lowerer, Expr) -> Lowered<Term> + 'a>;

/// What happens to a value.
pub(crate) enum Cont<'a> {
    /// The value leaves the function.
    Return,
    /// Tail call of a join function with `params` then the value.
    Join {
        function: avm_vm::itree::Name,
        params: Vec<avm_vm::itree::Name>,
    },
    /// Continue inline.
    Then(ThenFn<'a>),
}

impl<'a> Cont<'a> {
    /// An inline continuation.
    pub fn then(f: impl FnOnce(&mut Lowerer, Expr) -> Lowered<Term> + 'a) -> Cont<'a> {
        Cont::Then(Box::new(f))
    }

    /// The term that continues with `value`.
    pub fn apply(self, lw: &mut Lowerer, value: Expr) -> Lowered<Term> {
        match self {
            Cont::Return => Ok(Term::Ret(match lw.cx.ret {
                RetMode::Value => value,
                RetMode::MethodOutput => Expr::List(vec![value]),
            })),
            Cont::Join { function, params } => {
                let mut args: Vec<Expr> = params.into_iter().map(Expr::Var).collect();
                args.push(value);
                Ok(Term::Call { function, args })
            }
            Cont::Then(f) => f(lw, value),
        }
    }

    /// A continuation that may be applied several times: an inline one becomes a join function
    /// over every name in scope plus the value.
    pub fn shareable(self, lw: &mut Lowerer) -> Lowered<Shared> {
        match self {
            Cont::Return => Ok(Shared::Return),
            Cont::Join { function, params } => Ok(Shared::Join { function, params }),
            Cont::Then(f) => {
                let params = lw.scope_params();
                let function = lw.gen_fn_name("k");
                let value = lw.temp();
                let saved = lw.cx.scope.clone();
                let mut inner = params.clone();
                inner.push(value.clone());
                lw.cx.scope = inner.clone();
                let body = f(lw, Expr::Var(value));
                lw.cx.scope = saved;
                lw.add_function(function.clone(), inner, body?);
                Ok(Shared::Join { function, params })
            }
        }
    }
}

/// A continuation that can be used on several paths.
#[derive(Clone, Debug)]
pub(crate) enum Shared {
    /// The value leaves the function.
    Return,
    /// Tail call of a join function.
    Join {
        function: avm_vm::itree::Name,
        params: Vec<avm_vm::itree::Name>,
    },
}

impl Shared {
    /// As a continuation.
    pub fn cont(&self) -> Cont<'static> {
        match self {
            Shared::Return => Cont::Return,
            Shared::Join { function, params } => Cont::Join {
                function: function.clone(),
                params: params.clone(),
            },
        }
    }
}

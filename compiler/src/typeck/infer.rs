//! Unification of types with inference variables.
//!
//! Takes pairs of types (expected, actual); produces a substitution for the
//! inference variables, or a failure the caller turns into a diagnostic.
//! Unification is first-order with an occurs check, plus two directional
//! rules: a `pure fn` fits where a `fn` is expected (not the reverse), and
//! [`Infer::coerces`] lets `Ref[O]` stand for `Ref[Any]` and anything for
//! `Any` at argument, annotation and result positions (also inside tuples,
//! lists and options).

use crate::typeck::types::{FnType, Purity, RefTarget, Type, TypeVar};

/// The substitution being built while checking one function.
#[derive(Debug, Default)]
pub struct Infer {
    vars: Vec<Option<Type>>,
    /// The variables that stand for the type of a jump (`abort`, `return`, …).
    diverging: Vec<TypeVar>,
}

impl Infer {
    pub fn fresh(&mut self) -> Type {
        let v = TypeVar(self.vars.len() as u32);
        self.vars.push(None);
        Type::Var(v)
    }

    /// A fresh variable for the type of an expression that never produces a value
    /// (`abort`, `reject`, `return`, `break`, `continue`): what nothing else constrains
    /// defaults to `()` ([`Infer::default_diverging`]), as Rust's `!` does.
    pub fn fresh_diverging(&mut self) -> Type {
        let t = self.fresh();
        if let Type::Var(v) = t {
            self.diverging.push(v);
        }
        t
    }

    /// Binds the unsolved variables of `ty` to `()` when every one of them is the type of a
    /// jump; returns whether `ty` is then fully known.
    pub fn default_diverging(&mut self, ty: &Type) -> bool {
        let mut unsolved = Vec::new();
        self.zonk(ty).any(&mut |t| {
            if let Type::Var(v) = t {
                unsolved.push(*v);
            }
            false
        });
        // A jump's variable may have been unified with another one: what counts is the
        // variable it now resolves to.
        let roots: Vec<TypeVar> = self
            .diverging
            .iter()
            .filter_map(|d| match self.zonk(&Type::Var(*d)) {
                Type::Var(root) => Some(root),
                _ => None,
            })
            .collect();
        if !unsolved.iter().all(|v| roots.contains(v)) {
            return false;
        }
        for v in unsolved {
            if let Some(slot) = self.vars.get_mut(v.0 as usize) {
                *slot = Some(Type::Unit);
            }
        }
        true
    }

    /// Follows variable bindings at the top of the type.
    pub fn shallow(&self, ty: &Type) -> Type {
        let mut ty = ty.clone();
        while let Type::Var(v) = ty {
            match self.vars.get(v.0 as usize).and_then(Clone::clone) {
                Some(t) => ty = t,
                None => return Type::Var(v),
            }
        }
        ty
    }

    /// Replaces every bound variable, deeply.
    pub fn zonk(&self, ty: &Type) -> Type {
        if !ty.has_vars() {
            return ty.clone();
        }
        ty.map(&mut |t| match t {
            Type::Var(v) => match self.vars.get(v.0 as usize).and_then(Clone::clone) {
                Some(bound) => Some(self.zonk(&bound)),
                None => Some(t.clone()),
            },
            _ => None,
        })
    }

    fn occurs(&self, v: TypeVar, ty: &Type) -> bool {
        ty.any(&mut |t| match t {
            Type::Var(w) if *w == v => true,
            Type::Var(w) => match self.vars.get(w.0 as usize) {
                Some(Some(bound)) => self.occurs(v, bound),
                _ => false,
            },
            _ => false,
        })
    }

    fn bind(&mut self, v: TypeVar, ty: Type) -> bool {
        if ty == Type::Var(v) {
            return true;
        }
        if self.occurs(v, &ty) {
            return false;
        }
        self.vars[v.0 as usize] = Some(ty);
        true
    }

    /// Coercion at a use site: `actual` may stand where `expected` is
    /// wanted, by unification or because `expected` is `Any` / `Ref[Any]`.
    pub fn coerces(&mut self, expected: &Type, actual: &Type) -> bool {
        match (self.shallow(expected), self.shallow(actual)) {
            (Type::Any, _) => true,
            (Type::Ref(RefTarget::Any), Type::Ref(_)) => true,
            // Values are immutable, so containers coerce element-wise.
            (Type::Tuple(es), Type::Tuple(as_)) if es.len() == as_.len() => {
                es.iter().zip(&as_).all(|(e, a)| self.coerces(e, a))
            }
            (Type::List(e), Type::List(a)) | (Type::Option(e), Type::Option(a)) => {
                self.coerces(&e, &a)
            }
            _ => self.unify(expected, actual),
        }
    }

    /// Makes the two types equal; false when they cannot be.
    pub fn unify(&mut self, expected: &Type, actual: &Type) -> bool {
        let e = self.shallow(expected);
        let a = self.shallow(actual);
        match (&e, &a) {
            (Type::Var(x), Type::Var(y)) if x == y => true,
            // A variable meeting an error becomes `Error`: known, and silent.
            (Type::Var(x), other) | (other, Type::Var(x)) => self.bind(*x, other.clone()),
            (Type::Error, _) | (_, Type::Error) => true,
            (Type::List(x), Type::List(y)) | (Type::Option(x), Type::Option(y)) => self.unify(x, y),
            (Type::Tuple(xs), Type::Tuple(ys)) => {
                xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.unify(x, y))
            }
            (Type::Struct(i, xs), Type::Struct(j, ys)) => i == j && self.unify_all(xs, ys),
            (Type::Enum(i, xs), Type::Enum(j, ys)) => i == j && self.unify_all(xs, ys),
            (Type::Fn(f), Type::Fn(g)) => self.unify_fn(f, g),
            _ => e == a,
        }
    }

    fn unify_all(&mut self, xs: &[Type], ys: &[Type]) -> bool {
        xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.unify(x, y))
    }

    fn unify_fn(&mut self, expected: &FnType, actual: &FnType) -> bool {
        if expected.purity == Purity::Pure && actual.purity == Purity::Effectful {
            return false;
        }
        self.unify_all(&expected.params, &actual.params) && self.unify(&expected.ret, &actual.ret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unifies_through_variables() {
        let mut inf = Infer::default();
        let a = inf.fresh();
        assert!(inf.unify(&Type::list(a.clone()), &Type::list(Type::Int)));
        assert_eq!(inf.zonk(&a), Type::Int);
        assert!(!inf.unify(&a, &Type::Bool));
    }

    #[test]
    fn occurs_check_rejects_infinite_types() {
        let mut inf = Infer::default();
        let a = inf.fresh();
        assert!(!inf.unify(&a, &Type::list(a.clone())));
    }

    #[test]
    fn pure_fits_where_effectful_is_expected_only() {
        let mut inf = Infer::default();
        let pure = Type::func(Purity::Pure, vec![Type::Int], Type::Int);
        let plain = Type::func(Purity::Effectful, vec![Type::Int], Type::Int);
        assert!(inf.unify(&plain, &pure));
        assert!(!inf.unify(&pure, &plain));
    }

    #[test]
    fn any_and_ref_any_accept_more() {
        let mut inf = Infer::default();
        assert!(inf.coerces(&Type::Any, &Type::Int));
        assert!(inf.coerces(
            &Type::Ref(RefTarget::Any),
            &Type::Ref(RefTarget::Object(crate::resolve::ObjectDefId(0)))
        ));
        assert!(!inf.coerces(&Type::Int, &Type::Any));
    }
}

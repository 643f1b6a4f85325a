//! Unification of types with inference variables.
//!
//! Takes pairs of types (expected, actual); produces a substitution for the
//! inference variables, or a failure the caller turns into a diagnostic.
//! Unification is first-order with an occurs check, plus two directional
//! rules: a `pure fn` fits where a `fn` is expected (not the reverse), and
//! [`Infer::coerces`] lets `Ref[O]` stand for `Ref[Any]` and anything for
//! `Any` at argument, annotation and result positions (also inside tuples,
//! lists and options).

use rustc_hash::{FxHashMap, FxHashSet};

use crate::typeck::types::{FnType, Marks, Purity, RefTarget, Type, TypeVar};

/// The substitution being built while checking one function.
///
/// Types share their parts (see [`crate::typeck::types::Shared`]), so every walk here visits
/// each shared part once: [`Infer::zonk`] remembers each rebuilt part and each variable's
/// result, unification and coercion remember the pairs of shared parts already made equal, and
/// the occurs check the parts already searched.
#[derive(Debug, Default)]
pub struct Infer {
    vars: Vec<Option<Type>>,
    /// The variables that stand for the type of a jump (`abort`, `return`, …).
    diverging: Vec<TypeVar>,
}

/// The pairs of shared parts (by address) a unification or coercion has already handled.
type Pairs = FxHashSet<(usize, usize)>;

/// The addresses of the shared parts of two types of the same shape, when both are shared.
fn pair_key(e: &Type, a: &Type) -> Option<(usize, usize)> {
    match (e, a) {
        (Type::List(x), Type::List(y)) | (Type::Option(x), Type::Option(y)) => {
            Some((x.key(), y.key()))
        }
        (Type::Tuple(x), Type::Tuple(y)) => Some((x.key(), y.key())),
        (Type::Struct(i, x), Type::Struct(j, y)) if i == j => Some((x.key(), y.key())),
        (Type::Enum(i, x), Type::Enum(j, y)) if i == j => Some((x.key(), y.key())),
        (Type::Fn(x), Type::Fn(y)) => Some((x.key(), y.key())),
        _ => None,
    }
}

impl Infer {
    pub fn fresh(&mut self) -> Type {
        let v = TypeVar(self.vars.len() as u32);
        self.vars.push(None);
        Type::Var(v)
    }

    fn binding(&self, v: TypeVar) -> Option<&Type> {
        self.vars.get(v.0 as usize).and_then(Option::as_ref)
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
        // `replace` visits each shared part once; it is used here only to collect.
        self.zonk(ty).replace(
            Marks {
                vars: true,
                generics: false,
            },
            &mut |t| {
                if let Type::Var(v) = t {
                    unsolved.push(*v);
                }
                None
            },
        );
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
        let mut ty = ty;
        while let Type::Var(v) = ty {
            match self.binding(*v) {
                Some(t) => ty = t,
                None => break,
            }
        }
        ty.clone()
    }

    /// Replaces every bound variable, deeply.
    pub fn zonk(&self, ty: &Type) -> Type {
        self.zonk_in(ty, None, &mut FxHashMap::default())
    }

    /// Zonks every type of `types` in place, unsolved variables becoming `unsolved`; the
    /// work on a variable shared by many of them is done once.
    pub fn zonk_final<'t>(&self, types: impl Iterator<Item = &'t mut Type>, unsolved: &Type) {
        let mut done = FxHashMap::default();
        for t in types {
            if t.has_vars() {
                *t = self.zonk_in(t, Some(unsolved), &mut done);
            }
        }
    }

    /// [`Infer::zonk`], with the results of the variables met so far in `done`; an unbound
    /// variable stays, or becomes `unsolved` when given.
    fn zonk_in(&self, ty: &Type, unsolved: Option<&Type>, done: &mut FxHashMap<u32, Type>) -> Type {
        let vars = Marks {
            vars: true,
            generics: false,
        };
        ty.replace(vars, &mut |t| match t {
            Type::Var(v) => {
                if let Some(z) = done.get(&v.0) {
                    return Some(z.clone());
                }
                let z = match self.binding(*v) {
                    Some(bound) => self.zonk_in(bound, unsolved, done),
                    None => unsolved.unwrap_or(t).clone(),
                };
                done.insert(v.0, z.clone());
                Some(z)
            }
            _ => None,
        })
    }

    fn occurs(&self, v: TypeVar, ty: &Type, seen: &mut FxHashSet<usize>) -> bool {
        if !ty.has_vars() {
            return false;
        }
        let any =
            |ts: &[Type], seen: &mut FxHashSet<usize>| ts.iter().any(|t| self.occurs(v, t, seen));
        match ty {
            Type::Var(w) if *w == v => true,
            Type::Var(w) => {
                // A variable's binding is searched once, like a shared part.
                seen.insert(usize::MAX - w.0 as usize)
                    && self.binding(*w).is_some_and(|b| self.occurs(v, b, seen))
            }
            Type::List(t) | Type::Option(t) => seen.insert(t.key()) && self.occurs(v, t, seen),
            Type::Tuple(ts) | Type::Struct(_, ts) | Type::Enum(_, ts) => {
                seen.insert(ts.key()) && any(ts, seen)
            }
            Type::Fn(ft) => {
                seen.insert(ft.key()) && (any(&ft.params, seen) || self.occurs(v, &ft.ret, seen))
            }
            _ => false,
        }
    }

    fn bind(&mut self, v: TypeVar, ty: Type) -> bool {
        if ty == Type::Var(v) {
            return true;
        }
        if self.occurs(v, &ty, &mut FxHashSet::default()) {
            return false;
        }
        self.vars[v.0 as usize] = Some(ty);
        true
    }

    /// Coercion at a use site: `actual` may stand where `expected` is
    /// wanted, by unification or because `expected` is `Any` / `Ref[Any]`.
    pub fn coerces(&mut self, expected: &Type, actual: &Type) -> bool {
        self.coerces_in(expected, actual, &mut Pairs::default())
    }

    fn coerces_in(&mut self, expected: &Type, actual: &Type, pairs: &mut Pairs) -> bool {
        let (e, a) = (self.shallow(expected), self.shallow(actual));
        if let Some(key) = pair_key(&e, &a)
            && (key.0 == key.1 || !pairs.insert(key))
        {
            return true;
        }
        match (e, a) {
            (Type::Any, _) => true,
            (Type::Ref(RefTarget::Any), Type::Ref(_)) => true,
            // Values are immutable, so containers coerce element-wise.
            (Type::Tuple(es), Type::Tuple(as_)) if es.len() == as_.len() => es
                .iter()
                .zip(as_.iter())
                .all(|(e, a)| self.coerces_in(e, a, pairs)),
            (Type::List(e), Type::List(a)) | (Type::Option(e), Type::Option(a)) => {
                self.coerces_in(&e, &a, pairs)
            }
            _ => self.unify_in(expected, actual, &mut Pairs::default()),
        }
    }

    /// Makes the two types equal; false when they cannot be. Two copies of one shared part are
    /// equal as they stand.
    pub fn unify(&mut self, expected: &Type, actual: &Type) -> bool {
        self.unify_in(expected, actual, &mut Pairs::default())
    }

    fn unify_in(&mut self, expected: &Type, actual: &Type, pairs: &mut Pairs) -> bool {
        let e = self.shallow(expected);
        let a = self.shallow(actual);
        // A pair of shared parts met before is equal already (or the whole unification
        // fails on its first meeting).
        if let Some(key) = pair_key(&e, &a)
            && (key.0 == key.1 || !pairs.insert(key))
        {
            return true;
        }
        match (&e, &a) {
            (Type::Var(x), Type::Var(y)) if x == y => true,
            // A variable meeting an error becomes `Error`: known, and silent.
            (Type::Var(x), other) | (other, Type::Var(x)) => self.bind(*x, other.clone()),
            (Type::Error, _) | (_, Type::Error) => true,
            (Type::List(x), Type::List(y)) | (Type::Option(x), Type::Option(y)) => {
                self.unify_in(x, y, pairs)
            }
            (Type::Tuple(xs), Type::Tuple(ys)) => self.unify_all(xs, ys, pairs),
            (Type::Struct(i, xs), Type::Struct(j, ys)) => i == j && self.unify_all(xs, ys, pairs),
            (Type::Enum(i, xs), Type::Enum(j, ys)) => i == j && self.unify_all(xs, ys, pairs),
            (Type::Fn(f), Type::Fn(g)) => self.unify_fn(f, g, pairs),
            _ => e == a,
        }
    }

    fn unify_all(&mut self, xs: &[Type], ys: &[Type], pairs: &mut Pairs) -> bool {
        xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.unify_in(x, y, pairs))
    }

    fn unify_fn(&mut self, expected: &FnType, actual: &FnType, pairs: &mut Pairs) -> bool {
        if expected.purity == Purity::Pure && actual.purity == Purity::Effectful {
            return false;
        }
        self.unify_all(&expected.params, &actual.params, pairs)
            && self.unify_in(&expected.ret, &actual.ret, pairs)
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

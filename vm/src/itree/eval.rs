//! Evaluation of resolved pure expressions and pattern matching.
//!
//! Takes an `RExpr` (an expression whose variables are frame slots, `resolve`) or a `Pattern`
//! and an environment (a stack of values whose visible part starts at the current frame's base)
//! and produces a `Val`, or pushes a pattern's bindings. Effect-free: nothing here touches the
//! world or the trace.

use crate::error::{AvmError, ExecError};
use crate::itree::code::{Operand, RExpr};
use crate::itree::term::{BinOp, Builtin, Name, Pattern, UnOp};
use crate::value::Val;
use std::rc::Rc;

/// The variable values of all frames; a frame's slot `i` is `vars[base + i]`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Env {
    /// Values, innermost last.
    pub vars: Vec<Val>,
    /// Start of the current frame's values.
    pub base: usize,
}

impl Env {
    /// The value in slot `slot` of the current frame (`name` for the error, which resolution
    /// rules out).
    #[inline]
    fn get<'a>(&'a self, slot: usize, name: &Name) -> Result<&'a Val, AvmError> {
        self.vars.get(self.base + slot).ok_or_else(|| unbound(name))
    }

    /// Binds the next slot.
    #[inline]
    pub fn push(&mut self, v: Val) {
        self.vars.push(v);
    }

    /// Evaluates an expression (variables, constants and `+` / `-` of two integers inline, the
    /// rest out of line).
    #[inline(always)]
    pub fn eval(&self, e: &RExpr<'_>) -> Result<Val, AvmError> {
        match e {
            RExpr::Slot(i, n) => match self.vars.get(self.base + *i) {
                Some(v) => Ok(v.clone_inline()),
                None => Err(unbound(n)),
            },
            RExpr::Lit(v) => Ok(v.clone_inline()),
            RExpr::BinSimple(op @ (BinOp::Add | BinOp::Sub), a, b)
                if let (Some(Val::Int(x)), Some(Val::Int(y))) =
                    (self.operand_opt(a), self.operand_opt(b))
                    && let Some(r) = add_sub_ints(*op, *x, *y) =>
            {
                Ok(Val::Int(r))
            }
            _ => self.eval_compound(e),
        }
    }

    /// Evaluates a condition: `eval(e)?.as_bool()`, without building the `Val` for a
    /// comparison of two integers in variables or constants (inline; the rest out of line).
    #[inline(always)]
    pub fn eval_bool(&self, e: &RExpr<'_>) -> Result<bool, AvmError> {
        if let RExpr::BinSimple(op, a, b) = e
            && let (Some(Val::Int(x)), Some(Val::Int(y))) =
                (self.operand_opt(a), self.operand_opt(b))
            && let Some(c) = compare_ints(*op, *x, *y)
        {
            return Ok(c);
        }
        self.eval_bool_other(e)
    }

    /// `eval_bool` for the conditions without a fast path.
    #[inline(never)]
    fn eval_bool_other(&self, e: &RExpr<'_>) -> Result<bool, AvmError> {
        Ok(self.eval(e)?.as_bool()?)
    }

    /// The value of a variable or a constant operand, by reference (`None` for a missing slot,
    /// which `operand_ref` reports).
    #[inline(always)]
    fn operand_opt<'a>(&'a self, o: &'a Operand<'_>) -> Option<&'a Val> {
        match *o {
            Operand::Lit(v) => Some(v),
            Operand::Slot(i, _) => self.vars.get(self.base + i as usize),
        }
    }

    /// The value of a variable or a constant operand, by reference.
    #[inline(always)]
    fn operand_ref<'a>(&'a self, o: &'a Operand<'_>) -> Result<&'a Val, AvmError> {
        match *o {
            Operand::Lit(v) => Ok(v),
            Operand::Slot(i, n) => match self.vars.get(self.base + i as usize) {
                Some(v) => Ok(v),
                None => Err(unbound(n)),
            },
        }
    }

    /// The object id an expression evaluates to (variables and constants are not cloned).
    #[inline]
    pub fn object(&self, e: &RExpr<'_>) -> Result<crate::ids::ObjectId, AvmError> {
        match e {
            RExpr::Lit(v) => Ok(v.as_object()?),
            RExpr::Slot(i, n) => Ok(self.get(*i, n)?.as_object()?),
            _ => Ok(self.eval(e)?.as_object()?),
        }
    }

    /// Evaluates an expression that is not a variable or a constant (simple binary operations
    /// first, with integers inline).
    #[inline(never)]
    fn eval_compound(&self, e: &RExpr<'_>) -> Result<Val, AvmError> {
        if let RExpr::BinSimple(op, a, b) = e {
            let (x, y) = (self.operand_ref(a)?, self.operand_ref(b)?);
            return apply_binary(*op, x, y);
        }
        self.eval_other(e)
    }

    /// [`Env::eval`] out of line, for the operands of compound expressions: expressions nest
    /// through here, so each level of nesting costs this small frame plus `eval_other`'s
    /// instead of a copy of the inlined fast paths (which in a debug build made a level
    /// ≈ 16 KB and let a 2 MiB thread hold only ≈ 120 levels).
    #[inline(never)]
    fn eval_nested(&self, e: &RExpr<'_>) -> Result<Val, AvmError> {
        self.eval(e)
    }

    /// Evaluates an expression that is not a variable, a constant or a simple binary operation.
    #[inline(never)]
    fn eval_other(&self, e: &RExpr<'_>) -> Result<Val, AvmError> {
        Ok(match e {
            RExpr::Lit(v) => (*v).clone(),
            RExpr::Slot(i, n) => self.get(*i, n)?.clone(),
            RExpr::Unbound(n) => return Err(unbound(n)),
            RExpr::Unary(op, a) => {
                let a = self.eval_nested(a)?;
                match op {
                    UnOp::Neg => a.checked_neg()?,
                    UnOp::Not => Val::Bool(!a.as_bool()?),
                }
            }
            RExpr::Binary(op, a, b) => self.binary(*op, a, b)?,
            RExpr::BinSimple(op, a, b) => {
                apply_binary(*op, self.operand_ref(a)?, self.operand_ref(b)?)?
            }
            RExpr::List(items) => Val::list(self.eval_seq(items)?.to_vec()),
            RExpr::Tuple(items) => Val::Tuple(self.eval_seq(items)?),
            RExpr::Just(a) => Val::just(self.eval_nested(a)?),
            RExpr::Record { type_name, fields } => self.eval_record(type_name, fields)?,
            RExpr::Variant {
                enum_name,
                variant,
                payload,
            } => self.eval_variant(enum_name, variant, payload)?,
            RExpr::Field(r, f) => self.eval_field(r, f)?,
            RExpr::Index(c, i) => self.eval_index(c, i)?,
            RExpr::Builtin(b, args) => apply_builtin(*b, &self.eval_all(args)?)?,
        })
    }

    // The compound forms below are functions of their own so that `eval_other`, which
    // nested expressions re-enter once per level, keeps a small stack frame (in a debug build
    // its frame was ≈ 20 KB with these arms inline, and 2 MiB held only ≈ 70 levels).

    /// A record literal.
    #[inline(never)]
    fn eval_record(
        &self,
        type_name: &Rc<str>,
        fields: &[(&Rc<str>, RExpr<'_>)],
    ) -> Result<Val, AvmError> {
        let mut out = Vec::with_capacity(fields.len());
        for (n, fe) in fields.iter() {
            out.push(((*n).clone(), self.eval(fe)?));
        }
        Ok(Val::Record(Rc::new(crate::value::Record {
            type_name: type_name.clone(),
            fields: out,
        })))
    }

    /// An enum variant literal. Short payloads are evaluated into arrays, so the variant is
    /// the only allocation.
    #[inline(never)]
    fn eval_variant(
        &self,
        enum_name: &Rc<str>,
        variant: &Rc<str>,
        payload: &[RExpr<'_>],
    ) -> Result<Val, AvmError> {
        let (e, v) = (enum_name.clone(), variant.clone());
        Ok(Val::Variant(match payload {
            [] => crate::value::Variant::new(e, v, []),
            [a] => crate::value::Variant::new(e, v, [self.eval(a)?]),
            [a, b] => crate::value::Variant::new(e, v, [self.eval(a)?, self.eval(b)?]),
            [a, b, c] => {
                crate::value::Variant::new(e, v, [self.eval(a)?, self.eval(b)?, self.eval(c)?])
            }
            more => crate::value::Variant::new(e, v, self.eval_all(more)?),
        }))
    }

    /// A record field access `r.f`.
    #[inline(never)]
    fn eval_field(&self, r: &RExpr<'_>, f: &Rc<str>) -> Result<Val, AvmError> {
        match self.eval(r)? {
            Val::Record(rec) => Ok(rec
                .fields
                .iter()
                .find(|(n, _)| n == f)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| ExecError::NoSuchField { field: f.clone() })?),
            other => Err(ExecError::TypeMismatch {
                expected: "Record",
                found: other.kind_name(),
            }
            .into()),
        }
    }

    /// An index `c[i]` into a list or a tuple.
    #[inline(never)]
    fn eval_index(&self, c: &RExpr<'_>, i: &RExpr<'_>) -> Result<Val, AvmError> {
        let c = self.eval(c)?;
        let i = self.eval(i)?.as_int()?;
        Ok(c.item_at(i)?)
    }

    /// Evaluates expressions in order into a shared slice (one allocation for short sequences).
    fn eval_seq(&self, es: &[RExpr<'_>]) -> Result<Rc<[Val]>, AvmError> {
        let mut out: smallvec::SmallVec<[Val; 4]> = smallvec::SmallVec::with_capacity(es.len());
        for e in es {
            out.push(self.eval(e)?);
        }
        Ok(Rc::from(out.as_slice()))
    }

    /// A reference to a constant or to the value of a bound variable, without cloning
    /// (`None` for anything else, which the caller evaluates the general way).
    #[inline(always)]
    fn operand<'a>(&'a self, e: &'a RExpr<'_>) -> Option<&'a Val> {
        match e {
            RExpr::Lit(v) => Some(v),
            RExpr::Slot(i, _) => self.vars.get(self.base + *i),
            _ => None,
        }
    }

    /// Evaluates expressions in order.
    pub fn eval_all(&self, es: &[RExpr<'_>]) -> Result<Vec<Val>, AvmError> {
        let mut out = Vec::with_capacity(es.len());
        for e in es {
            out.push(self.eval(e)?);
        }
        Ok(out)
    }

    /// A binary operation (a small function of its own: the common `x + 1`, `n == 0` stay
    /// clear of `eval_compound`'s large frame).
    #[inline(never)]
    fn binary(&self, op: BinOp, a: &RExpr<'_>, b: &RExpr<'_>) -> Result<Val, AvmError> {
        match op {
            BinOp::And => {
                return Ok(Val::Bool(
                    self.eval_nested(a)?.as_bool()? && self.eval_nested(b)?.as_bool()?,
                ));
            }
            BinOp::Or => {
                return Ok(Val::Bool(
                    self.eval_nested(a)?.as_bool()? || self.eval_nested(b)?.as_bool()?,
                ));
            }
            _ => {}
        }
        if let (Some(x), Some(y)) = (self.operand(a), self.operand(b)) {
            return apply_binary(op, x, y);
        }
        let (x, y) = (self.eval_nested(a)?, self.eval_nested(b)?);
        apply_binary(op, &x, &y)
    }

    /// Matches a pattern, pushing its bindings; on failure the bindings are removed.
    pub fn bind_pattern(&mut self, p: &Pattern, v: &Val) -> bool {
        let mark = self.vars.len();
        let ok = self.bind_inner(p, v);
        if !ok {
            self.vars.truncate(mark);
        }
        ok
    }

    fn bind_inner(&mut self, p: &Pattern, v: &Val) -> bool {
        match (p, v) {
            (Pattern::Wild, _) => true,
            (Pattern::Bind(_), v) => {
                self.push(v.clone());
                true
            }
            (Pattern::Lit(l), v) => l == v,
            (Pattern::Tuple(ps), Val::Tuple(vs)) => self.bind_seq(ps, vs),
            (Pattern::Nil, Val::List(vs)) => vs.is_empty(),
            (Pattern::Cons(h, t), Val::List(vs)) => match vs.split_first() {
                Some((first, rest)) => {
                    self.bind_inner(h, &first) && self.bind_inner(t, &Val::List(rest))
                }
                None => false,
            },
            (Pattern::List(ps), Val::List(vs)) => {
                ps.len() == vs.len() && self.bind_seq(ps, &vs.to_vec())
            }
            (Pattern::Nothing, Val::Nothing) => true,
            (Pattern::Just(p), Val::Just(v)) => self.bind_inner(p, v),
            (Pattern::Record { type_name, fields }, Val::Record(r)) => {
                same_name(type_name, &r.type_name)
                    && fields.iter().all(|(f, fp)| {
                        r.fields
                            .iter()
                            .find(|(n, _)| same_name(n, f))
                            .is_some_and(|(_, fv)| self.bind_inner(fp, fv))
                    })
            }
            (
                Pattern::Variant {
                    enum_name,
                    variant,
                    payload,
                },
                Val::Variant(x),
            ) => {
                same_name(enum_name, x.enum_name())
                    && same_name(variant, x.variant())
                    && self.bind_seq(payload, x.payload())
            }
            _ => false,
        }
    }

    fn bind_seq(&mut self, ps: &[Pattern], vs: &[Val]) -> bool {
        ps.len() == vs.len() && ps.iter().zip(vs).all(|(p, v)| self.bind_inner(p, v))
    }
}

/// Name equality, by pointer first (the builder interns names, and values built by a program
/// share its name allocations), then by content.
#[inline]
fn same_name(a: &Name, b: &str) -> bool {
    std::ptr::eq(&**a, b) || **a == *b
}

/// The error for a variable with no binding.
#[cold]
fn unbound(name: &Name) -> AvmError {
    ExecError::UnboundVariable(name.clone()).into()
}

/// `a + b` or `a - b` (`None` on overflow, which `apply_binary` reports, or for another
/// operator).
#[inline(always)]
fn add_sub_ints(op: BinOp, a: i64, b: i64) -> Option<i64> {
    match op {
        BinOp::Add => a.checked_add(b),
        BinOp::Sub => a.checked_sub(b),
        _ => None,
    }
}

/// A comparison of two integers (`None` for an operator that is not a comparison).
#[inline(always)]
fn compare_ints(op: BinOp, a: i64, b: i64) -> Option<bool> {
    Some(match op {
        BinOp::Eq => a == b,
        BinOp::Ne => a != b,
        BinOp::Lt => a < b,
        BinOp::Le => a <= b,
        BinOp::Gt => a > b,
        BinOp::Ge => a >= b,
        _ => return None,
    })
}

/// Applies a non-short-circuit binary operator (integers take a fast path).
#[inline(always)]
fn apply_binary(op: BinOp, x: &Val, y: &Val) -> Result<Val, AvmError> {
    if let (Val::Int(a), Val::Int(b)) = (x, y) {
        let (a, b) = (*a, *b);
        let overflow = |op| AvmError::from(ExecError::IntegerOverflow { op });
        match op {
            BinOp::Add => return a.checked_add(b).map(Val::Int).ok_or_else(|| overflow("+")),
            BinOp::Sub => return a.checked_sub(b).map(Val::Int).ok_or_else(|| overflow("-")),
            BinOp::Eq => return Ok(Val::Bool(a == b)),
            BinOp::Ne => return Ok(Val::Bool(a != b)),
            BinOp::Lt => return Ok(Val::Bool(a < b)),
            BinOp::Le => return Ok(Val::Bool(a <= b)),
            BinOp::Gt => return Ok(Val::Bool(a > b)),
            BinOp::Ge => return Ok(Val::Bool(a >= b)),
            _ => {}
        }
    }
    apply_binary_general(op, x, y)
}

/// `apply_binary` for operands that are not both integers, or operators without an integer fast
/// path.
#[inline(never)]
fn apply_binary_general(op: BinOp, x: &Val, y: &Val) -> Result<Val, AvmError> {
    use std::cmp::Ordering::{Greater, Less};
    Ok(match op {
        BinOp::Add => x.checked_add(y)?,
        BinOp::Sub => x.checked_sub(y)?,
        BinOp::Mul => x.checked_mul(y)?,
        BinOp::Div => x.checked_div(y)?,
        BinOp::Rem => x.checked_rem(y)?,
        BinOp::Eq => Val::Bool(x.equals(y)),
        BinOp::Ne => Val::Bool(!x.equals(y)),
        BinOp::Lt => Val::Bool(x.compare(y)? == Less),
        BinOp::Le => Val::Bool(x.compare(y)? != Greater),
        BinOp::Gt => Val::Bool(x.compare(y)? == Greater),
        BinOp::Ge => Val::Bool(x.compare(y)? != Less),
        BinOp::Concat => x.concat(y)?,
        BinOp::And => Val::Bool(x.as_bool()? && y.as_bool()?),
        BinOp::Or => Val::Bool(x.as_bool()? || y.as_bool()?),
    })
}

fn arity(args: &[Val], n: usize) -> Result<(), AvmError> {
    if args.len() == n {
        Ok(())
    } else {
        Err(ExecError::ArityMismatch {
            function: Rc::from("builtin"),
            expected: n,
            found: args.len(),
        }
        .into())
    }
}

/// Applies a built-in to its evaluated arguments (shared with the Tape `prim` ops).
pub(crate) fn apply_builtin(b: Builtin, args: &[Val]) -> Result<Val, AvmError> {
    let n = match b {
        Builtin::Len
        | Builtin::Head
        | Builtin::Tail
        | Builtin::ToString
        | Builtin::MachineNamed
        | Builtin::ControllerNamed
        | Builtin::Reverse
        | Builtin::IsSome => 1,
        Builtin::Cons | Builtin::Contains | Builtin::UnwrapOr => 2,
    };
    arity(args, n)?;
    let a = &args[0];
    Ok(match b {
        Builtin::Len => {
            let n = match a {
                Val::List(xs) => xs.len(),
                Val::Tuple(xs) => xs.len(),
                Val::Str(s) => {
                    crate::budget::charge_bytes(s.len());
                    s.chars().count()
                }
                other => {
                    return Err(ExecError::TypeMismatch {
                        expected: "List",
                        found: other.kind_name(),
                    }
                    .into());
                }
            };
            Val::Int(i64::try_from(n).unwrap_or(i64::MAX))
        }
        Builtin::Cons => Val::List(args[1].as_list()?.cons(a.clone())?),
        Builtin::Head => Val::from_option(a.as_list()?.first()),
        Builtin::Tail => Val::List(a.as_list()?.tail().unwrap_or_default()),
        Builtin::ToString => match a {
            Val::Str(s) => Val::Str(s.clone()),
            other => {
                let text = other.to_string();
                crate::budget::build_bytes(text.len())?;
                Val::Str(Rc::from(text))
            }
        },
        Builtin::MachineNamed => Val::Machine(crate::ids::MachineId::new(a.as_str()?)),
        Builtin::ControllerNamed => Val::Controller(crate::ids::ControllerId(a.as_str()?.clone())),
        Builtin::Contains => {
            let xs = a.as_list()?;
            crate::budget::charge(xs.len());
            Val::Bool(xs.iter().any(|x| x.equals(&args[1])))
        }
        Builtin::Reverse => {
            let xs = a.as_list()?;
            crate::budget::build_items(xs.len())?;
            Val::List(xs.iter().rev().collect())
        }
        Builtin::IsSome => Val::Bool(a.as_option()?.is_some()),
        Builtin::UnwrapOr => a.as_option()?.cloned().unwrap_or_else(|| args[1].clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itree::builder::*;
    use crate::itree::resolve::resolve_expr;
    use crate::itree::term::{Expr, Name};

    /// Evaluates `e` with the variables `names` bound to the values in `env`.
    fn eval_in(env: &Env, names: &[Name], e: &Expr) -> Result<Val, AvmError> {
        env.eval(&resolve_expr(e, names))
    }

    #[test]
    fn simple_binary_operations_keep_their_errors() {
        let mut env = Env::default();
        let names = vec![name("x"), name("s")];
        env.push(Val::Int(i64::MAX));
        env.push(Val::str("a"));
        let x_plus_1 = add(var("x"), int(1));
        assert!(matches!(
            resolve_expr(&x_plus_1, &names),
            RExpr::BinSimple(BinOp::Add, ..)
        ));
        let overflow: AvmError = ExecError::IntegerOverflow { op: "+" }.into();
        assert_eq!(eval_in(&env, &names, &x_plus_1), Err(overflow.clone()));
        assert_eq!(
            eval_in(&env, &names, &sub(var("x"), int(1))),
            Ok(Val::Int(i64::MAX - 1))
        );
        // As conditions: integer comparisons inline, anything else through `apply_binary`.
        let cond = |e: &Expr| env.eval_bool(&resolve_expr(e, &names));
        assert_eq!(cond(&lt(int(1), var("x"))), Ok(true));
        assert_eq!(cond(&eq(var("s"), string("a"))), Ok(true));
        assert_eq!(
            cond(&add(var("x"), int(0))),
            Err(ExecError::TypeMismatch {
                expected: "Bool",
                found: "Int"
            }
            .into())
        );
        assert_eq!(
            cond(&eq(var("missing"), int(0))),
            Err(ExecError::UnboundVariable(name("missing")).into())
        );
        assert_eq!(cond(&add(var("x"), int(1))), Err(overflow));
        assert_eq!(
            eval_in(&env, &names, &add(var("s"), int(1))),
            Val::str("a")
                .checked_add(&Val::Int(1))
                .map_err(AvmError::from)
        );
        assert!(eval_in(&env, &names, &add(var("s"), int(1))).is_err());
    }

    #[test]
    fn eval_and_patterns() {
        let mut env = Env::default();
        let mut names = vec![name("x")];
        env.push(Val::Int(5));
        assert_eq!(
            eval_in(&env, &names, &add(var("x"), int(2))),
            Ok(Val::Int(7))
        );
        assert_eq!(
            eval_in(&env, &names, &bin(BinOp::Or, boolean(true), var("missing"))),
            Ok(Val::Bool(true))
        );
        assert_eq!(
            eval_in(&env, &names, &var("missing")),
            Err(ExecError::UnboundVariable(name("missing")).into())
        );
        assert_eq!(
            eval_in(&env, &names, &index(list(vec![int(1), int(2)]), int(5))),
            Err(ExecError::IndexOutOfBounds { index: 5, len: 2 }.into())
        );
        let v = Val::list(vec![Val::Int(1), Val::Int(2), Val::Int(3)]);
        let p = Pattern::Cons(Box::new(pbind("h")), Box::new(pbind("t")));
        assert!(env.bind_pattern(&p, &v));
        names.extend([name("h"), name("t")]);
        assert_eq!(eval_in(&env, &names, &var("h")), Ok(Val::Int(1)));
        assert_eq!(
            eval_in(&env, &names, &var("t")).map(|v| v.to_string()),
            Ok("[2, 3]".into())
        );
        let before = env.vars.len();
        assert!(!env.bind_pattern(&Pattern::Tuple(vec![pbind("a")]), &Val::Int(1)));
        assert_eq!(env.vars.len(), before);
        let rec = Val::record("P", vec![("x", Val::Int(1)), ("y", Val::Int(2))]);
        let rp = Pattern::Record {
            type_name: name("P"),
            fields: vec![(name("y"), pbind("yy"))],
        };
        assert!(env.bind_pattern(&rp, &rec));
        names.push(name("yy"));
        assert_eq!(eval_in(&env, &names, &var("yy")), Ok(Val::Int(2)));
        // The innermost binding of a name wins.
        env.push(Val::Int(9));
        names.push(name("x"));
        assert_eq!(eval_in(&env, &names, &var("x")), Ok(Val::Int(9)));
        assert_eq!(
            eval_in(&env, &names, &builtin(Builtin::Len, vec![string("héllo")])),
            Ok(Val::Int(5))
        );
    }
}

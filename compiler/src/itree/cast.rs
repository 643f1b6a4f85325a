//! Casts `e as T`.
//!
//! Takes the cast expression (the type checker allows a cast from `Any` to any non-function type,
//! between reference types, and to the type the value already has) and its continuation;
//! produces the term that checks the value's outer shape and continues with it unchanged (a cast
//! never converts a value, it only lets the type checker see it as `T`):
//! - to the value's own type: no check;
//! - to `Int`: `v + 0`, to `String`: `"" ++ v`, to `Bool`: `v && true`; on another value the VM
//!   fails with its type mismatch ("expected Int, found String");
//! - to `Unit`, `Option[_]`, `List[_]`, a tuple, a struct, an enum or a built-in record: a
//!   `match` on the shape (`()`, `none` / `some(_)`, `[]` / `[_, .._]`, an n-tuple, a record of
//!   that name, one arm per variant) whose last arm fails with `cast failed: … is not a T`;
//! - to a reference (`Ref[O]`, `Ref[Any]`), `TxId`, `MachineId`, `ControllerId`, `FdVar` or
//!   `Constraint`: no check, because the VM has no safe, effect-free test for them; a wrong
//!   value fails where it is used (a call of a method the object does not have is rejected).
//!
//! Only the outer shape is checked: the elements of a list, option or tuple are not.

use avm_vm::itree::builder::name;
use avm_vm::itree::{Arm, BinOp, Expr, Pattern, Term};
use avm_vm::value::Val;

use super::cont::Cont;
use super::expr::str_lit;
use super::{Lowered, Lowerer};
use crate::syntax::ast;
use crate::typeck::Type;

/// The shape test of a cast target.
enum Check {
    /// No test: the value is passed on.
    None,
    /// An expression that fails in the VM unless the value has the type.
    Strict(fn(Expr) -> Expr),
    /// Patterns that accept the value; anything else fails the run.
    Shapes(Vec<Pattern>),
}

fn wilds(n: usize) -> Vec<Pattern> {
    (0..n).map(|_| Pattern::Wild).collect()
}

impl Lowerer<'_> {
    /// `value as T` where `cast` is the cast expression.
    pub(crate) fn cast<'e>(
        &mut self,
        cast: &'e ast::Expr,
        value: &'e ast::Expr,
        k: Cont<'e>,
    ) -> Lowered<Term> {
        let target = self.ty(cast.id).cloned().unwrap_or(Type::Any);
        let source = self.ty(value.id).cloned().unwrap_or(Type::Any);
        let check = if source == target {
            Check::None
        } else {
            self.cast_check(&target)
        };
        let shown = self.show_type(&target);
        self.expr(
            value,
            Cont::then(move |lw, v| match check {
                Check::None => k.apply(lw, v),
                Check::Strict(test) => {
                    let t = lw.temp();
                    lw.cx.scope.push(t.clone());
                    let rest = k.apply(lw, v.clone())?;
                    Ok(Term::Let {
                        name: t,
                        value: test(v),
                        rest: Box::new(rest),
                    })
                }
                Check::Shapes(patterns) => {
                    // `_ <- match v { P1 => ret (), …, _ => fail }`, then the continuation.
                    let mut arms: Vec<Arm> = patterns
                        .into_iter()
                        .map(|pattern| Arm {
                            pattern,
                            guard: None,
                            body: Term::Ret(Expr::Lit(Val::Unit)),
                        })
                        .collect();
                    arms.push(Arm {
                        pattern: Pattern::Wild,
                        guard: None,
                        body: Term::Fail(str_lit(&format!(
                            "cast failed: the value is not a {shown}"
                        ))),
                    });
                    let rest = k.apply(lw, v.clone())?;
                    Ok(Term::Bind {
                        first: Box::new(Term::Match { scrutinee: v, arms }),
                        name: name("_"),
                        rest: Box::new(rest),
                    })
                }
            }),
        )
    }

    fn show_type(&self, t: &Type) -> String {
        t.display(&self.typed.resolution.defs, &[])
    }

    fn cast_check(&self, target: &Type) -> Check {
        let defs = &self.typed.resolution.defs;
        match target {
            Type::Int => Check::Strict(|v| {
                Expr::Binary(BinOp::Add, Box::new(v), Box::new(Expr::Lit(Val::Int(0))))
            }),
            Type::String => {
                Check::Strict(|v| Expr::Binary(BinOp::Concat, Box::new(str_lit("")), Box::new(v)))
            }
            Type::Bool => Check::Strict(|v| {
                Expr::Binary(
                    BinOp::And,
                    Box::new(v),
                    Box::new(Expr::Lit(Val::Bool(true))),
                )
            }),
            Type::Unit => Check::Shapes(vec![Pattern::Lit(Val::Unit)]),
            Type::Option(_) => Check::Shapes(vec![
                Pattern::Nothing,
                Pattern::Just(Box::new(Pattern::Wild)),
            ]),
            Type::List(_) => Check::Shapes(vec![
                Pattern::Nil,
                Pattern::Cons(Box::new(Pattern::Wild), Box::new(Pattern::Wild)),
            ]),
            Type::Tuple(items) => Check::Shapes(vec![Pattern::Tuple(wilds(items.len()))]),
            Type::Struct(id, _) => Check::Shapes(vec![Pattern::Record {
                type_name: name(&defs.struct_decl(*id).name),
                fields: Vec::new(),
            }]),
            Type::Record(r) => Check::Shapes(vec![Pattern::Record {
                type_name: name(r.name()),
                fields: Vec::new(),
            }]),
            Type::Enum(id, _) => {
                let decl = defs.enum_decl(*id);
                let sig = &self.typed.signatures.enums[id.0 as usize];
                Check::Shapes(
                    decl.variants
                        .iter()
                        .zip(&sig.variants)
                        .map(|(v, s)| Pattern::Variant {
                            enum_name: name(&decl.name),
                            variant: name(&v.name),
                            payload: wilds(s.fields.len()),
                        })
                        .collect(),
                )
            }
            _ => Check::None,
        }
    }
}

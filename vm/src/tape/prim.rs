//! Primitive value operations of the Tape IR (`prim.<name> args -> dst`).
//!
//! Takes argument values; produces [`PrimKind`] (the operation table: text name, register
//! arity) and [`apply`], the one implementation both interpreters share. The kinds cover what
//! the compiler's ITree terms compute but the typed core ops cannot express without static
//! types: the ITree built-ins (delegated to the ITree evaluator, so the two interpreters cannot
//! drift), type-generic `++` and indexing, records addressed by field *name* (the value model's
//! records carry names), and the non-failing shape tests that pattern matching needs (a
//! pattern that does not fit a value is "no match", never an error).

use crate::error::{AvmError, ExecError};
use crate::itree::eval::apply_builtin;
use crate::itree::term::Builtin;
use crate::value::{Record, Val};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::rc::Rc;

/// One primitive operation. Its argument registers are a contiguous range of exactly
/// [`PrimKind::arity`] registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrimKind {
    /// `len(v)` of a list, tuple or string (Unicode scalar values).
    Len,
    /// `cons(x, xs)`.
    Cons,
    /// `head(xs)`: `some(first)` or `none`.
    Head,
    /// `tail(xs)`: `xs` without its first element, `[]` for `[]`.
    Tail,
    /// `to_string(v)`: the printed form, strings unquoted.
    ToString,
    /// `machine(name)`: a machine id from a string.
    MachineNamed,
    /// `controller(name)`: a controller id from a string.
    ControllerNamed,
    /// `contains(xs, x)`.
    Contains,
    /// `reverse(xs)`.
    Reverse,
    /// `is_some(opt)`.
    IsSome,
    /// `unwrap_or(opt, default)`.
    UnwrapOr,
    /// `a ++ b` on two lists or two strings.
    Concat,
    /// `c[i]` of a list or tuple by an integer; fails out of range.
    Index,
    /// `record(type_name, field_names, values)`: the record `type_name { names[i]: values[i] }`
    /// (names and values are lists of the same length).
    RecordNew,
    /// `record_get(r, name)`: the field `name` of the record `r`; fails when `r` is not a
    /// record or has no such field.
    RecordGet,
    /// `record_field(v, name)`: `some(field)` if `v` is a record with the field `name`, else
    /// `none` (never fails).
    RecordField,
    /// `record_is(v, type_name)`: whether `v` is a record of that type (never fails).
    RecordIs,
    /// `tuple_is(v, n)`: whether `v` is a tuple of `n` elements (never fails).
    TupleIs,
    /// `list_len_is(v, n)`: whether `v` is a list of exactly `n` elements (never fails).
    ListLenIs,
    /// `list_len_at_least(v, n)`: whether `v` is a list of at least `n` elements (never fails).
    ListLenAtLeast,
    /// `is_none(v)`: whether `v` is `none` (never fails).
    IsNone,
    /// `is_just(v)`: whether `v` is `some(_)` (never fails).
    IsJust,
    /// `payload_len_is(v, n)`: whether `v` is an enum variant carrying `n` payload values
    /// (never fails).
    PayloadLenIs,
}

impl PrimKind {
    /// Every kind, in declaration order.
    pub const ALL: [PrimKind; 23] = [
        PrimKind::Len,
        PrimKind::Cons,
        PrimKind::Head,
        PrimKind::Tail,
        PrimKind::ToString,
        PrimKind::MachineNamed,
        PrimKind::ControllerNamed,
        PrimKind::Contains,
        PrimKind::Reverse,
        PrimKind::IsSome,
        PrimKind::UnwrapOr,
        PrimKind::Concat,
        PrimKind::Index,
        PrimKind::RecordNew,
        PrimKind::RecordGet,
        PrimKind::RecordField,
        PrimKind::RecordIs,
        PrimKind::TupleIs,
        PrimKind::ListLenIs,
        PrimKind::ListLenAtLeast,
        PrimKind::IsNone,
        PrimKind::IsJust,
        PrimKind::PayloadLenIs,
    ];

    /// How many argument registers the operation reads.
    pub fn arity(self) -> u16 {
        use PrimKind::*;
        match self {
            Len | Head | Tail | ToString | MachineNamed | ControllerNamed | Reverse | IsSome
            | IsNone | IsJust => 1,
            Cons | Contains | UnwrapOr | Concat | Index | RecordGet | RecordField | RecordIs
            | TupleIs | ListLenIs | ListLenAtLeast | PayloadLenIs => 2,
            RecordNew => 3,
        }
    }

    /// The text name (`prim.<name>`).
    pub fn name(self) -> &'static str {
        use PrimKind::*;
        match self {
            Len => "len",
            Cons => "cons",
            Head => "head",
            Tail => "tail",
            ToString => "to_string",
            MachineNamed => "machine",
            ControllerNamed => "controller",
            Contains => "contains",
            Reverse => "reverse",
            IsSome => "is_some",
            UnwrapOr => "unwrap_or",
            Concat => "concat",
            Index => "index",
            RecordNew => "record",
            RecordGet => "record_get",
            RecordField => "record_field",
            RecordIs => "record_is",
            TupleIs => "tuple_is",
            ListLenIs => "list_len_is",
            ListLenAtLeast => "list_len_at_least",
            IsNone => "is_none",
            IsJust => "is_just",
            PayloadLenIs => "payload_len_is",
        }
    }

    /// The kind with the given text name, if any.
    pub fn from_name(name: &str) -> Option<PrimKind> {
        PrimKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The ITree built-in this kind implements, if it is one.
    pub fn builtin(self) -> Option<Builtin> {
        use PrimKind::*;
        Some(match self {
            Len => Builtin::Len,
            Cons => Builtin::Cons,
            Head => Builtin::Head,
            Tail => Builtin::Tail,
            ToString => Builtin::ToString,
            MachineNamed => Builtin::MachineNamed,
            ControllerNamed => Builtin::ControllerNamed,
            Contains => Builtin::Contains,
            Reverse => Builtin::Reverse,
            IsSome => Builtin::IsSome,
            UnwrapOr => Builtin::UnwrapOr,
            _ => return None,
        })
    }

    /// The kind implementing an ITree built-in.
    pub fn of_builtin(builtin: Builtin) -> PrimKind {
        match builtin {
            Builtin::Len => PrimKind::Len,
            Builtin::Cons => PrimKind::Cons,
            Builtin::Head => PrimKind::Head,
            Builtin::Tail => PrimKind::Tail,
            Builtin::ToString => PrimKind::ToString,
            Builtin::MachineNamed => PrimKind::MachineNamed,
            Builtin::ControllerNamed => PrimKind::ControllerNamed,
            Builtin::Contains => PrimKind::Contains,
            Builtin::Reverse => PrimKind::Reverse,
            Builtin::IsSome => PrimKind::IsSome,
            Builtin::UnwrapOr => PrimKind::UnwrapOr,
        }
    }
}

impl fmt::Display for PrimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn arity_error(kind: PrimKind, found: usize) -> AvmError {
    ExecError::ArityMismatch {
        function: Rc::from(kind.name()),
        expected: usize::from(kind.arity()),
        found,
    }
    .into()
}

/// Whether `v` is the integer `n` equal to `len` (a non-integer count is a type error).
fn count_is(n: &Val, len: usize) -> Result<bool, AvmError> {
    let n = n.as_int()?;
    Ok(usize::try_from(n).is_ok_and(|n| n == len))
}

/// Runs the operation on its argument values (exactly `kind.arity()` of them; another count is
/// an `ArityMismatch` error, never a panic).
pub fn apply(kind: PrimKind, args: &[Val]) -> Result<Val, AvmError> {
    if args.len() != usize::from(kind.arity()) {
        return Err(arity_error(kind, args.len()));
    }
    // In range: every kind takes at least one argument and the count was checked above.
    let a = &args[0];
    let arg = |i: usize| args.get(i).ok_or_else(|| arity_error(kind, args.len()));
    Ok(match kind {
        PrimKind::Concat => a.concat(arg(1)?)?,
        PrimKind::Index => {
            let i = arg(1)?.as_int()?;
            a.item_at(i)?
        }
        PrimKind::RecordNew => {
            let type_name = a.as_str()?.clone();
            let names = arg(1)?.as_list()?;
            let values = arg(2)?.as_list()?;
            if names.len() != values.len() {
                return Err(ExecError::ArityMismatch {
                    function: type_name,
                    expected: names.len(),
                    found: values.len(),
                }
                .into());
            }
            let mut fields = Vec::with_capacity(names.len());
            for (n, v) in names.iter().zip(values.iter()) {
                fields.push((n.as_str()?.clone(), v.clone()));
            }
            Val::Record(Rc::new(Record { type_name, fields }))
        }
        PrimKind::RecordGet => {
            let field = arg(1)?.as_str()?;
            match a {
                Val::Record(rec) => rec
                    .fields
                    .iter()
                    .find(|(n, _)| n == field)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| ExecError::NoSuchField {
                        field: field.clone(),
                    })?,
                other => {
                    return Err(ExecError::TypeMismatch {
                        expected: "Record",
                        found: other.kind_name(),
                    }
                    .into());
                }
            }
        }
        PrimKind::RecordField => {
            let field = arg(1)?.as_str()?;
            Val::from_option(match a {
                Val::Record(rec) => rec
                    .fields
                    .iter()
                    .find(|(n, _)| n == field)
                    .map(|(_, v)| v.clone()),
                _ => None,
            })
        }
        PrimKind::RecordIs => {
            let type_name = arg(1)?.as_str()?;
            Val::Bool(matches!(a, Val::Record(rec) if rec.type_name == *type_name))
        }
        PrimKind::TupleIs => Val::Bool(match a {
            Val::Tuple(items) => count_is(arg(1)?, items.len())?,
            _ => false,
        }),
        PrimKind::ListLenIs => Val::Bool(match a {
            Val::List(items) => count_is(arg(1)?, items.len())?,
            _ => false,
        }),
        PrimKind::ListLenAtLeast => {
            let n = arg(1)?.as_int()?;
            Val::Bool(match a {
                Val::List(items) => usize::try_from(n).map_or(true, |n| items.len() >= n),
                _ => false,
            })
        }
        PrimKind::IsNone => Val::Bool(matches!(a, Val::Nothing)),
        PrimKind::IsJust => Val::Bool(matches!(a, Val::Just(_))),
        PrimKind::PayloadLenIs => Val::Bool(match a {
            Val::Variant(v) => count_is(arg(1)?, v.payload().len())?,
            _ => false,
        }),
        PrimKind::Len => apply_builtin(Builtin::Len, args)?,
        PrimKind::Cons => apply_builtin(Builtin::Cons, args)?,
        PrimKind::Head => apply_builtin(Builtin::Head, args)?,
        PrimKind::Tail => apply_builtin(Builtin::Tail, args)?,
        PrimKind::ToString => apply_builtin(Builtin::ToString, args)?,
        PrimKind::MachineNamed => apply_builtin(Builtin::MachineNamed, args)?,
        PrimKind::ControllerNamed => apply_builtin(Builtin::ControllerNamed, args)?,
        PrimKind::Contains => apply_builtin(Builtin::Contains, args)?,
        PrimKind::Reverse => apply_builtin(Builtin::Reverse, args)?,
        PrimKind::IsSome => apply_builtin(Builtin::IsSome, args)?,
        PrimKind::UnwrapOr => apply_builtin(Builtin::UnwrapOr, args)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for kind in PrimKind::ALL {
            assert_eq!(PrimKind::from_name(kind.name()), Some(kind));
            if let Some(b) = kind.builtin() {
                assert_eq!(PrimKind::of_builtin(b), kind);
            }
        }
        let mut names: Vec<_> = PrimKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PrimKind::ALL.len());
    }

    #[test]
    fn records_by_name_and_shape_tests() {
        let rec = apply(
            PrimKind::RecordNew,
            &[
                Val::str("P"),
                Val::list(vec![Val::str("x"), Val::str("y")]),
                Val::list(vec![Val::Int(1), Val::Int(2)]),
            ],
        )
        .expect("record");
        assert_eq!(rec.to_string(), "P { x: 1, y: 2 }");
        assert_eq!(
            apply(PrimKind::RecordGet, &[rec.clone(), Val::str("y")]),
            Ok(Val::Int(2))
        );
        assert_eq!(
            apply(PrimKind::RecordGet, &[rec.clone(), Val::str("z")]),
            Err(ExecError::NoSuchField { field: "z".into() }.into())
        );
        assert_eq!(
            apply(PrimKind::RecordField, &[Val::Int(3), Val::str("z")]),
            Ok(Val::Nothing)
        );
        assert_eq!(
            apply(PrimKind::RecordIs, &[rec, Val::str("P")]),
            Ok(Val::Bool(true))
        );
        assert_eq!(
            apply(PrimKind::TupleIs, &[Val::Int(1), Val::Int(2)]),
            Ok(Val::Bool(false))
        );
        assert_eq!(
            apply(
                PrimKind::ListLenAtLeast,
                &[Val::list(vec![Val::Int(1)]), Val::Int(1)]
            ),
            Ok(Val::Bool(true))
        );
        assert_eq!(
            apply(PrimKind::Concat, &[Val::str("a"), Val::str("b")]),
            Ok(Val::str("ab"))
        );
        assert_eq!(
            apply(
                PrimKind::Index,
                &[Val::tuple(vec![Val::Int(7)]), Val::Int(1)]
            ),
            Err(ExecError::IndexOutOfBounds { index: 1, len: 1 }.into())
        );
        assert!(apply(PrimKind::Len, &[]).is_err());
    }
}

#[cfg(test)]
mod text_tests {
    use super::PrimKind;
    use crate::tape::op::{Op, Reg, RegRange};
    use crate::tape::parse::parse_op;

    #[test]
    fn prim_and_fail_ops_round_trip_through_text() {
        let mut ops = vec![
            Op::FailValue { src: Reg(3) },
            Op::FailNoMatch { src: Reg(0) },
        ];
        for kind in PrimKind::ALL {
            ops.push(Op::Prim {
                kind,
                args: RegRange::new(Reg(2), kind.arity()),
                dst: Reg(9),
            });
        }
        for op in ops {
            let text = op.to_string();
            assert_eq!(parse_op(&text), Ok(op), "{text}");
        }
        assert_eq!(
            Op::Prim {
                kind: PrimKind::RecordGet,
                args: RegRange::new(Reg(1), 2),
                dst: Reg(4)
            }
            .to_string(),
            "prim.record_get r1..r3 -> r4"
        );
        assert!(parse_op("prim.frobnicate r1..r2 -> r3").is_err());
    }
}

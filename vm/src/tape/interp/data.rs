//! The effect-free Tape ops on values: lists, strings, tuples, options and tagged values.
//!
//! Takes operand values and produces the result value or an `ExecError`, with the same error
//! constructors the ITree expression evaluator uses for the same operations (type mismatch,
//! index out of bounds, integer overflow). Arithmetic and comparisons are `Val`'s own checked
//! methods and are called directly by the interpreter loop. Decisions where the Tape op has no
//! ITree counterpart: `list.head`/`list.tail` of `[]` and `tuple.get`/`tagged.get` past the end
//! fail with `IndexOutOfBounds`; `opt.unwrap` of `none` fails with `NoMatchingArm { value: none }`
//! (what a `match` without a `none` arm gives in the ITree interpreter).

use crate::budget;
use crate::error::{AvmError, ExecError};
use crate::value::{Record, Val, Variant};
use std::rc::Rc;

fn mismatch(expected: &'static str, found: &Val) -> ExecError {
    ExecError::TypeMismatch {
        expected,
        found: found.kind_name(),
    }
}

fn index_error(index: usize, len: usize) -> ExecError {
    ExecError::IndexOutOfBounds {
        index: i64::try_from(index).unwrap_or(i64::MAX),
        len,
    }
}

fn len_val(n: usize) -> Val {
    Val::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `list.push list, item`.
pub fn list_push(list: &Val, item: &Val) -> Result<Val, AvmError> {
    Ok(Val::List(list.as_list()?.push(item.clone())?))
}

/// `list.concat lhs, rhs`.
pub fn list_concat(lhs: &Val, rhs: &Val) -> Result<Val, AvmError> {
    lhs.as_list()?;
    lhs.concat(rhs)
}

/// `list.len list`.
pub fn list_len(list: &Val) -> Result<Val, ExecError> {
    Ok(len_val(list.as_list()?.len()))
}

/// `list.index list, index`.
pub fn list_index(list: &Val, index: &Val) -> Result<Val, ExecError> {
    list.as_list()?;
    list.item_at(index.as_int()?)
}

/// `list.cons head, tail`.
pub fn list_cons(head: &Val, tail: &Val) -> Result<Val, AvmError> {
    Ok(Val::List(tail.as_list()?.cons(head.clone())?))
}

/// `list.head list`.
pub fn list_head(list: &Val) -> Result<Val, ExecError> {
    list.as_list()?.first().ok_or_else(|| index_error(0, 0))
}

/// `list.tail list`.
pub fn list_tail(list: &Val) -> Result<Val, ExecError> {
    match list.as_list()?.tail() {
        Some(rest) => Ok(Val::List(rest)),
        None => Err(index_error(0, 0)),
    }
}

/// `list.is_empty list`.
pub fn list_is_empty(list: &Val) -> Result<Val, ExecError> {
    Ok(Val::Bool(list.as_list()?.is_empty()))
}

/// `str.concat lhs, rhs`.
pub fn str_concat(lhs: &Val, rhs: &Val) -> Result<Val, AvmError> {
    lhs.as_str()?;
    lhs.concat(rhs)
}

/// `str.len src`: the number of Unicode scalar values.
pub fn str_len(src: &Val) -> Result<Val, ExecError> {
    let s = src.as_str()?;
    budget::charge_bytes(s.len());
    Ok(len_val(s.chars().count()))
}

/// `tuple.get src, index`.
pub fn tuple_get(src: &Val, index: u16) -> Result<Val, ExecError> {
    match src {
        Val::Tuple(items) => items
            .get(usize::from(index))
            .cloned()
            .ok_or_else(|| index_error(usize::from(index), items.len())),
        other => Err(mismatch("Tuple", other)),
    }
}

/// `opt.is_some src`.
pub fn is_some(src: &Val) -> Result<Val, ExecError> {
    Ok(Val::Bool(src.as_option()?.is_some()))
}

/// `opt.unwrap src`.
pub fn unwrap(src: &Val) -> Result<Val, ExecError> {
    match src.as_option()? {
        Some(v) => Ok(v.clone()),
        None => Err(ExecError::NoMatchingArm {
            value: Val::Nothing,
        }),
    }
}

/// `record name, fields`: a record with positional field names.
pub fn make_record(type_name: &Rc<str>, names: &[Rc<str>], values: &[Val]) -> Val {
    Val::Record(Rc::new(Record {
        type_name: type_name.clone(),
        fields: names.iter().cloned().zip(values.iter().cloned()).collect(),
    }))
}

/// `variant enum, variant, payload`.
pub fn make_variant(enum_name: &Rc<str>, variant: &Rc<str>, payload: &[Val]) -> Val {
    Val::Variant(Variant::new(
        enum_name.clone(),
        variant.clone(),
        payload.iter().map(Val::clone_inline),
    ))
}

/// `tagged.get src, index`: a record's field or a variant's payload value by position.
pub fn tagged_get(src: &Val, index: u16) -> Result<Val, ExecError> {
    let i = usize::from(index);
    match src {
        Val::Record(r) => r
            .fields
            .get(i)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| index_error(i, r.fields.len())),
        Val::Variant(v) => v
            .payload()
            .get(i)
            .cloned()
            .ok_or_else(|| index_error(i, v.payload().len())),
        other => Err(mismatch("Record or Enum", other)),
    }
}

/// `variant.is src, enum, variant`.
pub fn is_variant(src: &Val, enum_name: &Rc<str>, variant: &Rc<str>) -> Val {
    Val::Bool(match src {
        Val::Variant(v) => v.enum_name() == &**enum_name && v.variant() == &**variant,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_ops_fail_cleanly() {
        let empty = Val::list(vec![]);
        assert_eq!(
            list_head(&empty),
            Err(ExecError::IndexOutOfBounds { index: 0, len: 0 })
        );
        assert_eq!(
            list_tail(&empty),
            Err(ExecError::IndexOutOfBounds { index: 0, len: 0 })
        );
        let xs = Val::list(vec![Val::Int(1), Val::Int(2)]);
        assert_eq!(list_tail(&xs).map(|v| v.to_string()), Ok("[2]".into()));
        assert_eq!(
            list_index(&xs, &Val::Int(-1)),
            Err(ExecError::IndexOutOfBounds { index: -1, len: 2 })
        );
        assert_eq!(
            list_len(&Val::Int(3)),
            Err(ExecError::TypeMismatch {
                expected: "List",
                found: "Int"
            })
        );
        assert_eq!(
            str_concat(&Val::Int(1), &Val::str("a")),
            Err(ExecError::TypeMismatch {
                expected: "String",
                found: "Int"
            }
            .into())
        );
        assert_eq!(str_len(&Val::str("héllo")), Ok(Val::Int(5)));
    }
}

//! The AVM value type `Val` and its source-syntax `Display`.
//!
//! Takes nothing but itself: this module defines every value kind the spec and the source language
//! use (checked 64-bit integers, booleans, strings, lists, tuples, options, records, enum variants,
//! object/transaction/machine/controller references, FD variables, unit) and produces their
//! printed form (`12`, `"text"`, `[1, 2]`, `some(3)`, `Point { x: 1, y: 2 }`, `Cell::Hit`, `#3`).
//! Strings, lists and composite values are reference counted, so cloning a `Val` is O(1).
//! Integer arithmetic is checked: overflow and division by zero are errors, never wrapping.

use crate::error::{AvmError, ExecError};
use crate::ids::{ControllerId, MachineId, ObjectId, TxId, VarId};
pub use crate::list::List;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::rc::Rc;

/// A record (struct) value: a type name and named fields in declaration order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The record's type name (`Point`, `ObjectMeta`, ...).
    pub type_name: Rc<str>,
    /// Field names and values, in declaration order.
    pub fields: Vec<(Rc<str>, Val)>,
}

/// An enum variant value: enum name, variant name and positional payload (empty for unit
/// variants), in one reference-counted allocation (the two names, then the payload), so a
/// message variant costs one allocation, not a header and a payload vector.
#[derive(Clone, PartialEq)]
pub struct Variant(Rc<[Val]>);

/// The number of leading slots of a [`Variant`] that hold its names.
const VARIANT_NAMES: usize = 2;

impl Variant {
    /// A variant `enum_name::variant(payload..)` in one allocation (the payload iterator's
    /// `len` sizes it).
    pub fn new(
        enum_name: Rc<str>,
        variant: Rc<str>,
        payload: impl IntoIterator<Item = Val, IntoIter: ExactSizeIterator>,
    ) -> Self {
        let mut p = payload.into_iter();
        let (e, v) = (Val::Str(enum_name), Val::Str(variant));
        let len = p.len();
        let mut next = || p.next().unwrap_or(Val::Unit);
        // Up to four payload values: an array moved into its `Rc` (one allocation and a
        // copy; the general path fills the slice element by element).
        Variant(match len {
            0 => Rc::from([e, v]),
            1 => Rc::from([e, v, next()]),
            2 => Rc::from([e, v, next(), next()]),
            3 => Rc::from([e, v, next(), next(), next()]),
            4 => Rc::from([e, v, next(), next(), next(), next()]),
            n => {
                let mut names = [e, v].into_iter();
                // A counted range's `map` has a length the standard library trusts, so the
                // slice is allocated once at its final size.
                (0..VARIANT_NAMES + n)
                    .map(|_| names.next().unwrap_or_else(&mut next))
                    .collect()
            }
        })
    }

    fn name(&self, slot: usize) -> &str {
        // `new` is the only constructor and puts the names in the first two slots.
        match self.0.get(slot) {
            Some(Val::Str(s)) => s,
            _ => "",
        }
    }

    /// The enum's name (`Cell`).
    pub fn enum_name(&self) -> &str {
        self.name(0)
    }

    /// The variant's name (`Hit`).
    pub fn variant(&self) -> &str {
        self.name(1)
    }

    /// Positional payload values; empty for a unit variant.
    pub fn payload(&self) -> &[Val] {
        self.0.get(VARIANT_NAMES..).unwrap_or(&[])
    }
}

/// The serialized form of a [`Variant`] (the fields of the former `Variant` struct).
#[derive(Serialize)]
#[serde(rename = "Variant")]
struct VariantFields<'a> {
    enum_name: &'a str,
    variant: &'a str,
    payload: &'a [Val],
}

/// A deserialized [`Variant`].
#[derive(Deserialize)]
#[serde(rename = "Variant")]
struct OwnedVariantFields {
    enum_name: Rc<str>,
    variant: Rc<str>,
    payload: Vec<Val>,
}

impl Serialize for Variant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        VariantFields {
            enum_name: self.enum_name(),
            variant: self.variant(),
            payload: self.payload(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Variant {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = OwnedVariantFields::deserialize(deserializer)?;
        Ok(Variant::new(f.enum_name, f.variant, f.payload))
    }
}

impl fmt::Debug for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Variant")
            .field("enum_name", &self.enum_name())
            .field("variant", &self.variant())
            .field("payload", &self.payload())
            .finish()
    }
}

/// An AVM value. Cheap to clone: every heap payload is behind an `Rc`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Val {
    /// `()`.
    Unit,
    /// `true` / `false`.
    Bool(bool),
    /// A 64-bit signed integer; arithmetic on it is checked.
    Int(i64),
    /// A string.
    Str(Rc<str>),
    /// A list (O(1) cons, tail, push and index; `list.rs`).
    List(List),
    /// A tuple (the spec's pairs are 2-tuples).
    Tuple(Rc<[Val]>),
    /// The spec's `nothing` (`none` in source).
    Nothing,
    /// The spec's `just v` (`some(v)` in source).
    Just(Rc<Val>),
    /// A reference to an object.
    Object(ObjectId),
    /// A transaction id.
    Tx(TxId),
    /// A machine id.
    Machine(MachineId),
    /// A controller id.
    Controller(ControllerId),
    /// A record value (also used for the reified spec records such as `ObjectMeta`).
    Record(Rc<Record>),
    /// An enum variant value.
    Variant(Variant),
    /// A finite-domain variable (the FD layer creates these).
    FdVar(VarId),
}

impl Val {
    /// A string value.
    pub fn str(s: &str) -> Val {
        Val::Str(Rc::from(s))
    }

    /// A list value from a vector.
    pub fn list(items: Vec<Val>) -> Val {
        Val::List(List::from_vec(items))
    }

    /// A tuple value from a vector.
    pub fn tuple(items: Vec<Val>) -> Val {
        Val::Tuple(Rc::from(items))
    }

    /// `self.clone()` with integers and booleans copied inline (the derived `clone` is an
    /// out-of-line call through the whole enum); for hot paths that mostly see those.
    #[inline(always)]
    pub fn clone_inline(&self) -> Val {
        match *self {
            Val::Int(i) => Val::Int(i),
            Val::Bool(b) => Val::Bool(b),
            ref v => v.clone(),
        }
    }

    /// `just v`.
    pub fn just(v: Val) -> Val {
        Val::Just(Rc::new(v))
    }

    /// `just v` for `Some(v)`, `nothing` for `None`.
    pub fn from_option(v: Option<Val>) -> Val {
        match v {
            Some(v) => Val::just(v),
            None => Val::Nothing,
        }
    }

    /// A record value.
    pub fn record(type_name: &str, fields: Vec<(&str, Val)>) -> Val {
        Val::Record(Rc::new(Record {
            type_name: Rc::from(type_name),
            fields: fields
                .into_iter()
                .map(|(name, v)| (Rc::from(name), v))
                .collect(),
        }))
    }

    /// An enum variant value.
    pub fn variant(enum_name: &str, variant: &str, payload: Vec<Val>) -> Val {
        Val::Variant(Variant::new(
            Rc::from(enum_name),
            Rc::from(variant),
            payload,
        ))
    }

    /// The name of this value's kind, for error messages (`Int`, `List`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Val::Unit => "Unit",
            Val::Bool(_) => "Bool",
            Val::Int(_) => "Int",
            Val::Str(_) => "String",
            Val::List(_) => "List",
            Val::Tuple(_) => "Tuple",
            Val::Nothing | Val::Just(_) => "Option",
            Val::Object(_) => "Ref",
            Val::Tx(_) => "TxId",
            Val::Machine(_) => "MachineId",
            Val::Controller(_) => "ControllerId",
            Val::Record(_) => "Record",
            Val::Variant(_) => "Enum",
            Val::FdVar(_) => "FdVar",
        }
    }

    fn mismatch(&self, expected: &'static str) -> ExecError {
        ExecError::TypeMismatch {
            expected,
            found: self.kind_name(),
        }
    }

    /// The integer inside, or a type error.
    pub fn as_int(&self) -> Result<i64, ExecError> {
        match self {
            Val::Int(i) => Ok(*i),
            other => Err(other.mismatch("Int")),
        }
    }

    /// The boolean inside, or a type error.
    pub fn as_bool(&self) -> Result<bool, ExecError> {
        match self {
            Val::Bool(b) => Ok(*b),
            other => Err(other.mismatch("Bool")),
        }
    }

    /// The string inside, or a type error.
    pub fn as_str(&self) -> Result<&Rc<str>, ExecError> {
        match self {
            Val::Str(s) => Ok(s),
            other => Err(other.mismatch("String")),
        }
    }

    /// The list elements, or a type error.
    pub fn as_list(&self) -> Result<&List, ExecError> {
        match self {
            Val::List(items) => Ok(items),
            other => Err(other.mismatch("List")),
        }
    }

    /// Element `i` of a list or a tuple (what indexing `v[i]` reads): a type error (expected
    /// `List`) for other values, `IndexOutOfBounds` for a negative index or one past the end
    /// (built only then).
    pub fn item_at(&self, i: i64) -> Result<Val, ExecError> {
        let (item, len) = match self {
            Val::List(items) => (
                usize::try_from(i).ok().and_then(|k| items.get(k)),
                items.len(),
            ),
            Val::Tuple(items) => (
                usize::try_from(i).ok().and_then(|k| items.get(k)).cloned(),
                items.len(),
            ),
            other => return Err(other.mismatch("List")),
        };
        match item {
            Some(v) => Ok(v),
            None => Err(ExecError::IndexOutOfBounds { index: i, len }),
        }
    }

    /// The object id inside, or a type error.
    pub fn as_object(&self) -> Result<ObjectId, ExecError> {
        match self {
            Val::Object(o) => Ok(*o),
            other => Err(other.mismatch("Ref")),
        }
    }

    /// The transaction id inside, or a type error.
    pub fn as_tx(&self) -> Result<TxId, ExecError> {
        match self {
            Val::Tx(t) => Ok(*t),
            other => Err(other.mismatch("TxId")),
        }
    }

    /// The machine id inside, or a type error.
    pub fn as_machine(&self) -> Result<&MachineId, ExecError> {
        match self {
            Val::Machine(m) => Ok(m),
            other => Err(other.mismatch("MachineId")),
        }
    }

    /// The controller id inside, or a type error.
    pub fn as_controller(&self) -> Result<&ControllerId, ExecError> {
        match self {
            Val::Controller(c) => Ok(c),
            other => Err(other.mismatch("ControllerId")),
        }
    }

    /// An option value (`nothing` / `just v`) as a Rust option, or a type error.
    pub fn as_option(&self) -> Result<Option<&Val>, ExecError> {
        match self {
            Val::Nothing => Ok(None),
            Val::Just(v) => Ok(Some(v)),
            other => Err(other.mismatch("Option")),
        }
    }

    /// An optional controller (`nothing` / `just controller(..)`), or a type error.
    pub fn as_opt_controller(&self) -> Result<Option<ControllerId>, ExecError> {
        match self.as_option()? {
            None => Ok(None),
            Some(v) => Ok(Some(v.as_controller()?.clone())),
        }
    }

    /// Checked `+` on integers.
    pub fn checked_add(&self, other: &Val) -> Result<Val, ExecError> {
        int_op(self, other, "+", i64::checked_add)
    }

    /// Checked `-` on integers.
    pub fn checked_sub(&self, other: &Val) -> Result<Val, ExecError> {
        int_op(self, other, "-", i64::checked_sub)
    }

    /// Checked `*` on integers.
    pub fn checked_mul(&self, other: &Val) -> Result<Val, ExecError> {
        int_op(self, other, "*", i64::checked_mul)
    }

    /// Checked `/` on integers (truncating; division by zero is an error).
    pub fn checked_div(&self, other: &Val) -> Result<Val, ExecError> {
        if other.as_int()? == 0 {
            return Err(ExecError::DivisionByZero);
        }
        int_op(self, other, "/", i64::checked_div)
    }

    /// Checked `%` on integers (remainder with the sign of the dividend; zero divisor is an error).
    pub fn checked_rem(&self, other: &Val) -> Result<Val, ExecError> {
        if other.as_int()? == 0 {
            return Err(ExecError::DivisionByZero);
        }
        int_op(self, other, "%", i64::checked_rem)
    }

    /// Checked negation.
    pub fn checked_neg(&self) -> Result<Val, ExecError> {
        let a = self.as_int()?;
        a.checked_neg()
            .map(Val::Int)
            .ok_or(ExecError::IntegerOverflow { op: "-" })
    }

    /// Ordering for `<`, `<=`, `>`, `>=`: defined on integers, strings and booleans of the same kind.
    pub fn compare(&self, other: &Val) -> Result<std::cmp::Ordering, ExecError> {
        match (self, other) {
            (Val::Int(a), Val::Int(b)) => Ok(a.cmp(b)),
            (Val::Str(a), Val::Str(b)) => {
                crate::budget::charge_bytes(a.len().min(b.len()));
                Ok(a.cmp(b))
            }
            (Val::Bool(a), Val::Bool(b)) => Ok(a.cmp(b)),
            (Val::Int(_), other) => Err(other.mismatch("Int")),
            (Val::Str(_), other) => Err(other.mismatch("String")),
            (Val::Bool(_), other) => Err(other.mismatch("Bool")),
            (this, _) => Err(ExecError::NotOrdered {
                kind: this.kind_name(),
            }),
        }
    }

    /// `++`: concatenation of two lists or two strings (charged and checked by `budget`).
    pub fn concat(&self, other: &Val) -> Result<Val, AvmError> {
        match (self, other) {
            (Val::List(a), Val::List(b)) => Ok(Val::List(a.concat(b)?)),
            (Val::Str(a), Val::Str(b)) => {
                crate::budget::build_bytes(a.len().saturating_add(b.len()))?;
                let mut s = String::with_capacity(a.len() + b.len());
                s.push_str(a);
                s.push_str(b);
                Ok(Val::Str(Rc::from(s)))
            }
            (Val::List(_), other) => Err(other.mismatch("List").into()),
            (Val::Str(_), other) => Err(other.mismatch("String").into()),
            (this, _) => Err(this.mismatch("List or String").into()),
        }
    }

    /// `==` (charges comparing long lists, tuples and strings to `budget`).
    #[inline(always)]
    pub fn equals(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Int(a), Val::Int(b)) => a == b,
            _ => self.equals_other(other),
        }
    }

    #[inline(never)]
    fn equals_other(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::List(a), Val::List(b)) => crate::budget::charge(a.len().min(b.len())),
            (Val::Tuple(a), Val::Tuple(b)) => crate::budget::charge(a.len().min(b.len())),
            (Val::Str(a), Val::Str(b)) => crate::budget::charge_bytes(a.len().min(b.len())),
            _ => {}
        }
        self == other
    }

    /// The number of elements of a list or tuple, or bytes of a string (0 for other values):
    /// what printing or copying it touches at its top level.
    pub fn top_size(&self) -> usize {
        match self {
            Val::List(xs) => xs.len(),
            Val::Tuple(xs) => xs.len(),
            Val::Str(s) => s.len() / crate::budget::BYTES_PER_UNIT,
            _ => 0,
        }
    }
}

fn int_op(
    a: &Val,
    b: &Val,
    op: &'static str,
    f: fn(i64, i64) -> Option<i64>,
) -> Result<Val, ExecError> {
    let (x, y) = (a.as_int()?, b.as_int()?);
    f(x, y)
        .map(Val::Int)
        .ok_or(ExecError::IntegerOverflow { op })
}

/// Writes `s` as a quoted source string literal with escapes.
pub fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

fn write_seq(f: &mut fmt::Formatter<'_>, items: &[Val]) -> fmt::Result {
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{v}")?;
    }
    Ok(())
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Unit => f.write_str("()"),
            Val::Bool(b) => write!(f, "{b}"),
            Val::Int(i) => write!(f, "{i}"),
            Val::Str(s) => write_quoted(f, s),
            Val::List(items) => {
                f.write_str("[")?;
                write_seq(f, &items.to_vec())?;
                f.write_str("]")
            }
            Val::Tuple(items) => {
                f.write_str("(")?;
                write_seq(f, items)?;
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            Val::Nothing => f.write_str("none"),
            Val::Just(v) => write!(f, "some({v})"),
            Val::Object(o) => write!(f, "{o}"),
            Val::Tx(t) => write!(f, "tx({t})"),
            Val::Machine(m) => {
                f.write_str("machine(")?;
                write_quoted(f, m.name())?;
                f.write_str(")")
            }
            Val::Controller(c) => {
                f.write_str("controller(")?;
                write_quoted(f, c.name())?;
                f.write_str(")")
            }
            Val::Record(r) => {
                write!(f, "{}", r.type_name)?;
                if r.fields.is_empty() {
                    return f.write_str(" {}");
                }
                f.write_str(" { ")?;
                for (i, (name, v)) in r.fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{name}: {v}")?;
                }
                f.write_str(" }")
            }
            Val::Variant(v) => {
                write!(f, "{}::{}", v.enum_name(), v.variant())?;
                if !v.payload().is_empty() {
                    f.write_str("(")?;
                    write_seq(f, v.payload())?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            Val::FdVar(v) => write!(f, "{v}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn val_is_small() {
        // Fat `Rc<str>` / `Rc<[Val]>` pointers make a Val 24 bytes (see docs/performance.md).
        assert!(std::mem::size_of::<Val>() <= 24);
    }

    #[test]
    fn display_source_syntax() {
        let shown: Vec<String> = [
            Val::Int(12),
            Val::Int(-7),
            Val::Bool(true),
            Val::str("te\"x\nt"),
            Val::list(vec![Val::Int(1), Val::Int(2)]),
            Val::tuple(vec![
                Val::Int(70),
                Val::Int(50),
                Val::Bool(true),
                Val::Bool(false),
            ]),
            Val::tuple(vec![Val::Int(1)]),
            Val::just(Val::str("open")),
            Val::Nothing,
            Val::Unit,
            Val::record("Point", vec![("x", Val::Int(1)), ("y", Val::Int(2))]),
            Val::variant("Cell", "Hit", vec![]),
            Val::variant("Shot", "Sunk", vec![Val::Int(3)]),
            Val::Object(ObjectId(3)),
            Val::Machine(MachineId::new("m0")),
            Val::Controller(ControllerId::new("c1")),
            Val::Tx(TxId(4)),
            Val::FdVar(VarId(1)),
        ]
        .iter()
        .map(|v| v.to_string())
        .collect();
        insta::assert_snapshot!(shown.join("\n"));
    }

    #[test]
    fn checked_arithmetic() {
        let max = Val::Int(i64::MAX);
        assert_eq!(
            max.checked_add(&Val::Int(1)),
            Err(ExecError::IntegerOverflow { op: "+" })
        );
        assert_eq!(
            Val::Int(1).checked_div(&Val::Int(0)),
            Err(ExecError::DivisionByZero)
        );
        assert_eq!(
            Val::Int(1).checked_rem(&Val::Int(0)),
            Err(ExecError::DivisionByZero)
        );
        assert_eq!(
            Val::Int(i64::MIN).checked_div(&Val::Int(-1)),
            Err(ExecError::IntegerOverflow { op: "/" })
        );
        assert_eq!(Val::Int(7).checked_rem(&Val::Int(3)), Ok(Val::Int(1)));
        assert_eq!(
            Val::Int(1).checked_add(&Val::Bool(true)),
            Err(ExecError::TypeMismatch {
                expected: "Int",
                found: "Bool"
            })
        );
        assert!(Val::Int(i64::MIN).checked_neg().is_err());
    }

    #[test]
    fn concat_and_compare() {
        let a = Val::list(vec![Val::Int(1)]);
        let b = Val::list(vec![Val::Int(2)]);
        assert_eq!(a.concat(&b).map(|v| v.to_string()), Ok("[1, 2]".into()));
        assert_eq!(Val::str("ab").concat(&Val::str("c")), Ok(Val::str("abc")));
        assert_eq!(
            Val::Int(1).compare(&Val::Int(2)),
            Ok(std::cmp::Ordering::Less)
        );
        assert!(Val::Unit.compare(&Val::Unit).is_err());
    }

    #[test]
    fn variant_parts_and_serde_round_trip() {
        let v = Val::variant("Shot", "Sunk", vec![Val::Int(3), Val::str("x")]);
        let Val::Variant(x) = &v else {
            unreachable!("a variant")
        };
        assert_eq!(
            (x.enum_name(), x.variant(), x.payload()),
            ("Shot", "Sunk", &[Val::Int(3), Val::str("x")][..])
        );
        // The wire form is the former struct's: the two names, then the payload.
        #[derive(Serialize)]
        struct Former {
            enum_name: Rc<str>,
            variant: Rc<str>,
            payload: Vec<Val>,
        }
        let former = Former {
            enum_name: Rc::from("Shot"),
            variant: Rc::from("Sunk"),
            payload: vec![Val::Int(3), Val::str("x")],
        };
        let bytes = postcard::to_stdvec(&v).expect("serializes");
        let former_bytes = postcard::to_stdvec(&former).expect("serializes");
        assert!(bytes.ends_with(&former_bytes));
        assert_eq!(postcard::from_bytes::<Val>(&bytes).ok(), Some(v));
        for n in 0..8 {
            let payload: Vec<Val> = (0..n).map(Val::Int).collect();
            let Val::Variant(x) = Val::variant("E", "V", payload.clone()) else {
                unreachable!("a variant")
            };
            assert_eq!(
                (x.enum_name(), x.variant(), x.payload()),
                ("E", "V", &payload[..])
            );
        }
        let unit = Val::variant("Cell", "Hit", vec![]);
        assert!(matches!(&unit, Val::Variant(u) if u.payload().is_empty()));
        assert_eq!(
            format!("{unit:?}"),
            r#"Variant(Variant { enum_name: "Cell", variant: "Hit", payload: [] })"#
        );
    }

    #[test]
    fn clone_is_shallow() {
        let big = Val::list((0..1000).map(Val::Int).collect());
        let copy = big.clone();
        match (&big, &copy) {
            (Val::List(a), Val::List(b)) => assert!(List::ptr_eq(a, b)),
            _ => unreachable!("both are lists"),
        }
    }
}

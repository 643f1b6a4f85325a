//! Parsing one op line.
//!
//! Takes a [`Cursor`] positioned after the op's mnemonic; produces the [`Op`] plus the
//! symbolic references it contains (a label name, an `@name` function reference) that the
//! program parser resolves once the whole function or program is known.

use super::cursor::Cursor;
use super::error::{ParseError, ParseErrorKind};
use crate::tape::effect::{EffectKind, FunctionOperand};
use crate::tape::op::{FuncIdx, Op, Reg, Target};
use crate::tape::prim::PrimKind;

/// A reference by name that is resolved after the line is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameRef {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// An op and its unresolved references. While a reference is pending, the op holds a
/// placeholder (`Target(0)` / `FuncIdx(0)`).
#[derive(Debug)]
pub(crate) struct ParsedOp {
    pub op: Op,
    pub label: Option<NameRef>,
    pub function: Option<NameRef>,
}

type Unary = fn(Reg, Reg) -> Op;
type Binary = fn(Reg, Reg, Reg) -> Op;

/// Ops of the form `<mnemonic> src -> dst`.
fn unary(mnemonic: &str) -> Option<Unary> {
    let make: Unary = match mnemonic {
        "move" => |dst, src| Op::Move { dst, src },
        "neg" => |dst, src| Op::Neg { dst, src },
        "not" => |dst, src| Op::Not { dst, src },
        "list.len" => |dst, list| Op::ListLen { dst, list },
        "list.head" => |dst, list| Op::ListHead { dst, list },
        "list.tail" => |dst, list| Op::ListTail { dst, list },
        "list.is_empty" => |dst, list| Op::ListIsEmpty { dst, list },
        "str.len" => |dst, src| Op::StrLen { dst, src },
        "some" => |dst, src| Op::MakeSome { dst, src },
        "opt.is_some" => |dst, src| Op::IsSome { dst, src },
        "opt.unwrap" => |dst, src| Op::Unwrap { dst, src },
        _ => return None,
    };
    Some(make)
}

/// Ops of the form `<mnemonic> a, b -> dst`.
fn binary(mnemonic: &str) -> Option<Binary> {
    let make: Binary = match mnemonic {
        "add" => |dst, lhs, rhs| Op::Add { dst, lhs, rhs },
        "sub" => |dst, lhs, rhs| Op::Sub { dst, lhs, rhs },
        "mul" => |dst, lhs, rhs| Op::Mul { dst, lhs, rhs },
        "div" => |dst, lhs, rhs| Op::Div { dst, lhs, rhs },
        "rem" => |dst, lhs, rhs| Op::Rem { dst, lhs, rhs },
        "eq" => |dst, lhs, rhs| Op::Eq { dst, lhs, rhs },
        "ne" => |dst, lhs, rhs| Op::Ne { dst, lhs, rhs },
        "lt" => |dst, lhs, rhs| Op::Lt { dst, lhs, rhs },
        "le" => |dst, lhs, rhs| Op::Le { dst, lhs, rhs },
        "gt" => |dst, lhs, rhs| Op::Gt { dst, lhs, rhs },
        "ge" => |dst, lhs, rhs| Op::Ge { dst, lhs, rhs },
        "and" => |dst, lhs, rhs| Op::And { dst, lhs, rhs },
        "or" => |dst, lhs, rhs| Op::Or { dst, lhs, rhs },
        "list.push" => |dst, list, item| Op::ListPush { dst, list, item },
        "list.concat" => |dst, lhs, rhs| Op::ListConcat { dst, lhs, rhs },
        "list.index" => |dst, list, index| Op::ListIndex { dst, list, index },
        "list.cons" => |dst, head, tail| Op::ListCons { dst, head, tail },
        "str.concat" => |dst, lhs, rhs| Op::StrConcat { dst, lhs, rhs },
        _ => return None,
    };
    Some(make)
}

/// `-> dst` then the end of the line.
fn dst(cur: &mut Cursor<'_>) -> Result<Reg, ParseError> {
    cur.arrow()?;
    cur.reg()
}

/// A function reference: `f<index>` or `@name` / `@"quoted name"`.
pub(crate) fn function_ref(cur: &mut Cursor<'_>) -> Result<(FuncIdx, Option<NameRef>), ParseError> {
    if cur.eat('@') {
        let (line, column) = (cur.line(), cur.column());
        let name = if cur.peek() == Some('"') {
            cur.string()?
        } else {
            let word = cur.word();
            if word.is_empty() {
                return Err(cur.expected("a function name after `@`"));
            }
            word.to_owned()
        };
        Ok((FuncIdx(0), Some(NameRef { name, line, column })))
    } else {
        let idx = cur.prefixed('f', "a function such as `f2` or `@name`")?;
        Ok((FuncIdx(idx), None))
    }
}

fn label_ref(cur: &mut Cursor<'_>) -> Result<NameRef, ParseError> {
    cur.skip_ws();
    let (line, column) = (cur.line(), cur.column());
    let name = cur.word();
    if name.is_empty() {
        return Err(cur.expected("a label such as `L4`"));
    }
    Ok(NameRef {
        name: name.to_owned(),
        line,
        column,
    })
}

/// Parses the operands of `mnemonic` (already consumed) up to the end of the line.
/// `mnemonic_at` is the cursor mark of the mnemonic, for errors about it.
pub(crate) fn parse_op(
    cur: &mut Cursor<'_>,
    mnemonic: &str,
    mnemonic_at: usize,
) -> Result<ParsedOp, ParseError> {
    let mut label = None;
    let mut function = None;
    let op = if let Some(make) = unary(mnemonic) {
        let src = cur.reg()?;
        make(dst(cur)?, src)
    } else if let Some(make) = binary(mnemonic) {
        let lhs = cur.reg()?;
        cur.comma()?;
        let rhs = cur.reg()?;
        make(dst(cur)?, lhs, rhs)
    } else if let Some(name) = mnemonic.strip_prefix("fx.") {
        let Some(kind) = EffectKind::from_name(name) else {
            return Err(cur.error_at(mnemonic_at, ParseErrorKind::UnknownEffect(name.to_owned())));
        };
        match kind.function_operand() {
            FunctionOperand::None => {
                let args = cur.optional_range()?;
                Op::Effect {
                    kind,
                    args,
                    dst: dst(cur)?,
                }
            }
            FunctionOperand::Predicate { .. } | FunctionOperand::PureImplementation => {
                let (func, name_ref) = function_ref(cur)?;
                function = name_ref;
                let args = cur.optional_comma_range()?;
                Op::EffectWithFunction {
                    kind,
                    func,
                    args,
                    dst: dst(cur)?,
                }
            }
        }
    } else if let Some(name) = mnemonic.strip_prefix("prim.") {
        let Some(kind) = PrimKind::from_name(name) else {
            return Err(cur.error_at(mnemonic_at, ParseErrorKind::UnknownPrim(name.to_owned())));
        };
        let args = cur.optional_range()?;
        Op::Prim {
            kind,
            args,
            dst: dst(cur)?,
        }
    } else {
        match mnemonic {
            "const" => {
                let idx = cur.prefixed('c', "a constant such as `c0`")?;
                Op::LoadConst {
                    idx: crate::tape::op::ConstIdx(idx),
                    dst: dst(cur)?,
                }
            }
            "unit" => Op::LoadUnit { dst: dst(cur)? },
            "none" => Op::LoadNone { dst: dst(cur)? },
            "bool" => {
                let at = cur.mark();
                let value = match cur.word() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(cur.expected_at(at, "`true` or `false`")),
                };
                Op::LoadBool {
                    value,
                    dst: dst(cur)?,
                }
            }
            "int" => {
                let value = cur.number("a 32-bit integer immediate")?;
                Op::LoadInt {
                    value,
                    dst: dst(cur)?,
                }
            }
            "list" => {
                let items = cur.optional_range()?;
                Op::MakeList {
                    items,
                    dst: dst(cur)?,
                }
            }
            "tuple" => {
                let items = cur.optional_range()?;
                Op::MakeTuple {
                    items,
                    dst: dst(cur)?,
                }
            }
            "tuple.get" | "tagged.get" => {
                let src = cur.reg()?;
                cur.comma()?;
                let index = cur.number("a field index (0 to 65535)")?;
                let dst = dst(cur)?;
                if mnemonic == "tuple.get" {
                    Op::TupleGet { dst, src, index }
                } else {
                    Op::TaggedGet { dst, src, index }
                }
            }
            "record" => {
                let name = string_idx(cur)?;
                let fields = cur.optional_comma_range()?;
                Op::MakeRecord {
                    name,
                    fields,
                    dst: dst(cur)?,
                }
            }
            "variant" => {
                let enum_name = string_idx(cur)?;
                cur.comma()?;
                let variant = string_idx(cur)?;
                let payload = cur.optional_comma_range()?;
                Op::MakeVariant {
                    enum_name,
                    variant,
                    payload,
                    dst: dst(cur)?,
                }
            }
            "variant.is" => {
                let src = cur.reg()?;
                cur.comma()?;
                let enum_name = string_idx(cur)?;
                cur.comma()?;
                let variant = string_idx(cur)?;
                Op::IsVariant {
                    src,
                    enum_name,
                    variant,
                    dst: dst(cur)?,
                }
            }
            "jump" => {
                label = Some(label_ref(cur)?);
                Op::Jump { target: Target(0) }
            }
            "br" | "brnot" => {
                let cond = cur.reg()?;
                cur.comma()?;
                label = Some(label_ref(cur)?);
                if mnemonic == "br" {
                    Op::BranchIf {
                        cond,
                        target: Target(0),
                    }
                } else {
                    Op::BranchIfNot {
                        cond,
                        target: Target(0),
                    }
                }
            }
            "call" => {
                let (func, name_ref) = function_ref(cur)?;
                function = name_ref;
                let args = cur.optional_comma_range()?;
                Op::Call {
                    func,
                    args,
                    dst: dst(cur)?,
                }
            }
            "tail" => {
                let (func, name_ref) = function_ref(cur)?;
                function = name_ref;
                let args = cur.optional_comma_range()?;
                Op::TailCall { func, args }
            }
            "ret" => Op::Ret { src: cur.reg()? },
            "fail" => Op::Fail {
                message: string_idx(cur)?,
            },
            "fail.value" => Op::FailValue { src: cur.reg()? },
            "fail.nomatch" => Op::FailNoMatch { src: cur.reg()? },
            "try" => {
                label = Some(label_ref(cur)?);
                Op::TryBegin {
                    handler: Target(0),
                    dst: dst(cur)?,
                }
            }
            "try.end" => Op::TryEnd,
            "print" => Op::Print { src: cur.reg()? },
            "field.get" => {
                let field = cur.number("a state field index (0 to 65535)")?;
                Op::FieldGet {
                    field,
                    dst: dst(cur)?,
                }
            }
            "field.set" => {
                let field = cur.number("a state field index (0 to 65535)")?;
                cur.comma()?;
                Op::FieldSet {
                    field,
                    src: cur.reg()?,
                }
            }
            _ => {
                return Err(cur.error_at(
                    mnemonic_at,
                    ParseErrorKind::UnknownMnemonic(mnemonic.to_owned()),
                ));
            }
        }
    };
    cur.end()?;
    Ok(ParsedOp {
        op,
        label,
        function,
    })
}

fn string_idx(cur: &mut Cursor<'_>) -> Result<crate::tape::op::StrIdx, ParseError> {
    cur.prefixed('s', "a string such as `s0`")
        .map(crate::tape::op::StrIdx)
}

//! Proptest generators of random Tape programs, shared by the Tape integration tests.
//!
//! `program()` produces syntactically well-formed programs (unique function names, jump
//! targets inside their function) with arbitrary operands, strings and constants.
#![allow(dead_code)]

use avm_vm::tape::*;
use proptest::collection::vec;
use proptest::prelude::*;

pub fn reg() -> impl Strategy<Value = Reg> {
    prop_oneof![3 => (0u16..8).prop_map(Reg), 1 => any::<u16>().prop_map(Reg)]
}

pub fn range() -> impl Strategy<Value = RegRange> {
    prop_oneof![
        1 => Just(RegRange::EMPTY),
        4 => (0u16..8, 0u16..4).prop_map(|(s, n)| RegRange::new(Reg(s), n)),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(s, n)| RegRange::new(Reg(s), n)),
    ]
}

pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z_.:]{1,12}",
        1 => any::<String>(),
        1 => "[\"\\\\;\n\t\r\u{0}\u{7f}é→]{0,6}",
    ]
}

pub fn constant() -> impl Strategy<Value = Const> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Const::Int),
        any::<bool>().prop_map(Const::Bool),
        text().prop_map(Const::Str),
        Just(Const::Unit),
        Just(Const::None),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Const::List),
            vec(inner.clone(), 0..4).prop_map(Const::Tuple),
            inner.prop_map(|c| Const::Some(Box::new(c))),
        ]
    })
}

fn idx() -> impl Strategy<Value = u32> {
    prop_oneof![3 => 0u32..6, 1 => any::<u32>()]
}

/// An op whose jump target (if any) is a placeholder to be reduced modulo the function length.
pub fn op() -> impl Strategy<Value = Op> {
    let r = reg;
    let simple = prop_oneof![
        (r(), idx()).prop_map(|(dst, i)| Op::LoadConst {
            dst,
            idx: ConstIdx(i)
        }),
        r().prop_map(|dst| Op::LoadUnit { dst }),
        (r(), any::<bool>()).prop_map(|(dst, value)| Op::LoadBool { dst, value }),
        (r(), any::<i32>()).prop_map(|(dst, value)| Op::LoadInt { dst, value }),
        (r(), r()).prop_map(|(dst, src)| Op::Move { dst, src }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Add { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Sub { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Mul { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Div { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Rem { dst, lhs, rhs }),
        (r(), r()).prop_map(|(dst, src)| Op::Neg { dst, src }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Eq { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Ne { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Lt { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Le { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Gt { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Ge { dst, lhs, rhs }),
        (r(), r()).prop_map(|(dst, src)| Op::Not { dst, src }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::And { dst, lhs, rhs }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::Or { dst, lhs, rhs }),
    ];
    let aggregates = prop_oneof![
        (r(), range()).prop_map(|(dst, items)| Op::MakeList { dst, items }),
        (r(), r(), r()).prop_map(|(dst, list, item)| Op::ListPush { dst, list, item }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::ListConcat { dst, lhs, rhs }),
        (r(), r()).prop_map(|(dst, list)| Op::ListLen { dst, list }),
        (r(), r(), r()).prop_map(|(dst, list, index)| Op::ListIndex { dst, list, index }),
        (r(), r(), r()).prop_map(|(dst, head, tail)| Op::ListCons { dst, head, tail }),
        (r(), r()).prop_map(|(dst, list)| Op::ListHead { dst, list }),
        (r(), r()).prop_map(|(dst, list)| Op::ListTail { dst, list }),
        (r(), r()).prop_map(|(dst, list)| Op::ListIsEmpty { dst, list }),
        (r(), r(), r()).prop_map(|(dst, lhs, rhs)| Op::StrConcat { dst, lhs, rhs }),
        (r(), r()).prop_map(|(dst, src)| Op::StrLen { dst, src }),
        (r(), range()).prop_map(|(dst, items)| Op::MakeTuple { dst, items }),
        (r(), r(), any::<u16>()).prop_map(|(dst, src, index)| Op::TupleGet { dst, src, index }),
        (r(), r()).prop_map(|(dst, src)| Op::MakeSome { dst, src }),
        r().prop_map(|dst| Op::LoadNone { dst }),
        (r(), r()).prop_map(|(dst, src)| Op::IsSome { dst, src }),
        (r(), r()).prop_map(|(dst, src)| Op::Unwrap { dst, src }),
        (r(), idx(), range()).prop_map(|(dst, n, fields)| Op::MakeRecord {
            dst,
            name: StrIdx(n),
            fields
        }),
        (r(), idx(), idx(), range()).prop_map(|(dst, e, v, payload)| Op::MakeVariant {
            dst,
            enum_name: StrIdx(e),
            variant: StrIdx(v),
            payload
        }),
        (r(), r(), any::<u16>()).prop_map(|(dst, src, index)| Op::TaggedGet { dst, src, index }),
        (r(), r(), idx(), idx()).prop_map(|(dst, src, e, v)| Op::IsVariant {
            dst,
            src,
            enum_name: StrIdx(e),
            variant: StrIdx(v)
        }),
    ];
    let control = prop_oneof![
        any::<u32>().prop_map(|t| Op::Jump { target: Target(t) }),
        (r(), any::<u32>()).prop_map(|(cond, t)| Op::BranchIf {
            cond,
            target: Target(t)
        }),
        (r(), any::<u32>()).prop_map(|(cond, t)| Op::BranchIfNot {
            cond,
            target: Target(t)
        }),
        (r(), idx(), range()).prop_map(|(dst, f, args)| Op::Call {
            dst,
            func: FuncIdx(f),
            args
        }),
        (idx(), range()).prop_map(|(f, args)| Op::TailCall {
            func: FuncIdx(f),
            args
        }),
        r().prop_map(|src| Op::Ret { src }),
        idx().prop_map(|m| Op::Fail { message: StrIdx(m) }),
        r().prop_map(|src| Op::Print { src }),
        (r(), any::<u16>()).prop_map(|(dst, field)| Op::FieldGet { dst, field }),
        (any::<u16>(), r()).prop_map(|(field, src)| Op::FieldSet { field, src }),
        (0..EffectKind::ALL.len(), range(), r(), idx()).prop_map(|(k, args, dst, f)| {
            let kind = EffectKind::ALL[k];
            match kind.function_operand() {
                FunctionOperand::None => Op::Effect { kind, args, dst },
                _ => Op::EffectWithFunction {
                    kind,
                    func: FuncIdx(f),
                    args,
                    dst,
                },
            }
        }),
    ];
    prop_oneof![simple, aggregates, control]
}

pub fn function() -> impl Strategy<Value = Function> {
    (
        text(),
        any::<u16>(),
        any::<u16>(),
        any::<bool>(),
        0..FunctionKind::ALL.len(),
        vec(op(), 0..24),
    )
        .prop_map(|(name, params, registers, is_safe, kind, mut ops)| {
            let len = ops.len() as u32;
            for op in &mut ops {
                if let Some(t) = op.target_mut() {
                    t.0 %= len.max(1);
                }
            }
            Function {
                name,
                params,
                registers,
                safety: if is_safe {
                    Safety::Safe
                } else {
                    Safety::Unsafe
                },
                kind: FunctionKind::ALL[kind],
                ops,
            }
        })
}

pub fn behaviour() -> impl Strategy<Value = Behaviour> {
    (text(), idx(), vec(text(), 0..4)).prop_map(|(name, d, fields)| Behaviour {
        name,
        dispatch: FuncIdx(d),
        fields,
    })
}

/// A program with unique function names (required by the text format).
pub fn program() -> impl Strategy<Value = Program> {
    (
        vec(function(), 0..5),
        vec(constant(), 0..5),
        vec(text(), 0..5),
        vec(behaviour(), 0..3),
        proptest::option::of(idx()),
    )
        .prop_map(|(mut functions, constants, strings, behaviours, entry)| {
            for (i, f) in functions.iter_mut().enumerate() {
                f.name = format!("{}#{i}", f.name);
            }
            Program {
                functions,
                constants,
                strings,
                behaviours,
                entry: entry.map(FuncIdx),
            }
        })
}

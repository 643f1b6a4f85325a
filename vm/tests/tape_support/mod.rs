//! Proptest generators of random Tape programs, shared by the Tape integration tests.
//!
//! `program()` produces syntactically well-formed programs (unique function names, jump
//! targets inside their function) with arbitrary operands, strings and constants.
#![allow(dead_code)]

pub mod counter;

use avm_vm::tape::*;
use proptest::collection::vec;
use proptest::prelude::*;

/// Whether operands stay small (registers < 8, ranges end <= 12, indices < 6), so that a
/// repaired program passes the verifier.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Operands {
    Small,
    Any,
}

pub fn reg_in(operands: Operands) -> BoxedStrategy<Reg> {
    match operands {
        Operands::Small => (0u16..8).prop_map(Reg).boxed(),
        Operands::Any => {
            prop_oneof![3 => (0u16..8).prop_map(Reg), 1 => any::<u16>().prop_map(Reg)].boxed()
        }
    }
}

pub fn range_in(operands: Operands) -> BoxedStrategy<RegRange> {
    let small = prop_oneof![
        1 => Just(RegRange::EMPTY),
        4 => (0u16..8, 0u16..4).prop_map(|(s, n)| RegRange::new(Reg(s), n)),
    ];
    match operands {
        Operands::Small => small.boxed(),
        Operands::Any => prop_oneof![
            5 => small,
            1 => (any::<u16>(), any::<u16>()).prop_map(|(s, n)| RegRange::new(Reg(s), n)),
        ]
        .boxed(),
    }
}

pub fn idx_in(operands: Operands) -> BoxedStrategy<u32> {
    match operands {
        Operands::Small => (0u32..6).boxed(),
        Operands::Any => prop_oneof![3 => 0u32..6, 1 => any::<u32>()].boxed(),
    }
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

/// An op whose jump target (if any) is a placeholder to be reduced modulo the function length.
pub fn op() -> impl Strategy<Value = Op> {
    op_in(Operands::Any)
}

/// An op with operands of the given size class.
pub fn op_in(operands: Operands) -> impl Strategy<Value = Op> {
    let r = move || reg_in(operands);
    let range = move || range_in(operands);
    let idx = move || idx_in(operands);
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
        (r(), any::<u32>()).prop_map(|(dst, t)| Op::TryBegin {
            handler: Target(t),
            dst
        }),
        Just(Op::TryEnd),
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
    function_in(Operands::Any)
}

pub fn function_in(operands: Operands) -> impl Strategy<Value = Function> {
    (
        text(),
        any::<u16>(),
        any::<u16>(),
        any::<bool>(),
        0..FunctionKind::ALL.len(),
        vec(op_in(operands), 0..24),
        vec(
            (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()),
            0..4,
        ),
    )
        .prop_map(
            |(name, params, registers, is_safe, kind, mut ops, raw_spans)| {
                let len = ops.len() as u32;
                for op in &mut ops {
                    if let Some(t) = op.target_mut() {
                        t.0 %= len.max(1);
                    }
                }
                // Span entries at distinct ops in increasing order (the text format can only say
                // "from the next op on").
                let mut spans: Vec<SpanEntry> = raw_spans
                    .into_iter()
                    .map(|(op, source, start, end)| SpanEntry {
                        op: op % len.max(1),
                        loc: avm_vm::srcloc::SrcLoc {
                            source: source % 4,
                            start,
                            end,
                        },
                    })
                    .collect();
                spans.sort_by_key(|e| e.op);
                spans.dedup_by_key(|e| e.op);
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
                    spans,
                }
            },
        )
}

pub fn behaviour() -> impl Strategy<Value = Behaviour> {
    (text(), idx_in(Operands::Any), vec(text(), 0..4)).prop_map(|(name, d, fields)| Behaviour {
        name,
        dispatch: FuncIdx(d),
        fields,
    })
}

/// A program with unique function names (required by the text format).
pub fn program() -> impl Strategy<Value = Program> {
    program_in(Operands::Any)
}

fn program_in(operands: Operands) -> impl Strategy<Value = Program> {
    (
        vec(function_in(operands), 0..5),
        vec(constant(), 0..5),
        vec(text(), 0..5),
        vec(behaviour(), 0..3),
        proptest::option::of(idx_in(Operands::Any)),
        vec(text(), 0..3),
    )
        .prop_map(
            |(mut functions, constants, strings, behaviours, entry, sources)| {
                for (i, f) in functions.iter_mut().enumerate() {
                    f.name = format!("{}#{i}", f.name);
                }
                Program {
                    functions,
                    constants,
                    strings,
                    behaviours,
                    entry: entry.map(FuncIdx),
                    sources,
                }
            },
        )
}

/// A program that passes the verifier: a random small-operand program, repaired.
pub fn valid_program() -> impl Strategy<Value = Program> {
    program_in(Operands::Small).prop_map(repair)
}

fn simple(name: &str, kind: FunctionKind, params: u16) -> Function {
    Function {
        name: name.into(),
        params,
        registers: params.max(1),
        safety: Safety::Safe,
        kind,
        ops: vec![Op::LoadUnit { dst: Reg(0) }, Op::Ret { src: Reg(0) }],
        spans: Vec::new(),
    }
}

/// Makes a small-operand program satisfy every verifier rule.
fn repair(mut p: Program) -> Program {
    const REGISTERS: u16 = 16;
    while p.strings.len() < 6 {
        p.strings.push(format!("pad{}", p.strings.len()));
    }
    while p.constants.len() < 6 {
        p.constants.push(Const::Int(p.constants.len() as i64));
    }
    // Helper functions; generated names all contain `#`, these do not.
    let pred1 = p.functions.len() as u32;
    p.functions.push(simple("pred1", FunctionKind::Pure, 1));
    p.functions.push(simple("pred2", FunctionKind::Pure, 2));
    let dispatch = p.functions.len() as u32;
    p.functions
        .push(simple("dispatch", FunctionKind::Dispatch, 1));
    let main = p.functions.len() as u32;
    p.functions.push(simple("main", FunctionKind::Main, 0));
    while p.functions.len() < 6 {
        let name = format!("pad{}", p.functions.len());
        p.functions.push(simple(&name, FunctionKind::Plain, 0));
    }
    for f in &mut p.functions {
        f.params = match f.kind {
            FunctionKind::Dispatch => 1,
            FunctionKind::Main => 0,
            _ => f.params % 4,
        };
        f.registers = f.registers.max(f.params);
    }
    let signatures: Vec<(u16, FunctionKind)> =
        p.functions.iter().map(|f| (f.params, f.kind)).collect();
    for f in &mut p.functions {
        if f.name.contains('#') {
            f.registers = REGISTERS;
            f.safety = if f.kind == FunctionKind::Pure {
                Safety::Safe
            } else {
                Safety::Unsafe
            };
        }
        let pure = f.kind == FunctionKind::Pure;
        for op in &mut f.ops {
            let unit = Op::LoadUnit { dst: Reg(0) };
            match op {
                Op::Call { func, args, .. } | Op::TailCall { func, args } => {
                    let (params, kind) = signatures[func.0 as usize];
                    args.len = params;
                    if pure && kind != FunctionKind::Pure {
                        *op = unit;
                    }
                }
                Op::Effect { kind, args, .. } => {
                    args.len = kind.arity();
                    if pure && *kind != EffectKind::CallPure {
                        *op = unit;
                    }
                }
                Op::EffectWithFunction {
                    kind, func, args, ..
                } => {
                    args.len = kind.arity();
                    *func = FuncIdx(match kind.function_operand() {
                        FunctionOperand::Predicate { params: 2 } => pred1 + 1,
                        _ => pred1,
                    });
                    if pure {
                        *op = unit;
                    }
                }
                Op::Print { .. } | Op::FieldGet { .. } | Op::FieldSet { .. } if pure => *op = unit,
                // Random scopes rarely nest; the catch ops are tested by hand.
                Op::TryBegin { .. } | Op::TryEnd => *op = unit,
                _ => {}
            }
        }
        if f.ops.last().is_none_or(Op::falls_through) {
            f.ops.push(Op::Ret { src: Reg(0) });
        }
        while p.sources.len() < 4 {
            p.sources.push(format!("src{}.avm", p.sources.len()));
        }
        for e in &mut f.spans {
            if e.loc.end < e.loc.start {
                std::mem::swap(&mut e.loc.start, &mut e.loc.end);
            }
        }
    }
    for (i, b) in p.behaviours.iter_mut().enumerate() {
        b.name = format!("{}#{i}", b.name);
        b.dispatch = FuncIdx(dispatch);
        for (j, field) in b.fields.iter_mut().enumerate() {
            field.push_str(&format!("#{j}"));
        }
    }
    p.entry = p.entry.map(|_| FuncIdx(main));
    p
}

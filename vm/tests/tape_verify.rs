//! The Tape verifier: the samples pass; each rule is broken by a small program and reported
//! with its location and data.

use avm_vm::tape::parse::parse_program;
use avm_vm::tape::verify::{Location, VerifyErrorKind, verify};
use avm_vm::tape::*;

fn kinds(text: &str) -> Vec<VerifyErrorKind> {
    let program = parse_program(text).unwrap_or_else(|e| panic!("{e}"));
    match verify(&program) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.kind).collect(),
    }
}

/// A function header plus body, then `.end`.
fn func(header: &str, body: &str) -> String {
    format!(".func {header}\n{body}\n.end\n")
}

#[test]
fn samples_verify() {
    for program in [
        samples::counter().expect("builds"),
        samples::fib(10).expect("builds"),
        samples::ping_pong(3).expect("builds"),
    ] {
        assert_eq!(verify(&program), Ok(()));
    }
}

#[test]
fn register_out_of_range() {
    let text = func(
        "\"f\" params=0 regs=2 safe plain",
        "    move r1 -> r2\n    ret r0",
    );
    assert_eq!(
        kinds(&text),
        [VerifyErrorKind::RegisterOutOfRange {
            reg: Reg(2),
            registers: 2
        }]
    );
}

#[test]
fn register_range_out_of_bounds() {
    let text = func(
        "\"f\" params=0 regs=2 safe plain",
        "    list r1..r3 -> r0\n    ret r0",
    );
    assert_eq!(
        kinds(&text),
        [VerifyErrorKind::RangeOutOfBounds {
            range: RegRange::new(Reg(1), 2),
            registers: 2
        }]
    );
}

#[test]
fn params_must_fit_in_registers() {
    let text = func("\"f\" params=3 regs=1 safe plain", "    ret r0");
    assert_eq!(
        kinds(&text),
        [VerifyErrorKind::ParamsExceedRegisters {
            params: 3,
            registers: 1
        }]
    );
}

#[test]
fn constant_and_string_indices_in_range() {
    let text = format!(
        ".string s0 \"only\"\n{}",
        func(
            "\"f\" params=0 regs=1 safe plain",
            "    const c0 -> r0\n    record s1 -> r0\n    fail s0"
        )
    );
    assert_eq!(
        kinds(&text),
        [
            VerifyErrorKind::ConstantOutOfRange {
                idx: ConstIdx(0),
                len: 0
            },
            VerifyErrorKind::StringOutOfRange {
                idx: StrIdx(1),
                len: 1
            },
        ]
    );
}

#[test]
fn jump_targets_inside_the_function() {
    let text = func(
        "\"f\" params=0 regs=1 safe plain",
        "    bool true -> r0\n    br r0, out\n    ret r0\nout:",
    );
    assert_eq!(
        kinds(&text),
        [VerifyErrorKind::TargetOutOfRange {
            target: Target(3),
            len: 3
        }]
    );
}

#[test]
fn call_arity_matches_the_callee() {
    let text = [
        func("\"two\" params=2 regs=2 safe plain", "    ret r0"),
        func(
            "\"f\" params=0 regs=3 safe plain",
            "    call @two, r0..r1 -> r2\n    tail @two, r0..r3",
        ),
    ]
    .concat();
    assert_eq!(
        kinds(&text),
        [
            VerifyErrorKind::CallArity {
                callee: FuncIdx(0),
                expected: 2,
                found: 1
            },
            VerifyErrorKind::CallArity {
                callee: FuncIdx(0),
                expected: 2,
                found: 3
            },
        ]
    );
}

#[test]
fn called_function_must_exist() {
    let text = func(
        "\"f\" params=0 regs=1 safe plain",
        "    call f7 -> r0\n    ret r0",
    );
    assert_eq!(
        kinds(&text),
        [VerifyErrorKind::FunctionOutOfRange {
            idx: FuncIdx(7),
            len: 1
        }]
    );
}

#[test]
fn effect_arity_matches_the_instruction() {
    let text = func(
        "\"f\" params=0 regs=3 safe plain",
        "    fx.createObj r0..r1 -> r2\n    ret r2",
    );
    assert_eq!(
        kinds(&text),
        [VerifyErrorKind::EffectArity {
            kind: EffectKind::CreateObj,
            expected: 2,
            found: 1
        }]
    );
}

#[test]
fn unsafe_effects_only_in_unsafe_functions() {
    let body = "    fx.reflect r0..r1 -> r0\n    fx.reifyTxState -> r0\n    ret r0";
    assert_eq!(
        kinds(&func("\"f\" params=1 regs=1 safe plain", body)),
        [
            VerifyErrorKind::UnsafeEffectInSafeFunction {
                kind: EffectKind::Reflect
            },
            VerifyErrorKind::UnsafeEffectInSafeFunction {
                kind: EffectKind::ReifyTxState
            },
        ]
    );
    assert_eq!(kinds(&func("\"f\" params=1 regs=1 unsafe plain", body)), []);
}

#[test]
fn predicates_are_pure_with_the_right_arity() {
    let text = [
        func("\"p1\" params=1 regs=1 safe pure", "    ret r0"),
        func("\"plain\" params=1 regs=1 safe plain", "    ret r0"),
        func(
            "\"f\" params=0 regs=1 unsafe plain",
            "    fx.scryMeta @p1 -> r0\n    fx.scryDeep @p1 -> r0\n    fx.scryMeta @plain -> r0\n    ret r0",
        ),
    ]
    .concat();
    assert_eq!(
        kinds(&text),
        [
            VerifyErrorKind::PredicateArity {
                kind: EffectKind::ScryDeep,
                func: FuncIdx(0),
                expected: 2,
                found: 1
            },
            VerifyErrorKind::FunctionOperandNotPure {
                kind: EffectKind::ScryMeta,
                func: FuncIdx(1)
            },
        ]
    );
}

#[test]
fn function_operand_must_match_the_instruction() {
    let program = Program {
        functions: vec![Function {
            name: "f".into(),
            params: 0,
            registers: 1,
            safety: Safety::Unsafe,
            kind: FunctionKind::Plain,
            ops: vec![
                Op::Effect {
                    kind: EffectKind::ScryMeta,
                    args: RegRange::EMPTY,
                    dst: Reg(0),
                },
                Op::EffectWithFunction {
                    kind: EffectKind::SelfId,
                    func: FuncIdx(0),
                    args: RegRange::EMPTY,
                    dst: Reg(0),
                },
                Op::Ret { src: Reg(0) },
            ],
            spans: Vec::new(),
        }],
        ..Program::default()
    };
    let kinds: Vec<_> = verify(&program)
        .unwrap_err()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            VerifyErrorKind::EffectFunctionOperand {
                kind: EffectKind::ScryMeta,
                expected: FunctionOperand::Predicate { params: 1 }
            },
            VerifyErrorKind::EffectFunctionOperand {
                kind: EffectKind::SelfId,
                expected: FunctionOperand::None
            },
        ]
    );
}

#[test]
fn pure_functions_stay_pure() {
    let text = [
        func("\"plain\" params=0 regs=1 safe plain", "    unit -> r0\n    ret r0"),
        func(
            "\"p\" params=0 regs=2 safe pure",
            "    print r0\n    field.get 0 -> r0\n    fx.self -> r0\n    fx.callPure r0..r2 -> r0\n    call @plain -> r0\n    ret r0",
        ),
    ]
    .concat();
    assert_eq!(
        kinds(&text),
        [
            VerifyErrorKind::ImpureOpInPureFunction { what: "print" },
            VerifyErrorKind::ImpureOpInPureFunction {
                what: "a state field op"
            },
            VerifyErrorKind::ImpureOpInPureFunction {
                what: "an AVM instruction other than callPure"
            },
            VerifyErrorKind::PureCallsImpure { callee: FuncIdx(0) },
        ]
    );
}

#[test]
fn every_path_ends_in_ret_tail_or_fail() {
    let text = func(
        "\"f\" params=1 regs=1 safe plain",
        "    brnot r0, done\n    ret r0\ndone:\n    print r0",
    );
    assert_eq!(kinds(&text), [VerifyErrorKind::FallsOffEnd]);
    assert_eq!(
        kinds(&func("\"f\" params=0 regs=0 safe plain", "")),
        [VerifyErrorKind::EmptyFunction]
    );
    // A loop that ends with a backward jump does not fall off.
    let looping = func(
        "\"f\" params=1 regs=1 safe plain",
        "top:\n    print r0\n    jump top",
    );
    assert_eq!(kinds(&looping), []);
}

#[test]
fn catch_scopes_nest_on_every_path() {
    let ok = func(
        "\"f\" params=1 regs=2 safe plain",
        "    try caught -> r1\n    print r0\n    try.end\n    some r0 -> r1\ncaught:\n    ret r1",
    );
    assert_eq!(kinds(&ok), []);
    let unclosed = func(
        "\"f\" params=1 regs=2 safe plain",
        "    try caught -> r1\n    ret r0\ncaught:\n    ret r1",
    );
    assert_eq!(
        kinds(&unclosed),
        [VerifyErrorKind::ExitInsideTry { open: 1 }]
    );
    let stray_end = func(
        "\"f\" params=1 regs=1 safe plain",
        "    try.end\n    ret r0",
    );
    assert_eq!(kinds(&stray_end), [VerifyErrorKind::TryEndWithoutScope]);
    // The handler is reached with the scope closed and, here, also by a path that left it
    // open: the two paths disagree.
    let mismatch = func(
        "\"f\" params=1 regs=2 safe plain",
        "    try caught -> r1\n    jump caught\ncaught:\n    ret r1",
    );
    let found = kinds(&mismatch);
    assert!(
        found.contains(&VerifyErrorKind::TryScopeMismatch { first: 1, other: 0 })
            || found.contains(&VerifyErrorKind::TryScopeMismatch { first: 0, other: 1 }),
        "{found:?}"
    );
    let tail = func(
        "\"f\" params=1 regs=2 safe plain",
        "    try caught -> r1\n    tail @f, r0..r1\ncaught:\n    ret r1",
    );
    assert_eq!(kinds(&tail), [VerifyErrorKind::ExitInsideTry { open: 1 }]);
}

#[test]
fn span_tables_are_ordered_and_in_range() {
    let ok = format!(
        ".source 0 \"a.avm\"\n{}",
        func(
            "\"f\" params=1 regs=1 safe plain",
            "  .at 0:3..9\n    print r0\n  .at 0:10..12\n    ret r0"
        )
    );
    assert_eq!(kinds(&ok), []);
    let bad = func(
        "\"f\" params=1 regs=1 safe plain",
        "  .at 1:9..3\n    print r0\n  .at 0:1..2\n  .at 0:1..2\n    ret r0\n  .at 0:4..5",
    );
    assert_eq!(
        kinds(&bad),
        [
            VerifyErrorKind::SpanSourceOutOfRange {
                entry: 0,
                source: 1,
                len: 0
            },
            VerifyErrorKind::SpanInverted {
                entry: 0,
                start: 9,
                end: 3
            },
            VerifyErrorKind::SpanSourceOutOfRange {
                entry: 1,
                source: 0,
                len: 0
            },
            VerifyErrorKind::SpanOutOfOrder { entry: 2 },
            VerifyErrorKind::SpanSourceOutOfRange {
                entry: 2,
                source: 0,
                len: 0
            },
            VerifyErrorKind::SpanOpOutOfRange {
                entry: 3,
                op: 2,
                len: 2
            },
            VerifyErrorKind::SpanSourceOutOfRange {
                entry: 3,
                source: 0,
                len: 0
            },
        ]
    );
}

#[test]
fn behaviours_point_at_dispatch_functions() {
    let text = [
        func("\"m\" params=1 regs=1 safe method", "    ret r0"),
        func(
            "\"d0\" params=0 regs=1 safe dispatch",
            "    unit -> r0\n    ret r0",
        ),
        ".behaviour \"A\" dispatch=f0 fields=[]\n".to_owned(),
        ".behaviour \"B\" dispatch=f1 fields=[\"x\", \"x\"]\n".to_owned(),
        ".behaviour \"B\" dispatch=f9 fields=[]\n".to_owned(),
    ]
    .concat();
    assert_eq!(
        kinds(&text),
        [
            VerifyErrorKind::NotADispatchFunction {
                func: FuncIdx(0),
                kind: FunctionKind::Method
            },
            VerifyErrorKind::DuplicateField { field: "x".into() },
            VerifyErrorKind::DispatchParams {
                func: FuncIdx(1),
                params: 0
            },
            VerifyErrorKind::DuplicateBehaviourName,
            VerifyErrorKind::FunctionOutOfRange {
                idx: FuncIdx(9),
                len: 2
            },
        ]
    );
}

#[test]
fn entry_exists_and_is_main() {
    let plain = func("\"p\" params=1 regs=1 safe plain", "    ret r0");
    assert_eq!(
        kinds(&format!("{plain}.entry f3\n")),
        [VerifyErrorKind::FunctionOutOfRange {
            idx: FuncIdx(3),
            len: 1
        }]
    );
    assert_eq!(
        kinds(&format!("{plain}.entry f0\n")),
        [VerifyErrorKind::EntryNotMain {
            func: FuncIdx(0),
            kind: FunctionKind::Plain
        }]
    );
    let main = func("\"main\" params=1 regs=1 safe main", "    ret r0");
    assert_eq!(
        kinds(&format!("{main}.entry f0\n")),
        [VerifyErrorKind::EntryParams {
            func: FuncIdx(0),
            params: 1
        }]
    );
}

#[test]
fn function_names_are_unique_and_constants_shallow() {
    let mut deep = Const::Int(0);
    for _ in 0..MAX_CONST_DEPTH {
        deep = Const::Some(Box::new(deep));
    }
    let f = Function {
        name: "f".into(),
        params: 0,
        registers: 1,
        safety: Safety::Safe,
        kind: FunctionKind::Plain,
        ops: vec![Op::Ret { src: Reg(0) }],
        spans: Vec::new(),
    };
    let program = Program {
        functions: vec![f.clone(), f],
        constants: vec![deep],
        ..Program::default()
    };
    let errors = verify(&program).unwrap_err();
    let kinds: Vec<_> = errors.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            VerifyErrorKind::ConstTooDeep,
            VerifyErrorKind::DuplicateFunctionName
        ]
    );
    assert_eq!(
        errors[1].location,
        Location::Function {
            func: FuncIdx(1),
            name: "f".into(),
            op: None
        }
    );
}

#[test]
fn error_messages_name_the_place_and_the_problem() {
    let text = [
        func("\"two\" params=2 regs=2 safe plain", "    ret r0"),
        func(
            "\"main\" params=0 regs=2 safe main",
            "    call @two, r0..r1 -> r5\n    fx.reflect r0..r1 -> r0\n    jump far\nfar:",
        ),
        ".entry @main\n".to_owned(),
    ]
    .concat();
    let program = parse_program(&text).expect("parses");
    let rendered: Vec<String> = verify(&program)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!(rendered.join("\n"));
}

mod tape_support;

proptest::proptest! {
    /// The verifier never panics, whatever the program holds.
    #[test]
    fn verifier_never_panics(program in tape_support::program()) {
        let _ = verify(&program);
    }
}

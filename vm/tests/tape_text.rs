//! Tape text format: printed samples (snapshots), exact round trip, parse errors.

use avm_vm::tape::parse::{ParseErrorKind, parse_const, parse_op, parse_program};
use avm_vm::tape::text::print_program;
use avm_vm::tape::{Program, samples};

fn round_trip(program: &Program) {
    let printed = print_program(program);
    let parsed = parse_program(&printed).unwrap_or_else(|e| panic!("{e}\n{printed}"));
    assert_eq!(&parsed, program, "parse(print(p)) == p");
    assert_eq!(
        print_program(&parsed),
        printed,
        "print(parse(print(p))) == print(p)"
    );
}

#[test]
fn counter_prints_as_snapshot_and_round_trips() {
    let program = samples::counter().expect("builds");
    insta::assert_snapshot!("counter", print_program(&program));
    round_trip(&program);
}

#[test]
fn fib_prints_as_snapshot_and_round_trips() {
    let program = samples::fib(20).expect("builds");
    insta::assert_snapshot!("fib", print_program(&program));
    round_trip(&program);
}

#[test]
fn ping_pong_prints_as_snapshot_and_round_trips() {
    let program = samples::ping_pong(5).expect("builds");
    insta::assert_snapshot!("ping_pong", print_program(&program));
    round_trip(&program);
}

const HAND_WRITTEN: &str = r#"
; A hand-written program: names instead of indices, custom labels, comments.
.string s0 "boom; not a comment"
.const c0 [1, -2, "x", (), (true, none), some([]), (,), (7,)]
.func "twice" params=1 regs=2 safe pure
    add r0, r0 -> r1
    ret r1
.end
.func "main" params=0 regs=4 safe main
    const c0 -> r0          ; a comment after an op
    list.len r0 -> r1
    call @twice, r1..r2 -> r2
    int 0 -> r3
    gt r2, r3 -> r3
start:
    brnot r3, bad
    fx.getState -> r3
    tail @"twice", r1..r2
bad:
    fail s0
.end
.entry @main
"#;

#[test]
fn hand_written_text_resolves_names_and_labels() {
    let program = parse_program(HAND_WRITTEN).expect("parses");
    assert_eq!(program.functions.len(), 2);
    assert_eq!(program.strings, vec!["boom; not a comment"]);
    assert_eq!(program.entry.map(|e| e.0), Some(1));
    insta::assert_snapshot!("hand_written", print_program(&program));
    round_trip(&program);
}

#[test]
fn every_op_display_parses_back() {
    use avm_vm::tape::*;
    let r = Reg;
    let range = |s, n| RegRange::new(Reg(s), n);
    let mut ops = vec![
        Op::LoadConst {
            dst: r(1),
            idx: ConstIdx(3),
        },
        Op::LoadUnit { dst: r(0) },
        Op::LoadBool {
            dst: r(0),
            value: false,
        },
        Op::LoadInt {
            dst: r(0),
            value: i32::MIN,
        },
        Op::Move {
            dst: r(1),
            src: r(2),
        },
        Op::Neg {
            dst: r(1),
            src: r(2),
        },
        Op::Div {
            dst: r(1),
            lhs: r(2),
            rhs: r(3),
        },
        Op::MakeList {
            dst: r(1),
            items: RegRange::EMPTY,
        },
        Op::MakeList {
            dst: r(1),
            items: range(5, 0),
        },
        Op::MakeTuple {
            dst: r(1),
            items: range(2, 3),
        },
        Op::TupleGet {
            dst: r(1),
            src: r(2),
            index: 65535,
        },
        Op::MakeRecord {
            dst: r(1),
            name: StrIdx(0),
            fields: RegRange::EMPTY,
        },
        Op::MakeVariant {
            dst: r(9),
            enum_name: StrIdx(0),
            variant: StrIdx(1),
            payload: range(1, 2),
        },
        Op::IsVariant {
            dst: r(9),
            src: r(1),
            enum_name: StrIdx(0),
            variant: StrIdx(1),
        },
        Op::TaggedGet {
            dst: r(1),
            src: r(2),
            index: 0,
        },
        Op::Jump { target: Target(7) },
        Op::TryBegin {
            handler: Target(9),
            dst: r(4),
        },
        Op::TryEnd,
        Op::BranchIf {
            cond: r(1),
            target: Target(0),
        },
        Op::BranchIfNot {
            cond: r(1),
            target: Target(4294967295),
        },
        Op::Call {
            dst: r(1),
            func: FuncIdx(2),
            args: range(65535, 65535),
        },
        Op::TailCall {
            func: FuncIdx(2),
            args: RegRange::EMPTY,
        },
        Op::Ret { src: r(65535) },
        Op::Fail { message: StrIdx(4) },
        Op::Print { src: r(0) },
        Op::FieldGet {
            dst: r(0),
            field: 3,
        },
        Op::FieldSet {
            field: 3,
            src: r(0),
        },
    ];
    for kind in EffectKind::ALL {
        let args = RegRange::new(Reg(1), kind.arity());
        ops.push(match kind.function_operand() {
            FunctionOperand::None => Op::Effect {
                kind,
                args,
                dst: r(0),
            },
            _ => Op::EffectWithFunction {
                kind,
                func: FuncIdx(1),
                args,
                dst: r(0),
            },
        });
    }
    for op in ops {
        let text = op.to_string();
        assert_eq!(parse_op(&text), Ok(op), "{text}");
    }
}

#[test]
fn constants_parse_back() {
    for text in [
        "-9223372036854775808",
        "\"a\\u{0}\\\"\"",
        "[(1, [2]), some(some(()))]",
        "(,)",
        "(1,)",
    ] {
        let c = parse_const(text).expect(text);
        assert_eq!(c.to_string(), text);
    }
}

fn error_of(text: &str) -> (usize, usize, String) {
    let e = parse_program(text).expect_err("must fail");
    (e.line, e.column, e.to_string())
}

#[test]
fn parse_errors_carry_position_and_say_what_was_expected() {
    let cases = [
        ".func \"f\" params=0 regs=1 safe plain\n    add r0 r0 -> r0\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n    frobnicate r0\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n    fx.teleportt r0..r1 -> r0\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n    jump nowhere\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n    ret r0\n",
        "    ret r0\n",
        ".string s1 \"x\"\n",
        ".const c0 [1, 2\n",
        ".const c0 (1)\n",
        ".string s0 \"abc\n",
        ".string s0 \"\\q\"\n",
        ".func \"f\" params=0 regs=1 safe plain\n    int 99999999999 -> r0\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n    list r5..r2 -> r0\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n    call @g -> r0\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n.end\n.func \"f\" params=0 regs=1 safe plain\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\n",
        ".func \"f\" params=0 regs=1 safe weird\n",
        ".entry f0\n.entry f0\n",
        ".nonsense\n",
        ".func \"f\" params=0 regs=1 safe plain\n    ret r0 r1\n.end\n",
        ".func \"f\" params=0 regs=1 safe plain\nL:\nL:\n    ret r0\n.end\n",
    ];
    let rendered: Vec<String> = cases
        .iter()
        .map(|text| {
            let (line, column, message) = error_of(text);
            format!("{line}:{column}: {message}")
        })
        .collect();
    insta::assert_snapshot!("parse_errors", rendered.join("\n"));
}

#[test]
fn too_deep_constant_is_an_error_not_a_stack_overflow() {
    let text = format!(
        ".const c0 {}1{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = parse_program(&text).expect_err("too deep");
    assert_eq!(e.kind, ParseErrorKind::ConstTooDeep);
}

#[test]
fn structural_errors_point_at_the_directive() {
    let nested = ".func \"f\" params=0 regs=1 safe plain\n.func \"g\" params=0 regs=1 safe plain\n";
    let e = parse_program(nested).expect_err("nested");
    assert_eq!((e.line, e.column), (2, 1));
    assert!(matches!(e.kind, ParseErrorKind::NestedFunction { .. }));
    let e = parse_program("  .end\n").expect_err("stray end");
    assert_eq!(
        (e.line, e.column, e.kind),
        (1, 3, ParseErrorKind::EndWithoutFunction)
    );
}

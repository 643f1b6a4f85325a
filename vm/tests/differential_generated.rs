//! Generated differential tests: proptest builds random programs twice, as an ITree `Program`
//! and as Tape text, and `assert_same_run` checks that both interpreters agree on outcome,
//! trace, final context, store, registry and clock.
//!
//! - Integer expressions (checked arithmetic, comparisons, negation) with operands that can
//!   overflow, divide by zero or have the wrong type, so error paths are compared too.
//! - Scripts against a counter object: calls, nested transactions (begin / commit / abort),
//!   prints; every open transaction is committed at the end.
//!
//! Also: arbitrary (mostly malformed) Tape programs are loaded and, when they pass the
//! verifier, run under tight limits — never a panic.

use avm_vm::itree::builder::*;
use avm_vm::itree::term::{BinOp, Expr, Instr, UnOp};
use avm_vm::itree::{self, RunConfig};
use avm_vm::samples;
use avm_vm::tape::interp::{self, Image};
use avm_vm::tape::parse::parse_program;
use avm_vm::testing::assert_same_run;
use avm_vm::value::Val;
use avm_vm::world::World;
use proptest::prelude::*;

mod tape_support;
use tape_support::counter::{COUNTER_DISPATCH, COUNTER_NAMES};

// ---------------------------------------------------------------- expressions

#[derive(Debug, Clone)]
enum E {
    Int(i64),
    Bool(bool),
    Bin(&'static str, Box<E>, Box<E>),
    Neg(Box<E>),
}

fn expr() -> impl Strategy<Value = E> {
    let leaf = prop_oneof![
        6 => (-20i64..20).prop_map(E::Int),
        1 => prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(0i64)].prop_map(E::Int),
        1 => any::<bool>().prop_map(E::Bool),
    ];
    leaf.prop_recursive(5, 40, 2, |inner| {
        prop_oneof![
            6 => (
                prop_oneof![
                    Just("add"), Just("sub"), Just("mul"), Just("div"), Just("rem"),
                    Just("lt"), Just("le"), Just("gt"), Just("ge"), Just("eq"), Just("ne"),
                ],
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| E::Bin(op, Box::new(a), Box::new(b))),
            1 => inner.prop_map(|a| E::Neg(Box::new(a))),
        ]
    })
}

fn to_itree(e: &E) -> Expr {
    match e {
        E::Int(i) => int(*i),
        E::Bool(b) => boolean(*b),
        E::Neg(a) => Expr::Unary(UnOp::Neg, Box::new(to_itree(a))),
        E::Bin(op, a, b) => {
            let op = match *op {
                "add" => BinOp::Add,
                "sub" => BinOp::Sub,
                "mul" => BinOp::Mul,
                "div" => BinOp::Div,
                "rem" => BinOp::Rem,
                "lt" => BinOp::Lt,
                "le" => BinOp::Le,
                "gt" => BinOp::Gt,
                "ge" => BinOp::Ge,
                "eq" => BinOp::Eq,
                _ => BinOp::Ne,
            };
            bin(op, to_itree(a), to_itree(b))
        }
    }
}

/// Emits ops computing `e` into a fresh register (left operand first, like the ITree
/// evaluator); returns the register.
fn to_tape(e: &E, consts: &mut Vec<String>, ops: &mut Vec<String>, next: &mut u16) -> u16 {
    let dst = *next;
    *next += 1;
    match e {
        E::Int(i) => {
            consts.push(format!(".const c{} {i}", consts.len()));
            ops.push(format!("const c{} -> r{dst}", consts.len() - 1));
        }
        E::Bool(b) => ops.push(format!("bool {b} -> r{dst}")),
        E::Neg(a) => {
            let a = to_tape(a, consts, ops, next);
            ops.push(format!("neg r{a} -> r{dst}"));
        }
        E::Bin(op, a, b) => {
            let a = to_tape(a, consts, ops, next);
            let b = to_tape(b, consts, ops, next);
            ops.push(format!("{op} r{a}, r{b} -> r{dst}"));
        }
    }
    dst
}

fn expression_programs(e: &E) -> (itree::term::Program, avm_vm::tape::Program) {
    let itree = ProgramBuilder::new().main(ret(to_itree(e)));
    let (mut consts, mut ops, mut next) = (Vec::new(), Vec::new(), 0u16);
    let result = to_tape(e, &mut consts, &mut ops, &mut next);
    let text = format!(
        "{}\n.func \"main\" params=0 regs={next} safe main\n{}\nret r{result}\n.end\n.entry @main\n",
        consts.join("\n"),
        ops.join("\n"),
    );
    let tape = parse_program(&text).unwrap_or_else(|e| panic!("generated text: {e}\n{text}"));
    (itree, tape)
}

// ---------------------------------------------------------------- counter scripts

#[derive(Debug, Clone, Copy)]
enum Step {
    Add(i64),
    Get,
    Begin,
    Commit,
    Abort,
    Print,
}

fn script() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            3 => (-5i64..50).prop_map(Step::Add),
            1 => Just(Step::Get),
            2 => Just(Step::Begin),
            1 => Just(Step::Commit),
            1 => Just(Step::Abort),
            1 => Just(Step::Print),
        ],
        0..24,
    )
}

/// The counter's constants and dispatch (`tape_support::counter`), plus c3 `"add"`.
fn counter_text() -> String {
    format!("{COUNTER_NAMES}.const c3 \"add\"\n{COUNTER_DISPATCH}")
}

/// Both programs for a script. Tape registers: r0 input, r1 `some(alice)`, r2 the counter,
/// r3 the message, r4 scratch, r5 `"add"`, r6 last result, r10.. the transaction stack.
fn script_programs(steps: &[Step]) -> (itree::term::Program, avm_vm::tape::Program) {
    let mut block = Block::new()
        .instr("alice", Instr::Input)
        .instr(
            "c",
            Instr::CreateObj {
                behaviour: name("Counter"),
                controller: some(var("alice")),
            },
        )
        .effect(Instr::Call(var("c"), string("init")));
    let mut ops = vec![
        "fx.input -> r0".to_string(),
        "some r0 -> r1".into(),
        "const c2 -> r3".into(),
        "move r1 -> r4".into(),
        "fx.createObj r3..r5 -> r2".into(),
        "const c0 -> r3".into(),
        "fx.call r2..r4 -> r6".into(),
        "const c3 -> r5".into(),
    ];
    let mut depth = 0u16;
    let mut steps: Vec<Step> = steps.to_vec();
    // Close every transaction left open.
    let opened = steps.iter().fold(0i32, |d, s| match s {
        Step::Begin => d + 1,
        Step::Commit | Step::Abort if d > 0 => d - 1,
        _ => d,
    });
    steps.extend(std::iter::repeat_n(
        Step::Commit,
        usize::try_from(opened).unwrap_or(0),
    ));
    for step in &steps {
        match step {
            Step::Add(n) => {
                block = block.instr("r", Instr::Call(var("c"), samples::add_msg(int(*n))));
                // r5 = "add", r6 = n: ("add", n) from a two-register range.
                ops.push(format!("int {n} -> r6"));
                ops.push("tuple r5..r7 -> r3".into());
                ops.push("fx.call r2..r4 -> r6".into());
            }
            Step::Get => {
                block = block.instr("r", Instr::Call(var("c"), string("get")));
                ops.push("const c1 -> r3".into());
                ops.push("fx.call r2..r4 -> r6".into());
            }
            Step::Begin => {
                block = block.instr(&format!("t{depth}"), Instr::BeginTx(some(var("alice"))));
                ops.push(format!("fx.beginTx r1..r2 -> r{}", 10 + depth));
                depth += 1;
            }
            Step::Commit | Step::Abort if depth > 0 => {
                depth -= 1;
                let t = var(&format!("t{depth}"));
                let reg = 10 + depth;
                if matches!(step, Step::Commit) {
                    block = block.effect(Instr::CommitTx(t));
                    ops.push(format!("fx.commitTx r{reg}..r{} -> r4", reg + 1));
                } else {
                    block = block.effect(Instr::AbortTx(t));
                    ops.push(format!("fx.abortTx r{reg}..r{} -> r4", reg + 1));
                }
            }
            Step::Commit | Step::Abort => {}
            Step::Print => {
                block = block
                    .instr("r", Instr::Call(var("c"), string("get")))
                    .effect(Instr::Print(var("r")));
                ops.push("const c1 -> r3".into());
                ops.push("fx.call r2..r4 -> r6".into());
                ops.push("print r6".into());
            }
        }
    }
    let itree = samples::counter_program(
        block
            .instr("r", Instr::Call(var("c"), string("get")))
            .ret(var("r")),
    );
    ops.push("const c1 -> r3".into());
    ops.push("fx.call r2..r4 -> r6".into());
    ops.push("ret r6".into());
    let counter = counter_text();
    let text = format!(
        "{counter}\n.func \"main\" params=0 regs={} safe main\n{}\n.end\n.entry @main\n",
        10 + steps.len() + 1,
        ops.join("\n")
    );
    let tape = parse_program(&text).unwrap_or_else(|e| panic!("generated text: {e}\n{text}"));
    (itree, tape)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn expressions_agree(e in expr()) {
        let (itree, tape) = expression_programs(&e);
        assert_same_run(&itree, &tape, &RunConfig::default());
    }

    #[test]
    fn counter_scripts_agree(steps in script()) {
        let (itree, tape) = script_programs(&steps);
        let config = RunConfig {
            input: Val::Controller(avm_vm::ids::ControllerId::new("alice")),
            ..RunConfig::default()
        };
        let r = assert_same_run(&itree, &tape, &config);
        prop_assert!(r.outcome.is_ok(), "{:?}", r.outcome);
    }

    #[test]
    fn arbitrary_programs_never_panic(program in tape_support::program()) {
        if let Ok(image) = Image::load(&program) {
            let mut config = interp::RunConfig::default();
            config.limits.fuel = 2_000;
            config.limits.max_call_depth = 64;
            config.limits.max_registers = 4_096;
            let mut world = World::new();
            let _ = interp::run(&image, &mut world, &config);
        }
    }
}

//! Lowering ITree programs to Tape: the output is verified, round-trips through the text format,
//! and its text is pinned by snapshots; malformed input gives data-carrying errors.

mod lower_tape_samples;

use avm_compiler::tape::{LowerErrorKind, lower};
use avm_vm::itree::builder::*;
use avm_vm::itree::{Instr, Predicate, Program};
use avm_vm::tape::{self, parse::parse_program, text::print_program, verify::verify};
use lower_tape_samples as samples;

/// Lowers, verifies and round-trips `p`; returns the Tape text.
fn lowered_text(label: &str, p: &Program) -> String {
    let out = lower(p).unwrap_or_else(|e| panic!("{label}: {e}"));
    if let Err(errors) = verify(&out) {
        let msgs: Vec<String> = errors.iter().map(|e| format!("{e:?}")).collect();
        panic!("{label}: verifier refused the output:\n{}", msgs.join("\n"));
    }
    let text = print_program(&out);
    let back = parse_program(&text).unwrap_or_else(|e| panic!("{label}: {e}\n{text}"));
    assert_eq!(back, out, "{label}: text round trip");
    let bytes = tape::binary::encode(&out).unwrap_or_else(|e| panic!("{label}: {e:?}"));
    let loaded = tape::binary::load(&bytes).unwrap_or_else(|e| panic!("{label}: {e:?}"));
    assert_eq!(loaded, out, "{label}: binary round trip");
    text
}

#[test]
fn every_sample_lowers_verifies_and_round_trips() {
    for (label, p) in samples::all() {
        let text = lowered_text(&label, &p);
        assert!(text.contains(".entry"), "{label}");
    }
}

#[test]
fn lowering_is_deterministic() {
    for (label, p) in samples::all() {
        assert_eq!(lower(&p), lower(&p), "{label}");
    }
}

#[test]
fn snapshot_counter() {
    insta::assert_snapshot!(lowered_text("counter", &samples::counter()));
}

#[test]
fn snapshot_fib() {
    insta::assert_snapshot!(lowered_text("fib", &samples::fib(10)));
}

#[test]
fn snapshot_ping_pong() {
    insta::assert_snapshot!(lowered_text("ping_pong", &samples::ping_pong(3)));
}

#[test]
fn snapshot_list_match() {
    insta::assert_snapshot!(lowered_text("list_match", &samples::list_match()));
}

#[test]
fn snapshot_nested_transactions() {
    insta::assert_snapshot!(lowered_text(
        "nested_transactions",
        &samples::nested_transactions()
    ));
}

#[test]
fn snapshot_data_and_builtins() {
    insta::assert_snapshot!(lowered_text(
        "data_and_builtins",
        &samples::data_and_builtins()
    ));
}

#[test]
fn snapshot_pure_registry_and_scry() {
    insta::assert_snapshot!(lowered_text(
        "pure_registry_and_scry",
        &samples::pure_registry_and_scry()
    ));
}

#[test]
fn tail_calls_only_in_plain_and_pure_functions() {
    let out = lower(&samples::fib(5)).expect("lowers");
    let sum = &out.functions[out.function_index("sum_to").expect("sum_to").0 as usize];
    assert!(
        sum.ops
            .iter()
            .any(|op| matches!(op, tape::Op::TailCall { .. })),
        "sum_to's self call is a tail call"
    );
    let main = &out.functions[out.entry.expect("entry").0 as usize];
    assert!(
        !main
            .ops
            .iter()
            .any(|op| matches!(op, tape::Op::TailCall { .. }))
    );
}

#[test]
fn register_counts_stay_small() {
    // The stack allocator reuses registers after their last use: no sample function needs
    // more than a couple of dozen.
    for (label, p) in samples::all() {
        let out = lower(&p).expect("lowers");
        for f in &out.functions {
            assert!(
                f.registers <= 40,
                "{label}: {} uses {}",
                f.name,
                f.registers
            );
        }
    }
}

#[test]
fn behaviours_get_dispatch_functions_and_field_layouts() {
    let out = lower(&samples::counter()).expect("lowers");
    let counter = out.behaviour("Counter").expect("Counter");
    assert_eq!(counter.fields, ["field0"]);
    let dispatch = &out.functions[counter.dispatch.0 as usize];
    assert_eq!(dispatch.name, "Counter.dispatch");
    assert_eq!(dispatch.kind, tape::FunctionKind::Dispatch);
    assert_eq!(dispatch.params, 1);
}

fn error_of(p: &Program) -> LowerErrorKind {
    lower(p).expect_err("lowering must fail").kind
}

#[test]
fn malformed_programs_give_errors_with_data() {
    let unbound = ProgramBuilder::new().main(ret(var("nope")));
    assert_eq!(
        error_of(&unbound),
        LowerErrorKind::UnboundVariable {
            name: "nope".into()
        }
    );
    let unknown = ProgramBuilder::new().main(call_fn("ghost", vec![]));
    assert_eq!(
        error_of(&unknown),
        LowerErrorKind::UnknownFunction {
            name: "ghost".into()
        }
    );
    let arity = ProgramBuilder::new()
        .function("f", &["a"], ret(var("a")))
        .main(call_fn("f", vec![]));
    assert_eq!(
        error_of(&arity),
        LowerErrorKind::ArityMismatch {
            callee: "f".into(),
            expected: 1,
            found: 0
        }
    );
    let impure = ProgramBuilder::new()
        .pure_function("p", &[], Block::new().instr("s", Instr::SelfId).ret(unit()))
        .main(call_fn("p", vec![]));
    assert_eq!(
        error_of(&impure),
        LowerErrorKind::InstructionInPureFunction {
            instruction: "self"
        }
    );
    let pure_calls_plain = ProgramBuilder::new()
        .function("plain", &[], ret(unit()))
        .pure_function("p", &[], call_fn("plain", vec![]))
        .main(call_fn("p", vec![]));
    assert_eq!(
        error_of(&pure_calls_plain),
        LowerErrorKind::PureCallsPlain {
            callee: "plain".into()
        }
    );
    let captures = ProgramBuilder::new().main_with(
        Block::new()
            .let_("limit", int(3))
            .instr(
                "found",
                Instr::ScryMeta(Predicate {
                    params: vec![name("m")],
                    body: lt(var("limit"), int(4)),
                }),
            )
            .ret(unit()),
        avm_vm::isa::Safety::Unsafe,
    );
    let err = lower(&captures).expect_err("captures");
    assert_eq!(
        err.kind,
        LowerErrorKind::PredicateCaptures {
            name: "limit".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "in `main.pred0`: a scry predicate uses the variable `limit` of the enclosing code"
    );
    let unknown_behaviour = ProgramBuilder::new().main(
        Block::new()
            .instr(
                "o",
                Instr::CreateObj {
                    behaviour: name("Nope"),
                    controller: none(),
                },
            )
            .ret(unit()),
    );
    assert_eq!(
        error_of(&unknown_behaviour),
        LowerErrorKind::UnknownBehaviour {
            name: "Nope".into()
        }
    );
}

/// `let x1 = x0 + 1; ...; ret x<n>`, built without recursion.
fn let_chain(n: usize) -> Program {
    let mut body = ret(var(&format!("x{n}")));
    for i in (1..=n).rev() {
        body = avm_vm::itree::Term::Let {
            name: name(&format!("x{i}")),
            value: add(var(&format!("x{}", i - 1)), int(1)),
            rest: Box::new(body),
        };
    }
    ProgramBuilder::new().main(Block::new().let_("x0", int(0)).then(body))
}

#[test]
fn long_sequences_lower_without_deep_recursion() {
    let out = lower(&let_chain(20_000)).expect("lowers");
    assert!(verify(&out).is_ok());
}

/// `let x1 = x0 + 1; ...` with every binding read at the end (`ret [x0, ..., x<n>]`), so all
/// of them are live at once.
fn all_live_chain(n: usize) -> Program {
    let items: Vec<avm_vm::itree::Expr> = (0..=n).map(|i| var(&format!("x{i}"))).collect();
    let mut body = ret(avm_vm::itree::Expr::List(items));
    for i in (1..=n).rev() {
        body = avm_vm::itree::Term::Let {
            name: name(&format!("x{i}")),
            value: add(var(&format!("x{}", i - 1)), int(1)),
            rest: Box::new(body),
        };
    }
    ProgramBuilder::new().main(Block::new().let_("x0", int(0)).then(body))
}

#[test]
fn too_many_live_bindings_is_an_error_not_a_panic() {
    let p = all_live_chain(70_000);
    assert_eq!(
        lower(&p).expect_err("too many registers").kind,
        LowerErrorKind::TooManyRegisters
    );
    // Dropping a 70 000-deep term recurses in the drop glue of `Box<Term>`; leak it so the test
    // does not depend on the test thread's stack size.
    std::mem::forget(p);
}

/// Issue 12: a binding's register is freed after its last read, so 70,000 straight-line
/// statements, each reading only the one before, need a handful of registers.
#[test]
fn a_long_chain_reuses_registers_after_each_last_read() {
    let p = let_chain(70_000);
    let out = lower(&p).expect("lowers");
    assert!(verify(&out).is_ok());
    let main = out
        .functions
        .iter()
        .find(|f| f.name == "main")
        .expect("main");
    assert!(main.registers <= 4, "registers = {}", main.registers);
    std::mem::forget(p);
}

#[test]
fn compiled_source_carries_span_tables_that_round_trip() {
    use avm_compiler::itree::LowerOptions;
    use avm_compiler::pipeline::{NoSources, Stage, compile};
    let src = "fn half(n: Int) -> Int {\n    let h = n / 2\n    h\n}\nfn main() -> Int {\n    let a = half(10)\n    if a > 3 { a } else { half(a) }\n}\n";
    let out = compile(
        "spans.avm",
        src,
        &mut NoSources,
        Stage::Tape,
        &LowerOptions::default(),
    );
    let program = out.tape.expect("compiles to Tape");
    assert_eq!(program.sources, ["spans.avm"]);
    let half = program
        .functions
        .iter()
        .find(|f| f.name == "half")
        .expect("half is lowered");
    let first = half.span_at(0).expect("the first op has a location");
    assert_eq!(
        &src[first.start as usize..first.end as usize],
        "let h = n / 2"
    );
    assert_eq!(verify(&program), Ok(()));
    let text = print_program(&program);
    assert!(text.contains(".source 0 \"spans.avm\""), "{text}");
    let back = parse_program(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back, program, "text round trip");
    assert_eq!(print_program(&back), text);
    let bytes = tape::binary::encode(&program).expect("encodes");
    assert_eq!(tape::binary::load(&bytes), Ok(program), "binary round trip");
}

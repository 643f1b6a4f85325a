//! The ITree term language and the reference interpreter: control flow, patterns, functions,
//! errors, tracing switch, and the printed form of a program.

mod common;

use avm_vm::error::{AvmError, ExecError};
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{Arm, Instr, Pattern, Term};
use avm_vm::itree::{RunConfig, run};
use avm_vm::trace::{TraceMode, TraceView};
use avm_vm::value::Val;
use avm_vm::world::World;
use common::*;

fn run_plain(p: &avm_vm::itree::Program) -> avm_vm::itree::RunResult {
    let mut w = World::new();
    run(p, &mut w, &RunConfig::default())
}

#[test]
fn tau_let_if_and_guards() {
    let body = Term::Tau(Box::new(Block::new().let_("x", int(7)).then(Term::Match {
        scrutinee: tuple(vec![var("x"), some(string("a"))]),
        arms: vec![
            Arm {
                pattern: Pattern::Tuple(vec![pbind("n"), Pattern::Just(Box::new(pbind("s")))]),
                guard: Some(lt(var("n"), int(5))),
                body: ret(string("small")),
            },
            Arm {
                pattern: Pattern::Tuple(vec![pbind("n"), Pattern::Wild]),
                guard: None,
                body: if_(
                    eq(var("n"), int(7)),
                    ret(string("seven")),
                    ret(string("other")),
                ),
            },
        ],
    })));
    let r = run_plain(&ProgramBuilder::new().main(body));
    assert_eq!(r.outcome, Ok(Val::str("seven")));
}

#[test]
fn non_tail_calls_bind_results() {
    // fib via two non-tail calls bound with Bind: frames live on the heap.
    let fib = if_(
        lt(var("n"), int(2)),
        ret(var("n")),
        Block::new()
            .bind("a", call_fn("fib", vec![sub(var("n"), int(1))]))
            .bind("b", call_fn("fib", vec![sub(var("n"), int(2))]))
            .ret(add(var("a"), var("b"))),
    );
    let p = ProgramBuilder::new()
        .function("fib", &["n"], fib)
        .main(call_fn("fib", vec![int(15)]));
    assert_eq!(run_plain(&p).outcome, Ok(Val::Int(610)));
}

#[test]
fn evaluation_errors() {
    let cases: Vec<(Term, AvmError)> = vec![
        (
            ret(add(int(i64::MAX), int(1))),
            ExecError::IntegerOverflow { op: "+" }.into(),
        ),
        (
            ret(bin(avm_vm::itree::BinOp::Div, int(1), int(0))),
            ExecError::DivisionByZero.into(),
        ),
        (
            ret(var("nope")),
            ExecError::UnboundVariable(name("nope")).into(),
        ),
        (
            match_(int(3), vec![(Pattern::Lit(Val::Int(4)), ret(unit()))]),
            ExecError::NoMatchingArm { value: Val::Int(3) }.into(),
        ),
        (
            fail(string("boom")),
            ExecError::Failed(Val::str("boom")).into(),
        ),
        (
            call_fn("missing", vec![]),
            ExecError::UnknownFunction(name("missing")).into(),
        ),
        (
            if_(int(1), ret(unit()), ret(unit())),
            ExecError::TypeMismatch {
                expected: "Bool",
                found: "Int",
            }
            .into(),
        ),
    ];
    for (main, expected) in cases {
        let r = run_plain(&ProgramBuilder::new().main(main));
        assert_eq!(r.outcome, Err(expected));
    }
    let p = ProgramBuilder::new()
        .function("f", &["a"], ret(var("a")))
        .main(call_fn("f", vec![]));
    assert_eq!(
        run_plain(&p).outcome,
        Err(ExecError::ArityMismatch {
            function: name("f"),
            expected: 1,
            found: 0
        }
        .into())
    );
}

#[test]
fn functions_do_not_see_caller_variables() {
    let p = ProgramBuilder::new()
        .function("peek", &[], ret(var("secret")))
        .main(
            Block::new()
                .let_("secret", int(1))
                .then(call_fn("peek", vec![])),
        );
    assert_eq!(
        run_plain(&p).outcome,
        Err(ExecError::UnboundVariable(name("secret")).into())
    );
}

/// Runs a transaction that creates an object, then prints, with the given trace mode.
fn run_create_and_print(mode: TraceMode) -> (avm_vm::itree::RunResult, avm_vm::world::World) {
    let main = Block::new()
        .instr("t", Instr::BeginTx(none()))
        .instr("o", create("echo", none()))
        .effect(Instr::CommitTx(var("t")))
        .effect(Instr::Print(string("hi")))
        .ret(var("o"));
    let mut w = world();
    let cfg = RunConfig {
        trace_mode: mode,
        ..config()
    };
    let r = run(&prog(main), &mut w, &cfg);
    (r, w)
}

#[test]
fn trace_off_keeps_ids_and_clock() {
    let (r_on, on) = run_create_and_print(TraceMode::On);
    let (r_off, off) = run_create_and_print(TraceMode::Off);
    assert_eq!(r_on.outcome, r_off.outcome);
    assert_eq!(on.clock, off.clock);
    assert!(r_off.trace.is_empty());
    assert_eq!(
        r_on.trace.render(TraceView::Full),
        "[0] TransactionStarted(0) @none\n\
         [1] ObjectCreated(#1, \"echo\") @none\n\
         [2] TransactionCommitted(0) @none\n\
         [3] Output(\"hi\") @none\n"
    );
}

#[test]
fn trace_outputs_keeps_only_the_output_events_with_their_timestamps() {
    let (r_on, on) = run_create_and_print(TraceMode::On);
    let (r_outputs, outputs) = run_create_and_print(TraceMode::Outputs);
    assert_eq!(r_on.outcome, r_outputs.outcome);
    assert_eq!(on.clock, outputs.clock);
    assert_eq!(
        r_outputs.trace.render(TraceView::Full),
        "[3] Output(\"hi\") @none\n"
    );
}

#[test]
fn battleship_program_prints() {
    let p = avm_vm::samples::play_full_game(some_controller("main"));
    insta::assert_snapshot!(p.to_string());
}

#[test]
fn error_messages() {
    let errors: Vec<AvmError> = vec![
        avm_vm::error::ObjError::ErrObjectNotFound(avm_vm::ids::ObjectId(4)).into(),
        avm_vm::error::TxError::ErrTxConflict(avm_vm::ids::TxId(2)).into(),
        avm_vm::error::ControllerError::ErrCrossControllerTx(
            avm_vm::ids::ObjectId(1),
            avm_vm::ids::ControllerId::new("c2"),
        )
        .into(),
        ExecError::UnsafeInSafeCode {
            instruction: "reflect",
        }
        .into(),
        avm_vm::error::LimitError::OutOfFuel { fuel: 10 }.into(),
    ];
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn at_marks_locate_a_failure_and_take_no_step() {
    use avm_vm::srcloc::SrcLoc;
    let loc = |start| SrcLoc {
        source: 0,
        start,
        end: start + 5,
    };
    let at = |start, t: Term| Term::At {
        loc: loc(start),
        body: Box::new(t),
    };
    // `half` divides by its argument; main calls it with 0 after a first statement.
    let half = at(
        30,
        ret(bin(avm_vm::itree::term::BinOp::Div, int(10), var("n"))),
    );
    let main = at(
        0,
        Block::new()
            .let_("a", int(1))
            .then(at(10, at(20, call_fn("half", vec![int(0)])))),
    );
    let marked = ProgramBuilder::new()
        .function("half", &["n"], half)
        .main(main);
    let r = run_plain(&marked);
    assert_eq!(r.outcome, Err(AvmError::Exec(ExecError::DivisionByZero)));
    assert_eq!(r.backtrace.frames, [loc(30)]);
    // The same program without marks fails after the same number of steps, with no location.
    let plain = ProgramBuilder::new()
        .function(
            "half",
            &["n"],
            ret(bin(avm_vm::itree::term::BinOp::Div, int(10), var("n"))),
        )
        .main(
            Block::new()
                .let_("a", int(1))
                .then(call_fn("half", vec![int(0)])),
        );
    let p = run_plain(&plain);
    assert_eq!(p.outcome, r.outcome);
    assert_eq!(p.steps, r.steps);
    assert!(p.backtrace.frames.is_empty());
    // A run that succeeds has no backtrace.
    let ok = ProgramBuilder::new().main(at(0, ret(int(1))));
    assert!(run_plain(&ok).backtrace.frames.is_empty());
}

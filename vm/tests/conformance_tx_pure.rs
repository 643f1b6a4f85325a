//! Conformance: Tx (`isa.md` §6) and Pure (`isa.md` §7) families.

mod common;

use avm_vm::error::{ExecError, PureError, TxError};
use avm_vm::ids::TxId;
use avm_vm::isa::Safety;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use common::*;
use std::rc::Rc;

#[test]
fn begin_id_and_entry_controller() {
    // isa.md §6 beginTx: txid = freshTxId(eventCounter); TransactionStarted entry built from the
    // state before the begin (executingController = old controller); txController = mc.
    let (r, _) = run_main(
        Block::new()
            .effect(create("echo", none()))
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .instr("c", Instr::GetCurrentController)
            .instr("ok", Instr::CommitTx(var("t")))
            .ret(tuple(vec![var("t"), var("c"), var("ok")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            Val::Tx(TxId(1)),
            just(ctrl("c1")),
            Val::Bool(true)
        ]))
    );
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] ObjectCreated(#0, \"echo\") @none\n\
         [1] TransactionStarted(1) @none\n\
         [2] TransactionCommitted(1) @c1\n"
    );
}

#[test]
fn commit_errors() {
    // isa.md §6 commitTx: no tx → ErrNoActiveTx; wrong id → ErrTxConflict id.
    let (r, _) = run_main(Block::new().effect(Instr::CommitTx(txid(3))).ret(unit()));
    assert_eq!(r.outcome, Err(TxError::ErrNoActiveTx.into()));
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::CommitTx(txid(3)))
            .ret(unit()),
    );
    assert_eq!(r.outcome, Err(TxError::ErrTxConflict(TxId(3)).into()));
}

#[test]
fn abort_discards_overlay_and_clears_controller() {
    // isa.md §6 abortTx: clears the overlay and txController; logs TransactionAborted with the
    // tx's controller.
    let (r, w) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .effect(Instr::SetState(list(vec![int(5)])))
            .effect(Instr::AbortTx(var("t")))
            .instr("c", Instr::GetCurrentController)
            .instr("s", Instr::GetState)
            .ret(tuple(vec![var("c"), var("s")])),
    );
    assert_eq!(r.outcome, Ok(tup(vec![Val::Nothing, Val::list(vec![])])));
    assert!(w.store.state(avm_vm::ids::ObjectId(100)).is_none());
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[1] TransactionAborted(0) @c1")
    );
}

fn pure_prog(main: avm_vm::itree::Term, safety: Safety) -> avm_vm::itree::Program {
    behaviours()
        .pure_function("double", &["x"], ret(add(var("x"), var("x"))))
        .pure_function(
            "triple",
            &["x"],
            ret(add(var("x"), add(var("x"), var("x")))),
        )
        .pure_function(
            "sneaky",
            &[],
            Block::new().instr("s", Instr::SelfId).ret(var("s")),
        )
        .register_pure("f", "double")
        .register_pure("sneaky", "sneaky")
        .main_with(main, safety)
}

fn call_f(args: Vec<avm_vm::itree::Expr>) -> Instr {
    Instr::CallPure {
        name: name("f"),
        args: list(args),
    }
}

#[test]
fn call_pure_runs_registered_function() {
    // isa.md §7 callPure: registry lookup; impl args; wrong arity → the function gives nothing;
    // missing → nothing; no trace.
    let mut w = world();
    let r = avm_vm::itree::run(
        &pure_prog(
            Block::new()
                .instr("a", call_f(vec![int(21)]))
                .instr("b", call_f(vec![int(1), int(2)]))
                .ret(tuple(vec![var("a"), var("b")])),
            Safety::Safe,
        ),
        &mut w,
        &config(),
    );
    assert_eq!(r.outcome, Ok(tup(vec![just(Val::Int(42)), Val::Nothing])));
    assert!(r.trace.is_empty());
}

#[test]
fn pure_function_cannot_perform_effects() {
    // language.md §3: a pure fn may not perform effects. Ours: an instruction inside a pure
    // function is ExecError::EffectInPureFunction.
    let mut w = world();
    let r = avm_vm::itree::run(
        &pure_prog(
            Block::new()
                .instr(
                    "a",
                    Instr::CallPure {
                        name: name("sneaky"),
                        args: list(vec![]),
                    },
                )
                .ret(var("a")),
            Safety::Safe,
        ),
        &mut w,
        &config(),
    );
    assert_eq!(
        r.outcome,
        Err(ExecError::EffectInPureFunction {
            instruction: "self"
        }
        .into())
    );
}

#[test]
fn update_pure_swaps_and_bumps_version() {
    // isa.md §7 updatePure: name missing → error; else {f, version+1}; true; logs
    // FunctionUpdated(name).
    let mut w = world();
    let r = avm_vm::itree::run(
        &pure_prog(
            Block::new()
                .instr(
                    "u",
                    Instr::UpdatePure {
                        name: name("f"),
                        function: name("triple"),
                    },
                )
                .instr("a", call_f(vec![int(2)]))
                .ret(tuple(vec![var("u"), var("a")])),
            Safety::Safe,
        ),
        &mut w,
        &config(),
    );
    assert_eq!(r.outcome, Ok(tup(vec![Val::Bool(true), just(Val::Int(6))])));
    assert_eq!(w.pure.get("f").map(|e| e.version), Some(1));
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] FunctionUpdated(\"f\") @none\n"
    );
}

#[test]
fn register_pure_is_unsafe_and_unique() {
    // isa.md §7 registerPure: Unsafe; name taken → ErrFunctionAlreadyRegistered; logs nothing.
    let reg = |n: &str| Instr::RegisterPure {
        name: name(n),
        function: name("double"),
    };
    let mut w = world();
    let r = avm_vm::itree::run(
        &pure_prog(
            Block::new()
                .instr("a", reg("g"))
                .instr(
                    "b",
                    Instr::CallPure {
                        name: name("g"),
                        args: list(vec![int(4)]),
                    },
                )
                .ret(tuple(vec![var("a"), var("b")])),
            Safety::Unsafe,
        ),
        &mut w,
        &config(),
    );
    assert_eq!(r.outcome, Ok(tup(vec![Val::Bool(true), just(Val::Int(8))])));
    assert!(r.trace.is_empty());
    let mut w = world();
    let r = avm_vm::itree::run(
        &pure_prog(Block::new().effect(reg("f")).ret(unit()), Safety::Unsafe),
        &mut w,
        &config(),
    );
    assert_eq!(
        r.outcome,
        Err(PureError::ErrFunctionAlreadyRegistered(Rc::from("f")).into())
    );
    let mut w = world();
    let r = avm_vm::itree::run(
        &pure_prog(Block::new().effect(reg("g")).ret(unit()), Safety::Safe),
        &mut w,
        &config(),
    );
    assert_eq!(
        r.outcome,
        Err(ExecError::UnsafeInSafeCode {
            instruction: "registerPure"
        }
        .into())
    );
}

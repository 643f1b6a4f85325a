//! Transactions: read-set validation across two executions sharing one world, nested
//! savepoints, read-your-writes, and transactional moves / pure updates (our documented
//! deviations; see docs/spec-deviations.md).

mod common;

use avm_vm::error::{AvmError, TxError};
use avm_vm::ids::{ObjectId, TxId};
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{Instr, Program};
use avm_vm::itree::{Interp, RunConfig, Status, run};
use avm_vm::samples;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use avm_vm::world::World;
use common::*;
use std::rc::Rc;

/// A world with two initialised counters owned by "c1" (ids 0 and 2).
fn counters() -> World {
    let mut w = World::new();
    let setup = samples::counter_program(
        Block::new()
            .instr("a", create("Counter", some_controller("c1")))
            .effect(Instr::Call(var("a"), string("init")))
            .instr("b", create("Counter", some_controller("c1")))
            .effect(Instr::Call(var("b"), string("init")))
            .ret(unit()),
    );
    let r = run(&setup, &mut w, &RunConfig::default());
    assert_eq!(r.outcome, Ok(Val::Unit));
    w
}

/// Adds 1 to counter `target` inside a transaction and commits.
fn add_in_tx(target: u64) -> Program {
    samples::counter_program(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("r", Instr::Call(oid(target), samples::add_msg(int(1))))
            .instr("ok", Instr::CommitTx(var("t")))
            .ret(var("r")),
    )
}

/// Adds `n` to counter `target` outside any transaction.
fn add_now(target: u64, n: i64) -> Program {
    samples::counter_program(
        Block::new()
            .instr("r", Instr::Call(oid(target), samples::add_msg(int(n))))
            .ret(var("r")),
    )
}

/// Runs `a` until its transaction has logged one call, then runs `b` to completion, then
/// finishes `a`. Returns both outcomes.
fn interleave(
    world: &mut World,
    a: &Program,
    b: &Program,
) -> (Result<Val, AvmError>, Result<Val, AvmError>) {
    let mut ia = Interp::new(a, world, &RunConfig::default());
    loop {
        let called = ia.exec.txs.top().is_some_and(|sp| !sp.tx_log.is_empty());
        if called || ia.run_slice(world, 1) == Status::Finished {
            break;
        }
    }
    let rb = run(b, world, &RunConfig::default());
    while ia.run_slice(world, 1000) == Status::Running {}
    (ia.finish().outcome, rb.outcome)
}

#[test]
fn concurrent_change_fails_commit() {
    // semantics.md §4 / runtime.md §1: abort if a read-set object changed by a concurrent
    // commit. A calls counter 0 in a tx; B (no tx) adds 10 to it; A's commit → ErrTxConflict.
    let mut w = counters();
    let (a, b) = interleave(&mut w, &add_in_tx(0), &add_now(0, 10));
    assert_eq!(b, Ok(Val::just(Val::Int(10))));
    assert!(
        matches!(a, Err(AvmError::Tx(TxError::ErrTxConflict(_)))),
        "{a:?}"
    );
    // A's write was not applied: the counter holds B's value only.
    assert_eq!(w.store.state(ObjectId(0)), Some(&[Val::Int(10)][..]));
}

#[test]
fn concurrent_destroy_fails_commit() {
    // The observed object vanished (the spec's validateObserved rule) → ErrTxConflict.
    let mut w = counters();
    let destroy =
        samples::counter_program(Block::new().effect(Instr::DestroyObj(oid(0))).ret(unit()));
    let (a, b) = interleave(&mut w, &add_in_tx(0), &destroy);
    assert_eq!(b, Ok(Val::Unit));
    assert!(
        matches!(a, Err(AvmError::Tx(TxError::ErrTxConflict(_)))),
        "{a:?}"
    );
}

#[test]
fn unrelated_change_commits() {
    // B changes a different object: A's read set is untouched, A commits.
    let mut w = counters();
    let (a, b) = interleave(&mut w, &add_in_tx(0), &add_now(2, 5));
    assert_eq!(a, Ok(Val::just(Val::Int(1))));
    assert_eq!(b, Ok(Val::just(Val::Int(5))));
    assert_eq!(w.store.state(ObjectId(0)), Some(&[Val::Int(1)][..]));
}

#[test]
fn commit_or_abort_turns_conflict_into_false() {
    let prog = samples::counter_program(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("r", Instr::Call(oid(0), samples::add_msg(int(1))))
            .instr("ok", Instr::CommitOrAbort(var("t")))
            .ret(var("ok")),
    );
    let mut w = counters();
    let (a, _) = interleave(&mut w, &prog, &add_now(0, 10));
    assert_eq!(a, Ok(Val::Bool(false)));
    assert_eq!(w.store.state(ObjectId(0)), Some(&[Val::Int(10)][..]));
}

#[test]
fn nested_inner_abort_rolls_back_only_inner() {
    let mut w = counters();
    let prog = samples::counter_program(
        Block::new()
            .instr("outer", Instr::BeginTx(none()))
            .effect(Instr::Call(oid(0), samples::add_msg(int(1))))
            .instr("inner", Instr::BeginTx(none()))
            .effect(Instr::Call(oid(0), samples::add_msg(int(100))))
            .instr("p", create("Counter", none()))
            .effect(Instr::AbortTx(var("inner")))
            .instr("seen", Instr::Call(oid(0), string("get")))
            .instr("gone", Instr::GetMachine(var("p")))
            .effect(Instr::CommitTx(var("outer")))
            .ret(tuple(vec![var("seen"), var("gone")])),
    );
    let r = run(&prog, &mut w, &RunConfig::default());
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![Val::just(Val::Int(1)), Val::Nothing]))
    );
    assert_eq!(w.store.state(ObjectId(0)), Some(&[Val::Int(1)][..]));
}

#[test]
fn nested_inner_commit_merges_and_outer_abort_drops_all() {
    let mut w = counters();
    let prog = samples::counter_program(
        Block::new()
            .instr("outer", Instr::BeginTx(none()))
            .instr("inner", Instr::BeginTx(none()))
            .effect(Instr::Call(oid(0), samples::add_msg(int(7))))
            .effect(Instr::CommitTx(var("inner")))
            .instr("seen", Instr::Call(oid(0), string("get")))
            .effect(Instr::AbortTx(var("outer")))
            .instr("after", Instr::Call(oid(0), string("get")))
            .ret(tuple(vec![var("seen"), var("after")])),
    );
    let r = run(&prog, &mut w, &RunConfig::default());
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![
            Val::just(Val::Int(7)),
            Val::just(Val::Int(0))
        ]))
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn abort_of_outer_id_drops_inner_savepoints() {
    let mut w = counters();
    let prog = samples::counter_program(
        Block::new()
            .instr("outer", Instr::BeginTx(none()))
            .instr("inner", Instr::BeginTx(none()))
            .effect(Instr::Call(oid(0), samples::add_msg(int(7))))
            .effect(Instr::AbortTx(var("outer")))
            .instr("ctl", Instr::GetCurrentController)
            .instr("after", Instr::Call(oid(0), string("get")))
            .ret(tuple(vec![var("ctl"), var("after")])),
    );
    let r = run(&prog, &mut w, &RunConfig::default());
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![Val::Nothing, Val::just(Val::Int(0))]))
    );
}

#[test]
fn abort_unknown_id_while_open() {
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::AbortTx(txid(77)))
            .ret(unit()),
    );
    assert_eq!(r.outcome, Err(TxError::ErrTxNotFound(TxId(77)).into()));
}

#[test]
fn nested_begin_with_other_controller_refused() {
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .effect(Instr::BeginTx(some_controller("c2")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        Err(TxError::ErrInvalidDuringTx(Rc::from(
            "beginTx with a controller other than the enclosing transaction's"
        ))
        .into())
    );
}

#[test]
fn abort_restores_deferred_controller() {
    // A deferred controller resolved inside an inner savepoint is forgotten when it aborts.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("outer", Instr::BeginTx(none()))
            .instr("inner", Instr::BeginTx(none()))
            .effect(Instr::Call(var("o"), int(1)))
            .instr("during", Instr::GetCurrentController)
            .effect(Instr::AbortTx(var("inner")))
            .instr("after", Instr::GetCurrentController)
            .ret(tuple(vec![var("during"), var("after")])),
    );
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![Val::just(ctrl("c1")), Val::Nothing]))
    );
}

#[test]
fn update_pure_is_transactional() {
    // Deviation: updatePure inside a tx is visible to the tx and undone by abort.
    let prog = behaviours()
        .pure_function("one", &[], ret(int(1)))
        .pure_function("two", &[], ret(int(2)))
        .register_pure("f", "one")
        .main(
            Block::new()
                .instr("t", Instr::BeginTx(none()))
                .effect(Instr::UpdatePure {
                    name: name("f"),
                    function: name("two"),
                })
                .instr(
                    "inside",
                    Instr::CallPure {
                        name: name("f"),
                        args: list(vec![]),
                    },
                )
                .effect(Instr::AbortTx(var("t")))
                .instr(
                    "after",
                    Instr::CallPure {
                        name: name("f"),
                        args: list(vec![]),
                    },
                )
                .ret(tuple(vec![var("inside"), var("after")])),
        );
    let mut w = world();
    let r = run(&prog, &mut w, &config());
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![
            Val::just(Val::Int(2)),
            Val::just(Val::Int(1))
        ]))
    );
    assert_eq!(w.pure.get("f").map(|e| e.version), Some(0));
}

#[test]
fn committed_effects_apply_in_order() {
    // Commit applies creates → transfers → moves → destroys → states; the store ends with the
    // created object transferred, moved, and its state written.
    let mut w = world();
    let r = avm_vm::itree::run(
        &prog(
            Block::new()
                .instr("t", Instr::BeginTx(some_controller("c1")))
                .instr("o", create("echo", none()))
                .effect(Instr::TransferObject(var("o"), controller("c2")))
                .effect(Instr::MoveObject(var("o"), machine("m3")))
                .instr("gone", create("echo", none()))
                .effect(Instr::DestroyObj(var("gone")))
                .effect(Instr::CommitTx(var("t")))
                .ret(var("o")),
        ),
        &mut w,
        &config(),
    );
    assert_eq!(r.outcome, Ok(Val::Object(ObjectId(1))));
    let meta = &w.store.object(ObjectId(1)).expect("committed").meta;
    assert_eq!(meta.machine.name(), "m3");
    assert_eq!(
        meta.current_controller.as_ref().map(|c| c.name()),
        Some("c2")
    );
    assert_eq!(
        meta.creating_controller.as_ref().map(|c| c.name()),
        Some("c1")
    );
    assert!(w.store.object(ObjectId(4)).is_none());
}

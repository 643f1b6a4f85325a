//! Every edge-case vector of `examples.md` §4 (computed by the Agda interpreter), one test each.
//! Where we follow the spec the assertion is the spec's result; where we deviate it is our
//! documented result (docs/spec-deviations.md), with the spec's result in the comment.

mod common;

use avm_vm::error::{
    AvmError, ControllerError, ExecError, MachineError, ObjError, PureError, TxError,
};
use avm_vm::ids::{ControllerId, MachineId, ObjectId, TxId};
use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use common::*;
use std::rc::Rc;

fn err<E: Into<AvmError>>(e: E) -> Result<Val, AvmError> {
    Err(e.into())
}

fn ints(xs: &[i64]) -> Val {
    Val::list(xs.iter().map(|i| Val::Int(*i)).collect())
}

/// Echo object `o` owned by c1, then transaction `t` begun with no controller: the opening
/// of several §4 rows.
fn owned_echo_in_tx() -> Block {
    Block::new()
        .instr("o", create("echo", some_controller("c1")))
        .instr("t", Instr::BeginTx(none()))
}

/// Runs `setup` (which binds object `o` and an open transaction `t`) followed by
/// `destroy o; commit t; getMachine o`, and asserts §4's result for that tail:
/// (true, true, nothing) — the committed destroy removes the object.
fn assert_destroy_commit_forgets(setup: Block) {
    let (r, _) = run_main(
        setup
            .instr("d", Instr::DestroyObj(var("o")))
            .instr("c", Instr::CommitTx(var("t")))
            .instr("m", Instr::GetMachine(var("o")))
            .ret(tuple(vec![var("d"), var("c"), var("m")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![Val::Bool(true), Val::Bool(true), Val::Nothing]))
    );
}

/// `ErrControllerUnreachable "dead"`, the failure of every §4 row that names the
/// unreachable controller.
fn unreachable_dead() -> Result<Val, AvmError> {
    err(ControllerError::ErrControllerUnreachable(
        ControllerId::new("dead"),
    ))
}

/// `ErrObjectHasNoController 0`: object #0 was created without a controller.
fn no_controller_0() -> Result<Val, AvmError> {
    err(ControllerError::ErrObjectHasNoController(ObjectId(0)))
}

#[test]
fn setget_twice_no_tx() {
    // §4 row 1: create setget; call o 7; call o 8 (no tx) → (just [7], just [8]); events ts 0..2.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("setget", none()))
            .instr("a", Instr::Call(var("o"), int(7)))
            .instr("b", Instr::Call(var("o"), int(8)))
            .ret(tuple(vec![var("a"), var("b")])),
    );
    assert_eq!(r.outcome, Ok(tup(vec![just(ints(&[7])), just(ints(&[8]))])));
    let ts: Vec<u64> = r
        .trace
        .entries()
        .iter()
        .filter(|e| e.event.is_spec())
        .map(|e| e.timestamp)
        .collect();
    assert_eq!(ts, vec![0, 1, 2]);
}

#[test]
fn setget_in_tx_reads_own_writes() {
    // §4 row 2: owner c1; begin; call o 7; call o 8; commit; call o 9.
    // Spec: (just [], just [], just [9]) — no read-your-writes. Ours (deviation): (just [7],
    // just [8], just [9]).
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("setget", some_controller("c1")))
            .instr("t", Instr::BeginTx(none()))
            .instr("a", Instr::Call(var("o"), int(7)))
            .instr("b", Instr::Call(var("o"), int(8)))
            .effect(Instr::CommitTx(var("t")))
            .instr("c", Instr::Call(var("o"), int(9)))
            .ret(tuple(vec![var("a"), var("b"), var("c")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            just(ints(&[7])),
            just(ints(&[8])),
            just(ints(&[9]))
        ]))
    );
}

#[test]
fn no_owner_in_deferred_tx() {
    // §4 row 3: create setget (no owner); begin; call o → ErrObjectHasNoController 0.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("setget", none()))
            .instr("t", Instr::BeginTx(none()))
            .instr("a", Instr::Call(var("o"), int(1)))
            .ret(var("a")),
    );
    assert_eq!(r.outcome, no_controller_0());
}

#[test]
fn deferred_controller_resolution() {
    // §4 row 4: (nothing, just 1, just "c1", true); TransactionStarted(1) @none,
    // ObjectCalled … @c1, TransactionCommitted(1) @c1.
    let (r, _) = run_main(
        owned_echo_in_tx()
            .instr("c0", Instr::GetCurrentController)
            .instr("a", Instr::Call(var("o"), int(1)))
            .instr("c1", Instr::GetCurrentController)
            .instr("ok", Instr::CommitTx(var("t")))
            .ret(tuple(vec![var("c0"), var("a"), var("c1"), var("ok")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            Val::Nothing,
            just(Val::Int(1)),
            just(ctrl("c1")),
            Val::Bool(true)
        ]))
    );
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] ObjectCreated(#0, \"echo\") @none\n\
         [1] TransactionStarted(1) @none\n\
         [2] ObjectCalled(#0, 1 -> 1) @c1\n\
         [3] TransactionCommitted(1) @c1\n"
    );
}

#[test]
fn cross_controller_after_resolution() {
    // §4 row 5: a owner c1, b owner c2; begin; call a; call b → ErrCrossControllerTx(1, "c2").
    let (r, _) = run_main(
        Block::new()
            .instr("a", create("echo", some_controller("c1")))
            .instr("b", create("echo", some_controller("c2")))
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::Call(var("a"), int(1)))
            .effect(Instr::Call(var("b"), int(1)))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        err(ControllerError::ErrCrossControllerTx(
            ObjectId(1),
            ControllerId::new("c2")
        ))
    );
}

#[test]
fn cross_controller_explicit() {
    // §4 row 6: a owner c1; begin (just c2); call a → ErrCrossControllerTx(0, "c1").
    let (r, _) = run_main(
        Block::new()
            .instr("a", create("echo", some_controller("c1")))
            .instr("t", Instr::BeginTx(some_controller("c2")))
            .effect(Instr::Call(var("a"), int(1)))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        err(ControllerError::ErrCrossControllerTx(
            ObjectId(0),
            ControllerId::new("c1")
        ))
    );
}

#[test]
fn cross_controller_unknown_owner() {
    // §4 row 7: a no owner; begin (just c2); call a → ErrCrossControllerTx(0, "unknown").
    let (r, _) = run_main(
        Block::new()
            .instr("a", create("echo", none()))
            .instr("t", Instr::BeginTx(some_controller("c2")))
            .effect(Instr::Call(var("a"), int(1)))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        err(ControllerError::ErrCrossControllerTx(
            ObjectId(0),
            ControllerId::new("unknown")
        ))
    );
}

#[test]
fn commit_outer_while_inner_open() {
    // §4 row 8: begin t1; begin t2; commit t1 → ErrTxConflict 0. Same result for us: t1 is not
    // the innermost open transaction (the spec: t2 replaced it).
    let (r, _) = run_main(
        Block::new()
            .instr("t1", Instr::BeginTx(none()))
            .instr("t2", Instr::BeginTx(none()))
            .effect(Instr::CommitTx(var("t1")))
            .ret(unit()),
    );
    assert_eq!(r.outcome, err(TxError::ErrTxConflict(TxId(0))));
}

#[test]
fn pending_state_survives_second_begin() {
    // §4 row 9: begin; setState [1]; begin; commit (2nd id); getState → [1]. Same for us (the
    // inner savepoint commits into the still-open outer one, which reads its own write).
    let (r, _) = run_main(
        Block::new()
            .instr("t1", Instr::BeginTx(none()))
            .effect(Instr::SetState(list(vec![int(1)])))
            .instr("t2", Instr::BeginTx(none()))
            .effect(Instr::CommitTx(var("t2")))
            .instr("s", Instr::GetState)
            .ret(var("s")),
    );
    assert_eq!(r.outcome, Ok(ints(&[1])));
}

#[test]
fn commit_and_abort_without_tx() {
    // §4 row 10: commit 5 with no tx → ErrNoActiveTx; abort 5 with no tx → ok,
    // TransactionAborted(5).
    let (r, _) = run_main(Block::new().effect(Instr::CommitTx(txid(5))).ret(unit()));
    assert_eq!(r.outcome, err(TxError::ErrNoActiveTx));
    let (r, _) = run_main(Block::new().effect(Instr::AbortTx(txid(5))).ret(unit()));
    assert_eq!(r.outcome, Ok(Val::Unit));
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] TransactionAborted(5) @none\n"
    );
}

#[test]
fn commit_wrong_id() {
    // §4 row 11: begin; commit 77 → ErrTxConflict 77.
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::CommitTx(txid(77)))
            .ret(unit()),
    );
    assert_eq!(r.outcome, err(TxError::ErrTxConflict(TxId(77))));
}

#[test]
fn begin_unreachable_controller() {
    // §4 row 12: begin (just "dead") → ErrControllerUnreachable "dead".
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("dead")))
            .ret(unit()),
    );
    assert_eq!(r.outcome, unreachable_dead());
}

#[test]
fn teleport_moves_execution() {
    // §4 row 13: teleport m9; getCurrentMachine → (true, "m9"), ExecutionMoved(m9, m0).
    let (r, _) = run_main(
        Block::new()
            .instr("ok", Instr::Teleport(machine("m9")))
            .instr("m", Instr::GetCurrentMachine)
            .ret(tuple(vec![var("ok"), var("m")])),
    );
    assert_eq!(r.outcome, Ok(tup(vec![Val::Bool(true), mach("m9")])));
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] ExecutionMoved(m9, m0) @none\n"
    );
}

#[test]
fn teleport_errors() {
    // §4 row 14: begin; teleport m9 → ErrInvalidDuringTx "teleport"; teleport dead →
    // ErrMachineUnreachable "dead".
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::Teleport(machine("m9")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        err(TxError::ErrInvalidDuringTx(Rc::from("teleport")))
    );
    let (r, _) = run_main(
        Block::new()
            .effect(Instr::Teleport(machine("dead")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        err(MachineError::ErrMachineUnreachable(MachineId::new("dead")))
    );
}

#[test]
fn caller_machine_after_call() {
    // §4 row 15: create echo; moveObject o m2; call o; getCurrentMachine.
    // Spec: (true, just 1, "m2") — the caller stays on the callee's machine. Ours (deviation):
    // (true, just 1, "m0") — a call returns the caller to its own machine.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", none()))
            .instr("mv", Instr::MoveObject(var("o"), machine("m2")))
            .instr("a", Instr::Call(var("o"), int(1)))
            .instr("m", Instr::GetCurrentMachine)
            .ret(tuple(vec![var("mv"), var("a"), var("m")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![Val::Bool(true), just(Val::Int(1)), mach("m0")]))
    );
}

#[test]
fn destroy_without_owner() {
    // §4 row 16: create echo (no owner); destroyObj o → ErrObjectHasNoController 0.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", none()))
            .effect(Instr::DestroyObj(var("o")))
            .ret(unit()),
    );
    assert_eq!(r.outcome, no_controller_0());
}

#[test]
fn destroy_is_immediate_outside_tx() {
    // §4 row 17: create echo owner c1; destroyObj o; call o → ErrObjectNotFound 0.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .effect(Instr::DestroyObj(var("o")))
            .effect(Instr::Call(var("o"), int(1)))
            .ret(unit()),
    );
    assert_eq!(r.outcome, err(ObjError::ErrObjectNotFound(ObjectId(0))));
}

#[test]
fn missing_object() {
    // §4 row 18: destroyObj 42 / call 42 → ErrObjectNotFound 42.
    let (r, _) = run_main(Block::new().effect(Instr::DestroyObj(oid(42))).ret(unit()));
    assert_eq!(r.outcome, err(ObjError::ErrObjectNotFound(ObjectId(42))));
    let (r, _) = run_main(
        Block::new()
            .effect(Instr::Call(oid(42), unit()))
            .ret(unit()),
    );
    assert_eq!(r.outcome, err(ObjError::ErrObjectNotFound(ObjectId(42))));
}

#[test]
fn destroyed_in_tx_then_called() {
    // §4 row 19: owner c1; begin; destroy o; call o; commit; getMachine o.
    // Spec: (true, just 5, true, nothing) — a destroyed object stays callable until commit.
    // Ours (deviation, read-your-writes): the call fails with ErrObjectNotFound 0. Without the
    // call, the rest of the row holds: (true, true, nothing).
    let (r, _) = run_main(
        owned_echo_in_tx()
            .instr("d", Instr::DestroyObj(var("o")))
            .instr("a", Instr::Call(var("o"), int(5)))
            .ret(var("a")),
    );
    assert_eq!(r.outcome, err(ObjError::ErrObjectNotFound(ObjectId(0))));
    assert_destroy_commit_forgets(owned_echo_in_tx());
}

#[test]
fn transfer_pending_create() {
    // §4 row 20: begin (just c1); create echo; transfer o c2; getController o; commit;
    // getController o. Spec: (true, just "c1", true, just "c2"), ObjectTransferred and
    // TransactionCommitted both at ts 2. Ours (deviations): the transaction sees its own pending
    // transfer (just "c2"), and the transfer advances the clock (commit at ts 3).
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .instr("o", create("echo", none()))
            .instr("x", Instr::TransferObject(var("o"), controller("c2")))
            .instr("g1", Instr::GetController(var("o")))
            .instr("c", Instr::CommitTx(var("t")))
            .instr("g2", Instr::GetController(var("o")))
            .ret(tuple(vec![var("x"), var("g1"), var("c"), var("g2")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            Val::Bool(true),
            just(ctrl("c2")),
            Val::Bool(true),
            just(ctrl("c2"))
        ]))
    );
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] TransactionStarted(0) @none\n\
         [1] ObjectCreated(#1, \"echo\") @c1\n\
         [2] ObjectTransferred(#1, c1, c2) @c1\n\
         [3] TransactionCommitted(0) @c1\n"
    );
}

#[test]
fn transfer_outside_tx() {
    // §4 row 21: owner c1; transfer o c2 (no tx); getController → (true, just "c2"),
    // ObjectTransferred(0, c1, c2) @none.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("x", Instr::TransferObject(var("o"), controller("c2")))
            .instr("g", Instr::GetController(var("o")))
            .ret(tuple(vec![var("x"), var("g")])),
    );
    assert_eq!(r.outcome, Ok(tup(vec![Val::Bool(true), just(ctrl("c2"))])));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[1] ObjectTransferred(#0, c1, c2) @none")
    );
}

#[test]
fn transfer_errors() {
    // §4 row 22: no owner; transfer o c2 → ErrObjectHasNoController 0; owner c1; transfer o
    // dead → ErrControllerUnreachable "dead".
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", none()))
            .effect(Instr::TransferObject(var("o"), controller("c2")))
            .ret(unit()),
    );
    assert_eq!(r.outcome, no_controller_0());
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .effect(Instr::TransferObject(var("o"), controller("dead")))
            .ret(unit()),
    );
    assert_eq!(r.outcome, unreachable_dead());
}

#[test]
fn freeze_outside_tx() {
    // §4 row 23: owner c1; freeze o (no tx) → ErrObjectHasNoController 0.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .effect(Instr::Freeze(var("o")))
            .ret(unit()),
    );
    assert_eq!(r.outcome, no_controller_0());
}

#[test]
fn freeze_in_tx() {
    // §4 row 24: owner c1; begin (just c1); freeze o → just true, ObjectFrozen(0, c1) @c1;
    // freeze 42 → ErrObjectNotFound 42.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .instr("f", Instr::Freeze(var("o")))
            .ret(var("f")),
    );
    assert_eq!(r.outcome, Ok(just(Val::Bool(true))));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[2] ObjectFrozen(#0, c1) @c1")
    );
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .effect(Instr::Freeze(oid(42)))
            .ret(unit()),
    );
    assert_eq!(r.outcome, err(ObjError::ErrObjectNotFound(ObjectId(42))));
}

#[test]
fn pure_missing() {
    // §4 row 25: callPure "nope" [] → nothing, empty trace; updatePure "nope" f →
    // ErrFunctionNotFound "nope".
    let (r, _) = run_main(
        Block::new()
            .instr(
                "r",
                Instr::CallPure {
                    name: name("nope"),
                    args: list(vec![]),
                },
            )
            .ret(var("r")),
    );
    assert_eq!(r.outcome, Ok(Val::Nothing));
    assert!(r.trace.is_empty());
    let mut w = world();
    let p = behaviours().pure_function("f", &[], ret(int(1))).main(
        Block::new()
            .effect(Instr::UpdatePure {
                name: name("nope"),
                function: name("f"),
            })
            .ret(unit()),
    );
    let r = avm_vm::itree::run(&p, &mut w, &config());
    assert_eq!(
        r.outcome,
        err(PureError::ErrFunctionNotFound(Rc::from("nope")))
    );
}

#[test]
fn receive_gets_activation_input() {
    // §4 row 26: create recv; call o 3 → receive yielded just 3; MessageReceived(0, 3) then
    // ObjectCalled.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("recv", none()))
            .instr("a", Instr::Call(var("o"), int(3)))
            .ret(var("a")),
    );
    assert_eq!(r.outcome, Ok(just(just(Val::Int(3)))));
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] ObjectCreated(#0, \"recv\") @none\n\
         [1] MessageReceived(#0, 3) @none\n\
         [2] ObjectCalled(#0, 3 -> some(3)) @none\n"
    );
}

#[test]
fn reify_context() {
    // §4 row 27: reifyContext at top level → (100, "ambient", "m0"); inside begin (just c1) →
    // controller "c1".
    let (r, _) = run_main(Block::new().instr("c", Instr::ReifyContext).ret(tuple(vec![
        field(var("c"), "self"),
        field(var("c"), "controller"),
        field(var("c"), "machine"),
    ])));
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            Val::Object(ObjectId(100)),
            ctrl("ambient"),
            mach("m0")
        ]))
    );
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .instr("c", Instr::ReifyContext)
            .ret(field(var("c"), "controller")),
    );
    assert_eq!(r.outcome, Ok(ctrl("c1")));
}

#[test]
fn callee_context_and_event_order() {
    // §4 row 28: a = ctx; n calls a → a sees self 0, sender just 1, machine m0; the inner call
    // event (ts 2) precedes the outer (ts 3).
    let (r, _) = run_main(
        Block::new()
            .instr("a", create("ctx", none()))
            .instr("n", create("caller", none()))
            .instr("r", Instr::Call(var("n"), var("a")))
            .ret(var("r")),
    );
    let seen = tup(vec![
        Val::Object(ObjectId(0)),
        just(Val::Object(ObjectId(1))),
        mach("m0"),
    ]);
    assert_eq!(r.outcome, Ok(just(just(seen))));
    let text = r.trace.render(TraceView::Spec);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[2].starts_with("[2] ObjectCalled(#0, ()"), "{text}");
    assert!(lines[3].starts_with("[3] ObjectCalled(#1, #0"), "{text}");
}

#[test]
fn callee_failure_fails_the_run() {
    // §4 row 29: create failer (does commitTx 999); call it → whole run fails ErrNoActiveTx.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("failer", none()))
            .effect(Instr::Call(var("o"), unit()))
            .ret(unit()),
    );
    assert_eq!(r.outcome, err(TxError::ErrNoActiveTx));
}

#[test]
fn empty_behaviour_gives_nothing() {
    // §4 row 30: create empty; call it → nothing; ObjectCalled(0, 1) with no output.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("empty", none()))
            .instr("a", Instr::Call(var("o"), int(1)))
            .ret(var("a")),
    );
    assert_eq!(r.outcome, Ok(Val::Nothing));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[1] ObjectCalled(#0, 1) @none")
    );
}

#[test]
fn move_in_aborted_tx() {
    // §4 row 31: owner c1; begin; moveObject o m5; abort; getMachine o.
    // Spec: just "m5" (the move survives the abort). Ours (deviation): just "m0".
    let (r, _) = run_main(
        owned_echo_in_tx()
            .effect(Instr::MoveObject(var("o"), machine("m5")))
            .effect(Instr::AbortTx(var("t")))
            .instr("m", Instr::GetMachine(var("o")))
            .ret(var("m")),
    );
    assert_eq!(r.outcome, Ok(just(mach("m0"))));
}

#[test]
fn create_in_aborted_tx() {
    // §4 row 32: begin; create echo; call o; abort; getMachine o → (just 1, nothing); call o →
    // ErrObjectNotFound 1.
    let body = || {
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("o", create("echo", none()))
            .instr("a", Instr::Call(var("o"), int(1)))
            .effect(Instr::AbortTx(var("t")))
    };
    let (r, _) = run_main(
        body()
            .instr("m", Instr::GetMachine(var("o")))
            .ret(tuple(vec![var("a"), var("m")])),
    );
    assert_eq!(r.outcome, Ok(tup(vec![just(Val::Int(1)), Val::Nothing])));
    let (r, _) = run_main(body().effect(Instr::Call(var("o"), int(1))).ret(unit()));
    assert_eq!(r.outcome, err(ObjError::ErrObjectNotFound(ObjectId(1))));
}

#[test]
fn fetch_relocates() {
    // §4 row 33: create echo; move o m7; fetch o; getMachine o; fetch 42 →
    // (true, just "m0", false).
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", none()))
            .effect(Instr::MoveObject(var("o"), machine("m7")))
            .instr("f", Instr::Fetch(var("o")))
            .instr("m", Instr::GetMachine(var("o")))
            .instr("g", Instr::Fetch(oid(42)))
            .ret(tuple(vec![var("f"), var("m"), var("g")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            Val::Bool(true),
            just(mach("m0")),
            Val::Bool(false)
        ]))
    );
}

#[test]
fn create_then_destroy_in_tx() {
    // §4 row 34: begin; create; destroy it; commit; getMachine → (true, true, nothing).
    assert_destroy_commit_forgets(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("o", create("echo", none())),
    );
}

#[test]
fn reify_tx_state() {
    // §4 row 35: owner c1; begin; call o 1; create echo; setState [3]; reifyTxState →
    // just {id = just 1, writes = [(0, 1)], creates = [3], destroys = [], observed = [0]}.
    let (r, _) = run_unsafe_main(
        owned_echo_in_tx()
            .effect(Instr::Call(var("o"), int(1)))
            .instr("p", create("echo", none()))
            .effect(Instr::SetState(list(vec![int(3)])))
            .instr("s", Instr::ReifyTxState)
            .instr("c", Instr::GetCurrentController)
            .ret(tuple(vec![var("s"), var("c")])),
    );
    let expected = Val::record(
        "ReifiedTxState",
        vec![
            ("id", just(Val::Tx(TxId(1)))),
            (
                "writes",
                Val::list(vec![tup(vec![Val::Object(ObjectId(0)), Val::Int(1)])]),
            ),
            ("creates", Val::list(vec![Val::Object(ObjectId(3))])),
            ("destroys", Val::list(vec![])),
            ("observed", Val::list(vec![Val::Object(ObjectId(0))])),
        ],
    );
    assert_eq!(r.outcome, Ok(tup(vec![just(expected), just(ctrl("c1"))])));
}

#[test]
fn top_level_state() {
    // §4 row 36: setState [1] at top level; getState → [1] (written under self 100).
    let (r, w) = run_main(
        Block::new()
            .effect(Instr::SetState(list(vec![int(1)])))
            .instr("s", Instr::GetState)
            .ret(var("s")),
    );
    assert_eq!(r.outcome, Ok(ints(&[1])));
    assert_eq!(w.store.state(ObjectId(100)), Some(&[Val::Int(1)][..]));
}

#[test]
fn unsafe_instruction_in_safe_program() {
    // §4 last row: a program containing an Unsafe instruction is rejected by the spec's type
    // checker. Ours: the VM refuses to run it from code not marked unsafe.
    let (r, _) = run_main(
        Block::new()
            .instr("m", Instr::Reflect(oid(0)))
            .ret(var("m")),
    );
    assert_eq!(
        r.outcome,
        err(ExecError::UnsafeInSafeCode {
            instruction: "reflect"
        })
    );
}

//! Conformance: Machine (`isa.md` §8) and Controller (`isa.md` §9) families, with the
//! in-process cluster's reachability settings.

mod common;

use avm_vm::cluster::Reachability;
use avm_vm::error::{ControllerError, MachineError, ObjError};
use avm_vm::ids::{ControllerId, MachineId, ObjectId};
use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::itree::{RunConfig, run};
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use common::*;

#[test]
fn get_machine_sees_pending_create() {
    // isa.md §8 getMachine: pending create's machine, else store metadata's, else nothing.
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("o", create("echo", none()))
            .instr("m", Instr::GetMachine(var("o")))
            .instr("n", Instr::GetMachine(oid(42)))
            .ret(tuple(vec![var("m"), var("n")])),
    );
    assert_eq!(r.outcome, Ok(tup(vec![just(mach("m0")), Val::Nothing])));
}

#[test]
fn move_object_logs_and_checks() {
    // isa.md §8 moveObject: missing → ErrObjectNotFound; unreachable → ErrMachineUnreachable;
    // logs ObjectMoved(oid, old, m).
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", none()))
            .instr("x", Instr::MoveObject(var("o"), machine("m4")))
            .ret(var("x")),
    );
    assert_eq!(r.outcome, Ok(Val::Bool(true)));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[1] ObjectMoved(#0, m0, m4) @none")
    );
    let (r, _) = run_main(
        Block::new()
            .effect(Instr::MoveObject(oid(5), machine("m4")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        Err(ObjError::ErrObjectNotFound(ObjectId(5)).into())
    );
}

#[test]
fn cut_link_makes_machine_unreachable() {
    // semantics.md §8: isReachableMachine is a platform predicate; the in-process cluster cuts
    // links between machines, so teleport and moveObject see the partition.
    let mut w = world();
    if let Some(c) = w.cluster_mut() {
        c.cut_link("m0", "m1");
    }
    let p = prog(
        Block::new()
            .instr("o", create("echo", none()))
            .effect(Instr::MoveObject(var("o"), machine("m1")))
            .ret(unit()),
    );
    let r = run(&p, &mut w, &config());
    assert_eq!(
        r.outcome,
        Err(MachineError::ErrMachineUnreachable(MachineId::new("m1")).into())
    );
    if let Some(c) = w.cluster_mut() {
        c.heal_link("m0", "m1");
    }
    let r = run(&p, &mut w, &config());
    assert_eq!(r.outcome, Ok(Val::Unit));
}

#[test]
fn call_runs_on_callee_machine_and_returns() {
    // semantics.md §3: the callee frame runs with machineId = meta.machine. Ours: the caller
    // returns to its own machine afterwards (docs/spec-deviations.md).
    let (r, _) = run_main(
        Block::new()
            .instr("a", create("ctx", none()))
            .effect(Instr::MoveObject(var("a"), machine("m2")))
            .instr("r", Instr::Call(var("a"), unit()))
            .instr("here", Instr::GetCurrentMachine)
            .ret(tuple(vec![var("r"), var("here")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            just(tup(vec![
                Val::Object(ObjectId(0)),
                just(Val::Object(ObjectId(100))),
                mach("m2")
            ])),
            mach("m0")
        ]))
    );
}

#[test]
fn fetch_missing_logs_nothing() {
    // isa.md §8 fetch: missing → false, no error, no event.
    let (r, _) = run_main(Block::new().instr("f", Instr::Fetch(oid(3))).ret(var("f")));
    assert_eq!(r.outcome, Ok(Val::Bool(false)));
    assert!(r.trace.is_empty());
}

#[test]
fn fetch_logs_current_machine() {
    // isa.md §8 fetch: metadata[oid].machine := st.machineId; logs ObjectFetched(oid, machine).
    let mut w = world();
    let cfg = RunConfig {
        machine: MachineId::new("m8"),
        ..config()
    };
    let r = run(
        &prog(
            Block::new()
                .instr("o", create("echo", none()))
                .effect(Instr::MoveObject(var("o"), machine("m1")))
                .instr("f", Instr::Fetch(var("o")))
                .ret(var("f")),
        ),
        &mut w,
        &cfg,
    );
    assert_eq!(r.outcome, Ok(Val::Bool(true)));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[2] ObjectFetched(#0, m8) @none")
    );
    assert_eq!(
        w.store
            .object(ObjectId(0))
            .map(|o| o.meta.machine.name().to_string()),
        Some("m8".into())
    );
}

#[test]
fn get_controller_cases() {
    // isa.md §9 getController: (e) no tx → currentController; (c) no metadata → nothing;
    // (d) tx → resolve the deferred controller from the object.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("a", Instr::GetController(var("o")))
            .instr("b", Instr::GetController(oid(9)))
            .instr("t", Instr::BeginTx(none()))
            .instr("c", Instr::GetController(var("o")))
            .instr("d", Instr::GetCurrentController)
            .ret(tuple(vec![var("a"), var("b"), var("c"), var("d")])),
    );
    assert_eq!(
        r.outcome,
        Ok(tup(vec![
            just(ctrl("c1")),
            Val::Nothing,
            just(ctrl("c1")),
            just(ctrl("c1"))
        ]))
    );
}

#[test]
fn get_controller_deferred_without_owner() {
    // isa.md §9 getController case (d): deferred tx controller and an object without one →
    // ErrObjectHasNoController.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", none()))
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::GetController(var("o")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        Err(ControllerError::ErrObjectHasNoController(ObjectId(0)).into())
    );
}

#[test]
fn transfer_in_tx_checks_ownership() {
    // isa.md §9 transferObject (tx, store object): resolve/check ownership →
    // ErrCrossControllerTx; not found → ErrObjectNotFound.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("t", Instr::BeginTx(some_controller("c2")))
            .effect(Instr::TransferObject(var("o"), controller("c3")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        Err(ControllerError::ErrCrossControllerTx(ObjectId(0), ControllerId::new("c1")).into())
    );
    let (r, _) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("c2")))
            .effect(Instr::TransferObject(oid(7), controller("c3")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        Err(ObjError::ErrObjectNotFound(ObjectId(7)).into())
    );
}

#[test]
fn transfer_in_tx_applies_at_commit() {
    // isa.md §9 transferObject (tx): appended to pendingTransfers, applied at commit; logs
    // ObjectTransferred(oid, txController, c).
    let (r, w) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .effect(Instr::TransferObject(var("o"), controller("c2")))
            .effect(Instr::CommitTx(var("t")))
            .ret(unit()),
    );
    assert_eq!(r.outcome, Ok(Val::Unit));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[2] ObjectTransferred(#0, c1, c2) @c1")
    );
    assert_eq!(
        w.store
            .object(ObjectId(0))
            .and_then(|o| o.meta.current_controller.clone()),
        Some(ControllerId::new("c2"))
    );
}

#[test]
fn freeze_unreachable_controller() {
    // isa.md §9 freeze: tx controller unreachable → ErrControllerUnreachable.
    let mut w = world();
    let p = prog(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .effect(Instr::Freeze(var("o")))
            .ret(unit()),
    );
    // c1 becomes unreachable after the begin: run the begin first, then partition.
    let mut it = avm_vm::itree::Interp::new(&p, &mut w, &config());
    while it.exec.txs.top().is_none() {
        if it.run_slice(&mut w, 1) == avm_vm::itree::Status::Finished {
            break;
        }
    }
    if let Some(c) = w.cluster_mut() {
        c.set_controller("c1", Reachability::Unreachable);
    }
    while it.run_slice(&mut w, 100) == avm_vm::itree::Status::Running {}
    assert_eq!(
        it.finish().outcome,
        Err(ControllerError::ErrControllerUnreachable(ControllerId::new("c1")).into())
    );
}

//! Conformance: Obj family (`isa.md` §2). Each test cites the rule it checks.

mod common;

use avm_vm::error::{AvmError, ControllerError, ExecError, ObjError};
use avm_vm::ids::{ControllerId, ObjectId};
use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use common::*;
use std::rc::Rc;

#[test]
fn create_outside_tx_installs_at_once() {
    // isa.md §2 createObj: oid = freshObjectId(eventCounter); no tx: objects, metadata and
    // states[oid] = [] written at once; meta = mkMeta oid st.machineId ctrl ctrl; logs
    // ObjectCreated(oid, name).
    let (r, w) = run_main(
        Block::new()
            .effect(Instr::Teleport(machine("m1")))
            .instr("o", create("echo", some_controller("c1")))
            .ret(var("o")),
    );
    assert_eq!(r.outcome, Ok(Val::Object(ObjectId(1))));
    let obj = w.store.object(ObjectId(1)).expect("installed");
    assert_eq!(obj.behaviour.as_ref(), "echo");
    assert_eq!(obj.meta.machine.name(), "m1");
    assert_eq!(obj.meta.creating_controller, Some(ControllerId::new("c1")));
    assert_eq!(obj.meta.current_controller, Some(ControllerId::new("c1")));
    assert_eq!(w.store.state(ObjectId(1)), Some(&[][..]));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[1] ObjectCreated(#1, \"echo\") @none")
    );
}

#[test]
fn create_in_tx_is_pending_and_inherits_tx_controller() {
    // isa.md §2 createObj: tx → appended to creates (store untouched); ctrl = mc if given, else
    // st.txController.
    let (r, w) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .instr("o", create("echo", none()))
            .instr("c", Instr::GetController(var("o")))
            .ret(var("c")),
    );
    assert_eq!(r.outcome, Ok(just(ctrl("c1"))));
    assert!(w.store.object(ObjectId(1)).is_none());
}

#[test]
fn create_unknown_behaviour_is_an_error() {
    // Ours (docs/spec-deviations.md "Unknown behaviour names"): the spec resolves any name
    // (unknown names run `ret []`); we refuse names the program does not define.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("nope", none()))
            .ret(var("o")),
    );
    assert_eq!(
        r.outcome,
        Err(AvmError::Exec(ExecError::UnknownBehaviour(Rc::from(
            "nope"
        ))))
    );
}

#[test]
fn destroy_pending_create_removes_it() {
    // isa.md §2 destroyObj case (1): tx and oid in creates → removed from creates; true.
    let (r, w) = run_main(
        Block::new()
            .instr("t", Instr::BeginTx(none()))
            .instr("o", create("echo", none()))
            .instr("d", Instr::DestroyObj(var("o")))
            .effect(Instr::CommitTx(var("t")))
            .ret(var("d")),
    );
    assert_eq!(r.outcome, Ok(Val::Bool(true)));
    assert!(w.store.object(ObjectId(1)).is_none());
}

#[test]
fn destroy_in_tx_checks_ownership() {
    // isa.md §2 destroyObj case (2): resolve/check ownership → ErrCrossControllerTx when the
    // owner differs from the tx controller.
    let (r, _) = run_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("t", Instr::BeginTx(some_controller("c2")))
            .effect(Instr::DestroyObj(var("o")))
            .ret(unit()),
    );
    assert_eq!(
        r.outcome,
        Err(ControllerError::ErrCrossControllerTx(ObjectId(0), ControllerId::new("c1")).into())
    );
}

#[test]
fn destroy_keeps_state_and_logs() {
    // isa.md §2 destroyObj case (3): no tx → delete objects/metadata at once, states kept;
    // logs ObjectDestroyed(oid); returns true.
    let (r, w) = run_main(
        Block::new()
            .instr("o", create("setget", some_controller("c1")))
            .effect(Instr::Call(var("o"), int(4)))
            .instr("d", Instr::DestroyObj(var("o")))
            .ret(var("d")),
    );
    assert_eq!(r.outcome, Ok(Val::Bool(true)));
    assert!(w.store.object(ObjectId(0)).is_none());
    assert_eq!(w.store.state(ObjectId(0)), Some(&[Val::Int(4)][..]));
    assert!(
        r.trace
            .render(TraceView::Spec)
            .contains("[2] ObjectDestroyed(#0) @none")
    );
}

#[test]
fn call_result_is_head_of_outputs() {
    // isa.md §2 call: result = nothing if the behaviour returns [], else just (head list), rest
    // discarded.
    let p = behaviours()
        .behaviour("two", ret(list(vec![int(1), int(2)])))
        .main(
            Block::new()
                .instr("o", create("two", none()))
                .instr("r", Instr::Call(var("o"), unit()))
                .ret(var("r")),
        );
    let mut w = world();
    let r = avm_vm::itree::run(&p, &mut w, &config());
    assert_eq!(r.outcome, Ok(just(Val::Int(1))));
}

#[test]
fn call_non_list_output_is_an_error() {
    // Ours: a behaviour must return a list of outputs (the spec's type `AVMProgram (List Val)`).
    let p = behaviours().behaviour("bad", ret(int(1))).main(
        Block::new()
            .instr("o", create("bad", none()))
            .effect(Instr::Call(var("o"), unit()))
            .ret(unit()),
    );
    let mut w = world();
    let r = avm_vm::itree::run(&p, &mut w, &config());
    assert_eq!(
        r.outcome,
        Err(ExecError::BehaviourOutputNotList {
            object: ObjectId(0),
            found: "Int"
        }
        .into())
    );
}

#[test]
fn call_missing_object() {
    // isa.md §2 call: ErrObjectNotFound when neither a pending create nor in the store.
    let (r, _) = run_main(Block::new().effect(Instr::Call(oid(9), unit())).ret(unit()));
    assert_eq!(
        r.outcome,
        Err(ObjError::ErrObjectNotFound(ObjectId(9)).into())
    );
}

#[test]
fn call_in_tx_is_logged_and_observed() {
    // isa.md §2 call: store target inside a tx → ownership checked, added to observed, (oid, inp)
    // appended to txLog; ObjectCalled after the callee's entries.
    let (r, _) = run_unsafe_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("t", Instr::BeginTx(some_controller("c1")))
            .effect(Instr::Call(var("o"), int(5)))
            .instr("s", Instr::ReifyTxState)
            .ret(var("s")),
    );
    let text = r.outcome.expect("runs").to_string();
    assert!(text.contains("writes: [(#0, 5)]"), "{text}");
    assert!(text.contains("observed: [#0]"), "{text}");
}

#[test]
fn receive_twice() {
    // Ours (docs/spec-deviations.md "receive"): the first receive takes the activation's message
    // (spec: just input) and logs MessageReceived; the mailbox is then empty → nothing, no event.
    let p = behaviours()
        .behaviour(
            "recv2",
            Block::new()
                .instr("a", Instr::Receive)
                .instr("b", Instr::Receive)
                .ret(list(vec![tuple(vec![var("a"), var("b")])])),
        )
        .main(
            Block::new()
                .instr("o", create("recv2", none()))
                .instr("r", Instr::Call(var("o"), int(3)))
                .ret(var("r")),
        );
    let mut w = world();
    let r = avm_vm::itree::run(&p, &mut w, &config());
    assert_eq!(
        r.outcome,
        Ok(just(tup(vec![just(Val::Int(3)), Val::Nothing])))
    );
    assert_eq!(
        r.trace
            .render(TraceView::Spec)
            .matches("MessageReceived")
            .count(),
        1
    );
}

#[test]
fn receive_at_top_level_takes_run_input() {
    // isa.md §2 receive (interp): just st.input; at top level that is the run's input.
    let (r, _) = run_main(Block::new().instr("m", Instr::Receive).ret(var("m")));
    assert_eq!(r.outcome, Ok(just(Val::Unit)));
}

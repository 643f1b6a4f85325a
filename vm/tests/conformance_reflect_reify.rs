//! Conformance: Reflect (`isa.md` §4) and Reify (`isa.md` §5) families.

mod common;

use avm_vm::error::ExecError;
use avm_vm::ids::ObjectId;
use avm_vm::isa::Safety;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{Instr, Predicate};
use avm_vm::value::Val;
use common::*;

#[test]
fn reflect_committed_metadata() {
    // isa.md §4 reflect: metadata[oid] of the committed store; pending creates invisible;
    // missing → nothing.
    let (r, _) = run_unsafe_main(
        Block::new()
            .instr("o", create("echo", some_controller("c1")))
            .instr("a", Instr::Reflect(var("o")))
            .instr("t", Instr::BeginTx(none()))
            .instr("p", create("echo", none()))
            .instr("b", Instr::Reflect(var("p")))
            .instr("c", Instr::Reflect(oid(42)))
            .ret(tuple(vec![var("a"), var("b"), var("c")])),
    );
    let text = r.outcome.expect("runs").to_string();
    assert_eq!(
        text,
        "(some(ObjectMeta { objectId: #0, machine: machine(\"m0\"), creatingController: some(controller(\"c1\")), currentController: some(controller(\"c1\")) }), none, none)"
    );
}

#[test]
fn reflect_refused_in_safe_code() {
    // isa.md §4: reflect is Unsafe; ours refuses it outside unsafe code.
    let (r, _) = run_main(
        Block::new()
            .instr("a", Instr::Reflect(oid(0)))
            .ret(var("a")),
    );
    assert_eq!(
        r.outcome,
        Err(ExecError::UnsafeInSafeCode {
            instruction: "reflect"
        }
        .into())
    );
}

fn owned_by(c: &str) -> Predicate {
    Predicate {
        params: vec![name("m")],
        body: eq(field(var("m"), "currentController"), some_controller(c)),
    }
}

#[test]
fn scry_meta_filters() {
    // isa.md §4 scryMeta: for each object (ours: every live committed object, ascending id) whose
    // metadata satisfies the predicate → (oid, meta).
    let (r, _) = run_unsafe_main(
        Block::new()
            .effect(create("echo", some_controller("c1")))
            .effect(create("echo", some_controller("c2")))
            .effect(create("setget", some_controller("c1")))
            .instr("xs", Instr::ScryMeta(owned_by("c1")))
            .ret(list(vec![
                builtin(avm_vm::itree::Builtin::Len, vec![var("xs")]),
                index(index(var("xs"), int(0)), int(0)),
                index(index(var("xs"), int(1)), int(0)),
            ])),
    );
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![
            Val::Int(2),
            Val::Object(ObjectId(0)),
            Val::Object(ObjectId(2))
        ]))
    );
}

#[test]
fn scry_deep_sees_behaviour() {
    // isa.md §4 scryDeep: over objects with both behaviour and metadata; predicate gets
    // (behaviour, meta); result (oid, behaviour, meta).
    let pred = Predicate {
        params: vec![name("b"), name("m")],
        body: eq(var("b"), string("setget")),
    };
    let (r, _) = run_unsafe_main(
        Block::new()
            .effect(create("echo", none()))
            .effect(create("setget", none()))
            .instr("xs", Instr::ScryDeep(pred))
            .ret(index(index(var("xs"), int(0)), int(1))),
    );
    assert_eq!(r.outcome, Ok(Val::str("setget")));
    let (r, _) = run_main(
        Block::new()
            .instr("xs", Instr::ScryMeta(owned_by("c1")))
            .ret(var("xs")),
    );
    assert_eq!(
        r.outcome,
        Err(ExecError::UnsafeInSafeCode {
            instruction: "scryMeta"
        }
        .into())
    );
}

#[test]
fn reify_context_inside_call() {
    // isa.md §5 reifyContext: {self, input, sender, machineId, txController or "ambient"}.
    let p = behaviours()
        .behaviour(
            "rc",
            Block::new()
                .instr("c", Instr::ReifyContext)
                .ret(list(vec![var("c")])),
        )
        .main(
            Block::new()
                .instr("o", create("rc", none()))
                .instr("r", Instr::Call(var("o"), int(9)))
                .ret(var("r")),
        );
    let mut w = world();
    let r = avm_vm::itree::run(&p, &mut w, &config());
    assert_eq!(
        r.outcome.map(|v| v.to_string()),
        Ok("some(ReifiedContext { self: #0, input: 9, sender: some(#100), machine: machine(\"m0\"), controller: controller(\"ambient\") })".to_string())
    );
}

#[test]
fn reify_tx_state_outside_tx_and_safety() {
    // isa.md §5 reifyTxState: no tx → nothing; Unsafe.
    let (r, _) = run_unsafe_main(Block::new().instr("s", Instr::ReifyTxState).ret(var("s")));
    assert_eq!(r.outcome, Ok(Val::Nothing));
    let (r, _) = run_main(Block::new().instr("s", Instr::ReifyTxState).ret(var("s")));
    assert_eq!(
        r.outcome,
        Err(ExecError::UnsafeInSafeCode {
            instruction: "reifyTxState"
        }
        .into())
    );
}

#[test]
fn reify_constraints_empty_store() {
    // isa.md §5 reifyConstraints: {[], 0} with no constraint store; Unsafe.
    let (r, _) = run_unsafe_main(
        Block::new()
            .instr("s", Instr::ReifyConstraints)
            .ret(var("s")),
    );
    assert_eq!(
        r.outcome.map(|v| v.to_string()),
        Ok("ReifiedConstraints { vars: [], count: 0 }".to_string())
    );
    let (r, _) = run_main(
        Block::new()
            .instr("s", Instr::ReifyConstraints)
            .ret(var("s")),
    );
    assert!(r.outcome.is_err());
}

#[test]
fn unsafe_behaviour_may_reflect() {
    // Ours: behaviours marked unsafe may run Unsafe instructions even when called from safe code.
    let p = behaviours()
        .behaviour_with(
            "spy",
            Block::new()
                .instr("i", Instr::Input)
                .instr("m", Instr::Reflect(var("i")))
                .ret(list(vec![builtin(
                    avm_vm::itree::Builtin::IsSome,
                    vec![var("m")],
                )])),
            Safety::Unsafe,
        )
        .main(
            Block::new()
                .instr("o", create("spy", none()))
                .instr("r", Instr::Call(var("o"), var("o")))
                .ret(var("r")),
        );
    let mut w = world();
    let r = avm_vm::itree::run(&p, &mut w, &config());
    assert_eq!(r.outcome, Ok(just(Val::Bool(true))));
}

//! Shared helpers for the integration tests: the edge-case vector setup of `examples.md` §4.
#![allow(dead_code)]

use avm_vm::cluster::Reachability;
use avm_vm::ids::{MachineId, ObjectId};
use avm_vm::isa::Safety;
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{Expr, Instr, Program, Term};
use avm_vm::itree::{RunConfig, RunResult, run};
use avm_vm::value::Val;
use avm_vm::world::World;

/// The §4 setup: machine "m0", top-level self 100, controller and machine "dead" unreachable.
pub fn world() -> World {
    let mut w = World::new();
    if let Some(c) = w.cluster_mut() {
        c.set_machine("dead", Reachability::Unreachable)
            .set_controller("dead", Reachability::Unreachable);
    }
    w
}

/// The §4 run configuration.
pub fn config() -> RunConfig {
    RunConfig {
        machine: MachineId::new("m0"),
        self_id: ObjectId(100),
        input: Val::Unit,
        ..RunConfig::default()
    }
}

/// The §4 behaviours: echo, setget, empty, recv, ctx, caller, failer.
pub fn behaviours() -> ProgramBuilder {
    ProgramBuilder::new()
        .behaviour(
            "echo",
            Block::new()
                .instr("i", Instr::Input)
                .ret(list(vec![var("i")])),
        )
        .behaviour(
            "setget",
            Block::new()
                .instr("i", Instr::Input)
                .effect(Instr::SetState(list(vec![var("i")])))
                .instr("s", Instr::GetState)
                .ret(list(vec![var("s")])),
        )
        .behaviour("empty", ret(list(vec![])))
        .behaviour(
            "recv",
            Block::new()
                .instr("m", Instr::Receive)
                .ret(list(vec![var("m")])),
        )
        .behaviour(
            "ctx",
            Block::new()
                .instr("me", Instr::SelfId)
                .instr("s", Instr::Sender)
                .instr("m", Instr::GetCurrentMachine)
                .ret(list(vec![tuple(vec![var("me"), var("s"), var("m")])])),
        )
        .behaviour(
            "caller",
            Block::new()
                .instr("o", Instr::Input)
                .instr("r", Instr::Call(var("o"), unit()))
                .ret(list(vec![var("r")])),
        )
        .behaviour(
            "failer",
            Block::new()
                .effect(Instr::CommitTx(lit(Val::Tx(avm_vm::ids::TxId(999)))))
                .ret(list(vec![])),
        )
}

/// A program with the §4 behaviours and the given (safe) entry.
pub fn prog(main: Term) -> Program {
    behaviours().main(main)
}

/// Runs a safe entry term in the §4 setup.
pub fn run_main(main: Term) -> (RunResult, World) {
    let mut w = world();
    let r = run(&prog(main), &mut w, &config());
    (r, w)
}

/// Runs an unsafe entry term in the §4 setup.
pub fn run_unsafe_main(main: Term) -> (RunResult, World) {
    let mut w = world();
    let r = run(
        &behaviours().main_with(main, Safety::Unsafe),
        &mut w,
        &config(),
    );
    (r, w)
}

/// `createObj(behaviour, controller)`.
pub fn create(behaviour: &str, controller: Expr) -> Instr {
    Instr::CreateObj {
        behaviour: name(behaviour),
        controller,
    }
}

/// An object id constant.
pub fn oid(n: u64) -> Expr {
    lit(Val::Object(ObjectId(n)))
}

/// A transaction id constant.
pub fn txid(n: u64) -> Expr {
    lit(Val::Tx(avm_vm::ids::TxId(n)))
}

/// `some(v)`.
pub fn just(v: Val) -> Val {
    Val::just(v)
}

/// A controller value.
pub fn ctrl(c: &str) -> Val {
    Val::Controller(avm_vm::ids::ControllerId::new(c))
}

/// A machine value.
pub fn mach(m: &str) -> Val {
    Val::Machine(MachineId::new(m))
}

/// A tuple value.
pub fn tup(items: Vec<Val>) -> Val {
    Val::tuple(items)
}

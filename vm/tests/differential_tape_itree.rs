//! Differential tests: hand-written pairs of the same program as an ITree `Program` and as a
//! Tape program (text), run on fresh worlds by both interpreters with `assert_same_run`
//! (outcome, trace, final context, every store slot, pure registry and clock must agree).
//!
//! The Tape format has no machine or controller constants, so programs that need them take
//! them from the entry's input: the tuple `(machine "m1", machine "m2", controller "alice",
//! controller "bob", machine "dead")`.

use avm_vm::cluster::Reachability;
use avm_vm::error::{AvmError, ControllerError, MachineError};
use avm_vm::ids::{ControllerId, MachineId, ObjectId};
use avm_vm::itree::builder::*;
use avm_vm::itree::term::{Instr, Program};
use avm_vm::itree::{RunConfig, RunResult};
use avm_vm::samples;
use avm_vm::tape::parse::parse_program;
use avm_vm::testing::{assert_same_run, assert_same_run_in};
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use avm_vm::world::World;

mod tape_support;
use tape_support::counter::{COUNTER_DISPATCH, COUNTER_NAMES};

fn tape(text: &str) -> avm_vm::tape::Program {
    match parse_program(text) {
        Ok(p) => p,
        Err(e) => panic!("test program does not parse: {e}"),
    }
}

fn places() -> Val {
    Val::tuple(vec![
        Val::Machine(MachineId::new("m1")),
        Val::Machine(MachineId::new("m2")),
        Val::Controller(ControllerId::new("alice")),
        Val::Controller(ControllerId::new("bob")),
        Val::Machine(MachineId::new("dead")),
    ])
}

fn config_with_places() -> RunConfig {
    RunConfig {
        input: places(),
        ..RunConfig::default()
    }
}

fn world_with_dead_machine() -> World {
    let mut w = World::new();
    if let Some(c) = w.cluster_mut() {
        c.set_machine("dead", Reachability::Unreachable);
    }
    w
}

/// `places().i` in the ITree program.
fn place(i: i64) -> avm_vm::itree::term::Expr {
    index(var("places"), int(i))
}

// ---------------------------------------------------------------- counter

/// Constants every counter program shares: c0..c2 of `COUNTER_NAMES`, then c3, c4.
const COUNTER_CONSTS: &str = r#"
.const c3 ("add", 5)
.const c4 ("add", 7)
"#;

fn create_counter(controller: avm_vm::itree::term::Expr) -> Instr {
    Instr::CreateObj {
        behaviour: name("Counter"),
        controller,
    }
}

#[test]
fn counter_object() {
    let itree = samples::counter_program(
        Block::new()
            .instr("c", create_counter(none()))
            .effect(Instr::Call(var("c"), string("init")))
            .effect(Instr::Call(var("c"), samples::add_msg(int(5))))
            .effect(Instr::Call(var("c"), samples::add_msg(int(7))))
            .instr("r", Instr::Call(var("c"), string("get")))
            .ret(var("r")),
    );
    let text = format!(
        r#"{COUNTER_NAMES}{COUNTER_CONSTS}{COUNTER_DISPATCH}
.func "main" params=0 regs=8 safe main
    const c2 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    const c0 -> r3
    fx.call r2..r4 -> r5
    const c3 -> r3
    fx.call r2..r4 -> r5
    const c4 -> r3
    fx.call r2..r4 -> r5
    const c1 -> r3
    fx.call r2..r4 -> r5
    ret r5
.end
.entry @main
"#
    );
    let r = assert_same_run(&itree, &tape(&text), &RunConfig::default());
    assert_eq!(r.outcome, Ok(Val::just(Val::Int(12))));
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn counter_field_before_init_fails_the_same_way() {
    let itree = samples::counter_program(
        Block::new()
            .instr("c", create_counter(none()))
            .instr("r", Instr::Call(var("c"), string("get")))
            .ret(var("r")),
    );
    let text = format!(
        r#"{COUNTER_NAMES}{COUNTER_CONSTS}{COUNTER_DISPATCH}
.func "main" params=0 regs=8 safe main
    const c2 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    const c1 -> r3
    fx.call r2..r4 -> r5
    ret r5
.end
.entry @main
"#
    );
    let r = assert_same_run(&itree, &tape(&text), &RunConfig::default());
    assert!(r.outcome.is_err());
}

// ---------------------------------------------------------------- ping-pong

fn ping_pong_dispatch(role: &str, reply: &str, consts: (usize, usize, usize)) -> String {
    let (cont, done, failed) = consts;
    let reply_tag = if reply == "Ping" { "s1" } else { "s2" };
    format!(
        r#"
.func "{role}.dispatch" params=1 regs=16 safe dispatch
    variant.is r0, s0, s1 -> r1
    variant.is r0, s0, s2 -> r2
    or r1, r2 -> r1
    brnot r1, failed
    tagged.get r0, 0 -> r3
    tagged.get r0, 1 -> r4
    tagged.get r0, 2 -> r5
    lt r3, r5 -> r6
    brnot r6, done
    int 1 -> r7
    add r3, r7 -> r8
    fx.self -> r9
    move r5 -> r10
    move r4 -> r11
    variant s0, {reply_tag}, r8..r11 -> r12
    fx.call r11..r13 -> r13
    const c{cont} -> r14
    jump answer
done:
    const c{done} -> r14
    jump answer
failed:
    const c{failed} -> r14
answer:
    list r14..r15 -> r15
    ret r15
.end
"#
    )
}

/// The Tape counterpart of `samples::start_ping_pong(rounds)`.
fn start_ping_pong_tape(rounds: i64) -> String {
    format!(
        r#"
.string s0 "Msg"
.string s1 "Ping"
.string s2 "Pong"
.const c0 "ping-continue"
.const c1 "ping-done"
.const c2 "ping-decode-failed"
.const c3 "pong-continue"
.const c4 "pong-done"
.const c5 "pong-decode-failed"
.const c6 "ping"
.const c7 "pong"
.const c8 "complete"
.const c9 {rounds}
{ping}{pong}
.func "main" params=0 regs=12 safe main
    none -> r1
    const c6 -> r0
    fx.createObj r0..r2 -> r3
    const c7 -> r0
    fx.createObj r0..r2 -> r2
    int 0 -> r5
    move r2 -> r6
    const c9 -> r7
    variant s0, s1, r5..r8 -> r4
    fx.call r3..r5 -> r8
    opt.is_some r8 -> r9
    br r9, some
    const c8 -> r10
    list r10..r11 -> r8
    ret r8
some:
    const c8 -> r10
    opt.unwrap r8 -> r11
    list r10..r12 -> r8
    ret r8
.end
.behaviour "ping" dispatch=@"ping.dispatch" fields=[]
.behaviour "pong" dispatch=@"pong.dispatch" fields=[]
.entry @main
"#,
        ping = ping_pong_dispatch("ping", "Pong", (0, 1, 2)),
        pong = ping_pong_dispatch("pong", "Ping", (3, 4, 5)),
    )
}

#[test]
fn ping_pong_five_rounds() {
    let r = assert_same_run(
        &samples::start_ping_pong(5),
        &tape(&start_ping_pong_tape(5)),
        &RunConfig::default(),
    );
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![
            Val::str("complete"),
            Val::str("ping-continue")
        ]))
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Spec));
}

/// The spec runner's `test` (examples.md §1.1): create pong and ping inside a transaction,
/// commit, then call ping outside it. Same result and trace as `samples::ping_pong_test`.
#[test]
fn ping_pong_runner_test_with_transaction() {
    let text = start_ping_pong_tape(5).replace(
        r#"    none -> r1
    const c6 -> r0
    fx.createObj r0..r2 -> r3
    const c7 -> r0
    fx.createObj r0..r2 -> r2
"#,
        r#"    none -> r1
    fx.beginTx r1..r2 -> r11
    const c7 -> r0
    fx.createObj r0..r2 -> r2
    const c6 -> r0
    fx.createObj r0..r2 -> r3
    fx.commitTx r11..r12 -> r10
"#,
    );
    let r = assert_same_run(
        &samples::ping_pong_test(5),
        &tape(&text),
        &RunConfig::default(),
    );
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![
            Val::str("complete"),
            Val::str("ping-continue")
        ]))
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Spec));
}

#[test]
fn ping_pong_many_depths() {
    for rounds in [0, 1, 2, 17, 200] {
        assert_same_run(
            &samples::start_ping_pong(rounds),
            &tape(&start_ping_pong_tape(rounds)),
            &RunConfig::default(),
        );
    }
}

#[test]
fn ping_pong_depth_limit_fails_the_same_way() {
    let mut config = RunConfig::default();
    config.limits.max_call_depth = 8;
    let r = assert_same_run(
        &samples::start_ping_pong(50),
        &tape(&start_ping_pong_tape(50)),
        &config,
    );
    assert!(matches!(r.outcome, Err(AvmError::Limit(_))));
}

// ---------------------------------------------------------------- transactions

#[test]
fn nested_transactions_with_abort() {
    let itree = samples::counter_program(
        Block::new()
            .instr("places", Instr::Input)
            .instr("t0", Instr::BeginTx(some(place(2))))
            .instr("c", create_counter(none()))
            .effect(Instr::Call(var("c"), string("init")))
            .effect(Instr::CommitTx(var("t0")))
            .instr("t1", Instr::BeginTx(some(place(2))))
            .effect(Instr::Call(var("c"), samples::add_msg(int(5))))
            .instr("t2", Instr::BeginTx(none()))
            .effect(Instr::Call(var("c"), samples::add_msg(int(7))))
            .instr("inner", Instr::Call(var("c"), string("get")))
            .effect(Instr::AbortTx(var("t2")))
            .instr("outer", Instr::Call(var("c"), string("get")))
            .instr("ok", Instr::CommitTx(var("t1")))
            .instr("after", Instr::Call(var("c"), string("get")))
            .ret(tuple(vec![
                var("inner"),
                var("outer"),
                var("ok"),
                var("after"),
            ])),
    );
    let text = format!(
        r#"{COUNTER_NAMES}{COUNTER_CONSTS}{COUNTER_DISPATCH}
.func "main" params=0 regs=16 safe main
    fx.input -> r15
    tuple.get r15, 2 -> r14
    some r14 -> r14
    fx.beginTx r14..r15 -> r10
    const c2 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    const c0 -> r3
    fx.call r2..r4 -> r5
    fx.commitTx r10..r11 -> r5
    fx.beginTx r14..r15 -> r11
    const c3 -> r3
    fx.call r2..r4 -> r5
    none -> r13
    fx.beginTx r13..r14 -> r12
    const c4 -> r3
    fx.call r2..r4 -> r5
    const c1 -> r3
    fx.call r2..r4 -> r6
    fx.abortTx r12..r13 -> r5
    fx.call r2..r4 -> r7
    fx.commitTx r11..r12 -> r8
    fx.call r2..r4 -> r9
    tuple r6..r10 -> r0
    ret r0
.end
.entry @main
"#
    );
    let r = assert_same_run(&itree, &tape(&text), &config_with_places());
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![
            Val::just(Val::Int(12)),
            Val::just(Val::Int(5)),
            Val::Bool(true),
            Val::just(Val::Int(5)),
        ]))
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

// ---------------------------------------------------------------- controllers

/// Creates a counter owned by alice, transfers it to bob inside alice's transaction, reads its
/// controller, then calls it inside another transaction of alice's: `ErrCrossControllerTx`.
#[test]
fn controller_authority_errors() {
    let itree = samples::counter_program(
        Block::new()
            .instr("places", Instr::Input)
            .instr("c", create_counter(some(place(2))))
            .instr("t", Instr::BeginTx(some(place(2))))
            .instr("moved", Instr::TransferObject(var("c"), place(3)))
            .effect(Instr::CommitTx(var("t")))
            .instr("owner", Instr::GetController(var("c")))
            .instr("t2", Instr::BeginTx(some(place(2))))
            .instr("r", Instr::Call(var("c"), string("get")))
            .ret(tuple(vec![var("moved"), var("owner"), var("r")])),
    );
    let text = format!(
        r#"{COUNTER_NAMES}{COUNTER_CONSTS}{COUNTER_DISPATCH}
.func "main" params=0 regs=16 safe main
    fx.input -> r15
    tuple.get r15, 2 -> r14
    some r14 -> r1
    const c2 -> r0
    fx.createObj r0..r2 -> r2
    fx.beginTx r1..r2 -> r10
    tuple.get r15, 3 -> r3
    fx.transferObject r2..r4 -> r6
    fx.commitTx r10..r11 -> r5
    fx.getController r2..r3 -> r7
    fx.beginTx r1..r2 -> r11
    const c1 -> r3
    fx.call r2..r4 -> r8
    tuple r6..r9 -> r0
    ret r0
.end
.entry @main
"#
    );
    let r = assert_same_run(&itree, &tape(&text), &config_with_places());
    assert_eq!(
        r.outcome,
        Err(ControllerError::ErrCrossControllerTx(ObjectId(0), ControllerId::new("bob")).into())
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

/// Destroying an object that has no controller, outside a transaction, fails the same way.
#[test]
fn destroy_without_controller_fails_the_same_way() {
    let itree = samples::counter_program(
        Block::new()
            .instr("c", create_counter(none()))
            .instr("d", Instr::DestroyObj(var("c")))
            .ret(var("d")),
    );
    let text = format!(
        r#"{COUNTER_NAMES}{COUNTER_CONSTS}{COUNTER_DISPATCH}
.func "main" params=0 regs=8 safe main
    const c2 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    fx.destroyObj r2..r3 -> r3
    ret r3
.end
.entry @main
"#
    );
    let r = assert_same_run(&itree, &tape(&text), &RunConfig::default());
    assert_eq!(
        r.outcome,
        Err(ControllerError::ErrObjectHasNoController(ObjectId(0)).into())
    );
}

// ---------------------------------------------------------------- machines

fn machine_moves_itree(last: Instr) -> Program {
    samples::counter_program(
        Block::new()
            .instr("places", Instr::Input)
            .instr("c", create_counter(none()))
            .instr("m0", Instr::GetMachine(var("c")))
            .instr("moved", Instr::MoveObject(var("c"), place(0)))
            .instr("m1", Instr::GetMachine(var("c")))
            .instr("fetched", Instr::Fetch(var("c")))
            .instr("m2", Instr::GetMachine(var("c")))
            .instr("tp", Instr::Teleport(place(1)))
            .instr("here", Instr::GetCurrentMachine)
            .instr("last", last)
            .ret(tuple(vec![
                var("m0"),
                var("moved"),
                var("m1"),
                var("fetched"),
                var("m2"),
                var("tp"),
                var("here"),
                var("last"),
            ])),
    )
}

fn machine_moves_tape(last: &str) -> String {
    format!(
        r#"{COUNTER_NAMES}{COUNTER_CONSTS}{COUNTER_DISPATCH}
.func "main" params=0 regs=20 safe main
    fx.input -> r19
    const c2 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    fx.getMachine r2..r3 -> r4
    tuple.get r19, 0 -> r3
    fx.moveObject r2..r4 -> r5
    fx.getMachine r2..r3 -> r6
    fx.fetch r2..r3 -> r7
    fx.getMachine r2..r3 -> r8
    tuple.get r19, 1 -> r18
    fx.teleport r18..r19 -> r9
    fx.getCurrentMachine -> r10
    {last}
    tuple r4..r12 -> r0
    ret r0
.end
.entry @main
"#
    )
}

#[test]
fn machine_moves() {
    let r = assert_same_run(
        &machine_moves_itree(Instr::GetCurrentController),
        &tape(&machine_moves_tape("fx.getCurrentController -> r11")),
        &config_with_places(),
    );
    assert!(r.outcome.is_ok(), "{:?}", r.outcome);
    insta::assert_snapshot!(r.outcome.map(|v| v.to_string()).unwrap_or_default());
}

#[test]
fn teleport_to_an_unreachable_machine_fails_the_same_way() {
    let itree = samples::counter_program(
        Block::new()
            .instr("places", Instr::Input)
            .instr("tp", Instr::Teleport(place(4)))
            .ret(var("tp")),
    );
    let text = r#"
.func "main" params=0 regs=4 safe main
    fx.input -> r0
    tuple.get r0, 4 -> r1
    fx.teleport r1..r2 -> r2
    ret r2
.end
.entry @main
"#;
    let r: RunResult = assert_same_run_in(
        &itree,
        &tape(text),
        &config_with_places(),
        &world_with_dead_machine,
    );
    assert_eq!(
        r.outcome,
        Err(MachineError::ErrMachineUnreachable(MachineId::new("dead")).into())
    );
}

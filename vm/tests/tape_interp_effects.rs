//! The Tape interpreter's effect ops: one program per instruction family (Obj, Introspect,
//! Reflect, Reify, Tx, Pure, Machine, Controller), with the expected result and trace.
//! Controllers and machines come from the entry's input (the Tape format has no constants of
//! those types): `(controller "alice", controller "bob", machine "m1")`.

use avm_vm::error::{AvmError, ExecError, PureError, TxError};
use avm_vm::ids::{ControllerId, MachineId, ObjectId};
use avm_vm::itree::RunResult;
use avm_vm::tape::interp::{RunConfig, run_program};
use avm_vm::tape::parse::parse_program;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use avm_vm::world::World;

fn input() -> Val {
    Val::tuple(vec![
        Val::Controller(ControllerId::new("alice")),
        Val::Controller(ControllerId::new("bob")),
        Val::Machine(MachineId::new("m1")),
    ])
}

fn run_on(world: &mut World, text: &str) -> RunResult {
    let program = match parse_program(text) {
        Ok(p) => p,
        Err(e) => panic!("test program does not parse: {e}"),
    };
    let config = RunConfig {
        input: input(),
        self_id: ObjectId(100),
        ..RunConfig::default()
    };
    match run_program(&program, world, &config) {
        Ok(r) => r,
        Err(e) => panic!("test program does not load: {e} ({e:?})"),
    }
}

fn run_text(text: &str) -> RunResult {
    run_on(&mut World::new(), text)
}

fn shown(r: &RunResult) -> String {
    match &r.outcome {
        Ok(v) => v.to_string(),
        Err(e) => format!("error: {e}"),
    }
}

/// The outcome (as [`shown`]) and the full trace, for one snapshot.
fn shown_with_trace(r: &RunResult) -> String {
    format!("{}\n{}", shown(r), r.trace.render(TraceView::Full))
}

/// `text` after the constant c0 `"echo"` and [`BEHAVIOURS`].
fn with_echo(text: &str) -> String {
    format!(".const c0 \"echo\"\n{BEHAVIOURS}{text}")
}

/// Main's opening lines in the tests that create objects owned by alice: the input in r15,
/// `controller "alice"` in r14, `some(controller "alice")` in r1.
const SOME_ALICE_IN_R1: &str = "    fx.input -> r15
    tuple.get r15, 0 -> r14
    some r14 -> r1
";

/// `echo` answers `[input]`; `recv` answers `[receive, receive]`; `silent` answers `[]`.
const BEHAVIOURS: &str = r#"
.func "echo" params=1 regs=2 safe dispatch
    list r0..r1 -> r1
    ret r1
.end
.func "recv" params=1 regs=3 safe dispatch
    fx.receive -> r1
    fx.receive -> r2
    tuple r1..r3 -> r1
    list r1..r2 -> r1
    ret r1
.end
.func "silent" params=1 regs=2 safe dispatch
    list -> r1
    ret r1
.end
.behaviour "echo" dispatch=@echo fields=[]
.behaviour "recv" dispatch=@recv fields=[]
.behaviour "silent" dispatch=@silent fields=[]
"#;

#[test]
fn obj_family() {
    let r = run_text(&format!(
        r#"
.const c0 "echo"
.const c1 "recv"
.const c2 "silent"
.const c3 "hello"
{BEHAVIOURS}
.func "main" params=0 regs=16 safe main
{SOME_ALICE_IN_R1}    const c0 -> r0
    fx.createObj r0..r2 -> r2
    const c3 -> r3
    fx.call r2..r4 -> r4
    const c1 -> r0
    fx.createObj r0..r2 -> r5
    move r5 -> r6
    const c3 -> r7
    fx.call r6..r8 -> r8
    const c2 -> r0
    fx.createObj r0..r2 -> r6
    fx.call r6..r8 -> r9
    fx.destroyObj r2..r3 -> r10
    fx.call r2..r4 -> r11
    ret r11
.end
.entry @main
"#
    ));
    assert_eq!(shown(&r), "error: object #0 not found");
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn create_of_an_unknown_behaviour_fails() {
    let r = run_text(
        r#"
.const c0 "nobody"
.func "main" params=0 regs=4 safe main
    const c0 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    ret r2
.end
.entry @main
"#,
    );
    assert_eq!(
        r.outcome,
        Err(ExecError::UnknownBehaviour("nobody".into()).into())
    );
}

#[test]
fn introspect_family() {
    let r = run_text(
        r#"
.const c0 "ctx"
.const c1 [1, 2]
.func "ctx" params=1 regs=8 safe dispatch
    fx.self -> r1
    fx.input -> r2
    fx.sender -> r3
    fx.getCurrentMachine -> r4
    fx.getState -> r5
    tuple r1..r6 -> r6
    list r6..r7 -> r6
    ret r6
.end
.behaviour "ctx" dispatch=@ctx fields=[]
.func "main" params=0 regs=16 safe main
    const c1 -> r10
    fx.setState r10..r11 -> r11
    fx.getState -> r12
    const c0 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    int 7 -> r3
    fx.call r2..r4 -> r4
    fx.self -> r5
    fx.sender -> r6
    tuple r4..r7 -> r7
    tuple r11..r13 -> r8
    tuple r7..r9 -> r9
    ret r9
.end
.entry @main
"#,
    );
    insta::assert_snapshot!(shown_with_trace(&r));
}

#[test]
fn reflect_family_needs_unsafe_and_runs_predicates() {
    let r = run_text(&format!(
        r#"
.const c0 "echo"
.const c1 "silent"
.string s0 "silent"
{BEHAVIOURS}
.func "owned_by_alice" params=1 regs=4 safe pure
    tagged.get r0, 3 -> r1
    opt.is_some r1 -> r2
    ret r2
.end
.func "is_silent" params=2 regs=4 safe pure
    const c1 -> r2
    eq r0, r2 -> r3
    ret r3
.end
.func "main" params=0 regs=16 unsafe main
{SOME_ALICE_IN_R1}    const c0 -> r0
    fx.createObj r0..r2 -> r2
    none -> r1
    const c1 -> r0
    fx.createObj r0..r2 -> r3
    fx.reflect r2..r3 -> r4
    int 99 -> r5
    fx.scryMeta @owned_by_alice -> r6
    fx.scryDeep @is_silent -> r7
    tuple r4..r8 -> r8
    ret r8
.end
.entry @main
"#
    ));
    insta::assert_snapshot!(shown(&r));
    // The predicates saw every object: one owned by alice, one silent.
    let Ok(Val::Tuple(items)) = &r.outcome else {
        panic!("expected a tuple, got {:?}", r.outcome)
    };
    assert_eq!(items[2].as_list().map(|l| l.len()), Ok(1));
    assert_eq!(items[3].as_list().map(|l| l.len()), Ok(1));
}

#[test]
fn scry_with_no_objects_is_empty() {
    let r = run_text(
        r#"
.func "always" params=1 regs=2 safe pure
    bool true -> r1
    ret r1
.end
.func "main" params=0 regs=2 unsafe main
    fx.scryMeta @always -> r0
    ret r0
.end
.entry @main
"#,
    );
    assert_eq!(r.outcome, Ok(Val::list(vec![])));
}

#[test]
fn scry_predicate_must_return_a_bool() {
    let r = run_text(&with_echo(
        r#"
.func "bad" params=1 regs=2 safe pure
    int 1 -> r1
    ret r1
.end
.func "main" params=0 regs=4 unsafe main
    const c0 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    fx.scryMeta @bad -> r3
    ret r3
.end
.entry @main
"#,
    ));
    assert_eq!(
        r.outcome,
        Err(ExecError::TypeMismatch {
            expected: "Bool",
            found: "Int"
        }
        .into())
    );
}

#[test]
fn reify_family() {
    let r = run_text(
        r#"
.func "main" params=0 regs=8 unsafe main
    fx.reifyContext -> r0
    fx.reifyTxState -> r1
    none -> r6
    fx.beginTx r6..r7 -> r5
    fx.reifyTxState -> r2
    fx.reifyConstraints -> r3
    fx.abortTx r5..r6 -> r4
    tuple r0..r5 -> r0
    ret r0
.end
.entry @main
"#,
    );
    insta::assert_snapshot!(shown_with_trace(&r));
}

#[test]
fn tx_family() {
    let r = run_text(
        r#"
.func "main" params=0 regs=10 safe main
    fx.input -> r9
    tuple.get r9, 0 -> r8
    some r8 -> r8
    fx.beginTx r8..r9 -> r0
    int 5 -> r1
    list r1..r2 -> r1
    fx.setState r1..r2 -> r2
    fx.commitTx r0..r1 -> r3
    fx.beginTx r8..r9 -> r0
    list -> r1
    fx.setState r1..r2 -> r2
    fx.abortTx r0..r1 -> r4
    fx.getState -> r5
    tuple r3..r6 -> r6
    ret r6
.end
.entry @main
"#,
    );
    assert_eq!(shown(&r), "(true, (), [5])");
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
    let r = run_text(
        r#"
.func "main" params=0 regs=2 safe main
    fx.getCurrentMachine -> r0
    fx.self -> r0
    fx.commitTx r0..r1 -> r1
    ret r1
.end
.entry @main
"#,
    );
    assert_eq!(
        r.outcome,
        Err(ExecError::TypeMismatch {
            expected: "TxId",
            found: "Ref"
        }
        .into())
    );
}

#[test]
fn commit_without_a_transaction_fails() {
    let mut world = World::new();
    let r = run_on(
        &mut world,
        r#"
.func "main" params=0 regs=4 safe main
    none -> r1
    fx.beginTx r1..r2 -> r0
    fx.commitTx r0..r1 -> r2
    fx.commitTx r0..r1 -> r2
    ret r2
.end
.entry @main
"#,
    );
    assert_eq!(r.outcome, Err(AvmError::Tx(TxError::ErrNoActiveTx)));
}

const PURE_FUNCTIONS: &str = r#"
.const c0 "double"
.const c1 [21]
.const c2 [1, 2]
.const c3 "missing"
.func "double" params=1 regs=2 safe pure
    add r0, r0 -> r1
    ret r1
.end
.func "triple" params=1 regs=3 safe pure
    add r0, r0 -> r1
    add r1, r0 -> r1
    ret r1
.end
"#;

#[test]
fn pure_family() {
    let r = run_text(&format!(
        r#"{PURE_FUNCTIONS}
.func "main" params=0 regs=16 unsafe main
    const c0 -> r0
    fx.registerPure @double, r0..r1 -> r1
    const c1 -> r2
    move r0 -> r10
    move r2 -> r11
    fx.callPure r10..r12 -> r3
    const c2 -> r11
    fx.callPure r10..r12 -> r4
    const c3 -> r10
    move r2 -> r11
    fx.callPure r10..r12 -> r5
    fx.updatePure @triple, r0..r1 -> r6
    move r0 -> r10
    fx.callPure r10..r12 -> r7
    tuple r1..r8 -> r1
    ret r1
.end
.entry @main
"#
    ));
    assert_eq!(
        shown(&r),
        "(true, [21], some(42), none, none, true, some(63))"
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
    let r = run_text(&format!(
        r#"{PURE_FUNCTIONS}
.func "main" params=0 regs=4 safe main
    const c3 -> r0
    fx.updatePure @triple, r0..r1 -> r1
    ret r1
.end
.entry @main
"#
    ));
    assert_eq!(
        r.outcome,
        Err(PureError::ErrFunctionNotFound("missing".into()).into())
    );
}

#[test]
fn machine_family() {
    let r = run_text(&with_echo(
        r#"
.func "main" params=0 regs=16 safe main
    fx.input -> r15
    const c0 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    tuple.get r15, 2 -> r3
    fx.moveObject r2..r4 -> r4
    fx.getMachine r2..r3 -> r5
    fx.fetch r2..r3 -> r6
    fx.getMachine r2..r3 -> r7
    fx.teleport r3..r4 -> r8
    fx.getCurrentMachine -> r9
    tuple r4..r10 -> r10
    ret r10
.end
.entry @main
"#,
    ));
    assert_eq!(
        shown(&r),
        "(true, some(machine(\"m1\")), true, some(machine(\"m0\")), true, machine(\"m1\"))"
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn controller_family() {
    let r = run_text(&with_echo(&format!(
        r#"
.func "main" params=0 regs=16 safe main
{SOME_ALICE_IN_R1}    const c0 -> r0
    fx.createObj r0..r2 -> r2
    fx.getCurrentController -> r3
    fx.beginTx r1..r2 -> r13
    fx.getCurrentController -> r4
    fx.getController r2..r3 -> r5
    fx.freeze r2..r3 -> r6
    tuple.get r15, 1 -> r12
    move r2 -> r10
    move r12 -> r11
    fx.transferObject r10..r12 -> r7
    fx.commitTx r13..r14 -> r8
    fx.getController r2..r3 -> r9
    tuple r3..r10 -> r10
    ret r10
.end
.entry @main
"#
    )));
    assert_eq!(
        shown(&r),
        "(none, some(controller(\"alice\")), some(controller(\"alice\")), some(true), true, true, some(controller(\"bob\")))"
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

//! What `Image::load` prepares for speed must not change a run: superinstructions (fused
//! compare-and-branch, immediate arithmetic, `fx.self`, a behaviour's `list; ret`, a state
//! field's `field.get; add; field.set`), windows
//! that clear only the registers read before written, and register files reused between
//! runs. A run sliced one step at a time never uses a superinstruction (the budget left is
//! always below the longest one), so it is the unfused reference for the same program.

use avm_vm::error::{AvmError, ExecError, LimitError};
use avm_vm::ids::ControllerId;
use avm_vm::itree::{RunResult, Status};
use avm_vm::tape::interp::{Buffers, Image, Interp, RunConfig, run, run_with_buffers};
use avm_vm::tape::parse::parse_program;
use avm_vm::tape::samples;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;

fn load(text: &str) -> Image {
    let program = parse_program(text).expect("test program parses");
    Image::load(&program).expect("test program loads")
}

fn config() -> RunConfig {
    RunConfig {
        trace_mode: TraceMode::On,
        ..RunConfig::default()
    }
}

/// The run one step per slice (no superinstruction ever runs).
fn one_step_at_a_time(image: &Image, config: &RunConfig) -> RunResult {
    let mut world = World::new();
    let mut it = Interp::new(image, &mut world, config);
    while it.run_slice(&mut world, 1) == Status::Running {}
    it.finish()
}

fn assert_same_as_unfused(image: &Image) {
    let config = config();
    let whole = run(image, &mut World::new(), &config);
    let reference = one_step_at_a_time(image, &config);
    assert_eq!(whole.outcome, reference.outcome);
    assert_eq!(whole.steps, reference.steps);
    assert_eq!(whole.trace, reference.trace);
}

/// A counted loop with `fx.self` (compare-and-branch and `self` superinstructions).
const SELF_LOOP: &str = r#"
.func "main" params=0 regs=4 safe main
    int 5 -> r0
    int 0 -> r1
    int 1 -> r2
top:
    le r0, r1 -> r3
    br r3, done
    fx.self -> r3
    sub r0, r2 -> r0
    jump top
done:
    ret r0
.end
.entry @main
"#;

#[test]
fn fused_programs_run_as_their_plain_ops() {
    assert_same_as_unfused(&Image::load(&samples::fib(9).expect("builds")).expect("loads"));
    assert_same_as_unfused(&Image::load(&samples::ping_pong(12).expect("builds")).expect("loads"));
    assert_same_as_unfused(&load(SELF_LOOP));
}

#[test]
fn fuel_runs_out_on_the_same_op_with_superinstructions() {
    let image = Image::load(&samples::fib(6).expect("builds")).expect("loads");
    let total = run(&image, &mut World::new(), &config()).steps;
    assert!(total > 20);
    for fuel in 0..total {
        let mut config = config();
        config.limits.fuel = fuel;
        let r = run(&image, &mut World::new(), &config);
        assert_eq!(r.outcome, Err(LimitError::OutOfFuel { fuel }.into()));
        assert_eq!(r.steps, fuel, "fuel {fuel}");
    }
    let mut config = config();
    config.limits.fuel = total;
    assert_eq!(
        run(&image, &mut World::new(), &config).outcome,
        Ok(Val::Int(8))
    );
}

#[test]
fn slices_of_every_size_end_alike() {
    let image = Image::load(&samples::ping_pong(5).expect("builds")).expect("loads");
    let whole = run(&image, &mut World::new(), &config());
    for slice in 1..=5 {
        let mut world = World::new();
        let mut it = Interp::new(&image, &mut world, &config());
        while it.run_slice(&mut world, slice) == Status::Running {}
        let r = it.finish();
        assert_eq!(r.outcome, whole.outcome, "slice {slice}");
        assert_eq!(r.steps, whole.steps, "slice {slice}");
        assert_eq!(r.trace, whole.trace, "slice {slice}");
    }
}

#[test]
fn a_register_read_before_written_is_unit_whatever_a_dead_frame_left() {
    // `dirty` leaves 7 in its r1; `reads` returns its r1 without writing it, and `partial`
    // writes r1 on one path only. Both frames reuse the slot `dirty` used.
    let image = load(
        r#"
.func "dirty" params=0 regs=2 safe plain
    int 7 -> r1
    ret r1
.end
.func "reads" params=0 regs=2 safe plain
    ret r1
.end
.func "partial" params=1 regs=2 safe plain
    brnot r0, skip
    int 1 -> r1
skip:
    ret r1
.end
.func "main" params=0 regs=4 safe main
    call @dirty -> r0
    call @reads -> r1
    call @dirty -> r0
    bool false -> r2
    call @partial, r2..r3 -> r2
    list r1..r3 -> r3
    ret r3
.end
.entry @main
"#,
    );
    let r = run(&image, &mut World::new(), &config());
    assert_eq!(r.outcome, Ok(Val::list(vec![Val::Unit, Val::Unit])));
}

#[test]
fn reused_buffers_give_the_same_runs() {
    let deep = Image::load(&samples::ping_pong(50).expect("builds")).expect("loads");
    let fib = Image::load(&samples::fib(10).expect("builds")).expect("loads");
    let mut buffers = Buffers::default();
    for image in [&deep, &fib, &deep, &fib] {
        let fresh = run(image, &mut World::new(), &config());
        let reused = run_with_buffers(image, &mut World::new(), &config(), &mut buffers);
        assert_eq!(reused.outcome, fresh.outcome);
        assert_eq!(reused.steps, fresh.steps);
        assert_eq!(reused.trace, fresh.trace);
    }
}

/// A counter object's dispatch (`field.get; add; field.set`, fused at load time) called
/// outside a transaction, twice inside one (the second call writes the transaction's own
/// copy of the state) and once after the commit; returns the last result.
const COUNTER_CALLS: &str = r#"
.const c0 "Counter"
.func "Counter.dispatch" params=1 regs=4 safe dispatch
    field.get 0 -> r1
    add r1, r0 -> r2
    field.set 0, r2
    list r2..r3 -> r3
    ret r3
.end
.func "main" params=0 regs=8 safe main
    fx.input -> r0
    int 5 -> r1
    fx.call r0..r2 -> r2
    fx.getController r0..r1 -> r3
    fx.beginTx r3..r4 -> r4
    int 7 -> r1
    fx.call r0..r2 -> r2
    fx.call r0..r2 -> r2
    fx.commitTx r4..r5 -> r5
    fx.call r0..r2 -> r2
    ret r2
.end
.func "setup" params=0 regs=4 safe main
    const c0 -> r0
    fx.input -> r3
    some r3 -> r1
    fx.createObj r0..r2 -> r2
    ret r2
.end
.behaviour "Counter" dispatch=@"Counter.dispatch" fields=["count"]
.entry @main
"#;

/// A world holding one counter object (created by `setup`, controlled by `alice`) whose state
/// is `state`.
fn counter_world(state: Vec<Val>) -> (World, Val) {
    let setup = load(&COUNTER_CALLS.replace(".entry @main", ".entry @setup"));
    let mut world = World::new();
    let controller = RunConfig {
        input: Val::Controller(ControllerId::new("alice")),
        ..config()
    };
    let counter = run(&setup, &mut world, &controller)
        .outcome
        .expect("setup runs");
    let Val::Object(id) = counter else {
        panic!("setup returns an object, not {counter}");
    };
    world.store.set_state(id, state);
    (world, counter)
}

/// Runs the counter calls on a counter with `state`, whole and one step at a time: both runs
/// must agree on outcome, steps, trace, store and clock. Returns the whole run's outcome and
/// the counter's final state.
fn counter_calls_agree(state: Vec<Val>) -> (Result<Val, AvmError>, Vec<Val>) {
    let image = load(COUNTER_CALLS);
    let (mut world, counter) = counter_world(state.clone());
    let config = RunConfig {
        input: counter.clone(),
        ..config()
    };
    let whole = run(&image, &mut world, &config);
    let (mut plain_world, _) = counter_world(state);
    let mut it = Interp::new(&image, &mut plain_world, &config);
    while it.run_slice(&mut plain_world, 1) == Status::Running {}
    let reference = it.finish();
    assert_eq!(whole.outcome, reference.outcome);
    assert_eq!(whole.steps, reference.steps);
    assert_eq!(whole.trace, reference.trace);
    assert_eq!(world.store, plain_world.store);
    assert_eq!(world.clock, plain_world.clock);
    let Val::Object(id) = counter else {
        unreachable!("counter_world returns an object")
    };
    let final_state = world
        .store
        .state(id)
        .expect("the counter has state")
        .to_vec();
    (whole.outcome, final_state)
}

#[test]
fn fused_field_update_runs_as_its_plain_ops_inside_and_outside_transactions() {
    let (outcome, state) = counter_calls_agree(vec![Val::Int(1)]);
    assert_eq!(outcome, Ok(Val::just(Val::Int(27))));
    assert_eq!(state, vec![Val::Int(27)]);
}

#[test]
fn fused_field_update_fails_as_its_plain_ops_and_writes_nothing() {
    // `add` overflows on the first call: nothing is written.
    let (outcome, state) = counter_calls_agree(vec![Val::Int(i64::MAX - 2)]);
    assert_eq!(outcome, Err(ExecError::IntegerOverflow { op: "+" }.into()));
    assert_eq!(state, vec![Val::Int(i64::MAX - 2)]);
    // Overflow inside the transaction: only the first call's write is committed.
    let (outcome, state) = counter_calls_agree(vec![Val::Int(i64::MAX - 8)]);
    assert_eq!(outcome, Err(ExecError::IntegerOverflow { op: "+" }.into()));
    assert_eq!(state, vec![Val::Int(i64::MAX - 3)]);
    // `add` on a non-integer field.
    let (outcome, state) = counter_calls_agree(vec![Val::Bool(true)]);
    assert!(outcome.is_err());
    assert_eq!(state, vec![Val::Bool(true)]);
    // `field.get` of a field the state does not have.
    let (outcome, state) = counter_calls_agree(vec![]);
    assert_eq!(
        outcome,
        Err(ExecError::NoSuchStateField {
            object: match counter_world(vec![]).1 {
                Val::Object(id) => id,
                other => panic!("not an object: {other}"),
            },
            index: 0,
            len: 0,
        }
        .into())
    );
    assert!(state.is_empty());
}

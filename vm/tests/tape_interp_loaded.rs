//! What `Image::load` prepares for speed must not change a run: superinstructions (fused
//! compare-and-branch, immediate arithmetic, `fx.self`, a behaviour's `list; ret`), windows
//! that clear only the registers read before written, and register files reused between
//! runs. A run sliced one step at a time never uses a superinstruction (the budget left is
//! always below the longest one), so it is the unfused reference for the same program.

use avm_vm::error::LimitError;
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

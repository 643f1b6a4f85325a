//! Deep object-to-object calls: frames live on the heap, limits fail cleanly.
//!
//! The 1,000,000-round nested PingPong runs on the default test thread (2 MiB stack): every
//! round is one more nested `call`, so a host-recursive interpreter would overflow long before.

use avm_vm::error::{AvmError, LimitError};
use avm_vm::itree::builder::*;
use avm_vm::itree::{Limits, RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;

#[test]
fn million_round_nested_ping_pong() {
    let rounds = 1_000_000;
    let mut world = World::new();
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let r = run(&samples::start_ping_pong(rounds), &mut world, &config);
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![
            Val::str("complete"),
            Val::str("ping-continue")
        ]))
    );
    // 2 creates + rounds + 1 calls, each a logical timestamp, even with tracing off.
    assert_eq!(world.clock, 2 + rounds as u64 + 1);
}

#[test]
fn call_depth_limit_is_an_error() {
    let mut world = World::new();
    let config = RunConfig {
        limits: Limits {
            max_call_depth: 100,
            ..Limits::default()
        },
        ..RunConfig::default()
    };
    let r = run(&samples::start_ping_pong(1_000), &mut world, &config);
    assert_eq!(
        r.outcome,
        Err(AvmError::Limit(LimitError::CallDepthExceeded {
            max_depth: 100
        }))
    );
}

#[test]
fn fuel_limit_is_an_error() {
    let mut world = World::new();
    let config = RunConfig {
        limits: Limits {
            fuel: 50,
            ..Limits::default()
        },
        ..RunConfig::default()
    };
    let r = run(&samples::start_ping_pong(1_000), &mut world, &config);
    assert_eq!(
        r.outcome,
        Err(AvmError::Limit(LimitError::OutOfFuel { fuel: 50 }))
    );
}

#[test]
fn tail_recursive_loop_runs_in_constant_frames() {
    // count(n) = if n == 0 { 0 } else { count(n - 1) }: 100,000 iterations under a depth limit
    // of 4 frames (entry + one function frame suffice because tail calls reuse the frame).
    let prog = ProgramBuilder::new()
        .function(
            "count",
            &["n"],
            if_(
                eq(var("n"), int(0)),
                ret(int(0)),
                call_fn("count", vec![sub(var("n"), int(1))]),
            ),
        )
        .main(call_fn("count", vec![int(100_000)]));
    let mut world = World::new();
    let config = RunConfig {
        limits: Limits {
            max_call_depth: 4,
            ..Limits::default()
        },
        ..RunConfig::default()
    };
    let r = run(&prog, &mut world, &config);
    assert_eq!(r.outcome, Ok(Val::Int(0)));
}

#[test]
fn long_straight_line_program_runs_and_drops() {
    // A 200,000-step straight-line entry is a term nested 200,000 deep: running it, printing it
    // and dropping it must not recurse on the host stack.
    let mut block = Block::new().let_("x", int(0));
    for _ in 0..200_000 {
        block = block.let_("x", add(var("x"), int(1)));
    }
    let prog = ProgramBuilder::new().main(block.ret(var("x")));
    let mut world = World::new();
    let r = run(&prog, &mut world, &RunConfig::default());
    assert_eq!(r.outcome, Ok(Val::Int(200_000)));
    assert_eq!(prog.to_string().lines().count(), 200_000 + 4);
    drop(prog);
}

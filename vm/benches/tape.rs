//! Tape interpreter benchmarks (trace off unless named `_trace_on`), each in wall time and in
//! the benchmark thread's CPU time (`_cpu` groups, `common::CpuTime`):
//! - `tape_effect/self_loop` vs `tape_effect/empty_loop`: a counted loop with and without one
//!   `fx.self` per iteration; throughput = iterations, so the difference is one effect dispatch.
//! - `tape_counter/call_get_add_set`: one `fx.call` of a counter object whose dispatch does
//!   field.get, +1, field.set and returns `[count]`; throughput = calls.
//! - `tape_nested_ping_pong/<depth>`: the spec's ping-pong with `depth` nested calls;
//!   throughput = rounds (time per round at depths 10^3, 10^4, 10^5 and 10^6); every run
//!   starts with an empty register file. `reused_buffers/<depth>`: the same, each run reusing the register
//!   file and frame stacks of the previous one (`run_with_buffers`).
//! - `tape_fib/fib30`: `fib(30)` as a Tape program (compare with Lua 5.4, see docs/performance.md).

use avm_vm::tape::interp::{Buffers, Image, RunConfig, run, run_with_buffers};
use avm_vm::tape::parse::parse_program;
use avm_vm::tape::samples;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, Throughput};

mod common;
use std::hint::black_box;

const LOOP: i32 = 1_000_000;
const CALLS: i32 = 100_000;

fn config(trace_mode: TraceMode) -> RunConfig {
    RunConfig {
        trace_mode,
        ..RunConfig::default()
    }
}

fn load(text: &str) -> Image {
    let program = parse_program(text).expect("benchmark program parses");
    Image::load(&program).expect("benchmark program loads")
}

/// `main`: loop `n` times, with `body` (one op or none) in the loop.
fn counted_loop(n: i32, body: &str) -> String {
    format!(
        r#"
.func "main" params=0 regs=4 safe main
    int {n} -> r0
    int 0 -> r1
    int 1 -> r2
top:
    le r0, r1 -> r3
    br r3, done
    {body}
    sub r0, r2 -> r0
    jump top
done:
    ret r0
.end
.entry @main
"#
    )
}

const COUNTER: &str = r#"
.const c0 "Counter"
.func "Counter.dispatch" params=1 regs=4 safe dispatch
    field.get 0 -> r1
    add r1, r0 -> r2
    field.set 0, r2
    list r2..r3 -> r3
    ret r3
.end
.func "setup" params=0 regs=4 safe main
    const c0 -> r0
    none -> r1
    fx.createObj r0..r2 -> r2
    ret r2
.end
.behaviour "Counter" dispatch=@"Counter.dispatch" fields=["count"]
.entry @setup
"#;

fn counter_loop(n: i32) -> String {
    counter_loop_with(n, "fx.call r4..r6 -> r6")
}

/// The counter loop with `call` as the loop body's call line (`counter_loop_with(n, "")` is
/// the loop alone, the baseline subtracted to give the cost of the call itself).
fn counter_loop_with(n: i32, call: &str) -> String {
    format!(
        r#"
.func "Counter.dispatch" params=1 regs=4 safe dispatch
    field.get 0 -> r1
    add r1, r0 -> r2
    field.set 0, r2
    list r2..r3 -> r3
    ret r3
.end
.func "main" params=0 regs=7 safe main
    fx.input -> r4
    int 1 -> r5
    int {n} -> r0
    int 0 -> r1
    int 1 -> r2
top:
    le r0, r1 -> r3
    br r3, done
    {call}
    sub r0, r2 -> r0
    jump top
done:
    ret r0
.end
.behaviour "Counter" dispatch=@"Counter.dispatch" fields=["count"]
.entry @main
"#
    )
}

/// A world holding one counter object with state `[0]`; returns the object.
fn counter_world() -> (World, Val) {
    let mut world = World::new();
    let setup = load(COUNTER);
    let counter = run(&setup, &mut world, &config(TraceMode::Off))
        .outcome
        .expect("setup runs");
    if let Val::Object(id) = counter {
        world.store.set_state(id, vec![Val::Int(0)]);
    }
    (world, counter)
}

fn effect_dispatch<M: Measurement>(c: &mut Criterion<M>, suffix: &str) {
    let mut g = c.benchmark_group(format!("tape_effect{suffix}"));
    g.throughput(Throughput::Elements(LOOP as u64));
    for (name, body, mode) in [
        ("empty_loop", "", TraceMode::Off),
        ("self_loop", "fx.self -> r3", TraceMode::Off),
        ("self_loop_trace_on", "fx.self -> r3", TraceMode::On),
    ] {
        let image = load(&counted_loop(LOOP, body));
        let cfg = config(mode);
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut world = World::new();
                black_box(run(&image, &mut world, &cfg).steps)
            })
        });
    }
    g.finish();
}

fn counter_call<M: Measurement>(c: &mut Criterion<M>, suffix: &str) {
    let mut g = c.benchmark_group(format!("tape_counter{suffix}"));
    let with_call = load(&counter_loop(CALLS));
    // The loop alone runs 20 times longer, so that one iteration lasts well over a scheduler
    // tick (the CPU-time clock's resolution).
    let loop_only = load(&counter_loop_with(CALLS * 20, ""));
    for (name, image, iterations, mode) in [
        ("call_get_add_set", &with_call, CALLS, TraceMode::Off),
        (
            "call_get_add_set_trace_on",
            &with_call,
            CALLS,
            TraceMode::On,
        ),
        ("loop_without_call", &loop_only, CALLS * 20, TraceMode::Off),
    ] {
        g.throughput(Throughput::Elements(iterations as u64));
        let (mut world, counter) = counter_world();
        let cfg = RunConfig {
            input: counter,
            ..config(mode)
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = run(image, &mut world, &cfg);
                assert!(r.outcome.is_ok());
                black_box(r.steps)
            })
        });
    }
    g.finish();
}

fn nested_ping_pong<M: Measurement>(c: &mut Criterion<M>, suffix: &str) {
    let mut g = c.benchmark_group(format!("tape_nested_ping_pong{suffix}"));
    g.sample_size(10);
    // A depth sweep: the stack a run keeps live grows with the depth (about 200 bytes per
    // level, docs/performance.md "Call context and footprint"), from L2-sized at 10^3 to
    // hundreds of MB at 10^6. Small depths run several times per iteration, so every
    // iteration lasts well over a scheduler tick (the CPU-time clock's resolution).
    for (depth, runs) in [
        (1_000i32, 100u64),
        (10_000, 10),
        (100_000, 1),
        (1_000_000, 1),
    ] {
        let program = samples::ping_pong(depth).expect("sample builds");
        let image = Image::load(&program).expect("sample loads");
        let cfg = config(TraceMode::Off);
        g.throughput(Throughput::Elements(depth as u64 * runs));
        g.bench_with_input(BenchmarkId::from_parameter(depth), &depth, |b, _| {
            b.iter(|| {
                for _ in 0..runs {
                    let mut world = World::new();
                    let r = run(&image, &mut world, &cfg);
                    assert!(r.outcome.is_ok());
                    black_box(r.steps);
                }
            })
        });
        let mut buffers = Buffers::default();
        g.bench_with_input(BenchmarkId::new("reused_buffers", depth), &depth, |b, _| {
            b.iter(|| {
                for _ in 0..runs {
                    let mut world = World::new();
                    let r = run_with_buffers(&image, &mut world, &cfg, &mut buffers);
                    assert!(r.outcome.is_ok());
                    black_box(r.steps);
                }
            })
        });
    }
    g.finish();
}

fn fib<M: Measurement>(c: &mut Criterion<M>, suffix: &str) {
    let mut g = c.benchmark_group(format!("tape_fib{suffix}"));
    g.sample_size(10);
    let image = Image::load(&samples::fib(30).expect("sample builds")).expect("sample loads");
    let cfg = config(TraceMode::Off);
    g.bench_function("fib30", |b| {
        b.iter(|| {
            let mut world = World::new();
            let r = run(&image, &mut world, &cfg);
            assert_eq!(r.outcome, Ok(Val::Int(832_040)));
            black_box(r.steps)
        })
    });
    g.finish();
}

fn all<M: Measurement>(c: &mut Criterion<M>, suffix: &str) {
    effect_dispatch(c, suffix);
    counter_call(c, suffix);
    nested_ping_pong(c, suffix);
    fib(c, suffix);
}

/// With `TAPE_FIB_ONCE` set, runs `fib(30)` once and prints it (for a whole-process comparison
/// with `lua5.4` under `hyperfine`, which also reports user CPU time); with `TAPE_COUNTER_ONCE`
/// set, runs the counter loop (10^5 calls) once and prints its step count (a fixed amount of
/// work for `valgrind --tool=callgrind`: instructions of `exec_loop` ÷ 10^5); else every benchmark,
/// in wall time (groups `tape_*`) and in the thread's CPU time (groups `tape_*_cpu`).
fn main() {
    if std::env::var_os("TAPE_FIB_ONCE").is_some() {
        let image = Image::load(&samples::fib(30).expect("sample builds")).expect("sample loads");
        let mut world = World::new();
        let r = run(&image, &mut world, &config(TraceMode::Off));
        println!("{:?}", r.outcome);
        return;
    }
    if std::env::var_os("TAPE_COUNTER_ONCE").is_some() {
        let image = load(&counter_loop(CALLS));
        let (mut world, counter) = counter_world();
        let cfg = RunConfig {
            input: counter,
            ..config(TraceMode::Off)
        };
        let r = run(&image, &mut world, &cfg);
        println!("{:?} in {} steps", r.outcome, r.steps);
        return;
    }
    let mut wall = Criterion::default().configure_from_args();
    all(&mut wall, "");
    let mut cpu = Criterion::default()
        .with_measurement(common::CpuTime)
        .configure_from_args();
    all(&mut cpu, "_cpu");
    wall.final_summary();
}

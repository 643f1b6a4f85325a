//! Runs one of the ITree interpreter's benchmark workloads once, for instruction counting with
//! `valgrind --tool=callgrind` (repeatable on a shared machine, unlike timings).
//!
//! `cargo run --release -p avm-vm --example itree_workload -- counter CALLS` runs the counter
//! benchmark's program (`vm/benches/counter.rs`: a tail-recursive loop of CALLS `call`s of a
//! counter object doing get field, +1, set field); `... -- ping_pong DEPTH` runs
//! `startPingPong DEPTH` (`vm/benches/ping_pong.rs`). An optional third argument runs the
//! program that many times in a row (the second and later runs reuse the first run's stacks).
//! Trace off, as in the benches. Per-call or per-round counts are the difference of two runs
//! with different sizes divided by the difference of the sizes (that removes the setup).

use avm_vm::itree::builder::*;
use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceMode;
use avm_vm::world::World;

fn usage() -> ! {
    eprintln!("usage: itree_workload (counter CALLS | ping_pong DEPTH) [RUNS]");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(kind), Some(Ok(n))) = (args.first(), args.get(1).map(|a| a.parse::<i64>())) else {
        usage()
    };
    let runs = match args.get(2).map(|a| a.parse::<u32>()) {
        None => 1,
        Some(Ok(r)) if r >= 1 => r,
        Some(_) => usage(),
    };
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let mut world = World::new();
    let program = match kind.as_str() {
        "counter" => {
            let setup = samples::create_counter();
            let counter = match run(&setup, &mut world, &config).outcome {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("setup failed: {e}");
                    std::process::exit(1)
                }
            };
            samples::counter_loop(Some(&counter)).main(call_fn("go", vec![int(n)]))
        }
        "ping_pong" => samples::start_ping_pong(n),
        _ => usage(),
    };
    let mut r = run(&program, &mut world, &config);
    for _ in 1..runs {
        r = run(&program, &mut world, &config);
    }
    match r.outcome {
        Ok(v) => println!("{v} in {} steps", r.steps),
        Err(e) => {
            eprintln!("run failed: {e}");
            std::process::exit(1)
        }
    }
}

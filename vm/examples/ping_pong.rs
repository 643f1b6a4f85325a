//! Runs the spec's PingPong (`examples.md` §1.1, the runner's `test`) as an ITree program and
//! prints the program, its result and its trace in the spec's display convention.
//!
//! `cargo run -p avm-vm --example ping_pong [ROUNDS]` (default 5 rounds).

use avm_vm::ids::MachineId;
use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceView;
use avm_vm::world::World;

fn main() {
    let rounds = match std::env::args().nth(1).map(|a| a.parse::<i64>()) {
        None => 5,
        Some(Ok(n)) if n >= 0 => n,
        Some(_) => {
            eprintln!("usage: ping_pong [ROUNDS]   (ROUNDS: a non-negative integer)");
            std::process::exit(2);
        }
    };
    let program = samples::ping_pong_test(rounds);
    let mut world = World::new();
    let config = RunConfig {
        machine: MachineId::new("node1"),
        ..RunConfig::default()
    };
    let result = run(&program, &mut world, &config);
    println!("== program ==\n{program}");
    match &result.outcome {
        Ok(v) => println!("== result ==\n{v}\n"),
        Err(e) => println!("== error ==\n{e}\n"),
    }
    print!("== trace ==\n{}", result.trace.render(TraceView::Full));
    if result.outcome.is_err() {
        std::process::exit(1);
    }
}

//! Runs the Tape interpreter's nested ping-pong (`tape::samples::ping_pong`, the program of
//! `vm/benches/tape.rs`' `tape_nested_ping_pong`) once at a given depth, trace off, and prints
//! the outcome and step count: a fixed amount of work for `/usr/bin/time -v` (peak RSS, so
//! bytes per nesting level = peak RSS ÷ depth) and `valgrind --tool=callgrind`.
//!
//! `cargo run --release -p avm-vm --example tape_ping_pong -- DEPTH`

use avm_vm::tape::interp::{Image, RunConfig, run};
use avm_vm::tape::samples;
use avm_vm::trace::TraceMode;
use avm_vm::world::World;

fn main() {
    let Some(Ok(depth)) = std::env::args().nth(1).map(|a| a.parse::<i32>()) else {
        eprintln!("usage: tape_ping_pong DEPTH");
        std::process::exit(2)
    };
    let image = match samples::ping_pong(depth).map(|p| Image::load(&p)) {
        Ok(Ok(image)) => image,
        Ok(Err(e)) => {
            eprintln!("the sample does not load: {e}");
            std::process::exit(1)
        }
        Err(e) => {
            eprintln!("the sample does not build: {e}");
            std::process::exit(1)
        }
    };
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let mut world = World::new();
    let r = run(&image, &mut world, &config);
    println!("{:?} in {} steps", r.outcome, r.steps);
}

//! Shared by the long-program tests (`long_chains.rs`, `long_blocks.rs`): run a closure on a
//! thread with the 2 MiB stack of a default test thread, and compile a source to Tape there and
//! run it on both engines (which must agree), giving the value as source text.

#![allow(dead_code)] // each test binary uses a subset of the helpers

use avm_compiler::diagnostics::render::{ColorChoice, render_all};
use avm_compiler::itree::LowerOptions;
use avm_compiler::pipeline::{NoSources, Stage, compile};
use avm_vm::itree::RunConfig;

/// Runs `f` on a thread with a 2 MiB stack (the default of test threads, set explicitly).
pub fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("thread starts")
        .join()
        .expect("no panic or stack overflow")
}

/// Compiles `src` to Tape and runs it on both engines; the value both agree on, as source text.
pub fn run_both(src: String) -> String {
    on_small_stack(move || {
        let out = compile(
            "t.avm",
            &src,
            &mut NoSources,
            Stage::Tape,
            &LowerOptions::default(),
        );
        let (Some(itree), Some(tape)) = (out.itree.as_ref(), out.tape.as_ref()) else {
            panic!(
                "does not compile:\n{}",
                render_all(&out.diagnostics, &out.sources, ColorChoice::Off)
            );
        };
        let make_world = avm_vm::world::World::new;
        let run =
            avm_vm::testing::assert_same_run_in(itree, tape, &RunConfig::default(), &make_world);
        let value = run.outcome.expect("the run succeeds");
        avm_compiler::value_text::value(&value)
    })
}

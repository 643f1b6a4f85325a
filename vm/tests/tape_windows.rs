//! Call-site register windows of the Tape interpreter (`tape::interp::live`): the window of
//! an `fx.call`'s dispatch function overlaps the caller's registers that are dead after the
//! call, so nested object calls whose dispatch keeps nothing live across the call reuse one
//! window, while a caller whose registers are read after the call keeps them intact.

use avm_vm::tape::interp::{Image, RunConfig, run};
use avm_vm::tape::parse::parse_program;
use avm_vm::tape::samples;
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;

fn config(max_registers: usize) -> RunConfig {
    let mut config = RunConfig {
        trace_mode: TraceMode::On,
        ..RunConfig::default()
    };
    config.limits.max_registers = max_registers;
    config
}

#[test]
fn deep_ping_pong_runs_in_a_register_budget_of_a_few_windows() {
    // 2 000 nested object calls; each dispatch frame has 16 registers, so one window per
    // level would need 32 000 registers. Nothing is live across the nested call.
    let image = Image::load(&samples::ping_pong(2_000).expect("builds")).expect("loads");
    let (mut w1, mut w2) = (World::new(), World::new());
    let small = run(&image, &mut w1, &config(64));
    let large = run(&image, &mut w2, &config(1 << 26));
    assert_eq!(
        small.outcome,
        Ok(Val::list(vec![
            Val::str("complete"),
            Val::str("ping-continue")
        ]))
    );
    assert_eq!(small.outcome, large.outcome);
    assert_eq!(small.trace, large.trace);
    assert_eq!(small.steps, large.steps);
    assert_eq!(w1.store, w2.store);
}

#[test]
fn registers_live_after_an_object_call_survive_the_callee() {
    // `Mid.dispatch` keeps r5 live across its `fx.call` of a `Leaf`, whose dispatch writes
    // all of its 6 registers; the leaf's window must start past r5.
    let text = r#"
.const c0 "Leaf"
.const c1 "Mid"
.func "Leaf.dispatch" params=1 regs=6 safe dispatch
    int 7 -> r1
    int 8 -> r2
    int 9 -> r3
    int 10 -> r4
    list r0..r1 -> r5
    ret r5
.end
.func "Mid.dispatch" params=1 regs=7 safe dispatch
    int 100 -> r5
    const c0 -> r2
    none -> r3
    fx.createObj r2..r4 -> r2
    int 5 -> r3
    fx.call r2..r4 -> r4
    list r5..r6 -> r6
    ret r6
.end
.func "main" params=0 regs=4 safe main
    const c1 -> r0
    none -> r1
    fx.createObj r0..r2 -> r0
    int 0 -> r1
    fx.call r0..r2 -> r2
    ret r2
.end
.behaviour "Leaf" dispatch=@"Leaf.dispatch" fields=[]
.behaviour "Mid" dispatch=@"Mid.dispatch" fields=[]
.entry @main
"#;
    let image = Image::load(&parse_program(text).expect("parses")).expect("loads");
    // Mid's `fx.call` (op 5): r5 is live after it, r4 is its dst.
    assert_eq!(image.functions[1].call_window[5], 6);
    // main's `fx.call` (op 4): nothing is live after it.
    assert_eq!(image.functions[2].call_window[4], 0);
    let r = run(&image, &mut World::new(), &config(1 << 20));
    assert_eq!(r.outcome, Ok(Val::just(Val::Int(100))));
}

//! Call-site register windows of the Tape interpreter (`tape::interp::live`): a callee's
//! window overlaps the caller's registers that are dead after the call, so nested object
//! calls whose dispatch keeps nothing live across the call reuse one window, while a caller
//! whose registers are read after the call keeps them intact.

use avm_vm::error::LimitError;
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
fn registers_live_after_a_call_survive_the_callee() {
    // `rec n` keeps n (r0) and a marker (r3) live across its recursive call, and the callee
    // writes every register of its own window; the sum proves no live register was
    // overwritten. Each level keeps its 4 registers: the 11 frames of `rec` (n = 10..0) do
    // not fit in 1 + 10 * 4 (main keeps r0 only up to its call).
    let text = r#"
.func "rec" params=1 regs=4 safe plain
    int 100 -> r3
    int 0 -> r1
    le r0, r1 -> r2
    brnot r2, more
    ret r1
more:
    int 1 -> r1
    sub r0, r1 -> r1
    call @rec, r1..r2 -> r2
    add r2, r0 -> r2
    add r2, r3 -> r2
    int 100 -> r1
    sub r2, r1 -> r2
    ret r2
.end
.func "main" params=0 regs=2 safe main
    int 10 -> r0
    call @rec, r0..r1 -> r1
    ret r1
.end
.entry @main
"#;
    let image = Image::load(&parse_program(text).expect("parses")).expect("loads");
    let r = run(&image, &mut World::new(), &config(1 << 20));
    assert_eq!(r.outcome, Ok(Val::Int(55)));
    let r = run(&image, &mut World::new(), &config(1 + 10 * 4));
    assert_eq!(
        r.outcome,
        Err(LimitError::RegisterLimitExceeded {
            max_registers: 1 + 10 * 4
        }
        .into())
    );
}

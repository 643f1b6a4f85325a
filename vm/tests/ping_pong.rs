//! PingPong (`examples.md` §1.1) as an ITree program: results and traces against the spec's.
//!
//! Differences in the text are only notation: the spec's `obj-n` is our `#n`, its
//! `Msg(Ping,1,obj-0,1)` is our variant `Msg::Ping(1, #0, 1)`, `VString "x"` is `"x"`.

use avm_vm::ids::MachineId;
use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use avm_vm::world::World;

fn config() -> RunConfig {
    RunConfig {
        machine: MachineId::new("node1"),
        ..RunConfig::default()
    }
}

#[test]
fn test_simple_matches_spec() {
    // examples.md §1.1 `testSimple`: result "pong-continue", three events.
    let mut world = World::new();
    let r = run(&samples::ping_pong_simple(), &mut world, &config());
    assert_eq!(r.outcome, Ok(Val::str("pong-continue")));
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] ObjectCreated(#0, \"pong\") @none\n\
         [1] ObjectCalled(#0, Msg::Ping(1, #0, 1) -> \"pong-done\") @none\n\
         [2] ObjectCalled(#0, Msg::Ping(0, #0, 1) -> \"pong-continue\") @none\n"
    );
}

#[test]
fn runner_test_matches_spec() {
    // examples.md §1.1 `test`: result ["complete", "ping-continue"], trace [0]..[9].
    let mut world = World::new();
    let r = run(&samples::ping_pong_test(5), &mut world, &config());
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![
            Val::str("complete"),
            Val::str("ping-continue")
        ]))
    );
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] TransactionStarted(0) @none\n\
         [1] ObjectCreated(#1, \"pong\") @none\n\
         [2] ObjectCreated(#2, \"ping\") @none\n\
         [3] TransactionCommitted(0) @none\n\
         [4] ObjectCalled(#1, Msg::Pong(5, #2, 5) -> \"pong-done\") @none\n\
         [5] ObjectCalled(#2, Msg::Ping(4, #1, 5) -> \"ping-continue\") @none\n\
         [6] ObjectCalled(#1, Msg::Pong(3, #2, 5) -> \"pong-continue\") @none\n\
         [7] ObjectCalled(#2, Msg::Ping(2, #1, 5) -> \"ping-continue\") @none\n\
         [8] ObjectCalled(#1, Msg::Pong(1, #2, 5) -> \"pong-continue\") @none\n\
         [9] ObjectCalled(#2, Msg::Ping(0, #1, 5) -> \"ping-continue\") @none\n"
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn start_ping_pong_general_rule() {
    // examples.md §1.1 general rule: 2 creates then n+1 calls; innermost "<role>-done" with role
    // ping for even n, pong for odd n; result ["complete", "ping-continue"]; n = 0 → "ping-done".
    for n in 0..8 {
        let mut world = World::new();
        let r = run(&samples::start_ping_pong(n), &mut world, &config());
        let expected_last = if n == 0 { "ping-done" } else { "ping-continue" };
        assert_eq!(
            r.outcome,
            Ok(Val::list(vec![
                Val::str("complete"),
                Val::str(expected_last)
            ])),
            "n = {n}"
        );
        let lines: Vec<String> = r
            .trace
            .render(TraceView::Spec)
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(lines.len(), 2 + n as usize + 1, "n = {n}");
        let innermost = &lines[2];
        let role = if n % 2 == 0 { "ping" } else { "pong" };
        assert!(
            innermost.contains(&format!("\"{role}-done\"")),
            "n = {n}: {innermost}"
        );
    }
}

#[test]
fn program_prints() {
    insta::assert_snapshot!(samples::ping_pong_test(5).to_string());
}

//! Guards on the reference interpreter's step semantics (fuel is observable, so the number of
//! steps a program takes and the position every step ends at must not change when the
//! interpreter is made faster).
//!
//! Takes a set of sample programs (the counter-call benchmark loop, ping-pong, battleship, and
//! a program using functions, `match`, `bind`, `callPure` and failures) and checks, against
//! figures recorded with the interpreter before its second performance round: the step count
//! of the whole run, the step after which each trace event is logged (by running the program
//! with every fuel limit), and that running in slices of 1 and 3 steps gives the same outcome,
//! trace and step count as one run. Also checks that the instructions with nodes of their own
//! (`call`, `input`, `getField`, `setField`) still fail inside a pure function.

use crate::ids::ObjectId;
use crate::itree::builder::*;
use crate::itree::interp::{Interp, Limits, RunConfig, RunResult, Status, run};
use crate::itree::term::{BinOp, Instr, Pattern, Program};
use crate::samples;
use crate::trace::{EventType, TraceMode};
use crate::value::Val;
use crate::world::World;

/// Creates and initialises the counter object 0 (by a run of its own).
fn counter_world() -> World {
    let mut world = World::new();
    let setup = samples::create_counter();
    let r = run(&setup, &mut world, &RunConfig::default());
    assert_eq!(r.outcome, Ok(Val::Object(ObjectId(0))));
    world
}

/// The benchmark's loop: `go(n)` calls the counter object 0 `calls` times (`counter_world`),
/// then reads the count back with a call of increment 0.
fn counter_loop(calls: i64) -> Program {
    samples::counter_loop(Some(&Val::Object(ObjectId(0)))).main(
        Block::new()
            .bind("u", call_fn("go", vec![int(calls)]))
            .instr("c", Instr::Call(lit(Val::Object(ObjectId(0))), int(0)))
            .ret(var("c")),
    )
}

/// Functions, `match` with guards and bindings, a non-tail call inside `bind`, `callPure`,
/// a list result and a `print`.
fn mixed() -> Program {
    ProgramBuilder::new()
        .function(
            "sum",
            &["xs", "acc"],
            match_(
                var("xs"),
                vec![
                    (Pattern::Nil, ret(var("acc"))),
                    (
                        Pattern::Cons(Box::new(pbind("h")), Box::new(pbind("t"))),
                        if_(
                            lt(var("h"), int(0)),
                            call_fn("sum", vec![var("t"), var("acc")]),
                            call_fn("sum", vec![var("t"), add(var("acc"), var("h"))]),
                        ),
                    ),
                ],
            ),
        )
        .pure_function("double", &["x"], ret(add(var("x"), var("x"))))
        .register_pure("d", "double")
        .main(
            Block::new()
                .bind(
                    "s",
                    call_fn(
                        "sum",
                        vec![list(vec![int(1), int(-2), int(3), int(4)]), int(0)],
                    ),
                )
                .instr(
                    "d",
                    Instr::CallPure {
                        name: name("d"),
                        args: list(vec![var("s")]),
                    },
                )
                .effect(Instr::Print(var("d")))
                .let_("b", bin(BinOp::Ne, var("s"), int(8)))
                .then(if_(
                    var("b"),
                    fail(string("wrong sum")),
                    ret(list(vec![var("s"), var("d")])),
                )),
        )
}

/// `mixed` ending in a failure.
fn failing() -> Program {
    ProgramBuilder::new()
        .function("f", &["x"], fail(add(var("x"), int(1))))
        .main(
            Block::new()
                .let_("a", int(41))
                .bind("r", call_fn("f", vec![var("a")]))
                .ret(var("r")),
        )
}

fn config(fuel: u64) -> RunConfig {
    RunConfig {
        limits: Limits {
            fuel,
            ..Limits::default()
        },
        trace_mode: TraceMode::On,
        ..RunConfig::default()
    }
}

/// Runs `program` on a world from `world` in slices of `slice` steps.
fn run_sliced(program: &Program, world: fn() -> World, slice: u64) -> RunResult {
    let mut world = world();
    let mut it = Interp::new(program, &mut world, &config(u64::MAX));
    while it.run_slice(&mut world, slice) == Status::Running {}
    it.finish()
}

/// The trace events of a run, without the final `ErrorOccurred` of a failed one.
fn events(r: &RunResult) -> usize {
    r.trace
        .entries()
        .iter()
        .filter(|e| !matches!(e.event, EventType::ErrorOccurred(_)))
        .count()
}

/// For each trace event of the whole run, the smallest fuel with which the run logs it.
fn event_steps(program: &Program, world: fn() -> World, total: u64) -> Vec<u64> {
    let mut out = Vec::new();
    for fuel in 0..=total {
        let r = run(program, &mut world(), &config(fuel));
        while out.len() < events(&r) {
            out.push(fuel);
        }
    }
    out
}

/// Checks the step count, slicing and (with `expected_events`) the step of each event.
fn check(program: &Program, world: fn() -> World, steps: u64, expected_events: Option<&[u64]>) {
    let whole = run(program, &mut world(), &config(u64::MAX));
    assert_eq!(whole.steps, steps, "step count of the whole run");
    for slice in [1, 3] {
        let sliced = run_sliced(program, world, slice);
        assert_eq!(
            sliced.outcome, whole.outcome,
            "outcome in slices of {slice}"
        );
        assert_eq!(sliced.trace, whole.trace, "trace in slices of {slice}");
        assert_eq!(sliced.steps, whole.steps, "steps in slices of {slice}");
    }
    if let Some(expected) = expected_events {
        assert_eq!(event_steps(program, world, steps), expected);
    }
}

#[test]
fn counter_call_loop_steps() {
    let program = counter_loop(3);
    let r = run(&program, &mut counter_world(), &config(u64::MAX));
    assert_eq!(r.outcome, Ok(Val::just(Val::Int(3))));
    check(
        &program,
        counter_world,
        46,
        Some(&[8, 10, 18, 20, 28, 30, 41, 43]),
    );
}

#[test]
fn ping_pong_steps() {
    check(
        &samples::start_ping_pong(3),
        World::new,
        37,
        Some(&[1, 2, 24, 27, 30, 33]),
    );
    check(&samples::ping_pong_test(2), World::new, 31, None);
    check(&samples::ping_pong_simple(), World::new, 19, None);
}

#[test]
fn battleship_steps() {
    check(
        &samples::play_full_game(some_controller("main")),
        World::new,
        117,
        None,
    );
    check(&samples::play_full_game(none()), World::new, 38, None);
}

#[test]
fn functions_match_and_pure_calls_steps() {
    let r = run(&mixed(), &mut World::new(), &config(u64::MAX));
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![Val::Int(8), Val::just(Val::Int(16))]))
    );
    check(&mixed(), World::new, 27, Some(&[23]));
    check(&failing(), World::new, 4, Some(&[]));
}

#[test]
fn specialised_instructions_are_effects_in_pure_functions() {
    use crate::error::ExecError;
    let cases = [
        ("input", Instr::Input),
        ("getField", Instr::GetField(0)),
        ("setField", Instr::SetField(0, int(1))),
        ("call", Instr::Call(lit(Val::Object(ObjectId(0))), int(1))),
    ];
    for (instruction, instr) in cases {
        let program = ProgramBuilder::new()
            .pure_function("f", &[], Block::new().instr("x", instr).ret(var("x")))
            .register_pure("f", "f")
            .main(
                Block::new()
                    .instr(
                        "r",
                        Instr::CallPure {
                            name: name("f"),
                            args: list(vec![]),
                        },
                    )
                    .ret(var("r")),
            );
        let r = run(&program, &mut counter_world(), &config(u64::MAX));
        assert_eq!(
            r.outcome,
            Err(ExecError::EffectInPureFunction { instruction }.into())
        );
    }
}

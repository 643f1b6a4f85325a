//! Battleship (`examples.md` §2.1) as an ITree program: results, traces and final states.
//!
//! Where we follow the spec the assertions are the spec's results; where read-your-writes
//! changes the outcome (board states after `setupGame`) the assertion is our documented result
//! (docs/spec-deviations.md, "Read-your-writes"). Boards created without a controller fail the
//! first attack exactly as in the spec (`ErrObjectHasNoController 2`); boards created with the
//! running controller — what the source language always does — give the intended hits.

use avm_vm::error::{AvmError, ControllerError};
use avm_vm::ids::{MachineId, ObjectId};
use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::itree::{RunConfig, run};
use avm_vm::samples::{self, coord, ship};
use avm_vm::trace::TraceView;
use avm_vm::value::Val;
use avm_vm::world::World;

fn config() -> RunConfig {
    // examples.md §2.1: machine "node1", self 0, input VCoord 0 0.
    RunConfig {
        machine: MachineId::new("node1"),
        self_id: ObjectId(0),
        input: Val::variant("V", "Coord", vec![Val::Int(0), Val::Int(0)]),
        ..RunConfig::default()
    }
}

fn vship(x: i64, y: i64, l: i64) -> Val {
    Val::variant("V", "Ship", vec![Val::Int(x), Val::Int(y), Val::Int(l)])
}

fn vcoord(x: i64, y: i64) -> Val {
    Val::variant("V", "Coord", vec![Val::Int(x), Val::Int(y)])
}

fn hit_or_miss(x: i64, y: i64) -> avm_vm::itree::Program {
    samples::battleship(
        Block::new()
            .instr(
                "b",
                Instr::CreateObj {
                    behaviour: name("PlayerBoard"),
                    controller: none(),
                },
            )
            .effect(Instr::Call(var("b"), ship(0, 0, 3)))
            .instr("r", Instr::Call(var("b"), coord(x, y)))
            .ret(var("r")),
    )
}

#[test]
fn test_hit() {
    // §2.1 testHit: just (VCoord 0 1); three events, all @none.
    let mut world = World::new();
    let r = run(&hit_or_miss(0, 1), &mut world, &config());
    assert_eq!(r.outcome, Ok(Val::just(vcoord(0, 1))));
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] ObjectCreated(#0, \"PlayerBoard\") @none\n\
         [1] ObjectCalled(#0, V::Ship(0, 0, 3) -> V::Ship(0, 0, 3)) @none\n\
         [2] ObjectCalled(#0, V::Coord(0, 1) -> V::Coord(0, 1)) @none\n"
    );
}

#[test]
fn test_miss() {
    // §2.1 testMiss: nothing; last entry ObjectCalled(0, VCoord 5 5) with no output.
    let mut world = World::new();
    let r = run(&hit_or_miss(5, 5), &mut world, &config());
    assert_eq!(r.outcome, Ok(Val::Nothing));
    let text = r.trace.render(TraceView::Spec);
    assert_eq!(
        text.lines().last(),
        Some("[2] ObjectCalled(#0, V::Coord(5, 5)) @none")
    );
}

#[test]
fn setup_game_trace_and_states() {
    // §2.1 setupGame: (1, 2); trace [0] start, [1],[2] creates, [3..6] calls, [7] commit.
    let mut world = World::new();
    let prog = samples::battleship(
        samples::setup_game(none()).ret(tuple(vec![var("board1"), var("board2")])),
    );
    let r = run(&prog, &mut world, &config());
    assert_eq!(
        r.outcome,
        Ok(Val::tuple(vec![
            Val::Object(ObjectId(1)),
            Val::Object(ObjectId(2))
        ]))
    );
    assert_eq!(
        r.trace.render(TraceView::Spec),
        "[0] TransactionStarted(0) @none\n\
         [1] ObjectCreated(#1, \"PlayerBoard\") @none\n\
         [2] ObjectCreated(#2, \"PlayerBoard\") @none\n\
         [3] ObjectCalled(#1, V::Ship(0, 0, 3) -> V::Ship(0, 0, 3)) @none\n\
         [4] ObjectCalled(#1, V::Ship(2, 2, 2) -> V::Ship(2, 2, 2)) @none\n\
         [5] ObjectCalled(#2, V::Ship(1, 1, 3) -> V::Ship(1, 1, 3)) @none\n\
         [6] ObjectCalled(#2, V::Ship(4, 4, 2) -> V::Ship(4, 4, 2)) @none\n\
         [7] TransactionCommitted(0) @none\n"
    );
    // Spec: board1 = [VShip 2 2 2], board2 = [VShip 4 4 2] (no read-your-writes loses the first
    // ship). Ours (read-your-writes): both ships kept, newest first.
    assert_eq!(
        world.store.state(ObjectId(1)),
        Some(&[vship(2, 2, 2), vship(0, 0, 3)][..])
    );
    assert_eq!(
        world.store.state(ObjectId(2)),
        Some(&[vship(4, 4, 2), vship(1, 1, 3)][..])
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Full));
}

#[test]
fn play_full_game_spec_boards_without_controller_fail() {
    // §2.1 playFullGame: failure controller-error (ErrObjectHasNoController 2). We follow it.
    let mut world = World::new();
    let r = run(&samples::play_full_game(none()), &mut world, &config());
    assert_eq!(
        r.outcome,
        Err(AvmError::Controller(
            ControllerError::ErrObjectHasNoController(ObjectId(2))
        ))
    );
    // The trace up to the failure is kept, ending with ErrorOccurred.
    let full = r.trace.render(TraceView::Full);
    assert!(
        full.lines()
            .last()
            .is_some_and(|l| l.contains("ErrorOccurred"))
    );
}

#[test]
fn play_full_game_with_owned_boards_gives_intended_hits() {
    // §2.1 intended results (read-your-writes + owned objects): hit, hit, miss, hit.
    let mut world = World::new();
    let r = run(
        &samples::play_full_game(some_controller("main")),
        &mut world,
        &config(),
    );
    assert_eq!(
        r.outcome,
        Ok(Val::list(vec![
            Val::just(vcoord(1, 1)),
            Val::just(vcoord(0, 0)),
            Val::Nothing,
            Val::just(vcoord(2, 2)),
        ]))
    );
    insta::assert_snapshot!(r.trace.render(TraceView::Spec));
}

#[test]
fn game_with_rollback() {
    // §2.1 gameWithRollback: spec fails (no controller); with owned boards the aborted attack
    // leaves no effect and the retried one hits.
    let rollback = |ctrl| {
        let b = samples::setup_game(ctrl)
            .instr("t", Instr::BeginTx(none()))
            .effect(Instr::Call(var("board2"), coord(1, 1)))
            .effect(Instr::AbortTx(var("t")));
        samples::battleship(samples::attack(b, "a", "board2", 1, 1).ret(var("a")))
    };
    let mut world = World::new();
    let r = run(&rollback(none()), &mut world, &config());
    assert_eq!(
        r.outcome,
        Err(AvmError::Controller(
            ControllerError::ErrObjectHasNoController(ObjectId(2))
        ))
    );
    let mut world = World::new();
    let r = run(&rollback(some_controller("main")), &mut world, &config());
    assert_eq!(r.outcome, Ok(Val::just(vcoord(1, 1))));
    assert_eq!(
        world.store.state(ObjectId(2)),
        Some(&[vship(4, 4, 2), vship(1, 1, 3)][..])
    );
}

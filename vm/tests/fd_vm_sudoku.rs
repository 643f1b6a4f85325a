//! A hard 9×9 Sudoku (Inkala 2012) solved through the VM's instructions: 81 `newVar`s, 27
//! `AllDiff`s and the givens as `ValEq` posts, then search by `label` under nested
//! transactions (the same search functions as the N-Queens program).

mod nqueens_programs;

use avm_vm::itree::{RunConfig, run};
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use avm_vm::world::World;
use nqueens_programs::{INKALA, INKALA_SOLUTION, grid, sudoku};

#[test]
fn inkala_sudoku_is_solved_by_propagation_and_search() {
    let program = sudoku(&grid(INKALA));
    let mut world = World::new();
    let config = RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    };
    let r = run(&program, &mut world, &config);
    let Ok(Val::List(sols)) = &r.outcome else {
        panic!("unexpected outcome {:?}", r.outcome);
    };
    assert_eq!(sols.len(), 1);
    let Some(Val::List(cells)) = sols.first() else {
        panic!("expected a list of cells, got {sols:?}");
    };
    let text: String = cells.iter().map(|c| c.to_string()).collect();
    assert_eq!(text, INKALA_SOLUTION);
}

//! N-Queens as an ITree program (`examples.md` §3, with the diagonal rule the spec cannot
//! state): variables, `AllDiff` and offset `Neq` constraints posted through instructions,
//! search by `label` under nested `beginTx`/`abortTx` in recursive functions, backtracking on
//! a failed `label` through `Term::Try`. Ground truth from `examples.md` §3.

mod nqueens_programs;

use avm_vm::itree::{RunConfig, run};
use avm_vm::trace::{TraceMode, TraceView};
use avm_vm::value::Val;
use avm_vm::world::World;
use nqueens_programs::{Collect, VarOrder, queens, queens_with};

fn solutions(n: i64, collect: Collect, trace_mode: TraceMode) -> (Vec<Vec<i64>>, String) {
    let program = queens(n, collect);
    let mut world = World::new();
    let config = RunConfig {
        trace_mode,
        ..RunConfig::default()
    };
    let r = run(&program, &mut world, &config);
    let value = match r.outcome {
        Ok(v) => v,
        Err(e) => panic!("N-Queens {n} failed: {e}"),
    };
    (to_solutions(&value), r.trace.render(TraceView::Full))
}

fn to_solutions(v: &Val) -> Vec<Vec<i64>> {
    let Val::List(sols) = v else {
        panic!("expected a list of solutions, got {v}");
    };
    sols.iter()
        .map(|s| match s {
            Val::List(xs) => xs
                .iter()
                .map(|x| match x {
                    Val::Int(i) => i,
                    other => panic!("expected an integer, got {other}"),
                })
                .collect(),
            other => panic!("expected a solution list, got {other}"),
        })
        .collect()
}

#[test]
fn four_queens_first_solution() {
    let (sols, _) = solutions(4, Collect::First, TraceMode::Off);
    assert_eq!(sols, vec![vec![2, 4, 1, 3]]);
}

#[test]
fn four_queens_both_solutions_in_order() {
    let (sols, _) = solutions(4, Collect::All, TraceMode::Off);
    assert_eq!(sols, vec![vec![2, 4, 1, 3], vec![3, 1, 4, 2]]);
}

#[test]
fn four_queens_trace_shows_the_search() {
    let (sols, trace) = solutions(4, Collect::First, TraceMode::On);
    assert_eq!(sols, vec![vec![2, 4, 1, 3]]);
    // The spec example's shape: four VarCreated, the AllDiff and the pair constraints, then
    // nested transactions with labels and narrowings, refutations, aborts.
    assert_eq!(trace.matches("VarCreated(").count(), 4);
    assert!(trace.contains("ConstraintPosted(alldiff(?0, ?1, ?2, ?3))"));
    assert_eq!(trace.matches("ConstraintPosted(?").count(), 12 + 1); // pairs + ?0 != 1
    assert!(trace.contains("Labeled(?0, 1)"));
    assert!(trace.contains("Labeled(?0, 2)"));
    assert!(trace.contains("TransactionStarted("));
    assert!(trace.contains("TransactionAborted("));
    assert!(trace.contains("FdFailed("));
    insta::assert_snapshot!(trace);
}

#[test]
fn small_boards_match_ground_truth() {
    let expected: [(i64, Option<&[i64]>, usize); 5] = [
        (1, Some(&[1]), 1),
        (2, None, 0),
        (3, None, 0),
        (5, Some(&[1, 3, 5, 2, 4]), 10),
        (6, Some(&[2, 4, 6, 1, 3, 5]), 4),
    ];
    for (n, first, count) in expected {
        let (all, _) = solutions(n, Collect::All, TraceMode::Off);
        assert_eq!(all.len(), count, "N = {n}");
        assert_eq!(all.first().map(Vec::as_slice), first, "N = {n}");
        for s in &all {
            assert!(is_queens_solution(s), "N = {n}: {s:?}");
        }
    }
}

#[test]
fn eight_queens_all_92_solutions() {
    let (all, _) = solutions(8, Collect::All, TraceMode::Off);
    assert_eq!(all.len(), 92);
    assert_eq!(all[0], vec![1, 5, 8, 6, 3, 7, 2, 4]);
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 92, "no duplicates");
    assert_eq!(
        sorted, all,
        "depth-first, smallest first: lexicographic order"
    );
    assert!(all.iter().all(|s| is_queens_solution(s)));
}

fn is_queens_solution(s: &[i64]) -> bool {
    let n = s.len();
    (0..n)
        .all(|i| (i + 1..n).all(|j| s[i] != s[j] && (s[i] - s[j]).unsigned_abs() as usize != j - i))
}

#[test]
fn first_fail_search_finds_a_solution() {
    for n in [8, 12] {
        let program = queens_with(n, Collect::First, VarOrder::FirstFail);
        let mut world = World::new();
        let config = RunConfig {
            trace_mode: TraceMode::Off,
            ..RunConfig::default()
        };
        let r = run(&program, &mut world, &config);
        let Ok(Val::Tuple(parts)) = &r.outcome else {
            panic!("N = {n}: unexpected outcome {:?}", r.outcome);
        };
        assert_eq!(to_solutions(&parts[0]).len(), 1, "N = {n}");
        // The committed store holds the solution, one fixed domain per row.
        let Val::Record(store) = &parts[1] else {
            panic!("expected the reified store, got {}", parts[1]);
        };
        let Val::List(vars) = &store.fields[0].1 else {
            panic!("expected the variable list");
        };
        let rows: Vec<i64> = vars
            .iter()
            .map(|entry| match entry {
                Val::Tuple(t) => match &t[1] {
                    Val::List(d) if d.len() == 1 => match d.first().unwrap_or(Val::Unit) {
                        Val::Int(v) => v,
                        _ => panic!("non-integer domain"),
                    },
                    other => panic!("N = {n}: unfixed domain {other}"),
                },
                other => panic!("unexpected entry {other}"),
            })
            .collect();
        assert_eq!(rows.len(), n as usize);
        assert!(is_queens_solution(&rows), "N = {n}: {rows:?}");
    }
}

#[test]
fn the_program_prints_its_fd_instructions() {
    // The ITree printer shows newVar, post, label, the nested transactions and `try`.
    let text = queens(4, Collect::First).to_string();
    for needle in [
        "newVar(",
        "post(Constraint::AllDiff(qs))",
        "label(",
        "beginTx(none)",
        "<- try {",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    insta::assert_snapshot!(text);
}

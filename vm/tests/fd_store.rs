//! Store-level tests: exact undo (property test against replay), marks, the change log and
//! the reified store.

mod fd_models;

use avm_vm::fd::{
    Comparison, Constraint, ConstraintStore, Domain, FdError, FdEvent, StepBudget, Tracing,
    ValueOrder, VarId, VarSelection, solve_first,
};
use proptest::prelude::*;

/// One store operation with concrete variable ids.
#[derive(Clone, Debug)]
enum Op {
    NewVar(Vec<i64>),
    Narrow(VarId, Vec<i64>),
    Post(Constraint),
    Label(VarId, ValueOrder),
}

/// An operation as generated: variables are picked modulo the current variable count.
#[derive(Clone, Debug)]
enum Step {
    Op(GenOp),
    Mark,
    Undo,
    Commit,
}

#[derive(Clone, Debug)]
enum GenOp {
    NewVar(Vec<i64>),
    Narrow(usize, Vec<i64>),
    Compare(usize, Comparison, usize, i64),
    CompareValue(usize, Comparison, i64),
    AllDiff(Vec<usize>),
    Label(usize, bool),
}

fn comparison() -> impl Strategy<Value = Comparison> {
    prop_oneof![
        Just(Comparison::Eq),
        Just(Comparison::Neq),
        Just(Comparison::Leq),
        Just(Comparison::Lt),
        Just(Comparison::Geq),
        Just(Comparison::Gt),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let values = || prop::collection::vec(-4i64..6, 0..7);
    let gen_op = prop_oneof![
        2 => values().prop_map(GenOp::NewVar),
        1 => (0usize..8, values()).prop_map(|(v, d)| GenOp::Narrow(v, d)),
        2 => (0usize..8, comparison(), 0usize..8, -2i64..3)
            .prop_map(|(a, op, b, c)| GenOp::Compare(a, op, b, c)),
        1 => (0usize..8, comparison(), -3i64..6).prop_map(|(a, op, v)| GenOp::CompareValue(a, op, v)),
        1 => prop::collection::vec(0usize..8, 0..5).prop_map(GenOp::AllDiff),
        1 => (0usize..8, any::<bool>()).prop_map(|(v, largest)| GenOp::Label(v, largest)),
    ];
    prop_oneof![
        6 => gen_op.prop_map(Step::Op),
        2 => Just(Step::Mark),
        2 => Just(Step::Undo),
        1 => Just(Step::Commit),
    ]
}

fn resolve(op: &GenOp, var_count: usize) -> Op {
    let var = |k: usize| {
        if var_count == 0 {
            VarId(k as u64)
        } else {
            VarId((k % var_count) as u64)
        }
    };
    match op {
        GenOp::NewVar(d) => Op::NewVar(d.clone()),
        GenOp::Narrow(v, d) => Op::Narrow(var(*v), d.clone()),
        GenOp::Compare(a, cmp, b, c) => Op::Post(Constraint::compare(var(*a), *cmp, var(*b), *c)),
        GenOp::CompareValue(a, cmp, v) => Op::Post(Constraint::compare_value(var(*a), *cmp, *v)),
        GenOp::AllDiff(vs) => Op::Post(Constraint::all_diff(vs.iter().map(|v| var(*v)))),
        GenOp::Label(v, largest) => Op::Label(
            var(*v),
            if *largest {
                ValueOrder::Largest
            } else {
                ValueOrder::Smallest
            },
        ),
    }
}

/// Applies `op`; the result rendered for comparison.
fn apply(store: &mut ConstraintStore, op: &Op) -> String {
    let mut budget = StepBudget::new(10_000);
    match op {
        Op::NewVar(d) => format!("{:?}", store.new_var(d.iter().copied())),
        Op::Narrow(v, d) => format!("{:?}", store.narrow(*v, d.iter().copied(), &mut budget)),
        Op::Post(c) => format!("{:?}", store.post(c.clone(), &mut budget)),
        Op::Label(v, order) => format!("{:?}", store.label(*v, *order, &mut budget)),
    }
}

fn replay(log: &[(Op, String)]) -> ConstraintStore {
    let mut store = ConstraintStore::new(Tracing::Off);
    for (op, expected) in log {
        assert_eq!(&apply(&mut store, op), expected, "replaying {op:?}");
    }
    store
}

fn same_state(a: &ConstraintStore, b: &ConstraintStore) -> bool {
    a.snapshot() == b.snapshot() && a.constraints() == b.constraints()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random operations with random mark / undo / commit: the store always equals a replay of
    /// the operations that were not undone.
    #[test]
    fn undo_equals_replay_without_the_undone_operations(steps in prop::collection::vec(step(), 0..60)) {
        let mut store = ConstraintStore::new(Tracing::Off);
        let mut log: Vec<(Op, String)> = Vec::new();
        let mut marks = Vec::new();
        for step in &steps {
            match step {
                Step::Op(gen_op) => {
                    let op = resolve(gen_op, store.var_count());
                    let result = apply(&mut store, &op);
                    log.push((op, result));
                }
                Step::Mark => marks.push((store.mark(), log.len())),
                Step::Undo => {
                    if let Some((mark, len)) = marks.pop() {
                        prop_assert_eq!(store.undo_to(mark), Ok(()));
                        log.truncate(len);
                        prop_assert!(same_state(&store, &replay(&log)));
                    }
                }
                Step::Commit => {
                    marks.pop();
                }
            }
        }
        prop_assert!(same_state(&store, &replay(&log)));
        // Every domain is non-empty: failures never leave a wiped-out store behind.
        prop_assert!(store.snapshot().vars.iter().all(|(_, d)| !d.is_empty()));
    }
}

#[test]
fn undo_restores_variables_constraints_and_domains() {
    let mut store = ConstraintStore::new(Tracing::Off);
    let mut budget = StepBudget::unlimited();
    let x = store.new_var(1..=5).expect("non-empty");
    let outer = store.mark();
    let y = store.new_var(1..=5).expect("non-empty");
    store
        .post(Constraint::lt(x, y), &mut budget)
        .expect("consistent");
    let inner = store.mark();
    store
        .label(x, ValueOrder::Largest, &mut budget)
        .expect("x = 4 leaves y = 5");
    assert_eq!(store.value(y), Ok(Some(5)));
    store.undo_to(inner).expect("current mark");
    assert_eq!(
        store.domain(x).map(ToString::to_string),
        Ok("{1..4}".to_string())
    );
    // The same mark can be undone to again.
    store.narrow(y, [2], &mut budget).expect("consistent");
    store.undo_to(inner).expect("still valid");
    assert_eq!(
        store.domain(y).map(ToString::to_string),
        Ok("{2..5}".to_string())
    );
    store.undo_to(outer).expect("outer mark");
    assert_eq!(store.var_count(), 1);
    assert!(store.constraints().is_empty());
    assert_eq!(
        store.domain(x).map(ToString::to_string),
        Ok("{1..5}".to_string())
    );
    assert_eq!(
        store.undo_to(inner),
        Err(FdError::StaleMark),
        "undone past it"
    );
    // A variable created after the undo reuses the id and has no leftover watchers.
    let z = store.new_var(1..=5).expect("non-empty");
    assert_eq!(z, y);
    store
        .label(x, ValueOrder::Smallest, &mut budget)
        .expect("no constraint left");
    assert_eq!(store.domain(z).map(Domain::size), Ok(5));
}

#[test]
fn forget_marks_makes_marks_stale() {
    let mut store = ConstraintStore::new(Tracing::Off);
    let x = store.new_var(1..=3).expect("non-empty");
    let mark = store.mark();
    store
        .narrow(x, [1, 2], &mut StepBudget::unlimited())
        .expect("consistent");
    store.forget_marks();
    assert_eq!(store.undo_to(mark), Err(FdError::StaleMark));
    assert_eq!(store.domain(x).map(Domain::size), Ok(2));
    let fresh = store.mark();
    store
        .narrow(x, [1], &mut StepBudget::unlimited())
        .expect("consistent");
    assert_eq!(store.undo_to(fresh), Ok(()));
    assert_eq!(store.domain(x).map(Domain::size), Ok(2));
}

#[test]
fn reified_store_lists_domains_and_constraint_count() {
    let mut store = ConstraintStore::new(Tracing::Off);
    let mut budget = StepBudget::unlimited();
    let x = store.new_var([3, 1, 2]).expect("non-empty");
    let y = store.new_var([2, 3]).expect("non-empty");
    store
        .post(Constraint::gt(x, y), &mut budget)
        .expect("consistent");
    let reified = store.snapshot();
    assert_eq!(reified.vars, vec![(x, vec![3]), (y, vec![2])]);
    assert_eq!(reified.constraint_count, 1);
}

fn render(events: &[FdEvent]) -> String {
    events
        .iter()
        .map(|e| match e {
            FdEvent::VarCreated { var, domain } => format!("VarCreated {var} {domain}"),
            FdEvent::ConstraintPosted { constraint } => format!("ConstraintPosted {constraint}"),
            FdEvent::NarrowRequested { var } => format!("Narrow {var}"),
            FdEvent::Labeled { var, value } => format!("Labeled {var} = {value}"),
            FdEvent::DomainNarrowed { var, domain } => format!("  DomainNarrowed {var} {domain}"),
            FdEvent::Failed { error } => format!("  Failed {error:?}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn change_log_of_a_small_model() {
    let mut store = ConstraintStore::new(Tracing::Record);
    let mut budget = StepBudget::unlimited();
    let x = store.new_var(1..=3).expect("non-empty");
    let y = store.new_var(1..=3).expect("non-empty");
    let _ = store.new_var([]);
    store
        .post(Constraint::lt(x, y), &mut budget)
        .expect("consistent");
    store.narrow(y, [2, 3], &mut budget).expect("consistent");
    let _ = store.post(Constraint::val_gt(x, 5), &mut budget);
    store
        .label(x, ValueOrder::Largest, &mut budget)
        .expect("x = 2, y = 3");
    insta::assert_snapshot!(render(&store.drain_events()));
    assert!(store.drain_events().is_empty());
}

#[test]
fn change_log_shows_the_search_for_four_queens() {
    let (mut store, queens) = fd_models::queens(4, Tracing::Record);
    store.drain_events();
    let solution = solve_first(
        &mut store,
        &queens,
        VarSelection::InOrder,
        &mut StepBudget::unlimited(),
    );
    assert_eq!(solution, Ok(Some(vec![2, 4, 1, 3])));
    insta::assert_snapshot!(render(&store.drain_events()));
}

#[test]
fn tracing_does_not_change_results() {
    let mut runs = Vec::new();
    for tracing in [Tracing::Record, Tracing::Off] {
        let (mut store, queens) = fd_models::queens(6, tracing);
        let mut found = Vec::new();
        let stats = avm_vm::fd::solve_all(
            &mut store,
            &queens,
            VarSelection::FirstFail,
            &mut StepBudget::unlimited(),
            |s| {
                found.push(s.to_vec());
                avm_vm::fd::SearchControl::Continue
            },
        );
        runs.push((found, stats));
    }
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0].0.len(), 4);
}

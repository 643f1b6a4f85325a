//! Propagator unit tests with hand-checked domains, failure values and the step budget.

use avm_vm::fd::{
    Comparison, Constraint, ConstraintStore, Effect, FdError, StepBudget, Tracing, ValueOrder,
    VarId, WipeoutCause,
};

fn store_with(domains: &[&[i64]]) -> (ConstraintStore, Vec<VarId>) {
    let mut store = ConstraintStore::new(Tracing::Off);
    let vars = domains
        .iter()
        .map(|d| store.new_var(d.iter().copied()).expect("non-empty domain"))
        .collect();
    (store, vars)
}

fn range(lo: i64, hi: i64) -> Vec<i64> {
    (lo..=hi).collect()
}

/// `?0 {..}; ?1 {..}; …`
fn domains(store: &ConstraintStore) -> String {
    store
        .snapshot()
        .vars
        .iter()
        .map(|(var, _)| format!("{var} {}", store.domain(*var).expect("listed variable")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn post(store: &mut ConstraintStore, c: Constraint) -> Result<Effect, FdError> {
    store.post(c, &mut StepBudget::unlimited())
}

#[test]
fn leq_with_offset_is_bounds_consistent() {
    let (mut s, v) = store_with(&[&range(1, 10), &range(1, 10)]);
    // x <= y - 3
    assert_eq!(
        post(&mut s, Constraint::compare(v[0], Comparison::Leq, v[1], -3)),
        Ok(Effect::Narrowed)
    );
    assert_eq!(domains(&s), "?0 {1..7}; ?1 {4..10}");
    // Narrowing y's top propagates to x.
    assert_eq!(
        s.narrow(v[1], range(1, 6), &mut StepBudget::unlimited()),
        Ok(Effect::Narrowed)
    );
    assert_eq!(domains(&s), "?0 {1..3}; ?1 {4..6}");
    assert_eq!(
        post(&mut s, Constraint::leq(v[0], v[1])),
        Ok(Effect::Unchanged)
    );
}

#[test]
fn strict_and_reversed_comparisons_normalise() {
    let (mut s, v) = store_with(&[&range(1, 5), &range(1, 5), &range(1, 5), &range(1, 5)]);
    post(&mut s, Constraint::lt(v[0], v[1])).expect("consistent");
    assert_eq!(domains(&s), "?0 {1..4}; ?1 {2..5}; ?2 {1..5}; ?3 {1..5}");
    // ?2 > ?3 + 2  =>  ?2 in 4..5, ?3 in 1..2
    post(&mut s, Constraint::compare(v[2], Comparison::Gt, v[3], 2)).expect("consistent");
    assert_eq!(domains(&s), "?0 {1..4}; ?1 {2..5}; ?2 {4, 5}; ?3 {1, 2}");
    // ?0 >= ?2  =>  ?0 = ?2 = 4; then ?1 > ?0 gives 5 and ?2 > ?3 + 2 gives ?3 = 1.
    post(&mut s, Constraint::geq(v[0], v[2])).expect("consistent");
    assert_eq!(domains(&s), "?0 {4}; ?1 {5}; ?2 {4}; ?3 {1}");
    assert_eq!(s.constraints().len(), 3);
}

#[test]
fn eq_with_offset_is_domain_consistent() {
    let (mut s, v) = store_with(&[&[1, 3, 5, 7], &[0, 1, 2, 3, 4]]);
    // x = y + 2: x in {3, 5} (y = 1, 3), y in {1, 3}
    post(&mut s, Constraint::compare(v[0], Comparison::Eq, v[1], 2)).expect("consistent");
    assert_eq!(domains(&s), "?0 {3, 5}; ?1 {1, 3}");
    s.narrow(v[1], [3, 4], &mut StepBudget::unlimited())
        .expect("consistent");
    assert_eq!(domains(&s), "?0 {5}; ?1 {3}");
}

#[test]
fn neq_with_offset_removes_on_fixing() {
    let (mut s, v) = store_with(&[&range(1, 4), &range(1, 4)]);
    post(&mut s, Constraint::compare(v[0], Comparison::Neq, v[1], 1)).expect("consistent");
    assert_eq!(
        domains(&s),
        "?0 {1..4}; ?1 {1..4}",
        "nothing to remove before fixing"
    );
    assert_eq!(
        s.label(v[1], ValueOrder::Largest, &mut StepBudget::unlimited()),
        Ok(4)
    );
    assert_eq!(domains(&s), "?0 {1..4}; ?1 {4}", "4 + 1 is not in ?0");
    let (mut s, v) = store_with(&[&range(1, 4), &range(1, 4)]);
    post(&mut s, Constraint::compare(v[0], Comparison::Neq, v[1], -1)).expect("consistent");
    s.narrow(v[0], [2], &mut StepBudget::unlimited())
        .expect("consistent");
    assert_eq!(domains(&s), "?0 {2}; ?1 {1, 2, 4}", "?1 != ?0 + 1");
}

#[test]
fn value_comparisons_including_val_neq() {
    let (mut s, v) = store_with(&[&range(1, 9)]);
    post(&mut s, Constraint::val_geq(v[0], 2)).expect("consistent");
    post(&mut s, Constraint::val_lt(v[0], 8)).expect("consistent");
    post(&mut s, Constraint::val_neq(v[0], 5)).expect("consistent");
    post(&mut s, Constraint::val_gt(v[0], 2)).expect("consistent");
    post(&mut s, Constraint::val_leq(v[0], 6)).expect("consistent");
    assert_eq!(domains(&s), "?0 {3, 4, 6}");
    assert_eq!(
        post(&mut s, Constraint::val_neq(v[0], 5)),
        Ok(Effect::Unchanged)
    );
    post(&mut s, Constraint::val_eq(v[0], 4)).expect("consistent");
    assert_eq!(s.value(v[0]), Ok(Some(4)));
}

#[test]
fn offsets_at_the_edge_of_i64_do_not_overflow() {
    let (mut s, v) = store_with(&[&[i64::MIN, 0, i64::MAX], &[i64::MIN, 0, i64::MAX]]);
    post(
        &mut s,
        Constraint::compare(v[0], Comparison::Lt, v[1], i64::MIN),
    )
    .expect("consistent");
    // x < y + MIN holds only for x = MIN, y = MAX (MIN < MAX + MIN = -1).
    assert_eq!(
        domains(&s),
        format!("?0 {{{}}}; ?1 {{{}}}", i64::MIN, i64::MAX)
    );
    let (mut s, v) = store_with(&[&[i64::MAX], &[i64::MAX]]);
    post(
        &mut s,
        Constraint::compare(v[0], Comparison::Neq, v[1], i64::MAX),
    )
    .expect("consistent");
    assert_eq!(
        post(&mut s, Constraint::compare(v[0], Comparison::Eq, v[1], 1)).map_err(|_| ()),
        Err(())
    );
}

#[test]
fn comparisons_of_a_variable_with_itself() {
    let (mut s, v) = store_with(&[&range(1, 3)]);
    assert_eq!(
        post(&mut s, Constraint::compare(v[0], Comparison::Leq, v[0], 1)),
        Ok(Effect::Unchanged)
    );
    let failure = post(&mut s, Constraint::neq(v[0], v[0]));
    assert_eq!(
        failure,
        Err(FdError::Wipeout {
            var: v[0],
            cause: WipeoutCause::Constraint(Constraint::neq(v[0], v[0]))
        })
    );
    assert_eq!(
        s.constraints().len(),
        1,
        "the failed post left no constraint"
    );
}

#[test]
fn alldiff_value_elimination_chains() {
    let (mut s, v) = store_with(&[&[1], &[1, 2], &[1, 2, 3], &range(1, 9)]);
    post(&mut s, Constraint::all_diff([v[0], v[1], v[2], v[3]])).expect("consistent");
    assert_eq!(domains(&s), "?0 {1}; ?1 {2}; ?2 {3}; ?3 {4..9}");
}

#[test]
fn hall_interval_prunes_where_pairwise_neq_cannot() {
    // x, y in {1, 2}; z in {1, 2, 3}. Pairwise != removes nothing (no variable is fixed).
    let domains_xyz: [&[i64]; 3] = [&[1, 2], &[1, 2], &[1, 2, 3]];
    let (mut pairwise, v) = store_with(&domains_xyz);
    for (a, b) in [(0, 1), (0, 2), (1, 2)] {
        post(&mut pairwise, Constraint::neq(v[a], v[b])).expect("consistent");
    }
    assert_eq!(domains(&pairwise), "?0 {1, 2}; ?1 {1, 2}; ?2 {1..3}");
    // AllDiff sees that {1, 2} is a Hall interval of x and y, so z = 3.
    let (mut global, v) = store_with(&domains_xyz);
    assert_eq!(
        post(&mut global, Constraint::all_diff(v.clone())),
        Ok(Effect::Narrowed)
    );
    assert_eq!(domains(&global), "?0 {1, 2}; ?1 {1, 2}; ?2 {3}");
}

#[test]
fn hall_interval_overflow_fails_without_a_fixed_variable() {
    let (mut s, v) = store_with(&[&[1, 2], &[1, 2], &[1, 2], &range(1, 9)]);
    let c = Constraint::all_diff(v.clone());
    match post(&mut s, c.clone()) {
        Err(FdError::Wipeout { cause, .. }) => assert_eq!(cause, WipeoutCause::Constraint(c)),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(domains(&s), "?0 {1, 2}; ?1 {1, 2}; ?2 {1, 2}; ?3 {1..9}");
}

#[test]
fn alldiff_hall_interval_removes_whole_range_from_others() {
    // ?0, ?1, ?2 within [3, 5]: the others lose 3..5 entirely (holes, not only bounds).
    let (mut s, v) = store_with(&[&[3, 4], &[4, 5], &[3, 5], &range(1, 9), &[2, 3, 4, 6]]);
    post(&mut s, Constraint::all_diff(v.clone())).expect("consistent");
    assert_eq!(
        domains(&s),
        "?0 {3, 4}; ?1 {4, 5}; ?2 {3, 5}; ?3 {1, 2, 6..9}; ?4 {2, 6}"
    );
}

#[test]
fn alldiff_with_a_repeated_variable_fails() {
    let (mut s, v) = store_with(&[&range(1, 3), &range(1, 3)]);
    assert!(matches!(
        post(&mut s, Constraint::all_diff([v[0], v[1], v[0]])),
        Err(FdError::Wipeout { var, .. }) if var == v[0]
    ));
    assert_eq!(
        post(&mut s, Constraint::all_diff([v[0]])),
        Ok(Effect::Unchanged)
    );
    assert_eq!(
        post(&mut s, Constraint::all_diff([])),
        Ok(Effect::Unchanged)
    );
}

#[test]
fn wipeout_names_variable_and_constraint_and_restores_the_store() {
    let (mut s, v) = store_with(&[&range(1, 3), &range(1, 3), &range(1, 3)]);
    post(&mut s, Constraint::lt(v[0], v[1])).expect("consistent");
    post(&mut s, Constraint::lt(v[1], v[2])).expect("consistent");
    assert_eq!(domains(&s), "?0 {1}; ?1 {2}; ?2 {3}");
    let before = s.snapshot();
    let c = Constraint::compare(v[2], Comparison::Lt, v[0], 1);
    let error = post(&mut s, c.clone());
    assert!(matches!(
        &error,
        Err(FdError::Wipeout { cause: WipeoutCause::Constraint(k), .. }) if *k == c
    ));
    assert_eq!(s.snapshot(), before);
    assert_eq!(
        s.narrow(v[0], [7, 8], &mut StepBudget::unlimited()),
        Err(FdError::Wipeout {
            var: v[0],
            cause: WipeoutCause::Narrow
        })
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn new_var_with_empty_domain_fails_and_creates_nothing() {
    let mut s = ConstraintStore::new(Tracing::Off);
    assert_eq!(
        s.new_var([]),
        Err(FdError::Wipeout {
            var: VarId(0),
            cause: WipeoutCause::Creation
        })
    );
    assert_eq!(s.var_count(), 0);
    assert_eq!(s.new_var([5, 5, 4]), Ok(VarId(0)));
    assert_eq!(domains(&s), "?0 {4, 5}");
}

#[test]
fn unknown_variables_are_errors() {
    let (mut s, v) = store_with(&[&range(1, 3)]);
    let ghost = VarId(7);
    assert_eq!(
        post(&mut s, Constraint::lt(v[0], ghost)),
        Err(FdError::UnknownVar(ghost))
    );
    assert_eq!(
        s.label(ghost, ValueOrder::Smallest, &mut StepBudget::unlimited()),
        Err(FdError::UnknownVar(ghost))
    );
    assert_eq!(
        s.narrow(ghost, [1], &mut StepBudget::unlimited()),
        Err(FdError::UnknownVar(ghost))
    );
    assert_eq!(s.domain(ghost).err(), Some(FdError::UnknownVar(ghost)));
    assert!(s.constraints().is_empty());
}

#[test]
fn label_failure_is_atomic() {
    let (mut s, v) = store_with(&[&range(1, 2), &range(1, 2), &range(1, 2)]);
    // ?1 != ?2 and ?0 differs from both, all in {1, 2}: no solution, but propagation alone
    // does not see it (nothing is fixed).
    post(&mut s, Constraint::all_diff([v[1], v[2]])).expect("consistent");
    post(&mut s, Constraint::val_leq(v[0], 2)).expect("consistent");
    post(&mut s, Constraint::compare(v[0], Comparison::Neq, v[1], 0)).expect("consistent");
    post(&mut s, Constraint::compare(v[0], Comparison::Neq, v[2], 0)).expect("consistent");
    let before = s.snapshot();
    assert!(matches!(
        s.label(v[0], ValueOrder::Smallest, &mut StepBudget::unlimited()),
        Err(FdError::Wipeout { .. })
    ));
    assert_eq!(s.snapshot(), before);
}

#[test]
fn step_budget_exhaustion_is_an_error_and_restores_the_store() {
    let (mut s, v) = store_with(&[&range(1, 100), &range(1, 100)]);
    // x < y and y < x + ... ping-pong: each propagator run removes one value at each end.
    post(&mut s, Constraint::compare(v[0], Comparison::Lt, v[1], 0)).expect("consistent");
    let before = s.snapshot();
    let mut budget = StepBudget::new(10);
    let result = s.post(
        Constraint::compare(v[1], Comparison::Lt, v[0], 0),
        &mut budget,
    );
    assert_eq!(result, Err(FdError::BudgetExhausted { spent: 10 }));
    assert_eq!(budget.remaining(), 0);
    assert_eq!(s.snapshot(), before);
    // With enough steps the same post is refuted by propagation.
    let mut budget = StepBudget::new(1_000);
    assert!(matches!(
        s.post(
            Constraint::compare(v[1], Comparison::Lt, v[0], 0),
            &mut budget
        ),
        Err(FdError::Wipeout { .. })
    ));
    assert!(budget.spent() > 10);
}

//! `AllDiff` filtering: Régin's GAC against brute force, Hall sets with holes, and the
//! Hall-interval fallback for large value graphs.

use avm_vm::fd::{
    Constraint, ConstraintStore, Domain, FdError, GAC_EDGE_LIMIT, StepBudget, Tracing, VarId,
    gac_filter,
};
use proptest::prelude::*;

/// For each variable, the values it takes in at least one all-different assignment.
fn supported_by_brute_force(domains: &[Vec<i64>]) -> Option<Vec<Vec<i64>>> {
    fn walk(domains: &[Vec<i64>], chosen: &mut Vec<i64>, support: &mut [Vec<i64>]) {
        let k = chosen.len();
        if k == domains.len() {
            for (i, v) in chosen.iter().enumerate() {
                support[i].push(*v);
            }
            return;
        }
        for &v in &domains[k] {
            if !chosen.contains(&v) {
                chosen.push(v);
                walk(domains, chosen, support);
                chosen.pop();
            }
        }
    }
    let mut support = vec![Vec::new(); domains.len()];
    walk(domains, &mut Vec::new(), &mut support);
    for s in &mut support {
        s.sort_unstable();
        s.dedup();
    }
    support.iter().all(|s| !s.is_empty()).then_some(support)
}

fn small_domains() -> impl Strategy<Value = Vec<Vec<i64>>> {
    prop::collection::vec(prop::collection::vec(0i64..7, 1..5), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// `gac_filter` removes exactly the values that no solution uses.
    #[test]
    fn gac_filter_matches_brute_force(domains in small_domains(), hint in prop::collection::vec(0i64..7, 0..6)) {
        let owned: Vec<Domain> = domains.iter().map(|d| Domain::from_values(d.iter().copied())).collect();
        let refs: Vec<&Domain> = owned.iter().collect();
        let normalised: Vec<Vec<i64>> = owned.iter().map(Domain::to_vec).collect();
        let mut hint = hint;
        match (gac_filter(&refs, &mut hint), supported_by_brute_force(&normalised)) {
            (Ok(removals), Some(support)) => {
                for (k, removed) in removals.iter().enumerate() {
                    let kept: Vec<i64> = normalised[k].iter().copied().filter(|v| !removed.contains(v)).collect();
                    prop_assert_eq!(&kept, &support[k]);
                }
            }
            (Err(_), None) => {}
            (got, expected) => prop_assert!(false, "gac {:?} vs brute force {:?}", got, expected),
        }
    }

    /// Posting `AllDiff` leaves exactly the supported values, or fails when there is none.
    #[test]
    fn posted_alldiff_is_domain_consistent(domains in small_domains()) {
        let mut store = ConstraintStore::new(Tracing::Off);
        let vars: Vec<VarId> = domains
            .iter()
            .map(|d| store.new_var(d.iter().copied()).expect("non-empty"))
            .collect();
        let normalised: Vec<Vec<i64>> = vars.iter().map(|v| store.domain(*v).map(Domain::to_vec).unwrap_or_default()).collect();
        let result = store.post(Constraint::all_diff(vars.iter().copied()), &mut StepBudget::unlimited());
        match supported_by_brute_force(&normalised) {
            Some(support) => {
                prop_assert!(result.is_ok());
                for (k, var) in vars.iter().enumerate() {
                    prop_assert_eq!(store.domain(*var).map(Domain::to_vec), Ok(support[k].clone()));
                }
            }
            None => {
                let wiped = matches!(result, Err(FdError::Wipeout { .. }));
                prop_assert!(wiped, "expected a wipe-out, got {:?}", result);
            }
        }
    }
}

fn domains_of(store: &ConstraintStore, vars: &[VarId]) -> Vec<String> {
    vars.iter()
        .map(|v| {
            store
                .domain(*v)
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn hall_set_with_holes_is_pruned() {
    // {1, 3} is used up by x and y; it is not an interval, so only matching finds it.
    let mut store = ConstraintStore::new(Tracing::Off);
    let vars: Vec<VarId> = [vec![1, 3], vec![1, 3], vec![1, 2, 3]]
        .into_iter()
        .map(|d| store.new_var(d).expect("non-empty"))
        .collect();
    store
        .post(
            Constraint::all_diff(vars.clone()),
            &mut StepBudget::unlimited(),
        )
        .expect("consistent");
    assert_eq!(domains_of(&store, &vars), ["{1, 3}", "{1, 3}", "{2}"]);
}

#[test]
fn large_value_graphs_fall_back_to_hall_intervals() {
    let big = GAC_EDGE_LIMIT as i64 + 10;
    let mut store = ConstraintStore::new(Tracing::Off);
    let x = store.new_var([1, 2]).expect("non-empty");
    let y = store.new_var([1, 2]).expect("non-empty");
    let z = store.new_var(1..=big).expect("non-empty");
    let w = store.new_var([1, 3, 4, big]).expect("non-empty");
    store
        .post(
            Constraint::all_diff([x, y, z, w]),
            &mut StepBudget::unlimited(),
        )
        .expect("consistent");
    // The Hall interval [1, 2] is removed from z and w.
    assert_eq!(
        store.domain(z).map(|d| (d.min(), d.size())),
        Ok((Some(3), big as u64 - 2))
    );
    assert_eq!(domains_of(&store, &[w]), [format!("{{3, 4, {big}}}")]);
    // Hall sets with holes are not seen on this path: {1, 3} twice leaves v untouched.
    let mut store = ConstraintStore::new(Tracing::Off);
    let a = store.new_var([1, 3]).expect("non-empty");
    let b = store.new_var([1, 3]).expect("non-empty");
    let v = store.new_var(1..=big).expect("non-empty");
    store
        .post(
            Constraint::all_diff([a, b, v]),
            &mut StepBudget::unlimited(),
        )
        .expect("consistent");
    assert!(
        store
            .domain(v)
            .is_ok_and(|d| d.contains(1) && d.contains(3) && d.size() == big as u64)
    );
}

#[test]
fn alldiff_cost_grows_with_the_value_graph() {
    let mut store = ConstraintStore::new(Tracing::Off);
    let vars: Vec<VarId> = (0..4)
        .map(|_| store.new_var(1..=4).expect("non-empty"))
        .collect();
    let mut budget = StepBudget::unlimited();
    store
        .post(Constraint::all_diff(vars), &mut budget)
        .expect("consistent");
    // One run: 4 variables + 16 edges.
    assert_eq!(budget.spent(), 20);
}

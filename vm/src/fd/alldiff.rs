//! Filtering for `AllDiff`: value elimination and Hall-interval reasoning.
//!
//! Takes the store and the variables of one `AllDiff` and narrows their domains to the
//! propagator's own fixpoint. Two rules, repeated until neither prunes:
//!
//! 1. **Value elimination**: the value of a fixed variable is removed from all the others.
//! 2. **Hall intervals** (bounds reasoning, as in Puget 1998 / López-Ortiz et al. 2003): when `k`
//!    variables have their bounds inside an interval `[a, b]` of exactly `k` values, those values
//!    are taken, and every other variable loses all of `[a, b]` (removed as a range, which is
//!    stronger than moving bounds); more than `k` such variables is a failure. The search here is
//!    the direct O(n²) sweep over (distinct minimum, variables by maximum), which is simple to
//!    check and fast for the sizes programs post (tens of variables).
//!
//! 3. **Régin's matching-based filtering** (`alldiff_gac.rs`), which subsumes rule 2 and also
//!    finds Hall *sets* with holes, giving generalised arc consistency. It is used whenever the
//!    value graph has at most [`GAC_EDGE_LIMIT`] edges (sum of domain sizes); larger `AllDiff`s
//!    (huge sparse domains) fall back to rule 2, which only looks at bounds.

use super::alldiff_gac::gac_filter;
use super::store::{ConstraintStore, Wiped};

/// Above this many (variable, value) edges, `AllDiff` uses Hall intervals instead of Régin's
/// filtering (this also bounds the matching's recursion depth).
pub const GAC_EDGE_LIMIT: u64 = 4096;

/// The propagator of one `AllDiff`: its variables (store indices, pairwise distinct) and the
/// matching found by the last run (a hint only; filtering does not depend on it, so it needs no
/// undo).
#[derive(Clone, Debug, Default)]
pub(super) struct AllDiffState {
    pub(super) vars: Vec<usize>,
    matching: Vec<i64>,
}

impl AllDiffState {
    pub(super) fn new(vars: Vec<usize>) -> AllDiffState {
        AllDiffState {
            vars,
            matching: Vec::new(),
        }
    }
}

/// Steps charged for one run: variables plus value-graph edges.
pub(super) fn cost(store: &ConstraintStore, state: &AllDiffState) -> u64 {
    let edges: u64 = state
        .vars
        .iter()
        .map(|&i| store.vars[i].domain.size())
        .sum();
    state.vars.len() as u64 + edges
}

/// A Hall interval: `lo..=hi` is fully used by the variables whose bounds lie inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HallInterval {
    /// Smallest value of the interval.
    pub lo: i128,
    /// Largest value of the interval.
    pub hi: i128,
}

impl HallInterval {
    /// Whether bounds `(min, max)` lie inside the interval.
    pub fn contains(&self, (min, max): (i128, i128)) -> bool {
        min >= self.lo && max <= self.hi
    }
}

/// The Hall intervals of a set of variable bounds `(min, max)`, or `Err(k)` when the variables
/// with bounds inside some interval outnumber its values (`k` is one of them).
pub fn hall_intervals(bounds: &[(i128, i128)]) -> Result<Vec<HallInterval>, usize> {
    let mut by_max: Vec<usize> = (0..bounds.len()).collect();
    by_max.sort_by_key(|k| bounds[*k].1);
    let mut mins: Vec<i128> = bounds.iter().map(|b| b.0).collect();
    mins.sort_unstable();
    mins.dedup();
    let mut found = Vec::new();
    for lo in mins {
        let mut count: i128 = 0;
        for &k in &by_max {
            let (min, hi) = bounds[k];
            if min < lo {
                continue;
            }
            count += 1;
            let capacity = hi - lo + 1;
            if count > capacity {
                return Err(k);
            }
            if count == capacity {
                found.push(HallInterval { lo, hi });
            }
        }
    }
    Ok(found)
}

/// Narrows the domains of the `AllDiff`'s variables: value elimination, then Régin's filtering
/// (one pass reaches its fixpoint) or, for large value graphs, Hall intervals to a fixpoint.
pub(super) fn propagate(
    store: &mut ConstraintStore,
    state: &mut AllDiffState,
) -> Result<(), Wiped> {
    let vars = state.vars.as_slice();
    loop {
        let mut pruned = false;
        // Rule 1: value elimination, following newly fixed variables.
        let mut done = vec![false; vars.len()];
        let mut work: Vec<usize> = (0..vars.len())
            .filter(|k| store.vars[vars[*k]].domain.fixed_value().is_some())
            .collect();
        while let Some(k) = work.pop() {
            if std::mem::replace(&mut done[k], true) {
                continue;
            }
            let Some(value) = store.vars[vars[k]].domain.fixed_value() else {
                continue;
            };
            for (j, &other) in vars.iter().enumerate() {
                if j != k && store.remove_value(other, i128::from(value))? {
                    pruned = true;
                    if !done[j] && store.vars[other].domain.fixed_value().is_some() {
                        work.push(j);
                    }
                }
            }
        }
        // Rule 3 when the value graph is small enough. It can only prune (or fail) through a
        // Hall set of k unfixed variables whose domains have at most k values; when every
        // unfixed domain is larger than the number of unfixed variables there is none (Hall's
        // theorem also gives a matching then), so the graph is not even built.
        if cost(store, state) - vars.len() as u64 <= GAC_EDGE_LIMIT {
            let mut unfixed = 0u64;
            let mut smallest = u64::MAX;
            for &i in vars {
                let size = store.vars[i].domain.size();
                if size > 1 {
                    unfixed += 1;
                    smallest = smallest.min(size);
                }
            }
            if smallest <= unfixed {
                regin(store, vars, &mut state.matching)?;
            }
            return Ok(());
        }
        // Rule 2: Hall intervals over the current bounds.
        let bounds: Vec<(i128, i128)> = vars.iter().map(|&i| store.bounds(i)).collect();
        let intervals = hall_intervals(&bounds).map_err(|k| Wiped(vars[k]))?;
        for interval in intervals {
            for (k, &i) in vars.iter().enumerate() {
                if interval.contains(bounds[k]) {
                    continue;
                }
                let (min, max) = store.bounds(i);
                if max < interval.lo || min > interval.hi {
                    continue;
                }
                // Both ends lie within [min, max] of an i64 domain here, so they fit in i64.
                let lo = interval.lo.max(min) as i64;
                let hi = interval.hi.min(max) as i64;
                if store.update(i, |d| d.remove_range(lo, hi))? {
                    pruned = true;
                }
            }
        }
        if !pruned {
            return Ok(());
        }
    }
}

/// Removes every value that Régin's filtering proves unsupported.
fn regin(
    store: &mut ConstraintStore,
    vars: &[usize],
    matching: &mut Vec<i64>,
) -> Result<(), Wiped> {
    let domains: Vec<&_> = vars.iter().map(|&i| &store.vars[i].domain).collect();
    let removals = gac_filter(&domains, matching).map_err(|k| Wiped(vars[k]))?;
    for (k, values) in removals.into_iter().enumerate() {
        if !values.is_empty() {
            // Régin keeps each variable's matched value, so no removal here empties a domain.
            store.update(vars[k], |d| {
                let mut changed = false;
                for v in values {
                    changed |= d.remove(v);
                }
                changed
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hall_interval_and_overflow() {
        // Two variables in [1, 2]: a Hall interval; the third is outside it.
        let found = hall_intervals(&[(1, 2), (1, 2), (1, 3)]).unwrap_or_default();
        assert!(found.contains(&HallInterval { lo: 1, hi: 2 }));
        // Three variables in [1, 2]: failure.
        assert!(hall_intervals(&[(1, 2), (1, 2), (2, 2)]).is_err());
        assert_eq!(hall_intervals(&[]), Ok(vec![]));
    }
}

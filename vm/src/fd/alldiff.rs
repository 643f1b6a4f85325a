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
//! Not done: Régin's matching-based generalised arc consistency (Hall *sets* with holes).

use super::store::{ConstraintStore, Wiped};

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

/// Narrows the domains of `vars` (store indices, pairwise distinct) to the fixpoint of the two
/// rules.
pub(super) fn propagate(store: &mut ConstraintStore, vars: &[usize]) -> Result<(), Wiped> {
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

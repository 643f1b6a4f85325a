//! Depth-first search over the store's mark/undo, for tests, benchmarks and embedders.
//!
//! Takes a store and the variables to label and produces solutions (values in the order of the
//! given variables), deterministically: variables are chosen `InOrder` (first unfixed) or
//! `FirstFail` (smallest domain, ties by smallest id), values min-first. Each choice point is the
//! pattern the VM's `std.fd` will run with nested transactions: mark, `label`, search the rest,
//! undo to the mark, then post `var != value` and label again (binary branching). The store is
//! returned to its state at the call when the search ends, whatever the outcome.

use super::constraint::{Constraint, VarId};
use super::error::{FdError, StepBudget};
use super::store::{ConstraintStore, ValueOrder};

/// How the next variable to label is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarSelection {
    /// The first unfixed variable in the given order.
    InOrder,
    /// The unfixed variable with the smallest domain; ties go to the smallest id.
    FirstFail,
}

/// What the solution callback of [`solve_all`] wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchControl {
    /// Look for more solutions.
    Continue,
    /// End the search.
    Stop,
}

/// Counters of one search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchStats {
    /// Solutions reported to the callback.
    pub solutions: u64,
    /// `label` calls made.
    pub labels: u64,
    /// Choices refuted (a label or an exclusion that wiped out a domain).
    pub failures: u64,
}

/// The first solution in search order, or `None` when there is none.
pub fn solve_first(
    store: &mut ConstraintStore,
    vars: &[VarId],
    selection: VarSelection,
    budget: &mut StepBudget,
) -> Result<Option<Vec<i64>>, FdError> {
    let mut first = None;
    solve_all(store, vars, selection, budget, |values| {
        first = Some(values.to_vec());
        SearchControl::Stop
    })?;
    Ok(first)
}

/// Calls `on_solution` with every solution in search order until it returns `Stop`.
pub fn solve_all(
    store: &mut ConstraintStore,
    vars: &[VarId],
    selection: VarSelection,
    budget: &mut StepBudget,
    mut on_solution: impl FnMut(&[i64]) -> SearchControl,
) -> Result<SearchStats, FdError> {
    let start = store.mark();
    let mut search = Search {
        vars,
        selection,
        stats: SearchStats::default(),
        on_solution: &mut on_solution,
    };
    let result = search.node(store, budget);
    store.undo_to(start)?;
    result.map(|_| search.stats)
}

struct Search<'a, F> {
    vars: &'a [VarId],
    selection: VarSelection,
    stats: SearchStats,
    on_solution: &'a mut F,
}

impl<F: FnMut(&[i64]) -> SearchControl> Search<'_, F> {
    fn node(
        &mut self,
        store: &mut ConstraintStore,
        budget: &mut StepBudget,
    ) -> Result<SearchControl, FdError> {
        let Some(var) = self.select(store)? else {
            let mut values = Vec::with_capacity(self.vars.len());
            for var in self.vars {
                // Every variable is fixed here: `select` found none with two or more values.
                values.push(store.domain(*var)?.min().unwrap_or_default());
            }
            self.stats.solutions += 1;
            return Ok((self.on_solution)(&values));
        };
        loop {
            let mark = store.mark();
            self.stats.labels += 1;
            let value = match store.label(var, ValueOrder::Smallest, budget) {
                Ok(value) => {
                    let control = self.node(store, budget)?;
                    store.undo_to(mark)?;
                    if control == SearchControl::Stop {
                        return Ok(control);
                    }
                    value
                }
                Err(FdError::Wipeout { .. }) => {
                    self.stats.failures += 1;
                    store.undo_to(mark)?;
                    // label is atomic: the store is as before it, so the failed value is the
                    // one it picked.
                    store.domain(var)?.min().unwrap_or_default()
                }
                Err(other) => return Err(other),
            };
            match store.post(Constraint::val_neq(var, value), budget) {
                Ok(_) => {}
                Err(FdError::Wipeout { .. }) => {
                    self.stats.failures += 1;
                    return Ok(SearchControl::Continue);
                }
                Err(other) => return Err(other),
            }
        }
    }

    fn select(&self, store: &ConstraintStore) -> Result<Option<VarId>, FdError> {
        let mut best: Option<(u64, VarId)> = None;
        for &var in self.vars {
            let size = store.domain(var)?.size();
            if size < 2 {
                continue;
            }
            match self.selection {
                VarSelection::InOrder => return Ok(Some(var)),
                VarSelection::FirstFail => {
                    if best.is_none_or(|b| (size, var) < b) {
                        best = Some((size, var));
                    }
                }
            }
        }
        Ok(best.map(|(_, var)| var))
    }
}

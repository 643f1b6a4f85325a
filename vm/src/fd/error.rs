//! Failures of FD operations and the step budget that meters propagation.
//!
//! Takes nothing; produces the [`FdError`] values every store operation returns on failure
//! (data only, rendering happens in the VM's diagnostics) and [`StepBudget`], the gas counter
//! passed into every operation that propagates.

use super::constraint::{Constraint, VarId};

/// Why an FD operation failed. After any failure the store is exactly as before the operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FdError {
    /// The variable was never created, or its creation was undone.
    UnknownVar(VarId),
    /// The operation (or the propagation it started) left `var` with no value.
    Wipeout {
        /// The variable whose domain became empty.
        var: VarId,
        /// What removed its last value.
        cause: WipeoutCause,
    },
    /// Propagation needed more steps than the budget had left.
    BudgetExhausted {
        /// Steps the operation consumed before it stopped.
        spent: u64,
    },
    /// The mark was released by `forget_marks`, or the store was already undone past it.
    StaleMark,
}

/// What removed the last value of a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WipeoutCause {
    /// `newVar` was given no value.
    Creation,
    /// `narrow` intersected the domain with disjoint values.
    Narrow,
    /// `label` found the domain already empty (cannot happen in a store reached by successful
    /// operations; kept as an error value instead of a panic).
    Labeling,
    /// A constraint's propagation. For an `AllDiff` that fails without emptying a domain (an
    /// over-full Hall interval, or a variable left unmatched by Régin's matching), `var` is one
    /// of the variables involved.
    Constraint(Constraint),
}

/// A propagation step budget: every propagator run costs steps (see `docs/fd.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepBudget {
    remaining: u64,
    spent: u64,
}

impl StepBudget {
    /// A budget of `steps` steps.
    pub fn new(steps: u64) -> StepBudget {
        StepBudget {
            remaining: steps,
            spent: 0,
        }
    }

    /// A budget that cannot run out in practice (`u64::MAX` steps).
    pub fn unlimited() -> StepBudget {
        StepBudget::new(u64::MAX)
    }

    /// Steps still available.
    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Steps consumed so far.
    pub fn spent(&self) -> u64 {
        self.spent
    }

    /// Consumes `steps`, or fails without consuming when fewer remain.
    pub(crate) fn charge(&mut self, steps: u64) -> Result<(), FdError> {
        if steps > self.remaining {
            return Err(FdError::BudgetExhausted { spent: self.spent });
        }
        self.remaining -= steps;
        self.spent += steps;
        // Propagation is work the run's fuel pays for (`crate::budget`).
        crate::budget::charge_each(usize::try_from(steps).unwrap_or(usize::MAX));
        Ok(())
    }
}

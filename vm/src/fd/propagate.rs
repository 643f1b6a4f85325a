//! Propagators and the propagation loop.
//!
//! Takes a posted [`Constraint`] and produces its propagator (installed with watches on its
//! variables), and runs the queue of woken propagators to a fixpoint, charging the step budget.
//! Strength: bounds consistency for `x <= y + c` (and `<`, `>=`, `>`, which normalise to it),
//! domain consistency for `x = y + c`, value elimination on fixing for `x != y + c`, and for
//! `AllDiff` value elimination plus Hall-interval reasoning (see `alldiff.rs`). Constant
//! comparisons are applied once when posted and need no propagator.
//!
//! Cost model (steps charged per propagator run): 1 for a binary propagator; for `AllDiff`, the
//! number of variables plus the sum of their domain sizes (the size of its value graph).

use super::alldiff;
use super::constraint::{Comparison, Constraint};
use super::error::{FdError, StepBudget, WipeoutCause};
use super::store::{ConstraintStore, Wiped, var_id};

/// Which changes of a variable wake a propagator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WakeOn {
    /// Any removal.
    Any,
    /// A change of the minimum or maximum.
    Bounds,
    /// The domain shrinking to one value.
    Fixed,
}

impl WakeOn {
    pub(super) fn wakes(self, bounds_changed: bool, became_fixed: bool) -> bool {
        match self {
            WakeOn::Any => true,
            WakeOn::Bounds => bounds_changed,
            WakeOn::Fixed => became_fixed,
        }
    }
}

/// A propagator subscribed to a variable.
#[derive(Clone, Copy, Debug)]
pub(super) struct Watch {
    pub(super) prop: usize,
    pub(super) on: WakeOn,
}

/// A propagator: the filtering form of one posted constraint.
#[derive(Clone, Debug)]
pub(super) struct Propagator {
    kind: PropKind,
    /// Index of the constraint it enforces.
    constraint: usize,
}

/// Variable indices are store indices; offsets are widened so normalisation cannot overflow.
#[derive(Clone, Debug)]
enum PropKind {
    /// `x <= y + c`
    Leq { x: usize, y: usize, c: i128 },
    /// `x = y + c`
    Eq { x: usize, y: usize, c: i128 },
    /// `x != y + c`
    Neq { x: usize, y: usize, c: i128 },
    /// pairwise distinct
    AllDiff(alldiff::AllDiffState),
}

impl Propagator {
    /// The variable indices the propagator watches, in watch-installation order.
    pub(super) fn vars(&self) -> Vec<usize> {
        match &self.kind {
            PropKind::Leq { x, y, .. } | PropKind::Eq { x, y, .. } | PropKind::Neq { x, y, .. } => {
                vec![*x, *y]
            }
            PropKind::AllDiff(state) => state.vars.clone(),
        }
    }
}

impl ConstraintStore {
    /// Installs the propagator of the constraint just pushed (the last one) and queues it, or
    /// applies a constant comparison directly. Variables are known to exist.
    pub(super) fn install(&mut self, constraint: &Constraint) -> Result<(), Wiped> {
        let index = |v: super::constraint::VarId| v.0 as usize;
        let kind = match constraint {
            Constraint::CompareValue { var, op, value } => {
                let v = i128::from(*value);
                let op = *op;
                self.update(index(*var), |d| d.retain(|x| op.holds(i128::from(x), v)))?;
                return Ok(());
            }
            Constraint::Compare {
                left,
                op,
                right,
                offset,
            } => {
                let (x, y, c) = (index(*left), index(*right), i128::from(*offset));
                if x == y {
                    // x op x + c  <=>  0 op c: either always or never true.
                    if op.holds(0, c) {
                        return Ok(());
                    }
                    self.update(x, |d| d.retain(|_| false))?;
                    return Ok(());
                }
                match op {
                    Comparison::Eq => PropKind::Eq { x, y, c },
                    Comparison::Neq => PropKind::Neq { x, y, c },
                    Comparison::Leq => PropKind::Leq { x, y, c },
                    Comparison::Lt => PropKind::Leq { x, y, c: c - 1 },
                    // x >= y + c  <=>  y <= x - c
                    Comparison::Geq => PropKind::Leq { x: y, y: x, c: -c },
                    // x > y + c  <=>  y <= x - c - 1
                    Comparison::Gt => PropKind::Leq {
                        x: y,
                        y: x,
                        c: -c - 1,
                    },
                }
            }
            Constraint::AllDiff(vars) => {
                let vars: Vec<usize> = vars.iter().map(|v| index(*v)).collect();
                let mut sorted = vars.clone();
                sorted.sort_unstable();
                if let Some(pair) = sorted.windows(2).find(|w| w[0] == w[1]) {
                    // A variable listed twice must differ from itself.
                    self.update(pair[0], |d| d.retain(|_| false))?;
                }
                if vars.len() < 2 {
                    return Ok(());
                }
                PropKind::AllDiff(alldiff::AllDiffState::new(vars))
            }
        };
        let wake = match kind {
            PropKind::Leq { .. } => WakeOn::Bounds,
            // Régin's filtering can use any removal; the Hall-interval fallback only bounds.
            PropKind::AllDiff(_) => WakeOn::Any,
            PropKind::Eq { .. } => WakeOn::Any,
            PropKind::Neq { .. } => WakeOn::Fixed,
        };
        let prop = self.propagators.len();
        let propagator = Propagator {
            kind,
            constraint: self.constraints().len() - 1,
        };
        for var in propagator.vars() {
            self.watchers[var].push(Watch { prop, on: wake });
        }
        self.propagators.push(propagator);
        self.queued.push(true);
        self.queue.push_back(prop);
        Ok(())
    }

    /// Runs woken propagators until none is left (a fixpoint) or one wipes out a domain.
    pub(super) fn propagate(&mut self, budget: &mut StepBudget) -> Result<(), FdError> {
        while let Some(prop) = self.queue.pop_front() {
            self.queued[prop] = false;
            let cost = match &self.propagators[prop].kind {
                PropKind::AllDiff(state) => alldiff::cost(self, state),
                _ => 1,
            };
            budget.charge(cost)?;
            self.running = Some(prop);
            let result = self.run(prop);
            self.running = None;
            if let Err(Wiped(i)) = result {
                let constraint = self.constraints()[self.propagators[prop].constraint].clone();
                return Err(FdError::Wipeout {
                    var: var_id(i),
                    cause: WipeoutCause::Constraint(constraint),
                });
            }
        }
        Ok(())
    }

    fn run(&mut self, prop: usize) -> Result<(), Wiped> {
        match &mut self.propagators[prop].kind {
            PropKind::Leq { x, y, c } => {
                let (x, y, c) = (*x, *y, *c);
                let y_max = self.bounds(y).1;
                self.remove_above(x, y_max + c)?;
                let x_min = self.bounds(x).0;
                self.remove_below(y, x_min - c)?;
                Ok(())
            }
            PropKind::Neq { x, y, c } => {
                let (x, y, c) = (*x, *y, *c);
                if let Some(u) = self.vars[x].domain.fixed_value() {
                    self.remove_value(y, i128::from(u) - c)?;
                }
                if let Some(w) = self.vars[y].domain.fixed_value() {
                    self.remove_value(x, i128::from(w) + c)?;
                }
                Ok(())
            }
            PropKind::Eq { x, y, c } => {
                let (x, y, c) = (*x, *y, *c);
                let y_domain = self.vars[y].domain.clone();
                self.update(x, |d| {
                    d.retain(|v| y_domain.contains_wide(i128::from(v) - c))
                })?;
                let x_domain = self.vars[x].domain.clone();
                self.update(y, |d| {
                    d.retain(|w| x_domain.contains_wide(i128::from(w) + c))
                })?;
                Ok(())
            }
            PropKind::AllDiff(state) => {
                // Taken out while it runs (it needs the store mutably), then put back.
                let mut state = std::mem::take(state);
                let result = alldiff::propagate(self, &mut state);
                if let PropKind::AllDiff(slot) = &mut self.propagators[prop].kind {
                    *slot = state;
                }
                result
            }
        }
    }

    /// `(min, max)` of a variable, widened. Domains in a consistent store are never empty.
    pub(super) fn bounds(&self, i: usize) -> (i128, i128) {
        let (min, max, _) = self.vars[i].domain.bounds_and_size();
        (i128::from(min), i128::from(max))
    }

    /// Removes one value if present; returns whether it was.
    pub(super) fn remove_value(&mut self, i: usize, value: i128) -> Result<bool, Wiped> {
        match i64::try_from(value) {
            Ok(v) if self.vars[i].domain.contains(v) => self.update(i, |d| d.remove(v)),
            _ => Ok(false),
        }
    }

    /// Removes the values above `hi`; returns whether any was.
    pub(super) fn remove_above(&mut self, i: usize, hi: i128) -> Result<bool, Wiped> {
        if hi >= self.bounds(i).1 {
            return Ok(false);
        }
        self.update(i, |d| d.remove_above(hi))
    }

    /// Removes the values below `lo`; returns whether any was.
    pub(super) fn remove_below(&mut self, i: usize, lo: i128) -> Result<bool, Wiped> {
        if lo <= self.bounds(i).0 {
            return Ok(false);
        }
        self.update(i, |d| d.remove_below(lo))
    }
}

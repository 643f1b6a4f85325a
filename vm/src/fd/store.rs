//! The constraint store: variables, posted constraints, propagators and the undo trail.
//!
//! Takes the FD operations the instructions perform (`new_var`, `narrow`, `post`, `label`) plus
//! `mark`/`undo_to` from the VM's transaction savepoints, and produces domains, results, a
//! reifiable snapshot and a change log. Every operation is atomic: on failure the store is
//! restored to its state before the operation.
//!
//! Undo is a trail of previous domains with copy-on-write per epoch: every `mark` (and every
//! operation, for its own atomicity) starts a new epoch, and the first change of a variable in an
//! epoch saves its old domain. Undoing pops the trail back to the mark and truncates variables,
//! constraints and propagators created since, so its cost is proportional to what changed.

use super::constraint::{Constraint, VarId};
use super::domain::Domain;
use super::error::{FdError, StepBudget, WipeoutCause};
use super::event::{Effect, FdEvent, Tracing};
use super::propagate::{Propagator, Watch};
use std::collections::VecDeque;

/// Which value `label` picks from the domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueOrder {
    /// The smallest value (the default, min-first search).
    Smallest,
    /// The largest value.
    Largest,
}

/// A savepoint of the store, taken by [`ConstraintStore::mark`].
///
/// Marks must be used in stack order: undoing to a mark invalidates every mark taken after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    trail_len: usize,
    var_count: usize,
    constraint_count: usize,
    propagator_count: usize,
    generation: u64,
}

/// The reified constraint store (`reifyConstraints`): every variable with its current domain,
/// ascending, and the number of posted constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReifiedStore {
    /// `(variable, domain values ascending)`, in creation order.
    pub vars: Vec<(VarId, Vec<i64>)>,
    /// Number of constraints posted (and not undone).
    pub constraint_count: usize,
}

/// The state of one variable.
#[derive(Clone, Debug)]
pub(super) struct VarState {
    pub(super) domain: Domain,
    /// The epoch in which the domain was last saved on the trail (or the variable created).
    stamp: u64,
    /// The operation serial in which the variable last changed (for the change log).
    changed_in_op: u64,
}

/// A saved domain: restoring it undoes every later change of `var`.
#[derive(Clone, Debug)]
struct TrailEntry {
    var: usize,
    old_domain: Domain,
    old_stamp: u64,
}

/// The finite-domain constraint store of one execution.
#[derive(Clone, Debug)]
pub struct ConstraintStore {
    pub(super) vars: Vec<VarState>,
    /// Per variable, the propagators to wake when it changes.
    pub(super) watchers: Vec<Vec<Watch>>,
    constraints: Vec<Constraint>,
    pub(super) propagators: Vec<Propagator>,
    trail: Vec<TrailEntry>,
    epoch: u64,
    generation: u64,
    pub(super) queue: VecDeque<usize>,
    pub(super) queued: Vec<bool>,
    /// The propagator being run (not re-queued by its own changes: all are idempotent).
    pub(super) running: Option<usize>,
    tracing: Tracing,
    events: Vec<FdEvent>,
    op_serial: u64,
    /// Variables changed by the current operation, in order of first change.
    changed: Vec<usize>,
    changes_in_op: u64,
}

impl Default for ConstraintStore {
    fn default() -> Self {
        ConstraintStore::new(Tracing::Record)
    }
}

/// A domain wipe-out found during an operation, before the cause is attached.
pub(super) struct Wiped(pub(super) usize);

impl ConstraintStore {
    /// An empty store.
    pub fn new(tracing: Tracing) -> ConstraintStore {
        ConstraintStore {
            vars: Vec::new(),
            watchers: Vec::new(),
            constraints: Vec::new(),
            propagators: Vec::new(),
            trail: Vec::new(),
            epoch: 0,
            generation: 0,
            queue: VecDeque::new(),
            queued: Vec::new(),
            running: None,
            tracing,
            events: Vec::new(),
            op_serial: 0,
            changed: Vec::new(),
            changes_in_op: 0,
        }
    }

    // ----- queries -----

    /// The current domain of `var`.
    pub fn domain(&self, var: VarId) -> Result<&Domain, FdError> {
        self.index(var).map(|i| &self.vars[i].domain)
    }

    /// The value of `var` when its domain has exactly one value.
    pub fn value(&self, var: VarId) -> Result<Option<i64>, FdError> {
        self.domain(var).map(Domain::fixed_value)
    }

    /// Number of variables.
    pub fn var_count(&self) -> usize {
        self.vars.len()
    }

    /// The posted constraints, in posting order.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// The reified store for `reifyConstraints`.
    pub fn snapshot(&self) -> ReifiedStore {
        ReifiedStore {
            vars: self
                .vars
                .iter()
                .enumerate()
                .map(|(i, state)| (var_id(i), state.domain.to_vec()))
                .collect(),
            constraint_count: self.constraints.len(),
        }
    }

    /// Takes the recorded change log, leaving it empty.
    pub fn drain_events(&mut self) -> Vec<FdEvent> {
        std::mem::take(&mut self.events)
    }

    // ----- savepoints -----

    /// A savepoint to undo to (the VM takes one at every transaction begin).
    pub fn mark(&mut self) -> Mark {
        self.epoch += 1;
        Mark {
            trail_len: self.trail.len(),
            var_count: self.vars.len(),
            constraint_count: self.constraints.len(),
            propagator_count: self.propagators.len(),
            generation: self.generation,
        }
    }

    /// Restores domains, constraints and variables exactly as they were at `mark`. The mark
    /// stays valid (it can be undone to again); marks taken after it become stale.
    pub fn undo_to(&mut self, mark: Mark) -> Result<(), FdError> {
        if mark.generation != self.generation
            || mark.trail_len > self.trail.len()
            || mark.var_count > self.vars.len()
            || mark.constraint_count > self.constraints.len()
            || mark.propagator_count > self.propagators.len()
        {
            return Err(FdError::StaleMark);
        }
        while self.trail.len() > mark.trail_len {
            if let Some(entry) = self.trail.pop() {
                let state = &mut self.vars[entry.var];
                state.domain = entry.old_domain;
                state.stamp = entry.old_stamp;
            }
        }
        for prop in (mark.propagator_count..self.propagators.len()).rev() {
            for var in self.propagators[prop].vars() {
                if let Some(list) = self.watchers.get_mut(var) {
                    while list.last().is_some_and(|w| w.prop >= prop) {
                        list.pop();
                    }
                }
            }
        }
        self.propagators.truncate(mark.propagator_count);
        self.queued.truncate(mark.propagator_count);
        self.constraints.truncate(mark.constraint_count);
        self.vars.truncate(mark.var_count);
        self.watchers.truncate(mark.var_count);
        self.epoch += 1;
        Ok(())
    }

    /// Drops the undo history: every mark taken so far becomes stale and the trail's memory is
    /// freed. The VM calls this when no transaction is open (no savepoint can be undone to).
    pub fn forget_marks(&mut self) {
        self.trail.clear();
        self.generation += 1;
        self.epoch += 1;
    }

    // ----- the operations of the FD instructions -----

    /// `newVar`: a fresh variable with the given values as its domain. An empty domain is a
    /// wipe-out (`WipeoutCause::Creation`) and creates nothing.
    pub fn new_var(&mut self, domain: impl IntoIterator<Item = i64>) -> Result<VarId, FdError> {
        let domain = Domain::from_values(domain);
        let var = var_id(self.vars.len());
        self.record(|| FdEvent::VarCreated {
            var,
            domain: domain.clone(),
        });
        self.atomically(&mut StepBudget::unlimited(), |store, _| {
            if domain.is_empty() {
                return Err(FdError::Wipeout {
                    var,
                    cause: WipeoutCause::Creation,
                });
            }
            store.vars.push(VarState {
                domain,
                stamp: store.epoch,
                changed_in_op: 0,
            });
            store.watchers.push(Vec::new());
            Ok(var)
        })
    }

    /// `narrow`: intersects `var`'s domain with `values`, then propagates to a fixpoint.
    pub fn narrow(
        &mut self,
        var: VarId,
        values: impl IntoIterator<Item = i64>,
        budget: &mut StepBudget,
    ) -> Result<Effect, FdError> {
        let allowed = Domain::from_values(values);
        self.record(|| FdEvent::NarrowRequested { var });
        self.atomically(budget, |store, budget| {
            let i = store.index(var)?;
            store
                .update(i, |d| d.intersect(&allowed))
                .map_err(|_| FdError::Wipeout {
                    var,
                    cause: WipeoutCause::Narrow,
                })?;
            store.propagate(budget)?;
            Ok(store.effect())
        })
    }

    /// `post`: adds `constraint` and propagates to a fixpoint.
    pub fn post(
        &mut self,
        constraint: Constraint,
        budget: &mut StepBudget,
    ) -> Result<Effect, FdError> {
        self.record(|| FdEvent::ConstraintPosted {
            constraint: constraint.clone(),
        });
        self.atomically(budget, |store, budget| {
            for var in constraint.vars() {
                store.index(var)?;
            }
            store.constraints.push(constraint.clone());
            store
                .install(&constraint)
                .map_err(|Wiped(i)| FdError::Wipeout {
                    var: var_id(i),
                    cause: WipeoutCause::Constraint(constraint.clone()),
                })?;
            store.propagate(budget)?;
            Ok(store.effect())
        })
    }

    /// `label`: assigns `var` its smallest (or largest) value and propagates. Fails when the
    /// propagation wipes out a domain (the store is then restored); the caller backtracks by
    /// undoing to a mark and posting `var != value`.
    pub fn label(
        &mut self,
        var: VarId,
        order: ValueOrder,
        budget: &mut StepBudget,
    ) -> Result<i64, FdError> {
        let i = self.index(var)?;
        let domain = &self.vars[i].domain;
        let chosen = match order {
            ValueOrder::Smallest => domain.min(),
            ValueOrder::Largest => domain.max(),
        };
        let Some(value) = chosen else {
            let error = FdError::Wipeout {
                var,
                cause: WipeoutCause::Labeling,
            };
            self.record(|| FdEvent::Failed {
                error: error.clone(),
            });
            return Err(error);
        };
        self.record(|| FdEvent::Labeled { var, value });
        self.atomically(budget, |store, budget| {
            // The value is in the domain, so assigning it cannot empty it.
            store
                .update(i, |d| d.assign(value))
                .map_err(|_| FdError::Wipeout {
                    var,
                    cause: WipeoutCause::Labeling,
                })?;
            store.propagate(budget)?;
            Ok(value)
        })
    }

    // ----- internals shared with the propagators -----

    fn index(&self, var: VarId) -> Result<usize, FdError> {
        usize::try_from(var.0)
            .ok()
            .filter(|i| *i < self.vars.len())
            .ok_or(FdError::UnknownVar(var))
    }

    fn record(&mut self, event: impl FnOnce() -> FdEvent) {
        if self.tracing == Tracing::Record {
            self.events.push(event());
        }
    }

    fn effect(&self) -> Effect {
        if self.changes_in_op > 0 {
            Effect::Narrowed
        } else {
            Effect::Unchanged
        }
    }

    /// Runs `op` so that it either succeeds (logging the narrowed domains) or leaves no trace
    /// in the store (logging the failure).
    fn atomically<T>(
        &mut self,
        budget: &mut StepBudget,
        op: impl FnOnce(&mut Self, &mut StepBudget) -> Result<T, FdError>,
    ) -> Result<T, FdError> {
        let mark = self.mark();
        self.op_serial += 1;
        self.changes_in_op = 0;
        self.changed.clear();
        let result = op(self, budget);
        match &result {
            Ok(_) => {
                if self.tracing == Tracing::Record {
                    for k in 0..self.changed.len() {
                        let i = self.changed[k];
                        self.events.push(FdEvent::DomainNarrowed {
                            var: var_id(i),
                            domain: self.vars[i].domain.clone(),
                        });
                    }
                }
            }
            Err(error) => {
                for p in self.queue.drain(..) {
                    if let Some(flag) = self.queued.get_mut(p) {
                        *flag = false;
                    }
                }
                self.running = None;
                // The mark was taken just above, so it is current.
                let _ = self.undo_to(mark);
                self.record(|| FdEvent::Failed {
                    error: error.clone(),
                });
            }
        }
        self.changed.clear();
        result
    }

    /// Applies `change` to variable `i`'s domain, saving the old domain first when this is the
    /// variable's first change in the epoch, and wakes its watchers. Wipe-out is an error.
    pub(super) fn update(
        &mut self,
        i: usize,
        change: impl FnOnce(&mut Domain) -> bool,
    ) -> Result<bool, Wiped> {
        let state = &mut self.vars[i];
        let before = state.domain.clone_if(state.stamp != self.epoch);
        let (old_min, old_max, old_size) = state.domain.bounds_and_size();
        if !change(&mut state.domain) {
            return Ok(false);
        }
        if let Some(old_domain) = before {
            self.trail.push(TrailEntry {
                var: i,
                old_domain,
                old_stamp: state.stamp,
            });
            state.stamp = self.epoch;
        }
        if state.domain.is_empty() {
            return Err(Wiped(i));
        }
        self.changes_in_op += 1;
        if state.changed_in_op != self.op_serial {
            state.changed_in_op = self.op_serial;
            if self.tracing == Tracing::Record {
                self.changed.push(i);
            }
        }
        let (min, max, size) = state.domain.bounds_and_size();
        let bounds_changed = min != old_min || max != old_max;
        let became_fixed = size == 1 && old_size > 1;
        for watch in &self.watchers[i] {
            if Some(watch.prop) != self.running
                && !self.queued[watch.prop]
                && watch.on.wakes(bounds_changed, became_fixed)
            {
                self.queued[watch.prop] = true;
                self.queue.push_back(watch.prop);
            }
        }
        Ok(true)
    }
}

/// The id of the variable at index `i`.
pub(super) fn var_id(i: usize) -> VarId {
    VarId(i as u64)
}

//! The finite-domain (FD) constraint engine behind the `newVar`, `narrow`, `post` and `label`
//! instructions and `reifyConstraints`.
//!
//! Takes integer domains and constraints and produces narrowed domains, labels, failures and a
//! change log, inside a [`ConstraintStore`] whose state can be marked and undone exactly (the VM
//! marks at every transaction savepoint and undoes on abort; that is how search backtracks).
//! Design decisions and their relation to the spec are in `docs/fd.md`.
//!
//! Entry points: [`ConstraintStore::new_var`], [`ConstraintStore::narrow`],
//! [`ConstraintStore::post`], [`ConstraintStore::label`], [`ConstraintStore::mark`],
//! [`ConstraintStore::undo_to`], [`ConstraintStore::snapshot`],
//! [`ConstraintStore::drain_events`]; search helpers [`solve_first`] and [`solve_all`].

mod alldiff;
mod alldiff_gac;
mod constraint;
mod domain;
mod error;
mod event;
mod propagate;
mod search;
mod store;

pub use alldiff::{GAC_EDGE_LIMIT, HallInterval, hall_intervals};
pub use alldiff_gac::gac_filter;
pub use constraint::{Comparison, Constraint, VarId};
pub use domain::{Domain, DomainIter};
pub use error::{FdError, StepBudget, WipeoutCause};
pub use event::{Effect, FdEvent, Tracing};
pub use search::{SearchControl, SearchStats, VarSelection, solve_all, solve_first};
pub use store::{ConstraintStore, Mark, ReifiedStore, ValueOrder};

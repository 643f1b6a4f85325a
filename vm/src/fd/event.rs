//! The FD change log: what the store did, for the VM to turn into trace events.
//!
//! Takes nothing; produces [`FdEvent`] (recorded by the store when [`Tracing::Record`] is on and
//! drained with `ConstraintStore::drain_events`) and [`Effect`], the success result of `narrow`
//! and `post`.

use super::constraint::{Constraint, VarId};
use super::domain::Domain;
use super::error::FdError;

/// Whether the store records [`FdEvent`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracing {
    /// Record every operation and every domain change.
    Record,
    /// Record nothing (search benchmarks, nested solvers).
    Off,
}

/// One entry of the change log. Per operation: the operation's own event, then either one
/// `DomainNarrowed` per changed variable (in order of first change, with its final domain) or
/// one `Failed` (the store was restored, so no narrowing is reported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FdEvent {
    /// `newVar` created `var` with `domain`.
    VarCreated {
        /// The new variable.
        var: VarId,
        /// Its initial domain.
        domain: Domain,
    },
    /// `post` added `constraint`.
    ConstraintPosted {
        /// The constraint as posted.
        constraint: Constraint,
    },
    /// `narrow` was applied to `var` (its resulting domain follows as `DomainNarrowed`).
    NarrowRequested {
        /// The variable narrowed.
        var: VarId,
    },
    /// `label` chose `value` for `var`.
    Labeled {
        /// The labelled variable.
        var: VarId,
        /// The chosen value.
        value: i64,
    },
    /// The operation made `var`'s domain smaller; `domain` is what is left.
    DomainNarrowed {
        /// The narrowed variable.
        var: VarId,
        /// Its domain after propagation.
        domain: Domain,
    },
    /// The operation failed and was undone.
    Failed {
        /// Why.
        error: FdError,
    },
}

/// What a successful `narrow` or `post` did to the domains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// At least one domain became smaller.
    Narrowed,
    /// No domain changed.
    Unchanged,
}

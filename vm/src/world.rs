//! The shared world: committed store, pure-function registry, the cluster transport and the
//! commit-time solver setup.
//!
//! Takes nothing at construction (or a custom transport) and produces the state that outlives a
//! single execution. Executions (`crate::exec::Execution`) borrow the world mutably one
//! instruction at a time, so several executions can interleave against one world (this is how
//! `TxConflict` is tested).

use crate::cluster::{InProcessCluster, Transport};
use crate::pure::PureRegistry;
use crate::solver::NondetSetup;
use crate::store::Store;

/// Committed state shared by executions.
#[derive(Debug)]
pub struct World {
    /// The committed store.
    pub store: Store,
    /// The pure-function registry.
    pub pure: PureRegistry,
    /// Reachability of machines and controllers.
    pub transport: Box<dyn Transport>,
    /// The logical clock (the spec's `eventCounter`): log timestamps and the seed of fresh object
    /// and transaction ids. It lives in the world so ids stay unique when several executions share
    /// it; with one execution it is exactly the spec's counter.
    pub clock: u64,
    /// How commit-time choices are resolved (strategy, solver), and what was recorded.
    pub nondet: NondetSetup,
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

impl World {
    /// An empty world on an in-process cluster where every machine and controller is reachable.
    pub fn new() -> Self {
        World::with_transport(Box::new(InProcessCluster::default()))
    }

    /// An empty world on the given transport.
    pub fn with_transport(transport: Box<dyn Transport>) -> Self {
        World {
            store: Store::new(),
            pure: PureRegistry::new(),
            transport,
            clock: 0,
            nondet: NondetSetup::default(),
        }
    }

    /// The in-process cluster, if that is the transport (for tests that change reachability).
    pub fn cluster_mut(&mut self) -> Option<&mut InProcessCluster> {
        self.transport
            .as_any_mut()
            .downcast_mut::<InProcessCluster>()
    }
}

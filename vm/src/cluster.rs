//! Machines, controllers and their reachability: the seam to the network.
//!
//! Takes reachability settings (from tests, later from a runtime) and answers the spec's platform
//! predicates `isReachableMachine` / `isReachableController` (`semantics.md` §8) through the
//! `Transport` trait. `InProcessCluster` is the in-process implementation: a table of named
//! machines and controllers, each reachable or not, plus cut links between machines; names it has
//! never heard of follow a policy (reachable by default, as in every spec example). A networked
//! transport (a later issue) implements the same trait.

use crate::ids::{ControllerId, MachineId};
use rustc_hash::{FxHashMap, FxHashSet};
use std::any::Any;
use std::fmt;

/// Whether a machine or controller can be reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reachability {
    /// It answers.
    Reachable,
    /// It does not answer (crashed, partitioned, or unknown under a closed policy).
    Unreachable,
}

/// The platform services the semantics need from the environment.
pub trait Transport: fmt::Debug {
    /// `isReachableMachine`, asked from machine `from`.
    fn machine_reachable(&self, from: &MachineId, to: &MachineId) -> bool;
    /// `isReachableController`, asked from machine `from`.
    fn controller_reachable(&self, from: &MachineId, controller: &ControllerId) -> bool;
    /// Downcasting support, so tests can reach the concrete cluster to change it.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// An in-process cluster of named machines and controllers.
#[derive(Clone, Debug)]
pub struct InProcessCluster {
    machines: FxHashMap<MachineId, Reachability>,
    controllers: FxHashMap<ControllerId, Reachability>,
    cut_links: FxHashSet<(MachineId, MachineId)>,
    unknown: Reachability,
}

impl Default for InProcessCluster {
    fn default() -> Self {
        InProcessCluster::new(Reachability::Reachable)
    }
}

impl InProcessCluster {
    /// A cluster where names not listed have reachability `unknown`.
    pub fn new(unknown: Reachability) -> Self {
        InProcessCluster {
            machines: FxHashMap::default(),
            controllers: FxHashMap::default(),
            cut_links: FxHashSet::default(),
            unknown,
        }
    }

    /// Adds or updates a machine.
    pub fn set_machine(&mut self, machine: &str, reachability: Reachability) -> &mut Self {
        self.machines.insert(MachineId::new(machine), reachability);
        self
    }

    /// Adds or updates a controller.
    pub fn set_controller(&mut self, controller: &str, reachability: Reachability) -> &mut Self {
        self.controllers
            .insert(ControllerId::new(controller), reachability);
        self
    }

    /// Cuts the link between two machines (both directions).
    pub fn cut_link(&mut self, a: &str, b: &str) -> &mut Self {
        let (a, b) = (MachineId::new(a), MachineId::new(b));
        self.cut_links.insert((a.clone(), b.clone()));
        self.cut_links.insert((b, a));
        self
    }

    /// Restores the link between two machines.
    pub fn heal_link(&mut self, a: &str, b: &str) -> &mut Self {
        let (a, b) = (MachineId::new(a), MachineId::new(b));
        self.cut_links.remove(&(a.clone(), b.clone()));
        self.cut_links.remove(&(b, a));
        self
    }

    /// The machines the cluster knows, sorted by name.
    pub fn machines(&self) -> Vec<MachineId> {
        let mut ms: Vec<MachineId> = self.machines.keys().cloned().collect();
        ms.sort();
        ms
    }
}

impl Transport for InProcessCluster {
    fn machine_reachable(&self, from: &MachineId, to: &MachineId) -> bool {
        let status = self.machines.get(to).copied().unwrap_or(self.unknown);
        status == Reachability::Reachable
            && (from == to || !self.cut_links.contains(&(from.clone(), to.clone())))
    }

    fn controller_reachable(&self, _from: &MachineId, controller: &ControllerId) -> bool {
        self.controllers
            .get(controller)
            .copied()
            .unwrap_or(self.unknown)
            == Reachability::Reachable
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reachability_rules() {
        let mut c = InProcessCluster::default();
        c.set_machine("dead", Reachability::Unreachable)
            .set_controller("gone", Reachability::Unreachable)
            .set_machine("m1", Reachability::Reachable)
            .cut_link("m0", "m1");
        let m = MachineId::new;
        assert!(c.machine_reachable(&m("m0"), &m("anything")));
        assert!(!c.machine_reachable(&m("m0"), &m("dead")));
        assert!(!c.machine_reachable(&m("m0"), &m("m1")));
        assert!(c.machine_reachable(&m("m1"), &m("m1")));
        assert!(!c.controller_reachable(&m("m0"), &ControllerId::new("gone")));
        assert!(c.controller_reachable(&m("m0"), &ControllerId::new("c1")));
        c.heal_link("m1", "m0");
        assert!(c.machine_reachable(&m("m0"), &m("m1")));
        let closed = InProcessCluster::new(Reachability::Unreachable);
        assert!(!closed.machine_reachable(&m("m0"), &m("m2")));
        assert_eq!(c.machines(), vec![m("dead"), m("m1")]);
    }
}

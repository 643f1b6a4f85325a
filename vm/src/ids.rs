//! Identifiers of the AVM data model: object, transaction, machine, controller and FD variable ids.
//!
//! Takes raw numbers or names and produces cheap, comparable, hashable id values. Object and
//! transaction ids are drawn from the execution's event counter exactly as the spec does
//! (`freshObjectId(eventCounter)`), so an object id equals the timestamp of its `ObjectCreated`
//! event. Machine and controller ids are reference-counted names, cheap to clone.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::rc::Rc;

/// The identity of an object (or of the top-level pseudo-object a program runs as).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectId(pub u64);

/// The identity of a transaction (the event-counter value at its `TransactionStarted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TxId(pub u64);

/// The identity of a finite-domain variable (used by the FD layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VarId(pub u64);

/// The name of a machine (a physical place where objects live and code runs).
///
/// A thin pointer (8 bytes, the name boxed once behind the count), so an `Option<MachineId>`
/// is 8 bytes too: every object's metadata and every saved call context holds one. Equality
/// compares pointers first (`Rc`'s `Eq`), so comparing a machine with itself is one compare.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MachineId(Rc<Box<str>>);

/// The name of a controller (a logical owner that orders transactions on its objects).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ControllerId(pub Rc<str>);

impl MachineId {
    /// A machine id with the given name.
    pub fn new(name: &str) -> Self {
        MachineId(Rc::new(Box::from(name)))
    }
    /// The machine's name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl ControllerId {
    /// A controller id with the given name.
    pub fn new(name: &str) -> Self {
        ControllerId(Rc::from(name))
    }
    /// The controller's name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Display for TxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for VarId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "?{}", self.0)
    }
}

impl fmt::Display for MachineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for ControllerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_display_and_compare() {
        assert_eq!(ObjectId(3).to_string(), "#3");
        assert_eq!(TxId(7).to_string(), "7");
        assert_eq!(MachineId::new("m0"), MachineId::new("m0"));
        assert_eq!(ControllerId::new("c1").name(), "c1");
        assert_eq!(VarId(2).to_string(), "?2");
    }

    #[test]
    fn machine_ids_are_thin() {
        assert_eq!(std::mem::size_of::<MachineId>(), 8);
        assert_eq!(std::mem::size_of::<Option<MachineId>>(), 8);
        let m = MachineId::new("node1");
        assert_eq!(m.name(), "node1");
        assert_eq!(m.to_string(), "node1");
        assert!(MachineId::new("a") < MachineId::new("b"));
    }
}

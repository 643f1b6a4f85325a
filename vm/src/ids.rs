//! Identifiers of the AVM data model: object, transaction, machine, controller and FD variable ids.
//!
//! Takes raw numbers or names and produces cheap, comparable, hashable id values. Object and
//! transaction ids are drawn from the execution's event counter exactly as the spec does
//! (`freshObjectId(eventCounter)`), so an object id equals the timestamp of its `ObjectCreated`
//! event. Machine and controller ids are reference-counted names, cheap to clone; machine ids are
//! interned per thread, so comparing two is a pointer compare.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// The identity of an object (or of the top-level pseudo-object a program runs as).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectId(pub u64);

impl ObjectId {
    /// The top-level pseudo-object a program's entry (`main`) runs as: no object has this id,
    /// so a method called from the entry sees `sender` = `nothing` (docs/spec-deviations.md).
    pub const TOP_LEVEL: ObjectId = ObjectId(u64::MAX);
}

/// The identity of a transaction (the event-counter value at its `TransactionStarted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TxId(pub u64);

/// The identity of a finite-domain variable (used by the FD layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VarId(pub u64);

/// The name of a machine (a physical place where objects live and code runs).
///
/// Interned per thread (`MachineId::new` returns the thread's one copy of each name) and a thin
/// pointer: 8 bytes, and an `Option<MachineId>` too (every object's metadata and every saved
/// call context holds one). Equality is pointer equality, so comparing the caller's machine
/// with the callee's on every `call` is one compare. Order and hash follow the name. Interned
/// names live as long as their thread.
#[derive(Clone, Debug, Serialize)]
pub struct MachineId(Rc<Box<str>>);

thread_local! {
    /// The thread's interned machine names.
    static MACHINE_NAMES: RefCell<FxHashMap<Box<str>, MachineId>> =
        RefCell::new(FxHashMap::default());
}

impl PartialEq for MachineId {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for MachineId {}

impl std::hash::Hash for MachineId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal ids are one interned name, so hashing the name agrees with `eq`.
        self.name().hash(state);
    }
}

impl PartialOrd for MachineId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MachineId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl<'de> Deserialize<'de> for MachineId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(MachineId::new(&name))
    }
}

/// The name of a controller (a logical owner that orders transactions on its objects).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ControllerId(pub Rc<str>);

impl MachineId {
    /// The machine id with the given name (the thread's interned copy).
    pub fn new(name: &str) -> Self {
        MACHINE_NAMES.with(|names| {
            let mut names = names.borrow_mut();
            if let Some(id) = names.get(name) {
                return id.clone();
            }
            let id = MachineId(Rc::new(Box::from(name)));
            names.insert(Box::from(name), id.clone());
            id
        })
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
        // Interned: two ids with one name share the pointer, so they are equal.
        let again = MachineId::new("node1");
        assert!(Rc::ptr_eq(&m.0, &again.0));
        assert_eq!(m, again);
        assert_ne!(m, MachineId::new("node2"));
        let bytes = postcard::to_stdvec(&m).expect("serializes");
        assert_eq!(bytes, postcard::to_stdvec("node1").expect("serializes"));
        assert_eq!(postcard::from_bytes::<MachineId>(&bytes).ok(), Some(m));
    }
}

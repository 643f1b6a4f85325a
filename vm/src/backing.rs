//! The seam between the in-memory world and a durable store below it.
//!
//! Takes nothing itself: it declares [`Backing`], the trait a durable store (the `avm-runtime`
//! crate's redb world) implements, and [`Commit`], what the VM hands it when a change becomes
//! committed. The VM calls a backing at two kinds of moments only: on the first use of an object
//! id that is not in memory (`World::touch`, which loads the id's slot) and when a change is
//! committed (`World::committed`: after each top-level transaction commit and after each
//! store-changing instruction outside a transaction). A world without a backing never calls
//! either, so the interpreters pay one predictable branch per store-changing instruction.

use crate::ids::ObjectId;
use crate::pure::PureRegistry;
use crate::store::{Slot, Store};
use std::fmt;
use std::rc::Rc;

/// Why a backing could not load or commit (an I/O failure, a full disk, a corrupt record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackingFault {
    /// What failed, in words (from the storage engine).
    pub message: Rc<str>,
}

impl BackingFault {
    /// A fault with this message.
    pub fn new(message: impl Into<Rc<str>>) -> Self {
        BackingFault {
            message: message.into(),
        }
    }
}

impl fmt::Display for BackingFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One committed change, as the world sees it right after the change.
#[derive(Debug)]
pub struct Commit<'a> {
    /// The committed store (read the changed ids' slots from it).
    pub store: &'a Store,
    /// The pure-function registry.
    pub pure: &'a PureRegistry,
    /// The published names.
    pub names: &'a crate::world::Names,
    /// The logical clock after the change.
    pub clock: u64,
    /// The ids whose slots changed (possibly with repeats).
    pub changed: &'a [ObjectId],
    /// Whether the pure-function registry changed.
    pub pure_changed: bool,
    /// The names published by this change.
    pub names_changed: &'a [Rc<str>],
}

/// A durable store behind a world.
pub trait Backing: fmt::Debug {
    /// The committed slot of `id`, or `None` if the backing has never stored it. Called at most
    /// once per id and run, for an id not yet in memory.
    fn load(&mut self, id: ObjectId) -> Result<Option<Slot>, BackingFault>;

    /// Every id the backing holds (for instructions that range over the whole store).
    fn ids(&mut self) -> Result<Vec<ObjectId>, BackingFault>;

    /// The object a name was published for, or `None`.
    fn name(&mut self, name: &str) -> Result<Option<ObjectId>, BackingFault>;

    /// Makes a change durable; when this returns `Ok` the change survives a crash.
    fn commit(&mut self, commit: Commit<'_>) -> Result<(), BackingFault>;
}

//! The shared world: committed store, pure-function registry, the cluster transport and the
//! commit-time solver setup.
//!
//! Takes nothing at construction (or a custom transport) and produces the state that outlives a
//! single execution. Executions (`crate::exec::Execution`) borrow the world mutably one
//! instruction at a time, so several executions can interleave against one world (this is how
//! `TxConflict` is tested).
//!
//! A world may sit on a durable store (`crate::backing::Backing`): objects are then loaded on
//! first use ([`World::touch`]) and every committed change is handed down
//! ([`World::committed`]); without one, both are a single untaken branch.

use crate::backing::{Backing, BackingFault, Commit};
use crate::cluster::{InProcessCluster, Transport};
use crate::error::{AvmError, ExecError};
use crate::ids::ObjectId;
use crate::pure::PureRegistry;
use crate::solver::NondetSetup;
use crate::store::Store;
use rustc_hash::{FxHashMap, FxHashSet};
use std::rc::Rc;

/// Published names: name → object (`publish` / `lookup`).
pub type Names = FxHashMap<Rc<str>, ObjectId>;

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
    /// Published names known in memory (all of them without a backing; with one, those
    /// published or looked up in this run).
    pub names: Names,
    /// The interface (methods and their types, as the compiler prints them) of each behaviour,
    /// by behaviour name; `lookup` checks a found object's against the requested one. Filled by
    /// whoever loads the program (a behaviour without an entry matches no interface).
    pub interfaces: FxHashMap<Rc<str>, Rc<str>>,
    /// The durable store below, if any.
    backing: Option<Box<dyn Backing>>,
    /// Ids the backing was asked for and does not hold (asked once per run).
    absent: FxHashSet<ObjectId>,
    /// Names the backing was asked for and does not hold.
    absent_names: FxHashSet<Rc<str>>,
    /// Whether every id of the backing is in memory (after a whole-store scan).
    all_loaded: bool,
}

/// What a committed change touched besides object slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changed {
    /// Only object slots (and names, if any are given).
    Store,
    /// The pure-function registry too.
    Pure,
}

fn storage(fault: BackingFault) -> AvmError {
    ExecError::Storage {
        message: fault.message,
    }
    .into()
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
            names: Names::default(),
            interfaces: FxHashMap::default(),
            backing: None,
            absent: FxHashSet::default(),
            absent_names: FxHashSet::default(),
            all_loaded: false,
        }
    }

    /// A world on a durable store, whose clock and pure registry the caller has read from it.
    /// Objects and names are loaded from the backing on first use.
    pub fn with_backing(
        transport: Box<dyn Transport>,
        backing: Box<dyn Backing>,
        pure: PureRegistry,
        clock: u64,
    ) -> Self {
        let mut world = World::with_transport(transport);
        world.pure = pure;
        world.clock = clock;
        world.backing = Some(backing);
        world
    }

    /// Whether the world sits on a durable store.
    pub fn is_durable(&self) -> bool {
        self.backing.is_some()
    }

    /// Takes the durable store off the world (the world stays, in memory only).
    pub fn take_backing(&mut self) -> Option<Box<dyn Backing>> {
        self.backing.take()
    }

    /// Makes sure the committed slot of `id` is in memory (loads it from the backing on
    /// first use). Instructions call it before they look an id up in the store.
    #[inline(always)]
    pub fn touch(&mut self, id: ObjectId) -> Result<(), AvmError> {
        if self.backing.is_some() {
            self.touch_cold(id)
        } else {
            Ok(())
        }
    }

    #[cold]
    #[inline(never)]
    fn touch_cold(&mut self, id: ObjectId) -> Result<(), AvmError> {
        if self.all_loaded || self.store.slot(id).is_some() || self.absent.contains(&id) {
            return Ok(());
        }
        let Some(backing) = self.backing.as_mut() else {
            return Ok(());
        };
        match backing.load(id).map_err(storage)? {
            Some(slot) => self.store.install(id, slot),
            None => {
                self.absent.insert(id);
            }
        }
        Ok(())
    }

    /// Loads every object of the backing (for `scryMeta` / `scryDeep`, which range over the
    /// whole store). A no-op without a backing or when already done.
    pub fn touch_all(&mut self) -> Result<(), AvmError> {
        if self.all_loaded {
            return Ok(());
        }
        let Some(backing) = self.backing.as_mut() else {
            return Ok(());
        };
        let ids = backing.ids().map_err(storage)?;
        for id in ids {
            self.touch_cold(id)?;
        }
        self.all_loaded = true;
        Ok(())
    }

    /// The object published under `name` (looked up in the backing on first use).
    pub fn name(&mut self, name: &str) -> Result<Option<ObjectId>, AvmError> {
        if let Some(id) = self.names.get(name) {
            return Ok(Some(*id));
        }
        let Some(backing) = self.backing.as_mut() else {
            return Ok(None);
        };
        if self.absent_names.contains(name) {
            return Ok(None);
        }
        let found = backing.name(name).map_err(storage)?;
        match found {
            Some(id) => {
                self.names.insert(Rc::from(name), id);
            }
            None => {
                self.absent_names.insert(Rc::from(name));
            }
        }
        Ok(found)
    }

    /// Records that the slots of `ids` changed by a committed instruction (outside a
    /// transaction): with a backing, the change is made durable before this returns.
    #[inline(always)]
    pub fn committed(&mut self, ids: &[ObjectId]) -> Result<(), AvmError> {
        if self.backing.is_some() {
            self.commit_changes(ids, Changed::Store, &[])
        } else {
            Ok(())
        }
    }

    /// Hands a committed change to the backing (a no-op without one): the slots of `ids`,
    /// whether the pure registry changed, and the names published.
    pub fn commit_changes(
        &mut self,
        ids: &[ObjectId],
        pure: Changed,
        names: &[Rc<str>],
    ) -> Result<(), AvmError> {
        let Some(backing) = self.backing.as_mut() else {
            return Ok(());
        };
        backing
            .commit(Commit {
                store: &self.store,
                pure: &self.pure,
                names: &self.names,
                clock: self.clock,
                changed: ids,
                pure_changed: pure == Changed::Pure,
                names_changed: names,
            })
            .map_err(storage)
    }

    /// The in-process cluster, if that is the transport (for tests that change reachability).
    pub fn cluster_mut(&mut self) -> Option<&mut InProcessCluster> {
        self.transport
            .as_any_mut()
            .downcast_mut::<InProcessCluster>()
    }
}

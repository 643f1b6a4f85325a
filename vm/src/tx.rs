//! The transaction overlay: a stack of savepoints.
//!
//! Takes buffered effects (creates, destroys, transfers, moves, state writes, pure-function
//! updates, the call log and the read set) and keeps them per savepoint, keyed by object id, so
//! `beginTx` is O(1) (an empty savepoint allocates nothing) and commit costs what the transaction
//! touched. Reads look through the savepoints top-down, then the committed store
//! (read-your-writes). An inner commit merges its savepoint into the parent; an inner abort drops
//! only its own savepoint; the outermost commit validates the read set against the store's
//! versions and applies the overlay in the spec's order (creates → transfers → moves → destroys →
//! states → pure updates). The functions here are bookkeeping only: events, authority and errors
//! are the business of `crate::isa::tx` and the other families. Each savepoint also holds the
//! FD constraint store's mark taken at its begin and its nondeterminism state (`ChoiceState`).

use crate::error::{AvmError, RequireSite, TxError};
use crate::exec::Context;
use crate::fd::Mark;
use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::meta::ObjectMeta;
use crate::solver::ir::{RequirePlace, RequireValue};
use crate::store::Store;
use crate::value::Val;
use crate::world::{Changed, World};
use rustc_hash::{FxHashMap, FxHashSet};
use std::rc::Rc;

/// An object created inside a transaction and not yet committed.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingCreate {
    /// Its behaviour name.
    pub behaviour: Rc<str>,
    /// Its metadata as created.
    pub meta: ObjectMeta,
}

/// What one savepoint changed about one object id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjOverlay {
    /// Created in this savepoint.
    pub created: Option<PendingCreate>,
    /// Destroyed in this savepoint (hides the object and anything below).
    pub destroyed: bool,
    /// Pending transfer to this controller.
    pub controller: Option<ControllerId>,
    /// Pending move to this machine (`moveObject`, `fetch`).
    pub machine: Option<MachineId>,
    /// Pending whole state.
    pub state: Option<Vec<Val>>,
}

/// One level of the transaction stack.
#[derive(Clone, Debug)]
pub struct Savepoint {
    /// This savepoint's transaction id.
    pub id: TxId,
    /// The transaction controller before this savepoint began (restored when it aborts).
    pub controller_before: Option<ControllerId>,
    /// Per-object changes.
    pub objects: FxHashMap<ObjectId, ObjOverlay>,
    /// Ids created here, in creation order.
    pub create_order: Vec<ObjectId>,
    /// Committed objects destroyed here, in order.
    pub destroy_order: Vec<ObjectId>,
    /// Transfers, in order.
    pub transfer_order: Vec<(ObjectId, ControllerId)>,
    /// Moves, in order.
    pub move_order: Vec<(ObjectId, MachineId)>,
    /// `updatePure`s (registry name, implementing function), in order.
    pub pure_updates: Vec<(Rc<str>, Rc<str>)>,
    /// `publish`es (name, object), in order.
    pub names: Vec<(Rc<str>, ObjectId)>,
    /// The spec's `txLog`: (callee, input) per call made here.
    pub tx_log: Vec<(ObjectId, Val)>,
    /// The spec's `observed` list (duplicate-free, insertion order).
    pub observed: Vec<ObjectId>,
    observed_set: FxHashSet<ObjectId>,
    /// Our validation set: store version of every id read, called or written, at first use.
    pub read_versions: FxHashMap<ObjectId, u64>,
    /// The constraint store's mark taken at begin (`None` only between `push` and the FD
    /// layer's marking in `isa::tx::begin`): an abort undoes to it, a commit keeps the changes.
    pub fd_mark: Option<Mark>,
    /// The transaction's choice points and requirements (`crate::isa::nondet`).
    pub choices: ChoiceState,
}

/// Where a transaction's run restarts when its choices are re-made: the execution state just
/// after `beginTx` (the interpreter restores its own continuation alongside).
#[derive(Clone, Debug)]
pub struct RestartPoint {
    /// Trace length after the `TransactionStarted` entry.
    pub trace_len: usize,
    /// The world's clock after `beginTx`.
    pub clock: u64,
    /// The transaction controller after `beginTx`.
    pub controller: Option<ControllerId>,
    /// The frame context at `beginTx`.
    pub ctx: Context,
}

/// The nondeterminism bookkeeping of one transaction (one run of its body, plus what earlier,
/// discarded runs found).
#[derive(Clone, Debug, Default)]
pub struct ChoiceState {
    /// The option index each choice point takes in this run (missing = 0, the first option).
    pub script: Vec<usize>,
    /// Per choice point met in this run: (option chosen, option count).
    pub points: Vec<(usize, usize)>,
    /// `require`s executed in this run.
    pub requires: u32,
    /// The requirements that failed in this run.
    pub failed: Vec<RequireSite>,
    /// The failed requirements of each discarded run.
    pub failure_sets: Vec<Vec<RequireSite>>,
    /// Runs discarded so far.
    pub runs_discarded: u64,
    /// Where to restart (set by `isa::tx::begin`).
    pub restart: Option<RestartPoint>,
    /// The options of each choice point of this run (parallel to `points`).
    pub options: Vec<Rc<[Val]>>,
    /// The `require`s of this run: their values and how many choice points preceded each.
    pub records: Vec<(RequireValue, usize)>,
    /// Where the failed requirements of all runs are (for the unsatisfiable report).
    pub places: Vec<(RequireSite, RequirePlace)>,
    /// Whether this run replays a solver's model (then a failed requirement is the solver's
    /// fault, not a reason to search on).
    pub replay: Replay,
}

/// What kind of run of a transaction body this is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Replay {
    /// A run of the depth-first search (the first run included).
    #[default]
    Search,
    /// A run with the choices of a solver's model.
    Model,
}

impl Savepoint {
    /// An empty savepoint (allocates nothing).
    pub fn new(id: TxId, controller_before: Option<ControllerId>) -> Self {
        Savepoint {
            id,
            controller_before,
            objects: FxHashMap::default(),
            create_order: Vec::new(),
            destroy_order: Vec::new(),
            transfer_order: Vec::new(),
            move_order: Vec::new(),
            pure_updates: Vec::new(),
            names: Vec::new(),
            tx_log: Vec::new(),
            observed: Vec::new(),
            observed_set: FxHashSet::default(),
            read_versions: FxHashMap::default(),
            fd_mark: None,
            choices: ChoiceState::default(),
        }
    }

    /// The overlay entry of an object in this savepoint, created if absent.
    pub fn entry(&mut self, id: ObjectId) -> &mut ObjOverlay {
        self.objects.entry(id).or_default()
    }

    /// Adds to the spec's observed list (and nothing else).
    pub fn add_observed(&mut self, id: ObjectId) {
        if self.observed_set.insert(id) {
            self.observed.push(id);
        }
    }

    /// Merges a committed inner savepoint into this one.
    fn absorb(&mut self, inner: Savepoint) {
        for (id, ov) in inner.objects {
            let mine = self.objects.entry(id).or_default();
            if ov.destroyed {
                mine.created = None;
                mine.destroyed = true;
                mine.controller = None;
                mine.machine = None;
            }
            if let Some(c) = ov.created {
                *mine = ObjOverlay {
                    created: Some(c),
                    ..ObjOverlay::default()
                };
            }
            if ov.controller.is_some() {
                mine.controller = ov.controller;
            }
            if ov.machine.is_some() {
                mine.machine = ov.machine;
            }
            if ov.state.is_some() {
                mine.state = ov.state;
            }
        }
        self.create_order.extend(inner.create_order);
        self.destroy_order.extend(inner.destroy_order);
        self.transfer_order.extend(inner.transfer_order);
        self.move_order.extend(inner.move_order);
        self.pure_updates.extend(inner.pure_updates);
        self.names.extend(inner.names);
        self.tx_log.extend(inner.tx_log);
        for id in inner.observed {
            self.add_observed(id);
        }
        for (id, v) in inner.read_versions {
            self.read_versions.entry(id).or_insert(v);
        }
    }
}

/// An object as a transaction sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectView {
    /// Whether it is a pending create or a committed object.
    pub origin: Origin,
    /// Its behaviour name.
    pub behaviour: Rc<str>,
    /// Its metadata with pending moves and transfers applied.
    pub meta: ObjectMeta,
    /// Its controller ignoring pending transfers (what authority checks use).
    pub base_controller: Option<ControllerId>,
}

/// Where a visible object comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Created in an open transaction.
    Pending,
    /// In the committed store.
    Committed,
}

/// Result of looking an object up through the overlay.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// Visible.
    Live(ObjectView),
    /// Destroyed by an open transaction.
    Destroyed,
    /// Not there.
    Absent,
}

/// The transaction stack of one execution.
#[derive(Clone, Debug, Default)]
pub struct TxStack {
    /// Open savepoints, outermost first.
    pub savepoints: Vec<Savepoint>,
    /// The transaction controller (`None` outside a transaction or while deferred).
    pub controller: Option<ControllerId>,
}

impl TxStack {
    /// Whether a transaction is open.
    #[inline]
    pub fn active(&self) -> bool {
        !self.savepoints.is_empty()
    }

    /// The innermost savepoint.
    pub fn top(&self) -> Option<&Savepoint> {
        self.savepoints.last()
    }

    /// The innermost savepoint, mutably.
    pub fn top_mut(&mut self) -> Option<&mut Savepoint> {
        self.savepoints.last_mut()
    }

    /// Opens a savepoint.
    pub fn push(&mut self, id: TxId) {
        let before = self.controller.clone();
        self.savepoints.push(Savepoint::new(id, before));
    }

    /// Looks an object up through the savepoints, then the store.
    pub fn lookup(&self, store: &Store, id: ObjectId) -> Lookup {
        let mut machine: Option<&MachineId> = None;
        let mut controller: Option<&ControllerId> = None;
        let mut base: Option<(Origin, &Rc<str>, &ObjectMeta)> = None;
        for sp in self.savepoints.iter().rev() {
            if let Some(ov) = sp.objects.get(&id) {
                if ov.destroyed && ov.created.is_none() {
                    return Lookup::Destroyed;
                }
                machine = machine.or(ov.machine.as_ref());
                controller = controller.or(ov.controller.as_ref());
                if let Some(c) = &ov.created {
                    base = Some((Origin::Pending, &c.behaviour, &c.meta));
                    break;
                }
            }
        }
        let (origin, behaviour, meta) = match base {
            Some(b) => b,
            None => match store.object(id) {
                Some(obj) => (Origin::Committed, &obj.behaviour, &obj.meta),
                None => return Lookup::Absent,
            },
        };
        let mut meta = meta.clone();
        let base_controller = meta.current_controller.clone();
        if let Some(m) = machine {
            meta.machine = m.clone();
        }
        if let Some(c) = controller {
            meta.current_controller = Some(c.clone());
        }
        Lookup::Live(ObjectView {
            origin,
            behaviour: behaviour.clone(),
            meta,
            base_controller,
        })
    }

    /// The state of an id as the transaction sees it (`None` = never written).
    pub fn state<'a>(&'a self, store: &'a Store, id: ObjectId) -> Option<&'a [Val]> {
        for sp in self.savepoints.iter().rev() {
            if let Some(ov) = sp.objects.get(&id) {
                if let Some(s) = &ov.state {
                    return Some(s);
                }
                if ov.created.is_some() {
                    return Some(&[]);
                }
            }
        }
        store.state(id)
    }

    /// Records the store version of `id` in the innermost read set (first use wins).
    pub fn note_read(&mut self, store: &Store, id: ObjectId) {
        if let Some(sp) = self.savepoints.last_mut() {
            sp.read_versions
                .entry(id)
                .or_insert_with(|| store.version(id));
        }
    }

    /// Adds to the spec's observed list and to the read set.
    pub fn observe(&mut self, store: &Store, id: ObjectId) {
        self.note_read(store, id);
        if let Some(sp) = self.savepoints.last_mut() {
            sp.add_observed(id);
        }
    }

    /// The object a name was published for by an open transaction, if any.
    pub fn pending_name(&self, name: &str) -> Option<ObjectId> {
        self.savepoints.iter().rev().find_map(|sp| {
            sp.names
                .iter()
                .rev()
                .find(|(n, _)| n.as_ref() == name)
                .map(|(_, id)| *id)
        })
    }

    /// The pending implementation of a pure function, if an open transaction updated it.
    pub fn pending_pure(&self, name: &str) -> Option<&Rc<str>> {
        self.savepoints.iter().rev().find_map(|sp| {
            sp.pure_updates
                .iter()
                .rev()
                .find(|(n, _)| n.as_ref() == name)
                .map(|(_, f)| f)
        })
    }

    /// Drops the innermost savepoint, restoring the controller it began with.
    pub fn abort_top(&mut self) -> Option<Savepoint> {
        let sp = self.savepoints.pop()?;
        self.controller = sp.controller_before.clone();
        Some(sp)
    }

    /// Commits the innermost savepoint: validates its read set, then merges it into its parent or,
    /// if it is the outermost, applies the whole overlay to the world. On a conflict the savepoint
    /// is dropped (as by abort) and `ErrTxConflict` is returned.
    pub fn commit_top(&mut self, world: &mut World) -> Result<TxId, AvmError> {
        let Some(sp) = self.savepoints.pop() else {
            return Err(TxError::ErrNoActiveTx.into());
        };
        let id = sp.id;
        let valid = sp
            .read_versions
            .iter()
            .all(|(oid, v)| world.store.version(*oid) == *v);
        if !valid {
            self.controller = sp.controller_before.clone();
            return Err(TxError::ErrTxConflict(id).into());
        }
        match self.savepoints.last_mut() {
            Some(parent) => parent.absorb(sp),
            None => {
                apply(sp, world)?;
                self.controller = None;
            }
        }
        Ok(id)
    }
}

/// Applies an outermost savepoint to the world in the spec's order, then hands the change to
/// the world's durable store (if any) as one commit.
fn apply(mut sp: Savepoint, world: &mut World) -> Result<(), AvmError> {
    let durable = world.is_durable();
    let changed: Vec<ObjectId> = if durable {
        sp.objects.keys().copied().collect()
    } else {
        Vec::new()
    };
    let pure_changed = if sp.pure_updates.is_empty() {
        Changed::Store
    } else {
        Changed::Pure
    };
    let names: Vec<Rc<str>> = sp.names.iter().map(|(n, _)| n.clone()).collect();
    for (name, id) in std::mem::take(&mut sp.names) {
        world.names.insert(name, id);
    }
    let store = &mut world.store;
    for id in &sp.create_order {
        if let Some(c) = sp.objects.get_mut(id).and_then(|ov| ov.created.take()) {
            store.insert_object(*id, c.behaviour, c.meta);
        }
    }
    for (id, c) in sp.transfer_order {
        store.set_controller(id, c);
    }
    for (id, m) in sp.move_order {
        store.set_machine(id, m);
    }
    for id in sp.destroy_order {
        store.remove_object(id);
    }
    for (id, ov) in sp.objects {
        if let Some(s) = ov.state {
            store.set_state(id, s);
        }
    }
    for (name, f) in sp.pure_updates {
        world.pure.update(&name, f)?;
    }
    if durable {
        world.commit_changes(&changed, pure_changed, &names)?;
    }
    Ok(())
}

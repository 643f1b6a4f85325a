//! The committed store: objects, metadata, per-object state and per-object versions.
//!
//! Takes committed changes (from instructions outside a transaction, or from a transaction's
//! commit) and keeps the spec's `Store` (`semantics.md` §1): behaviour and metadata of each live
//! object, and each id's state (which, as in the spec, outlives the object and may belong to a
//! non-object such as the top-level pseudo-object). Everything about one id lives in one `Slot`,
//! so a lookup is one hash probe. Each slot carries a version bumped on every committed change;
//! transactions record versions at first observation and commit validates them (`TxConflict`).
//! Slots are never removed, so versions only grow and an absent slot has version 0.

use crate::error::ExecError;
use crate::ids::{ControllerId, MachineId, ObjectId};
use crate::meta::ObjectMeta;
use crate::value::Val;
use rustc_hash::FxHashMap;
use std::rc::Rc;

/// A live object: its behaviour name and metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredObject {
    /// The behaviour's name, resolved against the program at creation.
    pub behaviour: Rc<str>,
    /// The object's metadata.
    pub meta: ObjectMeta,
}

/// Everything the store knows about one id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Slot {
    /// The live object, `None` if never created or destroyed.
    pub object: Option<StoredObject>,
    /// The id's state (`None` = never written; reads as `[]`).
    pub state: Option<Vec<Val>>,
    /// Bumped on every committed change to this slot.
    pub version: u64,
}

/// The committed store. `PartialEq` compares contents and versions (for differential tests).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Store {
    slots: FxHashMap<ObjectId, Slot>,
}

/// One existing field of an id's state, borrowed from the store for a read-modify-write
/// ([`Store::field_mut`]).
#[derive(Debug)]
pub struct FieldMut<'s> {
    field: &'s mut Val,
    version: &'s mut u64,
}

impl FieldMut<'_> {
    /// The field's current value.
    #[inline(always)]
    pub fn get(&self) -> &Val {
        self.field
    }

    /// Writes the field and bumps its slot's version (one committed change). An integer
    /// overwriting an integer is stored in place, without the generic drop of the old value.
    #[inline(always)]
    pub fn set(self, value: Val) {
        if let (Val::Int(old), Val::Int(new)) = (&mut *self.field, &value) {
            *old = *new;
            // An integer owns nothing: skip the (out-of-line) generic drop.
            std::mem::forget(value);
        } else {
            *self.field = value;
        }
        *self.version += 1;
    }
}

/// The error for a missing state field (kept out of line: the hot paths never build it).
#[cold]
#[inline(never)]
fn no_such_field(object: ObjectId, index: usize, len: usize) -> ExecError {
    ExecError::NoSuchStateField { object, index, len }
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// The slot of an id, if it was ever touched.
    pub fn slot(&self, id: ObjectId) -> Option<&Slot> {
        self.slots.get(&id)
    }

    /// The live object with this id.
    pub fn object(&self, id: ObjectId) -> Option<&StoredObject> {
        self.slots.get(&id).and_then(|s| s.object.as_ref())
    }

    /// The committed state of an id (`None` if never written).
    pub fn state(&self, id: ObjectId) -> Option<&[Val]> {
        self.slots.get(&id).and_then(|s| s.state.as_deref())
    }

    /// The version of an id's slot (0 if the slot does not exist).
    pub fn version(&self, id: ObjectId) -> u64 {
        self.slots.get(&id).map_or(0, |s| s.version)
    }

    /// The number of live objects.
    pub fn object_count(&self) -> usize {
        self.slots.values().filter(|s| s.object.is_some()).count()
    }

    /// Every id the store has a slot for (live, destroyed, or state only), in ascending order.
    pub fn slot_ids(&self) -> Vec<ObjectId> {
        let mut ids: Vec<ObjectId> = self.slots.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// Ids of all live objects, in ascending order.
    pub fn object_ids(&self) -> Vec<ObjectId> {
        let mut ids: Vec<ObjectId> = self
            .slots
            .iter()
            .filter(|(_, s)| s.object.is_some())
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Puts a slot loaded from a durable store in memory as it was committed (its version
    /// included). Replaces whatever was there.
    pub fn install(&mut self, id: ObjectId, slot: Slot) {
        self.slots.insert(id, slot);
    }

    fn slot_mut(&mut self, id: ObjectId) -> &mut Slot {
        let slot = self.slots.entry(id).or_default();
        slot.version += 1;
        slot
    }

    /// Installs an object with state `[]` (the spec's create / `applyCreates`).
    pub fn insert_object(&mut self, id: ObjectId, behaviour: Rc<str>, meta: ObjectMeta) {
        let slot = self.slot_mut(id);
        slot.object = Some(StoredObject { behaviour, meta });
        slot.state = Some(Vec::new());
    }

    /// Removes an object's behaviour and metadata; its state is kept (spec `applyDestroys`).
    pub fn remove_object(&mut self, id: ObjectId) {
        if self.object(id).is_some() {
            self.slot_mut(id).object = None;
        }
    }

    /// Replaces an id's whole state.
    pub fn set_state(&mut self, id: ObjectId, state: Vec<Val>) {
        self.slot_mut(id).state = Some(state);
    }

    /// Writes one field of an id's state.
    /// One hash probe; the version is bumped only when the field exists.
    pub fn set_field(&mut self, id: ObjectId, index: usize, value: Val) -> Result<(), ExecError> {
        self.field_mut(id, index)?.set(value);
        Ok(())
    }

    /// Replaces field `index` of an id's state by `f(old)` with one hash probe (a
    /// `state[index]` read followed by [`Store::set_field`] of the same field). When the field
    /// does not exist the error is the one `set_field` gives and `f` is not called; when `f`
    /// fails, the store (value and version) is unchanged.
    pub fn update_field<E: From<ExecError>>(
        &mut self,
        id: ObjectId,
        index: usize,
        f: impl FnOnce(&Val) -> Result<Val, E>,
    ) -> Result<(), E> {
        let field = self.field_mut(id, index)?;
        let new = f(field.get())?;
        field.set(new);
        Ok(())
    }

    /// Field `index` of an id's state, for a read-modify-write with one hash probe: read it
    /// with [`FieldMut::get`], write it (and bump the slot's version) with [`FieldMut::set`].
    /// Dropping the handle unwritten changes nothing. The error is the one `set_field` gives
    /// for a missing field.
    #[inline]
    pub fn field_mut(&mut self, id: ObjectId, index: usize) -> Result<FieldMut<'_>, ExecError> {
        match self.slots.get_mut(&id) {
            Some(Slot {
                state: Some(state),
                version,
                ..
            }) => {
                let len = state.len();
                match state.get_mut(index) {
                    Some(field) => Ok(FieldMut { field, version }),
                    None => Err(no_such_field(id, index, len)),
                }
            }
            _ => Err(no_such_field(id, index, 0)),
        }
    }

    /// Moves a live object to a machine (no-op if it does not exist).
    pub fn set_machine(&mut self, id: ObjectId, machine: MachineId) {
        if self.object(id).is_some()
            && let Some(obj) = self.slot_mut(id).object.as_mut()
        {
            obj.meta.machine = machine;
        }
    }

    /// Sets a live object's current controller (no-op if it does not exist, as `applyTransfers`).
    pub fn set_controller(&mut self, id: ObjectId, controller: ControllerId) {
        if self.object(id).is_some()
            && let Some(obj) = self.slot_mut(id).object.as_mut()
        {
            obj.meta.current_controller = Some(controller);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: u64) -> ObjectMeta {
        ObjectMeta::new(ObjectId(id), MachineId::new("m0"), None)
    }

    #[test]
    fn versions_bump_on_every_change() {
        let mut s = Store::new();
        let o = ObjectId(1);
        assert_eq!(s.version(o), 0);
        s.insert_object(o, Rc::from("echo"), meta(1));
        assert_eq!(s.version(o), 1);
        assert_eq!(s.state(o), Some(&[][..]));
        s.set_state(o, vec![Val::Int(1)]);
        assert_eq!(s.version(o), 2);
        s.set_field(o, 0, Val::Int(2)).expect("field 0 exists");
        assert_eq!(s.state(o), Some(&[Val::Int(2)][..]));
        // A failing update leaves value and version alone; a successful one bumps once.
        let failed: Result<(), ExecError> =
            s.update_field(o, 0, |_| Err(ExecError::IntegerOverflow { op: "+" }));
        assert!(failed.is_err());
        assert_eq!(s.version(o), 3);
        s.update_field::<ExecError>(o, 0, |v| v.checked_add(&Val::Int(1)))
            .expect("field 0 exists");
        assert_eq!(s.state(o), Some(&[Val::Int(3)][..]));
        assert_eq!(s.version(o), 4);
        assert!(
            s.update_field::<ExecError>(o, 3, |v| Ok(v.clone()))
                .is_err()
        );
        assert_eq!(s.version(o), 4);
        s.set_field(o, 0, Val::Int(2)).expect("field 0 exists");
        assert!(s.set_field(o, 3, Val::Int(0)).is_err());
        s.set_machine(o, MachineId::new("m1"));
        s.set_controller(o, ControllerId::new("c"));
        assert_eq!(s.version(o), 7);
        s.remove_object(o);
        assert_eq!(s.version(o), 8);
        assert!(s.object(o).is_none());
        // State outlives the object, as in the spec.
        assert_eq!(s.state(o), Some(&[Val::Int(2)][..]));
        // Changes to absent objects are no-ops.
        s.set_controller(ObjectId(9), ControllerId::new("c"));
        assert_eq!(s.version(ObjectId(9)), 0);
        assert_eq!(s.object_ids(), Vec::<ObjectId>::new());
    }
}

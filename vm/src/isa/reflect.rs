//! Reflect family (`isa.md` §4, all Unsafe): `reflect`, and the candidates for `scryMeta` /
//! `scryDeep`.
//!
//! Takes the world (the committed store: pending creates are invisible, as in the spec) and
//! produces metadata. The predicates of `scryMeta`/`scryDeep` are program code, so the
//! interpreter filters the candidates this module lists; "all objects" is every live object of
//! the committed store in ascending id order (the spec leaves `allObjectIds` to the platform).

use crate::error::AvmError;
use crate::ids::ObjectId;
use crate::isa::{Safety, require_unsafe};
use crate::meta::ObjectMeta;
use crate::value::Val;
use crate::world::World;
use std::rc::Rc;

/// `reflect oid`: `just meta` from the committed store, `nothing` if absent.
pub fn reflect(world: &mut World, safety: Safety, id: ObjectId) -> Result<Val, AvmError> {
    require_unsafe(safety, "reflect")?;
    world.touch(id)?;
    Ok(Val::from_option(
        world.store.object(id).map(|o| o.meta.to_val()),
    ))
}

/// One scry candidate: id, behaviour name, metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct ScryCandidate {
    /// The object's id.
    pub id: ObjectId,
    /// Its behaviour name.
    pub behaviour: Rc<str>,
    /// Its metadata.
    pub meta: ObjectMeta,
}

/// The objects `scryMeta` / `scryDeep` range over (`instruction` names which one, for the error).
pub fn scry_candidates(
    world: &mut World,
    safety: Safety,
    instruction: &'static str,
) -> Result<Vec<ScryCandidate>, AvmError> {
    require_unsafe(safety, instruction)?;
    world.touch_all()?;
    Ok(world
        .store
        .object_ids()
        .into_iter()
        .filter_map(|id| {
            world.store.object(id).map(|o| ScryCandidate {
                id,
                behaviour: o.behaviour.clone(),
                meta: o.meta.clone(),
            })
        })
        .collect())
}

/// The `scryMeta` result element `(id, meta)`.
pub fn scry_meta_item(c: &ScryCandidate) -> Val {
    Val::tuple(vec![Val::Object(c.id), c.meta.to_val()])
}

/// The `scryDeep` result element `(id, behaviour, meta)`.
pub fn scry_deep_item(c: &ScryCandidate) -> Val {
    Val::tuple(vec![
        Val::Object(c.id),
        Val::Str(c.behaviour.clone()),
        c.meta.to_val(),
    ])
}

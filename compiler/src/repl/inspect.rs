//! `:objects` and `:state OBJ`: read-only views of the session's world.
//!
//! Takes the world (and, for field names, the session's object definitions); produces text:
//! one line per live object (id, behaviour, machine, controller), or an object's state fields
//! as `name = value` lines. Values print as `avmc run` prints them (`value_text`).

use avm_vm::ids::ObjectId;
use avm_vm::value::Val;
use avm_vm::world::World;

use crate::syntax::ast::{ItemKind, ObjectMember};
use crate::syntax::span::FileId;
use crate::value_text;

use super::Session;
use super::error::ReplError;

/// One line per live object, ascending id.
pub fn objects(world: &World) -> String {
    let ids = world.store.object_ids();
    if ids.is_empty() {
        return "no objects".to_string();
    }
    let mut s = String::new();
    for id in ids {
        if let Some(o) = world.store.object(id) {
            let controller = o
                .meta
                .current_controller
                .as_ref()
                .map_or_else(|| "none".to_string(), |c| c.to_string());
            s.push_str(&format!(
                "#{:<4} {:<16} machine {:<8} controller {controller}\n",
                id.0, o.behaviour, o.meta.machine
            ));
        }
    }
    s
}

/// Which object `arg` names: `3`, `#3`, `Counter#3`, or a binding holding a reference.
fn object_id(session: &Session, arg: &str) -> Option<ObjectId> {
    let digits = arg.rsplit('#').next().unwrap_or(arg);
    if let Ok(n) = digits.parse::<u64>() {
        return Some(ObjectId(n));
    }
    session
        .bindings
        .iter()
        .find_map(|b| match (&b.value, b.decl.name == arg) {
            (Val::Object(id), true) => Some(*id),
            _ => None,
        })
}

/// The state field names of the behaviour, from the session's object definitions.
fn field_names(session: &Session, behaviour: &str) -> Vec<String> {
    let Some(def) = session
        .defs
        .iter()
        .find(|d| d.kind == "object" && d.name == behaviour)
    else {
        return Vec::new();
    };
    let parsed = crate::syntax::parse(FileId(0), &def.text);
    let Some(module) = parsed.module else {
        return Vec::new();
    };
    module
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Object(o) => Some(o),
            _ => None,
        })
        .flat_map(|o| o.members.iter())
        .filter_map(|m| match m {
            ObjectMember::State(f) => Some(f.name.name.clone()),
            _ => None,
        })
        .collect()
}

/// `:state OBJ`: the object's behaviour and id, then one `name = value` line per field.
pub fn state(session: &Session, arg: &str) -> Result<String, ReplError> {
    let bad = || ReplError::BadArgument {
        command: ":state",
        found: arg.to_string(),
        expected: "an object that exists (see `:objects`)",
    };
    let id = object_id(session, arg).ok_or_else(bad)?;
    let world = &session.world;
    let object = world.store.object(id).ok_or_else(bad)?;
    let names = field_names(session, &object.behaviour);
    let mut s = format!("{}#{}\n", object.behaviour, id.0);
    let fields = world.store.state(id).unwrap_or(&[]);
    if fields.is_empty() {
        s.push_str("  (no state)\n");
    }
    for (i, v) in fields.iter().enumerate() {
        let name = names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("field {i}"));
        s.push_str(&format!("  {name} = {}\n", value_text::value(v)));
    }
    Ok(s)
}

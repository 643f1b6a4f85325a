//! Object interfaces as text: what `lookup` compares and what a durable world keeps per
//! behaviour.
//!
//! Takes a typed program; produces, per object type, its interface (every method but `init`
//! with its parameter and result types, sorted by name, `; `-separated, e.g.
//! `balance() -> Int; deposit(Int) -> Int`) and its state field names in state order; and
//! installs the interfaces in a VM world.

use std::collections::BTreeMap;

use crate::resolve::defs::ObjectDefId;
use crate::typeck::TypedProgram;

/// The interface text of object type `object`.
pub fn object_interface(t: &TypedProgram, object: ObjectDefId) -> String {
    let defs = &t.resolution.defs;
    let Some(sig) = t.signatures.objects.get(object.0 as usize) else {
        return String::new();
    };
    let mut methods: Vec<String> = sig
        .methods
        .iter()
        .map(|m| {
            let params: Vec<String> = m
                .params
                .iter()
                .map(|p| p.display(defs, &m.generics))
                .collect();
            format!(
                "{}({}) -> {}",
                m.name,
                params.join(", "),
                m.ret.display(defs, &m.generics)
            )
        })
        .collect();
    methods.sort();
    methods.join("; ")
}

/// Object name → (interface, state field names), as [`object_interfaces`] gives them.
pub type Interfaces = BTreeMap<String, (String, Vec<String>)>;

/// Tells a world each object type's interface (what `lookup` checks).
pub fn install_interfaces(world: &mut avm_vm::world::World, interfaces: &Interfaces) {
    for (name, (interface, _)) in interfaces {
        world
            .interfaces
            .insert(name.as_str().into(), interface.as_str().into());
    }
}

/// Every object type's (interface, state field names), by object name.
pub fn object_interfaces(t: &TypedProgram) -> Interfaces {
    let defs = &t.resolution.defs;
    defs.objects
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let id = ObjectDefId(u32::try_from(i).unwrap_or(u32::MAX));
            let fields = t
                .signatures
                .objects
                .get(i)
                .map(|s| s.fields.iter().map(|f| f.name.clone()).collect())
                .unwrap_or_default();
            (o.name.clone(), (object_interface(t, id), fields))
        })
        .collect()
}

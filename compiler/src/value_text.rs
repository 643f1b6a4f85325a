//! Values as source text, the way `avmc run` prints them.
//!
//! Takes a VM value and the world (to name object kinds); produces its source syntax, with an
//! object reference written as its behaviour and id (`Counter#3`).

use std::fmt::Write;

use avm_vm::value::Val;
use avm_vm::world::World;

/// A value in source syntax; an object reference prints as its behaviour and id, `Counter#3`.
pub fn value(v: &Val, world: &World) -> String {
    let mut out = String::new();
    write_value(&mut out, v, world);
    out
}

fn write_seq(out: &mut String, items: &[Val], world: &World) {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_value(out, x, world);
    }
}

fn write_value(out: &mut String, v: &Val, world: &World) {
    match v {
        Val::Object(id) => match world.store.object(*id) {
            Some(o) => {
                let _ = write!(out, "{}#{}", o.behaviour, id.0);
            }
            None => {
                let _ = write!(out, "{v}");
            }
        },
        Val::List(items) => {
            out.push('[');
            write_seq(out, items, world);
            out.push(']');
        }
        Val::Tuple(items) => {
            out.push('(');
            write_seq(out, items, world);
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Val::Just(x) => {
            out.push_str("some(");
            write_value(out, x, world);
            out.push(')');
        }
        Val::Record(r) => {
            out.push_str(&r.type_name);
            if r.fields.is_empty() {
                out.push_str(" {}");
                return;
            }
            out.push_str(" { ");
            for (i, (n, x)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{n}: ");
                write_value(out, x, world);
            }
            out.push_str(" }");
        }
        Val::Variant(x) => {
            let _ = write!(out, "{}::{}", x.enum_name(), x.variant());
            if !x.payload().is_empty() {
                out.push('(');
                write_seq(out, x.payload(), world);
                out.push(')');
            }
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

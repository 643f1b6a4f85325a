//! Values as source text, the way `avmc run` prints them.
//!
//! Takes a VM value; produces its source syntax, with an object reference written `#3`, the
//! form `to_string` gives inside a program (one printed form for references everywhere).

use std::fmt::Write;

use avm_vm::value::Val;

/// A value in source syntax; an object reference prints as `#3`, like `to_string`.
pub fn value(v: &Val) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_seq(out: &mut String, items: &[Val]) {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_value(out, x);
    }
}

fn write_value(out: &mut String, v: &Val) {
    match v {
        Val::List(items) => {
            out.push('[');
            write_seq(out, &items.to_vec());
            out.push(']');
        }
        Val::Tuple(items) => {
            out.push('(');
            write_seq(out, items);
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Val::Just(x) => {
            out.push_str("some(");
            write_value(out, x);
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
                write_value(out, x);
            }
            out.push_str(" }");
        }
        Val::Variant(x) => {
            let _ = write!(out, "{}::{}", x.enum_name(), x.variant());
            if !x.payload().is_empty() {
                out.push('(');
                write_seq(out, x.payload());
                out.push(')');
            }
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

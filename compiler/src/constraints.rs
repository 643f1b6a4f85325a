//! The constraint IR as text: what `avmc run --emit-constraints json|smt2` prints.
//!
//! Takes the problems a run recorded (`avm_vm::solver::ir::Problem`, one per transaction that
//! had choices or requirements) and the world (to print values); produces a JSON document or
//! an SMT-LIB 2 script (`docs/constraints.md` describes both). No IO.

use avm_vm::solver::ir::{Form, Problem, Step};
use avm_vm::solver::smtlib;
use avm_vm::value::Val;
use avm_vm::world::World;
use serde_json::{Value, json};

use crate::value_text;

/// A value in JSON: integers and booleans as themselves, anything else as its source text.
fn value(v: &Val, _world: &World) -> Value {
    match v {
        Val::Int(i) => json!(i),
        Val::Bool(b) => json!(b),
        other => json!({ "value": value_text::value(other) }),
    }
}

fn form(f: &Form, world: &World) -> Value {
    match f {
        Form::Choice { index, path } => {
            let path: Vec<Value> = path
                .iter()
                .map(|s| match s {
                    Step::Field(name) => json!(name.as_ref()),
                    Step::Index(i) => json!(i),
                })
                .collect();
            json!({ "choice": index, "path": path })
        }
        Form::Const(v) => json!({ "const": value(v, world) }),
        Form::Unary(op, a) => json!({ "op": op.symbol(), "args": [form(a, world)] }),
        Form::Binary(op, a, b) => {
            json!({ "op": op.symbol(), "args": [form(a, world), form(b, world)] })
        }
    }
}

/// The problems as one JSON document (pretty-printed).
pub fn to_json(problems: &[Problem], world: &World) -> String {
    let transactions: Vec<Value> = problems
        .iter()
        .map(|p| {
            let choices: Vec<Value> = p
                .choices
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let options: Vec<Value> = c.options.iter().map(|o| value(o, world)).collect();
                    json!({ "index": j, "options": options })
                })
                .collect();
            let requirements: Vec<Value> = p
                .requirements
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let mut entry = json!({
                        "index": k,
                        "at": r.place.as_ref().map(|pl| pl.at.to_string()),
                        "text": r.place.as_ref().map(|pl| pl.text.to_string()),
                        "held_in_first_run": r.holds,
                    });
                    match &r.form {
                        Ok(f) => entry["form"] = form(f, world),
                        Err(why) => entry["untranslatable"] = json!(why.to_string()),
                    }
                    entry
                })
                .collect();
            let vars: Vec<Value> =
                p.fd.vars
                    .iter()
                    .map(|(id, dom)| json!({ "id": id, "domain": dom }))
                    .collect();
            let constraints: Vec<Value> =
                p.fd.constraints
                    .iter()
                    .map(|c| json!(c.to_string()))
                    .collect();
            json!({
                "tx": p.tx.to_string(),
                "choices": choices,
                "requirements": requirements,
                "fd": { "vars": vars, "constraints": constraints },
            })
        })
        .collect();
    let doc = json!({ "version": 1, "transactions": transactions });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The problems as one SMT-LIB 2 script: per transaction `(reset)`, the choices and the
/// translatable requirements (`rK`), the FD store, `(check-sat)`.
pub fn to_smt2(problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push_str("(reset)\n");
        }
        out.push_str(&format!("; transaction {}\n", p.tx));
        let (query, _) = smtlib::encode_translatable(p);
        out.push_str(&query.script);
        out.push_str(&smtlib::fd_script(p));
        out.push_str("(check-sat)\n");
    }
    out
}

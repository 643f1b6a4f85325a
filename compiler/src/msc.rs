//! Message sequence charts: takes a run's trace (and the world, to print values) and produces
//! the text of a Mermaid sequence diagram — a lane per object, transactions as boxes, aborted
//! transactions marked. Used by `avmc run --msc FILE` and the REPL's `:msc FILE`; IO-free.

use avm_vm::trace::{EventType, Trace};
use avm_vm::world::World;

use crate::value_text;

/// A Mermaid sequence diagram of the run's trace: a participant per object, `main`, a note per
/// call (the trace records a call when it returns, with its input and result), `rect` boxes
/// around transactions, aborted transactions marked.
pub fn render(trace: &Trace, world: &World) -> String {
    let mut s = String::from("sequenceDiagram\n    participant main\n");
    let mut body = String::new();
    let mut open = 0usize;
    for e in trace.entries() {
        let indent = "    ".repeat(open + 1);
        match &e.event {
            EventType::ObjectCreated(id, b) => {
                s.push_str(&format!("    participant o{} as {b}#{}\n", id.0, id.0));
                body.push_str(&format!("{indent}main->>o{}: create\n", id.0));
            }
            EventType::ObjectCalled(id, input, output) => {
                let input = value_text::value(input, world).replace(['"', ';', '#'], "'");
                body.push_str(&format!("{indent}main->>o{}: {input}\n", id.0));
                let reply = match output {
                    Some(v) => value_text::value(v, world).replace(['"', ';', '#'], "'"),
                    None => "rejected".to_string(),
                };
                body.push_str(&format!("{indent}o{}-->>main: {reply}\n", id.0));
            }
            EventType::TransactionStarted(t) => {
                body.push_str(&format!(
                    "{indent}rect rgb(230, 240, 255)\n{indent}note over main: tx {}\n",
                    t.0
                ));
                open += 1;
            }
            EventType::TransactionCommitted(_) => {
                open = open.saturating_sub(1);
                body.push_str(&format!("{}end\n", "    ".repeat(open + 1)));
            }
            EventType::TransactionAborted(t) => {
                body.push_str(&format!("{indent}note over main: tx {} aborted\n", t.0));
                open = open.saturating_sub(1);
                body.push_str(&format!("{}end\n", "    ".repeat(open + 1)));
            }
            EventType::ErrorOccurred(err) => {
                let text = err.to_string().replace(['"', ';', '#'], "'");
                body.push_str(&format!("{indent}note over main: error: {text}\n"));
            }
            _ => {}
        }
    }
    while open > 0 {
        open -= 1;
        body.push_str(&format!("{}end\n", "    ".repeat(open + 1)));
    }
    s.push_str(&body);
    s
}

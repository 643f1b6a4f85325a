//! Message sequence charts: [`html`] draws them as a self-contained HTML page; this module
//! takes a run's trace and produces
//! the text of a Mermaid sequence diagram — a lane per object plus `main`, every call drawn from
//! its caller's lane to the callee's with the callee's own activity in between, transactions as
//! boxes, aborted transactions marked. Used by `avmc run --msc FILE` and the REPL's `:msc FILE`;
//! IO-free.
//!
//! The trace logs `ObjectCalled` when a call returns, after the callee's events, at the caller's
//! depth, with the caller as the entry's actor (`LogEntry::actor` / `depth`). The renderer
//! finds each call's start from that: the entries deeper than an `ObjectCalled` that directly
//! precede it are the body of that call, so its request arrow goes before them.

pub mod html;

use avm_vm::ids::ObjectId;
use avm_vm::trace::{EventType, LogEntry, Trace};
use rustc_hash::FxHashSet;

use crate::value_text;

/// For every entry index, the `ObjectCalled` entries (by index) whose call starts there,
/// outermost first: the first entry of a call's body, or the `ObjectCalled` entry itself for a
/// call that logged nothing. Iterative, so a million nested calls cannot overflow the stack.
fn call_starts(entries: &[LogEntry]) -> Vec<Vec<usize>> {
    let mut starts: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    // Finished items at the current position: (depth, index of their first entry).
    let mut items: Vec<(u32, usize)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let mut first = i;
        if matches!(e.event, EventType::ObjectCalled(..)) {
            while let Some(&(d, start)) = items.last() {
                if d <= e.depth {
                    break;
                }
                first = start;
                items.pop();
            }
            starts[first].push(i);
        }
        items.push((e.depth, first));
    }
    for calls in &mut starts {
        calls.reverse();
    }
    starts
}

/// A value as chart text (quotes, `;` and `#` would end a Mermaid message).
fn text(v: &avm_vm::value::Val) -> String {
    value_text::value(v).replace(['"', ';', '#'], "'")
}

struct Chart {
    /// The objects created in the trace: they have lanes; any other actor is `main`.
    lanes: FxHashSet<ObjectId>,
    header: String,
    body: String,
    /// Open transaction boxes.
    open: usize,
}

impl Chart {
    fn lane(&self, id: ObjectId) -> String {
        if self.lanes.contains(&id) {
            format!("o{}", id.0)
        } else {
            "main".to_string()
        }
    }

    fn line(&mut self, text: &str) {
        self.body.push_str(&"    ".repeat(self.open + 1));
        self.body.push_str(text);
        self.body.push('\n');
    }

    fn close_box(&mut self) {
        self.open = self.open.saturating_sub(1);
        self.line("end");
    }

    /// The request arrow of the call logged by `e`.
    fn request(&mut self, e: &LogEntry) {
        if let EventType::ObjectCalled(id, input, _) = &e.event {
            let (from, to) = (self.lane(e.actor), self.lane(*id));
            let input = text(input);
            self.line(&format!("{from}->>{to}: {input}"));
        }
    }

    /// The reply arrow of the call logged by `e`.
    fn reply(&mut self, e: &LogEntry) {
        if let EventType::ObjectCalled(id, _, output) = &e.event {
            let (from, to) = (self.lane(e.actor), self.lane(*id));
            let reply = match output {
                Some(v) => text(v),
                None => "rejected".to_string(),
            };
            self.line(&format!("{to}-->>{from}: {reply}"));
        }
    }

    fn event(&mut self, e: &LogEntry) {
        let actor = self.lane(e.actor);
        match &e.event {
            EventType::ObjectCreated(id, b) => {
                self.header
                    .push_str(&format!("    participant o{} as {b}#{}\n", id.0, id.0));
                self.line(&format!("{actor}->>o{}: create", id.0));
            }
            EventType::TransactionStarted(t) => {
                self.line("rect rgb(230, 240, 255)");
                self.open += 1;
                self.line(&format!("note over {actor}: tx {}", t.0));
            }
            EventType::TransactionCommitted(_) => self.close_box(),
            EventType::TransactionAborted(t) => {
                self.line(&format!("note over {actor}: tx {} aborted", t.0));
                self.close_box();
            }
            EventType::ErrorOccurred(err) => {
                let text = err.to_string().replace(['"', ';', '#'], "'");
                self.line(&format!("note over main: error: {text}"));
            }
            _ => {}
        }
    }
}

/// A Mermaid sequence diagram of the run's trace: a participant per object created and `main`
/// (the top level), each call an arrow from the caller's lane to the callee's with the callee's
/// calls in between and the reply (or `rejected`) back, `rect` boxes around transactions,
/// aborted transactions marked.
pub fn render(trace: &Trace) -> String {
    let lanes = trace
        .entries()
        .iter()
        .filter_map(|e| match e.event {
            EventType::ObjectCreated(id, _) => Some(id),
            _ => None,
        })
        .collect();
    let mut chart = Chart {
        lanes,
        header: String::from("sequenceDiagram\n    participant main\n"),
        body: String::new(),
        open: 0,
    };
    let entries = trace.entries();
    for (i, calls) in call_starts(entries).into_iter().enumerate() {
        for c in calls {
            chart.request(&entries[c]);
        }
        match entries[i].event {
            EventType::ObjectCalled(..) => chart.reply(&entries[i]),
            _ => chart.event(&entries[i]),
        }
    }
    while chart.open > 0 {
        chart.close_box();
    }
    chart.header + &chart.body
}

/// The form of a chart file, chosen by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// `.html` / `.htm`: the self-contained viewer page ([`html`]).
    Html,
    /// Anything else (`.mmd`): Mermaid text.
    Mermaid,
}

impl ChartFormat {
    /// `.html` and `.htm` files get the viewer page; every other name Mermaid text.
    pub fn for_file_name(name: &str) -> ChartFormat {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            ChartFormat::Html
        } else {
            ChartFormat::Mermaid
        }
    }
}

/// The chart of a run in `format`; `title` names the program (shown by the HTML page).
pub fn render_as(format: ChartFormat, trace: &Trace, title: &str) -> String {
    match format {
        ChartFormat::Html => html::render(trace, title),
        ChartFormat::Mermaid => render(trace),
    }
}

//! Sequence charts as one self-contained HTML page (`avmc run --msc FILE.html`).
//!
//! Takes a run's trace; produces an HTML page with the chart's data
//! (JSON) and a viewer (inline JavaScript, CSS and SVG; nothing is fetched)
//! that draws a lane per object and for `main`, calls and returns as arrows,
//! transactions as boxes marked committed or aborted, failures, creates,
//! destroys, transfers, moves and prints. Hovering an arrow shows its whole
//! message. Long runs stay usable: repeated rounds are collapsed (click to
//! expand) and only the rows in view are drawn. The rows come in the same
//! order as the Mermaid chart's ([`super::call_starts`]).

use avm_vm::ids::ObjectId;
use avm_vm::trace::{EventType, LogEntry, Trace};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::value_text;

/// The viewer page; `/*AVM_MSC_DATA*/` is replaced by the chart's JSON.
const VIEWER: &str = include_str!("viewer.html");
const DATA_MARK: &str = "/*AVM_MSC_DATA*/null";

/// What one row of the chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A call's request arrow, caller to callee.
    Call,
    /// A call's reply arrow, callee to caller.
    Return,
    /// A call the callee rejected (reply arrow, marked).
    Reject,
    Create,
    Destroy,
    Transfer,
    Move,
    Fetch,
    Freeze,
    /// The program moved to another machine (`teleport`).
    Teleport,
    /// `update pure` / `register pure`.
    Update,
    TxBegin,
    TxCommit,
    TxAbort,
    /// A `print`.
    Output,
    /// A failed FD instruction or the run's error.
    Failure,
    /// Choices resolved after discarded runs.
    Choices,
}

/// One row: an arrow from lane `from` to lane `to` (equal for a note on one lane).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    pub from: usize,
    pub to: usize,
    pub label: String,
}

/// How a transaction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TxStatus {
    Committed,
    Aborted,
    /// Still open when the run ended (it failed).
    Open,
}

/// A transaction box around the rows `first..=last`, nested `level` deep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TxBox {
    pub tx: u64,
    pub first: usize,
    pub last: usize,
    pub level: usize,
    pub status: TxStatus,
}

/// Everything the viewer draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartData {
    pub title: String,
    /// Lane names; lane 0 is `main`.
    pub lanes: Vec<String>,
    pub steps: Vec<Step>,
    pub boxes: Vec<TxBox>,
}

struct Builder {
    lane_of: FxHashMap<ObjectId, usize>,
    data: ChartData,
    /// Open transactions: (tx, first row, level).
    open: Vec<(u64, usize, usize)>,
}

impl Builder {
    fn lane(&self, id: ObjectId) -> usize {
        self.lane_of.get(&id).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: StepKind, from: usize, to: usize, label: String) {
        self.data.steps.push(Step {
            kind,
            from,
            to,
            label,
        });
    }

    fn value(&self, v: &avm_vm::value::Val) -> String {
        value_text::value(v)
    }

    fn close(&mut self, tx: u64, status: TxStatus) {
        let last = self.data.steps.len().saturating_sub(1);
        if let Some(pos) = self.open.iter().rposition(|o| o.0 == tx) {
            let (tx, first, level) = self.open.remove(pos);
            self.data.boxes.push(TxBox {
                tx,
                first,
                last,
                level,
                status,
            });
        }
    }

    fn request(&mut self, e: &LogEntry) {
        if let EventType::ObjectCalled(id, input, _) = &e.event {
            let label = self.value(input);
            self.push(StepKind::Call, self.lane(e.actor), self.lane(*id), label);
        }
    }

    fn event(&mut self, e: &LogEntry) {
        let actor = self.lane(e.actor);
        match &e.event {
            EventType::ObjectCalled(id, _, output) => {
                let callee = self.lane(*id);
                match output {
                    Some(v) => {
                        let label = self.value(v);
                        self.push(StepKind::Return, callee, actor, label);
                    }
                    None => self.push(StepKind::Reject, callee, actor, "rejected".into()),
                }
            }
            EventType::ObjectCreated(id, behaviour) => {
                let lane = self.data.lanes.len();
                self.data.lanes.push(format!("{behaviour}{id}"));
                self.lane_of.insert(*id, lane);
                self.push(StepKind::Create, actor, lane, format!("create {behaviour}"));
            }
            EventType::ObjectDestroyed(id) => {
                self.push(StepKind::Destroy, actor, self.lane(*id), "destroy".into())
            }
            EventType::ObjectTransferred(id, from, to) => {
                let label = format!("transfer {id} from {from} to {to}");
                self.push(StepKind::Transfer, actor, self.lane(*id), label);
            }
            EventType::ObjectMoved(id, from, to) => {
                let label = format!("move {id} from {from} to {to}");
                self.push(StepKind::Move, actor, self.lane(*id), label);
            }
            EventType::ObjectFetched(id, machine) => {
                let label = format!("fetch {id} to {machine}");
                self.push(StepKind::Fetch, actor, self.lane(*id), label);
            }
            EventType::ObjectFrozen(id, controller) => {
                let label = format!("freeze {id} (controller {controller})");
                self.push(StepKind::Freeze, actor, self.lane(*id), label);
            }
            EventType::ExecutionMoved(to, from) => self.push(
                StepKind::Teleport,
                actor,
                actor,
                format!("teleport {from} → {to}"),
            ),
            EventType::FunctionUpdated(name) => self.push(
                StepKind::Update,
                actor,
                actor,
                format!("pure function {name} updated"),
            ),
            EventType::TransactionStarted(t) => {
                let row = self.data.steps.len();
                self.open.push((t.0, row, self.open.len()));
                self.push(StepKind::TxBegin, actor, actor, format!("tx {t} begins"));
            }
            EventType::TransactionCommitted(t) => {
                self.push(
                    StepKind::TxCommit,
                    actor,
                    actor,
                    format!("tx {t} committed"),
                );
                self.close(t.0, TxStatus::Committed);
            }
            EventType::TransactionAborted(t) => {
                self.push(StepKind::TxAbort, actor, actor, format!("tx {t} aborted"));
                self.close(t.0, TxStatus::Aborted);
            }
            EventType::ErrorOccurred(err) => {
                self.push(StepKind::Failure, actor, actor, format!("error: {err}"))
            }
            EventType::FdFailed(err) => self.push(
                StepKind::Failure,
                actor,
                actor,
                format!("FD failure: {err}"),
            ),
            EventType::Output(v) => {
                let label = format!("print {}", self.value(v));
                self.push(StepKind::Output, actor, actor, label);
            }
            EventType::ChoicesResolved(t, discarded) => self.push(
                StepKind::Choices,
                actor,
                actor,
                format!("tx {t}: choices resolved after {discarded} discarded runs"),
            ),
            EventType::MessageReceived(..)
            | EventType::StateUpdated(_)
            | EventType::VarCreated(..)
            | EventType::ConstraintPosted(_)
            | EventType::DomainNarrowed(..)
            | EventType::Labeled(..) => {}
        }
    }
}

/// The chart's data: lanes, rows in call order, transaction boxes.
pub fn chart_data(trace: &Trace, title: &str) -> ChartData {
    let mut b = Builder {
        lane_of: FxHashMap::default(),
        data: ChartData {
            title: title.to_string(),
            lanes: vec!["main".to_string()],
            steps: Vec::new(),
            boxes: Vec::new(),
        },
        open: Vec::new(),
    };
    let entries = trace.entries();
    for (i, calls) in super::call_starts(entries).into_iter().enumerate() {
        for c in calls {
            b.request(&entries[c]);
        }
        b.event(&entries[i]);
    }
    while let Some((tx, ..)) = b.open.last().copied() {
        b.close(tx, TxStatus::Open);
    }
    b.data
}

/// The chart as one self-contained HTML page.
pub fn render(trace: &Trace, title: &str) -> String {
    page(&chart_data(trace, title))
}

/// The viewer page with `data` in it.
pub fn page(data: &ChartData) -> String {
    // `</` inside the JSON would end the script element; `\u003c` reads the same in JSON.
    let json = serde_json::to_string(data)
        .unwrap_or_else(|_| "null".to_string())
        .replace('<', "\\u003c");
    VIEWER.replacen(DATA_MARK, &json, 1)
}

//! Control-flow graphs of Tape functions.
//!
//! Takes a [`Function`]; produces its [`Cfg`]: basic blocks (maximal straight-line op runs,
//! split at jump targets and after control ops) with typed successor edges, and renders it
//! as a Mermaid `flowchart TD` or a Graphviz DOT digraph. Works on unverified functions too:
//! jump targets outside the function simply produce no edge.

use super::op::Op;
use super::program::Function;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The index of a block in [`Cfg::blocks`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// Why control flows along an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Into the next block, after an op that does not transfer control.
    Fallthrough,
    /// An unconditional `jump`.
    Jump,
    /// A conditional branch that is taken (`br` on true, `brnot` on false).
    Taken,
    /// A conditional branch that is not taken (continues with the next op).
    NotTaken,
    /// From a `try` to its handler, taken when the guarded body fails with an FD or
    /// Nondet error.
    Catch,
}

impl EdgeKind {
    fn label(self) -> &'static str {
        match self {
            EdgeKind::Fallthrough => "",
            EdgeKind::Jump => "jump",
            EdgeKind::Taken => "taken",
            EdgeKind::NotTaken => "not taken",
            EdgeKind::Catch => "catch",
        }
    }
}

/// A control-flow edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The successor block.
    pub to: BlockId,
    /// Why control goes there.
    pub kind: EdgeKind,
}

/// A basic block: ops `start .. end` of the function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicBlock {
    /// Index of the first op.
    pub start: u32,
    /// One past the last op.
    pub end: u32,
    /// Where control can go after the block (empty after `ret`, `tail`, `fail`, or when
    /// control falls off the end of the function).
    pub successors: Vec<Edge>,
}

/// The control-flow graph of one function; block 0 is the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cfg {
    /// The blocks, in op order.
    pub blocks: Vec<BasicBlock>,
}

impl Cfg {
    /// Splits `function` into basic blocks and links them.
    pub fn build(function: &Function) -> Cfg {
        let ops = &function.ops;
        let len = ops.len();
        let mut leaders = BTreeSet::new();
        if len > 0 {
            leaders.insert(0usize);
        }
        for (i, op) in ops.iter().enumerate() {
            if let Some(target) = op.target()
                && let Ok(t) = usize::try_from(target.0)
                && t < len
            {
                leaders.insert(t);
            }
            if (op.target().is_some() || !op.falls_through()) && i + 1 < len {
                leaders.insert(i + 1);
            }
        }
        let starts: Vec<usize> = leaders.into_iter().collect();
        let block_at = |op: usize| -> Option<BlockId> {
            let i = starts.binary_search(&op).ok()?;
            u32::try_from(i).ok().map(BlockId)
        };
        let mut blocks = Vec::with_capacity(starts.len());
        for (b, &start) in starts.iter().enumerate() {
            let end = starts.get(b + 1).copied().unwrap_or(len);
            let last = &ops[end - 1];
            let next = block_at(end);
            let target = last
                .target()
                .and_then(|t| usize::try_from(t.0).ok())
                .and_then(block_at);
            let mut successors = Vec::new();
            let mut edge = |to: Option<BlockId>, kind| {
                if let Some(to) = to {
                    successors.push(Edge { to, kind });
                }
            };
            match last {
                Op::Jump { .. } => edge(target, EdgeKind::Jump),
                Op::TryBegin { .. } => {
                    edge(next, EdgeKind::Fallthrough);
                    edge(target, EdgeKind::Catch);
                }
                Op::BranchIf { .. } | Op::BranchIfNot { .. } => {
                    edge(next, EdgeKind::NotTaken);
                    edge(target, EdgeKind::Taken);
                }
                op if op.falls_through() => edge(next, EdgeKind::Fallthrough),
                _ => {}
            }
            blocks.push(BasicBlock {
                start: u32::try_from(start).unwrap_or(u32::MAX),
                end: u32::try_from(end).unwrap_or(u32::MAX),
                successors,
            });
        }
        Cfg { blocks }
    }

    /// The block containing op `op`, if the op exists.
    pub fn block_of(&self, op: u32) -> Option<BlockId> {
        let i = self.blocks.partition_point(|b| b.end <= op);
        let block = self.blocks.get(i)?;
        (block.start <= op).then(|| BlockId(u32::try_from(i).unwrap_or(u32::MAX)))
    }

    /// The ops of `block` as text lines.
    pub fn lines<'f>(
        &self,
        function: &'f Function,
        block: &BasicBlock,
    ) -> impl Iterator<Item = String> + 'f {
        let (start, end) = (block.start as usize, block.end as usize);
        function
            .ops
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
    }

    /// Renders the graph as a Mermaid flowchart (top-down).
    pub fn to_mermaid(&self, function: &Function) -> String {
        let escape = |s: &str| {
            s.replace('&', "#amp;")
                .replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
        };
        let mut out = String::from("flowchart TD\n");
        for (i, block) in self.blocks.iter().enumerate() {
            let mut label = format!("b{i} · ops {}..{}", block.start, block.end);
            for line in self.lines(function, block) {
                label.push_str("<br/>");
                label.push_str(&escape(&line));
            }
            // Writing to a String cannot fail.
            let _ = writeln!(out, "    b{i}[\"{label}\"]");
        }
        for (i, block) in self.blocks.iter().enumerate() {
            for edge in &block.successors {
                let to = edge.to.0;
                let _ = match edge.kind {
                    EdgeKind::Fallthrough => writeln!(out, "    b{i} --> b{to}"),
                    kind => writeln!(out, "    b{i} -->|{}| b{to}", kind.label()),
                };
            }
        }
        out
    }

    /// Renders the graph as a Graphviz DOT digraph named after the function.
    pub fn to_dot(&self, function: &Function) -> String {
        let escape = |s: &str| {
            s.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
        };
        let mut out = format!("digraph \"{}\" {{\n", escape(&function.name));
        out.push_str("    node [shape=box, fontname=\"monospace\"];\n");
        for (i, block) in self.blocks.iter().enumerate() {
            let mut label = format!("b{i}: ops {}..{}\\l", block.start, block.end);
            for line in self.lines(function, block) {
                label.push_str(&escape(&line));
                label.push_str("\\l");
            }
            let _ = writeln!(out, "    b{i} [label=\"{label}\"];");
        }
        for (i, block) in self.blocks.iter().enumerate() {
            for edge in &block.successors {
                let to = edge.to.0;
                let _ = match edge.kind {
                    EdgeKind::Fallthrough => writeln!(out, "    b{i} -> b{to};"),
                    kind => writeln!(out, "    b{i} -> b{to} [label=\"{}\"];", kind.label()),
                };
            }
        }
        out.push_str("}\n");
        out
    }
}

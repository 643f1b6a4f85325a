//! The catch-scope check of the Tape verifier.
//!
//! Takes one [`Function`]; produces the `try` / `try.end` nesting errors found in it, as
//! `(op index, VerifyErrorKind)` pairs for `verify.rs` to locate. A dataflow walk gives every
//! reachable op the number of catch scopes open before it (`try` opens one on its fall-through
//! edge; its handler is entered with the scope already closed; `try.end` closes one). The rules:
//! every path reaches an op with the same number of open scopes, `try.end` needs an open
//! scope, and `ret` / `tail` run with none open, so a frame never leaves a scope behind for
//! the interpreter to unwind into.

use super::op::Op;
use super::program::Function;
use super::verify::VerifyErrorKind;

/// The nesting errors of `function`, in op order of discovery. Jump targets outside the
/// function are ignored here (the main verifier reports them).
pub fn check(function: &Function) -> Vec<(u32, VerifyErrorKind)> {
    let ops = &function.ops;
    let mut open: Vec<Option<u32>> = vec![None; ops.len()];
    let mut errors = Vec::new();
    let mut work: Vec<usize> = Vec::new();
    if !ops.is_empty() {
        open[0] = Some(0);
        work.push(0);
    }
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    while let Some(i) = work.pop() {
        let Some(depth) = open[i] else { continue };
        let op = &ops[i];
        let mut edges: [Option<(usize, u32)>; 2] = [None, None];
        match *op {
            Op::TryBegin { handler, .. } => {
                edges[0] = Some((i + 1, depth.saturating_add(1)));
                edges[1] = usize::try_from(handler.0).ok().map(|t| (t, depth));
            }
            Op::TryEnd => {
                if depth == 0 {
                    errors.push((at(i), VerifyErrorKind::TryEndWithoutScope));
                }
                edges[0] = Some((i + 1, depth.saturating_sub(1)));
            }
            Op::Ret { .. } | Op::TailCall { .. } if depth > 0 => {
                errors.push((at(i), VerifyErrorKind::ExitInsideTry { open: depth }));
            }
            _ => {
                if op.falls_through() {
                    edges[0] = Some((i + 1, depth));
                }
                edges[1] = op
                    .target()
                    .and_then(|t| usize::try_from(t.0).ok())
                    .map(|t| (t, depth));
            }
        }
        for (next, d) in edges.into_iter().flatten() {
            let Some(slot) = open.get_mut(next) else {
                continue;
            };
            match *slot {
                None => {
                    *slot = Some(d);
                    work.push(next);
                }
                Some(seen) if seen != d => {
                    errors.push((
                        at(next),
                        VerifyErrorKind::TryScopeMismatch {
                            first: seen,
                            other: d,
                        },
                    ));
                }
                Some(_) => {}
            }
        }
    }
    errors.sort_by_key(|(i, _)| *i);
    errors
}

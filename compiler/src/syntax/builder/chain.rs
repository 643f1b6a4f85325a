//! Long left-associative operator chains (`1 + 1 + … + 1`) without deep nesting.
//!
//! Takes the operands and operator of one binary expression from the grammar; produces the
//! expression node. A chain is nested on its left spine, so every later pass that recurses
//! over expressions (name resolution, type checking, ITree lowering, the interpreters, `Drop`)
//! would recurse once per operator. Once a chain's spine is [`CUT`] deep, the builder binds
//! the chain so far to a hidden local and goes on from that local, in a block the builder
//! marks as a chain block:
//!
//! ```text
//! a + b + … + z   ==>   { let $chain0 = a + … + m; let $chain1 = $chain0 + … + y; $chain1 + z }
//! ```
//!
//! A binary operator whose left operand is a chain block goes into the block's value
//! instead (`{ s; e } op r` is `{ s; e op r }`: `s`, `e`, `r` run in the same order, and the
//! hidden names cannot be written, so `r` means the same). The result is evaluated exactly as
//! the nested chain: the same operations in the same order. A chain with more than
//! [`MAX_CHAIN_LINKS`] hidden locals (about 96 000 operators) is still reported as E0205.

use std::collections::HashSet;

use super::AstBuilder;
use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::ast::*;
use crate::syntax::depth::{DepthOf, MAX_DEPTH};
use crate::syntax::span::Span;

/// The spine depth at which a chain is bound to a hidden local. 96 since session 4: the ITree
/// evaluator's frames per nesting level grew (work-charged fuel, memory checks), and 192
/// levels overflowed a 2 MiB debug test thread (`compiler/tests/long_chains.rs`).
pub const CUT: u32 = 96;
/// The most hidden locals one chain gets (about 96 000 operators). A hidden local of a chain
/// whose operands are effect-free is a straight statement, which the ITree lowering takes in
/// a loop (`itree/seq.rs`; the other passes loop over statements too), so the limit is set by
/// compile time (a 96 000-operator chain compiles and runs on a 2 MiB stack in a debug build
/// in about 10 s), not by the stack.
pub const MAX_CHAIN_LINKS: usize = 1000;
/// The prefix of the hidden locals (`$` cannot appear in a written name).
pub const CHAIN_LOCAL: &str = "$chain";

/// The chain blocks a builder made, by expression id.
#[derive(Debug, Default)]
pub struct Chains {
    blocks: HashSet<NodeId>,
    next_local: u32,
}

impl AstBuilder<'_> {
    /// `lhs op rhs`, spanning `lo..hi`.
    pub fn binary(&mut self, lo: usize, lhs: Expr, op: BinaryOp, rhs: Expr, hi: usize) -> Expr {
        if !self.chains.blocks.contains(&lhs.id) {
            let spine = matches!(lhs.kind, ExprKind::Binary { .. });
            let lhs_depth = self.depth_of(lhs.id);
            let e = self.plain_binary(lo, lhs, op, rhs, hi);
            if spine && lhs_depth + 1 >= CUT && lhs_depth >= self.rhs_depth(&e) {
                return self.start_chain(e);
            }
            return e;
        }
        self.chains.blocks.remove(&lhs.id);
        // Chain blocks are made by `chain_block` only, always with a value.
        let (mut block, tail) = match lhs.kind {
            ExprKind::Block(mut block) if block.tail.is_some() => {
                let tail = block.tail.take();
                (block, tail)
            }
            kind => return self.plain_binary(lo, Expr { kind, ..lhs }, op, rhs, hi),
        };
        let Some(tail) = tail else {
            return self.plain_binary(
                lo,
                Expr {
                    kind: ExprKind::Block(block),
                    ..lhs
                },
                op,
                rhs,
                hi,
            );
        };
        let tail_depth = self.depth_of(tail.id);
        let tail_lo = tail.span.start as usize;
        let mut value = self.plain_binary(tail_lo, *tail, op, rhs, hi);
        if tail_depth + 1 >= CUT && tail_depth >= self.rhs_depth(&value) {
            if block.stmts.len() >= MAX_CHAIN_LINKS {
                return self.chain_too_long(lo, hi);
            }
            let (stmt, local) = self.bind_hidden(value);
            block.stmts.push(stmt);
            value = local;
        }
        block.tail = Some(Box::new(value));
        self.chain_block(lo, block.stmts, block.tail, hi)
    }

    fn plain_binary(&mut self, lo: usize, lhs: Expr, op: BinaryOp, rhs: Expr, hi: usize) -> Expr {
        self.expr(
            lo,
            ExprKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            hi,
        )
    }

    /// The depth of a binary expression's right operand (0 for any other expression).
    fn rhs_depth(&self, e: &Expr) -> u32 {
        match &e.kind {
            ExprKind::Binary { rhs, .. } => self.depth_of(rhs.id),
            _ => 0,
        }
    }

    /// `{ let $chainN = e; $chainN }`, marked as a chain block.
    fn start_chain(&mut self, e: Expr) -> Expr {
        let (lo, hi) = (e.span.start as usize, e.span.end as usize);
        let (stmt, local) = self.bind_hidden(e);
        self.chain_block(lo, vec![stmt], Some(Box::new(local)), hi)
    }

    /// `let $chainN = e` and the expression `$chainN`, both spanning `e`.
    fn bind_hidden(&mut self, e: Expr) -> (Stmt, Expr) {
        let (lo, hi) = (e.span.start as usize, e.span.end as usize);
        let name = format!("{CHAIN_LOCAL}{}", self.chains.next_local);
        self.chains.next_local += 1;
        let ident = self.ident(lo, &name, hi);
        let pattern = self.pat(lo, PatternKind::Binding(ident.clone()), hi);
        let stmt = self.stmt(
            lo,
            StmtKind::Let {
                mutability: Mutability::Immutable,
                pattern,
                ty: None,
                init: e,
            },
            hi,
        );
        let path = self.path(lo, vec![ident], hi);
        let local = self.expr(lo, ExprKind::Path(path), hi);
        (stmt, local)
    }

    fn chain_block(
        &mut self,
        lo: usize,
        stmts: Vec<Stmt>,
        tail: Option<Box<Expr>>,
        hi: usize,
    ) -> Expr {
        let mut stmts = stmts;
        // `block` takes a final expression statement as the value.
        if let Some(t) = tail {
            let (t_lo, t_hi) = (t.span.start as usize, t.span.end as usize);
            stmts.push(self.stmt(t_lo, StmtKind::Expr(*t), t_hi));
        }
        let block = self.block(lo, stmts, hi);
        let e = self.expr(lo, ExprKind::Block(block), hi);
        self.chains.blocks.insert(e.id);
        e
    }

    /// E0205 for a chain past [`MAX_CHAIN_LINKS`]; the chain becomes an error node.
    fn chain_too_long(&mut self, lo: usize, hi: usize) -> Expr {
        if !self.depth_reported {
            self.depth_reported = true;
            let ops = MAX_CHAIN_LINKS as u32 * (CUT - 1);
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0205,
                    format!("this chain of operators is longer than about {ops} operators"),
                    Label::new(self.file, Span::new(lo, hi), "chain too long"),
                )
                .with_help(format!(
                    "split the chain into several `let` bindings of at most {} operators each, or sum a list in a loop",
                    MAX_DEPTH
                )),
            );
        }
        self.expr(lo, ExprKind::Error, hi)
    }
}

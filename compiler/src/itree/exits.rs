//! Leaving atomic blocks early: `return`, `break`, `continue` and `reject` inside `atomic`.
//!
//! Takes the jump and the atomic blocks it leaves (the innermost ones of the function being
//! lowered, from [`super::FnCx::atomics`]); produces the instructions that close them before the
//! jump:
//! - `return`, `break` and `continue` leave a block the way its end does: `commitOrAbort` of each
//!   block left, innermost first; a commit conflict of a block behaves like its `abort` (the run
//!   fails with "transaction aborted", or under `try atomic` the block's value is `none` and the
//!   program continues after that block, as after an `abort`);
//! - `reject` refuses the message: `abortTx` of every open block of the method, innermost first,
//!   so nothing the method did inside them stays, then the empty output.
//!
//! Inside a `try atomic` that runs under `Term::Try` (one whose body uses FD / Nondet forms) a
//! jump cannot leave the `Try` body; such jumps are recorded in [`Lowerer::try_escape`] and
//! reported by `try_atomic` (E0501) when the block turns out to need `Term::Try`.

use avm_vm::itree::builder::name;
use avm_vm::itree::{Expr, Instr, Term};
use avm_vm::value::Val;

use super::expr::str_lit;
use super::{AbortExit, Lowered, Lowerer};
use crate::syntax::span::Span;

/// What to do once the atomic blocks are closed.
pub(crate) type AfterLeave<'a> = Box<dyn FnOnce(&mut Lowerer) -> Lowered<Term> + 'a>;

impl Lowerer<'_> {
    /// Commits the open atomic blocks above `depth` (innermost first), then continues with
    /// `then`.
    pub(crate) fn leave_atomics(
        &mut self,
        span: Span,
        depth: usize,
        then: AfterLeave<'_>,
    ) -> Lowered<Term> {
        if self.cx.try_depth.is_some_and(|d| depth <= d) {
            self.note_try_escape(span);
        }
        let Some(cx) = self.cx.atomics.last().cloned() else {
            return then(self);
        };
        if self.cx.atomics.len() <= depth {
            return then(self);
        }
        let saved = self.cx.atomics.clone();
        self.cx.atomics.pop();
        let ok = self.temp();
        self.cx.scope.push(ok.clone());
        let mark = self.cx.scope.len();
        let committed = self.leave_atomics(span, depth, then);
        self.cx.scope.truncate(mark);
        let conflict = match cx.exit {
            AbortExit::Fail => Ok(Term::Fail(str_lit("transaction aborted"))),
            AbortExit::Value(k) => k.cont().apply(self, Expr::Lit(Val::Nothing)),
        };
        self.cx.atomics = saved;
        Ok(Term::Instr {
            instr: Instr::CommitOrAbort(Expr::Var(cx.tx)),
            bind: ok.clone(),
            rest: Box::new(Term::If {
                cond: Expr::Var(ok),
                then_branch: Box::new(committed?),
                else_branch: Box::new(conflict?),
            }),
        })
    }

    /// `reject`: aborts every open atomic block of the method, innermost first, then outputs
    /// nothing.
    pub(crate) fn reject(&mut self, span: Span) -> Lowered<Term> {
        if self.cx.try_depth.is_some() {
            self.note_try_escape(span);
        }
        let mut term = Term::Ret(Expr::List(Vec::new()));
        for cx in &self.cx.atomics {
            term = Term::Instr {
                instr: Instr::AbortTx(Expr::Var(cx.tx.clone())),
                bind: name("_"),
                rest: Box::new(term),
            };
        }
        Ok(term)
    }

    /// Records a jump out of a `try atomic` body (see the module doc).
    fn note_try_escape(&mut self, span: Span) {
        if self.try_escape.is_none() {
            self.try_escape = Some(span);
        }
    }
}

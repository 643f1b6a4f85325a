//! `match` arms, including guards that need instructions or calls.
//!
//! Takes the scrutinee's value, the arms and the shared continuation of the `match`; produces
//! an ITree `match`. A guard that is an effect-free expression is the ITree arm's guard. A guard
//! that calls a function (or needs any instruction) cannot be an ITree guard, so from the first
//! such arm on the match is split: that arm matches its pattern without a guard and computes
//! the guard in its body — `true` runs the arm, `false` continues with the arms after it — and
//! every other value goes to the same place. "The arms after it" is a generated function
//! `f$matchN(scope…, scrutinee)` holding the rest of the `match`, so no arm body is duplicated.
//! Guards still run in arm order and only when their pattern matched.

use avm_vm::itree::{Arm, Expr, Pattern, Term};

use super::cont::{Cont, Shared};
use super::{Lowered, Lowerer};
use crate::syntax::ast::MatchArm;

impl Lowerer<'_> {
    /// `match v { arms }` continuing with `k`.
    pub(crate) fn match_arms(&mut self, v: Expr, arms: &[MatchArm], k: &Shared) -> Lowered<Term> {
        let mut out = Vec::new();
        for (i, arm) in arms.iter().enumerate() {
            let guard = match &arm.guard {
                None => None,
                Some(g) => match self.pure_expr(g) {
                    Some(_) => Some(g),
                    None => return self.split_match(v, out, &arms[i..], k),
                },
            };
            let mark = self.cx.scope.len();
            let pattern = self.pattern(&arm.pattern)?;
            let guard = guard.and_then(|g| self.pure_expr(g));
            let body = self.expr(&arm.body, k.cont())?;
            self.cx.scope.truncate(mark);
            out.push(Arm {
                pattern,
                guard,
                body,
            });
        }
        Ok(Term::Match {
            scrutinee: v,
            arms: out,
        })
    }

    /// The rest of a `match` from an arm whose guard needs instructions: `done` are the arms
    /// lowered so far, `rest[0]` is that arm.
    fn split_match(
        &mut self,
        v: Expr,
        mut done: Vec<Arm>,
        rest: &[MatchArm],
        k: &Shared,
    ) -> Lowered<Term> {
        let Some((arm, after)) = rest.split_first() else {
            return Ok(Term::Match {
                scrutinee: v,
                arms: done,
            });
        };
        // `f$matchN(scope…, $scrutinee)`: the arms after this one.
        let params = self.scope_params();
        let function = self.gen_fn_name("match");
        let scrutinee = self.temp();
        let saved = self.cx.scope.clone();
        let mut inner = params.clone();
        inner.push(scrutinee.clone());
        self.cx.scope = inner.clone();
        let later = self.match_arms(Expr::Var(scrutinee), after, k);
        self.cx.scope = saved;
        self.add_function(function.clone(), inner, later?);
        let mut args: Vec<Expr> = params.into_iter().map(Expr::Var).collect();
        args.push(v.clone());
        let next = Term::Call { function, args };
        // This arm: its pattern, then the guard, then the body or the later arms.
        let mark = self.cx.scope.len();
        let pattern = self.pattern(&arm.pattern)?;
        let body = match &arm.guard {
            Some(g) => {
                let next = next.clone();
                let k = k.clone();
                let body = &arm.body;
                self.expr(
                    g,
                    Cont::then(move |lw, cond| {
                        let then_branch = lw.expr(body, k.cont())?;
                        Ok(Term::If {
                            cond,
                            then_branch: Box::new(then_branch),
                            else_branch: Box::new(next),
                        })
                    }),
                )?
            }
            None => self.expr(&arm.body, k.cont())?,
        };
        self.cx.scope.truncate(mark);
        done.push(Arm {
            pattern,
            guard: None,
            body,
        });
        done.push(Arm {
            pattern: Pattern::Wild,
            guard: None,
            body: next,
        });
        Ok(Term::Match {
            scrutinee: v,
            arms: done,
        })
    }
}

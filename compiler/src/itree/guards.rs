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
use crate::syntax::ast::{Expr as AstExpr, MatchArm};

/// An arm whose guard needs instructions, its pattern already lowered.
struct SplitArm<'a> {
    pattern: Pattern,
    /// The scope length before the pattern's bindings.
    mark: usize,
    guard: &'a AstExpr,
    body: &'a AstExpr,
}

impl Lowerer<'_> {
    /// `match v { arms }` continuing with `k`.
    pub(crate) fn match_arms(&mut self, v: Expr, arms: &[MatchArm], k: &Shared) -> Lowered<Term> {
        let mut out = Vec::new();
        for (i, arm) in arms.iter().enumerate() {
            let mark = self.cx.scope.len();
            let pattern = self.pattern(&arm.pattern)?;
            let guard = match &arm.guard {
                None => None,
                Some(g) => match self.pure_expr(g) {
                    Some(guard) => Some(guard),
                    None => {
                        let split = SplitArm {
                            pattern,
                            mark,
                            guard: g,
                            body: &arm.body,
                        };
                        return self.split_match(v, out, split, &arms[i + 1..], k);
                    }
                },
            };
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

    /// The rest of a `match` from the arm `split`, whose guard needs instructions: `done` are
    /// the arms lowered before it and `after` the arms after it.
    fn split_match(
        &mut self,
        v: Expr,
        mut done: Vec<Arm>,
        split: SplitArm<'_>,
        after: &[MatchArm],
        k: &Shared,
    ) -> Lowered<Term> {
        let SplitArm {
            pattern,
            mark,
            guard,
            body,
        } = split;
        // `f$matchN(scope…, $scrutinee)`: the arms after this one, over the scope of the match.
        let saved = self.cx.scope.clone();
        self.cx.scope.truncate(mark);
        let params = self.scope_params();
        let function = self.gen_fn_name("match");
        let scrutinee = self.temp();
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
        let body = {
            let next = next.clone();
            let k = k.clone();
            self.expr(
                guard,
                Cont::then(move |lw, cond| {
                    let then_branch = lw.expr(body, k.cont())?;
                    Ok(Term::If {
                        cond,
                        then_branch: Box::new(then_branch),
                        else_branch: Box::new(next),
                    })
                }),
            )?
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

//! Use counts of variables, for freeing a binding's register after its last use.
//!
//! Takes ITree terms, instructions and expressions; produces, per variable name, how many
//! times an expression reads it ([`UseCounts`]). The lowering counts a whole function body
//! first, then subtracts the reads of each statement it has lowered; a name whose count reaches
//! zero is read nowhere in the code still to lower, so its register may be reused. Counting
//! errs only upwards (a predicate body's reads of its own parameters count too), which keeps a
//! register longer, never shorter. Terms are walked with an explicit stack (long straight-line
//! code is deeply nested); expressions recursively, as the lowering itself does.

use avm_vm::itree::{Expr, Instr, Name, Term};
use rustc_hash::FxHashMap;

/// Per name, the reads not yet lowered.
#[derive(Debug, Default)]
pub struct UseCounts {
    counts: FxHashMap<Name, u32>,
}

/// Whether a walk adds reads to the counts or takes them away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Add,
    Sub,
}

impl UseCounts {
    /// The reads of every expression in `body`.
    pub fn of_body(body: &Term) -> UseCounts {
        let mut counts = UseCounts::default();
        counts.walk_term(body, Step::Add, &mut |_| {});
        counts
    }

    /// The reads of `name` still to lower.
    pub fn remaining(&self, name: &Name) -> u32 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// Takes away the reads in `e`; calls `dead` for each name whose count reaches zero.
    pub fn lowered_expr(&mut self, e: &Expr, dead: &mut dyn FnMut(&Name)) {
        self.walk_expr(e, Step::Sub, dead);
    }

    /// Takes away the reads in `instr`'s operands; calls `dead` as [`UseCounts::lowered_expr`].
    pub fn lowered_instr(&mut self, instr: &Instr, dead: &mut dyn FnMut(&Name)) {
        self.walk_instr(instr, Step::Sub, dead);
    }

    /// Takes away the reads in all of `t`; calls `dead` as [`UseCounts::lowered_expr`].
    pub fn lowered_term(&mut self, t: &Term, dead: &mut dyn FnMut(&Name)) {
        self.walk_term(t, Step::Sub, dead);
    }

    fn read(&mut self, name: &Name, step: Step, dead: &mut dyn FnMut(&Name)) {
        match step {
            Step::Add => *self.counts.entry(name.clone()).or_insert(0) += 1,
            Step::Sub => {
                if let Some(n) = self.counts.get_mut(name) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        self.counts.remove(name);
                        dead(name);
                    }
                }
            }
        }
    }

    fn walk_term(&mut self, t: &Term, step: Step, dead: &mut dyn FnMut(&Name)) {
        let mut work: Vec<&Term> = vec![t];
        while let Some(t) = work.pop() {
            match t {
                Term::Ret(e) | Term::Fail(e) => self.walk_expr(e, step, dead),
                Term::Tau(t) | Term::At { body: t, .. } => work.push(t),
                Term::Instr { instr, rest, .. } => {
                    self.walk_instr(instr, step, dead);
                    work.push(rest);
                }
                Term::Let { value, rest, .. } => {
                    self.walk_expr(value, step, dead);
                    work.push(rest);
                }
                Term::If {
                    cond,
                    then_branch,
                    else_branch,
                } => {
                    self.walk_expr(cond, step, dead);
                    work.push(then_branch);
                    work.push(else_branch);
                }
                Term::Match { scrutinee, arms } => {
                    self.walk_expr(scrutinee, step, dead);
                    for arm in arms {
                        if let Some(g) = &arm.guard {
                            self.walk_expr(g, step, dead);
                        }
                        work.push(&arm.body);
                    }
                }
                Term::Call { args, .. } => {
                    for a in args {
                        self.walk_expr(a, step, dead);
                    }
                }
                Term::Bind { first, rest, .. }
                | Term::Try {
                    body: first, rest, ..
                } => {
                    work.push(first);
                    work.push(rest);
                }
            }
        }
    }

    fn walk_instr(&mut self, instr: &Instr, step: Step, dead: &mut dyn FnMut(&Name)) {
        match instr {
            Instr::CreateObj { controller: e, .. }
            | Instr::DestroyObj(e)
            | Instr::SetState(e)
            | Instr::SetField(_, e)
            | Instr::Reflect(e)
            | Instr::BeginTx(e)
            | Instr::CommitTx(e)
            | Instr::AbortTx(e)
            | Instr::CommitOrAbort(e)
            | Instr::CallPure { args: e, .. }
            | Instr::GetMachine(e)
            | Instr::Teleport(e)
            | Instr::Fetch(e)
            | Instr::GetController(e)
            | Instr::Freeze(e)
            | Instr::Print(e)
            | Instr::NewVar(e)
            | Instr::Post(e)
            | Instr::Label(e)
            | Instr::Choose(e)
            | Instr::Require(e) => self.walk_expr(e, step, dead),
            Instr::Call(a, b)
            | Instr::MoveObject(a, b)
            | Instr::TransferObject(a, b)
            | Instr::Narrow(a, b)
            | Instr::Publish(a, b)
            | Instr::Lookup(a, b) => {
                self.walk_expr(a, step, dead);
                self.walk_expr(b, step, dead);
            }
            Instr::ScryMeta(pred) | Instr::ScryDeep(pred) => self.walk_expr(&pred.body, step, dead),
            Instr::Receive
            | Instr::SelfId
            | Instr::Input
            | Instr::GetCurrentMachine
            | Instr::GetState
            | Instr::Sender
            | Instr::GetField(_)
            | Instr::ReifyContext
            | Instr::ReifyTxState
            | Instr::ReifyConstraints
            | Instr::RegisterPure { .. }
            | Instr::UpdatePure { .. }
            | Instr::GetCurrentController => {}
        }
    }

    fn walk_expr(&mut self, e: &Expr, step: Step, dead: &mut dyn FnMut(&Name)) {
        match e {
            Expr::Lit(_) => {}
            Expr::Var(n) => self.read(n, step, dead),
            Expr::Unary(_, a) | Expr::Just(a) | Expr::Field(a, _) => self.walk_expr(a, step, dead),
            Expr::Binary(_, a, b) | Expr::Index(a, b) => {
                self.walk_expr(a, step, dead);
                self.walk_expr(b, step, dead);
            }
            Expr::List(items)
            | Expr::Tuple(items)
            | Expr::Variant { payload: items, .. }
            | Expr::Builtin(_, items) => {
                for i in items {
                    self.walk_expr(i, step, dead);
                }
            }
            Expr::Record { fields, .. } => {
                for (_, f) in fields {
                    self.walk_expr(f, step, dead);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_vm::itree::BinOp;

    fn var(n: &str) -> Expr {
        Expr::Var(n.into())
    }

    #[test]
    fn counts_reach_zero_at_the_last_read() {
        // let y = x + x; ret y
        let body = Term::Let {
            name: "y".into(),
            value: Expr::Binary(BinOp::Add, Box::new(var("x")), Box::new(var("x"))),
            rest: Box::new(Term::Ret(var("y"))),
        };
        let mut counts = UseCounts::of_body(&body);
        assert_eq!(counts.remaining(&"x".into()), 2);
        assert_eq!(counts.remaining(&"y".into()), 1);
        let mut dead = Vec::new();
        counts.lowered_expr(
            &Expr::Binary(BinOp::Add, Box::new(var("x")), Box::new(var("x"))),
            &mut |n| dead.push(n.clone()),
        );
        assert_eq!(dead, vec![Name::from("x")]);
        assert_eq!(counts.remaining(&"x".into()), 0);
    }
}

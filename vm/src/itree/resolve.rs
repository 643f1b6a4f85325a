//! Name resolution: builds the form of a program the reference interpreter runs.
//!
//! Takes a `Program` and produces its `Code` (`code`): the entry term and every function and behaviour
//! body flattened into one arena of `Node`s (children are `NodeId` indices), in which
//!
//! - every variable is a numbered slot of its frame: its position among the bindings visible at
//!   that point, counted from the frame's base. The interpreter's scoping is lexical (a `Bind`'s
//!   first term, a `Try` body and a failed match arm drop their bindings; a frame sees only its
//!   own bindings), so the number of bindings live at each term is known before running, and a
//!   lookup is an index instead of a search by name. A name not in scope becomes
//!   `RExpr::Unbound`, which fails with `UnboundVariable` only when it is evaluated, as a failed
//!   search did;
//! - a call of a program function names its callee by index (`None` when the program has no
//!   such function: the call fails when it runs, as before);
//! - every instruction's operand expressions are resolved, in the instruction's operand order
//!   (`Ops`), and the binding of each instruction's result is marked `Binding::Unused` when no
//!   expression reads it (the interpreter then skips building values nobody can see).
//!
//! Long straight-line programs are deeply nested terms, so the walk over terms uses an explicit
//! work stack, not recursion. Expressions are resolved recursively, as they are evaluated.

use crate::itree::code::{
    BehaviourCode, Binding, Code, FnCode, FnId, Node, NodeId, Operand, Ops, RArm, RExpr,
};
use crate::itree::scope::Scope;
use crate::itree::term::{BinOp, Expr, Instr, Name, Pattern, Program, Term};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

impl<'p> Code<'p> {
    /// Resolves a whole program.
    pub(crate) fn new(program: &'p Program) -> Self {
        let mut function_ids = FxHashMap::default();
        let mut function_defs = Vec::with_capacity(program.functions.len());
        for (name, f) in &program.functions {
            function_ids.insert(&**name, id(function_defs.len()));
            function_defs.push(f);
        }
        let mut r = Resolver {
            nodes: Vec::new(),
            scope: Scope::default(),
            used: Vec::new(),
            results: Vec::new(),
            tasks: Vec::new(),
            function_ids: &function_ids,
        };
        let functions = function_defs
            .into_iter()
            .map(|def| FnCode {
                def,
                entry: r.body(&def.body, &def.params),
            })
            .collect();
        let mut behaviour_ids = FxHashMap::default();
        let mut behaviours = Vec::with_capacity(program.behaviours.len());
        for (name, def) in &program.behaviours {
            behaviour_ids.insert(&**name, id(behaviours.len()));
            behaviours.push(BehaviourCode {
                def,
                entry: r.body(&def.body, &[]),
            });
        }
        let main = r.body(&program.main, &[]);
        let Resolver {
            mut nodes,
            used,
            results,
            ..
        } = r;
        for (node, binder) in results {
            if let Some(Node::Instr { result, .. } | Node::CallObject { result, .. }) =
                nodes.get_mut(node as usize)
                && !used.get(binder).copied().unwrap_or(true)
            {
                *result = Binding::Unused;
            }
        }
        Code {
            nodes,
            functions,
            function_ids,
            behaviours,
            behaviour_ids,
            main,
        }
    }
}

/// An arena index from a length (programs are far below 2^32 nodes; saturates otherwise).
fn id(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A term still to resolve into node `at`, with the scope truncated to `scope_len` and then
/// extended by `push`.
struct Task<'p> {
    term: &'p Term,
    at: NodeId,
    scope_len: usize,
    push: SmallVec<[(&'p Name, usize); 2]>,
}

struct Resolver<'p, 'm> {
    nodes: Vec<Node<'p>>,
    /// Bindings in scope, innermost last.
    scope: Scope<'p>,
    /// Whether each binder (by id) is read.
    used: Vec<bool>,
    /// Instruction nodes and the binder of their result.
    results: Vec<(NodeId, usize)>,
    tasks: Vec<Task<'p>>,
    function_ids: &'m FxHashMap<&'p str, FnId>,
}

impl<'p> Resolver<'p, '_> {
    /// A fresh binder id.
    fn binder(&mut self) -> usize {
        self.used.push(false);
        self.used.len() - 1
    }

    /// A node slot to fill later.
    fn alloc(&mut self) -> NodeId {
        self.nodes.push(Node::Tau(0));
        id(self.nodes.len() - 1)
    }

    /// Queues `term` to be resolved into node `at` with the current scope plus `push`.
    fn later(&mut self, term: &'p Term, at: NodeId, push: SmallVec<[(&'p Name, usize); 2]>) {
        self.tasks.push(Task {
            term,
            at,
            scope_len: self.scope.len(),
            push,
        });
    }

    /// Resolves a body whose frame starts with `params`; returns its node.
    fn body(&mut self, term: &'p Term, params: &'p [Name]) -> NodeId {
        self.scope.clear();
        let push = params.iter().map(|p| (p, self.binder())).collect();
        let at = self.alloc();
        self.later(term, at, push);
        while let Some(task) = self.tasks.pop() {
            self.scope.truncate(task.scope_len);
            self.scope.extend(task.push);
            let node = self.term(task.term, task.at);
            if let Some(slot) = self.nodes.get_mut(task.at as usize) {
                *slot = node;
            }
        }
        at
    }

    /// Resolves one term (to become node `this`), queueing its sub-terms.
    fn term(&mut self, term: &'p Term, this: NodeId) -> Node<'p> {
        match term {
            Term::Ret(e) => Node::Ret(self.expr(e)),
            Term::Tau(t) => {
                let at = self.alloc();
                self.later(t, at, SmallVec::new());
                Node::Tau(at)
            }
            Term::Instr { instr, bind, rest } => {
                let at = self.alloc();
                let node = self.instr(instr, at);
                let binder = self.binder();
                self.results.push((this, binder));
                self.later(rest, at, smallvec::smallvec![(bind, binder)]);
                node
            }
            Term::Let { name, value, rest } => {
                let value = self.expr(value);
                let binder = self.binder();
                let at = self.alloc();
                self.later(rest, at, smallvec::smallvec![(name, binder)]);
                Node::Let { value, rest: at }
            }
            Term::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let cond = self.expr(cond);
                let (t, e) = (self.alloc(), self.alloc());
                self.later(then_branch, t, SmallVec::new());
                self.later(else_branch, e, SmallVec::new());
                Node::If {
                    cond,
                    then_branch: t,
                    else_branch: e,
                }
            }
            Term::Match { scrutinee, arms } => {
                let scrutinee = self.expr(scrutinee);
                let base = self.scope.len();
                let mut out = Vec::with_capacity(arms.len());
                for arm in arms {
                    self.scope.truncate(base);
                    let mut binds = SmallVec::new();
                    self.pattern_binders(&arm.pattern, &mut binds);
                    self.scope.extend(binds.iter().copied());
                    let guard = arm.guard.as_ref().map(|g| self.expr(g));
                    self.scope.truncate(base);
                    let body = self.alloc();
                    self.later(&arm.body, body, binds);
                    out.push(RArm {
                        pattern: &arm.pattern,
                        guard,
                        body,
                    });
                }
                Node::Match {
                    scrutinee,
                    arms: out.into_boxed_slice(),
                }
            }
            Term::Call { function, args } => Node::Call {
                function,
                target: self.function_ids.get(&**function).copied(),
                args: self.exprs(args),
            },
            Term::Bind { first, name, rest }
            | Term::Try {
                body: first,
                name,
                rest,
            } => {
                let (f, r) = (self.alloc(), self.alloc());
                let binder = self.binder();
                self.later(first, f, SmallVec::new());
                self.later(rest, r, smallvec::smallvec![(name, binder)]);
                if matches!(term, Term::Try { .. }) {
                    Node::Try { body: f, rest: r }
                } else {
                    Node::Bind { first: f, rest: r }
                }
            }
            Term::Fail(e) => Node::Fail(self.expr(e)),
            Term::At { loc, body } => {
                let at = self.alloc();
                self.later(body, at, SmallVec::new());
                Node::At {
                    loc: *loc,
                    body: at,
                }
            }
        }
    }

    /// An instruction node continuing with `rest`: the counter call's instructions get nodes of
    /// their own, the others a `Node::Instr` with their operands.
    fn instr(&mut self, instr: &'p Instr, rest: NodeId) -> Node<'p> {
        match instr {
            Instr::Call(target, input) => Node::CallObject {
                instr,
                target: self.expr(target),
                input: self.expr(input),
                result: Binding::Used,
                rest,
            },
            Instr::Input => Node::Input { instr, rest },
            Instr::GetField(index) => Node::GetField {
                instr,
                index: *index,
                rest,
            },
            Instr::SetField(index, value) => Node::SetField {
                instr,
                index: *index,
                value: self.expr(value),
                rest,
            },
            _ => Node::Instr {
                instr,
                ops: self.ops(instr),
                result: Binding::Used,
                rest,
            },
        }
    }

    /// The binders of a pattern, in the order matching pushes their values.
    fn pattern_binders(&mut self, p: &'p Pattern, out: &mut SmallVec<[(&'p Name, usize); 2]>) {
        match p {
            Pattern::Bind(n) => {
                let b = self.binder();
                out.push((n, b));
            }
            Pattern::Wild | Pattern::Lit(_) | Pattern::Nil | Pattern::Nothing => {}
            Pattern::Tuple(ps) | Pattern::List(ps) => {
                for p in ps {
                    self.pattern_binders(p, out);
                }
            }
            Pattern::Cons(h, t) => {
                self.pattern_binders(h, out);
                self.pattern_binders(t, out);
            }
            Pattern::Just(p) => self.pattern_binders(p, out),
            Pattern::Record { fields, .. } => {
                for (_, p) in fields {
                    self.pattern_binders(p, out);
                }
            }
            Pattern::Variant { payload, .. } => {
                for p in payload {
                    self.pattern_binders(p, out);
                }
            }
        }
    }

    /// An instruction's operands, in order.
    fn ops(&mut self, instr: &'p Instr) -> Ops<'p> {
        let mut ops = SmallVec::new();
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
            | Instr::Require(e) => ops.push(self.expr(e)),
            Instr::Call(a, b)
            | Instr::Publish(a, b)
            | Instr::Lookup(a, b)
            | Instr::MoveObject(a, b)
            | Instr::TransferObject(a, b)
            | Instr::Narrow(a, b) => {
                ops.push(self.expr(a));
                ops.push(self.expr(b));
            }
            Instr::ScryMeta(pred) | Instr::ScryDeep(pred) => {
                // The interpreter binds the candidate's behaviour (scryDeep only) and meta to the
                // first parameters; further parameters stay unbound.
                let bound = if matches!(instr, Instr::ScryDeep(_)) {
                    2
                } else {
                    1
                };
                let base = self.scope.len();
                for p in pred.params.iter().take(bound) {
                    let b = self.binder();
                    self.scope.push(p, b);
                }
                ops.push(self.expr(&pred.body));
                self.scope.truncate(base);
            }
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
        Ops(ops)
    }

    fn exprs(&mut self, es: &'p [Expr]) -> Box<[RExpr<'p>]> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    fn expr(&mut self, e: &'p Expr) -> RExpr<'p> {
        match e {
            Expr::Lit(v) => RExpr::Lit(v),
            Expr::Var(n) => match self.scope.lookup(n) {
                Some((slot, binder)) => {
                    if let Some(u) = self.used.get_mut(binder) {
                        *u = true;
                    }
                    RExpr::Slot(slot, n)
                }
                None => RExpr::Unbound(n),
            },
            Expr::Unary(op, a) => RExpr::Unary(*op, Box::new(self.expr(a))),
            Expr::Binary(op, a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                match (op, Operand::of(&a), Operand::of(&b)) {
                    (BinOp::And | BinOp::Or, _, _) => RExpr::Binary(*op, Box::new(a), Box::new(b)),
                    (_, Some(x), Some(y)) => RExpr::BinSimple(*op, x, y),
                    _ => RExpr::Binary(*op, Box::new(a), Box::new(b)),
                }
            }
            Expr::List(items) => RExpr::List(self.exprs(items)),
            Expr::Tuple(items) => RExpr::Tuple(self.exprs(items)),
            Expr::Just(a) => RExpr::Just(Box::new(self.expr(a))),
            Expr::Record { type_name, fields } => RExpr::Record {
                type_name,
                fields: fields.iter().map(|(n, e)| (n, self.expr(e))).collect(),
            },
            Expr::Variant {
                enum_name,
                variant,
                payload,
            } => RExpr::Variant {
                enum_name,
                variant,
                payload: self.exprs(payload),
            },
            Expr::Field(r, f) => RExpr::Field(Box::new(self.expr(r)), f),
            Expr::Index(c, i) => RExpr::Index(Box::new(self.expr(c)), Box::new(self.expr(i))),
            Expr::Builtin(b, args) => RExpr::Builtin(*b, self.exprs(args)),
        }
    }
}

/// Resolves an expression with `scope` (innermost last) as the frame's bindings, slot `i` being
/// `scope[i]` (for tests of the evaluator).
#[cfg(test)]
pub(crate) fn resolve_expr<'p>(e: &'p Expr, scope: &'p [Name]) -> RExpr<'p> {
    let ids = FxHashMap::default();
    let mut r = Resolver {
        nodes: Vec::new(),
        scope: Scope::default(),
        used: Vec::new(),
        results: Vec::new(),
        tasks: Vec::new(),
        function_ids: &ids,
    };
    for n in scope {
        let b = r.binder();
        r.scope.push(n, b);
    }
    r.expr(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itree::builder::*;

    /// The expression of the `ret` at the end of a chain of `Let` / `Instr` / `Bind` nodes.
    fn final_ret<'c, 'p>(code: &'c Code<'p>, mut at: NodeId) -> &'c RExpr<'p> {
        loop {
            match code.node(at) {
                Node::Let { rest, .. }
                | Node::Instr { rest, .. }
                | Node::CallObject { rest, .. }
                | Node::Input { rest, .. }
                | Node::GetField { rest, .. }
                | Node::SetField { rest, .. }
                | Node::Bind { rest, .. } => at = *rest,
                Node::Ret(e) => return e,
                other => panic!("unexpected node {other:?}"),
            }
        }
    }

    #[test]
    fn variables_become_slots_of_the_innermost_binding() {
        // let x = 1; let y = 2; let x = 3; y <- { let z = 4; ret z }; ret [x, y, w]
        let main = Block::new()
            .let_("x", int(1))
            .let_("y", int(2))
            .let_("x", int(3))
            .bind("y", Block::new().let_("z", int(4)).ret(var("z")))
            .ret(list(vec![var("x"), var("y"), var("w")]));
        let program = ProgramBuilder::new().main(main);
        let code = Code::new(&program);
        let RExpr::List(items) = final_ret(&code, code.main) else {
            panic!("expected a list");
        };
        // x is the third binding (slot 2); y the `Bind` result after it (slot 3): the `Bind`'s
        // own `z` is out of scope again; `w` is not bound anywhere.
        assert!(matches!(items[0], RExpr::Slot(2, _)));
        assert!(matches!(items[1], RExpr::Slot(3, _)));
        assert!(matches!(&items[2], RExpr::Unbound(n) if &***n == "w"));
    }

    #[test]
    fn unread_instruction_results_are_marked_unused() {
        let main = Block::new()
            .instr("a", crate::itree::term::Instr::SelfId)
            .instr("b", crate::itree::term::Instr::SelfId)
            .ret(var("a"));
        let program = ProgramBuilder::new().main(main);
        let code = Code::new(&program);
        let Node::Instr { result, rest, .. } = code.node(code.main) else {
            panic!("expected an instruction");
        };
        assert_eq!(*result, Binding::Used);
        let Node::Instr { result, .. } = code.node(*rest) else {
            panic!("expected an instruction");
        };
        assert_eq!(*result, Binding::Unused);
    }

    #[test]
    fn calls_name_their_callee_by_index() {
        let program = ProgramBuilder::new()
            .function("f", &["p"], ret(var("p")))
            .main(call_fn("f", vec![int(1)]));
        let code = Code::new(&program);
        let Node::Call { target, .. } = code.node(code.main) else {
            panic!("expected a call");
        };
        let f = target.and_then(|t| code.functions.get(t as usize));
        assert_eq!(f.map(|f| &*f.def.name), Some("f"));
        let missing = ProgramBuilder::new().main(call_fn("g", vec![]));
        let code = Code::new(&missing);
        assert!(matches!(
            code.node(code.main),
            Node::Call { target: None, .. }
        ));
    }
}

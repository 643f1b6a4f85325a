//! A small builder for ITree terms and programs.
//!
//! Takes Rust values and produces `Expr`, `Term` and `Program` data: free functions for
//! expressions (`var`, `int`, `add`, ...), a `Block` that writes a sequence of instructions and
//! lets top-down like do-notation and folds them into nested terms, and a `ProgramBuilder`.

use crate::isa::Safety;
use crate::itree::term::{
    Arm, Behaviour, BinOp, Builtin, Expr, FnKind, Function, Instr, Name, Pattern, Program, Term,
    UnOp,
};
use crate::value::Val;
use rustc_hash::FxHashMap;
use std::rc::Rc;

thread_local! {
    static NAMES: std::cell::RefCell<FxHashMap<Box<str>, Name>> =
        std::cell::RefCell::new(FxHashMap::default());
}

/// A name. Names are interned per thread, so equal names built here share one allocation and
/// variable lookup compares pointers first.
pub fn name(s: &str) -> Name {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(n) = names.get(s) {
            return n.clone();
        }
        let n: Name = Rc::from(s);
        names.insert(Box::from(s), n.clone());
        n
    })
}

/// A variable reference.
pub fn var(s: &str) -> Expr {
    Expr::Var(name(s))
}

/// A constant.
pub fn lit(v: Val) -> Expr {
    Expr::Lit(v)
}

/// An integer constant.
pub fn int(i: i64) -> Expr {
    Expr::Lit(Val::Int(i))
}

/// A boolean constant.
pub fn boolean(b: bool) -> Expr {
    Expr::Lit(Val::Bool(b))
}

/// A string constant.
pub fn string(s: &str) -> Expr {
    Expr::Lit(Val::str(s))
}

/// `none`.
pub fn none() -> Expr {
    Expr::Lit(Val::Nothing)
}

/// `some(e)`.
pub fn some(e: Expr) -> Expr {
    Expr::Just(Box::new(e))
}

/// `()`.
pub fn unit() -> Expr {
    Expr::Lit(Val::Unit)
}

/// A list literal.
pub fn list(items: Vec<Expr>) -> Expr {
    Expr::List(items)
}

/// A tuple literal.
pub fn tuple(items: Vec<Expr>) -> Expr {
    Expr::Tuple(items)
}

/// A binary operation.
pub fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}

/// `a + b`.
pub fn add(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Add, a, b)
}

/// `a - b`.
pub fn sub(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Sub, a, b)
}

/// `a == b`.
pub fn eq(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Eq, a, b)
}

/// `a < b`.
pub fn lt(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Lt, a, b)
}

/// `a <= b`.
pub fn le(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Le, a, b)
}

/// `a && b`.
pub fn and(a: Expr, b: Expr) -> Expr {
    bin(BinOp::And, a, b)
}

/// `!a`.
pub fn not(a: Expr) -> Expr {
    Expr::Unary(UnOp::Not, Box::new(a))
}

/// A builtin call.
pub fn builtin(b: Builtin, args: Vec<Expr>) -> Expr {
    Expr::Builtin(b, args)
}

/// `machine("m")` as a constant.
pub fn machine(m: &str) -> Expr {
    Expr::Lit(Val::Machine(crate::ids::MachineId::new(m)))
}

/// `controller("c")` as a constant.
pub fn controller(c: &str) -> Expr {
    Expr::Lit(Val::Controller(crate::ids::ControllerId::new(c)))
}

/// `some(controller("c"))`.
pub fn some_controller(c: &str) -> Expr {
    some(controller(c))
}

/// A record literal.
pub fn record(type_name: &str, fields: Vec<(&str, Expr)>) -> Expr {
    Expr::Record {
        type_name: name(type_name),
        fields: fields.into_iter().map(|(n, e)| (name(n), e)).collect(),
    }
}

/// A variant literal.
pub fn variant(enum_name: &str, v: &str, payload: Vec<Expr>) -> Expr {
    Expr::Variant {
        enum_name: name(enum_name),
        variant: name(v),
        payload,
    }
}

/// Field access `e.f`.
pub fn field(e: Expr, f: &str) -> Expr {
    Expr::Field(Box::new(e), name(f))
}

/// Index `e[i]`.
pub fn index(e: Expr, i: Expr) -> Expr {
    Expr::Index(Box::new(e), Box::new(i))
}

/// `ret e`.
pub fn ret(e: Expr) -> Term {
    Term::Ret(e)
}

/// `if c then t else e`.
pub fn if_(cond: Expr, then_branch: Term, else_branch: Term) -> Term {
    Term::If {
        cond,
        then_branch: Box::new(then_branch),
        else_branch: Box::new(else_branch),
    }
}

/// `match e { arms }`.
pub fn match_(scrutinee: Expr, arms: Vec<(Pattern, Term)>) -> Term {
    Term::Match {
        scrutinee,
        arms: arms
            .into_iter()
            .map(|(pattern, body)| Arm {
                pattern,
                guard: None,
                body,
            })
            .collect(),
    }
}

/// A call of a program function (tail call when in tail position).
pub fn call_fn(function: &str, args: Vec<Expr>) -> Term {
    Term::Call {
        function: name(function),
        args,
    }
}

/// `fail e`.
pub fn fail(e: Expr) -> Term {
    Term::Fail(e)
}

/// A pattern binding a name.
pub fn pbind(s: &str) -> Pattern {
    Pattern::Bind(name(s))
}

enum Step {
    Instr(Name, Instr),
    Let(Name, Expr),
    Bind(Name, Term),
    Try(Name, Term),
}

/// A do-notation style sequence: steps written top-down, folded into nested terms by `ret` or
/// `then`.
#[derive(Default)]
pub struct Block {
    steps: Vec<Step>,
}

impl Block {
    /// An empty block.
    pub fn new() -> Self {
        Block::default()
    }

    /// `bind <- instr`.
    pub fn instr(mut self, bind: &str, instr: Instr) -> Self {
        self.steps.push(Step::Instr(name(bind), instr));
        self
    }

    /// An instruction whose result is ignored (bound to `_`).
    pub fn effect(self, instr: Instr) -> Self {
        self.instr("_", instr)
    }

    /// `let bind = e`.
    pub fn let_(mut self, bind: &str, e: Expr) -> Self {
        self.steps.push(Step::Let(name(bind), e));
        self
    }

    /// `bind <- term` (runs a sub-term, e.g. an `if` or a function call, and binds its result).
    pub fn bind(mut self, bind: &str, t: Term) -> Self {
        self.steps.push(Step::Bind(name(bind), t));
        self
    }

    /// `bind <- try term`: `some(result)`, or `none` if `term` fails with an FD/Nondet error.
    pub fn try_(mut self, bind: &str, t: Term) -> Self {
        self.steps.push(Step::Try(name(bind), t));
        self
    }

    /// Ends the block with `ret e`.
    pub fn ret(self, e: Expr) -> Term {
        self.then(Term::Ret(e))
    }

    /// Ends the block with a final term.
    pub fn then(self, last: Term) -> Term {
        self.steps
            .into_iter()
            .rev()
            .fold(last, |rest, step| match step {
                Step::Instr(bind, instr) => Term::Instr {
                    instr,
                    bind,
                    rest: Box::new(rest),
                },
                Step::Let(n, value) => Term::Let {
                    name: n,
                    value,
                    rest: Box::new(rest),
                },
                Step::Bind(n, first) => Term::Bind {
                    first: Box::new(first),
                    name: n,
                    rest: Box::new(rest),
                },
                Step::Try(n, body) => Term::Try {
                    body: Box::new(body),
                    name: n,
                    rest: Box::new(rest),
                },
            })
    }
}

/// Builds a `Program`.
pub struct ProgramBuilder {
    functions: FxHashMap<Name, Function>,
    behaviours: FxHashMap<Name, Behaviour>,
    pure_registry: Vec<(Name, Name)>,
}

impl Default for ProgramBuilder {
    fn default() -> Self {
        ProgramBuilder::new()
    }
}

impl ProgramBuilder {
    /// An empty program.
    pub fn new() -> Self {
        ProgramBuilder {
            functions: FxHashMap::default(),
            behaviours: FxHashMap::default(),
            pure_registry: Vec::new(),
        }
    }

    /// Adds a safe behaviour.
    pub fn behaviour(self, n: &str, body: Term) -> Self {
        self.behaviour_with(n, body, Safety::Safe)
    }

    /// Adds a behaviour with the given safety.
    pub fn behaviour_with(mut self, n: &str, body: Term, safety: Safety) -> Self {
        self.behaviours.insert(
            name(n),
            Behaviour {
                name: name(n),
                body,
                safety,
            },
        );
        self
    }

    /// Adds a safe plain function.
    pub fn function(self, n: &str, params: &[&str], body: Term) -> Self {
        self.function_with(n, params, body, FnKind::Plain, Safety::Safe)
    }

    /// Adds a pure function.
    pub fn pure_function(self, n: &str, params: &[&str], body: Term) -> Self {
        self.function_with(n, params, body, FnKind::Pure, Safety::Safe)
    }

    /// Adds a function of the given kind and safety.
    pub fn function_with(
        mut self,
        n: &str,
        params: &[&str],
        body: Term,
        kind: FnKind,
        safety: Safety,
    ) -> Self {
        self.functions.insert(
            name(n),
            Function {
                name: name(n),
                params: params.iter().map(|p| name(p)).collect(),
                body,
                kind,
                safety,
            },
        );
        self
    }

    /// Registers `function` under `registry_name` in the initial pure-function registry.
    pub fn register_pure(mut self, registry_name: &str, function: &str) -> Self {
        self.pure_registry
            .push((name(registry_name), name(function)));
        self
    }

    /// Finishes with a safe entry term.
    pub fn main(self, main: Term) -> Program {
        self.main_with(main, Safety::Safe)
    }

    /// Finishes with an entry term of the given safety.
    pub fn main_with(self, main: Term, main_safety: Safety) -> Program {
        Program {
            functions: self.functions,
            behaviours: self.behaviours,
            pure_registry: self.pure_registry,
            main,
            main_safety,
            sources: Vec::new(),
        }
    }
}

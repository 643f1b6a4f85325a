//! First-order ITree terms: what the compiler produces and the reference interpreter runs.
//!
//! Takes nothing; defines the data. A `Term` is the spec's interaction tree made first-order:
//! `Ret` / `Tau` / an instruction whose result is bound to a name for the rest of the term (the
//! spec's `Vis e k` with `k` a named continuation), plus the control flow the source language
//! needs (`Let`, `If`, `Match`, function `Call` — a call in tail position does not grow the frame
//! stack, so loops are tail recursion — `Bind` to sequence a sub-term, `Fail`, `Try`, which
//! turns an FD/Nondet failure of a sub-term into `none`, and `At`, which marks the source
//! location of a sub-term for runtime error reports). `Expr` is the
//! effect-free expression language. A `Program` is a table of functions and behaviours, the
//! initial pure-function registry, and the entry term.

use crate::isa::Safety;
use crate::srcloc::SrcLoc;
use crate::value::Val;
use rustc_hash::FxHashMap;
use std::rc::Rc;

/// A variable, function or behaviour name.
pub type Name = Rc<str>;

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// Integer negation (checked).
    Neg,
    /// Boolean not.
    Not,
}

/// Binary operators. `And` / `Or` short-circuit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+` (checked).
    Add,
    /// `-` (checked).
    Sub,
    /// `*` (checked).
    Mul,
    /// `/` (checked; zero divisor is an error).
    Div,
    /// `%` (checked; zero divisor is an error).
    Rem,
    /// `==` (structural).
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `&&`.
    And,
    /// `||`.
    Or,
    /// `++` on lists or strings.
    Concat,
}

/// Built-in pure operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// `len(list | string | tuple)`.
    Len,
    /// `cons(x, xs)`: `x` prepended to list `xs`.
    Cons,
    /// `head(xs)`: `some(first)` or `none`.
    Head,
    /// `tail(xs)`: the list without its first element (`[]` for `[]`).
    Tail,
    /// `to_string(v)`: the value's printed form (strings unquoted).
    ToString,
    /// `machine(name)`: a machine id from a string.
    MachineNamed,
    /// `controller(name)`: a controller id from a string.
    ControllerNamed,
    /// `contains(xs, x)`.
    Contains,
    /// `reverse(xs)`.
    Reverse,
    /// `is_some(opt)`.
    IsSome,
    /// `unwrap_or(opt, default)`.
    UnwrapOr,
}

/// An effect-free expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A constant.
    Lit(Val),
    /// A variable.
    Var(Name),
    /// A unary operation.
    Unary(UnOp, Box<Expr>),
    /// A binary operation.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A list literal.
    List(Vec<Expr>),
    /// A tuple literal.
    Tuple(Vec<Expr>),
    /// `some(e)`.
    Just(Box<Expr>),
    /// A record literal.
    Record {
        /// Type name.
        type_name: Name,
        /// Fields in order.
        fields: Vec<(Name, Expr)>,
    },
    /// An enum variant.
    Variant {
        /// Enum name.
        enum_name: Name,
        /// Variant name.
        variant: Name,
        /// Payload.
        payload: Vec<Expr>,
    },
    /// Record field access `e.f`.
    Field(Box<Expr>, Name),
    /// Indexing `e[i]` of a list or tuple by an integer.
    Index(Box<Expr>, Box<Expr>),
    /// A built-in operation.
    Builtin(Builtin, Vec<Expr>),
}

/// A `match` pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// `_`.
    Wild,
    /// A variable (binds the value).
    Bind(Name),
    /// A literal, compared structurally.
    Lit(Val),
    /// A tuple of patterns.
    Tuple(Vec<Pattern>),
    /// `[]`.
    Nil,
    /// `[h, ..t]`.
    Cons(Box<Pattern>, Box<Pattern>),
    /// A list of exactly these elements.
    List(Vec<Pattern>),
    /// `none`.
    Nothing,
    /// `some(p)`.
    Just(Box<Pattern>),
    /// A record of the given type; listed fields must match (others are ignored).
    Record {
        /// Type name.
        type_name: Name,
        /// Field patterns.
        fields: Vec<(Name, Pattern)>,
    },
    /// An enum variant with positional payload patterns.
    Variant {
        /// Enum name.
        enum_name: Name,
        /// Variant name.
        variant: Name,
        /// Payload patterns.
        payload: Vec<Pattern>,
    },
}

/// A predicate for `scryMeta` / `scryDeep`: parameters bound to (meta) or (behaviour, meta).
#[derive(Clone, Debug, PartialEq)]
pub struct Predicate {
    /// Parameter names.
    pub params: Vec<Name>,
    /// A Bool-valued expression.
    pub body: Expr,
}

/// An AVM instruction with operand expressions (the spec's flat aliases, one per instruction).
#[derive(Clone, Debug, PartialEq)]
pub enum Instr {
    /// `createObj name controller` (controller: an `Option[ControllerId]` expression).
    CreateObj {
        /// Behaviour name.
        behaviour: Name,
        /// `none` or `some(controller)`.
        controller: Expr,
    },
    /// `destroyObj oid`.
    DestroyObj(Expr),
    /// `call oid input`.
    Call(Expr, Expr),
    /// `receive`.
    Receive,
    /// `self`.
    SelfId,
    /// `input`.
    Input,
    /// `getCurrentMachine`.
    GetCurrentMachine,
    /// `getState`.
    GetState,
    /// `setState list`.
    SetState(Expr),
    /// `sender`.
    Sender,
    /// Read field `i` of self's state.
    GetField(usize),
    /// Write field `i` of self's state.
    SetField(usize, Expr),
    /// `reflect oid` (Unsafe).
    Reflect(Expr),
    /// `scryMeta pred` (Unsafe); predicate over (meta).
    ScryMeta(Predicate),
    /// `scryDeep pred` (Unsafe); predicate over (behaviour, meta).
    ScryDeep(Predicate),
    /// `reifyContext`.
    ReifyContext,
    /// `reifyTxState` (Unsafe).
    ReifyTxState,
    /// `reifyConstraints` (Unsafe).
    ReifyConstraints,
    /// `beginTx controller` (an `Option[ControllerId]` expression).
    BeginTx(Expr),
    /// `commitTx txid`.
    CommitTx(Expr),
    /// `abortTx txid`.
    AbortTx(Expr),
    /// Commit, turning a conflict into an abort and `false` (for `try atomic`).
    CommitOrAbort(Expr),
    /// `callPure name args` (args: a list expression).
    CallPure {
        /// Registry name.
        name: Name,
        /// The argument list.
        args: Expr,
    },
    /// `registerPure name f` (Unsafe), `f` a function of the program.
    RegisterPure {
        /// Registry name.
        name: Name,
        /// Implementing function.
        function: Name,
    },
    /// `updatePure name f`, `f` a function of the program.
    UpdatePure {
        /// Registry name.
        name: Name,
        /// New implementing function.
        function: Name,
    },
    /// `getMachine oid`.
    GetMachine(Expr),
    /// `teleport machine`.
    Teleport(Expr),
    /// `moveObject oid machine`.
    MoveObject(Expr, Expr),
    /// `fetch oid`.
    Fetch(Expr),
    /// `getCurrentController`.
    GetCurrentController,
    /// `getController oid`.
    GetController(Expr),
    /// `transferObject oid controller`.
    TransferObject(Expr, Expr),
    /// `freeze oid`.
    Freeze(Expr),
    /// Extension: print a value (an `Output` trace event); result `()`.
    Print(Expr),
    /// Extension: `publish name oid` names an object in the world (buffered inside a
    /// transaction); result `()`.
    Publish(Expr, Expr),
    /// Extension: `lookup name interface`: `some(oid)` for the live object published under
    /// `name`, `none` if there is none; `interface` is `none` (no check) or `some(text)`, which
    /// must equal the object's behaviour's interface (`ExecError::InterfaceMismatch`).
    Lookup(Expr, Expr),
    /// `newVar domain` (a list of integers); result an `FdVar`.
    NewVar(Expr),
    /// `narrow var domain`; result `true` (a wipe-out is an FD error).
    Narrow(Expr, Expr),
    /// `post constraint` (a `Constraint` variant, see `isa::fd::decode_constraint`); result
    /// `true` (a wipe-out is an FD error).
    Post(Expr),
    /// `label var`; result the chosen integer.
    Label(Expr),
    /// `choose options` (a list); result one of them, resolved at commit.
    Choose(Expr),
    /// `require condition` (a Bool); result `()`, checked at commit.
    Require(Expr),
}

/// A `match` arm.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    /// The pattern.
    pub pattern: Pattern,
    /// An optional guard, evaluated with the pattern's bindings.
    pub guard: Option<Expr>,
    /// The arm's body.
    pub body: Term,
}

/// An ITree term.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// `ret e`.
    Ret(Expr),
    /// `tau t` (one silent step).
    Tau(Box<Term>),
    /// `vis instr (λ bind → rest)`.
    Instr {
        /// The instruction.
        instr: Instr,
        /// The name its result is bound to.
        bind: Name,
        /// The continuation.
        rest: Box<Term>,
    },
    /// `let name = value; rest`.
    Let {
        /// Bound name.
        name: Name,
        /// Value.
        value: Expr,
        /// Continuation.
        rest: Box<Term>,
    },
    /// `if cond then else`.
    If {
        /// Bool condition.
        cond: Expr,
        /// Taken when true.
        then_branch: Box<Term>,
        /// Taken when false.
        else_branch: Box<Term>,
    },
    /// `match scrutinee { arms }` (no arm matching is an error).
    Match {
        /// The value matched.
        scrutinee: Expr,
        /// The arms, tried in order.
        arms: Vec<Arm>,
    },
    /// Call of a program function; its result is this term's result. In tail position it
    /// reuses the frame.
    Call {
        /// The function.
        function: Name,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// Run `first`, bind its result to `name`, continue with `rest` (monadic bind).
    Bind {
        /// The sub-term.
        first: Box<Term>,
        /// The name its result is bound to.
        name: Name,
        /// The continuation.
        rest: Box<Term>,
    },
    /// Fail the run with `ExecError::Failed(value)`.
    Fail(Expr),
    /// `body`, which comes from the source location `loc`: a run that fails while evaluating
    /// it (before another `At` is reached) reports `loc`. Takes no interpreter step.
    At {
        /// Where `body` comes from (an index into [`Program::sources`] and a byte range).
        loc: SrcLoc,
        /// The marked term.
        body: Box<Term>,
    },
    /// Run `body`; bind `some(result)` to `name`, or `none` when the body fails with an FD or
    /// Nondet error (a domain wipe-out, an unsatisfiable commit): the transactions the body
    /// opened and left open are aborted and the run continues with `rest`. This is how an
    /// atomic block fails so that constraint search backtracks (`try atomic`). Other errors
    /// are not caught.
    Try {
        /// The guarded sub-term.
        body: Box<Term>,
        /// The name the option is bound to.
        name: Name,
        /// The continuation.
        rest: Box<Term>,
    },
}

/// Plain functions may perform effects (in the caller's context); pure ones may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FnKind {
    /// May perform effects.
    Plain,
    /// No instructions allowed.
    Pure,
}

/// A function of the program.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Its name.
    pub name: Name,
    /// Parameter names.
    pub params: Vec<Name>,
    /// Its body.
    pub body: Term,
    /// Plain or pure.
    pub kind: FnKind,
    /// Whether it may run Unsafe instructions.
    pub safety: Safety,
}

/// An object behaviour: run on each `call` with the call's input; returns a list of outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Behaviour {
    /// Its name (what `createObj` names).
    pub name: Name,
    /// Its body.
    pub body: Term,
    /// Whether it may run Unsafe instructions.
    pub safety: Safety,
}

/// A whole program.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Functions by name.
    pub functions: FxHashMap<Name, Function>,
    /// Behaviours by name.
    pub behaviours: FxHashMap<Name, Behaviour>,
    /// Initial pure-function registry: (registry name, implementing function), installed by `run`.
    pub pure_registry: Vec<(Name, Name)>,
    /// The entry term.
    pub main: Term,
    /// Whether the entry may run Unsafe instructions.
    pub main_safety: Safety,
    /// The source file names that [`Term::At`] locations index (empty when the terms carry
    /// no locations).
    pub sources: Vec<Name>,
}

/// A cheap placeholder left behind when a child term is moved out during drop.
fn hole() -> Term {
    Term::Fail(Expr::Lit(Val::Unit))
}

/// Moves the child terms of `t` into `out`, leaving placeholders.
fn take_children(t: &mut Term, out: &mut Vec<Term>) {
    match t {
        Term::Tau(rest)
        | Term::Instr { rest, .. }
        | Term::Let { rest, .. }
        | Term::At { body: rest, .. } => {
            out.push(std::mem::replace(&mut **rest, hole()));
        }
        Term::If {
            then_branch,
            else_branch,
            ..
        } => {
            out.push(std::mem::replace(&mut **then_branch, hole()));
            out.push(std::mem::replace(&mut **else_branch, hole()));
        }
        Term::Bind { first, rest, .. }
        | Term::Try {
            body: first, rest, ..
        } => {
            out.push(std::mem::replace(&mut **first, hole()));
            out.push(std::mem::replace(&mut **rest, hole()));
        }
        Term::Match { arms, .. } => {
            for arm in arms {
                out.push(std::mem::replace(&mut arm.body, hole()));
            }
        }
        Term::Ret(_) | Term::Call { .. } | Term::Fail(_) => {}
    }
}

impl Drop for Term {
    /// Drops iteratively: a long straight-line program is a deeply nested term, and the default
    /// recursive drop would overflow the host stack.
    fn drop(&mut self) {
        let mut pending = Vec::new();
        take_children(self, &mut pending);
        while let Some(mut t) = pending.pop() {
            take_children(&mut t, &mut pending);
        }
    }
}

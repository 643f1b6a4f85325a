//! The abstract syntax tree produced by the parser.
//!
//! Takes nothing (it is a data model); produced by [`crate::syntax::parse()`],
//! consumed by name resolution, type checking and the AST pretty-printer.
//! Every node carries its [`Span`]; items, expressions, statements, patterns,
//! parameters and types also carry a dense [`NodeId`] (assigned by the parser
//! in post-order, starting at 0) so later passes can keep side tables indexed
//! by it. `Module::node_count` is one past the largest id used.

use crate::syntax::span::{FileId, Span};

/// A dense per-module node number, for side tables in later passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// An identifier with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `a`, `a::b`, `Shot::Hit` (expressions, patterns, types).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

/// One parsed source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub file: FileId,
    pub items: Vec<Item>,
    pub span: Span,
    /// One past the largest [`NodeId`] in this module.
    pub node_count: u32,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: NodeId,
    pub kind: ItemKind,
    /// The `///` doc comment in front of the item, without the slashes.
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    Import(Import),
    Struct(StructDef),
    Enum(EnumDef),
    Object(ObjectDef),
    Fn(FnDef),
    /// A syntax error was recovered here; a diagnostic has been reported.
    Error,
}

/// `import std.list` (segments separated by `.` or `::`).
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub path: Path,
}

/// `struct Point { x: Int, y: Int }`
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub name: Ident,
    pub generics: Vec<Ident>,
    pub fields: Vec<FieldDef>,
}

/// `x: Int` inside a struct or a struct-like enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: Ident,
    pub ty: Type,
    pub doc: Option<String>,
    pub span: Span,
}

/// `enum Cell { Empty, Ship, Hit, Miss }`, `enum Shot { Miss, Sunk(Int) }`
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: Ident,
    pub generics: Vec<Ident>,
    pub variants: Vec<VariantDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantDef {
    pub name: Ident,
    pub fields: VariantFields,
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VariantFields {
    /// `Empty`
    Unit,
    /// `Sunk(Int)`
    Tuple(Vec<Type>),
    /// `Move { from: Int, to: Int }`
    Struct(Vec<FieldDef>),
}

/// `object Name { state ...; init(...) { } fn m(...) { } }`
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDef {
    pub name: Ident,
    /// Members in source order (duplicates are reported by name resolution).
    pub members: Vec<ObjectMember>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectMember {
    State(StateField),
    Init(InitDef),
    Method(FnDef),
    /// A syntax error was recovered here.
    Error(Span),
}

/// `state count: Int = 0`
#[derive(Debug, Clone, PartialEq)]
pub struct StateField {
    pub id: NodeId,
    pub name: Ident,
    pub ty: Type,
    pub init: Expr,
    pub doc: Option<String>,
    pub span: Span,
}

/// `init(start: Int) { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct InitDef {
    pub id: NodeId,
    pub params: Vec<Param>,
    pub body: Block,
    pub doc: Option<String>,
    pub span: Span,
}

/// Which kind of function a `fn` declaration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FnKind {
    /// `fn`: may perform effects, runs in the caller's context.
    Plain,
    /// `pure fn`: no effects; registered as a pure function, called via `callPure`.
    Pure,
    /// `unsafe fn`: may use Unsafe instructions.
    Unsafe,
}

/// A function or a method.
#[derive(Debug, Clone, PartialEq)]
pub struct FnDef {
    pub id: NodeId,
    pub kind: FnKind,
    pub name: Ident,
    /// `fn len[T](xs: List[T]) -> Int`: type parameters in brackets.
    pub generics: Vec<Ident>,
    pub params: Vec<Param>,
    /// `None` means `-> Unit`.
    pub ret: Option<Type>,
    pub body: Block,
    pub doc: Option<String>,
    pub span: Span,
}

/// `n: Int`
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub id: NodeId,
    pub name: Ident,
    pub ty: Type,
    pub span: Span,
}

/// A written type.
#[derive(Debug, Clone, PartialEq)]
pub struct Type {
    pub id: NodeId,
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// `Int`, `Counter`, `List[Int]`, `Ref[Counter]`, `Option[T]`: a path with
    /// optional bracketed arguments. Built-in names are resolved later.
    Named { path: Path, args: Vec<Type> },
    /// `(A, B)`; the empty tuple `()` is `Unit`.
    Tuple(Vec<Type>),
    /// `fn(Int, Int) -> Bool` (a function value; `pure fn(..)` for pure ones).
    Fn {
        kind: FnKind,
        params: Vec<Type>,
        ret: Box<Type>,
    },
    /// A syntax error was recovered here.
    Error,
}

/// `{ stmt; stmt; tail }`
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub id: NodeId,
    pub stmts: Vec<Stmt>,
    /// The value of the block: its last statement when that is an expression
    /// statement (it is then removed from `stmts`). `None` means `()`.
    pub tail: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub id: NodeId,
    pub kind: StmtKind,
    pub span: Span,
}

/// `let` (immutable) or `var` (mutable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    Immutable,
    Mutable,
}

impl Mutability {
    /// The keyword that introduces the binding: `let` or `var`.
    pub fn keyword(self) -> &'static str {
        match self {
            Mutability::Immutable => "let",
            Mutability::Mutable => "var",
        }
    }
}

/// `=`, `+=`, `-=`, `*=`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Assign,
    AddAssign,
    SubAssign,
    MulAssign,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `let p: T = e` / `var x = e`
    Let {
        mutability: Mutability,
        pattern: Pattern,
        ty: Option<Type>,
        init: Expr,
    },
    /// `target = value`, `target += value`; target is a path, field or index expression.
    Assign {
        op: AssignOp,
        target: Expr,
        value: Expr,
    },
    /// `while cond { body }`
    While { cond: Expr, body: Block },
    /// `for pat in iter { body }` (`iter` may be a range `a..b`)
    For {
        pattern: Pattern,
        iter: Expr,
        body: Block,
    },
    /// An expression used as a statement.
    Expr(Expr),
    /// A syntax error was recovered here.
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub id: NodeId,
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Int(i64),
    Bool(bool),
    String(String),
    /// `()`
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-e`
    Neg,
    /// `!e`
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    /// `++`: list and string concatenation
    Concat,
}

impl BinaryOp {
    /// The operator as written in source (`+`, `==`, `++`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Concat => "++",
        }
    }
}

/// `a..b` (end excluded) or `a..=b` (end included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeKind {
    Exclusive,
    Inclusive,
}

/// The execution-context values of the AVM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextValue {
    /// `self`: the running object
    SelfRef,
    /// `sender`: the caller, `Option[Ref[Any]]`
    Sender,
    /// `input`: the raw input message
    Input,
}

/// `name: value` in a struct literal (`Point { x }` is sugar for `x: x`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInit {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// `pattern if guard => body`
#[derive(Debug, Clone, PartialEq)]
pub struct MatchArm {
    pub pattern: Pattern,
    pub guard: Option<Expr>,
    pub body: Expr,
    pub span: Span,
}

/// `|m|` or `|m: ObjectMeta|`
#[derive(Debug, Clone, PartialEq)]
pub struct ClosureParam {
    pub id: NodeId,
    pub name: Ident,
    pub ty: Option<Type>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Lit(Literal),
    /// `x`, `a::b`, `Shot::Hit`
    Path(Path),
    /// `self`, `sender`, `input`
    Context(ContextValue),
    /// `none`
    None,
    /// `some(e)`
    Some(Box<Expr>),
    /// `f(args)`, `Sunk(3)`, `print(v)`
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    /// `c.add(5)`: an AVM `call` when `c` is an object reference
    MethodCall {
        receiver: Box<Expr>,
        method: Ident,
        args: Vec<Expr>,
    },
    /// `p.x`
    Field {
        base: Box<Expr>,
        field: Ident,
    },
    /// `t.0`
    TupleIndex {
        base: Box<Expr>,
        index: u32,
        index_span: Span,
    },
    /// `xs[i]`
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `a..b`, `a..=b`
    Range {
        kind: RangeKind,
        start: Box<Expr>,
        end: Box<Expr>,
    },
    /// `(a, b)`; `(a,)` is a one-element tuple (`()` is a literal, `(e)` is `e`).
    Tuple(Vec<Expr>),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `Point { x: 1, y: 2 }`
    Struct {
        path: Path,
        fields: Vec<FieldInit>,
    },
    /// `{ ... }`
    Block(Block),
    /// `if c { } else { }`; `else_branch` is a block expression or another `if`.
    If {
        cond: Box<Expr>,
        then_branch: Block,
        else_branch: Option<Box<Expr>>,
    },
    /// `match e { arms }`
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<MatchArm>,
    },
    /// `|a, b| body`
    Closure {
        params: Vec<ClosureParam>,
        body: Box<Expr>,
    },
    /// `create O`, `create O(args)`, `create O by ctl`
    Create {
        object: Path,
        /// `None` when written without parentheses.
        args: Option<Vec<Expr>>,
        controller: Option<Box<Expr>>,
    },
    /// `destroy c`
    Destroy(Box<Expr>),
    /// `try e`: a call or atomic block whose failure becomes `none`
    Try(Box<Expr>),
    /// `atomic { }` / `atomic by ctl { }`
    Atomic {
        controller: Option<Box<Expr>>,
        body: Block,
    },
    /// `abort`
    Abort,
    /// `reject`
    Reject,
    /// `unsafe { }`
    Unsafe(Block),
    /// `update pure f = g` (AVM `updatePure`)
    UpdatePure {
        target: Path,
        replacement: Path,
    },
    /// `register pure f = g` (AVM `registerPure`)
    RegisterPure {
        name: Path,
        implementation: Path,
    },
    /// `teleport m`
    Teleport(Box<Expr>),
    /// `move c to m`
    Move {
        object: Box<Expr>,
        machine: Box<Expr>,
    },
    /// `fetch c`
    Fetch(Box<Expr>),
    /// `transfer c to k`
    Transfer {
        object: Box<Expr>,
        controller: Box<Expr>,
    },
    /// `freeze c`
    Freeze(Box<Expr>),
    /// `post constraint`
    Post(Box<Expr>),
    /// `require cond`
    Require(Box<Expr>),
    /// `e as T`
    Cast {
        expr: Box<Expr>,
        ty: Type,
    },
    /// `return` / `return e`
    Return(Option<Box<Expr>>),
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// A syntax error was recovered here.
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub id: NodeId,
    pub kind: PatternKind,
    pub span: Span,
}

/// `name: pattern` inside a struct pattern (`Point { x }` is sugar for `x: x`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPattern {
    pub name: Ident,
    pub pattern: Pattern,
    pub span: Span,
}

/// Whether a struct pattern ends in `..` (ignoring the remaining fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldsRest {
    Exhaustive,
    Ignored,
}

/// The `..t` / `..` tail of a list pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRest {
    /// `..t` binds the remaining list to `t`; `..` ignores it.
    pub binding: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatternKind {
    /// `_`
    Wildcard,
    /// `x` (name resolution turns a bare name of a unit variant into a variant pattern)
    Binding(Ident),
    /// `42`, `-1`, `"s"`, `true`, `()`
    Lit(Literal),
    /// `(a, b)`
    Tuple(Vec<Pattern>),
    /// `[]`, `[a, b]`, `[h, ..t]`
    List {
        items: Vec<Pattern>,
        rest: Option<ListRest>,
    },
    /// `none`
    None,
    /// `some(p)`
    Some(Box<Pattern>),
    /// `Cell::Empty` (a path of two or more segments)
    Path(Path),
    /// `Sunk(n)`, `Shot::Sunk(n)`
    Variant { path: Path, args: Vec<Pattern> },
    /// `Point { x, y: 0 }`, `Point { x, .. }`
    Struct {
        path: Path,
        fields: Vec<FieldPattern>,
        rest: FieldsRest,
    },
    /// A syntax error was recovered here.
    Error,
}

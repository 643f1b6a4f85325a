//! The parser's state and node builder, used by the grammar actions.
//!
//! Takes positions and children from `grammar.lalrpop`; produces AST nodes
//! with spans (all built by [`Span::new`] through [`AstBuilder::span`]) and
//! dense [`NodeId`]s, attaches doc comments, and collects the diagnostics the
//! grammar actions find (invalid assignment targets, out-of-range literals)
//! plus the syntax errors lalrpop recovered from.

mod chain;

pub use chain::CHAIN_LOCAL;

use std::collections::HashMap;

use lalrpop_util::ErrorRecovery;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::ast::*;
use crate::syntax::depth::{
    DepthOf, MAX_DEPTH, block_depth, expr_depth, pattern_depth, stmt_depth, type_depth,
};
use crate::syntax::lexer::DocComment;
use crate::syntax::span::{FileId, Span};
use crate::syntax::token::{LexErrorKind, Token};

/// A syntax error lalrpop recovered from.
pub type Recovered<'a> = ErrorRecovery<usize, Token<'a>, LexErrorKind>;

/// State threaded through the grammar actions.
pub struct AstBuilder<'a> {
    pub file: FileId,
    next_id: u32,
    docs: HashMap<u32, DocComment>,
    strings: Vec<String>,
    /// Integer literals equal to 2^63, valid only directly after a `-`.
    pending_min: Vec<(NodeId, Span)>,
    pub diagnostics: Vec<Diagnostic>,
    pub recovered: Vec<Recovered<'a>>,
    /// Nesting depth of every expression, statement, block, pattern and type, by id.
    depths: Vec<u32>,
    /// Whether the nesting limit was already reported (once per file).
    depth_reported: bool,
    /// Long operator chains made flat ([`chain`]).
    chains: chain::Chains,
}

impl DepthOf for AstBuilder<'_> {
    fn depth_of(&self, id: NodeId) -> u32 {
        self.depths.get(id.0 as usize).copied().unwrap_or(1)
    }
}

impl<'a> AstBuilder<'a> {
    pub fn new(file: FileId, docs: HashMap<u32, DocComment>, strings: Vec<String>) -> Self {
        AstBuilder {
            file,
            next_id: 0,
            docs,
            strings,
            pending_min: Vec::new(),
            diagnostics: Vec::new(),
            recovered: Vec::new(),
            depths: Vec::new(),
            depth_reported: false,
            chains: chain::Chains::default(),
        }
    }

    /// The one span constructor of the grammar.
    pub fn span(&self, lo: usize, hi: usize) -> Span {
        Span::new(lo, hi)
    }

    pub fn id(&mut self) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        id
    }

    pub fn node_count(&self) -> u32 {
        self.next_id
    }

    /// Finishes: reports literals that needed a `-` and doc comments that
    /// documented nothing.
    pub fn finish(&mut self) {
        for (_, span) in std::mem::take(&mut self.pending_min) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0104,
                    "integer literal `9223372036854775808` does not fit in a 64-bit `Int`",
                    Label::new(self.file, span, "too large"),
                )
                .with_help("only `-9223372036854775808` (with the minus sign) is a valid `Int`"),
            );
        }
        let mut left: Vec<DocComment> = self.docs.drain().map(|(_, d)| d).collect();
        left.sort_by_key(|d| d.span.start);
        for doc in left {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::W0101,
                    "doc comment documents nothing",
                    Label::new(self.file, doc.span, "not followed by an item, member, field or variant"),
                )
                .with_help("use a plain `//` comment here, or move the `///` comment directly above an item"),
            );
        }
    }

    pub fn take_doc(&mut self, lo: usize) -> Option<String> {
        let key = u32::try_from(lo).ok()?;
        self.docs.remove(&key).map(|d| d.text)
    }

    pub fn string(&mut self, index: u32) -> String {
        self.strings
            .get_mut(index as usize)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    pub fn ident(&self, lo: usize, name: &str, hi: usize) -> Ident {
        Ident {
            name: name.to_string(),
            span: self.span(lo, hi),
        }
    }

    pub fn path(&self, lo: usize, segments: Vec<Ident>, hi: usize) -> Path {
        Path {
            segments,
            span: self.span(lo, hi),
        }
    }

    pub fn item(&mut self, lo: usize, kind: ItemKind, hi: usize) -> Item {
        let doc = self.take_doc(lo);
        let kind = match kind {
            ItemKind::Fn(mut f) => {
                f.doc.clone_from(&doc);
                ItemKind::Fn(f)
            }
            other => other,
        };
        Item {
            id: self.id(),
            kind,
            doc,
            span: self.span(lo, hi),
        }
    }

    pub fn member(&mut self, member: ObjectMember) -> ObjectMember {
        match member {
            ObjectMember::State(mut s) => {
                s.doc = self.take_doc(s.span.start as usize);
                ObjectMember::State(s)
            }
            ObjectMember::Init(mut i) => {
                i.doc = self.take_doc(i.span.start as usize);
                ObjectMember::Init(i)
            }
            ObjectMember::Method(mut f) => {
                f.doc = self.take_doc(f.span.start as usize);
                ObjectMember::Method(f)
            }
            ObjectMember::Error(span) => ObjectMember::Error(span),
        }
    }

    pub fn field_def(&mut self, lo: usize, name: Ident, ty: Type, hi: usize) -> FieldDef {
        FieldDef {
            name,
            ty,
            doc: self.take_doc(lo),
            span: self.span(lo, hi),
        }
    }

    pub fn variant(
        &mut self,
        lo: usize,
        name: Ident,
        fields: VariantFields,
        hi: usize,
    ) -> VariantDef {
        VariantDef {
            name,
            fields,
            doc: self.take_doc(lo),
            span: self.span(lo, hi),
        }
    }

    pub fn param(&mut self, lo: usize, name: Ident, ty: Type, hi: usize) -> Param {
        Param {
            id: self.id(),
            name,
            ty,
            span: self.span(lo, hi),
        }
    }

    pub fn closure_param(
        &mut self,
        lo: usize,
        name: Ident,
        ty: Option<Type>,
        hi: usize,
    ) -> ClosureParam {
        ClosureParam {
            id: self.id(),
            name,
            ty,
            span: self.span(lo, hi),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn fn_def(
        &mut self,
        lo: usize,
        kind: FnKind,
        name: Ident,
        generics: Option<Vec<Ident>>,
        params: Vec<Param>,
        ret: Option<Type>,
        body: Block,
        hi: usize,
    ) -> FnDef {
        FnDef {
            id: self.id(),
            kind,
            name,
            generics: generics.unwrap_or_default(),
            params,
            ret,
            body,
            doc: None,
            span: self.span(lo, hi),
        }
    }

    pub fn state_field(
        &mut self,
        lo: usize,
        name: Ident,
        ty: Type,
        init: Expr,
        hi: usize,
    ) -> ObjectMember {
        ObjectMember::State(StateField {
            id: self.id(),
            name,
            ty,
            init,
            doc: None,
            span: self.span(lo, hi),
        })
    }

    pub fn init_def(
        &mut self,
        lo: usize,
        params: Vec<Param>,
        body: Block,
        hi: usize,
    ) -> ObjectMember {
        ObjectMember::Init(InitDef {
            id: self.id(),
            params,
            body,
            doc: None,
            span: self.span(lo, hi),
        })
    }

    /// Records a node's depth; past [`MAX_DEPTH`] reports E0205 (once) and
    /// tells the caller to replace the node by an error node, which drops the
    /// (bounded) children.
    fn record_depth(&mut self, id: NodeId, depth: u32, span: Span) -> DepthCheck {
        let (depth, check) = if depth > MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E0205,
                        format!("this is nested more than {MAX_DEPTH} levels deep"),
                        Label::new(self.file, span, "nested too deeply"),
                    )
                    .with_help("split the expression into several `let` bindings or functions"),
                );
            }
            (1, DepthCheck::TooDeep)
        } else {
            (depth, DepthCheck::Fine)
        };
        let index = id.0 as usize;
        if self.depths.len() <= index {
            self.depths.resize(index + 1, 1);
        }
        self.depths[index] = depth;
        check
    }

    pub fn ty(&mut self, lo: usize, kind: TypeKind, hi: usize) -> Type {
        let id = self.id();
        let span = self.span(lo, hi);
        let depth = type_depth(&kind, self);
        let kind = match self.record_depth(id, depth, span) {
            DepthCheck::Fine => kind,
            DepthCheck::TooDeep => TypeKind::Error,
        };
        Type { id, kind, span }
    }

    pub fn expr(&mut self, lo: usize, kind: ExprKind, hi: usize) -> Expr {
        let id = self.id();
        let span = self.span(lo, hi);
        let depth = expr_depth(&kind, self);
        let kind = match self.record_depth(id, depth, span) {
            DepthCheck::Fine => kind,
            DepthCheck::TooDeep => ExprKind::Error,
        };
        Expr { id, kind, span }
    }

    pub fn boxed(&mut self, lo: usize, kind: ExprKind, hi: usize) -> Box<Expr> {
        Box::new(self.expr(lo, kind, hi))
    }

    pub fn stmt(&mut self, lo: usize, kind: StmtKind, hi: usize) -> Stmt {
        let id = self.id();
        let span = self.span(lo, hi);
        let depth = stmt_depth(&kind, self);
        let kind = match self.record_depth(id, depth, span) {
            DepthCheck::Fine => kind,
            DepthCheck::TooDeep => StmtKind::Error,
        };
        Stmt { id, kind, span }
    }

    pub fn pat(&mut self, lo: usize, kind: PatternKind, hi: usize) -> Pattern {
        let id = self.id();
        let span = self.span(lo, hi);
        let depth = pattern_depth(&kind, self);
        let kind = match self.record_depth(id, depth, span) {
            DepthCheck::Fine => kind,
            DepthCheck::TooDeep => PatternKind::Error,
        };
        Pattern { id, kind, span }
    }

    /// A block; a final expression statement becomes the block's value.
    pub fn block(&mut self, lo: usize, mut stmts: Vec<Stmt>, hi: usize) -> Block {
        let tail = match stmts.last() {
            Some(Stmt {
                kind: StmtKind::Expr(_),
                ..
            }) => match stmts.pop() {
                Some(Stmt {
                    kind: StmtKind::Expr(e),
                    ..
                }) => Some(Box::new(e)),
                _ => None, // unreachable: the last statement was just matched
            },
            _ => None,
        };
        let id = self.id();
        let span = self.span(lo, hi);
        let depth = block_depth(&stmts, tail.as_deref(), self);
        let (stmts, tail) = match self.record_depth(id, depth, span) {
            DepthCheck::Fine => (stmts, tail),
            DepthCheck::TooDeep => (Vec::new(), None),
        };
        Block {
            id,
            stmts,
            tail,
            span,
        }
    }

    /// An integer literal expression (`value` is at most 2^63).
    pub fn int_lit(&mut self, lo: usize, value: u64, hi: usize) -> Expr {
        let e = self.expr(lo, ExprKind::Lit(Literal::Int(value as i64)), hi);
        if value > i64::MAX as u64 {
            self.pending_min.push((e.id, e.span));
        }
        e
    }

    /// An integer literal pattern, possibly negated.
    pub fn int_pat(&mut self, lo: usize, negated: bool, value: u64, hi: usize) -> Pattern {
        let v = if negated {
            (value as i64).wrapping_neg()
        } else {
            value as i64
        };
        let p = self.pat(lo, PatternKind::Lit(Literal::Int(v)), hi);
        if value > i64::MAX as u64 && !negated {
            self.pending_min.push((p.id, p.span));
        }
        p
    }

    /// `-operand`; `-9223372036854775808` becomes the literal `i64::MIN`.
    pub fn negate(&mut self, lo: usize, operand: Expr, hi: usize) -> Expr {
        if let Some(pos) = self
            .pending_min
            .iter()
            .position(|(id, _)| *id == operand.id)
        {
            self.pending_min.remove(pos);
            return self.expr(lo, ExprKind::Lit(Literal::Int(i64::MIN)), hi);
        }
        self.expr(
            lo,
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand: Box::new(operand),
            },
            hi,
        )
    }

    /// `callee(args)`; a call of a field access `r.m(args)` is a method call.
    pub fn call(&mut self, lo: usize, callee: Expr, args: Vec<Expr>, hi: usize) -> Expr {
        let kind = match callee.kind {
            ExprKind::Field { base, field } => ExprKind::MethodCall {
                receiver: base,
                method: field,
                args,
            },
            kind => ExprKind::Call {
                callee: Box::new(Expr { kind, ..callee }),
                args,
            },
        };
        self.expr(lo, kind, hi)
    }

    /// `target op value`; reports E0204 when the target cannot be assigned.
    pub fn assign(
        &mut self,
        lo: usize,
        target: Expr,
        op: AssignOp,
        value: Expr,
        hi: usize,
    ) -> Stmt {
        let assignable = matches!(
            target.kind,
            ExprKind::Path(_)
                | ExprKind::Field { .. }
                | ExprKind::Index { .. }
                | ExprKind::TupleIndex { .. }
                | ExprKind::Error
        );
        if !assignable {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0204,
                    "invalid left-hand side of an assignment",
                    Label::new(self.file, target.span, "cannot assign to this expression"),
                )
                .with_help(if op == AssignOp::Assign {
                    "assign to a variable, a state field, `p.x` or `xs[i]`; to compare, write `==`"
                } else {
                    "compound assignment needs a variable, a state field, `p.x` or `xs[i]` on the left"
                }),
            );
        }
        self.stmt(lo, StmtKind::Assign { op, target, value }, hi)
    }

    /// `( e )`, `( e, ... )`: one element without a trailing comma is just `e`.
    pub fn paren(&mut self, lo: usize, first: Expr, rest: Option<Vec<Expr>>, hi: usize) -> Expr {
        match rest {
            None => first,
            Some(rest) => {
                let mut items = vec![first];
                items.extend(rest);
                self.expr(lo, ExprKind::Tuple(items), hi)
            }
        }
    }

    pub fn recover(&mut self, error: Recovered<'a>) {
        self.recovered.push(error);
    }
}

/// The end of a list pattern, between the last `,` and `]`.
pub enum ListEnd {
    Item(Pattern),
    Rest(ListRest),
    Nothing,
}

/// Whether a new node stays within [`MAX_DEPTH`].
enum DepthCheck {
    Fine,
    TooDeep,
}

/// One entry of REPL input: a declaration or a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplEntry {
    Item(Item),
    Stmt(Stmt),
}

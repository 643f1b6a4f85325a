//! The expression half of the formatter: expressions and patterns on one line
//! (blocks and matches inside them go through `layout.rs`).
//!
//! Takes AST expressions; produces their text with parentheses only where the
//! grammar needs them: an operand binding looser than its position allows, a
//! struct literal or `return` in a condition (`if`, `while`, `for … in`,
//! `match`, `by`), a statement that would start with `||`. Integer and string
//! literals keep their source spelling (`0xff`, `"\u{41}"`).

use super::layout::Printer;
use crate::syntax::ast::*;
use crate::syntax::pretty::type_text;
use crate::syntax::source_printer::{chain_block, path_text, string_literal};

/// Binding strength, loosest first (the grammar's expression levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    /// `return e`, `|x| e`, `move a to m`, `post e`, `break`: extend to the right.
    Open,
    Range,
    Or,
    And,
    Compare,
    Concat,
    Add,
    Mul,
    Cast,
    Prefix,
    Postfix,
    Primary,
}

/// The longest list literal kept on one line.
const LIST_MAX: usize = 80;

/// How an `if` chain is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IfLayout {
    /// All on one line.
    Compact,
    /// Every branch one statement a line.
    Broken,
}

/// Whether a struct literal may appear bare (conditions forbid it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StructLits {
    Allowed,
    Forbidden,
}

fn prec(e: &Expr) -> Prec {
    match &e.kind {
        ExprKind::Closure { .. }
        | ExprKind::Return(_)
        | ExprKind::Break
        | ExprKind::Continue
        | ExprKind::Post(_)
        | ExprKind::Require(_)
        | ExprKind::Move { .. }
        | ExprKind::Transfer { .. } => Prec::Open,
        ExprKind::Range { .. } => Prec::Range,
        ExprKind::Binary { op, .. } => binary_prec(*op),
        ExprKind::Cast { .. } => Prec::Cast,
        ExprKind::Lit(Literal::Int(v)) if *v < 0 => Prec::Prefix,
        ExprKind::Unary { .. }
        | ExprKind::Try(_)
        | ExprKind::Destroy(_)
        | ExprKind::Fetch(_)
        | ExprKind::Freeze(_)
        | ExprKind::Teleport(_)
        | ExprKind::Create { .. } => Prec::Prefix,
        ExprKind::Call { .. }
        | ExprKind::MethodCall { .. }
        | ExprKind::Field { .. }
        | ExprKind::TupleIndex { .. }
        | ExprKind::Index { .. } => Prec::Postfix,
        _ => Prec::Primary,
    }
}

fn binary_prec(op: BinaryOp) -> Prec {
    match op {
        BinaryOp::Or => Prec::Or,
        BinaryOp::And => Prec::And,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            Prec::Compare
        }
        BinaryOp::Concat => Prec::Concat,
        BinaryOp::Add | BinaryOp::Sub => Prec::Add,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => Prec::Mul,
    }
}

/// The level just above `p` (the right operand of a left-associative operator).
fn tighter(p: Prec) -> Prec {
    match p {
        Prec::Open => Prec::Range,
        Prec::Range => Prec::Or,
        Prec::Or => Prec::And,
        Prec::And => Prec::Compare,
        Prec::Compare => Prec::Concat,
        Prec::Concat => Prec::Add,
        Prec::Add => Prec::Mul,
        Prec::Mul => Prec::Cast,
        Prec::Cast => Prec::Prefix,
        Prec::Prefix => Prec::Postfix,
        Prec::Postfix | Prec::Primary => Prec::Primary,
    }
}

impl Printer<'_> {
    /// An expression where any expression may stand (a `let` value, an argument).
    pub(super) fn expr_top(&mut self, e: &Expr) -> String {
        self.at(e, Prec::Open, StructLits::Allowed)
    }

    /// A condition (`if`, `while`, `for … in`, `match`): no bare struct literal.
    pub(super) fn expr_cond(&mut self, e: &Expr) -> String {
        self.at(e, Prec::Open, StructLits::Forbidden)
    }

    /// An expression that starts a line: `||` there would continue the previous line.
    pub(super) fn line_expr(&mut self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Closure { params, .. } if params.is_empty() => {
                format!("({})", self.expr_top(e))
            }
            _ => self.expr_top(e),
        }
    }

    /// The source text of a literal (keeps `0xff` and escapes as written).
    fn literal(&self, lit: &Literal, span: crate::syntax::span::Span) -> String {
        let written = self.src.get(span.start as usize..span.end as usize);
        match (lit, written) {
            (Literal::Int(_) | Literal::String(_), Some(w)) if !w.is_empty() => w.to_string(),
            (Literal::Int(v), _) => v.to_string(),
            (Literal::Bool(b), _) => b.to_string(),
            (Literal::String(s), _) => string_literal(s),
            (Literal::Unit, _) => "()".into(),
        }
    }

    /// How tightly `e` binds as printed: a chain block prints as its value, a
    /// chain's hidden local as the operand it stands for.
    fn prec_of(&self, e: &Expr) -> Prec {
        match &e.kind {
            ExprKind::Block(b) => match chain_block(b) {
                Some((_, tail)) => self.prec_of(tail),
                None => Prec::Primary,
            },
            ExprKind::Path(p) => match p.segments.as_slice() {
                [one] => self
                    .chain_locals
                    .get(&one.name)
                    .map_or(Prec::Primary, |l| l.1),
                _ => Prec::Primary,
            },
            _ => prec(e),
        }
    }

    /// `e` at a position that needs at least `min`, parenthesised if it binds looser.
    fn at(&mut self, e: &Expr, min: Prec, structs: StructLits) -> String {
        let needs_parens = self.prec_of(e) < min
            || (structs == StructLits::Forbidden
                && matches!(e.kind, ExprKind::Struct { .. } | ExprKind::Return(_)));
        if needs_parens {
            format!("({})", self.bare(e, StructLits::Allowed))
        } else {
            self.bare(e, structs)
        }
    }

    fn list(&mut self, es: &[Expr]) -> String {
        es.iter()
            .map(|e| self.expr_top(e))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `e` without parentheses around it.
    fn bare(&mut self, e: &Expr, s: StructLits) -> String {
        match &e.kind {
            ExprKind::Lit(l) => self.literal(l, e.span),
            ExprKind::Path(p) => match p.segments.as_slice() {
                [one] if self.chain_locals.contains_key(&one.name) => {
                    self.chain_locals[&one.name].0.clone()
                }
                _ => path_text(p),
            },
            ExprKind::Context(ContextValue::SelfRef) => "self".into(),
            ExprKind::Context(ContextValue::Sender) => "sender".into(),
            ExprKind::Context(ContextValue::Input) => "input".into(),
            ExprKind::None => "none".into(),
            ExprKind::Some(x) => format!("some({})", self.expr_top(x)),
            ExprKind::Call { callee, args } => {
                let callee = self.at(callee, Prec::Postfix, s);
                format!("{callee}({})", self.list(args))
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => {
                let receiver = self.at(receiver, Prec::Postfix, s);
                format!("{receiver}.{}({})", method.name, self.list(args))
            }
            ExprKind::Field { base, field } => {
                format!("{}.{}", self.at(base, Prec::Postfix, s), field.name)
            }
            ExprKind::TupleIndex { base, index, .. } => {
                format!("{}.{index}", self.at(base, Prec::Postfix, s))
            }
            ExprKind::Index { base, index } => {
                let base = self.at(base, Prec::Postfix, s);
                format!("{base}[{}]", self.expr_top(index))
            }
            ExprKind::Unary { op, operand } => {
                let text = self.at(operand, Prec::Prefix, s);
                match op {
                    // `- -x`, not `--x`.
                    UnaryOp::Neg if text.starts_with('-') => format!("- {text}"),
                    UnaryOp::Neg => format!("-{text}"),
                    UnaryOp::Not => format!("!{text}"),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let p = binary_prec(*op);
                let (lmin, rmin) = if p == Prec::Compare {
                    (tighter(p), tighter(p))
                } else {
                    (p, tighter(p))
                };
                let l = self.at(lhs, lmin, s);
                let r = self.at(rhs, rmin, s);
                format!("{l} {} {r}", op.symbol())
            }
            ExprKind::Range { kind, start, end } => {
                let a = self.at(start, Prec::Or, s);
                let b = self.at(end, Prec::Or, s);
                let op = match kind {
                    RangeKind::Exclusive => "..",
                    RangeKind::Inclusive => "..=",
                };
                format!("{a}{op}{b}")
            }
            ExprKind::Tuple(es) if es.len() == 1 => format!("({},)", self.expr_top(&es[0])),
            ExprKind::Tuple(es) => format!("({})", self.list(es)),
            ExprKind::List(es) => self.list_literal(es),
            ExprKind::Struct { path, fields } => {
                let fs: Vec<String> = fields
                    .iter()
                    .map(|f| match &f.value.kind {
                        ExprKind::Path(p)
                            if p.segments.len() == 1 && p.segments[0].name == f.name.name =>
                        {
                            f.name.name.clone()
                        }
                        _ => format!("{}: {}", f.name.name, self.expr_top(&f.value)),
                    })
                    .collect();
                if fs.is_empty() {
                    format!("{} {{}}", path_text(path))
                } else {
                    format!("{} {{ {} }}", path_text(path), fs.join(", "))
                }
            }
            ExprKind::Block(b) => match chain_block(b) {
                Some((locals, tail)) => {
                    for (name, init) in locals {
                        let text = self.bare(init, s);
                        let p = self.prec_of(init);
                        self.chain_locals.insert(name.to_string(), (text, p));
                    }
                    self.bare(tail, s)
                }
                None => self.block(b),
            },
            ExprKind::If { .. } => self.if_chain(e),
            ExprKind::Match { scrutinee, arms } => {
                let head = format!("match {} ", self.expr_cond(scrutinee));
                self.match_arms(&head, arms, e.span.end as usize)
            }
            ExprKind::Closure { params, body } => {
                let ps: Vec<String> = params
                    .iter()
                    .map(|c| match &c.ty {
                        Some(t) => format!("{}: {}", c.name.name, type_text(t)),
                        None => c.name.name.clone(),
                    })
                    .collect();
                let body = self.at(body, Prec::Open, s);
                if ps.is_empty() {
                    format!("|| {body}")
                } else {
                    format!("|{}| {body}", ps.join(", "))
                }
            }
            ExprKind::Create {
                object,
                args,
                controller,
            } => {
                let mut text = format!("create {}", path_text(object));
                if let Some(args) = args {
                    text.push_str(&format!("({})", self.list(args)));
                }
                if let Some(c) = controller {
                    let c = self.at(c, Prec::Postfix, StructLits::Forbidden);
                    text.push_str(&format!(" by {c}"));
                }
                text
            }
            ExprKind::Destroy(x) => format!("destroy {}", self.at(x, Prec::Prefix, s)),
            ExprKind::Try(x) => format!("try {}", self.at(x, Prec::Prefix, s)),
            ExprKind::Fetch(x) => format!("fetch {}", self.at(x, Prec::Prefix, s)),
            ExprKind::Freeze(x) => format!("freeze {}", self.at(x, Prec::Prefix, s)),
            ExprKind::Teleport(x) => format!("teleport {}", self.at(x, Prec::Prefix, s)),
            ExprKind::Atomic { controller, body } => match controller {
                Some(c) => {
                    let c = self.at(c, Prec::Postfix, StructLits::Forbidden);
                    format!("atomic by {c} {}", self.block(body))
                }
                None => format!("atomic {}", self.block(body)),
            },
            ExprKind::Abort => "abort".into(),
            ExprKind::Reject => "reject".into(),
            ExprKind::Unsafe(b) => format!("unsafe {}", self.block(b)),
            ExprKind::UpdatePure {
                target,
                replacement,
            } => format!(
                "update pure {} = {}",
                path_text(target),
                path_text(replacement)
            ),
            ExprKind::RegisterPure {
                name,
                implementation,
            } => format!(
                "register pure {} = {}",
                path_text(name),
                path_text(implementation)
            ),
            ExprKind::Move { object, machine } => {
                let o = self.at(object, Prec::Range, s);
                format!("move {o} to {}", self.at(machine, Prec::Open, s))
            }
            ExprKind::Transfer { object, controller } => {
                let o = self.at(object, Prec::Range, s);
                format!("transfer {o} to {}", self.at(controller, Prec::Open, s))
            }
            ExprKind::Post(x) => format!("post {}", self.at(x, Prec::Open, s)),
            ExprKind::Require(x) => format!("require {}", self.at(x, Prec::Open, s)),
            ExprKind::Cast { expr, ty } => {
                format!("{} as {}", self.at(expr, Prec::Cast, s), type_text(ty))
            }
            ExprKind::Return(None) => "return".into(),
            ExprKind::Return(Some(x)) => format!("return {}", self.at(x, Prec::Open, s)),
            ExprKind::Break => "break".into(),
            ExprKind::Continue => "continue".into(),
            ExprKind::Error => self.src[e.span.start as usize..e.span.end as usize].to_string(),
        }
    }

    /// `[a, b]`, or one element a line (with a trailing comma) when the
    /// one-line form is longer than [`LIST_MAX`].
    fn list_literal(&mut self, es: &[Expr]) -> String {
        let flat = self.measure(|p| format!("[{}]", p.list(es)));
        if flat.len() <= LIST_MAX && !flat.contains('\n') {
            return flat;
        }
        let mut text = String::from("[\n");
        self.indent += 1;
        for e in es {
            let item = self.expr_top(e);
            text.push_str(&"    ".repeat(self.indent));
            text.push_str(&item);
            text.push_str(",\n");
        }
        self.indent -= 1;
        text.push_str(&"    ".repeat(self.indent));
        text.push(']');
        text
    }

    /// `if c { a } else if d { b } else { c }`: on one line when every branch
    /// is a short value, there is an `else`, and it fits in
    /// [`INLINE_IF_MAX`](super::layout::INLINE_IF_MAX); else every branch broken.
    fn if_chain(&mut self, e: &Expr) -> String {
        if !self.comment_before(e.span.end as usize)
            && let Some(text) = self.if_text(e, IfLayout::Compact)
            && !text.contains('\n')
            && text.len() <= super::layout::INLINE_IF_MAX
        {
            return text;
        }
        self.if_text(e, IfLayout::Broken).unwrap_or_default()
    }

    /// The text of an `if` chain; `None` when `Compact` and a branch is not a plain value.
    fn if_text(&mut self, e: &Expr, layout: IfLayout) -> Option<String> {
        let ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } = &e.kind
        else {
            return Some(self.bare(e, StructLits::Allowed));
        };
        let cond = self.expr_cond(cond);
        let block = |p: &mut Self, b: &Block| match layout {
            IfLayout::Compact => p.inline_tail(b, usize::MAX).map(|t| format!("{{ {t} }}")),
            IfLayout::Broken => Some(p.block_broken(b)),
        };
        let mut text = format!("if {cond} {}", block(self, then_branch)?);
        match else_branch.as_deref() {
            Some(Expr {
                kind: ExprKind::Block(b),
                ..
            }) => {
                text.push_str(" else ");
                text.push_str(&block(self, b)?);
            }
            Some(other) => {
                text.push_str(" else ");
                text.push_str(&self.if_text(other, layout)?);
            }
            None if layout == IfLayout::Compact => return None,
            None => {}
        }
        Some(text)
    }

    /// A pattern (`Point { x }` for a field bound to its own name).
    pub(super) fn pattern(&self, pat: &Pattern) -> String {
        let list = |p: &Self, ps: &[Pattern]| {
            ps.iter()
                .map(|x| p.pattern(x))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &pat.kind {
            PatternKind::Wildcard => "_".into(),
            PatternKind::Binding(i) => i.name.clone(),
            PatternKind::Lit(l) => self.literal(l, pat.span),
            PatternKind::Tuple(ps) if ps.len() == 1 => format!("({},)", self.pattern(&ps[0])),
            PatternKind::Tuple(ps) => format!("({})", list(self, ps)),
            PatternKind::List { items, rest } => {
                let mut parts: Vec<String> = items.iter().map(|x| self.pattern(x)).collect();
                if let Some(r) = rest {
                    parts.push(format!(
                        "..{}",
                        r.binding.as_ref().map(|b| b.name.as_str()).unwrap_or("")
                    ));
                }
                format!("[{}]", parts.join(", "))
            }
            PatternKind::None => "none".into(),
            PatternKind::Some(p) => format!("some({})", self.pattern(p)),
            PatternKind::Path(p) => path_text(p),
            PatternKind::Variant { path, args } => {
                format!("{}({})", path_text(path), list(self, args))
            }
            PatternKind::Struct { path, fields, rest } => {
                let mut parts: Vec<String> = fields
                    .iter()
                    .map(|f| match &f.pattern.kind {
                        PatternKind::Binding(b) if b.name == f.name.name => b.name.clone(),
                        _ => format!("{}: {}", f.name.name, self.pattern(&f.pattern)),
                    })
                    .collect();
                if *rest == FieldsRest::Ignored {
                    parts.push("..".into());
                }
                if parts.is_empty() {
                    format!("{} {{}}", path_text(path))
                } else {
                    format!("{} {{ {} }}", path_text(path), parts.join(", "))
                }
            }
            PatternKind::Error => {
                self.src[pat.span.start as usize..pat.span.end as usize].to_string()
            }
        }
    }
}

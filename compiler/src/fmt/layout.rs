//! The line-level half of the formatter: items, object members, fields,
//! variants, blocks, statements and match arms, and the comments and blank
//! lines between them.
//!
//! Takes a parsed [`Module`] with its source text and comments; produces the
//! formatted text. Every construct that owns a line (an "anchor") first emits
//! the comments that come before it in the source, then itself, then a comment
//! that followed it on the same source line. Comments inside an expression
//! that keeps to one line come out before the next anchor. Expressions are
//! printed by `expr.rs`.

use std::collections::HashMap;

use super::comments::{Comment, CommentKind};
use crate::syntax::ast::*;
use crate::syntax::pretty::type_text;
use crate::syntax::source_printer::{fn_prefix, generics_text, params_text};
use crate::syntax::span::Span;

/// The indentation unit.
const INDENT: &str = "    ";
/// The longest block value (`{ e }`) kept on one line.
const INLINE_BLOCK_MAX: usize = 60;
/// The longest struct or unit-variant enum kept on one line.
const INLINE_ENUM_MAX: usize = 80;
/// The longest `if c { a } else { b }` kept on one line.
pub(super) const INLINE_IF_MAX: usize = 80;
/// The widest line a one-line function is allowed.
const MAX_WIDTH: usize = 80;

/// The formatter's state: the source, its comments (a cursor over them) and the indentation.
pub struct Printer<'s> {
    pub(super) src: &'s str,
    comments: Vec<Comment>,
    /// The first comment not yet printed.
    next: usize,
    /// Spans of doc comments that document nothing (printed as `//`).
    stray_docs: Vec<(usize, usize)>,
    pub(super) indent: usize,
    /// The text of each hidden local of the operator chain being printed
    /// (see `syntax/builder/chain.rs`): the chain is printed flat again.
    pub(super) chain_locals: HashMap<String, (String, super::expr::Prec)>,
}

/// A list of lines being built (a file, a block's body, a match's arms).
pub(super) struct Lines {
    out: String,
    indent: usize,
    /// Where the last thing written ended in the source (for blank lines).
    last_end: Option<usize>,
}

impl Lines {
    fn new(indent: usize) -> Lines {
        Lines {
            out: String::new(),
            indent,
            last_end: None,
        }
    }

    /// Writes a blank line when the source had one between the last thing written and `start`.
    fn blank_line_before(&mut self, src: &str, start: usize) {
        if let Some(end) = self.last_end
            && end <= start
            && has_blank_line(&src[end..start])
        {
            self.out.push('\n');
        }
    }

    /// Writes `text` (which may hold several lines, already indented after the first).
    fn push(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str(INDENT);
        }
        self.out.push_str(text);
        self.out.push('\n');
    }
}

/// True when `gap` holds a line with nothing but spaces between two newlines.
fn has_blank_line(gap: &str) -> bool {
    let parts: Vec<&str> = gap.split('\n').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}

fn start(span: Span) -> usize {
    span.start as usize
}

fn end(span: Span) -> usize {
    span.end as usize
}

fn field_def_text(f: &FieldDef) -> String {
    format!("{}: {}", f.name.name, type_text(&f.ty))
}

impl<'s> Printer<'s> {
    pub fn new(src: &'s str, comments: Vec<Comment>, stray_docs: Vec<(usize, usize)>) -> Self {
        Printer {
            src,
            comments,
            next: 0,
            stray_docs,
            indent: 0,
            chain_locals: HashMap::new(),
        }
    }

    /// The whole file.
    pub fn module(mut self, module: &Module) -> String {
        let mut lines = Lines::new(0);
        for item in &module.items {
            self.anchor(&mut lines, item.span, |p| p.item(item));
        }
        self.flush_before(&mut lines, usize::MAX);
        lines.out
    }

    /// A comment's text as printed.
    fn comment_text(&self, c: &Comment) -> String {
        let text = &self.src[c.start..c.end];
        match c.kind {
            CommentKind::Doc
                if self
                    .stray_docs
                    .iter()
                    .any(|&(s, e)| s <= c.start && c.start < e) =>
            {
                format!("//{}", text[3..].trim_end())
            }
            CommentKind::Doc | CommentKind::Block => text.to_string(),
            CommentKind::Line => text.trim_end().to_string(),
        }
    }

    /// Writes every comment that starts before `pos`, each on its own line.
    fn flush_before(&mut self, lines: &mut Lines, pos: usize) {
        while let Some(c) = self.comments.get(self.next).cloned() {
            if c.start >= pos {
                break;
            }
            self.next += 1;
            lines.blank_line_before(self.src, c.start);
            let text = self.comment_text(&c);
            lines.push(&text);
            lines.last_end = Some(c.end);
        }
    }

    /// True when a comment starts inside `span` (or is still waiting before it).
    pub(super) fn comment_before(&self, pos: usize) -> bool {
        self.comments.get(self.next).is_some_and(|c| c.start < pos)
    }

    /// Writes one anchor: the comments before it, its text (from `print`, with
    /// `suffix` such as a comma), then a comment that followed it on its line.
    fn anchor_with(
        &mut self,
        lines: &mut Lines,
        span: Span,
        suffix: &str,
        print: impl FnOnce(&mut Self) -> String,
    ) {
        self.flush_before(lines, start(span));
        lines.blank_line_before(self.src, start(span));
        let saved = self.indent;
        self.indent = lines.indent;
        let mut text = print(self);
        self.indent = saved;
        text.push_str(suffix);
        let mut last = end(span);
        if let Some(c) = self.comments.get(self.next).cloned()
            && c.start >= end(span)
            && !self.src[end(span)..c.start].contains('\n')
        {
            self.next += 1;
            text.push(' ');
            text.push_str(&self.comment_text(&c));
            last = c.end;
        }
        lines.push(&text);
        lines.last_end = Some(last);
    }

    fn anchor(&mut self, lines: &mut Lines, span: Span, print: impl FnOnce(&mut Self) -> String) {
        self.anchor_with(lines, span, "", print);
    }

    /// `{`, the lines `body` writes one level deeper, the comments left before
    /// `close_at`, and `}` at the current indentation.
    pub(super) fn braced(
        &mut self,
        open: &str,
        close_at: usize,
        body: impl FnOnce(&mut Self, &mut Lines),
    ) -> String {
        let mut lines = Lines::new(self.indent + 1);
        body(self, &mut lines);
        self.flush_before(&mut lines, close_at);
        if lines.out.is_empty() {
            return format!("{open}{{}}");
        }
        let mut text = format!("{open}{{\n");
        text.push_str(&lines.out);
        for _ in 0..self.indent {
            text.push_str(INDENT);
        }
        text.push('}');
        text
    }

    fn item(&mut self, item: &Item) -> String {
        match &item.kind {
            ItemKind::Import(i) => {
                let names: Vec<&str> = i.path.segments.iter().map(|s| s.name.as_str()).collect();
                format!("import {}", names.join("."))
            }
            ItemKind::Struct(s) => {
                let head = format!("struct {}{} ", s.name.name, generics_text(&s.generics));
                if s.fields.iter().all(|f| f.doc.is_none()) && !self.comment_before(end(item.span))
                {
                    let fields: Vec<String> = s.fields.iter().map(field_def_text).collect();
                    let text = if fields.is_empty() {
                        format!("{head}{{}}")
                    } else {
                        format!("{head}{{ {} }}", fields.join(", "))
                    };
                    if text.len() <= INLINE_ENUM_MAX {
                        return text;
                    }
                }
                self.braced(&head, end(item.span), |p, lines| {
                    for f in &s.fields {
                        p.anchor_with(lines, f.span, ",", |_| field_def_text(f));
                    }
                })
            }
            ItemKind::Enum(e) => self.enum_def(e, item.span),
            ItemKind::Object(o) => {
                let head = format!("object {} ", o.name.name);
                self.braced(&head, end(item.span), |p, lines| {
                    for m in &o.members {
                        p.member(lines, m);
                    }
                })
            }
            ItemKind::Fn(f) => self.fn_def(f),
            // The formatter only runs on files without syntax errors.
            ItemKind::Error => self.src[start(item.span)..end(item.span)].to_string(),
        }
    }

    fn enum_def(&mut self, e: &EnumDef, span: Span) -> String {
        let head = format!("enum {}{} ", e.name.name, generics_text(&e.generics));
        let all_unit = e
            .variants
            .iter()
            .all(|v| v.fields == VariantFields::Unit && v.doc.is_none());
        if all_unit && !e.variants.is_empty() && !self.comment_before(end(span)) {
            let names: Vec<&str> = e.variants.iter().map(|v| v.name.name.as_str()).collect();
            let text = format!("{head}{{ {} }}", names.join(", "));
            if text.len() <= INLINE_ENUM_MAX {
                return text;
            }
        }
        self.braced(&head, end(span), |p, lines| {
            for v in &e.variants {
                p.anchor_with(lines, v.span, ",", |_| {
                    let fields = match &v.fields {
                        VariantFields::Unit => String::new(),
                        VariantFields::Tuple(ts) => format!(
                            "({})",
                            ts.iter().map(type_text).collect::<Vec<_>>().join(", ")
                        ),
                        VariantFields::Struct(fs) if fs.is_empty() => " {}".into(),
                        VariantFields::Struct(fs) => format!(
                            " {{ {} }}",
                            fs.iter().map(field_def_text).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    format!("{}{fields}", v.name.name)
                });
            }
        })
    }

    fn member(&mut self, lines: &mut Lines, m: &ObjectMember) {
        match m {
            ObjectMember::State(s) => self.anchor(lines, s.span, |p| {
                let init = p.expr_top(&s.init);
                format!("state {}: {} = {init}", s.name.name, type_text(&s.ty))
            }),
            ObjectMember::Init(i) => self.anchor(lines, i.span, |p| {
                let head = format!("init({}) ", params_text(&i.params));
                p.body_after(head, &i.body)
            }),
            ObjectMember::Method(f) => self.anchor(lines, f.span, |p| p.fn_def(f)),
            ObjectMember::Error(span) => self.anchor(lines, *span, |p| {
                p.src[start(*span)..end(*span)].to_string()
            }),
        }
    }

    /// A function: `fn f() -> T { e }` on one line when that fits in
    /// [`MAX_WIDTH`] and the body is only a value.
    fn fn_def(&mut self, f: &FnDef) -> String {
        let ret = f
            .ret
            .as_ref()
            .map(|t| format!(" -> {}", type_text(t)))
            .unwrap_or_default();
        let head = format!(
            "{} {}{}({}){ret} ",
            fn_prefix(f.kind),
            f.name.name,
            generics_text(&f.generics),
            params_text(&f.params),
        );
        self.body_after(head, &f.body)
    }

    /// `head { e }` on one line when that fits in [`MAX_WIDTH`] and the body
    /// is only a value, else `head {` and one statement a line.
    fn body_after(&mut self, head: String, body: &Block) -> String {
        let room = MAX_WIDTH.saturating_sub(self.indent * INDENT.len() + head.len() + 4);
        match self.inline_tail(body, room) {
            Some(text) => format!("{head}{{ {text} }}"),
            None => format!("{head}{}", self.block_broken(body)),
        }
    }

    /// Runs `print` without using up comments (to measure a one-line layout).
    pub(super) fn measure(&mut self, print: impl FnOnce(&mut Self) -> String) -> String {
        let next = self.next;
        let text = print(self);
        self.next = next;
        text
    }

    /// The one-line value of a block that is only a short value with no
    /// comment inside, if it is one.
    pub(super) fn inline_tail(&mut self, b: &Block, max: usize) -> Option<String> {
        if !b.stmts.is_empty() || self.comment_before(end(b.span)) {
            return None;
        }
        let text = self.line_expr(b.tail.as_deref()?);
        (!text.contains('\n') && text.len() <= max).then_some(text)
    }

    /// A block in expression position (`atomic { e }`, `=> { e }`): `{ e }` on
    /// one line when it is only a short value, else one statement a line.
    pub(super) fn block(&mut self, b: &Block) -> String {
        match self.inline_tail(b, INLINE_BLOCK_MAX) {
            Some(text) => format!("{{ {text} }}"),
            None => self.block_broken(b),
        }
    }

    /// A block with one statement a line (loop bodies, `if` without `else`).
    pub(super) fn block_broken(&mut self, b: &Block) -> String {
        self.braced("", end(b.span), |p, lines| {
            for s in &b.stmts {
                p.anchor(lines, s.span, |p| p.stmt(s));
            }
            if let Some(t) = &b.tail {
                p.anchor(lines, t.span, |p| p.line_expr(t));
            }
        })
    }

    fn stmt(&mut self, s: &Stmt) -> String {
        match &s.kind {
            StmtKind::Let {
                mutability,
                pattern,
                ty,
                init,
            } => {
                let ty = ty
                    .as_ref()
                    .map(|t| format!(": {}", type_text(t)))
                    .unwrap_or_default();
                let pat = self.pattern(pattern);
                let init = self.expr_top(init);
                format!("{} {pat}{ty} = {init}", mutability.keyword())
            }
            StmtKind::Assign { op, target, value } => {
                let op = match op {
                    AssignOp::Assign => "=",
                    AssignOp::AddAssign => "+=",
                    AssignOp::SubAssign => "-=",
                    AssignOp::MulAssign => "*=",
                };
                let target = self.expr_top(target);
                let value = self.expr_top(value);
                format!("{target} {op} {value}")
            }
            StmtKind::While { cond, body } => {
                let cond = self.expr_cond(cond);
                let body = self.block_broken(body);
                format!("while {cond} {body}")
            }
            StmtKind::For {
                pattern,
                iter,
                body,
            } => {
                let pat = self.pattern(pattern);
                let iter = self.expr_cond(iter);
                let body = self.block_broken(body);
                format!("for {pat} in {iter} {body}")
            }
            StmtKind::Expr(e) => self.line_expr(e),
            StmtKind::Error => self.src[start(s.span)..end(s.span)].to_string(),
        }
    }

    /// `match s { arms }`, one arm a line.
    pub(super) fn match_arms(&mut self, head: &str, arms: &[MatchArm], close_at: usize) -> String {
        self.braced(head, close_at, |p, lines| {
            for arm in arms {
                p.anchor_with(lines, arm.span, ",", |p| {
                    let pat = p.pattern(&arm.pattern);
                    let guard = arm
                        .guard
                        .as_ref()
                        .map(|g| format!(" if {}", p.expr_top(g)))
                        .unwrap_or_default();
                    let body = p.expr_top(&arm.body);
                    format!("{pat}{guard} => {body}")
                });
            }
        })
    }
}

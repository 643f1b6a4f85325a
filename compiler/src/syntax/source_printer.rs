//! AST to source text: prints a [`Module`] back as AVM source that parses to
//! the same tree.
//!
//! Takes a module; produces source text. Compound sub-expressions are fully
//! parenthesised (so precedence never changes meaning and struct literals in
//! conditions stay legal); statements are separated by newlines. Used by the
//! round-trip test and as the basis of a formatter.

use crate::syntax::ast::*;
use crate::syntax::pretty::{pattern_text, type_text};

/// Prints a module as source text.
pub fn module_to_source(module: &Module) -> String {
    let mut p = SourcePrinter::default();
    for item in &module.items {
        p.item(item);
    }
    p.out
}

#[derive(Default)]
struct SourcePrinter {
    out: String,
    indent: usize,
    /// The text of each hidden local of the operator chain being printed (see
    /// `builder/chain.rs`), parenthesised: the chain is printed flat again.
    chain_locals: std::collections::HashMap<String, String>,
}

/// The hidden locals and value of a block the parser made for a long operator chain.
pub(crate) fn chain_block(b: &Block) -> Option<(Vec<(&str, &Expr)>, &Expr)> {
    let tail = b.tail.as_deref()?;
    let mut locals = Vec::new();
    for s in &b.stmts {
        let StmtKind::Let { pattern, init, .. } = &s.kind else {
            return None;
        };
        let PatternKind::Binding(ident) = &pattern.kind else {
            return None;
        };
        if !ident.name.starts_with(crate::syntax::builder::CHAIN_LOCAL) {
            return None;
        }
        locals.push((ident.name.as_str(), init));
    }
    (!locals.is_empty()).then_some((locals, tail))
}

pub(crate) fn path_text(p: &Path) -> String {
    p.segments
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

pub(crate) fn string_literal(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn literal_text(l: &Literal) -> String {
    match l {
        Literal::Int(v) => v.to_string(),
        Literal::Bool(b) => b.to_string(),
        Literal::String(s) => string_literal(s),
        Literal::Unit => "()".into(),
    }
}

pub(crate) fn generics_text(g: &[Ident]) -> String {
    if g.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = g.iter().map(|i| i.name.as_str()).collect();
        format!("[{}]", names.join(", "))
    }
}

pub(crate) fn fn_prefix(kind: FnKind) -> &'static str {
    match kind {
        FnKind::Plain => "fn",
        FnKind::Pure => "pure fn",
        FnKind::Unsafe => "unsafe fn",
    }
}

pub(crate) fn params_text(ps: &[Param]) -> String {
    ps.iter()
        .map(|p| format!("{}: {}", p.name.name, type_text(&p.ty)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an expression can be printed without parentheses as an operand.
fn is_atomic(e: &Expr) -> bool {
    if let ExprKind::Lit(Literal::Int(v)) = e.kind {
        return v >= 0;
    }
    matches!(
        e.kind,
        ExprKind::Lit(_)
            | ExprKind::Path(_)
            | ExprKind::Context(_)
            | ExprKind::None
            | ExprKind::Some(_)
            | ExprKind::Call { .. }
            | ExprKind::MethodCall { .. }
            | ExprKind::Field { .. }
            | ExprKind::TupleIndex { .. }
            | ExprKind::Index { .. }
            | ExprKind::Tuple(_)
            | ExprKind::List(_)
            | ExprKind::Abort
            | ExprKind::Reject
    )
}

impl SourcePrinter {
    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn doc(&mut self, doc: &Option<String>) {
        if let Some(d) = doc {
            for l in d.split('\n') {
                self.line(&format!("///{l}"));
            }
        }
    }

    fn item(&mut self, item: &Item) {
        match &item.kind {
            ItemKind::Import(i) => {
                self.doc(&item.doc);
                self.line(&format!("import {}", path_text(&i.path)));
            }
            ItemKind::Struct(s) => {
                self.doc(&item.doc);
                self.line(&format!(
                    "struct {}{} {{",
                    s.name.name,
                    generics_text(&s.generics)
                ));
                self.indent += 1;
                for f in &s.fields {
                    self.doc(&f.doc);
                    self.line(&format!("{}: {},", f.name.name, type_text(&f.ty)));
                }
                self.indent -= 1;
                self.line("}");
            }
            ItemKind::Enum(e) => {
                self.doc(&item.doc);
                self.line(&format!(
                    "enum {}{} {{",
                    e.name.name,
                    generics_text(&e.generics)
                ));
                self.indent += 1;
                for v in &e.variants {
                    self.doc(&v.doc);
                    let fields = match &v.fields {
                        VariantFields::Unit => String::new(),
                        VariantFields::Tuple(ts) => format!(
                            "({})",
                            ts.iter().map(type_text).collect::<Vec<_>>().join(", ")
                        ),
                        VariantFields::Struct(fs) => format!(
                            " {{ {} }}",
                            fs.iter()
                                .map(|f| format!("{}: {}", f.name.name, type_text(&f.ty)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    self.line(&format!("{}{},", v.name.name, fields));
                }
                self.indent -= 1;
                self.line("}");
            }
            ItemKind::Object(o) => {
                self.doc(&item.doc);
                self.line(&format!("object {} {{", o.name.name));
                self.indent += 1;
                for m in &o.members {
                    match m {
                        ObjectMember::State(s) => {
                            self.doc(&s.doc);
                            let init = self.expr(&s.init);
                            self.line(&format!(
                                "state {}: {} = {}",
                                s.name.name,
                                type_text(&s.ty),
                                init
                            ));
                        }
                        ObjectMember::Init(i) => {
                            self.doc(&i.doc);
                            let body = self.block(&i.body);
                            self.line(&format!("init({}) {}", params_text(&i.params), body));
                        }
                        ObjectMember::Method(f) => self.fn_def(f),
                        ObjectMember::Error(_) => self.line("/* <error member> */"),
                    }
                }
                self.indent -= 1;
                self.line("}");
            }
            ItemKind::Fn(f) => self.fn_def(f),
            ItemKind::Error => self.line("/* <error item> */"),
        }
    }

    fn fn_def(&mut self, f: &FnDef) {
        self.doc(&f.doc);
        let ret = f
            .ret
            .as_ref()
            .map(|t| format!(" -> {}", type_text(t)))
            .unwrap_or_default();
        let body = self.block(&f.body);
        self.line(&format!(
            "{} {}{}({}){} {}",
            fn_prefix(f.kind),
            f.name.name,
            generics_text(&f.generics),
            params_text(&f.params),
            ret,
            body
        ));
    }

    /// A block as text; statements go on their own lines.
    fn block(&mut self, b: &Block) -> String {
        let mut inner = SourcePrinter {
            out: String::new(),
            indent: self.indent + 1,
            chain_locals: std::collections::HashMap::new(),
        };
        for s in &b.stmts {
            let text = inner.stmt(s);
            inner.line(&text);
        }
        if let Some(t) = &b.tail {
            let text = inner.line_expr(t);
            inner.line(&text);
        }
        if inner.out.is_empty() {
            return "{ }".into();
        }
        let mut out = String::from("{\n");
        out.push_str(&inner.out);
        for _ in 0..self.indent {
            out.push_str("    ");
        }
        out.push('}');
        out
    }

    fn stmt(&mut self, s: &Stmt) -> String {
        match &s.kind {
            StmtKind::Let {
                mutability,
                pattern,
                ty,
                init,
            } => {
                let kw = mutability.keyword();
                let ty = ty
                    .as_ref()
                    .map(|t| format!(": {}", type_text(t)))
                    .unwrap_or_default();
                format!("{kw} {}{ty} = {}", pattern_text(pattern), self.expr(init))
            }
            StmtKind::Assign { op, target, value } => {
                let op = match op {
                    AssignOp::Assign => "=",
                    AssignOp::AddAssign => "+=",
                    AssignOp::SubAssign => "-=",
                    AssignOp::MulAssign => "*=",
                };
                format!("{} {op} {}", self.expr(target), self.expr(value))
            }
            StmtKind::While { cond, body } => {
                format!("while {} {}", self.operand(cond), self.block(body))
            }
            StmtKind::For {
                pattern,
                iter,
                body,
            } => format!(
                "for {} in {} {}",
                pattern_text(pattern),
                self.operand(iter),
                self.block(body)
            ),
            StmtKind::Expr(e) => self.line_expr(e),
            StmtKind::Error => "/* <error statement> */".into(),
        }
    }

    /// An expression that starts a line: a closure without parameters starts
    /// with `||`, which would continue the previous line, so it gets
    /// parentheses.
    fn line_expr(&mut self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Closure { params, .. } if params.is_empty() => {
                format!("({})", self.expr(e))
            }
            _ => self.expr(e),
        }
    }

    /// An expression in operand position: parenthesised unless atomic.
    fn operand(&mut self, e: &Expr) -> String {
        let text = self.expr(e);
        if is_atomic(e) {
            text
        } else {
            format!("({text})")
        }
    }

    fn args(&mut self, es: &[Expr]) -> String {
        es.iter()
            .map(|e| self.expr(e))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn expr(&mut self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Lit(l) => literal_text(l),
            ExprKind::Path(p) => match p.segments.as_slice() {
                [one] if self.chain_locals.contains_key(&one.name) => {
                    self.chain_locals[&one.name].clone()
                }
                _ => path_text(p),
            },
            ExprKind::Context(ContextValue::SelfRef) => "self".into(),
            ExprKind::Context(ContextValue::Sender) => "sender".into(),
            ExprKind::Context(ContextValue::Input) => "input".into(),
            ExprKind::None => "none".into(),
            ExprKind::Some(x) => format!("some({})", self.expr(x)),
            ExprKind::Call { callee, args } => {
                format!("{}({})", self.operand(callee), self.args(args))
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => format!(
                "{}.{}({})",
                self.operand(receiver),
                method.name,
                self.args(args)
            ),
            ExprKind::Field { base, field } => format!("{}.{}", self.operand(base), field.name),
            ExprKind::TupleIndex { base, index, .. } => {
                format!("{}.{index}", self.operand(base))
            }
            ExprKind::Index { base, index } => {
                format!("{}[{}]", self.operand(base), self.expr(index))
            }
            ExprKind::Unary { op, operand } => {
                let op = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Not => "!",
                };
                format!("{op}{}", self.operand(operand))
            }
            ExprKind::Binary { op, lhs, rhs } => format!(
                "{} {} {}",
                self.operand(lhs),
                op.symbol(),
                self.operand(rhs)
            ),
            ExprKind::Range { kind, start, end } => {
                let op = match kind {
                    RangeKind::Exclusive => "..",
                    RangeKind::Inclusive => "..=",
                };
                format!("{}{op}{}", self.operand(start), self.operand(end))
            }
            ExprKind::Tuple(es) if es.len() == 1 => format!("({},)", self.expr(&es[0])),
            ExprKind::Tuple(es) => format!("({})", self.args(es)),
            ExprKind::List(es) => format!("[{}]", self.args(es)),
            ExprKind::Struct { path, fields } => {
                let fs: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name.name, self.expr(&f.value)))
                    .collect();
                format!("({} {{ {} }})", path_text(path), fs.join(", "))
            }
            ExprKind::Block(b) => match chain_block(b) {
                Some((locals, tail)) => {
                    for (name, init) in locals {
                        let text = self.operand(init);
                        self.chain_locals.insert(name.to_string(), text);
                    }
                    self.expr(tail)
                }
                None => self.block(b),
            },
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let mut text = format!("if {} {}", self.operand(cond), self.block(then_branch));
                if let Some(e) = else_branch {
                    text.push_str(" else ");
                    text.push_str(&self.expr(e));
                }
                text
            }
            ExprKind::Match { scrutinee, arms } => {
                let mut text = format!("match {} {{\n", self.operand(scrutinee));
                for arm in arms {
                    let guard = arm
                        .guard
                        .as_ref()
                        .map(|g| format!(" if {}", self.expr(g)))
                        .unwrap_or_default();
                    let body = self.expr(&arm.body);
                    for _ in 0..=self.indent {
                        text.push_str("    ");
                    }
                    text.push_str(&format!(
                        "{}{guard} => {body},\n",
                        pattern_text(&arm.pattern)
                    ));
                }
                for _ in 0..self.indent {
                    text.push_str("    ");
                }
                text.push('}');
                text
            }
            ExprKind::Closure { params, body } => {
                let ps: Vec<String> = params
                    .iter()
                    .map(|c| match &c.ty {
                        Some(t) => format!("{}: {}", c.name.name, type_text(t)),
                        None => c.name.name.clone(),
                    })
                    .collect();
                format!("|{}| {}", ps.join(", "), self.expr(body))
            }
            ExprKind::Create {
                object,
                args,
                controller,
            } => {
                let mut text = format!("create {}", path_text(object));
                if let Some(args) = args {
                    text.push_str(&format!("({})", self.args(args)));
                }
                if let Some(c) = controller {
                    text.push_str(&format!(" by {}", self.operand(c)));
                }
                text
            }
            ExprKind::Destroy(x) => format!("destroy {}", self.operand(x)),
            ExprKind::Try(x) => format!("try {}", self.operand(x)),
            ExprKind::Atomic { controller, body } => match controller {
                Some(c) => format!("atomic by {} {}", self.operand(c), self.block(body)),
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
            ExprKind::Teleport(x) => format!("teleport {}", self.operand(x)),
            ExprKind::Move { object, machine } => {
                format!("move {} to {}", self.operand(object), self.operand(machine))
            }
            ExprKind::Fetch(x) => format!("fetch {}", self.operand(x)),
            ExprKind::Transfer { object, controller } => format!(
                "transfer {} to {}",
                self.operand(object),
                self.operand(controller)
            ),
            ExprKind::Freeze(x) => format!("freeze {}", self.operand(x)),
            ExprKind::Post(x) => format!("post {}", self.operand(x)),
            ExprKind::Require(x) => format!("require {}", self.operand(x)),
            ExprKind::Cast { expr, ty } => format!("{} as {}", self.operand(expr), type_text(ty)),
            ExprKind::Return(None) => "return".into(),
            ExprKind::Return(Some(x)) => format!("return {}", self.operand(x)),
            ExprKind::Break => "break".into(),
            ExprKind::Continue => "continue".into(),
            ExprKind::Error => "/* <error expression> */ ()".into(),
        }
    }
}

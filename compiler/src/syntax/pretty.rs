//! AST pretty-printer: an indented tree, one node per line.
//!
//! Takes a [`Module`] (or any expression); produces text for `--emit ast` and
//! for snapshot tests. Node ids and spans are left out so that snapshots only
//! change when the tree's shape does.

use crate::syntax::ast::*;

/// Prints a whole module.
pub fn print_module(module: &Module) -> String {
    let mut p = Printer::default();
    for item in &module.items {
        p.item(item);
    }
    p.out
}

/// Prints one expression.
pub fn print_expr(expr: &Expr) -> String {
    let mut p = Printer::default();
    p.expr(expr);
    p.out
}

#[derive(Default)]
struct Printer {
    out: String,
    depth: usize,
}

fn path(p: &Path) -> String {
    p.segments
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

fn generics(g: &[Ident]) -> String {
    if g.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = g.iter().map(|i| i.name.as_str()).collect();
        format!("[{}]", names.join(", "))
    }
}

fn fn_kind(k: FnKind) -> &'static str {
    match k {
        FnKind::Plain => "fn",
        FnKind::Pure => "pure fn",
        FnKind::Unsafe => "unsafe fn",
    }
}

/// A type in source syntax.
pub fn type_text(t: &Type) -> String {
    match &t.kind {
        TypeKind::Named { path: p, args } if args.is_empty() => path(p),
        TypeKind::Named { path: p, args } => {
            let args: Vec<String> = args.iter().map(type_text).collect();
            format!("{}[{}]", path(p), args.join(", "))
        }
        TypeKind::Tuple(ts) => {
            let ts: Vec<String> = ts.iter().map(type_text).collect();
            format!("({})", ts.join(", "))
        }
        TypeKind::Fn { kind, params, ret } => {
            let ps: Vec<String> = params.iter().map(type_text).collect();
            format!(
                "{}({}) -> {}",
                fn_kind(*kind),
                ps.join(", "),
                type_text(ret)
            )
        }
        TypeKind::Error => "<error>".into(),
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Int(v) => v.to_string(),
        Literal::Bool(b) => b.to_string(),
        Literal::String(s) => format!("{s:?}"),
        Literal::Unit => "()".into(),
    }
}

impl Printer {
    fn line(&mut self, text: impl AsRef<str>) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }

    fn nested(&mut self, f: impl FnOnce(&mut Printer)) {
        self.depth += 1;
        f(self);
        self.depth -= 1;
    }

    fn doc(&mut self, doc: &Option<String>) {
        if let Some(d) = doc {
            self.line(format!("doc {d:?}"));
        }
    }

    fn item(&mut self, item: &Item) {
        match &item.kind {
            ItemKind::Import(i) => self.line(format!("import {}", path(&i.path))),
            ItemKind::Struct(s) => {
                self.line(format!("struct {}{}", s.name.name, generics(&s.generics)));
                self.nested(|p| {
                    p.doc(&item.doc);
                    for f in &s.fields {
                        p.field_def(f);
                    }
                });
            }
            ItemKind::Enum(e) => {
                self.line(format!("enum {}{}", e.name.name, generics(&e.generics)));
                self.nested(|p| {
                    p.doc(&item.doc);
                    for v in &e.variants {
                        match &v.fields {
                            VariantFields::Unit => p.line(format!("variant {}", v.name.name)),
                            VariantFields::Tuple(ts) => {
                                let ts: Vec<String> = ts.iter().map(type_text).collect();
                                p.line(format!("variant {}({})", v.name.name, ts.join(", ")))
                            }
                            VariantFields::Struct(fs) => {
                                p.line(format!("variant {}", v.name.name));
                                p.nested(|p| fs.iter().for_each(|f| p.field_def(f)));
                            }
                        }
                        if v.doc.is_some() {
                            p.nested(|p| p.doc(&v.doc));
                        }
                    }
                });
            }
            ItemKind::Object(o) => {
                self.line(format!("object {}", o.name.name));
                self.nested(|p| {
                    p.doc(&item.doc);
                    for m in &o.members {
                        p.member(m);
                    }
                });
            }
            ItemKind::Fn(f) => self.fn_def(f),
            ItemKind::Error => self.line("<error item>"),
        }
    }

    fn field_def(&mut self, f: &FieldDef) {
        self.line(format!("field {}: {}", f.name.name, type_text(&f.ty)));
        if f.doc.is_some() {
            self.nested(|p| p.doc(&f.doc));
        }
    }

    fn member(&mut self, m: &ObjectMember) {
        match m {
            ObjectMember::State(s) => {
                self.line(format!("state {}: {}", s.name.name, type_text(&s.ty)));
                self.nested(|p| {
                    p.doc(&s.doc);
                    p.expr(&s.init);
                });
            }
            ObjectMember::Init(i) => {
                self.line(format!("init({})", params(&i.params)));
                self.nested(|p| {
                    p.doc(&i.doc);
                    p.block(&i.body);
                });
            }
            ObjectMember::Method(f) => self.fn_def(f),
            ObjectMember::Error(_) => self.line("<error member>"),
        }
    }

    fn fn_def(&mut self, f: &FnDef) {
        let ret = f
            .ret
            .as_ref()
            .map(type_text)
            .unwrap_or_else(|| "Unit".into());
        self.line(format!(
            "{} {}{}({}) -> {}",
            fn_kind(f.kind),
            f.name.name,
            generics(&f.generics),
            params(&f.params),
            ret
        ));
        self.nested(|p| {
            p.doc(&f.doc);
            p.block(&f.body);
        });
    }

    fn block(&mut self, b: &Block) {
        self.line("block");
        self.nested(|p| {
            for s in &b.stmts {
                p.stmt(s);
            }
            if let Some(t) = &b.tail {
                p.line("tail");
                p.nested(|p| p.expr(t));
            }
        });
    }

    fn stmt(&mut self, s: &Stmt) {
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
                self.line(format!("{kw}{ty}"));
                self.nested(|p| {
                    p.pattern(pattern);
                    p.expr(init);
                });
            }
            StmtKind::Assign { op, target, value } => {
                let op = match op {
                    AssignOp::Assign => "=",
                    AssignOp::AddAssign => "+=",
                    AssignOp::SubAssign => "-=",
                    AssignOp::MulAssign => "*=",
                };
                self.line(format!("assign {op}"));
                self.nested(|p| {
                    p.expr(target);
                    p.expr(value);
                });
            }
            StmtKind::While { cond, body } => {
                self.line("while");
                self.nested(|p| {
                    p.expr(cond);
                    p.block(body);
                });
            }
            StmtKind::For {
                pattern,
                iter,
                body,
            } => {
                self.line("for");
                self.nested(|p| {
                    p.pattern(pattern);
                    p.expr(iter);
                    p.block(body);
                });
            }
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Error => self.line("<error statement>"),
        }
    }

    fn exprs(&mut self, es: &[Expr]) {
        for e in es {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Lit(l) => self.line(format!("lit {}", literal(l))),
            ExprKind::Path(p) => self.line(format!("path {}", path(p))),
            ExprKind::Context(c) => self.line(match c {
                ContextValue::SelfRef => "self",
                ContextValue::Sender => "sender",
                ContextValue::Input => "input",
            }),
            ExprKind::None => self.line("none"),
            ExprKind::Some(x) => self.unary_node("some", x),
            ExprKind::Call { callee, args } => {
                self.line("call");
                self.nested(|p| {
                    p.expr(callee);
                    p.exprs(args);
                });
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => {
                self.line(format!("method-call .{}", method.name));
                self.nested(|p| {
                    p.expr(receiver);
                    p.exprs(args);
                });
            }
            ExprKind::Field { base, field } => {
                self.unary_node(&format!("field .{}", field.name), base)
            }
            ExprKind::TupleIndex { base, index, .. } => {
                self.unary_node(&format!("tuple-index .{index}"), base)
            }
            ExprKind::Index { base, index } => {
                self.line("index");
                self.nested(|p| {
                    p.expr(base);
                    p.expr(index);
                });
            }
            ExprKind::Unary { op, operand } => self.unary_node(
                match op {
                    UnaryOp::Neg => "neg",
                    UnaryOp::Not => "not",
                },
                operand,
            ),
            ExprKind::Binary { op, lhs, rhs } => {
                self.line(format!("binary {}", op.symbol()));
                self.nested(|p| {
                    p.expr(lhs);
                    p.expr(rhs);
                });
            }
            ExprKind::Range { kind, start, end } => {
                self.line(match kind {
                    RangeKind::Exclusive => "range ..",
                    RangeKind::Inclusive => "range ..=",
                });
                self.nested(|p| {
                    p.expr(start);
                    p.expr(end);
                });
            }
            ExprKind::Tuple(es) => {
                self.line("tuple");
                self.nested(|p| p.exprs(es));
            }
            ExprKind::List(es) => {
                self.line("list");
                self.nested(|p| p.exprs(es));
            }
            ExprKind::Struct { path: sp, fields } => {
                self.line(format!("struct {}", path(sp)));
                self.nested(|p| {
                    for f in fields {
                        p.line(format!("{}:", f.name.name));
                        p.nested(|p| p.expr(&f.value));
                    }
                });
            }
            ExprKind::Block(b) => self.block(b),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.line("if");
                self.nested(|p| {
                    p.expr(cond);
                    p.block(then_branch);
                    if let Some(e) = else_branch {
                        p.line("else");
                        p.nested(|p| p.expr(e));
                    }
                });
            }
            ExprKind::Match { scrutinee, arms } => {
                self.line("match");
                self.nested(|p| {
                    p.expr(scrutinee);
                    for arm in arms {
                        p.line("arm");
                        p.nested(|p| {
                            p.pattern(&arm.pattern);
                            if let Some(g) = &arm.guard {
                                p.line("guard");
                                p.nested(|p| p.expr(g));
                            }
                            p.expr(&arm.body);
                        });
                    }
                });
            }
            ExprKind::Closure { params, body } => {
                let ps: Vec<String> = params
                    .iter()
                    .map(|c| match &c.ty {
                        Some(t) => format!("{}: {}", c.name.name, type_text(t)),
                        None => c.name.name.clone(),
                    })
                    .collect();
                self.unary_node(&format!("closure |{}|", ps.join(", ")), body);
            }
            ExprKind::Create {
                object,
                args,
                controller,
            } => {
                self.line(format!(
                    "create {}{}",
                    path(object),
                    if args.is_some() { "(..)" } else { "" }
                ));
                self.nested(|p| {
                    if let Some(args) = args {
                        p.exprs(args);
                    }
                    if let Some(c) = controller {
                        p.unary_node("by", c);
                    }
                });
            }
            ExprKind::Destroy(x) => self.unary_node("destroy", x),
            ExprKind::Try(x) => self.unary_node("try", x),
            ExprKind::Atomic { controller, body } => {
                self.line("atomic");
                self.nested(|p| {
                    if let Some(c) = controller {
                        p.unary_node("by", c);
                    }
                    p.block(body);
                });
            }
            ExprKind::Abort => self.line("abort"),
            ExprKind::Reject => self.line("reject"),
            ExprKind::Unsafe(b) => {
                self.line("unsafe");
                self.nested(|p| p.block(b));
            }
            ExprKind::UpdatePure {
                target,
                replacement,
            } => self.line(format!(
                "update pure {} = {}",
                path(target),
                path(replacement)
            )),
            ExprKind::RegisterPure {
                name,
                implementation,
            } => self.line(format!(
                "register pure {} = {}",
                path(name),
                path(implementation)
            )),
            ExprKind::Teleport(x) => self.unary_node("teleport", x),
            ExprKind::Move { object, machine } => {
                self.line("move-to");
                self.nested(|p| {
                    p.expr(object);
                    p.expr(machine);
                });
            }
            ExprKind::Fetch(x) => self.unary_node("fetch", x),
            ExprKind::Transfer { object, controller } => {
                self.line("transfer-to");
                self.nested(|p| {
                    p.expr(object);
                    p.expr(controller);
                });
            }
            ExprKind::Freeze(x) => self.unary_node("freeze", x),
            ExprKind::Post(x) => self.unary_node("post", x),
            ExprKind::Require(x) => self.unary_node("require", x),
            ExprKind::Cast { expr, ty } => self.unary_node(&format!("as {}", type_text(ty)), expr),
            ExprKind::Return(None) => self.line("return"),
            ExprKind::Return(Some(x)) => self.unary_node("return", x),
            ExprKind::Break => self.line("break"),
            ExprKind::Continue => self.line("continue"),
            ExprKind::Error => self.line("<error expression>"),
        }
    }

    fn unary_node(&mut self, label: &str, child: &Expr) {
        self.line(label);
        self.nested(|p| p.expr(child));
    }

    fn pattern(&mut self, pat: &Pattern) {
        self.line(format!("pat {}", pattern_text(pat)));
    }
}

fn params(ps: &[Param]) -> String {
    ps.iter()
        .map(|p| format!("{}: {}", p.name.name, type_text(&p.ty)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A pattern in source syntax.
pub fn pattern_text(pat: &Pattern) -> String {
    let list = |ps: &[Pattern]| ps.iter().map(pattern_text).collect::<Vec<_>>().join(", ");
    match &pat.kind {
        PatternKind::Wildcard => "_".into(),
        PatternKind::Binding(i) => i.name.clone(),
        PatternKind::Lit(l) => literal(l),
        PatternKind::Tuple(ps) => format!("({})", list(ps)),
        PatternKind::List { items, rest } => {
            let mut parts: Vec<String> = items.iter().map(pattern_text).collect();
            if let Some(r) = rest {
                parts.push(format!(
                    "..{}",
                    r.binding.as_ref().map(|b| b.name.as_str()).unwrap_or("")
                ));
            }
            format!("[{}]", parts.join(", "))
        }
        PatternKind::None => "none".into(),
        PatternKind::Some(p) => format!("some({})", pattern_text(p)),
        PatternKind::Path(p) => path(p),
        PatternKind::Variant { path: p, args } => format!("{}({})", path(p), list(args)),
        PatternKind::Struct {
            path: p,
            fields,
            rest,
        } => {
            let mut parts: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", f.name.name, pattern_text(&f.pattern)))
                .collect();
            if *rest == FieldsRest::Ignored {
                parts.push("..".into());
            }
            format!("{} {{ {} }}", path(p), parts.join(", "))
        }
        PatternKind::Error => "<error>".into(),
    }
}

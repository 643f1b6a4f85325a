//! Printing of ITree terms and programs.
//!
//! Takes `Expr`, `Pattern`, `Instr`, `Term` and `Program` values and produces readable text: one
//! step per line, `x <- instr(args);` for instructions, braces for branches. Used by the
//! compiler's `--emit itree` and by snapshot tests. Programs print their tables in name order, so
//! the output is deterministic.

use crate::isa::Safety;
use crate::itree::term::{
    BinOp, Builtin, Expr, FnKind, Instr, Pattern, Predicate, Program, Term, UnOp,
};
use std::fmt::{self, Write};

fn comma<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{x}")?;
    }
    Ok(())
}

fn op_str(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Rem => "%",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::And => "&&",
        BinOp::Or => "||",
        BinOp::Concat => "++",
    }
}

fn builtin_str(b: Builtin) -> &'static str {
    match b {
        Builtin::Len => "len",
        Builtin::Cons => "cons",
        Builtin::Head => "head",
        Builtin::Tail => "tail",
        Builtin::ToString => "to_string",
        Builtin::MachineNamed => "machine",
        Builtin::ControllerNamed => "controller",
        Builtin::Contains => "contains",
        Builtin::Reverse => "reverse",
        Builtin::IsSome => "is_some",
        Builtin::UnwrapOr => "unwrap_or",
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Lit(v) => write!(f, "{v}"),
            Expr::Var(n) => f.write_str(n),
            Expr::Unary(UnOp::Neg, a) => write!(f, "-{a}"),
            Expr::Unary(UnOp::Not, a) => write!(f, "!{a}"),
            Expr::Binary(op, a, b) => write!(f, "({a} {} {b})", op_str(*op)),
            Expr::List(items) => {
                f.write_str("[")?;
                comma(f, items)?;
                f.write_str("]")
            }
            Expr::Tuple(items) => {
                f.write_str("(")?;
                comma(f, items)?;
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            Expr::Just(a) => write!(f, "some({a})"),
            Expr::Record { type_name, fields } => {
                write!(f, "{type_name} {{ ")?;
                for (i, (n, e)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{n}: {e}")?;
                }
                f.write_str(" }")
            }
            Expr::Variant {
                enum_name,
                variant,
                payload,
            } => {
                write!(f, "{enum_name}::{variant}")?;
                if !payload.is_empty() {
                    f.write_str("(")?;
                    comma(f, payload)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            Expr::Field(e, n) => write!(f, "{e}.{n}"),
            Expr::Index(e, i) => write!(f, "{e}[{i}]"),
            Expr::Builtin(b, args) => {
                write!(f, "{}(", builtin_str(*b))?;
                comma(f, args)?;
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Wild => f.write_str("_"),
            Pattern::Bind(n) => f.write_str(n),
            Pattern::Lit(v) => write!(f, "{v}"),
            Pattern::Tuple(ps) => {
                f.write_str("(")?;
                comma(f, ps)?;
                f.write_str(")")
            }
            Pattern::Nil => f.write_str("[]"),
            Pattern::Cons(h, t) => write!(f, "[{h}, ..{t}]"),
            Pattern::List(ps) => {
                f.write_str("[")?;
                comma(f, ps)?;
                f.write_str("]")
            }
            Pattern::Nothing => f.write_str("none"),
            Pattern::Just(p) => write!(f, "some({p})"),
            Pattern::Record { type_name, fields } => {
                write!(f, "{type_name} {{ ")?;
                for (n, p) in fields {
                    write!(f, "{n}: {p}, ")?;
                }
                f.write_str(".. }")
            }
            Pattern::Variant {
                enum_name,
                variant,
                payload,
            } => {
                write!(f, "{enum_name}::{variant}")?;
                if !payload.is_empty() {
                    f.write_str("(")?;
                    comma(f, payload)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("|")?;
        comma(f, &self.params)?;
        write!(f, "| {}", self.body)
    }
}

impl fmt::Display for Instr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = crate::itree::interp::instr_name(self);
        match self {
            Instr::CreateObj {
                behaviour,
                controller,
            } => write!(f, "{name}({behaviour:?}, {controller})"),
            Instr::CallPure { name: n, args } => write!(f, "{name}({n:?}, {args})"),
            Instr::RegisterPure { name: n, function } | Instr::UpdatePure { name: n, function } => {
                write!(f, "{name}({n:?}, {function})")
            }
            Instr::ScryMeta(p) | Instr::ScryDeep(p) => write!(f, "{name}({p})"),
            Instr::GetField(i) => write!(f, "{name}({i})"),
            Instr::SetField(i, e) => write!(f, "{name}({i}, {e})"),
            Instr::Call(a, b)
            | Instr::Publish(a, b)
            | Instr::Lookup(a, b)
            | Instr::MoveObject(a, b)
            | Instr::TransferObject(a, b)
            | Instr::Narrow(a, b) => {
                write!(f, "{name}({a}, {b})")
            }
            Instr::DestroyObj(a)
            | Instr::SetState(a)
            | Instr::Reflect(a)
            | Instr::BeginTx(a)
            | Instr::CommitTx(a)
            | Instr::AbortTx(a)
            | Instr::CommitOrAbort(a)
            | Instr::GetMachine(a)
            | Instr::Teleport(a)
            | Instr::Fetch(a)
            | Instr::GetController(a)
            | Instr::Freeze(a)
            | Instr::Print(a)
            | Instr::NewVar(a)
            | Instr::Post(a)
            | Instr::Label(a)
            | Instr::Choose(a)
            | Instr::Require(a) => write!(f, "{name}({a})"),
            Instr::Receive
            | Instr::SelfId
            | Instr::Input
            | Instr::GetCurrentMachine
            | Instr::GetState
            | Instr::Sender
            | Instr::ReifyContext
            | Instr::ReifyTxState
            | Instr::ReifyConstraints
            | Instr::GetCurrentController => f.write_str(name),
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Writes a term, one step a line, at the given indentation depth.
pub fn write_term(out: &mut String, t: &Term, depth: usize) -> fmt::Result {
    let mut t = t;
    loop {
        // Source locations are for error reports; the printed program leaves them out.
        while let Term::At { body, .. } = t {
            t = body;
        }
        indent(out, depth);
        match t {
            Term::Ret(e) => return writeln!(out, "ret {e}"),
            Term::Tau(rest) => {
                writeln!(out, "tau;")?;
                t = rest;
            }
            Term::Instr { instr, bind, rest } => {
                writeln!(out, "{bind} <- {instr};")?;
                t = rest;
            }
            Term::Let { name, value, rest } => {
                writeln!(out, "let {name} = {value};")?;
                t = rest;
            }
            Term::Bind { first, name, rest } => {
                writeln!(out, "{name} <- {{")?;
                write_term(out, first, depth + 1)?;
                indent(out, depth);
                writeln!(out, "}};")?;
                t = rest;
            }
            Term::If {
                cond,
                then_branch,
                else_branch,
            } => {
                writeln!(out, "if {cond} {{")?;
                write_term(out, then_branch, depth + 1)?;
                indent(out, depth);
                writeln!(out, "}} else {{")?;
                write_term(out, else_branch, depth + 1)?;
                indent(out, depth);
                return writeln!(out, "}}");
            }
            Term::Match { scrutinee, arms } => {
                writeln!(out, "match {scrutinee} {{")?;
                for arm in arms {
                    indent(out, depth + 1);
                    match &arm.guard {
                        Some(g) => writeln!(out, "{} if {g} => {{", arm.pattern)?,
                        None => writeln!(out, "{} => {{", arm.pattern)?,
                    }
                    write_term(out, &arm.body, depth + 2)?;
                    indent(out, depth + 1);
                    writeln!(out, "}}")?;
                }
                indent(out, depth);
                return writeln!(out, "}}");
            }
            Term::Call { function, args } => {
                write!(out, "{function}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write!(out, "{a}")?;
                }
                return writeln!(out, ")");
            }
            Term::Fail(e) => return writeln!(out, "fail {e}"),
            Term::At { body, .. } => t = body,
            Term::Try { body, name, rest } => {
                writeln!(out, "{name} <- try {{")?;
                write_term(out, body, depth + 1)?;
                indent(out, depth);
                writeln!(out, "}};")?;
                t = rest;
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        write_term(&mut s, self, 0)?;
        f.write_str(&s)
    }
}

fn safety_prefix(s: Safety) -> &'static str {
    match s {
        Safety::Safe => "",
        Safety::Unsafe => "unsafe ",
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let mut names: Vec<_> = self.behaviours.keys().collect();
        names.sort();
        for n in names {
            let b = &self.behaviours[n];
            writeln!(out, "{}behaviour {} {{", safety_prefix(b.safety), b.name)?;
            write_term(&mut out, &b.body, 1)?;
            writeln!(out, "}}")?;
        }
        let mut names: Vec<_> = self.functions.keys().collect();
        names.sort();
        for n in names {
            let func = &self.functions[n];
            let kind = match func.kind {
                FnKind::Plain => "fn",
                FnKind::Pure => "pure fn",
            };
            write!(out, "{}{kind} {}(", safety_prefix(func.safety), func.name)?;
            out.push_str(&func.params.join(", "));
            writeln!(out, ") {{")?;
            write_term(&mut out, &func.body, 1)?;
            writeln!(out, "}}")?;
        }
        for (n, func) in &self.pure_registry {
            writeln!(out, "register pure {n:?} = {func}")?;
        }
        writeln!(out, "{}main {{", safety_prefix(self.main_safety))?;
        write_term(&mut out, &self.main, 1)?;
        writeln!(out, "}}")?;
        f.write_str(&out)
    }
}

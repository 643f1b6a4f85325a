//! The Tape text format: printer.
//!
//! Takes a [`Program`] (or a single [`Op`] / [`Const`]); produces the assembly text that
//! `parse.rs` reads back. `Display` for [`Op`] is exactly one op's text; the program
//! printer adds directives (`.string`, `.const`, `.source`, `.func` … `.end`, `.behaviour`,
//! `.entry`), `L<n>:` labels before jump targets, `.at <source>:<start>..<end>` span-table
//! entries before the op they start at, and `;` comments that show what an index refers to
//! (the parser ignores comments). The format is documented in `docs/tape.md`.

use super::op::{ConstIdx, FuncIdx, Op, Reg, RegRange, StrIdx, Target};
use super::program::{Const, Function, Program};
use std::collections::BTreeSet;
use std::fmt::{self, Write as _};

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

impl fmt::Display for RegRange {
    /// `r<start>..r<end>` (half open).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}..r{}", self.start.0, self.end())
    }
}

impl fmt::Display for ConstIdx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

impl fmt::Display for StrIdx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

impl fmt::Display for FuncIdx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "f{}", self.0)
    }
}

impl fmt::Display for Target {
    /// `L<op index>`: the label the program printer puts before that op.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "L{}", self.0)
    }
}

/// Writes `", <range>"` unless the range is the canonical empty range.
fn comma_range(f: &mut fmt::Formatter<'_>, range: RegRange) -> fmt::Result {
    if range == RegRange::EMPTY {
        Ok(())
    } else {
        write!(f, ", {range}")
    }
}

/// Writes `" <range>"` unless the range is the canonical empty range.
fn space_range(f: &mut fmt::Formatter<'_>, range: RegRange) -> fmt::Result {
    if range == RegRange::EMPTY {
        Ok(())
    } else {
        write!(f, " {range}")
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Op::LoadConst { dst, idx } => write!(f, "const {idx} -> {dst}"),
            Op::LoadUnit { dst } => write!(f, "unit -> {dst}"),
            Op::LoadBool { dst, value } => write!(f, "bool {value} -> {dst}"),
            Op::LoadInt { dst, value } => write!(f, "int {value} -> {dst}"),
            Op::Move { dst, src } => write!(f, "move {src} -> {dst}"),
            Op::Add { dst, lhs, rhs } => write!(f, "add {lhs}, {rhs} -> {dst}"),
            Op::Sub { dst, lhs, rhs } => write!(f, "sub {lhs}, {rhs} -> {dst}"),
            Op::Mul { dst, lhs, rhs } => write!(f, "mul {lhs}, {rhs} -> {dst}"),
            Op::Div { dst, lhs, rhs } => write!(f, "div {lhs}, {rhs} -> {dst}"),
            Op::Rem { dst, lhs, rhs } => write!(f, "rem {lhs}, {rhs} -> {dst}"),
            Op::Neg { dst, src } => write!(f, "neg {src} -> {dst}"),
            Op::Eq { dst, lhs, rhs } => write!(f, "eq {lhs}, {rhs} -> {dst}"),
            Op::Ne { dst, lhs, rhs } => write!(f, "ne {lhs}, {rhs} -> {dst}"),
            Op::Lt { dst, lhs, rhs } => write!(f, "lt {lhs}, {rhs} -> {dst}"),
            Op::Le { dst, lhs, rhs } => write!(f, "le {lhs}, {rhs} -> {dst}"),
            Op::Gt { dst, lhs, rhs } => write!(f, "gt {lhs}, {rhs} -> {dst}"),
            Op::Ge { dst, lhs, rhs } => write!(f, "ge {lhs}, {rhs} -> {dst}"),
            Op::Not { dst, src } => write!(f, "not {src} -> {dst}"),
            Op::And { dst, lhs, rhs } => write!(f, "and {lhs}, {rhs} -> {dst}"),
            Op::Or { dst, lhs, rhs } => write!(f, "or {lhs}, {rhs} -> {dst}"),
            Op::MakeList { dst, items } => {
                f.write_str("list")?;
                space_range(f, items)?;
                write!(f, " -> {dst}")
            }
            Op::ListPush { dst, list, item } => write!(f, "list.push {list}, {item} -> {dst}"),
            Op::ListConcat { dst, lhs, rhs } => write!(f, "list.concat {lhs}, {rhs} -> {dst}"),
            Op::ListLen { dst, list } => write!(f, "list.len {list} -> {dst}"),
            Op::ListIndex { dst, list, index } => {
                write!(f, "list.index {list}, {index} -> {dst}")
            }
            Op::ListCons { dst, head, tail } => write!(f, "list.cons {head}, {tail} -> {dst}"),
            Op::ListHead { dst, list } => write!(f, "list.head {list} -> {dst}"),
            Op::ListTail { dst, list } => write!(f, "list.tail {list} -> {dst}"),
            Op::ListIsEmpty { dst, list } => write!(f, "list.is_empty {list} -> {dst}"),
            Op::StrConcat { dst, lhs, rhs } => write!(f, "str.concat {lhs}, {rhs} -> {dst}"),
            Op::StrLen { dst, src } => write!(f, "str.len {src} -> {dst}"),
            Op::MakeTuple { dst, items } => {
                f.write_str("tuple")?;
                space_range(f, items)?;
                write!(f, " -> {dst}")
            }
            Op::TupleGet { dst, src, index } => write!(f, "tuple.get {src}, {index} -> {dst}"),
            Op::MakeSome { dst, src } => write!(f, "some {src} -> {dst}"),
            Op::LoadNone { dst } => write!(f, "none -> {dst}"),
            Op::IsSome { dst, src } => write!(f, "opt.is_some {src} -> {dst}"),
            Op::Unwrap { dst, src } => write!(f, "opt.unwrap {src} -> {dst}"),
            Op::MakeRecord { dst, name, fields } => {
                write!(f, "record {name}")?;
                comma_range(f, fields)?;
                write!(f, " -> {dst}")
            }
            Op::MakeVariant {
                dst,
                enum_name,
                variant,
                payload,
            } => {
                write!(f, "variant {enum_name}, {variant}")?;
                comma_range(f, payload)?;
                write!(f, " -> {dst}")
            }
            Op::TaggedGet { dst, src, index } => write!(f, "tagged.get {src}, {index} -> {dst}"),
            Op::IsVariant {
                dst,
                src,
                enum_name,
                variant,
            } => write!(f, "variant.is {src}, {enum_name}, {variant} -> {dst}"),
            Op::Jump { target } => write!(f, "jump {target}"),
            Op::BranchIf { cond, target } => write!(f, "br {cond}, {target}"),
            Op::BranchIfNot { cond, target } => write!(f, "brnot {cond}, {target}"),
            Op::Call { dst, func, args } => {
                write!(f, "call {func}")?;
                comma_range(f, args)?;
                write!(f, " -> {dst}")
            }
            Op::TailCall { func, args } => {
                write!(f, "tail {func}")?;
                comma_range(f, args)
            }
            Op::Ret { src } => write!(f, "ret {src}"),
            Op::Fail { message } => write!(f, "fail {message}"),
            Op::FailValue { src } => write!(f, "fail.value {src}"),
            Op::FailNoMatch { src } => write!(f, "fail.nomatch {src}"),
            Op::TryBegin { handler, dst } => write!(f, "try {handler} -> {dst}"),
            Op::TryEnd => f.write_str("try.end"),
            Op::Prim { kind, args, dst } => {
                write!(f, "prim.{kind}")?;
                space_range(f, args)?;
                write!(f, " -> {dst}")
            }
            Op::Print { src } => write!(f, "print {src}"),
            Op::FieldGet { dst, field } => write!(f, "field.get {field} -> {dst}"),
            Op::FieldSet { field, src } => write!(f, "field.set {field}, {src}"),
            Op::Effect { kind, args, dst } => {
                write!(f, "fx.{kind}")?;
                space_range(f, args)?;
                write!(f, " -> {dst}")
            }
            Op::EffectWithFunction {
                kind,
                func,
                args,
                dst,
            } => {
                write!(f, "fx.{kind} {func}")?;
                comma_range(f, args)?;
                write!(f, " -> {dst}")
            }
        }
    }
}

/// Writes `s` as a double-quoted string literal with escapes (`\\ \" \n \t \r`, `\u{..}` for
/// other control characters), so that it stays on one line.
pub fn write_quoted(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '"' => out.write_str("\\\"")?,
            '\n' => out.write_str("\\n")?,
            '\t' => out.write_str("\\t")?,
            '\r' => out.write_str("\\r")?,
            c if c.is_control() => write!(out, "\\u{{{:x}}}", u32::from(c))?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

impl fmt::Display for Const {
    /// Source-like syntax: `42`, `-7`, `true`, `"text"`, `()`, `[a, b]`, `(a, b)` (one-element
    /// tuple `(a,)`, empty tuple `(,)`), `none`, `some(a)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::Int(n) => write!(f, "{n}"),
            Const::Bool(b) => write!(f, "{b}"),
            Const::Str(s) => write_quoted(f, s),
            Const::Unit => f.write_str("()"),
            Const::None => f.write_str("none"),
            Const::Some(inner) => write!(f, "some({inner})"),
            Const::List(items) => {
                f.write_char('[')?;
                write_items(f, items)?;
                f.write_char(']')
            }
            Const::Tuple(items) => {
                f.write_char('(')?;
                write_items(f, items)?;
                match items.len() {
                    0 | 1 => f.write_str(",)"),
                    _ => f.write_char(')'),
                }
            }
        }
    }
}

fn write_items(f: &mut fmt::Formatter<'_>, items: &[Const]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&print_program(self))
    }
}

/// The whole program as Tape text (see the module docs and `docs/tape.md`).
pub fn print_program(program: &Program) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_program(&mut out, program);
    out
}

fn write_program(out: &mut String, program: &Program) -> fmt::Result {
    for (i, s) in program.strings.iter().enumerate() {
        write!(out, ".string s{i} ")?;
        write_quoted(out, s)?;
        out.push('\n');
    }
    for (i, c) in program.constants.iter().enumerate() {
        writeln!(out, ".const c{i} {c}")?;
    }
    for (i, name) in program.sources.iter().enumerate() {
        write!(out, ".source {i} ")?;
        write_quoted(out, name)?;
        out.push('\n');
    }
    for function in &program.functions {
        write_function(out, program, function)?;
    }
    for behaviour in &program.behaviours {
        out.push_str(".behaviour ");
        write_quoted(out, &behaviour.name)?;
        write!(out, " dispatch={} fields=[", FuncIdx(behaviour.dispatch.0))?;
        for (i, field) in behaviour.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_quoted(out, field)?;
        }
        out.push(']');
        if let Some(name) = program.function(behaviour.dispatch).map(|d| &d.name) {
            out.push_str("  ; ");
            write_quoted(out, name)?;
        }
        out.push('\n');
    }
    if let Some(entry) = program.entry {
        write!(out, ".entry {entry}")?;
        if let Some(function) = program.function(entry) {
            out.push_str("  ; ");
            write_quoted(out, &function.name)?;
        }
        out.push('\n');
    }
    Ok(())
}

fn write_function(out: &mut String, program: &Program, function: &Function) -> fmt::Result {
    out.push_str(".func ");
    write_quoted(out, &function.name)?;
    writeln!(
        out,
        " params={} regs={} {} {}",
        function.params,
        function.registers,
        function.safety.keyword(),
        function.kind.keyword()
    )?;
    let targets: BTreeSet<u32> = function
        .ops
        .iter()
        .filter_map(|op| op.target())
        .map(|t| t.0)
        .collect();
    let mut spans = function.spans.iter().peekable();
    for (i, op) in function.ops.iter().enumerate() {
        if u32::try_from(i).is_ok_and(|i| targets.contains(&i)) {
            writeln!(out, "L{i}:")?;
        }
        while let Some(entry) = spans.next_if(|e| e.op as usize <= i) {
            let loc = entry.loc;
            writeln!(out, "  .at {}:{}..{}", loc.source, loc.start, loc.end)?;
        }
        let line = op.to_string();
        out.push_str("    ");
        out.push_str(&line);
        if let Some(note) = annotation(program, op) {
            // Align comments a little for readability.
            let pad = 28usize.saturating_sub(line.len()).max(1);
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str("; ");
            out.push_str(&note);
        }
        out.push('\n');
    }
    // A label after the last op (a jump to the end) is printed so the text stays parseable;
    // the verifier rejects such a program.
    if let Ok(end) = u32::try_from(function.ops.len())
        && targets.contains(&end)
    {
        writeln!(out, "L{end}:")?;
    }
    // Entries past the last op are printed too (the verifier rejects them), so the text keeps
    // everything the program holds.
    for entry in spans {
        let loc = entry.loc;
        writeln!(out, "  .at {}:{}..{}", loc.source, loc.start, loc.end)?;
    }
    out.push_str(".end\n");
    Ok(())
}

/// A comment showing what the indices of `op` refer to, if it has any in range.
fn annotation(program: &Program, op: &Op) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let string = |idx: StrIdx| {
        program.string(idx).map(|s| {
            let mut quoted = String::new();
            let _ = write_quoted(&mut quoted, s);
            quoted
        })
    };
    let func = |idx: FuncIdx| {
        program.function(idx).map(|f| {
            let mut quoted = String::new();
            let _ = write_quoted(&mut quoted, &f.name);
            quoted
        })
    };
    match *op {
        Op::LoadConst { idx, .. } => {
            parts.extend(
                program
                    .constants
                    .get(idx.0 as usize)
                    .map(ToString::to_string),
            );
        }
        Op::MakeRecord { name, .. } => parts.extend(string(name)),
        Op::MakeVariant {
            enum_name, variant, ..
        }
        | Op::IsVariant {
            enum_name, variant, ..
        } => {
            let (e, v) = (string(enum_name)?, string(variant)?);
            parts.push(format!("{e}::{v}"));
        }
        Op::Fail { message } => parts.extend(string(message)),
        Op::Call { func: f, .. }
        | Op::TailCall { func: f, .. }
        | Op::EffectWithFunction { func: f, .. } => parts.extend(func(f)),
        _ => {}
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_everything_that_breaks_a_line() {
        let mut out = String::new();
        write_quoted(&mut out, "a\"b\\c\nd\te\u{7}").expect("string write");
        assert_eq!(out, r#""a\"b\\c\nd\te\u{7}""#);
    }

    #[test]
    fn tuples_of_every_size_print_unambiguously() {
        assert_eq!(Const::Tuple(vec![]).to_string(), "(,)");
        assert_eq!(Const::Tuple(vec![Const::Int(1)]).to_string(), "(1,)");
        assert_eq!(
            Const::Tuple(vec![Const::Int(1), Const::Unit]).to_string(),
            "(1, ())"
        );
    }
}

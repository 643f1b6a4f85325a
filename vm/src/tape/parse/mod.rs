//! The Tape text format: parser.
//!
//! Takes Tape text (as printed by `text.rs`, or written by hand); produces a [`Program`] or
//! a [`ParseError`] with line, column and what was expected. The parser is hand-written and
//! line based: every line is a directive (`.string`, `.const`, `.source`, `.func`, `.end`,
//! `.at`, `.behaviour`, `.entry`), a label (`name:`), an op, or blank; `;` starts a comment.
//! `.at <source>:<start>..<end>` inside a function adds a span-table entry for the next op.
//! Function references may be indices (`f3`) or names (`@fib`), labels any word; both are
//! resolved here. The parser checks syntax only; run the verifier on the result.

mod cursor;
mod error;
mod op;

pub use error::{ParseError, ParseErrorKind};

use super::effect::Safety;
use super::op::{FuncIdx, Op, Target};
use super::program::{
    Behaviour, Const, Function, FunctionKind, MAX_CONST_DEPTH, Program, SpanEntry,
};
use crate::srcloc::SrcLoc;
use cursor::Cursor;
use op::{NameRef, ParsedOp, function_ref};
use rustc_hash::FxHashMap;

/// Parses a whole program.
pub fn parse_program(text: &str) -> Result<Program, ParseError> {
    let mut parser = ProgramParser::default();
    let mut last_line = 0;
    for (i, line) in text.lines().enumerate() {
        last_line = i + 1;
        parser.line(&mut Cursor::new(line, i + 1))?;
    }
    parser.finish(last_line + 1)
}

/// Parses one op as printed by `Display` for [`Op`]. Labels must have the printed form
/// `L<op index>`, and functions must be given by index (`f3`).
pub fn parse_op(line: &str) -> Result<Op, ParseError> {
    let mut cur = Cursor::new(line, 1);
    let at = cur.mark();
    let mnemonic = cur.word();
    if mnemonic.is_empty() {
        return Err(cur.expected("an op name"));
    }
    let ParsedOp {
        mut op,
        label,
        function,
    } = op::parse_op(&mut cur, mnemonic, at)?;
    if let Some(name_ref) = function {
        return Err(ParseError {
            line: name_ref.line,
            column: name_ref.column,
            kind: ParseErrorKind::NamedFunctionOutsideProgram(name_ref.name),
        });
    }
    if let Some(label) = label {
        let index = label
            .name
            .strip_prefix('L')
            .and_then(|digits| digits.parse::<u32>().ok());
        let Some(index) = index else {
            return Err(ParseError {
                line: label.line,
                column: label.column,
                kind: ParseErrorKind::UndefinedLabel(label.name),
            });
        };
        if let Some(target) = op.target_mut() {
            *target = Target(index);
        }
    }
    Ok(op)
}

/// Parses one constant as printed by `Display` for [`Const`].
pub fn parse_const(text: &str) -> Result<Const, ParseError> {
    let mut cur = Cursor::new(text, 1);
    let value = constant(&mut cur, 1)?;
    cur.end()?;
    Ok(value)
}

/// A function being parsed, with its labels.
#[derive(Debug)]
struct OpenFunction {
    index: usize,
    labels: FxHashMap<String, u32>,
    label_uses: Vec<(usize, NameRef)>,
}

/// An `@name` reference to patch once all functions are known.
#[derive(Debug)]
enum FunctionUse {
    Op {
        function: usize,
        op: usize,
        name: NameRef,
    },
    Behaviour {
        behaviour: usize,
        name: NameRef,
    },
    Entry(NameRef),
}

#[derive(Debug, Default)]
struct ProgramParser {
    program: Program,
    names: FxHashMap<String, usize>,
    open: Option<OpenFunction>,
    function_uses: Vec<FunctionUse>,
}

impl ProgramParser {
    fn line(&mut self, cur: &mut Cursor<'_>) -> Result<(), ParseError> {
        if cur.at_end() {
            return Ok(());
        }
        let at = cur.mark();
        if cur.eat('.') {
            let directive = cur.word();
            return match directive {
                "string" => self.string(cur),
                "const" => self.constant(cur),
                "source" => self.source(cur),
                "at" => self.at(cur, at),
                "func" => self.func(cur, at),
                "end" => self.end(cur, at),
                "behaviour" => self.behaviour(cur),
                "entry" => self.entry(cur, at),
                _ => Err(cur.error_at(at, ParseErrorKind::UnknownDirective(directive.to_owned()))),
            };
        }
        let (line, column) = (cur.line(), cur.column());
        let word = cur.word();
        if word.is_empty() {
            return Err(cur.expected("a directive, a label or an op"));
        }
        if cur.eat(':') {
            cur.end()?;
            return self.label(word, line, column);
        }
        let parsed = op::parse_op(cur, word, at)?;
        self.op(parsed, line, column)
    }

    fn string(&mut self, cur: &mut Cursor<'_>) -> Result<(), ParseError> {
        let at = cur.mark();
        let found: u32 = cur.prefixed('s', "a string index such as `s0`")?;
        let expected = self.program.strings.len();
        if usize::try_from(found).ok() != Some(expected) {
            return Err(cur.error_at(
                at,
                ParseErrorKind::IndexOutOfOrder {
                    table: "string",
                    expected,
                    found,
                },
            ));
        }
        let value = cur.string()?;
        cur.end()?;
        self.program.strings.push(value);
        Ok(())
    }

    fn constant(&mut self, cur: &mut Cursor<'_>) -> Result<(), ParseError> {
        let at = cur.mark();
        let found: u32 = cur.prefixed('c', "a constant index such as `c0`")?;
        let expected = self.program.constants.len();
        if usize::try_from(found).ok() != Some(expected) {
            return Err(cur.error_at(
                at,
                ParseErrorKind::IndexOutOfOrder {
                    table: "constant",
                    expected,
                    found,
                },
            ));
        }
        let value = constant(cur, 1)?;
        cur.end()?;
        self.program.constants.push(value);
        Ok(())
    }

    /// `.source <n> "name"`: source table entry `n` (in order).
    fn source(&mut self, cur: &mut Cursor<'_>) -> Result<(), ParseError> {
        cur.skip_ws();
        let at = cur.mark();
        let found: u32 = cur.number("a source index such as `0`")?;
        let expected = self.program.sources.len();
        if usize::try_from(found).ok() != Some(expected) {
            return Err(cur.error_at(
                at,
                ParseErrorKind::IndexOutOfOrder {
                    table: "source",
                    expected,
                    found,
                },
            ));
        }
        let name = cur.string()?;
        cur.end()?;
        self.program.sources.push(name);
        Ok(())
    }

    /// `.at <source>:<start>..<end>`: the next op and those after it come from that range.
    fn at(&mut self, cur: &mut Cursor<'_>, at: usize) -> Result<(), ParseError> {
        cur.skip_ws();
        let source = cur.number("a source index such as `0`")?;
        cur.expect_char(':', "`:` between the source index and the byte range")?;
        let start = cur.number("a byte offset")?;
        cur.expect_char('.', "`..` in the byte range")?;
        cur.expect_char('.', "`..` in the byte range")?;
        let end = cur.number("a byte offset")?;
        cur.end()?;
        let Some(open) = &self.open else {
            return Err(cur.error_at(at, ParseErrorKind::OutsideFunction));
        };
        let function = &mut self.program.functions[open.index];
        let op = u32::try_from(function.ops.len())
            .map_err(|_| cur.error_at(at, ParseErrorKind::TooMany { what: "ops" }))?;
        function.spans.push(SpanEntry {
            op,
            loc: SrcLoc { source, start, end },
        });
        Ok(())
    }

    fn func(&mut self, cur: &mut Cursor<'_>, at: usize) -> Result<(), ParseError> {
        if let Some(open) = &self.open {
            let open = self.program.functions[open.index].name.clone();
            return Err(cur.error_at(at, ParseErrorKind::NestedFunction { open }));
        }
        cur.skip_ws();
        let name_column = cur.column();
        let name = cur.string()?;
        cur.keyword("params", "`params=`")?;
        cur.expect_char('=', "`=`")?;
        let params = cur.number("a parameter count (0 to 65535)")?;
        cur.keyword("regs", "`regs=`")?;
        cur.expect_char('=', "`=`")?;
        let registers = cur.number("a register count (0 to 65535)")?;
        let at = cur.mark();
        let safety = match cur.word() {
            "safe" => Safety::Safe,
            "unsafe" => Safety::Unsafe,
            _ => return Err(cur.expected_at(at, "`safe` or `unsafe`")),
        };
        let at = cur.mark();
        let word = cur.word();
        let Some(kind) = FunctionKind::ALL.into_iter().find(|k| k.keyword() == word) else {
            return Err(
                cur.expected_at(at, "a function kind: method, dispatch, pure, plain or main")
            );
        };
        cur.end()?;
        let index = self.program.functions.len();
        if u32::try_from(index).is_err() {
            return Err(cur.error_at(at, ParseErrorKind::TooMany { what: "functions" }));
        }
        if self.names.insert(name.clone(), index).is_some() {
            return Err(ParseError {
                line: cur.line(),
                column: name_column,
                kind: ParseErrorKind::DuplicateFunction(name),
            });
        }
        self.program.functions.push(Function {
            name,
            params,
            registers,
            safety,
            kind,
            ops: Vec::new(),
            spans: Vec::new(),
        });
        self.open = Some(OpenFunction {
            index,
            labels: FxHashMap::default(),
            label_uses: Vec::new(),
        });
        Ok(())
    }

    fn end(&mut self, cur: &mut Cursor<'_>, at: usize) -> Result<(), ParseError> {
        cur.end()?;
        let Some(open) = self.open.take() else {
            return Err(cur.error_at(at, ParseErrorKind::EndWithoutFunction));
        };
        let ops = &mut self.program.functions[open.index].ops;
        for (at, name_ref) in open.label_uses {
            let Some(&position) = open.labels.get(&name_ref.name) else {
                return Err(ParseError {
                    line: name_ref.line,
                    column: name_ref.column,
                    kind: ParseErrorKind::UndefinedLabel(name_ref.name),
                });
            };
            if let Some(target) = ops.get_mut(at).and_then(Op::target_mut) {
                *target = Target(position);
            }
        }
        Ok(())
    }

    fn label(&mut self, name: &str, line: usize, column: usize) -> Result<(), ParseError> {
        let error = |kind| ParseError { line, column, kind };
        let Some(open) = &mut self.open else {
            return Err(error(ParseErrorKind::OutsideFunction));
        };
        let len = self.program.functions[open.index].ops.len();
        let position =
            u32::try_from(len).map_err(|_| error(ParseErrorKind::TooMany { what: "ops" }))?;
        if open.labels.insert(name.to_owned(), position).is_some() {
            return Err(error(ParseErrorKind::DuplicateLabel(name.to_owned())));
        }
        Ok(())
    }

    fn op(&mut self, parsed: ParsedOp, line: usize, column: usize) -> Result<(), ParseError> {
        let Some(open) = &mut self.open else {
            return Err(ParseError {
                line,
                column,
                kind: ParseErrorKind::OutsideFunction,
            });
        };
        let ops = &mut self.program.functions[open.index].ops;
        let at = ops.len();
        if let Some(label) = parsed.label {
            open.label_uses.push((at, label));
        }
        if let Some(name) = parsed.function {
            self.function_uses.push(FunctionUse::Op {
                function: open.index,
                op: at,
                name,
            });
        }
        ops.push(parsed.op);
        Ok(())
    }

    fn behaviour(&mut self, cur: &mut Cursor<'_>) -> Result<(), ParseError> {
        let name = cur.string()?;
        cur.keyword("dispatch", "`dispatch=`")?;
        cur.expect_char('=', "`=`")?;
        let (dispatch, name_ref) = function_ref(cur)?;
        cur.keyword("fields", "`fields=`")?;
        cur.expect_char('=', "`=`")?;
        cur.expect_char('[', "`[` starting the list of field names")?;
        let mut fields = Vec::new();
        if !cur.eat(']') {
            loop {
                fields.push(cur.string()?);
                if cur.eat(']') {
                    break;
                }
                cur.expect_char(',', "`,` or `]`")?;
            }
        }
        cur.end()?;
        if let Some(name) = name_ref {
            self.function_uses.push(FunctionUse::Behaviour {
                behaviour: self.program.behaviours.len(),
                name,
            });
        }
        self.program.behaviours.push(Behaviour {
            name,
            dispatch,
            fields,
        });
        Ok(())
    }

    fn entry(&mut self, cur: &mut Cursor<'_>, at: usize) -> Result<(), ParseError> {
        if self.program.entry.is_some() {
            return Err(cur.error_at(at, ParseErrorKind::DuplicateEntry));
        }
        let (entry, name_ref) = function_ref(cur)?;
        cur.end()?;
        if let Some(name) = name_ref {
            self.function_uses.push(FunctionUse::Entry(name));
        }
        self.program.entry = Some(entry);
        Ok(())
    }

    fn finish(mut self, end_line: usize) -> Result<Program, ParseError> {
        if let Some(open) = self.open {
            return Err(ParseError {
                line: end_line,
                column: 1,
                kind: ParseErrorKind::MissingEnd {
                    function: self.program.functions[open.index].name.clone(),
                },
            });
        }
        for function_use in self.function_uses {
            let name = match &function_use {
                FunctionUse::Op { name, .. }
                | FunctionUse::Behaviour { name, .. }
                | FunctionUse::Entry(name) => name,
            };
            let Some(index) = self.names.get(&name.name).copied() else {
                return Err(ParseError {
                    line: name.line,
                    column: name.column,
                    kind: ParseErrorKind::UnknownFunction(name.name.clone()),
                });
            };
            // Indices below the function count fit in u32 (checked when the function was added).
            let index = FuncIdx(u32::try_from(index).unwrap_or(u32::MAX));
            match function_use {
                FunctionUse::Op { function, op, .. } => {
                    if let Some(op) = self.program.functions[function].ops.get_mut(op) {
                        set_function(op, index);
                    }
                }
                FunctionUse::Behaviour { behaviour, .. } => {
                    self.program.behaviours[behaviour].dispatch = index;
                }
                FunctionUse::Entry(_) => self.program.entry = Some(index),
            }
        }
        Ok(self.program)
    }
}

fn set_function(op: &mut Op, index: FuncIdx) {
    match op {
        Op::Call { func, .. } | Op::TailCall { func, .. } | Op::EffectWithFunction { func, .. } => {
            *func = index;
        }
        _ => {}
    }
}

/// A constant at nesting level `depth` (1 = top level).
fn constant(cur: &mut Cursor<'_>, depth: usize) -> Result<Const, ParseError> {
    if depth > MAX_CONST_DEPTH {
        return Err(cur.error_here(ParseErrorKind::ConstTooDeep));
    }
    match cur.peek() {
        Some('"') => cur.string().map(Const::Str),
        Some('[') => {
            cur.eat('[');
            let mut items = Vec::new();
            if cur.eat(']') {
                return Ok(Const::List(items));
            }
            loop {
                items.push(constant(cur, depth + 1)?);
                if cur.eat(']') {
                    return Ok(Const::List(items));
                }
                cur.expect_char(',', "`,` or `]`")?;
            }
        }
        Some('(') => {
            cur.eat('(');
            if cur.eat(')') {
                return Ok(Const::Unit);
            }
            if cur.eat(',') {
                cur.expect_char(')', "`)` closing the empty tuple `(,)`")?;
                return Ok(Const::Tuple(Vec::new()));
            }
            let mut items = vec![constant(cur, depth + 1)?];
            cur.expect_char(',', "`,` (a tuple needs a comma, e.g. `(1,)`)")?;
            loop {
                if cur.eat(')') {
                    return Ok(Const::Tuple(items));
                }
                items.push(constant(cur, depth + 1)?);
                if cur.eat(')') {
                    return Ok(Const::Tuple(items));
                }
                cur.expect_char(',', "`,` or `)`")?;
            }
        }
        Some(c) if c == '-' || c.is_ascii_digit() => cur.number("a 64-bit integer").map(Const::Int),
        _ => {
            let checkpoint_column = cur.column();
            match cur.word() {
                "true" => Ok(Const::Bool(true)),
                "false" => Ok(Const::Bool(false)),
                "none" => Ok(Const::None),
                "some" => {
                    cur.expect_char('(', "`(` after `some`")?;
                    let inner = constant(cur, depth + 1)?;
                    cur.expect_char(')', "`)` closing `some(`")?;
                    Ok(Const::Some(Box::new(inner)))
                }
                word => Err(ParseError {
                    line: cur.line(),
                    column: checkpoint_column,
                    kind: ParseErrorKind::Expected {
                        expected: "a constant: an integer, true, false, a string, (), a list, \
                                   a tuple, none or some(...)",
                        found: if word.is_empty() {
                            "end of line or an unexpected character".to_owned()
                        } else {
                            format!("`{word}`")
                        },
                    },
                }),
            }
        }
    }
}

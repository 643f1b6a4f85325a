//! Errors of the Tape text parser.
//!
//! Takes nothing; produces [`ParseError`] (line, column, [`ParseErrorKind`]). Each kind carries
//! its data; `Display` says in words what was expected or what is wrong.

use std::fmt;

/// A Tape text parse error at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// What went wrong while parsing Tape text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Something else was expected here (`expected` is in words, `found` is what is there).
    Expected {
        expected: &'static str,
        found: String,
    },
    /// A number does not fit its field (`what` names the field).
    NumberOutOfRange { what: &'static str, text: String },
    /// A register range whose end is before its start or that holds more than 65 535 registers.
    BadRange { start: u16, end: u32 },
    /// A string literal without its closing quote.
    UnterminatedString,
    /// An unknown escape sequence in a string literal.
    BadEscape(String),
    /// A constant nested deeper than [`crate::tape::MAX_CONST_DEPTH`].
    ConstTooDeep,
    /// An op name that does not exist.
    UnknownMnemonic(String),
    /// A `fx.<name>` whose name is not an AVM instruction.
    UnknownEffect(String),
    /// A `prim.<name>` whose name is not a primitive operation.
    UnknownPrim(String),
    /// A directive (`.name`) that does not exist.
    UnknownDirective(String),
    /// A `.string s<n>` / `.const c<n>` whose index is not the next one of its table.
    IndexOutOfOrder {
        table: &'static str,
        expected: usize,
        found: u32,
    },
    /// An op or label outside `.func` … `.end`.
    OutsideFunction,
    /// `.func` inside another function (which is missing its `.end`).
    NestedFunction { open: String },
    /// `.end` with no open function.
    EndWithoutFunction,
    /// The text ended inside a function.
    MissingEnd { function: String },
    /// Two functions with the same name.
    DuplicateFunction(String),
    /// `@name` refers to no function.
    UnknownFunction(String),
    /// `@name` used where no program is available (parsing a single op).
    NamedFunctionOutsideProgram(String),
    /// A label defined twice in one function.
    DuplicateLabel(String),
    /// A jump to a label the function does not define.
    UndefinedLabel(String),
    /// More than one `.entry`.
    DuplicateEntry,
    /// A table or function grew past what a `u32` index can address.
    TooMany { what: &'static str },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.kind
        )
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParseErrorKind::*;
        match self {
            Expected { expected, found } => write!(f, "expected {expected}, found {found}"),
            NumberOutOfRange { what, text } => write!(f, "`{text}` is out of range for {what}"),
            BadRange { start, end } => write!(
                f,
                "register range r{start}..r{end} is invalid (the end must be at least the start, \
                 and a range holds at most 65535 registers)"
            ),
            UnterminatedString => f.write_str("string literal is missing its closing `\"`"),
            BadEscape(text) => write!(
                f,
                "unknown escape `{text}` (use \\\\, \\\", \\n, \\t, \\r, \\0 or \\u{{hex}})"
            ),
            ConstTooDeep => write!(
                f,
                "constant is nested deeper than {} levels",
                crate::tape::MAX_CONST_DEPTH
            ),
            UnknownMnemonic(name) => write!(f, "unknown op `{name}`"),
            UnknownPrim(name) => write!(f, "unknown primitive operation `prim.{name}`"),
            UnknownEffect(name) => write!(
                f,
                "unknown AVM instruction `fx.{name}` (the names are the spec's, e.g. fx.createObj)"
            ),
            UnknownDirective(name) => write!(
                f,
                "unknown directive `.{name}` (expected .string, .const, .func, .end, .behaviour or .entry)"
            ),
            IndexOutOfOrder {
                table,
                expected,
                found,
            } => write!(
                f,
                "{table} entries must be numbered in order: expected index {expected}, found {found}"
            ),
            OutsideFunction => f.write_str("ops and labels must be inside `.func` … `.end`"),
            NestedFunction { open } => {
                write!(f, "`.func` inside function `{open}` (missing `.end`?)")
            }
            EndWithoutFunction => f.write_str("`.end` without an open `.func`"),
            MissingEnd { function } => {
                write!(f, "function `{function}` is missing its `.end`")
            }
            DuplicateFunction(name) => write!(f, "function `{name}` is defined twice"),
            UnknownFunction(name) => write!(f, "no function is named `{name}`"),
            NamedFunctionOutsideProgram(name) => write!(
                f,
                "`@{name}` needs a program to resolve; use an index such as `f0`"
            ),
            DuplicateLabel(name) => write!(f, "label `{name}` is defined twice in this function"),
            UndefinedLabel(name) => write!(f, "label `{name}` is not defined in this function"),
            DuplicateEntry => f.write_str("the program has more than one `.entry`"),
            TooMany { what } => write!(f, "too many {what}"),
        }
    }
}

impl std::error::Error for ParseError {}

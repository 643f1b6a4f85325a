//! The token adapter between logos and the parser.
//!
//! Takes source text; produces [`Lexed`]: the parser's token stream (with
//! byte positions), decoded string literals, doc comments keyed by the
//! position of the token they document, the delimiters still open at the end,
//! and lexical diagnostics. On the way it
//! - reads each contextual keyword as a keyword or a name
//!   ([`crate::syntax::soft_keywords`]), before anything depends on it,
//! - inserts `;` at newlines (see [`ends_statement`] and [`continues_expression`]),
//! - decodes integer and string literals (bad ones become diagnostics, never panics),
//! - drops unknown characters after reporting them,
//! - checks that `()`, `[]` and `{}` pair up (E0203).

use std::collections::HashMap;

use logos::Logos;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::soft_keywords::{self, Context, Enclosing, NewlineBefore, Reading};
use crate::syntax::span::{FileId, Span};
use crate::syntax::token::{LexErrorKind, Token};

/// A positioned token for the parser: `(start, token, end)` in bytes.
pub type Spanned<'a> = (usize, Token<'a>, usize);

/// A `///` comment block (consecutive doc lines joined by `\n`).
#[derive(Debug, Clone, PartialEq)]
pub struct DocComment {
    pub text: String,
    pub span: Span,
}

/// The kind of an opening delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Paren,
    Bracket,
    Brace,
}

impl Delimiter {
    pub fn open(self) -> &'static str {
        match self {
            Delimiter::Paren => "(",
            Delimiter::Bracket => "[",
            Delimiter::Brace => "{",
        }
    }

    pub fn close(self) -> &'static str {
        match self {
            Delimiter::Paren => ")",
            Delimiter::Bracket => "]",
            Delimiter::Brace => "}",
        }
    }
}

/// Everything the lexing pass produces.
#[derive(Debug, Clone, Default)]
pub struct Lexed<'a> {
    pub tokens: Vec<Spanned<'a>>,
    /// Decoded string literals, indexed by `Token::Str`.
    pub strings: Vec<String>,
    /// Doc comments, keyed by the start offset of the token that follows them.
    pub docs: HashMap<u32, DocComment>,
    /// Opening delimiters never closed, outermost first.
    pub unclosed: Vec<(Delimiter, Span)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Byte length of the source (the end-of-file position).
    pub eof: usize,
}

/// True for tokens after which a newline ends the statement.
pub fn ends_statement(tok: &Token<'_>) -> bool {
    matches!(
        tok,
        Token::Ident(_)
            | Token::Int(_)
            | Token::Str(_)
            | Token::True
            | Token::False
            | Token::None
            | Token::SelfValue
            | Token::Sender
            | Token::Input
            | Token::Break
            | Token::Continue
            | Token::Return
            | Token::Abort
            | Token::Reject
            | Token::RParen
            | Token::RBracket
            | Token::RBrace
    )
}

/// True for tokens that, at the start of a line, continue the previous line
/// (so no `;` is inserted before them).
pub fn continues_expression(tok: &Token<'_>) -> bool {
    matches!(
        tok,
        Token::Dot
            | Token::Else
            | Token::FatArrow
            | Token::AndAnd
            | Token::OrOr
            | Token::PlusPlus
            | Token::Plus
            | Token::Star
            | Token::Slash
            | Token::Percent
            | Token::EqEq
            | Token::NotEq
            | Token::Lt
            | Token::Le
            | Token::Gt
            | Token::Ge
            | Token::Assign
            | Token::PlusAssign
            | Token::MinusAssign
            | Token::StarAssign
            | Token::Arrow
            | Token::DotDot
            | Token::DotDotEq
            | Token::As
            | Token::RParen
            | Token::RBracket
            | Token::RBrace
            | Token::Comma
            | Token::Colon
            | Token::ColonColon
            | Token::To
            | Token::By
    )
}

struct Adapter<'a> {
    file: FileId,
    out: Lexed<'a>,
    stack: Vec<(Delimiter, Span)>,
    newline_at: Option<usize>,
    pending_doc: Option<DocComment>,
    /// Start offsets of the `{` that open an `object Name { ... }` body.
    object_bodies: Vec<u32>,
}

impl<'a> Adapter<'a> {
    fn report(&mut self, code: Code, message: String, span: Span, label: &str, help: &str) {
        self.out.diagnostics.push(
            Diagnostic::new(code, message, Label::new(self.file, span, label)).with_help(help),
        );
    }

    /// Whether a newline here may become a `;` (not inside `(...)` or `[...]`).
    fn newline_separates(&self) -> bool {
        matches!(self.stack.last(), None | Some((Delimiter::Brace, _)))
    }

    fn push(&mut self, start: usize, tok: Token<'a>, end: usize) {
        if let Some(nl) = self.newline_at.take()
            && self.newline_separates()
            && self
                .out
                .tokens
                .last()
                .is_some_and(|(_, t, _)| ends_statement(t))
            && !continues_expression(&tok)
        {
            self.out.tokens.push((nl, Token::Semi, nl));
        }
        if let Some(doc) = self.pending_doc.take() {
            let key = u32::try_from(start).unwrap_or(u32::MAX);
            self.out.docs.insert(key, doc);
        }
        self.track_delimiter(&tok, Span::new(start, end));
        self.out.tokens.push((start, tok, end));
    }

    /// The innermost delimiter open at this point, as contextual keywords see it.
    fn enclosing(&self) -> Enclosing {
        match self.stack.last() {
            None => Enclosing::TopLevel,
            Some((Delimiter::Brace, span)) if self.object_bodies.contains(&span.start) => {
                Enclosing::ObjectBody
            }
            Some((Delimiter::Brace, _)) => Enclosing::Braces,
            Some(_) => Enclosing::Brackets,
        }
    }

    /// Reads the contextual keyword `tok` as a keyword or as the name `text`.
    fn contextual(
        &self,
        tok: Token<'a>,
        text: &'a str,
        rest: &[(Token<'a>, NewlineBefore)],
    ) -> Token<'a> {
        let cx = Context {
            prev: self.out.tokens.last().map(|(_, t, _)| t),
            line_start: self.newline_at.is_some(),
            enclosing: self.enclosing(),
            rest,
        };
        match soft_keywords::classify(&tok, &cx) {
            Reading::Keyword => tok,
            Reading::Name => Token::Ident(text),
        }
    }

    fn track_delimiter(&mut self, tok: &Token<'a>, span: Span) {
        let closing = match tok {
            Token::LParen => return self.stack.push((Delimiter::Paren, span)),
            Token::LBracket => return self.stack.push((Delimiter::Bracket, span)),
            Token::LBrace => {
                let n = self.out.tokens.len();
                if n >= 2
                    && matches!(self.out.tokens[n - 2].1, Token::Object)
                    && matches!(self.out.tokens[n - 1].1, Token::Ident(_))
                {
                    self.object_bodies.push(span.start);
                }
                return self.stack.push((Delimiter::Brace, span));
            }
            Token::RParen => Delimiter::Paren,
            Token::RBracket => Delimiter::Bracket,
            Token::RBrace => Delimiter::Brace,
            _ => return,
        };
        match self.stack.last().copied() {
            Some((open, _)) if open == closing => {
                self.stack.pop();
            }
            Some((open, open_span)) => {
                let diag = Diagnostic::new(
                    Code::E0203,
                    format!(
                        "mismatched closing delimiter: expected `{}`, found `{}`",
                        open.close(),
                        closing.close()
                    ),
                    Label::new(
                        self.file,
                        span,
                        format!("`{}` does not close this", closing.close()),
                    ),
                )
                .with_secondary(Label::new(
                    self.file,
                    open_span,
                    format!("this `{}` is closed by `{}`", open.open(), open.close()),
                ))
                .with_help(format!(
                    "replace `{}` with `{}`, or add the missing `{}` before it",
                    closing.close(),
                    open.close(),
                    open.close()
                ));
                self.out.diagnostics.push(diag);
                // Close up to the matching opener if there is one, so one
                // missing delimiter is reported once.
                // Otherwise take the closer as a typo for the innermost one.
                match self.stack.iter().rposition(|(d, _)| *d == closing) {
                    Some(pos) => self.stack.truncate(pos),
                    None => {
                        self.stack.pop();
                    }
                }
            }
            None => self.report(
                Code::E0203,
                format!("unexpected closing delimiter `{}`", closing.close()),
                span,
                "nothing is open here",
                "remove this delimiter, or add the matching opening one before it",
            ),
        }
    }

    fn doc(&mut self, text: &str, span: Span) {
        match &mut self.pending_doc {
            Some(doc) => {
                doc.text.push('\n');
                doc.text.push_str(text);
                doc.span = doc.span.to(span);
            }
            None => {
                self.pending_doc = Some(DocComment {
                    text: text.to_string(),
                    span,
                })
            }
        }
    }

    fn number(&mut self, text: &str, span: Span) -> u64 {
        match decode_integer(text) {
            Ok(value) => value,
            Err(IntegerError::OutOfRange) => {
                self.report(
                    Code::E0104,
                    format!("integer literal `{text}` does not fit in a 64-bit `Int`"),
                    span,
                    "too large",
                    "use a value between -9223372036854775808 and 9223372036854775807",
                );
                0
            }
            Err(IntegerError::Malformed(reason)) => {
                self.report(
                    Code::E0106,
                    format!("malformed integer literal `{text}`: {reason}"),
                    span,
                    "not a valid integer",
                    "write a decimal (`42`, `1_000`), hexadecimal (`0xff`), binary (`0b1010`) or octal (`0o17`) literal, and separate numbers from names with a space or an operator",
                );
                0
            }
        }
    }

    fn string(&mut self, raw: &str, start: usize) -> u32 {
        let (text, errors) = decode_string(raw);
        for (offset, len, what) in errors {
            self.report(
                Code::E0103,
                format!("invalid escape sequence: {what}"),
                Span::new(start + offset, start + offset + len),
                "not a valid escape",
                "use one of `\\n \\t \\r \\0 \\\\ \\\"` or `\\u{41}`; write a backslash as `\\\\`",
            );
        }
        let index = u32::try_from(self.out.strings.len()).unwrap_or(u32::MAX);
        self.out.strings.push(text);
        index
    }
}

/// Lexes a whole file into the parser's token stream.
pub fn lex(file: FileId, text: &str) -> Lexed<'_> {
    let mut ad = Adapter {
        file,
        out: Lexed {
            eof: text.len(),
            ..Lexed::default()
        },
        stack: Vec::new(),
        newline_at: None,
        pending_doc: None,
        object_bodies: Vec::new(),
    };
    let raw: Vec<_> = Token::lexer(text).spanned().collect();
    // The significant tokens (no newlines, comments or errors), for looking ahead.
    let mut ahead: Vec<(Token<'_>, NewlineBefore)> = Vec::with_capacity(raw.len());
    let mut ahead_index = Vec::with_capacity(raw.len());
    let mut newline = NewlineBefore::No;
    for (result, _) in &raw {
        ahead_index.push(ahead.len());
        match result {
            Ok(Token::Newline) => newline = NewlineBefore::Yes,
            Ok(Token::DocComment(_) | Token::BlockComment) | Err(_) => {}
            Ok(tok) => {
                ahead.push((tok.clone(), newline));
                newline = NewlineBefore::No;
            }
        }
    }
    for (i, (result, range)) in raw.into_iter().enumerate() {
        let span = Span::new(range.start, range.end);
        let result = match result {
            Ok(tok) if soft_keywords::is_soft(&tok) => {
                let rest = &ahead[ahead_index[i] + 1..];
                Ok(ad.contextual(tok, &text[range.clone()], rest))
            }
            other => other,
        };
        match result {
            Ok(Token::Newline) => {
                if ad.newline_at.is_none() {
                    ad.newline_at = Some(range.start);
                }
            }
            Ok(Token::DocComment(doc)) => ad.doc(doc, span),
            Ok(Token::Number(digits)) => {
                let value = ad.number(digits, span);
                ad.push(range.start, Token::Int(value), range.end);
            }
            Ok(Token::RawStr(raw)) => {
                let index = ad.string(&raw[1..raw.len() - 1], range.start + 1);
                ad.push(range.start, Token::Str(index), range.end);
            }
            Ok(Token::UnterminatedStr(_)) => ad.report(
                Code::E0102,
                "unterminated string literal".into(),
                Span::new(range.start, range.start + 1),
                "this string is never closed",
                "add a closing `\"` at the end of the string",
            ),
            Ok(tok) => ad.push(range.start, tok, range.end),
            Err(LexErrorKind::UnknownCharacter) => {
                let ch = text[range.clone()].chars().next().unwrap_or('?');
                ad.report(
                    Code::E0101,
                    format!("unknown character `{}`", ch.escape_default()),
                    span,
                    "no token starts with this character",
                    "remove it; text belongs inside a string literal \"...\"",
                )
            }
            Err(LexErrorKind::UnterminatedBlockComment) => ad.report(
                Code::E0105,
                "unterminated block comment".into(),
                Span::new(range.start, range.start + 2),
                "this comment is never closed",
                "add `*/` for every open `/*` (block comments nest)",
            ),
        }
    }
    // A newline (or the end of the file) after a complete statement ends it.
    if ad.newline_separates()
        && ad
            .out
            .tokens
            .last()
            .is_some_and(|(_, t, _)| ends_statement(t))
    {
        let at = ad.newline_at.unwrap_or(text.len());
        ad.out.tokens.push((at, Token::Semi, at));
    }
    if let Some(doc) = ad.pending_doc.take() {
        ad.out.diagnostics.push(
            Diagnostic::new(
                Code::W0101,
                "doc comment at the end of the file documents nothing",
                Label::new(file, doc.span, "not followed by an item"),
            )
            .with_help("remove it, or turn it into a plain `//` comment"),
        );
    }
    ad.out.unclosed = ad.stack;
    ad.out
}

enum IntegerError {
    OutOfRange,
    Malformed(&'static str),
}

/// Decodes `42`, `1_000`, `0xff`, `0b1010`, `0o17`. Accepts values up to 2^63
/// (the magnitude of `Int`'s minimum).
fn decode_integer(text: &str) -> Result<u64, IntegerError> {
    let (radix, digits) = match text.get(..2) {
        Some("0x") | Some("0X") => (16, &text[2..]),
        Some("0b") | Some("0B") => (2, &text[2..]),
        Some("0o") | Some("0O") => (8, &text[2..]),
        _ => (10, text),
    };
    let mut value: u64 = 0;
    let mut any = false;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let Some(d) = c.to_digit(radix) else {
            return Err(IntegerError::Malformed(if c.is_ascii_digit() {
                "digit not allowed in this base"
            } else {
                "unexpected letter in a number"
            }));
        };
        any = true;
        value = value
            .checked_mul(u64::from(radix))
            .and_then(|v| v.checked_add(u64::from(d)))
            .ok_or(IntegerError::OutOfRange)?;
    }
    if !any {
        return Err(IntegerError::Malformed("no digits after the prefix"));
    }
    if value > 1u64 << 63 {
        return Err(IntegerError::OutOfRange);
    }
    Ok(value)
}

/// Decodes the escapes of a string body (without quotes). Returns the text
/// and, for each bad escape, (byte offset in `raw`, byte length, description).
fn decode_string(raw: &str) -> (String, Vec<(usize, usize, String)>) {
    let mut out = String::with_capacity(raw.len());
    let mut errors = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((j, e)) = chars.next() else {
            errors.push((i, 1, "a backslash at the end of the string".to_string()));
            break;
        };
        let after = j + e.len_utf8();
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            'u' => {
                let rest = &raw[after..];
                let close = rest.find('}');
                match (rest.strip_prefix('{'), close) {
                    (Some(_), Some(close)) => {
                        let hex = &rest[1..close];
                        let len = after + close + 1 - i;
                        let code = if hex.is_empty() || hex.len() > 6 {
                            None
                        } else {
                            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                        };
                        match code {
                            Some(ch) => out.push(ch),
                            None => errors.push((
                                i,
                                len,
                                format!("`\\u{{{hex}}}` is not a Unicode scalar value"),
                            )),
                        }
                        // Skip the consumed `{...}` characters.
                        while chars.peek().is_some_and(|(k, _)| *k < after + close + 1) {
                            chars.next();
                        }
                    }
                    _ => errors.push((
                        i,
                        after - i,
                        "`\\u` must be followed by `{hex digits}`".to_string(),
                    )),
                }
            }
            other => errors.push((
                i,
                after - i,
                format!("`\\{}` is not a known escape", other.escape_default()),
            )),
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Token<'_>> {
        lex(FileId(0), src)
            .tokens
            .into_iter()
            .map(|t| t.1)
            .collect()
    }

    #[test]
    fn newline_inserts_semicolon_after_statement_end() {
        assert_eq!(
            toks("a\nb"),
            vec![
                Token::Ident("a"),
                Token::Semi,
                Token::Ident("b"),
                Token::Semi
            ]
        );
        // Continuation lines and brackets suppress insertion.
        assert_eq!(
            toks("a\n&& b"),
            vec![
                Token::Ident("a"),
                Token::AndAnd,
                Token::Ident("b"),
                Token::Semi
            ]
        );
        assert_eq!(
            toks("(a\nb)"),
            vec![
                Token::LParen,
                Token::Ident("a"),
                Token::Ident("b"),
                Token::RParen,
                Token::Semi
            ]
        );
        assert_eq!(toks("a +\nb").len(), 4);
    }

    #[test]
    fn integers_decode_in_every_base() {
        assert_eq!(toks("0xff 0b1010 0o17 1_000"), {
            let mut v = vec![
                Token::Int(255),
                Token::Int(10),
                Token::Int(15),
                Token::Int(1000),
            ];
            v.push(Token::Semi);
            v
        });
        let lexed = lex(FileId(0), "99999999999999999999 0b102 0x");
        let codes: Vec<_> = lexed.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::E0104, Code::E0106, Code::E0106]);
    }

    #[test]
    fn strings_decode_escapes_and_report_bad_ones() {
        let lexed = lex(FileId(0), r#""a\n\t\\\"\u{41}" "\q\u{110000}""#);
        assert_eq!(lexed.strings[0], "a\n\t\\\"A");
        let codes: Vec<_> = lexed.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::E0103, Code::E0103]);
        let lexed = lex(FileId(0), "\"abc");
        assert_eq!(lexed.diagnostics[0].code, Code::E0102);
    }

    #[test]
    fn docs_attach_to_the_next_token() {
        let lexed = lex(FileId(0), "/// one\n/// two\nfn f() {}");
        let doc = lexed.docs.get(&16).expect("doc keyed by `fn`");
        assert_eq!(doc.text, " one\n two");
    }

    #[test]
    fn delimiters_are_checked() {
        let lexed = lex(FileId(0), "{ [1, 2) }");
        let codes: Vec<_> = lexed.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::E0203]);
        let lexed = lex(FileId(0), "fn f() { (");
        assert_eq!(lexed.unclosed.len(), 2);
    }
}

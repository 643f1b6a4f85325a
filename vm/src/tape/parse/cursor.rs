//! A cursor over one line of Tape text.
//!
//! Takes a line and its line number; produces tokens (words, numbers, registers, register
//! ranges, table indices, quoted strings) or a [`ParseError`] that carries the line, the
//! column and what was expected in words. `;` starts a comment that runs to the end of the
//! line (outside string literals).

use super::error::{ParseError, ParseErrorKind};
use crate::tape::op::{Reg, RegRange};

/// A position-tracking reader over one line.
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$')
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str, line: usize) -> Cursor<'a> {
        Cursor { text, pos: 0, line }
    }

    /// The 1-based column of the current position, counted in characters.
    pub(crate) fn column(&self) -> usize {
        self.text[..self.pos].chars().count() + 1
    }

    /// The current position, to return to with [`Cursor::reset`].
    pub(crate) fn mark(&mut self) -> usize {
        self.skip_ws();
        self.pos
    }

    /// Returns to a position from [`Cursor::mark`].
    pub(crate) fn reset(&mut self, mark: usize) {
        self.pos = mark.min(self.text.len());
    }

    /// An error at a position from [`Cursor::mark`].
    pub(crate) fn error_at(&mut self, mark: usize, kind: ParseErrorKind) -> ParseError {
        self.reset(mark);
        self.error_here(kind)
    }

    /// An "expected" error at a position from [`Cursor::mark`].
    pub(crate) fn expected_at(&mut self, mark: usize, expected: &'static str) -> ParseError {
        self.reset(mark);
        self.expected(expected)
    }

    pub(crate) fn line(&self) -> usize {
        self.line
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    pub(crate) fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    pub(crate) fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.rest().chars().next()
    }

    /// Whether only whitespace or a comment is left.
    pub(crate) fn at_end(&mut self) -> bool {
        matches!(self.peek(), None | Some(';'))
    }

    pub(crate) fn error_here(&mut self, kind: ParseErrorKind) -> ParseError {
        self.skip_ws();
        ParseError {
            line: self.line,
            column: self.column(),
            kind,
        }
    }

    /// An "expected X, found Y" error at the current position.
    pub(crate) fn expected(&mut self, expected: &'static str) -> ParseError {
        let found = self.found();
        self.error_here(ParseErrorKind::Expected { expected, found })
    }

    /// A short description of what is at the current position.
    fn found(&mut self) -> String {
        if self.at_end() {
            return "end of line".to_owned();
        }
        let rest = self.rest();
        let word: String = rest.chars().take_while(|c| is_word_char(*c)).collect();
        if word.is_empty() {
            rest.chars()
                .next()
                .map(|c| format!("`{c}`"))
                .unwrap_or_default()
        } else {
            format!("`{word}`")
        }
    }

    /// Consumes `c` if it is next.
    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    pub(crate) fn expect_char(
        &mut self,
        c: char,
        expected: &'static str,
    ) -> Result<(), ParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.expected(expected))
        }
    }

    pub(crate) fn starts_with(&mut self, s: &str) -> bool {
        self.skip_ws();
        self.rest().starts_with(s)
    }

    pub(crate) fn comma(&mut self) -> Result<(), ParseError> {
        self.expect_char(',', "`,`")
    }

    pub(crate) fn arrow(&mut self) -> Result<(), ParseError> {
        if self.starts_with("->") {
            self.pos += 2;
            Ok(())
        } else {
            Err(self.expected("`->` followed by the destination register"))
        }
    }

    /// Requires that nothing but a comment is left.
    pub(crate) fn end(&mut self) -> Result<(), ParseError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.expected("the end of the line"))
        }
    }

    /// A word of letters, digits, `_`, `.` and `$` (possibly empty).
    pub(crate) fn word(&mut self) -> &'a str {
        self.skip_ws();
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|(_, c)| !is_word_char(*c))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += len;
        &rest[..len]
    }

    /// The word `keyword`, or an error.
    pub(crate) fn keyword(
        &mut self,
        keyword: &str,
        expected: &'static str,
    ) -> Result<(), ParseError> {
        let start = self.pos;
        if self.word() == keyword {
            Ok(())
        } else {
            self.pos = start;
            Err(self.expected(expected))
        }
    }

    /// A run of decimal digits with an optional leading `-`, as text.
    fn digits(&mut self, allow_minus: bool) -> &'a str {
        self.skip_ws();
        let rest = self.rest();
        let mut len = 0;
        if allow_minus && rest.starts_with('-') {
            len = 1;
        }
        len += rest[len..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - len);
        // "-" alone is not a number.
        if rest[..len].trim_start_matches('-').is_empty() {
            return "";
        }
        self.pos += len;
        &rest[..len]
    }

    /// A decimal number of type `T`; `what` names it in errors.
    pub(crate) fn number<T: std::str::FromStr>(
        &mut self,
        what: &'static str,
    ) -> Result<T, ParseError> {
        let start = self.pos;
        let text = self.digits(true);
        if text.is_empty() {
            return Err(self.expected(what));
        }
        text.parse().map_err(|_| {
            self.pos = start;
            self.error_here(ParseErrorKind::NumberOutOfRange {
                what,
                text: text.to_owned(),
            })
        })
    }

    /// `<prefix><digits>`, e.g. `c3` for constant 3; `what` names it in errors.
    pub(crate) fn prefixed<T: std::str::FromStr>(
        &mut self,
        prefix: char,
        what: &'static str,
    ) -> Result<T, ParseError> {
        self.skip_ws();
        let start = self.pos;
        let rest = self.rest();
        if !rest.starts_with(prefix)
            || !rest[prefix.len_utf8()..].starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(self.expected(what));
        }
        self.pos += prefix.len_utf8();
        let text = self.digits(false);
        let value = text.parse().map_err(|_| {
            self.pos = start;
            self.error_here(ParseErrorKind::NumberOutOfRange {
                what,
                text: format!("{prefix}{text}"),
            })
        })?;
        // `r5x` is not a register; `r5..` (a range) and `r5,` are fine.
        if self
            .rest()
            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos = start;
            return Err(self.expected(what));
        }
        Ok(value)
    }

    pub(crate) fn reg(&mut self) -> Result<Reg, ParseError> {
        self.prefixed('r', "a register such as `r3`").map(Reg)
    }

    /// `r<start>..r<end>` (half open).
    pub(crate) fn range(&mut self) -> Result<RegRange, ParseError> {
        const WHAT: &str = "a register range such as `r3..r5`";
        self.skip_ws();
        let start_pos = self.pos;
        let start: u16 = self.prefixed('r', WHAT)?;
        if !self.rest().starts_with("..") {
            return Err(self.expected("`..` and the end of the register range"));
        }
        self.pos += 2;
        let end: u32 = self.prefixed('r', "the end of the register range, such as `r5`")?;
        let len = end
            .checked_sub(u32::from(start))
            .and_then(|len| u16::try_from(len).ok());
        match len {
            Some(len) => Ok(RegRange::new(Reg(start), len)),
            None => {
                self.pos = start_pos;
                Err(self.error_here(ParseErrorKind::BadRange { start, end }))
            }
        }
    }

    /// A register range if one follows, else the canonical empty range (used before `->`).
    pub(crate) fn optional_range(&mut self) -> Result<RegRange, ParseError> {
        if self.starts_with("->") || self.at_end() {
            Ok(RegRange::EMPTY)
        } else {
            self.range()
        }
    }

    /// `, <range>` if a comma follows, else the canonical empty range.
    pub(crate) fn optional_comma_range(&mut self) -> Result<RegRange, ParseError> {
        if self.eat(',') {
            self.range()
        } else {
            Ok(RegRange::EMPTY)
        }
    }

    /// A double-quoted string literal with escapes `\\ \" \n \t \r \0 \u{hex}`.
    pub(crate) fn string(&mut self) -> Result<String, ParseError> {
        if self.peek() != Some('"') {
            return Err(self.expected("a string in double quotes"));
        }
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                self.pos = open;
                return Err(self.error_here(ParseErrorKind::UnterminatedString));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let escape_at = self.pos - 1;
                    let escaped = self.rest().chars().next();
                    self.pos += escaped.map_or(0, char::len_utf8);
                    match escaped {
                        Some('\\') => out.push('\\'),
                        Some('"') => out.push('"'),
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('r') => out.push('\r'),
                        Some('0') => out.push('\0'),
                        Some('u') => out.push(self.unicode_escape(escape_at)?),
                        _ => {
                            self.pos = escape_at;
                            return Err(self.bad_escape());
                        }
                    }
                }
                c => out.push(c),
            }
        }
    }

    /// The `{hex}` part of a `\u{hex}` escape starting at `escape_at`.
    fn unicode_escape(&mut self, escape_at: usize) -> Result<char, ParseError> {
        let rest = self.rest();
        let parsed = rest.strip_prefix('{').and_then(|inner| {
            let close = inner.find('}')?;
            let code = u32::from_str_radix(&inner[..close], 16).ok()?;
            Some((char::from_u32(code)?, close + 2))
        });
        match parsed {
            Some((c, consumed)) => {
                self.pos += consumed;
                Ok(c)
            }
            None => {
                self.pos = escape_at;
                Err(self.bad_escape())
            }
        }
    }

    fn bad_escape(&mut self) -> ParseError {
        let text: String = self.rest().chars().take(2).collect();
        self.error_here(ParseErrorKind::BadEscape(text))
    }
}

//! Contextual ("soft") keywords: words that are keywords only where their
//! statement or expression form can start, and plain names everywhere else.
//!
//! Takes one logos keyword token with its neighbourhood (the previous parser
//! token, the raw tokens after it, the open braces); produces the decision
//! [`Reading::Keyword`] or [`Reading::Name`]. The token adapter
//! ([`crate::syntax::lexer`]) asks before it inserts `;` at newlines, so a
//! word read as a name ends or continues lines like any other name.
//!
//! The rules look at most at the neighbouring tokens (and, for `move` and
//! `transfer`, for their `to` further on the line), never at declarations:
//! `fn transfer(from: Ref[A], to: Ref[A], amount: Int)` declares, and
//! `transfer(a, b, 5)` calls, a function named `transfer`, while
//! `transfer c to k` is the statement. Where both readings would parse (a
//! prefix form such as `post`, `require`, `fetch` followed by `(`), the
//! keyword wins; docs/language.md §2 lists the rules.

use crate::syntax::token::Token;

/// The contextual keywords, in source spelling and sorted. Every other word
/// of [`crate::syntax::token::KEYWORDS`] is reserved everywhere.
pub const SOFT_KEYWORDS: &[&str] = &[
    "by", "create", "destroy", "enum", "fetch", "freeze", "import", "init", "input", "move",
    "object", "post", "pure", "register", "require", "sender", "state", "struct", "teleport", "to",
    "transfer", "update",
];

/// How one occurrence of a contextual keyword is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Keyword,
    Name,
}

/// The innermost open delimiter around a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enclosing {
    TopLevel,
    /// The body of `object Name { ... }`: `state` and `init` start members.
    ObjectBody,
    /// Any other `{ ... }`.
    Braces,
    /// `( ... )` or `[ ... ]`.
    Brackets,
}

/// Whether `tok` is one of the [`SOFT_KEYWORDS`].
pub fn is_soft(tok: &Token<'_>) -> bool {
    tok.spelling().is_some_and(|s| SOFT_KEYWORDS.contains(&s))
}

/// The neighbourhood of one contextual keyword.
pub struct Context<'t, 'a> {
    /// The previous token given to the parser (already classified).
    pub prev: Option<&'t Token<'a>>,
    /// Whether a newline separates the word from `prev`.
    pub line_start: bool,
    pub enclosing: Enclosing,
    /// The significant raw tokens after the word (no newlines or comments),
    /// with `newline_before` telling which of them start a line.
    pub rest: &'t [(Token<'a>, NewlineBefore)],
}

/// Whether a newline precedes a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewlineBefore {
    Yes,
    No,
}

/// Decides how the contextual keyword `word` is read here.
pub fn classify(word: &Token<'_>, cx: &Context<'_, '_>) -> Reading {
    let next = cx.rest.first().map(|(t, _)| t);
    // `sender` and `input` are values: a name only where no value can stand,
    // after `.` or `fn` (a method) and as a field in `{ sender: ... }`. A local
    // or parameter of that name could never be read, so it stays an error.
    if matches!(word, Token::Sender | Token::Input) {
        let field = matches!(next, Some(Token::Colon))
            && matches!(cx.enclosing, Enclosing::Braces | Enclosing::ObjectBody);
        let method = matches!(cx.prev, Some(Token::Dot | Token::Fn | Token::ColonColon));
        return if field || method {
            Reading::Name
        } else {
            Reading::Keyword
        };
    }
    // After `.`, `::` or a word that binds a name, every contextual keyword is that name.
    if matches!(
        cx.prev,
        Some(
            Token::Dot
                | Token::ColonColon
                | Token::Fn
                | Token::Let
                | Token::Var
                | Token::For
                | Token::Struct
                | Token::Enum
                | Token::Object
                | Token::State
                | Token::Import
        )
    ) {
        return Reading::Name;
    }
    let keyword = match word {
        // Between an operand and the next expression: `move c to m`, `create A by k`.
        Token::To | Token::By => {
            matches!((word, cx.prev), (Token::By, Some(Token::Atomic)))
                || (cx.prev.is_some_and(ends_operand)
                    && next.is_some_and(starts_expression)
                    && !(cx.line_start && matches!(cx.prev, Some(Token::RBrace))))
        }
        Token::Update | Token::Register => matches!(next, Some(Token::Pure)),
        Token::Pure => {
            matches!(next, Some(Token::Fn))
                || matches!(cx.prev, Some(Token::Update | Token::Register))
        }
        Token::Init => cx.enclosing == Enclosing::ObjectBody && matches!(next, Some(Token::LParen)),
        Token::State => cx.enclosing == Enclosing::ObjectBody && next.is_some_and(names_here),
        Token::Create | Token::Object | Token::Struct | Token::Enum | Token::Import => {
            next.is_some_and(names_here)
        }
        Token::Move | Token::Transfer => next.is_some_and(starts_expression) && has_to(cx.rest),
        Token::Post
        | Token::Require
        | Token::Fetch
        | Token::Freeze
        | Token::Teleport
        | Token::Destroy => next.is_some_and(starts_expression),
        _ => true,
    };
    if keyword {
        Reading::Keyword
    } else {
        Reading::Name
    }
}

/// Whether a token read as a name can start here (an identifier or a word
/// that will itself be read as a name).
fn names_here(tok: &Token<'_>) -> bool {
    matches!(tok, Token::Ident(_)) || is_soft(tok)
}

/// Tokens after which an expression is complete (an operand ends).
fn ends_operand(tok: &Token<'_>) -> bool {
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
            | Token::Abort
            | Token::Reject
            | Token::RParen
            | Token::RBracket
            | Token::RBrace
    )
}

/// Tokens that can begin an expression (raw tokens: numbers and strings are
/// still undecoded).
fn starts_expression(tok: &Token<'_>) -> bool {
    matches!(
        tok,
        Token::Ident(_)
            | Token::Number(_)
            | Token::Int(_)
            | Token::RawStr(_)
            | Token::Str(_)
            | Token::UnterminatedStr(_)
            | Token::LParen
            | Token::LBracket
            | Token::LBrace
            | Token::Minus
            | Token::Bang
            | Token::Pipe
            | Token::OrOr
            | Token::True
            | Token::False
            | Token::None
            | Token::Some
            | Token::SelfValue
            | Token::Abort
            | Token::Reject
            | Token::Return
            | Token::Break
            | Token::Continue
            | Token::If
            | Token::Match
            | Token::Atomic
            | Token::Unsafe
            | Token::Try
    ) || is_soft(tok)
}

/// Whether a `to` follows at the same bracket depth before the statement
/// ends (`;`, a closing bracket, or a new line that does not start with `to`).
fn has_to(rest: &[(Token<'_>, NewlineBefore)]) -> bool {
    let mut depth = 0usize;
    for (i, (tok, newline)) in rest.iter().enumerate() {
        if depth == 0 && *newline == NewlineBefore::Yes && i > 0 && !matches!(tok, Token::To) {
            return false;
        }
        match tok {
            Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
            Token::RParen | Token::RBracket | Token::RBrace => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            Token::Semi if depth == 0 => return false,
            Token::To if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

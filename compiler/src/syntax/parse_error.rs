//! Translation of lalrpop parse errors into [`Diagnostic`]s in words.
//!
//! Takes a `ParseError` plus the token stream it came from; produces an
//! E0201 (unexpected token) or E0202 (unexpected end of file) diagnostic that
//! names what was expected as a category ("an expression", "a type",
//! "`)` or `,`") instead of lalrpop's raw list of terminals, points at the
//! still-open delimiter when one is involved, and always carries a help line.

use lalrpop_util::ParseError;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::syntax::lexer::{Delimiter, Spanned};
use crate::syntax::span::{FileId, Span};
use crate::syntax::token::{LexErrorKind, Token};

/// What the parser wanted, as a phrase and a kind used to pick the help line.
struct Expectation {
    phrase: String,
    kind: ExpectKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExpectKind {
    Expression,
    Item,
    Member,
    Statement,
    Type,
    Pattern,
    Name,
    /// An operator or the end of the statement (after a complete expression).
    Continuation,
    /// An operator, `,` or a closing delimiter (inside a list or call).
    ListContinuation,
    /// An operator or a specific token such as `{`, `=>` or `to`.
    OperatorOr,
    /// A short list of specific tokens.
    Specific,
}

fn terminal_names(expected: &[String]) -> Vec<&str> {
    expected
        .iter()
        .map(|s| {
            s.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(s)
        })
        .collect()
}

fn describe_terminal(name: &str) -> String {
    match name {
        "IDENT" => "a name".into(),
        "INT" => "an integer".into(),
        "STR" => "a string".into(),
        ";" => "a new line or `;`".into(),
        other => format!("`{other}`"),
    }
}

fn join_or(parts: &[String]) -> String {
    match parts {
        [] => "something else".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn expectation(expected: &[String]) -> Expectation {
    let names = terminal_names(expected);
    let has = |t: &str| names.contains(&t);
    let (phrase, kind) = if has("object") && has("struct") && has("fn") {
        (
            "an item (`fn`, `pure fn`, `object`, `struct`, `enum` or `import`)".to_string(),
            ExpectKind::Item,
        )
    } else if has("state") && has("init") {
        (
            "an object member (`state`, `init` or a `fn` method)".to_string(),
            ExpectKind::Member,
        )
    } else if has("let") && has("while") {
        let phrase = if has("}") {
            "a statement or `}`"
        } else {
            "a statement"
        };
        (phrase.to_string(), ExpectKind::Statement)
    } else if has("IDENT") && has("match") && has("INT") {
        ("an expression".to_string(), ExpectKind::Expression)
    } else if has("IDENT") && has("_") && has("INT") {
        ("a pattern".to_string(), ExpectKind::Pattern)
    } else if has("IDENT") && has("fn") && has("(") && !has("INT") {
        ("a type".to_string(), ExpectKind::Type)
    } else if names.len() > 6
        && (has("+") || has("==") || has(".") || has("&&") || has("||") || has("++"))
    {
        let closers: Vec<String> = [")", "]", "}"]
            .iter()
            .filter(|c| has(c))
            .map(|c| format!("`{c}`"))
            .collect();
        if has(";") {
            (
                "an operator, or the end of the statement (a new line or `;`)".to_string(),
                ExpectKind::Continuation,
            )
        } else if has(",") {
            let mut parts = vec!["an operator".to_string(), "`,`".to_string()];
            parts.extend(closers);
            (join_or(&parts), ExpectKind::ListContinuation)
        } else {
            let mut parts = vec!["an operator".to_string()];
            parts.extend(closers);
            parts.extend(
                names
                    .iter()
                    .filter(|n| matches!(**n, "=>" | "{" | "to"))
                    .map(|n| format!("`{n}`")),
            );
            (join_or(&parts), ExpectKind::OperatorOr)
        }
    } else if names == ["IDENT"] {
        ("a name".to_string(), ExpectKind::Name)
    } else {
        let mut parts: Vec<String> = names.iter().map(|n| describe_terminal(n)).collect();
        parts.sort();
        parts.dedup();
        if parts.len() > 5 {
            parts.truncate(5);
            parts.push("…".into());
        }
        (join_or(&parts), ExpectKind::Specific)
    };
    Expectation { phrase, kind }
}

fn describe_found(tok: &Token<'_>, lo: usize, hi: usize) -> String {
    if matches!(tok, Token::Semi) && lo == hi {
        "the end of the line".into()
    } else {
        tok.describe()
    }
}

/// The token stream with, for every token, the innermost delimiter open
/// just before it; built once per parse so translating many errors stays
/// linear.
pub struct TokenIndex<'t, 'a> {
    tokens: &'t [Spanned<'a>],
    open_before: Vec<Option<(Delimiter, Span)>>,
}

impl<'t, 'a> TokenIndex<'t, 'a> {
    pub fn new(tokens: &'t [Spanned<'a>]) -> Self {
        let mut stack: Vec<(Delimiter, Span)> = Vec::new();
        let mut open_before = Vec::with_capacity(tokens.len() + 1);
        for (lo, tok, hi) in tokens {
            open_before.push(stack.last().copied());
            let span = Span::new(*lo, *hi);
            match tok {
                Token::LParen => stack.push((Delimiter::Paren, span)),
                Token::LBracket => stack.push((Delimiter::Bracket, span)),
                Token::LBrace => stack.push((Delimiter::Brace, span)),
                Token::RParen | Token::RBracket | Token::RBrace => {
                    stack.pop();
                }
                _ => {}
            }
        }
        open_before.push(stack.last().copied());
        TokenIndex {
            tokens,
            open_before,
        }
    }

    /// Index of the first token starting at or after `pos`.
    fn index_at(&self, pos: usize) -> usize {
        self.tokens.partition_point(|(lo, _, _)| *lo < pos)
    }

    /// The innermost delimiter still open just before `pos`.
    fn open_before(&self, pos: usize) -> Option<(Delimiter, Span)> {
        self.open_before.get(self.index_at(pos)).copied().flatten()
    }

    /// The token before the one starting at `pos`.
    fn previous(&self, pos: usize) -> Option<&Token<'a>> {
        let idx = self.index_at(pos);
        idx.checked_sub(1).map(|i| &self.tokens[i].1)
    }
}

/// Keywords that start a statement and are followed by an operand: a misspelling of one of
/// them (`retrun x`) is a name followed by an unexpected token.
const STATEMENT_KEYWORDS: [&str; 14] = [
    "return", "let", "var", "while", "for", "if", "match", "destroy", "reject", "abort", "atomic",
    "try", "move", "transfer",
];

/// How each contextual keyword that starts a form is written: the help when
/// the word was read as a name because its form was incomplete
/// (`move c m`, `update f = g`, `import` alone).
const SOFT_KEYWORD_FORMS: [(&str, &str); 15] = [
    (
        "create",
        "write `create Object(args)` (a name must follow `create`)",
    ),
    ("destroy", "write `destroy r` with the reference to destroy"),
    ("enum", "write `enum Name { A, B(Int) }`"),
    ("fetch", "write `fetch r` with the reference to fetch"),
    ("freeze", "write `freeze r` with the reference to freeze"),
    (
        "import",
        "write `import std.list` (a module path must follow `import`)",
    ),
    (
        "init",
        "`init(params) { ... }` is written only directly inside `object Name { ... }`",
    ),
    ("move", "write `move c to machine`"),
    ("object", "write `object Name { state x: Int = 0 }`"),
    ("post", "write `post value` with the value to post"),
    ("register", "write `register pure name = implementation`"),
    ("require", "write `require condition`"),
    (
        "state",
        "`state x: Int = 0` declares a field only directly inside `object Name { ... }`",
    ),
    ("transfer", "write `transfer c to controller`"),
    ("update", "write `update pure target = replacement`"),
];

/// The form of the contextual keyword `word` (read as a name), if it starts one.
fn soft_keyword_form(word: &str) -> Option<&'static str> {
    SOFT_KEYWORD_FORMS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, form)| *form)
}

fn help_for(
    kind: ExpectKind,
    found_newline: bool,
    open: Option<(Delimiter, Span)>,
    names: &[&str],
) -> String {
    if let Some((delim, _)) = open
        && names.contains(&delim.close())
        && kind == ExpectKind::Specific
    {
        return format!(
            "add `{}` to close the `{}`, or separate list elements with `,`",
            delim.close(),
            delim.open()
        );
    }
    match kind {
        ExpectKind::Expression if found_newline => {
            "the expression is incomplete: finish it on this line, or end the line with an operator so it continues on the next".into()
        }
        ExpectKind::Expression => {
            "write a value, a name, a call or another expression here".into()
        }
        ExpectKind::Item => {
            "only declarations may appear at the top level; put statements inside `fn main() { ... }`".into()
        }
        ExpectKind::Member => {
            "an object contains `state name: Type = value` fields, an optional `init(...) { }` and `fn` methods".into()
        }
        ExpectKind::Statement => {
            "write a statement (`let`, `var`, an assignment, `while`, `for`, or an expression), or close the block with `}`".into()
        }
        ExpectKind::Type => {
            "write a type such as `Int`, `List[Int]`, `(Int, Bool)`, `Ref[Counter]` or `fn(Int) -> Int`".into()
        }
        ExpectKind::Pattern => {
            "write a pattern such as `_`, a name, a literal, `(a, b)`, `[h, ..t]`, `some(x)` or `Shot::Hit`".into()
        }
        ExpectKind::Name => "write an identifier (letters, digits and `_`, not a keyword)".into(),
        ExpectKind::Continuation => {
            "put one statement per line, or separate statements on one line with `;`".into()
        }
        ExpectKind::ListContinuation => {
            "separate the elements with `,`, or close the list or call".into()
        }
        ExpectKind::Specific if names.contains(&"=") => {
            "add `=` and the value".into()
        }
        ExpectKind::OperatorOr if names.contains(&"=>") => {
            "separate the pattern from the arm's value with `=>`: `pattern => value`".into()
        }
        ExpectKind::OperatorOr if names.contains(&"to") => {
            "write `move c to machine` or `transfer c to controller`".into()
        }
        ExpectKind::OperatorOr if names.contains(&"{") => {
            "the body goes in braces right after the condition or header: `{ ... }`".into()
        }
        ExpectKind::OperatorOr => "complete the expression or remove the extra token".into(),
        ExpectKind::Specific if names == [":"] => {
            "write the type after a colon: `name: Type`".into()
        }
        ExpectKind::Specific if names.contains(&"=>") => {
            "separate the pattern from the arm's value with `=>`: `pattern => value`".into()
        }
        ExpectKind::Specific if names.contains(&"to") => {
            "write `move c to machine` or `transfer c to controller`".into()
        }
        ExpectKind::Specific => format!("insert {} here", join_or(&names.iter().map(|n| describe_terminal(n)).collect::<Vec<_>>())),
    }
}

/// Whether the `{` at `brace` follows `if|while|match|for ... Name`, i.e. a
/// struct literal was probably written in a condition.
fn struct_literal_in_condition(index: &TokenIndex<'_, '_>, brace: usize) -> bool {
    let idx = index.index_at(brace);
    if !matches!(index.previous(brace), Some(Token::Ident(_))) {
        return false;
    }
    index.tokens[..idx]
        .iter()
        .rev()
        .take_while(|(_, t, _)| !matches!(t, Token::Semi | Token::LBrace | Token::RBrace))
        .any(|(_, t, _)| matches!(t, Token::If | Token::While | Token::Match | Token::For))
}

/// Whether the `(` at `paren` directly follows something callable.
fn is_call_paren(index: &TokenIndex<'_, '_>, paren: usize) -> bool {
    matches!(
        index.previous(paren),
        Some(Token::Ident(_) | Token::RParen | Token::RBracket | Token::Some)
    )
}

/// Translates one lalrpop error. `eof` is the source length.
pub fn translate(
    file: FileId,
    tokens: &TokenIndex<'_, '_>,
    unclosed: &[(Delimiter, Span)],
    eof: usize,
    error: &ParseError<usize, Token<'_>, LexErrorKind>,
) -> Diagnostic {
    match error {
        ParseError::UnrecognizedToken {
            token: (lo, tok, hi),
            expected,
        } => {
            let exp = expectation(expected);
            let names = terminal_names(expected);
            let found_newline = matches!(tok, Token::Semi) && lo == hi;
            let found = describe_found(tok, *lo, *hi);
            let span = if lo == hi {
                // An inserted `;`: point at the newline it stands for.
                Span::new(*lo, (*lo + 1).min(eof))
            } else {
                Span::new(*lo, *hi)
            };
            let open = tokens.open_before(*lo);
            let mut help = help_for(exp.kind, found_newline, open, &names);
            // `retrun x`: a misspelt statement keyword parses as a name followed by a stray
            // operand.
            if exp.kind == ExpectKind::Continuation
                && !found_newline
                && let Some(Token::Ident(name)) = tokens.previous(*lo)
                && let Some(keyword) = crate::resolve::suggest::closest(name, STATEMENT_KEYWORDS)
            {
                help = format!("`{name}` is not a keyword; did you mean `{keyword}`?");
            }
            // `move c m`, `update f = g`: a keyword whose form is incomplete was read as a name.
            if matches!(
                exp.kind,
                ExpectKind::Continuation
                    | ExpectKind::Item
                    | ExpectKind::Member
                    | ExpectKind::Statement
            ) && !found_newline
            {
                let word = match (tok, tokens.previous(*lo)) {
                    (Token::Ident(w), _) if exp.kind != ExpectKind::Continuation => Some(*w),
                    (_, Some(Token::Ident(w))) => Some(*w),
                    _ => None,
                };
                if let Some(form) = word.and_then(soft_keyword_form) {
                    help = form.to_string();
                }
            }
            let mut exp = exp;
            let mut open_label = None;
            if exp.kind == ExpectKind::ListContinuation
                && let Some((delim, open_span)) = open
            {
                let what = match delim {
                    Delimiter::Paren if is_call_paren(tokens, open_span.start as usize) => {
                        "this call"
                    }
                    Delimiter::Paren => "this tuple",
                    Delimiter::Bracket => "this list",
                    Delimiter::Brace => "this struct literal",
                };
                exp.phrase = format!("`,`, or `{}` to close {what}", delim.close());
                open_label = Some(Label::new(file, open_span, format!("{what} starts here")));
            }
            let mut diag = Diagnostic::new(
                Code::E0201,
                format!("expected {}, found {found}", exp.phrase),
                Label::new(file, span, format!("expected {} here", exp.phrase)),
            )
            .with_help(help);
            let comparison = matches!(
                tok,
                Token::Lt | Token::Le | Token::Gt | Token::Ge | Token::EqEq | Token::NotEq
            );
            if comparison && !names.contains(&"==") && names.contains(&"&&") {
                diag.message = format!("comparison operators cannot be chained, found {found}");
                diag = diag
                    .with_note("`a < b < c` is not allowed: comparisons are non-associative")
                    .with_help("combine two comparisons with `&&`: `a < b && b < c`");
            }
            if let Some(label) = open_label {
                diag = diag.with_secondary(label);
            }
            if matches!(tok, Token::Colon | Token::Comma)
                && let Some((Delimiter::Brace, brace)) = open
                && struct_literal_in_condition(tokens, brace.start as usize)
            {
                diag = diag
                    .with_note("struct literals are not allowed directly in the condition of `if`, `while`, `match` or `for`: the `{` starts the body")
                    .with_help("wrap the struct literal in parentheses: `if (Point { x: 1 }) == p { ... }`");
            }
            if let Some((delim, open_span)) = open
                && names.contains(&delim.close())
                && exp.kind == ExpectKind::Specific
            {
                diag = diag.with_secondary(Label::new(
                    file,
                    open_span,
                    format!("this `{}` is still open", delim.open()),
                ));
            }
            diag
        }
        ParseError::UnrecognizedEof { location, expected } => {
            let exp = expectation(expected);
            let at = (*location).min(eof);
            let here = Label::new(
                file,
                Span::point(at),
                format!("expected {} here", exp.phrase),
            );
            match unclosed.last() {
                Some((delim, open_span)) => {
                    let what = match delim {
                        Delimiter::Brace => "block",
                        Delimiter::Paren => "parenthesis",
                        Delimiter::Bracket => "bracket",
                    };
                    Diagnostic::new(
                        Code::E0202,
                        format!("unexpected end of file: this {what} is not closed"),
                        here,
                    )
                    .with_secondary(Label::new(
                        file,
                        *open_span,
                        format!("this `{}` is not closed", delim.open()),
                    ))
                    .with_help(format!("add `{}` where this construct ends", delim.close()))
                }
                None => Diagnostic::new(
                    Code::E0202,
                    format!("unexpected end of file: expected {}", exp.phrase),
                    here,
                )
                .with_help(format!("complete the code: {} is missing", exp.phrase)),
            }
        }
        ParseError::ExtraToken {
            token: (lo, tok, hi),
        } => Diagnostic::new(
            Code::E0201,
            format!("unexpected {}", describe_found(tok, *lo, *hi)),
            Label::new(file, Span::new(*lo, *hi), "nothing may follow here"),
        )
        .with_help("remove this token"),
        ParseError::InvalidToken { location } => Diagnostic::new(
            Code::E0201,
            "invalid token",
            Label::new(file, Span::point(*location), "not a token"),
        )
        .with_help("remove this text"),
        ParseError::User { error } => Diagnostic::new(
            Code::E0201,
            format!("invalid input: {error:?}"),
            Label::new(file, Span::point(0), "here"),
        )
        .with_help("remove this text"),
    }
}

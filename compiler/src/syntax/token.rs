//! Tokens of the AVM language, recognised with logos.
//!
//! Takes source text; produces raw [`Token`]s with byte ranges via
//! `Token::lexer(text).spanned()`. Raw tokens still contain newlines, doc
//! comments and undecoded literals; [`crate::syntax::lexer`] turns them into
//! the parser's token stream (automatic `;`, decoded literals, diagnostics).

use logos::{FilterResult, Logos};

/// Why logos could not produce a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LexErrorKind {
    /// No token starts with this character.
    #[default]
    UnknownCharacter,
    /// `/*` without its matching `*/` (comments nest).
    UnterminatedBlockComment,
}

/// Every keyword of the language, in source spelling. Editor grammars are
/// tested against this list.
pub const KEYWORDS: &[&str] = &[
    "abort", "as", "atomic", "break", "by", "continue", "create", "destroy", "else", "enum",
    "false", "fetch", "fn", "for", "freeze", "if", "import", "in", "init", "input", "let", "match",
    "move", "none", "object", "post", "pure", "register", "reject", "require", "return", "self",
    "sender", "some", "state", "struct", "teleport", "to", "transfer", "true", "try", "unsafe",
    "update", "var", "while",
];

/// Skips a nested block comment whose `/*` was just matched.
fn block_comment<'a>(lex: &mut logos::Lexer<'a, Token<'a>>) -> FilterResult<(), LexErrorKind> {
    let rest = lex.remainder().as_bytes();
    let mut depth = 1usize;
    let mut i = 0;
    while i < rest.len() {
        if rest[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if rest[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                lex.bump(i);
                return FilterResult::Skip;
            }
        } else {
            i += 1;
        }
    }
    lex.bump(rest.len());
    FilterResult::Error(LexErrorKind::UnterminatedBlockComment)
}

#[derive(Logos, Debug, Clone, PartialEq, Eq)]
#[logos(error = LexErrorKind)]
#[logos(skip r"[ \t\r\f\u{FEFF}]+")]
#[logos(skip(r"//([^/\n][^\n]*)?|////[^\n]*", allow_greedy = true))]
pub enum Token<'a> {
    #[token("\n")]
    Newline,
    /// `/// text`: the text after the three slashes.
    #[regex(r"///([^/\n][^\n]*)?", |lex| &lex.slice()[3..], allow_greedy = true)]
    DocComment(&'a str),
    #[token("/*", block_comment)]
    BlockComment,

    // Keywords.
    #[token("abort")]
    Abort,
    #[token("as")]
    As,
    #[token("atomic")]
    Atomic,
    #[token("break")]
    Break,
    #[token("by")]
    By,
    #[token("continue")]
    Continue,
    #[token("create")]
    Create,
    #[token("destroy")]
    Destroy,
    #[token("else")]
    Else,
    #[token("enum")]
    Enum,
    #[token("false")]
    False,
    #[token("fetch")]
    Fetch,
    #[token("fn")]
    Fn,
    #[token("for")]
    For,
    #[token("freeze")]
    Freeze,
    #[token("if")]
    If,
    #[token("import")]
    Import,
    #[token("in")]
    In,
    #[token("init")]
    Init,
    #[token("input")]
    Input,
    #[token("let")]
    Let,
    #[token("match")]
    Match,
    #[token("move")]
    Move,
    #[token("none")]
    None,
    #[token("object")]
    Object,
    #[token("post")]
    Post,
    #[token("pure")]
    Pure,
    #[token("register")]
    Register,
    #[token("reject")]
    Reject,
    #[token("require")]
    Require,
    #[token("return")]
    Return,
    #[token("self")]
    SelfValue,
    #[token("sender")]
    Sender,
    #[token("some")]
    Some,
    #[token("state")]
    State,
    #[token("struct")]
    Struct,
    #[token("teleport")]
    Teleport,
    #[token("to")]
    To,
    #[token("transfer")]
    Transfer,
    #[token("true")]
    True,
    #[token("try")]
    Try,
    #[token("unsafe")]
    Unsafe,
    #[token("update")]
    Update,
    #[token("var")]
    Var,
    #[token("while")]
    While,

    // Names and literals.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice(), priority = 1)]
    Ident(&'a str),
    /// Raw number text (decoded by the token adapter).
    #[regex(r"[0-9][0-9A-Za-z_]*", |lex| lex.slice())]
    Number(&'a str),
    /// A decoded integer literal (produced by the token adapter, never by logos).
    /// Values up to 2^63 are accepted here so that `-9223372036854775808` works.
    Int(u64),
    /// Raw string literal with its quotes (decoded by the token adapter).
    #[regex(r#""([^"\\]|\\(.|\n))*""#, |lex| lex.slice(), allow_greedy = true)]
    RawStr(&'a str),
    /// A string literal without its closing quote (reaches the end of file).
    #[regex(r#""([^"\\]|\\(.|\n))*\\?"#, |lex| lex.slice(), allow_greedy = true)]
    UnterminatedStr(&'a str),
    /// Index of a decoded string literal in the lexer's string table
    /// (produced by the token adapter, never by logos).
    Str(u32),

    // Operators and punctuation.
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("!")]
    Bang,
    #[token("++")]
    PlusPlus,
    #[token("=")]
    Assign,
    #[token("+=")]
    PlusAssign,
    #[token("-=")]
    MinusAssign,
    #[token("*=")]
    StarAssign,
    #[token("->")]
    Arrow,
    #[token("=>")]
    FatArrow,
    #[token(".")]
    Dot,
    #[token("..")]
    DotDot,
    #[token("..=")]
    DotDotEq,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token("::")]
    ColonColon,
    #[token(";")]
    Semi,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("|")]
    Pipe,
    #[token("_")]
    Underscore,
    #[token("#")]
    Hash,
}

impl Token<'_> {
    /// How the token is shown in messages: "`while`", "identifier `x`", ...
    pub fn describe(&self) -> String {
        match self {
            Token::Newline => "end of line".into(),
            Token::DocComment(_) => "a doc comment".into(),
            Token::BlockComment => "a comment".into(),
            Token::Ident(name) => format!("identifier `{name}`"),
            Token::Number(text) => format!("number `{text}`"),
            Token::Int(value) => format!("integer `{value}`"),
            Token::RawStr(_) | Token::UnterminatedStr(_) | Token::Str(_) => "a string".into(),
            other => format!("`{}`", other.spelling().unwrap_or("?")),
        }
    }

    /// The fixed spelling of keyword and punctuation tokens.
    pub fn spelling(&self) -> Option<&'static str> {
        Some(match self {
            Token::Abort => "abort",
            Token::As => "as",
            Token::Atomic => "atomic",
            Token::Break => "break",
            Token::By => "by",
            Token::Continue => "continue",
            Token::Create => "create",
            Token::Destroy => "destroy",
            Token::Else => "else",
            Token::Enum => "enum",
            Token::False => "false",
            Token::Fetch => "fetch",
            Token::Fn => "fn",
            Token::For => "for",
            Token::Freeze => "freeze",
            Token::If => "if",
            Token::Import => "import",
            Token::In => "in",
            Token::Init => "init",
            Token::Input => "input",
            Token::Let => "let",
            Token::Match => "match",
            Token::Move => "move",
            Token::None => "none",
            Token::Object => "object",
            Token::Post => "post",
            Token::Pure => "pure",
            Token::Register => "register",
            Token::Reject => "reject",
            Token::Require => "require",
            Token::Return => "return",
            Token::SelfValue => "self",
            Token::Sender => "sender",
            Token::Some => "some",
            Token::State => "state",
            Token::Struct => "struct",
            Token::Teleport => "teleport",
            Token::To => "to",
            Token::Transfer => "transfer",
            Token::True => "true",
            Token::Try => "try",
            Token::Unsafe => "unsafe",
            Token::Update => "update",
            Token::Var => "var",
            Token::While => "while",
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Percent => "%",
            Token::EqEq => "==",
            Token::NotEq => "!=",
            Token::Lt => "<",
            Token::Le => "<=",
            Token::Gt => ">",
            Token::Ge => ">=",
            Token::AndAnd => "&&",
            Token::OrOr => "||",
            Token::Bang => "!",
            Token::PlusPlus => "++",
            Token::Assign => "=",
            Token::PlusAssign => "+=",
            Token::MinusAssign => "-=",
            Token::StarAssign => "*=",
            Token::Arrow => "->",
            Token::FatArrow => "=>",
            Token::Dot => ".",
            Token::DotDot => "..",
            Token::DotDotEq => "..=",
            Token::Comma => ",",
            Token::Colon => ":",
            Token::ColonColon => "::",
            Token::Semi => ";",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::Pipe => "|",
            Token::Underscore => "_",
            Token::Hash => "#",
            _ => return Option::None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Result<Token<'_>, LexErrorKind>> {
        Token::lexer(src).collect()
    }

    #[test]
    fn every_keyword_lexes_as_a_keyword() {
        for kw in KEYWORDS {
            let toks = kinds(kw);
            assert_eq!(toks.len(), 1, "{kw}");
            let tok = toks[0].clone().expect("keyword lexes");
            assert_eq!(tok.spelling(), Some(*kw), "{kw}");
        }
    }

    #[test]
    fn comments_and_docs() {
        assert_eq!(kinds("// x\n"), vec![Ok(Token::Newline)]);
        assert_eq!(kinds("//// x"), vec![]);
        assert_eq!(kinds("/// doc"), vec![Ok(Token::DocComment(" doc"))]);
        assert_eq!(kinds("/* a /* b */ c */ x"), vec![Ok(Token::Ident("x"))]);
        assert_eq!(
            kinds("/* a /* b */"),
            vec![Err(LexErrorKind::UnterminatedBlockComment)]
        );
    }

    #[test]
    fn operators_take_the_longest_match() {
        assert_eq!(
            kinds("..= .. . ++ + => == = :: :"),
            vec![
                Ok(Token::DotDotEq),
                Ok(Token::DotDot),
                Ok(Token::Dot),
                Ok(Token::PlusPlus),
                Ok(Token::Plus),
                Ok(Token::FatArrow),
                Ok(Token::EqEq),
                Ok(Token::Assign),
                Ok(Token::ColonColon),
                Ok(Token::Colon),
            ]
        );
        assert_eq!(
            kinds("0..n"),
            vec![
                Ok(Token::Number("0")),
                Ok(Token::DotDot),
                Ok(Token::Ident("n"))
            ]
        );
    }

    #[test]
    fn byte_order_mark_and_crlf_are_whitespace() {
        assert_eq!(
            kinds("\u{FEFF}a\r\nb"),
            vec![
                Ok(Token::Ident("a")),
                Ok(Token::Newline),
                Ok(Token::Ident("b"))
            ]
        );
    }

    #[test]
    fn unknown_characters_are_errors_not_panics() {
        assert_eq!(
            kinds("a $ b"),
            vec![
                Ok(Token::Ident("a")),
                Err(LexErrorKind::UnknownCharacter),
                Ok(Token::Ident("b"))
            ]
        );
    }
}

//! Snapshot tests of the lexer: source, the parser's token stream (with the
//! automatically inserted `;`) and the rendered lexical diagnostics.

mod support;

use support::lex_snapshot;

macro_rules! lex_case {
    ($name:ident, $src:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), lex_snapshot($src));
        }
    };
}

lex_case!(integers_in_all_bases, "42 0xff 0b1010 0o17 1_000 0");
lex_case!(
    integer_out_of_range,
    "99999999999999999999 9223372036854775808"
);
lex_case!(malformed_integers, "0b102 12abc 0x");
lex_case!(string_escapes, r#""a\n\t\\\"\u{41}\u{1F600}" "plain""#);
lex_case!(bad_escapes, r#""\q" "\u{110000}" "\u41" "\u{}""#);
lex_case!(unterminated_string, "let s = \"abc\nmore");
lex_case!(nested_block_comments, "a /* one /* two */ still */ b");
lex_case!(
    unterminated_block_comment,
    "a /* one /* two */ never closed"
);
lex_case!(
    line_and_doc_comments,
    "/// doc one\n/// doc two\nfn f() {} // trailing\n//// not a doc\nx"
);
lex_case!(unknown_characters, "let a = 1 $ 2 @ 3 ~ é");
lex_case!(
    operators,
    "+ - * / % == != < <= > >= && || ! ++ = += -= *= -> => . .. ..= , : :: ; ( ) [ ] { } | _ #"
);
lex_case!(
    keywords,
    "object state init fn pure struct enum import let var if else match while for in break continue return create by destroy try atomic abort reject unsafe update register self sender input true false none some teleport move to fetch transfer freeze post require as"
);
// The same words as keywords and as names (docs/language.md §1.2).
lex_case!(
    contextual_keywords,
    "move c to m\ntransfer(a, b, 5)\nupdate pure f = g\nlet update = e.to\nobject A { state to: Int = 0\n init(x: Int) {} }\natomic by k { require(x) }"
);
lex_case!(
    semicolon_insertion,
    "let x = a\n    + b\nlet y = f(\n  1,\n  2\n)\nc.add(5)\n  .add(6)\nif x { 1 }\nelse { 2 }\nreturn\n"
);
lex_case!(dangling_doc_at_eof, "fn f() {}\n/// nothing follows");

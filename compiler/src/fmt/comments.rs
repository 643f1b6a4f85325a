//! The comments of a source file, for the formatter.
//!
//! Takes source text; produces every `//` line comment, `///` doc comment and
//! `/* */` block comment (nested) with its byte span, in source order. The
//! lexer skips plain comments, so the formatter finds them here; string
//! literals are stepped over so that `"// not a comment"` stays a string.

/// What kind of comment a [`Comment`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `// text` (also `//// text`, which is not a doc comment).
    Line,
    /// `/// text`: attaches to the next item, member, field or variant.
    Doc,
    /// `/* text */`, possibly spanning lines.
    Block,
}

/// One comment and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    pub start: usize,
    pub end: usize,
}

/// Every comment of `src`, in source order.
pub fn scan(src: &str) -> Vec<Comment> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i + 1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
                let text = &src[i..end];
                let kind = if text.starts_with("///") && !text.starts_with("////") {
                    CommentKind::Doc
                } else {
                    CommentKind::Line
                };
                out.push(Comment {
                    kind,
                    start: i,
                    end,
                });
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = skip_block_comment(bytes, i + 2);
                out.push(Comment {
                    kind: CommentKind::Block,
                    start: i,
                    end,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// The position after the string literal whose opening quote ends before `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The position after the block comment whose `/*` ends before `i` (comments nest).
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 1usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(CommentKind, &str)> {
        scan(src)
            .into_iter()
            .map(|c| (c.kind, &src[c.start..c.end]))
            .collect()
    }

    #[test]
    fn finds_line_doc_and_nested_block_comments() {
        let src = "/// doc\nfn f() { // line\n /* a /* b */ c */ 1 } //// four\n";
        assert_eq!(
            kinds(src),
            vec![
                (CommentKind::Doc, "/// doc"),
                (CommentKind::Line, "// line"),
                (CommentKind::Block, "/* a /* b */ c */"),
                (CommentKind::Line, "//// four"),
            ]
        );
    }

    #[test]
    fn strings_are_not_comments() {
        assert_eq!(
            kinds(r#"let s = "// no \" /* no" // yes"#),
            vec![(CommentKind::Line, "// yes")]
        );
    }
}

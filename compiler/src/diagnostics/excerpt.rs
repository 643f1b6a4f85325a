//! The part of a source file one rendered diagnostic quotes, bounded in size.
//!
//! Takes a [`SourceFile`] and the byte ranges of a diagnostic's labels in it; produces an
//! [`Excerpt`]: the text of the lines the labels cover (lines in between left empty, so the
//! line numbers stay right; the lines before the first quoted one are empty too, since
//! ariadne 0.6 numbers its gutter from the text's start), each line cut to [`LINE_WIDTH`] bytes around its label with `…`
//! where text was left out, and the labels' ranges moved into that text. A label spanning more
//! than [`MAX_LABEL_LINES`] lines is shortened to the end of its first line. The renderer hands
//! the excerpt to ariadne instead of the whole file, so a diagnostic costs what it shows, not
//! what the file holds: one line of 16,000 `)` is quoted as 200 bytes.

use std::ops::Range;

use crate::syntax::span::SourceFile;

/// The widest line a diagnostic quotes, in bytes (longer lines are cut around the label).
pub const LINE_WIDTH: usize = 200;

/// A label covering more lines than this is shown on its first line only.
pub const MAX_LABEL_LINES: usize = 12;

const ELLIPSIS: &str = "…";

/// The quoted text and where the labels fall in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The excerpt's text, line for line the file's, with only the quoted lines non-empty.
    pub text: String,
    /// The labels' ranges, in `text`, in the order given.
    pub ranges: Vec<Range<usize>>,
    /// Per label, whether its first line was cut (ariadne then shows a column in the cut line,
    /// not in the file).
    pub cut: Vec<bool>,
}

/// One quoted line: where it starts in the file, the part kept, and where that part starts in
/// the excerpt.
struct Kept {
    line_start: usize,
    keep: Range<usize>,
    /// The line's newline follows the kept part (the line was not cut at its end).
    newline: bool,
    at: usize,
}

impl Kept {
    fn map(&self, offset: usize) -> usize {
        let o = offset.clamp(self.keep.start, self.keep.end + usize::from(self.newline));
        self.at + (o - self.keep.start)
    }
}

/// The excerpt of `file` for the labels `ranges` (byte ranges in the file, already clamped to
/// its length). The first range decides the window of a line two labels share.
pub fn excerpt(file: &SourceFile, ranges: &[Range<usize>]) -> Excerpt {
    let text = file.text.as_str();
    // Each label: its first and last line, after shortening a long one.
    let mut spans: Vec<(Range<usize>, usize, usize)> = Vec::with_capacity(ranges.len());
    for r in ranges {
        let first = file.line_index(r.start);
        let last = file.line_index(r.end.saturating_sub(1).max(r.start));
        if last - first > MAX_LABEL_LINES {
            let end = file.line_content_end(first);
            spans.push((r.start..end.max(r.start), first, first));
        } else {
            spans.push((r.clone(), first, last));
        }
    }
    let Some(first_line) = spans.iter().map(|s| s.1).min() else {
        return Excerpt {
            text: String::new(),
            ranges: Vec::new(),
            cut: Vec::new(),
        };
    };
    let last_line = spans.iter().map(|s| s.2).max().unwrap_or(first_line);
    let mut covered: Vec<usize> = spans.iter().flat_map(|s| s.1..=s.2).collect();
    covered.sort_unstable();
    covered.dedup();
    let mut out = "\n".repeat(first_line);
    let mut kept: Vec<(usize, Kept)> = Vec::with_capacity(covered.len());
    let mut next = covered.iter().peekable();
    for line in first_line..=last_line {
        if next.peek() != Some(&&line) {
            out.push('\n');
            continue;
        }
        next.next();
        let start = file.line_start(line);
        let end = file.line_content_end(line);
        // The window is centred on the first label that starts on this line (else one that
        // covers it: a multi-line label's later lines show their start).
        let centre = spans
            .iter()
            .find(|s| s.1 == line)
            .map_or(start, |s| s.0.start);
        let keep = window(text, start..end, centre);
        if keep.start > start {
            out.push_str(ELLIPSIS);
        }
        let at = out.len();
        out.push_str(&text[keep.clone()]);
        let newline = keep.end == end && text[end..].starts_with('\n');
        if keep.end < end {
            out.push_str(ELLIPSIS);
        }
        out.push('\n');
        kept.push((
            line,
            Kept {
                line_start: start,
                keep,
                newline,
                at,
            },
        ));
    }
    let find = |line: usize| {
        kept.binary_search_by_key(&line, |(l, _)| *l)
            .ok()
            .map(|i| &kept[i].1)
    };
    let cut = spans
        .iter()
        .map(|(_, first, _)| {
            find(*first).is_some_and(|k| {
                k.keep.start > k.line_start || k.keep.end < file.line_content_end(*first)
            })
        })
        .collect();
    let moved = spans
        .iter()
        .map(|(r, first, last)| {
            let start = find(*first).map_or(0, |k| k.map(r.start));
            let end = find(*last).map_or(start, |k| k.map(r.end.max(k.line_start)));
            start..end.max(start)
        })
        .collect();
    Excerpt {
        text: out,
        ranges: moved,
        cut,
    }
}

/// The part of the line `line` (without its newline) to keep: all of it when it fits in
/// [`LINE_WIDTH`], else [`LINE_WIDTH`] bytes around `centre`, on character boundaries.
fn window(text: &str, line: Range<usize>, centre: usize) -> Range<usize> {
    if line.end - line.start <= LINE_WIDTH {
        return line;
    }
    let centre = centre.clamp(line.start, line.end);
    let mut start = centre.saturating_sub(LINE_WIDTH / 4).max(line.start);
    let mut end = (start + LINE_WIDTH).min(line.end);
    start = end.saturating_sub(LINE_WIDTH).max(line.start).min(start);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_quoted_whole_with_gaps_left_empty() {
        let file = SourceFile::new("a", "one\ntwo\nthree\nfour\n");
        let e = excerpt(&file, &[4..7, 14..18]);
        assert_eq!(e.text, "\ntwo\n\nfour\n");
        assert_eq!(e.cut, vec![false, false]);
        assert_eq!(&e.text[e.ranges[0].clone()], "two");
        assert_eq!(&e.text[e.ranges[1].clone()], "four");
    }

    #[test]
    fn a_long_line_is_cut_around_the_label() {
        let mut src = "1".to_string();
        src.push_str(&")".repeat(16_000));
        src.push('x');
        let file = SourceFile::new("a", src.clone());
        let at = src.len() - 1;
        let e = excerpt(&file, std::slice::from_ref(&(at..at + 1)));
        assert!(
            e.text.len() <= LINE_WIDTH + 2 * ELLIPSIS.len() + 1,
            "{}",
            e.text.len()
        );
        assert!(e.text.starts_with(ELLIPSIS));
        assert_eq!(e.cut, vec![true]);
        assert_eq!(&e.text[e.ranges[0].clone()], "x");
    }

    #[test]
    fn a_label_over_many_lines_is_shown_on_its_first() {
        let src = "a\n".repeat(100);
        let file = SourceFile::new("a", src.clone());
        let e = excerpt(&file, std::slice::from_ref(&(0..src.len())));
        assert_eq!(e.text, "a\n");
        assert_eq!(e.ranges[0], 0..1);
    }

    #[test]
    fn multibyte_text_is_cut_on_character_boundaries() {
        let src = "é".repeat(1000);
        let file = SourceFile::new("a", src);
        let e = excerpt(&file, std::slice::from_ref(&(1000..1002)));
        assert!(e.text.len() < 300);
        assert_eq!(&e.text[e.ranges[0].clone()], "é");
    }
}

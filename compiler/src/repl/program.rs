//! The program text the REPL compiles for one input.
//!
//! Takes the session's definitions and bindings and the current input's items and statements
//! (as text pieces that remember where they came from); produces the source of a whole program:
//! the definitions, then `fn repl_main(repl_in_0: T0, …) -> R { let x = repl_in_0; …; <the
//! statements>; <result> }`, plus the segment table that maps positions in that text back to the
//! input, so diagnostics point at `<repl:N>` and not at generated code. IO-free.

use avm_vm::srcloc::{Backtrace, SrcLoc};

use crate::diagnostics::{Diagnostic, Label};
use crate::syntax::span::{FileId, SourceMap, Span};

/// The generated function that holds an input's statements.
pub const REPL_MAIN: &str = "repl_main";
/// The name of the local that holds the value of the input's last expression.
pub const IT: &str = "repl_it";

/// A piece of source text and, when it was typed by the user (or read by `:load`), where: the
/// file in the render map and the offset of its first byte there.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub origin: Option<(FileId, usize)>,
}

impl<'a> Piece<'a> {
    /// A piece of generated text.
    pub fn generated(text: &'a str) -> Piece<'a> {
        Piece { text, origin: None }
    }
}

/// Whether a binding may be assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    Let,
    Var,
}

/// A binding made at the prompt: its name, type (source syntax) and mutability.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingDecl {
    pub name: String,
    pub ty: String,
    pub mutability: Mutability,
}

/// What `repl_main` returns: nothing (the type-checking pass), or the value of the last
/// expression (its type) followed by every binding, as nested pairs `(it, (b0, (b1, ())))`.
#[derive(Debug, Clone)]
pub enum Result<'a> {
    /// `repl_main` returns `Unit` and keeps the last expression as its tail.
    Unit,
    /// `repl_main` returns the tail's value and the bindings in this order.
    Values {
        tail_ty: String,
        bindings: &'a [BindingDecl],
    },
}

/// One span of generated text that is a copy of user text.
#[derive(Debug, Clone, Copy)]
struct Segment {
    start: usize,
    len: usize,
    file: FileId,
    orig: usize,
}

/// A generated program with its segment table.
#[derive(Debug, Clone)]
pub struct Generated {
    pub text: String,
    segments: Vec<Segment>,
}

/// Builds program text piece by piece.
#[derive(Debug, Default)]
struct Builder {
    text: String,
    segments: Vec<Segment>,
}

impl Builder {
    fn push(&mut self, piece: Piece<'_>) {
        if let Some((file, orig)) = piece.origin {
            self.segments.push(Segment {
                start: self.text.len(),
                len: piece.text.len(),
                file,
                orig,
            });
        }
        self.text.push_str(piece.text);
    }

    fn raw(&mut self, s: &str) {
        self.text.push_str(s);
    }
}

/// Everything one program is made of.
#[derive(Debug)]
pub struct Parts<'a> {
    /// Definitions kept from earlier inputs, then this input's items.
    pub items: Vec<Piece<'a>>,
    /// Whether a `fn main() {}` must be added (no definition is called `main`).
    pub add_main: bool,
    /// The inputs and files kept definitions came from (the render map's files 1, 2, …; see
    /// `Session::item_pieces`).
    pub kept_sources: Vec<(String, String)>,
    /// The bindings that exist before this input (the parameters of `repl_main`).
    pub params: &'a [BindingDecl],
    /// The input's statements, the last expression included.
    pub stmts: Vec<Piece<'a>>,
    /// Whether the last statement is an expression whose value is the input's value.
    pub last_is_value: bool,
}

/// The program text for `parts`, returning `result`.
pub fn generate(parts: &Parts<'_>, result: &Result<'_>) -> Generated {
    let mut b = Builder::default();
    for item in &parts.items {
        b.push(*item);
        b.raw("\n");
    }
    if parts.add_main {
        b.raw("fn main() {}\n");
    }
    let params: Vec<String> = parts
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| format!("repl_in_{i}: {}", p.ty))
        .collect();
    b.raw(&format!("fn {REPL_MAIN}({})", params.join(", ")));
    if let Result::Values { tail_ty, bindings } = result {
        b.raw(&format!(" -> ({tail_ty}, {})", nested_type(bindings)));
    }
    b.raw(" {\n");
    for (i, p) in parts.params.iter().enumerate() {
        let kw = match p.mutability {
            Mutability::Let => "let",
            Mutability::Var => "var",
        };
        b.raw(&format!("{kw} {} = repl_in_{i}\n", p.name));
    }
    let split = match result {
        Result::Values { .. } if parts.last_is_value => parts.stmts.len().saturating_sub(1),
        _ => parts.stmts.len(),
    };
    for stmt in &parts.stmts[..split] {
        b.push(*stmt);
        b.raw("\n");
    }
    if let Result::Values { bindings, .. } = result {
        let tail = match parts.stmts.get(split) {
            Some(last) => {
                b.raw(&format!("let {IT} = "));
                b.push(*last);
                b.raw("\n");
                IT.to_string()
            }
            None => "()".to_string(),
        };
        b.raw(&format!("({tail}, {})\n", nested_values(bindings)));
    }
    b.raw("}\n");
    Generated {
        text: b.text,
        segments: b.segments,
    }
}

/// `(T0, (T1, Unit))`: the bindings' types as nested pairs ending in `Unit`.
fn nested_type(bindings: &[BindingDecl]) -> String {
    match bindings.split_first() {
        None => "Unit".to_string(),
        Some((b, rest)) => format!("({}, {})", b.ty, nested_type(rest)),
    }
}

/// `(b0, (b1, ()))`.
fn nested_values(bindings: &[BindingDecl]) -> String {
    match bindings.split_first() {
        None => "()".to_string(),
        Some((b, rest)) => format!("({}, {})", b.name, nested_values(rest)),
    }
}

impl Generated {
    /// Moves the labels of diagnostics that point into the generated root file (`root`) to the
    /// user text they were copied from; labels in generated text go to `generated`, labels in
    /// imported files to their new ids (`moved`, from [`render_map`]).
    pub fn remap(
        &self,
        diags: &mut [Diagnostic],
        root: FileId,
        generated: FileId,
        moved: &[(FileId, FileId)],
    ) {
        for d in diags {
            self.remap_label(&mut d.primary, root, generated, moved);
            for l in &mut d.secondary {
                self.remap_label(l, root, generated, moved);
            }
        }
    }

    /// [`Generated::remap`] for the source locations of a run's backtrace. A location in the
    /// root that is not inside copied user text but overlaps some (the generated
    /// `let repl_it = <input>` around the last statement) is cut to that text first.
    pub fn remap_backtrace(
        &self,
        backtrace: &Backtrace,
        root: FileId,
        generated: FileId,
        moved: &[(FileId, FileId)],
    ) -> Backtrace {
        let remap = |loc: &SrcLoc| {
            let (mut start, mut end) = (loc.start as usize, loc.end.max(loc.start) as usize);
            let inside = |s: &Segment| start >= s.start && end <= s.start + s.len;
            if FileId(loc.source) == root && !self.segments.iter().any(inside) {
                let overlapping = self
                    .segments
                    .iter()
                    .find(|s| start < s.start + s.len && s.start < end);
                if let Some(s) = overlapping {
                    start = start.max(s.start);
                    end = end.min(s.start + s.len);
                }
            }
            let mut label = Label::new(FileId(loc.source), Span::new(start, end), "");
            self.remap_label(&mut label, root, generated, moved);
            SrcLoc {
                source: label.file.0,
                start: label.span.start,
                end: label.span.end,
            }
        };
        Backtrace {
            frames: backtrace.frames.iter().map(remap).collect(),
            omitted: backtrace.omitted,
        }
    }

    fn remap_label(
        &self,
        label: &mut Label,
        root: FileId,
        generated: FileId,
        moved: &[(FileId, FileId)],
    ) {
        if label.file != root {
            if let Some((_, new)) = moved.iter().find(|(old, _)| *old == label.file) {
                label.file = *new;
            }
            return;
        }
        let (start, end) = (label.span.start as usize, label.span.end as usize);
        let inside = self
            .segments
            .iter()
            .find(|s| start >= s.start && end <= s.start + s.len);
        match inside {
            Some(s) => {
                label.file = s.file;
                label.span = Span::new(s.orig + start - s.start, s.orig + end - s.start);
            }
            None => label.file = generated,
        }
    }
}

/// The render map for a compile: `inputs` (the files user text came from, ids `0..`), then the
/// imported files of the compile (the pipeline's files after its root), then the generated text.
/// Returns the map and the ids the pipeline's root and imports now have.
pub fn render_map(
    inputs: &[(String, String)],
    pipeline: &SourceMap,
    generated_name: &str,
    generated: &Generated,
) -> (SourceMap, FileId, Vec<(FileId, FileId)>) {
    let mut map = SourceMap::new();
    for (name, text) in inputs {
        map.add(name.clone(), text.clone());
    }
    let mut moved = Vec::new();
    for (id, file) in pipeline.files().skip(1) {
        let new = map.add(file.name.clone(), file.text.clone());
        moved.push((id, new));
    }
    let gen_id = map.add(generated_name, generated.text.clone());
    (map, gen_id, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_wrapped_and_segments_map_back() {
        let input = "let y = x + 1";
        let params = [BindingDecl {
            name: "x".into(),
            ty: "Int".into(),
            mutability: Mutability::Var,
        }];
        let parts = Parts {
            items: vec![Piece::generated("fn f() -> Int { 1 }")],
            add_main: true,
            kept_sources: Vec::new(),
            params: &params,
            stmts: vec![Piece {
                text: input,
                origin: Some((FileId(0), 0)),
            }],
            last_is_value: false,
        };
        let g = generate(&parts, &Result::Unit);
        assert!(
            g.text
                .contains("fn repl_main(repl_in_0: Int) {\nvar x = repl_in_0\n")
        );
        let start = g.text.find("x + 1").expect("copied");
        let mut d = vec![Diagnostic::new(
            crate::diagnostics::Code::E0301,
            "m",
            Label::new(FileId(0), Span::new(start, start + 1), "t"),
        )];
        g.remap(&mut d, FileId(0), FileId(9), &[]);
        assert_eq!(d[0].primary.file, FileId(0));
        assert_eq!(d[0].primary.span, Span::new(8, 9));
        let b = [BindingDecl {
            name: "y".into(),
            ty: "Int".into(),
            mutability: Mutability::Let,
        }];
        let g = generate(
            &parts,
            &Result::Values {
                tail_ty: "Unit".into(),
                bindings: &b,
            },
        );
        assert!(g.text.contains("-> (Unit, (Int, Unit))"));
        assert!(g.text.contains("((), (y, ()))"));
    }
}

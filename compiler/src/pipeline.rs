//! The compile pipeline, IO-free: source text → tokens → AST → typed program → ITree program
//! → Tape program.
//!
//! Takes the root file's name and text, a [`SourceLoader`] that supplies the text of imported
//! modules (the CLI reads files; tests use a map), the stage to stop after and the lowering
//! options; produces a [`CompileOutcome`] with every stage's result that was reached, the
//! [`SourceMap`] of all files, and every diagnostic. Later stages run only when the earlier ones
//! reported no error.

use avm_vm::itree;

use crate::diagnostics::{Diagnostic, has_errors};
use crate::itree::LowerOptions;
use crate::resolve::{ModuleLoader, Program};
use crate::syntax::ast::Module;
use crate::syntax::span::SourceMap;
use crate::typeck::TypedProgram;

/// Supplies the source text of an imported module by dotted path (`"shapes.point"`), with the
/// file name diagnostics should show. `None` when there is no such module. The std modules
/// with sources (`std.list`, …) never reach it: the pipeline serves them from
/// [`crate::resolve::stdlib`].
pub trait SourceLoader {
    fn load_text(&mut self, path: &str) -> Option<(String, String)>;
}

/// A loader that knows no modules.
#[derive(Debug, Default)]
pub struct NoSources;

impl SourceLoader for NoSources {
    fn load_text(&mut self, _path: &str) -> Option<(String, String)> {
        None
    }
}

/// The last stage to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Lexing only.
    Tokens,
    /// Lexing and parsing (with imports loaded).
    Ast,
    /// Name resolution and type checking.
    Typed,
    /// Lowering to ITree terms.
    Itree,
    /// Lowering the ITree program to Tape (register allocation).
    Tape,
}

/// Everything the pipeline produced.
#[derive(Debug)]
pub struct CompileOutcome {
    /// Every source file, the root first.
    pub sources: SourceMap,
    /// The root file's tokens as text (one `start..end token` a line).
    pub tokens: String,
    /// The parsed program (the root module first), when parsing produced a module.
    pub program: Option<Program>,
    /// The checked program, when it type-checked.
    pub typed: Option<TypedProgram>,
    /// The ITree program, when lowering succeeded.
    pub itree: Option<itree::Program>,
    /// The Tape program, when asked for and the Tape lowering succeeded.
    pub tape: Option<avm_vm::tape::Program>,
    /// Every diagnostic of every stage that ran (errors and warnings).
    pub diagnostics: Vec<Diagnostic>,
}

impl CompileOutcome {
    /// Whether any stage reported an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

struct Adapter<'a> {
    loader: &'a mut dyn SourceLoader,
    sources: &'a mut SourceMap,
    diagnostics: Vec<Diagnostic>,
}

impl ModuleLoader for Adapter<'_> {
    fn load(&mut self, path: &str) -> Option<Module> {
        let (name, text) = match crate::resolve::stdlib::source(path) {
            Some((name, text)) => (name.to_string(), text.to_string()),
            None => self.loader.load_text(path)?,
        };
        let file = self.sources.add(name, text.clone());
        let parsed = crate::syntax::parse(file, &text);
        self.diagnostics.extend(parsed.diagnostics);
        parsed.module
    }
}

/// Runs the pipeline up to `stop_after`.
pub fn compile(
    root_name: &str,
    root_text: &str,
    loader: &mut dyn SourceLoader,
    stop_after: Stage,
    options: &LowerOptions,
) -> CompileOutcome {
    let mut sources = SourceMap::new();
    let file = sources.add(root_name, root_text);
    let lexed = crate::syntax::lexer::lex(file, root_text);
    let mut tokens = String::new();
    for (start, tok, end) in &lexed.tokens {
        tokens.push_str(&format!("{start}..{end} {tok:?}\n"));
    }
    let mut out = CompileOutcome {
        sources,
        tokens,
        program: None,
        typed: None,
        itree: None,
        tape: None,
        diagnostics: Vec::new(),
    };
    if stop_after == Stage::Tokens {
        out.diagnostics = lexed.diagnostics;
        return out;
    }
    let parsed = crate::syntax::parse(file, root_text);
    out.diagnostics = parsed.diagnostics;
    let Some(root) = parsed.module else {
        return out;
    };
    let mut adapter = Adapter {
        loader,
        sources: &mut out.sources,
        diagnostics: Vec::new(),
    };
    let program = crate::resolve::load_program(root, &mut adapter);
    out.diagnostics.append(&mut adapter.diagnostics);
    out.program = Some(program);
    if stop_after == Stage::Ast || out.has_errors() {
        return out;
    }
    let Some(program) = out.program.as_ref() else {
        return out;
    };
    let checked = crate::typeck::check(program);
    out.diagnostics.extend(checked.diagnostics);
    if has_errors(&out.diagnostics) {
        return out;
    }
    out.typed = Some(checked.typed);
    if stop_after == Stage::Typed {
        return out;
    }
    let Some(typed) = out.typed.as_ref() else {
        return out;
    };
    match crate::itree::lower_located(program, typed, options, Some(&out.sources)) {
        Ok(p) => out.itree = Some(p),
        Err(mut d) => out.diagnostics.append(&mut d),
    }
    if stop_after == Stage::Itree {
        return out;
    }
    if let Some(p) = &out.itree {
        match crate::tape::lower(p) {
            Ok(t) => out.tape = Some(t),
            Err(e) => out.diagnostics.push(
                Diagnostic::new(
                    crate::diagnostics::Code::E0501,
                    format!("the Tape back end cannot compile this program: {e}"),
                    crate::diagnostics::Label::new(
                        file,
                        crate::syntax::span::Span::point(0),
                        "in this program",
                    ),
                )
                .with_help("run it with `--engine itree`, the reference interpreter"),
            ),
        }
    }
    out
}

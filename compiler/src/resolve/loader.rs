//! A [`ModuleLoader`] over source texts held in memory.
//!
//! Takes a map from dotted module path (`"shapes.point"`) to source text and
//! the [`SourceMap`] to register files in; produces parsed modules on
//! demand (the std modules with sources from [`crate::resolve::stdlib`]),
//! collecting their parse diagnostics. The CLI reads the files and
//! hands their text in; tests write the map by hand.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::resolve::ModuleLoader;
use crate::syntax::ast::Module;
use crate::syntax::parse;
use crate::syntax::span::SourceMap;

/// Loads modules from a path → text map, parsing them into `sources`.
#[derive(Debug)]
pub struct TextLoader<'a> {
    pub texts: BTreeMap<String, String>,
    pub sources: &'a mut SourceMap,
    /// Lexer and parser diagnostics of the loaded modules.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> TextLoader<'a> {
    pub fn new(texts: BTreeMap<String, String>, sources: &'a mut SourceMap) -> TextLoader<'a> {
        TextLoader {
            texts,
            sources,
            diagnostics: Vec::new(),
        }
    }
}

impl ModuleLoader for TextLoader<'_> {
    fn load(&mut self, path: &str) -> Option<Module> {
        let (name, text) = match crate::resolve::stdlib::source(path) {
            Some((name, text)) => (name.to_string(), text.to_string()),
            None => (
                format!("{}.avm", path.replace('.', "/")),
                self.texts.get(path)?.clone(),
            ),
        };
        let file = self.sources.add(name, text.clone());
        let parsed = parse(file, &text);
        self.diagnostics.extend(parsed.diagnostics);
        parsed.module
    }
}

//! `:load FILE` and `:reload`: add the definitions of a source file to the session.
//!
//! Takes the session, the file's path and the host that reads it; produces a [`Reply`]: the
//! names the file defines, or its diagnostics (rendered against the file). The file is parsed
//! as a module and checked together with the session's definitions and bindings before anything
//! is kept; its `main` becomes an ordinary function.

use std::path::Path;

use crate::syntax::span::{FileId, SourceMap};

use super::eval::{Split, item_definition};
use super::program::{BindingDecl, Parts, Piece};
use super::{Output, ReplHost, Reply, Session};

impl Session {
    /// `:load FILE` / `:reload`: adds every item of the file after checking it with the
    /// session's definitions.
    pub(super) fn load(
        &mut self,
        name: &str,
        input: &str,
        path: &str,
        host: &mut dyn ReplHost,
    ) -> Reply {
        let command = if input.trim_start().starts_with(":reload") {
            ":reload"
        } else {
            ":load"
        };
        if path.ends_with(".tape") {
            return super::error_reply(
                &super::error::ReplError::File {
                    command,
                    path: path.to_string(),
                    problem: super::error::FileProblem::TapeFile,
                    reason: "it is a Tape program, not source".to_string(),
                },
                name,
                input,
            );
        }
        let text = match host.read_file(path) {
            Ok(t) => t,
            Err(e) => {
                let mut error = super::error::ReplError::file(command, path.to_string(), &e);
                if let super::error::ReplError::File {
                    problem: super::error::FileProblem::NotFound { suggestion },
                    ..
                } = &mut error
                {
                    *suggestion = crate::diagnostics::driver::near_names(Path::new(path))
                        .into_iter()
                        .map(|p| p.display().to_string())
                        .find(|p| host.is_file(p));
                }
                return super::error_reply(&error, name, input);
            }
        };
        // `:reload` reads this file again once its errors are fixed.
        self.last_load = Some(path.to_string());
        let parsed = crate::syntax::parse(FileId(0), &text);
        let module = match parsed.module {
            Some(m) if !crate::diagnostics::has_errors(&parsed.diagnostics) => m,
            _ => {
                let mut sources = SourceMap::new();
                sources.add(path, text.clone());
                let mut r = Reply::new();
                r.outputs.push(Output::Diagnostics {
                    diagnostics: parsed.diagnostics,
                    sources,
                });
                r.outputs.push(not_loaded(path));
                return r;
            }
        };
        let mut split = Split {
            items: Vec::new(),
            stmts: Vec::new(),
            last_is_value: false,
        };
        let source: std::rc::Rc<str> = std::rc::Rc::from(text.as_str());
        for item in &module.items {
            let t = &text[item.span.range()];
            if let Some(mut def) = item_definition(&item.kind, t) {
                def.origin = Some(super::DefOrigin {
                    name: path.to_string(),
                    text: source.clone(),
                    offset: item.span.start as usize,
                });
                split.items.push((
                    def,
                    Piece {
                        text: t,
                        origin: Some((FileId(0), item.span.start as usize)),
                    },
                ));
            }
        }
        let inputs = [(path.to_string(), text.clone())];
        let (items, add_main, kept_sources) = self.item_pieces(&split.items);
        let params: Vec<BindingDecl> = self.bindings.iter().map(|b| b.decl.clone()).collect();
        let parts = Parts {
            items,
            add_main,
            kept_sources,
            params: &params,
            stmts: Vec::new(),
            last_is_value: false,
        };
        let warnings = match self.check_pass(&inputs, &parts, host) {
            Ok(c) => c.warnings,
            Err(mut r) => {
                r.outputs.push(not_loaded(path));
                return r;
            }
        };
        let names: Vec<String> = split
            .items
            .iter()
            .filter(|(d, _)| d.kind != "import")
            .map(|(d, _)| d.name.clone())
            .collect();
        self.keep_definitions(split.items.into_iter().map(|(d, _)| d).collect());
        let mut r = Reply::new();
        r.outputs.extend(warnings);
        r.outputs
            .push(Output::Text(format!("loaded {path}: {}", names.join(", "))));
        r
    }
}

/// What to do after a `:load` whose file has errors.
fn not_loaded(path: &str) -> Output {
    Output::Text(format!(
        "nothing was loaded from {path}: fix the errors above in the file, then `:reload`"
    ))
}

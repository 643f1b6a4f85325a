//! `:type EXPR`, `:itree EXPR` and `:tape EXPR`: the compiler's view of an expression,
//! without running it.
//!
//! Takes the session and the expression text; produces a [`Reply`] with the expression's type,
//! the ITree terms or the Tape ops of `repl_main` for it (compiled with the session's definitions
//! and bindings, exactly as the input would be), or the diagnostics of the expression.

use super::eval::Split;
use super::program::{BindingDecl, Parts, REPL_MAIN};
use super::{ReplHost, Reply, Session};

/// Which intermediate form `:itree` / `:tape` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Itree,
    Tape,
}

impl Session {
    /// `:type EXPR`.
    pub(super) fn show_type(
        &mut self,
        name: &str,
        input: &str,
        expr: &str,
        host: &mut dyn ReplHost,
    ) -> Reply {
        let split = match self.expression(name, input, expr, ":type") {
            Ok(s) => s,
            Err(r) => return r,
        };
        let (items, add_main, kept_sources) = self.item_pieces(&[]);
        let params: Vec<BindingDecl> = self.bindings.iter().map(|b| b.decl.clone()).collect();
        let parts = Parts {
            items,
            add_main,
            kept_sources,
            params: &params,
            stmts: split.stmts.clone(),
            last_is_value: true,
        };
        let inputs = [(name.to_string(), expr.to_string())];
        match self.check_pass(&inputs, &parts, host) {
            Ok(c) => Reply::text(format!(
                "{} : {}",
                expr.trim(),
                c.tail_ty.unwrap_or_else(|| "_".to_string())
            )),
            Err(r) => r,
        }
    }

    /// `:itree EXPR` / `:tape EXPR`: the code `repl_main` compiles to for the expression.
    pub(super) fn show_code(
        &mut self,
        name: &str,
        input: &str,
        expr: &str,
        code: Code,
        host: &mut dyn ReplHost,
    ) -> Reply {
        let command = match code {
            Code::Itree => ":itree",
            Code::Tape => ":tape",
        };
        let split = match self.expression(name, input, expr, command) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let inputs = [(name.to_string(), expr.to_string())];
        let compiled = match self.compile_input(&inputs, &split, host) {
            Ok(c) => c,
            Err(r) => return r,
        };
        match code {
            Code::Itree => {
                let Some(f) = compiled.itree.functions.get(REPL_MAIN) else {
                    return Reply::text("internal: `repl_main` is missing");
                };
                let mut s = format!("fn {REPL_MAIN}({}) {{\n", f.params.join(", "));
                let _ = avm_vm::itree::display::write_term(&mut s, &f.body, 1);
                s.push('}');
                Reply::text(s)
            }
            Code::Tape => match &compiled.tape {
                Ok(t) => {
                    let Some(f) = t.functions.iter().find(|f| f.name == REPL_MAIN) else {
                        return Reply::text("internal: `repl_main` is missing");
                    };
                    let mut s = format!(
                        ".func \"{}\" params={} regs={}\n",
                        f.name, f.params, f.registers
                    );
                    for (i, op) in f.ops.iter().enumerate() {
                        s.push_str(&format!("L{i}: {op}\n"));
                    }
                    s.push_str(".end");
                    Reply::text(s)
                }
                Err(e) => Reply::text(format!(
                    "the Tape back end cannot compile this ({e}); it runs on the ITree engine"
                )),
            },
        }
    }

    /// The argument of `:type`/`:itree`/`:tape`, which must be one expression.
    fn expression<'a>(
        &self,
        name: &str,
        input: &str,
        expr: &'a str,
        command: &'static str,
    ) -> Result<Split<'a>, Reply> {
        let split = self.split(expr)?;
        if split.items.is_empty() && split.stmts.len() == 1 && split.last_is_value {
            Ok(split)
        } else {
            Err(super::error_reply(
                &super::error::ReplError::BadArgument {
                    command,
                    found: expr.to_string(),
                    expected: "EXPR",
                },
                name,
                input,
            ))
        }
    }
}

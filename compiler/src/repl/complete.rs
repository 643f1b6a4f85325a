//! Tab completion for the REPL.
//!
//! Takes the line being edited and the cursor position; produces where the completed word
//! starts and the candidates, sorted: command names for a `:word` at the start of the line,
//! otherwise the session's definitions, its bindings and the language's keywords that start
//! with the word before the cursor.

use crate::syntax::token::KEYWORDS;

use super::Session;
use super::command::COMMANDS;

impl Session {
    /// Completions of the word that ends at byte `pos` of `line`: (its start, candidates).
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let pos = pos.min(line.len());
        let Some(before) = line.get(..pos) else {
            return (pos, Vec::new());
        };
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        if before.trim_start().starts_with(':') && !before.trim_start().contains(' ') {
            let colon = before.len() - before.trim_start().len();
            let typed = &before[colon..];
            let mut out: Vec<String> = COMMANDS
                .iter()
                .map(|(c, _, _)| c.to_string())
                .filter(|c| c.starts_with(typed))
                .collect();
            out.sort();
            return (colon, out);
        }
        if word.is_empty() || before.trim_start().starts_with(':') && !is_expr_command(before) {
            return (start, Vec::new());
        }
        let mut out: Vec<String> = self
            .defs
            .iter()
            .filter(|d| d.kind != "import")
            .map(|d| d.name.clone())
            .chain(self.bindings.iter().map(|b| b.decl.name.clone()))
            .chain(KEYWORDS.iter().map(|k| k.to_string()))
            .filter(|n| n.starts_with(word))
            .collect();
        out.sort();
        out.dedup();
        (start, out)
    }
}

/// Whether the line is a command whose argument is an expression (names complete there).
fn is_expr_command(before: &str) -> bool {
    let first = before.split_whitespace().next().unwrap_or("");
    matches!(first, ":type" | ":itree" | ":tape" | ":state")
}

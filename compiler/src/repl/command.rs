//! REPL commands: the `:name argument` lines.
//!
//! Takes one input line that starts with `:`; produces a [`Command`] or a
//! [`ReplError`] (unknown command, missing or invalid argument). The table [`COMMANDS`] is
//! also what `:help` prints and what Tab completes.

use crate::repl::error::ReplError;

/// Every command with its argument and a one-line description, in `:help` order.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (":help", "", "show this list"),
    (":quit", "", "leave the REPL (also Ctrl-D)"),
    (
        ":load",
        "FILE",
        "add the definitions of a .avm file (its `main` becomes an ordinary function)",
    ),
    (":reload", "", "load the last :load file again"),
    (
        ":reset",
        "",
        "forget every definition and binding, start a new world",
    ),
    (":type", "EXPR", "show the type of an expression"),
    (":itree", "EXPR", "show the ITree terms of an expression"),
    (":tape", "EXPR", "show the Tape code of an expression"),
    (":trace", "on|off", "print the trace of every run"),
    (":objects", "", "list the objects in the world"),
    (":state", "OBJ", "show an object's state fields"),
    (
        ":msc",
        "FILE",
        "write a sequence chart (Mermaid) of the session's runs",
    ),
    (
        ":mode",
        "avm|tape",
        "switch between the language and raw Tape instructions",
    ),
    (":regs", "", "show the Tape mode's registers"),
];

/// Whether the trace is printed after each run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracing {
    On,
    Off,
}

/// What the REPL reads: the language or Tape instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Avm,
    Tape,
}

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Quit,
    Load(String),
    Reload,
    Reset,
    Type(String),
    Itree(String),
    Tape(String),
    Trace(Tracing),
    Objects,
    State(String),
    Msc(String),
    Mode(Mode),
    Regs,
}

/// Parses a command line (it starts with `:`).
pub fn parse(line: &str) -> Result<Command, ReplError> {
    let line = line.trim();
    let body = line.strip_prefix(':').unwrap_or(line);
    let (name, arg) = match body.find(char::is_whitespace) {
        Some(i) => (&body[..i], body[i..].trim()),
        None => (body, ""),
    };
    let need = |command: &'static str, expected: &'static str| {
        if arg.is_empty() {
            Err(ReplError::BadArgument {
                command,
                found: String::new(),
                expected,
            })
        } else {
            Ok(arg.to_string())
        }
    };
    let none = |command: &'static str, c: Command| {
        if arg.is_empty() {
            Ok(c)
        } else {
            Err(ReplError::BadArgument {
                command,
                found: arg.to_string(),
                expected: "no argument",
            })
        }
    };
    match name {
        "help" | "h" | "?" => none(":help", Command::Help),
        "quit" | "q" => none(":quit", Command::Quit),
        "load" | "l" => need(":load", "FILE").map(Command::Load),
        "reload" | "r" => none(":reload", Command::Reload),
        "reset" => none(":reset", Command::Reset),
        "type" | "t" => need(":type", "EXPR").map(Command::Type),
        "itree" => need(":itree", "EXPR").map(Command::Itree),
        "tape" => need(":tape", "EXPR").map(Command::Tape),
        "trace" => match arg {
            "on" => Ok(Command::Trace(Tracing::On)),
            "off" => Ok(Command::Trace(Tracing::Off)),
            _ => Err(ReplError::BadArgument {
                command: ":trace",
                found: arg.to_string(),
                expected: "on|off",
            }),
        },
        "objects" => none(":objects", Command::Objects),
        "state" => need(":state", "OBJ").map(Command::State),
        "msc" => need(":msc", "FILE").map(Command::Msc),
        "mode" => match arg {
            "avm" => Ok(Command::Mode(Mode::Avm)),
            "tape" => Ok(Command::Mode(Mode::Tape)),
            _ => Err(ReplError::BadArgument {
                command: ":mode",
                found: arg.to_string(),
                expected: "avm|tape",
            }),
        },
        "regs" => none(":regs", Command::Regs),
        _ => Err(ReplError::UnknownCommand {
            name: name.to_string(),
            suggestion: suggest(name),
        }),
    }
}

/// The known command closest to `name`, if it is close enough to be a typo.
fn suggest(name: &str) -> Option<&'static str> {
    COMMANDS
        .iter()
        .map(|(c, _, _)| (*c, strsim::damerau_levenshtein(name, &c[1..])))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

/// The text of `:help`.
pub fn help() -> String {
    let mut s = String::from(
        "Enter definitions (fn, object, struct, enum, import) and statements; an expression's value is printed with its type.\n",
    );
    for (name, arg, what) in COMMANDS {
        let head = if arg.is_empty() {
            name.to_string()
        } else {
            format!("{name} {arg}")
        };
        s.push_str(&format!("  {head:<16} {what}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_typos_get_suggestions() {
        assert_eq!(parse(":type 1 + 2"), Ok(Command::Type("1 + 2".into())));
        assert_eq!(parse(":trace on"), Ok(Command::Trace(Tracing::On)));
        assert_eq!(parse(":mode tape"), Ok(Command::Mode(Mode::Tape)));
        assert_eq!(
            parse(":tpye 1"),
            Err(ReplError::UnknownCommand {
                name: "tpye".into(),
                suggestion: Some(":type")
            })
        );
        assert!(matches!(parse(":load"), Err(ReplError::BadArgument { .. })));
        assert!(matches!(
            parse(":quit now"),
            Err(ReplError::BadArgument { .. })
        ));
    }
}

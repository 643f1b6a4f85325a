//! The registry of diagnostic codes: every code, its severity, title and
//! explanation page, declared in one table.
//!
//! Codes are `E` (error) or `W` (warning) followed by four digits; the first
//! two digits name the stage ([`Stage`]). Each code's explanation page is
//! `explain/<CODE>.md`, included at compile time (a missing page does not
//! compile). `avmc explain CODE` prints [`Code::explanation`].
//!
//! To add a code: add a line to the `codes!` table below and write its page.

use serde::Serialize;

use crate::diagnostics::diagnostic::Severity;

/// The compiler stage a code belongs to (the first two digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The `avmc` driver: input and output files, before any source text is read.
    Driver,
    Lexer,
    Parser,
    NameResolution,
    TypeChecking,
    Lowering,
    TapeLoading,
    Runtime,
    Repl,
    /// Durable worlds (`avmc run --world`, `avmc world`).
    World,
}

impl Stage {
    /// The two digits that open every code of this stage.
    pub fn digits(self) -> &'static str {
        match self {
            Stage::Driver => "00",
            Stage::Lexer => "01",
            Stage::Parser => "02",
            Stage::NameResolution => "03",
            Stage::TypeChecking => "04",
            Stage::Lowering => "05",
            Stage::TapeLoading => "06",
            Stage::Runtime => "07",
            Stage::Repl => "08",
            Stage::World => "09",
        }
    }
}

/// One registry entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: Code,
    pub severity: Severity,
    pub stage: Stage,
    pub title: &'static str,
    pub explanation: &'static str,
}

macro_rules! codes {
    ($($code:ident, $severity:ident, $stage:ident, $title:literal;)*) => {
        /// A diagnostic code. See the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        /// Every registered code, in table order.
        pub static REGISTRY: &[CodeInfo] = &[
            $(CodeInfo {
                code: Code::$code,
                severity: Severity::$severity,
                stage: Stage::$stage,
                title: $title,
                explanation: include_str!(concat!("explain/", stringify!($code), ".md")),
            },)*
        ];

        impl Code {
            /// The code as written, e.g. `"E0201"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }
        }
    };
}

codes! {
    E0001, Error, Driver, "input file not found";
    E0002, Error, Driver, "input path is a directory";
    E0003, Error, Driver, "input file is not UTF-8 text";
    E0004, Error, Driver, "input file cannot be read";
    E0005, Error, Driver, "output file cannot be written";
    E0006, Error, Driver, "a Tape file given to `check` or `compile`";
    E0007, Error, Driver, "a source-only flag given with a Tape file";
    E0008, Error, Driver, "input file is not a regular file";
    E0009, Error, Driver, "input file too large";
    E0016, Error, Driver, "the SMT solver program is not found";
    E0017, Error, Driver, "empty `--solver-cmd`";
    E0101, Error, Lexer, "unknown character";
    E0102, Error, Lexer, "unterminated string literal";
    E0103, Error, Lexer, "invalid escape sequence in a string";
    E0104, Error, Lexer, "integer literal out of range";
    E0105, Error, Lexer, "unterminated block comment";
    E0106, Error, Lexer, "malformed integer literal";
    W0101, Warning, Lexer, "doc comment not attached to an item";
    E0201, Error, Parser, "unexpected token";
    E0202, Error, Parser, "unexpected end of file";
    E0203, Error, Parser, "mismatched closing delimiter";
    E0204, Error, Parser, "invalid assignment target";
    E0205, Error, Parser, "nesting too deep";
    E0301, Error, NameResolution, "unknown name";
    E0302, Error, NameResolution, "name defined more than once";
    E0303, Error, NameResolution, "unknown module";
    E0304, Error, NameResolution, "`self`, `sender` or `input` outside a method";
    E0305, Error, NameResolution, "assignment to an immutable binding";
    E0306, Error, NameResolution, "unknown type";
    E0307, Error, NameResolution, "unknown enum variant";
    E0401, Error, TypeChecking, "mismatched types";
    E0402, Error, TypeChecking, "unknown method";
    E0403, Error, TypeChecking, "wrong number of arguments";
    E0404, Error, TypeChecking, "method call on an untyped reference";
    E0405, Error, TypeChecking, "invalid cast";
    E0406, Error, TypeChecking, "effect in a pure function";
    E0407, Error, TypeChecking, "unsafe operation outside `unsafe`";
    E0408, Error, TypeChecking, "`abort` outside an atomic block";
    E0409, Error, TypeChecking, "`reject` outside a method";
    E0410, Error, TypeChecking, "`break` or `continue` outside a loop";
    E0411, Error, TypeChecking, "non-exhaustive match";
    E0412, Error, TypeChecking, "unknown field";
    E0413, Error, TypeChecking, "missing fields in a struct literal";
    E0414, Error, TypeChecking, "type cannot be inferred";
    E0415, Error, TypeChecking, "value is not callable";
    E0416, Error, TypeChecking, "method call on a value that is not an object";
    E0417, Error, TypeChecking, "misuse of an object name";
    E0418, Error, TypeChecking, "operator applied to wrong types";
    E0419, Error, TypeChecking, "`try` on an expression that cannot fail";
    E0420, Error, TypeChecking, "invalid constraint";
    E0421, Error, TypeChecking, "wrong number of type arguments";
    E0422, Error, TypeChecking, "cannot index this value";
    E0423, Error, TypeChecking, "pattern does not fit the variant";
    W0401, Warning, TypeChecking, "unreachable match arm";
    E0501, Error, Lowering, "construct not supported by the compiler yet";
    E0502, Error, Lowering, "no `main` function";
    E0601, Error, TapeLoading, "invalid Tape file";
    E0701, Error, Runtime, "runtime failure";
    E0702, Error, Runtime, "memory limit exceeded";
    E0703, Error, Runtime, "run stopped by its timeout";
    E0730, Error, Runtime, "the SMT solver gave no verdict";
    E0731, Error, Runtime, "the SMT solver's model failed the re-check";
    E0801, Error, Repl, "unknown REPL command";
    E0802, Error, Repl, "REPL cannot read or write a file";
    E0803, Error, Repl, "missing or invalid REPL command argument";
    E0804, Error, Repl, "invalid instruction in the REPL's Tape mode";
    E0901, Error, World, "the world is open in another process";
    E0902, Error, World, "the world was written by a newer avmc";
    E0903, Error, World, "the file is not an AVM world";
    E0904, Error, World, "no world at this path";
    E0905, Error, World, "the world's storage failed";
    E0906, Error, World, "the world is inconsistent";
    E0907, Error, World, "`lookup` found an object of another interface";
    E0908, Error, World, "`--world` runs on the Tape engine only";
    E0909, Error, World, "import into a world that holds objects";
    E0910, Error, World, "not a world export";
    E0911, Error, World, "no such object in the world";
    E0912, Error, World, "`lookup` not typed as an object reference";
}

impl Code {
    pub fn info(self) -> &'static CodeInfo {
        // The table is generated in enum order, so the discriminant indexes it.
        &REGISTRY[self as usize]
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    pub fn stage(self) -> Stage {
        self.info().stage
    }

    pub fn title(self) -> &'static str {
        self.info().title
    }

    /// The markdown explanation page.
    pub fn explanation(self) -> &'static str {
        self.info().explanation
    }

    /// Looks a code up by its text (case-insensitive), for `avmc explain`.
    pub fn parse(text: &str) -> Option<Code> {
        REGISTRY
            .iter()
            .map(|info| info.code)
            .find(|code| code.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_in_enum_order() {
        for (i, info) in REGISTRY.iter().enumerate() {
            assert_eq!(info.code as usize, i);
        }
    }

    #[test]
    fn codes_are_well_formed_and_match_their_stage_and_severity() {
        for info in REGISTRY {
            let text = info.code.as_str();
            assert_eq!(text.len(), 5, "{text}");
            let letter = match info.severity {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(text.starts_with(letter), "{text}: severity letter");
            assert!(text[1..].chars().all(|c| c.is_ascii_digit()), "{text}");
            assert_eq!(&text[1..3], info.stage.digits(), "{text}: stage digits");
        }
    }

    #[test]
    fn every_code_has_an_explanation_page_with_example_and_fix() {
        for info in REGISTRY {
            let page = info.explanation;
            let code = info.code.as_str();
            assert!(page.starts_with(&format!("# {code}")), "{code}: page title");
            // Driver and world errors are about files, not source text: their example is a
            // shell session.
            assert!(
                page.contains("```avm")
                    || page.contains("```tape")
                    || (matches!(info.stage, Stage::Driver | Stage::World)
                        && page.contains("```console")),
                "{code}: page has no example"
            );
            assert!(
                page.contains("## Fix") || page.contains("## How to fix"),
                "{code}: no fix"
            );
        }
    }

    #[test]
    fn parse_round_trips() {
        for info in REGISTRY {
            assert_eq!(Code::parse(info.code.as_str()), Some(info.code));
        }
        assert_eq!(Code::parse("e0201"), Some(Code::E0201));
        assert_eq!(Code::parse("E9999"), None);
    }
}

//! The std modules written in the language, embedded in the compiler.
//!
//! Takes a dotted module path (`"std.list"`); produces the file name to show
//! in diagnostics (`std/list.avm`) and the module's source text, compiled
//! into the library with `include_str!` so that the library stays IO-free and
//! `avmc` finds std from any directory. The module loaders
//! ([`crate::resolve::TextLoader`], the pipeline's adapter) consult this
//! table before the caller's loader, so a program cannot shadow std.

/// Every std module that has a source file, with its file name and text.
pub const STD_SOURCES: &[(&str, &str, &str)] = &[
    (
        "std.list",
        "std/list.avm",
        include_str!("../../../std/list.avm"),
    ),
    (
        "std.option",
        "std/option.avm",
        include_str!("../../../std/option.avm"),
    ),
    ("std.fd", "std/fd.avm", include_str!("../../../std/fd.avm")),
];

/// The file name and source text of the std module `path`, if it has one.
pub fn source(path: &str) -> Option<(&'static str, &'static str)> {
    STD_SOURCES
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, name, text)| (*name, *text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_std_source_parses_without_diagnostics() {
        for (path, name, text) in STD_SOURCES {
            let mut sources = crate::syntax::span::SourceMap::new();
            let file = sources.add(*name, *text);
            let parsed = crate::syntax::parse(file, text);
            assert!(
                parsed.diagnostics.is_empty(),
                "{path}: {:?}",
                parsed.diagnostics
            );
            assert!(parsed.module.is_some(), "{path}");
        }
        assert_eq!(source("std.fd").map(|(n, _)| n), Some("std/fd.avm"));
        assert_eq!(source("std.nothing"), None);
    }
}

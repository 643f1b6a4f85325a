//! The built-in prelude: names every program sees without an `import`.
//!
//! Takes a name; produces the [`Builtin`] it denotes, with its purity and
//! safety class. The types of the built-ins live in
//! [`crate::typeck::builtins`]. These are the primitives the back end
//! implements directly; the std modules written in the language
//! (`std/*.avm`) are in [`crate::resolve::stdlib`].

/// How a built-in may be used: freely, only with effects allowed, or only
/// inside `unsafe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinClass {
    /// No effect: callable from a `pure fn`.
    Pure,
    /// An AVM effect (an instruction or `print`): not allowed in a `pure fn`.
    Effect,
    /// An Unsafe AVM instruction: only inside `unsafe { }` / `unsafe fn`
    /// (and, being an effect, never in a `pure fn`).
    Unsafe,
}

macro_rules! builtins {
    ($($variant:ident = $name:literal, $class:ident;)*) => {
        /// A function provided by the compiler rather than by source code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Builtin {
            $($variant,)*
        }

        /// Every built-in, in declaration order.
        pub const ALL_BUILTINS: &[Builtin] = &[$(Builtin::$variant,)*];

        impl Builtin {
            /// The name a program calls it by.
            pub fn name(self) -> &'static str {
                match self {
                    $(Builtin::$variant => $name,)*
                }
            }

            pub fn class(self) -> BuiltinClass {
                match self {
                    $(Builtin::$variant => BuiltinClass::$class,)*
                }
            }
        }
    };
}

builtins! {
    // prelude: pure helpers
    Len = "len", Pure;
    ToString = "to_string", Pure;
    Min = "min", Pure;
    Max = "max", Pure;
    Abs = "abs", Pure;
    Map = "map", Pure;
    Filter = "filter", Pure;
    Fold = "fold", Pure;
    Contains = "contains", Pure;
    Reverse = "reverse", Pure;
    Head = "head", Pure;
    Tail = "tail", Pure;
    AllDifferent = "all_different", Pure;
    MachineNamed = "machine", Pure;
    ControllerNamed = "controller", Pure;
    // prelude: effects (AVM instructions and output)
    Print = "print", Effect;
    Here = "here", Effect;
    MachineOf = "machine_of", Effect;
    CurrentController = "current_controller", Effect;
    ControllerOf = "controller_of", Effect;
    Receive = "receive", Effect;
    RawCall = "call", Effect;
    ReifyContext = "reify_context", Effect;
    BeginTx = "begin_tx", Effect;
    CommitTx = "commit_tx", Effect;
    AbortTx = "abort_tx", Effect;
    FdVars = "fd_vars", Effect;
    Narrow = "narrow", Effect;
    Label = "label", Effect;
    Choose = "choose", Effect;
    Publish = "publish", Effect;
    Lookup = "lookup", Effect;
    // prelude: Unsafe instructions
    Reflect = "reflect", Unsafe;
    ScryMeta = "scry_meta", Unsafe;
    ScryDeep = "scry_deep", Unsafe;
    ReifyTx = "reify_tx", Unsafe;
    ReifyConstraints = "reify_constraints", Unsafe;
}

/// The std modules without a source file: importing one never fails and
/// only re-exports the prelude. The std modules written in the language
/// (`std.list`, `std.option`, `std.fd`) are loaded from their embedded
/// sources ([`crate::resolve::stdlib`]) like user modules.
pub const STD_MODULES: &[&str] = &["std", "std.prelude", "std.string", "std.math"];

impl Builtin {
    /// The prelude built-in called `name`.
    pub fn prelude(name: &str) -> Option<Builtin> {
        ALL_BUILTINS.iter().copied().find(|b| b.name() == name)
    }

    pub fn is_unsafe(self) -> bool {
        self.class() == BuiltinClass::Unsafe
    }

    pub fn is_effect(self) -> bool {
        self.class() != BuiltinClass::Pure
    }
}

/// The built-in type names (`Int`, `List`, …), with the number of type
/// arguments each takes.
pub const BUILTIN_TYPES: &[(&str, usize)] = &[
    ("Int", 0),
    ("Bool", 0),
    ("String", 0),
    ("Unit", 0),
    ("Any", 0),
    ("TxId", 0),
    ("MachineId", 0),
    ("ControllerId", 0),
    ("FdVar", 0),
    ("Constraint", 0),
    ("List", 1),
    ("Option", 1),
    ("Ref", 1),
    ("ObjectMeta", 0),
    ("ReifiedContext", 0),
    ("ReifiedTxState", 0),
    ("ReifiedConstraints", 0),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prelude_names_are_unique() {
        for (i, a) in ALL_BUILTINS.iter().enumerate() {
            for b in &ALL_BUILTINS[i + 1..] {
                assert!(a.name() != b.name(), "{}", a.name());
            }
        }
        assert_eq!(Builtin::prelude("len"), Some(Builtin::Len));
        assert_eq!(Builtin::prelude("solve"), None);
    }
}

//! The Tape IR: the flat, register-based program format that `avmc` compiles to.
//!
//! Takes nothing from the rest of the VM (it defines its own constant type); produces the
//! program model ([`Program`], [`Function`], [`Op`], [`EffectKind`]), a builder with
//! patched labels, the text format (printer and parser, exact round trip), the binary
//! format (magic + version + postcard), the verifier, a CFG view per function, and the
//! Tape interpreter (`interp`), which runs verified programs against a `World`.

pub mod binary;
pub mod builder;
pub mod cfg;
pub mod cfg_svg;
pub mod effect;
pub mod interp;
pub mod op;
pub mod parse;
pub mod prim;
pub mod program;
pub mod samples;
pub mod scopes;
pub mod text;
pub mod verify;

pub use builder::{BuildError, FunctionBuilder, Label, ProgramBuilder};
pub use effect::{EffectKind, Family, FunctionOperand, Safety};
pub use op::{ConstIdx, FuncIdx, Op, Reg, RegRange, StrIdx, Target};
pub use prim::PrimKind;
pub use program::{Behaviour, Const, Function, FunctionKind, MAX_CONST_DEPTH, Program, SpanEntry};

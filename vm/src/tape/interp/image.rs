//! The loaded form of a Tape program that the interpreter runs.
//!
//! Takes a `tape::Program`, verifies it and produces an [`Image`]: the same ops, with the
//! constant pool turned into `Val`s, interned strings as shared `Rc<str>`, function and
//! behaviour names indexed for the run-time lookups (`callPure`, `createObj`, `call`), and
//! each function's safety (`isa::Safety`, which `tape::Safety` is), each function's fused
//! code (`code`) and the registers its frames must clear (`assign`). Programs the interpreter
//! cannot run are rejected here with a [`LoadError`], before anything runs: a program that
//! fails verification or has no entry point.

use super::assign::maybe_unassigned_reads;
use super::code::{Code, fuse, place_object_calls};
use super::live::call_window_offsets;
use crate::isa::Safety;
use crate::tape::op::{FuncIdx, Op};
use crate::tape::program::{Const, FunctionKind, Program, SpanEntry};
use crate::tape::verify::{VerifyError, verify};
use crate::value::Val;
use rustc_hash::FxHashMap;
use std::fmt;
use std::rc::Rc;

/// Why a program cannot be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The verifier rejected the program (every violation it found).
    Verify(Vec<VerifyError>),
    /// The program has no entry function.
    NoEntry,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Verify(errors) => {
                write!(f, "the program failed verification")?;
                for error in errors {
                    write!(f, "\n  - {error}")?;
                }
                Ok(())
            }
            LoadError::NoEntry => f.write_str("the program has no entry function"),
        }
    }
}

impl std::error::Error for LoadError {}

/// One function of a loaded program.
#[derive(Debug, Clone)]
pub struct LoadedFunction {
    /// The function's name (what `callPure` and the pure registry refer to).
    pub name: Rc<str>,
    /// Parameter count.
    pub params: u16,
    /// Register-file size.
    pub registers: u16,
    /// Whether it may run unsafe instructions.
    pub safety: Safety,
    /// Its role.
    pub kind: FunctionKind,
    /// Its span table (for error reports only).
    pub spans: Box<[SpanEntry]>,
    /// Its ops.
    pub ops: Box<[Op]>,
    /// What the interpreter runs: `ops` with load-time superinstructions (`code::fuse`).
    pub code: Box<[Code]>,
    /// The registers at or above `params` that a new frame must set to `()` (the ones some op
    /// may read before writing them, `assign::maybe_unassigned_reads`); the others are
    /// written before they are read, so a frame leaves them as it finds them.
    pub clear: Box<[u16]>,
    /// Per op: where a call's callee window starts, as an offset from this function's frame
    /// base (`live::call_window_offsets`; `registers` for ops that are not calls).
    pub call_window: Box<[u16]>,
}

/// One behaviour of a loaded program.
#[derive(Debug, Clone)]
pub struct LoadedBehaviour {
    /// The behaviour's name, shared with every object created under it.
    pub name: Rc<str>,
    /// Its dispatch function.
    pub dispatch: u32,
}

/// A verified program ready to run.
#[derive(Debug, Clone)]
pub struct Image {
    /// Functions, indexed by `FuncIdx`.
    pub functions: Vec<LoadedFunction>,
    /// The constant pool as values.
    pub constants: Vec<Val>,
    /// Interned strings.
    pub strings: Vec<Rc<str>>,
    /// Behaviours, in program order.
    pub behaviours: Vec<LoadedBehaviour>,
    /// The entry function.
    pub entry: u32,
    /// Positional field names `"0"`, `"1"`, ... for `record` (the Tape format has no field names).
    pub field_names: Vec<Rc<str>>,
    function_by_name: FxHashMap<Rc<str>, u32>,
    behaviour_by_name: FxHashMap<Rc<str>, u32>,
}

impl Image {
    /// Verifies and loads a program.
    pub fn load(program: &Program) -> Result<Image, LoadError> {
        verify(program).map_err(LoadError::Verify)?;
        let entry = program.entry.ok_or(LoadError::NoEntry)?.0;
        let mut max_record = 0u16;
        let mut functions = Vec::with_capacity(program.functions.len());
        for f in &program.functions {
            for op in &f.ops {
                if let Op::MakeRecord { fields, .. } = op {
                    max_record = max_record.max(fields.len);
                }
            }
            let call_window = call_window_offsets(&f.ops, f.registers);
            let mut code = fuse(&f.ops);
            place_object_calls(&mut code, &f.ops, &call_window);
            functions.push(LoadedFunction {
                name: Rc::from(f.name.as_str()),
                params: f.params,
                registers: f.registers,
                safety: f.safety,
                kind: f.kind,
                ops: f.ops.clone().into_boxed_slice(),
                code,
                clear: maybe_unassigned_reads(&f.ops, f.params, f.registers).into_boxed_slice(),
                spans: f.spans.clone().into_boxed_slice(),
                call_window: call_window.into_boxed_slice(),
            });
        }
        let function_by_name = functions
            .iter()
            .zip(0u32..)
            .map(|(f, i)| (f.name.clone(), i))
            .collect();
        let behaviours: Vec<LoadedBehaviour> = program
            .behaviours
            .iter()
            .map(|b| LoadedBehaviour {
                name: Rc::from(b.name.as_str()),
                dispatch: b.dispatch.0,
            })
            .collect();
        let behaviour_by_name = behaviours
            .iter()
            .zip(0u32..)
            .map(|(b, i)| (b.name.clone(), i))
            .collect();
        Ok(Image {
            functions,
            constants: program.constants.iter().map(const_to_val).collect(),
            strings: program
                .strings
                .iter()
                .map(|s| Rc::from(s.as_str()))
                .collect(),
            behaviours,
            entry,
            field_names: (0..max_record)
                .map(|i| Rc::from(i.to_string().as_str()))
                .collect(),
            function_by_name,
            behaviour_by_name,
        })
    }

    /// The index of the function named `name`.
    pub fn function_named(&self, name: &str) -> Option<FuncIdx> {
        self.function_by_name.get(name).copied().map(FuncIdx)
    }

    /// The behaviour named `name` (its index into `behaviours`).
    pub fn behaviour_named(&self, name: &str) -> Option<u32> {
        self.behaviour_by_name.get(name).copied()
    }

    /// The dispatch function of the behaviour `name`. Objects created by this program share
    /// the behaviour's `Rc`, so a pointer comparison usually finds it; small programs then
    /// compare names, large ones hash.
    #[inline]
    pub fn dispatch_of(&self, name: &Rc<str>) -> Option<u32> {
        if self.behaviours.len() <= 16 {
            if let Some(b) = self.behaviours.iter().find(|b| Rc::ptr_eq(&b.name, name)) {
                return Some(b.dispatch);
            }
            // Objects created by another program hold their own copy of the name.
            return self
                .behaviours
                .iter()
                .find(|b| *b.name == **name)
                .map(|b| b.dispatch);
        }
        let i = self.behaviour_named(name)?;
        self.behaviours
            .get(usize::try_from(i).ok()?)
            .map(|b| b.dispatch)
    }
}

/// A pool constant as a value.
fn const_to_val(c: &Const) -> Val {
    match c {
        Const::Int(i) => Val::Int(*i),
        Const::Bool(b) => Val::Bool(*b),
        Const::Str(s) => Val::str(s),
        Const::Unit => Val::Unit,
        Const::None => Val::Nothing,
        Const::Some(inner) => Val::just(const_to_val(inner)),
        Const::List(items) => Val::list(items.iter().map(const_to_val).collect()),
        Const::Tuple(items) => Val::tuple(items.iter().map(const_to_val).collect()),
    }
}

//! Building Tape programs from code.
//!
//! Takes ops, constants, strings and behaviours emitted one at a time; produces a
//! [`Program`]. [`FunctionBuilder`] hands out fresh registers and symbolic [`Label`]s whose
//! jump targets are patched when the function is finished, so neither the compiler nor the
//! tests compute op offsets by hand. [`ProgramBuilder`] interns strings and constants and
//! lets functions be declared before they are defined (for recursion and forward calls).
//! The result is not verified; run [`super::verify::verify`] on it.

use super::effect::Safety;
use super::op::{ConstIdx, FuncIdx, Op, Reg, RegRange, StrIdx, Target};
use super::program::{Behaviour, Const, Function, FunctionKind, Program, SpanEntry};
use crate::srcloc::SrcLoc;
use rustc_hash::FxHashMap;
use std::fmt;

/// A symbolic jump target inside one [`FunctionBuilder`], bound to an op position with
/// [`FunctionBuilder::bind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Label(u32);

/// Why a function or program could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// A label was jumped to but never bound (in function `function`).
    UnboundLabel { function: String, label: u32 },
    /// A label was bound twice (in function `function`).
    LabelBoundTwice { function: String, label: u32 },
    /// More than 65 536 registers were requested (in function `function`).
    TooManyRegisters { function: String },
    /// More ops than a [`Target`] can address (in function `function`).
    TooManyOps { function: String },
    /// A function index was defined that was never declared.
    UnknownFunction { index: u32 },
    /// More strings, constants or functions than a `u32` index can address.
    TableFull { table: &'static str },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::UnboundLabel { function, label } => {
                write!(
                    f,
                    "in function `{function}`: label {label} is used but never bound"
                )
            }
            BuildError::LabelBoundTwice { function, label } => {
                write!(f, "in function `{function}`: label {label} is bound twice")
            }
            BuildError::TooManyRegisters { function } => {
                write!(f, "function `{function}` needs more than 65536 registers")
            }
            BuildError::TooManyOps { function } => {
                write!(
                    f,
                    "function `{function}` has more ops than a jump can address"
                )
            }
            BuildError::UnknownFunction { index } => {
                write!(f, "function #{index} was defined but never declared")
            }
            BuildError::TableFull { table } => write!(f, "the {table} table is full"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Emits the ops of one function.
#[derive(Debug)]
pub struct FunctionBuilder {
    name: String,
    params: u16,
    /// The next fresh register; `u32` so that running out is detected instead of wrapping.
    next_reg: u32,
    ops: Vec<Op>,
    /// Label number -> bound op position.
    labels: Vec<Option<u32>>,
    /// Ops whose target is a label number still to patch.
    fixups: Vec<(usize, u32)>,
    /// The span table so far (see [`FunctionBuilder::at`]).
    spans: Vec<SpanEntry>,
    error: Option<BuildError>,
}

impl FunctionBuilder {
    /// A builder for the function `name` taking `params` parameters (`r0 .. r<params>`).
    pub fn new(name: impl Into<String>, params: u16) -> FunctionBuilder {
        FunctionBuilder {
            name: name.into(),
            params,
            next_reg: u32::from(params),
            ops: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            spans: Vec::new(),
            error: None,
        }
    }

    /// The ops emitted from now on come from `loc` (until the next call). Keeps the span
    /// table minimal: no entry repeats the previous location, and a location set twice
    /// before an op is emitted keeps the last.
    pub fn at(&mut self, loc: SrcLoc) {
        let op = self.position();
        if let Some(last) = self.spans.last_mut()
            && last.op == op
        {
            last.loc = loc;
            let len = self.spans.len();
            if len >= 2 && self.spans[len - 2].loc == loc {
                self.spans.pop();
            }
            return;
        }
        if self.spans.last().is_some_and(|last| last.loc == loc) {
            return;
        }
        self.spans.push(SpanEntry { op, loc });
    }

    /// Takes the span table (entries for ops that were never emitted are dropped).
    pub fn take_spans(&mut self) -> Vec<SpanEntry> {
        let len = self.ops.len();
        let mut spans = std::mem::take(&mut self.spans);
        spans.retain(|e| (e.op as usize) < len);
        spans
    }

    /// How many parameters the function takes.
    pub fn params(&self) -> u16 {
        self.params
    }

    /// The register holding parameter `index`.
    pub fn param(&self, index: u16) -> Reg {
        Reg(index)
    }

    /// A fresh register. Running out of registers is reported by [`FunctionBuilder::finish`].
    pub fn reg(&mut self) -> Reg {
        self.regs(1).start
    }

    /// `count` fresh, contiguous registers (for call arguments and aggregates).
    pub fn regs(&mut self, count: u16) -> RegRange {
        let start = self.next_reg;
        self.next_reg += u32::from(count);
        if self.next_reg > u32::from(u16::MAX) + 1 {
            self.fail(BuildError::TooManyRegisters {
                function: self.name.clone(),
            });
            return RegRange::new(Reg(0), count);
        }
        // In range: checked just above (start < next_reg <= 65536).
        RegRange::new(Reg(u16::try_from(start).unwrap_or(0)), count)
    }

    /// A new, unbound label.
    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(u32::try_from(self.labels.len() - 1).unwrap_or(u32::MAX))
    }

    /// Binds `label` to the position of the next emitted op.
    pub fn bind(&mut self, label: Label) {
        let here = self.position();
        match self.labels.get_mut(label.0 as usize) {
            Some(slot @ None) => *slot = Some(here),
            _ => self.fail(BuildError::LabelBoundTwice {
                function: self.name.clone(),
                label: label.0,
            }),
        }
    }

    /// Appends `op` as is. Its jump target, if any, must already be an op index.
    pub fn emit(&mut self, op: Op) {
        self.ops.push(op);
    }

    /// Appends `jump label`.
    pub fn jump(&mut self, label: Label) {
        self.emit_to(Op::Jump { target: Target(0) }, label);
    }

    /// Appends `br cond, label`.
    pub fn branch_if(&mut self, cond: Reg, label: Label) {
        self.emit_to(
            Op::BranchIf {
                cond,
                target: Target(0),
            },
            label,
        );
    }

    /// Appends `brnot cond, label`.
    pub fn branch_if_not(&mut self, cond: Reg, label: Label) {
        self.emit_to(
            Op::BranchIfNot {
                cond,
                target: Target(0),
            },
            label,
        );
    }

    /// Appends `try handler -> dst` (opens a catch scope whose handler is `handler`).
    pub fn try_begin(&mut self, handler: Label, dst: Reg) {
        self.emit_to(
            Op::TryBegin {
                handler: Target(0),
                dst,
            },
            handler,
        );
    }

    /// How many ops have been emitted.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether no op has been emitted yet.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Patches the labels; returns the ops and the register count.
    pub fn finish(mut self) -> Result<(Vec<Op>, u16), BuildError> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        for (at, label) in std::mem::take(&mut self.fixups) {
            let Some(Some(position)) = self.labels.get(label as usize).copied() else {
                return Err(BuildError::UnboundLabel {
                    function: self.name,
                    label,
                });
            };
            if let Some(target) = self.ops.get_mut(at).and_then(Op::target_mut) {
                *target = Target(position);
            }
        }
        let registers = u16::try_from(self.next_reg).map_err(|_| BuildError::TooManyRegisters {
            function: self.name.clone(),
        })?;
        Ok((self.ops, registers))
    }

    fn position(&mut self) -> u32 {
        match u32::try_from(self.ops.len()) {
            Ok(position) => position,
            Err(_) => {
                self.fail(BuildError::TooManyOps {
                    function: self.name.clone(),
                });
                0
            }
        }
    }

    fn emit_to(&mut self, op: Op, label: Label) {
        self.fixups.push((self.ops.len(), label.0));
        self.ops.push(op);
    }

    fn fail(&mut self, error: BuildError) {
        self.error.get_or_insert(error);
    }
}

/// Assembles a [`Program`]: interns strings and constants, declares and defines functions,
/// adds behaviours and the entry point.
#[derive(Debug, Default)]
pub struct ProgramBuilder {
    program: Program,
    string_index: FxHashMap<String, StrIdx>,
    const_index: FxHashMap<Const, ConstIdx>,
}

impl ProgramBuilder {
    /// An empty program.
    pub fn new() -> ProgramBuilder {
        ProgramBuilder::default()
    }

    /// The index of the interned string `s` (added if new).
    pub fn string(&mut self, s: &str) -> Result<StrIdx, BuildError> {
        if let Some(idx) = self.string_index.get(s) {
            return Ok(*idx);
        }
        let idx = StrIdx(index_u32(self.program.strings.len(), "string")?);
        self.program.strings.push(s.to_owned());
        self.string_index.insert(s.to_owned(), idx);
        Ok(idx)
    }

    /// The index of the constant `c` in the pool (added if new).
    pub fn constant(&mut self, c: Const) -> Result<ConstIdx, BuildError> {
        if let Some(idx) = self.const_index.get(&c) {
            return Ok(*idx);
        }
        let idx = ConstIdx(index_u32(self.program.constants.len(), "constant")?);
        self.program.constants.push(c.clone());
        self.const_index.insert(c, idx);
        Ok(idx)
    }

    /// Declares a function (with an empty body until [`ProgramBuilder::define`]) and returns
    /// its index, so calls to it can be emitted before it is defined.
    pub fn declare(
        &mut self,
        name: impl Into<String>,
        kind: FunctionKind,
        safety: Safety,
        params: u16,
    ) -> Result<FuncIdx, BuildError> {
        let idx = FuncIdx(index_u32(self.program.functions.len(), "function")?);
        self.program.functions.push(Function {
            name: name.into(),
            params,
            registers: params,
            safety,
            kind,
            ops: Vec::new(),
            spans: Vec::new(),
        });
        Ok(idx)
    }

    /// Sets the body of the declared function `idx` from a finished builder.
    pub fn define(&mut self, idx: FuncIdx, mut body: FunctionBuilder) -> Result<(), BuildError> {
        let spans = body.take_spans();
        let (ops, registers) = body.finish()?;
        let function = self
            .program
            .functions
            .get_mut(idx.0 as usize)
            .ok_or(BuildError::UnknownFunction { index: idx.0 })?;
        function.ops = ops;
        function.registers = registers;
        function.spans = spans;
        Ok(())
    }

    /// Adds the behaviour `name` with its dispatch function and state field names.
    pub fn behaviour(&mut self, name: impl Into<String>, dispatch: FuncIdx, fields: &[&str]) {
        self.program.behaviours.push(Behaviour {
            name: name.into(),
            dispatch,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        });
    }

    /// Sets the source file names the span tables refer to.
    pub fn sources(&mut self, names: Vec<String>) {
        self.program.sources = names;
    }

    /// Makes `idx` the program's entry point.
    pub fn entry(&mut self, idx: FuncIdx) {
        self.program.entry = Some(idx);
    }

    /// The assembled program (not yet verified).
    pub fn finish(self) -> Program {
        self.program
    }
}

fn index_u32(len: usize, table: &'static str) -> Result<u32, BuildError> {
    u32::try_from(len).map_err(|_| BuildError::TableFull { table })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_patched_forward_and_backward() {
        let mut f = FunctionBuilder::new("loop", 1);
        let top = f.label();
        let done = f.label();
        f.bind(top);
        f.branch_if_not(Reg(0), done);
        f.jump(top);
        f.bind(done);
        f.emit(Op::Ret { src: Reg(0) });
        let (ops, registers) = f.finish().expect("all labels bound");
        assert_eq!(registers, 1);
        assert_eq!(
            ops,
            vec![
                Op::BranchIfNot {
                    cond: Reg(0),
                    target: Target(2)
                },
                Op::Jump { target: Target(0) },
                Op::Ret { src: Reg(0) },
            ]
        );
    }

    #[test]
    fn unbound_label_is_an_error() {
        let mut f = FunctionBuilder::new("f", 0);
        let nowhere = f.label();
        f.jump(nowhere);
        assert_eq!(
            f.finish(),
            Err(BuildError::UnboundLabel {
                function: "f".into(),
                label: 0
            })
        );
    }

    #[test]
    fn label_bound_twice_is_an_error() {
        let mut f = FunctionBuilder::new("f", 0);
        let l = f.label();
        f.bind(l);
        f.bind(l);
        assert!(matches!(
            f.finish(),
            Err(BuildError::LabelBoundTwice { .. })
        ));
    }

    #[test]
    fn running_out_of_registers_is_an_error() {
        let mut f = FunctionBuilder::new("big", 0);
        f.regs(u16::MAX);
        f.reg();
        f.reg();
        assert!(matches!(
            f.finish(),
            Err(BuildError::TooManyRegisters { .. })
        ));
    }

    #[test]
    fn strings_and_constants_are_interned() {
        let mut p = ProgramBuilder::new();
        assert_eq!(p.string("a"), Ok(StrIdx(0)));
        assert_eq!(p.string("b"), Ok(StrIdx(1)));
        assert_eq!(p.string("a"), Ok(StrIdx(0)));
        assert_eq!(p.constant(Const::Int(7)), Ok(ConstIdx(0)));
        assert_eq!(p.constant(Const::Int(7)), Ok(ConstIdx(0)));
        assert_eq!(p.finish().strings, vec!["a", "b"]);
    }
}

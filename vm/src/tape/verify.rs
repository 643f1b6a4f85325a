//! The Tape verifier.
//!
//! Takes a [`Program`]; produces `Ok(())` or every [`VerifyError`] found, each naming where
//! (function and op, behaviour, constant, entry) and what is wrong, with the data. A program
//! that passes can be run without any index, arity or fall-through check at run time:
//! registers, ranges, constants, strings, functions and jump targets are in range; calls
//! match the callee's parameter count; effect ops have their instruction's arity and
//! function operand; unsafe effects occur only in unsafe functions; pure functions stay
//! pure; no path falls off the end of a function; `try` / `try.end` nest on every path
//! (`scopes.rs`); span tables are ordered and point at existing ops and source files;
//! behaviours name dispatch functions; the entry point exists.

use super::effect::{EffectKind, FunctionOperand, Safety};
use super::op::{ConstIdx, FuncIdx, Op, Reg, RegRange, StrIdx, Target};
use super::prim::PrimKind;
use super::program::{Function, FunctionKind, MAX_CONST_DEPTH, Program};
use rustc_hash::FxHashSet;
use std::fmt;

/// Where a verification error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// In function `func` (named `name`), at op `op` if the error concerns one op.
    Function {
        func: FuncIdx,
        name: String,
        op: Option<u32>,
    },
    /// In the behaviour at `index` (named `name`).
    Behaviour { index: u32, name: String },
    /// In the constant pool entry `idx`.
    Constant(ConstIdx),
    /// The program's entry point.
    Entry,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyErrorKind {
    /// A register at or above the function's register count.
    RegisterOutOfRange { reg: Reg, registers: u16 },
    /// A register range that ends above the function's register count.
    RangeOutOfBounds { range: RegRange, registers: u16 },
    /// More parameters than registers.
    ParamsExceedRegisters { params: u16, registers: u16 },
    /// A constant index past the constant pool.
    ConstantOutOfRange { idx: ConstIdx, len: usize },
    /// A string index past the string table.
    StringOutOfRange { idx: StrIdx, len: usize },
    /// A function index past the function table.
    FunctionOutOfRange { idx: FuncIdx, len: usize },
    /// A jump target outside the function.
    TargetOutOfRange { target: Target, len: usize },
    /// A call or tail call whose argument count differs from the callee's parameter count.
    CallArity {
        callee: FuncIdx,
        expected: u16,
        found: u16,
    },
    /// An effect op whose argument count differs from the instruction's arity.
    EffectArity {
        kind: EffectKind,
        expected: u16,
        found: u16,
    },
    /// A primitive op whose argument count differs from the operation's arity.
    PrimArity {
        kind: PrimKind,
        expected: u16,
        found: u16,
    },
    /// An instruction that takes a function operand written without one, or the reverse.
    EffectFunctionOperand {
        kind: EffectKind,
        expected: FunctionOperand,
    },
    /// The function operand of `kind` is not a pure function.
    FunctionOperandNotPure { kind: EffectKind, func: FuncIdx },
    /// A predicate function with the wrong number of parameters.
    PredicateArity {
        kind: EffectKind,
        func: FuncIdx,
        expected: u16,
        found: u16,
    },
    /// An unsafe instruction in a function not marked unsafe.
    UnsafeEffectInSafeFunction { kind: EffectKind },
    /// An effect, output or state op in a pure function (`what` names it).
    ImpureOpInPureFunction { what: &'static str },
    /// A pure function calling a function that is not pure.
    PureCallsImpure { callee: FuncIdx },
    /// The function has no ops.
    EmptyFunction,
    /// Control can run past the last op (which is not `ret`, `tail`, `fail` or `jump`).
    FallsOffEnd,
    /// Two functions share a name.
    DuplicateFunctionName,
    /// Two behaviours share a name.
    DuplicateBehaviourName,
    /// A behaviour's state layout names a field twice.
    DuplicateField { field: String },
    /// A behaviour's dispatch function is not of kind dispatch.
    NotADispatchFunction { func: FuncIdx, kind: FunctionKind },
    /// A dispatch function does not take exactly one parameter (the input).
    DispatchParams { func: FuncIdx, params: u16 },
    /// The entry function is not of kind main.
    EntryNotMain { func: FuncIdx, kind: FunctionKind },
    /// The entry function takes parameters.
    EntryParams { func: FuncIdx, params: u16 },
    /// A constant nested deeper than [`MAX_CONST_DEPTH`].
    ConstTooDeep,
    /// Two paths reach the op with different numbers of open catch scopes (`try`).
    TryScopeMismatch { first: u32, other: u32 },
    /// A `try.end` where no catch scope is open.
    TryEndWithoutScope,
    /// A `ret` or `tail` while `open` catch scopes of the frame are still open.
    ExitInsideTry { open: u32 },
    /// Span-table entry `entry` does not start after the previous entry.
    SpanOutOfOrder { entry: usize },
    /// Span-table entry `entry` starts at an op the function does not have.
    SpanOpOutOfRange { entry: usize, op: u32, len: usize },
    /// Span-table entry `entry` names a source file past the program's source table.
    SpanSourceOutOfRange {
        entry: usize,
        source: u32,
        len: usize,
    },
    /// Span-table entry `entry` has a byte range that ends before it starts.
    SpanInverted { entry: usize, start: u32, end: u32 },
}

/// One verification failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// Where.
    pub location: Location,
    /// What.
    pub kind: VerifyErrorKind,
}

/// Checks every rule; returns all violations (in program order) if there are any.
pub fn verify(program: &Program) -> Result<(), Vec<VerifyError>> {
    let mut errors = Vec::new();
    for (i, c) in program.constants.iter().enumerate() {
        if c.depth_within(MAX_CONST_DEPTH) > MAX_CONST_DEPTH {
            errors.push(VerifyError {
                location: Location::Constant(ConstIdx(index_u32(i))),
                kind: VerifyErrorKind::ConstTooDeep,
            });
        }
    }
    let mut names = FxHashSet::default();
    for (i, function) in program.functions.iter().enumerate() {
        let mut checker = FunctionChecker {
            program,
            function,
            func: FuncIdx(index_u32(i)),
            errors: &mut errors,
        };
        if !names.insert(function.name.as_str()) {
            checker.report(None, VerifyErrorKind::DuplicateFunctionName);
        }
        checker.check();
    }
    check_behaviours(program, &mut errors);
    if let Some(entry) = program.entry {
        let mut report = |kind| {
            errors.push(VerifyError {
                location: Location::Entry,
                kind,
            })
        };
        match program.function(entry) {
            None => report(VerifyErrorKind::FunctionOutOfRange {
                idx: entry,
                len: program.functions.len(),
            }),
            Some(f) if f.kind != FunctionKind::Main => report(VerifyErrorKind::EntryNotMain {
                func: entry,
                kind: f.kind,
            }),
            Some(f) if f.params != 0 => report(VerifyErrorKind::EntryParams {
                func: entry,
                params: f.params,
            }),
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Indices of in-memory tables fit in u32 for any program that can be loaded or built; a
/// larger table only makes the reported index saturate.
fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn check_behaviours(program: &Program, errors: &mut Vec<VerifyError>) {
    let mut names = FxHashSet::default();
    for (i, behaviour) in program.behaviours.iter().enumerate() {
        let mut report = |kind| {
            errors.push(VerifyError {
                location: Location::Behaviour {
                    index: index_u32(i),
                    name: behaviour.name.clone(),
                },
                kind,
            })
        };
        if !names.insert(behaviour.name.as_str()) {
            report(VerifyErrorKind::DuplicateBehaviourName);
        }
        let mut fields = FxHashSet::default();
        for field in &behaviour.fields {
            if !fields.insert(field.as_str()) {
                report(VerifyErrorKind::DuplicateField {
                    field: field.clone(),
                });
            }
        }
        let func = behaviour.dispatch;
        match program.function(func) {
            None => report(VerifyErrorKind::FunctionOutOfRange {
                idx: func,
                len: program.functions.len(),
            }),
            Some(f) if f.kind != FunctionKind::Dispatch => {
                report(VerifyErrorKind::NotADispatchFunction { func, kind: f.kind })
            }
            Some(f) if f.params != 1 => report(VerifyErrorKind::DispatchParams {
                func,
                params: f.params,
            }),
            Some(_) => {}
        }
    }
}

struct FunctionChecker<'a> {
    program: &'a Program,
    function: &'a Function,
    func: FuncIdx,
    errors: &'a mut Vec<VerifyError>,
}

impl<'a> FunctionChecker<'a> {
    fn report(&mut self, op: Option<u32>, kind: VerifyErrorKind) {
        self.errors.push(VerifyError {
            location: Location::Function {
                func: self.func,
                name: self.function.name.clone(),
                op,
            },
            kind,
        });
    }

    fn check(&mut self) {
        let function = self.function;
        if function.params > function.registers {
            self.report(
                None,
                VerifyErrorKind::ParamsExceedRegisters {
                    params: function.params,
                    registers: function.registers,
                },
            );
        }
        match function.ops.last() {
            None => self.report(None, VerifyErrorKind::EmptyFunction),
            Some(last) if last.falls_through() => self.report(
                Some(index_u32(function.ops.len() - 1)),
                VerifyErrorKind::FallsOffEnd,
            ),
            Some(_) => {}
        }
        for (i, op) in function.ops.iter().enumerate() {
            self.check_op(index_u32(i), op);
        }
        for (at, kind) in super::scopes::check(function) {
            self.report(Some(at), kind);
        }
        self.check_spans();
    }

    /// The span table: entries in increasing op order, each at an existing op, naming an
    /// existing source file and a well-formed byte range.
    fn check_spans(&mut self) {
        let function = self.function;
        let sources = self.program.sources.len();
        let mut previous: Option<u32> = None;
        for (entry, e) in function.spans.iter().enumerate() {
            if previous.is_some_and(|p| e.op <= p) {
                self.report(None, VerifyErrorKind::SpanOutOfOrder { entry });
            }
            previous = Some(e.op);
            let len = function.ops.len();
            if e.op as usize >= len {
                self.report(
                    None,
                    VerifyErrorKind::SpanOpOutOfRange {
                        entry,
                        op: e.op,
                        len,
                    },
                );
            }
            if e.loc.source as usize >= sources {
                self.report(
                    None,
                    VerifyErrorKind::SpanSourceOutOfRange {
                        entry,
                        source: e.loc.source,
                        len: sources,
                    },
                );
            }
            if e.loc.end < e.loc.start {
                self.report(
                    None,
                    VerifyErrorKind::SpanInverted {
                        entry,
                        start: e.loc.start,
                        end: e.loc.end,
                    },
                );
            }
        }
    }

    fn check_op(&mut self, at: u32, op: &Op) {
        let at = Some(at);
        let registers = self.function.registers;
        for reg in op.registers().into_iter().flatten() {
            if reg.0 >= registers {
                self.report(at, VerifyErrorKind::RegisterOutOfRange { reg, registers });
            }
        }
        if let Some(range) = op.range()
            && range.end() > u32::from(registers)
        {
            self.report(at, VerifyErrorKind::RangeOutOfBounds { range, registers });
        }
        if let Some(target) = op.target()
            && usize::try_from(target.0).map_or(true, |t| t >= self.function.ops.len())
        {
            let len = self.function.ops.len();
            self.report(at, VerifyErrorKind::TargetOutOfRange { target, len });
        }
        let pure = self.function.kind == FunctionKind::Pure;
        match *op {
            Op::LoadConst { idx, .. } => {
                let len = self.program.constants.len();
                if idx.0 as usize >= len {
                    self.report(at, VerifyErrorKind::ConstantOutOfRange { idx, len });
                }
            }
            Op::MakeRecord { name, .. } => self.check_string(at, name),
            Op::MakeVariant {
                enum_name, variant, ..
            }
            | Op::IsVariant {
                enum_name, variant, ..
            } => {
                self.check_string(at, enum_name);
                self.check_string(at, variant);
            }
            Op::Fail { message } => self.check_string(at, message),
            Op::Call { func, args, .. } | Op::TailCall { func, args } => {
                if let Some(callee) = self.check_function(at, func) {
                    if callee.params != args.len {
                        self.report(
                            at,
                            VerifyErrorKind::CallArity {
                                callee: func,
                                expected: callee.params,
                                found: args.len,
                            },
                        );
                    }
                    if pure && callee.kind != FunctionKind::Pure {
                        self.report(at, VerifyErrorKind::PureCallsImpure { callee: func });
                    }
                }
            }
            Op::Print { .. } if pure => {
                self.report(
                    at,
                    VerifyErrorKind::ImpureOpInPureFunction { what: "print" },
                );
            }
            Op::FieldGet { .. } | Op::FieldSet { .. } if pure => self.report(
                at,
                VerifyErrorKind::ImpureOpInPureFunction {
                    what: "a state field op",
                },
            ),
            Op::Effect { kind, args, .. } => {
                self.check_effect(at, kind, args);
                if kind.function_operand() != FunctionOperand::None {
                    self.report(
                        at,
                        VerifyErrorKind::EffectFunctionOperand {
                            kind,
                            expected: kind.function_operand(),
                        },
                    );
                }
            }
            Op::EffectWithFunction {
                kind, func, args, ..
            } => {
                self.check_effect(at, kind, args);
                self.check_function_operand(at, kind, func);
            }
            Op::Prim { kind, args, .. } if args.len != kind.arity() => self.report(
                at,
                VerifyErrorKind::PrimArity {
                    kind,
                    expected: kind.arity(),
                    found: args.len,
                },
            ),
            _ => {}
        }
    }

    fn check_string(&mut self, at: Option<u32>, idx: StrIdx) {
        let len = self.program.strings.len();
        if idx.0 as usize >= len {
            self.report(at, VerifyErrorKind::StringOutOfRange { idx, len });
        }
    }

    fn check_function(&mut self, at: Option<u32>, idx: FuncIdx) -> Option<&'a Function> {
        let program: &'a Program = self.program;
        let found = program.function(idx);
        if found.is_none() {
            let len = program.functions.len();
            self.report(at, VerifyErrorKind::FunctionOutOfRange { idx, len });
        }
        found
    }

    fn check_effect(&mut self, at: Option<u32>, kind: EffectKind, args: RegRange) {
        if args.len != kind.arity() {
            self.report(
                at,
                VerifyErrorKind::EffectArity {
                    kind,
                    expected: kind.arity(),
                    found: args.len,
                },
            );
        }
        if kind.safety() == Safety::Unsafe && self.function.safety != Safety::Unsafe {
            self.report(at, VerifyErrorKind::UnsafeEffectInSafeFunction { kind });
        }
        // callPure only reads the registry, so pure functions may use it to call pure
        // functions by name; every other instruction is an effect.
        if self.function.kind == FunctionKind::Pure && kind != EffectKind::CallPure {
            self.report(
                at,
                VerifyErrorKind::ImpureOpInPureFunction {
                    what: "an AVM instruction other than callPure",
                },
            );
        }
    }

    fn check_function_operand(&mut self, at: Option<u32>, kind: EffectKind, func: FuncIdx) {
        let expected = kind.function_operand();
        if expected == FunctionOperand::None {
            self.report(
                at,
                VerifyErrorKind::EffectFunctionOperand { kind, expected },
            );
            return;
        }
        let Some(operand) = self.check_function(at, func) else {
            return;
        };
        let params = operand.params;
        if operand.kind != FunctionKind::Pure {
            self.report(at, VerifyErrorKind::FunctionOperandNotPure { kind, func });
        }
        if let FunctionOperand::Predicate { params: wanted } = expected
            && params != wanted
        {
            self.report(
                at,
                VerifyErrorKind::PredicateArity {
                    kind,
                    func,
                    expected: wanted,
                    found: params,
                },
            );
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Function { func, name, op } => {
                write!(f, "function {name:?} ({func})")?;
                if let Some(op) = op {
                    write!(f, ", op {op}")?;
                }
                Ok(())
            }
            Location::Behaviour { index, name } => write!(f, "behaviour {name:?} (#{index})"),
            Location::Constant(idx) => write!(f, "constant {idx}"),
            Location::Entry => f.write_str("the entry point"),
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind)
    }
}

impl fmt::Display for VerifyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyErrorKind::*;
        match self {
            RegisterOutOfRange { reg, registers } => {
                write!(f, "register {reg} is out of range (the function has {registers} registers)")
            }
            RangeOutOfBounds { range, registers } => write!(
                f,
                "register range {range} ends past the function's {registers} registers"
            ),
            ParamsExceedRegisters { params, registers } => write!(
                f,
                "{params} parameters do not fit in {registers} registers"
            ),
            ConstantOutOfRange { idx, len } => {
                write!(f, "constant {idx} does not exist (the pool has {len})")
            }
            StringOutOfRange { idx, len } => {
                write!(f, "string {idx} does not exist (the table has {len})")
            }
            FunctionOutOfRange { idx, len } => {
                write!(f, "function {idx} does not exist (the program has {len})")
            }
            TargetOutOfRange { target, len } => write!(
                f,
                "jump target {target} is outside the function (ops 0 to {})",
                len.saturating_sub(1)
            ),
            CallArity {
                callee,
                expected,
                found,
            } => write!(
                f,
                "call passes {found} arguments but {callee} takes {expected}"
            ),
            EffectArity {
                kind,
                expected,
                found,
            } => write!(f, "fx.{kind} takes {expected} arguments, {found} given"),
            PrimArity {
                kind,
                expected,
                found,
            } => write!(f, "prim.{kind} takes {expected} arguments, {found} given"),
            EffectFunctionOperand { kind, expected } => match expected {
                FunctionOperand::None => write!(f, "fx.{kind} takes no function operand"),
                _ => write!(f, "fx.{kind} needs a function operand"),
            },
            FunctionOperandNotPure { kind, func } => {
                write!(f, "the function operand {func} of fx.{kind} is not a pure function")
            }
            PredicateArity {
                kind,
                func,
                expected,
                found,
            } => write!(
                f,
                "the predicate {func} of fx.{kind} must take {expected} parameters, it takes {found}"
            ),
            UnsafeEffectInSafeFunction { kind } => write!(
                f,
                "fx.{kind} is an unsafe instruction and the function is not marked unsafe"
            ),
            ImpureOpInPureFunction { what } => {
                write!(f, "a pure function cannot contain {what}")
            }
            PureCallsImpure { callee } => {
                write!(f, "a pure function cannot call {callee}, which is not pure")
            }
            EmptyFunction => f.write_str("the function has no ops"),
            FallsOffEnd => f.write_str(
                "control falls off the end of the function (the last op must be ret, tail, fail or jump)",
            ),
            DuplicateFunctionName => f.write_str("another function has the same name"),
            DuplicateBehaviourName => f.write_str("another behaviour has the same name"),
            DuplicateField { field } => write!(f, "state field {field:?} is declared twice"),
            NotADispatchFunction { func, kind } => write!(
                f,
                "its dispatch function {func} is a {} function, not a dispatch function",
                kind.keyword()
            ),
            DispatchParams { func, params } => write!(
                f,
                "its dispatch function {func} must take exactly 1 parameter (the input), it takes {params}"
            ),
            EntryNotMain { func, kind } => write!(
                f,
                "the entry function {func} is a {} function, not main",
                kind.keyword()
            ),
            EntryParams { func, params } => write!(
                f,
                "the entry function {func} must take no parameters, it takes {params}"
            ),
            ConstTooDeep => write!(f, "the constant is nested deeper than {MAX_CONST_DEPTH} levels"),
            TryScopeMismatch { first, other } => write!(
                f,
                "paths reach this op with {first} and with {other} open catch scopes (`try` without a matching `try.end`)"
            ),
            TryEndWithoutScope => f.write_str("try.end with no open catch scope"),
            SpanOutOfOrder { entry } => write!(
                f,
                "span-table entry {entry} does not start after the previous entry"
            ),
            SpanOpOutOfRange { entry, op, len } => write!(
                f,
                "span-table entry {entry} starts at op {op}, but the function has {len} ops"
            ),
            SpanSourceOutOfRange { entry, source, len } => write!(
                f,
                "span-table entry {entry} names source {source}, but the program has {len} sources"
            ),
            SpanInverted { entry, start, end } => write!(
                f,
                "span-table entry {entry} has the byte range {start}..{end}, which ends before it starts"
            ),
            ExitInsideTry { open } => write!(
                f,
                "the function returns with {open} catch scope(s) still open (close them with try.end first)"
            ),
        }
    }
}

impl std::error::Error for VerifyError {}

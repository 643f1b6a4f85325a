//! The REPL's raw Tape mode: one Tape op a line, executed at once.
//!
//! Takes one op in the text form `docs/tape.md` describes (plus one convenience:
//! `const <literal> -> rN` loads a literal, which becomes a constant-pool entry); produces the
//! value of the op's destination register. The session keeps a register file of [`REGISTERS`]
//! values and its world. Each op runs as a real Tape program: the session's definitions compiled
//! to Tape (so `fx.createObj` finds their behaviours and `call f<i>` their functions) plus an
//! entry function that loads the registers from the run's input (`fx.input`), runs the op, and
//! returns the registers as a list. The program is verified like any other before it runs.

use avm_vm::tape::interp::RunConfig;
use avm_vm::tape::op::{ConstIdx, Reg, RegRange};
use avm_vm::tape::program::{Function, FunctionKind, Program};
use avm_vm::tape::{EffectKind, Op, Safety};
use avm_vm::trace::{EventType, TraceView};
use avm_vm::value::Val;

use crate::itree::LowerOptions;
use crate::pipeline::{Stage, compile};
use crate::syntax::span::{SourceMap, Span};
use crate::value_text;

use super::error::ReplError;
use super::program::{self, Parts};
use super::{Output, Reply, Session, Tracing};

/// The size of the Tape mode's register file (`r0` … `r15`).
pub const REGISTERS: u16 = 16;

/// The Tape mode's registers.
#[derive(Debug, Clone)]
pub struct TapeState {
    regs: Vec<Val>,
}

impl TapeState {
    /// Every register `()`.
    pub fn new() -> TapeState {
        TapeState {
            regs: vec![Val::Unit; usize::from(REGISTERS)],
        }
    }

    /// `:regs`: the registers that hold something other than `()`.
    pub fn regs_text(&self) -> String {
        let mut s = String::new();
        for (i, v) in self.regs.iter().enumerate() {
            if *v != Val::Unit {
                s.push_str(&format!("r{i} = {}\n", value_text::value(v)));
            }
        }
        if s.is_empty() {
            s = format!("every register (r0 … r{}) is ()", REGISTERS - 1);
        }
        s
    }
}

impl Default for TapeState {
    fn default() -> Self {
        TapeState::new()
    }
}

/// The mnemonics of the control-flow ops, refused in Tape mode.
const CONTROL_FLOW: [&str; 5] = ["jump", "br", "brnot", "tail", "ret"];

/// A parsed line: the op, and a literal it loads (for `const <literal> -> rN`).
fn parse_line(line: &str) -> Result<(Op, Option<avm_vm::tape::program::Const>), ReplError> {
    let line = line.trim();
    let bad = |reason: String| ReplError::BadInstruction { reason };
    if let Some(rest) = line.strip_prefix("const ")
        && !rest.trim_start().starts_with('c')
    {
        let (lit, dst) = rest
            .rsplit_once("->")
            .ok_or_else(|| bad("expected `const <literal> -> r<n>`".to_string()))?;
        let constant = avm_vm::tape::parse::parse_const(lit.trim())
            .map_err(|e| bad(format!("bad literal: {e}")))?;
        let dst = dst
            .trim()
            .strip_prefix('r')
            .and_then(|d| d.parse::<u16>().ok())
            .ok_or_else(|| bad(format!("`{}` is not a register", dst.trim())))?;
        let op = Op::LoadConst {
            dst: Reg(dst),
            idx: ConstIdx(0),
        };
        return Ok((op, Some(constant)));
    }
    // Refused by its mnemonic, before parsing: `jump 3` names a label no line can define,
    // and that is not why it is refused.
    if line
        .split_whitespace()
        .next()
        .is_some_and(|m| CONTROL_FLOW.contains(&m))
    {
        return Err(bad(
            "control flow (`jump`, `br`, `brnot`, `tail`, `ret`) has no meaning one op at a time"
                .to_string(),
        ));
    }
    let op = avm_vm::tape::parse::parse_op(line).map_err(|e| bad(e.to_string()))?;
    if let Some(r) = op
        .registers()
        .into_iter()
        .flatten()
        .find(|r| r.0 >= REGISTERS)
    {
        return Err(bad(format!(
            "register r{} is beyond the REPL's r0 … r{}",
            r.0,
            REGISTERS - 1
        )));
    }
    if let Some(range) = op.range()
        && range.end() > u32::from(REGISTERS)
    {
        return Err(bad(format!(
            "the range {range} goes beyond the REPL's r0 … r{}",
            REGISTERS - 1
        )));
    }
    Ok((op, None))
}

/// The destination register named at the end of the op's text (`… -> r3`).
fn destination(op: &Op) -> Option<usize> {
    let text = op.to_string();
    let (_, dst) = text.rsplit_once("->")?;
    dst.trim().strip_prefix('r')?.parse().ok()
}

/// The entry function: load the registers from the input, run `op`, return the registers.
fn step_function(op: Op) -> Function {
    let n = REGISTERS;
    let env = Reg(n);
    let index = Reg(n + 1);
    let mut ops = vec![Op::Effect {
        kind: EffectKind::Input,
        args: RegRange::new(Reg(0), 0),
        dst: env,
    }];
    for i in 0..n {
        ops.push(Op::LoadInt {
            dst: index,
            value: i32::from(i),
        });
        ops.push(Op::ListIndex {
            dst: Reg(i),
            list: env,
            index,
        });
    }
    ops.push(op);
    ops.push(Op::MakeList {
        dst: env,
        items: RegRange::new(Reg(0), n),
    });
    ops.push(Op::Ret { src: env });
    Function {
        name: "repl$step".to_string(),
        params: 0,
        registers: n + 2,
        safety: Safety::Unsafe,
        kind: FunctionKind::Main,
        ops,
        spans: Vec::new(),
    }
}

impl Session {
    /// The session's definitions compiled to Tape (an empty program when there are none).
    fn base_program(&mut self, host: &mut dyn super::ReplHost) -> Result<Program, Reply> {
        if self.defs.is_empty() {
            return Ok(Program::default());
        }
        let (items, add_main, kept_sources) = self.item_pieces(&[]);
        let parts = Parts {
            items,
            add_main,
            kept_sources,
            params: &[],
            stmts: Vec::new(),
            last_is_value: false,
        };
        let generated = program::generate(&parts, &program::Result::Unit);
        let outcome = compile(
            "<repl definitions>",
            &generated.text,
            host,
            Stage::Tape,
            &LowerOptions::default(),
        );
        if let (Some(itree), Some(tape)) = (&outcome.itree, outcome.tape) {
            for (name, function) in &itree.pure_registry {
                if self.world.pure.get(name).is_none() {
                    let _ = self.world.pure.register(name.clone(), function.clone());
                }
            }
            return Ok(tape);
        }
        let mut r = Reply::new();
        r.outputs.push(Output::Diagnostics {
            diagnostics: outcome.diagnostics,
            sources: outcome.sources,
        });
        Err(r)
    }

    /// Runs one Tape op against the registers and the world.
    pub(super) fn eval_tape_op(
        &mut self,
        name: &str,
        input: &str,
        host: &mut dyn super::ReplHost,
    ) -> Reply {
        let (mut op, constant) = match parse_line(input) {
            Ok(x) => x,
            Err(e) => return super::error_reply(&e, name, input),
        };
        let mut program = match self.base_program(host) {
            Ok(p) => p,
            Err(r) => return r,
        };
        if let (Some(c), Op::LoadConst { idx, .. }) = (constant, &mut op) {
            *idx = ConstIdx(program.constants.len() as u32);
            program.constants.push(c);
        }
        program.functions.push(step_function(op));
        program.entry = Some(avm_vm::tape::op::FuncIdx(
            program.functions.len() as u32 - 1,
        ));
        let mut config = RunConfig {
            input: Val::List(self.tape.regs.iter().cloned().collect()),
            ..RunConfig::default()
        };
        config.limits.fuel = self.fuel;
        let result = match avm_vm::tape::interp::run_program(&program, &mut self.world, &config) {
            Ok(r) => r,
            Err(e) => {
                return super::error_reply(
                    &ReplError::BadInstruction {
                        reason: e.to_string(),
                    },
                    name,
                    input,
                );
            }
        };
        let mut reply = Reply::new();
        for e in result.trace.entries() {
            if let EventType::Output(v) = &e.event {
                reply.outputs.push(Output::Printed(match v {
                    Val::Str(s) => s.to_string(),
                    other => value_text::value(other),
                }));
            }
            self.trace.push(e.clone());
        }
        if self.tracing == Tracing::On {
            reply
                .outputs
                .push(Output::Text(result.trace.render(TraceView::Full)));
        }
        match result.outcome {
            Ok(Val::List(regs)) if regs.len() == usize::from(REGISTERS) => {
                self.tape.regs = regs.to_vec();
                match destination(&op).and_then(|d| Some((d, self.tape.regs.get(d)?))) {
                    Some((d, v)) => reply
                        .outputs
                        .push(Output::Text(format!("r{d} = {}", value_text::value(v)))),
                    None => reply.outputs.push(Output::Text("ok".to_string())),
                }
            }
            Ok(other) => reply.outputs.push(Output::RuntimeError(format!(
                "the step returned {other} instead of the registers"
            ))),
            Err(e) => {
                // A single op has no source location: the label is the whole line.
                let mut sources = SourceMap::new();
                let file = sources.add(name, input);
                let trimmed = input.trim_end();
                let start = trimmed.len() - trimmed.trim_start().len();
                let diagnostic = crate::diagnostics::runtime::runtime_failure_of_input(
                    &e,
                    file,
                    Span::new(start, trimmed.len()),
                );
                reply.outputs.push(Output::Diagnostics {
                    diagnostics: vec![diagnostic],
                    sources,
                });
            }
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_and_control_flow_is_refused() {
        assert!(parse_line("int 5 -> r0").is_ok());
        assert!(matches!(
            parse_line("const \"Counter\" -> r1"),
            Ok((Op::LoadConst { .. }, Some(_)))
        ));
        // Control flow is refused as control flow, whatever its operands.
        for line in [
            "jump L0",
            "jump 3",
            "br r0 L1",
            "brnot r0 7",
            "tail f0 r0..r0",
            "ret r0",
        ] {
            match parse_line(line) {
                Err(ReplError::BadInstruction { reason }) => {
                    assert!(reason.starts_with("control flow"), "{line}: {reason}")
                }
                other => panic!("{line}: {other:?}"),
            }
        }
        assert!(parse_line("int 5 -> r16").is_err());
        assert!(parse_line("frobnicate").is_err());
        assert_eq!(
            destination(&Op::LoadInt {
                dst: Reg(3),
                value: 1
            }),
            Some(3)
        );
    }
}

//! Lowering AVM instructions.
//!
//! Takes an ITree [`Instr`] and the register its result is bound to; produces the effect op:
//! operand expressions are evaluated left to right into a contiguous argument block (the
//! spec's argument order), then `fx.<instr> block -> dst`. `createObj` gets the behaviour
//! name as a string constant; `GetField` / `SetField` become `field.get` / `field.set` (the
//! latter's result is `()`); `print` becomes `print` plus `unit`; scry predicates become
//! generated pure functions (`EffectWithFunction`); `registerPure` / `updatePure` name the
//! implementing function by index. Instructions are refused in pure functions.

use super::error::{LowerError, LowerErrorKind};
use super::lower::PendingPredicate;
use super::regalloc::nth;
use super::term::FnLowerer;
use avm_vm::itree::interp::instr_name;
use avm_vm::itree::{Expr, FnKind, Instr, Name, Predicate};
use avm_vm::tape::{EffectKind, FuncIdx, FunctionKind, Op, Reg};

impl FnLowerer<'_, '_> {
    /// `dst := fx.kind(args...)`.
    fn effect(&mut self, kind: EffectKind, args: &[&Expr], dst: Reg) -> Result<(), LowerError> {
        let mark = self.regs.mark();
        let block = self.exprs_block_refs(args)?;
        self.fb.emit(Op::Effect {
            kind,
            args: block,
            dst,
        });
        self.regs.release(mark);
        Ok(())
    }

    /// The output index of the pure function implementing a registry entry.
    fn implementation(&self, function: &Name) -> Result<FuncIdx, LowerError> {
        let program = self.lw.program;
        let (Some(f), Some(idx)) = (
            program.functions.get(function),
            self.lw.functions.get(function),
        ) else {
            return Err(self.err(LowerErrorKind::UnknownFunction {
                name: function.to_string(),
            }));
        };
        if f.kind != FnKind::Pure {
            return Err(self.err(LowerErrorKind::ImplementationNotPure {
                function: function.to_string(),
            }));
        }
        Ok(*idx)
    }

    /// Declares a predicate function for `pred` (defined after this function) and returns it.
    fn predicate(&mut self, pred: &Predicate, params: u16) -> Result<FuncIdx, LowerError> {
        let base = format!("{}.pred{}", self.name, self.predicates);
        self.predicates += 1;
        let name = self.lw.fresh_name(&base);
        let idx = self
            .lw
            .declare(&name, FunctionKind::Pure, self.safety, usize::from(params))?;
        self.lw.pending.push(PendingPredicate {
            idx,
            name,
            predicate: pred.clone(),
            params,
            safety: self.safety,
        });
        Ok(idx)
    }

    /// `fx.kind f, name -> dst` for `registerPure` / `updatePure`.
    fn registry_effect(
        &mut self,
        kind: EffectKind,
        name: &Name,
        function: &Name,
        dst: Reg,
    ) -> Result<(), LowerError> {
        let func = self.implementation(function)?;
        let mark = self.regs.mark();
        let arg = self.alloc_block(1)?;
        self.load_str(name, nth(arg, 0))?;
        self.fb.emit(Op::EffectWithFunction {
            kind,
            func,
            args: arg,
            dst,
        });
        self.regs.release(mark);
        Ok(())
    }

    /// Emits `instr` with its result in `dst`.
    pub(crate) fn instr(&mut self, instr: &Instr, dst: Reg) -> Result<(), LowerError> {
        if self.role.is_pure() {
            return Err(self.err(LowerErrorKind::InstructionInPureFunction {
                instruction: instr_name(instr),
            }));
        }
        use EffectKind as K;
        match instr {
            Instr::CreateObj {
                behaviour,
                controller,
            } => {
                if !self.lw.program.behaviours.contains_key(behaviour) {
                    return Err(self.err(LowerErrorKind::UnknownBehaviour {
                        name: behaviour.to_string(),
                    }));
                }
                let mark = self.regs.mark();
                let block = self.alloc_block(2)?;
                // The ITree interpreter evaluates only the controller; the name is a constant.
                self.expr_into(controller, nth(block, 1))?;
                self.load_str(behaviour, nth(block, 0))?;
                self.fb.emit(Op::Effect {
                    kind: K::CreateObj,
                    args: block,
                    dst,
                });
                self.regs.release(mark);
            }
            Instr::DestroyObj(o) => self.effect(K::DestroyObj, &[o], dst)?,
            Instr::Call(target, input) => self.effect(K::Call, &[target, input], dst)?,
            Instr::Receive => self.effect(K::Receive, &[], dst)?,
            Instr::SelfId => self.effect(K::SelfId, &[], dst)?,
            Instr::Input => self.effect(K::Input, &[], dst)?,
            Instr::GetCurrentMachine => self.effect(K::GetCurrentMachine, &[], dst)?,
            Instr::GetState => self.effect(K::GetState, &[], dst)?,
            Instr::SetState(s) => self.effect(K::SetState, &[s], dst)?,
            Instr::Sender => self.effect(K::Sender, &[], dst)?,
            Instr::GetField(i) => {
                let field = self.field_index(*i)?;
                self.fb.emit(Op::FieldGet { dst, field });
            }
            Instr::SetField(i, e) => {
                let field = self.field_index(*i)?;
                let mark = self.regs.mark();
                let src = self.expr_reg(e)?;
                self.fb.emit(Op::FieldSet { field, src });
                self.fb.emit(Op::LoadUnit { dst });
                self.regs.release(mark);
            }
            Instr::Reflect(o) => self.effect(K::Reflect, &[o], dst)?,
            Instr::ScryMeta(pred) | Instr::ScryDeep(pred) => {
                let (kind, params) = match instr {
                    Instr::ScryDeep(_) => (K::ScryDeep, 2),
                    _ => (K::ScryMeta, 1),
                };
                let func = self.predicate(pred, params)?;
                self.fb.emit(Op::EffectWithFunction {
                    kind,
                    func,
                    args: avm_vm::tape::RegRange::EMPTY,
                    dst,
                });
            }
            Instr::ReifyContext => self.effect(K::ReifyContext, &[], dst)?,
            Instr::ReifyTxState => self.effect(K::ReifyTxState, &[], dst)?,
            Instr::ReifyConstraints => self.effect(K::ReifyConstraints, &[], dst)?,
            Instr::BeginTx(c) => self.effect(K::BeginTx, &[c], dst)?,
            Instr::CommitTx(t) => self.effect(K::CommitTx, &[t], dst)?,
            Instr::AbortTx(t) => self.effect(K::AbortTx, &[t], dst)?,
            Instr::CommitOrAbort(t) => self.effect(K::CommitOrAbort, &[t], dst)?,
            Instr::CallPure { name, args } => {
                let mark = self.regs.mark();
                let block = self.alloc_block(2)?;
                // The ITree interpreter evaluates only the argument list; the name is a constant.
                self.expr_into(args, nth(block, 1))?;
                self.load_str(name, nth(block, 0))?;
                self.fb.emit(Op::Effect {
                    kind: K::CallPure,
                    args: block,
                    dst,
                });
                self.regs.release(mark);
            }
            Instr::RegisterPure { name, function } => {
                self.registry_effect(K::RegisterPure, name, function, dst)?;
            }
            Instr::UpdatePure { name, function } => {
                self.registry_effect(K::UpdatePure, name, function, dst)?;
            }
            Instr::GetMachine(o) => self.effect(K::GetMachine, &[o], dst)?,
            Instr::Teleport(m) => self.effect(K::Teleport, &[m], dst)?,
            Instr::MoveObject(o, m) => self.effect(K::MoveObject, &[o, m], dst)?,
            Instr::Fetch(o) => self.effect(K::Fetch, &[o], dst)?,
            Instr::GetCurrentController => self.effect(K::GetCurrentController, &[], dst)?,
            Instr::GetController(o) => self.effect(K::GetController, &[o], dst)?,
            Instr::TransferObject(o, c) => self.effect(K::TransferObject, &[o, c], dst)?,
            Instr::Freeze(o) => self.effect(K::Freeze, &[o], dst)?,
            Instr::Publish(n, o) => self.effect(K::Publish, &[n, o], dst)?,
            Instr::Lookup(n, i) => self.effect(K::Lookup, &[n, i], dst)?,
            Instr::NewVar(d) => self.effect(K::NewVar, &[d], dst)?,
            Instr::Narrow(v, d) => self.effect(K::Narrow, &[v, d], dst)?,
            Instr::Post(c) => self.effect(K::Post, &[c], dst)?,
            Instr::Label(v) => self.effect(K::Label, &[v], dst)?,
            Instr::Choose(vs) => self.effect(K::Choose, &[vs], dst)?,
            Instr::Require(b) => self.effect(K::Require, &[b], dst)?,
            Instr::Print(e) => {
                let mark = self.regs.mark();
                let src = self.expr_reg(e)?;
                self.fb.emit(Op::Print { src });
                self.fb.emit(Op::LoadUnit { dst });
                self.regs.release(mark);
            }
        }
        Ok(())
    }

    fn field_index(&self, i: usize) -> Result<u16, LowerError> {
        u16::try_from(i).map_err(|_| self.err(LowerErrorKind::FieldIndexTooLarge { index: i }))
    }
}

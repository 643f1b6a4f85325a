//! Lowering `match` to decision code.
//!
//! Takes a scrutinee expression and the arms; produces, per arm in order, a sequence of tests
//! on the scrutinee's register that jump to the next arm on the first mismatch, binds the
//! pattern's names to the registers holding the matched parts, tests the guard (with those
//! bindings) and lowers the arm body; after the last arm, `fail.nomatch` on the scrutinee
//! (the ITree interpreter's `NoMatchingArm`). Shape tests are the never-failing `prim.*` tests
//! (`tuple_is`, `list_len_is`, `list_len_at_least`, `is_none`, `is_just`, `record_is`,
//! `record_field`, `payload_len_is`) and `variant.is`, so a value of an unexpected kind is a
//! mismatch, never an error, exactly as in `Env::bind_pattern`.

use super::error::LowerError;
use super::regalloc::nth;
use super::term::{Dest, FnLowerer};
use avm_vm::itree::{Arm, Expr, Pattern};
use avm_vm::tape::{Label, Op, PrimKind, Reg, RegRange};

impl FnLowerer<'_, '_> {
    /// Lowers `match scrutinee { arms }` towards `dest`.
    pub(crate) fn lower_match(
        &mut self,
        scrutinee: &Expr,
        arms: &[Arm],
        dest: Dest,
    ) -> Result<(), LowerError> {
        let mark = self.regs.mark();
        let v = self.expr_reg(scrutinee)?;
        for arm in arms {
            let next = self.fb.label();
            let arm_mark = self.regs.mark();
            let env_len = self.env.len();
            self.pattern(&arm.pattern, v, next)?;
            if let Some(guard) = &arm.guard {
                let guard_mark = self.regs.mark();
                let g = self.expr_reg(guard)?;
                self.regs.release(guard_mark);
                self.fb.branch_if_not(g, next);
            }
            self.term(&arm.body, dest)?;
            self.env.truncate(env_len);
            self.regs.release(arm_mark);
            self.bind_here(next);
        }
        self.fb.emit(Op::FailNoMatch { src: v });
        self.regs.release(mark);
        Ok(())
    }

    /// `dst := prim.kind(v, n)` then `brnot dst, fail`.
    fn test_count(
        &mut self,
        kind: PrimKind,
        v: Reg,
        n: usize,
        fail: Label,
    ) -> Result<(), LowerError> {
        let block = self.alloc_block(2)?;
        self.fb.emit(Op::Move {
            dst: nth(block, 0),
            src: v,
        });
        self.load_int(i64::try_from(n).unwrap_or(i64::MAX), nth(block, 1))?;
        self.fb.emit(Op::Prim {
            kind,
            args: block,
            dst: nth(block, 0),
        });
        self.fb.branch_if_not(nth(block, 0), fail);
        Ok(())
    }

    /// `c := prim.kind(v)` then `brnot c, fail`.
    fn test_unary(&mut self, kind: PrimKind, v: Reg, fail: Label) -> Result<(), LowerError> {
        let c = self.alloc()?;
        self.fb.emit(Op::Prim {
            kind,
            args: RegRange::new(v, 1),
            dst: c,
        });
        self.fb.branch_if_not(c, fail);
        Ok(())
    }

    /// Emits the tests of `p` against the value in `v` (jumping to `fail` on a mismatch) and
    /// binds its names. Registers it allocates stay live for the arm.
    fn pattern(&mut self, p: &Pattern, v: Reg, fail: Label) -> Result<(), LowerError> {
        match p {
            Pattern::Wild => {}
            Pattern::Bind(n) => self.bind_shared(n, v),
            Pattern::Lit(l) => {
                let t = self.alloc()?;
                self.lit_into(l, t)?;
                self.fb.emit(Op::Eq {
                    dst: t,
                    lhs: t,
                    rhs: v,
                });
                self.fb.branch_if_not(t, fail);
            }
            Pattern::Tuple(ps) => {
                self.test_count(PrimKind::TupleIs, v, ps.len(), fail)?;
                for (i, sub) in ps.iter().enumerate() {
                    if *sub == Pattern::Wild {
                        continue;
                    }
                    let e = self.alloc()?;
                    let index = u16::try_from(i).unwrap_or(u16::MAX);
                    self.fb.emit(Op::TupleGet {
                        dst: e,
                        src: v,
                        index,
                    });
                    self.pattern(sub, e, fail)?;
                }
            }
            Pattern::Nil => self.test_count(PrimKind::ListLenIs, v, 0, fail)?,
            Pattern::Cons(h, t) => {
                self.test_count(PrimKind::ListLenAtLeast, v, 1, fail)?;
                if **h != Pattern::Wild {
                    let e = self.alloc()?;
                    self.fb.emit(Op::ListHead { dst: e, list: v });
                    self.pattern(h, e, fail)?;
                }
                if **t != Pattern::Wild {
                    let e = self.alloc()?;
                    self.fb.emit(Op::ListTail { dst: e, list: v });
                    self.pattern(t, e, fail)?;
                }
            }
            Pattern::List(ps) => {
                self.test_count(PrimKind::ListLenIs, v, ps.len(), fail)?;
                for (i, sub) in ps.iter().enumerate() {
                    if *sub == Pattern::Wild {
                        continue;
                    }
                    let e = self.alloc()?;
                    self.load_int(i64::try_from(i).unwrap_or(i64::MAX), e)?;
                    self.fb.emit(Op::ListIndex {
                        dst: e,
                        list: v,
                        index: e,
                    });
                    self.pattern(sub, e, fail)?;
                }
            }
            Pattern::Nothing => self.test_unary(PrimKind::IsNone, v, fail)?,
            Pattern::Just(sub) => {
                self.test_unary(PrimKind::IsJust, v, fail)?;
                if **sub != Pattern::Wild {
                    let e = self.alloc()?;
                    self.fb.emit(Op::Unwrap { dst: e, src: v });
                    self.pattern(sub, e, fail)?;
                }
            }
            Pattern::Record { type_name, fields } => {
                let block = self.alloc_block(2)?;
                self.fb.emit(Op::Move {
                    dst: nth(block, 0),
                    src: v,
                });
                self.load_str(type_name, nth(block, 1))?;
                self.fb.emit(Op::Prim {
                    kind: PrimKind::RecordIs,
                    args: block,
                    dst: nth(block, 1),
                });
                self.fb.branch_if_not(nth(block, 1), fail);
                for (field, sub) in fields {
                    // e := record_field(v, field) : Option; mismatch on none.
                    self.load_str(field, nth(block, 1))?;
                    let e = self.alloc()?;
                    self.fb.emit(Op::Prim {
                        kind: PrimKind::RecordField,
                        args: block,
                        dst: e,
                    });
                    let c = self.alloc()?;
                    self.fb.emit(Op::IsSome { dst: c, src: e });
                    self.fb.branch_if_not(c, fail);
                    self.fb.emit(Op::Unwrap { dst: e, src: e });
                    self.pattern(sub, e, fail)?;
                }
            }
            Pattern::Variant {
                enum_name,
                variant,
                payload,
            } => {
                let enum_name = self.string(enum_name)?;
                let variant = self.string(variant)?;
                let c = self.alloc()?;
                self.fb.emit(Op::IsVariant {
                    dst: c,
                    src: v,
                    enum_name,
                    variant,
                });
                self.fb.branch_if_not(c, fail);
                self.test_count(PrimKind::PayloadLenIs, v, payload.len(), fail)?;
                for (i, sub) in payload.iter().enumerate() {
                    if *sub == Pattern::Wild {
                        continue;
                    }
                    let e = self.alloc()?;
                    let index = u16::try_from(i).unwrap_or(u16::MAX);
                    self.fb.emit(Op::TaggedGet {
                        dst: e,
                        src: v,
                        index,
                    });
                    self.pattern(sub, e, fail)?;
                }
            }
        }
        Ok(())
    }
}

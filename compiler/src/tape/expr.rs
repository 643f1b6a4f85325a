//! Lowering effect-free expressions to register code.
//!
//! Takes an ITree [`Expr`] and a destination register; produces ops that compute the value
//! with the ITree evaluator's order of evaluation and errors: operands left to right, `&&` /
//! `||` short-circuit (the second operand still type-checked by `and` / `or`), checked
//! arithmetic ops, `prim.*` ops for the type-generic operations (`++`, indexing, built-ins,
//! records by field name). Literals come from the constant pool when they fit a Tape constant
//! and are built op by op otherwise (records, variants, machine and controller ids).

use super::error::{LowerError, LowerErrorKind};
use super::regalloc::nth;
use super::term::FnLowerer;
use avm_vm::itree::{BinOp, Expr, UnOp};
use avm_vm::tape::{Const, MAX_CONST_DEPTH, Op, PrimKind, Reg};
use avm_vm::value::Val;

/// The Tape constant for a value, if it has one.
fn to_const(v: &Val) -> Option<Const> {
    Some(match v {
        Val::Unit => Const::Unit,
        Val::Bool(b) => Const::Bool(*b),
        Val::Int(n) => Const::Int(*n),
        Val::Str(s) => Const::Str(s.to_string()),
        Val::List(items) => Const::List(items.iter().map(|x| to_const(&x)).collect::<Option<_>>()?),
        Val::Tuple(items) => Const::Tuple(items.iter().map(to_const).collect::<Option<_>>()?),
        Val::Nothing => Const::None,
        Val::Just(inner) => Const::Some(Box::new(to_const(inner)?)),
        _ => return None,
    })
}

/// The value of an expression built only from literals by list, tuple and `some` (folded to
/// one constant load instead of an op per element).
fn literal_value(e: &Expr) -> Option<Val> {
    Some(match e {
        Expr::Lit(v) => v.clone(),
        Expr::List(items) => Val::list(items.iter().map(literal_value).collect::<Option<_>>()?),
        Expr::Tuple(items) => Val::tuple(items.iter().map(literal_value).collect::<Option<_>>()?),
        Expr::Just(inner) => Val::just(literal_value(inner)?),
        _ => return None,
    })
}

impl FnLowerer<'_, '_> {
    /// The register holding `e`'s value: a variable's own register, or a fresh one (released
    /// with the caller's mark).
    pub(crate) fn expr_reg(&mut self, e: &Expr) -> Result<Reg, LowerError> {
        if let Expr::Var(n) = e {
            return self.lookup(n);
        }
        let r = self.alloc()?;
        self.expr_into(e, r)?;
        Ok(r)
    }

    /// Emits code writing `e`'s value to `dst` (a register no live binding uses).
    pub(crate) fn expr_into(&mut self, e: &Expr, dst: Reg) -> Result<(), LowerError> {
        if let Expr::List(_) | Expr::Tuple(_) | Expr::Just(_) = e
            && let Some(v) = literal_value(e)
        {
            return self.lit_into(&v, dst);
        }
        let mark = self.regs.mark();
        match e {
            Expr::Lit(v) => self.lit_into(v, dst)?,
            Expr::Var(n) => {
                let src = self.lookup(n)?;
                self.fb.emit(Op::Move { dst, src });
            }
            Expr::Unary(op, a) => {
                let src = self.expr_reg(a)?;
                self.fb.emit(match op {
                    UnOp::Neg => Op::Neg { dst, src },
                    UnOp::Not => Op::Not { dst, src },
                });
            }
            Expr::Binary(op, a, b) => self.binary(*op, a, b, dst)?,
            Expr::List(items) => {
                let items = self.exprs_block(items)?;
                self.fb.emit(Op::MakeList { dst, items });
            }
            Expr::Tuple(items) => {
                let items = self.exprs_block(items)?;
                self.fb.emit(Op::MakeTuple { dst, items });
            }
            Expr::Just(a) => {
                let src = self.expr_reg(a)?;
                self.fb.emit(Op::MakeSome { dst, src });
            }
            Expr::Record { type_name, fields } => {
                let block = self.alloc_block(3)?;
                self.load_str(type_name, nth(block, 0))?;
                let names = Const::List(
                    fields
                        .iter()
                        .map(|(n, _)| Const::Str(n.to_string()))
                        .collect(),
                );
                self.load_const(names, nth(block, 1))?;
                let values: Vec<&Expr> = fields.iter().map(|(_, e)| e).collect();
                let items = self.exprs_block_refs(&values)?;
                self.fb.emit(Op::MakeList {
                    dst: nth(block, 2),
                    items,
                });
                self.fb.emit(Op::Prim {
                    kind: PrimKind::RecordNew,
                    args: block,
                    dst,
                });
            }
            Expr::Variant {
                enum_name,
                variant,
                payload,
            } => {
                let enum_name = self.string(enum_name)?;
                let variant = self.string(variant)?;
                let payload = self.exprs_block(payload)?;
                self.fb.emit(Op::MakeVariant {
                    dst,
                    enum_name,
                    variant,
                    payload,
                });
            }
            Expr::Field(r, f) => {
                let block = self.alloc_block(2)?;
                self.expr_into(r, nth(block, 0))?;
                self.load_str(f, nth(block, 1))?;
                self.fb.emit(Op::Prim {
                    kind: PrimKind::RecordGet,
                    args: block,
                    dst,
                });
            }
            Expr::Index(c, i) => {
                let args = self.exprs_block_refs(&[c, i])?;
                self.fb.emit(Op::Prim {
                    kind: PrimKind::Index,
                    args,
                    dst,
                });
            }
            Expr::Builtin(b, args) => {
                let kind = PrimKind::of_builtin(*b);
                if args.len() != usize::from(kind.arity()) {
                    return Err(self.err(LowerErrorKind::BuiltinArity {
                        builtin: kind.name(),
                        expected: kind.arity(),
                        found: args.len(),
                    }));
                }
                let args = self.exprs_block(args)?;
                self.fb.emit(Op::Prim { kind, args, dst });
            }
        }
        self.regs.release(mark);
        Ok(())
    }

    /// Evaluates expressions, in order, into a fresh contiguous block.
    pub(crate) fn exprs_block(
        &mut self,
        es: &[Expr],
    ) -> Result<avm_vm::tape::RegRange, LowerError> {
        let refs: Vec<&Expr> = es.iter().collect();
        self.exprs_block_refs(&refs)
    }

    /// [`FnLowerer::exprs_block`] over borrowed expressions.
    pub(crate) fn exprs_block_refs(
        &mut self,
        es: &[&Expr],
    ) -> Result<avm_vm::tape::RegRange, LowerError> {
        let block = self.alloc_block(es.len())?;
        for (i, e) in es.iter().enumerate() {
            self.expr_into(e, nth(block, i))?;
        }
        Ok(block)
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, dst: Reg) -> Result<(), LowerError> {
        if let BinOp::And | BinOp::Or = op {
            // dst := a; if a decides, done; else dst := a && b / a || b (which type-checks b).
            let done = self.fb.label();
            self.expr_into(a, dst)?;
            if op == BinOp::And {
                self.fb.branch_if_not(dst, done);
            } else {
                self.fb.branch_if(dst, done);
            }
            let rhs = self.expr_reg(b)?;
            self.fb.emit(if op == BinOp::And {
                Op::And { dst, lhs: dst, rhs }
            } else {
                Op::Or { dst, lhs: dst, rhs }
            });
            self.fb.bind(done);
            return Ok(());
        }
        if op == BinOp::Concat {
            let args = self.exprs_block_refs(&[a, b])?;
            self.fb.emit(Op::Prim {
                kind: PrimKind::Concat,
                args,
                dst,
            });
            return Ok(());
        }
        let lhs = self.expr_reg(a)?;
        let rhs = self.expr_reg(b)?;
        self.fb.emit(match op {
            BinOp::Add => Op::Add { dst, lhs, rhs },
            BinOp::Sub => Op::Sub { dst, lhs, rhs },
            BinOp::Mul => Op::Mul { dst, lhs, rhs },
            BinOp::Div => Op::Div { dst, lhs, rhs },
            BinOp::Rem => Op::Rem { dst, lhs, rhs },
            BinOp::Eq => Op::Eq { dst, lhs, rhs },
            BinOp::Ne => Op::Ne { dst, lhs, rhs },
            BinOp::Lt => Op::Lt { dst, lhs, rhs },
            BinOp::Le => Op::Le { dst, lhs, rhs },
            BinOp::Gt => Op::Gt { dst, lhs, rhs },
            BinOp::Ge => Op::Ge { dst, lhs, rhs },
            // Handled above.
            BinOp::And | BinOp::Or | BinOp::Concat => Op::Move { dst, src: lhs },
        });
        Ok(())
    }

    /// Interns a string.
    pub(crate) fn string(&mut self, s: &str) -> Result<avm_vm::tape::StrIdx, LowerError> {
        self.lw
            .builder
            .string(s)
            .map_err(|e| self.err(LowerErrorKind::Build(e)))
    }

    /// `dst := c` from the constant pool.
    pub(crate) fn load_const(&mut self, c: Const, dst: Reg) -> Result<(), LowerError> {
        let idx = self
            .lw
            .builder
            .constant(c)
            .map_err(|e| self.err(LowerErrorKind::Build(e)))?;
        self.fb.emit(Op::LoadConst { dst, idx });
        Ok(())
    }

    /// `dst := "s"`.
    pub(crate) fn load_str(&mut self, s: &str, dst: Reg) -> Result<(), LowerError> {
        self.load_const(Const::Str(s.to_owned()), dst)
    }

    /// `dst := n` (an immediate when it fits `i32`).
    pub(crate) fn load_int(&mut self, n: i64, dst: Reg) -> Result<(), LowerError> {
        match i32::try_from(n) {
            Ok(value) => {
                self.fb.emit(Op::LoadInt { dst, value });
                Ok(())
            }
            Err(_) => self.load_const(Const::Int(n), dst),
        }
    }

    /// `dst := v` for a literal value.
    pub(crate) fn lit_into(&mut self, v: &Val, dst: Reg) -> Result<(), LowerError> {
        match v {
            Val::Unit => self.fb.emit(Op::LoadUnit { dst }),
            Val::Bool(value) => self.fb.emit(Op::LoadBool { dst, value: *value }),
            Val::Int(n) => return self.load_int(*n, dst),
            Val::Nothing => self.fb.emit(Op::LoadNone { dst }),
            _ => {
                if let Some(c) = to_const(v)
                    && c.depth_within(MAX_CONST_DEPTH) <= MAX_CONST_DEPTH
                {
                    return self.load_const(c, dst);
                }
                return self.build_value(v, dst);
            }
        }
        Ok(())
    }

    /// Builds a value that is not a single constant, op by op.
    fn build_value(&mut self, v: &Val, dst: Reg) -> Result<(), LowerError> {
        let mark = self.regs.mark();
        match v {
            Val::List(_) | Val::Tuple(_) => {
                let items = match v {
                    Val::List(items) => items.to_vec(),
                    Val::Tuple(items) => items.to_vec(),
                    _ => Vec::new(),
                };
                let block = self.alloc_block(items.len())?;
                for (i, item) in items.iter().enumerate() {
                    self.lit_into(item, nth(block, i))?;
                }
                self.fb.emit(if matches!(v, Val::List(_)) {
                    Op::MakeList { dst, items: block }
                } else {
                    Op::MakeTuple { dst, items: block }
                });
            }
            Val::Just(inner) => {
                let src = self.alloc()?;
                self.lit_into(inner, src)?;
                self.fb.emit(Op::MakeSome { dst, src });
            }
            Val::Record(rec) => {
                let block = self.alloc_block(3)?;
                self.load_str(&rec.type_name, nth(block, 0))?;
                let names = Const::List(
                    rec.fields
                        .iter()
                        .map(|(n, _)| Const::Str(n.to_string()))
                        .collect(),
                );
                self.load_const(names, nth(block, 1))?;
                let values = self.alloc_block(rec.fields.len())?;
                for (i, (_, fv)) in rec.fields.iter().enumerate() {
                    self.lit_into(fv, nth(values, i))?;
                }
                self.fb.emit(Op::MakeList {
                    dst: nth(block, 2),
                    items: values,
                });
                self.fb.emit(Op::Prim {
                    kind: PrimKind::RecordNew,
                    args: block,
                    dst,
                });
            }
            Val::Variant(var) => {
                let enum_name = self.string(var.enum_name())?;
                let variant = self.string(var.variant())?;
                let payload = self.alloc_block(var.payload().len())?;
                for (i, p) in var.payload().iter().enumerate() {
                    self.lit_into(p, nth(payload, i))?;
                }
                self.fb.emit(Op::MakeVariant {
                    dst,
                    enum_name,
                    variant,
                    payload,
                });
            }
            Val::Machine(m) => {
                let src = self.alloc()?;
                self.load_str(m.name(), src)?;
                self.fb.emit(Op::Prim {
                    kind: PrimKind::MachineNamed,
                    args: avm_vm::tape::RegRange::new(src, 1),
                    dst,
                });
            }
            Val::Controller(c) => {
                let src = self.alloc()?;
                self.load_str(&c.0, src)?;
                self.fb.emit(Op::Prim {
                    kind: PrimKind::ControllerNamed,
                    args: avm_vm::tape::RegRange::new(src, 1),
                    dst,
                });
            }
            other => {
                return Err(self.err(LowerErrorKind::UnrepresentableLiteral {
                    kind: other.kind_name(),
                }));
            }
        }
        self.regs.release(mark);
        Ok(())
    }
}

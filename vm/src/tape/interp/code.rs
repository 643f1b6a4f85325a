//! The interpreter's instruction form: Tape ops plus load-time superinstructions.
//!
//! Takes a verified function's ops; produces its [`Code`]: one entry per op, where the entry
//! at the start of a common short sequence is a fused instruction doing the whole sequence
//! in one dispatch (the entries after it stay the plain ops, so jumps into the middle of a
//! sequence and resumption after a pause still work). Fusion happens only here, at load time:
//! the Tape text and binary formats never contain a fused instruction. A fused instruction
//! does exactly what its ops do, in order (every register they write is written, with the
//! same values and errors) and counts as that many steps, so results, traces and step counts
//! do not change. The interpreter runs the plain op instead when the step budget left is
//! smaller than the longest sequence, so fuel and slices end on the same op as before.

use crate::error::ExecError;
use crate::tape::effect::EffectKind;
use crate::tape::op::{Op, Reg, RegRange};
use crate::value::Val;
use std::cmp::Ordering;

/// The most ops one fused instruction stands for.
pub const MAX_FUSED: u64 = 3;

/// A comparison op (`eq`, `ne`, `lt`, `le`, `gt`, `ge`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `eq`.
    Eq,
    /// `ne`.
    Ne,
    /// `lt`.
    Lt,
    /// `le`.
    Le,
    /// `gt`.
    Gt,
    /// `ge`.
    Ge,
}

impl Cmp {
    /// Whether the comparison holds for an ordering of its operands.
    #[inline(always)]
    pub fn holds(self, ord: Ordering) -> bool {
        match self {
            Cmp::Eq => ord == Ordering::Equal,
            Cmp::Ne => ord != Ordering::Equal,
            Cmp::Lt => ord == Ordering::Less,
            Cmp::Le => ord != Ordering::Greater,
            Cmp::Gt => ord == Ordering::Greater,
            Cmp::Ge => ord != Ordering::Less,
        }
    }

    /// The op's result for two values, as the plain ops compute it: structural equality for
    /// `eq`/`ne`, `Val::compare` (integers directly) for the orderings.
    #[inline(always)]
    pub fn eval(self, a: &Val, b: &Val) -> Result<bool, ExecError> {
        Ok(match (self, a, b) {
            (_, Val::Int(x), Val::Int(y)) => self.holds(x.cmp(y)),
            (Cmp::Eq, _, _) => a == b,
            (Cmp::Ne, _, _) => a != b,
            _ => self.holds(a.compare(b)?),
        })
    }
}

/// Which value of the condition makes a branch jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JumpWhen {
    /// `br`: jump when the condition is `true`.
    True,
    /// `brnot`: jump when the condition is `false`.
    False,
}

impl JumpWhen {
    /// Whether the branch jumps for condition `c`.
    #[inline(always)]
    pub fn jumps(self, c: bool) -> bool {
        c == (self == JumpWhen::True)
    }
}

/// The integer op of a fused instruction (`ArithImm`, `ArithJump`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithImm {
    /// `add`.
    Add,
    /// `sub`.
    Sub,
}

/// One instruction of a loaded function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// A Tape op, run as written (one step).
    Op(Op),
    /// `int imm -> k; <cmp> x, k -> c; br|brnot c, target` (three steps; `x` is not `k`).
    CmpImmBranch {
        /// The register loaded with the immediate.
        k: Reg,
        /// The compared register (left operand).
        x: Reg,
        /// The register receiving the comparison's boolean.
        c: Reg,
        /// The comparison.
        cmp: Cmp,
        /// The branch's sense.
        when: JumpWhen,
        /// The immediate (right operand).
        imm: i32,
        /// The branch target.
        target: u32,
    },
    /// `<cmp> lhs, rhs -> c; br|brnot c, target` (two steps).
    CmpBranch {
        /// Left operand.
        lhs: Reg,
        /// Right operand.
        rhs: Reg,
        /// The register receiving the comparison's boolean.
        c: Reg,
        /// The comparison.
        cmp: Cmp,
        /// The branch's sense.
        when: JumpWhen,
        /// The branch target.
        target: u32,
    },
    /// `int imm -> k; add|sub x, k -> dst` (two steps; `x` is not `k`).
    ArithImm {
        /// The register loaded with the immediate.
        k: Reg,
        /// The left operand.
        x: Reg,
        /// The result register.
        dst: Reg,
        /// Which operation.
        op: ArithImm,
        /// The immediate (right operand).
        imm: i32,
    },
    /// `add|sub lhs, rhs -> dst; jump target` (two steps): a loop's counter update and
    /// back edge.
    ArithJump {
        /// The left operand.
        lhs: Reg,
        /// The right operand.
        rhs: Reg,
        /// The result register.
        dst: Reg,
        /// Which operation.
        op: ArithImm,
        /// The jump target.
        target: u32,
    },
    /// `list items -> dst; ret dst` (two steps). When the frame is a behaviour's dispatch
    /// function, the outputs go to `isa::obj::call_exit_outputs` without building the list;
    /// otherwise the two ops run as written.
    ListRet {
        /// The register the list is written to (and returned from).
        dst: Reg,
        /// The list's items.
        items: RegRange,
    },
    /// `field.get field -> got; add lhs, rhs -> dst; field.set field, dst` (three steps): a
    /// read-modify-write of one field of `self`'s state (`isa::introspect::update_field`,
    /// one store probe outside a transaction). `lhs` / `rhs` are read after `got` is written.
    FieldAdd {
        /// The state field read and written.
        field: u16,
        /// The register `field.get` writes.
        got: Reg,
        /// The addition's left operand.
        lhs: Reg,
        /// The addition's right operand.
        rhs: Reg,
        /// The addition's result, written back to the field.
        dst: Reg,
    },
    /// `fx.call args -> dst` (one step) with the call site's dispatch window offset
    /// (`super::live::call_window_offsets`) resolved at load time: the object call without the
    /// general effect path.
    ObjCall {
        /// The callee id and input registers (`args.start`, `args.start + 1`).
        args: Reg,
        /// The register receiving the call's result.
        dst: Reg,
        /// Where the callee's window starts, relative to the caller's base.
        window: u16,
    },
    /// `fx.self -> dst` (one step): the running object's id, without the general effect path.
    SelfId {
        /// The result register.
        dst: Reg,
    },
}

impl Code {
    /// How many ops (steps) the instruction stands for.
    pub fn steps(&self) -> u64 {
        match self {
            Code::Op(_) | Code::SelfId { .. } | Code::ObjCall { .. } => 1,
            Code::CmpBranch { .. }
            | Code::ArithImm { .. }
            | Code::ArithJump { .. }
            | Code::ListRet { .. } => 2,
            Code::CmpImmBranch { .. } | Code::FieldAdd { .. } => MAX_FUSED,
        }
    }
}

/// The comparison an op performs: `(lhs, rhs, dst, cmp)`.
fn comparison(op: &Op) -> Option<(Reg, Reg, Reg, Cmp)> {
    Some(match *op {
        Op::Eq { dst, lhs, rhs } => (lhs, rhs, dst, Cmp::Eq),
        Op::Ne { dst, lhs, rhs } => (lhs, rhs, dst, Cmp::Ne),
        Op::Lt { dst, lhs, rhs } => (lhs, rhs, dst, Cmp::Lt),
        Op::Le { dst, lhs, rhs } => (lhs, rhs, dst, Cmp::Le),
        Op::Gt { dst, lhs, rhs } => (lhs, rhs, dst, Cmp::Gt),
        Op::Ge { dst, lhs, rhs } => (lhs, rhs, dst, Cmp::Ge),
        _ => return None,
    })
}

/// The branch an op performs on register `c`: `(sense, target)`.
fn branch_on(op: &Op, c: Reg) -> Option<(JumpWhen, u32)> {
    match *op {
        Op::BranchIf { cond, target } if cond == c => Some((JumpWhen::True, target.0)),
        Op::BranchIfNot { cond, target } if cond == c => Some((JumpWhen::False, target.0)),
        _ => None,
    }
}

/// The fused instruction for the sequence starting at `ops[0]`, if it is one.
fn fuse_at(ops: &[Op]) -> Option<Code> {
    match *ops.first()? {
        Op::LoadInt { dst: k, value: imm } => {
            let next = ops.get(1)?;
            if let Some((x, rhs, c, cmp)) = comparison(next)
                && rhs == k
                && x != k
                && let Some((when, target)) = ops.get(2).and_then(|b| branch_on(b, c))
            {
                return Some(Code::CmpImmBranch {
                    k,
                    x,
                    c,
                    cmp,
                    when,
                    imm,
                    target,
                });
            }
            let (dst, x, rhs, op) = match *next {
                Op::Add { dst, lhs, rhs } => (dst, lhs, rhs, ArithImm::Add),
                Op::Sub { dst, lhs, rhs } => (dst, lhs, rhs, ArithImm::Sub),
                _ => return None,
            };
            (rhs == k && x != k).then_some(Code::ArithImm { k, x, dst, op, imm })
        }
        Op::FieldGet { dst: got, field } => {
            let Op::Add { dst, lhs, rhs } = *ops.get(1)? else {
                return None;
            };
            match *ops.get(2)? {
                Op::FieldSet { field: f, src } if f == field && src == dst => {
                    Some(Code::FieldAdd {
                        field,
                        got,
                        lhs,
                        rhs,
                        dst,
                    })
                }
                _ => None,
            }
        }
        Op::Add { dst, lhs, rhs } | Op::Sub { dst, lhs, rhs } => {
            let Op::Jump { target } = *ops.get(1)? else {
                return None;
            };
            let op = match ops[0] {
                Op::Add { .. } => ArithImm::Add,
                _ => ArithImm::Sub,
            };
            Some(Code::ArithJump {
                lhs,
                rhs,
                dst,
                op,
                target: target.0,
            })
        }
        ref op => {
            if let Op::Effect {
                kind: EffectKind::SelfId,
                dst,
                ..
            } = *op
            {
                return Some(Code::SelfId { dst });
            }
            if let Op::MakeList { dst, items } = *op {
                return match *ops.get(1)? {
                    Op::Ret { src } if src == dst => Some(Code::ListRet { dst, items }),
                    _ => None,
                };
            }
            let (lhs, rhs, c, cmp) = comparison(op)?;
            let (when, target) = branch_on(ops.get(1)?, c)?;
            Some(Code::CmpBranch {
                lhs,
                rhs,
                c,
                cmp,
                when,
                target,
            })
        }
    }
}

/// The loaded code of a function: `ops[i]` or the fused instruction starting there.
pub fn fuse(ops: &[Op]) -> Box<[Code]> {
    (0..ops.len())
        .map(|i| fuse_at(&ops[i..]).unwrap_or(Code::Op(ops[i])))
        .collect()
}

/// Rewrites every plain `fx.call` of `code` (the fused form of `ops`) into [`Code::ObjCall`]
/// with its call site's window offset (`windows[i]` for the op at `i`).
pub fn place_object_calls(code: &mut [Code], ops: &[Op], windows: &[u16]) {
    for ((c, op), &window) in code.iter_mut().zip(ops).zip(windows) {
        if let (
            Code::Op(_),
            Op::Effect {
                kind: EffectKind::Call,
                args,
                dst,
            },
        ) = (*c, *op)
        {
            *c = Code::ObjCall {
                args: args.start,
                dst,
                window,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::op::Target;

    #[test]
    fn fib_prologue_fuses_and_keeps_the_plain_ops_behind() {
        let ops = [
            Op::LoadInt {
                dst: Reg(1),
                value: 2,
            },
            Op::Lt {
                dst: Reg(2),
                lhs: Reg(0),
                rhs: Reg(1),
            },
            Op::BranchIfNot {
                cond: Reg(2),
                target: Target(4),
            },
            Op::Ret { src: Reg(0) },
            Op::LoadInt {
                dst: Reg(1),
                value: 1,
            },
            Op::Sub {
                dst: Reg(3),
                lhs: Reg(0),
                rhs: Reg(1),
            },
            Op::Ret { src: Reg(3) },
        ];
        let code = fuse(&ops);
        assert_eq!(
            code[0],
            Code::CmpImmBranch {
                k: Reg(1),
                x: Reg(0),
                c: Reg(2),
                cmp: Cmp::Lt,
                when: JumpWhen::False,
                imm: 2,
                target: 4,
            }
        );
        assert_eq!(
            code[1],
            Code::CmpBranch {
                lhs: Reg(0),
                rhs: Reg(1),
                c: Reg(2),
                cmp: Cmp::Lt,
                when: JumpWhen::False,
                target: 4,
            }
        );
        assert_eq!(code[2], Code::Op(ops[2]));
        assert_eq!(
            code[4],
            Code::ArithImm {
                k: Reg(1),
                x: Reg(0),
                dst: Reg(3),
                op: ArithImm::Sub,
                imm: 1,
            }
        );
        assert_eq!(code[4].steps() + code[0].steps(), 5);
    }

    #[test]
    fn field_read_add_write_fuses_only_on_the_same_field_and_register() {
        let get = Op::FieldGet {
            dst: Reg(1),
            field: 2,
        };
        let add = Op::Add {
            dst: Reg(2),
            lhs: Reg(1),
            rhs: Reg(0),
        };
        let set = |field, src| Op::FieldSet { field, src };
        let code = fuse(&[get, add, set(2, Reg(2))]);
        assert_eq!(
            code[0],
            Code::FieldAdd {
                field: 2,
                got: Reg(1),
                lhs: Reg(1),
                rhs: Reg(0),
                dst: Reg(2),
            }
        );
        assert_eq!(code[0].steps(), 3);
        assert_eq!(code[1], Code::Op(add));
        // Another field, or another register written back: the plain ops.
        assert_eq!(fuse(&[get, add, set(1, Reg(2))])[0], Code::Op(get));
        assert_eq!(fuse(&[get, add, set(2, Reg(1))])[0], Code::Op(get));
        assert_eq!(fuse(&[get, add])[0], Code::Op(get));
    }

    #[test]
    fn sequences_that_differ_are_left_alone() {
        let ops = [
            // The immediate register is the compared one: not fused.
            Op::LoadInt {
                dst: Reg(0),
                value: 2,
            },
            Op::Lt {
                dst: Reg(2),
                lhs: Reg(0),
                rhs: Reg(0),
            },
            // Branch on another register than the comparison's result.
            Op::BranchIf {
                cond: Reg(3),
                target: Target(0),
            },
            Op::Effect {
                kind: EffectKind::Input,
                args: RegRange::EMPTY,
                dst: Reg(1),
            },
            Op::Ret { src: Reg(1) },
            // A list returned from another register than the one built.
            Op::MakeList {
                dst: Reg(2),
                items: RegRange::new(Reg(0), 2),
            },
            Op::Ret { src: Reg(1) },
        ];
        let code = fuse(&ops);
        assert_eq!(code[0], Code::Op(ops[0]));
        assert_eq!(code[5], Code::Op(ops[5]));
        assert_eq!(code[1], Code::Op(ops[1]));
        assert_eq!(code[3], Code::Op(ops[3]));
    }

    #[test]
    fn object_calls_take_their_window_and_other_ops_stay() {
        let call = Op::Effect {
            kind: EffectKind::Call,
            args: RegRange::new(Reg(4), 2),
            dst: Reg(6),
        };
        let input = Op::Effect {
            kind: EffectKind::Input,
            args: RegRange::EMPTY,
            dst: Reg(4),
        };
        let ops = [input, call, Op::Ret { src: Reg(6) }];
        let mut code = fuse(&ops);
        place_object_calls(&mut code, &ops, &[7, 3, 7]);
        assert_eq!(code[0], Code::Op(input));
        assert_eq!(
            code[1],
            Code::ObjCall {
                args: Reg(4),
                dst: Reg(6),
                window: 3,
            }
        );
        assert_eq!(code[1].steps(), 1);
        assert_eq!(code[2], Code::Op(ops[2]));
    }

    #[test]
    fn a_counter_update_and_back_edge_fuse() {
        let sub = Op::Sub {
            dst: Reg(0),
            lhs: Reg(0),
            rhs: Reg(2),
        };
        let jump = Op::Jump { target: Target(3) };
        let code = fuse(&[sub, jump]);
        assert_eq!(
            code[0],
            Code::ArithJump {
                lhs: Reg(0),
                rhs: Reg(2),
                dst: Reg(0),
                op: ArithImm::Sub,
                target: 3,
            }
        );
        assert_eq!(code[0].steps(), 2);
        assert_eq!(code[1], Code::Op(jump));
        // Not followed by a jump: the plain op.
        assert_eq!(fuse(&[sub, sub])[0], Code::Op(sub));
    }
}

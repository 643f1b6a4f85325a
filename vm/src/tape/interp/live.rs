//! Call-site window placement of a Tape function, from a liveness analysis run at load time.
//!
//! Takes a verified function's ops and register count; produces, for every op, the offset
//! from the frame's base at which the callee's register window of that op starts when it is
//! an object call (`fx.call oid, input -> dst`). The dispatch function's window may overlap
//! the caller's registers that are dead after the call (on every path from the call, written
//! before any read), so the offset is one past the highest register still live after the
//! call (the call's own `dst` excepted: it is written after the callee's frame is gone).
//! Functions with a `try` scope keep whole windows (a caught failure resumes at the handler
//! from any op of the scope's body).
//! Every other op, Tape `call` included, gets the register count (the window starts at the
//! frame's end): for `call`, overlapping windows made the registers of hot recursive code
//! change value kinds between calls, which costs more in the register writes (`fib(30)`: 9%
//! more instructions) than the smaller register file saves. Deep object-to-object recursion
//! whose dispatch functions keep nothing live across the nested call then reuses one window
//! instead of growing the register file by a whole window per level. Liveness is the
//! backward "may be read before written" data flow (meet = union), iterated to a fixed
//! point; reads and writes of each op are the ones `assign` uses.

use super::assign::{RegSet, for_each_read, successors, written};
use crate::tape::effect::EffectKind;
use crate::tape::op::Op;

/// The window offset of each op (see the module doc); `registers` for ops that are not calls.
pub fn call_window_offsets(ops: &[Op], registers: u16) -> Vec<u16> {
    // A failure caught by a `try` scope resumes at its handler from any op of the body, an
    // edge this analysis does not model: functions with a scope keep whole windows.
    if ops.iter().any(|op| matches!(op, Op::TryBegin { .. })) {
        return vec![registers; ops.len()];
    }
    let n = usize::from(registers);
    let live_in = live_in(ops, n);
    let live_out = |at: usize| {
        let mut out = RegSet::empty(n);
        for next in successors(&ops[at], at).into_iter().flatten() {
            if let Some(s) = live_in.get(next) {
                out.union(s);
            }
        }
        out
    };
    ops.iter()
        .enumerate()
        .map(|(at, op)| {
            let Op::Effect {
                kind: EffectKind::Call,
                dst,
                ..
            } = *op
            else {
                return registers;
            };
            let mut out = live_out(at);
            out.remove(usize::from(dst.0));
            let live_top = out
                .max()
                .map_or(0, |r| u16::try_from(r + 1).unwrap_or(registers));
            live_top.min(registers)
        })
        .collect()
}

/// The registers live on entry to each op (may be read before written on some path from it).
fn live_in(ops: &[Op], n: usize) -> Vec<RegSet> {
    let mut live: Vec<RegSet> = (0..ops.len()).map(|_| RegSet::empty(n)).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for at in (0..ops.len()).rev() {
            let mut set = RegSet::empty(n);
            for next in successors(&ops[at], at).into_iter().flatten() {
                if let Some(s) = live.get(next) {
                    set.union(s);
                }
            }
            if let Some(dst) = written(&ops[at]) {
                set.remove(usize::from(dst.0));
            }
            for_each_read(&ops[at], |r| set.insert(usize::from(r.0)));
            changed |= live[at].union(&set);
        }
    }
    live
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::op::{FuncIdx, Reg, RegRange, Target};

    #[test]
    fn a_tape_call_window_starts_at_the_frame_end() {
        // r1..r3 are the arguments; only the call's dst r3 is read after the call.
        let ops = [
            Op::LoadInt {
                dst: Reg(1),
                value: 1,
            },
            Op::LoadInt {
                dst: Reg(2),
                value: 2,
            },
            Op::Call {
                dst: Reg(3),
                func: FuncIdx(0),
                args: RegRange::new(Reg(1), 2),
            },
            Op::Ret { src: Reg(3) },
        ];
        assert_eq!(call_window_offsets(&ops, 5), vec![5, 5, 5, 5]);
    }

    #[test]
    fn an_object_call_keeps_the_registers_read_later_on_some_path() {
        // r2 is read after the call on the branch path only; r4 is written before its read.
        let ops = [
            Op::Effect {
                kind: EffectKind::Call,
                args: RegRange::new(Reg(0), 2),
                dst: Reg(3),
            },
            Op::BranchIf {
                cond: Reg(3),
                target: Target(3),
            },
            Op::Ret { src: Reg(3) },
            Op::LoadInt {
                dst: Reg(4),
                value: 0,
            },
            Op::Add {
                dst: Reg(4),
                lhs: Reg(2),
                rhs: Reg(4),
            },
            Op::Ret { src: Reg(4) },
        ];
        assert_eq!(call_window_offsets(&ops, 6)[0], 3);
    }

    #[test]
    fn a_loop_keeps_its_counter_live_across_the_call() {
        // top: fx.call r1..r3 -> r0; sub r4, r5 -> r4; br r4, top; ret r0
        let ops = [
            Op::Effect {
                kind: EffectKind::Call,
                args: RegRange::new(Reg(1), 2),
                dst: Reg(0),
            },
            Op::Sub {
                dst: Reg(4),
                lhs: Reg(4),
                rhs: Reg(5),
            },
            Op::BranchIf {
                cond: Reg(4),
                target: Target(0),
            },
            Op::Ret { src: Reg(0) },
        ];
        // r1, r2 (call arguments, read again in the next iteration), r4, r5 are live.
        assert_eq!(call_window_offsets(&ops, 7)[0], 6);
    }
}

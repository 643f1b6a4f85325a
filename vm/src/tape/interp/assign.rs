//! Definite-assignment analysis of a Tape function, run once at load time.
//!
//! Takes a verified function's ops, parameter count and register count; produces the
//! registers (at or above the parameters) that some op may read before any op on every path
//! from the entry has written them. Only those registers must hold `()` when a frame of the
//! function starts: every other register is written before it is read, so the interpreter can
//! leave whatever a dead frame left there (the value is never observed). Functions compiled
//! from source write every register before reading it, so their list is empty and a call
//! clears nothing. The analysis is a forward "must be assigned" data flow over the ops
//! (meet = intersection), iterated to a fixed point.

use crate::tape::op::{Op, Reg};

/// A set of registers as a bit set.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct RegSet(Vec<u64>);

impl RegSet {
    pub(super) fn empty(registers: usize) -> RegSet {
        RegSet(vec![0; registers.div_ceil(64)])
    }

    fn full(registers: usize) -> RegSet {
        RegSet(vec![u64::MAX; registers.div_ceil(64)])
    }

    pub(super) fn contains(&self, r: usize) -> bool {
        self.0.get(r / 64).is_some_and(|w| w & (1 << (r % 64)) != 0)
    }

    pub(super) fn insert(&mut self, r: usize) {
        if let Some(w) = self.0.get_mut(r / 64) {
            *w |= 1 << (r % 64);
        }
    }

    pub(super) fn remove(&mut self, r: usize) {
        if let Some(w) = self.0.get_mut(r / 64) {
            *w &= !(1 << (r % 64));
        }
    }

    /// Adds every register of `other`; whether `self` changed.
    pub(super) fn union(&mut self, other: &RegSet) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let v = *a | *b;
            changed |= v != *a;
            *a = v;
        }
        changed
    }

    /// The highest register in the set.
    pub(super) fn max(&self) -> Option<usize> {
        self.0
            .iter()
            .enumerate()
            .rev()
            .find(|(_, w)| **w != 0)
            .map(|(i, w)| i * 64 + 63 - w.leading_zeros() as usize)
    }

    /// Intersects with `other`; whether `self` changed.
    fn meet(&mut self, other: &RegSet) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let v = *a & *b;
            changed |= v != *a;
            *a = v;
        }
        changed
    }
}

/// The register an op writes, if any. Exhaustive on purpose: a new op must decide here
/// whether its first register operand is written or read.
pub(super) fn written(op: &Op) -> Option<Reg> {
    use Op::*;
    match *op {
        LoadConst { dst, .. }
        | LoadUnit { dst }
        | LoadBool { dst, .. }
        | LoadInt { dst, .. }
        | Move { dst, .. }
        | Add { dst, .. }
        | Sub { dst, .. }
        | Mul { dst, .. }
        | Div { dst, .. }
        | Rem { dst, .. }
        | Neg { dst, .. }
        | Eq { dst, .. }
        | Ne { dst, .. }
        | Lt { dst, .. }
        | Le { dst, .. }
        | Gt { dst, .. }
        | Ge { dst, .. }
        | Not { dst, .. }
        | And { dst, .. }
        | Or { dst, .. }
        | MakeList { dst, .. }
        | ListPush { dst, .. }
        | ListConcat { dst, .. }
        | ListLen { dst, .. }
        | ListIndex { dst, .. }
        | ListCons { dst, .. }
        | ListHead { dst, .. }
        | ListTail { dst, .. }
        | ListIsEmpty { dst, .. }
        | StrConcat { dst, .. }
        | StrLen { dst, .. }
        | MakeTuple { dst, .. }
        | TupleGet { dst, .. }
        | MakeSome { dst, .. }
        | LoadNone { dst }
        | IsSome { dst, .. }
        | Unwrap { dst, .. }
        | MakeRecord { dst, .. }
        | MakeVariant { dst, .. }
        | TaggedGet { dst, .. }
        | IsVariant { dst, .. }
        | Call { dst, .. }
        | FieldGet { dst, .. }
        | Prim { dst, .. }
        | Effect { dst, .. }
        | EffectWithFunction { dst, .. } => Some(dst),
        Jump { .. }
        | BranchIf { .. }
        | BranchIfNot { .. }
        | TailCall { .. }
        | Ret { .. }
        | Fail { .. }
        | FailValue { .. }
        | FailNoMatch { .. }
        | Print { .. }
        | FieldSet { .. }
        | TryEnd => None,
        // `try H -> d` writes `d` only when a failure is caught, on the way to `H`; `d` is
        // then read only after `H` or after the `some v -> d` of the normal path.
        TryBegin { .. } => None,
    }
}

/// Calls `f` with every register `op` reads (before its write).
pub(super) fn for_each_read(op: &Op, mut f: impl FnMut(Reg)) {
    if let Op::TryBegin { .. } = op {
        return; // its register is the catch destination, not an operand it reads
    }
    let regs = op.registers();
    let first_read = usize::from(written(op).is_some());
    for r in regs.iter().skip(first_read).flatten() {
        f(*r);
    }
    if let Some(range) = op.range() {
        for r in range.regs() {
            f(r);
        }
    }
}

/// The ops control can reach after op `at` (in range or not; the caller filters).
pub(super) fn successors(op: &Op, at: usize) -> [Option<usize>; 2] {
    let next = op.falls_through().then_some(at + 1);
    let target = op.target().map(|t| t.0 as usize);
    [next, target]
}

/// The registers `params ..` of a function with `registers` registers that some op may read
/// before they are definitely assigned, ascending.
pub fn maybe_unassigned_reads(ops: &[Op], params: u16, registers: u16) -> Vec<u16> {
    let n = usize::from(registers);
    let mut entry = RegSet::empty(n);
    for r in 0..usize::from(params).min(n) {
        entry.insert(r);
    }
    // `state[i]`: registers assigned on every path reaching op `i` found so far (`None`: not
    // reached yet, i.e. the top element "everything").
    let mut state: Vec<Option<RegSet>> = vec![None; ops.len()];
    let mut work = Vec::new();
    if !ops.is_empty() {
        state[0] = Some(entry);
        work.push(0usize);
    }
    while let Some(at) = work.pop() {
        let Some(mut out) = state[at].clone() else {
            continue;
        };
        if let Some(dst) = written(&ops[at]) {
            out.insert(usize::from(dst.0));
        }
        for next in successors(&ops[at], at).into_iter().flatten() {
            let Some(slot) = state.get_mut(next) else {
                continue;
            };
            let changed = match slot {
                Some(s) => s.meet(&out),
                None => {
                    let mut s = RegSet::full(n);
                    s.meet(&out);
                    *slot = Some(s);
                    true
                }
            };
            if changed {
                work.push(next);
            }
        }
    }
    let mut unassigned = RegSet::empty(n);
    for (op, before) in ops.iter().zip(&state) {
        let Some(before) = before else { continue };
        for_each_read(op, |r| {
            if !before.contains(usize::from(r.0)) {
                unassigned.insert(usize::from(r.0));
            }
        });
    }
    (params..registers)
        .filter(|&r| unassigned.contains(usize::from(r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::op::Target;

    #[test]
    fn straight_line_writes_before_reads_need_no_clearing() {
        let ops = [
            Op::LoadInt {
                dst: Reg(1),
                value: 2,
            },
            Op::Add {
                dst: Reg(2),
                lhs: Reg(0),
                rhs: Reg(1),
            },
            Op::Ret { src: Reg(2) },
        ];
        assert_eq!(maybe_unassigned_reads(&ops, 1, 3), Vec::<u16>::new());
    }

    #[test]
    fn a_read_on_one_path_only_is_reported() {
        // r1 is written only when r0 is true; r2 is never written; r0 is a parameter.
        let ops = [
            Op::BranchIfNot {
                cond: Reg(0),
                target: Target(2),
            },
            Op::LoadInt {
                dst: Reg(1),
                value: 1,
            },
            Op::Print { src: Reg(1) },
            Op::Move {
                dst: Reg(3),
                src: Reg(2),
            },
            Op::Ret { src: Reg(3) },
        ];
        assert_eq!(maybe_unassigned_reads(&ops, 1, 4), vec![1, 2]);
    }

    #[test]
    fn loops_reach_a_fixed_point_and_ranges_count_as_reads() {
        // r1 is written inside the loop after its first read through the call range.
        let ops = [
            Op::LoadInt {
                dst: Reg(2),
                value: 0,
            },
            Op::MakeList {
                dst: Reg(3),
                items: crate::tape::op::RegRange::new(Reg(1), 2),
            },
            Op::LoadInt {
                dst: Reg(1),
                value: 0,
            },
            Op::BranchIf {
                cond: Reg(0),
                target: Target(1),
            },
            Op::Ret { src: Reg(3) },
        ];
        assert_eq!(maybe_unassigned_reads(&ops, 1, 4), vec![1]);
    }

    #[test]
    fn a_register_read_by_the_op_that_writes_it_is_reported() {
        let ops = [
            Op::Add {
                dst: Reg(1),
                lhs: Reg(1),
                rhs: Reg(0),
            },
            Op::Ret { src: Reg(1) },
        ];
        assert_eq!(maybe_unassigned_reads(&ops, 1, 2), vec![1]);
    }
}

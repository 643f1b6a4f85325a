//! Register allocation for one Tape function.
//!
//! Takes allocation and release requests from the lowering; produces register numbers and
//! the frame size. ITree terms are lexically scoped, so most registers follow a stack
//! discipline: a binding's register lives at most until the end of the term that the binding
//! scopes, a temporary until the op that consumes it, and both are released by returning to a
//! mark (everything allocated since the mark is freed). On top of that a binding whose last
//! use has been lowered is freed on its own ([`RegStack::free`], driven by the use counts of
//! `tape::liveness`), and its register becomes a hole that the next single allocation reuses
//! (lowest first). So long straight-line code needs as many registers as it has values live
//! at once, not one per statement. Parameters occupy `r0 .. r<params>` for the whole function.
//! Contiguous blocks (call arguments, aggregate items, effect arguments) are always taken from
//! the top, above every allocated register, so an argument's own temporaries never clobber
//! it. The frame size is the high-water mark of the top.

use std::collections::BTreeSet;

use avm_vm::tape::{Reg, RegRange};

/// A position of the allocation log, to release everything allocated after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark(usize);

/// The registers of one function.
#[derive(Debug)]
pub struct RegStack {
    /// Every allocation in order; `None` where the register was freed on its own since.
    log: Vec<Option<u16>>,
    /// Per register, its position in `log` while it is allocated.
    slot: Vec<Option<usize>>,
    /// Free registers below `top`.
    holes: BTreeSet<u16>,
    /// One past the highest allocated register.
    top: u32,
    /// The highest `top` reached: the frame size.
    high: u32,
    /// The parameter registers, allocated for the whole function.
    params: u32,
}

/// The stack would exceed the 65 536 registers a Tape frame can address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRegisters;

impl RegStack {
    /// A stack whose first `params` registers hold the parameters.
    pub fn new(params: u16) -> RegStack {
        RegStack {
            log: Vec::new(),
            slot: vec![None; usize::from(params)],
            holes: BTreeSet::new(),
            top: u32::from(params),
            high: u32::from(params),
            params: u32::from(params),
        }
    }

    fn take(&mut self, r: u16) {
        let i = usize::from(r);
        if self.slot.len() <= i {
            self.slot.resize(i + 1, None);
        }
        self.slot[i] = Some(self.log.len());
        self.log.push(Some(r));
    }

    /// One fresh register: the lowest hole, else the top.
    pub fn alloc(&mut self) -> Result<Reg, OutOfRegisters> {
        if let Some(h) = self.holes.pop_first() {
            self.take(h);
            return Ok(Reg(h));
        }
        Ok(self.alloc_block(1)?.start)
    }

    /// `count` fresh, contiguous registers at the top (the canonical empty range for
    /// `count == 0`).
    pub fn alloc_block(&mut self, count: usize) -> Result<RegRange, OutOfRegisters> {
        if count == 0 {
            return Ok(RegRange::EMPTY);
        }
        let len = u16::try_from(count).map_err(|_| OutOfRegisters)?;
        let start = u16::try_from(self.top).map_err(|_| OutOfRegisters)?;
        let end = self.top + u32::from(len);
        if end > u32::from(u16::MAX) {
            return Err(OutOfRegisters);
        }
        for r in start..start + len {
            self.take(r);
        }
        self.top = end;
        self.high = self.high.max(end);
        Ok(RegRange::new(Reg(start), len))
    }

    /// The current position, to [`RegStack::release`] to later.
    pub fn mark(&self) -> Mark {
        Mark(self.log.len())
    }

    /// Frees every register allocated since `mark` (and not freed on its own already).
    pub fn release(&mut self, mark: Mark) {
        while self.log.len() > mark.0 {
            if let Some(Some(r)) = self.log.pop() {
                self.slot[usize::from(r)] = None;
                self.give_back(r);
            }
        }
    }

    /// Frees `reg` now (a binding whose last use is lowered). Parameters and registers not
    /// allocated are left alone.
    pub fn free(&mut self, reg: Reg) {
        let i = usize::from(reg.0);
        if let Some(Some(at)) = self.slot.get(i).copied() {
            self.slot[i] = None;
            self.log[at] = None;
            self.give_back(reg.0);
        }
    }

    fn give_back(&mut self, r: u16) {
        if u32::from(r) + 1 == self.top {
            self.top -= 1;
            while self.top > self.params {
                let below = u16::try_from(self.top - 1).unwrap_or(u16::MAX);
                if !self.holes.remove(&below) {
                    break;
                }
                self.top -= 1;
            }
        } else {
            self.holes.insert(r);
        }
    }

    /// The frame size: the most registers live at once.
    pub fn frame_size(&self) -> u16 {
        // `high` never exceeds u16::MAX: alloc_block refuses to go past it.
        u16::try_from(self.high).unwrap_or(u16::MAX)
    }
}

/// The `i`-th register of a block.
pub fn nth(block: RegRange, i: usize) -> Reg {
    // Callers index below `block.len`, which fits in u16 together with `start`.
    Reg(block.start.0 + u16::try_from(i).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_discipline_reuses_registers_and_tracks_the_high_water_mark() {
        let mut regs = RegStack::new(2);
        let m = regs.mark();
        assert_eq!(regs.alloc(), Ok(Reg(2)));
        let block = regs.alloc_block(3).expect("block");
        assert_eq!((block.start, block.len), (Reg(3), 3));
        assert_eq!(nth(block, 2), Reg(5));
        regs.release(m);
        assert_eq!(regs.alloc(), Ok(Reg(2)));
        assert_eq!(regs.frame_size(), 6);
        assert_eq!(regs.alloc_block(0), Ok(RegRange::EMPTY));
        assert_eq!(regs.alloc_block(70_000), Err(OutOfRegisters));
    }

    #[test]
    fn a_register_freed_on_its_own_is_reused_and_not_freed_twice() {
        let mut regs = RegStack::new(1);
        let outer = regs.mark();
        let a = regs.alloc().expect("a");
        let b = regs.alloc().expect("b");
        let c = regs.alloc().expect("c");
        assert_eq!((a, b, c), (Reg(1), Reg(2), Reg(3)));
        regs.free(a);
        // A single allocation takes the hole; a block goes above everything allocated.
        let inner = regs.mark();
        assert_eq!(regs.alloc(), Ok(Reg(1)));
        let block = regs.alloc_block(2).expect("block");
        assert_eq!(block.start, Reg(4));
        regs.release(inner);
        // `a`'s old slot was freed by the release (it was reallocated after the mark); `b`
        // and `c` are still allocated.
        assert_eq!(regs.alloc(), Ok(Reg(1)));
        regs.free(c);
        regs.free(c);
        assert_eq!(regs.alloc(), Ok(Reg(3)));
        regs.release(outer);
        assert_eq!(regs.alloc(), Ok(Reg(1)));
        assert_eq!(regs.frame_size(), 6);
        // Parameters are never freed.
        regs.free(Reg(0));
        assert_eq!(regs.alloc(), Ok(Reg(2)));
    }

    #[test]
    fn freeing_the_top_lowers_it_past_holes() {
        let mut regs = RegStack::new(0);
        let r: Vec<Reg> = (0..4).map(|_| regs.alloc().expect("reg")).collect();
        regs.free(r[1]);
        regs.free(r[2]);
        regs.free(r[3]);
        // r1..r3 are free again, so a block of three starts at r1.
        assert_eq!(regs.alloc_block(3).expect("block").start, Reg(1));
    }
}

//! The bindings visible while lowering one Tape function: name → register, innermost first.
//!
//! Takes bindings as the lowering meets them and scope ends as lengths to truncate to;
//! produces the register of a name in O(1). A plain list searched from the end costs the
//! number of bindings in scope per lookup, which made a long straight-line function (70,000
//! `let`s each reading the first one) quadratic to lower.

use avm_vm::itree::Name;
use avm_vm::tape::Reg;
use rustc_hash::FxHashMap;

/// Whether a binding's register was allocated for it (and may be freed after its last use)
/// or is shared with something else (a parameter, another binding, a pattern's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The register was allocated for this binding.
    Owner,
    /// The register belongs to something else, or was freed already.
    Sharer,
}

/// The visible bindings (see the module docs).
#[derive(Debug, Default)]
pub struct Env {
    /// Every binding in order, to undo the ones a scope made.
    order: Vec<Name>,
    /// Per name, its registers, innermost last.
    regs: FxHashMap<Name, Vec<(Reg, Holder)>>,
}

impl Env {
    /// The bindings `names[i] → r<i>` (a function's parameters).
    pub fn params(names: &[Name]) -> Env {
        let mut env = Env::default();
        for (i, n) in names.iter().enumerate() {
            env.push(
                n.clone(),
                Reg(u16::try_from(i).unwrap_or(0)),
                Holder::Sharer,
            );
        }
        env
    }

    /// How many bindings are in scope (to [`Env::truncate`] to later).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no binding is in scope.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Binds `name` to `reg`, shadowing an outer binding of the name.
    pub fn push(&mut self, name: Name, reg: Reg, holder: Holder) {
        self.regs
            .entry(name.clone())
            .or_default()
            .push((reg, holder));
        self.order.push(name);
    }

    /// The register the innermost binding of `name` owns, handed over once: the binding is a
    /// [`Holder::Sharer`] afterwards, so the register is not freed twice.
    pub fn take_owned(&mut self, name: &Name) -> Option<Reg> {
        let last = self.regs.get_mut(name)?.last_mut()?;
        match last.1 {
            Holder::Owner => {
                last.1 = Holder::Sharer;
                Some(last.0)
            }
            Holder::Sharer => None,
        }
    }

    /// Ends the bindings made after the first `len`.
    pub fn truncate(&mut self, len: usize) {
        while self.order.len() > len {
            let Some(name) = self.order.pop() else { break };
            if let Some(stack) = self.regs.get_mut(&name) {
                stack.pop();
                if stack.is_empty() {
                    self.regs.remove(&name);
                }
            }
        }
    }

    /// The register of the innermost binding of `name`.
    pub fn get(&self, name: &Name) -> Option<Reg> {
        self.regs.get(name).and_then(|s| s.last()).map(|(r, _)| *r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_bindings_shadow_and_truncation_restores_the_outer() {
        let x: Name = "x".into();
        let mut env = Env::params(std::slice::from_ref(&x));
        assert_eq!(env.get(&x), Some(Reg(0)));
        let mark = env.len();
        env.push(x.clone(), Reg(5), Holder::Owner);
        env.push("y".into(), Reg(6), Holder::Sharer);
        assert_eq!(env.get(&x), Some(Reg(5)));
        assert_eq!(env.take_owned(&x), Some(Reg(5)));
        assert_eq!(env.take_owned(&x), None);
        assert_eq!(env.take_owned(&"y".into()), None);
        env.truncate(mark);
        assert_eq!(env.get(&x), Some(Reg(0)));
        assert_eq!(env.get(&"y".into()), None);
    }
}

//! The pure-function registry.
//!
//! Takes registrations and updates and keeps the spec's `PureFunctions` map (`semantics.md` §1):
//! for each registry name, the implementing function (a function of the running program, named),
//! a version counter (0 at registration, +1 per update) and a content hash (a hash of the
//! implementing function's name; the spec's is a placeholder 0).

use crate::error::PureError;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// The spec's `FunctionEntry`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionEntry {
    /// The name of the program function implementing this entry.
    pub implementation: Rc<str>,
    /// 0 at registration, +1 per update.
    pub version: u64,
    /// A hash of the implementation's name.
    pub content_hash: u64,
}

impl FunctionEntry {
    fn new(implementation: Rc<str>, version: u64) -> Self {
        let mut h = FxHasher::default();
        implementation.hash(&mut h);
        FunctionEntry {
            implementation,
            version,
            content_hash: h.finish(),
        }
    }
}

/// Registry name → entry.
#[derive(Clone, Debug, Default)]
pub struct PureRegistry {
    entries: FxHashMap<Rc<str>, FunctionEntry>,
}

impl PureRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        PureRegistry::default()
    }

    /// The entry registered under `name`.
    pub fn get(&self, name: &str) -> Option<&FunctionEntry> {
        self.entries.get(name)
    }

    /// Every registered name, sorted.
    pub fn names(&self) -> Vec<Rc<str>> {
        let mut names: Vec<Rc<str>> = self.entries.keys().cloned().collect();
        names.sort_unstable();
        names
    }

    /// `registerPure`: fails if the name is taken.
    pub fn register(&mut self, name: Rc<str>, implementation: Rc<str>) -> Result<(), PureError> {
        if self.entries.contains_key(&name) {
            return Err(PureError::ErrFunctionAlreadyRegistered(name));
        }
        self.entries
            .insert(name, FunctionEntry::new(implementation, 0));
        Ok(())
    }

    /// Puts back an entry as a durable store kept it (name, implementation, version).
    pub fn restore(&mut self, name: Rc<str>, implementation: Rc<str>, version: u64) {
        self.entries
            .insert(name, FunctionEntry::new(implementation, version));
    }

    /// `updatePure`: fails if the name is missing; bumps the version.
    pub fn update(&mut self, name: &Rc<str>, implementation: Rc<str>) -> Result<(), PureError> {
        match self.entries.get_mut(name) {
            None => Err(PureError::ErrFunctionNotFound(name.clone())),
            Some(entry) => {
                *entry = FunctionEntry::new(implementation, entry.version + 1);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_update_versions() {
        let mut r = PureRegistry::new();
        let gcd: Rc<str> = Rc::from("gcd");
        r.register(gcd.clone(), Rc::from("gcd_slow"))
            .expect("fresh name");
        assert_eq!(
            r.register(gcd.clone(), Rc::from("x")),
            Err(PureError::ErrFunctionAlreadyRegistered(gcd.clone()))
        );
        r.update(&gcd, Rc::from("gcd_fast")).expect("registered");
        let e = r.get("gcd").expect("registered");
        assert_eq!((e.implementation.as_ref(), e.version), ("gcd_fast", 1));
        let nope: Rc<str> = Rc::from("nope");
        assert_eq!(
            r.update(&nope, Rc::from("x")),
            Err(PureError::ErrFunctionNotFound(nope))
        );
    }
}

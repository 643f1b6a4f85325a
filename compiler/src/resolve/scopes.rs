//! The local scopes of the resolver: the names bound in each open block, innermost last.
//!
//! Takes scope openings and closings and bindings as the walk meets them; produces the binder
//! of a name in O(1) ([`Scopes::lookup`]). A search through every open scope cost the number
//! of bindings in scope per lookup, which made a long function (70,000 `let`s each reading the
//! first one) quadratic to resolve.

use rustc_hash::FxHashMap;

use crate::syntax::ast::NodeId;

/// The open scopes (see the module docs).
#[derive(Debug, Default)]
pub struct Scopes {
    /// Per open scope, its bindings in order.
    frames: Vec<Vec<(String, NodeId)>>,
    /// Per name, its binders in the open scopes, innermost last.
    index: FxHashMap<String, Vec<NodeId>>,
}

impl Scopes {
    /// Opens a scope with the bindings `frame` (usually none yet).
    pub fn push(&mut self, frame: Vec<(String, NodeId)>) {
        for (name, id) in &frame {
            self.index.entry(name.clone()).or_default().push(*id);
        }
        self.frames.push(frame);
    }

    /// Closes the innermost scope.
    pub fn pop(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        for (name, _) in frame.iter().rev() {
            if let Some(ids) = self.index.get_mut(name) {
                ids.pop();
                if ids.is_empty() {
                    self.index.remove(name);
                }
            }
        }
    }

    /// Binds `name` in the innermost scope (nothing when no scope is open).
    pub fn bind(&mut self, name: String, id: NodeId) {
        if let Some(frame) = self.frames.last_mut() {
            self.index.entry(name.clone()).or_default().push(id);
            frame.push((name, id));
        }
    }

    /// The binder of the innermost binding of `name`.
    pub fn lookup(&self, name: &str) -> Option<NodeId> {
        self.index.get(name).and_then(|ids| ids.last().copied())
    }

    /// The open scopes, outermost first.
    pub fn iter(&self) -> impl Iterator<Item = &Vec<(String, NodeId)>> {
        self.frames.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_bindings_shadow_until_their_scope_closes() {
        let mut s = Scopes::default();
        s.bind("x".into(), NodeId(9));
        assert_eq!(s.lookup("x"), None, "no scope open");
        s.push(Vec::new());
        s.bind("x".into(), NodeId(1));
        s.push(Vec::new());
        s.bind("x".into(), NodeId(2));
        s.bind("x".into(), NodeId(3));
        assert_eq!(s.lookup("x"), Some(NodeId(3)));
        s.pop();
        assert_eq!(s.lookup("x"), Some(NodeId(1)));
        s.pop();
        assert_eq!(s.lookup("x"), None);
    }
}

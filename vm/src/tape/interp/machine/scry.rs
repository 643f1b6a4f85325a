//! `fx.scryMeta` / `fx.scryDeep` in the Tape machine: the predicate runs as ordinary frames.
//!
//! Takes the interpreter state and a scry's predicate function; produces the scry's progress
//! on the scry stack (`ScryState`), one predicate frame per candidate, and the list of kept
//! items when the last predicate returned.

use super::Interp;
use crate::error::AvmError;
use crate::isa::{self, Safety};
use crate::tape::effect::EffectKind;
use crate::tape::interp::frame::{FrameKind, ScryKind, ScryState};
use crate::tape::op::Reg;
use crate::value::Val;
use crate::world::World;

impl Interp<'_> {
    /// first; `Some([])` at once when there are none.
    pub(super) fn scry(
        &mut self,
        world: &mut World,
        kind: EffectKind,
        predicate: u32,
        safety: Safety,
        dst: Reg,
    ) -> Result<Option<Val>, AvmError> {
        let scry_kind = if kind == EffectKind::ScryDeep {
            ScryKind::Deep
        } else {
            ScryKind::Meta
        };
        let candidates = isa::reflect::scry_candidates(world, safety, kind.name())?;
        if candidates.is_empty() {
            return Ok(Some(Val::list(Vec::new())));
        }
        self.scrys.push(ScryState {
            kind: scry_kind,
            predicate,
            candidates,
            next: 0,
            kept: Vec::new(),
        });
        self.push_predicate(dst)?;
        Ok(None)
    }

    /// Pushes the predicate frame for the current candidate of the innermost scry.
    pub(super) fn push_predicate(&mut self, dst: Reg) -> Result<(), AvmError> {
        let Some(state) = self.scrys.last() else {
            return Ok(());
        };
        let Some(c) = state.candidates.get(state.next) else {
            return Ok(());
        };
        let predicate = state.predicate;
        let meta = c.meta.to_val();
        match state.kind {
            ScryKind::Meta => self.push_frame(predicate, dst, FrameKind::Scry, &[meta]),
            ScryKind::Deep => {
                let behaviour = Val::Str(c.behaviour.clone());
                self.push_frame(predicate, dst, FrameKind::Scry, &[behaviour, meta])
            }
        }
    }

    /// A predicate returned `keep`: records the candidate if kept, then runs the next
    /// predicate (`None`) or finishes the scry with the kept items (`Some(list)`).
    pub(super) fn scry_next(&mut self, keep: Val, dst: u16) -> Result<Option<Val>, AvmError> {
        let keep = keep.as_bool()?;
        let Some(state) = self.scrys.last_mut() else {
            return Ok(Some(Val::list(Vec::new())));
        };
        if keep && let Some(c) = state.candidates.get(state.next) {
            state.kept.push(match state.kind {
                ScryKind::Meta => isa::reflect::scry_meta_item(c),
                ScryKind::Deep => isa::reflect::scry_deep_item(c),
            });
        }
        state.next += 1;
        if state.next < state.candidates.len() {
            self.push_predicate(Reg(dst))?;
            return Ok(None);
        }
        let kept = self.scrys.pop().map(|s| s.kept).unwrap_or_default();
        Ok(Some(Val::list(kept)))
    }
}

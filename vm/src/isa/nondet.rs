//! Nondet family (`isa.md` §11): `choose` and `require`, resolved when the enclosing
//! transaction commits.
//!
//! Takes the options of `choose` / the truth of `require` and the execution; produces the chosen
//! value and records choice points and failed requirements in the innermost transaction's
//! `ChoiceState`. At `commitTx`, the interpreter first calls [`check_commit`]: when a requirement
//! of this run failed, the run is discarded (savepoint, constraint store, trace, clock and context
//! restored to just after `beginTx`), the next choice assignment is set up (depth-first, first
//! option first: the lexicographically next vector of option indices), and the interpreter
//! restores its own continuation from `beginTx` and re-runs ([`CommitCheck::Retry`]). When no
//! assignment is left, the commit fails with `NondetError::ErrUnsatisfiable` naming a smallest
//! set found of requirements that fail together in every run (a hitting set of the runs'
//! failure sets: greedy, then minimised by deletion). Outside a transaction `choose` returns the
//! first option and `require false` fails at once with `ErrRequirementFailed`.

use crate::error::{AvmError, NondetError, RequireSite};
use crate::exec::Execution;
use crate::ids::TxId;
use crate::isa::tx::undo_fd;
use crate::tx::ChoiceState;
use crate::value::Val;
use crate::world::World;

/// What the interpreter must do at `commitTx`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitCheck {
    /// Every requirement of the run held: commit as usual.
    Proceed,
    /// The run was discarded and the transaction re-opened with the next choices: restore the
    /// continuation saved at `beginTx` and run again.
    Retry,
}

/// `choose options`: the option the current choice assignment names (the first by default).
pub fn choose(exec: &mut Execution, options: &Val) -> Result<Val, AvmError> {
    let options = options.as_list()?;
    if options.is_empty() {
        return Err(NondetError::ErrEmptyChoice.into());
    }
    let index = match exec.txs.top_mut() {
        None => 0,
        Some(sp) => {
            let state = &mut sp.choices;
            let k = state.points.len();
            let index = state
                .script
                .get(k)
                .copied()
                .filter(|i| *i < options.len())
                .unwrap_or(0);
            state.points.push((index, options.len()));
            index
        }
    };
    Ok(options[index].clone())
}

/// `require holds`: records the requirement; outside a transaction a failed one is an error.
pub fn require(exec: &mut Execution, holds: bool) -> Result<Val, AvmError> {
    match exec.txs.top_mut() {
        None => {
            exec.requires_outside_tx += 1;
            if !holds {
                return Err(NondetError::ErrRequirementFailed(RequireSite(
                    exec.requires_outside_tx,
                ))
                .into());
            }
        }
        Some(sp) => {
            sp.choices.requires += 1;
            if !holds {
                let site = RequireSite(sp.choices.requires);
                sp.choices.failed.push(site);
            }
        }
    }
    Ok(Val::Unit)
}

/// Called by an interpreter before `commitTx id`. Leaves everything alone when `id` is not the
/// innermost transaction (the commit reports that) or every requirement held.
pub fn check_commit(
    exec: &mut Execution,
    world: &mut World,
    id: TxId,
) -> Result<CommitCheck, AvmError> {
    let Some(sp) = exec.txs.top_mut() else {
        return Ok(CommitCheck::Proceed);
    };
    if sp.id != id || sp.choices.failed.is_empty() {
        return Ok(CommitCheck::Proceed);
    }
    let failed = std::mem::take(&mut sp.choices.failed);
    sp.choices.failure_sets.push(failed);
    let runs = sp.choices.runs_discarded + 1;
    let next = next_assignment(&sp.choices.points);
    let failure_sets = std::mem::take(&mut sp.choices.failure_sets);
    let restart = sp.choices.restart.take();
    // Drop this run's savepoint and constraint-store changes.
    let mark = exec.txs.abort_top().and_then(|sp| sp.fd_mark);
    undo_fd(exec, mark);
    let (Some(script), Some(restart)) = (next, restart) else {
        return Err(NondetError::ErrUnsatisfiable {
            tx: id,
            conflict: smallest_conflict(&failure_sets),
            runs,
        }
        .into());
    };
    exec.txs.push(id);
    exec.txs.controller = restart.controller.clone();
    exec.ctx = restart.ctx.clone();
    exec.trace.truncate(restart.trace_len);
    world.clock = restart.clock;
    let mark = exec.fd.mark();
    if let Some(top) = exec.txs.top_mut() {
        top.fd_mark = Some(mark);
        top.choices = ChoiceState {
            script,
            failure_sets,
            runs_discarded: runs,
            restart: Some(restart),
            ..ChoiceState::default()
        };
    }
    Ok(CommitCheck::Retry)
}

/// The next choice assignment after `points` in depth-first order: the last choice point with
/// an untried option moves to it, later ones start again at their first option.
pub fn next_assignment(points: &[(usize, usize)]) -> Option<Vec<usize>> {
    let last = points
        .iter()
        .rposition(|(chosen, count)| chosen + 1 < *count)?;
    let mut script: Vec<usize> = points[..last].iter().map(|(chosen, _)| *chosen).collect();
    script.push(points[last].0 + 1);
    Some(script)
}

/// A small set of requirements that meets every failure set (so they cannot all hold in any
/// run): greedy by coverage (ties: the earlier requirement), then minimised by deletion.
pub fn smallest_conflict(failure_sets: &[Vec<RequireSite>]) -> Vec<RequireSite> {
    let mut chosen: Vec<RequireSite> = Vec::new();
    let mut uncovered: Vec<&Vec<RequireSite>> = failure_sets.iter().collect();
    while !uncovered.is_empty() {
        let mut candidates: Vec<RequireSite> =
            uncovered.iter().flat_map(|s| s.iter()).copied().collect();
        candidates.sort_unstable();
        candidates.dedup();
        let best = candidates.iter().copied().max_by_key(|site| {
            let cover = uncovered.iter().filter(|s| s.contains(site)).count();
            (cover, std::cmp::Reverse(*site))
        });
        let Some(best) = best else {
            break;
        };
        chosen.push(best);
        uncovered.retain(|s| !s.contains(&best));
    }
    let hits_all = |set: &[RequireSite]| {
        failure_sets
            .iter()
            .all(|f| f.iter().any(|site| set.contains(site)))
    };
    let mut k = 0;
    while k < chosen.len() {
        let mut without = chosen.clone();
        without.remove(k);
        if hits_all(&without) {
            chosen = without;
        } else {
            k += 1;
        }
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_assignment_is_depth_first() {
        assert_eq!(next_assignment(&[(0, 2), (0, 3)]), Some(vec![0, 1]));
        assert_eq!(next_assignment(&[(0, 2), (2, 3)]), Some(vec![1]));
        assert_eq!(next_assignment(&[(1, 2), (2, 3)]), None);
        assert_eq!(next_assignment(&[]), None);
    }

    #[test]
    fn conflict_is_a_minimal_hitting_set() {
        let s = |xs: &[u32]| xs.iter().map(|x| RequireSite(*x)).collect::<Vec<_>>();
        // #3 fails in every run: it alone is the conflict.
        assert_eq!(
            smallest_conflict(&[s(&[1, 3]), s(&[2, 3]), s(&[3])]),
            s(&[3])
        );
        // #1 and #2 never hold together.
        assert_eq!(smallest_conflict(&[s(&[1]), s(&[2]), s(&[1])]), s(&[1, 2]));
        // Greedy picks #1 (covers two), deletion keeps what is needed.
        assert_eq!(
            smallest_conflict(&[s(&[1, 2]), s(&[1, 3]), s(&[2, 3])]),
            s(&[1, 2])
        );
    }
}

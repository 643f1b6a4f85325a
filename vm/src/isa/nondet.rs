//! Nondet family (`isa.md` §11): `choose` and `require`, resolved when the enclosing
//! transaction commits.
//!
//! Takes the options of `choose` / the operand of `require` (a Bool, or the requirement value
//! the compiler builds: its truth, source place and form, `crate::solver::ir`) and the
//! execution; produces the chosen value and records choice points (with their options) and
//! requirements in the innermost transaction's `ChoiceState`. At `commitTx`, the interpreter
//! first calls [`check_commit`]. When every requirement of the run held, the commit proceeds.
//! Otherwise, on the first run, the world's strategy (`crate::solver::Strategy`) may hand the
//! problem to the SMT solver: a model is replayed (the run is discarded and the body re-run
//! with the model's choices, every `require` evaluated again — a model that fails is
//! `ErrModelRejected`), an unsat core is the conflict. Else the search is depth-first: the run
//! is discarded (savepoint, constraint store, trace, clock and context restored to just after
//! `beginTx`), the next choice assignment is set up (first option first: the lexicographically
//! next vector of option indices), and the interpreter restores its own continuation from
//! `beginTx` and re-runs ([`CommitCheck::Retry`]). When no assignment is left, the commit fails
//! with `NondetError::ErrUnsatisfiable` naming a smallest set found of requirements that fail
//! together in every run (a hitting set of the runs' failure sets: greedy, then minimised by
//! deletion), with their source places. Outside a transaction `choose` returns the first option
//! and `require false` fails at once with `ErrRequirementFailed`.

use crate::error::{AvmError, ExecError, NondetError, RequireSite};
use crate::exec::Execution;
use crate::ids::TxId;
use crate::isa::tx::undo_fd;
use crate::solver::ir::{self, ChoiceVar, FdSnapshot, Problem, RequirePlace};
use crate::solver::{Answer, Recording, SolverNote, Strategy, smtlib};
use crate::tx::{ChoiceState, Replay};
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
            state.options.push(std::rc::Rc::from(options.to_vec()));
            index
        }
    };
    options.get(index).ok_or(NondetError::ErrEmptyChoice.into())
}

/// `require c`: records the requirement; outside a transaction a failed one is an error. `c`
/// is a Bool or a compiler-built requirement value (`crate::solver::ir::decode_requirement`).
pub fn require(exec: &mut Execution, operand: &Val) -> Result<Val, AvmError> {
    let Some(value) = ir::decode_requirement(operand) else {
        return Err(AvmError::Exec(ExecError::TypeMismatch {
            expected: "Bool",
            found: operand.kind_name(),
        }));
    };
    match exec.txs.top_mut() {
        None => {
            exec.requires_outside_tx += 1;
            if !value.holds {
                return Err(NondetError::ErrRequirementFailed(RequireSite(
                    exec.requires_outside_tx,
                ))
                .into());
            }
        }
        Some(sp) => {
            let state = &mut sp.choices;
            state.requires += 1;
            let site = RequireSite(state.requires);
            if !value.holds {
                state.failed.push(site);
                if let Some(place) = &value.place
                    && !state.places.iter().any(|(s, _)| *s == site)
                {
                    state.places.push((site, place.clone()));
                }
            }
            let before = state.points.len();
            state.records.push((value, before));
        }
    }
    Ok(Val::Unit)
}

/// The problem a run recorded.
fn problem_of(id: TxId, state: &ChoiceState, fd: FdSnapshot) -> Problem {
    Problem {
        tx: id,
        choices: state
            .options
            .iter()
            .map(|o| ChoiceVar { options: o.clone() })
            .collect(),
        requirements: state
            .records
            .iter()
            .map(|(value, before)| ir::requirement(value, *before))
            .collect(),
        fd,
    }
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
    if sp.id != id {
        return Ok(CommitCheck::Proceed);
    }
    let first_run = sp.choices.runs_discarded == 0 && sp.choices.replay == Replay::Search;
    let state = &sp.choices;
    if first_run
        && world.nondet.recording == Recording::On
        && !(state.points.is_empty() && state.records.is_empty())
    {
        let problem = problem_of(id, state, FdSnapshot::of(&exec.fd));
        world.nondet.recorded.push(problem);
    }
    let Some(sp) = exec.txs.top_mut() else {
        return Ok(CommitCheck::Proceed);
    };
    if sp.choices.failed.is_empty() {
        return Ok(CommitCheck::Proceed);
    }
    if sp.choices.replay == Replay::Model {
        let site = sp.choices.failed[0];
        let place = place_of(&sp.choices.places, site);
        if let Some(r) = &sp.choices.restart {
            exec.trace.truncate(r.trace_len);
            world.clock = r.clock;
        }
        discard_run(exec);
        return Err(NondetError::ErrModelRejected {
            tx: id,
            site,
            place,
        }
        .into());
    }
    if first_run && world.nondet.strategy != Strategy::Dfs && world.nondet.solver.is_some() {
        let problem = problem_of(id, &sp.choices, FdSnapshot::default());
        if let Some(check) = try_solver(exec, world, id, &problem)? {
            return Ok(check);
        }
    }
    search_on(exec, world, id)
}

fn place_of(places: &[(RequireSite, RequirePlace)], site: RequireSite) -> Option<RequirePlace> {
    places
        .iter()
        .find(|(s, _)| *s == site)
        .map(|(_, p)| p.clone())
}

/// Drops the run's savepoint and constraint-store changes (the transaction is closed).
fn discard_run(exec: &mut Execution) {
    let mark = exec.txs.abort_top().and_then(|sp| sp.fd_mark);
    undo_fd(exec, mark);
}

/// Hands the problem to the solver when the strategy says so: `Some(Retry)` with the model's
/// choices set up, an error for an unsat core or a failed solver, `None` to search
/// depth-first.
fn try_solver(
    exec: &mut Execution,
    world: &mut World,
    id: TxId,
    problem: &Problem,
) -> Result<Option<CommitCheck>, AvmError> {
    let query = match smtlib::encode(problem) {
        Ok(q) => q,
        Err(untranslatable) => {
            if world.nondet.strategy == Strategy::Smt {
                for (index, reason) in untranslatable {
                    world.nondet.notes.push(SolverNote::KeptDfs {
                        tx: id,
                        place: problem.requirements[index].place.clone(),
                        index,
                        reason,
                    });
                }
            }
            return Ok(None);
        }
    };
    if world.nondet.strategy == Strategy::Auto
        && crate::solver::search_space(problem) <= crate::solver::AUTO_DFS_LIMIT
    {
        return Ok(None);
    }
    let Some(solver) = world.nondet.solver.as_mut() else {
        return Ok(None);
    };
    let answer = solver.solve(&query);
    let Some(sp) = exec.txs.top_mut() else {
        return Ok(None);
    };
    let restart = sp.choices.restart.take();
    let places = std::mem::take(&mut sp.choices.places);
    discard_run(exec);
    if !matches!(answer, Ok(Answer::Sat(_)))
        && let Some(r) = &restart
    {
        // The transaction fails: nothing of the discarded run stays (its outputs included).
        exec.trace.truncate(r.trace_len);
        world.clock = r.clock;
    }
    match answer {
        Err(failure) => Err(NondetError::ErrSolver { tx: id, failure }.into()),
        Ok(Answer::Unsat(core)) => {
            let conflict = core.iter().map(|k| RequireSite(*k as u32 + 1)).collect();
            let places = core
                .iter()
                .filter_map(|k| problem.requirements.get(*k)?.place.clone())
                .collect();
            Err(NondetError::ErrUnsatisfiable {
                tx: id,
                conflict,
                places,
                runs: 1,
            }
            .into())
        }
        Ok(Answer::Sat(model)) => {
            let Some(restart) = restart else {
                return Err(NondetError::ErrSolver {
                    tx: id,
                    failure: crate::solver::SolverFailure::Io(
                        "the transaction has no restart point".into(),
                    ),
                }
                .into());
            };
            reopen(
                exec,
                world,
                id,
                ChoiceState {
                    script: model,
                    places,
                    replay: Replay::Model,
                    runs_discarded: 1,
                    restart: Some(restart),
                    ..ChoiceState::default()
                },
            );
            Ok(Some(CommitCheck::Retry))
        }
    }
}

/// Re-opens transaction `id` at its restart point with `choices` (the caller has discarded the
/// run).
fn reopen(exec: &mut Execution, world: &mut World, id: TxId, choices: ChoiceState) {
    let Some(restart) = choices.restart.as_ref() else {
        return;
    };
    exec.txs.push(id);
    exec.txs.controller = restart.controller.clone();
    exec.ctx = restart.ctx.clone();
    exec.trace.truncate(restart.trace_len);
    world.clock = restart.clock;
    let mark = exec.fd.mark();
    if let Some(top) = exec.txs.top_mut() {
        top.fd_mark = Some(mark);
        top.choices = choices;
    }
}

/// The depth-first step: discard the run and re-open with the next assignment, or fail with
/// the smallest conflict when none is left.
fn search_on(exec: &mut Execution, world: &mut World, id: TxId) -> Result<CommitCheck, AvmError> {
    let Some(sp) = exec.txs.top_mut() else {
        return Ok(CommitCheck::Proceed);
    };
    let failed = std::mem::take(&mut sp.choices.failed);
    sp.choices.failure_sets.push(failed);
    let runs = sp.choices.runs_discarded + 1;
    let next = next_assignment(&sp.choices.points);
    let failure_sets = std::mem::take(&mut sp.choices.failure_sets);
    let places = std::mem::take(&mut sp.choices.places);
    let restart = sp.choices.restart.take();
    discard_run(exec);
    let (Some(script), Some(restart)) = (next, restart) else {
        let conflict = smallest_conflict(&failure_sets);
        let places = conflict
            .iter()
            .filter_map(|site| place_of(&places, *site))
            .collect();
        return Err(NondetError::ErrUnsatisfiable {
            tx: id,
            conflict,
            places,
            runs,
        }
        .into());
    };
    reopen(
        exec,
        world,
        id,
        ChoiceState {
            script,
            failure_sets,
            places,
            runs_discarded: runs,
            restart: Some(restart),
            ..ChoiceState::default()
        },
    );
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

//! Reify family (`isa.md` §5): `reifyContext` (Safe), `reifyTxState` and `reifyConstraints`
//! (Unsafe).
//!
//! Takes the execution and produces the spec's reified records. `reifyTxState` reports the open
//! transaction stack flattened outermost-first under the innermost id. `reifyConstraints` reports
//! the execution's FD constraint store.

use crate::error::AvmError;
use crate::exec::Execution;
use crate::ids::ControllerId;
use crate::isa::{Safety, require_unsafe};
use crate::meta::{ReifiedConstraints, ReifiedContext, ReifiedTxState};
use crate::value::Val;

/// `reifyContext`; the controller is `"ambient"` when there is no transaction controller.
pub fn reify_context(exec: &Execution) -> ReifiedContext {
    ReifiedContext {
        self_id: exec.ctx.self_id,
        input: exec.ctx.input.clone(),
        sender: exec.ctx.sender,
        machine: exec.ctx.machine.clone(),
        controller: exec
            .txs
            .controller
            .clone()
            .unwrap_or_else(|| ControllerId::new("ambient")),
    }
}

/// `reifyTxState`: `None` outside a transaction.
pub fn reify_tx_state(
    exec: &Execution,
    safety: Safety,
) -> Result<Option<ReifiedTxState>, AvmError> {
    require_unsafe(safety, "reifyTxState")?;
    let Some(top) = exec.txs.top() else {
        return Ok(None);
    };
    let mut st = ReifiedTxState {
        tx: Some(top.id),
        writes: Vec::new(),
        creates: Vec::new(),
        destroys: Vec::new(),
        observed: Vec::new(),
    };
    for sp in &exec.txs.savepoints {
        st.writes.extend(sp.tx_log.iter().cloned());
        st.creates
            .extend(sp.create_order.iter().copied().filter(|id| {
                exec.txs
                    .savepoints
                    .iter()
                    .rev()
                    .find_map(|s| s.objects.get(id))
                    .is_some_and(|ov| !ov.destroyed)
            }));
        st.destroys.extend(sp.destroy_order.iter().copied());
        for id in &sp.observed {
            if !st.observed.contains(id) {
                st.observed.push(*id);
            }
        }
    }
    Ok(Some(st))
}

/// `reifyConstraints`: the constraint store's variables (creation order, domains ascending) and
/// the number of posted constraints, as the open transactions see them.
pub fn reify_constraints(exec: &Execution, safety: Safety) -> Result<ReifiedConstraints, AvmError> {
    require_unsafe(safety, "reifyConstraints")?;
    let store = exec.fd.snapshot();
    Ok(ReifiedConstraints {
        vars: store
            .vars
            .into_iter()
            .map(|(var, domain)| (var.0, domain.into_iter().map(Val::Int).collect()))
            .collect(),
        count: u64::try_from(store.constraint_count).unwrap_or(u64::MAX),
    })
}

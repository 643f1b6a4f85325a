//! FD family (`isa.md` §10): `newVar`, `narrow`, `post`, `label`, shared by both interpreters.
//!
//! Takes operand values (a domain is a `List` of `Int`; a constraint is a `Constraint` enum
//! variant, see [`decode_constraint`]) and the execution, runs the operation on the execution's
//! constraint store (`crate::fd`) and produces the spec's result (`VarId` as `Val::FdVar`, `Bool`,
//! the labelled `Int`) plus trace events (`VarCreated`, `ConstraintPosted`, `DomainNarrowed`,
//! `Labeled`, `FdFailed`; extensions without timestamps). Any domain wipe-out fails the
//! instruction with `FdError::ErrDomainWipeout` and leaves the store as before it (our decision,
//! `docs/spec-deviations.md`), so `narrow` and `post` return `true` whenever they return.

use crate::error::{AvmError, ExecError, FdError};
use crate::exec::Execution;
use crate::fd::{self, Comparison, Constraint, FdEvent, ValueOrder};
use crate::ids::VarId;
use crate::trace::EventType;
use crate::value::Val;
use crate::world::World;

/// The enum name of constraint values.
pub const CONSTRAINT_ENUM: &str = "Constraint";

fn engine_var(var: VarId) -> fd::VarId {
    fd::VarId(var.0)
}

fn vm_var(var: fd::VarId) -> VarId {
    VarId(var.0)
}

/// Converts an engine failure into the instruction's error.
fn fd_error(e: fd::FdError) -> FdError {
    match e {
        fd::FdError::UnknownVar(v) => FdError::ErrUnknownVar(vm_var(v)),
        fd::FdError::Wipeout { var, cause } => FdError::ErrDomainWipeout {
            var: vm_var(var),
            cause,
        },
        fd::FdError::BudgetExhausted { spent } => FdError::ErrGasExhausted { spent },
        // Marks are only undone by the transaction layer; an instruction never sees this.
        fd::FdError::StaleMark => FdError::ErrGasExhausted { spent: 0 },
    }
}

/// Moves the store's change log into the trace.
fn flush_events(exec: &mut Execution, world: &mut World) {
    for event in exec.fd.drain_events() {
        let event = match event {
            FdEvent::VarCreated { var, domain } => EventType::VarCreated(vm_var(var), domain),
            FdEvent::ConstraintPosted { constraint } => EventType::ConstraintPosted(constraint),
            FdEvent::NarrowRequested { .. } => continue,
            FdEvent::Labeled { var, value } => EventType::Labeled(vm_var(var), value),
            FdEvent::DomainNarrowed { var, domain } => {
                EventType::DomainNarrowed(vm_var(var), domain)
            }
            FdEvent::Failed { error } => EventType::FdFailed(fd_error(error)),
        };
        exec.log(world, event);
    }
}

/// Finishes an operation: flushes its events and converts its error.
fn finish<T>(
    exec: &mut Execution,
    world: &mut World,
    result: Result<T, fd::FdError>,
) -> Result<T, AvmError> {
    flush_events(exec, world);
    result.map_err(|e| fd_error(e).into())
}

/// The variable operand of `narrow` and `label`.
pub fn var_of(v: &Val) -> Result<VarId, AvmError> {
    match v {
        Val::FdVar(var) => Ok(*var),
        other => Err(ExecError::TypeMismatch {
            expected: "FdVar",
            found: other.kind_name(),
        }
        .into()),
    }
}

fn int(v: &Val) -> Result<i64, AvmError> {
    match v {
        Val::Int(i) => Ok(*i),
        other => Err(FdError::ErrNonIntegerValue(other.clone()).into()),
    }
}

/// The integers of a domain value (a `List` of `Int`).
pub fn domain_values(domain: &Val) -> Result<Vec<i64>, AvmError> {
    match domain {
        Val::List(items) => items.iter().map(|x| int(&x)).collect(),
        other => Err(FdError::ErrNonIntegerValue(other.clone()).into()),
    }
}

fn var_operand(v: &Val, whole: &Val) -> Result<fd::VarId, AvmError> {
    match v {
        Val::FdVar(var) => Ok(engine_var(*var)),
        _ => Err(FdError::ErrMalformedConstraint(whole.clone()).into()),
    }
}

/// Decodes a constraint value: `Constraint::Eq(x, y)`, `Neq`, `Leq`, `Lt`, `Geq`, `Gt` with two
/// `FdVar`s and an optional `Int` offset (`x op y + offset`); `ValEq(x, v)`, `ValNeq`, `ValLeq`,
/// `ValLt`, `ValGeq`, `ValGt` with an `FdVar` and an `Int`; `AllDiff(list of FdVar)`.
pub fn decode_constraint(value: &Val) -> Result<Constraint, AvmError> {
    let malformed = || -> AvmError { FdError::ErrMalformedConstraint(value.clone()).into() };
    let Val::Variant(v) = value else {
        return Err(malformed());
    };
    if v.enum_name() != CONSTRAINT_ENUM {
        return Err(malformed());
    }
    let name = v.variant();
    let compare = |op| -> Result<Constraint, AvmError> {
        match v.payload() {
            [x, y] => Ok(Constraint::compare(
                var_operand(x, value)?,
                op,
                var_operand(y, value)?,
                0,
            )),
            [x, y, offset] => Ok(Constraint::compare(
                var_operand(x, value)?,
                op,
                var_operand(y, value)?,
                int(offset)?,
            )),
            _ => Err(malformed()),
        }
    };
    let compare_value = |op| -> Result<Constraint, AvmError> {
        match v.payload() {
            [x, c] => Ok(Constraint::compare_value(
                var_operand(x, value)?,
                op,
                int(c)?,
            )),
            _ => Err(malformed()),
        }
    };
    match name {
        "Eq" => compare(Comparison::Eq),
        "Neq" => compare(Comparison::Neq),
        "Leq" => compare(Comparison::Leq),
        "Lt" => compare(Comparison::Lt),
        "Geq" => compare(Comparison::Geq),
        "Gt" => compare(Comparison::Gt),
        "ValEq" => compare_value(Comparison::Eq),
        "ValNeq" => compare_value(Comparison::Neq),
        "ValLeq" => compare_value(Comparison::Leq),
        "ValLt" => compare_value(Comparison::Lt),
        "ValGeq" => compare_value(Comparison::Geq),
        "ValGt" => compare_value(Comparison::Gt),
        "AllDiff" => match v.payload() {
            [Val::List(vars)] => Ok(Constraint::all_diff(
                vars.iter()
                    .map(|x| var_operand(&x, value))
                    .collect::<Result<Vec<_>, _>>()?,
            )),
            _ => Err(malformed()),
        },
        _ => Err(malformed()),
    }
}

/// `newVar domain`: a fresh variable (`Val::FdVar`). An empty domain is a wipe-out.
pub fn new_var(exec: &mut Execution, world: &mut World, domain: &Val) -> Result<Val, AvmError> {
    let values = domain_values(domain)?;
    let result = exec.fd.new_var(values);
    finish(exec, world, result).map(|v| Val::FdVar(vm_var(v)))
}

/// `narrow var domain`: intersects and propagates; `true`, or a wipe-out error.
pub fn narrow(
    exec: &mut Execution,
    world: &mut World,
    var: VarId,
    domain: &Val,
) -> Result<Val, AvmError> {
    let values = domain_values(domain)?;
    let result = exec.fd.narrow(engine_var(var), values, &mut exec.fd_gas);
    finish(exec, world, result).map(|_| Val::Bool(true))
}

/// `post constraint`: adds it and propagates; `true`, or a wipe-out error.
pub fn post(exec: &mut Execution, world: &mut World, constraint: &Val) -> Result<Val, AvmError> {
    let constraint = decode_constraint(constraint)?;
    let result = exec.fd.post(constraint, &mut exec.fd_gas);
    finish(exec, world, result).map(|_| Val::Bool(true))
}

/// `label var`: the smallest value of the domain that survives propagation. A value whose
/// propagation wipes out a domain is refuted: it is removed from the domain (in the current
/// transaction, so an abort brings it back) and the next one is tried. Fails with
/// `ErrDomainWipeout` when every value is refuted (the store then holds the refutations).
pub fn label(exec: &mut Execution, world: &mut World, var: VarId) -> Result<Val, AvmError> {
    let x = engine_var(var);
    loop {
        let candidate = match exec.fd.domain(x) {
            Ok(d) => d.min(),
            Err(e) => return finish(exec, world, Err(e)),
        };
        let result = exec.fd.label(x, ValueOrder::Smallest, &mut exec.fd_gas);
        match (result, candidate) {
            (Ok(value), _) => {
                flush_events(exec, world);
                return Ok(Val::Int(value));
            }
            (Err(fd::FdError::Wipeout { .. }), Some(refuted)) => {
                flush_events(exec, world);
                let rest: Vec<i64> = match exec.fd.domain(x) {
                    Ok(d) => d.iter().filter(|v| *v != refuted).collect(),
                    Err(e) => return finish(exec, world, Err(e)),
                };
                let narrowed = exec.fd.narrow(x, rest, &mut exec.fd_gas);
                finish(exec, world, narrowed)?;
            }
            (Err(e), _) => return finish(exec, world, Err(e)),
        }
    }
}

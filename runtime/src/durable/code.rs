//! Behaviour code kept in the world by content hash.
//!
//! Takes a Tape program; produces, per behaviour, a self-contained code unit (the behaviour and
//! every function its dispatch function reaches, with the constants and strings they use, span
//! tables dropped so that moving code in a file does not change it) and its content hash; and
//! merges stored units into a program under pinned names (`Bank@<hash>`, functions
//! `Bank.deposit@<hash>`), so that objects created with older code keep running it.

use super::format::{content_hash, pinned_name};
use avm_vm::tape::op::{ConstIdx, FuncIdx, Op, StrIdx};
use avm_vm::tape::program::{Behaviour, Program};
use rustc_hash::FxHashMap;
use std::collections::VecDeque;

/// An index operand of an op.
enum Index<'a> {
    Func(&'a mut FuncIdx),
    Const(&'a mut ConstIdx),
    Str(&'a mut StrIdx),
}

/// Calls `f` on every function, constant and string index operand of `op`.
fn for_each_index(op: &mut Op, f: &mut dyn FnMut(Index<'_>)) {
    match op {
        Op::LoadConst { idx, .. } => f(Index::Const(idx)),
        Op::MakeRecord { name, .. } => f(Index::Str(name)),
        Op::MakeVariant {
            enum_name, variant, ..
        }
        | Op::IsVariant {
            enum_name, variant, ..
        } => {
            f(Index::Str(enum_name));
            f(Index::Str(variant));
        }
        Op::Call { func, .. } | Op::TailCall { func, .. } | Op::EffectWithFunction { func, .. } => {
            f(Index::Func(func))
        }
        Op::Fail { message } => f(Index::Str(message)),
        _ => {}
    }
}

/// A behaviour's code unit: a program with that one behaviour, the functions its dispatch
/// function reaches (renumbered in the order reached), and the constants and strings they use.
pub fn extract(program: &Program, behaviour: &Behaviour) -> Program {
    let mut unit = Program::default();
    let mut funcs: FxHashMap<u32, u32> = FxHashMap::default();
    let mut consts: FxHashMap<u32, u32> = FxHashMap::default();
    let mut strings: FxHashMap<u32, u32> = FxHashMap::default();
    let mut queue: VecDeque<u32> = VecDeque::new();
    funcs.insert(behaviour.dispatch.0, 0);
    queue.push_back(behaviour.dispatch.0);
    let mut order: Vec<u32> = Vec::new();
    while let Some(old) = queue.pop_front() {
        order.push(old);
        let Some(function) = program.function(FuncIdx(old)) else {
            continue;
        };
        let mut function = function.clone();
        function.spans.clear();
        for op in &mut function.ops {
            for_each_index(op, &mut |ix| match ix {
                Index::Func(f) => {
                    let next = u32::try_from(funcs.len()).unwrap_or(u32::MAX);
                    let new = *funcs.entry(f.0).or_insert_with(|| {
                        queue.push_back(f.0);
                        next
                    });
                    *f = FuncIdx(new);
                }
                Index::Const(c) => {
                    let next = u32::try_from(consts.len()).unwrap_or(u32::MAX);
                    let new = *consts.entry(c.0).or_insert_with(|| {
                        if let Some(k) = program.constants.get(c.0 as usize) {
                            unit.constants.push(k.clone());
                        }
                        next
                    });
                    *c = ConstIdx(new);
                }
                Index::Str(s) => {
                    let next = u32::try_from(strings.len()).unwrap_or(u32::MAX);
                    let new = *strings.entry(s.0).or_insert_with(|| {
                        if let Some(text) = program.string(*s) {
                            unit.strings.push(text.to_string());
                        }
                        next
                    });
                    *s = StrIdx(new);
                }
            });
        }
        unit.functions.push(function);
    }
    unit.behaviours.push(Behaviour {
        name: behaviour.name.clone(),
        dispatch: FuncIdx(0),
        fields: behaviour.fields.clone(),
    });
    unit
}

/// The content hash of a code unit (of its binary Tape form); `None` if it cannot be encoded.
pub fn unit_hash(unit: &Program) -> Option<(u64, Vec<u8>)> {
    let bytes = avm_vm::tape::binary::encode(unit).ok()?;
    Some((content_hash(&bytes), bytes))
}

/// Appends a stored code unit (hash `code`) to `program`: its functions renamed
/// `name@<hash>`, its behaviour named [`pinned_name`], every index operand shifted.
pub fn merge(program: &mut Program, unit: &Program, code: u64) {
    let shift = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
    let (fbase, cbase, sbase) = (
        shift(program.functions.len()),
        shift(program.constants.len()),
        shift(program.strings.len()),
    );
    for function in &unit.functions {
        let mut function = function.clone();
        function.name = format!("{}@{code:016x}", function.name);
        function.spans.clear();
        for op in &mut function.ops {
            for_each_index(op, &mut |ix| match ix {
                Index::Func(f) => f.0 = f.0.saturating_add(fbase),
                Index::Const(c) => c.0 = c.0.saturating_add(cbase),
                Index::Str(s) => s.0 = s.0.saturating_add(sbase),
            });
        }
        program.functions.push(function);
    }
    program.constants.extend(unit.constants.iter().cloned());
    program.strings.extend(unit.strings.iter().cloned());
    for b in &unit.behaviours {
        program.behaviours.push(Behaviour {
            name: pinned_name(&b.name, code),
            dispatch: FuncIdx(b.dispatch.0.saturating_add(fbase)),
            fields: b.fields.clone(),
        });
    }
}

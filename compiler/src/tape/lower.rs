//! Lowering a whole ITree program.
//!
//! Takes an ITree [`Program`]; produces the Tape program: every ITree function becomes a Tape
//! function of the same name (plain or pure; parameters in the first registers), every
//! behaviour a dispatch function plus a [`avm_vm::tape::Behaviour`] entry whose state layout
//! covers every field index its code touches, the entry term the `main` function, and every
//! scry predicate a pure function. Functions are emitted in a deterministic order (user
//! functions by name, then dispatch functions by behaviour name, then `main`, then
//! predicates), so the output text is stable.

use super::error::{LowerError, LowerErrorKind};
use super::term::{FnLowerer, Role};
use avm_vm::isa;
use avm_vm::itree::{FnKind, Instr, Name, Predicate, Program, Term};
use avm_vm::tape::{self, FuncIdx, FunctionKind, ProgramBuilder};
use rustc_hash::{FxHashMap, FxHashSet};

/// A predicate function declared while lowering another function, defined afterwards.
pub(crate) struct PendingPredicate {
    pub idx: FuncIdx,
    pub name: String,
    pub predicate: Predicate,
    pub params: u16,
    pub safety: tape::Safety,
}

/// Program-wide lowering state shared by the function lowerers.
pub(crate) struct Lowerer<'p> {
    pub program: &'p Program,
    pub builder: ProgramBuilder,
    /// Output index of every ITree function.
    pub functions: FxHashMap<Name, FuncIdx>,
    /// Names already used by output functions.
    pub taken: FxHashSet<String>,
    /// Predicates declared but not yet defined.
    pub pending: Vec<PendingPredicate>,
}

/// The Tape safety flag of an ITree safety index.
pub(crate) fn tape_safety(safety: isa::Safety) -> tape::Safety {
    match safety {
        isa::Safety::Safe => tape::Safety::Safe,
        isa::Safety::Unsafe => tape::Safety::Unsafe,
    }
}

impl<'p> Lowerer<'p> {
    /// `base`, or `base'`, `base''`, ... if taken; the result is marked taken.
    pub fn fresh_name(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        while self.taken.contains(&name) {
            name.push('\'');
        }
        self.taken.insert(name.clone());
        name
    }

    /// Declares a function, turning builder failures into a [`LowerError`] about `name`.
    pub fn declare(
        &mut self,
        name: &str,
        kind: FunctionKind,
        safety: tape::Safety,
        params: usize,
    ) -> Result<FuncIdx, LowerError> {
        let located = |kind| LowerError {
            function: name.to_owned(),
            kind,
        };
        let params = u16::try_from(params)
            .map_err(|_| located(LowerErrorKind::TooManyParameters { count: params }))?;
        self.builder
            .declare(name, kind, safety, params)
            .map_err(|e| located(LowerErrorKind::Build(e)))
    }
}

/// Lowers an ITree program to a Tape program (see the module docs of `compiler::tape`).
pub fn lower(program: &Program) -> Result<tape::Program, LowerError> {
    let mut lw = Lowerer {
        program,
        builder: ProgramBuilder::new(),
        functions: FxHashMap::default(),
        taken: FxHashSet::default(),
        pending: Vec::new(),
    };
    let mut function_names: Vec<&Name> = program.functions.keys().collect();
    function_names.sort();
    let mut behaviour_names: Vec<&Name> = program.behaviours.keys().collect();
    behaviour_names.sort();

    for name in &function_names {
        let f = &program.functions[*name];
        let kind = match f.kind {
            FnKind::Plain => FunctionKind::Plain,
            FnKind::Pure => FunctionKind::Pure,
        };
        lw.taken.insert(name.to_string());
        let idx = lw.declare(name, kind, tape_safety(f.safety), f.params.len())?;
        lw.functions.insert((*name).clone(), idx);
    }
    let mut dispatches = Vec::new();
    for name in &behaviour_names {
        let b = &program.behaviours[*name];
        let out_name = lw.fresh_name(&format!("{name}.dispatch"));
        let idx = lw.declare(&out_name, FunctionKind::Dispatch, tape_safety(b.safety), 1)?;
        dispatches.push((idx, out_name));
    }
    let main_name = lw.fresh_name("main");
    let main_idx = lw.declare(
        &main_name,
        FunctionKind::Main,
        tape_safety(program.main_safety),
        0,
    )?;

    for name in &function_names {
        let f = &program.functions[*name];
        let role = match f.kind {
            FnKind::Plain => Role::Plain,
            FnKind::Pure => Role::Pure,
        };
        let idx = lw.functions[*name];
        let safety = tape_safety(f.safety);
        let params = f.params.len();
        FnLowerer::new(&mut lw, name.to_string(), role, safety, params, &f.params)?
            .lower_function(idx, &f.body)?;
    }
    for (name, (idx, out_name)) in behaviour_names.iter().zip(&dispatches) {
        let b = &program.behaviours[*name];
        let safety = tape_safety(b.safety);
        // r0 holds the message; the body reads it with `fx.input`, as the ITree body does.
        FnLowerer::new(&mut lw, out_name.clone(), Role::Dispatch, safety, 1, &[])?
            .lower_function(*idx, &b.body)?;
        let fields = field_layout(program, &b.body);
        let field_refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        lw.builder.behaviour(name.to_string(), *idx, &field_refs);
    }
    let main_safety = tape_safety(program.main_safety);
    FnLowerer::new(&mut lw, main_name, Role::Main, main_safety, 0, &[])?
        .lower_function(main_idx, &program.main)?;
    lw.builder.entry(main_idx);

    while let Some(p) = lw.pending.pop() {
        FnLowerer::lower_predicate(&mut lw, p)?;
    }
    lw.builder
        .sources(program.sources.iter().map(|s| s.to_string()).collect());
    Ok(lw.builder.finish())
}

/// The state layout of a behaviour: one field (`field0`, `field1`, ...) per index up to the
/// largest one its body, or any function it calls (transitively), reads or writes.
fn field_layout(program: &Program, body: &Term) -> Vec<String> {
    let mut max: Option<usize> = None;
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut work: Vec<&Term> = vec![body];
    while let Some(term) = work.pop() {
        match term {
            Term::Ret(_) | Term::Fail(_) => {}
            Term::Tau(t) | Term::At { body: t, .. } => work.push(t),
            Term::Instr { instr, rest, .. } => {
                if let Instr::GetField(i) | Instr::SetField(i, _) = instr {
                    max = Some(max.map_or(*i, |m| m.max(*i)));
                }
                work.push(rest);
            }
            Term::Let { rest, .. } => work.push(rest),
            Term::If {
                then_branch,
                else_branch,
                ..
            } => {
                work.push(then_branch);
                work.push(else_branch);
            }
            Term::Match { arms, .. } => work.extend(arms.iter().map(|a| &a.body)),
            Term::Call { function, .. } => {
                if let Some(f) = program.functions.get(function)
                    && seen.insert(function)
                {
                    work.push(&f.body);
                }
            }
            Term::Bind { first, rest, .. }
            | Term::Try {
                body: first, rest, ..
            } => {
                work.push(first);
                work.push(rest);
            }
        }
    }
    match max {
        None => Vec::new(),
        // Indices above u16::MAX were already refused when the code was lowered.
        Some(m) => (0..=m.min(usize::from(u16::MAX)))
            .map(|i| format!("field{i}"))
            .collect(),
    }
}

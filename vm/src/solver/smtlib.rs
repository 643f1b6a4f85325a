//! SMT-LIB 2 for commit-time problems: the translation of a [`Problem`] and the exchange with a
//! solver over an [`SmtChannel`].
//!
//! Takes a problem; produces a [`Query`] (declarations and assertions, no `check-sat`) and,
//! through a channel, the solver's [`Answer`]. A choice `cJ` is an `Int` index in
//! `0..options`; a choice value projected through a path is an `ite` chain over the index
//! (integers and booleans as themselves, any other value as the number of its first occurrence
//! in the problem, so only `==` / `!=` apply to it); each requirement is asserted with the name
//! `rK` so an unsat core names requirements. Also writes the FD store (`fdN` variables with
//! their domains, the posted constraints) for `--emit-constraints smt2`. No IO: the channel's
//! implementation owns the solver process.

use std::fmt::Write as _;

use super::ir::{BinaryOp, Form, Problem, Requirement, UnaryOp, Untranslatable, project};
use super::{Answer, SolverFailure};
use crate::fd::{Comparison, Constraint};
use crate::value::Val;

/// A problem in SMT-LIB: the script to send before `(check-sat)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// Options, declarations and named assertions.
    pub script: String,
    /// The option count of each choice variable `c0, c1, ...`.
    pub choice_sizes: Vec<usize>,
}

/// The sort of a translated term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sort {
    Int,
    Bool,
    /// An interned value compared only for equality (encoded as `Int`).
    Atom,
}

/// Values other than integers and booleans, numbered by first occurrence.
#[derive(Default)]
struct Atoms(Vec<Val>);

impl Atoms {
    fn id(&mut self, v: &Val) -> usize {
        match self.0.iter().position(|x| x == v) {
            Some(i) => i,
            None => {
                self.0.push(v.clone());
                self.0.len() - 1
            }
        }
    }
}

/// An integer literal (`(- 5)` for negatives).
fn int(i: i64) -> String {
    if i < 0 {
        format!("(- {})", i128::from(i).unsigned_abs())
    } else {
        i.to_string()
    }
}

fn constant(v: &Val, atoms: &mut Atoms) -> (String, Sort) {
    match v {
        Val::Int(i) => (int(*i), Sort::Int),
        Val::Bool(b) => (b.to_string(), Sort::Bool),
        other => (atoms.id(other).to_string(), Sort::Atom),
    }
}

/// Translates one requirement's form.
fn term(
    form: &Form,
    problem: &Problem,
    atoms: &mut Atoms,
) -> Result<(String, Sort), Untranslatable> {
    match form {
        Form::Const(v) => Ok(constant(v, atoms)),
        Form::Choice { index, path } => {
            let choice = problem
                .choices
                .get(*index)
                .ok_or(Untranslatable::UnknownChoice(*index))?;
            let values: Vec<Val> = choice
                .options
                .iter()
                .map(|o| project(o, path))
                .collect::<Option<_>>()
                .ok_or(Untranslatable::Values {
                    choice: *index,
                    what: "do not all have this field",
                })?;
            let sort = match values.first() {
                Some(Val::Int(_)) => Sort::Int,
                Some(Val::Bool(_)) => Sort::Bool,
                _ => Sort::Atom,
            };
            let parts: Vec<String> = values
                .iter()
                .map(|v| {
                    let (t, s) = constant(v, atoms);
                    if s == sort {
                        Ok(t)
                    } else {
                        Err(Untranslatable::Values {
                            choice: *index,
                            what: "mix integers, booleans and other values",
                        })
                    }
                })
                .collect::<Result<_, _>>()?;
            // The last option is the `else` of the chain (the index is bounded separately).
            let mut chain = parts.last().cloned().unwrap_or_else(|| "0".into());
            for (i, p) in parts.iter().enumerate().rev().skip(1) {
                chain = format!("(ite (= c{index} {i}) {p} {chain})");
            }
            Ok((chain, sort))
        }
        Form::Unary(op, a) => {
            let (a, s) = term(a, problem, atoms)?;
            match (op, s) {
                (UnaryOp::Neg, Sort::Int) => Ok((format!("(- {a})"), Sort::Int)),
                (UnaryOp::Abs, Sort::Int) => Ok((format!("(abs {a})"), Sort::Int)),
                (UnaryOp::Not, Sort::Bool) => Ok((format!("(not {a})"), Sort::Bool)),
                _ => Err(Untranslatable::Sort { op: op.symbol() }),
            }
        }
        Form::Binary(op, a, b) => {
            let (a, sa) = term(a, problem, atoms)?;
            let (b, sb) = term(b, problem, atoms)?;
            use BinaryOp::*;
            let bad = || Untranslatable::Sort { op: op.symbol() };
            match op {
                Eq | Ne if sa == sb => {
                    let eq = format!("(= {a} {b})");
                    Ok((
                        if *op == Eq { eq } else { format!("(not {eq})") },
                        Sort::Bool,
                    ))
                }
                And | Or if sa == Sort::Bool && sb == Sort::Bool => {
                    let f = if *op == And { "and" } else { "or" };
                    Ok((format!("({f} {a} {b})"), Sort::Bool))
                }
                _ if sa != Sort::Int || sb != Sort::Int => Err(bad()),
                Add | Sub | Mul => {
                    let f = match op {
                        Add => "+",
                        Sub => "-",
                        _ => "*",
                    };
                    Ok((format!("({f} {a} {b})"), Sort::Int))
                }
                Lt | Le | Gt | Ge => Ok((format!("({} {a} {b})", op.symbol()), Sort::Bool)),
                Min => Ok((format!("(ite (<= {a} {b}) {a} {b})"), Sort::Int)),
                Max => Ok((format!("(ite (>= {a} {b}) {a} {b})"), Sort::Int)),
                Eq | Ne | And | Or => Err(bad()),
            }
        }
    }
}

/// The requirements that cannot be translated, with the reason (requirement index, reason).
pub fn untranslatable(problem: &Problem) -> Vec<(usize, Untranslatable)> {
    let mut atoms = Atoms::default();
    problem
        .requirements
        .iter()
        .enumerate()
        .filter_map(|(k, r)| match requirement_term(r, problem, &mut atoms) {
            Ok(_) => None,
            Err(e) => Some((k, e)),
        })
        .collect()
}

fn requirement_term(
    r: &Requirement,
    problem: &Problem,
    atoms: &mut Atoms,
) -> Result<String, Untranslatable> {
    let form = r.form.as_ref().map_err(Clone::clone)?;
    match term(form, problem, atoms)? {
        (t, Sort::Bool) => Ok(t),
        _ => Err(Untranslatable::Sort { op: "require" }),
    }
}

/// The query of a problem whose requirements all translate; else every untranslatable one.
pub fn encode(problem: &Problem) -> Result<Query, Vec<(usize, Untranslatable)>> {
    let (query, failures) = encode_translatable(problem);
    if failures.is_empty() {
        Ok(query)
    } else {
        Err(failures)
    }
}

/// The query of the requirements that translate (each preceded by a comment with its place),
/// and the ones that do not.
pub fn encode_translatable(problem: &Problem) -> (Query, Vec<(usize, Untranslatable)>) {
    let mut atoms = Atoms::default();
    let mut script = String::new();
    script.push_str("(set-option :produce-unsat-cores true)\n(set-logic ALL)\n");
    let mut failures = Vec::new();
    let mut asserts = String::new();
    for (k, r) in problem.requirements.iter().enumerate() {
        if let Some(p) = &r.place {
            let text: String = p.text.chars().filter(|c| *c != '\n').collect();
            let _ = writeln!(asserts, "; r{k}: {} {text}", p.at);
        }
        match requirement_term(r, problem, &mut atoms) {
            Ok(t) => {
                let _ = writeln!(asserts, "(assert (! {t} :named r{k}))");
            }
            Err(e) => {
                let _ = writeln!(asserts, "; r{k} is not translated: {e}");
                failures.push((k, e));
            }
        }
    }
    for (j, c) in problem.choices.iter().enumerate() {
        let _ = writeln!(
            script,
            "(declare-const c{j} Int)\n(assert (and (<= 0 c{j}) (< c{j} {})))",
            c.options.len()
        );
    }
    script.push_str(&asserts);
    (
        Query {
            script,
            choice_sizes: problem.choices.iter().map(|c| c.options.len()).collect(),
        },
        failures,
    )
}

/// A [`Solver`](super::Solver) speaking SMT-LIB over a channel ([`solve_over`]).
#[derive(Debug)]
pub struct SmtLibSolver<C>(pub C);

impl<C: SmtChannel> super::Solver for SmtLibSolver<C> {
    fn solve(&mut self, query: &Query) -> Result<Answer, SolverFailure> {
        solve_over(&mut self.0, query)
    }
}

/// The FD store as SMT-LIB declarations and assertions (`fdN` for variable `N`).
pub fn fd_script(problem: &Problem) -> String {
    let mut s = String::new();
    for (id, dom) in &problem.fd.vars {
        let _ = writeln!(s, "(declare-const fd{id} Int)");
        let members: Vec<String> = dom
            .iter()
            .map(|v| format!("(= fd{id} {})", int(*v)))
            .collect();
        match members.len() {
            0 => s.push_str("(assert false)\n"),
            1 => {
                let _ = writeln!(s, "(assert {})", members[0]);
            }
            _ => {
                let _ = writeln!(s, "(assert (or {}))", members.join(" "));
            }
        }
    }
    for c in &problem.fd.constraints {
        let t = match c {
            Constraint::Compare {
                left,
                op,
                right,
                offset,
            } => comparison(
                *op,
                &format!("fd{}", left.0),
                &format!("(+ fd{} {})", right.0, int(*offset)),
            ),
            Constraint::CompareValue { var, op, value } => {
                comparison(*op, &format!("fd{}", var.0), &int(*value))
            }
            Constraint::AllDiff(vars) if vars.len() >= 2 => {
                let names: Vec<String> = vars.iter().map(|v| format!("fd{}", v.0)).collect();
                format!("(distinct {})", names.join(" "))
            }
            Constraint::AllDiff(_) => "true".into(),
        };
        let _ = writeln!(s, "(assert {t})");
    }
    s
}

fn comparison(op: Comparison, a: &str, b: &str) -> String {
    match op {
        Comparison::Eq => format!("(= {a} {b})"),
        Comparison::Neq => format!("(not (= {a} {b}))"),
        Comparison::Leq => format!("(<= {a} {b})"),
        Comparison::Lt => format!("(< {a} {b})"),
        Comparison::Geq => format!("(>= {a} {b})"),
        Comparison::Gt => format!("(> {a} {b})"),
    }
}

/// A two-way text connection to an SMT-LIB solver.
pub trait SmtChannel {
    /// Sends text (complete commands).
    fn send(&mut self, text: &str) -> Result<(), SolverFailure>;
    /// The solver's next response: one atom or one balanced s-expression (see
    /// [`response_complete`]).
    fn receive(&mut self) -> Result<String, SolverFailure>;
}

/// Whether `text` holds a whole response: a non-empty atom line, or an s-expression whose
/// parentheses (outside strings and `|...|` symbols) are balanced.
pub fn response_complete(text: &str) -> bool {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return false;
    }
    if !trimmed.starts_with('(') {
        return text.contains('\n');
    }
    let mut depth = 0i64;
    let mut in_string = false;
    let mut in_bar = false;
    for ch in trimmed.chars() {
        match ch {
            '"' if !in_bar => in_string = !in_string,
            '|' if !in_string => in_bar = !in_bar,
            '(' if !in_string && !in_bar => depth += 1,
            ')' if !in_string && !in_bar => {
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Runs one query over a channel: `(reset)`, the script, `(check-sat)`, then `(get-value ...)`
/// for a model or `(get-unsat-core)` for a conflict. Any other response is a failure; a model
/// outside the choices' ranges is [`SolverFailure::Garbled`].
pub fn solve_over(channel: &mut dyn SmtChannel, query: &Query) -> Result<Answer, SolverFailure> {
    channel.send("(reset)\n")?;
    channel.send(&query.script)?;
    channel.send("(check-sat)\n")?;
    let verdict = channel.receive()?;
    match verdict.trim() {
        "sat" => {
            if query.choice_sizes.is_empty() {
                return Ok(Answer::Sat(Vec::new()));
            }
            let names: Vec<String> = (0..query.choice_sizes.len())
                .map(|j| format!("c{j}"))
                .collect();
            channel.send(&format!("(get-value ({}))\n", names.join(" ")))?;
            let response = channel.receive()?;
            let model = parse_values(&response, query.choice_sizes.len()).ok_or_else(|| {
                SolverFailure::Garbled {
                    response: response.trim().to_string(),
                }
            })?;
            if model.iter().zip(&query.choice_sizes).any(|(v, n)| v >= n) {
                return Err(SolverFailure::Garbled {
                    response: response.trim().to_string(),
                });
            }
            Ok(Answer::Sat(model))
        }
        "unsat" => {
            channel.send("(get-unsat-core)\n")?;
            let response = channel.receive()?;
            let core = parse_core(&response).ok_or_else(|| SolverFailure::Garbled {
                response: response.trim().to_string(),
            })?;
            Ok(Answer::Unsat(core))
        }
        "unknown" => Err(SolverFailure::Unknown),
        other => Err(SolverFailure::Garbled {
            response: other.to_string(),
        }),
    }
}

/// Splits an s-expression into tokens: `(`, `)` and atoms.
fn tokens(text: &str) -> Vec<String> {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    spaced.split_whitespace().map(str::to_string).collect()
}

/// The values of `c0 .. c{n-1}` in a `get-value` response `((c0 3) (c1 0))`.
pub fn parse_values(text: &str, n: usize) -> Option<Vec<usize>> {
    let toks = tokens(text);
    let mut values = vec![None; n];
    let mut i = 0;
    // Pairs `( cJ V )`; V may be `( - K )` (rejected: indices are not negative).
    while i < toks.len() {
        if toks[i] == "("
            && i + 3 < toks.len()
            && toks[i + 3] == ")"
            && let Some(j) = toks[i + 1]
                .strip_prefix('c')
                .and_then(|j| j.parse::<usize>().ok())
            && j < n
        {
            values[j] = Some(toks[i + 2].parse::<usize>().ok()?);
            i += 4;
            continue;
        }
        i += 1;
    }
    if toks.first().map(String::as_str) != Some("(") {
        return None;
    }
    values.into_iter().collect()
}

/// The requirement indices of a `get-unsat-core` response `(r0 r3)`.
pub fn parse_core(text: &str) -> Option<Vec<usize>> {
    let toks = tokens(text);
    if toks.first().map(String::as_str) != Some("(") || toks.last().map(String::as_str) != Some(")")
    {
        return None;
    }
    let mut core: Vec<usize> = toks[1..toks.len() - 1]
        .iter()
        .map(|t| t.strip_prefix('r').and_then(|k| k.parse().ok()))
        .collect::<Option<_>>()?;
    core.sort_unstable();
    core.dedup();
    Some(core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TxId;
    use crate::solver::ir::{ChoiceVar, FdSnapshot, Requirement, Step};
    use std::rc::Rc;

    fn ints(xs: &[i64]) -> ChoiceVar {
        ChoiceVar {
            options: xs.iter().map(|x| Val::Int(*x)).collect::<Vec<_>>().into(),
        }
    }

    fn req(form: Form) -> Requirement {
        Requirement {
            place: None,
            holds: false,
            form: Ok(form),
        }
    }

    fn choice(index: usize) -> Box<Form> {
        Box::new(Form::Choice {
            index,
            path: Vec::new(),
        })
    }

    fn problem(choices: Vec<ChoiceVar>, requirements: Vec<Requirement>) -> Problem {
        Problem {
            tx: TxId(1),
            choices,
            requirements,
            fd: FdSnapshot::default(),
        }
    }

    #[test]
    fn encodes_choices_as_bounded_indices_and_requirements_as_named_asserts() {
        let p = problem(
            vec![ints(&[1, -2])],
            vec![req(Form::Binary(
                BinaryOp::Gt,
                choice(0),
                Box::new(Form::Const(Val::Int(0))),
            ))],
        );
        let q = encode(&p).expect("translates");
        assert!(
            q.script
                .contains("(declare-const c0 Int)\n(assert (and (<= 0 c0) (< c0 2)))")
        );
        assert!(
            q.script
                .contains("(assert (! (> (ite (= c0 0) 1 (- 2)) 0) :named r0))")
        );
        assert_eq!(q.choice_sizes, vec![2]);
    }

    #[test]
    fn other_values_compare_only_for_equality() {
        let names = ChoiceVar {
            options: vec![Val::str("ana"), Val::str("ben")].into(),
        };
        let eq = req(Form::Binary(
            BinaryOp::Eq,
            choice(0),
            Box::new(Form::Const(Val::str("ben"))),
        ));
        let q = encode(&problem(vec![names.clone()], vec![eq])).expect("translates");
        assert!(
            q.script.contains("(= (ite (= c0 0) 0 1) 1)"),
            "{}",
            q.script
        );
        let lt = req(Form::Binary(
            BinaryOp::Lt,
            choice(0),
            Box::new(Form::Const(Val::str("ben"))),
        ));
        let failures = encode(&problem(vec![names], vec![lt])).expect_err("order on strings");
        assert_eq!(failures, vec![(0, Untranslatable::Sort { op: "<" })]);
    }

    #[test]
    fn a_missing_field_is_untranslatable() {
        let p = problem(
            vec![ints(&[1])],
            vec![req(Form::Choice {
                index: 0,
                path: vec![Step::Field(Rc::from("x"))],
            })],
        );
        assert!(matches!(
            encode(&p).expect_err("no field").as_slice(),
            [(0, Untranslatable::Values { choice: 0, .. })]
        ));
    }

    #[test]
    fn responses_are_complete_when_balanced() {
        assert!(response_complete("sat\n"));
        assert!(!response_complete("((c0 1)\n"));
        assert!(response_complete("((c0 1)\n (c1 2))\n"));
        assert!(response_complete("(error \"a ) in a string\")\n"));
        assert!(!response_complete("\n"));
    }

    #[test]
    fn parses_values_and_cores() {
        assert_eq!(parse_values("((c0 3) (c1 0))", 2), Some(vec![3, 0]));
        assert_eq!(parse_values("((c0 3))", 2), None);
        assert_eq!(parse_values("((c0 (- 1)) (c1 0))", 2), None);
        assert_eq!(parse_values("hello", 1), None);
        assert_eq!(parse_core("(r2 r0)"), Some(vec![0, 2]));
        assert_eq!(parse_core("()"), Some(vec![]));
        assert_eq!(parse_core("(x1)"), None);
    }

    /// A channel that answers from a script and records what it was sent.
    struct Scripted {
        answers: Vec<&'static str>,
        sent: String,
    }

    impl SmtChannel for Scripted {
        fn send(&mut self, text: &str) -> Result<(), SolverFailure> {
            self.sent.push_str(text);
            Ok(())
        }
        fn receive(&mut self) -> Result<String, SolverFailure> {
            if self.answers.is_empty() {
                return Err(SolverFailure::Io("no more answers".into()));
            }
            Ok(self.answers.remove(0).to_string())
        }
    }

    #[test]
    fn the_exchange_asks_for_a_model_or_a_core() {
        let q = Query {
            script: "(assert true)\n".into(),
            choice_sizes: vec![3, 2],
        };
        let mut sat = Scripted {
            answers: vec!["sat\n", "((c0 2) (c1 1))\n"],
            sent: String::new(),
        };
        assert_eq!(solve_over(&mut sat, &q), Ok(Answer::Sat(vec![2, 1])));
        assert!(
            sat.sent
                .starts_with("(reset)\n(assert true)\n(check-sat)\n(get-value (c0 c1))")
        );
        let mut unsat = Scripted {
            answers: vec!["unsat\n", "(r1)\n"],
            sent: String::new(),
        };
        assert_eq!(solve_over(&mut unsat, &q), Ok(Answer::Unsat(vec![1])));
        // A model outside the option ranges is garbage, as is any other verdict.
        let mut out_of_range = Scripted {
            answers: vec!["sat\n", "((c0 3) (c1 0))\n"],
            sent: String::new(),
        };
        assert!(matches!(
            solve_over(&mut out_of_range, &q),
            Err(SolverFailure::Garbled { .. })
        ));
        let mut garbage = Scripted {
            answers: vec!["(error \"line 1\")\n"],
            sent: String::new(),
        };
        assert!(matches!(
            solve_over(&mut garbage, &q),
            Err(SolverFailure::Garbled { .. })
        ));
    }
}

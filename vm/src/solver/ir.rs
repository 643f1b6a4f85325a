//! The constraint IR of one transaction's commit-time problem (`docs/constraints.md`).
//!
//! Takes what a run of a transaction body recorded — its choice points with their options and
//! its `require`s with the requirement values the compiler built (`$Require::At(holds, at,
//! text, choices_before, form)`, see [`decode_requirement`]) — and the FD store; produces a
//! [`Problem`]: choice variables (each an index into its candidate values), requirements
//! (predicates over the choices as [`Form`]s, or why one cannot be translated, with source
//! places) and the FD store's variables and constraints.

use std::fmt;
use std::rc::Rc;

use crate::fd::{Constraint, ConstraintStore};
use crate::ids::TxId;
use crate::value::Val;

/// The enum name of requirement values built by the compiler.
pub const REQUIRE_ENUM: &str = "$Require";
/// The enum name of requirement forms built by the compiler.
pub const FORM_ENUM: &str = "$Form";

/// One transaction's commit-time problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The transaction.
    pub tx: TxId,
    /// The choice points of the run, in order.
    pub choices: Vec<ChoiceVar>,
    /// The `require`s of the run, in order.
    pub requirements: Vec<Requirement>,
    /// The FD store when the transaction reached its commit.
    pub fd: FdSnapshot,
}

/// A choice point: a variable ranging over the indices of its options.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceVar {
    /// The candidate values, in the order `choose` was given them.
    pub options: Rc<[Val]>,
}

/// Where a `require` is in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirePlace {
    /// `file:line:column`.
    pub at: Rc<str>,
    /// The condition's source text.
    pub text: Rc<str>,
}

impl fmt::Display for RequirePlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`", self.at, self.text)
    }
}

/// One `require` of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// Where it is, when the compiler said so.
    pub place: Option<RequirePlace>,
    /// Whether it held in the recorded run.
    pub holds: bool,
    /// Its predicate over the choices, or why there is none.
    pub form: Result<Form, Untranslatable>,
}

/// A requirement's predicate (or a part of it) over the choice variables.
#[derive(Clone, Debug, PartialEq)]
pub enum Form {
    /// The value of choice `index`, projected through `path` (fields, tuple positions).
    Choice {
        /// The choice point's position in the run.
        index: usize,
        /// Projections applied to the chosen option.
        path: Vec<Step>,
    },
    /// A value that does not depend on the choices (computed when the `require` ran).
    Const(Val),
    /// A unary operation.
    Unary(UnaryOp, Box<Form>),
    /// A binary operation.
    Binary(BinaryOp, Box<Form>, Box<Form>),
}

/// One projection of a chosen value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A record field.
    Field(Rc<str>),
    /// A tuple position.
    Index(usize),
}

/// Unary operations of forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// Integer negation.
    Neg,
    /// Boolean not.
    Not,
    /// Absolute value (`abs`).
    Abs,
}

/// Binary operations of forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `&&`.
    And,
    /// `||`.
    Or,
    /// `min`.
    Min,
    /// `max`.
    Max,
}

impl UnaryOp {
    /// The name the compiler writes (`-`, `!`, `abs`).
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Not => "!",
            UnaryOp::Abs => "abs",
        }
    }

    fn parse(s: &str) -> Option<UnaryOp> {
        [UnaryOp::Neg, UnaryOp::Not, UnaryOp::Abs]
            .into_iter()
            .find(|op| op.symbol() == s)
    }
}

impl BinaryOp {
    const ALL: [BinaryOp; 13] = [
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::And,
        BinaryOp::Or,
        BinaryOp::Min,
        BinaryOp::Max,
    ];

    /// The name the compiler writes (`+`, `==`, `&&`, `min`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Min => "min",
            BinaryOp::Max => "max",
        }
    }

    fn parse(s: &str) -> Option<BinaryOp> {
        BinaryOp::ALL.into_iter().find(|op| op.symbol() == s)
    }
}

/// Why a requirement has no predicate an SMT solver can take.
#[derive(Clone, Debug, PartialEq)]
pub enum Untranslatable {
    /// The compiler could not express the condition over the choices (its reason, e.g. "calls
    /// the function `f`").
    Source(Rc<str>),
    /// A plain `require` with a Bool operand: inside a function the transaction called, or in
    /// a Tape program written by hand.
    NoForm,
    /// Code the requirement does not see chose values first (a `choose` in a called function
    /// or a loop): `expected` choices were written before it, `found` were made.
    ChoicesShifted {
        /// Top-level `choose`s of the block before the `require`.
        expected: usize,
        /// Choice points the run had made.
        found: usize,
    },
    /// The requirement value is not of the form the compiler builds.
    Malformed,
    /// The form names a choice the run did not make.
    UnknownChoice(usize),
    /// The options of a choice do not all have the projected value, or it is of a kind the
    /// translation has no sort for where it is used (`what` says which).
    Values {
        /// The choice point.
        choice: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// An operation on values it does not apply to in the translation (order or arithmetic on
    /// strings, records, ...).
    Sort {
        /// The operation.
        op: &'static str,
    },
}

impl fmt::Display for Untranslatable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Untranslatable::Source(reason) => f.write_str(reason),
            Untranslatable::NoForm => f.write_str(
                "the requirement is not at the top level of the `atomic` block (it runs in a called function)",
            ),
            Untranslatable::ChoicesShifted { expected, found } => write!(
                f,
                "{found} choices were made before it but the block wrote {expected}: a called function or a loop chose values"
            ),
            Untranslatable::Malformed => f.write_str("the requirement value is malformed"),
            Untranslatable::UnknownChoice(i) => write!(f, "it names choice #{i}, which the run did not make"),
            Untranslatable::Values { choice, what } => write!(f, "the options of choice #{choice} {what}"),
            Untranslatable::Sort { op } => {
                write!(f, "`{op}` is applied to values that are not integers or booleans")
            }
        }
    }
}

/// The FD store's variables and constraints.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FdSnapshot {
    /// Each variable's id and current domain (ascending values).
    pub vars: Vec<(u64, Vec<i64>)>,
    /// The posted constraints.
    pub constraints: Vec<Constraint>,
}

impl FdSnapshot {
    /// The store's current variables and constraints.
    pub fn of(store: &ConstraintStore) -> FdSnapshot {
        let reified = store.snapshot();
        FdSnapshot {
            vars: reified
                .vars
                .iter()
                .map(|(id, dom)| (id.0, dom.clone()))
                .collect(),
            constraints: store.constraints().to_vec(),
        }
    }
}

/// What a `require` operand says: whether it holds, and (for a compiler-built value) where it
/// is, how many top-level choices precede it and its form.
#[derive(Clone, Debug, PartialEq)]
pub struct RequireValue {
    /// The condition's value.
    pub holds: bool,
    /// Where it is.
    pub place: Option<RequirePlace>,
    /// Top-level `choose`s of the block before it.
    pub choices_before: Option<usize>,
    /// Its form (undecoded; decoded only when a problem is built).
    pub form: Option<Val>,
}

/// Decodes a `require` operand: a Bool, or `$Require::At(holds, at, text, choices_before,
/// form)`. `None` when it is neither.
pub fn decode_requirement(v: &Val) -> Option<RequireValue> {
    match v {
        Val::Bool(b) => Some(RequireValue {
            holds: *b,
            place: None,
            choices_before: None,
            form: None,
        }),
        Val::Variant(var) if var.enum_name() == REQUIRE_ENUM => match var.payload() {
            [
                Val::Bool(holds),
                Val::Str(at),
                Val::Str(text),
                Val::Int(before),
                form,
            ] => Some(RequireValue {
                holds: *holds,
                place: Some(RequirePlace {
                    at: at.clone(),
                    text: text.clone(),
                }),
                choices_before: usize::try_from(*before).ok(),
                form: Some(form.clone()),
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Decodes a `$Form` value.
pub fn decode_form(v: &Val) -> Result<Form, Untranslatable> {
    let Val::Variant(var) = v else {
        return Err(Untranslatable::Malformed);
    };
    if var.enum_name() != FORM_ENUM {
        return Err(Untranslatable::Malformed);
    }
    let sub = |v: &Val| decode_form(v).map(Box::new);
    match (var.variant(), var.payload()) {
        ("Choice", [Val::Int(j), Val::List(path)]) => Ok(Form::Choice {
            index: usize::try_from(*j).map_err(|_| Untranslatable::Malformed)?,
            path: path
                .iter()
                .map(|s| match s {
                    Val::Str(f) => Ok(Step::Field(f.clone())),
                    Val::Int(i) => usize::try_from(i)
                        .map(Step::Index)
                        .map_err(|_| Untranslatable::Malformed),
                    _ => Err(Untranslatable::Malformed),
                })
                .collect::<Result<_, _>>()?,
        }),
        ("Const", [v]) => Ok(Form::Const(v.clone())),
        ("Unary", [Val::Str(op), a]) => {
            let op = UnaryOp::parse(op).ok_or(Untranslatable::Malformed)?;
            Ok(Form::Unary(op, sub(a)?))
        }
        ("Binary", [Val::Str(op), a, b]) => {
            let op = BinaryOp::parse(op).ok_or(Untranslatable::Malformed)?;
            Ok(Form::Binary(op, sub(a)?, sub(b)?))
        }
        ("Opaque", [Val::Str(reason)]) => Err(Untranslatable::Source(reason.clone())),
        _ => Err(Untranslatable::Malformed),
    }
}

/// The requirement of a recorded `require`: its form when the choices it was written after
/// are the run's first ones.
pub fn requirement(value: &RequireValue, points_before: usize) -> Requirement {
    let form = match (&value.form, value.choices_before) {
        (Some(form), Some(expected)) => decode_form(form).and_then(|f| {
            if expected == points_before {
                Ok(f)
            } else {
                Err(Untranslatable::ChoicesShifted {
                    expected,
                    found: points_before,
                })
            }
        }),
        _ => Err(Untranslatable::NoForm),
    };
    Requirement {
        place: value.place.clone(),
        holds: value.holds,
        form,
    }
}

/// The value at `path` inside `v`.
pub fn project(v: &Val, path: &[Step]) -> Option<Val> {
    let mut cur = v.clone();
    for step in path {
        cur = match (step, &cur) {
            (Step::Field(f), Val::Record(r)) => r
                .fields
                .iter()
                .find(|(name, _)| name == f)
                .map(|(_, v)| v.clone())?,
            (Step::Index(i), Val::Tuple(items)) => items.get(*i)?.clone(),
            _ => return None,
        };
    }
    Some(cur)
}

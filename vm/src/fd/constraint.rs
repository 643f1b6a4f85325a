//! FD variable ids and the constraint forms a program can post.
//!
//! Takes variable ids and integer constants and produces [`Constraint`] values with the spec's
//! constructor names as constructors (`Constraint::neq(x, y)`, `Constraint::val_leq(x, 3)`, …)
//! and a `Display` (`?1 != ?2 + 1`, `alldiff(?0, ?1, ?2)`). Extensions over the spec (see
//! `docs/fd.md`): an integer offset on every variable/variable comparison (`x op y + c`) and
//! `ValNeq`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The identity of a finite-domain variable: its creation index in the store.
///
/// Same representation, derives and `Display` as the VM's `ids::VarId`, so the instruction layer
/// can switch to that type without changing any output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VarId(pub u64);

impl fmt::Display for VarId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "?{}", self.0)
    }
}

/// A comparison between a variable and a variable-plus-offset or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparison {
    /// `=`
    Eq,
    /// `!=`
    Neq,
    /// `<=`
    Leq,
    /// `<`
    Lt,
    /// `>=`
    Geq,
    /// `>`
    Gt,
}

impl Comparison {
    /// Whether `left op right` holds.
    pub fn holds(self, left: i128, right: i128) -> bool {
        match self {
            Comparison::Eq => left == right,
            Comparison::Neq => left != right,
            Comparison::Leq => left <= right,
            Comparison::Lt => left < right,
            Comparison::Geq => left >= right,
            Comparison::Gt => left > right,
        }
    }

    /// The operator as written in constraint displays.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "=",
            Comparison::Neq => "!=",
            Comparison::Leq => "<=",
            Comparison::Lt => "<",
            Comparison::Geq => ">=",
            Comparison::Gt => ">",
        }
    }
}

/// A constraint over FD variables.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Constraint {
    /// `left op right + offset` (spec `Eq Neq Leq Lt Geq Gt` are the `offset = 0` cases).
    Compare {
        /// The variable on the left.
        left: VarId,
        /// The relation.
        op: Comparison,
        /// The variable on the right.
        right: VarId,
        /// Added to `right` (extension; 0 in the spec's forms).
        offset: i64,
    },
    /// `var op value` (spec `ValEq ValLeq ValLt ValGeq ValGt`; `ValNeq` is an extension).
    CompareValue {
        /// The constrained variable.
        var: VarId,
        /// The relation.
        op: Comparison,
        /// The constant.
        value: i64,
    },
    /// The variables take pairwise distinct values.
    AllDiff(Vec<VarId>),
}

impl Constraint {
    /// `left op right + offset`.
    pub fn compare(left: VarId, op: Comparison, right: VarId, offset: i64) -> Constraint {
        Constraint::Compare {
            left,
            op,
            right,
            offset,
        }
    }
    /// Spec `Eq x y`.
    pub fn eq(x: VarId, y: VarId) -> Constraint {
        Constraint::compare(x, Comparison::Eq, y, 0)
    }
    /// Spec `Neq x y`.
    pub fn neq(x: VarId, y: VarId) -> Constraint {
        Constraint::compare(x, Comparison::Neq, y, 0)
    }
    /// Spec `Leq x y`.
    pub fn leq(x: VarId, y: VarId) -> Constraint {
        Constraint::compare(x, Comparison::Leq, y, 0)
    }
    /// Spec `Lt x y`.
    pub fn lt(x: VarId, y: VarId) -> Constraint {
        Constraint::compare(x, Comparison::Lt, y, 0)
    }
    /// Spec `Geq x y`.
    pub fn geq(x: VarId, y: VarId) -> Constraint {
        Constraint::compare(x, Comparison::Geq, y, 0)
    }
    /// Spec `Gt x y`.
    pub fn gt(x: VarId, y: VarId) -> Constraint {
        Constraint::compare(x, Comparison::Gt, y, 0)
    }
    /// `var op value`.
    pub fn compare_value(var: VarId, op: Comparison, value: i64) -> Constraint {
        Constraint::CompareValue { var, op, value }
    }
    /// Spec `ValEq x v`.
    pub fn val_eq(var: VarId, value: i64) -> Constraint {
        Constraint::compare_value(var, Comparison::Eq, value)
    }
    /// `ValNeq x v` (extension).
    pub fn val_neq(var: VarId, value: i64) -> Constraint {
        Constraint::compare_value(var, Comparison::Neq, value)
    }
    /// Spec `ValLeq x v`.
    pub fn val_leq(var: VarId, value: i64) -> Constraint {
        Constraint::compare_value(var, Comparison::Leq, value)
    }
    /// Spec `ValLt x v`.
    pub fn val_lt(var: VarId, value: i64) -> Constraint {
        Constraint::compare_value(var, Comparison::Lt, value)
    }
    /// Spec `ValGeq x v`.
    pub fn val_geq(var: VarId, value: i64) -> Constraint {
        Constraint::compare_value(var, Comparison::Geq, value)
    }
    /// Spec `ValGt x v`.
    pub fn val_gt(var: VarId, value: i64) -> Constraint {
        Constraint::compare_value(var, Comparison::Gt, value)
    }
    /// Spec `AllDiff vs`.
    pub fn all_diff(vars: impl IntoIterator<Item = VarId>) -> Constraint {
        Constraint::AllDiff(vars.into_iter().collect())
    }

    /// The variables the constraint mentions, in order of appearance.
    pub fn vars(&self) -> Vec<VarId> {
        match self {
            Constraint::Compare { left, right, .. } => vec![*left, *right],
            Constraint::CompareValue { var, .. } => vec![*var],
            Constraint::AllDiff(vars) => vars.clone(),
        }
    }

    /// Whether the constraint holds for a full assignment (`value_of` gives each variable's
    /// value; `None` = unassigned, which makes the constraint not hold).
    pub fn is_satisfied_by(&self, value_of: impl Fn(VarId) -> Option<i64>) -> bool {
        match self {
            Constraint::Compare {
                left,
                op,
                right,
                offset,
            } => match (value_of(*left), value_of(*right)) {
                (Some(l), Some(r)) => op.holds(i128::from(l), i128::from(r) + i128::from(*offset)),
                _ => false,
            },
            Constraint::CompareValue { var, op, value } => {
                value_of(*var).is_some_and(|v| op.holds(i128::from(v), i128::from(*value)))
            }
            Constraint::AllDiff(vars) => {
                let mut values = Vec::with_capacity(vars.len());
                for var in vars {
                    match value_of(*var) {
                        Some(v) => values.push(v),
                        None => return false,
                    }
                }
                values.sort_unstable();
                values.windows(2).all(|w| w[0] != w[1])
            }
        }
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Compare {
                left,
                op,
                right,
                offset,
            } => {
                write!(f, "{left} {} {right}", op.symbol())?;
                match offset.signum() {
                    0 => Ok(()),
                    1 => write!(f, " + {offset}"),
                    _ => write!(f, " - {}", offset.unsigned_abs()),
                }
            }
            Constraint::CompareValue { var, op, value } => {
                write!(f, "{var} {} {value}", op.symbol())
            }
            Constraint::AllDiff(vars) => {
                f.write_str("alldiff(")?;
                for (i, var) in vars.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{var}")?;
                }
                f.write_str(")")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        let (a, b, c) = (VarId(0), VarId(1), VarId(2));
        assert_eq!(
            Constraint::compare(b, Comparison::Neq, c, 1).to_string(),
            "?1 != ?2 + 1"
        );
        assert_eq!(
            Constraint::compare(b, Comparison::Leq, c, i64::MIN).to_string(),
            "?1 <= ?2 - 9223372036854775808"
        );
        assert_eq!(Constraint::lt(a, b).to_string(), "?0 < ?1");
        assert_eq!(Constraint::val_neq(a, -3).to_string(), "?0 != -3");
        assert_eq!(
            Constraint::all_diff([a, b, c]).to_string(),
            "alldiff(?0, ?1, ?2)"
        );
    }

    #[test]
    fn satisfaction_check() {
        let value = |v: VarId| Some([1, 3, 3][v.0 as usize]);
        assert!(Constraint::compare(VarId(1), Comparison::Eq, VarId(0), 2).is_satisfied_by(value));
        assert!(!Constraint::all_diff([VarId(0), VarId(1), VarId(2)]).is_satisfied_by(value));
        assert!(Constraint::val_gt(VarId(2), 2).is_satisfied_by(value));
        assert!(!Constraint::val_gt(VarId(2), 2).is_satisfied_by(|_| None));
    }
}

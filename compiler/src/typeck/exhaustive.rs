//! Match exhaustiveness and arm reachability (the usefulness algorithm of
//! Maranget, "Warnings for pattern matching", with witnesses).
//!
//! Takes simplified patterns ([`Pat`]) and the scrutinee's [`Type`];
//! produces, for a set of rows, whether a new row is useful and, if it is,
//! a witness value no earlier row matches. Types with infinitely many
//! values (`Int`, `String`, …) are covered only by a wildcard.

use crate::resolve::{DefTable, VariantShape};
use crate::typeck::signatures::Signatures;
use crate::typeck::types::Type;

/// A constructor of a value, as seen by pattern matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ctor {
    True,
    False,
    Unit,
    None,
    Some,
    Nil,
    /// A non-empty list: head and tail.
    Cons,
    Tuple(usize),
    Variant(u32),
    Struct,
    Int(i64),
    Str(String),
}

/// A pattern reduced to constructors and wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pat {
    Wild,
    Ctor(Ctor, Vec<Pat>),
}

/// The type knowledge the algorithm needs.
pub struct Space<'a> {
    pub defs: &'a DefTable,
    pub sigs: &'a Signatures,
}

impl Space<'_> {
    /// Every constructor of the type, or `None` when there are infinitely
    /// many (or the type is unknown).
    fn all_ctors(&self, ty: &Type) -> Option<Vec<Ctor>> {
        match ty {
            Type::Bool => Some(vec![Ctor::True, Ctor::False]),
            Type::Unit => Some(vec![Ctor::Unit]),
            Type::Option(_) => Some(vec![Ctor::None, Ctor::Some]),
            Type::List(_) => Some(vec![Ctor::Nil, Ctor::Cons]),
            Type::Tuple(ts) => Some(vec![Ctor::Tuple(ts.len())]),
            Type::Struct(..) => Some(vec![Ctor::Struct]),
            Type::Enum(id, _) => Some(
                (0..self.sigs.enums[id.0 as usize].variants.len())
                    .map(|i| Ctor::Variant(i as u32))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The types of a constructor's fields.
    pub fn field_types(&self, ty: &Type, ctor: &Ctor) -> Vec<Type> {
        match (ty, ctor) {
            (Type::Option(t), Ctor::Some) => vec![(**t).clone()],
            (Type::List(t), Ctor::Cons) => vec![(**t).clone(), ty.clone()],
            (Type::Tuple(ts), Ctor::Tuple(_)) => ts.to_vec(),
            (Type::Struct(id, args), Ctor::Struct) => self.sigs.structs[id.0 as usize]
                .fields
                .iter()
                .map(|f| f.ty.instantiate(args))
                .collect(),
            (Type::Enum(id, args), Ctor::Variant(i)) => self.sigs.enums[id.0 as usize]
                .variants
                .get(*i as usize)
                .map(|v| v.fields.iter().map(|f| f.ty.instantiate(args)).collect())
                .unwrap_or_default(),
            (_, Ctor::Some) => vec![Type::Error],
            (_, Ctor::Cons) => vec![Type::Error, Type::Error],
            (_, Ctor::Tuple(n)) => vec![Type::Error; *n],
            _ => Vec::new(),
        }
    }

    fn arity(&self, ty: &Type, ctor: &Ctor) -> usize {
        self.field_types(ty, ctor).len()
    }

    /// If `v` adds something to `rows`, a witness of that (one pattern per
    /// column of `v`).
    pub fn useful(&self, rows: &[Vec<Pat>], v: &[Pat], tys: &[Type]) -> Option<Vec<Pat>> {
        let Some((head, rest)) = v.split_first() else {
            return if rows.is_empty() {
                Some(Vec::new())
            } else {
                None
            };
        };
        let ty = tys.first().cloned().unwrap_or(Type::Error);
        let rest_tys = tys.get(1..).unwrap_or(&[]);
        match head {
            Pat::Ctor(c, args) => {
                let w = self.useful_ctor(rows, c, args, rest, &ty, rest_tys)?;
                Some(w)
            }
            Pat::Wild => {
                let used: Vec<Ctor> = rows
                    .iter()
                    .filter_map(|r| match r.first() {
                        Some(Pat::Ctor(c, _)) => Some(c.clone()),
                        _ => None,
                    })
                    .collect();
                let all = self.all_ctors(&ty);
                if let Some(all) = &all
                    && !all.is_empty()
                    && all.iter().all(|c| used.contains(c))
                {
                    for c in all {
                        let wilds = vec![Pat::Wild; self.arity(&ty, c)];
                        if let Some(w) = self.useful_ctor(rows, c, &wilds, rest, &ty, rest_tys) {
                            return Some(w);
                        }
                    }
                    return None;
                }
                let default: Vec<Vec<Pat>> = rows
                    .iter()
                    .filter(|r| matches!(r.first(), Some(Pat::Wild)))
                    .map(|r| r[1..].to_vec())
                    .collect();
                let mut w = self.useful(&default, rest, rest_tys)?;
                let head = match &all {
                    Some(all) if !used.is_empty() => match all.iter().find(|c| !used.contains(c)) {
                        Some(c) => Pat::Ctor(c.clone(), vec![Pat::Wild; self.arity(&ty, c)]),
                        None => Pat::Wild,
                    },
                    _ => Pat::Wild,
                };
                w.insert(0, head);
                Some(w)
            }
        }
    }

    fn useful_ctor(
        &self,
        rows: &[Vec<Pat>],
        c: &Ctor,
        args: &[Pat],
        rest: &[Pat],
        ty: &Type,
        rest_tys: &[Type],
    ) -> Option<Vec<Pat>> {
        let field_tys = self.field_types(ty, c);
        let arity = field_tys.len().max(args.len());
        let specialized: Vec<Vec<Pat>> = rows
            .iter()
            .filter_map(|r| specialize(r, c, arity))
            .collect();
        let mut v: Vec<Pat> = args.to_vec();
        v.resize(arity, Pat::Wild);
        v.extend_from_slice(rest);
        let mut tys = field_tys;
        tys.resize(arity, Type::Error);
        tys.extend_from_slice(rest_tys);
        let w = self.useful(&specialized, &v, &tys)?;
        let (fields, tail) = w.split_at(arity.min(w.len()));
        let mut out = vec![Pat::Ctor(c.clone(), fields.to_vec())];
        out.extend_from_slice(tail);
        Some(out)
    }

    /// A witness in source syntax.
    pub fn show(&self, pat: &Pat, ty: &Type) -> String {
        let Pat::Ctor(c, args) = pat else {
            return "_".into();
        };
        let field_tys = self.field_types(ty, c);
        let sub = |i: usize| -> String {
            let t = field_tys.get(i).cloned().unwrap_or(Type::Error);
            args.get(i).map_or("_".into(), |p| self.show(p, &t))
        };
        match c {
            Ctor::True => "true".into(),
            Ctor::False => "false".into(),
            Ctor::Unit => "()".into(),
            Ctor::None => "none".into(),
            Ctor::Some => format!("some({})", sub(0)),
            Ctor::Int(n) => n.to_string(),
            Ctor::Str(s) => format!("{s:?}"),
            Ctor::Nil => "[]".into(),
            Ctor::Cons => {
                let mut items = vec![sub(0)];
                let mut tail = args.get(1).cloned().unwrap_or(Pat::Wild);
                loop {
                    match tail {
                        Pat::Ctor(Ctor::Cons, a) => {
                            let elem_ty = field_tys.first().cloned().unwrap_or(Type::Error);
                            items.push(a.first().map_or("_".into(), |p| self.show(p, &elem_ty)));
                            tail = a.get(1).cloned().unwrap_or(Pat::Wild);
                        }
                        Pat::Ctor(Ctor::Nil, _) => return format!("[{}]", items.join(", ")),
                        _ => return format!("[{}, ..]", items.join(", ")),
                    }
                }
            }
            Ctor::Tuple(n) => format!("({})", (0..*n).map(sub).collect::<Vec<_>>().join(", ")),
            Ctor::Struct => match ty {
                Type::Struct(id, _) => {
                    let decl = self.defs.struct_decl(*id);
                    let fields: Vec<String> = self.sigs.structs[id.0 as usize]
                        .fields
                        .iter()
                        .enumerate()
                        .map(|(i, f)| format!("{}: {}", f.name, sub(i)))
                        .collect();
                    format!("{} {{ {} }}", decl.name, fields.join(", "))
                }
                _ => "_".into(),
            },
            Ctor::Variant(i) => match ty {
                Type::Enum(id, _) => {
                    let decl = self.defs.enum_decl(*id);
                    let Some(v) = decl.variants.get(*i as usize) else {
                        return "_".into();
                    };
                    let sig = &self.sigs.enums[id.0 as usize].variants[*i as usize];
                    let name = format!("{}::{}", decl.name, v.name);
                    match v.shape {
                        VariantShape::Unit => name,
                        VariantShape::Tuple => {
                            format!(
                                "{name}({})",
                                (0..sig.fields.len())
                                    .map(sub)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        }
                        VariantShape::Struct => {
                            let fields: Vec<String> = sig
                                .fields
                                .iter()
                                .enumerate()
                                .map(|(k, f)| format!("{}: {}", f.name, sub(k)))
                                .collect();
                            format!("{name} {{ {} }}", fields.join(", "))
                        }
                    }
                }
                _ => "_".into(),
            },
        }
    }
}

fn specialize(row: &[Pat], c: &Ctor, arity: usize) -> Option<Vec<Pat>> {
    let (head, rest) = row.split_first()?;
    let mut out = match head {
        Pat::Wild => vec![Pat::Wild; arity],
        Pat::Ctor(c2, args) if c2 == c => {
            let mut a = args.clone();
            a.resize(arity, Pat::Wild);
            a
        }
        Pat::Ctor(..) => return None,
    };
    out.extend_from_slice(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space_check(rows: Vec<Pat>, ty: Type) -> Option<String> {
        let defs = DefTable::default();
        let sigs = Signatures::default();
        let space = Space {
            defs: &defs,
            sigs: &sigs,
        };
        let rows: Vec<Vec<Pat>> = rows.into_iter().map(|p| vec![p]).collect();
        space
            .useful(&rows, &[Pat::Wild], std::slice::from_ref(&ty))
            .map(|w| space.show(&w[0], &ty))
    }

    #[test]
    fn option_missing_none_is_reported() {
        let some = Pat::Ctor(Ctor::Some, vec![Pat::Wild]);
        assert_eq!(
            space_check(vec![some.clone()], Type::option(Type::Int)).as_deref(),
            Some("none")
        );
        assert_eq!(
            space_check(
                vec![some, Pat::Ctor(Ctor::None, vec![])],
                Type::option(Type::Int)
            ),
            None
        );
    }

    #[test]
    fn lists_need_nil_and_cons() {
        let nil = Pat::Ctor(Ctor::Nil, vec![]);
        let one = Pat::Ctor(Ctor::Cons, vec![Pat::Wild, nil.clone()]);
        let ty = Type::list(Type::Int);
        assert_eq!(
            space_check(vec![nil.clone(), one], ty.clone()).as_deref(),
            Some("[_, _, ..]")
        );
        let cons = Pat::Ctor(Ctor::Cons, vec![Pat::Wild, Pat::Wild]);
        assert_eq!(space_check(vec![nil, cons], ty), None);
    }

    #[test]
    fn integers_need_a_wildcard() {
        let one = Pat::Ctor(Ctor::Int(1), vec![]);
        assert_eq!(
            space_check(vec![one.clone()], Type::Int).as_deref(),
            Some("_")
        );
        assert_eq!(space_check(vec![one, Pat::Wild], Type::Int), None);
    }

    #[test]
    fn tuples_of_bools() {
        let t = |a: Ctor, b: Ctor| {
            Pat::Ctor(
                Ctor::Tuple(2),
                vec![Pat::Ctor(a, vec![]), Pat::Ctor(b, vec![])],
            )
        };
        let ty = Type::tuple(vec![Type::Bool, Type::Bool]);
        let rows = vec![
            t(Ctor::True, Ctor::True),
            t(Ctor::False, Ctor::False),
            t(Ctor::True, Ctor::False),
        ];
        assert_eq!(space_check(rows, ty).as_deref(), Some("(false, true)"));
    }
}

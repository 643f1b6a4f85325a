//! Signature help: the signature of the call around the cursor and its active parameter.
//!
//! Takes the document's name, text, the cursor offset and a [`SourceLoader`]; produces the
//! called function's, method's, built-in's or `create`d object's `init` signature with the
//! byte ranges of its parameters in the label, the index of the argument the cursor is in
//! (commas at the call's own nesting level before the cursor) and the doc comment. A call
//! still being typed (`inc(4` with no `)`) is analysed with a `)` added at the cursor.

use crate::ide::analysis::{Analysis, ROOT, analyze};
use crate::ide::locate;
use crate::pipeline::SourceLoader;
use crate::resolve::{ItemDef, Res};
use crate::syntax::ast::{Expr, ExprKind};
use crate::syntax::lexer::lex;
use crate::syntax::span::FileId;
use crate::syntax::token::Token;
use crate::typeck::signatures::FnSig;
use crate::typeck::{RefTarget, Type};

/// A signature to show while typing a call.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureHelp {
    pub label: String,
    /// Byte ranges of the parameters in `label`.
    pub params: Vec<(usize, usize)>,
    /// The argument the cursor is in (may equal `params.len()` past the last one).
    pub active: usize,
    pub doc: Option<String>,
}

fn build(head: &str, params: &[String], tail: &str, doc: Option<String>) -> SignatureHelp {
    let mut label = format!("{head}(");
    let mut ranges = Vec::new();
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            label.push_str(", ");
        }
        ranges.push((label.len(), label.len() + p.len()));
        label.push_str(p);
    }
    label.push(')');
    label.push_str(tail);
    SignatureHelp {
        label,
        params: ranges,
        active: 0,
        doc,
    }
}

/// The signature help at `offset`.
pub fn signature_help(
    name: &str,
    text: &str,
    offset: usize,
    loader: &mut dyn SourceLoader,
) -> Option<SignatureHelp> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let closed = format!("{}){}", &text[..offset], &text[offset..]);
    for candidate in [text, closed.as_str()] {
        let a = analyze(name, candidate, loader);
        if let Some(help) = help_in(&a, candidate, offset) {
            return Some(help);
        }
    }
    None
}

fn help_in(a: &Analysis, text: &str, offset: usize) -> Option<SignatureHelp> {
    let module = a.root()?;
    let call = locate::at(module, offset).call?;
    let mut help = signature_of(a, call.expr)?;
    help.active = active_argument(text.get(call.open..offset)?);
    Some(help)
}

/// Which argument an argument-list prefix (`(a, f(b, c), `) is in.
fn active_argument(prefix: &str) -> usize {
    let mut depth = 0i32;
    let mut commas = 0;
    for (_, t, _) in lex(FileId(0), prefix).tokens {
        match t {
            Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
            Token::RParen | Token::RBracket | Token::RBrace => depth -= 1,
            Token::Comma if depth == 1 => commas += 1,
            _ => {}
        }
    }
    commas
}

fn fn_help(a: &Analysis, owner: Option<&str>, sig: &FnSig, doc: Option<String>) -> SignatureHelp {
    let (head, params, tail) = a.fn_sig_parts(sig);
    let head = match owner {
        Some(o) => format!("{o}.{head}"),
        None => head,
    };
    build(&head, &params, &tail, doc)
}

fn signature_of(a: &Analysis, e: &Expr) -> Option<SignatureHelp> {
    let typed = a.typed.as_ref()?;
    let defs = &typed.resolution.defs;
    let sigs = &typed.signatures;
    match &e.kind {
        ExprKind::Call { callee, .. } => match a.res(callee.id) {
            Some(Res::Item(ItemDef::Fn(id))) => {
                let doc = a.item_doc(defs.fn_decl(*id).loc);
                Some(fn_help(a, None, sigs.fns.get(id.0 as usize)?, doc))
            }
            res => {
                // A built-in, a variant constructor or a function value: its checked type.
                let Type::Fn(ft) = typed.type_of(ROOT, callee.id)? else {
                    return None;
                };
                let name = match (res, &callee.kind) {
                    (Some(Res::Builtin(b)), _) => b.name().to_string(),
                    (_, ExprKind::Path(p)) => p
                        .segments
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join("::"),
                    _ => "fn".to_string(),
                };
                let params: Vec<String> = ft.params.iter().map(|t| t.display(defs, &[])).collect();
                let tail = format!(" -> {}", ft.ret.display(defs, &[]));
                Some(build(&name, &params, &tail, None))
            }
        },
        ExprKind::MethodCall {
            receiver, method, ..
        } => {
            if let Some(Res::Item(ItemDef::Fn(id))) =
                typed.resolution.modules.first()?.module_calls.get(&e.id)
            {
                let doc = a.item_doc(defs.fn_decl(*id).loc);
                return Some(fn_help(a, None, sigs.fns.get(id.0 as usize)?, doc));
            }
            let Type::Ref(RefTarget::Object(o)) = typed.type_of(ROOT, receiver.id)? else {
                return None;
            };
            let decl = defs.object(*o);
            let index = decl.methods.iter().position(|m| m.name == method.name)?;
            let sig = sigs.objects.get(o.0 as usize)?.methods.get(index)?;
            let doc = a.member_doc(decl.loc, decl.methods[index].member);
            Some(fn_help(a, Some(&decl.name), sig, doc))
        }
        ExprKind::Create { .. } => {
            let Some(Res::Item(ItemDef::Object(o))) = a.res(e.id) else {
                return None;
            };
            let decl = defs.object(*o);
            let init = sigs.objects.get(o.0 as usize)?.init.as_ref();
            let (params, doc) = match init {
                Some(sig) => (
                    a.fn_sig_parts(sig).1,
                    decl.init.and_then(|m| a.member_doc(decl.loc, m)),
                ),
                None => (Vec::new(), None),
            };
            Some(build(&format!("create {}", decl.name), &params, "", doc))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::active_argument;

    #[test]
    fn commas_inside_nested_calls_and_lists_do_not_count() {
        assert_eq!(active_argument("("), 0);
        assert_eq!(active_argument("(1, "), 1);
        assert_eq!(active_argument("(f(1, 2), [3, 4], "), 2);
    }
}

//! `avmc lsp`: the language server, over stdin/stdout (tower-lsp-server on a one-thread
//! tokio runtime).
//!
//! Takes LSP messages from the editor; keeps the open documents' text; answers with the
//! IO-free analyses of [`avm_compiler::ide`] and the formatter: diagnostics published on
//! open and on every change (the same codes, labels and help as `avmc check`; imports are
//! read from disk next to the document and from the std directory, as `avmc check` does),
//! hover (the checked type or signature and the doc comment), go to definition,
//! references, rename (refused when the new name is already declared), completion (the
//! receiver's methods or fields after `.`, names in scope with their types, keywords, and
//! statement snippets in snippet syntax when the client supports it), signature help,
//! semantic tokens, inlay hints for the types of `let` bindings, document symbols and
//! formatting. Every request analyses the document's current text afresh (imports read
//! from disk). Produces exit status 0 when the editor closes the connection.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use avm_compiler::diagnostics::Severity;
use avm_compiler::fmt::format_source;
use avm_compiler::ide::{
    self, Analysis, CompletionKind, Declaration, DeclarationKind, LineIndex, Position as IdePos,
    Snippets, TokenKind,
};
use avm_compiler::syntax::span::{FileId, Span};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use super::loader::FsLoader;

/// Runs the server until the client disconnects.
pub fn run() -> u8 {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().build() else {
        eprintln!("avmc lsp: cannot start the async runtime");
        return 1;
    };
    runtime.block_on(async {
        let (service, socket) = LspService::new(|client| Backend {
            client,
            docs: Mutex::new(HashMap::new()),
            snippets: AtomicBool::new(false),
        });
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    0
}

struct Backend {
    client: Client,
    /// Open documents: URI text to document text.
    docs: Mutex<HashMap<String, String>>,
    /// Whether the client said it accepts snippet syntax in completions.
    snippets: AtomicBool,
}

fn pos(p: IdePos) -> Position {
    Position::new(p.line, p.character)
}

fn ide_pos(p: Position) -> IdePos {
    IdePos {
        line: p.line,
        character: p.character,
    }
}

fn range(index: &LineIndex, span: Span) -> Range {
    let (a, b) = ide::range(index, span);
    Range::new(pos(a), pos(b))
}

fn symbol_kind(kind: DeclarationKind) -> SymbolKind {
    match kind {
        DeclarationKind::Function => SymbolKind::FUNCTION,
        DeclarationKind::Struct => SymbolKind::STRUCT,
        DeclarationKind::Enum => SymbolKind::ENUM,
        DeclarationKind::Object => SymbolKind::CLASS,
        DeclarationKind::Method => SymbolKind::METHOD,
        DeclarationKind::Field => SymbolKind::FIELD,
        DeclarationKind::Variant => SymbolKind::ENUM_MEMBER,
        DeclarationKind::Parameter | DeclarationKind::Local => SymbolKind::VARIABLE,
        DeclarationKind::Import => SymbolKind::MODULE,
    }
}

fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
        CompletionKind::Declaration(d) => match d {
            DeclarationKind::Function => CompletionItemKind::FUNCTION,
            DeclarationKind::Struct => CompletionItemKind::STRUCT,
            DeclarationKind::Enum => CompletionItemKind::ENUM,
            DeclarationKind::Object => CompletionItemKind::CLASS,
            DeclarationKind::Method => CompletionItemKind::METHOD,
            DeclarationKind::Field => CompletionItemKind::FIELD,
            DeclarationKind::Variant => CompletionItemKind::ENUM_MEMBER,
            DeclarationKind::Parameter | DeclarationKind::Local => CompletionItemKind::VARIABLE,
            DeclarationKind::Import => CompletionItemKind::MODULE,
        },
    }
}

/// Document symbols: the declarations with a parent nested under it (locals left out).
fn symbols(decls: &[Declaration], index: &LineIndex) -> Vec<DocumentSymbol> {
    #[allow(deprecated)]
    let make = |d: &Declaration, children: Option<Vec<DocumentSymbol>>| DocumentSymbol {
        name: d.name.clone(),
        detail: Some(d.signature.clone()),
        kind: symbol_kind(d.kind),
        tags: None,
        deprecated: None,
        range: range(index, d.span),
        selection_range: range(index, d.name_span),
        children,
    };
    decls
        .iter()
        .enumerate()
        .filter(|(_, d)| d.parent.is_none() && d.scope.is_none())
        .map(|(i, d)| {
            let children: Vec<DocumentSymbol> = decls
                .iter()
                .filter(|c| c.parent == Some(i))
                .map(|c| make(c, None))
                .collect();
            make(d, (!children.is_empty()).then_some(children))
        })
        .collect()
}

/// The name diagnostics show for a document, and the loader of its imports (files next to
/// it, then the std directory, as `avmc check` does).
fn name_and_loader(uri: &Uri) -> (String, FsLoader) {
    let path = uri.to_file_path().map(|p| p.into_owned());
    let name = path
        .as_ref()
        .map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string());
    let dir = path
        .as_ref()
        .and_then(|p| p.parent().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."));
    (name, FsLoader::new(dir))
}

/// Parses, resolves and type-checks a document's text.
fn analyze(uri: &Uri, text: &str) -> Analysis {
    let (name, mut loader) = name_and_loader(uri);
    ide::analyze(&name, text, &mut loader)
}

/// Byte range `start..end` of `label` as UTF-16 offsets (what LSP label offsets count).
fn utf16_range(label: &str, (start, end): (usize, usize)) -> [u32; 2] {
    let units = |s: &str| s.chars().map(char::len_utf16).sum::<usize>() as u32;
    [
        units(label.get(..start).unwrap_or("")),
        units(label.get(..end).unwrap_or(label)),
    ]
}

impl Backend {
    fn text(&self, uri: &Uri) -> Option<String> {
        self.docs.lock().ok()?.get(uri.as_str()).cloned()
    }

    /// Checks the document and publishes its diagnostics.
    async fn publish(&self, uri: Uri, text: String, version: Option<i32>) {
        let diags = ide::analysis_diagnostics(&analyze(&uri, &text), &text)
            .into_iter()
            .map(|d| Diagnostic {
                range: Range::new(pos(d.start), pos(d.end)),
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(d.code)),
                source: Some("avmc".into()),
                message: d.message,
                ..Diagnostic::default()
            })
            .collect();
        self.client.publish_diagnostics(uri, diags, version).await;
    }

    /// The document and byte offset of a position request.
    fn at(&self, params: &TextDocumentPositionParams) -> Option<(String, LineIndex, usize)> {
        let text = self.text(&params.text_document.uri)?;
        let index = LineIndex::new(&text);
        let offset = index.offset(ide_pos(params.position));
        Some((text, index, offset))
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        self.snippets.store(snippets, Ordering::Relaxed);
        let legend = SemanticTokensLegend {
            token_types: TokenKind::ALL
                .iter()
                .map(|k| SemanticTokenType::new(k.lsp_name()))
                .collect(),
            token_modifiers: Vec::new(),
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "avmc".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::FULL,
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![".".into()]),
                    ..CompletionOptions::default()
                }),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(vec!["(".into(), ",".into()]),
                    ..SignatureHelpOptions::default()
                }),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend,
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            ..SemanticTokensOptions::default()
                        },
                    ),
                ),
                inlay_hint_provider: Some(OneOf::Left(true)),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        if let Ok(mut docs) = self.docs.lock() {
            docs.insert(doc.uri.as_str().to_string(), doc.text.clone());
        }
        self.publish(doc.uri, doc.text, Some(doc.version)).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Full sync: the last change holds the whole text.
        let Some(change) = params.content_changes.into_iter().last() else {
            return;
        };
        let uri = params.text_document.uri;
        if let Ok(mut docs) = self.docs.lock() {
            docs.insert(uri.as_str().to_string(), change.text.clone());
        }
        self.publish(uri, change.text, Some(params.text_document.version))
            .await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        if let Ok(mut docs) = self.docs.lock() {
            docs.remove(params.text_document.uri.as_str());
        }
        self.client
            .publish_diagnostics(params.text_document.uri, Vec::new(), None)
            .await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let Some((text, index, offset)) = self.at(&params.text_document_position_params) else {
            return Ok(None);
        };
        let analysis = analyze(
            &params.text_document_position_params.text_document.uri,
            &text,
        );
        Ok(ide::hover(&analysis, &text, offset).map(|value| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: ide::word_at(&text, offset).map(|(_, span)| range(&index, span)),
        }))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = &params.text_document_position_params;
        let Some((text, index, offset)) = self.at(p) else {
            return Ok(None);
        };
        Ok(ide::definition_at(&text, offset).map(|d| {
            GotoDefinitionResponse::Scalar(Location::new(
                p.text_document.uri.clone(),
                range(&index, d.name_span),
            ))
        }))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = &params.text_document_position;
        let Some((text, index, offset)) = self.at(p) else {
            return Ok(None);
        };
        let uri = &p.text_document.uri;
        Ok(Some(
            ide::references_at(&text, offset)
                .into_iter()
                .map(|s| Location::new(uri.clone(), range(&index, s)))
                .collect(),
        ))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = &params.text_document_position;
        let Some((text, index, offset)) = self.at(p) else {
            return Ok(None);
        };
        let new_name = params.new_name;
        let valid = new_name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && new_name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !avm_compiler::syntax::token::KEYWORDS.contains(&new_name.as_str());
        if !valid {
            return Err(Error::invalid_params(format!(
                "`{new_name}` is not a name (a letter or `_`, then letters, digits or `_`; not a keyword)"
            )));
        }
        if ide::declarations(&text).iter().any(|d| d.name == new_name) {
            return Err(Error::invalid_params(format!(
                "`{new_name}` is already declared in this file; renaming would make the two clash"
            )));
        }
        let edits: Vec<TextEdit> = ide::references_at(&text, offset)
            .into_iter()
            .map(|s| TextEdit::new(range(&index, s), new_name.clone()))
            .collect();
        if edits.is_empty() {
            return Ok(None);
        }
        let mut changes = HashMap::new();
        changes.insert(p.text_document.uri.clone(), edits);
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = &params.text_document_position;
        let Some((text, _, offset)) = self.at(p) else {
            return Ok(None);
        };
        let snippets = if self.snippets.load(Ordering::Relaxed) {
            Snippets::Supported
        } else {
            Snippets::PlainText
        };
        let (name, mut loader) = name_and_loader(&p.text_document.uri);
        let items = ide::completions(&name, &text, offset, &mut loader, snippets)
            .into_iter()
            .map(|i| CompletionItem {
                label: i.completion.label,
                kind: Some(completion_kind(i.completion.kind)),
                detail: Some(i.completion.detail),
                insert_text: i.insert,
                insert_text_format: Some(if i.snippet {
                    InsertTextFormat::SNIPPET
                } else {
                    InsertTextFormat::PLAIN_TEXT
                }),
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let p = &params.text_document_position_params;
        let Some((text, _, offset)) = self.at(p) else {
            return Ok(None);
        };
        let (name, mut loader) = name_and_loader(&p.text_document.uri);
        Ok(
            ide::signature_help(&name, &text, offset, &mut loader).map(|h| {
                let parameters = h
                    .params
                    .iter()
                    .map(|&r| ParameterInformation {
                        label: ParameterLabel::LabelOffsets(utf16_range(&h.label, r)),
                        documentation: None,
                    })
                    .collect();
                SignatureHelp {
                    signatures: vec![SignatureInformation {
                        label: h.label,
                        documentation: h.doc.map(|d| {
                            Documentation::MarkupContent(MarkupContent {
                                kind: MarkupKind::Markdown,
                                value: d.trim().to_string(),
                            })
                        }),
                        parameters: Some(parameters),
                        active_parameter: Some(h.active as u32),
                    }],
                    active_signature: Some(0),
                    active_parameter: Some(h.active as u32),
                }
            }),
        )
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = &params.text_document.uri;
        let Some(text) = self.text(uri) else {
            return Ok(None);
        };
        let analysis = analyze(uri, &text);
        let tokens = ide::semantic_tokens(&analysis, &text);
        let data = ide::tokens::encode(&text, &tokens)
            .into_iter()
            .map(|[l, s, n, k, m]| SemanticToken {
                delta_line: l,
                delta_start: s,
                length: n,
                token_type: k,
                token_modifiers_bitset: m,
            })
            .collect();
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        })))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = &params.text_document.uri;
        let Some(text) = self.text(uri) else {
            return Ok(None);
        };
        let index = LineIndex::new(&text);
        let (from, to) = (
            index.offset(ide_pos(params.range.start)),
            index.offset(ide_pos(params.range.end)),
        );
        let hints = ide::inlay_hints(&analyze(uri, &text))
            .into_iter()
            .filter(|h| from <= h.offset && h.offset <= to)
            .map(|h| InlayHint {
                position: pos(index.position(h.offset)),
                label: InlayHintLabel::String(h.label),
                kind: Some(InlayHintKind::TYPE),
                text_edits: None,
                tooltip: None,
                padding_left: None,
                padding_right: None,
                data: None,
            })
            .collect();
        Ok(Some(hints))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(text) = self.text(&params.text_document.uri) else {
            return Ok(None);
        };
        let index = LineIndex::new(&text);
        Ok(Some(DocumentSymbolResponse::Nested(symbols(
            &ide::declarations(&text),
            &index,
        ))))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some(text) = self.text(&params.text_document.uri) else {
            return Ok(None);
        };
        // A file with syntax errors is not formatted (its diagnostics say why).
        let Ok(formatted) = format_source(FileId(0), &text) else {
            return Ok(None);
        };
        if formatted == text {
            return Ok(Some(Vec::new()));
        }
        let index = LineIndex::new(&text);
        let whole = Range::new(Position::new(0, 0), pos(index.position(text.len())));
        Ok(Some(vec![TextEdit::new(whole, formatted)]))
    }
}

//! `avmc lsp`: the language server, over stdin/stdout (tower-lsp-server on a one-thread
//! tokio runtime).
//!
//! Takes LSP messages from the editor; keeps the open documents' text; answers with the
//! IO-free analyses of [`avm_compiler::ide`] and the formatter: diagnostics published on
//! open and on every change (the same codes, labels and help as `avmc check`; imports are
//! read from disk next to the document and from the std directory, as `avmc check` does),
//! hover, go to definition, references, rename (refused when the new name is already
//! declared), completion, document symbols and formatting. Produces exit status 0 when
//! the editor closes the connection.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use avm_compiler::diagnostics::Severity;
use avm_compiler::fmt::format_source;
use avm_compiler::ide::{
    self, CompletionKind, Declaration, DeclarationKind, LineIndex, Position as IdePos,
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

impl Backend {
    fn text(&self, uri: &Uri) -> Option<String> {
        self.docs.lock().ok()?.get(uri.as_str()).cloned()
    }

    /// Checks the document and publishes its diagnostics.
    async fn publish(&self, uri: Uri, text: String, version: Option<i32>) {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let name = path
            .as_ref()
            .map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string());
        let dir = path
            .as_ref()
            .and_then(|p| p.parent().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("."));
        let mut loader = FsLoader::new(dir);
        let diags = ide::diagnostics(&name, &text, &mut loader)
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
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
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
        Ok(ide::hover_at(&text, offset).map(|value| Hover {
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
        let Some((text, _, offset)) = self.at(&params.text_document_position) else {
            return Ok(None);
        };
        let items = ide::completions_at(&text, offset)
            .into_iter()
            .map(|c| CompletionItem {
                label: c.label,
                kind: Some(completion_kind(c.kind)),
                detail: Some(c.detail),
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
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

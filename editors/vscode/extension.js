// The AVM extension's client side: starts `avmc lsp` (the language server) for .avm files.
//
// Takes the settings `avm.server.path` (the avmc executable, default `avmc` on PATH) and
// `avm.server.extraArgs`; produces a running language client for the `avm` language.
// Highlighting comes from the TextMate grammar either way; without avmc the extension
// shows a warning and keeps the grammar.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("avm");
  const command = config.get("server.path") || "avmc";
  const extraArgs = config.get("server.extraArgs") || [];
  const serverOptions = {
    command,
    args: ["lsp", ...extraArgs],
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "avm" }, { scheme: "untitled", language: "avm" }],
  };
  client = new LanguageClient("avm", "AVM language server", serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showWarningMessage(
      `AVM: could not start \`${command} lsp\` (${error.message}). Set "avm.server.path" to the avmc executable.`
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

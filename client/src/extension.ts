/**
 * Prompt Coach for VS Code: a thin client of the Python language server
 * (`promptcoach serve`). It finds Python, starts the server, and adds what only
 * VS Code offers: commands, a status bar item, snippet expansion, the `@coach`
 * chat participant and its language model tool.
 */

import * as vscode from 'vscode';
import { registerChat } from './chat';
import { checkWorkspace, expandPromptAtCursor } from './commands';
import { ServerController } from './server';
import { SECTION, RESTART_SETTINGS, documentSelector, includeGlobs } from './settings';
import { PromptStatus } from './statusBar';

let controller: ServerController | undefined;

function isServed(document: vscode.TextDocument): boolean {
  const config = vscode.workspace.getConfiguration(SECTION);
  const selector = documentSelector(includeGlobs(config), config.get<string[]>('commentLanguages') ?? []);
  return vscode.languages.match(selector, document) > 0;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Prompt Coach', { log: true });
  const server = new ServerController(context.extensionPath, output);
  controller = server;
  const workspaceDiagnostics = vscode.languages.createDiagnosticCollection('promptcoach-workspace');

  context.subscriptions.push(
    output,
    server,
    workspaceDiagnostics,
    new PromptStatus(server, isServed),
    vscode.commands.registerCommand('promptcoach.expandPrompt', () => expandPromptAtCursor(server)),
    vscode.commands.registerCommand('promptcoach.checkWorkspace', () =>
      checkWorkspace(server, workspaceDiagnostics, context.extensionPath),
    ),
    vscode.commands.registerCommand('promptcoach.restartServer', () => server.restart()),
    vscode.commands.registerCommand('promptcoach.showOutput', () => { output.show(); }),
    // An opened file is the server's from now on; drop the workspace check's copy.
    vscode.workspace.onDidOpenTextDocument((document) => { workspaceDiagnostics.delete(document.uri); }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.enable`)) {
        const enabled = vscode.workspace.getConfiguration(SECTION).get<boolean>('enable') !== false;
        void (enabled ? server.restart() : server.stop());
      } else if (RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) {
        void server.restart();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server.restart()),
    ...registerChat(server, output),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

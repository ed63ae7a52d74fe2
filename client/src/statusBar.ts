/**
 * The status bar item: category and score of the prompt under the cursor, or
 * the server's state when the cursor is on no prompt.
 */

import * as vscode from 'vscode';
import { promptFactsAt, type PromptFacts } from './promptFacts';
import type { ServerController, ServerState } from './server';

export function statusText(facts: PromptFacts | undefined, state: ServerState): { text: string; tooltip: string } {
  if (state === 'failed') {
    return { text: '$(warning) Prompt Coach', tooltip: 'Prompt Coach: the server is not running. Click to see why.' };
  }
  if (state === 'starting') {
    return { text: '$(sync~spin) Prompt Coach', tooltip: 'Prompt Coach: starting the server' };
  }
  if (!facts) {
    return { text: '$(sparkle) Prompt Coach', tooltip: 'Prompt Coach: no coached prompt under the cursor' };
  }
  return {
    text: `$(sparkle) ${facts.category} ${facts.present}/${facts.total}`,
    tooltip: `Prompt Coach: this prompt is about ${facts.category} and names ${facts.present} of its ${facts.total} key details. Click to expand it.`,
  };
}

export class PromptStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('promptcoach.prompt', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: { dispose(): unknown }[] = [];

  constructor(
    private readonly server: ServerController,
    private readonly isServed: (document: vscode.TextDocument) => boolean,
  ) {
    this.item.name = 'Prompt Coach';
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => { this.update(); }),
      vscode.window.onDidChangeTextEditorSelection(() => { this.update(); }),
      vscode.languages.onDidChangeDiagnostics(() => { this.update(); }),
      server.onDidChangeState(() => { this.update(); }),
    );
    this.update();
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.isServed(editor.document)) {
      this.item.hide();
      return;
    }
    const facts = promptFactsAt(vscode.languages.getDiagnostics(editor.document.uri), editor.selection.active);
    const { text, tooltip } = statusText(facts, this.server.state);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = facts && this.server.state === 'running' ? 'promptcoach.expandPrompt' : 'promptcoach.showOutput';
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}

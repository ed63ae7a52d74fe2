/**
 * The server's coaching of text that is in no file: its `promptcoach.checkPrompt`
 * and `promptcoach.explainCategory` commands (server/promptcoach/lsp/check_prompt.py),
 * run for the project of the active editor's file, else of the first workspace folder.
 */

import * as vscode from 'vscode';
import type { ServerController } from '../server';
import type { Coach } from './respond';
import { asCategoryCard, asCoachResult } from './result';

export const CHECK_PROMPT = 'promptcoach.checkPrompt';
export const EXPLAIN_CATEGORY = 'promptcoach.explainCategory';

/** The file or folder whose project context applies to a chat prompt. */
export function contextUri(): string | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(document.uri)) {
    return document.uri.toString();
  }
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
  return folder?.uri.toString();
}

export function serverCoach(server: ServerController, token?: vscode.CancellationToken): Coach {
  return {
    check: async (text) => asCoachResult(await server.executeCommand(CHECK_PROMPT, [{ text, uri: contextUri() }], token)),
    explain: async (id) => asCategoryCard(await server.executeCommand(EXPLAIN_CATEGORY, [{ id, uri: contextUri() }], token)),
  };
}

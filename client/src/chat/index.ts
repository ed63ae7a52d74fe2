/**
 * Prompt Coach in VS Code's chat: the `@coach` participant and the
 * `promptcoach_checkPrompt` tool. Where the chat API is missing (an older or a
 * stripped-down editor) neither is registered and nothing else changes.
 */

import type * as vscode from 'vscode';
import type { ServerController } from '../server';
import { serverCoach } from './coach';
import { registerParticipant } from './participant';
import { registerCheckPromptTool } from './tool';

export function registerChat(server: ServerController, output: vscode.LogOutputChannel): { dispose(): void }[] {
  const coachFor = (token: vscode.CancellationToken) => serverCoach(server, token);
  const registered: { dispose(): void }[] = [];
  for (const [what, register] of [
    ['the @coach chat participant', registerParticipant],
    ['the promptcoach_checkPrompt tool', registerCheckPromptTool],
  ] as const) {
    try {
      const disposable = register(coachFor);
      if (disposable) {
        registered.push(disposable);
      } else {
        output.info(`This editor has no API for ${what}; it is left out.`);
      }
    } catch (error) {
      output.warn(`Could not register ${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return registered;
}

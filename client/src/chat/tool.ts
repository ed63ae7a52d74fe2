/**
 * The `promptcoach_checkPrompt` language model tool (`#promptcoach` in agent
 * mode): input `{prompt}`, result the findings and the specific form as text.
 */

import * as vscode from 'vscode';
import type { Coach } from './respond';
import { toolResultText } from './toolText';

export const TOOL_NAME = 'promptcoach_checkPrompt';

export interface CheckPromptInput {
  prompt: string;
}

/** Registers the tool where VS Code has the language model tool API; undefined elsewhere. */
export function registerCheckPromptTool(coachFor: (token: vscode.CancellationToken) => Coach): vscode.Disposable | undefined {
  if (typeof vscode.lm?.registerTool !== 'function') {
    return undefined;
  }
  return vscode.lm.registerTool<CheckPromptInput>(TOOL_NAME, {
    prepareInvocation: () => ({ invocationMessage: 'Checking the prompt with Prompt Coach' }),
    invoke: async (options, token) => {
      const prompt: unknown = (options.input as Partial<CheckPromptInput> | undefined)?.prompt;
      if (typeof prompt !== 'string' || !prompt.trim()) {
        throw new Error(`${TOOL_NAME} needs the prompt to check as {"prompt": "..."}.`);
      }
      const result = await coachFor(token).check(prompt);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(toolResultText(result))]);
    },
  });
}

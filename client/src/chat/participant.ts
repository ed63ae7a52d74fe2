/**
 * The `@coach` chat participant: `/check` (default), `/expand`, `/explain`.
 * It answers from the server without calling any language model.
 */

import * as vscode from 'vscode';
import { commandOf, type Answer, type Followup } from './answer';
import { respond, type Coach } from './respond';

export const PARTICIPANT_ID = 'promptcoach.coach';
/** Puts text into the chat input without sending it. */
export const OPEN_CHAT = 'workbench.action.chat.open';

interface CoachResultMetadata {
  followups?: Followup[];
}

function render(answer: Answer, stream: vscode.ChatResponseStream): void {
  for (const part of answer.parts) {
    if (part.kind === 'markdown') {
      stream.markdown(part.value);
    } else {
      stream.button({ command: OPEN_CHAT, title: part.title, arguments: [{ query: part.query, isPartialQuery: true }] });
    }
  }
}

/** Registers `@coach` where VS Code has the chat API; undefined elsewhere. */
export function registerParticipant(coachFor: (token: vscode.CancellationToken) => Coach): { dispose(): void } | undefined {
  if (typeof vscode.chat?.createChatParticipant !== 'function') {
    return undefined;
  }
  const handler: vscode.ChatRequestHandler = async (request, _context, stream, token) => {
    stream.progress('Checking the prompt');
    try {
      const answer = await respond(coachFor(token), commandOf(request.command), request.prompt);
      render(answer, stream);
      const metadata: CoachResultMetadata = { followups: answer.followups };
      return { metadata };
    } catch (error) {
      return { errorDetails: { message: `Prompt Coach could not check the prompt: ${error instanceof Error ? error.message : String(error)}` } };
    }
  };
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, handler);
  participant.iconPath = new vscode.ThemeIcon('sparkle');
  participant.followupProvider = {
    provideFollowups: (result) => (result.metadata as CoachResultMetadata | undefined)?.followups ?? [],
  };
  return participant;
}

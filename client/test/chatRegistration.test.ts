import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { registerChat } from '../src/chat';
import { CHECK_PROMPT } from '../src/chat/coach';
import { OPEN_CHAT, PARTICIPANT_ID } from '../src/chat/participant';
import { TOOL_NAME } from '../src/chat/tool';
import type { ServerController } from '../src/server';
import { fake, LanguageModelTextPart, LanguageModelToolResult } from './fake-vscode';

const SPECIFIC = 'Using <ORM or schema language>, define a `Post` model.';
const RESULT = {
  version: 1,
  prompts: [
    {
      text: 'Make a posts table.',
      kind: 'request',
      category: 'database-schema',
      title: 'Database schema & migrations',
      score: { present: 1, total: 6 },
      present: [],
      missing: [{ id: 'fields', title: 'Field names', reason: 'The columns each model holds.' }],
      inherited: [],
      findings: [],
      expansion: SPECIFIC,
    },
  ],
  categories: [{ id: 'database-schema', title: 'Database schema & migrations' }],
};

function server(answer: (command: string, args: unknown[]) => Promise<unknown>) {
  const sent: { command: string; args: unknown[] }[] = [];
  const controller = {
    executeCommand: (command: string, args: unknown[]) => {
      sent.push({ command, args });
      return answer(command, args);
    },
  } as unknown as ServerController;
  return { controller, sent };
}

function output() {
  const lines: string[] = [];
  const channel = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
  return { channel: channel as unknown as vscode.LogOutputChannel, lines };
}

function stream() {
  const calls: { kind: string; value: unknown }[] = [];
  return {
    calls,
    markdown: (value: unknown) => calls.push({ kind: 'markdown', value }),
    button: (value: unknown) => calls.push({ kind: 'button', value }),
    progress: (value: unknown) => calls.push({ kind: 'progress', value }),
  };
}

const TOKEN = { isCancellationRequested: false };

describe('chat registration', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('registers nothing, and fails nothing, where the chat API is missing', () => {
    fake.chatApi = false;
    const { controller } = server(() => Promise.resolve(RESULT));
    const log = output();
    assert.deepEqual(registerChat(controller, log.channel), []);
    assert.equal(fake.participants.length, 0);
    assert.equal(fake.tools.size, 0);
    assert.equal(log.lines.length, 2);
  });

  it('@coach answers from the server, with a button that puts the specific form into the chat input', async () => {
    const { controller, sent } = server(() => Promise.resolve(RESULT));
    assert.equal(registerChat(controller, output().channel).length, 2);
    const [participant] = fake.participants;
    assert.equal(participant?.id, PARTICIPANT_ID);
    const out = stream();
    const result = (await participant?.handler({ prompt: 'Make a posts table.', command: undefined }, {}, out, TOKEN)) as {
      metadata: unknown;
    };
    assert.equal(sent[0]?.command, CHECK_PROMPT);
    assert.deepEqual((sent[0]?.args[0] as { text: string }).text, 'Make a posts table.');
    const markdown = out.calls.filter((call) => call.kind === 'markdown').map((call) => String(call.value)).join('\n');
    assert.match(markdown, /- \*\*Field names\*\*: The columns each model holds\./);
    const button = out.calls.find((call) => call.kind === 'button');
    assert.deepEqual(button?.value, { command: OPEN_CHAT, title: 'Use this prompt', arguments: [{ query: SPECIFIC, isPartialQuery: true }] });
    const followups = participant?.followupProvider?.provideFollowups(result, {}, TOKEN) as { label: string }[];
    assert.deepEqual(followups.map((followup) => followup.label), ['Explain database-schema', 'Only the specific form']);
  });

  it('@coach says what went wrong when the server cannot answer', async () => {
    const { controller } = server(() => Promise.reject(new Error('The Prompt Coach server is not running')));
    registerChat(controller, output().channel);
    const result = (await fake.participants[0]?.handler({ prompt: 'Make a posts table.' }, {}, stream(), TOKEN)) as {
      errorDetails: { message: string };
    };
    assert.match(result.errorDetails.message, /could not check the prompt: The Prompt Coach server is not running/);
  });

  it('the tool returns the findings and the specific form as text', async () => {
    const { controller, sent } = server(() => Promise.resolve(RESULT));
    registerChat(controller, output().channel);
    const tool = fake.tools.get(TOOL_NAME);
    assert.ok(tool);
    const answer = (await tool.invoke({ input: { prompt: 'Make a posts table.' } }, TOKEN)) as LanguageModelToolResult;
    assert.ok(answer instanceof LanguageModelToolResult);
    const [part] = answer.content;
    assert.ok(part instanceof LanguageModelTextPart);
    assert.match(part.value, /Missing: fields \(Field names\): The columns each model holds\./);
    assert.ok(part.value.includes(SPECIFIC));
    assert.equal(sent.length, 1);
    await assert.rejects(tool.invoke({ input: {} }, TOKEN), /needs the prompt to check/);
  });
});

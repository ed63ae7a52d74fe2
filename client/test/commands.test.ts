import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { EXPAND_COMMAND, expandPromptAtCursor } from '../src/commands';
import { statusText } from '../src/statusBar';
import { fake } from './fake-vscode';

function editorAt(line: number, character: number) {
  return {
    document: { uri: vscode.Uri.file('/ws/a.prompt.md') },
    selection: { active: new vscode.Position(line, character) },
  };
}

/** A stand-in for the server: records the commands run and answers with `answer`. */
function serverAnswering(answer: unknown) {
  const calls: { command: string; args: unknown[] }[] = [];
  return {
    calls,
    executeCommand: (command: string, args: unknown[]) => {
      calls.push({ command, args });
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

describe('expand command', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('asks the server to expand the prompt at the cursor', async () => {
    fake.activeTextEditor = editorAt(1, 4);
    const server = serverAnswering({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 15 } }, newText: 'x', title: 'Expand' });
    assert.equal(await expandPromptAtCursor(server), true);
    assert.deepEqual(server.calls, [
      { command: EXPAND_COMMAND, args: [{ uri: vscode.Uri.file('/ws/a.prompt.md').toString(), position: { line: 1, character: 4 } }] },
    ]);
    assert.deepEqual(fake.messages, []);
  });

  it('says there is nothing to expand when the server finds no prompt', async () => {
    fake.activeTextEditor = editorAt(4, 0);
    assert.equal(await expandPromptAtCursor(serverAnswering(null)), false);
    assert.match(fake.messages.join('\n'), /no prompt to expand/);
  });

  it('reports a server that cannot answer', async () => {
    fake.activeTextEditor = editorAt(1, 0);
    assert.equal(await expandPromptAtCursor(serverAnswering(new Error('The Prompt Coach server is not running'))), false);
    assert.match(fake.messages.join('\n'), /could not expand.*not running/);
  });

  it('does nothing without an editor', async () => {
    const server = serverAnswering(null);
    assert.equal(await expandPromptAtCursor(server), false);
    assert.deepEqual(server.calls, []);
  });
});

describe('status bar text', () => {
  it('shows category and score, or the server state', () => {
    assert.equal(statusText({ category: 'authentication', present: 1, total: 4 }, 'running').text, '$(sparkle) authentication 1/4');
    assert.match(statusText(undefined, 'failed').text, /warning/);
    assert.match(statusText(undefined, 'running').tooltip, /no coached prompt/);
  });
});

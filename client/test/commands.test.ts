import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { expandPromptAtCursor } from '../src/commands';
import { statusText } from '../src/statusBar';
import { fake } from './fake-vscode';

const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 15 } };

function editorAt(line: number, character: number) {
  const inserted: { snippet: string; range: vscode.Range }[] = [];
  return {
    inserted,
    document: { uri: vscode.Uri.file('/ws/a.prompt.md') },
    selection: { active: new vscode.Position(line, character) },
    insertSnippet: (snippet: vscode.SnippetString, where: vscode.Range) => {
      inserted.push({ snippet: snippet.value, range: where });
      return Promise.resolve(true);
    },
  };
}

/** A Prompt Coach missing-detail warning on line 2 whose data lists `fixes`. */
function missingDetailDiagnostic(message: string, fixes: unknown[]): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(new vscode.Range(1, 0, 1, 15), message, vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'promptcoach';
  (diagnostic as unknown as { data: unknown }).data = {
    range,
    facts: { category: 'api-endpoint', present: ['route'], missing: ['framework'] },
    fixes,
  };
  return diagnostic;
}

function promptDiagnostic(): vscode.Diagnostic {
  return missingDetailDiagnostic('Name the technology', [
    {
      title: 'Expand to the specific prompt',
      kind: 'refactor.rewrite',
      preferred: false,
      edits: [{ range, newText: 'Create an Express route.', snippet: 'Create an ${1|Express,Fastify|} route.$0' }],
    },
  ]);
}

describe('expand command', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('inserts the expansion as a snippet over the prompt', async () => {
    const editor = editorAt(1, 4);
    fake.activeTextEditor = editor;
    fake.diagnostics = [promptDiagnostic()];
    assert.equal(await expandPromptAtCursor(), true);
    assert.equal(editor.inserted.length, 1);
    assert.equal(editor.inserted[0].snippet, 'Create an ${1|Express,Fastify|} route.$0');
    assert.deepEqual(
      [editor.inserted[0].range.start.line, editor.inserted[0].range.start.character, editor.inserted[0].range.end.character],
      [1, 0, 15],
    );
  });

  it('falls back to the server code action, then says there is nothing to expand', async () => {
    fake.activeTextEditor = editorAt(4, 0);
    fake.codeActions = [{ title: 'Expand prompt', edit: { marker: 'edit' } }];
    assert.equal(await expandPromptAtCursor(), true);
    assert.deepEqual(fake.appliedEdits, [{ marker: 'edit' }]);
    fake.codeActions = [];
    assert.equal(await expandPromptAtCursor(), false);
    assert.match(fake.messages.join('\n'), /no prompt to expand/);
  });
});

/** A missing-detail diagnostic whose expansion is too large for `data`: listed without edits. */
function lazyPromptDiagnostic(): vscode.Diagnostic {
  return missingDetailDiagnostic('Key details missing', [
    { title: 'Add the framework', edits: [{ range: { start: range.end, end: range.end }, newText: ' with Express' }] },
    { title: 'Expand into a specific API endpoint prompt', preferred: true, lazy: true },
  ]);
}

describe('expand command with a lazy expansion', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('asks VS Code to resolve the code actions and applies the resolved expansion', async () => {
    const editor = editorAt(1, 4);
    fake.activeTextEditor = editor;
    fake.diagnostics = [lazyPromptDiagnostic()];
    fake.codeActions = [
      { title: 'Add the framework', kind: { value: 'quickfix' }, edit: { marker: 'add' } },
      { title: 'Disable missing-detail for this line', kind: { value: 'quickfix' }, edit: { marker: 'disable' } },
      { title: 'Rewrite as a specific API endpoint prompt', kind: { value: 'refactor.rewrite' }, lazyEdit: { marker: 'rewrite' } },
      { title: 'Expand into a specific API endpoint prompt', kind: { value: 'quickfix' }, lazyEdit: { marker: 'expand' } },
    ];
    assert.equal(await expandPromptAtCursor(), true);
    const request = fake.executed.find((call) => call.command === 'vscode.executeCodeActionProvider');
    assert.ok(request);
    assert.equal(typeof request.args[3], 'number');
    assert.ok((request.args[3] as number) >= fake.codeActions.length);
    assert.deepEqual(fake.appliedEdits, [{ marker: 'expand' }]);
    assert.equal(editor.inserted.length, 0);
    assert.deepEqual(fake.messages, []);
  });

  it('says there is nothing to expand when the server offers no expansion', async () => {
    fake.activeTextEditor = editorAt(1, 4);
    fake.diagnostics = [lazyPromptDiagnostic()];
    fake.codeActions = [{ title: 'Add the framework', kind: { value: 'quickfix' }, edit: { marker: 'add' } }];
    assert.equal(await expandPromptAtCursor(), false);
    assert.deepEqual(fake.appliedEdits, []);
    assert.match(fake.messages.join('\n'), /no prompt to expand/);
  });
});

describe('status bar text', () => {
  it('shows category and score, or the server state', () => {
    assert.equal(statusText({ category: 'authentication', present: 1, total: 4 }, 'running').text, '$(sparkle) authentication 1/4');
    assert.match(statusText(undefined, 'failed').text, /warning/);
    assert.match(statusText(undefined, 'running').tooltip, /no coached prompt/);
  });
});

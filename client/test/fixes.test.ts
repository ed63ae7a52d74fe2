import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeSnippet, expandAt, fixesOf, promptFactsAt, type DiagnosticLike } from '../src/fixes';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

/** A diagnostic as the server sends it (server/promptcoach/lsp/convert.py diagnostic_json). */
function diagnostic(line: number, fixes: unknown[], facts: Record<string, unknown> = {}, dataLine = line): DiagnosticLike {
  return {
    range: range(line, 0, 19),
    source: 'promptcoach',
    code: 'missing-detail',
    data: { range: range(dataLine, 0, 19), facts, fixes },
  };
}

const expandFix = {
  title: 'Expand to a specific prompt',
  kind: 'refactor.rewrite',
  preferred: false,
  safe: false,
  edits: [{ range: range(2, 0, 19), newText: 'Using Prisma, define a `Post` model.', snippet: 'Using ${1|Prisma,Drizzle|}, define a `${2:Post}` model.$0' }],
};
const otherFix = {
  title: 'Name the technology',
  kind: 'quickfix',
  preferred: true,
  safe: false,
  edits: [{ range: range(2, 19, 19), newText: ' Use Prisma.' }],
};

describe('fixes from diagnostic data', () => {
  it('finds the expansion at the cursor, as a snippet', () => {
    const found = expandAt([diagnostic(2, [otherFix, expandFix])], { line: 2, character: 5 });
    assert.deepEqual(found, {
      title: 'Expand to a specific prompt',
      range: range(2, 0, 19),
      snippet: 'Using ${1|Prisma,Drizzle|}, define a `${2:Post}` model.$0',
      isSnippet: true,
    });
  });

  it('offers nothing outside the prompt or for other sources', () => {
    assert.equal(expandAt([diagnostic(2, [expandFix])], { line: 3, character: 0 }), undefined);
    const foreign = { ...diagnostic(2, [expandFix]), source: 'eslint' };
    assert.equal(expandAt([foreign], { line: 2, character: 1 }), undefined);
    assert.equal(expandAt([diagnostic(2, [otherFix])], { line: 2, character: 1 }), undefined);
  });

  it('escapes plain text when the server sent no snippet', () => {
    const plain = { ...expandFix, edits: [{ range: range(2, 0, 19), newText: 'Costs $5 {a}' }] };
    const found = expandAt([diagnostic(2, [plain])], { line: 2, character: 0 });
    assert.equal(found?.snippet, 'Costs \\$5 {a\\}');
    assert.equal(found?.isSnippet, false);
    assert.equal(escapeSnippet('a\\b'), 'a\\\\b');
  });

  it('moves the edits with the diagnostic', () => {
    const moved = diagnostic(5, [expandFix], {}, 2);
    const [fix] = fixesOf(moved);
    assert.deepEqual(fix.edits[0].range, range(5, 0, 19));
  });

  it('skips malformed fixes', () => {
    const broken = diagnostic(2, [{ title: 'x' }, { title: 'y', edits: [{ range: 3, newText: 'z' }] }, 7, expandFix]);
    assert.equal(fixesOf(broken).length, 1);
    assert.deepEqual(fixesOf({ range: range(0, 0, 1), data: 'nope' }), []);
  });

  it('reads category and score for the status bar', () => {
    const lists = diagnostic(2, [], { category: 'database-schema', present: ['models'], missing: ['technology', 'fields'] });
    assert.deepEqual(promptFactsAt([lists], { line: 2, character: 3 }), { category: 'database-schema', present: 1, total: 3 });
    const score = diagnostic(2, [], { category: 'api-endpoint', score: { present: 2, total: 6 } });
    assert.deepEqual(promptFactsAt([score], { line: 2, character: 3 }), { category: 'api-endpoint', present: 2, total: 6 });
    assert.equal(promptFactsAt([diagnostic(2, [], { term: 'fast' })], { line: 2, character: 3 }), undefined);
  });
});

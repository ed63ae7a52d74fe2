import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contains, promptFactsAt, type DiagnosticLike } from '../src/promptFacts';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

/** A diagnostic as the server sends it (server/promptcoach/lsp/convert.py diagnostic_json). */
function diagnostic(line: number, facts: Record<string, unknown>): DiagnosticLike {
  return { range: range(line, 0, 19), source: 'promptcoach', data: { range: range(line, 0, 19), facts, fixes: [] } };
}

describe('prompt facts from diagnostic data', () => {
  it('reads category and score for the status bar', () => {
    const lists = diagnostic(2, { category: 'database-schema', present: ['models'], missing: ['technology', 'fields'] });
    assert.deepEqual(promptFactsAt([lists], { line: 2, character: 3 }), { category: 'database-schema', present: 1, total: 3 });
    const score = diagnostic(2, { category: 'api-endpoint', score: { present: 2, total: 6 } });
    assert.deepEqual(promptFactsAt([score], { line: 2, character: 3 }), { category: 'api-endpoint', present: 2, total: 6 });
    assert.equal(promptFactsAt([diagnostic(2, { term: 'fast' })], { line: 2, character: 3 }), undefined);
  });

  it('looks only at Prompt Coach diagnostics under the cursor', () => {
    const facts = { category: 'api-endpoint', score: { present: 2, total: 6 } };
    assert.equal(promptFactsAt([diagnostic(2, facts)], { line: 3, character: 0 }), undefined);
    assert.equal(promptFactsAt([{ ...diagnostic(2, facts), source: 'eslint' }], { line: 2, character: 1 }), undefined);
    assert.ok(contains(range(2, 0, 19), { line: 2, character: 19 }));
    assert.ok(!contains(range(2, 0, 19), { line: 2, character: 20 }));
  });
});

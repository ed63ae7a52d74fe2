import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReportExit, parseReport, ReportError } from '../src/workspaceCheck';

const report = {
  version: 1,
  files: [
    {
      path: 'prompts/posts.prompt.md',
      prompts: [
        {
          range: { start: { line: 2, character: 0 }, end: { line: 2, character: 19 } },
          text: 'Make a posts table.',
          category: 'database-schema',
          findings: [
            {
              rule: 'missing-detail',
              severity: 'warning',
              message: 'Name the technology',
              range: { start: { line: 2, character: 0 }, end: { line: 2, character: 19 } },
            },
            { rule: 'broken', message: 'no range' },
          ],
        },
      ],
    },
    { path: 'AGENTS.md', prompts: [] },
  ],
};

describe('workspace check report', () => {
  it('turns the JSON report into findings per absolute file', () => {
    const files = parseReport(JSON.stringify(report), '/ws');
    assert.equal(files.length, 2);
    assert.equal(files[0].file, '/ws/prompts/posts.prompt.md');
    assert.deepEqual(files[0].findings, [
      {
        rule: 'missing-detail',
        severity: 'warning',
        message: 'Name the technology',
        range: { start: { line: 2, character: 0 }, end: { line: 2, character: 19 } },
      },
    ]);
    assert.deepEqual(files[1].findings, []);
  });

  it('rejects output that is not a version 1 report', () => {
    assert.throws(() => parseReport('Traceback...', '/ws'), ReportError);
    assert.throws(() => parseReport('{"version": 2, "files": []}', '/ws'), ReportError);
  });

  it('knows which exit codes carry a report', () => {
    assert.ok(isReportExit(0));
    assert.ok(isReportExit(1));
    assert.ok(!isReportExit(2));
    assert.ok(!isReportExit(null));
  });
});

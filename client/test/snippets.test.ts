import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', name), 'utf8')) as Record<string, Snippet>;
const body = (snippet: Snippet) => (Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body);

/** Checks that `${...}` groups are balanced and choices are well formed; returns the tab stop numbers. */
function tabStops(text: string): { stops: Set<number>; choices: number } {
  const stops = new Set<number>();
  let choices = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') {
      i += 1;
    } else if (ch === '$' && text[i + 1] === '{') {
      const match = /^\$\{(\d+)([:|])/.exec(text.slice(i));
      if (match) {
        stops.add(Number(match[1]));
        if (match[2] === '|') {
          choices += 1;
          assert.match(text.slice(i), /^\$\{\d+\|[^|]+(,[^|]+)+\|\}/, `bad choice list at ${text.slice(i, i + 30)}`);
        }
      }
      depth += 1;
      i += 1;
    } else if (ch === '$' && /\d/.test(text[i + 1] ?? '')) {
      stops.add(Number(/^\$(\d+)/.exec(text.slice(i))?.[1]));
    } else if (ch === '}' && depth > 0) {
      depth -= 1;
    }
  }
  assert.equal(depth, 0, `unbalanced braces in ${text}`);
  return { stops, choices };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { snippets: { language: string; path: string }[] };
};

describe('snippets', () => {
  it('have one specific-prompt template per category with tab stops and choices', () => {
    const snippets = Object.values(load('prompts.json'));
    for (const category of ['database-schema', 'api-endpoint', 'authentication', 'business-logic', 'external-api']) {
      const matching = snippets.filter((s) => [s.prefix].flat().includes(`pc-${category}`));
      assert.equal(matching.length, 1, `no snippet for ${category}`);
      const { stops, choices } = tabStops(body(matching[0]));
      assert.ok(stops.size >= 5, `${category}: only ${stops.size} tab stops`);
      assert.ok(stops.has(0), `${category}: no final tab stop`);
      assert.ok(choices >= 1, `${category}: no choice list`);
    }
  });

  it('include the suppression comments', () => {
    const markdown = Object.values(load('suppress-markdown.json')).map(body).join('\n');
    for (const directive of ['promptcoach-disable-next-line', 'promptcoach-disable-line', 'promptcoach-disable-file']) {
      assert.match(markdown, new RegExp(`<!-- ${directive}[^\\n]*-->`));
    }
    const code = Object.values(load('suppress-code.json')).map(body).join('\n');
    assert.match(code, /\$LINE_COMMENT promptcoach-disable-next-line/);
    for (const snippet of [...Object.values(load('suppress-markdown.json')), ...Object.values(load('suppress-code.json'))]) {
      tabStops(body(snippet));
    }
  });

  it('are contributed for markdown, prompt, instructions and plaintext', () => {
    for (const language of ['markdown', 'prompt', 'instructions', 'plaintext']) {
      for (const file of ['./snippets/prompts.json', './snippets/suppress-markdown.json']) {
        assert.ok(
          manifest.contributes.snippets.some((s) => s.language === language && s.path === file),
          `${file} not contributed for ${language}`,
        );
      }
    }
    for (const entry of manifest.contributes.snippets) {
      assert.ok(fs.existsSync(path.join(ROOT, entry.path)), entry.path);
    }
  });
});

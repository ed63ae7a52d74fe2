import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAnswer, commandOf, explainAnswer, USE_PROMPT, type Answer } from '../src/chat/answer';
import { mdCode, mdCodeBlock, mdText } from '../src/chat/markdown';
import { respond, type Coach } from '../src/chat/respond';
import { asCategoryCard, asCoachResult, ResultShapeError, type CategoryCard, type CoachedPrompt, type CoachResult } from '../src/chat/result';
import { toolResultText } from '../src/chat/toolText';

const CATEGORIES = [
  { id: 'database-schema', title: 'Database schema & migrations' },
  { id: 'api-endpoint', title: 'API endpoint (CRUD)' },
];

const SPECIFIC = 'Using <ORM or schema language>, define a `Post` model with the fields <field names>.';

/** What the server answers for "Make a posts table." (server/promptcoach/engine/coach.py). */
function postsTable(overrides: Partial<CoachedPrompt> = {}): CoachedPrompt {
  return {
    text: 'Make a posts table.',
    kind: 'request',
    category: 'database-schema',
    title: 'Database schema & migrations',
    score: { present: 1, total: 6 },
    present: [{ id: 'models', title: 'Model names', reason: 'Which tables to create.' }],
    missing: [
      { id: 'technology', title: 'Database technology', reason: 'The ORM or database; it decides the syntax.' },
      { id: 'fields', title: 'Field names', reason: 'The columns each model holds.' },
    ],
    inherited: [],
    findings: [{ rule: 'missing-detail', severity: 'warning', message: 'names 1 of 6 key details' }],
    expansion: SPECIFIC,
    ...overrides,
  };
}

function result(...prompts: CoachedPrompt[]): CoachResult {
  return { version: 1, prompts, categories: CATEGORIES };
}

function noCategory(text: string, overrides: Partial<CoachedPrompt> = {}): CoachedPrompt {
  return { ...postsTable(), text, category: null, title: null, score: { present: 0, total: 0 }, present: [], missing: [], findings: [], expansion: null, ...overrides };
}

function markdownOf(answer: Answer): string {
  return answer.parts.map((part) => (part.kind === 'markdown' ? part.value : `[button ${part.title}]`)).join('\n');
}

function buttons(answer: Answer) {
  return answer.parts.flatMap((part) => (part.kind === 'button' ? [part] : []));
}

describe('markdown escaping', () => {
  it('keeps links, images and HTML of repository text from rendering', () => {
    assert.equal(mdText('[click](evil.example) <img src=x> ![i](y)'), '\\[click\\]\\(evil.example\\) \\<img src=x\\> \\!\\[i\\]\\(y\\)');
    // a word with a URL or an address in it is a code span: a renderer links it even escaped
    assert.equal(mdText('[click](https://evil.example) now'), '`[click](https://evil.example)` now');
    assert.equal(mdText('see https://evil.example/x, www.evil.example or a@evil.example'), 'see `https://evil.example/x,` `www.evil.example` or `a@evil.example`');
    assert.equal(mdText('use @decorators'), 'use @decorators');
    assert.equal(mdText('a\n\n# heading'), 'a \\# heading');
  });

  it('makes code spans and blocks whose fences the text cannot close', () => {
    assert.equal(mdCode('a ` b'), '``a ` b``');
    assert.equal(mdCode('`x`'), '`` `x` ``');
    assert.equal(mdCodeBlock('one\n```\ntwo'), '````text\none\n```\ntwo\n````');
  });
});

describe('checkAnswer', () => {
  it('gives the category, score, each missing detail with its reason and the specific form', () => {
    const answer = checkAnswer(result(postsTable()), 'Make a posts table.');
    const text = markdownOf(answer);
    assert.match(text, /### Database schema & migrations: 1 of 6 key details/);
    assert.match(text, /- \*\*Database technology\*\*: The ORM or database; it decides the syntax\./);
    assert.match(text, /- \*\*Field names\*\*: The columns each model holds\./);
    assert.ok(text.includes(mdCodeBlock(SPECIFIC)), text);
    assert.doesNotMatch(text, /names 1 of 6 key details/, 'the missing-detail finding is the list itself');
  });

  it('offers the specific form as "Use this prompt", then followups', () => {
    const answer = checkAnswer(result(postsTable()), 'Make a posts table.');
    assert.deepEqual(buttons(answer), [{ kind: 'button', title: USE_PROMPT, query: SPECIFIC }]);
    assert.deepEqual(answer.followups, [
      { prompt: 'database-schema', command: 'explain', label: 'Explain database-schema' },
      { prompt: 'Make a posts table.', command: 'expand', label: 'Only the specific form' },
    ]);
  });

  it('names what the project already states, and other findings', () => {
    const prompt = postsTable({
      missing: [{ id: 'fields', title: 'Field names', reason: 'The columns.' }],
      inherited: [{ id: 'technology', title: 'Database technology', reason: 'r', path: 'prisma/schema.prisma', line: 0, text: 'Prisma' }],
      findings: [{ rule: 'vague-term', severity: 'information', message: '"some fields" is vague' }],
    });
    const text = markdownOf(checkAnswer(result(prompt), 'x'));
    assert.match(text, /\*\*Already stated by the project\*\*\n- \*\*Database technology\*\*: `Prisma` in `prisma\/schema.prisma:1`/);
    assert.match(text, /- Information: "some fields" is vague \(`vague-term`\)/);
  });

  it('coaches each prompt of a message, each with its own button', () => {
    const endpoint = postsTable({ text: 'Add a GET /posts endpoint.', category: 'api-endpoint', title: 'API endpoint (CRUD)', expansion: 'Using <framework>, add GET /posts.' });
    const answer = checkAnswer(result(postsTable(), endpoint, noCategory('Write a haiku.')), 'three');
    const text = markdownOf(answer);
    assert.match(text, /\*\*Prompt 1:\*\* Make a posts table\./);
    assert.match(text, /\*\*Prompt 2:\*\* Add a GET \/posts endpoint\./);
    assert.match(text, /\*\*Prompt 3:\*\* Write a haiku\.\n\nNo backend category fits this one/);
    assert.deepEqual(buttons(answer).map((button) => button.query), [SPECIFIC, 'Using <framework>, add GET /posts.']);
    assert.deepEqual(answer.followups.slice(0, 2).map((followup) => followup.prompt), ['database-schema', 'api-endpoint']);
  });

  it('answers a prompt of no category kindly, with what it does coach', () => {
    const answer = checkAnswer(result(noCategory('hello there')), 'hello there');
    const text = markdownOf(answer);
    assert.match(text, /does not read like a backend task/);
    assert.match(text, /Database schema & migrations \(`database-schema`\)/);
    assert.deepEqual(buttons(answer), []);
    assert.deepEqual(answer.followups.map((followup) => followup.label), ['Explain database-schema', 'Explain api-endpoint']);
  });

  it('still reports a secret in a prompt of no category', () => {
    const prompt = noCategory('use key sk_live_x', { findings: [{ rule: 'hardcoded-secret', severity: 'error', message: 'a secret' }] });
    assert.match(markdownOf(checkAnswer(result(prompt), 'x')), /- Error: a secret \(`hardcoded-secret`\)/);
  });

  it('escapes prompt and knowledge-pack text', () => {
    const prompt = postsTable({
      text: '[x](https://evil.example)',
      title: '<img src=x onerror=alert(1)>',
      missing: [{ id: 'a', title: '![t](https://evil.example/t.png)', reason: '**bold** [link](y)' }],
    });
    const text = markdownOf(checkAnswer(result(prompt, postsTable()), 'x'));
    const outsideCode = text.replace(/`+[^`]*`+/g, '').replace(/\\\]\\\(/g, '');
    assert.ok(!/\]\(https:/.test(outsideCode) && !outsideCode.includes('evil.example'), text);
    assert.ok(text.includes('\\<img src=x onerror=alert\\(1\\)\\>'), text);
    assert.ok(text.includes('`![t](https://evil.example/t.png)`'), text); // a URL in it: a code span
    assert.ok(text.includes('\\*\\*bold\\*\\* \\[link\\]\\(y\\)'), text);
  });

  it('/expand shows only the specific form', () => {
    const answer = checkAnswer(result(postsTable()), 'Make a posts table.', 'expand');
    const text = markdownOf(answer);
    assert.doesNotMatch(text, /Missing key details/);
    assert.ok(text.includes(mdCodeBlock(SPECIFIC)));
    assert.equal(buttons(answer).length, 1);
  });

  it('an empty result is answered with how to use @coach', () => {
    assert.match(markdownOf(checkAnswer(result(), '')), /@coach Make a posts table\./);
  });
});

describe('explainAnswer', () => {
  it('shows the card with its details and example', () => {
    const card: CategoryCard = {
      id: 'database-schema',
      title: 'Database schema & migrations',
      summary: 'How data is stored.',
      details: [{ id: 'fields', title: 'Field names', reason: 'The columns.' }],
      example: { basic: 'Make a posts table.', specific: 'With Drizzle ...', why: 'It names the tool.' },
    };
    const answer = explainAnswer(card);
    const text = markdownOf(answer);
    assert.match(text, /### Database schema & migrations \(`database-schema`\)/);
    assert.match(text, /- \*\*Field names\*\* \(`fields`\): The columns\./);
    assert.match(text, /> Make a posts table\./);
    assert.match(text, /\*\*Why it is better:\*\* It names the tool\./);
    assert.deepEqual(answer.followups, [{ prompt: 'Make a posts table.', command: 'check', label: 'Check the basic example' }]);
  });
});

describe('respond', () => {
  function coach(results: Record<string, CoachResult>, cards: Record<string, CategoryCard>) {
    const calls: string[] = [];
    const api: Coach = {
      check: (text) => {
        calls.push(`check ${text}`);
        return Promise.resolve(results[text] ?? result());
      },
      explain: (id) => {
        calls.push(`explain ${id}`);
        return Promise.resolve(cards[id]);
      },
    };
    return { api, calls };
  }
  const card: CategoryCard = { id: 'database-schema', title: 'Database schema & migrations', summary: 's', details: [], example: null };

  it('checks by default and for unknown commands', async () => {
    const { api, calls } = coach({ 'Make a posts table.': result(postsTable()) }, {});
    const answer = await respond(api, commandOf(undefined), '  Make a posts table. ');
    assert.equal(buttons(answer).length, 1);
    assert.equal(commandOf('nonsense'), 'check');
    assert.deepEqual(calls, ['check Make a posts table.']);
  });

  it('/explain ID shows that card without checking anything', async () => {
    const { api, calls } = coach({}, { 'database-schema': card });
    assert.match(markdownOf(await respond(api, 'explain', 'database-schema')), /### Database schema/);
    assert.deepEqual(calls, ['explain database-schema']);
  });

  it('/explain <prompt> shows the card of the prompt\'s category', async () => {
    const { api, calls } = coach({ 'Make a posts table.': result(postsTable()) }, { 'database-schema': card });
    assert.match(markdownOf(await respond(api, 'explain', 'Make a posts table.')), /### Database schema/);
    assert.deepEqual(calls, ['check Make a posts table.', 'explain database-schema']);
  });

  it('/explain of an unknown id lists the categories', async () => {
    const { api } = coach({ frontend: result(noCategory('frontend')) }, {});
    assert.match(markdownOf(await respond(api, 'explain', 'frontend')), /I coach prompts about/);
  });

  it('an empty message gets the usage, without asking the server', async () => {
    const { api, calls } = coach({}, {});
    assert.match(markdownOf(await respond(api, 'check', '   ')), /\/explain database-schema/);
    assert.deepEqual(calls, []);
  });
});

describe('toolResultText', () => {
  it('lists the findings and the specific form of each prompt', () => {
    const text = toolResultText(result(postsTable(), noCategory('Write a haiku.')));
    assert.match(text, /^Prompt Coach checked 2 prompts\./);
    assert.match(text, /Prompt 1: "Make a posts table\."\nCategory: database-schema \(Database schema & migrations\); names 1 of 6 key details\./);
    assert.match(text, /Missing: technology \(Database technology\): The ORM or database; it decides the syntax\./);
    assert.match(text, /Finding \[missing-detail, warning\]: names 1 of 6 key details/);
    assert.ok(text.includes(`Specific form (replace each <placeholder> with the real detail):\n${SPECIFIC}`));
    assert.match(text, /Prompt 2: "Write a haiku\."\nCategory: none/);
  });
});

describe('result shapes', () => {
  it('accepts what the server sends and refuses anything else', () => {
    assert.equal(asCoachResult(result(postsTable())).prompts.length, 1);
    assert.throws(() => asCoachResult({ version: 2, prompts: [], categories: [] }), ResultShapeError);
    assert.throws(() => asCoachResult({ version: 1, prompts: [{ text: 1 }], categories: [] }), ResultShapeError);
    assert.equal(asCategoryCard(null), undefined);
    assert.throws(() => asCategoryCard({ id: 'x' }), ResultShapeError);
  });
});

/**
 * The `@coach` answers as data: Markdown parts, "Use this prompt" buttons and
 * followups, built from the server's result (no VS Code here, so unit tests
 * check them directly). Every text that comes from the prompt or the workspace
 * is escaped (see markdown.ts).
 */

import { mdCode, mdCodeBlock, mdText } from './markdown';
import type { CategoryCard, CategoryRef, CoachedPrompt, CoachResult } from './result';

export const PARTICIPANT_NAME = 'coach';
export const USE_PROMPT = 'Use this prompt';
export const COMMANDS = ['check', 'expand', 'explain'] as const;
export type CoachCommand = (typeof COMMANDS)[number];

export type AnswerPart = { kind: 'markdown'; value: string } | { kind: 'button'; title: string; query: string };

export interface Followup {
  prompt: string;
  command?: CoachCommand;
  label: string;
}

export interface Answer {
  parts: AnswerPart[];
  followups: Followup[];
}

const MAX_EXPLAIN_FOLLOWUPS = 3;
const MISSING_DETAIL = 'missing-detail';

function markdown(value: string): AnswerPart {
  return { kind: 'markdown', value };
}

/** The command a request names, `check` when it names none (or one this version does not know). */
export function commandOf(name: string | undefined): CoachCommand {
  return COMMANDS.find((command) => command === name) ?? 'check';
}

/** What `@coach` says to an empty message. */
export function usageAnswer(): Answer {
  return {
    parts: [
      markdown(
        [
          'Write the prompt you are about to send, and I will tell you which key details it leaves out and how a specific version reads.',
          '',
          `- \`@${PARTICIPANT_NAME} Make a posts table.\` checks a prompt (\`/check\` is the default)`,
          `- \`@${PARTICIPANT_NAME} /expand Add a GET /posts endpoint.\` shows only its specific form`,
          `- \`@${PARTICIPANT_NAME} /explain database-schema\` shows the cheat-sheet card of a category`,
        ].join('\n'),
      ),
    ],
    followups: [{ prompt: 'Make a posts table.', command: 'check', label: 'Try: Make a posts table.' }],
  };
}

function categoryList(categories: CategoryRef[]): string {
  return categories.map((category) => `${mdText(category.title)} (${mdCode(category.id)})`).join(', ');
}

/** The friendly answer for text in which no prompt is about a backend task. */
function noCategoryText(result: CoachResult): string {
  const known = categoryList(result.categories);
  return [
    'This does not read like a backend task I know, so there are no key details to ask for.',
    known ? `I coach prompts about: ${known}.` : '',
    `Try \`@${PARTICIPANT_NAME} Make a posts table.\` or \`@${PARTICIPANT_NAME} /explain database-schema\`.`,
  ]
    .filter(Boolean)
    .join(' ');
}

function otherFindings(prompt: CoachedPrompt): string[] {
  return prompt.findings
    .filter((finding) => finding.rule !== MISSING_DETAIL)
    .map((finding) => `- ${mdText(capitalized(finding.severity))}: ${mdText(finding.message)} (${mdCode(finding.rule)})`);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function promptQuote(prompt: CoachedPrompt, index: number, count: number): string {
  return count > 1 ? `${index > 0 ? '\n\n' : ''}**Prompt ${index + 1}:** ${mdText(prompt.text)}\n\n` : '';
}

function checkParts(prompt: CoachedPrompt, index: number, count: number): AnswerPart[] {
  const lead = promptQuote(prompt, index, count);
  const also = otherFindings(prompt);
  if (prompt.category === null) {
    const text = count > 1 ? 'No backend category fits this one: nothing to add.' : '';
    const findings = also.length ? `**Worth fixing**\n${also.join('\n')}` : '';
    const body = [text, findings].filter(Boolean).join('\n\n');
    return body ? [markdown(lead + body)] : [];
  }
  const lines = [`### ${mdText(prompt.title ?? prompt.category)}: ${prompt.score.present} of ${prompt.score.total} key details`, ''];
  if (prompt.missing.length) {
    lines.push('**Missing key details**');
    lines.push(...prompt.missing.map((detail) => `- **${mdText(detail.title)}**: ${mdText(detail.reason)}`), '');
  } else {
    lines.push('It names every key detail of its kind.', '');
  }
  if (prompt.inherited.length) {
    lines.push('**Already stated by the project**');
    lines.push(
      ...prompt.inherited.map(
        (detail) => `- **${mdText(detail.title)}**: ${mdCode(detail.text)} in ${mdCode(`${detail.path}:${detail.line + 1}`)}`,
      ),
      '',
    );
  }
  if (also.length) {
    lines.push('**Worth fixing**', ...also, '');
  }
  const parts = [markdown(lead + lines.join('\n'))];
  return [...parts, ...specificForm(prompt, 'Specific form (fill in the <placeholders>):')];
}

function specificForm(prompt: CoachedPrompt, heading: string): AnswerPart[] {
  if (prompt.expansion === null) {
    return [];
  }
  return [
    markdown(`\n\n**${mdText(heading)}**\n\n${mdCodeBlock(prompt.expansion)}\n`),
    { kind: 'button', title: USE_PROMPT, query: prompt.expansion },
  ];
}

function expandParts(prompt: CoachedPrompt, index: number, count: number): AnswerPart[] {
  const lead = promptQuote(prompt, index, count);
  if (prompt.expansion !== null) {
    const form = specificForm(prompt, `Specific ${prompt.title ?? prompt.category ?? ''} prompt`);
    return lead ? [markdown(lead), ...form] : form;
  }
  const why =
    prompt.category === null
      ? 'No backend category fits it, so there is no specific form to offer.'
      : 'It already names what its specific form would add.';
  return [markdown(lead + why)];
}

function explainFollowups(result: CoachResult): Followup[] {
  const named = result.prompts.flatMap((prompt) => (prompt.category === null ? [] : [prompt.category]));
  const ids = [...new Set(named.length ? named : result.categories.map((category) => category.id))];
  return ids.slice(0, MAX_EXPLAIN_FOLLOWUPS).map((id) => ({ prompt: id, command: 'explain', label: `Explain ${id}` }));
}

/**
 * The answer to `/check` (the default) or `/expand` for `text`, whose coaching is
 * `result`: per prompt its category and score, the missing details with their
 * reasons, what the project already states, other findings, and the specific form
 * with a "Use this prompt" button.
 */
export function checkAnswer(result: CoachResult, text: string, command: 'check' | 'expand' = 'check'): Answer {
  const prompts = result.prompts;
  if (prompts.length === 0) {
    return usageAnswer();
  }
  const followups = explainFollowups(result);
  if (prompts.every((prompt) => prompt.category === null)) {
    const findings = prompts.flatMap(otherFindings);
    const body = noCategoryText(result) + (findings.length ? `\n\n**Worth fixing**\n${findings.join('\n')}` : '');
    return { parts: [markdown(body)], followups };
  }
  const build = command === 'expand' ? expandParts : checkParts;
  const parts = prompts.flatMap((prompt, index) => build(prompt, index, prompts.length));
  if (command === 'check' && prompts.some((prompt) => prompt.expansion !== null)) {
    followups.push({ prompt: text, command: 'expand', label: 'Only the specific form' });
  }
  return { parts, followups };
}

/** The cheat-sheet card of a category: what it covers, its key details, the example. */
export function explainAnswer(card: CategoryCard): Answer {
  const lines = [`### ${mdText(card.title)} (${mdCode(card.id)})`, '', mdText(card.summary), '', '**Key details**'];
  lines.push(...card.details.map((detail) => `- **${mdText(detail.title)}** (${mdCode(detail.id)}): ${mdText(detail.reason)}`));
  const followups: Followup[] = [];
  if (card.example) {
    lines.push('', '**Basic prompt**', '', `> ${mdText(card.example.basic)}`, '', '**Specific prompt**', '', `> ${mdText(card.example.specific)}`);
    lines.push('', `**Why it is better:** ${mdText(card.example.why)}`);
    followups.push({ prompt: card.example.basic, command: 'check', label: 'Check the basic example' });
  }
  return { parts: [markdown(lines.join('\n'))], followups };
}

/** Text for `/explain` when nothing in it names a backend category. */
export function unknownCategoryAnswer(result: CoachResult): Answer {
  return { parts: [markdown(noCategoryText(result))], followups: explainFollowups(result) };
}

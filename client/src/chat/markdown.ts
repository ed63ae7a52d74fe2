/**
 * Text from the workspace (prompts, knowledge packs of `.promptcoach.yaml`, file
 * names) inside chat Markdown: nothing of it may render as a link, an image or
 * HTML. The same characters as the server's hovers escape (engine/mdtext.py).
 */

const SPECIAL = /[\\`*_[\]()<>#!|~{}]/g;

/**
 * `text` on one line with Markdown's special characters escaped. A word that a renderer
 * would make a link of by itself (a bare `https://...`, `www....`, an e-mail address) is
 * a code span, as in the server's hovers.
 */
export function mdText(text: string): string {
  return oneLine(text)
    .split(' ')
    .map((word) => (linksItself(word) ? mdCode(word) : word.replace(SPECIAL, (char) => `\\${char}`)))
    .join(' ');
}

function linksItself(word: string): boolean {
  const at = word.indexOf('@');
  return word.includes('://') || word.toLowerCase().includes('www.') || (at >= 0 && word.slice(at + 1).includes('.'));
}

/** `text` as a code span, whatever backticks it holds. */
export function mdCode(text: string): string {
  const line = oneLine(text);
  const fence = '`'.repeat(longestRun(line, '`') + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** `text` as a fenced code block, with a fence longer than any run of backticks in it. */
export function mdCodeBlock(text: string, language = 'text'): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${language}\n${text.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n${fence}`;
}

function oneLine(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(' ');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * Reading the fixes the server puts into `Diagnostic.data` (see
 * server/promptcoach/lsp/convert.py `diagnostic_json`):
 *
 *     data = {range, facts, fixes: [{title, kind, preferred, safe,
 *             edits: [{range, newText, snippet?}]}]}
 *
 * `data.range` is the diagnostic's range when the edits were computed; if the
 * diagnostic has moved since, the edits move by the same number of lines.
 */

export interface Pos {
  line: number;
  character: number;
}

export interface Rng {
  start: Pos;
  end: Pos;
}

export interface FixEdit {
  range: Rng;
  newText: string;
  snippet?: string;
}

export interface FixData {
  title: string;
  kind: string;
  preferred: boolean;
  edits: FixEdit[];
}

export interface DiagnosticLike {
  range: Rng;
  source?: string;
  code?: string | number | { value: string | number };
  data?: unknown;
}

/** What the status bar shows for a prompt. */
export interface PromptFacts {
  category: string;
  present: number;
  total: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isPos(value: unknown): value is Pos {
  return isObject(value) && typeof value.line === 'number' && typeof value.character === 'number';
}

function isRange(value: unknown): value is Rng {
  return isObject(value) && isPos(value.start) && isPos(value.end);
}

function asEdit(value: unknown): FixEdit | undefined {
  if (!isObject(value) || !isRange(value.range) || typeof value.newText !== 'string') {
    return undefined;
  }
  const edit: FixEdit = { range: value.range, newText: value.newText };
  if (typeof value.snippet === 'string') {
    edit.snippet = value.snippet;
  }
  return edit;
}

/** The fixes of a diagnostic, moved to where the diagnostic is now. Malformed entries are skipped. */
export function fixesOf(diagnostic: DiagnosticLike): FixData[] {
  const data = diagnostic.data;
  if (!isObject(data) || !Array.isArray(data.fixes)) {
    return [];
  }
  const delta = isRange(data.range) ? diagnostic.range.start.line - data.range.start.line : 0;
  const result: FixData[] = [];
  for (const raw of data.fixes) {
    if (!isObject(raw) || typeof raw.title !== 'string' || !Array.isArray(raw.edits)) {
      continue;
    }
    const edits = raw.edits.map(asEdit);
    if (edits.length === 0 || edits.some((edit) => edit === undefined)) {
      continue;
    }
    result.push({
      title: raw.title,
      kind: typeof raw.kind === 'string' ? raw.kind : 'quickfix',
      preferred: raw.preferred === true,
      edits: (edits as FixEdit[]).map((edit) => shiftEdit(edit, delta)),
    });
  }
  return result;
}

function shiftEdit(edit: FixEdit, delta: number): FixEdit {
  if (delta === 0) {
    return edit;
  }
  const move = (pos: Pos): Pos => ({ line: pos.line + delta, character: pos.character });
  return { ...edit, range: { start: move(edit.range.start), end: move(edit.range.end) } };
}

export function contains(range: Rng, pos: Pos): boolean {
  const after = (a: Pos, b: Pos): boolean => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(pos, range.start) && after(range.end, pos);
}

/** How well a fix fits "expand this prompt"; 0 means not an expansion. */
function expandRank(fix: FixData): number {
  if (fix.edits.length !== 1) {
    return 0;
  }
  const title = fix.title.toLowerCase();
  let rank = 0;
  if (fix.kind.startsWith('refactor.rewrite')) {
    rank += 2;
  }
  if (title.includes('expand') || title.includes('specific')) {
    rank += 4;
  }
  if (fix.edits[0].snippet !== undefined) {
    rank += 1;
  }
  return rank >= 2 ? rank : 0;
}

export interface ExpandEdit {
  title: string;
  range: Rng;
  /** VS Code snippet syntax (tab stops, choices); plain text when the server sent none. */
  snippet: string;
  isSnippet: boolean;
}

/** The expansion the server offers for the prompt at `pos`, if any. */
export function expandAt(diagnostics: readonly DiagnosticLike[], pos: Pos): ExpandEdit | undefined {
  let best: { fix: FixData; rank: number } | undefined;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'promptcoach' || !contains(diagnostic.range, pos)) {
      continue;
    }
    for (const fix of fixesOf(diagnostic)) {
      const rank = expandRank(fix);
      if (rank > 0 && (best === undefined || rank > best.rank)) {
        best = { fix, rank };
      }
    }
  }
  if (!best) {
    return undefined;
  }
  const edit = best.fix.edits[0];
  return {
    title: best.fix.title,
    range: edit.range,
    snippet: edit.snippet ?? escapeSnippet(edit.newText),
    isSnippet: edit.snippet !== undefined,
  };
}

/** Plain text as a snippet that inserts exactly that text. */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (ch) => `\\${ch}`);
}

/** Category and score of the prompt at `pos`, from the facts the server attaches to its findings. */
export function promptFactsAt(diagnostics: readonly DiagnosticLike[], pos: Pos): PromptFacts | undefined {
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'promptcoach' || !contains(diagnostic.range, pos)) {
      continue;
    }
    const data = diagnostic.data;
    const facts = isObject(data) && isObject(data.facts) ? data.facts : undefined;
    if (!facts || typeof facts.category !== 'string') {
      continue;
    }
    const present = Array.isArray(facts.present) ? facts.present.length : undefined;
    const missing = Array.isArray(facts.missing) ? facts.missing.length : undefined;
    const score = isObject(facts.score) ? facts.score : undefined;
    if (score && typeof score.present === 'number' && typeof score.total === 'number') {
      return { category: facts.category, present: score.present, total: score.total };
    }
    if (present !== undefined && missing !== undefined) {
      return { category: facts.category, present, total: present + missing };
    }
  }
  return undefined;
}

/**
 * The facts the server attaches to its findings in `Diagnostic.data` (see
 * server/promptcoach/lsp/convert.py `diagnostic_json`), as the status bar shows
 * them: the category and score of the prompt at the cursor.
 */

export interface Pos {
  line: number;
  character: number;
}

export interface Rng {
  start: Pos;
  end: Pos;
}

export interface DiagnosticLike {
  range: Rng;
  source?: string;
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

export function contains(range: Rng, pos: Pos): boolean {
  const after = (a: Pos, b: Pos): boolean => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(pos, range.start) && after(range.end, pos);
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

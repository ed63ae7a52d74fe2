/**
 * What the server's `promptcoach.checkPrompt` and `promptcoach.explainCategory`
 * commands answer (server/promptcoach/engine/coach.py), and the checks that an
 * answer has that shape before anything is built from it.
 */

export interface DetailInfo {
  id: string;
  title: string;
  /** The knowledge base's one-line reason why the detail matters. */
  reason: string;
}

export interface InheritedDetail extends DetailInfo {
  /** The file that states it, relative to the project root, 0-based line, and what it says. */
  path: string;
  line: number;
  text: string;
}

export interface PromptFinding {
  rule: string;
  severity: string;
  message: string;
}

export interface CoachedPrompt {
  text: string;
  kind: string;
  category: string | null;
  title: string | null;
  score: { present: number; total: number };
  present: DetailInfo[];
  missing: DetailInfo[];
  inherited: InheritedDetail[];
  findings: PromptFinding[];
  /** The specific form; null when there is none (no category, or nothing to add). */
  expansion: string | null;
}

export interface CategoryRef {
  id: string;
  title: string;
}

export interface CoachResult {
  version: number;
  prompts: CoachedPrompt[];
  categories: CategoryRef[];
}

export interface CategoryCard {
  id: string;
  title: string;
  summary: string;
  details: DetailInfo[];
  example: { basic: string; specific: string; why: string } | null;
}

export class ResultShapeError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isDetail(value: unknown): boolean {
  return isRecord(value) && isString(value.id) && isString(value.title) && isString(value.reason);
}

function isInherited(value: unknown): boolean {
  return isDetail(value) && isRecord(value) && isString(value.path) && typeof value.line === 'number' && isString(value.text);
}

function isFinding(value: unknown): boolean {
  return isRecord(value) && isString(value.rule) && isString(value.severity) && isString(value.message);
}

function isListOf(value: unknown, check: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.every(check);
}

function isPrompt(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.score)) {
    return false;
  }
  return (
    isString(value.text) &&
    isString(value.kind) &&
    (value.category === null || isString(value.category)) &&
    (value.title === null || isString(value.title)) &&
    typeof value.score.present === 'number' &&
    typeof value.score.total === 'number' &&
    isListOf(value.present, isDetail) &&
    isListOf(value.missing, isDetail) &&
    isListOf(value.inherited, isInherited) &&
    isListOf(value.findings, isFinding) &&
    (value.expansion === null || isString(value.expansion))
  );
}

function isCategoryRef(value: unknown): boolean {
  return isRecord(value) && isString(value.id) && isString(value.title);
}

/** `value` as a {@link CoachResult}; throws {@link ResultShapeError} when it is not one. */
export function asCoachResult(value: unknown): CoachResult {
  if (isRecord(value) && value.version === 1 && isListOf(value.prompts, isPrompt) && isListOf(value.categories, isCategoryRef)) {
    return value as unknown as CoachResult;
  }
  throw new ResultShapeError('The Prompt Coach server answered with an unexpected result (is it an older version?).');
}

/** `value` as a {@link CategoryCard}, or undefined for null (an unknown id). */
export function asCategoryCard(value: unknown): CategoryCard | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const example = isRecord(value) ? value.example : undefined;
  const exampleOk = example === null || (isRecord(example) && isString(example.basic) && isString(example.specific) && isString(example.why));
  if (isRecord(value) && isString(value.id) && isString(value.title) && isString(value.summary) && isListOf(value.details, isDetail) && exampleOk) {
    return value as unknown as CategoryCard;
  }
  throw new ResultShapeError('The Prompt Coach server answered with an unexpected category card.');
}

/**
 * VS Code settings (`promptcoach.*`) and what the server reads from them.
 *
 * The server (server/promptcoach/lsp/config.py) reads a flat object with the
 * keys in {@link ServerSettings}, both as initializationOptions and as the
 * answer to `workspace/configuration` for the section `promptcoach`. The
 * setting names are those keys, so the raw section already fits; both paths
 * still go through {@link toServerSettings}, which drops client-only keys and
 * values of the wrong type.
 */

export const SECTION = 'promptcoach';

/**
 * When to check: the client asks the server for diagnostics on every change
 * (`onType`) or on save only (`onSave`); the server needs no setting for it.
 */
export type RunMode = 'onType' | 'onSave';

export function runMode(reader: ConfigReader): RunMode {
  return reader.get('run') === 'onSave' ? 'onSave' : 'onType';
}

/** The part of `vscode.WorkspaceConfiguration` this module needs. */
export interface ConfigReader {
  get(key: string): unknown;
}

/** The settings object the server parses (keys as in lsp/config.py `_KEYS`). */
export interface ServerSettings {
  enable: boolean;
  include: string[];
  exclude: string[];
  markers: string[];
  severities: Record<string, string>;
  threshold: number;
  inlayHints: boolean;
  debounceMs: number;
  configFile: string | null;
  assumeStack: boolean;
  maxFileSize: number;
  maxProblems: number;
}

export const SEVERITY_VALUES = ['error', 'warning', 'information', 'hint', 'off'] as const;

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

function severityMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return result;
  }
  for (const [rule, severity] of Object.entries(value as Record<string, unknown>)) {
    if (typeof severity === 'string' && (SEVERITY_VALUES as readonly string[]).includes(severity)) {
      result[rule] = severity;
    }
  }
  return result;
}

function numberIn(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** Keys of {@link ServerSettings}, which are also the setting names under `promptcoach.`. */
export const SERVER_KEYS = [
  'enable',
  'include',
  'exclude',
  'markers',
  'severities',
  'threshold',
  'inlayHints',
  'debounceMs',
  'configFile',
  'assumeStack',
  'maxFileSize',
  'maxProblems',
] as const;

/** Reads `promptcoach.*` through `reader` (a `WorkspaceConfiguration`); wrong types fall back to defaults. */
export function readServerSettings(reader: ConfigReader): ServerSettings {
  const object: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    object[key] = reader.get(key);
  }
  return fromObject(object);
}

/**
 * The same mapping for the raw JSON VS Code hands the language client for the
 * section `promptcoach` (it also holds client-only keys such as `python` and
 * `trace`, which are left out).
 */
export function toServerSettings(raw: unknown): ServerSettings {
  const object = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return fromObject(object);
}

function fromObject(object: Record<string, unknown>): ServerSettings {
  const configFile = typeof object.configFile === 'string' && object.configFile.trim() !== '' ? object.configFile : null;
  return {
    enable: object.enable !== false,
    include: stringList(object.include) ?? [...DEFAULT_INCLUDE],
    exclude: stringList(object.exclude) ?? [...DEFAULT_EXCLUDE],
    markers: stringList(object.markers) ?? [...DEFAULT_MARKERS],
    severities: severityMap(object.severities),
    threshold: numberIn(object.threshold, 0, 1, 0.5),
    inlayHints: object.inlayHints !== false,
    debounceMs: Math.round(numberIn(object.debounceMs, 0, 10_000, 150)),
    configFile,
    assumeStack: object.assumeStack === true,
    maxFileSize: Math.round(numberIn(object.maxFileSize, 1, 100_000_000, DEFAULT_MAX_FILE_SIZE)),
    maxProblems: Math.round(numberIn(object.maxProblems, 0, 10_000_000, DEFAULT_MAX_PROBLEMS)),
  };
}

// Defaults, kept equal to package.json and server/promptcoach/engine/settings.py
// (a unit test checks both).
export const DEFAULT_MAX_FILE_SIZE = 1_000_000;
export const DEFAULT_MAX_PROBLEMS = 1000;
export const DEFAULT_INCLUDE = [
  '**/*.prompt.md',
  '**/*.prompt',
  '**/*.prompt.txt',
  '**/*.instructions.md',
  '**/.github/copilot-instructions.md',
  '**/AGENTS.md',
  '**/CLAUDE.md',
  '**/GEMINI.md',
  '**/.cursorrules',
  '**/.cursor/rules/*.mdc',
  '**/prompts/**/*.md',
] as const;

export const DEFAULT_EXCLUDE = [
  '**/node_modules/**',
  '**/.git/**',
  '**/.venv/**',
  '**/venv/**',
  '**/dist/**',
  '**/build/**',
  '**/__pycache__/**',
] as const;

export const DEFAULT_MARKERS = ['prompt:', 'ai:', '@ai', 'TODO(ai):'] as const;

/** Language ids VS Code gives prompt files on its own or through our manifest. */
export const PROMPT_LANGUAGES = ['prompt', 'instructions', 'promptcoach-prompt'] as const;

export interface DocumentFilter {
  scheme: string;
  language?: string;
  pattern?: string;
}

/**
 * Documents the server is started for: prompt files by language id and by
 * the include globs (any language, e.g. AGENTS.md is `markdown`), and source
 * files of the comment languages (marked comments). Exclusion is the
 * server's job (it has the project file).
 */
export function documentSelector(include: readonly string[], commentLanguages: readonly string[]): DocumentFilter[] {
  const selector: DocumentFilter[] = [];
  const schemes = ['file', 'untitled'];
  for (const scheme of schemes) {
    for (const language of PROMPT_LANGUAGES) {
      selector.push({ scheme, language });
    }
  }
  for (const pattern of include) {
    selector.push({ scheme: 'file', pattern });
  }
  for (const language of commentLanguages) {
    if (typeof language === 'string' && language !== '') {
      selector.push({ scheme: 'file', language });
    }
  }
  return selector;
}

/** Settings whose change needs a new server (selector, interpreter). */
export const RESTART_SETTINGS = ['promptcoach.include', 'promptcoach.commentLanguages', 'promptcoach.python.path', 'promptcoach.run'];

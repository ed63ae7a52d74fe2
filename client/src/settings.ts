/**
 * VS Code settings (`promptcoach.*`) and what the server reads from them.
 *
 * The server (server/promptcoach/lsp/config.py) reads a flat object with the
 * keys in {@link ServerSettings}, both as initializationOptions and as the
 * answer to `workspace/configuration` for the section `promptcoach`. The
 * setting names are those keys, so the raw section already fits; both paths
 * still go through {@link toServerSettings}, which drops client-only keys.
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

/**
 * The settings object the server parses: the keys of {@link SERVER_KEYS} with the
 * values as the user wrote them. The server is the one place that checks them
 * (against the configuration schema, as in `.promptcoach.yaml`); a wrong value
 * gets a warning there and its default, instead of being dropped here unseen.
 */
export type ServerSettings = Partial<Record<(typeof SERVER_KEYS)[number], unknown>>;

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

/** Keys the server reads, which are also the setting names under `promptcoach.`. */
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

/** Reads `promptcoach.*` through `reader` (a `WorkspaceConfiguration`). */
export function readServerSettings(reader: ConfigReader): ServerSettings {
  const object: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    object[key] = reader.get(key);
  }
  return fromObject(object);
}

/**
 * The same for the raw JSON VS Code hands the language client for the section
 * `promptcoach` (it also holds client-only keys such as `python` and `trace`,
 * which are left out).
 */
export function toServerSettings(raw: unknown): ServerSettings {
  const object = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return fromObject(object);
}

function fromObject(object: Record<string, unknown>): ServerSettings {
  const settings: ServerSettings = {};
  for (const key of SERVER_KEYS) {
    if (object[key] !== undefined && object[key] !== null) {
      settings[key] = object[key];
    }
  }
  return settings;
}

/** The include globs the client selects documents by (the defaults when the setting is not a list). */
export function includeGlobs(reader: ConfigReader): string[] {
  return stringList(reader.get('include')) ?? [...DEFAULT_INCLUDE];
}

// Defaults, kept equal to package.json and server/promptcoach/engine/settings.py
// (a unit test checks both).
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

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_EXCLUDE,
  DEFAULT_INCLUDE,
  DEFAULT_MARKERS,
  SERVER_KEYS,
  documentSelector,
  includeGlobs,
  readServerSettings,
  runMode,
  toServerSettings,
} from '../src/settings';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Property {
  default?: unknown;
  description?: string;
  markdownDescription?: string;
}
interface Manifest {
  name: string;
  version: string;
  publisher: string;
  engines: { vscode: string };
  contributes: { configuration: { properties: Record<string, Property> } };
}
const manifest = JSON.parse(read('package.json')) as Manifest;
const properties = manifest.contributes.configuration.properties;

/** The strings of a Python tuple assigned to `name` in `source`. */
function pythonTuple(source: string, name: string): string[] {
  const match = new RegExp(`^${name} = \\(([\\s\\S]*?)\\)$`, 'm').exec(source);
  assert.ok(match, `${name} not found`);
  return [...match[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

describe('manifest', () => {
  it('has the version of the Python package', () => {
    const version = /^version = "([^"]+)"/m.exec(read('pyproject.toml'))?.[1];
    assert.equal(manifest.version, version);
    assert.equal(manifest.name, 'promptcoach');
    assert.ok(manifest.publisher);
    assert.match(manifest.engines.vscode, /^\^1\.\d+\.\d+$/);
  });

  it('gives every setting a description and a default', () => {
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(property.description ?? property.markdownDescription, `${key} has no description`);
      assert.ok('default' in property, `${key} has no default`);
    }
  });

  it('uses the same defaults as the client code and the engine', () => {
    const engine = read('server/promptcoach/engine/settings.py');
    assert.deepEqual(properties['promptcoach.include'].default, [...DEFAULT_INCLUDE]);
    assert.deepEqual(properties['promptcoach.exclude'].default, [...DEFAULT_EXCLUDE]);
    assert.deepEqual(properties['promptcoach.markers'].default, [...DEFAULT_MARKERS]);
    assert.deepEqual(pythonTuple(engine, 'DEFAULT_INCLUDE'), [...DEFAULT_INCLUDE]);
    assert.deepEqual(pythonTuple(engine, 'DEFAULT_EXCLUDE'), [...DEFAULT_EXCLUDE]);
    assert.deepEqual(pythonTuple(engine, 'DEFAULT_MARKERS'), [...DEFAULT_MARKERS]);
    const maxFileSize = properties['promptcoach.maxFileSize'].default as number;
    const maxProblems = properties['promptcoach.maxProblems'].default as number;
    assert.match(engine, new RegExp(`DEFAULT_MAX_PROBLEMS = ${maxProblems}\\n`));
    assert.match(engine, new RegExp(`DEFAULT_MAX_FILE_SIZE = ${maxFileSize.toLocaleString('en').replace(/,/g, '_')}\\n`));
  });

  it('has a setting for every key sent to the server, and the server reads each', () => {
    // the server reads the editor's own keys (lsp/config.py _EDITOR_ONLY) and the engine's
    // (engine/config_settings.py SETTING_KEYS, and their editor spellings _EDITOR_ALIASES)
    const blocks = [
      /_EDITOR_ONLY[^=]*= \{([\s\S]*?)\n\}/.exec(read('server/promptcoach/lsp/config.py'))?.[1] ?? '',
      /SETTING_KEYS = \{([\s\S]*?)\n\}/.exec(read('server/promptcoach/engine/config_settings.py'))?.[1] ?? '',
      /_EDITOR_ALIASES = \{([^}]*)\}/.exec(read('server/promptcoach/engine/config_settings.py'))?.[1] ?? '',
    ];
    const serverKeys = new Set(blocks.flatMap((block) => [...block.matchAll(/"(\w+)":/g)].map((m) => m[1])));
    for (const key of SERVER_KEYS) {
      assert.ok(`promptcoach.${key}` in properties, `no setting promptcoach.${key}`);
      assert.ok(serverKeys.has(key), `server/promptcoach/lsp/config.py does not read "${key}"`);
    }
  });
});

describe('settings mapping', () => {
  it('passes the server keys and drops client-only ones', () => {
    const raw = {
      enable: true,
      include: ['**/*.prompt.md'],
      exclude: [],
      markers: ['ai:'],
      commentLanguages: ['python'],
      severities: { 'missing-detail': 'hint', 'vague-term': 'loud' },
      threshold: 0.7,
      inlayHints: false,
      debounceMs: 300,
      configFile: '',
      assumeStack: true,
      maxFileSize: 250000,
      maxProblems: 0,
      run: 'onSave',
      python: { path: '/usr/bin/python3' },
      trace: { server: 'verbose' },
    };
    assert.deepEqual(toServerSettings(raw), {
      enable: true,
      include: ['**/*.prompt.md'],
      exclude: [],
      markers: ['ai:'],
      severities: { 'missing-detail': 'hint', 'vague-term': 'loud' },
      threshold: 0.7,
      inlayHints: false,
      debounceMs: 300,
      configFile: '',
      assumeStack: true,
      maxFileSize: 250000,
      maxProblems: 0,
    });
  });

  it('passes values as they are: the server checks them and warns', () => {
    const raw = { include: 'x', threshold: 7, debounceMs: -1, inlayHints: 'no', severities: [1], maxFileSize: 0, enable: null };
    assert.deepEqual(toServerSettings(raw), {
      include: 'x', threshold: 7, debounceMs: -1, inlayHints: 'no', severities: [1], maxFileSize: 0,
    });
    assert.deepEqual(toServerSettings(null), {});
    assert.deepEqual(includeGlobs({ get: () => 'x' }), [...DEFAULT_INCLUDE]);
    assert.deepEqual(includeGlobs({ get: () => ['**/*.md', 3, ''] }), ['**/*.md']);
  });

  it('reads the same through a configuration object', () => {
    const values: Record<string, unknown> = { threshold: 0.25, inlayHints: false, configFile: 'team.yaml', run: 'onSave' };
    const reader = { get: (key: string) => values[key] };
    const settings = readServerSettings(reader);
    assert.deepEqual(Object.keys(settings).sort(), ['configFile', 'inlayHints', 'threshold']);
    assert.equal(settings.threshold, 0.25);
    assert.equal(settings.inlayHints, false);
    assert.equal(settings.configFile, 'team.yaml');
    assert.equal(runMode(reader), 'onSave');
    assert.equal(runMode({ get: () => undefined }), 'onType');
  });

  it('selects prompt files by language and pattern and code by comment language', () => {
    const selector = documentSelector(['**/AGENTS.md'], ['python', '']);
    assert.ok(selector.some((f) => f.language === 'prompt' && f.scheme === 'file'));
    assert.ok(selector.some((f) => f.language === 'instructions'));
    assert.ok(selector.some((f) => f.language === 'promptcoach-prompt' && f.scheme === 'untitled'));
    assert.ok(selector.some((f) => f.pattern === '**/AGENTS.md' && f.scheme === 'file'));
    assert.ok(selector.some((f) => f.language === 'python'));
    assert.ok(!selector.some((f) => f.language === ''));
  });
});

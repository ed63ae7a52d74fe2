/**
 * Finding a Python interpreter (3.10+) to run the server.
 *
 * Order: the `promptcoach.python.path` setting, the Python extension's active
 * environment, `python3` (then `python`) on PATH. In an untrusted workspace
 * (Restricted Mode) the setting is taken from user settings only and the Python
 * extension is not asked, because both may point at an executable inside the
 * workspace.
 *
 * Everything that touches the machine comes in through {@link PythonProbe}, so
 * the order and the messages are unit-tested without VS Code or Python.
 */

import * as path from 'node:path';

export const MIN_VERSION: readonly [number, number] = [3, 10];

export type PythonSource = 'setting' | 'python-extension' | 'path';

export interface PythonFound {
  ok: true;
  command: string;
  version: string;
  source: PythonSource;
}

export interface PythonMissing {
  ok: false;
  /** What went wrong and what to do, for the user. */
  message: string;
}

export type PythonResult = PythonFound | PythonMissing;

/** `config.inspect('python.path')`, reduced to what matters. */
export interface PathSetting {
  globalValue?: string;
  workspaceValue?: string;
  workspaceFolderValue?: string;
}

export interface PythonProbe {
  setting: PathSetting;
  trusted: boolean;
  /** The folder `${workspaceFolder}` stands for, if any. */
  workspaceFolder?: string;
  home: string;
  /** The Python extension's active interpreter, if that extension is installed. */
  pythonExtension(): Promise<string | undefined>;
  /** Absolute path of an executable found on PATH. */
  which(name: string): Promise<string | undefined>;
  /** "3.11.2", or throws with a reason. */
  version(command: string): Promise<string>;
}

/** Replaces `~`, `${userHome}` and `${workspaceFolder}`; undefined when a variable cannot be resolved. */
export function expandPath(value: string, home: string, workspaceFolder?: string): string | undefined {
  let result = value.trim();
  if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
    result = home + result.slice(1);
  }
  result = result.replace(/\$\{userHome\}/g, home);
  if (result.includes('${workspaceFolder}')) {
    if (workspaceFolder === undefined) {
      return undefined;
    }
    result = result.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  return result;
}

export function parseVersion(text: string): [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) {
    return undefined;
  }
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function isSupported(version: string): boolean {
  const parsed = parseVersion(version);
  if (!parsed) {
    return false;
  }
  const [major, minor] = parsed;
  return major > MIN_VERSION[0] || (major === MIN_VERSION[0] && minor >= MIN_VERSION[1]);
}

/** The configured interpreter path and where it came from, honouring workspace trust. */
export function configuredPath(setting: PathSetting, trusted: boolean): { value: string; scope: string } | undefined {
  const candidates: [string | undefined, string][] = trusted
    ? [
        [setting.workspaceFolderValue, 'folder settings'],
        [setting.workspaceValue, 'workspace settings'],
        [setting.globalValue, 'user settings'],
      ]
    : [[setting.globalValue, 'user settings']];
  for (const [value, scope] of candidates) {
    if (typeof value === 'string' && value.trim() !== '') {
      return { value, scope };
    }
  }
  return undefined;
}

const WANTED = `Python ${MIN_VERSION.join('.')} or newer`;
const HOW_TO_FIX =
  `Install ${WANTED}, or set "promptcoach.python.path" in your user settings to its interpreter ` +
  '(for example /usr/bin/python3.11), then run "Prompt Coach: Restart Server".';

async function check(probe: PythonProbe, command: string): Promise<{ version?: string; problem?: string }> {
  try {
    const version = (await probe.version(command)).trim();
    if (isSupported(version)) {
      return { version };
    }
    return { problem: `${command} is Python ${version}` };
  } catch (error) {
    return { problem: `${command} does not run (${error instanceof Error ? error.message : String(error)})` };
  }
}

export async function findPython(probe: PythonProbe): Promise<PythonResult> {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!probe.trusted) {
    const ignored = configuredPath(probe.setting, true);
    if (ignored && ignored.scope !== 'user settings') {
      notes.push(`The interpreter in ${ignored.scope} is ignored because this workspace is not trusted.`);
    }
  }

  const configured = configuredPath(probe.setting, probe.trusted);
  if (configured) {
    const command = expandPath(configured.value, probe.home, probe.workspaceFolder);
    if (command === undefined) {
      return {
        ok: false,
        message: `"promptcoach.python.path" (${configured.scope}) uses \${workspaceFolder}, but no folder is open. ${HOW_TO_FIX}`,
      };
    }
    const result = await check(probe, command);
    if (result.version !== undefined) {
      return { ok: true, command, version: result.version, source: 'setting' };
    }
    // An explicit setting that does not work is reported, not silently replaced.
    return {
      ok: false,
      message: `Prompt Coach needs ${WANTED}, but "promptcoach.python.path" (${configured.scope}) points at ${result.problem}. ${HOW_TO_FIX}`,
    };
  }

  if (probe.trusted) {
    let fromExtension: string | undefined;
    try {
      fromExtension = await probe.pythonExtension();
    } catch {
      fromExtension = undefined;
    }
    if (fromExtension) {
      const result = await check(probe, fromExtension);
      if (result.version !== undefined) {
        return { ok: true, command: fromExtension, version: result.version, source: 'python-extension' };
      }
      problems.push(`the Python extension's environment: ${result.problem}`);
    }
  }

  for (const name of ['python3', 'python']) {
    const command = await probe.which(name);
    if (!command) {
      continue;
    }
    const result = await check(probe, command);
    if (result.version !== undefined) {
      return { ok: true, command, version: result.version, source: 'path' };
    }
    problems.push(`PATH: ${result.problem}`);
  }
  if (problems.length === 0) {
    problems.push('no python3 or python on PATH');
  }
  const found = `Tried ${problems.join('; ')}.`;
  return { ok: false, message: [`Prompt Coach needs ${WANTED} to run its server.`, found, ...notes, HOW_TO_FIX].join(' ') };
}

/**
 * Looks `name` up in `pathVariable`, skipping relative entries (such as `.`),
 * which would run a program from the current folder — possibly the workspace.
 */
export async function whichIn(
  name: string,
  pathVariable: string,
  isExecutable: (file: string) => Promise<boolean>,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  const separator = platform === 'win32' ? ';' : ':';
  const suffixes = platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  for (const directory of pathVariable.split(separator)) {
    if (directory === '' || !pathApi.isAbsolute(directory)) {
      continue;
    }
    for (const suffix of suffixes) {
      const file = pathApi.join(directory, name + suffix);
      if (await isExecutable(file)) {
        return file;
      }
    }
  }
  return undefined;
}

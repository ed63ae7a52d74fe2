/** How the extension runs the bundled server (see client/python/launch.py). */

import * as path from 'node:path';

export function launcherPath(extensionPath: string): string {
  return path.join(extensionPath, 'client', 'python', 'launch.py');
}

/**
 * The command line that runs `promptcoach ARGS...`. `-I` (isolated mode) keeps
 * the working folder, PYTHON* variables and the user site out of `sys.path`.
 */
export function promptcoachCommand(python: string, extensionPath: string, args: string[]): { command: string; args: string[] } {
  return { command: python, args: ['-I', launcherPath(extensionPath), ...args] };
}

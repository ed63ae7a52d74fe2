/** Makes `require('vscode')` load the fake (node --require this file). */
import Module from 'node:module';
import * as path from 'node:path';

const fakePath = path.join(__dirname, 'fake-vscode.js');
interface Resolver {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}
const moduleApi = Module as unknown as Resolver;
const original = moduleApi._resolveFilename.bind(Module);
moduleApi._resolveFilename = (request: string, ...rest: unknown[]) =>
  request === 'vscode' ? fakePath : original(request, ...rest);

/**
 * Starting, stopping and restarting the language server process.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { promptcoachCommand } from './launch';
import { findPython, whichIn, type PythonFound, type PythonProbe } from './python';
import { RestartPolicy } from './restart';
import { SECTION, documentSelector, includeGlobs, readServerSettings, runMode, toServerSettings } from './settings';

const VERSION_SCRIPT = 'import sys; print("%d.%d.%d" % sys.version_info[:3])';

function isExecutable(file: string): Promise<boolean> {
  return fs.promises.access(file, fs.constants.X_OK).then(
    () => fs.promises.stat(file).then((stat) => stat.isFile()),
    () => false,
  );
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) {
    return undefined;
  }
  const api = extension.isActive ? extension.exports : await extension.activate();
  const environments = api?.environments;
  if (!environments) {
    return undefined;
  }
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  const active = environments.getActiveEnvironmentPath(resource);
  if (!active) {
    return undefined;
  }
  const resolved = await environments.resolveEnvironment(active);
  return resolved?.executable?.uri?.fsPath ?? active.path;
}

export function vscodeProbe(extensionPath: string): PythonProbe {
  const setting = vscode.workspace.getConfiguration(SECTION).inspect<string>('python.path') ?? { key: 'python.path' };
  return {
    setting,
    trusted: vscode.workspace.isTrusted,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
    pythonExtension: pythonExtensionInterpreter,
    which: (name) => whichIn(name, process.env.PATH ?? '', isExecutable),
    version: (command) =>
      new Promise((resolve, reject) => {
        // cwd: the extension, never the workspace (python -c puts cwd on sys.path).
        execFile(command, ['-I', '-c', VERSION_SCRIPT], { cwd: extensionPath, timeout: 15_000 }, (error, stdout, stderr) => {
          if (error) {
            reject(new Error((stderr || error.message).trim().split('\n').pop() ?? error.message));
          } else {
            resolve(stdout.trim());
          }
        });
      }),
  };
}

/**
 * The client with one change: failures to start are not announced by the
 * client itself ("couldn't create connection", shown on every attempt), since
 * the controller tells the user once per episode.
 */
class QuietStartClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, showNotification === 'force' ? false : showNotification);
  }
}

export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

/**
 * Owns the LanguageClient. Crashes are handled here rather than by the
 * client's default handler: restart with backoff, one message per episode.
 */
export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private python: PythonFound | undefined;
  private readonly policy = new RestartPolicy();
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly crashHandled = new WeakSet<LanguageClient>();
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  state: ServerState = 'stopped';
  /** The last reason the server could not start, for the status bar. */
  problem: string | undefined;

  constructor(
    private readonly extensionPath: string,
    readonly output: vscode.LogOutputChannel,
  ) {}

  get interpreter(): PythonFound | undefined {
    return this.python;
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }

  async start(): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    if (config.get<boolean>('enable') === false) {
      this.output.info('Prompt Coach is disabled (promptcoach.enable is false).');
      this.setState('stopped');
      return;
    }
    this.setState('starting');
    const found = await findPython(vscodeProbe(this.extensionPath));
    if (!found.ok) {
      this.fail(found.message);
      return;
    }
    this.python = found;
    this.output.info(`Using Python ${found.version} at ${found.command} (from ${found.source}).`);
    const client = this.createClient(found.command);
    this.client = client;
    try {
      await client.start();
      this.problem = undefined;
      this.setState('running');
    } catch (error) {
      // A server that dies while starting counts as a crash: same backoff, same single message.
      this.output.error(`The server did not start: ${error instanceof Error ? error.message : String(error)}`);
      if (this.client === client && !this.crashHandled.has(client)) {
        this.onCrash(client);
      }
    }
  }

  private fail(message: string): void {
    this.problem = message;
    this.output.error(message);
    this.setState('failed');
    void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'promptcoach.python.path');
      } else if (choice === 'Show Output') {
        this.output.show();
      }
    });
  }

  /**
   * Runs one of the server's `workspace/executeCommand` commands and returns its
   * answer; while the server is starting, it waits until it runs.
   */
  async executeCommand(command: string, args: unknown[], token?: vscode.CancellationToken): Promise<unknown> {
    if (this.state === 'starting') {
      await new Promise<void>((resolve) => {
        const listener = this.onDidChangeState((state) => {
          if (state !== 'starting') {
            listener.dispose();
            resolve();
          }
        });
      });
    }
    const client = this.client;
    if (this.state !== 'running' || !client) {
      throw new Error(this.problem ?? 'The Prompt Coach server is not running (see "Prompt Coach: Show Output").');
    }
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token);
  }

  async stop(): Promise<void> {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.stopping = true;
      try {
        await client.dispose(5000);
      } catch (error) {
        this.output.warn(`Stopping the server: ${String(error)}`);
      } finally {
        this.stopping = false;
      }
    }
    this.setState('stopped');
  }

  /** A restart the user asked for: forget earlier crashes. */
  async restart(): Promise<void> {
    this.policy.reset();
    await this.stop();
    await this.start();
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
  }

  private onCrash(client: LanguageClient): CloseHandlerResult {
    if (this.stopping || this.client !== client || this.crashHandled.has(client)) {
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.crashHandled.add(client);
    const decision = this.policy.crashed();
    this.output.warn('The Prompt Coach server process stopped unexpectedly.');
    if (decision.delayMs === undefined) {
      this.setState('failed');
      this.problem = decision.message;
      if (decision.message) {
        void vscode.window.showErrorMessage(decision.message, 'Show Output').then((choice) => {
          if (choice) {
            this.output.show();
          }
        });
      }
    } else {
      this.setState('starting');
      if (decision.message) {
        void vscode.window.showWarningMessage(decision.message, 'Show Output').then((choice) => {
          if (choice) {
            this.output.show();
          }
        });
      }
      this.output.info(`Restarting the server in ${decision.delayMs} ms.`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        void this.stop().then(() => this.start());
      }, decision.delayMs);
    }
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private createClient(python: string): LanguageClient {
    const config = vscode.workspace.getConfiguration(SECTION);
    const settings = readServerSettings(config);
    const launch = promptcoachCommand(python, this.extensionPath, ['serve']);
    const serverOptions: ServerOptions = {
      command: launch.command,
      args: launch.args,
      options: { cwd: this.extensionPath, env: { ...process.env, PYTHONIOENCODING: 'utf-8' } },
    };
    let client: LanguageClient | undefined = undefined;
    const errorHandler: ErrorHandler = {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue, handled: true }),
      closed: () =>
        client ? this.onCrash(client) : { action: CloseAction.DoNotRestart, handled: true },
    };
    const middleware: Middleware = {
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) {
            return result;
          }
          return result.map((value: unknown, index) =>
            params.items[index]?.section === SECTION ? toServerSettings(value) : value,
          );
        },
      },
      provideInlayHints: (document, range, token, next) =>
        vscode.workspace.getConfiguration(SECTION, document).get<boolean>('inlayHints') === false
          ? []
          : next(document, range, token),
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(includeGlobs(config), config.get<string[]>('commentLanguages') ?? []),
      outputChannel: this.output,
      initializationOptions: settings,
      errorHandler,
      middleware,
      synchronize: { configurationSection: SECTION },
      diagnosticPullOptions: { onChange: runMode(config) === 'onType', onSave: true },
      initializationFailedHandler: (error) => {
        this.output.error(`Initialization failed: ${String(error)}`);
        return false;
      },
    };
    client = new QuietStartClient(SECTION, 'Prompt Coach', serverOptions, clientOptions);
    return client;
  }
}

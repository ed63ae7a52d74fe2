/**
 * A small stand-in for the `vscode` module: the classes and namespaces the
 * client's own logic touches, with hooks the tests set. Registered as `vscode`
 * by fake-vscode-register.ts.
 */

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(startLine: number | Position, startCharacter: number | Position, endLine?: number, endCharacter?: number) {
    if (startLine instanceof Position && startCharacter instanceof Position) {
      this.start = startLine;
      this.end = startCharacter;
    } else {
      this.start = new Position(startLine as number, startCharacter as number);
      this.end = new Position(endLine ?? 0, endCharacter ?? 0);
    }
  }
}

export class SnippetString {
  constructor(readonly value: string) {}
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum ProgressLocation {
  Notification = 15,
}

export class Diagnostic {
  source?: string;
  code?: string;
  data?: unknown;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class Uri {
  private constructor(readonly fsPath: string) {}
  static file(fsPath: string): Uri {
    return new Uri(fsPath);
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

export class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const listener of this.listeners) {
      listener(value);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

/** What the tests set up and read back. */
export const fake = {
  diagnostics: [] as unknown[],
  activeTextEditor: undefined as unknown,
  messages: [] as string[],
  executed: [] as { command: string; args: unknown[] }[],
  /** Whether the editor has the chat and language model tool API (`vscode.chat`, `vscode.lm`). */
  chatApi: true,
  participants: [] as FakeChatParticipant[],
  tools: new Map<string, FakeTool>(),
  reset(): void {
    this.chatApi = true;
    this.participants = [];
    this.tools = new Map();
    this.diagnostics = [];
    this.activeTextEditor = undefined;
    this.messages = [];
    this.executed = [];
  },
};

const noEvent = () => ({ dispose: () => undefined });

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class LanguageModelTextPart {
  constructor(readonly value: string) {}
}

export class LanguageModelToolResult {
  constructor(readonly content: unknown[]) {}
}

export interface FakeChatParticipant {
  id: string;
  handler: (request: unknown, context: unknown, stream: unknown, token: unknown) => Promise<unknown>;
  iconPath?: unknown;
  followupProvider?: { provideFollowups(result: unknown, context: unknown, token: unknown): unknown };
  dispose(): void;
}

export interface FakeTool {
  prepareInvocation?(options: unknown, token: unknown): unknown;
  invoke(options: { input: unknown }, token: unknown): Promise<unknown>;
}

export const chat = {
  get createChatParticipant() {
    return fake.chatApi
      ? (id: string, handler: FakeChatParticipant['handler']) => {
          const participant: FakeChatParticipant = { id, handler, dispose: () => undefined };
          fake.participants.push(participant);
          return participant;
        }
      : undefined;
  },
};

export const lm = {
  get registerTool() {
    return fake.chatApi
      ? (name: string, tool: FakeTool) => {
          fake.tools.set(name, tool);
          return { dispose: () => fake.tools.delete(name) };
        }
      : undefined;
  },
};

export const window = {
  get activeTextEditor(): unknown {
    return fake.activeTextEditor;
  },
  showInformationMessage: (message: string) => {
    fake.messages.push(message);
    return Promise.resolve(undefined);
  },
  showErrorMessage: (message: string) => {
    fake.messages.push(message);
    return Promise.resolve(undefined);
  },
  showWarningMessage: (message: string) => {
    fake.messages.push(message);
    return Promise.resolve(undefined);
  },
  createStatusBarItem: () => ({ text: '', tooltip: '', show: () => undefined, hide: () => undefined, dispose: () => undefined }),
  onDidChangeActiveTextEditor: noEvent,
  onDidChangeTextEditorSelection: noEvent,
};

export const languages = {
  getDiagnostics: () => fake.diagnostics,
  onDidChangeDiagnostics: noEvent,
};

export const commands = {
  executeCommand: (command: string, ...args: unknown[]) => {
    fake.executed.push({ command, args });
    return Promise.resolve(undefined);
  },
};

export const workspace = {
  getConfiguration: () => ({ get: () => undefined }),
  textDocuments: [] as unknown[],
};

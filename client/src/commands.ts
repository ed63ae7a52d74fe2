/**
 * The commands: expand the prompt at the cursor, check the workspace.
 */

import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { expandAt } from './fixes';
import { promptcoachCommand } from './launch';
import type { ServerController } from './server';
import { SECTION } from './settings';
import { isReportExit, parseReport, ReportError, type Severity } from './workspaceCheck';

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** How many code actions VS Code resolves for the fallback: the server leaves large edits to codeAction/resolve. */
const RESOLVE_COUNT = 50;

/** How well a code action fits "expand this prompt"; 0 means not an expansion (or no edit). */
function expandActionRank(action: vscode.CodeAction): number {
  if (action.edit === undefined) {
    return 0;
  }
  if (action.title.startsWith('Expand into a specific')) {
    return 3;
  }
  if (!/xpand/i.test(action.title)) {
    return 0;
  }
  return action.kind?.value.startsWith('refactor.rewrite') ? 2 : 1;
}

/**
 * Replaces the prompt under the cursor with its specific form, as a snippet
 * (tab through technology, fields, ...). The expansion comes from the fixes the
 * server attached to the prompt's diagnostic; large ones (every expansion) come
 * without edits, so then from the server's code actions at the cursor, resolved
 * by VS Code. Their snippet edits keep their tab stops: `workspace.applyEdit`
 * performs snippet edits for the active editor as snippets.
 */
export async function expandPromptAtCursor(): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return false;
  }
  const position = editor.selection.active;
  const expansion = expandAt(vscode.languages.getDiagnostics(editor.document.uri), position);
  if (expansion) {
    return editor.insertSnippet(new vscode.SnippetString(expansion.snippet), toRange(expansion.range));
  }
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(position, position),
      undefined, // every kind: the missing-detail expansion is a quick fix, the cursor one a refactor.rewrite
      RESOLVE_COUNT,
    )) ?? [];
  let best: vscode.CodeAction | undefined;
  for (const action of actions) {
    if (expandActionRank(action) > (best ? expandActionRank(best) : 0)) {
      best = action;
    }
  }
  if (best?.edit) {
    return vscode.workspace.applyEdit(best.edit);
  }
  void vscode.window.showInformationMessage('Prompt Coach: there is no prompt to expand at the cursor.');
  return false;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 256 * 1024 * 1024, timeout: 10 * 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Checks every prompt file of every workspace folder with the CLI and puts the
 * findings into `collection` (shown in Problems). Files that are open in an
 * editor are left to the server, so nothing shows twice.
 */
export async function checkWorkspace(
  server: ServerController,
  collection: vscode.DiagnosticCollection,
  extensionPath: string,
): Promise<void> {
  const python = server.interpreter;
  if (!python) {
    void vscode.window.showErrorMessage(server.problem ?? 'Prompt Coach: the server is not running, so the workspace cannot be checked.');
    return;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Prompt Coach: open a folder to check its prompts.');
    return;
  }
  collection.clear();
  let files = 0;
  let findings = 0;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Prompt Coach: checking the workspace' },
    async () => {
      for (const folder of folders) {
        const args = ['check', folder.uri.fsPath, '--format', 'json'];
        const configFile = vscode.workspace.getConfiguration(SECTION, folder).get<string>('configFile');
        if (configFile) {
          args.push('--config', configFile);
        }
        const launch = promptcoachCommand(python.command, extensionPath, args);
        const result = await run(launch.command, launch.args, extensionPath);
        if (!isReportExit(result.code)) {
          const reason = result.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${String(result.code)}`;
          server.output.error(`promptcoach check ${folder.uri.fsPath}: ${result.stderr}`);
          void vscode.window.showErrorMessage(`Prompt Coach could not check ${folder.name}: ${reason}`);
          continue;
        }
        try {
          for (const file of parseReport(result.stdout, folder.uri.fsPath)) {
            files += 1;
            const uri = vscode.Uri.file(file.file);
            if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())) {
              continue;
            }
            const diagnostics = file.findings.map((finding) => {
              const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITY[finding.severity]);
              diagnostic.source = 'promptcoach';
              diagnostic.code = finding.rule;
              return diagnostic;
            });
            findings += diagnostics.length;
            collection.set(uri, diagnostics);
          }
        } catch (error) {
          const message = error instanceof ReportError ? error.message : String(error);
          server.output.error(message);
          void vscode.window.showErrorMessage(`Prompt Coach: ${message}`);
        }
      }
    },
  );
  server.output.info(`Checked ${files} files of the workspace: ${findings} findings in files not open in an editor.`);
  void vscode.window.setStatusBarMessage(`Prompt Coach: ${files} files checked, ${findings} findings`, 5000);
}

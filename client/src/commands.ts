/**
 * The commands: expand the prompt at the cursor, check the workspace.
 */

import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { promptcoachCommand } from './launch';
import type { ServerController } from './server';
import { SECTION } from './settings';
import { isReportExit, parseReport, ReportError, type Severity } from './workspaceCheck';

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The server's command that expands the prompt at a position (server/promptcoach/lsp/expand_command.py). */
export const EXPAND_COMMAND = 'promptcoach.expand';

/**
 * Replaces the prompt under the cursor with its specific form. The server works
 * it out and applies it (`workspace/applyEdit`) as a snippet edit, so the slots
 * (technology, fields, ...) are tab stops; the answer is null when no prompt at
 * the cursor has a category to expand.
 */
export async function expandPromptAtCursor(server: Pick<ServerController, 'executeCommand'>): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return false;
  }
  const { line, character } = editor.selection.active;
  let answer: unknown;
  try {
    answer = await server.executeCommand(EXPAND_COMMAND, [{ uri: editor.document.uri.toString(), position: { line, character } }]);
  } catch (error) {
    void vscode.window.showErrorMessage(`Prompt Coach could not expand the prompt: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
  if (answer) {
    return true;
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

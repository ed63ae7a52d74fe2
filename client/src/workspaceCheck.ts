/**
 * "Check Workspace": runs `promptcoach check FOLDER --format json` (the CLI
 * walks the folder with the same include/exclude globs and `.promptcoach.yaml`
 * as the server) and turns its JSON report (docs/cli.md "The JSON report") into
 * diagnostics per file.
 */

import * as path from 'node:path';
import type { Rng } from './promptFacts';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface ReportedFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: Rng;
}

export interface FileFindings {
  /** Absolute path of the file. */
  file: string;
  findings: ReportedFinding[];
}

export class ReportError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint'];

function asFinding(value: unknown): ReportedFinding | undefined {
  if (!isObject(value) || typeof value.rule !== 'string' || typeof value.message !== 'string') {
    return undefined;
  }
  const range = value.range;
  if (!isObject(range) || !isObject(range.start) || !isObject(range.end)) {
    return undefined;
  }
  const pos = (p: Record<string, unknown>) =>
    typeof p.line === 'number' && typeof p.character === 'number' ? { line: p.line, character: p.character } : undefined;
  const start = pos(range.start);
  const end = pos(range.end);
  if (!start || !end) {
    return undefined;
  }
  const severity = typeof value.severity === 'string' && SEVERITIES.includes(value.severity) ? value.severity : 'warning';
  return { rule: value.rule, severity: severity as Severity, message: value.message, range: { start, end } };
}

/** The findings of a `check --format json` report; paths are resolved against `folder`. */
export function parseReport(json: string, folder: string): FileFindings[] {
  let report: unknown;
  try {
    report = JSON.parse(json);
  } catch (error) {
    throw new ReportError(`promptcoach check printed no valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(report) || report.version !== 1 || !Array.isArray(report.files)) {
    throw new ReportError('promptcoach check printed JSON of an unknown shape (expected version 1 with "files")');
  }
  const result: FileFindings[] = [];
  for (const entry of report.files) {
    if (!isObject(entry) || typeof entry.path !== 'string' || !Array.isArray(entry.prompts)) {
      continue;
    }
    const findings: ReportedFinding[] = [];
    for (const prompt of entry.prompts) {
      if (isObject(prompt) && Array.isArray(prompt.findings)) {
        for (const raw of prompt.findings) {
          const finding = asFinding(raw);
          if (finding) {
            findings.push(finding);
          }
        }
      }
    }
    if (isObject(entry) && Array.isArray(entry.findings)) {
      for (const raw of entry.findings) {
        const finding = asFinding(raw);
        if (finding) {
          findings.push(finding);
        }
      }
    }
    result.push({ file: path.resolve(folder, entry.path), findings });
  }
  return result;
}

/** Exit codes of `promptcoach check`: 0 clean, 1 findings, anything else an error. */
export function isReportExit(code: number | null): boolean {
  return code === 0 || code === 1;
}

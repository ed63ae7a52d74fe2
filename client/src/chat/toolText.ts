/**
 * The result of the `promptcoach_checkPrompt` language model tool: plain text a
 * model reads before it starts work (the findings and the specific form of each
 * prompt, or why there is nothing to add).
 */

import type { CoachedPrompt, CoachResult } from './result';

function promptText(prompt: CoachedPrompt, index: number): string {
  const lines = [`Prompt ${index + 1}: ${JSON.stringify(prompt.text)}`];
  if (prompt.category === null) {
    lines.push('Category: none (not a backend task Prompt Coach knows); no key details to add.');
  } else {
    lines.push(
      `Category: ${prompt.category} (${prompt.title ?? prompt.category}); names ${prompt.score.present} of ${prompt.score.total} key details.`,
    );
    for (const detail of prompt.missing) {
      lines.push(`Missing: ${detail.id} (${detail.title}): ${detail.reason}`);
    }
    for (const detail of prompt.inherited) {
      lines.push(`Stated by the project: ${detail.id} = ${JSON.stringify(detail.text)} (${detail.path}:${detail.line + 1})`);
    }
  }
  for (const finding of prompt.findings) {
    lines.push(`Finding [${finding.rule}, ${finding.severity}]: ${finding.message}`);
  }
  if (prompt.expansion !== null) {
    lines.push('Specific form (replace each <placeholder> with the real detail):', prompt.expansion);
  }
  return lines.join('\n');
}

export function toolResultText(result: CoachResult): string {
  if (result.prompts.length === 0) {
    return 'Prompt Coach found no prompt in the text.';
  }
  const count = result.prompts.length;
  const head = `Prompt Coach checked ${count} prompt${count === 1 ? '' : 's'}.`;
  return [head, ...result.prompts.map(promptText)].join('\n\n');
}

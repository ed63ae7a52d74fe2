/**
 * What `@coach` answers to a request: the command picks what to ask the server
 * and which answer to build (still no VS Code here).
 */

import { checkAnswer, explainAnswer, unknownCategoryAnswer, usageAnswer, type Answer, type CoachCommand } from './answer';
import type { CategoryCard, CoachResult } from './result';

/** The server's coaching, for one request. */
export interface Coach {
  check(text: string): Promise<CoachResult>;
  explain(id: string): Promise<CategoryCard | undefined>;
}

const CATEGORY_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_CARDS = 3;

export async function respond(coach: Coach, command: CoachCommand, text: string): Promise<Answer> {
  const prompt = text.trim();
  if (!prompt) {
    return usageAnswer();
  }
  if (command === 'explain') {
    return explain(coach, prompt);
  }
  return checkAnswer(await coach.check(prompt), prompt, command);
}

/** `/explain ID` shows that category's card; `/explain <prompt>` the cards of the prompt's categories. */
async function explain(coach: Coach, text: string): Promise<Answer> {
  const named = CATEGORY_ID.test(text) ? await coach.explain(text) : undefined;
  if (named) {
    return explainAnswer(named);
  }
  const result = await coach.check(text);
  const ids = [...new Set(result.prompts.flatMap((prompt) => (prompt.category === null ? [] : [prompt.category])))];
  const cards = (await Promise.all(ids.slice(0, MAX_CARDS).map((id) => coach.explain(id)))).filter(
    (card): card is CategoryCard => card !== undefined,
  );
  if (cards.length === 0) {
    return unknownCategoryAnswer(result);
  }
  const answers = cards.map(explainAnswer);
  return { parts: answers.flatMap((answer) => answer.parts), followups: answers.flatMap((answer) => answer.followups) };
}

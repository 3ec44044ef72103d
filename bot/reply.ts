import type { TurnContext } from 'botbuilder';
import type { Answer, Choice } from './answer';
import { renderAnswer } from './render/render';

/** Choices offered in this turn, remembered so that a click or a typed number can be understood next turn. */
export const OFFERED_CHOICES = 'iemic.offeredChoices';

/**
 * The id the assistant gives the answer being sent, so that a rating and the transcript name the
 * same answer (botbuilder drops an outgoing activity's own id, and channels assign theirs).
 */
export const ANSWER_ID = 'iemic.answerId';
/** Where the answer being sent came from (topic, facts, sections), for the transcript. */
export const PROVENANCE = 'iemic.provenance';

/** Sends an answer rendered for the channel; `id` names it (so a rating can point at it). */
export async function sendAnswer(context: TurnContext, answer: Answer, id?: string): Promise<void> {
  const activity = renderAnswer(answer, context.activity.channelId);
  if (id) context.turnState.set(ANSWER_ID, id);
  if (answer.provenance) context.turnState.set(PROVENANCE, answer.provenance);
  try {
    await context.sendActivity(activity);
  } finally {
    if (id) context.turnState.delete(ANSWER_ID);
    context.turnState.delete(PROVENANCE);
  }
  const offered: Choice[] = context.turnState.get(OFFERED_CHOICES) ?? [];
  context.turnState.set(OFFERED_CHOICES, [...offered, ...(answer.choices ?? [])]);
}

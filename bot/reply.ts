import type { TurnContext } from 'botbuilder';
import type { Answer, Choice } from './answer';
import { renderAnswer } from './render/render';

/** Choices offered in this turn, remembered so that a click or a typed number can be understood next turn. */
export const OFFERED_CHOICES = 'iemic.offeredChoices';

export async function sendAnswer(context: TurnContext, answer: Answer): Promise<void> {
  await context.sendActivity(renderAnswer(answer, context.activity.channelId));
  const offered: Choice[] = context.turnState.get(OFFERED_CHOICES) ?? [];
  context.turnState.set(OFFERED_CHOICES, [...offered, ...(answer.choices ?? [])]);
}

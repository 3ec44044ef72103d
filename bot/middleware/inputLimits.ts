import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { AnswerBook } from '../../dialogs/answers';
import { MAX_MESSAGE_LENGTH } from '../bot';
import { sendAnswer } from '../reply';
import { guessLanguage } from './errorLanguage';

/** How much of each free-form field a turn reads; beyond this the field is dropped and the user told. */
export const INPUT_LIMITS = {
  /** Text is cut to this many characters (the bot then answers "too long"). */
  textChars: MAX_MESSAGE_LENGTH + 16,
  /** A card's submitted value. */
  value: { chars: 8_000, nodes: 500, depth: 12 },
  attachments: { chars: 32_000, nodes: 2_000, depth: 16, count: 10 },
  channelData: { chars: 16_000, nodes: 1_000, depth: 12 },
  entities: { chars: 16_000, nodes: 1_000, depth: 12, count: 20 },
} as const;

interface Budget { chars: number; nodes: number; depth: number }

/**
 * True when `value` stays within the budget: a walk that stops as soon as it is over, so a
 * huge or deeply nested value costs at most the budget (no recursion, no JSON.stringify).
 */
export function withinBudget(value: unknown, budget: Budget): boolean {
  let chars = 0;
  let nodes = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++nodes > budget.nodes || depth > budget.depth) return false;
    if (typeof v === 'string') chars += v.length;
    else if (Array.isArray(v)) for (const item of v) stack.push([item, depth + 1]);
    else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        chars += k.length;
        stack.push([item, depth + 1]);
      }
    } else chars += 8;
    if (chars > budget.chars) return false;
  }
  return true;
}

const CUT_MARK = ' […]';

/**
 * Bounded work per message, on every channel: text longer than the bot reads is cut here (the
 * transcript stores the cut text and the bot answers "too long"); an oversized value, attachment
 * list, channelData or entity list is dropped and the user gets a plain "too large" reply,
 * without running the bot. Sits inside the transcript logger, which stores what is left.
 */
export class InputLimits implements Middleware {
  constructor(private readonly answers: AnswerBook) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity as Partial<Activity> & Record<string, unknown>;
    // Channels other than /api/messages (the local Direct Line) do not check types: a text that
    // is not a string would fail the turn and lose its transcript; without it the bot asks for text.
    for (const field of ['text', 'locale', 'textFormat'] as const) {
      if (activity[field] !== undefined && typeof activity[field] !== 'string') delete activity[field];
    }
    if (typeof activity.text === 'string' && activity.text.length > INPUT_LIMITS.textChars) {
      activity.text = activity.text.slice(0, MAX_MESSAGE_LENGTH) + CUT_MARK;
    }
    const dropped: string[] = [];
    const check = (field: 'value' | 'attachments' | 'channelData' | 'entities', budget: Budget & { count?: number }) => {
      const v = activity[field];
      if (v === undefined) return;
      const tooMany = budget.count !== undefined && Array.isArray(v) && v.length > budget.count;
      if (tooMany || !withinBudget(v, budget)) {
        delete activity[field];
        dropped.push(field);
      }
    };
    check('value', INPUT_LIMITS.value);
    check('attachments', INPUT_LIMITS.attachments);
    check('channelData', INPUT_LIMITS.channelData);
    check('entities', INPUT_LIMITS.entities);
    if (dropped.length === 0) return next();
    if (activity.type !== 'message') return;
    const lang = guessLanguage({ text: activity.text ?? '', locale: typeof activity.locale === 'string' ? activity.locale : '' });
    await sendAnswer(context, this.answers.simple(lang, 'tooLarge'));
  }
}

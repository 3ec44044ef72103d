import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { OUTCOME } from '../bot/bot';
import type { Core } from '../server/assistant';
import type { TurnOutcome } from '../storage/transcriptStore';
import type { AnswerLine } from './answerScoring';

/** The fixed time of the answer eval: a Wednesday, 11:30 in Riga (open), so hours answers do not depend on when it runs. */
export const ANSWER_EVAL_NOW = '2026-12-02T09:30:00Z';

/** What a person reads: plain text as an unknown channel gets it (cards as text, choices numbered). */
export function plainReply(replies: Array<Partial<Activity>>): string {
  return replies.filter((r) => r.type === 'message').map((r) => [
    r.text ?? '',
    ...(r.attachments ?? []).map((a) => {
      const c = a.content as { fallbackText?: string; text?: string; title?: string; buttons?: Array<{ title?: string }> } | undefined;
      return [c?.fallbackText ?? [c?.title, c?.text].filter(Boolean).join('\n'), ...(c?.buttons ?? []).map((b) => b.title ?? '')].join('\n');
    }),
    ...(r.suggestedActions?.actions ?? []).map((a) => a.title),
  ].filter(Boolean).join('\n')).join('\n');
}

/** Asks the bot one line of an answer eval set (a question, or a short conversation) in a new conversation `id`. */
export async function askCore(core: Pick<Core, 'bot'>, line: AnswerLine, id: string): Promise<{ reply: string; outcome: TurnOutcome | undefined }> {
  const locale = line.lang === 'en' ? 'en-US' : 'lv-LV';
  let outcome: TurnOutcome | undefined;
  const adapter = new TestAdapter(async (context: TurnContext) => {
    await core.bot.run(context);
    outcome = context.turnState.get(OUTCOME) as TurnOutcome | undefined;
  }, { channelId: 'eval', conversation: { id }, from: { id: `user-${id}` } } as Partial<Activity>);
  const turns = line.turns ?? [line.q ?? ''];
  let replies: Array<Partial<Activity>> = [];
  for (const text of turns) {
    adapter.activeQueue.splice(0);
    await adapter.receiveActivity({ type: 'message', text, locale } as Partial<Activity>);
    replies = adapter.activeQueue.splice(0);
  }
  return { reply: plainReply(replies), outcome };
}

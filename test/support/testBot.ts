import { TestAdapter, type Activity } from 'botbuilder';
import { createCore, type Core } from '../../server/assistant';
import { createLogger } from '../../server/logger';

let shared: Core | undefined;
/** The bot without HTTP, trained once per test file. */
export function core(): Core {
  shared ??= createCore({ logger: createLogger('silent') });
  return shared;
}

/** A TestAdapter conversation with the real bot (real NLU, dialogs and state in memory). */
export function conversation(options: { channelId?: string; locale?: string } = {}) {
  const bot = core().bot;
  const adapter = new TestAdapter(async (context) => bot.run(context), {
    channelId: options.channelId ?? 'test', locale: options.locale ?? 'lv-LV',
  } as Partial<Activity>);
  return {
    adapter,
    /** Sends a message and returns every reply of that turn. */
    async say(text: string): Promise<Array<Partial<Activity>>> {
      adapter.activeQueue.splice(0);
      await adapter.receiveActivity({ type: 'message', text, locale: options.locale ?? 'lv-LV' } as Partial<Activity>);
      return adapter.activeQueue.splice(0);
    },
  };
}

export const replyText = (replies: Array<Partial<Activity>>) => replies.map((r) => r.text ?? '').join('\n');

import { TestAdapter, type Activity } from 'botbuilder';
import { createCore, type Core } from '../../server/assistant';
import { createLogger } from '../../server/logger';
import { DiskStorage } from '../../storage/diskStorage';
import { Recognizer } from '../../nlu/recognizer';
import { LOCALES_DIR } from '../../server/paths';

const cores = new Map<string, Core>();
let recognizer: Recognizer | undefined;
/** Training is the slow part: one recognizer serves every bot of a test file. */
export function sharedRecognizer(): Recognizer {
  recognizer ??= Recognizer.fromLocales(LOCALES_DIR);
  return recognizer;
}
/** The bot without HTTP (real NLU, dialogs; state in memory), built once per test file and clock. */
export function core(now?: string): Core {
  const key = now ?? 'system clock';
  let c = cores.get(key);
  if (!c) {
    c = createCore({ logger: createLogger('silent'), recognizer: sharedRecognizer(), ...(now ? { clock: () => new Date(now) } : {}) });
    cores.set(key, c);
  }
  return c;
}

let conversations = 0;

export interface ConversationOptions {
  channelId?: string;
  locale?: string;
  /** Pins the clock ("2026-11-26T09:30:00Z"). */
  now?: string;
  /** Keeps state on disk in this folder, so that a "restart" keeps it. */
  dataDir?: string;
}

/** A TestAdapter conversation with the real bot. `restart()` builds a new bot on the same state, as a server restart would. */
export function conversation(options: ConversationOptions = {}) {
  const locale = options.locale ?? 'lv-LV';
  const id = `conv-${++conversations}`;
  const build = () => {
    const bot = options.dataDir
      ? createCore({
        logger: createLogger('silent'),
        recognizer: sharedRecognizer(),
        ...(options.now ? { clock: () => new Date(options.now!) } : {}),
        storage: new DiskStorage({ dataDir: options.dataDir }),
      }).bot
      : core(options.now).bot;
    return new TestAdapter(async (context) => bot.run(context), {
      channelId: options.channelId ?? 'test', locale, conversation: { id }, from: { id: `user-${id}` },
    } as Partial<Activity>);
  };
  let adapter = build();
  return {
    get adapter() {
      return adapter;
    },
    restart() {
      adapter = build();
    },
    /** Sends a message and returns every reply of that turn. */
    async say(text: string): Promise<Array<Partial<Activity>>> {
      adapter.activeQueue.splice(0);
      await adapter.receiveActivity({ type: 'message', text, locale } as Partial<Activity>);
      return adapter.activeQueue.splice(0);
    },
  };
}

/** What a person would see: the text, the text inside cards, and the buttons. */
export const replyText = (replies: Array<Partial<Activity>>) => replies.map((r) => [
  r.text ?? '',
  ...(r.attachments ?? []).map((a) => JSON.stringify(a.content)),
  ...(r.suggestedActions?.actions ?? []).map((a) => `[${a.title}]`),
].join('\n')).join('\n');

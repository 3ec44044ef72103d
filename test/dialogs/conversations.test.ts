import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conversation, replyText } from '../support/testBot';

interface ConversationFile {
  name: string;
  channelId?: string;
  locale?: string;
  /** A pinned time for the whole conversation, e.g. "2026-11-26T09:30:00Z". */
  now?: string;
  /** A step is a message and what the reply contains (and must not), or a server restart. */
  steps: Array<{ user: string; bot: string[]; not?: string[] } | { restart: true }>;
}

const dir = join(__dirname, '..', 'conversations');
const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();

/** A file holds one conversation, or many under "paths" (every path of a guide). */
const specs: Array<[string, ConversationFile]> = files.flatMap((file) => {
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ConversationFile | { paths: ConversationFile[] };
  return 'paths' in json ? json.paths.map((p): [string, ConversationFile] => [file, p]) : [[file, json]];
});

/** Conversations as data: each step says what the user types and what the reply must contain. */
describe.each(specs)('conversation %s', (_file, spec) => {
  test(spec.name, async () => {
    const restarts = spec.steps.some((s) => 'restart' in s);
    const convo = conversation({
      channelId: spec.channelId, locale: spec.locale, now: spec.now,
      ...(restarts ? { dataDir: mkdtempSync(join(tmpdir(), 'restart-')) } : {}),
    });
    for (const [i, step] of spec.steps.entries()) {
      if ('restart' in step) {
        convo.restart();
        continue;
      }
      const reply = replyText(await convo.say(step.user));
      for (const expected of step.bot) expect({ step: i + 1, user: step.user, reply }).toEqual({ step: i + 1, user: step.user, reply: expect.stringContaining(expected) });
      for (const unexpected of step.not ?? []) expect({ step: i + 1, reply }).toEqual({ step: i + 1, reply: expect.not.stringContaining(unexpected) });
    }
  });
});

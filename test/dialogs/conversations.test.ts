import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conversation, replyText } from '../support/testBot';

interface ConversationFile {
  name: string;
  channelId?: string;
  locale?: string;
  steps: Array<{ user: string; bot: string[]; not?: string[] }>;
}

const dir = join(__dirname, '..', 'conversations');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/** Conversations as data: each step says what the user types and what the reply must contain. */
describe.each(files)('conversation %s', (file) => {
  const spec = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ConversationFile;
  test(spec.name, async () => {
    const convo = conversation({ channelId: spec.channelId, locale: spec.locale });
    for (const [i, step] of spec.steps.entries()) {
      const reply = replyText(await convo.say(step.user));
      for (const expected of step.bot) expect({ step: i + 1, user: step.user, reply }).toEqual({ step: i + 1, user: step.user, reply: expect.stringContaining(expected) });
      for (const unexpected of step.not ?? []) expect({ step: i + 1, reply }).toEqual({ step: i + 1, reply: expect.not.stringContaining(unexpected) });
    }
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedbackStats } from '../../feedback/stats';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot, texts } from '../support/httpBot';

const dataDir = mkdtempSync(join(tmpdir(), 'ratings-http-'));
const start = () => createAssistant(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent') });

describe('ratings given in a conversation are stored, tied to what they rate, and survive a restart', () => {
  let assistant: Assistant;
  let bot: HttpBot;
  beforeAll(async () => {
    assistant = start();
    bot = await HttpBot.start(assistant.app);
  });
  afterAll(async () => {
    await bot?.close();
    await assistant?.close();
  });

  test('thumbs down with a comment, then a CSAT with a comment that holds a phone number', async () => {
    const conv = `rate-${Date.now()}`;
    const [answer] = await bot.say(conv, 'cik maksā izziņa?');
    expect(answer!.suggestedActions!.actions.map((a) => a.title)).toEqual(expect.arrayContaining(['👍 Noderēja', '👎 Nenoderēja']));
    expect(texts(await bot.say(conv, '👎 Nenoderēja'))).toMatch(/Kas jums pietrūka/);
    await bot.say(conv, 'nav norādīta summa');
    expect(texts(await bot.say(conv, 'uz redzēšanos'))).toMatch(/no 1 līdz 5/);
    await bot.say(conv, '4');
    await bot.say(conv, 'zvaniet man 29123456');
    // a second CSAT in the same conversation replaces the first
    expect(texts(await bot.say(conv, 'gribu novērtēt'))).toMatch(/no 1 līdz 5/);
    await bot.say(conv, '★★★★★');
    await bot.say(conv, 'izlaist');
    await assistant.stores.ratings.flush();

    const ratings = (await assistant.stores.ratings.list({})).filter((r) => r.conversationId === conv);
    const helpful = ratings.filter((r) => r.kind === 'helpful');
    const csat = ratings.filter((r) => r.kind === 'csat');
    expect(helpful).toHaveLength(1);
    expect(helpful[0]).toMatchObject({ value: 0, intent: 'fees', language: 'lv', channelId: 'webchat', comment: 'nav norādīta summa' });
    // the rating points at the answer it rates, as stored in the transcript
    await assistant.stores.transcripts.flush();
    const transcript = await assistant.stores.transcripts.get(conv);
    expect(transcript.some((r) => r.from === 'bot' && r.activityId === helpful[0]!.activityId)).toBe(true);
    expect(csat).toHaveLength(1);
    expect(csat[0]!.value).toBe(5);
  });

  test('a comment is redacted before it is stored', async () => {
    const conv = `rate-pd-${Date.now()}`;
    await bot.say(conv, 'gribu novērtēt');
    await bot.say(conv, '2');
    await bot.say(conv, 'atzvaniet man uz 29123456 vai rakstiet janis@example.lv');
    await assistant.stores.ratings.flush();
    const [csat] = (await assistant.stores.ratings.list({ kind: 'csat' })).filter((r) => r.conversationId === conv);
    expect(csat!.comment).not.toMatch(/29123456|janis@example\.lv/);
    expect(csat!.comment).toMatch(/\[PHONE\]/);
  });

  test('after a restart the numbers are the same', async () => {
    const range = { from: new Date(Date.now() - 3600_000), to: new Date(Date.now() + 3600_000) };
    const before = feedbackStats(await assistant.stores.ratings.list({}), range);
    await bot.close();
    await assistant.close();
    assistant = start();
    bot = await HttpBot.start(assistant.app);
    const after = feedbackStats(await assistant.stores.ratings.list({}), range);
    expect(after).toEqual(before);
    expect(after.csat.count).toBe(2);
    expect(after.csat.average).toBe(3.5);
    expect(after.helpful).toMatchObject({ count: 1, up: 0, down: 1 });
  });
});

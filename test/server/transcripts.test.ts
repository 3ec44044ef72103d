import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot, texts } from '../support/httpBot';

let bot: HttpBot;
let assistant: Assistant;

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'transcripts-')) }), { logger: createLogger('silent') });
  bot = await HttpBot.start(assistant.app);
});
afterAll(async () => {
  await bot.close();
  await assistant.close();
});

describe('transcripts over HTTP', () => {
  test('every activity is stored in order with language and intent; personal data is redacted in storage only', async () => {
    const conv = `t-${Date.now()}`;
    const live = texts(await bot.say(conv, 'Labdien, esmu Jānis Bērziņš, 161175-19997, +371 29123456, janis.berzins@example.lv. Kur jūs atrodaties?'));
    expect(live).toMatch(/Bruņinieku iela 72B/);
    await bot.say(conv, 'What are your opening hours?');
    await assistant.stores.transcripts.flush();
    const records = await assistant.stores.transcripts.get(conv);
    expect(records.map((r) => r.from)).toEqual(['user', 'bot', 'user', 'bot']);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records[0]).toMatchObject({ intent: 'address', language: 'lv', channelId: 'webchat', type: 'message' });
    expect(records[2]).toMatchObject({ intent: 'reception_hours', language: 'en' });
    expect(records[0]!.score).toBeGreaterThan(0.5);
    const stored = JSON.stringify(records);
    expect(stored).not.toMatch(/161175|29123456|janis@example\.lv/);
    expect(stored).toMatch(/\[PERSONAL_CODE\]/);
    const [summary] = await assistant.stores.transcripts.list({ intent: 'address' });
    expect(summary?.conversationId).toBe(conv);
  });

  test('readiness follows the stores; health is always up', async () => {
    expect((await fetch(`${bot.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  });
});

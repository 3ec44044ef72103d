import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { createDiskStores } from '../../storage';
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
    // what the bot showed: its text and its buttons, as staff read them
    expect(records[1]!.text).toMatch(/Bruņinieku iela 72B/);
    expect(records[1]!.attachments).toMatchObject({ buttons: expect.arrayContaining(['👍 Noderēja', '👎 Nenoderēja']) });
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

describe('a turn that fails', () => {
  test('still has its user message in the transcript, redacted, and the user gets an apology', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transcripts-fail-'));
    const stores = createDiskStores(dir);
    const broken = {
      ...stores,
      storage: {
        read: () => Promise.reject(new Error('disk on fire')),
        write: () => Promise.reject(new Error('disk on fire')),
        delete: () => Promise.reject(new Error('disk on fire')),
      },
    };
    const failing = createAssistant(loadConfig({ DATA_DIR: dir }), { logger: createLogger('silent'), stores: broken });
    const http = await HttpBot.start(failing.app);
    try {
      const conv = `fail-${Date.now()}`;
      const reply = texts(await http.say(conv, 'mans telefons 29123456, kur jūs atrodaties?'));
      expect(reply).toMatch(/Atvainojiet, radās tehniska kļūme/);
      await stores.transcripts.flush();
      const records = await stores.transcripts.get(conv);
      expect(records[0]).toMatchObject({ from: 'user', type: 'message' });
      expect(records[0]!.text).toContain('[PHONE]');
      expect(JSON.stringify(records)).not.toContain('29123456');
    } finally {
      await http.close();
      await failing.close();
    }
  });
});

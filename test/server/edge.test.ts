/**
 * The edge of /api/messages: wrong types and sizes are refused plainly (never a 500 with detail),
 * an anonymous server replies only to allowed hosts, and oversized content gets a clear reply
 * while the transcript keeps a cut, redacted copy.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { ConfigError, loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot, texts } from '../support/httpBot';
import { DirectLineClient } from '../directline/directLineClient';

let assistant: Assistant;
let bot: HttpBot;
let n = 0;
const conv = () => `edge-${Date.now()}-${n++}`;
const base = (c: string) => ({
  type: 'message', id: `m${n}`, text: 'Kur jūs atrodaties?', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1/',
  from: { id: 'u1' }, recipient: { id: 'bot' }, conversation: { id: c }, deliveryMode: 'expectReplies', locale: 'lv-LV',
});

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'edge-test-')) }), { logger: createLogger('silent') });
  bot = await HttpBot.start(assistant.app);
});
afterAll(async () => {
  await bot.close();
  await assistant.close();
});

async function raw(body: unknown): Promise<{ status: number; body: { error?: string; activities?: Array<{ text?: string }> } }> {
  const res = await fetch(`${bot.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { error?: string } };
}

describe('types and lengths at the edge', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a number as serviceUrl', { serviceUrl: 42 }, /"serviceUrl" must be a string/],
    ['an object as serviceUrl', { serviceUrl: { toLowerCase: 1 } }, /"serviceUrl"/],
    ['a serviceUrl that is no URL', { serviceUrl: 'javascript:alert(1)' }, /"serviceUrl"/],
    ['a number as text', { text: 12345 }, /"text" must be a string/],
    ['an array as text', { text: ['a'] }, /"text"/],
    ['a conversation id that is an object', { conversation: { id: { $gt: '' } } }, /"conversation.id"/],
    ['a 10,000-character activity id', { id: 'x'.repeat(10_000) }, /"id"/],
    ['attachments that are not a list', { attachments: 'x' }, /"attachments"/],
    ['a number as locale', { locale: 7 }, /"locale"/],
    ['no type', { type: undefined }, /"type"/],
  ])('%s: 400 with a plain message', async (_name, patch, message) => {
    const res = await raw({ ...base(conv()), ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  test('a JSON array or a string body: 400', async () => {
    expect((await raw([base(conv())])).status).toBe(400);
    expect((await raw('hello')).status).toBe(400);
  });
});

describe('anonymous mode', () => {
  test('replies to a foreign serviceUrl are refused; expectReplies and localhost are served', async () => {
    const foreign = { ...base(conv()), serviceUrl: 'http://169.254.169.254/latest/', deliveryMode: undefined };
    const res = await raw(foreign);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/expectReplies/);
    expect((await raw({ ...foreign, deliveryMode: 'expectReplies' })).status).toBe(200);
    expect((await raw({ ...base(conv()), deliveryMode: undefined })).status).toBe(200); // 127.0.0.1: allowed (the Emulator)
  });
});

describe('oversized content', () => {
  test('240 kB of text (the body limit is 256 kB): the "too long" reply; the transcript holds a cut, redacted copy', async () => {
    const c = conv();
    const text = 'pk 161175-19997 '.repeat(12_000) + 'a@'.repeat(200_000);
    const replies = await bot.say(c, text.slice(0, 240_000));
    expect(texts(replies)).toMatch(/ļoti gara/);
    await assistant.stores.transcripts.flush();
    const [user] = await assistant.stores.transcripts.get(c);
    expect(user!.text!.length).toBeLessThan(3000); // 2,000 characters cut, placeholders longer than what they replace
    expect(user!.text).toMatch(/\[…\]$/);
    expect(user!.text).not.toMatch(/161175/);
  });

  test.each<[string, Record<string, unknown>]>([
    ['a 100 kB value', { value: { comment: 'x'.repeat(100_000) } }],
    ['200 attachments', { attachments: Array.from({ length: 90 }, () => ({ contentType: 'text/plain', content: 'x'.repeat(1000) })) }],
    ['a 100 kB channelData', { channelData: { blob: 'x'.repeat(100_000) } }],
  ])('%s: a "too large" reply, the bot does not run', async (_name, patch) => {
    const replies = await bot.say(conv(), 'Kur jūs atrodaties?', patch);
    expect(texts(replies)).toMatch(/pārāk liela/);
    expect(texts(replies)).not.toMatch(/Bruņinieku/);
  });

  test('a value nested 20,000 deep: a "too large" reply', async () => {
    const json = JSON.stringify(base(conv())).replace(/}$/, `,"value":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`);
    const res = await raw(json);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.activities)).toMatch(/pārāk liela/);
  });

  test('a client-chosen activity id holding a personal code is stored redacted', async () => {
    const c = conv();
    await bot.say(c, 'Kur jūs atrodaties?', { id: 'id-161175-19997' });
    await assistant.stores.transcripts.flush();
    const records = await assistant.stores.transcripts.get(c);
    expect(JSON.stringify(records)).not.toMatch(/161175/);
  });
});

describe('configuration', () => {
  test('production without an app id refuses to start, unless ALLOW_ANONYMOUS=true', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MicrosoftAppId: is required with NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true' }).ALLOW_ANONYMOUS).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'p' })).not.toThrow();
  });

  test('a STAFF_TOKEN of blanks is refused', () => {
    expect(() => loadConfig({ STAFF_TOKEN: ' '.repeat(16) })).toThrow(ConfigError);
    expect(() => loadConfig({ STAFF_TOKEN: `${'a'.repeat(10)} ${'b'.repeat(10)}` })).toThrow(/blanks/);
  });
});

describe('the local Direct Line, which does not check types itself', () => {
  test('a number as text: the bot asks for text, the process and the transcript are fine', async () => {
    const dl = new DirectLineClient(bot.baseUrl);
    await dl.grant();
    expect(await dl.start()).toBeLessThan(300);
    const res = await dl.request('POST', `/v3/directline/conversations/${dl.conversationId}/activities`, {
      type: 'message', text: 161175, from: { id: 'x' }, locale: 'lv-LV', channelData: { clientActivityID: 'n1' },
    });
    expect(res.status).toBeLessThan(300);
    const reply = await dl.waitFor((a) => /teksta/.test(a.text ?? ''));
    expect(reply.text).toMatch(/Es saprotu tikai teksta ziņas/);
    await assistant.stores.transcripts.flush();
    const records = await assistant.stores.transcripts.get(dl.conversationId);
    expect(records.filter((r) => r.from === 'user' && r.type === 'message')).toHaveLength(1);
  });
});

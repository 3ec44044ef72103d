import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { DirectLineClient, listen } from './directLineClient';

/**
 * The local Direct Line over real HTTP with the real assistant behind it, as Web Chat uses it
 * (polling): token -> conversation -> greeting -> message echoed with its clientActivityID -> answer.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'directline-test-'));
let assistant: Assistant;
let server: { baseUrl: string; close(): Promise<void> };

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: dataDir }), { logger: createLogger('silent') });
  server = await listen(assistant.app);
});
afterAll(async () => {
  await server.close();
  await assistant.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a conversation through the local Direct Line', () => {
  test('greets, echoes the user activity, answers, with increasing watermarks', async () => {
    const dl = new DirectLineClient(server.baseUrl);
    const grant = await dl.grant();
    expect(grant.domain).toBe('/v3/directline');
    expect(grant.expires_in).toBe(1800);
    expect(grant.conversationId).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(grant.userId).toMatch(/^dl_/);
    // Web Chat reads the user id from the token's "user" claim (a JWT payload).
    const payload = JSON.parse(Buffer.from(grant.token.split('.')[1] ?? '', 'base64url').toString()) as { user: string; conv: string };
    expect(payload).toMatchObject({ user: grant.userId, conv: grant.conversationId });

    expect(await dl.start('lv-LV')).toBe(201);
    expect(await dl.start('lv-LV')).toBe(200); // idempotent: no second greeting

    const greeting = await dl.waitFor((a) => a.type === 'message' && a.from?.role === 'bot');
    expect(greeting.text).toMatch(/Informācijas centra virtuālais asistents/);
    expect(greeting).toMatchObject({ channelId: 'webchat', conversation: { id: grant.conversationId }, recipient: { id: grant.userId } });
    expect(greeting.id.startsWith(`${grant.conversationId}|`)).toBe(true);
    expect(typeof greeting.timestamp).toBe('string');
    expect(greeting.suggestedActions?.actions.length).toBeGreaterThan(0);
    const afterGreeting = Number(dl.watermark);
    expect(dl.watermark).toMatch(/^\d+$/);

    const sent = await dl.say('Kur jūs atrodaties?', 'client-1');
    expect(sent.status).toBe(200);
    expect(sent.id).toBeTruthy();
    const echo = await dl.waitFor((a) => a.id === sent.id);
    expect(echo).toMatchObject({ type: 'message', text: 'Kur jūs atrodaties?', channelData: { clientActivityID: 'client-1' } });
    // The user id comes from the token, whatever the client claims.
    expect(echo.from).toMatchObject({ id: grant.userId, role: 'user' });
    const answer = await dl.waitFor((a) => a.from?.role === 'bot' && /Bruņinieku iela 72B/.test(a.text ?? ''));
    expect(answer.replyToId).toBe(sent.id);
    expect(Number(dl.watermark)).toBeGreaterThan(afterGreeting);

    // Nothing new: the watermark stays, the list is empty.
    const before = dl.watermark;
    expect(await dl.poll()).toEqual([]);
    expect(dl.watermark).toBe(before);

    // Everything again from the start, in order, with unique ids.
    const all = await new DirectLineClient(server.baseUrl, dl.token, dl.conversationId).poll();
    expect(all.map((a) => a.id)).toEqual(dl.seen.map((a) => a.id));
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
  });

  test('a click on a suggested action (its value as text) gets its answer', async () => {
    const dl = new DirectLineClient(server.baseUrl);
    await dl.grant();
    await dl.start();
    const greeting = await dl.waitFor((a) => a.from?.role === 'bot');
    const hours = greeting.suggestedActions?.actions.find((a) => /Pieņemšanas laiks/.test(a.title));
    expect(hours).toBeDefined();
    await dl.say(String(hours?.value));
    await dl.waitFor((a) => a.from?.role === 'bot' && /Pirmdiena/.test(a.text ?? ''));
  });

  test('greets in English when the page starts the conversation in English', async () => {
    const dl = new DirectLineClient(server.baseUrl);
    await dl.grant();
    await dl.start('en-US');
    const greeting = await dl.waitFor((a) => a.from?.role === 'bot');
    expect(greeting.text).toMatch(/Information Centre/);
  });

  test('a token for one conversation cannot read or post to another (403)', async () => {
    const a = new DirectLineClient(server.baseUrl);
    const b = new DirectLineClient(server.baseUrl);
    await a.grant();
    await b.grant();
    await a.start();
    await b.start();
    const read = await a.request('GET', `/v3/directline/conversations/${b.conversationId}/activities?watermark=`);
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ error: { code: 'Forbidden' } });
    const post = await a.request('POST', `/v3/directline/conversations/${b.conversationId}/activities`, { type: 'message', text: 'hi' });
    expect(post.status).toBe(403);
    const resume = await a.request('GET', `/v3/directline/conversations/${b.conversationId}`);
    expect(resume.status).toBe(403);
  });

  test('no token, a garbage token or a forged one: 401', async () => {
    const dl = new DirectLineClient(server.baseUrl);
    await dl.grant();
    await dl.start();
    const path = `/v3/directline/conversations/${dl.conversationId}/activities`;
    expect((await dl.request('GET', path, undefined, null)).status).toBe(401);
    expect((await dl.request('GET', path, undefined, 'garbage')).status).toBe(401);
    expect((await dl.request('POST', '/v3/directline/conversations', {}, 'a.b.c')).status).toBe(401);
    expect((await dl.request('POST', '/v3/directline/tokens/refresh', undefined, null)).status).toBe(401);
    // Same header, a payload naming another user: the signature no longer matches.
    const [header, payload, signature] = dl.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, user: 'dl_someone_else' })).toString('base64url')}.${signature}`;
    const res = await dl.request('GET', path, undefined, forged);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'Unauthorized' } });
  });

  test('refresh gives a new token for the same conversation', async () => {
    const dl = new DirectLineClient(server.baseUrl);
    const grant = await dl.grant();
    await dl.start();
    const res = await dl.request('POST', '/v3/directline/tokens/refresh');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversationId: grant.conversationId, expires_in: 1800 });
    dl.token = String(res.body.token);
    await dl.waitFor((a) => a.from?.role === 'bot');
  });

  test('rejects activities it does not accept from a client', async () => {
    const dl = new DirectLineClient(server.baseUrl);
    await dl.grant();
    await dl.start();
    const path = `/v3/directline/conversations/${dl.conversationId}/activities`;
    expect((await dl.request('POST', path, { type: 'conversationUpdate', membersAdded: [{ id: 'x' }] })).status).toBe(400);
    expect((await dl.request('POST', path, { text: 'no type' })).status).toBe(400);
  });

  test('serves the chat page and Web Chat from this server', async () => {
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await page.text();
    expect(html).toMatch(/<html lang="lv">/);
    expect(html).toMatch(/<title>IeM IC asistents — Iekšlietu ministrijas Informācijas centrs<\/title>/);
    expect(html).not.toMatch(/\{\{/); // every text filled in from locales/lv/page.json
    const bundlePath = /src="(vendor\/webchat-[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    expect(bundlePath).toBeDefined();
    expect(html).not.toMatch(/https?:\/\//); // no third-party scripts, styles or fonts
    const english = await (await fetch(`${server.baseUrl}/?lang=en`)).text();
    expect(english).toMatch(/<html lang="en">[\s\S]*Information Centre of the Ministry of the Interior/);
    // Web Chat's standalone bundle under a versioned name: compressed (fetch unpacks it), cached for a year.
    const bundle = await fetch(`${server.baseUrl}/${bundlePath}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const sent = (encoding: string) => new Promise<{ encoding?: string; length: number }>((resolve, reject) => {
      get(`${server.baseUrl}/${bundlePath}`, { headers: { 'accept-encoding': encoding } }, (res) => {
        res.resume();
        resolve({ encoding: res.headers['content-encoding'], length: Number(res.headers['content-length']) });
      }).on('error', reject);
    });
    // Chromium asks for brotli (0.7 MB); a client without it gets gzip (0.95 MB).
    const brotli = await sent('gzip, deflate, br');
    expect(brotli.encoding).toBe('br');
    expect(brotli.length).toBeLessThan(900_000);
    const gzipped = await sent('gzip');
    expect(gzipped.encoding).toBe('gzip');
    expect(gzipped.length).toBeLessThan(1_500_000);
    const source = await bundle.text();
    expect(source.length).toBeGreaterThan(3_000_000);
    expect(source).toContain('WebChat');
    // (node:http, not fetch: fetch adds "cache-control: no-cache" to conditional requests)
    const again = await new Promise<number | undefined>((resolve, reject) => {
      get(`${server.baseUrl}/${bundlePath}`, { headers: { 'if-none-match': String(bundle.headers.get('etag')) } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    expect(again).toBe(304);
    for (const asset of ['chat.js', 'chat.css']) expect((await fetch(`${server.baseUrl}/${asset}`)).status).toBe(200);
  });
});

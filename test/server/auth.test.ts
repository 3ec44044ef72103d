/**
 * JWT validation end to end: a local OpenID provider (metadata + JWKS over real HTTP) signs real
 * RS256 tokens; the assistant is pointed at it through botframework-connector's own settings.
 * A black-holed metadata host (accepts connections, never answers) must still give a 401, in time,
 * and leave no connection open.
 */
import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot } from '../support/httpBot';

const APP_ID = '00000000-1111-2222-3333-444444444444';
const ISSUER = 'https://issuer.local.test';
const SERVICE_URL = 'http://127.0.0.1:9/';
const b64 = (x: string | Buffer) => Buffer.from(x).toString('base64url');

const good = generateKeyPairSync('rsa', { modulusLength: 2048 });
const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });

function sign(payload: Record<string, unknown>, opts: { key?: KeyObject; kid?: string; alg?: 'RS256' | 'HS256' | 'none' } = {}): string {
  const alg = opts.alg ?? 'RS256';
  const head = b64(JSON.stringify({ alg, typ: 'JWT', kid: opts.kid ?? 'k1' }));
  const body = b64(JSON.stringify(payload));
  const data = `${head}.${body}`;
  if (alg === 'none') return `${data}.`;
  if (alg === 'HS256') return `${data}.${createHmac('sha256', 'public-key-as-secret').update(data).digest('base64url')}`;
  return `${data}.${createSign('RSA-SHA256').update(data).sign(opts.key ?? good.privateKey).toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now() - 60, exp: now() + 3600, ...extra });

let provider: Server;
let providerUrl: string;
let blackHole: net.Server;
const held = new Set<net.Socket>();
let blackHoleUrl: string;
let assistant: Assistant;
let bot: HttpBot;

const listen = (s: net.Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

function start(metadataUrl: string, reuse?: Assistant): Assistant {
  return createAssistant(loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'auth-test-')),
    MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-with-expect-replies', MicrosoftAppType: 'MultiTenant',
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl, ToBotFromChannelTokenIssuer: ISSUER,
    OUTBOUND_TIMEOUT_MS: '2000',
  }), { logger: createLogger('silent'), ...(reuse ? { recognizer: reuse.recognizer } : {}) });
}

beforeAll(async () => {
  const jwk = { ...good.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' };
  provider = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openidconfiguration') res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${providerUrl}/keys` }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  });
  providerUrl = `http://127.0.0.1:${await listen(provider)}`;
  blackHole = net.createServer((socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // reads (and drops) what comes, so that the client's close is seen
  });
  blackHoleUrl = `http://127.0.0.1:${await listen(blackHole)}/.well-known/openidconfiguration`;
  assistant = start(`${providerUrl}/.well-known/openidconfiguration`);
  bot = await HttpBot.start(assistant.app);
});

afterAll(async () => {
  await bot.close();
  await assistant.close();
  for (const s of held) s.destroy();
  await new Promise((r) => provider.close(r));
  await new Promise((r) => blackHole.close(r));
});

async function post(base: string, token: string | undefined, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      type: 'message', id: 'm1', text: 'Kur jūs atrodaties?', channelId: 'webchat', serviceUrl: SERVICE_URL,
      from: { id: 'u1' }, recipient: { id: APP_ID }, conversation: { id: `auth-${Math.random()}` }, deliveryMode: 'expectReplies',
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: await res.text() };
}

describe('authentication with an app id', () => {
  test('a token signed by the channel key for this app is accepted and answered', async () => {
    const res = await post(bot.baseUrl, sign(claims()));
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/Bruņinieku iela 72B/);
  });

  test.each<[string, () => string | undefined]>([
    ['no token', () => undefined],
    ['an empty bearer', () => ''],
    ['garbage', () => 'not.a.jwt'],
    ['a foreign key with the known key id', () => sign(claims(), { key: foreign.privateKey })],
    ['an unknown key id', () => sign(claims(), { key: foreign.privateKey, kid: 'other' })],
    ['the wrong audience', () => sign(claims({ aud: 'someone-else' }))],
    ['the wrong issuer', () => sign(claims({ iss: 'https://evil.test' }))],
    ['an expired token', () => sign(claims({ exp: now() - 3600, nbf: now() - 7200 }))],
    ['HS256', () => sign(claims(), { alg: 'HS256' })],
    ['alg none', () => sign(claims(), { alg: 'none' })],
    ['another serviceUrl in the token', () => sign(claims({ serviceurl: 'https://evil.test/' }))],
  ])('%s: 401, with no detail', async (_name, token) => {
    const res = await post(bot.baseUrl, token());
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ error: 'Unauthorized' });
  });
});

describe('metadata host black-holed', () => {
  test('every request gets a 401 within 5 s, and no connection to it stays open', async () => {
    const blocked = start(blackHoleUrl, assistant);
    const server = await HttpBot.start(blocked.app);
    try {
      const results = await Promise.all(Array.from({ length: 50 }, () => post(server.baseUrl, sign(claims()), 5000)));
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(401));
      expect(results.every((r) => !/127\.0\.0\.1|ECONN|fetch/i.test(r.body))).toBe(true);
      // during the back-off, refused at once without a new connection
      expect((await post(server.baseUrl, sign(claims()), 5000)).status).toBe(401);
      await new Promise((r) => setTimeout(r, 200));
      expect(held.size).toBe(0);
    } finally {
      await server.close();
      await blocked.close();
    }
  });
});

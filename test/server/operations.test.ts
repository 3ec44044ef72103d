/** Security headers on every route, the metrics endpoint, and the per-address limit on /api/messages. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, type Assistant } from '../../server/assistant';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { HttpBot } from '../support/httpBot';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { createStores } from '../../storage';

let assistant: Assistant;
let bot: HttpBot;

beforeAll(async () => {
  assistant = createAssistant(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'ops-test-')), MESSAGES_PER_MINUTE: '5', TRUST_PROXY_HOPS: '1' }), { logger: createLogger('silent') });
  bot = await HttpBot.start(assistant.app);
});
afterAll(async () => {
  await bot.close();
  await assistant.close();
});

describe('security headers', () => {
  test.each(['/', '/healthz', '/api/staff/feedback', '/no-such-page', '/metrics'])('%s', async (path) => {
    const res = await fetch(`${bot.baseUrl}${path}`);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('FRAME_ANCESTORS lets the Centre\'s site frame the page (and drops X-Frame-Options, which cannot say so)', async () => {
    const framed = createAssistant(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'ops-frame-')), FRAME_ANCESTORS: 'https://www.ic.iem.gov.lv' }), { logger: createLogger('silent'), recognizer: assistant.recognizer });
    const server = await HttpBot.start(framed.app);
    const res = await fetch(`${server.baseUrl}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https:\/\/www\.ic\.iem\.gov\.lv/);
    expect(res.headers.get('x-frame-options')).toBeNull();
    await server.close();
    await framed.close();
  });
});

describe('metrics', () => {
  test('GET /metrics: turn latency by channel, turns by outcome, fallbacks, lock counters', async () => {
    await bot.say('ops-1', 'Kur jūs atrodaties?', { serviceUrl: 'http://127.0.0.1:1/' });
    await bot.say('ops-1', 'Kāda būs rītdien laika prognoze Jūrmalā?');
    const res = await fetch(`${bot.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/iemic_turn_duration_seconds_bucket\{le="[\d.]+",channel="webchat"\}/);
    expect(text).toMatch(/iemic_turns_total\{channel="webchat",outcome="answered"\} [1-9]/);
    expect(text).toMatch(/iemic_turns_total\{channel="webchat",outcome="fallback"\} 1/);
    expect(text).toMatch(/iemic_fallbacks_total\{language="lv"\} 1/);
    expect(text).toMatch(/iemic_lock_acquired_total [1-9]/);
    expect(text).toMatch(/iemic_lock_timeouts_total 0/);
    expect(text).toMatch(/iemic_storage_errors_total/);
    expect(text).toMatch(/iemic_process_resident_memory_bytes/);
  });
});

describe('rate limit on /api/messages', () => {
  const post = (forwardedFor: string) => fetch(`${bot.baseUrl}/api/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ type: 'conversationUpdate', channelId: 'webchat', conversation: { id: `rl-${Math.random()}` }, deliveryMode: 'expectReplies', serviceUrl: 'http://127.0.0.1:1/' }),
  }).then((r) => r.status);

  test('an IPv6 /56 counts as one address; another prefix has its own count', async () => {
    const statuses: number[] = [];
    // five different addresses inside 2001:db8:1:100::/56, then a sixth
    for (let i = 0; i < 6; i++) statuses.push(await post(`2001:db8:1:1${i}0::${i + 1}`));
    expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
    expect(statuses[5]).toBe(429);
    expect(await post('2001:db8:2:100::1')).toBe(200);
    expect(await post('198.51.100.7')).toBe(200);
  });
});

describeWithRedis('rate limit shared through Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => redis?.destroy());

  test('two instances on one Redis count one address together', async () => {
    const start = async (name: string) => {
      const dataDir = mkdtempSync(join(tmpdir(), `ops-redis-${name}-`));
      const stores = await createStores({ dataDir, redisUrl: redis.url, keyPrefix: `rl${Date.now()}:` });
      const a = createAssistant(loadConfig({ DATA_DIR: dataDir, MESSAGES_PER_MINUTE: '5' }), { stores, logger: createLogger('silent'), recognizer: assistant.recognizer });
      return { a, http: await HttpBot.start(a.app) };
    };
    const one = await start('a');
    const two = await start('b');
    const post = (b: HttpBot) => fetch(`${b.baseUrl}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'conversationUpdate', channelId: 'webchat', conversation: { id: `rl-${Math.random()}` }, deliveryMode: 'expectReplies', serviceUrl: 'http://127.0.0.1:1/' }),
    }).then((r) => r.status);
    try {
      const statuses = [await post(one.http), await post(two.http), await post(one.http), await post(two.http), await post(one.http), await post(two.http)];
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      for (const x of [one, two]) {
        await x.http.close();
        await x.a.close();
      }
    }
  });
});

import { ActivityHandler } from 'botbuilder';
import { CentreAdapter } from '../../server/adapter';
import WebSocket from 'ws';
import { makeApp } from '../../server/app';
import { createDirectLine, type DirectLineOptions } from '../../server/directline/directLine';
import { createLogger } from '../../server/logger';
import { RedisStorage } from '../../storage/redisStorage';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { closeClient, connectClient, uniquePrefix, type TestRedisClient } from '../storage/helpers';
import { DirectLineClient, listen } from './directLineClient';

/**
 * Two Direct Line instances on one real redis-server, as behind a load balancer: a conversation
 * and its token work on both, a reply the other instance's bot sent reaches this one's stream at
 * once, and the limits on new conversations are counted once for both.
 */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
  }
}

let redis: RedisServer;
let client: TestRedisClient;
const closers: Array<() => Promise<void>> = [];

async function instance(keyPrefix: string, options: Partial<DirectLineOptions> = {}) {
  const bot = new EchoBot();
  const directLine = createDirectLine({
    bot, logger: createLogger('silent'), storage: new RedisStorage(client, { keyPrefix }), redis: client, redisKeyPrefix: keyPrefix, proxyHops: 1, ...options,
  });
  const app = makeApp({ adapter: new CentreAdapter(), bot, logger: createLogger('silent'), routers: [directLine.router] });
  const server = await listen(app, (req, socket, head) => {
    if (!directLine.upgrade(req, socket, head)) socket.destroy();
  });
  closers.push(async () => {
    directLine.close();
    await server.close();
  });
  return server.baseUrl;
}

describeWithRedis('the Direct Line on two instances sharing Redis', () => {
  beforeAll(async () => {
    redis = await RedisServer.start();
    client = await connectClient(redis.url);
  });

  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  afterAll(async () => {
    await closeClient(client);
    await redis.destroy();
  });

  test('a conversation started on one goes on at the other, with one token key and one sequence', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const onA = new DirectLineClient(a);
    await onA.grant();
    expect(await onA.start()).toBe(201);
    const onB = new DirectLineClient(b, onA.token, onA.conversationId);
    for (const [client_, text] of [[onA, 'one'], [onB, 'two'], [onA, 'three'], [onB, 'four']] as const) {
      expect((await client_.say(text)).status).toBe(200);
    }
    const all = await onB.waitFor((x) => x.text === 'echo: four');
    expect(all).toBeDefined();
    const texts = onB.seen.map((x) => x.text);
    expect(texts).toEqual(['one', 'echo: one', 'two', 'echo: two', 'three', 'echo: three', 'four', 'echo: four']);
    expect(onB.seen.map((x) => Number(x.id.split('|')[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('a stream on one instance gets what the bot sent on the other at once (pub/sub, not its slow re-read)', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await instance(prefix, { sharedPollMs: 60_000 }), await instance(prefix, { sharedPollMs: 60_000 })];
    const onA = new DirectLineClient(a);
    await onA.grant();
    const started = await onA.request('POST', '/v3/directline/conversations', {});
    const ws = new WebSocket(String(started.body.streamUrl));
    const got: string[] = [];
    ws.on('message', (data) => got.push(...(JSON.parse(String(data)) as { activities: Array<{ text: string }> }).activities.map((x) => x.text)));
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    // Pub/sub subscriptions are made in the background: give them a moment.
    await new Promise((r) => setTimeout(r, 300));
    const onB = new DirectLineClient(b, onA.token, onA.conversationId);
    expect((await onB.say('across')).status).toBe(200);
    const deadline = Date.now() + 5000;
    while (!got.includes('echo: across') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['across', 'echo: across']);
    ws.close();
  });

  test('the per-address limit and the global cap are counted once for every instance', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await instance(prefix, { tokensPerMinute: 2, conversationsPerMinute: 5 }), await instance(prefix, { tokensPerMinute: 2, conversationsPerMinute: 5 })];
    const tokenFrom = async (baseUrl: string, address: string) =>
      (await fetch(`${baseUrl}/api/directline/token`, { method: 'POST', headers: { 'x-forwarded-for': address } })).status;
    expect([await tokenFrom(a, '198.51.100.1'), await tokenFrom(b, '198.51.100.1'), await tokenFrom(a, '198.51.100.1')]).toEqual([200, 200, 429]);
    expect([await tokenFrom(b, '198.51.100.2'), await tokenFrom(a, '198.51.100.3'), await tokenFrom(b, '198.51.100.4'), await tokenFrom(a, '198.51.100.5')]).toEqual([200, 200, 200, 429]);
  });
});

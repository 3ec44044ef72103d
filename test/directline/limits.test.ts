import { ActivityHandler, MemoryStorage, MessageFactory, TurnContext } from 'botbuilder';
import { CentreAdapter } from '../../server/adapter';
import { makeApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { AZURE_DIRECT_LINE } from '../../server/directline/azure';
import { createDirectLine, type DirectLineOptions } from '../../server/directline/directLine';
import { TokenSigner } from '../../server/directline/token';
import { createLogger } from '../../server/logger';
import { DirectLineClient, listen } from './directLineClient';

/**
 * The local Direct Line's security and bounds, with a small echo bot and an injected clock:
 * expiry, refresh, eviction, caps, rate limits, turn order, and the Azure token path (injected fetch).
 */
class EchoBot extends ActivityHandler {
  readonly log: string[] = [];
  /** A message whose text is a key here waits for the promise before answering. */
  readonly gates = new Map<string, Promise<void>>();

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      this.log.push(`start ${text}`);
      await this.gates.get(text);
      await context.sendActivity(`echo: ${text}`);
      this.log.push(`end ${text}`);
      await next();
    });
    this.onEvent(async (context, next) => {
      await context.sendActivity(`event: ${context.activity.name}=${String(context.activity.value)}`);
      await next();
    });
  }
}

function gate(): { promise: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

const clock = { t: Date.UTC(2025, 0, 6, 9, 0, 0) };
const MINUTE = 60_000;

async function serve(options: Partial<DirectLineOptions> = {}) {
  const bot = new EchoBot();
  const directLine = createDirectLine({ bot, logger: createLogger('silent'), now: () => clock.t, storage: new MemoryStorage(), ...options });
  const app = makeApp({ adapter: new CentreAdapter(), bot, logger: createLogger('silent'), routers: [directLine.router] });
  const server = await listen(app);
  return {
    bot,
    directLine,
    baseUrl: server.baseUrl,
    async close() {
      directLine.close();
      await server.close();
    },
  };
}

type Served = Awaited<ReturnType<typeof serve>>;
let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

async function started(s: Served): Promise<DirectLineClient> {
  const dl = new DirectLineClient(s.baseUrl);
  await dl.grant();
  expect(await dl.start()).toBe(201);
  return dl;
}

describe('tokens', () => {
  test('an expired token gets 403 TokenExpired (what Web Chat reads as expired); a refreshed one goes on', async () => {
    served = await serve({ limits: { idleMs: 24 * 60 * MINUTE } });
    const dl = await started(served);
    const path = `/v3/directline/conversations/${dl.conversationId}/activities`;
    clock.t += 20 * MINUTE;
    const refreshed = await dl.request('POST', '/v3/directline/tokens/refresh');
    expect(refreshed.status).toBe(200);
    const newToken = String(refreshed.body.token);
    clock.t += 15 * MINUTE; // 35 min after the grant, 15 after the refresh
    const old = await dl.request('GET', path);
    expect(old.status).toBe(403);
    expect(old.body).toMatchObject({ error: { code: 'TokenExpired' } });
    expect((await dl.request('POST', '/v3/directline/tokens/refresh')).status).toBe(403);
    dl.token = newToken;
    expect((await dl.request('GET', path)).status).toBe(200);
    clock.t += 16 * MINUTE;
    expect((await dl.request('GET', path)).status).toBe(403);
  });

  test('a token signed with another key is refused', async () => {
    served = await serve();
    const dl = await started(served);
    const { token } = new TokenSigner('another key', () => clock.t).sign(dl.conversationId, 'dl_x', 1800);
    const res = await dl.request('GET', `/v3/directline/conversations/${dl.conversationId}/activities`, undefined, token);
    expect(res.status).toBe(401);
  });

  test('token creation is rate-limited per address', async () => {
    served = await serve({ tokensPerMinute: 3 });
    const dl = new DirectLineClient(served.baseUrl);
    for (let i = 0; i < 3; i++) await dl.grant();
    const limited = await dl.request('POST', '/api/directline/token', undefined, null);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'TooManyRequests' } });
  });

  test('IPv6 addresses count by /56: one household cannot dodge the limit by changing its address', async () => {
    const tokenFrom = async (baseUrl: string, forwardedFor: string) =>
      (await fetch(`${baseUrl}/api/directline/token`, { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } })).status;
    served = await serve({ tokensPerMinute: 1, proxyHops: 1 });
    expect(await tokenFrom(served.baseUrl, '2001:db8:1:100::1')).toBe(200);
    expect(await tokenFrom(served.baseUrl, '2001:db8:1:1ff:aaaa::2')).toBe(429);
    expect(await tokenFrom(served.baseUrl, '2001:db8:2::1')).toBe(200);
  });

  test('new conversations have a global cap per minute, whatever the address', async () => {
    const tokenFrom = async (baseUrl: string, forwardedFor: string) =>
      (await fetch(`${baseUrl}/api/directline/token`, { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } })).status;
    served = await serve({ conversationsPerMinute: 3, proxyHops: 1 });
    const statuses = [];
    for (let i = 1; i <= 5; i++) statuses.push(await tokenFrom(served.baseUrl, `198.51.100.${i}`));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  test('behind a proxy (proxyHops), the limit counts the forwarded client address; otherwise the header is ignored', async () => {
    const tokenFrom = async (baseUrl: string, forwardedFor: string) =>
      (await fetch(`${baseUrl}/api/directline/token`, { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } })).status;
    served = await serve({ tokensPerMinute: 1, proxyHops: 1 });
    expect(await tokenFrom(served.baseUrl, '198.51.100.7')).toBe(200);
    expect(await tokenFrom(served.baseUrl, '198.51.100.7')).toBe(429);
    expect(await tokenFrom(served.baseUrl, '198.51.100.8')).toBe(200);
    // A client cannot dodge the limit by prepending addresses: only the one the proxy added counts.
    expect(await tokenFrom(served.baseUrl, '203.0.113.9, 198.51.100.7')).toBe(429);
    await served.close();
    served = await serve({ tokensPerMinute: 1 });
    expect(await tokenFrom(served.baseUrl, '198.51.100.7')).toBe(200);
    expect(await tokenFrom(served.baseUrl, '198.51.100.8')).toBe(429);
  });

  test('conversation ids are unguessable and distinct', async () => {
    served = await serve();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await new DirectLineClient(served.baseUrl).grant()).conversationId);
    expect(ids.size).toBe(20);
    for (const id of ids) expect(Buffer.from(id, 'base64url').length).toBeGreaterThanOrEqual(16);
  });
});

describe('bounds', () => {
  test('an idle conversation is over (404), an active one stays', async () => {
    served = await serve({ limits: { idleMs: 10 * MINUTE } });
    const idle = await started(served);
    const active = await started(served);
    for (let i = 0; i < 3; i++) {
      clock.t += 4 * MINUTE;
      expect((await active.say(`still here ${i}`)).status).toBe(200);
    }
    const res = await idle.request('GET', `/v3/directline/conversations/${idle.conversationId}/activities`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'NotFound' } });
    await active.poll();
  });

  test('idle conversations are erased from the store by the sweep, live ones stay', async () => {
    const storage = new MemoryStorage();
    served = await serve({ storage, limits: { idleMs: 10 * MINUTE } });
    const idle = await started(served);
    const live = await started(served);
    clock.t += 8 * MINUTE;
    await live.say('still here');
    clock.t += 5 * MINUTE;
    expect(await served.directLine.store.sweep()).toBe(1);
    const items = await storage.read([`directline/conversations/${idle.conversationId}`, `directline/conversations/${live.conversationId}`]);
    expect(Object.keys(items)).toEqual([`directline/conversations/${live.conversationId}`]);
  });

  test('others opening many conversations do not evict a live one', async () => {
    served = await serve({ tokensPerMinute: 1000, conversationsPerMinute: 1000 });
    const mine = await started(served);
    for (let i = 0; i < 60; i++) await started(served);
    expect((await mine.say('still here')).status).toBe(200);
    await mine.waitFor((a) => a.text === 'echo: still here');
  });

  test('a watermark that is not a small whole number gets 400, never an echo like "1e+23"', async () => {
    served = await serve();
    const dl = await started(served);
    const path = `/v3/directline/conversations/${dl.conversationId}/activities?watermark=`;
    for (const bad of ['100000000000000000000000', '1e%2B23', '-1', 'abc', '1.5', '9999999999999999']) {
      const res = await dl.request('GET', path + bad);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
    const far = await dl.request('GET', `${path}999999999999999`);
    expect(far.status).toBe(200);
    expect(Number(far.body.watermark)).toBeLessThan(10);
  });

  test('erasing a conversation removes the Direct Line\'s copy of what was typed', async () => {
    served = await serve();
    const dl = await started(served);
    await dl.say('my secret text');
    await dl.waitFor((a) => a.text === 'echo: my secret text');
    await served.directLine.erase(dl.conversationId);
    expect((await dl.request('GET', `/v3/directline/conversations/${dl.conversationId}/activities`)).status).toBe(404);
  });

  test('the store keeps what the user typed only redacted; the bot still gets it as typed', async () => {
    const storage = new MemoryStorage();
    served = await serve({ storage });
    const dl = await started(served);
    await dl.say('mans kods 120389-11234, e-pasts anna@example.lv');
    await dl.waitFor((a) => /^echo:/.test(a.text ?? ''));
    const key = `directline/conversations/${dl.conversationId}`;
    const item = (await storage.read([key]))[key] as { activities: Array<{ activity: { text: string; from: { role: string } } }> };
    // (This echo bot repeats the text; the assistant's replies do not.)
    const typed = item.activities.filter((a) => a.activity.from.role === 'user').map((a) => a.activity.text);
    expect(typed).toEqual(['mans kods [PERSONAL_CODE], e-pasts [EMAIL]']);
    expect(served.bot.log).toContain('start mans kods 120389-11234, e-pasts anna@example.lv');
  });

  test('a token and conversation from one instance go on at another on the same store (a restart, or scale-out)', async () => {
    const storage = new MemoryStorage();
    served = await serve({ storage });
    const dl = await started(served);
    await dl.say('before');
    await dl.waitFor((a) => a.text === 'echo: before');
    const other = await serve({ storage });
    try {
      const again = new DirectLineClient(other.baseUrl, dl.token, dl.conversationId);
      again.watermark = dl.watermark;
      expect((await again.say('after')).status).toBe(200);
      const next = await again.waitFor((a) => a.text === 'echo: after');
      expect(Number(next.id.split('|')[1])).toBe(4);
      expect(again.seen.map((a) => a.text)).toEqual(['after', 'echo: after']);
    } finally {
      await other.close();
    }
  });

  test('only the newest activities of a conversation are kept; watermarks go on', async () => {
    served = await serve({ limits: { maxActivities: 4 } });
    const dl = await started(served);
    for (let i = 1; i <= 5; i++) expect((await dl.say(`m${i}`)).status).toBe(200);
    const all = await dl.poll();
    expect(all.map((a) => a.text)).toEqual(['m4', 'echo: m4', 'm5', 'echo: m5']);
    expect(dl.watermark).toBe('10');
  });
});

describe('turns', () => {
  test('run one at a time, in the order they came', async () => {
    served = await serve();
    const dl = await started(served);
    const slow = gate();
    served.bot.gates.set('first', slow.promise);
    const first = dl.say('first');
    await new Promise((r) => setTimeout(r, 30));
    const second = dl.say('second');
    await new Promise((r) => setTimeout(r, 30));
    expect(served.bot.log).toEqual(['start first']);
    slow.open();
    await Promise.all([first, second]);
    expect(served.bot.log).toEqual(['start first', 'end first', 'start second', 'end second']);
    await dl.waitFor((a) => a.text === 'echo: second');
    expect(dl.seen.map((a) => a.text)).toEqual(['first', 'second', 'echo: first', 'echo: second']);
  });

  test('a post answers after turnWaitMs even if the bot is slow; the reply comes by polling', async () => {
    served = await serve({ turnWaitMs: 50 });
    const dl = await started(served);
    const slow = gate();
    served.bot.gates.set('slow', slow.promise);
    const sent = await dl.say('slow');
    expect(sent.status).toBe(200);
    expect(sent.id).toBeTruthy();
    slow.open();
    await dl.waitFor((a) => a.text === 'echo: slow');
  });

  test('too many queued turns in one conversation get 429', async () => {
    served = await serve({ maxPendingTurns: 1 });
    const dl = await started(served);
    const slow = gate();
    served.bot.gates.set('busy', slow.promise);
    const first = dl.say('busy');
    await new Promise((r) => setTimeout(r, 30));
    expect((await dl.say('more')).status).toBe(429);
    slow.open();
    expect((await first).status).toBe(200);
  });

  test('the page\'s setLanguage event reaches the bot', async () => {
    served = await serve();
    const dl = await started(served);
    const res = await dl.request('POST', `/v3/directline/conversations/${dl.conversationId}/activities`, {
      type: 'event', name: 'setLanguage', value: 'en', channelData: { clientActivityID: 'e1' },
    });
    expect(res.status).toBe(200);
    await dl.waitFor((a) => a.text === 'event: setLanguage=en');
    expect(dl.seen.find((a) => a.type === 'event')?.channelData?.clientActivityID).toBe('e1');
  });

  test('delay and trace activities are not shown; update and delete are not supported', async () => {
    const bot = new EchoBot();
    const directLine = createDirectLine({ bot, logger: createLogger('silent'), storage: new MemoryStorage() });
    const { adapter, store } = directLine;
    await store.open('c1', 'dl_u', undefined);
    const activity = { type: 'message', text: 'x', channelId: 'webchat', conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' }, from: { id: 'dl_u', name: '' }, recipient: { id: 'bot', name: '' } };
    let context: TurnContext | undefined;
    await adapter.processActivity(activity, async (ctx) => {
      context = ctx;
      await ctx.sendActivities([{ type: 'delay', value: 5 }, { type: 'trace', name: 't' }, MessageFactory.text('shown')]);
      await expect(ctx.updateActivity({ id: 'x', type: 'message' })).rejects.toThrow(/cannot update/);
      await expect(ctx.deleteActivity('x')).rejects.toThrow(/cannot delete/);
    });
    expect(context).toBeDefined();
    const { activities } = store.since((await store.get('c1'))!, 0);
    expect(activities.map((a) => a.text)).toEqual(['shown']);
    directLine.close();
  });
});

describe('with DIRECT_LINE_SECRET: tokens from Azure', () => {
  const SECRET = 'azure-direct-line-secret';

  test('config reads the secret', () => {
    expect(loadConfig({ DIRECT_LINE_SECRET: SECRET }).DIRECT_LINE_SECRET).toBe(SECRET);
    expect(loadConfig({ DIRECT_LINE_SECRET: '' }).DIRECT_LINE_SECRET).toBeUndefined();
  });

  test('exchanges the secret for a token; the secret never reaches the page', async () => {
    const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify({ conversationId: 'AzureConv-1', token: 'azure-token', expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    served = await serve({ secret: SECRET, fetch: fakeFetch });
    const res = await new DirectLineClient(served.baseUrl).request('POST', '/api/directline/token', undefined, null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token: 'azure-token', conversationId: 'AzureConv-1', domain: AZURE_DIRECT_LINE, expires_in: 3600 });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://directline.botframework.com/v3/directline/tokens/generate');
    expect(calls[0]?.init?.method).toBe('POST');
    expect((calls[0]?.init?.headers as Record<string, string>).authorization).toBe(`Bearer ${SECRET}`);
    const body = JSON.parse(String(calls[0]?.init?.body)) as { user: { id: string } };
    expect(body.user.id).toMatch(/^dl_/);
    expect(res.body.userId).toBe(body.user.id);
    // The local endpoint is off: the page talks to Azure.
    const local = await new DirectLineClient(served.baseUrl).request('POST', '/v3/directline/conversations', {}, 'x');
    expect(local.status).toBe(404);
  });

  test('a regional Direct Line (DIRECT_LINE_DOMAIN) is asked and named to the page', async () => {
    const EUROPE = 'https://europe.directline.botframework.com/v3/directline';
    expect(loadConfig({ DIRECT_LINE_DOMAIN: EUROPE }).DIRECT_LINE_DOMAIN).toBe(EUROPE);
    expect(() => loadConfig({ DIRECT_LINE_DOMAIN: 'https://example.com/v3/directline' })).toThrow(/DIRECT_LINE_DOMAIN/);
    const urls: string[] = [];
    const fakeFetch = (async (url: string | URL | Request) => {
      urls.push(String(url));
      return new Response(JSON.stringify({ conversationId: 'EuConv', token: 'eu-token', expires_in: 1800 }), { status: 200 });
    }) as typeof fetch;
    served = await serve({ secret: SECRET, azureDomain: EUROPE, fetch: fakeFetch });
    const res = await new DirectLineClient(served.baseUrl).request('POST', '/api/directline/token', undefined, null);
    expect(urls).toEqual([`${EUROPE}/tokens/generate`]);
    expect(res.body).toMatchObject({ token: 'eu-token', domain: EUROPE });
  });

  test('Azure failing or unreachable: 502, with nothing of the secret', async () => {
    const answers = [
      async () => new Response('{"error":{"code":"BadArgument"}}', { status: 403 }),
      async () => { throw new TypeError('fetch failed'); },
    ];
    for (const answer of answers) {
      served = await serve({ secret: SECRET, fetch: answer as unknown as typeof fetch });
      const res = await new DirectLineClient(served.baseUrl).request('POST', '/api/directline/token', undefined, null);
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ error: { code: 'ServiceError' } });
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
      await served.close();
      served = undefined;
    }
  });
});

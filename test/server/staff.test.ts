import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createAssistant, type Assistant } from '../../server/assistant';
import { ConfigError, loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createStaffRouter, rigaMidnight, type StaffRouterOptions } from '../../server/staff';
import { createDiskStores, type Stores } from '../../storage';
import { StorageUnavailableError } from '../../storage/errors';
import type { Rating } from '../../storage/ratingStore';
import type { TranscriptRecord } from '../../storage/transcriptStore';
import { HttpBot } from '../support/httpBot';

const TOKEN = 'staff-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const NOW = new Date('2024-05-20T09:00:00.000Z'); // 12:00 in Riga (summer time, UTC+3)
const silent = createLogger('silent');

/** The staff router alone on an express app, over real HTTP. */
async function serve(options: Partial<StaffRouterOptions> & Pick<StaffRouterOptions, 'stores'>): Promise<HttpBot> {
  const app = express();
  app.use(createStaffRouter({ token: TOKEN, logger: silent, now: () => NOW, allowErase: true, ...options }));
  return HttpBot.start(app);
}

async function call(http: HttpBot, path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${http.baseUrl}${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

function rating(id: string, conversationId: string, over: Partial<Rating>): Rating {
  return { id, conversationId, kind: 'helpful', value: 1, language: 'lv', channelId: 'webchat', timestamp: NOW.toISOString(), ...over };
}

function record(conversationId: string, over: Partial<TranscriptRecord>): TranscriptRecord {
  return { conversationId, timestamp: NOW.toISOString(), from: 'user', channelId: 'webchat', type: 'message', text: 'Sveiki', ...over };
}

const TEAMS_ID = 'a:1Xyz;messageid=17/x@thread';

/**
 * Hand-counted for from=2024-05-01&to=2024-05-15 (Riga days: 2024-04-30T21:00Z .. 2024-05-15T21:00Z):
 * helpful a1 up, a2 down (reception_hours lv), b1 b2 down (fees en), c1 up (address lv, Riga midnight)
 *   -> 5, 2 up, 3 down, rate 0.4; csat a4 = 4 (replaced a3 = 2), b3 = 5 -> 2, average 4.5.
 * c2 is 1 ms before the range; d1 is 00:30 on 2024-05-16 in Riga.
 */
async function seed(stores: Stores): Promise<void> {
  const r = stores.ratings;
  await r.add(rating('a1', 'conv-a', { intent: 'reception_hours', timestamp: '2024-05-02T07:00:00.000Z' }));
  await r.add(rating('a2', 'conv-a', { intent: 'reception_hours', value: 0, timestamp: '2024-05-02T07:05:00.000Z' }));
  await r.setComment('conv-a', 'a2', 'Nepareizs laiks, zvaniet 29123456');
  await r.add(rating('a3', 'conv-a', { kind: 'csat', value: 2, timestamp: '2024-05-02T07:10:00.000Z' }));
  await r.add(rating('a4', 'conv-a', { kind: 'csat', value: 4, timestamp: '2024-05-02T07:11:00.000Z' }));
  const b = { channelId: 'telegram', language: 'en' as const };
  await r.add(rating('b1', 'conv-b', { ...b, intent: 'fees', value: 0, timestamp: '2024-05-10T10:00:00.000Z' }));
  await r.add(rating('b2', 'conv-b', { ...b, intent: 'fees', value: 0, timestamp: '2024-05-10T10:01:00.000Z' }));
  await r.add(rating('b3', 'conv-b', { ...b, kind: 'csat', value: 5, timestamp: '2024-05-10T10:05:00.000Z', comment: 'Great, thanks' }));
  await r.add(rating('c1', 'conv-c', { intent: 'address', timestamp: '2024-04-30T21:00:00.000Z' }));
  await r.add(rating('c2', 'conv-c', { kind: 'csat', value: 1, timestamp: '2024-04-30T20:59:59.999Z' }));
  await r.add(rating('d1', 'conv-d', { intent: 'address', value: 0, timestamp: '2024-05-15T21:30:00.000Z' }));

  const t = stores.transcripts;
  await t.append(record('conv-a', { language: 'lv', intent: 'reception_hours', timestamp: '2024-05-02T07:00:00.000Z' }));
  await t.append(record('conv-a', { from: 'bot', language: 'lv', text: 'Darba laiks…', timestamp: '2024-05-02T07:00:01.000Z' }));
  await t.append(record('conv-b', { channelId: 'telegram', language: 'en', intent: 'fees', timestamp: '2024-05-10T10:00:00.000Z' }));
  await t.append(record(TEAMS_ID, { channelId: 'msteams', language: 'lv', intent: 'address', timestamp: '2024-05-12T08:00:00.000Z' }));
  await t.flush();
}

const FEEDBACK_MAY_1_15 = {
  range: { from: '2024-04-30T21:00:00.000Z', to: '2024-05-15T21:00:00.000Z' },
  csat: { count: 2, average: 4.5, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } },
  helpful: {
    count: 5,
    up: 2,
    down: 3,
    rate: 0.4,
    byTopic: [
      { intent: 'fees', language: 'en', up: 0, down: 2, rate: 0 },
      { intent: 'reception_hours', language: 'lv', up: 1, down: 1, rate: 0.5 },
      { intent: 'address', language: 'lv', up: 1, down: 0, rate: 1 },
    ],
  },
  comments: [
    { kind: 'csat', value: 5, language: 'en', comment: 'Great, thanks', timestamp: '2024-05-10T10:05:00.000Z', conversationId: 'conv-b' },
    { kind: 'helpful', value: 0, intent: 'reception_hours', language: 'lv', comment: 'Nepareizs laiks, zvaniet [PHONE]', timestamp: '2024-05-02T07:05:00.000Z', conversationId: 'conv-a' },
  ],
  mostThumbsDown: [
    { intent: 'fees', down: 2, rate: 0 },
    { intent: 'reception_hours', down: 1, rate: 0.5 },
  ],
};

describe('staff API: access', () => {
  let dir: string;
  let stores: Stores;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'staff-auth-'));
    stores = createDiskStores(dir);
  });
  afterAll(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ROUTES: Array<[string, string]> = [
    ['GET', '/api/staff/feedback'],
    ['GET', '/api/staff/transcripts'],
    ['GET', '/api/staff/transcripts/conv-a'],
    ['DELETE', '/api/staff/conversations/conv-a'],
    ['GET', '/api/staff/no-such-route'],
  ];

  test.each(ROUTES)('STAFF_TOKEN unset: %s %s answers 503, token or not', async (method, path) => {
    for (const token of [undefined, '']) {
      const http = await serve({ stores, token });
      try {
        const res = await call(http, path, { method });
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ error: 'staff API disabled: set STAFF_TOKEN' });
      } finally {
        await http.close();
      }
    }
  });

  test.each(ROUTES)('a missing or wrong token: %s %s answers 401 with WWW-Authenticate', async (method, path) => {
    const http = await serve({ stores });
    try {
      const cases: Array<[string | undefined, string]> = [
        [undefined, 'Bearer realm="staff"'],
        [`Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, 'Bearer realm="staff"'],
        ['Bearer', 'Bearer realm="staff"'],
        ['Bearer wrong-token-0123456789abcdef', 'Bearer realm="staff", error="invalid_token"'],
        [`Bearer ${TOKEN}x`, 'Bearer realm="staff", error="invalid_token"'],
        [`Bearer ${TOKEN.slice(0, -1)}`, 'Bearer realm="staff", error="invalid_token"'],
      ];
      for (const [authorization, challenge] of cases) {
        const res = await fetch(`${http.baseUrl}${path}`, { method, headers: authorization ? { authorization } : {} });
        expect([authorization, res.status]).toEqual([authorization, 401]);
        expect(res.headers.get('www-authenticate')).toBe(challenge);
        expect(await res.json()).toEqual({ error: 'unauthorized: send Authorization: Bearer <STAFF_TOKEN>' });
      }
    } finally {
      await http.close();
    }
  });

  test('the right token gets in (the scheme is case-insensitive); answers are never cached', async () => {
    const http = await serve({ stores });
    try {
      for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
        const res = await call(http, '/api/staff/feedback', { headers: { authorization } });
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
      expect((await call(http, '/api/staff/transcripts')).status).toBe(200);
      expect((await call(http, '/api/staff/transcripts/unknown')).status).toBe(404);
      expect((await call(http, '/api/staff/conversations/unknown', { method: 'DELETE' })).status).toBe(204);
    } finally {
      await http.close();
    }
  });
});

describe('staff API over a seeded data directory', () => {
  let dir: string;
  let stores: Stores;
  let http: HttpBot;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'staff-'));
    stores = createDiskStores(dir);
    await seed(stores);
    http = await serve({ stores });
  });
  afterEach(async () => {
    await http.close();
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('feedback numbers for 1-15 May (Riga days) are exact', async () => {
    const res = await call(http, '/api/staff/feedback?from=2024-05-01&to=2024-05-15');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(FEEDBACK_MAY_1_15);
  });

  test('`to` is a whole Riga day: 00:30 on 16 May in Riga counts for to=2024-05-16 only', async () => {
    const { body } = await call(http, '/api/staff/feedback?from=2024-05-01&to=2024-05-16');
    expect(body.range).toEqual({ from: '2024-04-30T21:00:00.000Z', to: '2024-05-16T21:00:00.000Z' });
    expect([body.helpful.count, body.helpful.up, body.helpful.down, body.helpful.rate]).toEqual([6, 2, 4, 0.33]);
    expect(body.helpful.byTopic).toEqual([
      { intent: 'address', language: 'lv', up: 1, down: 1, rate: 0.5 },
      { intent: 'fees', language: 'en', up: 0, down: 2, rate: 0 },
      { intent: 'reception_hours', language: 'lv', up: 1, down: 1, rate: 0.5 },
    ]);
  });

  test('default: the last 30 Riga days, today included', async () => {
    const { status, body } = await call(http, '/api/staff/feedback');
    expect(status).toBe(200);
    expect(body.range).toEqual({ from: '2024-04-20T21:00:00.000Z', to: '2024-05-20T21:00:00.000Z' });
    expect(body.csat).toEqual({ count: 3, average: 3.33, distribution: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 } });
    expect(body.helpful.count).toBe(6);
    // only `from`: up to today; only `to`: the 30 days ending then
    expect((await call(http, '/api/staff/feedback?from=2024-05-10')).body.range).toEqual({
      from: '2024-05-09T21:00:00.000Z',
      to: '2024-05-20T21:00:00.000Z',
    });
    expect((await call(http, '/api/staff/feedback?to=2024-05-01')).body.range).toEqual({
      from: '2024-04-01T21:00:00.000Z',
      to: '2024-05-01T21:00:00.000Z',
    });
  });

  test.each([
    ['from=2024-02-30', 'from must be a date as YYYY-MM-DD'],
    ['from=yesterday', 'from must be a date as YYYY-MM-DD'],
    ['to=2024-5-1', 'to must be a date as YYYY-MM-DD'],
    ['from=2024-05-01T00:00:00Z', 'from must be a date as YYYY-MM-DD'],
    ['from=2024-05-02&to=2024-05-01', 'from must not be after to'],
    ['from=2023-01-01&to=2024-05-01', 'the range may span at most 366 days'],
    ['from=2024-05-01&from=2024-05-02', 'from must be given once, as text'],
  ])('bad dates answer 400 JSON: %s', async (query, error) => {
    for (const path of ['/api/staff/feedback', '/api/staff/transcripts']) {
      const res = await call(http, `${path}?${query}`);
      expect([path, res.status, res.body]).toEqual([path, 400, { error }]);
    }
  });

  test('a restart (new stores on the same directory) gives the same numbers and transcripts', async () => {
    const before = (await call(http, '/api/staff/feedback?from=2024-05-01&to=2024-05-15')).body;
    const list = (await call(http, '/api/staff/transcripts')).body;
    await http.close();
    await stores.close();
    stores = createDiskStores(dir);
    http = await serve({ stores });
    expect((await call(http, '/api/staff/feedback?from=2024-05-01&to=2024-05-15')).body).toEqual(before);
    expect(before).toEqual(FEEDBACK_MAY_1_15);
    expect((await call(http, '/api/staff/transcripts')).body).toEqual(list);
  });

  test('transcripts: list with filters and limit, newest first', async () => {
    const ids = async (query: string): Promise<string[]> => {
      const res = await call(http, `/api/staff/transcripts${query}`);
      expect(res.status).toBe(200);
      return res.body.conversations.map((c: { conversationId: string }) => c.conversationId);
    };
    expect(await ids('')).toEqual([TEAMS_ID, 'conv-b', 'conv-a']);
    expect(await ids('?channel=telegram')).toEqual(['conv-b']);
    expect(await ids('?language=lv')).toEqual([TEAMS_ID, 'conv-a']);
    expect(await ids('?intent=fees')).toEqual(['conv-b']);
    expect(await ids('?from=2024-05-10')).toEqual([TEAMS_ID, 'conv-b']);
    expect(await ids('?to=2024-05-09')).toEqual(['conv-a']);
    expect(await ids('?from=2024-05-02&to=2024-05-02')).toEqual(['conv-a']);
    expect(await ids('?limit=1')).toEqual([TEAMS_ID]);
    const [summary] = (await call(http, '/api/staff/transcripts?channel=webchat')).body.conversations;
    expect(summary).toEqual({
      conversationId: 'conv-a',
      channelId: 'webchat',
      firstTimestamp: '2024-05-02T07:00:00.000Z',
      lastTimestamp: '2024-05-02T07:00:01.000Z',
      records: 2,
      userMessages: 1,
      languages: ['lv'],
      intents: ['reception_hours'],
    });
  });

  test.each([
    ['language=de', 'language must be lv or en'],
    ['limit=0', 'limit must be a whole number 1-1000'],
    ['limit=1001', 'limit must be a whole number 1-1000'],
    ['limit=ten', 'limit must be a whole number 1-1000'],
    ['limit=2.5', 'limit must be a whole number 1-1000'],
  ])('transcripts: bad %s answers 400', async (query, error) => {
    expect(await call(http, `/api/staff/transcripts?${query}`)).toMatchObject({ status: 400, body: { error } });
  });

  test('one transcript by id (ids with : ; @ and an encoded /); 404 when none', async () => {
    const res = await call(http, `/api/staff/transcripts/${encodeURIComponent(TEAMS_ID)}`);
    expect(res.status).toBe(200);
    expect(res.body.conversationId).toBe(TEAMS_ID);
    expect(res.body.records).toEqual([expect.objectContaining({ seq: 1, channelId: 'msteams', intent: 'address' })]);
    const a = await call(http, '/api/staff/transcripts/conv-a');
    expect(a.body.records.map((r: TranscriptRecord) => [r.seq, r.from])).toEqual([
      [1, 'user'],
      [2, 'bot'],
    ]);
    expect(await call(http, '/api/staff/transcripts/nobody')).toMatchObject({
      status: 404,
      body: { error: 'no transcript for this conversation' },
    });
  });

  test('DELETE erases transcript, ratings and bot state of that conversation only; idempotent', async () => {
    const state = {
      'webchat/conversations/conv-a/': { conversation: { lang: 'lv', turns: 3 } },
      'webchat/users/user-a/': { preferences: { lang: 'lv' } },
      'telegram/conversations/conv-b/': { conversation: { lang: 'en' } },
    };
    await stores.storage.write(state);
    const keys = Object.keys(state);
    expect(Object.keys(await stores.storage.read(keys))).toHaveLength(3);

    const res = await call(http, '/api/staff/conversations/conv-a', { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    expect(await stores.transcripts.get('conv-a')).toEqual([]);
    expect((await stores.ratings.list({})).filter((r) => r.conversationId === 'conv-a')).toEqual([]);
    expect(Object.keys(await stores.storage.read(keys)).sort()).toEqual(['telegram/conversations/conv-b/', 'webchat/users/user-a/']);
    // everything else is untouched
    expect((await stores.transcripts.get('conv-b')).length).toBe(1);
    expect((await stores.ratings.list({})).map((r) => r.id)).toEqual(['c2', 'c1', 'b1', 'b2', 'b3', 'd1']);
    const { body } = await call(http, '/api/staff/feedback?from=2024-05-01&to=2024-05-15');
    expect([body.csat.count, body.helpful.count, body.comments.length]).toEqual([1, 3, 1]);

    expect((await call(http, '/api/staff/conversations/conv-a', { method: 'DELETE' })).status).toBe(204);
    // and it stays erased after a restart
    await stores.close();
    const reopened = createDiskStores(dir);
    expect(await reopened.transcripts.get('conv-a')).toEqual([]);
    expect((await reopened.ratings.list({})).some((r) => r.conversationId === 'conv-a')).toBe(false);
    await reopened.close();
  });

  test('DELETE without a transcript tries the known channels; with one, uses its channel too', async () => {
    await stores.ratings.add(rating('g1', 'ghost', { kind: 'csat', value: 3, comment: 'privāti' }));
    await stores.storage.write({ 'msteams/conversations/ghost/': { n: 1 }, 'test/conversations/ghost/': { n: 2 } });
    await stores.transcripts.append(record('odd', { channelId: 'slack' }));
    await stores.storage.write({ 'slack/conversations/odd/': { n: 3 } });

    expect((await call(http, '/api/staff/conversations/ghost', { method: 'DELETE' })).status).toBe(204);
    expect((await call(http, '/api/staff/conversations/odd', { method: 'DELETE' })).status).toBe(204);
    expect(await stores.storage.read(['msteams/conversations/ghost/', 'test/conversations/ghost/', 'slack/conversations/odd/'])).toEqual({});
    expect((await stores.ratings.list({})).some((r) => r.conversationId === 'ghost')).toBe(false);
    expect(await stores.transcripts.get('odd')).toEqual([]);
  });
});

describe('staff API: storage failures answer 503 JSON', () => {
  const unavailable = () => Promise.reject(new StorageUnavailableError('Redis unavailable (EVALSHA): connection lost'));
  const broken = () => Promise.reject(new Error('ERR something odd'));
  const failing = (fail: () => Promise<never>): StaffRouterOptions['stores'] => ({
    storage: { read: fail, write: fail, delete: fail },
    transcripts: { append: fail, list: fail, get: fail, deleteConversation: fail, pruneOlderThan: fail, flush: async () => undefined },
    ratings: { add: fail, setComment: fail, list: fail, deleteConversation: fail, flush: async () => undefined },
  });

  test.each([
    ['unavailable', unavailable],
    ['another error', broken],
  ])('stores %s: every route answers 503, the server stays up', async (_label, fail) => {
    const warnings: string[] = [];
    const logger = { ...silent, warn: (m: string) => void warnings.push(m), error: (m: string) => void warnings.push(m) };
    const http = await serve({ stores: failing(fail), logger });
    try {
      for (const [method, path] of [
        ['GET', '/api/staff/feedback'],
        ['GET', '/api/staff/transcripts'],
        ['GET', '/api/staff/transcripts/conv-a'],
        ['DELETE', '/api/staff/conversations/conv-a'],
      ] as const) {
        const res = await call(http, path, { method });
        expect([path, res.status, res.body]).toEqual([path, 503, { error: 'storage unavailable, try again later' }]);
      }
      expect(warnings).toHaveLength(4);
      expect((await call(http, '/api/staff/feedback?from=bad')).status).toBe(400); // still answering
    } finally {
      await http.close();
    }
  });
});

test('rigaMidnight follows summer time', () => {
  expect(rigaMidnight({ y: 2024, m: 1, d: 15 }).toISOString()).toBe('2024-01-14T22:00:00.000Z');
  expect(rigaMidnight({ y: 2024, m: 3, d: 31 }).toISOString()).toBe('2024-03-30T22:00:00.000Z'); // clocks go forward at 03:00
  expect(rigaMidnight({ y: 2024, m: 4, d: 1 }).toISOString()).toBe('2024-03-31T21:00:00.000Z');
  expect(rigaMidnight({ y: 2024, m: 10, d: 27 }).toISOString()).toBe('2024-10-26T21:00:00.000Z'); // back at 04:00
  expect(rigaMidnight({ y: 2024, m: 10, d: 28 }).toISOString()).toBe('2024-10-27T22:00:00.000Z');
});

test('the API key is read-only unless STAFF_API_ERASE is set: erasure is an admin\'s, in the console', async () => {
  expect(loadConfig({}).STAFF_API_ERASE).toBe(false);
  const app = express();
  app.use(createStaffRouter({ token: TOKEN, logger: silent, stores: {} as never }));
  const server = app.listen(0);
  try {
    const port = (server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/staff/conversations/conv-a`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/read-only.*staff console/);
  } finally {
    server.close();
  }
});

test('STAFF_TOKEN in the configuration: optional, at least 16 characters when set', () => {
  expect(loadConfig({}).STAFF_TOKEN).toBeUndefined();
  expect(loadConfig({ STAFF_TOKEN: '' }).STAFF_TOKEN).toBeUndefined();
  expect(loadConfig({ STAFF_TOKEN: TOKEN }).STAFF_TOKEN).toBe(TOKEN);
  expect(() => loadConfig({ STAFF_TOKEN: 'short' })).toThrow(ConfigError);
  expect(() => loadConfig({ STAFF_TOKEN: 'short' })).toThrow(/STAFF_TOKEN: must be at least 16 characters/);
});

describe('the assistant mounts the staff API', () => {
  let assistant: Assistant;
  let bot: HttpBot;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'staff-assistant-'));
    assistant = createAssistant(loadConfig({ DATA_DIR: dir, STAFF_TOKEN: TOKEN, STAFF_API_ERASE: 'true' }), { logger: silent });
    bot = await HttpBot.start(assistant.app);
  });
  afterAll(async () => {
    await bot.close();
    await assistant.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a real conversation, rated, then erased: transcript, ratings and conversation state are gone', async () => {
    const conv = `staff-${Date.now()}`;
    await bot.say(conv, 'Kur jūs atrodaties?');
    const stateKey = `webchat/conversations/${conv}/`;
    const { stores } = assistant;
    expect(Object.keys(await stores.storage.read([stateKey]))).toEqual([stateKey]);
    await stores.ratings.add(rating('r1', conv, { intent: 'address', value: 0, timestamp: new Date().toISOString() }));
    await stores.transcripts.flush();

    expect((await fetch(`${bot.baseUrl}/api/staff/transcripts/${conv}`)).status).toBe(401);
    const got = await call(bot, `/api/staff/transcripts/${conv}`);
    expect(got.status).toBe(200);
    expect(got.body.records.map((r: TranscriptRecord) => r.from)).toEqual(['user', 'bot']);
    expect((await call(bot, '/api/staff/feedback')).body.helpful).toMatchObject({ count: 1, down: 1, rate: 0 });

    expect((await call(bot, `/api/staff/conversations/${conv}`, { method: 'DELETE' })).status).toBe(204);
    expect(await stores.transcripts.get(conv)).toEqual([]);
    expect(await stores.ratings.list({})).toEqual([]);
    expect(await stores.storage.read([stateKey])).toEqual({});
    expect((await call(bot, `/api/staff/transcripts/${conv}`)).status).toBe(404);
  });

  test('other routes are unaffected; unknown staff routes need the token first, then 404', async () => {
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.baseUrl}/api/staff/nothing`)).status).toBe(401);
    expect((await call(bot, '/api/staff/nothing')).status).toBe(404);
  });
});

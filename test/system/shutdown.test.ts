/**
 * SIGTERM with turns in flight: the process stops accepting connections, lets the turns in
 * flight finish (their HTTP responses arrive complete), flushes the transcripts and exits 0
 * within 10 s. On Redis the turns are held in flight deterministically by taking their
 * conversation's lock from the test; on disk by a queue of turns on one conversation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskTranscriptStore } from '../../storage/diskTranscriptStore';
import { BotProcess, message, sleep, waitUntil, type PostResult } from '../support/botProcess';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { closeRaw, cmd, connectRaw, type RawRedis } from '../support/redisScan';
import { transcriptKey, type StoredRecord } from './systemUtil';

const RUN = `sd${Date.now().toString(36)}`;
const LIMIT_MS = 10_000;

interface Flight {
  text: string;
  activityId: string;
  result?: PostResult;
  error?: string;
  /** When the response arrived. */
  at?: number;
}

/** Starts `texts` on one conversation at once; resolves each flight when its response is complete. */
function launch(bot: BotProcess, conversationId: string, texts: string[]): { flights: Flight[]; done: Promise<void> } {
  const flights: Flight[] = texts.map((text, i) => ({ text, activityId: `${conversationId}-m${i + 1}` }));
  const done = Promise.all(
    flights.map(async (f) => {
      try {
        f.result = await bot.say(conversationId, f.text, { activityId: f.activityId });
      } catch (e) {
        f.error = (e as Error).message;
      }
      f.at = Date.now();
    }),
  ).then(() => undefined);
  return { flights, done };
}

/** A new connection after the signal is refused (the keep-alive ones in flight are not affected). */
async function refusesNewConnections(bot: BotProcess): Promise<boolean> {
  return bot.get('/healthz', 500).then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
  );
}

function expectAllAnswered(flights: Flight[]): void {
  expect(flights.filter((f) => f.error).map((f) => `${f.activityId}: ${f.error}`)).toEqual([]);
  for (const f of flights) {
    expect(f.result!.status).toBe(200);
    const replies = f.result!.activities.filter((a) => a.type === 'message');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((a) => a.replyToId === f.activityId)).toBe(true);
  }
}

/** Every flight's user message is in the transcript, each followed by a bot reply. */
function expectTranscribed(records: StoredRecord[], flights: Flight[]): void {
  for (const f of flights) {
    const i = records.findIndex((r) => r.from === 'user' && r.text === f.text);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(records[i + 1]?.from).toBe('bot');
  }
}

describeWithRedis('SIGTERM with turns in flight', () => {
  let logDir: string;
  let redis: RedisServer;
  let raw: RawRedis;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'iemic-shutdown-'));
    redis = await RedisServer.start();
    raw = await connectRaw(redis.url);
  });

  afterAll(async () => {
    for (const b of bots) b.kill();
    await closeRaw(raw);
    await redis?.destroy();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  test('Redis: held turns finish after the signal, responses complete, transcripts flushed, exit 0 within 10 s', async () => {
    const bot = await BotProcess.start({ name: 'redis', logDir, env: { REDIS_URL: redis.url, DATA_DIR: path.join(logDir, 'data-r'), LOG_LEVEL: 'info' } });
    bots.push(bot);
    const conversations = [`${RUN}-r1`, `${RUN}-r2`, `${RUN}-r3`];
    for (const c of conversations) expect((await bot.say(c, 'Labdien!')).status).toBe(200);

    // Hold each conversation's lock, as if another instance were running a long turn.
    for (const c of conversations) await cmd(raw, 'SET', `iemic:lock:webchat:${c}`, 'held-by-test', 'PX', 8000);
    const launched = conversations.map((c, k) =>
      launch(bot, c, ['Kur jūs atrodaties?', 'What are your opening hours?', 'Kā saņemt izziņu par sodāmību?'].map((q, i) => `${q} (${k + 1}.${i + 1})`)),
    );
    const flights = launched.flatMap((l) => l.flights);
    // Every turn is inside the bot, queued for its lock.
    await waitUntil(
      async () => (await Promise.all(conversations.map((c) => cmd<number>(raw, 'ZCARD', `iemic:lockq:webchat:${c}`)))).every((n) => Number(n) === 3),
      5000,
      'all turns to queue for their locks',
    );

    const signalled = Date.now();
    const exit = bot.stop('SIGTERM', 15_000);
    const refusedAfter = await waitUntil(() => refusesNewConnections(bot), 2000, 'new connections to be refused', 20);
    expect(flights.every((f) => !f.result && !f.error)).toBe(true); // still in flight
    await sleep(300);
    for (const c of conversations) await cmd(raw, 'DEL', `iemic:lock:webchat:${c}`);

    await Promise.all(launched.map((l) => l.done));
    const { code, ms } = await exit;
    expectAllAnswered(flights);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(LIMIT_MS);
    expect(flights.every((f) => f.at! >= signalled)).toBe(true);

    for (const [k, c] of conversations.entries()) {
      const records = (await cmd<string[]>(raw, 'LRANGE', transcriptKey(c), 0, -1)).map((l) => JSON.parse(String(l)) as StoredRecord);
      expectTranscribed(records, launched[k]!.flights);
      expect(records[records.length - 1]?.from).toBe('bot'); // the last turn's reply is stored too
    }
    const msgs = bot.logLines().map((l) => l.msg);
    expect(msgs).toEqual(expect.arrayContaining(['stopping', 'lock metrics', 'stopped']));
    expect(msgs).not.toContain('turns still running at shutdown');
    console.log(
      `shutdown (Redis): ${flights.length} turns in flight at SIGTERM (held 300 ms more by their locks); ` +
        `new connections refused after ${refusedAfter} ms; all answered; exit ${code} ${ms} ms after the signal`,
    );
  }, 60_000);

});

describe('SIGTERM with turns in flight (disk)', () => {
  let logDir: string;
  let bot: BotProcess | undefined;
  beforeAll(() => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'iemic-shutdown-disk-'));
  });
  afterAll(() => {
    bot?.kill();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  test('disk: a queue of turns in flight finishes after the signal, transcripts on disk, exit 0 within 10 s', async () => {
    const dataDir = path.join(logDir, 'data-d');
    bot = await BotProcess.start({ name: 'disk', logDir, env: { DATA_DIR: dataDir, LOG_LEVEL: 'info' } });
    const id = `${RUN}-d1`;
    expect((await bot.say(id, 'Labdien!')).status).toBe(200);
    const questions = ['Kur jūs atrodaties?', 'Kāds ir jūsu darba laiks?', 'How can I contact the Centre?', 'Cik maksā izziņa?'];
    // One conversation: its turns run one at a time behind the turn lock, each writing to disk.
    const { flights, done } = launch(bot, id, Array.from({ length: 40 }, (_, i) => `${questions[i % questions.length]} (${i + 1})`));
    await waitUntil(() => flights.some((f) => f.result || f.error), 10_000, 'the first response');
    const signalled = Date.now();
    const exit = bot.stop('SIGTERM', 15_000);
    await done;
    const { code, ms } = await exit;
    expectAllAnswered(flights);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(LIMIT_MS);
    const afterSignal = flights.filter((f) => f.at! > signalled).length;
    expect(afterSignal).toBeGreaterThan(0);

    // Read back with the store's own reader, after the process is gone.
    const store = new DiskTranscriptStore({ dataDir });
    const records = (await store.get(id)) as StoredRecord[];
    expectTranscribed(records, flights);
    expect(records.filter((r) => r.from === 'user')).toHaveLength(flights.length + 1);
    expect(records[records.length - 1]?.from).toBe('bot');
    const [summary] = (await store.list({})).filter((s) => s.conversationId === id);
    expect(summary?.userMessages).toBe(flights.length + 1);
    console.log(`shutdown (disk): ${afterSignal} of ${flights.length} turns answered after SIGTERM; all answered and on disk; exit ${code} ${ms} ms after the signal`);
  }, 60_000);
  test('a request whose body is still arriving at SIGTERM is served in full before the exit', async () => {
    bot = await BotProcess.start({ name: 'disk-slow', logDir, env: { DATA_DIR: path.join(logDir, 'data-s'), LOG_LEVEL: 'info' } });
    const body = JSON.stringify(message(`${RUN}-slow`, 'Kur jūs atrodaties?', { activityId: 'slow-1' }));
    const response = new Promise<{ status: number; text: string; complete: boolean }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1', port: bot!.port, method: 'POST', path: '/api/messages', agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, complete: res.complete }));
        },
      );
      req.on('error', reject);
      req.flushHeaders(); // the headers now, the body after the signal
      setTimeout(() => void signalled.then(() => setTimeout(() => req.end(body), 300)), 0);
    });
    let signal!: () => void;
    const signalled = new Promise<void>((r) => (signal = r));
    await sleep(300);
    const exit = bot.stop('SIGTERM', 15_000);
    signal();
    const r = await response;
    const { code, ms } = await exit;
    expect(r.complete).toBe(true);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ activities: [expect.objectContaining({ type: 'message', replyToId: 'slow-1' })] });
    expect(code).toBe(0);
    expect(ms).toBeLessThan(LIMIT_MS);
  }, 60_000);
});

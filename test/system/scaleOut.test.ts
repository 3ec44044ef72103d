/**
 * Scale-out: two real assistant processes behind an imaginary load balancer, sharing one
 * private redis-server. Conversations hop between the instances on every turn, and some get
 * bursts of messages that arrive on both instances at once. Nothing may be lost, duplicated,
 * reordered or corrupted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess, replyText, sleep, type PostResult, type ReplyActivity } from '../support/botProcess';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { closeRaw, cmd, connectRaw, scanAll, type RawRedis } from '../support/redisScan';
import { lockMetricsOf, percentile, stateKey, transcriptKey, type StoredRecord } from './systemUtil';

const CONVERSATIONS = 200;
const TURNS = 10;
/** Conversations worked on at once (each has at most one message in flight, except in its burst). */
const CONCURRENCY = 20;
/** Every BURST_EVERY-th conversation sends turns BURST_FROM..BURST_FROM+4 as a burst. */
const BURST_EVERY = 4;
const BURST_FROM = 4;
const BURST_SIZE = 5;
/** Spacing of a burst's messages: 5 messages within 50 ms. */
const BURST_GAP_MS = 12;

const RUN = `so${Date.now().toString(36)}`;

/** Realistic questions, Latvian and English; the turn marker "(n)" is appended. */
const QUESTIONS = [
  'Kur jūs atrodaties?',
  'Kāds ir jūsu darba laiks?',
  'Kā saņemt izziņu par sodāmību?',
  'Kā ar jums sazināties?',
  'Vai izziņu var pasūtīt elektroniski?',
  'Cik maksā izziņa?',
  'Kur atrodas arhīvs?',
  'Where are you located?',
  'What are your opening hours?',
  'How do I get a criminal record certificate?',
  'How can I contact the Centre?',
  'Can I order the certificate online?',
];

const textOf = (conv: number, turn: number): string => `${QUESTIONS[(conv * 7 + turn) % QUESTIONS.length]} (${turn})`;
const convId = (conv: number): string => `${RUN}-c${String(conv).padStart(3, '0')}`;
const isBurst = (conv: number): boolean => conv % BURST_EVERY === 0;
const inBurst = (conv: number, turn: number): boolean => isBurst(conv) && turn >= BURST_FROM && turn < BURST_FROM + BURST_SIZE;

interface Sent {
  conv: number;
  turn: number;
  instance: number;
  text: string;
  activityId: string;
  result?: PostResult;
  error?: string;
}

describeWithRedis('two instances sharing one Redis', () => {
  let redis: RedisServer;
  let raw: RawRedis;
  let logDir: string;
  const bots: BotProcess[] = [];
  let turnsSent = 0;

  beforeAll(async () => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'iemic-scaleout-'));
    redis = await RedisServer.start();
    raw = await connectRaw(redis.url);
    const started = await Promise.all(
      ['A', 'B'].map((name) =>
        BotProcess.start({
          name,
          logDir,
          env: { REDIS_URL: redis.url, DATA_DIR: path.join(logDir, `data-${name}`), LOG_LEVEL: 'info', MESSAGES_PER_MINUTE: '0' }, // one address sends 2,000 turns a minute
        }),
      ),
    );
    bots.push(...started);
  }, 60_000);

  afterAll(async () => {
    for (const b of bots) b.kill();
    await closeRaw(raw);
    await redis?.destroy();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  test('conversation continuity: a language chosen on A sticks on B; B reads the state A wrote', async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    const id = `${RUN}-lang`;
    const user = `${RUN}-lang-user`;
    const first = await a.say(id, 'English please', { userId: user });
    expect(first.status).toBe(200);
    expect(replyText(first.activities)).toMatch(/continue in English/);
    const afterA = JSON.parse(String(await cmd(raw, 'GET', stateKey(id)))) as { conversation?: { lang?: string; turns?: number } };
    expect(afterA.conversation).toMatchObject({ lang: 'en', turns: 1 });
    const prefs = JSON.parse(String(await cmd(raw, 'GET', `iemic:state:webchat/users/${user}/`))) as { preferences?: { lang?: string } };
    expect(prefs.preferences?.lang).toBe('en');

    const second = await b.say(id, 'kur jūs atrodaties?', { userId: user });
    expect(second.status).toBe(200);
    expect(replyText(second.activities)).toContain("The Centre's address");
    const afterB = JSON.parse(String(await cmd(raw, 'GET', stateKey(id)))) as { conversation?: { lang?: string; turns?: number } };
    // B counted on from A's state: it read what A wrote.
    expect(afterB.conversation).toMatchObject({ lang: 'en', turns: 2 });
    turnsSent += 2;
  });

  test('a guide started on A continues on B (back, answer, checklist), alternating', async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    const id = `${RUN}-guide`;
    const cards = (activities: ReplyActivity[]) => JSON.stringify(activities.map((x) => x['attachments'] ?? []));
    const start = await a.say(id, 'vajag izziņu par sodāmību dēlam');
    expect(replyText(start.activities)).toContain('Kā vēlaties iesniegt pieprasījumu?');
    const back = await b.say(id, 'atpakaļ');
    expect(replyText(back.activities)).toContain('Kam ir nepieciešama izziņa par sodāmību?');
    const who = await a.say(id, 'meitai');
    expect(replyText(who.activities)).toContain('Kā vēlaties iesniegt pieprasījumu?');
    const how = await b.say(id, 'pa pastu');
    expect(cards(how.activities)).toContain('Jūsu kontrolsaraksts: izziņa par sodāmību');
    expect(cards(how.activities)).toContain('vecāki vai aizbildņi');
    turnsSent += 4;
  });

  test(`${CONVERSATIONS} conversations x ${TURNS} turns, alternating instances, with bursts: nothing lost, duplicated or reordered`, async () => {
    const sent: Sent[] = [];
    const post = async (s: Sent): Promise<void> => {
      sent.push(s);
      const bot = bots[s.instance]!;
      try {
        s.result = await bot.say(convId(s.conv), s.text, { activityId: s.activityId });
      } catch (e) {
        s.error = (e as Error).message;
      }
    };
    const makeTurn = (conv: number, turn: number): Sent => ({
      conv, turn, instance: (conv + turn) % 2, text: textOf(conv, turn), activityId: `${convId(conv)}-t${turn}`,
    });
    const runConversation = async (conv: number): Promise<void> => {
      for (let turn = 1; turn <= TURNS; ) {
        if (inBurst(conv, turn)) {
          const burst: Array<Promise<void>> = [];
          for (let k = 0; k < BURST_SIZE; k++) {
            if (k > 0) await sleep(BURST_GAP_MS);
            burst.push(post(makeTurn(conv, turn + k)));
          }
          await Promise.all(burst);
          turn += BURST_SIZE;
        } else {
          await post(makeTurn(conv, turn));
          turn += 1;
        }
      }
    };

    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CONVERSATIONS) await runConversation(next++);
      }),
    );
    const totalMs = Date.now() - started;
    turnsSent += sent.length;

    // Every HTTP response arrived, 200, with its own reply.
    const failures = sent.filter((s) => s.error || s.result?.status !== 200);
    expect(failures.map((s) => `${convId(s.conv)} turn ${s.turn}: ${s.error ?? s.result?.status}`)).toEqual([]);
    expect(sent).toHaveLength(CONVERSATIONS * TURNS);
    const noReply = sent.filter((s) => {
      const msgs = s.result!.activities.filter((a) => a.type === 'message');
      return msgs.length === 0 || msgs.some((m) => m.replyToId !== s.activityId);
    });
    expect(noReply.map((s) => `${convId(s.conv)} turn ${s.turn}`)).toEqual([]);
    // A turn that failed inside would have answered with the apology instead.
    const apologies = sent.filter((s) => /Atvainojiet, radās tehniska kļūme|Sorry, something went wrong/.test(replyText(s.result!.activities)));
    expect(apologies).toHaveLength(0);

    // State: every conversation counted exactly its turns (no lost update between instances).
    const ids = Array.from({ length: CONVERSATIONS }, (_, c) => convId(c));
    const states = (await cmd<Array<string | null>>(raw, 'MGET', ...ids.map((id) => stateKey(id)))).map((v, i) => {
      expect(v).not.toBeNull();
      try {
        return JSON.parse(String(v)) as { eTag?: string; conversation?: { turns?: number } };
      } catch {
        throw new Error(`corrupt JSON in the state of ${ids[i]}`);
      }
    });
    const wrongCounts = states.map((s, i) => [ids[i], s.conversation?.turns]).filter(([, n]) => n !== TURNS);
    expect(wrongCounts).toEqual([]);

    // Transcripts: 10 user messages, each followed by exactly the bot replies of its turn.
    const byTurn = new Map(sent.map((s) => [`${convId(s.conv)}#${s.turn}`, s]));
    let burstsReordered = 0;
    let sameInstanceReordered = 0;
    const problems: string[] = [];
    for (let c = 0; c < CONVERSATIONS; c++) {
      const id = convId(c);
      const lines = (await cmd<string[]>(raw, 'LRANGE', transcriptKey(id), 0, -1)).map(String);
      const records = lines.map((l) => JSON.parse(l) as StoredRecord);
      if (records.map((r) => r.seq).join() !== records.map((_, i) => i + 1).join()) problems.push(`${id}: seq not 1..n`);
      const order: number[] = [];
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        if (r.from !== 'user') continue;
        const marker = /\((\d+)\)$/.exec(r.text ?? '');
        const turn = marker ? Number(marker[1]) : NaN;
        const s = byTurn.get(`${id}#${turn}`);
        if (!s) {
          problems.push(`${id}: unexpected user record "${r.text}"`);
          continue;
        }
        if (r.text !== s.text) problems.push(`${id} turn ${turn}: stored text "${r.text}" differs from the sent "${s.text}"`);
        order.push(turn);
        let bots = 0;
        while (records[i + 1 + bots]?.from === 'bot') bots++;
        const expected = s.result!.activities.filter((a) => a.type === 'message').length;
        if (bots !== expected) problems.push(`${id} turn ${turn}: ${bots} bot records after it, the response had ${expected} replies`);
      }
      if (records[0]?.from !== 'user') problems.push(`${id}: does not start with the user's message`);
      const sorted = [...order].sort((x, y) => x - y);
      if (sorted.join() !== Array.from({ length: TURNS }, (_, i) => i + 1).join()) {
        problems.push(`${id}: user turns ${order.join(',')} (want each of 1..${TURNS} once)`);
        continue;
      }
      // Turns sent one after another are stored in the order sent. The 5 messages of a burst
      // were in flight together on both instances: they form one contiguous block (checked by
      // the sorted check plus the positions below); their order inside it is counted.
      const outside = order.filter((t) => !inBurst(c, t));
      if (outside.join() !== [...outside].sort((x, y) => x - y).join()) problems.push(`${id}: turns out of order: ${order.join(',')}`);
      if (isBurst(c)) {
        const block = order.slice(BURST_FROM - 1, BURST_FROM - 1 + BURST_SIZE);
        if (block.some((t) => !inBurst(c, t))) problems.push(`${id}: burst not contiguous: ${order.join(',')}`);
        if (block.join() !== [...block].sort((x, y) => x - y).join()) burstsReordered++;
        // Messages of the burst that went to the same instance (a process takes its requests in turn).
        for (const inst of [0, 1]) {
          const mine = block.filter((t) => (c + t) % 2 === inst);
          if (mine.join() !== [...mine].sort((x, y) => x - y).join()) sameInstanceReordered++;
        }
      }
    }
    expect(problems).toEqual([]);

    // No corrupt JSON anywhere; no lock left behind.
    const entries = await scanAll(raw);
    const corrupt: string[] = [];
    for (const e of entries) {
      if (!e.key.startsWith('iemic:state:') && !e.key.startsWith('iemic:tx:log:')) continue;
      for (const v of e.values) {
        try {
          JSON.parse(v);
        } catch {
          corrupt.push(e.key);
        }
      }
    }
    expect(corrupt).toEqual([]);
    expect(entries.filter((e) => e.key.startsWith('iemic:lock:')).map((e) => e.key)).toEqual([]);

    const ms = sent.map((s) => s.result!.ms);
    const burstMs = sent.filter((s) => inBurst(s.conv, s.turn)).map((s) => s.result!.ms);
    const seqMs = sent.filter((s) => !inBurst(s.conv, s.turn)).map((s) => s.result!.ms);
    const bursts = CONVERSATIONS / BURST_EVERY;
    console.log(
      [
        `scale-out: ${sent.length} turns (${CONVERSATIONS} conversations x ${TURNS}, ${bursts} bursts of ${BURST_SIZE} within ${(BURST_SIZE - 1) * BURST_GAP_MS} ms), 2 instances, ${CONCURRENCY} conversations at once`,
        `  total ${(totalMs / 1000).toFixed(1)} s, ${((sent.length * 1000) / totalMs).toFixed(0)} turns/s`,
        `  response time ms: all p50 ${percentile(ms, 50)} p95 ${percentile(ms, 95)} max ${Math.max(...ms)}; ` +
          `sequential p50 ${percentile(seqMs, 50)} p95 ${percentile(seqMs, 95)}; burst p50 ${percentile(burstMs, 50)} p95 ${percentile(burstMs, 95)} max ${Math.max(...burstMs)}`,
        `  bursts stored in a different order than sent (arrival order across instances): ${burstsReordered} of ${bursts}; ` +
          `reordered among the messages sent to the same instance: ${sameInstanceReordered} of ${bursts * 2}`,
        `  redis keys after the run: ${entries.length}`,
      ].join('\n'),
    );
  }, 150_000);

  test('both instances stop cleanly; lock metrics', async () => {
    const exits = await Promise.all(bots.map((b) => b.stop('SIGTERM')));
    for (const e of exits) {
      expect(e.code).toBe(0);
      expect(e.ms).toBeLessThan(10_000);
    }
    const metrics = bots.map((b) => lockMetricsOf(b));
    const sum = (k: keyof (typeof metrics)[number]) => metrics.reduce((n, m) => n + m[k], 0);
    // Every turn took the lock exactly once, none gave up, none outlived it.
    expect(sum('acquired')).toBe(turnsSent);
    expect(sum('timeouts')).toBe(0);
    expect(sum('lost')).toBe(0);
    const failed = bots.flatMap((b) => b.logLines().filter((l) => l.msg === 'turn failed' || l.msg === 'transcript not stored'));
    expect(failed).toEqual([]);
    console.log(
      [
        `turn lock (A + B): acquired ${sum('acquired')}, waited for another turn ${sum('waited')}, ` +
          `acquire retries (polls while held) ${sum('retries')}, longest wait ${Math.max(...metrics.map((m) => m.maxWaitMs))} ms, ` +
          `timeouts ${sum('timeouts')}, lost ${sum('lost')}`,
        `  per instance: ${bots.map((b, i) => `${b.name} ${JSON.stringify(metrics[i])}`).join('; ')}`,
        `  shutdown: ${exits.map((e, i) => `${bots[i]!.name} exit ${e.code} in ${e.ms} ms`).join(', ')}`,
      ].join('\n'),
    );
  }, 30_000);
});

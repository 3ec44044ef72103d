/**
 * `npm run bench:staff`: the staff console with a year of traffic stored (100,000 conversations
 * by default, STAFF_BENCH_CONVERSATIONS), on the disk default and on Redis (when redis-server is
 * installed; STAFF_BENCH_REDIS=off skips it). The conversations are generated (seeded), written
 * through the real stores, then the console is asked over HTTP, as a signed-in reviewer, for the
 * list with each filter over the last 30 days and for text searches over the same 30 days:
 * once cold (a fresh process state, nothing read ahead) and then warm (median of 5).
 * Target: every answer under 1 s. Results go to bench-results/staff-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import express from 'express';
import { mulberry32 } from '../nlu/random';
import { createLogger } from '../server/logger';
import { createStaffConsole } from '../server/staffConsole';
import { createStaffKv, createStaffServices } from '../staff';
import { Accounts } from '../staff/accounts';
import { Reviews } from '../staff/reviews';
import { createDiskStores, createStores, type Stores } from '../storage';
import type { TranscriptRecord, TurnOutcome } from '../storage/transcriptStore';
import { redisAvailable, startRedis } from './redis';

const ROOT = resolve(__dirname, '..');
const N = Number(process.env.STAFF_BENCH_CONVERSATIONS ?? 100_000);
const TARGET_MS = 1000;
const DAY = 86_400_000;
const NOW = Date.now();

interface Utterance { text: string; lang: 'lv' | 'en'; intent: string }
const UTTERANCES = (JSON.parse(readFileSync(join(__dirname, 'utterances.json'), 'utf8')) as { utterances: Utterance[] }).utterances;
const CHANNELS = ['webchat', 'webchat', 'webchat', 'webchat', 'msteams', 'telegram'];
const OUTCOMES: Array<[TurnOutcome, number]> = [['answered', 0.72], ['fallback', 0.1], ['clarified', 0.06], ['guide_started', 0.05], ['guide_finished', 0.04], ['smalltalk', 0.03]];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

function outcome(rnd: () => number): TurnOutcome {
  let x = rnd();
  for (const [o, p] of OUTCOMES) if ((x -= p) < 0) return o;
  return 'answered';
}

/** Writes N conversations over the last 365 days (uniformly), with ratings on some. */
async function generate(stores: Stores, n: number): Promise<void> {
  const rnd = mulberry32(20261130);
  let inFlight: Array<Promise<void>> = [];
  const started = Date.now();
  for (let i = 0; i < n; i++) {
    const id = `bench-${i}`;
    const channelId = pick(rnd, CHANNELS);
    const t0 = NOW - Math.floor(rnd() * 365 * DAY);
    const turns = 1 + Math.floor(rnd() * 3);
    const records: TranscriptRecord[] = [];
    let last: Utterance = UTTERANCES[0]!;
    for (let k = 0; k < turns; k++) {
      const u = pick(rnd, UTTERANCES);
      last = u;
      const ts = new Date(t0 + k * 20_000).toISOString();
      const o = outcome(rnd);
      records.push({
        conversationId: id, timestamp: ts, from: 'user', channelId, type: 'message', language: u.lang, text: k === 0 && rnd() < 0.02 ? `${u.text} [PERSONAL_CODE]` : u.text,
        intent: u.intent, score: Math.round(rnd() * 1000) / 1000, runnerUp: { intent: pick(rnd, UTTERANCES).intent, score: 0.2 }, outcome: o,
      });
      records.push({
        conversationId: id, timestamp: ts, from: 'bot', channelId, type: 'message', language: u.lang, activityId: `${id}-${k}`,
        text: u.lang === 'lv' ? 'Informācijas centrs atbild: skatiet sadaļu par pakalpojumiem.' : 'The Information Centre answers: see the services section.',
        provenance: { topic: u.intent, facts: [`${u.intent}.main`], sections: ['2.1'] },
      });
    }
    const writes = records.map((r) => stores.transcripts.append(r));
    const r = rnd();
    if (r < 0.08) {
      writes.push(stores.ratings.add({
        id: `${id}-h`, conversationId: id, kind: 'helpful', value: rnd() < 0.3 ? 0 : 1, activityId: `${id}-0`, intent: last.intent,
        language: last.lang, channelId, timestamp: new Date(t0 + 30_000).toISOString(), ...(rnd() < 0.2 ? { comment: 'nav pietiekami skaidrs' } : {}),
      }));
    } else if (r < 0.12) {
      writes.push(stores.ratings.add({
        id: `${id}-c`, conversationId: id, kind: 'csat', value: 1 + Math.floor(rnd() * 5), language: last.lang, channelId,
        timestamp: new Date(t0 + 40_000).toISOString(),
      }));
    }
    inFlight.push(Promise.all(writes).then(() => undefined));
    if (inFlight.length >= 200) {
      await Promise.all(inFlight);
      inFlight = [];
    }
    if (i % 10_000 === 9_999) process.stdout.write(`  ${i + 1} conversations written (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  await Promise.all(inFlight);
  await stores.transcripts.flush();
  await stores.ratings.flush();
}

/** Every 50th conversation reviewed, half of them tagged "cena" (the list reads all reviews). */
async function addReviews(dataDir: string, redisUrl: string | undefined): Promise<void> {
  const kv = createStaffKv({ dataDir, ...(redisUrl ? { redisUrl } : {}) });
  const reviews = new Reviews(kv);
  for (let i = 0; i < N; i += 50) {
    await reviews.set(`bench-${i}`, { reviewed: true, tags: i % 100 === 0 ? ['cena'] : ['citi'], verdict: 'right' }, 'bench');
  }
  await kv.close();
}

interface Timing { name: string; query: string; total: number; coldMs: number; warmMs: number }

async function measure(stores: Stores, dataDir: string, redisUrl: string | undefined): Promise<Timing[]> {
  const kv = createStaffKv({ dataDir, ...(redisUrl ? { redisUrl } : {}) });
  const accounts = new Accounts(kv);
  const password = await accounts.add(`bench${Date.now()}`, 'reviewer');
  const name = (await accounts.list()).find((a) => a.mustChangePassword)!.name;
  await accounts.changePassword(name, 'bench password 12345');
  void password;
  const console_ = createStaffConsole({ services: createStaffServices(kv, stores), stores, logger: createLogger('silent'), retentionDays: 400 });
  const app = express();
  app.use(console_.router);
  const server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signin = await fetch(`${base}/staff/signin`);
  const pre = /staff_signin=([^;]+)/.exec(signin.headers.getSetCookie().join(';'))![1]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await signin.text())![1]!;
  const res = await fetch(`${base}/staff/signin`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `staff_signin=${pre}` },
    body: new URLSearchParams({ _csrf: token, name, password: 'bench password 12345' }).toString(),
  });
  const sid = /staff_sid=([^;]+)/.exec(res.headers.getSetCookie().join(';'))![1]!;
  const day = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(new Date(ms));
  const period = `from=${day(NOW - 29 * DAY)}&to=${day(NOW)}`;
  const queries: Array<[string, string]> = [
    ['30 days, no other filter', ''], ['channel', 'channel=msteams'], ['language', 'language=en'], ['intent', 'intent=address'],
    ['outcome', 'outcome=fallback'], ['thumbs down', 'thumbsDown=1'], ['CSAT 1-2', 'lowCsat=1'], ['has comment', 'hasComment=1'],
    ['not reviewed', 'notReviewed=1'], ['tag', 'tag=cena'], ['search, no diacritics', 'q=sodamibas'], ['search, two words', 'q=darba%20laiks'],
    ['search + thumbs down', 'q=izzina&thumbsDown=1'], ['page 5', 'page=5'],
  ];
  const get = async (q: string) => {
    const t = performance.now();
    const r = await fetch(`${base}/staff/conversations?${period}${q ? `&${q}` : ''}`, { headers: { cookie: `staff_sid=${sid}` } });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${q}: ${r.status}`);
    return { ms: performance.now() - t, total: Number(/(?:Atrastas sarunas|Conversations found): (\d+)/.exec(text)?.[1] ?? -1) };
  };
  const out: Timing[] = [];
  // Cold: the first request of a fresh console reads every record it needs; the first search
  // goes first, so it reads the whole month. Later "cold" numbers are a query's first time.
  queries.unshift(['search, first of all', 'q=sodamibas%20izzina']);
  for (const [name_, q] of queries) {
    const cold = await get(q);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await get(q)).ms);
    warm.sort((a, b) => a - b);
    out.push({ name: name_, query: q, total: cold.total, coldMs: Math.round(cold.ms), warmMs: Math.round(warm[2]!) });
  }
  console_.close();
  await new Promise<void>((ok) => server.close(() => ok()));
  await kv.close();
  return out;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { conversations: N, machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`, at: new Date().toISOString() };
  const backends: Array<'disk' | 'redis'> = ['disk'];
  if (process.env.STAFF_BENCH_REDIS !== 'off' && redisAvailable().ok) backends.push('redis');
  let missed = false;
  for (const backend of backends) {
    const keep = backend === 'disk' ? process.env.STAFF_BENCH_KEEP_DIR : undefined;
    const dataDir = keep ?? mkdtempSync(join(os.tmpdir(), `staff-bench-${backend}-`));
    const redis = backend === 'redis' ? await startRedis(join(dataDir, 'redis.log')) : undefined;
    try {
      process.stdout.write(`\n${backend}: writing ${N} conversations over 365 days...\n`);
      const t = Date.now();
      const writer = redis ? await createStores({ dataDir, redisUrl: redis.url }) : createDiskStores(dataDir);
      // STAFF_BENCH_KEEP_DIR: the disk data is kept there, and reused by the next run.
      if (!keep || (await writer.transcripts.list({ limit: 1 })).length === 0) {
        await generate(writer, N);
        await addReviews(dataDir, redis?.url);
      }
      await writer.close();
      const writeS = Math.round((Date.now() - t) / 1000);
      // A fresh set of stores, as after a restart: nothing cached.
      const t1 = Date.now();
      const stores = redis ? await createStores({ dataDir, redisUrl: redis.url }) : createDiskStores(dataDir);
      await stores.transcripts.list({ limit: 1 });
      const openMs = Date.now() - t1;
      const timings = await measure(stores, dataDir, redis?.url);
      // What a running console does 3 s after start: read the last month ahead, in the background.
      const fresh = createStaffServices(createStaffKv({ dataDir, ...(redis ? { redisUrl: redis.url } : {}) }), stores);
      const t2 = performance.now();
      const readAhead = await fresh.queries.warm(new Date(NOW - 31 * DAY));
      const readAheadMs = Math.round(performance.now() - t2);
      const t3 = performance.now();
      await fresh.queries.list({ from: new Date(NOW - 30 * DAY), q: 'sodamibas izzina' }, 1, 25);
      const searchAfterMs = Math.round(performance.now() - t3);
      await fresh.kv.close();
      await stores.close();
      const readAheadLine = `${backend}: read-ahead of ${readAhead} conversations (last 31 days) ${readAheadMs} ms; then the first search ${searchAfterMs} ms\n`;
      process.stdout.write(`${backend}: written in ${writeS} s; stores opened in ${openMs} ms (cold = a query's first time; the first row reads the whole month)\n`);
      process.stdout.write(`${'query (last 30 days)'.padEnd(26)} ${'found'.padStart(6)} ${'cold ms'.padStart(8)} ${'warm ms'.padStart(8)}\n`);
      for (const r of timings) {
        const ok = r.coldMs < TARGET_MS && r.warmMs < TARGET_MS;
        if (!ok) missed = true;
        process.stdout.write(`${r.name.padEnd(26)} ${String(r.total).padStart(6)} ${String(r.coldMs).padStart(8)} ${String(r.warmMs).padStart(8)}  ${ok ? 'PASS' : 'MISS'}\n`);
      }
      process.stdout.write(readAheadLine);
      results[backend] = { writeSeconds: writeS, openMs, timings, readAhead: { conversations: readAhead, ms: readAheadMs, firstSearchAfterMs: searchAfterMs } };
    } finally {
      await redis?.stop();
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  const file = join(ROOT, 'bench-results', `staff-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(`\ntarget: every answer under ${TARGET_MS} ms: ${missed ? 'MISSED' : 'met'}; ${file}\n`);
  if (missed && process.env.BENCH_STRICT === '1') process.exit(3);
}

main().then(() => process.exit(0), (err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

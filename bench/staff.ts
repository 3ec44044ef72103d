/**
 * The staff console with a year of traffic stored (100,000 conversations by default,
 * STAFF_BENCH_CONVERSATIONS), on the disk default and on Redis (when redis-server is installed;
 * STAFF_BENCH_REDIS=off skips it). Run by `npm run bench` (after the bots) and alone by
 * `npm run bench:staff`. The conversations are generated (seeded) and written through the real
 * stores; then the real server (`node dist/server/index.js`, as `npm start`) is started as a new
 * process on that data, and a signed-in reviewer asks it over HTTP, the moment /healthz first
 * answers, for a text search over the last 30 days (the cold first request); then for the list
 * with each filter over the last 30 days and for searches, each once (its first time) and 5 times
 * more (median). The server starts twice: on the data as written (nothing of the console's kept
 * yet, as after the upgrade), then a normal restart; on disk a third time, as after a crash (the
 * transcript index's clean-shutdown mark removed). Target: every answer under 1 s.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { mulberry32 } from '../nlu/random';
import { createStaffKv } from '../staff';
import { Accounts } from '../staff/accounts';
import { Reviews } from '../staff/reviews';
import { Sessions } from '../staff/sessions';
import { createDiskStores, createStores, type Stores } from '../storage';
import type { TranscriptRecord, TurnOutcome } from '../storage/transcriptStore';
import { cpuMsOf, freePort, httpReady, killAllNow, memoryOf, sleep, startProcess } from './proc';
import { redisAvailable, startRedis } from './redis';

const ROOT = resolve(__dirname, '..');
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
async function addReviews(dataDir: string, redisUrl: string | undefined, n: number): Promise<void> {
  const kv = createStaffKv({ dataDir, ...(redisUrl ? { redisUrl } : {}) });
  const reviews = new Reviews(kv);
  for (let i = 0; i < n; i += 50) {
    await reviews.set(`bench-${i}`, { reviewed: true, tags: i % 100 === 0 ? ['cena'] : ['citi'], verdict: 'right' }, 'bench');
  }
  await kv.close();
}

/** A reviewer and a live session in the staff store, so the first request needs no sign-in. */
async function reviewerSession(dataDir: string, redisUrl: string | undefined): Promise<string> {
  const kv = createStaffKv({ dataDir, ...(redisUrl ? { redisUrl } : {}) });
  try {
    const accounts = new Accounts(kv);
    const name = `bench${Date.now()}`;
    await accounts.add(name, 'reviewer');
    await accounts.changePassword(name, 'bench password 12345');
    return (await new Sessions(kv).create(name, 'reviewer', false)).id;
  } finally {
    await kv.close();
  }
}

const QUERIES: Array<[string, string]> = [
  ['30 days, no other filter', ''], ['channel', 'channel=msteams'], ['language', 'language=en'], ['intent', 'intent=address'],
  ['outcome', 'outcome=fallback'], ['thumbs down', 'thumbsDown=1'], ['CSAT 1-2', 'lowCsat=1'], ['has comment', 'hasComment=1'],
  ['not reviewed', 'notReviewed=1'], ['tag', 'tag=cena'], ['search, no diacritics', 'q=sodamibas'], ['search, two words', 'q=darba%20laiks'],
  ['search + thumbs down', 'q=izzina&thumbsDown=1'], ['page 5', 'page=5'],
];
const FIRST_SEARCH = 'q=sodamibas%20izzina';

interface Server {
  child: ChildProcess;
  pid: number;
  base: string;
  /** From spawn to the first 200 of /healthz. */
  readyMs: number;
  logFile: string;
}

async function startServer(serverJs: string, dataDir: string, redisUrl: string | undefined, logFile: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), DATA_DIR: dataDir, TRANSCRIPT_RETENTION_DAYS: '400', LOG_LEVEL: 'debug', DOTENV_CONFIG_QUIET: 'true', MESSAGES_PER_MINUTE: '0',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'NODE_ENV', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'STAFF_REQUIRE_TOTP']) delete env[name];
  if (!redisUrl) delete env.REDIS_URL;
  // Registered with the bench's children: killed if the bench stops early.
  const started = await startProcess({ name: 'assistant (staff bench)', command: process.execPath, args: [serverJs], cwd: ROOT, env, logFile, ready: httpReady(port), readyTimeoutMs: 60_000 });
  return { child: started.child, pid: started.pid, base: `http://127.0.0.1:${port}`, readyMs: started.readyMs, logFile };
}

/** SIGTERM (a clean stop: the stores are closed), SIGKILL only after 15 s. */
async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const gone = new Promise<void>((ok) => s.child.once('exit', () => ok()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timer);
}

async function query(s: Server, sid: string, period: string, q: string): Promise<{ ms: number; total: number }> {
  const t = performance.now();
  const r = await fetch(`${s.base}/staff/conversations?${period}${q ? `&${q}` : ''}`, { headers: { cookie: `staff_sid=${sid}` } });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${q}: HTTP ${r.status}`);
  return { ms: Math.round(performance.now() - t), total: Number(/(?:Atrastas sarunas|Conversations found): (\d+)/.exec(text)?.[1] ?? -1) };
}

/** Waits for the console's read-ahead (logged at debug level) and the digests' save after it. */
async function readAheadDone(s: Server): Promise<number | undefined> {
  const t = performance.now();
  while (performance.now() - t < 120_000) {
    const line = readFileSync(s.logFile, 'utf8').split('\n').find((l) => l.includes('conversations read ahead'));
    const m = line ? /"ms":(\d+)/.exec(line) : null;
    if (m) {
      await sleep(3000);
      return Number(m[1]);
    }
    await sleep(200);
  }
  return undefined;
}

export interface StaffStart {
  what: string;
  /** From spawn to the first 200 of /healthz. */
  readyMs: number;
  /** The first search, sent the moment /healthz first answered. */
  firstSearchMs: number;
  found: number;
  /** The console's read-ahead of the last 31 days, started at once at start-up. */
  readAheadMs?: number;
  /** CPU the server used from ready to the first search's answer (the read-ahead's too): what a busy machine stretches. */
  serverCpuMs: number;
  /** The machine's 1-minute load average just before (2 cores: above 2, others wait for the CPU). */
  loadAverage: number;
}

export interface StaffTiming { name: string; query: string; total: number; coldMs: number; warmMs: number }

export interface StaffBackendResult {
  backend: 'disk' | 'redis';
  writeSeconds: number;
  starts: StaffStart[];
  timings: StaffTiming[];
  /** The server's RSS after the queries, and its peak (MB). */
  rssMb?: number;
  peakRssMb?: number;
  met: boolean;
}

export interface StaffBenchResult {
  conversations: number;
  backends: StaffBackendResult[];
  skipped: Array<{ backend: 'redis'; reason: string }>;
  met: boolean;
}

export interface StaffBenchOptions {
  conversations: number;
  redis: boolean;
  /** The built server (dist/server/index.js). */
  serverJs: string;
  logDir: string;
  log: (line: string) => void;
}

async function measureBackend(backend: 'disk' | 'redis', o: StaffBenchOptions): Promise<StaffBackendResult> {
  const keep = backend === 'disk' ? process.env.STAFF_BENCH_KEEP_DIR : undefined;
  const dataDir = keep ?? mkdtempSync(join(os.tmpdir(), `staff-bench-${backend}-`));
  const redis = backend === 'redis' ? await startRedis(join(o.logDir, 'staff-redis-server.log')) : undefined;
  const servers: Server[] = [];
  try {
    o.log(`staff console, ${backend}: writing ${o.conversations} conversations over 365 days...`);
    const t = Date.now();
    const writer = redis ? await createStores({ dataDir, redisUrl: redis.url }) : createDiskStores(dataDir);
    // STAFF_BENCH_KEEP_DIR: the disk data is kept there, and reused by the next run.
    if (!keep || (await writer.transcripts.list({ limit: 1 })).length === 0) {
      await generate(writer, o.conversations);
      await addReviews(dataDir, redis?.url, o.conversations);
    }
    await writer.close();
    const writeSeconds = Math.round((Date.now() - t) / 1000);
    const sid = await reviewerSession(dataDir, redis?.url);
    const day = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(new Date(ms));
    const period = `from=${day(NOW - 29 * DAY)}&to=${day(NOW)}`;
    const serverJs = o.serverJs;
    const start = async (what: string, n: number): Promise<{ server: Server; first: StaffStart }> => {
      const server = await startServer(serverJs, dataDir, redis?.url, join(o.logDir, `staff-${backend}-${n}.log`));
      servers.push(server);
      const cpu0 = cpuMsOf(server.pid);
      const load = os.loadavg()[0]!;
      const first = await query(server, sid, period, FIRST_SEARCH);
      const cpuMs = Math.round(cpuMsOf(server.pid) - cpu0);
      return { server, first: { what, readyMs: Math.round(server.readyMs), firstSearchMs: first.ms, found: first.total, serverCpuMs: cpuMs, loadAverage: Math.round(load * 10) / 10 } };
    };
    const starts: StaffStart[] = [];
    // The writer's data, nothing of the console's kept: the first start after the upgrade.
    const a = await start('first start (no digests kept yet)', 1);
    const aheadA = await readAheadDone(a.server);
    if (aheadA !== undefined) a.first.readAheadMs = aheadA;
    starts.push(a.first);
    await stopServer(a.server);
    const b = await start('restart', 2);
    const timings: StaffTiming[] = [];
    for (const [name, q] of QUERIES) {
      const cold = await query(b.server, sid, period, q);
      const warm: number[] = [];
      for (let i = 0; i < 5; i++) warm.push((await query(b.server, sid, period, q)).ms);
      warm.sort((x, y) => x - y);
      timings.push({ name, query: q, total: cold.total, coldMs: cold.ms, warmMs: warm[2]! });
    }
    const ahead = await readAheadDone(b.server);
    if (ahead !== undefined) b.first.readAheadMs = ahead;
    starts.push(b.first);
    const mem = memoryOf(b.server.pid);
    await stopServer(b.server);
    if (backend === 'disk') {
      // A crash: no clean-shutdown mark, so the transcript index checks every file at start.
      rmSync(join(dataDir, 'transcripts', 'index.clean'), { force: true });
      const c = await start('start after a crash', 3);
      starts.push(c.first);
      await stopServer(c.server);
    }
    const met = starts.filter((s) => !s.what.startsWith('first start')).every((s) => s.firstSearchMs < TARGET_MS)
      && timings.every((r) => r.coldMs < TARGET_MS && r.warmMs < TARGET_MS);
    return {
      backend, writeSeconds, starts, timings, met,
      ...(mem ? { rssMb: Math.round(mem.rssKb / 1024), peakRssMb: Math.round(mem.hwmKb / 1024) } : {}),
    };
  } finally {
    for (const s of servers) await stopServer(s);
    await redis?.stop();
    if (redis) rmSync(redis.dir, { recursive: true, force: true });
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runStaffBench(o: StaffBenchOptions): Promise<StaffBenchResult> {
  const result: StaffBenchResult = { conversations: o.conversations, backends: [], skipped: [], met: true };
  result.backends.push(await measureBackend('disk', o));
  const available = redisAvailable();
  if (!o.redis) result.skipped.push({ backend: 'redis', reason: 'turned off' });
  else if (!available.ok) result.skipped.push({ backend: 'redis', reason: available.reason });
  else result.backends.push(await measureBackend('redis', o));
  result.met = result.backends.every((b) => b.met);
  return result;
}

export function formatStaffReport(r: StaffBenchResult): string {
  const lines: string[] = [`Staff console, ${r.conversations} conversations over 365 days; queries over the last 30 days (target < ${TARGET_MS} ms)`];
  for (const b of r.backends) {
    lines.push('', `${b.backend}: written in ${b.writeSeconds} s; server RSS after the queries ${b.rssMb ?? '?'} MB (peak ${b.peakRssMb ?? '?'} MB)`);
    for (const s of b.starts) {
      lines.push(`  ${s.what}: ready ${s.readyMs} ms; first search, sent when /healthz first answered: ${s.firstSearchMs} ms (${s.found} found; server CPU ${s.serverCpuMs} ms; load average ${s.loadAverage})${s.readAheadMs !== undefined ? `; read-ahead ${s.readAheadMs} ms` : ''}`);
    }
    lines.push(`  ${'query (last 30 days)'.padEnd(26)} ${'found'.padStart(6)} ${'first ms'.padStart(9)} ${'warm ms'.padStart(8)}`);
    for (const t of b.timings) {
      const ok = t.coldMs < TARGET_MS && t.warmMs < TARGET_MS;
      lines.push(`  ${t.name.padEnd(26)} ${String(t.total).padStart(6)} ${String(t.coldMs).padStart(9)} ${String(t.warmMs).padStart(8)}  ${ok ? 'PASS' : 'MISS'}`);
    }
  }
  for (const s of r.skipped) lines.push('', `${s.backend}: skipped (${s.reason})`);
  lines.push('', `target: every answer under ${TARGET_MS} ms (the first start after the upgrade excepted): ${r.met ? 'met' : 'MISSED'}`);
  return lines.join('\n');
}

export function staffConversations(): number {
  const n = Number(process.env.STAFF_BENCH_CONVERSATIONS);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 100_000;
}

async function main(): Promise<void> {
  process.on('exit', killAllNow);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = join(ROOT, 'bench-results', 'logs', `staff-${stamp}`);
  mkdirSync(logDir, { recursive: true });
  const serverJs = join(ROOT, 'dist', 'server', 'index.js');
  if (process.env.STAFF_BENCH_BUILD !== 'off' || !existsSync(serverJs)) {
    process.stdout.write('building the assistant (npm run build)...\n');
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`npm run build failed:\n${b.stdout}${b.stderr}`);
  }
  const result = await runStaffBench({
    conversations: staffConversations(), redis: process.env.STAFF_BENCH_REDIS !== 'off', serverJs, logDir,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const out = { ...result, machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`, at: new Date().toISOString() };
  const file = join(ROOT, 'bench-results', `staff-${stamp}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2));
  process.stdout.write(`\n${formatStaffReport(result)}\n${file}\nlogs: ${logDir} (${readdirSync(logDir).length} files)\n`);
  if (!result.met && process.env.BENCH_STRICT === '1') process.exit(3);
}

if (require.main === module) {
  main().then(() => process.exit(0), (err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}

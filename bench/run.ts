/**
 * `npm run bench`: the assistant against a bare botbuilder echo bot, in one run.
 *
 * 1. builds the assistant (`npm run build`) and compiles bench/echoBot.ts to JS;
 * 2. starts each bot as its own process on a free port (echo; the assistant from dist/ with the
 *    embedded default storage; the assistant with REDIS_URL pointing at a private redis-server,
 *    when redis-server is installed), waits for the first 200 from /healthz;
 * 3. warms each up, then drives it over loopback HTTP (deliveryMode "expectReplies", keep-alive
 *    agent): sequentially, then N conversations at a time;
 * 4. times the assistant's NLU in this process;
 * 5. measures the staff console with a year of conversations (bench/staff.ts: 100,000 by default,
 *    STAFF_BENCH_CONVERSATIONS; disk, and Redis when available; BENCH_STAFF=off skips it);
 * 6. prints the tables and the targets (PASS/MISS), writes bench-results/<timestamp>.json and
 *    bench-results/latency.svg.
 *
 * Everything is bounded (request timeouts, per-phase time bounds, an overall deadline) and the
 * child processes are killed on exit, Ctrl-C and errors. Settings (environment, all optional):
 * BENCH_SEQ_TURNS (1200), BENCH_CONC_TURNS (2400), BENCH_CONCURRENCY (20), BENCH_WARMUP (100),
 * BENCH_NLU_ROUNDS (100), BENCH_TIMEOUT_MS (5000, per request), BENCH_PHASE_MAX_S (45),
 * BENCH_DEADLINE_S (300, plus 900 with the staff console), BENCH_WAIT_QUIET_S (0: wait at most that long in all for other processes to
 * leave the CPU alone before each bot), BENCH_REDIS (auto | off), BENCH_CHANNEL (webchat),
 * BENCH_NODE_ARGS (extra node flags for the assistant, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 * BENCH_STAFF (on | off), STAFF_BENCH_CONVERSATIONS (100000), BENCH_STRICT=1 (exit 3 when a target is missed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { runPhase, type PhaseResult } from './load';
import { timeNlu, type NluResult } from './nlu';
import { cpuMsOf, freePort, httpReady, killAllNow, machineBusyPercent, memoryOf, othersCpu, startProcess, tail, waitQuiet, type Started } from './proc';
import { redisAvailable, startRedis, usage, type RedisHandle } from './redis';
import { computeRatios, evaluateTargets, formatReport, type BotId, type BotResult, type ModeId, type ModeResult } from './report';
import { curve, round, summarize } from './stats';
import { formatStaffReport, runStaffBench, staffConversations, type StaffBenchResult } from './staff';
import { renderChart, type Panel } from './svg';
import { buildSessions, countTurns, loadConversations, loadUtterances, type Conversation, type Utterance } from './workload';

const ROOT = resolve(__dirname, '..');
const BENCH_DIR = __dirname;
const OUT_DIR = join(ROOT, 'bench-results');

const envInt = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
};
const SETTINGS = {
  sequentialTurns: envInt('BENCH_SEQ_TURNS', 1200),
  concurrentTurns: envInt('BENCH_CONC_TURNS', 2400),
  concurrency: envInt('BENCH_CONCURRENCY', 20),
  warmupTurns: envInt('BENCH_WARMUP', 100),
  nluRounds: envInt('BENCH_NLU_ROUNDS', 100),
  requestTimeoutMs: envInt('BENCH_TIMEOUT_MS', 5000),
  phaseMaxMs: envInt('BENCH_PHASE_MAX_S', 45) * 1000,
  staff: process.env.BENCH_STAFF === 'off' ? 'off' : 'on',
  staffConversations: staffConversations(),
  // The staff console's part writes 100,000 conversations per back-end and starts the server 4 times.
  deadlineMs: envInt('BENCH_DEADLINE_S', process.env.BENCH_STAFF === 'off' ? 300 : 1200) * 1000,
  waitQuietMs: envInt('BENCH_WAIT_QUIET_S', 0) * 1000,
  readyTimeoutMs: 20000,
  redis: process.env.BENCH_REDIS === 'off' ? 'off' : 'auto',
  channelId: process.env.BENCH_CHANNEL ?? 'webchat',
  assistantNodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  seed: 20250101,
};

const tempDirs: string[] = [];
/** Above this share of CPU used by other processes (idle sample before each bot), results get a warning. */
const BUSY_WARN_PERCENT = 15;
let quietBudgetMs = SETTINGS.waitQuietMs;

/** With BENCH_WAIT_QUIET_S: wait (from a budget shared by the whole run) until other processes leave the CPU alone. */
async function maybeWaitQuiet(what: string): Promise<void> {
  if (quietBudgetMs <= 0) return;
  const busy = await machineBusyPercent(1000);
  if (busy <= BUSY_WARN_PERCENT / 2) return;
  log(`the machine is ${busy}% busy: waiting up to ${Math.round(quietBudgetMs / 1000)} s for quiet before ${what}`);
  quietBudgetMs -= await waitQuiet(BUSY_WARN_PERCENT / 2, quietBudgetMs);
}
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function cleanup(): void {
  killAllNow();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function installSafety(): void {
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping the bots`);
      cleanup();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (err) => {
    log(`error: ${err.stack ?? err.message}`);
    cleanup();
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    log(`error: ${(err as Error)?.stack ?? String(err)}`);
    cleanup();
    process.exit(1);
  });
  setTimeout(() => {
    log(`the whole run passed its deadline (${SETTINGS.deadlineMs / 1000} s, BENCH_DEADLINE_S): stopping`);
    cleanup();
    process.exit(2);
  }, SETTINGS.deadlineMs + SETTINGS.waitQuietMs).unref();
}

function build(): { ok: true; ms: number } | { ok: false; reason: string } {
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (r.status === 0) return { ok: true, ms: performance.now() - t0 };
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n    ');
  return { ok: false, reason: `npm run build failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n    ${output}` };
}

/** bench/echoBot.ts -> bench-results/.build/echoBot.js (plain JS, so no ts-node in the measured process). */
function compileEchoBot(): string {
  const src = readFileSync(join(BENCH_DIR, 'echoBot.ts'), 'utf8');
  const js = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: 'echoBot.ts',
  }).outputText;
  const dir = join(OUT_DIR, '.build');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'echoBot.js');
  writeFileSync(file, js);
  return file;
}

function gitInfo(): { commit?: string; dirtyFiles?: number } {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const status = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' });
  return {
    commit: head.status === 0 ? head.stdout.trim() : undefined,
    dirtyFiles: status.status === 0 ? status.stdout.split('\n').filter(Boolean).length : undefined,
  };
}

/** Environment for a bot: no app id (anonymous, like local use), our port, nothing inherited that changes the back-end. */
function botEnv(port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  // one client address drives thousands of turns a minute: the per-address limit on /api/messages is off here
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DOTENV_CONFIG_QUIET: 'true', MESSAGES_PER_MINUTE: '0', ...extra };
  for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'REDIS_URL']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

interface BotSpec {
  id: BotId;
  label: string;
  args: string[];
  env: (port: number) => NodeJS.ProcessEnv;
  /** When set, a problem makes the run "skipped" (with the reason) rather than "failed". */
  optional?: boolean;
  /** After warm-up: a reason to skip the measurement, if any. */
  check?: (warmupTurns: number) => Promise<string | undefined>;
  /** Processes that serve this bot besides its own (redis-server): not counted as others' CPU. */
  helperPids?: number[];
  /** After the run: extra facts for the JSON. */
  after?: (result: BotResult) => Promise<void>;
}

function toMode(phase: PhaseResult, started: Started, cpuBefore: number, othersCpuPercent: number): ModeResult {
  const s = summarize(phase.latencies);
  const mem = memoryOf(started.pid);
  const cpu = cpuMsOf(started.pid) - cpuBefore;
  return {
    concurrency: phase.concurrency, turns: phase.turns, ok: phase.ok, errors: phase.errors, errorKinds: phase.errorKinds,
    p50: round(s.p50), p90: round(s.p90), p99: round(s.p99), max: round(s.max), mean: round(s.mean),
    throughput: round(phase.throughput, 1), elapsedMs: round(phase.elapsedMs, 1), truncated: phase.truncated,
    rssMb: round((mem?.rssKb ?? NaN) / 1024, 1), peakRssMb: round((mem?.hwmKb ?? NaN) / 1024, 1),
    cpuMsPerTurn: round(cpu / Math.max(1, phase.turns), 3),
    othersCpuPercent,
    curve: curve(phase.latencies).map(([p, v]) => [p, round(v)] as [number, number]),
  };
}

async function measureBot(spec: BotSpec, logDir: string, utterances: Utterance[], conversations: Conversation[]): Promise<BotResult> {
  const result: BotResult = { id: spec.id, label: spec.label, status: 'ok', modes: {}, notes: [] };
  const notOk = (reason: string): BotResult => ({ ...result, status: spec.optional ? 'skipped' : 'failed', reason });
  await maybeWaitQuiet(`the ${spec.label} run`);
  const busy = await machineBusyPercent(1000);
  result.machineBusyBefore = busy;
  if (busy > BUSY_WARN_PERCENT) {
    result.notes.push(`WARNING: other processes kept ${busy}% of the CPU busy just before this run: its numbers are noisy`);
    log(`warning: the machine is ${busy}% busy with other processes before the ${spec.label} run`);
  }
  const port = await freePort();
  const logFile = join(logDir, `${spec.id}.log`);
  let started: Started;
  try {
    started = await startProcess({
      name: spec.label, command: process.execPath, args: spec.args, env: spec.env(port), cwd: ROOT,
      logFile, ready: httpReady(port), readyTimeoutMs: SETTINGS.readyTimeoutMs,
    });
  } catch (err) {
    return notOk((err as Error).message);
  }
  try {
    result.readyMs = round(started.readyMs, 1);
    result.rssAtReadyMb = round((memoryOf(started.pid)?.rssKb ?? NaN) / 1024, 1);
    log(`${spec.label}: ready in ${started.readyMs.toFixed(0)} ms (pid ${started.pid}, port ${port})`);
    const phase = (sessions: ReturnType<typeof buildSessions>, concurrency: number) =>
      runPhase(sessions, { port, concurrency, timeoutMs: SETTINGS.requestTimeoutMs, maxDurationMs: SETTINGS.phaseMaxMs, channelId: SETTINGS.channelId });

    // warm-up: one stream, then the concurrent mix; not measured
    const warmSeq = await phase(buildSessions(`warm-${spec.id}`, SETTINGS.warmupTurns, utterances, conversations, SETTINGS.seed + 1), 1);
    const warmConc = await phase(buildSessions(`warmc-${spec.id}`, SETTINGS.warmupTurns, utterances, conversations, SETTINGS.seed + 2), SETTINGS.concurrency);
    const warmTurns = warmSeq.turns + warmConc.turns;
    const warmErrors = warmSeq.errors + warmConc.errors;
    if (warmErrors > warmTurns / 2) {
      const kinds = Object.entries({ ...warmSeq.errorKinds, ...warmConc.errorKinds }).map(([k, v]) => `${k} x${v}`).join(', ');
      return notOk(`${warmErrors} of ${warmTurns} warm-up turns failed (${kinds}). Log tail:\n${tail(logFile)}`);
    }
    if (warmErrors > 0) result.notes.push(`${warmErrors} of ${warmTurns} warm-up turns failed`);
    const skip = spec.check ? await spec.check(warmTurns) : undefined;
    if (skip) return notOk(skip);

    const modes: Array<[ModeId, number, number, number]> = [
      ['sequential', 1, SETTINGS.sequentialTurns, SETTINGS.seed + 10],
      ['concurrent', SETTINGS.concurrency, SETTINGS.concurrentTurns, SETTINGS.seed + 20],
    ];
    for (const [mode, concurrency, turns, seed] of modes) {
      const sessions = buildSessions(mode, turns, utterances, conversations, seed);
      const cpuBefore = cpuMsOf(started.pid);
      const helpers = spec.helperPids ?? [];
      const helperCpuBefore = helpers.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
      const others = othersCpu([started.pid, ...helpers]);
      const r = await phase(sessions, concurrency);
      const m = toMode(r, started, cpuBefore, others.stop());
      if (helpers.length) m.helperCpuMsPerTurn = round((helpers.reduce((sum, pid) => sum + cpuMsOf(pid), 0) - helperCpuBefore) / Math.max(1, m.turns), 3);
      result.modes[mode] = m;
      if (m.othersCpuPercent > BUSY_WARN_PERCENT) {
        result.notes.push(`WARNING: other processes used ${m.othersCpuPercent}% of the CPU during the ${mode} run: its numbers are noisy`);
      }
      log(`${spec.label}: ${mode} x${concurrency}: ${m.turns}/${countTurns(sessions)} turns, ${m.errors} errors, p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.throughput} turns/s, RSS ${m.rssMb} MB`);
      if (started.child.exitCode !== null || started.child.signalCode !== null) {
        return notOk(`${spec.label} died during the ${mode} run. Log tail:\n${tail(logFile)}`);
      }
    }
    result.rssMb = result.modes.concurrent?.rssMb ?? result.modes.sequential?.rssMb;
    if (spec.after) await spec.after(result);
    return result;
  } finally {
    await started.stop();
  }
}

function writeChart(file: string, bots: BotResult[], meta: { when: string; cpu: string; node: string }): void {
  const colors: Record<BotId, string> = { echo: '#6b7280', assistant: '#1d4ed8', assistant_redis: '#d97706' };
  const panels: Panel[] = (['sequential', 'concurrent'] as ModeId[]).map((mode) => ({
    title: mode === 'sequential' ? 'Sequential (one conversation at a time)' : `${SETTINGS.concurrency} concurrent conversations`,
    series: bots.filter((b) => b.status === 'ok' && b.modes[mode]).map((b) => {
      const m = b.modes[mode] as ModeResult;
      return { label: b.label, color: colors[b.id], points: m.curve, note: `p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.throughput} turns/s` };
    }),
    refs: mode === 'sequential' ? [{ ms: 15, label: 'target: p99 < 15 ms' }] : [],
  }));
  writeFileSync(file, renderChart('Turn latency: Information Centre assistant vs a bare echo bot', `${meta.when} · Node ${meta.node} · ${meta.cpu} · POST /api/messages, expectReplies, loopback`, panels));
}

async function main(): Promise<void> {
  installSafety();
  const t0 = performance.now();
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  mkdirSync(OUT_DIR, { recursive: true });
  const logDir = join(OUT_DIR, 'logs', stamp);
  mkdirSync(logDir, { recursive: true });
  const utterances = loadUtterances(BENCH_DIR);
  const conversations = loadConversations(BENCH_DIR);

  log('building the assistant (npm run build)...');
  const built = build();
  if (built.ok) log(`build ok in ${(built.ms / 1000).toFixed(1)} s`);
  else log(built.reason);
  const echoJs = compileEchoBot();

  const bots: BotResult[] = [];
  bots.push(await measureBot({ id: 'echo', label: 'echo', args: [echoJs], env: (port) => botEnv(port, {}) }, logDir, utterances, conversations));

  const assistantArgs = [...SETTINGS.assistantNodeArgs, join(ROOT, 'dist/server/index.js')];
  const dataDir = () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'iemic-bench-data-'));
    tempDirs.push(dir);
    return dir;
  };
  if (!built.ok) {
    bots.push({ id: 'assistant', label: 'assistant', status: 'failed', reason: built.reason, modes: {}, notes: [] });
  } else {
    bots.push(await measureBot({
      id: 'assistant', label: 'assistant', args: assistantArgs,
      env: (port) => botEnv(port, { DATA_DIR: dataDir() }),
    }, logDir, utterances, conversations));
  }

  // the Redis run
  const redisLabel = 'assistant+redis';
  const available = redisAvailable();
  if (SETTINGS.redis === 'off') {
    bots.push({ id: 'assistant_redis', label: redisLabel, status: 'skipped', reason: 'BENCH_REDIS=off', modes: {}, notes: [] });
  } else if (!available.ok) {
    bots.push({ id: 'assistant_redis', label: redisLabel, status: 'skipped', reason: available.reason, modes: {}, notes: [] });
  } else if (!built.ok) {
    bots.push({ id: 'assistant_redis', label: redisLabel, status: 'skipped', reason: 'the build failed', modes: {}, notes: [] });
  } else {
    let redis: RedisHandle | undefined;
    let commandsAfterWarmup = 0;
    try {
      redis = await startRedis(join(logDir, 'redis-server.log'));
      tempDirs.push(redis.dir);
      const r = redis;
      log(`redis-server ready on port ${r.port} (${available.version.split(' ').slice(0, 3).join(' ')})`);
      bots.push(await measureBot({
        id: 'assistant_redis', label: redisLabel, args: assistantArgs, optional: true, helperPids: [r.pid],
        env: (port) => botEnv(port, { DATA_DIR: dataDir(), REDIS_URL: r.url }),
        check: async (warmTurns) => {
          const u = await usage(r.port);
          commandsAfterWarmup = u.commands;
          if (u.keys === 0 && u.clients <= 1) {
            return `the assistant ignores REDIS_URL: after ${warmTurns} warm-up turns Redis holds no keys and no client is connected (the Redis back-end is not wired yet?)`;
          }
          return undefined;
        },
        after: async (res) => {
          const u = await usage(r.port);
          const turns = Object.values(res.modes).reduce((s, m) => s + (m?.turns ?? 0), 0);
          // the bench's own INFO/DBSIZE probes add a handful of commands: negligible
          const perTurn = round((u.commands - commandsAfterWarmup) / Math.max(1, turns), 1);
          res.extra = { redis: { ...u, commandsPerTurn: perTurn } };
          const cpu = (['sequential', 'concurrent'] as ModeId[]).map((m) => `${m} ${res.modes[m]?.helperCpuMsPerTurn ?? '-'}`).join(', ');
          res.notes.push(`Redis after the run: ${u.keys} keys, ${u.clients - 1} client connection(s), ${perTurn} commands per measured turn; redis-server CPU ms/turn: ${cpu} (not in the table)`);
        },
      }, logDir, utterances, conversations));
    } catch (err) {
      bots.push({ id: 'assistant_redis', label: redisLabel, status: 'skipped', reason: `redis-server: ${(err as Error).message}`, modes: {}, notes: [] });
    } finally {
      await redis?.stop();
    }
  }

  await maybeWaitQuiet('the NLU timing');
  log('timing the NLU in-process...');
  const nluBusy = await machineBusyPercent(1000);
  const nlu: NluResult = built.ok ? timeNlu(ROOT, utterances, SETTINGS.nluRounds) : { status: 'skipped', reason: 'the build failed' };
  nlu.machineBusyBefore = nluBusy;
  if (nluBusy > BUSY_WARN_PERCENT) nlu.warning = `other processes kept ${nluBusy}% of the CPU busy just before the NLU timing: its tail (p99, max) is noisy`;

  let staff: StaffBenchResult | { status: 'skipped' | 'failed'; reason: string };
  if (SETTINGS.staff === 'off') staff = { status: 'skipped', reason: 'BENCH_STAFF=off' };
  else if (!built.ok) staff = { status: 'skipped', reason: 'the build failed' };
  else {
    await maybeWaitQuiet('the staff console');
    try {
      staff = await runStaffBench({
        conversations: SETTINGS.staffConversations, redis: SETTINGS.redis !== 'off', serverJs: join(ROOT, 'dist/server/index.js'), logDir, log,
      });
    } catch (err) {
      staff = { status: 'failed', reason: (err as Error).message };
    }
  }

  const ratios = computeRatios(bots);
  const targets = evaluateTargets(bots, ratios, nlu, SETTINGS.concurrency);
  const cpus = os.cpus();
  const meta = {
    startedAt: startedAt.toISOString(),
    durationS: 0,
    node: process.versions.node,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: `${cpus.length} x ${cpus[0]?.model?.trim() ?? 'cpu'}`,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    loadAverageAtStart: loadAtStart.map((x) => round(x, 2)),
    ...gitInfo(),
    build: built.ok ? { ok: true, ms: round(built.ms, 0) } : { ok: false, reason: built.reason },
    settings: SETTINGS,
    workload: {
      utterances: utterances.length, conversations: conversations.length,
      description: 'sessions alternate: a scripted conversation from bench/conversations.json, then 1-3 questions from bench/utterances.json; each session has a new conversation id',
    },
  };
  meta.durationS = round((performance.now() - t0) / 1000, 1);

  const report = formatReport(bots, ratios, nlu, targets, SETTINGS.concurrency);
  process.stdout.write(`\n${report}\n`);
  process.stdout.write(`\n${'status' in staff ? `Staff console: ${staff.status} (${staff.reason})` : formatStaffReport(staff)}\n`);

  const jsonFile = join(OUT_DIR, `${stamp}.json`);
  writeFileSync(jsonFile, `${JSON.stringify({ meta, bots, ratios, nlu, targets, staff }, null, 2)}\n`);
  const svgFile = join(OUT_DIR, 'latency.svg');
  writeChart(svgFile, bots, { when: startedAt.toISOString().slice(0, 16).replace('T', ' '), cpu: meta.cpu, node: meta.node });
  process.stdout.write(`\nResults: ${jsonFile}\nChart:   ${svgFile}\nLogs:    ${logDir}\nTotal:   ${meta.durationS} s\n`);

  cleanup();
  const failed = bots.some((b) => b.status === 'failed');
  const missed = targets.some((t) => t.status === 'MISS') || ('met' in staff && !staff.met);
  process.exit(failed ? 1 : missed && process.env.BENCH_STRICT === '1' ? 3 : 0);
}

void main();

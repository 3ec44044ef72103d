/** The bench's results: types, ratios, targets (PASS/MISS), the printed tables. */
import type { NluResult } from './nlu';

export type BotId = 'echo' | 'assistant' | 'assistant_redis';
export type ModeId = 'sequential' | 'concurrent';

export interface ModeResult {
  concurrency: number;
  turns: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  throughput: number;
  elapsedMs: number;
  truncated: boolean;
  /** VmRSS of the bot process right after this mode, MB. */
  rssMb: number;
  /** VmHWM (peak RSS) so far, MB. */
  peakRssMb: number;
  /** CPU time (user+system) the bot process spent per turn in this mode, ms. */
  cpuMsPerTurn: number;
  /** CPU used by other processes (not the bench, not this bot) during this mode, % of all cores. */
  othersCpuPercent: number;
  /** CPU of helper processes (redis-server) per turn, ms. */
  helperCpuMsPerTurn?: number;
  curve: Array<[number, number]>;
}

export interface BotResult {
  id: BotId;
  label: string;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  readyMs?: number;
  /** RSS after the whole run (both modes), MB. */
  rssMb?: number;
  /** RSS right after the first 200 from /healthz, MB. */
  rssAtReadyMb?: number;
  modes: Partial<Record<ModeId, ModeResult>>;
  notes: string[];
  /** Share of the CPU other processes used during an idle second before this bot started, %. */
  machineBusyBefore?: number;
  extra?: Record<string, unknown>;
}

export interface Target {
  name: string;
  value: number | undefined;
  unit: string;
  threshold: string;
  status: 'PASS' | 'MISS' | 'SKIP';
  why?: string;
}

export type Ratios = Partial<Record<Exclude<BotId, 'echo'>, Partial<Record<ModeId, Record<'p50' | 'p90' | 'p99' | 'max' | 'throughput', number>>> & { readyMs?: number; rssMb?: number }>>;

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
const r2 = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(3)) : NaN);

export function computeRatios(bots: BotResult[]): Ratios {
  const echo = bots.find((b) => b.id === 'echo');
  const out: Ratios = {};
  if (!echo || echo.status !== 'ok') return out;
  for (const bot of bots) {
    if (bot.id === 'echo' || bot.status !== 'ok') continue;
    const entry: NonNullable<Ratios['assistant']> = { readyMs: r2(ratio(bot.readyMs, echo.readyMs)), rssMb: r2(ratio(bot.rssMb, echo.rssMb)) };
    for (const mode of ['sequential', 'concurrent'] as ModeId[]) {
      const a = bot.modes[mode];
      const e = echo.modes[mode];
      if (!a || !e) continue;
      entry[mode] = {
        p50: r2(ratio(a.p50, e.p50)), p90: r2(ratio(a.p90, e.p90)), p99: r2(ratio(a.p99, e.p99)),
        max: r2(ratio(a.max, e.max)), throughput: r2(ratio(a.throughput, e.throughput)),
      };
    }
    out[bot.id as Exclude<BotId, 'echo'>] = entry;
  }
  return out;
}

export function evaluateTargets(bots: BotResult[], ratios: Ratios, nlu: NluResult, concurrency: number): Target[] {
  const bot = (id: BotId) => bots.find((b) => b.id === id && b.status === 'ok');
  const echoOk = !!bot('echo');
  const targets: Target[] = [];
  const add = (name: string, value: number | undefined, unit: string, threshold: string, pass: (v: number) => boolean, need: boolean, why?: string) => {
    const ok = need && value !== undefined && Number.isFinite(value);
    targets.push({ name, value: ok ? r2(value as number) : undefined, unit, threshold, status: ok ? (pass(value as number) ? 'PASS' : 'MISS') : 'SKIP', ...(ok ? {} : { why: why ?? 'not measured' }) });
  };
  const skipWhy = (id: BotId) => bots.find((b) => b.id === id)?.reason ?? 'not run';
  const a = bot('assistant');
  const ar = bot('assistant_redis');
  add('single-stream p50 latency vs echo (embedded)', ratios.assistant?.sequential?.p50, 'x echo', '<= 1.3', (v) => v <= 1.3, !!a && echoOk, skipWhy(a ? 'echo' : 'assistant'));
  add('single-stream p99 latency (embedded)', a?.modes.sequential?.p99, 'ms', '< 15', (v) => v < 15, !!a, skipWhy('assistant'));
  add(`throughput at ${concurrency} concurrent vs echo (embedded)`, ratios.assistant?.concurrent?.throughput, 'x echo', '>= 0.8', (v) => v >= 0.8, !!a && echoOk, skipWhy(a ? 'echo' : 'assistant'));
  add(`throughput at ${concurrency} concurrent vs echo (Redis)`, ratios.assistant_redis?.concurrent?.throughput, 'x echo', '>= 0.5', (v) => v >= 0.5, !!ar && echoOk, skipWhy(ar ? 'echo' : 'assistant_redis'));
  add('NLU classification p99 per utterance', nlu.p99, 'ms', '< 1', (v) => v < 1, nlu.status === 'ok', nlu.reason);
  add('ready after start (embedded)', a?.readyMs, 'ms', '< 3000', (v) => v < 3000, !!a, skipWhy('assistant'));
  add('ready after start (Redis)', ar?.readyMs, 'ms', '< 3000', (v) => v < 3000, !!ar, skipWhy('assistant_redis'));
  add('memory (RSS after run) vs echo (embedded)', ratios.assistant?.rssMb, 'x echo', '<= 1.3', (v) => v <= 1.3, !!a && echoOk, skipWhy(a ? 'echo' : 'assistant'));
  add('memory (RSS after run) vs echo (Redis)', ratios.assistant_redis?.rssMb, 'x echo', '<= 1.3', (v) => v <= 1.3, !!ar && echoOk, skipWhy(ar ? 'echo' : 'assistant_redis'));
  return targets;
}

// ---------- printing ----------

const num = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));

function table(header: string[], rows: string[][], left: number[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (left.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(bots: BotResult[], ratios: Ratios, nlu: NluResult, targets: Target[], concurrency: number): string {
  const out: string[] = [];
  const modeLabel = (m: ModeId) => (m === 'sequential' ? 'sequential' : `${concurrency} concurrent`);
  const rows: string[][] = [];
  for (const bot of bots) {
    if (bot.status !== 'ok') {
      rows.push([bot.label, bot.status.toUpperCase(), '', '', '', '', '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const m of ['sequential', 'concurrent'] as ModeId[]) {
      const r = bot.modes[m];
      if (!r) continue;
      rows.push([
        bot.label, modeLabel(m), String(r.turns), String(r.errors), num(r.p50), num(r.p90), num(r.p99), num(r.max),
        num(r.throughput, 0), num(r.cpuMsPerTurn), num(bot.readyMs, 0), num(r.rssMb, 1), num(r.peakRssMb, 1), num(r.othersCpuPercent, 0),
      ]);
    }
  }
  out.push(table(['bot', 'mode', 'turns', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'turns/s', 'cpu ms/turn', 'ready ms', 'RSS MB', 'peak MB', 'others CPU %'], rows, [0, 1]));
  for (const bot of bots) {
    if (bot.status !== 'ok') out.push(`  ${bot.label} ${bot.status}: ${bot.reason ?? ''}`);
    for (const m of ['sequential', 'concurrent'] as ModeId[]) {
      const r = bot.modes[m];
      if (r && r.errors > 0) out.push(`  ${bot.label} ${modeLabel(m)} errors: ${Object.entries(r.errorKinds).map(([k, v]) => `${k} x${v}`).join(', ')}`);
      if (r?.truncated) out.push(`  ${bot.label} ${modeLabel(m)}: stopped at its time bound after ${r.turns} turns`);
    }
    if (bot.status === 'ok') out.push(`  ${bot.label}: RSS at ready ${num(bot.rssAtReadyMb, 1)} MB, after the run ${num(bot.rssMb, 1)} MB`);
    for (const note of bot.notes) out.push(`  ${bot.label}: ${note}`);
  }

  const rrows: string[][] = [];
  for (const [id, entry] of Object.entries(ratios)) {
    const label = bots.find((b) => b.id === id)?.label ?? id;
    for (const m of ['sequential', 'concurrent'] as ModeId[]) {
      const r = entry?.[m];
      if (!r) continue;
      rrows.push([`${label} / echo`, modeLabel(m), num(r.p50), num(r.p90), num(r.p99), num(r.max), num(r.throughput), num(entry?.readyMs), num(entry?.rssMb)]);
    }
  }
  if (rrows.length) {
    out.push('');
    out.push(table(['ratio', 'mode', 'p50', 'p90', 'p99', 'max', 'turns/s', 'ready', 'RSS'], rrows, [0, 1]));
  }

  out.push('');
  if (nlu.status === 'ok') {
    out.push(`NLU (in-process, recognize(text, {current:'lv'}), ${nlu.calls} calls over ${nlu.rounds} rounds): median ${num(nlu.median, 4)} ms, p90 ${num(nlu.p90, 4)} ms, p99 ${num(nlu.p99, 4)} ms, max ${num(nlu.max, 3)} ms; training ${num(nlu.trainMs, 0)} ms`);
    out.push(`  slowest (median): ${(nlu.slowest ?? []).map((s) => `"${s.text}" ${s.medianMs} ms`).join('; ')}`);
    if (nlu.warning) out.push(`  WARNING: ${nlu.warning}`);
    if (nlu.agreement) out.push(`  informative: intent as labelled in bench/utterances.json ${nlu.agreement.intent}/${nlu.agreement.of}, language ${nlu.agreement.language}/${nlu.agreement.of}`);
  } else {
    out.push(`NLU: skipped (${nlu.reason})`);
  }

  out.push('');
  out.push('Targets:');
  const trows = targets.map((t) => [t.status, t.name, t.value === undefined ? '-' : `${t.value} ${t.unit}`, `${t.threshold}${t.unit.startsWith('x') ? ' x echo' : ` ${t.unit}`}`, t.why ? `(${t.why.split('\n')[0].slice(0, 120)})` : '']);
  out.push(table(['', 'target', 'measured', 'wanted', ''], trows, [0, 1, 4]).split('\n').map((l) => `  ${l.trimEnd()}`).join('\n'));
  return out.join('\n');
}

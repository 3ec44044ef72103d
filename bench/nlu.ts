/**
 * NLU classification time, in the bench process: the assistant's own recognizer from dist/
 * (Recognizer.fromLocales(LOCALES_DIR)), `recognize(text, { current: 'lv' })` over the bench
 * utterances, many rounds, each call timed alone.
 */
import { join } from 'node:path';
import { summarize, round } from './stats';
import type { Utterance } from './workload';

export interface NluResult {
  status: 'ok' | 'skipped';
  reason?: string;
  trainMs?: number;
  calls?: number;
  rounds?: number;
  /** Per call, ms. */
  median?: number;
  p90?: number;
  p99?: number;
  max?: number;
  mean?: number;
  /** The utterances with the highest median time. */
  slowest?: Array<{ text: string; medianMs: number }>;
  /** Informative: how many utterances the recognizer labels as bench/utterances.json does. */
  agreement?: { intent: number; language: number; of: number };
  /** Share of the CPU other processes used during an idle second before the timing, %. */
  machineBusyBefore?: number;
  warning?: string;
}

interface RecognizerLike {
  recognize(text: string, context: { current: 'lv' | 'en' }): { intent: string; language: string };
}

export function timeNlu(root: string, utterances: Utterance[], rounds: number): NluResult {
  let recognizer: RecognizerLike;
  let trainMs: number;
  try {
    const { Recognizer } = require(join(root, 'dist/nlu/recognizer.js')) as { Recognizer: { fromLocales(dir: string): RecognizerLike } };
    const { LOCALES_DIR } = require(join(root, 'dist/server/paths.js')) as { LOCALES_DIR: string };
    const t0 = performance.now();
    recognizer = Recognizer.fromLocales(LOCALES_DIR);
    trainMs = performance.now() - t0;
  } catch (err) {
    return { status: 'skipped', reason: `cannot load the recognizer from dist/: ${(err as Error).message.split('\n')[0]}` };
  }
  const ctx = { current: 'lv' as const };
  let intentAgree = 0;
  let langAgree = 0;
  for (const u of utterances) {
    const r = recognizer.recognize(u.text, ctx);
    if (u.intent && r.intent === u.intent) intentAgree += 1;
    if (r.language === u.lang) langAgree += 1;
  }
  for (let w = 0; w < 5; w++) for (const u of utterances) recognizer.recognize(u.text, ctx); // warm-up (JIT)
  const all: number[] = [];
  const perUtterance: number[][] = utterances.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < utterances.length; i++) {
      const t0 = process.hrtime.bigint();
      recognizer.recognize(utterances[i].text, ctx);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      all.push(ms);
      perUtterance[i].push(ms);
    }
  }
  const s = summarize(all);
  const slowest = utterances
    .map((u, i) => ({ text: u.text, medianMs: round(summarize(perUtterance[i]).p50, 4) }))
    .sort((a, b) => b.medianMs - a.medianMs)
    .slice(0, 5);
  return {
    status: 'ok', trainMs: round(trainMs, 1), calls: all.length, rounds,
    median: round(s.p50, 4), p90: round(s.p90, 4), p99: round(s.p99, 4), max: round(s.max, 4), mean: round(s.mean, 4),
    slowest, agreement: { intent: intentAgree, language: langAgree, of: utterances.length },
  };
}

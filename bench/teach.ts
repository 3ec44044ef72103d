/**
 * `npm run bench:teach`: what teaching from the queue costs on this machine.
 * - training the shipped model in one thread (both languages, what a start does);
 * - the teaching worker: starting it (modules and the shipped model), retraining with one added
 *   Latvian phrase (only that language is retrained) and rebuilding the model on the main thread;
 * - a preview: the first one (the "before" evaluation too), then the next ones (before cached),
 *   split into training, the intent sets and the answer sets (the whole bot).
 * The time from "apply" to another instance's new answer is measured by the browser test
 * (test/browser/staffTeach.test.ts) and logged to test-artifacts/teach-timings.log.
 * Settings: BENCH_TEACH_ROUNDS (3).
 */
import { performance } from 'node:perf_hooks';
import { loadTrainingData, Recognizer } from '../nlu/recognizer';
import { KNOWLEDGE_DIR, LOCALES_DIR, PROJECT_ROOT } from '../server/paths';
import type { ChangeSet } from '../staff/teachChanges';
import { TeachWorker } from '../staff/teachPool';

const ROUNDS = Number(process.env.BENCH_TEACH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ms = (x: number) => `${Math.round(x)} ms`;
const EMPTY: ChangeSet = { ids: [], phrases: [], facts: [] };
const phrase = (text: string, intent: string): ChangeSet => ({ ids: ['bench'], phrases: [{ lang: 'lv', intent: intent as never, text }], facts: [] });

async function main(): Promise<void> {
  const data = loadTrainingData(LOCALES_DIR);
  const full: number[] = [];
  let shipped = Recognizer.train(data);
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    shipped = Recognizer.train(data);
    full.push(performance.now() - t);
  }
  console.log(`training the shipped model (lv + en, this thread): median ${ms(median(full))} of ${ROUNDS}`);

  const worker = new TeachWorker({ root: PROJECT_ROOT, localesDir: LOCALES_DIR, knowledgeDir: KNOWLEDGE_DIR });
  try {
    let t = performance.now();
    await worker.warm();
    console.log(`worker start (modules through ${__filename.endsWith('.ts') ? 'ts-node' : 'node'}, shipped model): ${ms(performance.now() - t)}`);
    const roundTrip: number[] = [];
    const inWorker: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      t = performance.now();
      const r = await worker.train(phrase(`kur jūsu kantoris ${i}`, 'address'), shipped);
      roundTrip.push(performance.now() - t);
      inWorker.push(r.ms);
    }
    console.log(`retraining with one added lv phrase: median ${ms(median(inWorker))} in the worker, ${ms(median(roundTrip))} with the transfer and the rebuild here`);

    const phrases: Array<[string, string]> = [['kur jūsu kantoris', 'address'], ['vai var aizsūtīt vēstuli pa pastu', 'contacts'], ['kā jūs atrast kartē', 'address']];
    for (const [i, [text, intent]] of phrases.entries()) {
      t = performance.now();
      const p = await worker.preview(EMPTY, phrase(text, intent));
      const n = p.comparison.numbers.map((x) => `${x.before}->${x.after}`).join(' ');
      console.log(`preview ${i + 1} "${text}" -> ${intent}: ${ms(performance.now() - t)} (before ${p.beforeCached ? 'cached' : 'computed too'}; after: train ${ms(p.timings.train)}, intent sets ${ms(p.timings.intents)}, answer sets ${ms(p.timings.answers)}); ${n}${p.comparison.refused ? ' REFUSED' : ''}`);
    }
  } finally {
    await worker.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

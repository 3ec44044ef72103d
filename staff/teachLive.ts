import type { FactAnswers, LiveKnowledge } from '../knowledge/overlay';
import type { LiveRecognizer } from '../nlu/liveRecognizer';
import { isStorageUnavailable } from '../storage/errors';
import { changeSet, type ChangeSet, type TeachChanges } from './teachChanges';
import type { TeachWorker } from './teachPool';

export const POLL_MS = 1000;

interface Log { info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void }

/**
 * Keeps this instance's model in step with the training changes in the staff store: one GET of
 * the version stamp a second; when it differs from the one the model was trained for, the
 * active changes are read, a new model is trained in the worker thread, and the bot's live
 * recognizer is swapped. Turns meanwhile run on the old model. The questions taught to facts
 * need no training: they are handed to the bot's live knowledge at once, before the training.
 * At start it trains for the stored changes, so they survive a restart.
 */
export class TeachLive {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private trainedFor = '';
  private again = false;
  private closed = false;
  /** Checks that failed in a row: one warning per outage, not one a second. */
  private failures = 0;
  private succeeded = false;

  constructor(
    private readonly deps: { changes: TeachChanges; worker: TeachWorker; live: LiveRecognizer; knowledge?: LiveKnowledge; logger: Log; pollMs?: number },
  ) {}

  start(): void {
    if (this.timer) return;
    void this.sync();
    this.timer = setInterval(() => void this.sync(), this.deps.pollMs ?? POLL_MS);
    this.timer.unref();
  }

  /** Checks now (after this instance applied a change, without waiting for the next tick). Resolves when in step. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.check().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.sync();
      }
    });
    return this.running;
  }

  stop(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    const { changes, worker, live, logger } = this.deps;
    try {
      const stamp = await changes.version();
      this.succeeded = true;
      this.failures = 0;
      const version = stamp ? `${stamp.n}.${stamp.token}` : '';
      if (version === this.trainedFor) return;
      const set = changeSet(await changes.all());
      if (!this.closed) this.deps.knowledge?.setFactAnswers(factAnswers(set));
      const label = set.ids.join(',');
      if (label === live.version) {
        this.trainedFor = version;
        return;
      }
      const started = Date.now();
      // every change reverted: back to the model trained at start, no training needed
      const { recognizer, ms } = set.ids.length ? await worker.train(set, live.base) : { recognizer: live.base, ms: 0 };
      if (this.closed) return;
      live.swap(recognizer, label);
      this.trainedFor = version;
      logger.info('nlu retrained with staff changes', {
        changes: set.ids.length, trainMs: ms, totalMs: Date.now() - started, ...(stamp ? { sinceChangeMs: Date.now() - Date.parse(stamp.at) } : {}),
      });
    } catch (err) {
      // the store's client still connecting at start is no failure
      if ((!this.succeeded && isStorageUnavailable(err)) || this.failures++ > 0) return;
      logger.warn('staff changes: retraining failed (the current model stays)', { error: err instanceof Error ? err.message.slice(0, 200) : String(err) });
    }
  }

}

/** The questions of the set's fact changes, by fact id and language, in the order they were applied. */
export function factAnswers(set: ChangeSet): Record<string, FactAnswers> {
  const out: Record<string, FactAnswers> = {};
  for (const f of set.facts) (out[f.factId] ??= { lv: [], en: [] })[f.lang].push(f.text);
  return out;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IntentClassifierData } from '../nlu/classifier';
import type { Lang } from '../nlu/languagePack';
import { Recognizer } from '../nlu/recognizer';
import type { ChangeSet } from './teachChanges';
import type { Comparison } from './teachEval';

export interface TeachWorkerData {
  root: string; localesDir: string; knowledgeDir: string;
  /** The shipped model the main thread already trained (same data, same result): the worker starts without training it again. */
  shipped?: Partial<Record<Lang, IntentClassifierData>>;
}

export type TeachRequest =
  | { id: number; op: 'train'; set: ChangeSet }
  | { id: number; op: 'preview'; base: ChangeSet; candidate: ChangeSet }
  | { id: number; op: 'ping' };

export type TeachResponse =
  | { id: number; ok: true; op: 'train'; model: Partial<Record<Lang, IntentClassifierData>>; ms: number }
  | { id: number; ok: true; op: 'preview'; comparison: Comparison; ms: number; beforeCached: boolean; timings: { train: number; intents: number; answers: number } }
  | { id: number; ok: true; op: 'ping' }
  | { id: number; ok: false; error: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface Preview { comparison: Comparison; ms: number; beforeCached: boolean; timings: { train: number; intents: number; answers: number } }

/**
 * The main thread's side of the teaching worker (staff/teachWorker.ts): one worker thread,
 * started on first use and kept, so its bot and cached evaluation serve every later request.
 * From the TypeScript sources (tests, ts-node) the worker loads them through ts-node.
 */
export class TeachWorker {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: TeachResponse) => void; reject: (e: Error) => void }>();
  private closed = false;

  /** `shipped`: the main thread's shipped recognizer, read when the thread starts. */
  constructor(private readonly dirs: Omit<TeachWorkerData, 'shipped'>, private readonly shipped?: () => Recognizer) {}

  /**
   * Trains on the shipped data plus the set, in the worker; the model is rebuilt here (no training
   * on this thread), with `shipped`'s model for a language the set adds nothing to.
   */
  async train(set: ChangeSet, shipped: Recognizer): Promise<{ recognizer: Recognizer; ms: number }> {
    const res = await this.ask({ op: 'train', set });
    if (!res.ok || res.op !== 'train') throw new Error(res.ok ? 'unexpected reply' : res.error);
    return { recognizer: Recognizer.fromData(res.model, shipped), ms: res.ms };
  }

  async preview(base: ChangeSet, candidate: ChangeSet): Promise<Preview> {
    const res = await this.ask({ op: 'preview', base, candidate });
    if (!res.ok || res.op !== 'preview') throw new Error(res.ok ? 'unexpected reply' : res.error);
    return { comparison: res.comparison, ms: res.ms, beforeCached: res.beforeCached, timings: res.timings };
  }

  /** Starts the thread, loads its modules and trains the shipped model ahead of the first request; resolves when it is ready. */
  async warm(): Promise<void> {
    await this.ask({ op: 'ping' });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ask(req: WithoutId<TeachRequest>): Promise<TeachResponse> {
    if (this.closed) return Promise.reject(new Error('teaching worker closed'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const worker = this.start();
      // kept alive while it has work (a script awaiting it), and never holding a process open otherwise
      worker.ref();
      worker.postMessage({ ...req, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const compiled = join(__dirname, 'teachWorker.js');
    const shipped = this.shipped?.().toData();
    // typed arrays: cloned as one block of memory rather than half a million numbers one by one
    for (const m of Object.values(shipped ?? {})) m.model.weights = Float64Array.from(m.model.weights);
    const workerData: TeachWorkerData = { ...this.dirs, ...(shipped ? { shipped } : {}) };
    const worker = existsSync(compiled) && !__filename.endsWith('.ts')
      ? new Worker(compiled, { workerData })
      : new Worker(`require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } }); require(${JSON.stringify(join(__dirname, 'teachWorker.ts'))});`, { eval: true, workerData });
    worker.unref();
    worker.on('message', (res: TeachResponse) => {
      const p = this.pending.get(res.id);
      this.pending.delete(res.id);
      if (this.pending.size === 0) worker.unref();
      p?.resolve(res);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`teaching worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

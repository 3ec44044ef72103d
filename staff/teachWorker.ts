/**
 * The teaching worker thread: trains models and runs the evaluations away from the thread that
 * answers citizens. One per process, started on first use; it keeps its bot and the evaluation
 * of the change set in force between requests, so a preview costs one training and the questions.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { Recognizer } from '../nlu/recognizer';
import { compare, TeachEvaluator, type Evaluation } from './teachEval';
import type { ChangeSet } from './teachChanges';
import type { TeachRequest, TeachResponse, TeachWorkerData } from './teachPool';

const dirs = workerData as TeachWorkerData;
// the main thread's shipped model when it sent one: training it again here would give the same weights
const evaluator = new TeachEvaluator(dirs, undefined, dirs.shipped ? Recognizer.fromData(dirs.shipped) : undefined);
const evaluations = new Map<string, Evaluation>();
const KEEP = 4;

const fingerprint = (set: ChangeSet) => createHash('sha256').update(JSON.stringify({ p: set.phrases, f: set.facts })).digest('hex');

async function evaluationOf(set: ChangeSet): Promise<{ evaluation: Evaluation; cached: boolean }> {
  const key = fingerprint(set);
  const known = evaluations.get(key);
  if (known) return { evaluation: known, cached: true };
  const evaluation = await evaluator.evaluate(set);
  evaluations.set(key, evaluation);
  while (evaluations.size > KEEP) evaluations.delete(evaluations.keys().next().value!);
  return { evaluation, cached: false };
}

async function handle(req: TeachRequest): Promise<TeachResponse> {
  const started = Date.now();
  if (req.op === 'ping') {
    evaluator.train({ ids: [], phrases: [], facts: [] });
    return { id: req.id, ok: true, op: 'ping' };
  }
  if (req.op === 'train') {
    const recognizer = evaluator.train(req.set);
    // only the retrained languages travel; the weights as typed arrays, moved rather than copied
    const model = recognizer.toData(evaluator.retrained(recognizer));
    for (const m of Object.values(model)) m.model.weights = Float64Array.from(m.model.weights);
    return { id: req.id, ok: true, op: 'train', model, ms: Date.now() - started };
  }
  const before = await evaluationOf(req.base);
  const after = await evaluationOf(req.candidate);
  return {
    id: req.id, ok: true, op: 'preview', comparison: compare(before.evaluation, after.evaluation), ms: Date.now() - started,
    beforeCached: before.cached, timings: after.evaluation.ms,
  };
}

// one request at a time: an evaluation swaps the model of the one bot it asks
let queue: Promise<unknown> = Promise.resolve();
parentPort!.on('message', (req: TeachRequest) => {
  queue = queue.then(() => handle(req)).then(
    (res) => parentPort!.postMessage(res, res.ok && res.op === 'train' ? Object.values(res.model).map((m) => (m.model.weights as Float64Array).buffer as ArrayBuffer) : []),
    (err: unknown) => parentPort!.postMessage({ id: req.id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } satisfies TeachResponse),
  );
});

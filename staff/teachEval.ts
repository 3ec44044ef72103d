import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CLASSIFIER_OPTIONS, type TrainingData } from '../nlu/classifier';
import { type Label } from '../nlu/intents';
import { LANGS, type Lang } from '../nlu/languagePack';
import { loadTrainingData, Recognizer } from '../nlu/recognizer';
import { readAnswerLines, scoreReply, type AnswerLine } from '../scripts/answerScoring';
import { ANSWER_EVAL_NOW, askCore } from '../scripts/answerRun';
import { createCore, type Core } from '../server/assistant';
import { createLogger } from '../server/logger';
import { addedPhrases, type ChangeSet, type EvalNumbers } from './teachChanges';

/** The sets `npm run eval` and `npm run eval:answers` are run on (README), relative to the project. */
export const INTENT_SETS = ['test/nlu/eval.jsonl', 'test/nlu/heldout.jsonl'];
export const ANSWER_SETS = ['test/answers/eval.jsonl', 'test/answers/heldout.jsonl'];

interface IntentLine { text: string; lang: Lang; intent: Label }

export interface EvalSets {
  intents: Array<{ set: string; lines: IntentLine[] }>;
  answers: Array<{ set: string; lines: AnswerLine[] }>;
}

export function loadEvalSets(root: string, intentSets = INTENT_SETS, answerSets = ANSWER_SETS): EvalSets {
  return {
    intents: intentSets.map((set) => ({
      set,
      lines: readFileSync(join(root, set), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as IntentLine),
    })),
    answers: answerSets.map((set) => ({ set, lines: readAnswerLines(join(root, set)) })),
  };
}

/** One evaluation line's result: for intents the intent recognized, for answers the verdict's cause. */
export interface LineOutcome {
  eval: 'intent' | 'answer';
  set: string;
  /** Line number (intent sets) or the line's id (answer sets). */
  id: string;
  text: string;
  lang: Lang;
  expected: string;
  got: string;
  pass: boolean;
}

export interface Evaluation {
  lines: LineOutcome[];
  ms: { train: number; intents: number; answers: number };
}

export interface ChangedLine { eval: 'intent' | 'answer'; set: string; id: string; text: string; lang: Lang; expected: string; before: string; after: string; passBefore: boolean; passAfter: boolean }

export interface Comparison {
  numbers: Array<EvalNumbers & { eval: 'intent' | 'answer' }>;
  /** Intents whose accuracy on the intent sets changed: correct/total before and after. */
  perIntent: Array<{ intent: string; before: number; after: number; total: number }>;
  changed: ChangedLine[];
  /** Lines that passed before and fail after. */
  broken: ChangedLine[];
  /** The intent eval or the answer eval (each summed over its sets) passes fewer lines after the change. */
  refused: boolean;
}

const key = (l: Pick<LineOutcome, 'eval' | 'set' | 'id'>) => `${l.eval}|${l.set}|${l.id}`;

export function compare(before: Evaluation, after: Evaluation): Comparison {
  const prior = new Map(before.lines.map((l) => [key(l), l]));
  const changed: ChangedLine[] = [];
  for (const a of after.lines) {
    const b = prior.get(key(a));
    if (!b || (b.pass === a.pass && b.got === a.got)) continue;
    changed.push({ eval: a.eval, set: a.set, id: a.id, text: a.text, lang: a.lang, expected: a.expected, before: b.got, after: a.got, passBefore: b.pass, passAfter: a.pass });
  }
  const numbers: Comparison['numbers'] = [];
  for (const set of [...new Set(after.lines.map((l) => `${l.eval}|${l.set}`))]) {
    const [ev, name] = set.split('|') as ['intent' | 'answer', string];
    const count = (e: Evaluation) => e.lines.filter((l) => l.eval === ev && l.set === name && l.pass).length;
    numbers.push({ eval: ev, set: name, before: count(before), after: count(after), total: after.lines.filter((l) => l.eval === ev && l.set === name).length });
  }
  const perIntent = new Map<string, { intent: string; before: number; after: number; total: number }>();
  for (const a of after.lines) {
    if (a.eval !== 'intent') continue;
    const row = perIntent.get(a.expected) ?? { intent: a.expected, before: 0, after: 0, total: 0 };
    row.total++;
    if (a.pass) row.after++;
    if (prior.get(key(a))?.pass) row.before++;
    perIntent.set(a.expected, row);
  }
  const broken = changed.filter((c) => c.passBefore && !c.passAfter);
  // "the intent eval" and "the answer eval" are each the sum over their sets, as a developer reads them
  const sum = (ev: 'intent' | 'answer', k: 'before' | 'after') => numbers.filter((n) => n.eval === ev).reduce((a, n) => a + n[k], 0);
  const lowered = (['intent', 'answer'] as const).some((ev) => sum(ev, 'after') < sum(ev, 'before'));
  return {
    numbers,
    perIntent: [...perIntent.values()].filter((r) => r.before !== r.after).sort((a, b) => a.intent.localeCompare(b.intent)),
    changed, broken, refused: broken.length > 0 || lowered,
  };
}

/**
 * Trains and evaluates a change set: the intent sets end to end (language then intent, as
 * `npm run eval`), the answer sets through the whole bot (as `npm run eval:answers`). One bot
 * per knowledge variant is kept and gets each new model through its live recognizer, so an
 * evaluation costs a training and the questions, nothing else.
 */
export class TeachEvaluator {
  private readonly base: Record<Lang, TrainingData>;
  /** Read on the first evaluation: retraining for applied changes works without the sets. */
  private sets: EvalSets | undefined;
  private readonly cores = new Map<string, Core>();
  private shipped: Recognizer | undefined;
  private readonly models = new Map<string, Recognizer>();
  private asked = 0;

  /** `shipped`: the model trained on the shipped data alone, when the caller has it (saves that training). */
  constructor(private readonly dirs: { root: string; localesDir: string; knowledgeDir: string }, sets?: EvalSets, shipped?: Recognizer) {
    this.base = loadTrainingData(dirs.localesDir);
    this.sets = sets;
    this.shipped = shipped;
  }

  /**
   * Trains the languages the set adds phrases to; the others keep the shipped model (trained once).
   * The last few models are kept: applying what was just previewed needs no second training.
   */
  train(set: ChangeSet): Recognizer {
    this.shipped ??= Recognizer.train(this.base);
    const added = addedPhrases(this.base, set);
    const key = JSON.stringify(added);
    const known = this.models.get(key);
    if (known) return known;
    const model = Recognizer.train(this.base, DEFAULT_CLASSIFIER_OPTIONS, added, this.shipped);
    this.models.set(key, model);
    while (this.models.size > 4) this.models.delete(this.models.keys().next().value!);
    return model;
  }

  /** The languages whose model `recognizer` does not share with the shipped one. */
  retrained(recognizer: Recognizer): Lang[] {
    return LANGS.filter((lang) => !this.shipped || !recognizer.sharesModel(this.shipped, lang));
  }

  async evaluate(set: ChangeSet): Promise<Evaluation> {
    const sets = (this.sets ??= loadEvalSets(this.dirs.root));
    const t0 = Date.now();
    const recognizer = this.train(set);
    const t1 = Date.now();
    const lines: LineOutcome[] = [];
    for (const { set: name, lines: intentLines } of sets.intents) {
      intentLines.forEach((l, i) => {
        const got = recognizer.recognize(l.text, { current: 'lv' }).intent;
        lines.push({ eval: 'intent', set: name, id: String(i + 1), text: l.text, lang: l.lang, expected: l.intent, got, pass: got === l.intent });
      });
    }
    const t2 = Date.now();
    const core = this.coreFor(set, recognizer);
    core.live.swap(recognizer, set.ids.join(','));
    for (const { set: name, lines: answerLines } of sets.answers) {
      for (const l of answerLines) {
        const { reply, outcome } = await askCore(core, l, `teach-eval-${++this.asked}`);
        const verdict = scoreReply(l, reply, outcome);
        lines.push({
          eval: 'answer', set: name, id: l.id, text: (l.turns ?? [l.q ?? '']).join(' | '), lang: l.lang,
          expected: l.must.map((g) => g.join(' / ')).join('; '), got: verdict.pass ? 'pass' : `${verdict.cause}: ${verdict.detail}`.slice(0, 200), pass: verdict.pass,
        });
      }
    }
    return { lines, ms: { train: t1 - t0, intents: t2 - t1, answers: Date.now() - t2 } };
  }

  /** A bot on the shipped knowledge, or on a copy whose facts answer the set's extra questions. */
  private coreFor(set: ChangeSet, recognizer: Recognizer): Core {
    const variant = JSON.stringify(set.facts);
    let core = this.cores.get(variant);
    if (core) return core;
    let knowledgeDir = this.dirs.knowledgeDir;
    let temp: string | undefined;
    if (set.facts.length) {
      temp = mkdtempSync(join(tmpdir(), 'teach-knowledge-'));
      for (const f of readdirSync(this.dirs.knowledgeDir)) if (f.endsWith('.json')) copyFileSync(join(this.dirs.knowledgeDir, f), join(temp, f));
      const file = JSON.parse(readFileSync(join(temp, 'facts.json'), 'utf8')) as { facts: Array<{ id: string; answers: Record<Lang, string[]> }> };
      for (const add of set.facts) file.facts.find((f) => f.id === add.factId)?.answers[add.lang].push(add.text);
      writeFileSync(join(temp, 'facts.json'), JSON.stringify(file));
      knowledgeDir = temp;
    }
    try {
      // one for the shipped knowledge and one variant at a time: a preview and the apply after it
      for (const k of [...this.cores.keys()]) if (k !== '[]') this.cores.delete(k);
      core = createCore({ logger: createLogger('silent'), clock: () => new Date(ANSWER_EVAL_NOW), knowledgeDir, localesDir: this.dirs.localesDir, recognizer });
    } finally {
      if (temp) rmSync(temp, { recursive: true, force: true });
    }
    this.cores.set(variant, core);
    return core;
  }
}

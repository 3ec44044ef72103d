import { performance } from 'node:perf_hooks';
import { loadKnowledge } from '../knowledge/loader';
import type { LiveKnowledge } from '../knowledge/overlay';
import type { Fact } from '../knowledge/schema';
import type { TrainingData } from '../nlu/classifier';
import { FactMatcher } from '../nlu/factMatcher';
import { INTENT_NAMES, OUT_OF_SCOPE, type Intent } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import type { LiveRecognizer } from '../nlu/liveRecognizer';
import { PACKS } from '../nlu/packs';
import { loadTrainingData } from '../nlu/recognizer';
import { redact } from '../privacy/redact';
import type { RatingStore } from '../storage/ratingStore';
import type { TranscriptStore } from '../storage/transcriptStore';
import type { AuditEntry, AuditLog } from './audit';
import type { StaffKv } from './kv';
import type { Reviews } from './reviews';
import { changeSet, normalizePhrase, samePhrase, TeachChanges, withTeaching, type TeachChange, type Teaching } from './teachChanges';
import { TeachLive } from './teachLive';
import { TeachWorker, type Preview } from './teachPool';
import { TeachQueue } from './teachQueue';

export interface TeachDeps {
  kv: StaffKv;
  stores: { transcripts: TranscriptStore; ratings: RatingStore };
  reviews: Reviews;
  audit: AuditLog;
  /** The bot's recognizer holder, swapped when changes are applied or reverted. */
  live: LiveRecognizer;
  /** The bot's knowledge: the questions taught to facts are set on it. */
  knowledge?: LiveKnowledge;
  root: string;
  localesDir: string;
  knowledgeDir: string;
  logger: { info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void };
  now?: () => Date;
  pollMs?: number;
}

export interface Proposal {
  intents: Array<{ intent: Intent; score: number }>;
  facts: Array<{ id: string; topic: string; text: string; score: number }>;
}

export type ApplyResult = { applied: true; change: TeachChange; preview: Preview } | { applied: false; preview: Preview };

export class TeachError extends Error {}

/** The worker's warm-up waits for a second with the event loop at most this busy... */
const WARM_IDLE_UTILIZATION = 0.1;
const WARM_CHECK_MS = 1000;
/** ...but not longer than this after `warmAfterMs`. */
const WARM_MAX_WAIT_MS = 120_000;

/**
 * Teaching from the queue: proposals (the model's own ranking, the facts that match), a preview
 * of what a change does to the evaluations, applying it if it lowers neither, reverting it.
 * Every apply, refusal and revert is audited.
 */
export class Teach {
  readonly queue: TeachQueue;
  readonly changes: TeachChanges;
  readonly worker: TeachWorker;
  readonly liveSync: TeachLive;
  private readonly facts: Fact[];
  private readonly matcher: FactMatcher;
  private readonly training: Record<Lang, TrainingData>;
  private warmTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: TeachDeps) {
    const now = deps.now ?? (() => new Date());
    this.queue = new TeachQueue({ transcripts: deps.stores.transcripts, ratings: deps.stores.ratings, reviews: deps.reviews, kv: deps.kv }, now);
    this.changes = new TeachChanges(deps.kv, now);
    this.worker = new TeachWorker({ root: deps.root, localesDir: deps.localesDir, knowledgeDir: deps.knowledgeDir }, () => deps.live.base);
    this.liveSync = new TeachLive({ changes: this.changes, worker: this.worker, live: deps.live, ...(deps.knowledge ? { knowledge: deps.knowledge } : {}), logger: deps.logger, ...(deps.pollMs ? { pollMs: deps.pollMs } : {}) });
    this.facts = loadKnowledge(deps.knowledgeDir).facts;
    // every fact in one group: the proposal looks across topics
    this.matcher = new FactMatcher(this.facts.map((f) => ({ id: f.id, group: 'all', texts: { lv: [f.text.lv, ...f.answers.lv], en: [f.text.en, ...f.answers.en] } })), PACKS);
    this.training = loadTrainingData(deps.localesDir);
  }

  /**
   * `warmAfterMs`: start the worker thread that long after start, so that a change applied on
   * another instance needs only the training here (several instances share changes through Redis).
   * The thread's start (loading the bot's modules, about a second of CPU) waits for a second in which
   * the process served little (event loop under 10% busy), for at most WARM_MAX_WAIT_MS: citizens'
   * turns come first.
   */
  start(options: { warmAfterMs?: number } = {}): void {
    this.liveSync.start();
    if (options.warmAfterMs === undefined) return;
    const started = Date.now();
    const deadline = started + options.warmAfterMs + WARM_MAX_WAIT_MS;
    let last = performance.eventLoopUtilization();
    const check = () => {
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      if (busy > WARM_IDLE_UTILIZATION && Date.now() < deadline) {
        this.warmTimer = setTimeout(check, WARM_CHECK_MS);
        this.warmTimer.unref();
        return;
      }
      const began = Date.now();
      this.worker.warm().then(
        () => this.deps.logger.info('teaching worker ready', { afterStartMs: began - started, ms: Date.now() - began }),
        (err: Error) => this.deps.logger.warn('teaching worker did not start', { error: err.message.slice(0, 200) }),
      );
    };
    this.warmTimer = setTimeout(() => {
      last = performance.eventLoopUtilization();
      this.warmTimer = setTimeout(check, WARM_CHECK_MS);
      this.warmTimer.unref();
    }, options.warmAfterMs);
    this.warmTimer.unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.warmTimer);
    this.liveSync.stop();
    await this.worker.close();
  }

  recordAudit(entry: Omit<AuditEntry, 'timestamp'>): Promise<void> {
    return this.deps.audit.record(entry);
  }

  /** The 3 likeliest intents by the model in use, and the 3 facts that match best. */
  propose(text: string, lang: Lang): Proposal {
    const ranking = this.deps.live.classify(text, lang).ranking.filter((r) => r.intent !== OUT_OF_SCOPE) as Array<{ intent: Intent; score: number }>;
    const facts = this.matcher.match(text, lang, 'all').filter((m) => m.score > 0).slice(0, 3)
      .map((m) => ({ id: m.id, topic: this.fact(m.id)!.topic, text: this.fact(m.id)!.text[lang], score: m.score }));
    return { intents: ranking.slice(0, 3), facts };
  }

  intents(): Intent[] {
    return [...INTENT_NAMES];
  }

  fact(id: string): Fact | undefined {
    return this.facts.find((f) => f.id === id);
  }

  /** Checks and cleans what a form or API call asks to teach. */
  teaching(input: { text: string; lang: string; target: string }): Teaching {
    const text = normalizePhrase(redact(input.text));
    if (text.length < 2) throw new TeachError('text');
    if (input.lang !== 'lv' && input.lang !== 'en') throw new TeachError('lang');
    const [kind, name] = input.target.split(':', 2) as [string, string | undefined];
    if (kind === 'intent' && name && (INTENT_NAMES as string[]).includes(name)) return { kind: 'phrase', intent: name as Intent, lang: input.lang, text };
    if (kind === 'fact' && name && this.fact(name)) return { kind: 'fact', factId: name, lang: input.lang, text };
    throw new TeachError('target');
  }

  async preview(t: Teaching): Promise<Preview> {
    const base = changeSet(await this.changes.all());
    return this.worker.preview(base, withTeaching(base, t));
  }

  async apply(t: Teaching, who: string, ip: string, source: { group?: string; conversations?: string[] } = {}): Promise<ApplyResult> {
    const active = await this.changes.active();
    const preview = await this.worker.preview(changeSet(active), withTeaching(changeSet(active), t));
    const what = describe(t);
    if (preview.comparison.refused) {
      const lines = preview.comparison.broken.map((b) => `${b.set}#${b.id}`).join(' ');
      await this.deps.audit.record({ actor: who, action: 'teach_refused', ip, target: what, detail: `${numbers(preview)}; breaks ${lines || '-'}`.slice(0, 1000) });
      return { applied: false, preview };
    }
    const before = this.phrasesOf(t, active);
    const change = await this.changes.add({
      teaching: t, appliedBy: who, before, after: before.some((p) => samePhrase(p, t.text)) ? before : [...before, t.text],
      evaluation: preview.comparison.numbers.map(({ set, before: b, after: a, total }) => ({ set, before: b, after: a, total })),
      ...(source.group ? { group: source.group } : {}), ...(source.conversations?.length ? { conversations: source.conversations.slice(0, 50) } : {}),
    });
    await this.deps.audit.record({ actor: who, action: 'teach_applied', ip, target: change.id, detail: `${what}; ${numbers(preview)}`.slice(0, 1000) });
    if (source.group) await this.queue.setStatus(source.group, 'done', who);
    void this.liveSync.sync();
    return { applied: true, change, preview };
  }

  async revert(id: string, who: string, ip: string): Promise<TeachChange | undefined> {
    const change = await this.changes.revert(id, who);
    if (!change) return undefined;
    await this.deps.audit.record({ actor: who, action: 'teach_reverted', ip, target: id, detail: describe(change.teaching) });
    void this.liveSync.sync();
    return change;
  }

  /** The target's phrases in the teaching's language: shipped, then staff's active ones. */
  private phrasesOf(t: Teaching, active: TeachChange[]): string[] {
    const set = changeSet(active);
    if (t.kind === 'phrase') return [...(this.training[t.lang][t.intent] ?? []), ...set.phrases.filter((p) => p.lang === t.lang && p.intent === t.intent).map((p) => p.text)];
    return [...(this.fact(t.factId)?.answers[t.lang] ?? []), ...set.facts.filter((f) => f.lang === t.lang && f.factId === t.factId).map((f) => f.text)];
  }
}

export function describe(t: Teaching): string {
  return `${t.kind === 'phrase' ? `intent ${t.intent}` : `fact ${t.factId}`} ${t.lang} "${t.text}"`;
}

function numbers(p: Preview): string {
  return p.comparison.numbers.map((n) => `${n.set} ${n.before}->${n.after}/${n.total}`).join(', ');
}

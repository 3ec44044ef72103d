import { randomBytes } from 'node:crypto';
import type { Answer } from '../bot/answer';
import { AnswerBook } from '../dialogs/answers';
import type { Knowledge } from '../knowledge/loader';
import type { Notice } from '../knowledge/noticesSchema';
import { EMPTY_OVERLAY, LiveKnowledge, type FactWords, type KnowledgeOverlay } from '../knowledge/overlay';
import type { Fact } from '../knowledge/schema';
import type { Messages } from '../locales/i18n';
import type { Entities } from '../nlu/entities';
import type { Intent } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import { FactEdits, type FactOverride, type FactRecord } from './factEdits';
import type { StaffKv } from './kv';
import { StaffNotices, type StoredNotice } from './notices';

const VERSION_NS = 'overlay';
const VERSION_ID = 'version';
export const POLL_MS = 1000;

export interface LiveKnowledgeOptions {
  kv: StaffKv;
  live: LiveKnowledge;
  messages: Messages;
  now?: () => Date;
  pollMs?: number;
  logger?: { info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void };
}

export interface PreviewAnswer {
  lang: Lang;
  label: 'welcome' | 'hours' | 'day' | 'fact';
  question?: string;
  answer: Answer;
}

/**
 * Notices and fact edits made in the console, live on every instance: the data is in the staff
 * store with a version key beside it; each instance reads the version once a second and, when it
 * changed, reloads the overlay and swaps the knowledge the assistant answers from. The instance
 * that made a change swaps at once.
 */
export class StaffKnowledge {
  readonly notices: StaffNotices;
  readonly facts: FactEdits;
  private readonly now: () => Date;
  private seen: string | undefined = '\u0000never';
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private failing = false;
  private closed = false;
  private everLoaded = false;

  constructor(private readonly o: LiveKnowledgeOptions) {
    this.now = o.now ?? (() => new Date());
    this.notices = new StaffNotices(o.kv, this.now);
    this.facts = new FactEdits(o.kv, this.now);
  }

  /** True once the staff's changes have been read (at start): until then the instance is not ready for traffic. */
  get loaded(): boolean {
    return this.everLoaded;
  }

  /** The knowledge of the files, without anything staff changed. */
  get base(): Knowledge {
    return this.o.live.base;
  }

  /** Loads the overlay now, then checks for changes every second (the timer does not keep the process alive). */
  start(): Promise<void> {
    const first = this.poll();
    this.timer = setInterval(() => void this.poll(), this.o.pollMs ?? POLL_MS);
    this.timer.unref();
    return first;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.polling;
  }

  /** After a change is stored: a new version for the other instances, and this one updated now. */
  async changed(): Promise<void> {
    await this.o.kv.set(VERSION_NS, VERSION_ID, `${this.now().getTime()}-${randomBytes(6).toString('hex')}`);
    await this.poll(true);
  }

  /** One check; concurrent calls share a run. */
  poll(force = false): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.polling && !force) return this.polling;
    const run: Promise<void> = (this.polling ?? Promise.resolve()).then(() => this.reloadIfChanged(force)).finally(() => {
      if (this.polling === run) this.polling = undefined;
    });
    this.polling = run;
    return run;
  }

  private async reloadIfChanged(force: boolean): Promise<void> {
    try {
      // the version is read before the data: a change stored meanwhile shows as a newer version next time
      const version = await this.o.kv.get<string>(VERSION_NS, VERSION_ID);
      if (!force && version === this.seen) return;
      const overlay = await this.overlay();
      this.o.live.apply(overlay);
      this.seen = version;
      this.everLoaded = true;
      if (this.failing) this.o.logger?.info('staff knowledge: reading changes again');
      this.failing = false;
      this.o.logger?.info('staff knowledge: overlay applied', { notices: overlay.notices.length, facts: Object.keys(overlay.facts).length });
    } catch (err) {
      // the assistant keeps answering from what it has; the next tick tries again
      if (!this.failing) this.o.logger?.warn('staff knowledge: cannot read changes', { error: err instanceof Error ? err.name : typeof err });
      this.failing = true;
    }
  }

  /** Everything staff changed that is in force, as an overlay of the files' knowledge. */
  async overlay(): Promise<KnowledgeOverlay> {
    const [notices, facts] = await Promise.all([this.notices.list(), this.facts.list()]);
    return this.overlayOf(notices, facts);
  }

  overlayOf(notices: StoredNotice[], facts: FactRecord[]): KnowledgeOverlay {
    const overlay: KnowledgeOverlay = { notices: notices.filter((s) => s.state.active).map((s) => s.state.notice), facts: {} };
    for (const r of facts) {
      const fact = this.base.fact(r.factId);
      if (fact && r.applied) overlay.facts[r.factId] = this.wordsFor(fact, r.applied);
    }
    return overlay;
  }

  /** An outdated fact is said as "check this with the Centre", with its phone and e-mail, in every form. */
  wordsFor(fact: Fact, override: FactOverride): FactWords {
    if (!override.outdated) return override.words;
    const centre = this.base.place('centre');
    const contact = {
      phone: centre.contacts.find((c) => c.kind === 'phone')?.value ?? '',
      email: centre.contacts.find((c) => c.kind === 'email')?.value ?? '',
    };
    const say = { lv: this.o.messages.for('lv')('factOutdated', contact), en: this.o.messages.for('en')('factOutdated', contact) };
    return { text: say, ...(fact.item ? { item: say } : {}), ...(fact.yes ? { yes: say } : {}), ...(fact.no ? { no: say } : {}) };
  }

  /** An AnswerBook on the files' knowledge with the overlay now in force changed by `edit`: what a citizen would get. */
  private async bookWith(edit: (o: KnowledgeOverlay) => KnowledgeOverlay): Promise<AnswerBook> {
    const current = await this.overlay().catch(() => EMPTY_OVERLAY);
    // with the questions taught to facts in force, as the live knowledge has them
    const live = new LiveKnowledge(this.base);
    live.setFactAnswers(this.o.live.factAnswers);
    live.apply(edit(current));
    return new AnswerBook(live, this.o.messages, this.now);
  }

  /**
   * The hours answer and the welcome with a draft notice in force (replacing the notice of the
   * same id), in both languages; with a changed day, also the answer about that day.
   */
  async previewNotice(draft: Notice): Promise<PreviewAnswer[]> {
    const book = await this.bookWith((o) => ({ ...o, notices: [draft, ...o.notices.filter((n) => n.id !== draft.id)] }));
    const day = draft.scheduleOverride?.date;
    const out: PreviewAnswer[] = [];
    for (const lang of ['lv', 'en'] as const) {
      out.push({ lang, label: 'welcome', answer: book.welcome(lang) });
      out.push({ lang, label: 'hours', answer: book.forIntent('reception_hours', lang, { contactKinds: [] }) });
      if (day) {
        const [, m, d] = day.split('-').map(Number) as [number, number, number];
        const entities: Entities = { contactKinds: [], date: { month: m, day: d }, ...(draft.scheduleOverride!.scheduleId === 'archive_department' ? { place: 'archive' } : {}) };
        out.push({ lang, label: 'day', answer: book.forIntent('reception_hours', lang, entities) });
      }
    }
    return out;
  }

  /** The answer to the fact's own first question, with `override` in force (null: the standard's words). */
  async previewFact(fact: Fact, override: FactOverride | null): Promise<PreviewAnswer[]> {
    const book = await this.bookWith((o) => {
      const facts = { ...o.facts };
      if (override) facts[fact.id] = this.wordsFor(fact, override);
      else delete facts[fact.id];
      return { ...o, facts };
    });
    const topic = this.base.topic(fact.topic);
    return (['lv', 'en'] as const).map((lang) => {
      const question = fact.answers[lang][0]!;
      let answer = book.forIntent(fact.topic as Intent, lang, { contactKinds: [] }, { text: question });
      // the question may be answered with the topic as a whole, which lists the fact among others
      if (topic && !answer.provenance?.facts.includes(fact.id)) answer = book.topicAnswer(topic, lang);
      return { lang, label: 'fact' as const, question, answer };
    });
  }
}

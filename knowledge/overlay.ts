import type { Knowledge } from './loader';
import type { Notice } from './noticesSchema';
import type { Fact, Localized } from './schema';

/**
 * Changes made without a release, laid over the knowledge loaded from the files: notices added
 * to notices.json's, and facts whose words are replaced. The files themselves never change
 * (the standard's own text stays in facts.json); the overlay is data, kept and shared elsewhere.
 */
export interface KnowledgeOverlay {
  /** Shown and applied before the files' notices: a newer notice's override of a day wins. */
  notices: Notice[];
  /** By fact id. */
  facts: Record<string, FactWords>;
  /** Questions staff attached to a fact (teaching), by fact id: matched like the fact's own `answers`. */
  factAnswers?: Record<string, FactAnswers>;
}

/** Extra questions a fact answers, per language. */
export type FactAnswers = Record<'lv' | 'en', string[]>;

/** The words a fact is said with: its text, and its list line and yes/no forms where it has them. */
export interface FactWords {
  text: Localized;
  item?: Localized;
  yes?: Localized;
  no?: Localized;
}

export const EMPTY_OVERLAY: KnowledgeOverlay = { notices: [], facts: {} };

function patched(fact: Fact, words: FactWords): Fact {
  return {
    ...fact,
    text: words.text,
    ...(fact.item ? { item: words.item ?? fact.item } : {}),
    ...(fact.yes ? { yes: words.yes ?? fact.yes } : {}),
    ...(fact.no ? { no: words.no ?? fact.no } : {}),
  };
}

function answering(fact: Fact, extra: FactAnswers | undefined): Fact {
  if (!extra) return fact;
  const more = (lang: 'lv' | 'en') => {
    const known = new Set(fact.answers[lang].map((a) => a.toLowerCase()));
    return extra[lang].filter((a) => !known.has(a.toLowerCase()) && (known.add(a.toLowerCase()), true));
  };
  const lv = more('lv');
  const en = more('en');
  return lv.length || en.length ? { ...fact, answers: { lv: [...fact.answers.lv, ...lv], en: [...fact.answers.en, ...en] } } : fact;
}

/** The knowledge with an overlay applied; `base` is not changed. Unknown fact ids are ignored. */
export function withOverlay(base: Knowledge, overlay: KnowledgeOverlay): Knowledge {
  const facts = base.facts.map((f) => answering(overlay.facts[f.id] ? patched(f, overlay.facts[f.id]!) : f, overlay.factAnswers?.[f.id]));
  const factById = new Map(facts.map((f) => [f.id, f]));
  const byTopic = new Map<string, Fact[]>();
  for (const f of facts) byTopic.set(f.topic, [...(byTopic.get(f.topic) ?? []), f]);
  return {
    ...base,
    facts,
    notices: [...overlay.notices, ...base.notices],
    fact: (id) => factById.get(id),
    factsOf: (topicId) => byTopic.get(topicId) ?? [],
  };
}

/**
 * The knowledge the running assistant reads: every read goes to the snapshot of the moment, and
 * a new snapshot replaces the old one in one assignment, so a change needs no restart and an
 * answer never mixes two versions of one list. Two sources change it, each with its own poller:
 * staff's notices and fact edits (`apply`), and the questions taught to facts (`setFactAnswers`);
 * neither replaces the other's part. AnswerBook rebuilds its fact index when `facts` is a new
 * list: taught questions change which question a fact answers, edited words only what is said
 * (the index keeps the files' words, as the teaching evaluation does).
 */
export class LiveKnowledge implements Knowledge {
  private snapshot: Knowledge;
  private overlay: KnowledgeOverlay = EMPTY_OVERLAY;
  private answers: Record<string, FactAnswers> = {};

  constructor(readonly base: Knowledge) {
    this.snapshot = base;
  }

  get current(): Knowledge {
    return this.snapshot;
  }

  /** The questions taught to facts now in force. */
  get factAnswers(): Record<string, FactAnswers> {
    return this.answers;
  }

  /** Applies staff's notices and fact edits to the files' knowledge and makes it the one answers are read from. */
  apply(overlay: KnowledgeOverlay): void {
    this.overlay = overlay;
    this.swap();
  }

  /** The questions taught to facts (the applied, not reverted changes); the same ones again change nothing. */
  setFactAnswers(answers: Record<string, FactAnswers>): void {
    if (JSON.stringify(answers) === JSON.stringify(this.answers)) return;
    this.answers = answers;
    this.swap();
  }

  private swap(): void {
    const none = !this.overlay.notices.length && !Object.keys(this.overlay.facts).length && !Object.keys(this.answers).length;
    this.snapshot = none ? this.base : withOverlay(this.base, { ...this.overlay, factAnswers: this.answers });
  }

  get places() { return this.snapshot.places; }
  get schedules() { return this.snapshot.schedules; }
  get services() { return this.snapshot.services; }
  get topics() { return this.snapshot.topics; }
  get facts() { return this.snapshot.facts; }
  get guides() { return this.snapshot.guides; }
  get calendar() { return this.snapshot.calendar; }
  get notices() { return this.snapshot.notices; }
  place(id: string) { return this.snapshot.place(id); }
  schedule(id: string) { return this.snapshot.schedule(id); }
  service(id: string) { return this.snapshot.service(id); }
  topic(id: string) { return this.snapshot.topic(id); }
  fact(id: string) { return this.snapshot.fact(id); }
  factsOf(topicId: string) { return this.snapshot.factsOf(topicId); }
}

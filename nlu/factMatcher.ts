import type { Lang, LanguagePack } from './languagePack';
import { tokenize } from './text';

/** A piece of knowledge to be found by the words of a message: its id, its group, its texts per language. */
export interface MatchDoc {
  id: string;
  group: string;
  texts: Record<Lang, string[]>;
  /** Texts whose words count half (a topic's lead, which names every fact of it). */
  weak?: Record<Lang, string[]>;
}

export interface FactMatch {
  id: string;
  group: string;
  score: number;
  /** How many of the message's (weighted) stems the doc has. */
  matched: number;
}

/** How many messages' query weights are kept (a turn asks about one or two). */
const RECENT_QUERIES = 16;

interface Index { docs: Array<{ id: string; group: string; stems: Map<string, number> }>; df: Map<string, number>; n: number }

/**
 * The second stage after the intent: which facts of a topic answer the message. Each fact is a bag
 * of stems (its text, its yes/no form and the phrases it answers); a message scores the share of
 * its stems' information (IDF, over the facts of the same group) that a fact contains. Pure and
 * linear in the message's length; built once at start.
 */
export class FactMatcher {
  private readonly index: Record<Lang, Index>;
  private readonly recent = new Map<string, { weights: Array<{ s: string; w: number }>; total: number }>();

  constructor(docs: MatchDoc[], private readonly packs: Record<Lang, LanguagePack>) {
    this.index = { lv: this.build(docs, 'lv'), en: this.build(docs, 'en') };
  }

  private stems(text: string, lang: Lang): string[] {
    const pack = this.packs[lang];
    return tokenize(pack.normalize(text)).filter((w) => w.length > 1 || /\d/.test(w)).map((w) => pack.stem(w));
  }

  private build(docs: MatchDoc[], lang: Lang): Index {
    const built = docs.map((d) => {
      const stems = new Map<string, number>();
      for (const t of d.weak?.[lang] ?? []) for (const s of this.stems(t, lang)) stems.set(s, 0.5);
      for (const t of d.texts[lang]) for (const s of this.stems(t, lang)) stems.set(s, 1);
      return { id: d.id, group: d.group, stems };
    });
    // document frequency over all facts: "jums", "pie", "izziņa" are common across the knowledge, "filmēt" is not
    const df = new Map<string, number>();
    for (const d of built) for (const s of d.stems.keys()) df.set(s, (df.get(s) ?? 0) + 1);
    return { docs: built, df, n: built.length };
  }

  /** Whether any fact has this stem (a stem of this matcher's own stemming). */
  knows(stem: string, lang: Lang): boolean {
    return this.index[lang].df.has(stem);
  }

  /** The message's content stems that no fact has ("english" in "is the certificate in English?"). */
  unknownStems(text: string, lang: Lang): string[] {
    return this.contentStems(text, lang).filter((s) => !this.index[lang].df.has(s));
  }

  /** The message's content stems: no function words, numbers or one- and two-letter words. */
  contentStems(text: string, lang: Lang): string[] {
    const pack = this.packs[lang];
    const words = tokenize(pack.normalize(text)).filter((w) => w.length >= 3 && !/\d/.test(w) && !pack.stopwords.has(w));
    return words.map((w) => pack.stem(w));
  }

  /**
   * The message's stems with their weights. One reply asks the same message against every topic,
   * so the last few messages' weights are kept (stemming is most of the cost).
   */
  private query(text: string, lang: Lang, df: Map<string, number>, n: number): { weights: Array<{ s: string; w: number }>; total: number } {
    const key = `${lang}\u0000${text}`;
    const hit = this.recent.get(key);
    if (hit) return hit;
    const pack = this.packs[lang];
    const words = tokenize(pack.normalize(text));
    const stopStems = new Set(words.filter((w) => pack.stopwords.has(w)).map((w) => pack.stem(w)));
    const query = [...new Set(this.stems(text, lang))];
    const weights = query.map((s) => {
      const k = df.get(s) ?? 0;
      // function words still tell "where" from "when", but weigh little
      return { s, w: k === 0 ? 0 : Math.log(1 + n / k) * (stopStems.has(s) ? 0.3 : 1) };
    }).filter((x) => x.w > 0);
    const result = { weights, total: weights.reduce((a, x) => a + x.w, 0) };
    if (this.recent.size >= RECENT_QUERIES) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(key, result);
    return result;
  }

  /** Scores the docs of one group (a topic) against the message, best first; 0..1 each. */
  match(text: string, lang: Lang, group: string): FactMatch[] {
    const { docs, df, n } = this.index[lang];
    const inGroup = docs.filter((d) => d.group === group);
    if (inGroup.length === 0) return [];
    const { weights, total } = this.query(text, lang, df, n);
    if (total === 0) return inGroup.map((d) => ({ id: d.id, group, score: 0, matched: 0 }));
    return inGroup
      .map((d) => ({
        id: d.id, group,
        score: weights.reduce((a, x) => a + (d.stems.get(x.s) ?? 0) * x.w, 0) / total,
        matched: weights.filter((x) => d.stems.has(x.s)).length,
      }))
      .sort((a, b) => b.score - a.score);
  }
}

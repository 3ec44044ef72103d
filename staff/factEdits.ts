import type { FactWords } from '../knowledge/overlay';
import type { Fact, Localized } from '../knowledge/schema';
import type { StaffKv } from './kv';
import type { Version } from './notices';

/** What staff changed about a fact: its words, or that it is outdated (the assistant then says to ask the Centre). */
export type FactOverride = { outdated: true } | { outdated: false; words: FactWords };

/** The parts of a fact that staff can reword, each in both languages. */
export const FACT_FIELDS = ['text', 'item', 'yes', 'no'] as const;
export type FactField = (typeof FACT_FIELDS)[number];

/** The form as typed: a field left empty in both languages keeps its words. */
export type FactInput = Partial<Record<FactField, { lv: string; en: string }>>;

/** An edit filled in one language only: kept, not applied, until the other language is there too. */
export interface FactDraft {
  input: FactInput;
  reason: string;
  at: string;
  by: string;
}

export interface FactRecord {
  factId: string;
  /** In force; null: the standard's words (facts.json). */
  applied: FactOverride | null;
  draft?: FactDraft;
  versions: Array<Version<FactOverride | null> & { draft?: FactInput }>;
}

export type FactSaveResult =
  | { outcome: 'applied'; record: FactRecord }
  | { outcome: 'draft'; record: FactRecord; missing: Array<{ field: FactField; lang: 'lv' | 'en' }> }
  | { outcome: 'refused'; problem: 'reason' | 'nothing' };

const NS = 'fact_edits';
export const MIN_REASON = 3;

/** Fact ids are dotted ("cr.post"); store ids may not have dots, and fact ids have no "-". */
const keyOf = (factId: string) => factId.replace(/\./g, '-');

/** The fields a fact has: its text always, its list line and yes/no forms where it has them. */
export function fieldsOf(fact: Fact): FactField[] {
  return FACT_FIELDS.filter((f) => f === 'text' || fact[f] !== undefined);
}

/** The fact's words now: the override in force, or the standard's. */
export function wordsOf(fact: Fact, applied: FactOverride | null | undefined): FactWords {
  if (applied && !applied.outdated) return applied.words;
  return { text: fact.text, ...(fact.item ? { item: fact.item } : {}), ...(fact.yes ? { yes: fact.yes } : {}), ...(fact.no ? { no: fact.no } : {}) };
}

/**
 * What a form would change: a field filled in both languages is new words; empty in both keeps
 * the words it has; filled in one language only makes the whole edit a draft.
 */
export function readFactInput(fact: Fact, current: FactOverride | null, input: FactInput): { override: FactOverride } | { missing: Array<{ field: FactField; lang: 'lv' | 'en' }> } | { nothing: true } {
  const base = wordsOf(fact, current);
  const words: FactWords = { ...base };
  const missing: Array<{ field: FactField; lang: 'lv' | 'en' }> = [];
  let changed = false;
  for (const field of fieldsOf(fact)) {
    const lv = input[field]?.lv.trim() ?? '';
    const en = input[field]?.en.trim() ?? '';
    if (!lv && !en) continue;
    if (!lv || !en) {
      missing.push({ field, lang: lv ? 'en' : 'lv' });
      continue;
    }
    const next: Localized = { lv, en };
    const before = base[field];
    if (!before || before.lv !== lv || before.en !== en) changed = true;
    words[field] = next;
  }
  if (missing.length) return { missing };
  if (!changed && !(current?.outdated)) return { nothing: true };
  return { override: { outdated: false, words } };
}

/** Staff edits of facts, kept in the staff store beside the untouched facts.json, with every version. */
export class FactEdits {
  constructor(private readonly kv: StaffKv, private readonly now: () => Date = () => new Date()) {}

  get(factId: string): Promise<FactRecord | undefined> {
    return this.kv.get<FactRecord>(NS, keyOf(factId));
  }

  list(): Promise<FactRecord[]> {
    return this.kv.list<FactRecord>(NS);
  }

  /** Saves a form: applied when complete, a draft when a language is missing, refused without a reason or a change. */
  async save(fact: Fact, input: FactInput, outdated: boolean, reason: string, by: string): Promise<FactSaveResult> {
    const why = reason.trim();
    if (why.length < MIN_REASON) return { outcome: 'refused', problem: 'reason' };
    const record = (await this.get(fact.id)) ?? { factId: fact.id, applied: null, versions: [] };
    const at = this.now().toISOString();
    const n = record.versions.length + 1;
    if (outdated) {
      const after: FactOverride = { outdated: true };
      const next: FactRecord = { factId: fact.id, applied: after, versions: [...record.versions, { n, at, by, action: 'outdated', reason: why, before: record.applied, after }] };
      await this.kv.set(NS, keyOf(fact.id), next);
      return { outcome: 'applied', record: next };
    }
    const read = readFactInput(fact, record.applied, input);
    if ('nothing' in read) return { outcome: 'refused', problem: 'nothing' };
    if ('missing' in read) {
      const next: FactRecord = {
        ...record, draft: { input, reason: why, at, by },
        versions: [...record.versions, { n, at, by, action: 'draft', reason: why, before: record.applied, after: record.applied, draft: input }],
      };
      await this.kv.set(NS, keyOf(fact.id), next);
      return { outcome: 'draft', record: next, missing: read.missing };
    }
    const next: FactRecord = { factId: fact.id, applied: read.override, versions: [...record.versions, { n, at, by, action: 'edit', reason: why, before: record.applied, after: read.override }] };
    await this.kv.set(NS, keyOf(fact.id), next);
    return { outcome: 'applied', record: next };
  }

  /** Undoes the last applied change (an edit, "outdated", or a revert); undefined when there is none. */
  async revert(factId: string, by: string): Promise<FactRecord | undefined> {
    const record = await this.get(factId);
    const last = record ? [...record.versions].reverse().find((v) => v.action !== 'draft') : undefined;
    if (!record || !last) return undefined;
    const after = last.before;
    const next: FactRecord = {
      factId, applied: after,
      versions: [...record.versions, { n: record.versions.length + 1, at: this.now().toISOString(), by, action: 'revert', reason: `revert #${last.n}`, before: record.applied, after }],
    };
    await this.kv.set(NS, keyOf(factId), next);
    return next;
  }

  /** Drops a draft without applying it. */
  async discardDraft(factId: string): Promise<void> {
    const record = await this.get(factId);
    if (!record?.draft) return;
    const { draft: _dropped, ...rest } = record;
    await this.kv.set(NS, keyOf(factId), rest);
  }
}

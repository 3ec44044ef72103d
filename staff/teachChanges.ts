import { randomBytes } from 'node:crypto';
import type { TrainingData } from '../nlu/classifier';
import type { Label } from '../nlu/intents';
import type { Lang } from '../nlu/languagePack';
import type { StaffKv } from './kv';

/** A phrase taught by staff: a training phrase of an intent, or a question a fact answers. */
export type TeachTarget = { kind: 'phrase'; intent: Label } | { kind: 'fact'; factId: string };
export type Teaching = TeachTarget & { lang: Lang; text: string };

/** The numbers of one evaluation set before and after a change. */
export interface EvalNumbers { set: string; before: number; after: number; total: number }

export interface TeachChange {
  id: string;
  teaching: Teaching;
  /** Where it came from: the queue's group and the conversations it links to. */
  group?: string;
  conversations?: string[];
  appliedBy: string;
  appliedAt: string;
  /** The target's phrases in that language before and after the change. */
  before: string[];
  after: string[];
  /** The evaluations that allowed it. */
  evaluation: EvalNumbers[];
  reverted?: { by: string; at: string };
}

/** What the models are trained with, beyond the shipped data: the active changes. */
export interface ChangeSet {
  /** Changes the set holds, by id, in order (a cache key and a label in the logs). */
  ids: string[];
  phrases: Array<{ lang: Lang; intent: Label; text: string }>;
  facts: Array<{ lang: Lang; factId: string; text: string }>;
}

export interface VersionStamp { n: number; token: string; at: string }

const NS = 'teach';
const VERSION_NS = 'teach-version';
const VERSION_ID = 'current';
export const MAX_TEACH_TEXT = 300;

/**
 * Staff's training changes as data in the staff store: one value per change (so two reviewers
 * applying at once on two instances lose nothing) and a version stamp that every instance polls.
 */
export class TeachChanges {
  constructor(private readonly kv: StaffKv, private readonly now: () => Date = () => new Date()) {}

  /** Oldest first. */
  async all(): Promise<TeachChange[]> {
    const list = await this.kv.list<TeachChange>(NS);
    return list.sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id));
  }

  get(id: string): Promise<TeachChange | undefined> {
    return /^c[a-z0-9]{8,40}$/.test(id) ? this.kv.get<TeachChange>(NS, id) : Promise.resolve(undefined);
  }

  async active(): Promise<TeachChange[]> {
    return (await this.all()).filter((c) => !c.reverted);
  }

  async add(change: Omit<TeachChange, 'id' | 'appliedAt'>): Promise<TeachChange> {
    const at = this.now();
    const full: TeachChange = { id: `c${at.getTime().toString(36)}${randomBytes(4).toString('hex')}`, appliedAt: at.toISOString(), ...change };
    await this.kv.set(NS, full.id, full);
    await this.bump();
    return full;
  }

  async revert(id: string, by: string): Promise<TeachChange | undefined> {
    const change = await this.get(id);
    if (!change || change.reverted) return undefined;
    change.reverted = { by, at: this.now().toISOString() };
    await this.kv.set(NS, id, change);
    await this.bump();
    return change;
  }

  version(): Promise<VersionStamp | undefined> {
    return this.kv.get<VersionStamp>(VERSION_NS, VERSION_ID);
  }

  /** A new stamp after every write: pollers compare the whole stamp, so a lost increment still reads as a change. */
  private async bump(): Promise<void> {
    const prev = await this.version();
    await this.kv.set<VersionStamp>(VERSION_NS, VERSION_ID, { n: (prev?.n ?? 0) + 1, token: randomBytes(6).toString('hex'), at: this.now().toISOString() });
  }
}

export function changeSet(changes: TeachChange[]): ChangeSet {
  const set: ChangeSet = { ids: [], phrases: [], facts: [] };
  for (const c of changes) {
    if (c.reverted) continue;
    set.ids.push(c.id);
    set.phrases.push(...(c.teaching.kind === 'phrase' ? [{ lang: c.teaching.lang, intent: c.teaching.intent, text: c.teaching.text }] : []));
    set.facts.push(...(c.teaching.kind === 'fact' ? [{ lang: c.teaching.lang, factId: c.teaching.factId, text: c.teaching.text }] : []));
  }
  return set;
}

export function withTeaching(set: ChangeSet, t: Teaching, id = 'candidate'): ChangeSet {
  return {
    ids: [...set.ids, id],
    phrases: t.kind === 'phrase' ? [...set.phrases, { lang: t.lang, intent: t.intent, text: t.text }] : set.phrases,
    facts: t.kind === 'fact' ? [...set.facts, { lang: t.lang, factId: t.factId, text: t.text }] : set.facts,
  };
}

/** The set's phrases not already in the shipped training data, per language and intent. */
export function addedPhrases(base: Record<Lang, TrainingData>, set: ChangeSet): Record<Lang, TrainingData> {
  const out: Record<Lang, TrainingData> = { lv: {}, en: {} };
  for (const p of set.phrases) {
    const known = [...(base[p.lang][p.intent] ?? []), ...(out[p.lang][p.intent] ?? [])];
    if (!known.some((x) => samePhrase(x, p.text))) (out[p.lang][p.intent] ??= []).push(p.text);
  }
  return out;
}

export function samePhrase(a: string, b: string): boolean {
  return normalizePhrase(a).toLowerCase() === normalizePhrase(b).toLowerCase();
}

/** One line, single spaces, at most MAX_TEACH_TEXT characters. */
export function normalizePhrase(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, MAX_TEACH_TEXT);
}

/**
 * What a developer merges: per language, the phrases to add to locales/<lang>/training.json (same
 * shape: intent -> phrases) and to the facts' `answers` in knowledge/facts.json (fact id -> phrases).
 */
export function exportChanges(changes: TeachChange[]): {
  training: Record<Lang, TrainingData>;
  factAnswers: Record<Lang, Record<string, string[]>>;
  changes: Array<{ id: string; appliedBy: string; appliedAt: string } & Teaching>;
} {
  const set = changeSet(changes);
  const training: Record<Lang, TrainingData> = { lv: {}, en: {} };
  for (const p of set.phrases) (training[p.lang][p.intent] ??= []).push(p.text);
  const factAnswers: Record<Lang, Record<string, string[]>> = { lv: {}, en: {} };
  for (const f of set.facts) (factAnswers[f.lang][f.factId] ??= []).push(f.text);
  return {
    training, factAnswers,
    changes: changes.filter((c) => !c.reverted).map((c) => ({ id: c.id, appliedBy: c.appliedBy, appliedAt: c.appliedAt, ...c.teaching })),
  };
}

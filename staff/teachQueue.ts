import { createHash } from 'node:crypto';
import type { Lang } from '../nlu/languagePack';
import { PACKS } from '../nlu/packs';
import { analyze } from '../nlu/pipeline';
import type { Rating, RatingStore } from '../storage/ratingStore';
import type { TranscriptRecord, TranscriptStore } from '../storage/transcriptStore';
import type { StaffKv } from './kv';
import type { Reviews } from './reviews';

/** Why a message is in the queue. */
export type QueueReason = 'fallback' | 'clarified' | 'low_score' | 'thumbs_down' | 'verdict';
export const QUEUE_REASONS: QueueReason[] = ['fallback', 'clarified', 'low_score', 'thumbs_down', 'verdict'];
export const QUEUE_TABS = ['new', 'done', 'ignored'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

/** An answered message below this intent score is doubtful. */
export const LOW_SCORE = 0.6;

export interface QueueMessage {
  conversationId: string;
  /** The record's seq in its conversation. */
  seq: number;
  timestamp: string;
  lang: Lang;
  /** Redacted, as stored. */
  text: string;
  intent?: string;
  score?: number;
  reasons: QueueReason[];
}

export interface QueueGroup {
  /** A short hash of `key`: the group's id in links and the store. */
  id: string;
  /** The language and the sorted content stems: "lv:atrod kur". */
  key: string;
  lang: Lang;
  stems: string[];
  count: number;
  /** ISO week ("2026-W49", Riga time) -> messages. */
  perWeek: Array<{ week: string; count: number }>;
  reasons: Partial<Record<QueueReason, number>>;
  conversations: string[];
  /** Newest first. */
  messages: QueueMessage[];
  lastTimestamp: string;
  status: QueueTab;
  statusBy?: string;
  statusAt?: string;
}

interface GroupStatus { id: string; status: 'done' | 'ignored'; by: string; at: string }
const STATUS_NS = 'teach-queue';
const BATCH = 64;

/**
 * The group of a message, by the NLU's own normalisation: the language pack's normalizer,
 * tokenizer and stemmer, without stopwords and numbers, as a sorted set. "Kur jūs atrodaties?"
 * and "kur atrodaties jūs" fall together; the message's own words, not the model's guess, decide.
 */
export function groupKey(text: string, lang: Lang): { key: string; stems: string[] } {
  const pack = PACKS[lang];
  const { words, stems } = analyze(text.replace(/\[(IBAN|EMAIL|PHONE|CARD|PERSONAL_CODE)\]/g, ' '), pack);
  const content = stems.filter((s, i) => !pack.stopwords.has(words[i]!) && !/\d/.test(s) && s.length > 1);
  const sorted = [...new Set(content.length ? content : stems)].sort();
  return { key: `${lang}:${sorted.join(' ')}`, stems: sorted };
}

export function groupId(key: string): string {
  return `g${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** ISO 8601 week of a time, on the Riga calendar: "2026-W49". */
export function isoWeek(iso: string): string {
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(new Date(iso));
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - weekday + 3);
  const year = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Which of a conversation's user messages are unanswered or doubtful, and why. */
export function doubtfulMessages(records: TranscriptRecord[], ratings: Rating[], verdict?: string): QueueMessage[] {
  const out = new Map<number, QueueMessage>();
  const add = (r: TranscriptRecord, reason: QueueReason) => {
    if (r.from !== 'user' || !r.text?.trim() || !r.language || r.seq === undefined) return;
    const m = out.get(r.seq) ?? {
      conversationId: r.conversationId, seq: r.seq, timestamp: r.timestamp, lang: r.language, text: r.text,
      ...(r.intent ? { intent: r.intent } : {}), ...(r.score !== undefined ? { score: r.score } : {}), reasons: [],
    };
    if (!m.reasons.includes(reason)) m.reasons.push(reason);
    out.set(r.seq, m);
  };
  // questions, not ratings, guide answers or small talk
  const question = (r: TranscriptRecord) => r.from === 'user' && (r.outcome === 'answered' || r.outcome === 'fallback' || r.outcome === 'clarified');
  for (const r of records) {
    if (r.from !== 'user') continue;
    if (r.outcome === 'fallback') add(r, 'fallback');
    else if (r.outcome === 'clarified') add(r, 'clarified');
    else if (r.outcome === 'answered' && r.score !== undefined && r.score < LOW_SCORE) add(r, 'low_score');
  }
  for (const rating of ratings) {
    if (rating.kind !== 'helpful' || rating.value !== 0) continue;
    // the question is the user message before the rated answer (or before the rating, without its id)
    const at = rating.activityId ? records.findIndex((r) => r.from === 'bot' && r.activityId === rating.activityId) : -1;
    const end = at >= 0 ? at : records.findIndex((r) => r.timestamp > rating.timestamp);
    const before = (end >= 0 ? records.slice(0, end) : records).filter(question);
    const asked = before[before.length - 1];
    if (asked) add(asked, 'thumbs_down');
  }
  if (verdict === 'missing' || verdict === 'wrong') for (const r of records) if (question(r)) add(r, 'verdict');
  return [...out.values()];
}

/** The queue of unanswered and doubtful questions, grouped; statuses (done, ignored) in the staff store. */
export class TeachQueue {
  constructor(
    private readonly deps: { transcripts: TranscriptStore; ratings: RatingStore; reviews: Reviews; kv: StaffKv },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async groups(from: Date, to: Date): Promise<QueueGroup[]> {
    const { transcripts, ratings, reviews, kv } = this.deps;
    const [summaries, ratingList, reviewMap, statuses] = await Promise.all([
      transcripts.list({ from, to, limit: 1_000_000 }),
      ratings.list({ from, to: new Date(to.getTime() + 86_400_000), kind: 'helpful' }),
      reviews.all(),
      kv.list<GroupStatus>(STATUS_NS),
    ]);
    const byConversation = new Map<string, Rating[]>();
    for (const r of ratingList) byConversation.set(r.conversationId, [...(byConversation.get(r.conversationId) ?? []), r]);
    const groups = new Map<string, QueueGroup>();
    for (let i = 0; i < summaries.length; i += BATCH) {
      const batch = summaries.slice(i, i + BATCH);
      const records = await Promise.all(batch.map((s) => transcripts.get(s.conversationId)));
      batch.forEach((s, j) => {
        const messages = doubtfulMessages(records[j]!, byConversation.get(s.conversationId) ?? [], reviewMap.get(s.conversationId)?.verdict);
        for (const m of messages) {
          if (m.timestamp < from.toISOString() || m.timestamp >= to.toISOString()) continue;
          const { key, stems } = groupKey(m.text, m.lang);
          const id = groupId(key);
          const g = groups.get(id) ?? { id, key, lang: m.lang, stems, count: 0, perWeek: [], reasons: {}, conversations: [], messages: [], lastTimestamp: '', status: 'new' as QueueTab };
          g.count++;
          g.messages.push(m);
          if (!g.conversations.includes(m.conversationId)) g.conversations.push(m.conversationId);
          for (const reason of m.reasons) g.reasons[reason] = (g.reasons[reason] ?? 0) + 1;
          if (m.timestamp > g.lastTimestamp) g.lastTimestamp = m.timestamp;
          groups.set(id, g);
        }
      });
    }
    const statusById = new Map(statuses.map((s) => [s.id, s]));
    for (const g of groups.values()) {
      g.messages.sort((a, b) => b.timestamp.localeCompare(a.timestamp));
      const weeks = new Map<string, number>();
      for (const m of g.messages) weeks.set(isoWeek(m.timestamp), (weeks.get(isoWeek(m.timestamp)) ?? 0) + 1);
      g.perWeek = [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([week, count]) => ({ week, count }));
      const s = statusById.get(g.id);
      if (s) Object.assign(g, { status: s.status, statusBy: s.by, statusAt: s.at });
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || b.lastTimestamp.localeCompare(a.lastTimestamp));
  }

  async setStatus(id: string, status: QueueTab, by: string): Promise<void> {
    if (!/^g[0-9a-f]{16}$/.test(id)) throw new TypeError('bad group id');
    if (status === 'new') return this.deps.kv.delete(STATUS_NS, id);
    await this.deps.kv.set<GroupStatus>(STATUS_NS, id, { id, status, by, at: this.now().toISOString() });
  }
}

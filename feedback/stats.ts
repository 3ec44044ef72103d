import type { Rating } from '../storage/ratingStore';

/** Numbers for staff over a time range. Rates and averages are rounded to 2 decimals. */
export interface FeedbackStats {
  /** ISO 8601; `from` inclusive, `to` exclusive. */
  range: { from: string; to: string };
  csat: {
    count: number;
    /** null when there is no csat rating. */
    average: number | null;
    distribution: Record<1 | 2 | 3 | 4 | 5, number>;
  };
  helpful: {
    count: number;
    up: number;
    down: number;
    /** up / count; null when count is 0. */
    rate: number | null;
    /** One row per intent and language, most ratings first. */
    byTopic: TopicRow[];
  };
  /** Ratings with a comment, newest first. */
  comments: CommentRow[];
  /** Up to 5 intents with thumbs down (any language), most downs first; ties: lower rate first. */
  mostThumbsDown: ThumbsDownRow[];
}

/** `intent: null` groups the ratings given without an intent. */
export interface TopicRow {
  intent: string | null;
  language: 'lv' | 'en';
  up: number;
  down: number;
  rate: number;
}

export interface CommentRow {
  kind: Rating['kind'];
  value: number;
  intent?: string;
  language: 'lv' | 'en';
  comment: string;
  timestamp: string;
  /** To open the conversation's transcript. */
  conversationId: string;
}

export interface ThumbsDownRow {
  intent: string | null;
  down: number;
  rate: number;
}

const MOST_THUMBS_DOWN = 5;

/** Pure: the same ratings and range always give the same numbers. */
export function feedbackStats(ratings: readonly Rating[], range: { from: Date; to: Date }): FeedbackStats {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const inRange = ratings.filter((r) => {
    const t = Date.parse(r.timestamp);
    return t >= from && t < to;
  });

  const distribution: Record<1 | 2 | 3 | 4 | 5, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let csatCount = 0;
  let csatSum = 0;
  let up = 0;
  let down = 0;
  const topics = new Map<string, { intent: string | null; language: 'lv' | 'en'; up: number; down: number }>();
  const intents = new Map<string | null, { up: number; down: number }>();

  for (const r of inRange) {
    if (r.kind === 'csat') {
      if (!(r.value in distribution)) continue; // the stores never hold one; a hand-made list might
      distribution[r.value as 1 | 2 | 3 | 4 | 5] += 1;
      csatCount += 1;
      csatSum += r.value;
      continue;
    }
    const thumbsUp = r.value === 1;
    if (thumbsUp) up += 1;
    else down += 1;
    const intent = r.intent ?? null;
    const key = JSON.stringify([intent, r.language]);
    const topic = topics.get(key) ?? { intent, language: r.language, up: 0, down: 0 };
    const perIntent = intents.get(intent) ?? { up: 0, down: 0 };
    for (const row of [topic, perIntent]) row[thumbsUp ? 'up' : 'down'] += 1;
    topics.set(key, topic);
    intents.set(intent, perIntent);
  }

  const byTopic = [...topics.values()]
    .sort((a, b) => b.up + b.down - (a.up + a.down) || compareIntents(a.intent, b.intent) || compareText(a.language, b.language))
    .map((t) => ({ ...t, rate: ratio(t.up, t.up + t.down) }));

  const mostThumbsDown = [...intents]
    .filter(([, c]) => c.down > 0)
    .sort(([ia, a], [ib, b]) => b.down - a.down || a.up / (a.up + a.down) - b.up / (b.up + b.down) || compareIntents(ia, ib))
    .slice(0, MOST_THUMBS_DOWN)
    .map(([intent, c]) => ({ intent, down: c.down, rate: ratio(c.up, c.up + c.down) }));

  const comments = inRange
    .filter((r): r is Rating & { comment: string } => typeof r.comment === 'string' && r.comment !== '')
    .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || compareText(a.id, b.id))
    .map((r) => ({
      kind: r.kind,
      value: r.value,
      ...(r.intent !== undefined ? { intent: r.intent } : {}),
      language: r.language,
      comment: r.comment,
      timestamp: r.timestamp,
      conversationId: r.conversationId,
    }));

  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    csat: { count: csatCount, average: csatCount ? ratio(csatSum, csatCount) : null, distribution },
    helpful: { count: up + down, up, down, rate: up + down ? ratio(up, up + down) : null, byTopic },
    comments,
    mostThumbsDown,
  };
}

/** a / b rounded to 2 decimals, computed on integers so 0.125 does not become 0.12. */
function ratio(a: number, b: number): number {
  return Math.round((a * 100) / b) / 100;
}

/** Named intents alphabetically, the unnamed (null) last. */
function compareIntents(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

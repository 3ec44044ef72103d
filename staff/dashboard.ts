import { feedbackStats, type FeedbackStats } from '../feedback/stats';
import { toIsoDate } from '../knowledge/calendarRules';
import { localNow } from '../knowledge/opening';
import type { Rating } from '../storage/ratingStore';
import type { ConversationSummary } from '../storage/transcriptStore';
import type { Digest } from './conversations';

export interface Dashboard {
  range: { from: string; to: string };
  conversations: { total: number; perDay: Array<{ day: string; count: number }> };
  /**
   * User turns that asked something: answered, fallback, clarified or a guide started.
   * answeredRate = not fallback / questions. Counted over the conversations active in the range.
   */
  turns: {
    questions: number;
    fallback: number;
    clarified: number;
    answeredRate: number | null;
    fallbackRate: number | null;
    clarificationRate: number | null;
    guidesStarted: number;
    guidesFinished: number;
  };
  topIntents: Array<{ intent: string; turns: number }>;
  csatPerDay: Array<{ day: string; count: number; average: number | null }>;
  /** Exactly /api/staff/feedback's numbers for the same range. */
  feedback: FeedbackStats;
}

const TOP_INTENTS = 10;

/** Riga calendar day (YYYY-MM-DD) of an instant. */
export function rigaDay(t: Date): string {
  return toIsoDate(localNow(t).date);
}

/** Pure: the numbers of the dashboard from what the stores hold for the range. */
export function dashboard(
  range: { from: Date; to: Date },
  days: string[],
  conversations: Array<{ summary: ConversationSummary; digest: Digest }>,
  ratings: Rating[],
): Dashboard {
  const perDay = new Map(days.map((d) => [d, 0]));
  const intents = new Map<string, number>();
  const o = { answered: 0, fallback: 0, clarified: 0, guide_started: 0, guide_finished: 0 };
  for (const { summary, digest } of conversations) {
    const day = rigaDay(new Date(Math.max(Date.parse(summary.firstTimestamp), range.from.getTime())));
    if (perDay.has(day)) perDay.set(day, perDay.get(day)! + 1);
    for (const k of Object.keys(o) as Array<keyof typeof o>) o[k] += digest.outcomes[k] ?? 0;
    for (const [intent, n] of Object.entries(digest.intents)) intents.set(intent, (intents.get(intent) ?? 0) + n);
  }
  const questions = o.answered + o.fallback + o.clarified + o.guide_started;
  const rate = (n: number) => (questions ? Math.round((n * 100) / questions) / 100 : null);

  const csat = new Map(days.map((d) => [d, { count: 0, sum: 0 }]));
  for (const r of ratings) {
    const t = Date.parse(r.timestamp);
    if (r.kind !== 'csat' || t < range.from.getTime() || t >= range.to.getTime()) continue;
    const bucket = csat.get(rigaDay(new Date(t)));
    if (bucket) {
      bucket.count += 1;
      bucket.sum += r.value;
    }
  }

  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    conversations: { total: conversations.length, perDay: [...perDay].map(([day, count]) => ({ day, count })) },
    turns: {
      questions,
      fallback: o.fallback,
      clarified: o.clarified,
      answeredRate: rate(questions - o.fallback),
      fallbackRate: rate(o.fallback),
      clarificationRate: rate(o.clarified),
      guidesStarted: o.guide_started,
      guidesFinished: o.guide_finished,
    },
    topIntents: [...intents]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_INTENTS)
      .map(([intent, turns]) => ({ intent, turns })),
    csatPerDay: [...csat].map(([day, c]) => ({ day, count: c.count, average: c.count ? Math.round((c.sum * 100) / c.count) / 100 : null })),
    feedback: feedbackStats(ratings, range),
  };
}

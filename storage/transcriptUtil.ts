import { z } from 'zod';
import type { ConversationSummary, TranscriptFilter, TranscriptRecord } from './transcriptStore';

export const DEFAULT_LIST_LIMIT = 100;

export const recordSchema = z
  .object({
    conversationId: z.string().min(1),
    timestamp: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date'),
    from: z.enum(['user', 'bot']),
    channelId: z.string().min(1),
    language: z.enum(['lv', 'en']).optional(),
    intent: z.string().optional(),
    score: z.number().optional(),
    type: z.string().min(1),
    text: z.string().optional(),
    activityId: z.string().optional(),
  })
  .passthrough();

const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
const optional = (v: unknown, type: 'string' | 'number') => v === undefined || (typeof v === type && (type !== 'number' || !Number.isNaN(v)));

/** The schema's checks written out for the records the bot writes every turn: true only when recordSchema accepts it too. */
function plainlyValid(r: Record<string, unknown>): boolean {
  return nonEmpty(r.conversationId) && typeof r.timestamp === 'string' && !Number.isNaN(Date.parse(r.timestamp))
    && (r.from === 'user' || r.from === 'bot') && nonEmpty(r.channelId) && nonEmpty(r.type)
    && (r.language === undefined || r.language === 'lv' || r.language === 'en')
    && optional(r.intent, 'string') && optional(r.score, 'number') && optional(r.text, 'string') && optional(r.activityId, 'string');
}

/** Throws on a malformed record; returns it without any caller-supplied seq. */
export function validateRecord(record: TranscriptRecord): Omit<TranscriptRecord, 'seq'> {
  const result = typeof record === 'object' && record !== null && plainlyValid(record as unknown as Record<string, unknown>) ? { success: true as const } : recordSchema.safeParse(record);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TypeError(`Invalid transcript record: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const { seq: _ignored, ...rest } = record;
  return rest;
}

/** Shared by both implementations so their list() behaves alike. */
export function matchesFilter(s: ConversationSummary, filter: TranscriptFilter): boolean {
  if (filter.from && Date.parse(s.lastTimestamp) < filter.from.getTime()) return false;
  if (filter.to && Date.parse(s.firstTimestamp) > filter.to.getTime()) return false;
  if (filter.channel !== undefined && s.channelId !== filter.channel) return false;
  if (filter.language !== undefined && !s.languages.includes(filter.language)) return false;
  if (filter.intent !== undefined && !s.intents.includes(filter.intent)) return false;
  return true;
}

import { z } from 'zod';
import type { ConversationSummary, TranscriptFilter, TranscriptRecord } from './transcriptStore';

export const DEFAULT_LIST_LIMIT = 100;

const recordSchema = z
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

/** Throws on a malformed record; returns it without any caller-supplied seq. */
export function validateRecord(record: TranscriptRecord): Omit<TranscriptRecord, 'seq'> {
  const result = recordSchema.safeParse(record);
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

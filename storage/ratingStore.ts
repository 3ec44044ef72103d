import { z } from 'zod';
import { redact } from '../privacy/redact';

/** One rating a user gave: a thumbs up/down on an answer, or the conversation's satisfaction score. */
export interface Rating {
  /** Assigned by the caller (a uuid); letters, digits and `._:-`, at most 128 characters. */
  id: string;
  conversationId: string;
  kind: 'helpful' | 'csat';
  /** helpful: 1 (thumbs up) or 0 (down); csat: 1..5. */
  value: number;
  /** The bot activity the rating is about (helpful). */
  activityId?: string;
  /** The topic/intent rated. */
  intent?: string;
  language: 'lv' | 'en';
  channelId: string;
  /** ISO 8601 with a time zone (Z or an offset). */
  timestamp: string;
  /** Stored redacted: the store redacts it (storage/redact.ts); the caller may pass raw text. */
  comment?: string;
}

export interface RatingFilter {
  /** Ratings at or after this time. */
  from?: Date;
  /** Ratings before this time (exclusive, like feedbackStats' range). */
  to?: Date;
  kind?: 'helpful' | 'csat';
  language?: 'lv' | 'en';
  channelId?: string;
}

/**
 * Ratings for the feedback numbers staff read. A helpful rating is appended; a conversation
 * has at most ONE csat: a second replaces the first. An `add` with an id the conversation
 * already has replaces that rating (a retried add does not count twice).
 */
export interface RatingStore {
  add(r: Rating): Promise<void>;
  /** Redacted before storing; an unknown id (or conversation) is a no-op. */
  setComment(conversationId: string, ratingId: string, comment: string): Promise<void>;
  /** By timestamp ascending (ties: conversationId, then id). */
  list(filter: RatingFilter): Promise<Rating[]>;
  deleteConversation(conversationId: string): Promise<void>;
  /** Resolves when every write started before the call has been stored. */
  flush(): Promise<void>;
}

/** Comments are cut to this many characters, after redaction (so a cut never exposes digits). */
export const MAX_COMMENT_LENGTH = 2000;

const RATING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const ratingSchema = z
  .object({
    id: z.string().regex(RATING_ID, 'must be 1-128 letters, digits or ._:- (a uuid)'),
    conversationId: z.string().min(1).max(512),
    kind: z.enum(['helpful', 'csat']),
    value: z.number().int(),
    activityId: z.string().min(1).max(512).optional(),
    intent: z.string().min(1).max(200).optional(),
    language: z.enum(['lv', 'en']),
    channelId: z.string().min(1).max(100),
    timestamp: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
    comment: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    const ok = r.kind === 'helpful' ? r.value === 0 || r.value === 1 : r.value >= 1 && r.value <= 5;
    if (!ok) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['value'],
        message: r.kind === 'helpful' ? 'must be 1 (thumbs up) or 0 (thumbs down) for a helpful rating' : 'must be 1..5 for a csat rating',
      });
    }
  });

/**
 * Checks a rating and returns the copy to store: unknown properties dropped, the comment
 * redacted (and dropped when blank). Throws a TypeError naming the bad field.
 */
export function validateRating(input: Rating): Rating {
  const result = ratingSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || 'rating';
    throw new TypeError(`Invalid rating: ${field} ${issue?.message ?? ''}`.trim());
  }
  const { comment, ...rest } = result.data;
  const clean: Rating = { ...rest };
  if (comment !== undefined && comment.trim() !== '') clean.comment = cleanComment(comment);
  return clean;
}

/** Redacts and bounds a comment; throws on a blank or non-string one. */
export function cleanComment(comment: string): string {
  if (typeof comment !== 'string' || comment.trim() === '') throw new TypeError('Invalid comment: must be non-empty text');
  return redact(comment.trim()).slice(0, MAX_COMMENT_LENGTH);
}

/** Checks setComment's identifiers (a bad one could never match a stored rating anyway). */
export function validateCommentTarget(conversationId: string, ratingId: string): void {
  if (typeof conversationId !== 'string' || conversationId === '') throw new TypeError('Invalid rating: conversationId must not be empty');
  if (typeof ratingId !== 'string' || ratingId === '') throw new TypeError('Invalid rating: id must not be empty');
}

/** Shared by both implementations so their list() behaves alike. */
export function matchesRatingFilter(r: Rating, filter: RatingFilter): boolean {
  const t = Date.parse(r.timestamp);
  if (filter.from && t < filter.from.getTime()) return false;
  if (filter.to && t >= filter.to.getTime()) return false;
  if (filter.kind !== undefined && r.kind !== filter.kind) return false;
  if (filter.language !== undefined && r.language !== filter.language) return false;
  if (filter.channelId !== undefined && r.channelId !== filter.channelId) return false;
  return true;
}

export function compareRatings(a: Rating, b: Rating): number {
  return (
    Date.parse(a.timestamp) - Date.parse(b.timestamp) ||
    cmp(a.conversationId, b.conversationId) ||
    cmp(a.id, b.id)
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

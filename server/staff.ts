import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { feedbackStats } from '../feedback/stats';
import { addDays, daysBetween, parseIsoDate, type LocalDate } from '../knowledge/calendarRules';
import { localNow } from '../knowledge/opening';
import { isStorageUnavailable } from '../storage/errors';
import type { Stores } from '../storage';
import type { TranscriptFilter } from '../storage/transcriptStore';
import type { Logger } from './logger';

export interface StaffRouterOptions {
  /** STAFF_TOKEN. Unset or empty: every staff route answers 503. */
  token?: string;
  stores: Pick<Stores, 'storage' | 'transcripts' | 'ratings'>;
  logger: Logger;
  /** More copies of a conversation to erase with it (the local Direct Line's). */
  erase?: Array<(conversationId: string) => Promise<void>>;
  /** The current time; tests pin it. */
  now?: () => Date;
  /**
   * STAFF_API_ERASE: erasure through the API key. Off by default: the key is read-only and erasure
   * is done by an admin in the staff console, where it is audited.
   */
  allowErase?: boolean;
}

/** Where a conversation's bot state may live when its transcript does not name the channel. */
export const KNOWN_CHANNEL_IDS = ['webchat', 'directline', 'msteams', 'telegram', 'emulator', 'test'] as const;

/** Default window of the feedback numbers, in Riga calendar days, today included. */
export const DEFAULT_FEEDBACK_DAYS = 30;
/** Longest window one request may ask for (bounds the work of one request). */
export const MAX_RANGE_DAYS = 366;
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;

class BadRequest extends Error {}

/**
 * The staff API under /api/staff, for the review pages to come: feedback numbers, transcripts,
 * and erasing a conversation. Every route needs `Authorization: Bearer <STAFF_TOKEN>`. Dates
 * are days of the Riga calendar (YYYY-MM-DD), both ends included.
 */
export function createStaffRouter(options: StaffRouterOptions): express.Router {
  const { stores, logger } = options;
  const now = options.now ?? (() => new Date());
  const expected = options.token ? digest(options.token) : undefined;

  const staff = express.Router();
  staff.use((req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    if (!expected) {
      res.status(503).json({ error: 'staff API disabled: set STAFF_TOKEN' });
      return;
    }
    const match = /^Bearer +([^\s]+) *$/i.exec(req.get('authorization') ?? '');
    // Both sides hashed to equal length first: timingSafeEqual needs it, and the token's length does not leak.
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      res.set('WWW-Authenticate', match ? 'Bearer realm="staff", error="invalid_token"' : 'Bearer realm="staff"');
      res.status(401).json({ error: 'unauthorized: send Authorization: Bearer <STAFF_TOKEN>' });
      return;
    }
    next();
  });

  const handle =
    (route: string, fn: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await fn(req, res);
      } catch (err) {
        if (err instanceof BadRequest) {
          res.status(400).json({ error: err.message });
          return;
        }
        // Everything else here is a store call failing: answer, never crash or hang.
        const name = err instanceof Error ? err.name : typeof err;
        const detail = err instanceof Error ? err.message.slice(0, 200) : '';
        if (isStorageUnavailable(err)) logger.warn('staff: storage unavailable', { route, error: name, detail });
        else logger.error('staff: storage error', { route, error: name, detail });
        if (!res.headersSent) res.status(503).json({ error: 'storage unavailable, try again later' });
      }
    };

  staff.get(
    '/feedback',
    handle('feedback', async (req, res) => {
      const today = localNow(now()).date;
      const toDay = day(req, 'to') ?? today;
      const fromDay = day(req, 'from') ?? addDays(toDay, 1 - DEFAULT_FEEDBACK_DAYS);
      const range = dayRange(fromDay, toDay);
      const ratings = await stores.ratings.list({ from: range.from, to: range.to });
      res.json(feedbackStats(ratings, range));
    }),
  );

  staff.get(
    '/transcripts',
    handle('transcripts', async (req, res) => {
      const fromDay = day(req, 'from');
      const toDay = day(req, 'to');
      if (fromDay && toDay) dayRange(fromDay, toDay); // checks the order
      const filter: TranscriptFilter = { limit: limit(req) };
      if (fromDay) filter.from = rigaMidnight(fromDay);
      // The store's `to` is inclusive: the last millisecond of the day.
      if (toDay) filter.to = new Date(rigaMidnight(addDays(toDay, 1)).getTime() - 1);
      const channel = text(req, 'channel');
      if (channel) filter.channel = channel;
      const intent = text(req, 'intent');
      if (intent) filter.intent = intent;
      const language = text(req, 'language');
      if (language !== undefined) {
        if (language !== 'lv' && language !== 'en') throw new BadRequest('language must be lv or en');
        filter.language = language;
      }
      res.json({ conversations: await stores.transcripts.list(filter) });
    }),
  );

  staff.get(
    '/transcripts/:conversationId',
    handle('transcript', async (req, res) => {
      const conversationId = param(req);
      const records = await stores.transcripts.get(conversationId);
      if (records.length === 0) {
        res.status(404).json({ error: 'no transcript for this conversation' });
        return;
      }
      res.json({ conversationId, records });
    }),
  );

  staff.delete(
    '/conversations/:conversationId',
    handle('erase', async (req, res) => {
      if (!options.allowErase) {
        res.status(403).json({ error: 'the staff API key is read-only: an admin erases a conversation in the staff console (/staff), where it is audited; set STAFF_API_ERASE=true to allow it here' });
        return;
      }
      const conversationId = param(req);
      const records = await stores.transcripts.get(conversationId);
      // The transcript's channels, and the known ones too: the transcript may already be pruned
      // while the state is not; deleting a key that does not exist costs nothing.
      const channels = new Set<string>([...records.map((r) => r.channelId), ...KNOWN_CHANNEL_IDS]);
      await stores.storage.delete([...channels].map((channelId) => conversationStateKey(channelId, conversationId)));
      await stores.ratings.deleteConversation(conversationId);
      for (const erase of options.erase ?? []) await erase(conversationId);
      // Last: until it is gone, a retry can still read the channel from it.
      await stores.transcripts.deleteConversation(conversationId);
      logger.warn('staff API: conversation erased with the API key (not in the console audit log)', { conversationId, records: records.length });
      res.status(204).end();
    }),
  );

  const router = express.Router();
  router.use('/api/staff', staff);
  return router;
}

/** botbuilder's ConversationState key (its namespace is empty). */
export function conversationStateKey(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}/`;
}

/** The instant a day of the Riga calendar starts (Riga changes the clock at 03:00/04:00, never at midnight). */
export function rigaMidnight(date: LocalDate): Date {
  const utcMidnight = Date.UTC(date.y, date.m - 1, date.d);
  for (const offsetHours of [2, 3]) {
    const t = new Date(utcMidnight - offsetHours * 3_600_000);
    const local = localNow(t);
    if (local.minutes === 0 && daysBetween(local.date, date) === 0) return t;
  }
  throw new RangeError(`no Riga midnight for ${date.y}-${date.m}-${date.d}`);
}

/** [start of `from`, start of the day after `to`) in Riga time; checks order and length. */
function dayRange(from: LocalDate, to: LocalDate): { from: Date; to: Date } {
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new BadRequest('from must not be after to');
  if (days > MAX_RANGE_DAYS) throw new BadRequest(`the range may span at most ${MAX_RANGE_DAYS} days`);
  return { from: rigaMidnight(from), to: rigaMidnight(addDays(to, 1)) };
}

function text(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 200) throw new BadRequest(`${name} must be given once, as text`);
  return value;
}

function day(req: Request, name: 'from' | 'to'): LocalDate | undefined {
  const value = text(req, name);
  if (value === undefined) return undefined;
  try {
    return parseIsoDate(value);
  } catch {
    throw new BadRequest(`${name} must be a date as YYYY-MM-DD`);
  }
}

function limit(req: Request): number {
  const value = text(req, 'limit');
  if (value === undefined) return DEFAULT_LIST_LIMIT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_LIST_LIMIT) throw new BadRequest(`limit must be a whole number 1-${MAX_LIST_LIMIT}`);
  return n;
}

function param(req: Request): string {
  const value = req.params.conversationId;
  if (typeof value !== 'string' || value === '' || value.length > 512) throw new BadRequest('bad conversation id');
  return value;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

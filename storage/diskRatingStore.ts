import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { clearStaleTmpFiles, writeFileAtomic } from './atomicFile';
import { isStorageUnavailable, StorageUnavailableError } from './errors';
import { KeyedMutex } from './keyedMutex';
import {
  cleanComment,
  compareRatings,
  matchesRatingFilter,
  validateCommentTarget,
  validateRating,
  type Rating,
  type RatingFilter,
  type RatingStore,
} from './ratingStore';

export interface DiskRatingStoreOptions {
  /** Root data directory; ratings go to `<dataDir>/ratings/ratings.jsonl`. Default `./data`. */
  dataDir?: string;
}

type LogEntry =
  | { op: 'add'; rating: Rating }
  | { op: 'comment'; conversationId: string; id: string; comment: string };

interface Pending {
  entry: LogEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

type Conversation = Map<string, Rating>;

const LOG_KEY = 'log';
/** Dead lines (replaced csat, overwritten comments) tolerated before the log is rewritten. */
const COMPACT_SLACK = 1000;

/**
 * Ratings as one append-only JSON Lines log of operations (add, comment) plus an in-memory
 * index rebuilt from it at start; a torn last line from a crash is skipped. Writes are
 * serialized and batched: calls that arrive while a write is pending go out in one append.
 * deleteConversation rewrites the log without the conversation (atomically), so erased
 * ratings are really gone from the disk, not just masked. One instance per directory.
 */
export class DiskRatingStore implements RatingStore {
  readonly dir: string;
  private readonly file: string;
  private readonly tmpDir: string;
  private readonly conversations = new Map<string, Conversation>();
  private readonly mutex = new KeyedMutex();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The batch that has not started writing yet. */
  private open?: Pending[];
  private initialized?: Promise<void>;
  /** Lines in the log, live or not, and ratings in memory: the compaction trigger. */
  private lines = 0;
  private live = 0;
  /** The log may end in a torn line (a crash, a failed append): the next append starts a new line. */
  private torn = false;
  /** A failed append may have left lines the index does not know; the next delete rewrites the log. */
  private diverged = false;

  constructor(options: DiskRatingStoreOptions = {}) {
    this.dir = path.join(path.resolve(options.dataDir ?? './data'), 'ratings');
    this.file = path.join(this.dir, 'ratings.jsonl');
    this.tmpDir = path.join(this.dir, '.tmp');
  }

  add(r: Rating): Promise<void> {
    let rating: Rating;
    try {
      rating = validateRating(r);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.enqueue({ op: 'add', rating });
  }

  setComment(conversationId: string, ratingId: string, comment: string): Promise<void> {
    let clean: string;
    try {
      validateCommentTarget(conversationId, ratingId);
      clean = cleanComment(comment);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.enqueue({ op: 'comment', conversationId, id: ratingId, comment: clean });
  }

  list(filter: RatingFilter = {}): Promise<Rating[]> {
    // Through the queue, so writes called earlier are included.
    return this.mutex.run(LOG_KEY, async () => {
      await this.init();
      const result: Rating[] = [];
      for (const conversation of this.conversations.values()) {
        for (const r of conversation.values()) if (matchesRatingFilter(r, filter)) result.push({ ...r });
      }
      return result.sort(compareRatings);
    });
  }

  deleteConversation(conversationId: string): Promise<void> {
    // Writes called after this start a new batch, queued behind the delete.
    this.open = undefined;
    return this.track(this.mutex.run(LOG_KEY, () => this.remove(conversationId)));
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private enqueue(entry: LogEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let batch = this.open;
      if (!batch) {
        const fresh: Pending[] = [];
        batch = fresh;
        this.open = fresh;
        this.track(
          this.mutex.run(LOG_KEY, () => {
            if (this.open === fresh) this.open = undefined;
            return this.writeBatch(fresh);
          }),
        );
      }
      batch.push({ entry, resolve, reject });
    });
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.init();
      // Applied to copies first: the index changes only once the append succeeded.
      const staged = new Map<string, Conversation>();
      const lines: string[] = [];
      for (const { entry } of batch) {
        const id = conversationOf(entry);
        let conversation = staged.get(id);
        if (!conversation) staged.set(id, (conversation = new Map(this.conversations.get(id))));
        if (apply(conversation, entry)) lines.push(JSON.stringify(entry));
      }
      if (lines.length > 0) {
        await fs.appendFile(this.file, `${this.torn ? '\n' : ''}${lines.join('\n')}\n`, 'utf8');
        this.torn = false;
        this.lines += lines.length;
      }
      for (const [id, conversation] of staged) {
        this.live += conversation.size - (this.conversations.get(id)?.size ?? 0);
        if (conversation.size > 0) this.conversations.set(id, conversation);
        else this.conversations.delete(id);
      }
      for (const p of batch) p.resolve();
    } catch (err) {
      this.torn = true;
      this.diverged = true;
      const error = wrap(err, 'appending ratings');
      for (const p of batch) p.reject(error);
      return;
    }
    // Housekeeping: a failure leaves the (valid) log as it was.
    if (this.lines > 2 * this.live + COMPACT_SLACK) await this.compact().catch(() => undefined);
  }

  private async remove(conversationId: string): Promise<void> {
    await this.init();
    if (!this.conversations.has(conversationId) && !this.diverged) return;
    const removed = this.conversations.get(conversationId);
    this.conversations.delete(conversationId);
    try {
      await this.compact();
    } catch (err) {
      if (removed) this.conversations.set(conversationId, removed);
      throw wrap(err, `deleting "${conversationId}"`);
    }
  }

  /** Rewrites the log as one add per live rating (atomically: the old or the new log, never half). */
  private async compact(): Promise<void> {
    const ratings = [...this.conversations.values()].flatMap((c) => [...c.values()]).sort(compareRatings);
    const body = ratings.map((rating) => `${JSON.stringify({ op: 'add', rating })}\n`).join('');
    await writeFileAtomic(this.file, body, this.tmpDir);
    this.lines = ratings.length;
    this.live = ratings.length;
    this.torn = false;
    this.diverged = false;
  }

  private init(): Promise<void> {
    this.initialized ??= this.load();
    return this.initialized.catch((err) => {
      this.initialized = undefined;
      throw wrap(err, 'initializing');
    });
  }

  private async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await clearStaleTmpFiles(this.tmpDir);
    let text = '';
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.conversations.clear();
    this.lines = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.lines += 1;
      const entry = parseEntry(line);
      if (!entry) continue; // a torn line from a crash mid-append, or a hand edit
      const id = conversationOf(entry);
      let conversation = this.conversations.get(id);
      if (!conversation) this.conversations.set(id, (conversation = new Map()));
      apply(conversation, entry);
      if (conversation.size === 0) this.conversations.delete(id);
    }
    this.live = [...this.conversations.values()].reduce((n, c) => n + c.size, 0);
    this.torn = text.length > 0 && !text.endsWith('\n');
    if (this.lines > 2 * this.live + COMPACT_SLACK) await this.compact();
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = (): void => {
      this.inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }
}

function conversationOf(entry: LogEntry): string {
  return entry.op === 'add' ? entry.rating.conversationId : entry.conversationId;
}

/** Applies one operation to a conversation's ratings; false when it changes nothing. */
function apply(conversation: Conversation, entry: LogEntry): boolean {
  if (entry.op === 'comment') {
    const rating = conversation.get(entry.id);
    if (!rating) return false;
    conversation.set(entry.id, { ...rating, comment: entry.comment });
    return true;
  }
  const { rating } = entry;
  if (rating.kind === 'csat') {
    for (const [id, other] of conversation) if (other.kind === 'csat' && id !== rating.id) conversation.delete(id);
  }
  conversation.set(rating.id, rating);
  return true;
}

/** A log line back to an entry, checked as strictly as a new write; undefined for garbage. */
function parseEntry(line: string): LogEntry | undefined {
  try {
    const raw = JSON.parse(line) as Record<string, unknown>;
    if (raw.op === 'add') return { op: 'add', rating: asStoredRating(raw.rating) ?? validateRating(raw.rating as Rating) };
    if (raw.op === 'comment' && typeof raw.conversationId === 'string' && typeof raw.id === 'string' && typeof raw.comment === 'string') {
      return { op: 'comment', conversationId: raw.conversationId, id: raw.id, comment: cleanComment(raw.comment) };
    }
  } catch {
    // unparsable or invalid: skipped
  }
  return undefined;
}

const RATING_KEYS = new Set(['id', 'conversationId', 'kind', 'value', 'activityId', 'intent', 'language', 'channelId', 'timestamp', 'comment']);
const RATING_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A line as add() wrote it (validated then), checked without zod: at start a year's ratings were
 * ~0.2 s of zod, on the staff console's first request. Anything else goes through validateRating.
 */
function asStoredRating(raw: unknown): Rating | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RATING_KEYS.has(key)) return undefined;
  const str = (v: unknown, max: number) => typeof v === 'string' && v.length >= 1 && v.length <= max;
  const opt = (v: unknown, max: number) => v === undefined || str(v, max);
  if (typeof r.id !== 'string' || !RATING_ID.test(r.id) || !str(r.conversationId, 512) || !str(r.channelId, 100)) return undefined;
  if (!opt(r.activityId, 512) || !opt(r.intent, 200) || (r.language !== 'lv' && r.language !== 'en')) return undefined;
  // Date#toISOString's own form only (what the bot writes); other forms are zod's to judge.
  if (typeof r.timestamp !== 'string' || !ISO_UTC.test(r.timestamp) || new Date(Date.parse(r.timestamp)).toISOString() !== r.timestamp) return undefined;
  const v = r.value;
  if (r.kind === 'helpful' ? v !== 0 && v !== 1 : r.kind !== 'csat' || !Number.isInteger(v) || (v as number) < 1 || (v as number) > 5) return undefined;
  if (r.comment !== undefined && (typeof r.comment !== 'string' || r.comment.trim() === '')) return undefined;
  const rating = { ...r } as unknown as Rating;
  if (rating.comment !== undefined) rating.comment = cleanComment(rating.comment);
  return rating;
}

/** File system errors (they carry a code) become StorageUnavailableError; bugs stay as they are. */
function wrap(err: unknown, what: string): unknown {
  // Duck-typed: errors from node's fs are not `instanceof Error` in every realm (jest's sandbox).
  const e = err as { code?: unknown; message?: unknown } | null;
  if (isStorageUnavailable(err) || typeof e?.code !== 'string') return err;
  return new StorageUnavailableError(`DiskRatingStore: failed ${what}: ${String(e.message)}`, err);
}

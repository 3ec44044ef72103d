import type { RatingStore, Rating } from '../storage/ratingStore';
import type { ConversationSummary, TranscriptRecord, TranscriptStore, TurnOutcome } from '../storage/transcriptStore';
import type { DigestArchive, StoredDigest } from './digestArchive';
import { fold, searchTerms } from './fold';
import type { Review, Reviews } from './reviews';

export const LIST_OUTCOMES = ['answered', 'fallback', 'clarified', 'guide_finished'] as const;
export type ListOutcome = (typeof LIST_OUTCOMES)[number];

export interface ConversationFilter {
  /** Activity at or after. */
  from?: Date;
  /** Activity before (exclusive). */
  to?: Date;
  channel?: string;
  language?: 'lv' | 'en';
  intent?: string;
  outcome?: ListOutcome;
  thumbsDown?: boolean;
  /** A CSAT of 1 or 2. */
  lowCsat?: boolean;
  hasComment?: boolean;
  notReviewed?: boolean;
  tag?: string;
  /** Words searched in the redacted text, diacritics folded. */
  q?: string;
}

export interface ConversationRow {
  conversationId: string;
  channelId: string;
  firstTimestamp: string;
  lastTimestamp: string;
  userMessages: number;
  languages: Array<'lv' | 'en'>;
  intents: string[];
  /** The first user message, redacted as stored. */
  firstQuestion: string;
  /** Distinct outcomes of the user's turns, in the order first met. */
  outcomes: TurnOutcome[];
  up: number;
  down: number;
  csat?: number;
  comments: number;
  reviewed: boolean;
  verdict?: Review['verdict'];
  tags: string[];
}

export interface ConversationPage {
  rows: ConversationRow[];
  total: number;
  page: number;
  pageSize: number;
}

/** What the list needs from a conversation's records, kept while its record count and last activity are unchanged. */
export interface Digest {
  records: number;
  firstQuestion: string;
  /** Folded text of every message, user's and bot's. */
  text: string;
  outcomes: Partial<Record<TurnOutcome, number>>;
  /** User turns per intent. */
  intents: Record<string, number>;
}

/** Digests kept in memory at most (whole days are dropped, oldest loaded first; the archive keeps them). */
const CACHE_LIMIT = 100_000;
/** Records read at once (files or Redis round trips). */
const DIGEST_BATCH = 64;
/** Ratings may come a little after the conversation's last message. */
const RATING_SLACK_MS = 24 * 3600 * 1000;
export const MAX_EXPORT = 10_000;
/** New digests are written to the archive this long after they are made (many at once). */
const SAVE_AFTER_MS = 2000;

interface Day {
  digests: Map<string, StoredDigest>;
  dirty: boolean;
}

/** The console's queries over the transcript, rating and review stores. */
export class ConversationQueries {
  /** Digests by day of last activity (UTC), read from the archive and made since. */
  private readonly days = new Map<string, Promise<Day>>();
  private cached = 0;
  private readonly making = new Map<string, Promise<Digest | undefined>>();
  private saveTimer?: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();

  /** `archive`: digests kept between runs; without one they live in memory only. */
  constructor(
    private readonly transcripts: TranscriptStore,
    private readonly ratings: RatingStore,
    private readonly reviews: Reviews,
    private readonly archive?: DigestArchive,
  ) {}

  async list(filter: ConversationFilter, page: number, pageSize: number): Promise<ConversationPage> {
    const start = (page - 1) * pageSize;
    if (!needsText(filter)) {
      // Only the page's conversations need their records read.
      const candidates = await this.candidates(filter);
      const rows = await this.rows(candidates.slice(start, start + pageSize));
      return { rows, total: candidates.length, page, pageSize };
    }
    const all = await this.matching(filter);
    return { rows: all.slice(start, start + pageSize), total: all.length, page, pageSize };
  }

  /** Every conversation the filter matches, newest first, up to `limit`. */
  async matching(filter: ConversationFilter, limit = Number.MAX_SAFE_INTEGER): Promise<ConversationRow[]> {
    const candidates = await this.candidates(filter);
    const terms = filter.q ? searchTerms(filter.q) : [];
    const out: ConversationRow[] = [];
    for (let i = 0; i < candidates.length && out.length < limit; i += DIGEST_BATCH) {
      const batch = candidates.slice(i, i + DIGEST_BATCH);
      const digests = await Promise.all(batch.map((c) => this.digest(c.summary)));
      batch.forEach((c, j) => {
        const d = digests[j];
        if (!d || out.length >= limit) return;
        if (filter.outcome && !d.outcomes[filter.outcome]) return;
        if (terms.length && !terms.every((t) => d.text.includes(t))) return;
        out.push(toRow(c, d));
      });
    }
    return out;
  }

  /** Conversations past the filters that need no records (store filters, ratings, reviews). */
  private async candidates(filter: ConversationFilter): Promise<Candidate[]> {
    const [summaries, ratingList, reviews] = await Promise.all([
      this.transcripts.list({
        ...(filter.from ? { from: filter.from } : {}),
        ...(filter.to ? { to: new Date(filter.to.getTime() - 1) } : {}),
        ...(filter.channel ? { channel: filter.channel } : {}),
        ...(filter.language ? { language: filter.language } : {}),
        ...(filter.intent ? { intent: filter.intent } : {}),
        limit: Number.MAX_SAFE_INTEGER,
      }),
      this.ratings.list({
        ...(filter.from ? { from: filter.from } : {}),
        ...(filter.to ? { to: new Date(filter.to.getTime() + RATING_SLACK_MS) } : {}),
      }),
      this.reviews.all(),
    ]);
    const ratings = groupRatings(ratingList);
    const tag = filter.tag?.trim().toLowerCase();
    const out: Candidate[] = [];
    for (const summary of summaries) {
      const review = reviews.get(summary.conversationId);
      const counts = ratingCounts(ratings.get(summary.conversationId) ?? []);
      if (filter.thumbsDown && counts.down === 0) continue;
      if (filter.lowCsat && !(counts.csat !== undefined && counts.csat <= 2)) continue;
      if (filter.hasComment && counts.comments === 0) continue;
      if (filter.notReviewed && review?.reviewed) continue;
      if (tag && !review?.tags.includes(tag)) continue;
      out.push({ summary, counts, review });
    }
    return out;
  }

  private async rows(candidates: Candidate[]): Promise<ConversationRow[]> {
    const digests = await Promise.all(candidates.map((c) => this.digest(c.summary)));
    return candidates.map((c, i) => toRow(c, digests[i] ?? EMPTY_DIGEST));
  }

  /** Reads ahead what a month's list and search need (at start: the first search is then fast too). */
  async warm(from: Date): Promise<number> {
    // The ratings and reviews first: on disk their first read loads files too.
    await Promise.all([this.ratings.list({ from }), this.reviews.all()]);
    const summaries = await this.transcripts.list({ from, limit: Math.floor(CACHE_LIMIT / 2) });
    for (let i = 0; i < summaries.length; i += DIGEST_BATCH) {
      await Promise.all(summaries.slice(i, i + DIGEST_BATCH).map((s) => this.digest(s)));
    }
    return summaries.length;
  }

  /** The digest of each conversation with activity in the range (for the dashboard). */
  async digestsIn(from: Date, to: Date): Promise<Array<{ summary: ConversationSummary; digest: Digest }>> {
    const summaries = await this.transcripts.list({ from, to: new Date(to.getTime() - 1), limit: Number.MAX_SAFE_INTEGER });
    const out: Array<{ summary: ConversationSummary; digest: Digest }> = [];
    for (let i = 0; i < summaries.length; i += DIGEST_BATCH) {
      const batch = summaries.slice(i, i + DIGEST_BATCH);
      const digests = await Promise.all(batch.map((s) => this.digest(s)));
      batch.forEach((summary, j) => {
        const digest = digests[j];
        if (digest) out.push({ summary, digest });
      });
    }
    return out;
  }

  records(conversationId: string): Promise<TranscriptRecord[]> {
    return this.transcripts.get(conversationId);
  }

  async ratingsOf(conversationId: string, around: { first: string; last: string }): Promise<Rating[]> {
    const from = new Date(Date.parse(around.first) - RATING_SLACK_MS);
    const to = new Date(Date.parse(around.last) + RATING_SLACK_MS);
    return (await this.ratings.list({ from, to })).filter((r) => r.conversationId === conversationId);
  }

  /** Drops a conversation's digest from memory and from the archive (erasure). */
  async forget(conversationId: string): Promise<void> {
    const changed: string[] = [];
    for (const [name, loading] of this.days) {
      const day = await loading;
      if (day.digests.delete(conversationId)) {
        this.cached--;
        changed.push(name);
      }
    }
    await Promise.all(changed.map((name) => this.save(name)));
    if (!this.archive) return;
    for (const name of await this.archive.days()) {
      if (this.days.has(name)) continue;
      const digests = await this.archive.read(name);
      if (digests.delete(conversationId)) await this.archive.write(name, digests);
    }
  }

  /**
   * Drops archived digests whose conversation is gone (retention, erasure through the API) or has
   * changed since; run daily. Returns how many.
   */
  async sweep(): Promise<number> {
    if (!this.archive) return 0;
    const names = (await this.archive.days()).sort();
    if (names.length === 0) return 0;
    const live = new Map<string, ConversationSummary>();
    const from = new Date(`${names[0]!}T00:00:00.000Z`);
    for (const s of await this.transcripts.list({ from, limit: Number.MAX_SAFE_INTEGER })) live.set(s.conversationId, s);
    let removed = 0;
    for (const name of names) {
      const loaded = this.days.get(name);
      const digests = loaded ? (await loaded).digests : await this.archive.read(name);
      let changed = false;
      for (const [id, d] of digests) {
        const s = live.get(id);
        if (s && s.lastTimestamp === d.last && s.records === d.records) continue;
        digests.delete(id);
        if (loaded) this.cached--;
        changed = true;
        removed++;
      }
      if (changed) await this.archive.write(name, digests);
    }
    return removed;
  }

  /** Resolves when the digests made so far are in the archive. */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.saveDirty();
  }

  private async digest(s: ConversationSummary): Promise<Digest | undefined> {
    const name = s.lastTimestamp.slice(0, 10);
    const day = await this.day(name);
    const kept = day.digests.get(s.conversationId);
    if (kept && kept.records === s.records && kept.last === s.lastTimestamp) return kept;
    // The read-ahead and a request at start may want the same one: it is read once.
    const key = `${s.conversationId}\n${s.records}`;
    let making = this.making.get(key);
    if (!making) {
      making = this.make(s, day).finally(() => this.making.delete(key));
      this.making.set(key, making);
    }
    return making;
  }

  private async make(s: ConversationSummary, day: Day): Promise<Digest | undefined> {
    const records = await this.transcripts.get(s.conversationId);
    if (records.length === 0) return undefined;
    const digest = makeDigest(records);
    const last = lastActivity(records);
    // Kept only when it is the conversation the summary describes (not one grown since).
    if (digest.records === s.records && last === s.lastTimestamp) {
      if (!day.digests.has(s.conversationId)) this.cached++;
      day.digests.set(s.conversationId, { ...digest, last });
      day.dirty = true;
      this.scheduleSave();
      this.evict();
    }
    return digest;
  }

  private day(name: string): Promise<Day> {
    let loading = this.days.get(name);
    if (!loading) {
      const read = this.archive ? this.archive.read(name).catch(() => new Map<string, StoredDigest>()) : Promise.resolve(new Map<string, StoredDigest>());
      loading = read.then((digests) => {
        this.cached += digests.size;
        return { digests, dirty: false };
      });
      this.days.set(name, loading);
    }
    return loading;
  }

  /** Above the limit, whole days leave memory, the first loaded first (those not yet saved stay). */
  private evict(): void {
    if (this.cached <= CACHE_LIMIT) return;
    for (const [name, loading] of this.days) {
      if (this.cached <= CACHE_LIMIT * 0.9) break;
      void loading.then((day) => {
        if (day.dirty || this.days.get(name) !== loading) return;
        this.days.delete(name);
        this.cached -= day.digests.size;
      });
    }
  }

  private scheduleSave(): void {
    if (!this.archive || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      // A failed write only costs a slower first search next time.
      this.saveDirty().catch(() => undefined);
    }, SAVE_AFTER_MS);
    this.saveTimer.unref();
  }

  private async saveDirty(): Promise<void> {
    const dirty: string[] = [];
    for (const [name, loading] of this.days) if ((await loading).dirty) dirty.push(name);
    if (dirty.length === 0) return;
    // One look at the store for all of them (on Redis a listing reads every summary since its start).
    const live = await this.live(dirty.sort()[0]!);
    await Promise.all(dirty.map((name) => this.save(name, live)));
  }

  /** The conversations with activity since the day's start, by id. */
  private async live(day: string): Promise<Map<string, ConversationSummary>> {
    const summaries = await this.transcripts.list({ from: new Date(`${day}T00:00:00.000Z`), limit: Number.MAX_SAFE_INTEGER });
    return new Map(summaries.map((s) => [s.conversationId, s]));
  }

  /** Writes one day's digests, only of conversations still there as digested (one erased or grown meanwhile is not written again). */
  private save(name: string, live?: Map<string, ConversationSummary>): Promise<void> {
    const run = this.saving.then(async () => {
      const archive = this.archive;
      const loading = this.days.get(name);
      if (!archive || !loading) return;
      const day = await loading;
      day.dirty = false;
      try {
        const current = live ?? (await this.live(name));
        const kept = new Map([...day.digests].filter(([id, d]) => current.get(id)?.records === d.records && current.get(id)?.lastTimestamp === d.last));
        await archive.write(name, kept);
      } catch (err) {
        day.dirty = true;
        throw err;
      }
    });
    this.saving = run.catch(() => undefined);
    return run;
  }
}

/** The newest record's time as the stores' summaries give it (ISO 8601, UTC, milliseconds). */
function lastActivity(records: TranscriptRecord[]): string {
  let last = -Infinity;
  for (const r of records) last = Math.max(last, Date.parse(r.timestamp));
  return new Date(last).toISOString();
}

export function makeDigest(records: TranscriptRecord[]): Digest {
  const outcomes: Digest['outcomes'] = {};
  const intents: Record<string, number> = {};
  let firstQuestion = '';
  const texts: string[] = [];
  for (const r of records) {
    if (r.text) texts.push(r.text);
    if (r.from !== 'user') continue;
    if (!firstQuestion && r.text) firstQuestion = r.text;
    if (r.outcome) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    if (r.intent) intents[r.intent] = (intents[r.intent] ?? 0) + 1;
  }
  return { records: records.length, firstQuestion, text: fold(texts.join('\n')), outcomes, intents };
}

interface RatingCounts {
  up: number;
  down: number;
  csat?: number;
  comments: number;
}

function ratingCounts(rs: Rating[]): RatingCounts {
  const c: RatingCounts = { up: 0, down: 0, comments: 0 };
  for (const r of rs) {
    if (r.kind === 'helpful') c[r.value === 1 ? 'up' : 'down'] += 1;
    else c.csat = r.value;
    if (r.comment) c.comments += 1;
  }
  return c;
}

function groupRatings(ratings: Rating[]): Map<string, Rating[]> {
  const m = new Map<string, Rating[]>();
  for (const r of ratings) {
    const list = m.get(r.conversationId);
    if (list) list.push(r);
    else m.set(r.conversationId, [r]);
  }
  return m;
}

interface Candidate {
  summary: ConversationSummary;
  counts: RatingCounts;
  review: Review | undefined;
}

const EMPTY_DIGEST: Digest = { records: 0, firstQuestion: '', text: '', outcomes: {}, intents: {} };

function needsText(filter: ConversationFilter): boolean {
  return Boolean(filter.outcome || (filter.q && searchTerms(filter.q).length));
}

function toRow({ summary: s, counts: c, review }: Candidate, d: Digest): ConversationRow {
  const row: ConversationRow = {
    conversationId: s.conversationId,
    channelId: s.channelId,
    firstTimestamp: s.firstTimestamp,
    lastTimestamp: s.lastTimestamp,
    userMessages: s.userMessages,
    languages: s.languages,
    intents: s.intents,
    firstQuestion: d.firstQuestion,
    outcomes: Object.keys(d.outcomes) as TurnOutcome[],
    up: c.up,
    down: c.down,
    comments: c.comments,
    reviewed: review?.reviewed ?? false,
    tags: review?.tags ?? [],
  };
  if (c.csat !== undefined) row.csat = c.csat;
  if (review?.verdict) row.verdict = review.verdict;
  return row;
}

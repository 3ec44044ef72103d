import { createHash } from 'node:crypto';
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { clearStaleTmpFiles, writeFileAtomic } from './atomicFile';
import { isStorageUnavailable, StorageUnavailableError } from './errors';
import { KeyedMutex } from './keyedMutex';
import type { ConversationSummary, TranscriptFilter, TranscriptRecord, TranscriptStore } from './transcriptStore';
import { DEFAULT_LIST_LIMIT, validateRecord } from './transcriptUtil';

export interface DiskTranscriptStoreOptions {
  /** Root data directory; transcripts go to `<dataDir>/transcripts/`. Default `./data`. */
  dataDir?: string;
  /** How long index changes may wait before they are appended to the index log (ms). Default 2000. */
  indexDelayMs?: number;
}

interface IndexEntry {
  conversationId: string;
  channelId: string;
  first: number;
  last: number;
  records: number;
  userMessages: number;
  lastSeq: number;
  languages: Array<'lv' | 'en'>;
  intents: string[];
  /** Size of the .jsonl file this entry describes; a mismatch at start means "rescan". */
  bytes: number;
}

interface Pending {
  record: Omit<TranscriptRecord, 'seq'>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One append-only JSON Lines file per conversation plus an in-memory index of summaries,
 * whose changes are appended to `index.log` a little after they happen and on flush() (the log is
 * rewritten only when most of its lines are stale: amortized, the index costs a line per batch,
 * not a rewrite of every conversation every 2 s as `index.json` did). The .jsonl files are the
 * truth: at start, any file whose size differs from the saved index (a crash) is rescanned.
 *
 * A clean shutdown (close()) leaves `index.clean`, naming the log's size: the next start then
 * trusts the log and skips checking 100,000 files (a fresh process opens the index in a fraction
 * of a second). The first change of any file removes the mark first, so a crash is still caught.
 *
 * Appends for one conversation are serialized and batched: calls that arrive while a write
 * is pending go out together in one append, with seq in call order. One instance per
 * directory (the index lives in memory). Meant for the Centre's scale (thousands of
 * conversations); beyond that use RedisTranscriptStore.
 */
export class DiskTranscriptStore implements TranscriptStore {
  readonly dir: string;
  private readonly tmpDir: string;
  /** Append-only: one line per change of an index entry, compacted when mostly stale. */
  private readonly indexLog: string;
  /** The index of earlier versions (one JSON file rewritten whole); read once, then replaced by the log. */
  private readonly legacyIndexFile: string;
  /** Written by close(): the log (of this size) describes every file; removed before any change. */
  private readonly cleanFile: string;
  private markedClean = false;
  private unmarking?: Promise<void>;
  private readonly indexDelayMs: number;
  private readonly index = new Map<string, IndexEntry>();
  private readonly mutex = new KeyedMutex();
  /** The batch of each conversation that has not started writing yet. */
  private readonly open = new Map<string, Pending[]>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Conversations whose file may end in a torn line after a failed write. */
  private readonly suspect = new Set<string>();
  private initialized?: Promise<void>;
  private indexTimer?: NodeJS.Timeout;
  private pendingIndexLines: string[] = [];
  /** Lines in the log file, to know when compaction pays. */
  private indexLogLines = 0;
  private compactNeeded = false;
  private indexWriting: Promise<void> = Promise.resolve();

  constructor(options: DiskTranscriptStoreOptions = {}) {
    this.dir = path.join(path.resolve(options.dataDir ?? './data'), 'transcripts');
    this.tmpDir = path.join(this.dir, '.tmp');
    this.indexLog = path.join(this.dir, 'index.log');
    this.legacyIndexFile = path.join(this.dir, 'index.json');
    this.cleanFile = path.join(this.dir, 'index.clean');
    this.indexDelayMs = options.indexDelayMs ?? 2000;
  }

  append(record: TranscriptRecord): Promise<void> {
    let clean: Omit<TranscriptRecord, 'seq'>;
    try {
      clean = validateRecord(record);
    } catch (err) {
      return Promise.reject(err);
    }
    const id = clean.conversationId;
    return new Promise<void>((resolve, reject) => {
      let batch = this.open.get(id);
      if (!batch) {
        const fresh: Pending[] = [];
        batch = fresh;
        this.open.set(id, fresh);
        this.track(
          this.mutex.run(id, () => {
            if (this.open.get(id) === fresh) this.open.delete(id);
            return this.writeBatch(id, fresh);
          }),
        );
      }
      batch.push({ record: clean, resolve, reject });
    });
  }

  async list(filter: TranscriptFilter = {}): Promise<ConversationSummary[]> {
    await this.init();
    // Filter on the index entries first (numbers, no copies): with a year of conversations in
    // the index, building every summary before filtering cost the staff console ~0.3 s a query.
    const picked: IndexEntry[] = [];
    for (const e of this.index.values()) if (entryMatches(e, filter)) picked.push(e);
    return picked
      .sort((a, b) => b.last - a.last || a.conversationId.localeCompare(b.conversationId))
      .slice(0, filter.limit ?? DEFAULT_LIST_LIMIT)
      .map(toSummary);
  }

  get(conversationId: string): Promise<TranscriptRecord[]> {
    // Through the conversation's queue, so appends called earlier are included.
    return this.mutex.run(conversationId, async () => {
      await this.init();
      let text: string;
      try {
        text = await fs.readFile(this.file(conversationId), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw wrap(err, `reading "${conversationId}"`);
      }
      return parseLines(text);
    });
  }

  deleteConversation(conversationId: string): Promise<void> {
    // Appends called after this start a new batch, queued behind the delete.
    this.open.delete(conversationId);
    return this.track(this.mutex.run(conversationId, () => this.remove(conversationId)));
  }

  async pruneOlderThan(cutoff: Date): Promise<number> {
    await this.init();
    const limit = cutoff.getTime();
    const candidates = [...this.index.values()].filter((e) => e.last < limit).map((e) => e.conversationId);
    let removed = 0;
    for (const id of candidates) {
      await this.track(
        this.mutex.run(id, async () => {
          const entry = this.index.get(id);
          if (entry && entry.last < limit) {
            await this.remove(id);
            removed++;
          }
        }),
      );
    }
    return removed;
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (!this.initialized) return;
    await this.init();
    clearTimeout(this.indexTimer);
    this.indexTimer = undefined;
    await this.saveIndex();
  }

  /** Flushes, then marks the index as describing every file (the next start skips the check). */
  async close(): Promise<void> {
    await this.flush();
    if (!this.initialized || this.busy()) return;
    let logBytes: number;
    try {
      logBytes = (await fs.stat(this.indexLog)).size;
      await writeFileAtomic(this.cleanFile, JSON.stringify({ logBytes }), this.tmpDir);
    } catch {
      return; // no mark: the next start checks the files, as after a crash
    }
    this.markedClean = true;
    // A write that began meanwhile is not in the log this mark names.
    if (this.busy()) await this.unmarkClean().catch(() => undefined);
  }

  private busy(): boolean {
    return this.inFlight.size > 0 || this.open.size > 0 || this.pendingIndexLines.length > 0;
  }

  /** Before the first change of a file after a clean start or close: the files may now differ from the log. */
  private unmarkClean(): Promise<void> {
    if (!this.markedClean) return Promise.resolve();
    this.unmarking ??= fs.rm(this.cleanFile, { force: true }).then(
      () => {
        this.markedClean = false;
        this.unmarking = undefined;
      },
      (err: unknown) => {
        this.unmarking = undefined;
        throw err;
      },
    );
    return this.unmarking;
  }

  private async writeBatch(id: string, batch: Pending[]): Promise<void> {
    try {
      await this.init();
      await this.unmarkClean();
      const file = this.file(id);
      const previous = this.suspect.has(id) ? await this.rescan(file) : this.index.get(id);
      this.suspect.delete(id);
      const entry: IndexEntry = previous
        ? { ...previous, languages: [...previous.languages], intents: [...previous.intents] }
        : emptyEntry(batch[0]!.record);
      const lines = batch.map((p) => {
        entry.lastSeq += 1;
        addToEntry(entry, p.record);
        return JSON.stringify({ seq: entry.lastSeq, ...p.record });
      });
      const text = `${lines.join('\n')}\n`;
      await fs.appendFile(file, text, 'utf8');
      entry.bytes += Buffer.byteLength(text);
      this.index.set(id, entry);
      this.logIndex(JSON.stringify(entry));
      for (const p of batch) p.resolve();
    } catch (err) {
      this.suspect.add(id);
      const error = wrap(err, `appending to "${id}"`);
      for (const p of batch) p.reject(error);
    }
  }

  private async remove(id: string): Promise<void> {
    await this.init();
    try {
      await this.unmarkClean();
      await fs.rm(this.file(id), { force: true });
    } catch (err) {
      throw wrap(err, `deleting "${id}"`);
    }
    this.suspect.delete(id);
    if (this.index.delete(id)) this.logIndex(JSON.stringify({ deleted: id }));
  }

  /** Rebuilds a conversation's entry from its file; repairs a torn last line. */
  private async rescan(file: string): Promise<IndexEntry | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const records = parseLines(text);
    const first = records[0];
    if (!first) {
      await fs.rm(file, { force: true });
      return undefined;
    }
    if (!text.endsWith('\n')) {
      await fs.appendFile(file, '\n', 'utf8');
      text += '\n';
    }
    const entry = emptyEntry(first);
    for (const r of records) {
      addToEntry(entry, r);
      entry.lastSeq = Math.max(entry.lastSeq, r.seq ?? 0);
    }
    entry.bytes = Buffer.byteLength(text);
    this.index.set(entry.conversationId, entry);
    return entry;
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
    if (await this.loadClean()) return;
    const saved = new Map<string, IndexEntry>();
    const keep = (e: IndexEntry) => saved.set(path.basename(this.file(e.conversationId)), e);
    let legacy = false;
    try {
      const parsed = JSON.parse(await fs.readFile(this.legacyIndexFile, 'utf8')) as { conversations?: IndexEntry[] };
      for (const e of parsed.conversations ?? []) keep(e);
      legacy = true;
    } catch {
      // none (or unreadable): the log and the files tell the rest
    }
    let logText = '';
    try {
      logText = await fs.readFile(this.indexLog, 'utf8');
    } catch {
      // Missing or unreadable index: every file gets rescanned below.
    }
    for (const line of logText.split('\n')) {
      if (!line) continue;
      this.indexLogLines++;
      try {
        const change = JSON.parse(line) as IndexEntry | { deleted: string };
        if ('deleted' in change) saved.delete(path.basename(this.file(change.deleted)));
        else if (typeof change.conversationId === 'string') keep(change);
      } catch {
        // a torn line from a crash mid-append: the files below are the truth
      }
    }
    let changed = legacy;
    const names = new Set<string>();
    const all = (await fs.readdir(this.dir)).filter((name) => name.endsWith('.jsonl'));
    // statSync in slices: 100,000 awaited fs.stat calls took ~2 s, the same in statSync ~0.35 s.
    for (let i = 0; i < all.length; i += STAT_SLICE) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const name of all.slice(i, i + STAT_SLICE)) {
        const file = path.join(this.dir, name);
        const stat = statSync(file, { throwIfNoEntry: false });
        if (!stat) continue;
        names.add(name);
        const entry = saved.get(name);
        if (entry && entry.bytes === stat.size) {
          this.index.set(entry.conversationId, entry);
        } else {
          await this.rescan(file);
          changed = true;
        }
      }
    }
    if (changed || [...saved.keys()].some((name) => !names.has(name))) this.compactNeeded = true;
    if (this.compactNeeded) {
      await this.compactIndex();
      if (legacy) await fs.rm(this.legacyIndexFile, { force: true });
    }
  }

  /** After a clean close: the log alone is the index (no file is checked). False: check the files. */
  private async loadClean(): Promise<boolean> {
    let logBytes: unknown;
    let log: Buffer;
    try {
      logBytes = (JSON.parse(await fs.readFile(this.cleanFile, 'utf8')) as { logBytes?: unknown }).logBytes;
      log = await fs.readFile(this.indexLog);
    } catch {
      return false;
    }
    // The mark names the log it was written with; a legacy index.json means an older version ran since.
    if (logBytes !== log.length || (await exists(this.legacyIndexFile))) {
      await fs.rm(this.cleanFile, { force: true });
      return false;
    }
    this.markedClean = true;
    for (const line of log.toString('utf8').split('\n')) {
      if (!line) continue;
      this.indexLogLines++;
      try {
        const change = JSON.parse(line) as IndexEntry | { deleted: string };
        if ('deleted' in change) this.index.delete(change.deleted);
        else if (typeof change.conversationId === 'string') this.index.set(change.conversationId, change);
      } catch {
        // cannot happen after a clean close; the next compaction drops it
      }
    }
    return true;
  }

  private logIndex(line: string): void {
    this.pendingIndexLines.push(line);
    this.scheduleIndexSave();
  }

  private scheduleIndexSave(): void {
    if (this.indexTimer) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = undefined;
      // A failure here is harmless: the next start rescans files the index does not match.
      this.saveIndex().catch(() => undefined);
    }, this.indexDelayMs);
    this.indexTimer.unref();
  }

  /** Appends the changes since the last save; rewrites the log whole only when most of it is stale. */
  private saveIndex(): Promise<void> {
    const run = this.indexWriting.then(async () => {
      if (this.compactNeeded || this.indexLogLines > 4 * this.index.size + 1000) return this.compactIndex();
      const lines = this.pendingIndexLines;
      if (lines.length === 0) return;
      this.pendingIndexLines = [];
      try {
        await fs.appendFile(this.indexLog, `${lines.join('\n')}\n`, 'utf8');
        this.indexLogLines += lines.length;
      } catch (err) {
        this.pendingIndexLines.unshift(...lines);
        throw wrap(err, 'saving the index');
      }
    });
    this.indexWriting = run.catch(() => undefined);
    return run;
  }

  /** One line per live conversation, written atomically (replaces the log). */
  private async compactIndex(): Promise<void> {
    this.pendingIndexLines = [];
    this.compactNeeded = false;
    const lines = [...this.index.values()].map((e) => JSON.stringify(e));
    try {
      await writeFileAtomic(this.indexLog, lines.length ? `${lines.join('\n')}\n` : '', this.tmpDir);
      this.indexLogLines = lines.length;
    } catch (err) {
      this.compactNeeded = true;
      throw wrap(err, 'compacting the index');
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = (): void => {
      this.inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  private file(conversationId: string): string {
    return path.join(this.dir, `${createHash('sha256').update(conversationId).digest('hex')}.jsonl`);
  }
}

const STAT_SLICE = 2000;

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

function parseLines(text: string): TranscriptRecord[] {
  const records: TranscriptRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      records.push(JSON.parse(line) as TranscriptRecord);
    } catch {
      // A torn line from a crash mid-append: skip it.
    }
  }
  return records;
}

function emptyEntry(r: Omit<TranscriptRecord, 'seq'>): IndexEntry {
  const t = Date.parse(r.timestamp);
  return {
    conversationId: r.conversationId,
    channelId: r.channelId,
    first: t,
    last: t,
    records: 0,
    userMessages: 0,
    lastSeq: 0,
    languages: [],
    intents: [],
    bytes: 0,
  };
}

function addToEntry(e: IndexEntry, r: Omit<TranscriptRecord, 'seq'>): void {
  const t = Date.parse(r.timestamp);
  e.first = Math.min(e.first, t);
  e.last = Math.max(e.last, t);
  e.records += 1;
  if (r.from === 'user') e.userMessages += 1;
  if (r.language && !e.languages.includes(r.language)) e.languages.push(r.language);
  if (r.intent && !e.intents.includes(r.intent)) e.intents.push(r.intent);
}

/** matchesFilter (transcriptUtil.ts) on an index entry: the same tests, on the numbers. */
function entryMatches(e: IndexEntry, filter: TranscriptFilter): boolean {
  if (filter.from && e.last < filter.from.getTime()) return false;
  if (filter.to && e.first > filter.to.getTime()) return false;
  if (filter.channel !== undefined && e.channelId !== filter.channel) return false;
  if (filter.language !== undefined && !e.languages.includes(filter.language)) return false;
  if (filter.intent !== undefined && !e.intents.includes(filter.intent)) return false;
  return true;
}

function toSummary(e: IndexEntry): ConversationSummary {
  return {
    conversationId: e.conversationId,
    channelId: e.channelId,
    firstTimestamp: new Date(e.first).toISOString(),
    lastTimestamp: new Date(e.last).toISOString(),
    records: e.records,
    userMessages: e.userMessages,
    languages: [...e.languages],
    intents: [...e.intents],
  };
}

function wrap(err: unknown, what: string): unknown {
  if (isStorageUnavailable(err) || !(err instanceof Error) || !('code' in err)) return err;
  return new StorageUnavailableError(`DiskTranscriptStore: failed ${what}: ${err.message}`, err);
}

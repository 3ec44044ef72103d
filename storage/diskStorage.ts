import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { clearStaleTmpFiles, writeFileAtomic } from './atomicFile';
import { EtagConflictError, StorageUnavailableError } from './errors';
import { KeyedMutex } from './keyedMutex';
import type { Storage, StoreItem, StoreItems } from './types';

export interface DiskStorageOptions {
  /** Root data directory (the app passes DATA_DIR); items go to `<dataDir>/state/`. Default `./data`. */
  dataDir?: string;
  /** Wait for every write to reach the disk, fsynced (survives a power loss). Default false: see the class comment. */
  fsync?: boolean;
  /** Clean items kept in memory for reads. Default 10,000. 0 reads every item from its file. */
  cacheSize?: number;
}

interface StoredFile {
  key: string;
  item: StoreItem;
}

/** What all instances on one directory share in this process. */
class Directory {
  readonly mutex = new KeyedMutex();
  // Items as JSON (a parse per read is the copy botbuilder needs, cheaper than structuredClone).
  // Least recently used first (a Map keeps insertion order); null: known not to exist.
  readonly cache = new Map<string, string | null>();
  /** Written to memory, not yet to its file: the item's JSON, or null for a delete. */
  readonly dirty = new Map<string, string | null>();
  /** One persisting pass at a time, so an older pass never overwrites a newer file. */
  persisting: Promise<void> = Promise.resolve();
  scheduled = false;
  lastError?: unknown;
}

/**
 * Bot state as one JSON file per key, for a single process (the embedded default).
 * eTag rules are MemoryStorage's: an incoming eTag other than '*' must equal the stored
 * one, '*' or no eTag overwrites, every write stores a fresh eTag. A batch is checked
 * whole before anything is written, so a conflict writes none of its keys.
 *
 * State is written on every turn, so the turn does not wait for the disk: a write updates the
 * in-memory copy (which later reads get) and its file follows a moment later, atomically
 * (temp file + rename: a crash never leaves a torn file). `flush()` (at shutdown) waits for
 * every file. A crash of the process loses at most the writes of that moment; with `fsync`
 * every write waits for the disk.
 * Several processes on one directory are NOT safe: use RedisStorage for that.
 */
export class DiskStorage implements Storage {
  private static readonly directories = new Map<string, Directory>();

  readonly dir: string;
  private readonly tmpDir: string;
  private readonly shared: Directory;
  private initialized?: Promise<void>;
  private readonly fsync: boolean;
  private readonly cacheSize: number;

  constructor(options: DiskStorageOptions = {}) {
    this.fsync = options.fsync ?? false;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.dir = path.join(path.resolve(options.dataDir ?? './data'), 'state');
    this.tmpDir = path.join(this.dir, '.tmp');
    let shared = DiskStorage.directories.get(this.dir);
    if (!shared) DiskStorage.directories.set(this.dir, (shared = new Directory()));
    this.shared = shared;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    await this.init();
    const items = await Promise.all(keys.map((key) => this.load(key)));
    const result: StoreItems = {};
    keys.forEach((key, i) => {
      if (items[i] !== undefined) result[key] = items[i];
    });
    return result;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    await this.init();
    await this.shared.mutex.runAll(keys, async () => {
      for (const key of keys) {
        const eTag: unknown = changes[key]?.eTag;
        if (typeof eTag === 'string' && eTag !== '' && eTag !== '*') {
          const current = await this.load(key);
          if (current && current.eTag !== eTag) throw new EtagConflictError(key);
        }
      }
      for (const key of keys) {
        // A random eTag, not a counter: a counter restarts after a restart and could repeat.
        this.change(key, JSON.stringify({ ...changes[key], eTag: randomUUID() }));
      }
    });
    if (this.fsync) await this.flush();
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    await this.init();
    await this.shared.mutex.runAll(keys, async () => {
      for (const key of keys) this.change(key, null);
    });
    if (this.fsync) await this.flush();
  }

  /** Resolves when every write and delete made so far is in its file; rejects if the disk failed. */
  async flush(): Promise<void> {
    const shared = this.shared;
    while (shared.dirty.size > 0 || shared.scheduled) {
      this.persistSoon();
      await shared.persisting;
    }
    await shared.persisting;
    if (shared.lastError !== undefined) {
      const err = shared.lastError;
      shared.lastError = undefined;
      throw new StorageUnavailableError(`DiskStorage: failed writing: ${(err as Error).message}`, err);
    }
  }

  private change(key: string, item: string | null): void {
    this.remember(key, item);
    this.shared.dirty.set(key, item);
    this.persistSoon();
  }

  private persistSoon(): void {
    const shared = this.shared;
    if (shared.scheduled) return;
    shared.scheduled = true;
    shared.persisting = shared.persisting.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(async () => {
      shared.scheduled = false;
      const batch = [...shared.dirty];
      shared.dirty.clear();
      await Promise.all(batch.map(async ([key, item]) => {
        try {
          if (item === null) await fs.rm(this.file(key), { force: true });
          // the StoredFile shape, without parsing the item again
          else await writeFileAtomic(this.file(key), `{"key":${JSON.stringify(key)},"item":${item}}`, this.tmpDir, this.fsync);
        } catch (err) {
          shared.lastError = err;
          // keep it for the next pass, unless a newer change came meanwhile
          if (!shared.dirty.has(key)) shared.dirty.set(key, item);
        }
      }));
    });
  }

  /**
   * Deletes state not written for `idleMs` (as Redis expires conversation state): a file's
   * modification time is its last write. Scans the folder as a stream, so memory stays flat.
   * A key written meanwhile (pending, or newer on disk) is kept. Returns how many went.
   */
  async expireIdle(idleMs: number, now = Date.now()): Promise<number> {
    await this.init();
    const cutoff = now - idleMs;
    let removed = 0;
    const dir = await fs.opendir(this.dir);
    for await (const entry of dir) {
      if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
      const file = path.join(this.dir, entry.name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat || stat.mtimeMs >= cutoff) continue;
      const stored = await fs.readFile(file, 'utf8').then((t) => JSON.parse(t) as StoredFile, () => undefined);
      if (!stored || typeof stored.key !== 'string' || this.file(stored.key) !== file) continue;
      await this.shared.mutex.runAll([stored.key], async () => {
        if (this.shared.dirty.has(stored.key)) return;
        const again = await fs.stat(file).catch(() => undefined);
        if (!again || again.mtimeMs >= cutoff) return;
        await fs.rm(file, { force: true });
        this.shared.cache.delete(stored.key);
        removed++;
      });
    }
    return removed;
  }

  private remember(key: string, item: string | null): void {
    const { cache } = this.shared;
    cache.delete(key);
    cache.set(key, item);
    // evict the least recently used; an item not yet written lives on in `dirty`, which reads check first
    if (cache.size > Math.max(this.cacheSize, 1)) cache.delete(cache.keys().next().value!);
  }

  // A hash, not an encoded key: bounded length (Teams ids are long) and no clashes on
  // case-insensitive filesystems. The key is stored inside the file.
  private file(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  private async load(key: string): Promise<StoreItem | undefined> {
    const { cache, dirty } = this.shared;
    // a fresh object on every read: botbuilder mutates what it reads
    const copy = (v: string | null) => (v === null ? undefined : (JSON.parse(v) as StoreItem));
    if (dirty.has(key)) return copy(dirty.get(key)!);
    if (this.cacheSize > 0 && cache.has(key)) return copy(cache.get(key)!);
    const item = await this.loadFile(key);
    if (this.cacheSize > 0) this.remember(key, item === undefined ? null : JSON.stringify(item));
    return item;
  }

  private async loadFile(key: string): Promise<StoreItem | undefined> {
    const file = this.file(key);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StorageUnavailableError(`DiskStorage: cannot read "${key}"`, err);
    }
    let parsed: StoredFile;
    try {
      parsed = JSON.parse(text) as StoredFile;
    } catch (err) {
      throw new Error(`DiskStorage: ${file} is not valid JSON (written by something else?)`);
    }
    return parsed.key === key ? parsed.item : undefined;
  }

  private init(): Promise<void> {
    this.initialized ??= io('initializing', async () => {
      await fs.mkdir(this.dir, { recursive: true });
      await clearStaleTmpFiles(this.tmpDir);
    });
    // A failed init (e.g. disk not mounted yet) is retried on the next call.
    return this.initialized.catch((err) => {
      this.initialized = undefined;
      throw err;
    });
  }
}

async function io<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StorageUnavailableError(`DiskStorage: failed ${what}: ${(err as Error).message}`, err);
  }
}

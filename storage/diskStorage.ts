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
  /** fsync every write (survives a power loss, not only a crash of the process). Default false: state is written every turn. */
  fsync?: boolean;
  /** Items kept in memory for reads (this process is the only writer of its directory). Default 10,000. */
  cacheSize?: number;
}

interface StoredFile {
  key: string;
  item: StoreItem;
}

/**
 * Bot state as one JSON file per key, for a single process (the embedded default).
 * eTag rules are MemoryStorage's: an incoming eTag other than '*' must equal the stored
 * one, '*' or no eTag overwrites, every write stores a fresh eTag. A batch is checked
 * whole before anything is written, so a conflict writes none of its keys.
 * Several processes on one directory are NOT safe: use RedisStorage for that.
 */
export class DiskStorage implements Storage {
  // Shared per directory, so two instances in one process still compare-and-set correctly.
  private static readonly mutexes = new Map<string, KeyedMutex>();
  // Also shared per directory: an instance's cache must see another instance's writes.
  private static readonly caches = new Map<string, Map<string, StoreItem | null>>();

  readonly dir: string;
  private readonly tmpDir: string;
  private readonly mutex: KeyedMutex;
  private initialized?: Promise<void>;
  private readonly fsync: boolean;
  private readonly cacheSize: number;
  // Least recently used first (Map keeps insertion order); null: known not to exist.
  private readonly cache: Map<string, StoreItem | null>;

  constructor(options: DiskStorageOptions = {}) {
    this.fsync = options.fsync ?? false;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.dir = path.join(path.resolve(options.dataDir ?? './data'), 'state');
    this.tmpDir = path.join(this.dir, '.tmp');
    let mutex = DiskStorage.mutexes.get(this.dir);
    if (!mutex) DiskStorage.mutexes.set(this.dir, (mutex = new KeyedMutex()));
    this.mutex = mutex;
    let cache = DiskStorage.caches.get(this.dir);
    if (!cache) DiskStorage.caches.set(this.dir, (cache = new Map()));
    this.cache = cache;
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
    await this.mutex.runAll(keys, async () => {
      for (const key of keys) {
        const eTag: unknown = changes[key]?.eTag;
        if (typeof eTag === 'string' && eTag !== '' && eTag !== '*') {
          const current = await this.load(key);
          if (current && current.eTag !== eTag) throw new EtagConflictError(key);
        }
      }
      for (const key of keys) {
        // A random eTag, not a counter: a counter restarts after a restart and could repeat.
        const item: StoreItem = { ...changes[key], eTag: randomUUID() };
        const body: StoredFile = { key, item };
        await io(`writing "${key}"`, () => writeFileAtomic(this.file(key), JSON.stringify(body), this.tmpDir, this.fsync));
        this.remember(key, item);
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    await this.init();
    await Promise.all(
      keys.map((key) => this.mutex.run(key, async () => {
        await io(`deleting "${key}"`, () => fs.rm(this.file(key), { force: true }));
        this.remember(key, null);
      })),
    );
  }

  private remember(key: string, item: StoreItem | null): void {
    this.cache.delete(key);
    if (this.cacheSize === 0) return;
    this.cache.set(key, item);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }

  // A hash, not an encoded key: bounded length (Teams ids are long) and no clashes on
  // case-insensitive filesystems. The key is stored inside the file.
  private file(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  private async load(key: string): Promise<StoreItem | undefined> {
    const cached = this.cacheSize === 0 ? undefined : this.cache.get(key);
    // a copy: botbuilder mutates what it reads
    if (cached !== undefined) return cached === null ? undefined : structuredClone(cached);
    const item = await this.loadFile(key);
    this.remember(key, item ?? null);
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

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../storage/atomicFile';
import { KeyedMutex } from '../storage/keyedMutex';
import { checkName, type LogEntry, type StaffKv } from './kv';

interface Stored<T> {
  id: string;
  value: T;
  /** ms since the epoch; absent: never expires. */
  expiresAt?: number;
}

/**
 * Files under `<dataDir>/staff/`: one JSON file per value (read from disk on every call, so
 * the `npm run staff` command and the running server see each other's changes) and one JSON
 * Lines file per log and month. One server process per directory, like the other disk stores.
 */
export class DiskStaffKv implements StaffKv {
  readonly dir: string;
  private readonly tmpDir: string;
  private readonly mutex = new KeyedMutex();
  private ready?: Promise<void>;
  private readonly listCache = new Map<string, { mtime: bigint; values: Array<Stored<unknown>> }>();
  private readonly listReads = new Map<string, { mtime: bigint; values: Promise<Array<Stored<unknown>>> }>();

  constructor(dataDir: string, private readonly now: () => number = Date.now) {
    this.dir = path.join(path.resolve(dataDir), 'staff');
    this.tmpDir = path.join(this.dir, '.tmp');
  }

  async get<T>(ns: string, id: string): Promise<T | undefined> {
    const stored = await this.read<T>(ns, id);
    return stored?.value;
  }

  async set<T>(ns: string, id: string, value: T, ttlMs?: number): Promise<void> {
    await this.init();
    await this.write(ns, { id, value, ...(ttlMs ? { expiresAt: this.now() + ttlMs } : {}) });
  }

  async delete(ns: string, id: string): Promise<void> {
    checkName('namespace', ns);
    await fs.rm(this.file(ns, id), { force: true });
  }

  async list<T>(ns: string): Promise<T[]> {
    checkName('namespace', ns);
    const dir = path.join(this.dir, ns);
    let mtime: bigint;
    try {
      mtime = (await fs.stat(dir, { bigint: true })).mtimeNs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // Every write renames a file into the directory, so an unchanged directory means unchanged
    // values (another process's writes included): the list page reads all reviews on each request.
    const cached = this.listCache.get(ns);
    if (cached && cached.mtime === mtime) return cached.values.filter((s) => !this.expired(s)).map((s) => s.value as T);
    // File times tick coarsely (a few ms): a directory changed just now could change again within
    // the same tick unseen, so only a directory quiet for a moment is cached or shared. Two lists of
    // the same directory at once (at start: the read-ahead and the first page) read it once.
    const quiet = Date.now() - Number(mtime / 1_000_000n) > 100;
    let reading = this.listReads.get(ns);
    if (!reading || reading.mtime !== mtime || !quiet) {
      const read = this.readAll(dir).finally(() => {
        if (this.listReads.get(ns)?.values === read) this.listReads.delete(ns);
      });
      reading = { mtime, values: read };
      this.listReads.set(ns, reading);
    }
    const stored = await reading.values;
    if (quiet) this.listCache.set(ns, { mtime, values: stored });
    else this.listCache.delete(ns);
    return stored.filter((s) => !this.expired(s)).map((s) => s.value as T);
  }

  private async readAll(dir: string): Promise<Array<Stored<unknown>>> {
    const stored: Array<Stored<unknown>> = [];
    const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json'));
    for (let i = 0; i < names.length; i += 64) {
      const batch = await Promise.all(names.slice(i, i + 64).map((name) => readJson<Stored<unknown>>(path.join(dir, name))));
      for (const s of batch) if (s) stored.push(s);
    }
    return stored;
  }

  incr(ns: string, id: string, ttlMs: number): Promise<number> {
    return this.mutex.run(`${ns}\n${id}`, async () => {
      await this.init();
      const stored = await this.read<number>(ns, id);
      const count = (stored?.value ?? 0) + 1;
      await this.write(ns, { id, value: count, expiresAt: stored?.expiresAt ?? this.now() + ttlMs });
      return count;
    });
  }

  append(log: string, entry: LogEntry): Promise<void> {
    checkName('log', log);
    return this.mutex.run(`log\n${log}`, async () => {
      const dir = path.join(this.dir, 'logs', log);
      await fs.mkdir(dir, { recursive: true });
      await fs.appendFile(path.join(dir, `${entry.timestamp.slice(0, 7)}.jsonl`), `${JSON.stringify(entry)}\n`, 'utf8');
    });
  }

  async readLog<T extends LogEntry>(log: string, from: Date, to: Date): Promise<T[]> {
    checkName('log', log);
    const dir = path.join(this.dir, 'logs', log);
    const first = from.toISOString().slice(0, 7);
    const last = to.toISOString().slice(0, 7);
    const out: T[] = [];
    for (const name of (await readdirOrEmpty(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
      const month = name.slice(0, 7);
      if (month < first || month > last) continue;
      const text = await fs.readFile(path.join(dir, name), 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as T;
          const t = Date.parse(e.timestamp);
          if (t >= from.getTime() && t < to.getTime()) out.push(e);
        } catch {
          // a torn last line after a crash
        }
      }
    }
    return out.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  }

  /** Whole months only: a month's file goes once all of it is older than `before`. */
  async pruneLog(log: string, before: Date): Promise<number> {
    checkName('log', log);
    const dir = path.join(this.dir, 'logs', log);
    const keepFrom = before.toISOString().slice(0, 7);
    let removed = 0;
    for (const name of await readdirOrEmpty(dir)) {
      if (name.endsWith('.jsonl') && name.slice(0, 7) < keepFrom) {
        await fs.rm(path.join(dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  async sweep(): Promise<number> {
    let removed = 0;
    for (const ns of await readdirOrEmpty(this.dir)) {
      // digests/: the list's digests (DiskDigestArchive), not values of this store
      if (ns === 'logs' || ns === 'digests' || ns.startsWith('.')) continue;
      for (const name of await readdirOrEmpty(path.join(this.dir, ns))) {
        const file = path.join(this.dir, ns, name);
        const stored = await readJson<Stored<unknown>>(file).catch(() => undefined);
        if (stored && this.expired(stored)) {
          await fs.rm(file, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    // Every write is awaited by its caller; nothing is buffered.
  }

  private async read<T>(ns: string, id: string): Promise<Stored<T> | undefined> {
    checkName('namespace', ns);
    const stored = await readJson<Stored<T>>(this.file(ns, id));
    if (!stored || stored.id !== id) return undefined;
    if (this.expired(stored)) {
      await fs.rm(this.file(ns, id), { force: true });
      return undefined;
    }
    return stored;
  }

  private async write<T>(ns: string, stored: Stored<T>): Promise<void> {
    checkName('namespace', ns);
    await fs.mkdir(path.join(this.dir, ns), { recursive: true });
    await writeFileAtomic(this.file(ns, stored.id), JSON.stringify(stored), this.tmpDir, false);
  }

  private expired(stored: Stored<unknown>): boolean {
    return stored.expiresAt !== undefined && stored.expiresAt <= this.now();
  }

  private init(): Promise<void> {
    this.ready ??= fs.mkdir(this.tmpDir, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  private file(ns: string, id: string): string {
    return path.join(this.dir, ns, `${createHash('sha256').update(id).digest('hex').slice(0, 40)}.json`);
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

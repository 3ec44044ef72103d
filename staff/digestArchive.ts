import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { clearStaleTmpFiles, writeFileAtomic } from '../storage/atomicFile';
import type { Digest } from './conversations';
import type { StaffKv } from './kv';

/** A digest and the last activity (ISO 8601, as the transcript store's summary gives it) it was made at. */
export type StoredDigest = Digest & { last: string };

/**
 * The list's digests kept between runs, one set per day of last activity (UTC, YYYY-MM-DD), so
 * that a fresh process reads a month as 31 files instead of 8,000 transcripts. A digest is used
 * only while the transcript's record count and last activity still match it.
 */
export interface DigestArchive {
  read(day: string): Promise<Map<string, StoredDigest>>;
  /** Replaces the day's set; an empty one removes it. */
  write(day: string, digests: Map<string, StoredDigest>): Promise<void>;
  /** The days kept, in no set order. */
  days(): Promise<string[]>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One JSON file per day under `<dataDir>/staff/digests/`. One process per directory, like the other disk stores. */
export class DiskDigestArchive implements DigestArchive {
  readonly dir: string;
  private readonly tmpDir: string;
  private ready?: Promise<void>;

  constructor(dataDir: string) {
    this.dir = path.join(path.resolve(dataDir), 'staff', 'digests');
    this.tmpDir = path.join(this.dir, '.tmp');
  }

  async read(day: string): Promise<Map<string, StoredDigest>> {
    let text: string;
    try {
      text = await fs.readFile(this.file(day), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as { v?: number; digests?: Record<string, StoredDigest> };
      return parsed.v === 1 && parsed.digests ? new Map(Object.entries(parsed.digests)) : new Map();
    } catch {
      return new Map(); // unreadable: made again from the transcripts
    }
  }

  async write(day: string, digests: Map<string, StoredDigest>): Promise<void> {
    if (digests.size === 0) {
      await fs.rm(this.file(day), { force: true });
      return;
    }
    this.ready ??= clearStaleTmpFiles(this.tmpDir).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    await this.ready;
    await writeFileAtomic(this.file(day), JSON.stringify({ v: 1, digests: Object.fromEntries(digests) }), this.tmpDir, false);
  }

  async days(): Promise<string[]> {
    try {
      return (await fs.readdir(this.dir)).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((d) => DAY.test(d));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  private file(day: string): string {
    if (!DAY.test(day)) throw new TypeError(`bad day: ${day}`);
    return path.join(this.dir, `${day}.json`);
  }
}

const KV_NS = 'digests';
/** Days kept in the shared store: the read-ahead's month and a little more; each day expires after. */
export const KV_WINDOW_DAYS = 36;
const DAY_MS = 86_400_000;

/**
 * Days in the staff store (Redis, shared by every instance): only the last 36 days, each expiring
 * when it leaves that window, so `days()` finds every one by looking at those days alone.
 */
export class KvDigestArchive implements DigestArchive {
  constructor(private readonly kv: StaffKv, private readonly now: () => number = Date.now) {}

  async read(day: string): Promise<Map<string, StoredDigest>> {
    const value = await this.kv.get<{ v?: number; digests?: Record<string, StoredDigest> }>(KV_NS, day);
    return value?.v === 1 && value.digests ? new Map(Object.entries(value.digests)) : new Map();
  }

  async write(day: string, digests: Map<string, StoredDigest>): Promise<void> {
    const ttl = Date.parse(`${day}T00:00:00.000Z`) + KV_WINDOW_DAYS * DAY_MS - this.now();
    if (digests.size === 0 || !(ttl > 0)) {
      await this.kv.delete(KV_NS, day);
      return;
    }
    await this.kv.set(KV_NS, day, { v: 1, digests: Object.fromEntries(digests) }, ttl);
  }

  async days(): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i <= KV_WINDOW_DAYS; i++) {
      const day = new Date(this.now() - i * DAY_MS).toISOString().slice(0, 10);
      if (await this.kv.get(KV_NS, day)) out.push(day);
    }
    return out;
  }
}

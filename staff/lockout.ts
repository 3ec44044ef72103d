import { createHash } from 'node:crypto';
import type { StaffKv } from './kv';

export const MAX_FAILURES = 5;
/** Failures are counted over this window. */
const WINDOW_MS = 15 * 60 * 1000;
const FIRST_LOCK_MS = 60 * 1000;
const MAX_LOCK_MS = 60 * 60 * 1000;

interface Lock {
  until: number;
}

/**
 * Sign-in lockout, per account name and per client address alike: after 5 failures in 15
 * minutes the key is locked for 1 minute, doubling with each further failure up to an hour.
 * Names are counted whether or not the account exists, so a lock says nothing about that.
 */
export class Lockout {
  constructor(private readonly kv: StaffKv, private readonly now: () => number = Date.now) {}

  /** ms until the later of the two locks ends; 0 when neither is locked. */
  async lockedFor(name: string, ip: string): Promise<number> {
    const locks = await Promise.all(this.keys(name, ip).map((k) => this.kv.get<Lock>('lock', k)));
    const until = Math.max(0, ...locks.map((l) => l?.until ?? 0));
    return Math.max(0, until - this.now());
  }

  async failed(name: string, ip: string): Promise<void> {
    for (const k of this.keys(name, ip)) {
      const n = await this.kv.incr('failures', k, WINDOW_MS);
      if (n >= MAX_FAILURES) {
        const ms = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (n - MAX_FAILURES));
        await this.kv.set<Lock>('lock', k, { until: this.now() + ms }, ms);
      }
    }
  }

  /** A successful sign-in forgets the account's failures (the address keeps its own). */
  async succeeded(name: string): Promise<void> {
    const [account] = this.keys(name, '');
    await this.kv.delete('failures', account!);
  }

  private keys(name: string, ip: string): [string, string] {
    const h = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
    return [`n-${h(name.trim().toLowerCase())}`, `a-${h(ip)}`];
  }
}

import * as path from 'node:path';
import type { Stores } from '../storage';
import { createRedisClient } from '../storage/redisClient';
import { Accounts } from './accounts';
import { AuditLog } from './audit';
import { ConversationQueries } from './conversations';
import { DiskDigestArchive, KvDigestArchive } from './digestArchive';
import { DiskStaffKv } from './diskKv';
import type { StaffKv } from './kv';
import { Lockout } from './lockout';
import { RedisStaffKv } from './redisKv';
import { Reviews } from './reviews';
import { Sessions } from './sessions';

export interface StaffKvOptions {
  dataDir: string;
  redisUrl?: string;
  keyPrefix?: string;
  logger?: (msg: string) => void;
}

/**
 * The staff store: files under DATA_DIR/staff by default, Redis (its own client, shared by
 * every instance) when REDIS_URL is set. Synchronous so the wiring stays synchronous: the
 * Redis client connects in the background and commands fail fast until it is ready.
 */
export function createStaffKv(opts: StaffKvOptions): StaffKv {
  if (!opts.redisUrl) return new DiskStaffKv(opts.dataDir);
  const log = opts.logger ?? (() => undefined);
  const client = createRedisClient(opts.redisUrl, log, 'staff redis');
  const connecting = client.connect().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const ready = Promise.race([connecting, new Promise((r) => (timer = setTimeout(r, 2000)))]).finally(() => clearTimeout(timer));
  return new RedisStaffKv(client, opts.keyPrefix, ready, async () => {
    await connecting;
    if (client.isOpen) await client.close().catch(() => client.destroy());
  });
}

export interface StaffServices {
  kv: StaffKv;
  accounts: Accounts;
  sessions: Sessions;
  lockout: Lockout;
  audit: AuditLog;
  reviews: Reviews;
  queries: ConversationQueries;
}

export function createStaffServices(kv: StaffKv, stores: Pick<Stores, 'transcripts' | 'ratings'>, now: () => Date = () => new Date()): StaffServices {
  const reviews = new Reviews(kv, now);
  return {
    kv,
    accounts: new Accounts(kv, now),
    sessions: new Sessions(kv, () => now().getTime()),
    lockout: new Lockout(kv, () => now().getTime()),
    audit: new AuditLog(kv, now),
    reviews,
    // The list's digests are kept between runs (a fresh process's first search reads a month as
    // 31 values, not 8,000 transcripts): files on disk, the last 36 days in Redis.
    queries: new ConversationQueries(stores.transcripts, stores.ratings, reviews, kv instanceof DiskStaffKv ? new DiskDigestArchive(path.dirname(kv.dir)) : new KvDigestArchive(kv, () => now().getTime())),
  };
}

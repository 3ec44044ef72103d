import { DiskStorage } from './diskStorage';
import { createRedisClient } from './redisClient';
import { DiskRatingStore } from './diskRatingStore';
import { DiskTranscriptStore } from './diskTranscriptStore';
import { LocalTurnLock } from './localTurnLock';
import type { RatingStore } from './ratingStore';
import { RedisRatingStore } from './redisRatingStore';
import { RedisStorage } from './redisStorage';
import type { RedisCommandClient } from './redisCommands';
import { RedisTranscriptStore } from './redisTranscriptStore';
import { RedisTurnLock } from './redisTurnLock';
import type { TranscriptStore } from './transcriptStore';
import type { TurnLock } from './turnLock';
import type { Storage } from './types';

export * from './types';
export * from './errors';
export { redact, REDACTION_PLACEHOLDERS } from './redact';
export { DiskStorage, type DiskStorageOptions } from './diskStorage';
export { RedisStorage, CONVERSATION_KEY, type RedisStorageOptions } from './redisStorage';
export { RedisCommands, type RedisCommandClient } from './redisCommands';
export type { TranscriptStore, TranscriptRecord, TranscriptFilter, ConversationSummary } from './transcriptStore';
export { DiskTranscriptStore, type DiskTranscriptStoreOptions } from './diskTranscriptStore';
export { RedisTranscriptStore, type RedisTranscriptStoreOptions } from './redisTranscriptStore';
export type { RatingStore, Rating, RatingFilter } from './ratingStore';
export { DiskRatingStore, type DiskRatingStoreOptions } from './diskRatingStore';
export { RedisRatingStore, type RedisRatingStoreOptions } from './redisRatingStore';
export type { TurnLock, TurnLockMetrics } from './turnLock';
export { LocalTurnLock, type LocalTurnLockOptions } from './localTurnLock';
export { RedisTurnLock, type RedisTurnLockOptions } from './redisTurnLock';

export interface CreateStoresOptions {
  /** Root of the embedded stores (DATA_DIR). */
  dataDir: string;
  /** When set, state, transcripts and the turn lock live in Redis. */
  redisUrl?: string;
  /** Default 'iemic:'. */
  keyPrefix?: string;
  /** Idle expiry of conversation state in Redis. Default 30. */
  conversationTtlDays?: number;
  logger?: (msg: string) => void;
}

export interface Stores {
  kind: 'disk' | 'redis';
  storage: Storage;
  transcripts: TranscriptStore;
  ratings: RatingStore;
  lock: TurnLock;
  /** A raw Redis command (for shared counters such as rate limits); only with Redis. */
  sendCommand?: (args: string[]) => Promise<unknown>;
  /** The Redis client, when the stores are in Redis (for other shared counters, e.g. rate limits). */
  redis?: RedisCommandClient;
  /** False while Redis is disconnected (for the health endpoint); always true on disk. */
  isReady(): boolean;
  /** Flushes transcripts and ratings, and disconnects. */
  close(): Promise<void>;
}

const CONNECT_WAIT_MS = 2000;

const EXPIRY_CHECK_MS = 6 * 3600 * 1000;

export interface DiskStoresOptions {
  /** State not written for this many days is deleted (as Redis expires it). Default 30. */
  idleStateDays?: number;
  logger?: (msg: string) => void;
}

/**
 * The embedded default: everything on local disk under `dataDir`, one process per directory.
 * Idle state is deleted at start and every 6 hours, so the folder does not grow without bound.
 */
export function createDiskStores(dataDir: string, options: DiskStoresOptions = {}): Stores {
  const transcripts = new DiskTranscriptStore({ dataDir });
  const ratings = new DiskRatingStore({ dataDir });
  const storage = new DiskStorage({ dataDir });
  const idleMs = (options.idleStateDays ?? 30) * 24 * 3600 * 1000;
  const expire = () => {
    storage.expireIdle(idleMs).then(
      (n) => n > 0 && options.logger?.(`expired ${n} idle state files`),
      (err: Error) => options.logger?.(`state expiry failed: ${err.name}`),
    );
  };
  const first = setTimeout(expire, 10_000);
  first.unref();
  const timer = setInterval(expire, EXPIRY_CHECK_MS);
  timer.unref();
  return {
    kind: 'disk',
    storage,
    transcripts,
    ratings,
    lock: new LocalTurnLock(),
    isReady: () => true,
    close: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await Promise.all([storage.flush(), transcripts.close(), ratings.flush()]);
    },
  };
}

const CLOSE_WAIT_MS = 1000;

/**
 * Creates the stores for the configured backend. With Redis it waits up to 2 s for the first
 * connection; if Redis is not up yet it still returns: commands fail fast with
 * StorageUnavailableError and the client keeps reconnecting by itself.
 */
export async function createStores(opts: CreateStoresOptions): Promise<Stores> {
  const log = opts.logger ?? (() => undefined);
  if (!opts.redisUrl) return createDiskStores(opts.dataDir, { idleStateDays: opts.conversationTtlDays ?? 30, logger: log });

  const client = createRedisClient(opts.redisUrl, log);

  const connected = client.connect().then(
    () => true,
    (err: Error) => {
      log(`redis: giving up connecting: ${err.message}`);
      return false;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const ok = await Promise.race([connected, new Promise<false>((r) => (timer = setTimeout(() => r(false), CONNECT_WAIT_MS)))]);
  clearTimeout(timer);
  if (!ok) log(`redis: not reachable at start (${withoutPassword(opts.redisUrl)}); retrying in the background`);

  const prefix = opts.keyPrefix ?? 'iemic:';
  const transcripts = new RedisTranscriptStore(client, { keyPrefix: prefix });
  const ratings = new RedisRatingStore(client, { keyPrefix: prefix });
  return {
    kind: 'redis',
    storage: new RedisStorage(client, {
      keyPrefix: prefix,
      conversationTtlSeconds: (opts.conversationTtlDays ?? 30) * 24 * 3600,
    }),
    transcripts,
    ratings,
    lock: new RedisTurnLock(client, { keyPrefix: prefix, logger: log }),
    sendCommand: (args) => client.sendCommand(args),
    redis: client,
    isReady: () => client.isReady,
    close: async () => {
      await Promise.all([transcripts.flush(), ratings.flush()]).catch(() => undefined);
      if (!client.isOpen) return;
      if (client.isReady) {
        let t: NodeJS.Timeout | undefined;
        const closed = await Promise.race([
          client.close().then(() => true),
          new Promise<false>((r) => (t = setTimeout(() => r(false), CLOSE_WAIT_MS))),
        ]);
        clearTimeout(t);
        if (closed) return;
      }
      try {
        client.destroy();
      } catch {
        // already closed
      }
    },
  };
}

function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

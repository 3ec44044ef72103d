import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockTimeoutError } from './errors';
import { luaScript, RedisCommands, type RedisCommandClient } from './redisCommands';
import type { TurnLock, TurnLockMetrics } from './turnLock';

export interface RedisTurnLockOptions {
  /** Default 'iemic:'. Keys: `<prefix>lock:<id>` (the lock), `lockq:`, `lockhb:`, `lockn:` (the queue). */
  keyPrefix?: string;
  /** Lock lifetime: a crashed holder blocks its conversation at most this long. Default 8000 ms (under the channel's 15 s). */
  ttlMs?: number;
  /** A turn waiting longer than this throws LockTimeoutError. Default ttlMs + 2000. */
  maxWaitMs?: number;
  /** A waiter that has not polled for this long (crashed) loses its place. Default 2000 ms. */
  waiterTtlMs?: number;
  /** Poll backoff bounds while waiting (ms); the upper one bounds the hand-over delay. Default 5 to 25. */
  pollMinMs?: number;
  pollMaxMs?: number;
  commandTimeoutMs?: number;
  logger?: (msg: string) => void;
}

// FIFO tickets: each waiter takes a ticket (INCR) into a sorted set once, keeps a heartbeat
// while it polls, and only the head of the queue may take the lock (SET NX PX), so turns
// run in arrival order. Waiters whose heartbeat lapsed are dropped, so a crashed waiter
// cannot block the queue.
// KEYS: lock, queue zset (score = ticket), heartbeat zset (score = deadline ms), ticket counter.
// ARGV: token, lock ttl ms, waiter ttl ms. Returns 1 when the lock is ours.
const ACQUIRE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[2], w)
  redis.call('ZREM', KEYS[3], w)
end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[1])
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[1])
local keep = 2 * math.max(tonumber(ARGV[2]), tonumber(ARGV[3]))
for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], keep) end
local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
if head == ARGV[1] and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 1
end
return 0
`);

// Compare-and-delete: never release a lock that expired and now belongs to another turn.
const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Turn lock shared by every instance through Redis (Redis 5 or later). */
export class RedisTurnLock implements TurnLock {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly maxWaitMs: number;
  private readonly waiterTtlMs: number;
  private readonly pollMinMs: number;
  private readonly pollMaxMs: number;
  private readonly log: (msg: string) => void;
  private readonly m: TurnLockMetrics = { acquired: 0, waited: 0, maxWaitMs: 0, timeouts: 0, retries: 0, lost: 0 };

  constructor(client: RedisCommandClient, options: RedisTurnLockOptions = {}) {
    this.redis = new RedisCommands(client, options.commandTimeoutMs);
    this.prefix = options.keyPrefix ?? 'iemic:';
    this.ttlMs = options.ttlMs ?? 8000;
    this.maxWaitMs = options.maxWaitMs ?? this.ttlMs + 2000;
    this.waiterTtlMs = options.waiterTtlMs ?? 2000;
    this.pollMinMs = options.pollMinMs ?? 5;
    this.pollMaxMs = options.pollMaxMs ?? 25;
    this.log = options.logger ?? (() => undefined);
  }

  get metrics(): TurnLockMetrics {
    return { ...this.m };
  }

  async run<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const keys = [
      `${this.prefix}lock:${conversationId}`,
      `${this.prefix}lockq:${conversationId}`,
      `${this.prefix}lockhb:${conversationId}`,
      `${this.prefix}lockn:${conversationId}`,
    ];
    const start = Date.now();
    let attempts = 0;
    let delay = this.pollMinMs;
    while ((await this.redis.eval<number>(ACQUIRE, keys, [token, this.ttlMs, this.waiterTtlMs])) !== 1) {
      const waited = Date.now() - start;
      if (waited >= this.maxWaitMs) {
        this.m.timeouts++;
        await Promise.all([
          this.redis.call(['ZREM', keys[1]!, token]),
          this.redis.call(['ZREM', keys[2]!, token]),
        ]).catch(() => undefined); // otherwise dropped by heartbeat expiry
        throw new LockTimeoutError(conversationId, waited);
      }
      attempts++;
      await sleep(Math.min(delay, this.maxWaitMs - waited));
      delay = Math.min(delay * 2, this.pollMaxMs);
    }
    const waitedMs = Date.now() - start;
    this.m.acquired++;
    if (attempts > 0) this.m.waited++;
    this.m.retries += attempts;
    this.m.maxWaitMs = Math.max(this.m.maxWaitMs, waitedMs);
    try {
      return await fn();
    } finally {
      await this.release(conversationId, keys[0]!, token);
    }
  }

  private async release(conversationId: string, lockKey: string, token: string): Promise<void> {
    try {
      const released = await this.redis.eval<number>(RELEASE, [lockKey], [token]);
      if (released !== 1) {
        this.m.lost++;
        this.log(`turn lock for "${conversationId}" expired before the turn ended (turn longer than ${this.ttlMs} ms)`);
      }
    } catch (err) {
      // The turn's own result matters more; the lock expires by itself.
      this.log(`turn lock for "${conversationId}" not released: ${(err as Error).message}`);
    }
  }
}

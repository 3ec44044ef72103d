import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';

/**
 * rate-limit-redis loads its scripts once, at start: if Redis is down then, every count fails
 * until a restart. This loads them again after a failure.
 */
class ReloadingRedisStore extends RedisStore {
  override async increment(key: string): ReturnType<RedisStore['increment']> {
    try {
      return await super.increment(key);
    } catch (err) {
      const self = this as unknown as { incrementScriptSha: Promise<string>; getScriptSha: Promise<string> };
      self.incrementScriptSha = this.loadIncrementScript();
      self.getScriptSha = this.loadGetScript();
      Promise.all([self.incrementScriptSha, self.getScriptSha]).catch(() => undefined);
      throw err;
    }
  }
}

export interface MessageLimitOptions {
  perMinute: number;
  /** True without an app id: anyone can post, so count per client address (IPv6 per /56). */
  anonymous: boolean;
  /** Shared counters for all instances (REDIS_URL); in memory otherwise. */
  sendCommand?: (args: string[]) => Promise<unknown>;
  keyPrefix?: string;
}

/**
 * Requests to /api/messages per minute (after the body is parsed). Anonymous: per client address,
 * an IPv6 address by its /56 (one subscriber's whole range). With an app id every request comes
 * from Bot Service's few addresses, so the count is per conversation instead (a forged token is
 * refused cheaply by the signature check before any work).
 */
export function messageLimiter(opts: MessageLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: opts.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: () => opts.perMinute === 0,
    keyGenerator: (req: Request) => {
      const address = ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', 56);
      if (opts.anonymous) return address;
      const conversation = (req.body as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
      return typeof conversation === 'string' ? `c:${conversation.slice(0, 200)}` : address;
    },
    handler: (_req, res) => {
      res.status(429).json({ error: 'Too many requests: try again in a minute.' });
    },
    // Redis down: let the request through (the turn itself answers with an apology)
    passOnStoreError: true,
    ...(opts.sendCommand
      ? { store: new ReloadingRedisStore({ sendCommand: (...args: string[]) => opts.sendCommand!(args) as Promise<never>, prefix: `${opts.keyPrefix ?? 'iemic:'}rl:messages:` }) }
      : {}),
  });
}

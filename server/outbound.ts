import http from 'node:http';
import https from 'node:https';
import type { ConnectorClientOptions } from 'botframework-connector';
import { AppCredentials } from 'botframework-connector';
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import type { Logger } from './logger';

/** After a failed metadata fetch, tokens are refused (401) for this long before the next try. */
const RETRY_AFTER_FAILURE_MS = 10_000;

interface MetadataInternals {
  url: string;
  keys?: unknown[];
  lastUpdated: number;
  refreshing?: Promise<void>;
  failedAt?: number;
}

let installed: { timeoutMs: number; logger?: Logger } | undefined;

const MAX_METADATA_BYTES = 1_000_000;

/**
 * GET a JSON document over a connection of its own (no pool), destroyed at the deadline, on an
 * error or once read: nothing is left open whatever the other side does.
 */
function getJson(url: string, deadline: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const get = target.protocol === 'https:' ? https.get : target.protocol === 'http:' ? http.get : undefined;
    if (!get) return reject(new Error('unsupported protocol'));
    const req = get(target, { agent: false, timeout: Math.max(1, deadline - Date.now()) });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), Math.max(1, deadline - Date.now()));
    const done = (err: Error | undefined, value?: Record<string, unknown>) => {
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    req.on('timeout', () => done(new Error('timeout')));
    req.on('error', (err) => done(err));
    req.on('response', (res) => {
      if (res.statusCode !== 200) return done(new Error(`HTTP ${res.statusCode}`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_METADATA_BYTES) done(new Error('too large'));
        else chunks.push(c);
      });
      res.on('error', (err) => done(err));
      res.on('end', () => {
        try {
          done(undefined, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        } catch (err) {
          done(err as Error);
        }
      });
    });
  });
}

/**
 * botframework-connector fetches the channel's OpenID metadata and keys with no timeout, once per
 * request while it has none, and turns a failure into a 500 naming the upstream. This replaces its
 * refresh (the one method, process-wide): one fetch at a time per metadata URL, shared by the
 * requests waiting for it, aborted (socket freed) after `timeoutMs`; a failure is logged and leaves
 * the keys as they were, so the token is refused with a 401, and the next try waits a few seconds.
 */
export function boundOpenIdMetadata(timeoutMs: number, logger?: Logger): void {
  installed = { timeoutMs, ...(logger ? { logger } : {}) };
  const proto = OpenIdMetadata.prototype as unknown as { refreshCache(this: MetadataInternals): Promise<void> };
  proto.refreshCache = function refreshCache(this: MetadataInternals): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (this.failedAt && Date.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return Promise.resolve();
    const settings = installed!;
    this.refreshing = (async () => {
      const deadline = Date.now() + settings.timeoutMs;
      try {
        const config = await getJson(this.url, deadline);
        if (typeof config.jwks_uri !== 'string') throw new Error('no jwks_uri');
        const jwks = await getJson(config.jwks_uri, deadline);
        if (!Array.isArray(jwks.keys)) throw new Error('no keys');
        this.keys = jwks.keys;
        this.lastUpdated = Date.now();
        this.failedAt = undefined;
      } catch (err) {
        this.failedAt = Date.now();
        settings.logger?.warn('openid metadata unavailable', { error: (err as Error).name, timeoutMs: settings.timeoutMs });
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  };
}

/**
 * Connector calls (replies, typing) give up after `timeoutMs`, retries included (the pipeline
 * retries a failed call up to three times), instead of holding the turn and its lock.
 */
export function connectorOptions(timeoutMs: number): ConnectorClientOptions {
  type Req = { timeout?: number; abortSignal?: AbortSignal };
  type Next = { sendRequest(req: Req): Promise<unknown> };
  const timeoutPolicy = {
    create: (next: Next) => ({
      sendRequest: (req: Req) => {
        if (!req.timeout || req.timeout > timeoutMs) req.timeout = timeoutMs;
        req.abortSignal = req.abortSignal ? AbortSignal.any([req.abortSignal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
        return next.sendRequest(req);
      },
    }),
  };
  return { requestPolicyFactories: [timeoutPolicy] } as unknown as ConnectorClientOptions;
}

/**
 * The access token the bot fetches before replying (MSAL, to the identity provider) has no timeout
 * of its own: a hanging login host would hold the turn and its lock. The wait is bounded here; the
 * reply then fails like any connector failure (logged, the user's state kept).
 */
export function boundTokenFetch(timeoutMs: number): void {
  const proto = AppCredentials.prototype as unknown as { getToken(forceRefresh?: boolean): Promise<string>; __bounded?: boolean };
  if (proto.__bounded) return;
  const original = proto.getToken;
  proto.getToken = function bounded(this: unknown, forceRefresh?: boolean): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`token fetch timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([original.call(this, forceRefresh), timeout]).finally(() => clearTimeout(timer));
  };
  proto.__bounded = true;
}

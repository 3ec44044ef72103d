import { INPUT_LIMITS, withinBudget } from '../../bot/middleware/inputLimits';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Request, type Response } from 'express';
import type { Activity, ChannelAccount, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import { AZURE_DIRECT_LINE, AzureTokenError, generateAzureToken } from './azure';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { RedisCommandClient } from '../../storage/redisCommands';
import type { Storage } from '../../storage/types';
import { CHANNEL_ID, ConversationStore, DEFAULT_LIMITS, WATERMARK, conversationAccount, type Conversation, type ConversationLimits } from './conversations';
import { LocalDirectLineAdapter } from './localAdapter';
import { AppendNotifications } from './notifications';
import { createStreaming } from './streaming';
import { TokenKeys, TokenSigner, bearer, randomId, type TokenClaims } from './token';

/** Where the page finds the local Direct Line; relative to the server that gave the token. */
export const LOCAL_DOMAIN = '/v3/directline';

export interface DirectLineOptions {
  bot: { run(context: TurnContext): Promise<void> };
  logger: Logger;
  /** Where conversations, their activities and the token key live: the bot's store (disk or Redis). */
  storage: Storage;
  /** When set (REDIS_URL), the rate limits are counted in Redis, shared by every instance. */
  redis?: RedisCommandClient;
  /** Prefix of this app's Redis keys. */
  redisKeyPrefix?: string;
  /** DIRECT_LINE_SECRET: tokens then come from Azure's Direct Line and the local endpoint is off. */
  secret?: string;
  /** Azure's Direct Line base URL (a regional one, e.g. Europe's, if the bot uses it). */
  azureDomain?: string;
  /** HMAC key for local tokens (DIRECT_LINE_TOKEN_KEY); else one kept in the store. */
  tokenKey?: string;
  tokenLifetimeSeconds?: number;
  limits?: Partial<ConversationLimits>;
  /** Tokens one address (an IPv6 /56) may get per minute. */
  tokensPerMinute?: number;
  /** New conversations per minute from everyone together (per instance without Redis). */
  conversationsPerMinute?: number;
  /** Reverse proxies in front of this server that append to X-Forwarded-For (0: none; trust no header). */
  proxyHops?: number;
  /** With Redis: how often a stream re-reads the store in case a notification was lost (default 5 s). */
  sharedPollMs?: number;
  /** Offer the WebSocket stream (streamUrl); default true. The server must pass HTTP upgrades to `upgrade`. */
  streaming?: boolean;
  /** Turns one conversation may have queued; past it, posts get 429. */
  maxPendingTurns?: number;
  /** How long a post waits for the bot's turn before answering anyway (the replies still come by polling). */
  turnWaitMs?: number;
  botAccount?: ChannelAccount;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface DirectLine {
  router: express.Router;
  adapter: LocalDirectLineAdapter;
  store: ConversationStore;
  /** Removes the Direct Line's copy of a conversation (staff erasure). */
  erase(conversationId: string): Promise<void>;
  /** For the HTTP server's 'upgrade' event: takes a conversation's WebSocket stream, else returns false. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

type Fail = (res: Response, status: number, code: string, message: string) => void;
const fail: Fail = (res, status, code, message) => {
  res.status(status).json({ error: { code, message } });
};

const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const POSTABLE_TYPES = new Set(['message', 'event', 'typing']);
/** Addresses in one IPv6 /56 (a household's or a small hosting customer's) count as one. */
const IPV6_PREFIX = 56;

/** The caller's address: the socket's, or the one `hops` proxies back in X-Forwarded-For (as express's "trust proxy" counts). */
export function clientAddress(req: Request, hops: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return socket;
  const chain = [...(req.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean), socket];
  return chain[Math.max(0, chain.length - 1 - hops)] ?? socket;
}

function str(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/**
 * A Direct Line 3.0-compatible endpoint (polling, and the WebSocket stream) in front of the bot, so
 * the web page works with no Azure. Tokens bind one conversation and one user; see token.ts.
 */
export function createDirectLine(options: DirectLineOptions): DirectLine {
  const now = options.now ?? Date.now;
  const { logger } = options;
  const lifetime = options.tokenLifetimeSeconds ?? 30 * 60;
  const store = new ConversationStore(options.storage, { ...DEFAULT_LIMITS, ...options.limits }, now);
  const adapter = new LocalDirectLineAdapter(store);
  const signer = new TokenSigner(undefined, now);
  const keys = new TokenKeys(signer, options.storage, options.tokenKey);
  const maxPending = options.maxPendingTurns ?? 5;
  const turnWait = options.turnWaitMs ?? 15_000;
  const botAccount: ChannelAccount = { id: 'iemic-assistant', name: 'IeM IC asistents', role: 'bot', ...options.botAccount };

  const limiter = (name: string, limit: number, key: (req: Request) => string, message: string) => rateLimit({
    windowMs: 60_000,
    limit,
    keyGenerator: key,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Redis down: let the page work rather than refuse everyone.
    passOnStoreError: true,
    validate: { xForwardedForHeader: false, trustProxy: false },
    ...(options.redis ? { store: new RedisStore({ prefix: `${options.redisKeyPrefix ?? 'iemic:'}rl:${name}:`, sendCommand: (...args: string[]) => options.redis!.sendCommand(args) as Promise<RedisReply> }) } : {}),
    handler: (req, res) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      res.set('retry-after', String(Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000))));
      res.set('cache-control', 'no-store');
      fail(res, 429, 'TooManyRequests', message);
    },
  });
  const perAddress = limiter('token', options.tokensPerMinute ?? 30, (req) => ipKeyGenerator(clientAddress(req, options.proxyHops ?? 0), IPV6_PREFIX),
    'Too many new conversations from this address; try again shortly.');
  const everyone = limiter('conversations', options.conversationsPerMinute ?? 600, () => 'all',
    'Too many new conversations right now; try again shortly.');

  const sweeper = setInterval(() => {
    store.sweep().catch((err: unknown) => logger.warn('direct line sweep failed', { error: (err as Error).name }));
  }, 5 * 60_000);
  sweeper.unref();
  const streamingOn = options.streaming ?? true;
  // Without Redis every append happens in this process, which tells the sockets at once.
  // With Redis, appends on other instances come by pub/sub; a slow re-read covers a lost message.
  const notifications = options.redis ? new AppendNotifications(options.redis, `${options.redisKeyPrefix ?? 'iemic:'}dl:appended:`) : undefined;
  let lastNotificationError = '';
  notifications?.listen((id) => store.emit('remote', id), (err) => {
    if (err.message === lastNotificationError) return;
    lastNotificationError = err.message;
    logger.warn('direct line notifications', { error: err.name });
  });
  const publish = (id: string) => notifications?.publish(id);
  store.on('appended', publish);
  const streaming = createStreaming({ store, logger, verify: (token) => keys.verify(token), sharedPollMs: options.redis ? (options.sharedPollMs ?? 5000) : 0 });
  /** The conversation's stream, on the host (and scheme, behind a trusted proxy) the client called. */
  const streamUrl = (req: Request, conversationId: string, token: string, watermark = ''): string | undefined => {
    if (!streamingOn) return undefined;
    const forwarded = (options.proxyHops ?? 0) > 0 ? req.get('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
    const secure = (forwarded ?? req.protocol) === 'https';
    const query = new URLSearchParams({ watermark, t: token });
    return `${secure ? 'wss' : 'ws'}://${req.get('host') ?? 'localhost'}${LOCAL_DOMAIN}/conversations/${encodeURIComponent(conversationId)}/stream?${query}`;
  };

  const runTurn = (activity: Partial<Activity>): Promise<void> =>
    adapter.processActivity(activity, (context) => options.bot.run(context)).catch((err: unknown) => {
      logger.error('direct line turn failed', { error: (err as Error).name, detail: String((err as Error).message).slice(0, 200) });
    });

  /** The token's claims, or a 401 (403 when expired, which Web Chat's Direct Line client reads as "expired token"). */
  const authorize = async (req: Request, res: Response): Promise<TokenClaims | undefined> => {
    const check = await keys.verify(bearer(req.get('authorization')));
    if (check.ok) return check.claims;
    const messages = {
      missing: 'A token is required (Authorization: Bearer <token>).',
      malformed: 'The token is not valid.',
      signature: 'The token is not valid.',
      expired: 'The token has expired.',
    };
    if (check.reason === 'expired') fail(res, 403, 'TokenExpired', messages.expired);
    else fail(res, 401, 'Unauthorized', messages[check.reason]);
    return undefined;
  };

  /** The conversation in the path, if the token is for it (else 403) and it still exists (else 404). */
  const conversationFor = async (req: Request, res: Response): Promise<{ claims: TokenClaims; conversation: Conversation } | undefined> => {
    const claims = await authorize(req, res);
    if (!claims) return undefined;
    if (req.params.id !== claims.conv) {
      fail(res, 403, 'Forbidden', 'The token is not valid for this conversation.');
      return undefined;
    }
    const conversation = await store.get(claims.conv);
    if (!conversation) {
      fail(res, 404, 'NotFound', 'The conversation has ended or does not exist.');
      return undefined;
    }
    return { claims, conversation };
  };

  const userAccount = (conversation: Conversation, name?: string): ChannelAccount => ({
    id: conversation.userId, name: name ?? '', role: 'user',
  });

  const baseActivity = (conversation: Conversation): Partial<Activity> => ({
    channelId: CHANNEL_ID,
    serviceUrl: 'urn:iemic:local-directline',
    conversation: conversationAccount(conversation.id),
    recipient: botAccount,
  });

  const router = express.Router();
  const json = express.json({ limit: '64kb' });
  router.use(LOCAL_DOMAIN, (_req, res, next) => {
    res.set('cache-control', 'no-store');
    if (options.secret) return fail(res, 404, 'NotFound', 'The local Direct Line is off: this server uses Azure Bot Service.');
    next();
  });

  router.post('/api/directline/token', perAddress, everyone, async (req, res) => {
    res.set('cache-control', 'no-store');
    const userId = `dl_${randomId(12)}`;
    if (options.secret) {
      try {
        const azure = await generateAzureToken(options.secret, userId, {
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.azureDomain ? { domain: options.azureDomain } : {}),
        });
        res.json({ ...azure, userId, domain: options.azureDomain ?? AZURE_DIRECT_LINE });
      } catch (err) {
        const status = err instanceof AzureTokenError ? err.status : undefined;
        logger.error('direct line token failed', { error: (err as Error).name, status });
        fail(res, 502, 'ServiceError', 'The chat service is not available right now.');
      }
      return;
    }
    await keys.ready();
    const conversationId = randomId(18);
    const { token } = signer.sign(conversationId, userId, lifetime);
    res.json({ token, conversationId, userId, expires_in: lifetime, domain: LOCAL_DOMAIN, streaming: streamingOn });
  });

  router.post(`${LOCAL_DOMAIN}/tokens/refresh`, async (req, res) => {
    const claims = await authorize(req, res);
    if (!claims) return;
    const { token } = signer.sign(claims.conv, claims.user, lifetime);
    res.json({ conversationId: claims.conv, token, expires_in: lifetime });
  });

  router.post(`${LOCAL_DOMAIN}/conversations`, json, async (req, res) => {
    const claims = await authorize(req, res);
    if (!claims) return;
    const body = (req.body ?? {}) as { locale?: unknown };
    const locale = typeof body.locale === 'string' && LOCALE.test(body.locale) ? body.locale : undefined;
    const { conversation, created } = await store.open(claims.conv, claims.user, locale);
    if (created) {
      logger.info('direct line conversation started', { locale: locale ?? '' });
      // The bot greets members other than itself; Azure's Direct Line sends the same on a new conversation.
      void runTurn({
        ...baseActivity(conversation),
        type: 'conversationUpdate',
        id: randomId(12),
        timestamp: new Date(now()),
        from: userAccount(conversation),
        membersAdded: [userAccount(conversation)],
        ...(locale ? { locale } : {}),
      });
    }
    const token = bearer(req.get('authorization')) ?? '';
    res.status(created ? 201 : 200).json({
      conversationId: conversation.id,
      token,
      expires_in: claims.exp - Math.floor(now() / 1000),
      streamUrl: streamUrl(req, conversation.id, token),
    });
  });

  // Web Chat calls this to resume a conversation (and with WebSockets, to get a new stream URL).
  router.get(`${LOCAL_DOMAIN}/conversations/:id`, async (req, res) => {
    const watermark = req.query.watermark ?? '';
    if (typeof watermark !== 'string' || !WATERMARK.test(watermark)) {
      return fail(res, 400, 'BadArgument', 'The watermark must be a number from an earlier answer.');
    }
    const found = await conversationFor(req, res);
    if (!found) return;
    const token = bearer(req.get('authorization')) ?? '';
    res.json({
      conversationId: found.conversation.id,
      token,
      expires_in: found.claims.exp - Math.floor(now() / 1000),
      streamUrl: streamUrl(req, found.conversation.id, token, watermark),
    });
  });

  router.get(`${LOCAL_DOMAIN}/conversations/:id/activities`, async (req, res) => {
    const watermark = req.query.watermark ?? '';
    if (typeof watermark !== 'string' || !WATERMARK.test(watermark)) {
      return fail(res, 400, 'BadArgument', 'The watermark must be a number from an earlier answer.');
    }
    const found = await conversationFor(req, res);
    if (!found) return;
    res.json(store.since(found.conversation, Number(watermark || '0')));
  });

  router.post(`${LOCAL_DOMAIN}/conversations/:id/activities`, json, async (req, res) => {
    const found = await conversationFor(req, res);
    if (!found) return;
    const { conversation } = found;
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || typeof body.type !== 'string' || !POSTABLE_TYPES.has(body.type)) {
      return fail(res, 400, 'BadArgument', 'The body must be an activity of type message, event or typing.');
    }
    // a deeply nested or huge value must not reach the store (its JSON would overflow the stack)
    const oversized = (['value', 'channelData', 'entities', 'attachments'] as const).find((k) => body[k] !== undefined && !withinBudget(body[k], INPUT_LIMITS[k]));
    if (oversized) return fail(res, 413, 'MessageSizeExceeded', `The activity's ${oversized} is too large or too deeply nested.`);
    if (adapter.pending(conversation.id) >= maxPending) {
      res.set('retry-after', '2');
      return fail(res, 429, 'TooManyRequests', 'The assistant is still answering; try again shortly.');
    }
    const from = body.from as { name?: unknown } | undefined;
    const incoming: Partial<Activity> = {
      ...baseActivity(conversation),
      type: body.type,
      from: userAccount(conversation, str(from?.name, 100)),
      locale: str(body.locale, 35) ?? conversation.locale,
    };
    // Kept as sent (localTimestamp stays an ISO string, as over HTTP).
    const copied = incoming as Record<string, unknown>;
    for (const key of ['text', 'textFormat', 'name', 'localTimestamp', 'localTimezone', 'replyToId']) {
      const value = str(body[key], 10_000);
      if (value !== undefined) copied[key] = value;
    }
    if (body.value !== undefined) incoming.value = body.value;
    // Web Chat matches its own activity by channelData.clientActivityID; without the echo it shows "send failed".
    if (body.channelData && typeof body.channelData === 'object') incoming.channelData = body.channelData;
    if (Array.isArray(body.entities)) incoming.entities = body.entities as Activity['entities'];
    if (Array.isArray(body.attachments)) incoming.attachments = body.attachments as Activity['attachments'];

    // Typing is passed to the bot but not echoed: Azure's Direct Line does not keep it either.
    const stored = body.type === 'typing' ? { ...incoming, id: randomId(12), timestamp: new Date(now()) } : (await store.append(conversation.id, [incoming]))?.[0];
    if (!stored) return fail(res, 404, 'NotFound', 'The conversation has ended or does not exist.');
    const turn = runTurn(stored);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([turn, new Promise<void>((resolve) => { timer = setTimeout(resolve, turnWait); })]);
    clearTimeout(timer);
    res.json({ id: stored.id });
  });

  return {
    router, adapter, store,
    erase: (conversationId) => store.delete(conversationId),
    upgrade: (req, socket, head) => !options.secret && streamingOn && streaming.upgrade(req, socket, head),
    close: () => {
      clearInterval(sweeper);
      store.off('appended', publish);
      notifications?.close();
      streaming.close();
    },
  };
}

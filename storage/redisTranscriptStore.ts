import { luaScript, RedisCommands, type RedisCommandClient } from './redisCommands';
import type { ConversationSummary, TranscriptFilter, TranscriptRecord, TranscriptStore } from './transcriptStore';
import { DEFAULT_LIST_LIMIT, matchesFilter, validateRecord } from './transcriptUtil';

export interface RedisTranscriptStoreOptions {
  /** Default 'iemic:'; keys are `<prefix>tx:log:<id>`, `<prefix>tx:meta:<id>`, `<prefix>tx:index`. */
  keyPrefix?: string;
  commandTimeoutMs?: number;
}

// KEYS: log list, meta hash, index zset.
// ARGV: record JSON without seq, timestamp ms, conversationId, channelId, from, language, intent.
// seq comes from HINCRBY in the same script as the RPUSH, so it is strictly increasing and
// matches list order even with several instances appending.
const APPEND = luaScript(`
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
redis.call('RPUSH', KEYS[1], '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2))
local ts = tonumber(ARGV[2])
local first = tonumber(redis.call('HGET', KEYS[2], 'first'))
if first == nil or ts < first then redis.call('HSET', KEYS[2], 'first', ARGV[2]) end
local last = tonumber(redis.call('HGET', KEYS[2], 'last'))
if last == nil or ts > last then
  redis.call('HSET', KEYS[2], 'last', ARGV[2])
  redis.call('ZADD', KEYS[3], ts, ARGV[3])
end
redis.call('HSETNX', KEYS[2], 'channelId', ARGV[4])
redis.call('HINCRBY', KEYS[2], 'records', 1)
if ARGV[5] == 'user' then redis.call('HINCRBY', KEYS[2], 'user', 1) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[2], 'l:' .. ARGV[6], 1) end
if ARGV[7] ~= '' then redis.call('HINCRBY', KEYS[2], 'i:' .. ARGV[7], 1) end
return seq
`);

// KEYS: log, meta, index. ARGV: conversationId, cutoff ms ('' = unconditional).
const DELETE = luaScript(`
if ARGV[2] ~= '' then
  local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
  if score and tonumber(score) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`);

const PAGE = 200;

/**
 * Transcripts in Redis: a list per conversation, a hash of summary fields, and one sorted
 * set of conversation ids scored by last activity. Transcripts do not expire; staff policy
 * removes them with pruneOlderThan. Not for Redis Cluster (scripts touch several keys).
 */
export class RedisTranscriptStore implements TranscriptStore {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly indexKey: string;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(client: RedisCommandClient, options: RedisTranscriptStoreOptions = {}) {
    this.redis = new RedisCommands(client, options.commandTimeoutMs);
    this.prefix = `${options.keyPrefix ?? 'iemic:'}tx:`;
    this.indexKey = `${this.prefix}index`;
  }

  append(record: TranscriptRecord): Promise<void> {
    let clean: Omit<TranscriptRecord, 'seq'>;
    try {
      clean = validateRecord(record);
    } catch (err) {
      return Promise.reject(err);
    }
    const id = clean.conversationId;
    const done = this.redis
      .eval(APPEND, this.keys(id), [
        JSON.stringify(clean),
        Date.parse(clean.timestamp),
        id,
        clean.channelId,
        clean.from,
        clean.language ?? '',
        clean.intent ?? '',
      ])
      .then(() => undefined);
    this.inFlight.add(done);
    const forget = (): void => {
      this.inFlight.delete(done);
    };
    done.then(forget, forget);
    return done;
  }

  async list(filter: TranscriptFilter = {}): Promise<ConversationSummary[]> {
    const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
    const min = filter.from ? filter.from.getTime() : '-inf';
    const result: ConversationSummary[] = [];
    for (let offset = 0; result.length < limit; offset += PAGE) {
      const ids = await this.redis.call<string[]>(['ZREVRANGEBYSCORE', this.indexKey, '+inf', min, 'LIMIT', offset, PAGE]);
      const metas = await Promise.all(ids.map((id) => this.redis.call<unknown>(['HGETALL', `${this.prefix}meta:${id}`])));
      ids.forEach((id, i) => {
        const summary = toSummary(id, hashEntries(metas[i]));
        if (summary && result.length < limit && matchesFilter(summary, filter)) result.push(summary);
      });
      if (ids.length < PAGE) break;
    }
    return result;
  }

  async get(conversationId: string): Promise<TranscriptRecord[]> {
    const lines = await this.redis.call<string[]>(['LRANGE', `${this.prefix}log:${conversationId}`, 0, -1]);
    return lines.map((line) => JSON.parse(line) as TranscriptRecord);
  }

  async deleteConversation(conversationId: string): Promise<void> {
    await this.redis.eval(DELETE, this.keys(conversationId), [conversationId, '']);
  }

  async pruneOlderThan(cutoff: Date): Promise<number> {
    const limit = cutoff.getTime();
    let removed = 0;
    for (;;) {
      // Exclusive bound: "older than" the cutoff. Removed ids leave the set, so always read page 0.
      const ids = await this.redis.call<string[]>(['ZRANGEBYSCORE', this.indexKey, '-inf', `(${limit}`, 'LIMIT', 0, PAGE]);
      if (ids.length === 0) return removed;
      const results = await Promise.all(ids.map((id) => this.redis.eval<number>(DELETE, this.keys(id), [id, limit])));
      const now = results.reduce((a, b) => a + b, 0);
      removed += now;
      // Every candidate got newer activity meanwhile: stop rather than spin.
      if (now === 0) return removed;
    }
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private keys(id: string): string[] {
    return [`${this.prefix}log:${id}`, `${this.prefix}meta:${id}`, this.indexKey];
  }
}

/** HGETALL's raw reply: a flat [field, value, …] array (RESP2, the default) or a map (RESP3). */
function hashEntries(reply: unknown): Map<string, string> {
  const h = new Map<string, string>();
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) h.set(String(reply[i]), String(reply[i + 1]));
  } else if (reply instanceof Map) {
    for (const [k, v] of reply) h.set(String(k), String(v));
  } else if (reply && typeof reply === 'object') {
    for (const [k, v] of Object.entries(reply)) h.set(k, String(v));
  }
  return h;
}

/** Undefined when the hash is gone (deleted meanwhile). */
function toSummary(conversationId: string, h: Map<string, string>): ConversationSummary | undefined {
  const first = Number(h.get('first'));
  const last = Number(h.get('last'));
  if (!h.has('channelId') || !Number.isFinite(first) || !Number.isFinite(last)) return undefined;
  const languages: Array<'lv' | 'en'> = [];
  const intents: string[] = [];
  for (const field of h.keys()) {
    if (field === 'l:lv' || field === 'l:en') languages.push(field.slice(2) as 'lv' | 'en');
    else if (field.startsWith('i:')) intents.push(field.slice(2));
  }
  return {
    conversationId,
    channelId: h.get('channelId')!,
    firstTimestamp: new Date(first).toISOString(),
    lastTimestamp: new Date(last).toISOString(),
    records: Number(h.get('records') ?? 0),
    userMessages: Number(h.get('user') ?? 0),
    languages,
    intents,
  };
}

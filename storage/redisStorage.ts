import { randomUUID } from 'node:crypto';
import { EtagConflictError } from './errors';
import { luaScript, RedisCommands, type RedisCommandClient } from './redisCommands';
import type { Storage, StoreItem, StoreItems } from './types';

export interface RedisStorageOptions {
  /** Prefix of every Redis key this app owns. Default 'iemic:'; items live at `<prefix>state:<key>`. */
  keyPrefix?: string;
  /** Idle expiry of conversation-scoped keys, refreshed on every write. Default 30 days; 0 = never. */
  conversationTtlSeconds?: number;
  /** Which keys get that expiry. Default: CONVERSATION_KEY (user state never expires). */
  isConversationKey?: (key: string) => boolean;
  /** Per-command deadline (ms). */
  commandTimeoutMs?: number;
}

/**
 * botbuilder's conversation keys: `${channelId}/conversations/${conversationId}/${namespace}`
 * and private conversation state `${channelId}/conversations/${id}/users/${userId}/${ns}`.
 * User state (`${channelId}/users/${userId}/${ns}`) does not match. Channel ids never
 * contain '/'.
 */
export const CONVERSATION_KEY = /^[^/]+\/conversations\//;

const DEFAULT_TTL_SECONDS = 30 * 24 * 3600;
const MGET_CHUNK = 500;

// All-or-nothing batch: check every expected eTag, then write every key.
// KEYS[i]; ARGV[3i-2] = expected eTag ('' = unconditional), ARGV[3i-1] = value, ARGV[3i] = ttl ms (0 = none).
// Returns 0, or the 1-based index of the first conflicting key.
const WRITE = luaScript(`
for i = 1, #KEYS do
  local expected = ARGV[3 * i - 2]
  if expected ~= '' then
    local old = redis.call('GET', KEYS[i])
    if old then
      local tag = string.match(old, '^{"eTag":"([^"]*)"')
      if tag == nil then
        local ok, obj = pcall(cjson.decode, old)
        if ok and type(obj) == 'table' then tag = obj.eTag end
      end
      if tag ~= expected then return i end
    end
  end
end
for i = 1, #KEYS do
  local ttl = tonumber(ARGV[3 * i])
  if ttl > 0 then
    redis.call('SET', KEYS[i], ARGV[3 * i - 1], 'PX', ttl)
  else
    redis.call('SET', KEYS[i], ARGV[3 * i - 1])
  end
end
return 0
`);

/**
 * Bot state in Redis with MemoryStorage's eTag rules, checked atomically in a Lua script
 * (safe across instances behind a load balancer). Values are JSON with the eTag as the
 * first property, so the script can read it without decoding the whole item.
 */
export class RedisStorage implements Storage {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly isConversationKey: (key: string) => boolean;

  constructor(client: RedisCommandClient, options: RedisStorageOptions = {}) {
    this.redis = new RedisCommands(client, options.commandTimeoutMs);
    this.prefix = `${options.keyPrefix ?? 'iemic:'}state:`;
    this.ttlMs = Math.round((options.conversationTtlSeconds ?? DEFAULT_TTL_SECONDS) * 1000);
    this.isConversationKey = options.isConversationKey ?? ((key) => CONVERSATION_KEY.test(key));
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const result: StoreItems = {};
    for (let start = 0; start < keys.length; start += MGET_CHUNK) {
      const chunk = keys.slice(start, start + MGET_CHUNK);
      const values = await this.redis.call<Array<string | null>>(['MGET', ...chunk.map((k) => this.prefix + k)]);
      chunk.forEach((key, i) => {
        const value = values[i];
        if (value != null) result[key] = JSON.parse(value) as StoreItem;
      });
    }
    return result;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    const args: Array<string | number> = [];
    for (const key of keys) {
      const { eTag, ...rest } = (changes[key] ?? {}) as StoreItem;
      const expected = typeof eTag === 'string' && eTag !== '*' ? eTag : '';
      args.push(expected, serialize(randomUUID(), rest), this.ttlMs > 0 && this.isConversationKey(key) ? this.ttlMs : 0);
    }
    const conflict = await this.redis.eval<number>(WRITE, keys.map((k) => this.prefix + k), args);
    if (conflict > 0) throw new EtagConflictError(keys[conflict - 1] ?? '?');
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.redis.call(['DEL', ...keys.map((k) => this.prefix + k)]);
  }
}

/** `{"eTag":"…", …rest}` built by hand: JSON.stringify would put integer-like keys first. */
function serialize(eTag: string, rest: Record<string, unknown>): string {
  const body = JSON.stringify(rest);
  return `{"eTag":${JSON.stringify(eTag)}${body === '{}' ? '}' : `,${body.slice(1)}`}`;
}

import {
  cleanComment,
  compareRatings,
  matchesRatingFilter,
  validateCommentTarget,
  validateRating,
  type Rating,
  type RatingFilter,
  type RatingStore,
} from './ratingStore';
import { luaScript, RedisCommands, type RedisCommandClient } from './redisCommands';

export interface RedisRatingStoreOptions {
  /** Default 'iemic:'; keys are `<prefix>rt:c:<conversationId>` (hash) and `<prefix>rt:index` (sorted set). */
  keyPrefix?: string;
  commandTimeoutMs?: number;
}

// The hash of a conversation: `r:<id>` = rating JSON, `c:<id>` = a comment set later,
// `csat` = the id of its csat rating. The index: member `<id> <conversationId>` (ids have no
// spaces) scored by the rating's time in ms.

// KEYS: hash, index. ARGV: id, conversationId, rating JSON, score, kind.
// One script, so a csat replaces the previous one atomically even across instances.
const ADD = luaScript(`
local id = ARGV[1]
local csat = redis.call('HGET', KEYS[1], 'csat')
if ARGV[5] == 'csat' then
  if csat and csat ~= id then
    redis.call('HDEL', KEYS[1], 'r:' .. csat, 'c:' .. csat)
    redis.call('ZREM', KEYS[2], csat .. ' ' .. ARGV[2])
  end
  redis.call('HSET', KEYS[1], 'csat', id)
elseif csat == id then
  redis.call('HDEL', KEYS[1], 'csat')
end
redis.call('HSET', KEYS[1], 'r:' .. id, ARGV[3])
redis.call('HDEL', KEYS[1], 'c:' .. id)
redis.call('ZADD', KEYS[2], ARGV[4], id .. ' ' .. ARGV[2])
return 1
`);

// KEYS: hash. ARGV: id, comment.
const COMMENT = luaScript(`
if redis.call('HEXISTS', KEYS[1], 'r:' .. ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'c:' .. ARGV[1], ARGV[2])
return 1
`);

// KEYS: hash, index. ARGV: conversationId.
const DELETE = luaScript(`
local fields = redis.call('HKEYS', KEYS[1])
for _, f in ipairs(fields) do
  if string.sub(f, 1, 2) == 'r:' then redis.call('ZREM', KEYS[2], string.sub(f, 3) .. ' ' .. ARGV[1]) end
end
redis.call('DEL', KEYS[1])
return 1
`);

const PAGE = 1000;

/**
 * Ratings in Redis: a hash per conversation and one sorted set of all ratings by time.
 * Every change is one Lua script (safe with several instances on one client or many).
 * Ratings do not expire. Not for Redis Cluster (scripts touch two keys).
 */
export class RedisRatingStore implements RatingStore {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly indexKey: string;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(client: RedisCommandClient, options: RedisRatingStoreOptions = {}) {
    this.redis = new RedisCommands(client, options.commandTimeoutMs);
    this.prefix = `${options.keyPrefix ?? 'iemic:'}rt:`;
    this.indexKey = `${this.prefix}index`;
  }

  add(r: Rating): Promise<void> {
    let rating: Rating;
    try {
      rating = validateRating(r);
    } catch (err) {
      return Promise.reject(err);
    }
    const { conversationId, id } = rating;
    return this.track(
      this.redis.eval(ADD, [this.hashKey(conversationId), this.indexKey], [
        id,
        conversationId,
        JSON.stringify(rating),
        Date.parse(rating.timestamp),
        rating.kind,
      ]),
    );
  }

  setComment(conversationId: string, ratingId: string, comment: string): Promise<void> {
    let clean: string;
    try {
      validateCommentTarget(conversationId, ratingId);
      clean = cleanComment(comment);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.track(this.redis.eval(COMMENT, [this.hashKey(conversationId)], [ratingId, clean]));
  }

  async list(filter: RatingFilter = {}): Promise<Rating[]> {
    const min = filter.from ? filter.from.getTime() : '-inf';
    const max = filter.to ? `(${filter.to.getTime()}` : '+inf';
    const members = new Set<string>();
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.redis.call<string[]>(['ZRANGEBYSCORE', this.indexKey, min, max, 'LIMIT', offset, PAGE]);
      for (const m of page) members.add(m);
      if (page.length < PAGE) break;
    }
    const byConversation = new Map<string, string[]>();
    for (const member of members) {
      const space = member.indexOf(' ');
      if (space < 1) continue;
      const conversationId = member.slice(space + 1);
      const ids = byConversation.get(conversationId) ?? [];
      ids.push(member.slice(0, space));
      byConversation.set(conversationId, ids);
    }
    const result: Rating[] = [];
    const conversations = [...byConversation];
    for (let i = 0; i < conversations.length; i += PAGE) {
      const chunk = conversations.slice(i, i + PAGE);
      const replies = await Promise.all(
        chunk.map(([conversationId, ids]) =>
          this.redis.call<Array<string | null>>(['HMGET', this.hashKey(conversationId), ...ids.flatMap((id) => [`r:${id}`, `c:${id}`])]),
        ),
      );
      for (const reply of replies) {
        for (let j = 0; j + 1 < reply.length; j += 2) {
          const json = reply[j];
          if (!json) continue; // deleted or replaced meanwhile
          const rating = JSON.parse(json) as Rating;
          const comment = reply[j + 1];
          if (comment) rating.comment = comment;
          if (matchesRatingFilter(rating, filter)) result.push(rating);
        }
      }
    }
    return result.sort(compareRatings);
  }

  async deleteConversation(conversationId: string): Promise<void> {
    await this.track(this.redis.eval(DELETE, [this.hashKey(conversationId), this.indexKey], [conversationId]));
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private hashKey(conversationId: string): string {
    return `${this.prefix}c:${conversationId}`;
  }

  private track(promise: Promise<unknown>): Promise<void> {
    const done = promise.then(() => undefined);
    this.inFlight.add(done);
    const forget = (): void => {
      this.inFlight.delete(done);
    };
    done.then(forget, forget);
    return done;
  }
}

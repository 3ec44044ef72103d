import { luaScript, RedisCommands, type LuaScript, type RedisCommandClient } from '../storage/redisCommands';
import { checkName, type LogEntry, type StaffKv } from './kv';

// KEYS: counter. ARGV: ttl ms. The expiry is set with the first increment only.
const INCR = luaScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`);

/**
 * Keys `<prefix>staff:<ns>:<id>` (JSON strings; PX for a ttl), a set of ids per namespace
 * for `list`, and a sorted set per log scored by time (member: the entry's JSON with a
 * unique id, so equal entries are kept apart). Shared by every instance.
 */
export class RedisStaffKv implements StaffKv {
  private readonly prefix: string;

  private readonly commands: RedisCommands;
  private readonly redis: { call<T>(args: Array<string | number>): Promise<T>; eval<T>(s: LuaScript, k: string[], a: Array<string | number>): Promise<T> };

  /** `ready`: the first connection (commands wait for it once, then fail fast while Redis is down). */
  constructor(
    client: RedisCommandClient,
    keyPrefix = 'iemic:',
    ready: Promise<unknown> = Promise.resolve(),
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    this.commands = new RedisCommands(client);
    this.prefix = `${keyPrefix}staff:`;
    this.redis = {
      call: async (args) => {
        await ready;
        return this.commands.call(args);
      },
      eval: async (script, keys, args) => {
        await ready;
        return this.commands.eval(script, keys, args);
      },
    };
  }

  async get<T>(ns: string, id: string): Promise<T | undefined> {
    const raw = await this.redis.call<string | null>(['GET', this.key(ns, id)]);
    return raw === null || raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(ns: string, id: string, value: T, ttlMs?: number): Promise<void> {
    const body = JSON.stringify(value);
    if (ttlMs) {
      await this.redis.call(['SET', this.key(ns, id), body, 'PX', Math.max(1, Math.ceil(ttlMs))]);
      return;
    }
    await this.redis.call(['SET', this.key(ns, id), body]);
    await this.redis.call(['SADD', this.indexKey(ns), id]);
  }

  async delete(ns: string, id: string): Promise<void> {
    await this.redis.call(['DEL', this.key(ns, id)]);
    await this.redis.call(['SREM', this.indexKey(ns), id]);
  }

  async list<T>(ns: string): Promise<T[]> {
    const ids = await this.redis.call<string[]>(['SMEMBERS', this.indexKey(ns)]);
    if (ids.length === 0) return [];
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const values = await this.redis.call<Array<string | null>>(['MGET', ...chunk.map((id) => this.key(ns, id))]);
      for (const v of values) if (v) out.push(JSON.parse(v) as T);
    }
    return out;
  }

  async incr(ns: string, id: string, ttlMs: number): Promise<number> {
    return Number(await this.redis.eval(INCR, [this.key(ns, id)], [Math.max(1, Math.ceil(ttlMs))]));
  }

  async append(log: string, entry: LogEntry): Promise<void> {
    checkName('log', log);
    const member = JSON.stringify({ ...entry, _n: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}` });
    await this.redis.call(['ZADD', this.logKey(log), Date.parse(entry.timestamp), member]);
  }

  async readLog<T extends LogEntry>(log: string, from: Date, to: Date): Promise<T[]> {
    checkName('log', log);
    const members = await this.redis.call<string[]>(['ZRANGEBYSCORE', this.logKey(log), from.getTime(), `(${to.getTime()}`]);
    return members.map((m) => {
      const { _n: _ignored, ...entry } = JSON.parse(m) as T & { _n?: string };
      return entry as unknown as T;
    });
  }

  async pruneLog(log: string, before: Date): Promise<number> {
    checkName('log', log);
    return Number(await this.redis.call(['ZREMRANGEBYSCORE', this.logKey(log), '-inf', `(${before.getTime()}`]));
  }

  async sweep(): Promise<number> {
    return 0;
  }

  close(): Promise<void> {
    return this.onClose();
  }

  private key(ns: string, id: string): string {
    checkName('namespace', ns);
    return `${this.prefix}${ns}:${id}`;
  }

  private indexKey(ns: string): string {
    checkName('namespace', ns);
    return `${this.prefix}${ns}-ids`;
  }

  private logKey(log: string): string {
    return `${this.prefix}log:${log}`;
  }
}

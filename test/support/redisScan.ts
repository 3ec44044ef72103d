/**
 * Reads a whole Redis database from a test: every key (SCAN), its type, and its contents
 * (GET / LRANGE / HGETALL / SMEMBERS / ZRANGE / XRANGE), as plain strings.
 */
import { createClient } from 'redis';

export type RawRedis = ReturnType<typeof createClient>;

export async function connectRaw(url: string): Promise<RawRedis> {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function closeRaw(client: RawRedis | undefined): Promise<void> {
  if (!client?.isOpen) return;
  try {
    client.destroy();
  } catch {
    // already closed
  }
}

export const cmd = <T = unknown>(client: RawRedis, ...args: Array<string | number>): Promise<T> =>
  client.sendCommand(args.map(String)) as Promise<T>;

export interface RedisEntry {
  key: string;
  type: string;
  /** Every string the value holds (for hashes and zsets: fields/members and values/scores). */
  values: string[];
}

export async function scanAll(client: RawRedis, match = '*'): Promise<RedisEntry[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await cmd<[string, string[]]>(client, 'SCAN', cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = String(next);
    keys.push(...batch.map(String));
  } while (cursor !== '0');
  const entries: RedisEntry[] = [];
  for (const key of [...new Set(keys)].sort()) {
    const type = String(await cmd(client, 'TYPE', key));
    entries.push({ key, type, values: await valuesOf(client, key, type) });
  }
  return entries;
}

async function valuesOf(client: RawRedis, key: string, type: string): Promise<string[]> {
  switch (type) {
    case 'string':
      return [String(await cmd(client, 'GET', key))];
    case 'list':
      return flat(await cmd(client, 'LRANGE', key, 0, -1));
    case 'hash':
      return flat(await cmd(client, 'HGETALL', key));
    case 'set':
      return flat(await cmd(client, 'SMEMBERS', key));
    case 'zset':
      return flat(await cmd(client, 'ZRANGE', key, 0, -1, 'WITHSCORES'));
    case 'stream':
      return flat(await cmd(client, 'XRANGE', key, '-', '+'));
    case 'none':
      return []; // expired between SCAN and TYPE
    default:
      throw new Error(`unexpected Redis type "${type}" at ${key}`);
  }
}

function flat(reply: unknown): string[] {
  if (Array.isArray(reply)) return reply.flatMap(flat);
  if (reply instanceof Map) return [...reply.entries()].flatMap(([k, v]) => [...flat(k), ...flat(v)]);
  if (reply && typeof reply === 'object' && !Buffer.isBuffer(reply)) return Object.entries(reply).flatMap(([k, v]) => [k, ...flat(v)]);
  return reply == null ? [] : [String(reply)];
}

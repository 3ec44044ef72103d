import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClient } from 'redis';

export type TestRedisClient = ReturnType<typeof createClient>;

/** A client configured like production (fail fast while offline), with quicker reconnects. */
export async function connectClient(url: string): Promise<TestRedisClient> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1500, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 500) },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function closeClient(client: TestRedisClient): Promise<void> {
  if (!client.isOpen) return;
  try {
    client.destroy();
  } catch {
    // already closed
  }
}

let counter = 0;
/** A key prefix unique to one test, so tests sharing a server never see each other's keys. */
export function uniquePrefix(): string {
  counter += 1;
  return `t${process.pid}-${counter}:`;
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iemic-storage-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when `cond` holds, polling; throws after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

import { createStores, type Stores } from '../../storage';
import { isStorageUnavailable, StorageUnavailableError } from '../../storage/errors';
import type { TranscriptRecord } from '../../storage/transcriptStore';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { tempDir, waitFor } from './helpers';

const KEY = 'webchat/conversations/c1/ConversationState';
const record = (text: string): TranscriptRecord => ({
  conversationId: 'c1',
  timestamp: new Date().toISOString(),
  from: 'user',
  channelId: 'webchat',
  type: 'message',
  text,
});

/** Runs `op`, expects StorageUnavailableError, returns how long the failure took. */
async function failureTime(op: () => Promise<unknown>): Promise<number> {
  const start = Date.now();
  const err = await op().then(
    () => new Error('expected the operation to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageUnavailableError);
  expect(isStorageUnavailable(err)).toBe(true);
  return Date.now() - start;
}

async function smoke(stores: Stores, text: string): Promise<void> {
  await stores.storage.write({ [KEY]: { text } });
  expect((await stores.storage.read([KEY]))[KEY]).toMatchObject({ text });
  await stores.transcripts.append(record(text));
  expect(await stores.lock.run('c1', async () => 'locked')).toBe('locked');
}

test('without a Redis URL: disk stores under dataDir', async () => {
  const tmp = tempDir();
  const stores = await createStores({ dataDir: tmp.dir });
  try {
    expect(stores.kind).toBe('disk');
    expect(stores.isReady()).toBe(true);
    await smoke(stores, 'disk');
    expect((await stores.transcripts.get('c1')).map((r) => r.text)).toEqual(['disk']);
  } finally {
    await stores.close();
    tmp.remove();
  }
});

describeWithRedis('with Redis', () => {
  const logs: string[] = [];
  const logger = (m: string): void => {
    logs.push(m);
  };
  const opened: Stores[] = [];
  const servers: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await Promise.all(servers.map((s) => s.destroy()));
  });
  const open = async (url: string): Promise<Stores> => {
    const stores = await createStores({ dataDir: '/nonexistent', redisUrl: url, keyPrefix: 'it:', logger });
    opened.push(stores);
    return stores;
  };

  test('Redis stops: operations fail fast; Redis returns: the same stores work again, data kept', async () => {
    const server = await RedisServer.start({ persist: true });
    servers.push(server);
    const stores = await open(server.url);
    expect(stores.kind).toBe('redis');
    expect(stores.isReady()).toBe(true);
    await smoke(stores, 'before');

    await server.stop();
    await waitFor(() => !stores.isReady(), 2000, 'the client to notice');
    for (const op of [
      () => stores.storage.read([KEY]),
      () => stores.storage.write({ [KEY]: { text: 'during' } }),
      () => stores.storage.delete([KEY]),
      () => stores.transcripts.append(record('during')),
      () => stores.transcripts.list({}),
      () => stores.lock.run('c1', async () => 'never'),
    ]) {
      expect(await failureTime(op)).toBeLessThan(2000);
    }
    expect(logs.some((m) => m.startsWith('redis: '))).toBe(true);

    await server.start(); // same port, same data dir
    await waitFor(() => stores.isReady(), 10_000, 'the client to reconnect');
    expect((await stores.storage.read([KEY]))[KEY]).toMatchObject({ text: 'before' });
    expect((await stores.transcripts.get('c1')).map((r) => r.text)).toEqual(['before']);
    await smoke(stores, 'after');
    expect(logs).toContain('redis: connected again');
  });

  test('a Redis that stops answering (frozen) fails within 2 s, then recovers', async () => {
    const server = await RedisServer.start();
    servers.push(server);
    const stores = await open(server.url);
    await smoke(stores, 'before');
    server.pause();
    try {
      expect(await failureTime(() => stores.storage.read([KEY]))).toBeLessThan(2000);
      expect(await failureTime(() => stores.storage.write({ [KEY]: { text: 'x' } }))).toBeLessThan(2000);
    } finally {
      server.resume();
    }
    await smoke(stores, 'after');
  });

  test('Redis down at start: createStores still returns; it connects when Redis comes up', async () => {
    const server = await RedisServer.start();
    servers.push(server);
    await server.stop();
    const start = Date.now();
    const stores = await open(server.url);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(stores.isReady()).toBe(false);
    expect(await failureTime(() => stores.storage.read([KEY]))).toBeLessThan(2000);
    expect(logs.some((m) => m.includes('not reachable at start'))).toBe(true);
    await server.start();
    await waitFor(() => stores.isReady(), 10_000, 'the first connection');
    await smoke(stores, 'late');
  });
});

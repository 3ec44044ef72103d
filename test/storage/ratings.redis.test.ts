import { createStores } from '../../storage';
import { StorageUnavailableError } from '../../storage/errors';
import { RedisRatingStore } from '../../storage/redisRatingStore';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { csat, describeRatingContract, helpful } from './contracts/ratingContract';
import { closeClient, connectClient, tempDir, uniquePrefix, waitFor, type TestRedisClient } from './helpers';

describeWithRedis('RedisRatingStore', () => {
  let server: RedisServer;
  const clients: TestRedisClient[] = [];
  const client = async (): Promise<TestRedisClient> => {
    const c = await connectClient(server.url);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await RedisServer.start({ persist: true });
  });
  afterAll(async () => {
    await Promise.all(clients.map(closeClient));
    await server?.destroy();
  });

  describeRatingContract('RedisRatingStore', async () => {
    const keyPrefix = uniquePrefix();
    const fresh = async (): Promise<RedisRatingStore> => new RedisRatingStore(await client(), { keyPrefix });
    return { store: await fresh(), reopen: fresh, other: fresh, close: async () => undefined };
  });

  test('keys live under the prefix: a hash per conversation and one index', async () => {
    const keyPrefix = uniquePrefix();
    const c = await client();
    const store = new RedisRatingStore(c, { keyPrefix });
    await store.add(helpful('conv 1', { id: 'h1' }));
    await store.add(csat('conv 1', 5, { id: 's1' }));
    await store.add(helpful('conv-2', { id: 'h2' }));
    const keys = (await c.sendCommand(['KEYS', `${keyPrefix}*`])) as string[];
    expect(keys.sort()).toEqual([`${keyPrefix}rt:c:conv 1`, `${keyPrefix}rt:c:conv-2`, `${keyPrefix}rt:index`]);
    await store.deleteConversation('conv 1');
    await store.deleteConversation('conv-2');
    expect(await c.sendCommand(['KEYS', `${keyPrefix}*`])).toEqual([]);
  });

  test('ratings survive a Redis restart (AOF), and the store works again after it', async () => {
    const keyPrefix = uniquePrefix();
    const store = new RedisRatingStore(await client(), { keyPrefix });
    await store.add(csat('c', 4, { id: 's1' }));
    await store.setComment('c', 's1', 'Labi');
    await server.stop();
    await server.start();
    const after = new RedisRatingStore(await client(), { keyPrefix });
    expect((await after.list({})).map((r) => [r.id, r.value, r.comment])).toEqual([['s1', 4, 'Labi']]);
  });

  test('Redis down: every operation fails fast with StorageUnavailableError; back up: it works again', async () => {
    const own = await RedisServer.start();
    const c = await connectClient(own.url);
    clients.push(c);
    const store = new RedisRatingStore(c, { keyPrefix: uniquePrefix() });
    try {
      await store.add(helpful('c', { id: 'before' }));
      await own.stop();
      await waitFor(() => !c.isReady, 2000, 'the client to notice');
      for (const op of [
        () => store.add(helpful('c', { id: 'during' })),
        () => store.setComment('c', 'before', 'x'),
        () => store.list({}),
        () => store.deleteConversation('c'),
      ]) {
        const start = Date.now();
        await expect(op()).rejects.toBeInstanceOf(StorageUnavailableError);
        expect(Date.now() - start).toBeLessThan(2000);
      }
      await own.start();
      await waitFor(() => c.isReady, 10_000, 'the client to reconnect');
      await store.add(helpful('c', { id: 'after' }));
      expect((await store.list({})).map((r) => r.id)).toEqual(['after']); // no persistence on this server
    } finally {
      await own.destroy();
    }
  });

  test('createStores with Redis has ratings; close() flushes them', async () => {
    const tmp = tempDir();
    const keyPrefix = uniquePrefix();
    try {
      const stores = await createStores({ dataDir: tmp.dir, redisUrl: server.url, keyPrefix });
      expect(stores.kind).toBe('redis');
      for (let i = 0; i < 20; i++) void stores.ratings.add(helpful('w', { id: `w${i}` }));
      await stores.close();
      const again = await createStores({ dataDir: tmp.dir, redisUrl: server.url, keyPrefix });
      expect(await again.ratings.list({})).toHaveLength(20);
      await again.close();
    } finally {
      tmp.remove();
    }
  });
});

import { RedisStorage } from '../../storage/redisStorage';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { describeStorageContract } from './contracts/storageContract';
import { closeClient, connectClient, uniquePrefix, type TestRedisClient } from './helpers';

describeWithRedis('RedisStorage', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  describeStorageContract('RedisStorage', async () => {
    const keyPrefix = uniquePrefix();
    const clients = [await connectClient(server.url)];
    return {
      storage: new RedisStorage(clients[0]!, { keyPrefix }),
      reopen: async () => {
        const client = await connectClient(server.url); // a second process has its own connection
        clients.push(client);
        return new RedisStorage(client, { keyPrefix });
      },
      close: async () => {
        await Promise.all(clients.map(closeClient));
      },
    };
  });

  describe('Redis specifics', () => {
    let client: TestRedisClient;
    beforeAll(async () => {
      client = await connectClient(server.url);
    });
    afterAll(async () => {
      await closeClient(client);
    });

    test('conversation keys get the idle TTL, refreshed on write; user keys never expire', async () => {
      const keyPrefix = uniquePrefix();
      const storage = new RedisStorage(client, { keyPrefix });
      const conv = 'webchat/conversations/abc/ConversationState';
      const priv = 'webchat/conversations/abc/users/u1/PrivateConversationState';
      const user = 'webchat/users/u1/UserState';
      await storage.write({ [conv]: { n: 1 }, [priv]: { n: 1 }, [user]: { n: 1 } });
      const thirtyDays = 30 * 24 * 3600 * 1000;
      for (const k of [conv, priv]) {
        const ttl = await client.pTTL(`${keyPrefix}state:${k}`);
        expect(ttl).toBeGreaterThan(thirtyDays - 60_000);
        expect(ttl).toBeLessThanOrEqual(thirtyDays);
      }
      expect(await client.pTTL(`${keyPrefix}state:${user}`)).toBe(-1);

      const short = new RedisStorage(client, { keyPrefix, conversationTtlSeconds: 5 });
      await short.write({ [conv]: { n: 2 } });
      expect(await client.pTTL(`${keyPrefix}state:${conv}`)).toBeLessThanOrEqual(5000);
      await storage.write({ [conv]: { n: 3 } }); // refreshed by the next write
      expect(await client.pTTL(`${keyPrefix}state:${conv}`)).toBeGreaterThan(5000);
    });

    test('items are stored as JSON under the prefix, eTag first', async () => {
      const keyPrefix = uniquePrefix();
      const storage = new RedisStorage(client, { keyPrefix });
      await storage.write({ k: { 7: 'x', a: 1 } });
      const raw = await client.get(`${keyPrefix}state:k`);
      expect(raw).toMatch(/^\{"eTag":"[0-9a-f-]{36}",/);
      expect(JSON.parse(raw!)).toEqual({ eTag: expect.any(String), 7: 'x', a: 1 });
    });

    test('the conflict check also works on an item written without our eTag-first layout', async () => {
      const keyPrefix = uniquePrefix();
      const storage = new RedisStorage(client, { keyPrefix });
      await client.set(`${keyPrefix}state:k`, JSON.stringify({ n: 1, eTag: 'legacy' }));
      await expect(storage.write({ k: { n: 2, eTag: 'other' } })).rejects.toThrow('due to eTag conflict');
      await storage.write({ k: { n: 2, eTag: 'legacy' } });
      expect((await storage.read(['k'])).k.n).toBe(2);
    });

    test('reads of many keys are batched', async () => {
      const keyPrefix = uniquePrefix();
      const storage = new RedisStorage(client, { keyPrefix });
      const keys = Array.from({ length: 1200 }, (_, i) => `k${i}`);
      await storage.write(Object.fromEntries(keys.map((k, i) => [k, { i }])));
      const read = await storage.read(keys);
      expect(Object.keys(read)).toHaveLength(1200);
      expect(read.k1199.i).toBe(1199);
    });

    test('the script is reloaded after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
      const storage = new RedisStorage(client, { keyPrefix: uniquePrefix() });
      await storage.write({ k: { n: 1 } });
      await client.scriptFlush();
      await storage.write({ k: { n: 2 } });
      expect((await storage.read(['k'])).k.n).toBe(2);
    });
  });
});

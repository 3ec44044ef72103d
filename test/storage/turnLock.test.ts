import { LocalTurnLock } from '../../storage/localTurnLock';
import { RedisTurnLock } from '../../storage/redisTurnLock';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { describeTurnLockContract } from './contracts/turnLockContract';
import { closeClient, connectClient, sleep, uniquePrefix, type TestRedisClient } from './helpers';

describeTurnLockContract('LocalTurnLock', async (options) => {
  const lock = new LocalTurnLock(options);
  return { lock, other: async () => lock, close: async () => undefined };
});

describe('LocalTurnLock', () => {
  test('idle conversations are dropped (no leak)', async () => {
    const lock = new LocalTurnLock();
    await Promise.all(Array.from({ length: 500 }, (_, i) => lock.run(`c${i % 50}`, () => sleep(1))));
    expect(lock.activeConversations).toBe(0);
    // also after a waiter timed out
    const impatient = new LocalTurnLock({ maxWaitMs: 50 });
    const slow = impatient.run('t', () => sleep(150));
    await expect(impatient.run('t', async () => 1)).rejects.toThrow('not acquired');
    await slow;
    await sleep(0);
    expect(impatient.activeConversations).toBe(0);
  });
});

describeWithRedis('RedisTurnLock', () => {
  let server: RedisServer;
  const clients: TestRedisClient[] = [];
  const client = async (): Promise<TestRedisClient> => {
    const c = await connectClient(server.url);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map(closeClient));
    await server?.destroy();
  });

  describeTurnLockContract('RedisTurnLock', async (options) => {
    const keyPrefix = uniquePrefix();
    return {
      lock: new RedisTurnLock(await client(), { keyPrefix, ...options }),
      other: async () => new RedisTurnLock(await client(), { keyPrefix, ...options }),
      close: async () => undefined,
    };
  });

  test("a crashed holder's lock expires after its TTL", async () => {
    const keyPrefix = uniquePrefix();
    const doomed = await client();
    const crashed = new RedisTurnLock(doomed, { keyPrefix, ttlMs: 300 });
    let entered = false;
    void crashed.run('c', () => {
      entered = true;
      return new Promise<never>(() => undefined); // hangs; its process "dies" below
    });
    while (!entered) await sleep(5);
    await closeClient(doomed);

    const survivor = new RedisTurnLock(await client(), { keyPrefix, ttlMs: 300 });
    const start = Date.now();
    expect(await survivor.run('c', async () => 'mine')).toBe('mine');
    const waited = Date.now() - start;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(1500);
    expect(survivor.metrics).toMatchObject({ acquired: 1, waited: 1, timeouts: 0 });
    expect(survivor.metrics.retries).toBeGreaterThan(0);
    expect(survivor.metrics.maxWaitMs).toBeGreaterThanOrEqual(200);
  });

  test('a crashed waiter loses its place instead of blocking the queue', async () => {
    const keyPrefix = uniquePrefix();
    const raw = await client();
    // A waiter that took ticket 1 and then died: it never polls again.
    await raw.zAdd(`${keyPrefix}lockq:c`, { score: 0, value: 'dead-waiter' });
    await raw.zAdd(`${keyPrefix}lockhb:c`, { score: Date.now() + 200, value: 'dead-waiter' });
    const lock = new RedisTurnLock(raw, { keyPrefix, waiterTtlMs: 200 });
    const start = Date.now();
    expect(await lock.run('c', async () => 'ok')).toBe('ok');
    expect(Date.now() - start).toBeLessThan(1000);
  });

  test('a turn longer than the TTL is counted as lost and does not delete the next holder’s lock', async () => {
    const keyPrefix = uniquePrefix();
    const log: string[] = [];
    const a = new RedisTurnLock(await client(), { keyPrefix, ttlMs: 100, logger: (m) => log.push(m) });
    const b = new RedisTurnLock(await client(), { keyPrefix, ttlMs: 2000 });
    let bHolds = false;
    const slow = a.run('c', () => sleep(300));
    await sleep(20);
    const second = b.run('c', async () => {
      bHolds = true;
      await sleep(400);
    });
    await slow;
    expect(bHolds).toBe(true);
    expect(a.metrics.lost).toBe(1);
    expect(log.join('\n')).toMatch(/expired before the turn ended/);
    const raw = await client();
    expect(await raw.exists(`${keyPrefix}lock:c`)).toBe(1); // b's lock survived a's release
    await second;
    expect(await raw.exists(`${keyPrefix}lock:c`)).toBe(0);
  });
});

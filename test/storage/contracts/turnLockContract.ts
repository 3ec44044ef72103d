import { LockTimeoutError } from '../../../storage/errors';
import type { TurnLock, TurnLockMetrics } from '../../../storage/turnLock';
import { sleep } from '../helpers';

export type MeteredLock = TurnLock & { readonly metrics: TurnLockMetrics };

export interface TurnLockFixture {
  lock: MeteredLock;
  /** Another instance sharing the lock (another process behind the load balancer). */
  other(): Promise<MeteredLock>;
  close(): Promise<void>;
}

export function describeTurnLockContract(
  name: string,
  factory: (options: { maxWaitMs?: number }) => Promise<TurnLockFixture>,
): void {
  describe(`TurnLock contract: ${name}`, () => {
    const fixtures: TurnLockFixture[] = [];
    const make = async (options: { maxWaitMs?: number } = {}): Promise<TurnLockFixture> => {
      const fx = await factory(options);
      fixtures.push(fx);
      return fx;
    };
    afterEach(async () => {
      await Promise.all(fixtures.splice(0).map((fx) => fx.close()));
    });

    test("returns the turn's value and propagates its error, releasing the lock either way", async () => {
      const { lock } = await make();
      expect(await lock.run('c', async () => 42)).toBe(42);
      await expect(lock.run('c', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await lock.run('c', async () => 'next')).toBe('next');
    });

    test('turns of one conversation never overlap, across two instances', async () => {
      const fx = await make();
      const locks = [fx.lock, await fx.other()];
      let active = 0;
      let maxActive = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          locks[i % 2]!.run('conv', async () => {
            active++;
            maxActive = Math.max(maxActive, active);
            await sleep(2);
            active--;
            done++;
          }),
        ),
      );
      expect(maxActive).toBe(1);
      expect(done).toBe(30);
      const distinct = [...new Set(locks)]; // the local lock's "other" is itself
      const acquired = distinct.reduce((sum, l) => sum + l.metrics.acquired, 0);
      const waited = distinct.reduce((sum, l) => sum + l.metrics.waited, 0);
      expect(acquired).toBe(30);
      expect(waited).toBeGreaterThan(0);
    });

    test('waiting turns run in arrival order', async () => {
      const { lock } = await make();
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          lock.run('ordered', async () => {
            order.push(i);
            await sleep(1);
          }),
        ),
      );
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    test('different conversations do not wait for each other', async () => {
      const { lock } = await make();
      const start = Date.now();
      await Promise.all(['x', 'y', 'z'].map((id) => lock.run(id, () => sleep(150))));
      expect(Date.now() - start).toBeLessThan(400);
      expect(lock.metrics.waited).toBe(0);
    });

    test('a turn that waits too long gets LockTimeoutError; the queue keeps working', async () => {
      const { lock } = await make({ maxWaitMs: 150 });
      const holder = lock.run('slow', () => sleep(500));
      await sleep(20);
      const start = Date.now();
      const err = await lock.run('slow', async () => 'never').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockTimeoutError);
      expect(err).toMatchObject({ conversationId: 'slow' });
      expect(Date.now() - start).toBeLessThan(1000);
      await holder;
      expect(await lock.run('slow', async () => 'after')).toBe('after');
      expect(lock.metrics.timeouts).toBe(1);
    });
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaffKv } from '../../staff';
import { Accounts } from '../../staff/accounts';
import type { StaffKv } from '../../staff/kv';
import { Sessions } from '../../staff/sessions';
import { describeWithRedis, RedisServer } from '../support/redisServer';

/** The staff store's contract, the same on disk and on Redis (two clients: two instances). */
function contract(name: string, open: () => Promise<{ kv: StaffKv; other: StaffKv; close(): Promise<void> }>): void {
  describe(`StaffKv: ${name}`, () => {
    let kv: StaffKv;
    let other: StaffKv;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ kv, other, close } = await open());
    });
    afterAll(() => close());

    test('a value written by one instance is read, listed and deleted by another', async () => {
      await kv.set('review', 'conv:1/ä', { n: 1 });
      await kv.set('review', 'conv-2', { n: 2 });
      expect(await other.get('review', 'conv:1/ä')).toEqual({ n: 1 });
      expect((await other.list<{ n: number }>('review')).map((v) => v.n).sort()).toEqual([1, 2]);
      await other.delete('review', 'conv:1/ä');
      expect(await kv.get('review', 'conv:1/ä')).toBeUndefined();
      expect(await kv.list('review')).toEqual([{ n: 2 }]);
    });

    test('a list follows every write, quick or slow, from either instance', async () => {
      const names = async () => (await kv.list<{ n: string }>('tagged')).map((v) => v.n).sort();
      await kv.set('tagged', 'a', { n: 'a' });
      expect(await names()).toEqual(['a']);
      await other.set('tagged', 'b', { n: 'b' });
      expect(await names()).toEqual(['a', 'b']);
      await new Promise((r) => setTimeout(r, 150));
      expect(await names()).toEqual(['a', 'b']);
      await other.set('tagged', 'a', { n: 'A' });
      expect(await names()).toEqual(['A', 'b']);
      await new Promise((r) => setTimeout(r, 150));
      await names();
      await other.delete('tagged', 'b');
      expect(await names()).toEqual(['A']);
    });

    test('a value with a ttl is gone after it', async () => {
      await kv.set('session', 's1', { a: 1 }, 150);
      expect(await other.get('session', 's1')).toEqual({ a: 1 });
      await new Promise((r) => setTimeout(r, 250));
      expect(await other.get('session', 's1')).toBeUndefined();
    });

    test('a sweep removes what has expired and keeps the rest', async () => {
      await kv.set('lock', 'old', { x: 1 }, 50);
      await kv.set('lock', 'new', { x: 2 }, 60_000);
      await new Promise((r) => setTimeout(r, 120));
      expect(await kv.sweep()).toBeGreaterThanOrEqual(name === 'disk' ? 1 : 0);
      expect(await other.get('lock', 'old')).toBeUndefined();
      expect(await other.get('lock', 'new')).toEqual({ x: 2 });
    });

    test('counters count across instances and expire from the first increment', async () => {
      expect(await kv.incr('failures', 'k', 200)).toBe(1);
      expect(await other.incr('failures', 'k', 200)).toBe(2);
      expect(await kv.incr('failures', 'k', 200)).toBe(3);
      await new Promise((r) => setTimeout(r, 300));
      expect(await kv.incr('failures', 'k', 200)).toBe(1);
    });

    test('the log keeps every entry, reads by time and prunes what is old', async () => {
      const e = (t: string, n: number) => ({ timestamp: t, n });
      await kv.append('audit', e('2025-01-15T10:00:00.000Z', 1));
      await other.append('audit', e('2025-03-01T10:00:00.000Z', 2));
      await kv.append('audit', e('2025-03-01T10:00:00.000Z', 2)); // the same twice is kept twice
      await kv.append('audit', e('2025-03-02T10:00:00.000Z', 3));
      const read = (from: string, to: string) => other.readLog<{ timestamp: string; n: number }>('audit', new Date(from), new Date(to));
      expect((await read('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).map((x) => x.n)).toEqual([1, 2, 2, 3]);
      expect((await read('2025-03-01T10:00:00.000Z', '2025-03-02T10:00:00.000Z')).map((x) => x.n)).toEqual([2, 2]);
      expect(await kv.pruneLog('audit', new Date('2025-02-15T00:00:00Z'))).toBe(1);
      expect((await read('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).map((x) => x.n)).toEqual([2, 2, 3]);
    });

    test('accounts and sessions on top of it: another instance verifies a password and knows the session', async () => {
      const password = await new Accounts(kv).add('Liga', 'viewer');
      expect((await new Accounts(other).verify('liga', password))?.role).toBe('viewer');
      expect(await new Accounts(other).verify('liga', 'wrong')).toBeUndefined();
      const { id } = await new Sessions(kv).create('liga', 'viewer', true);
      expect((await new Sessions(other).get(id))?.account).toBe('liga');
      await new Sessions(other).destroy(id);
      expect(await new Sessions(kv).get(id)).toBeUndefined();
    });
  });
}

contract('disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'staff-kv-'));
  const kv = createStaffKv({ dataDir: dir });
  return { kv, other: createStaffKv({ dataDir: dir }), close: async () => rmSync(dir, { recursive: true, force: true }) };
});

describeWithRedis('on Redis', () => {
  contract('redis', async () => {
    const redis = await RedisServer.start();
    const kv = createStaffKv({ dataDir: '/nonexistent', redisUrl: redis.url });
    const other = createStaffKv({ dataDir: '/nonexistent', redisUrl: redis.url });
    return {
      kv, other,
      close: async () => {
        await kv.close();
        await other.close();
        await redis.destroy();
      },
    };
  });
});

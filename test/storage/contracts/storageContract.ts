import { MemoryStorage } from 'botbuilder';
import { EtagConflictError } from '../../../storage/errors';
import type { Storage, StoreItems } from '../../../storage/types';

export interface StorageFixture {
  storage: Storage;
  /** A new instance over the same data: a restart, or a second process. */
  reopen(): Promise<Storage>;
  close(): Promise<void>;
}

const CONV_KEY = 'msteams/conversations/19:abc@thread.tacv2;messageid=1712/ConversationState';
const USER_KEY = 'webchat/users/dl_ee0b1b2c-Ā/UserState';

/** MemoryStorage's own conflict message, to compare ours against. */
async function memoryStorageConflictMessage(key: string): Promise<string> {
  const memory = new MemoryStorage();
  await memory.write({ [key]: { n: 1 } });
  try {
    await memory.write({ [key]: { n: 2, eTag: 'stale' } });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('MemoryStorage did not reject');
}

async function incrementWithRetry(storage: Storage, key: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const current = (await storage.read([key]))[key] as { count: number; eTag: string };
    const next: StoreItems = { [key]: { count: current.count + 1, eTag: current.eTag } };
    try {
      await storage.write(next);
      return attempt;
    } catch (err) {
      if (!(err instanceof EtagConflictError)) throw err;
    }
  }
}

export function describeStorageContract(name: string, factory: () => Promise<StorageFixture>): void {
  describe(`Storage contract: ${name}`, () => {
    let fx: StorageFixture;
    let storage: Storage;
    beforeEach(async () => {
      fx = await factory();
      storage = fx.storage;
    });
    afterEach(async () => {
      await fx.close();
    });

    test('reading missing keys returns an empty object', async () => {
      expect(await storage.read(['nope', CONV_KEY])).toEqual({});
      expect(await storage.read([])).toEqual({});
    });

    test('write then read round-trips the item and adds an eTag', async () => {
      const item = { count: 1, nested: { list: [1, 'two', null], text: 'Sveiki, Ādažu iela' } };
      await storage.write({ [CONV_KEY]: item, [USER_KEY]: { lang: 'lv' } });
      const read = await storage.read([CONV_KEY, 'missing', USER_KEY]);
      expect(Object.keys(read).sort()).toEqual([CONV_KEY, USER_KEY].sort());
      expect(read[CONV_KEY]).toEqual({ ...item, eTag: expect.any(String) });
      expect(read[USER_KEY]).toEqual({ lang: 'lv', eTag: expect.any(String) });
      expect(item).not.toHaveProperty('eTag'); // the caller's object is not mutated
    });

    test('integer-like property names and an empty item survive', async () => {
      await storage.write({ a: { 1: 'one', z: true }, b: {} });
      const read = await storage.read(['a', 'b']);
      expect(read.a).toEqual({ 1: 'one', z: true, eTag: expect.any(String) });
      expect(read.b).toEqual({ eTag: expect.any(String) });
    });

    test('every write stores a new eTag', async () => {
      await storage.write({ k: { n: 1 } });
      const first = (await storage.read(['k'])).k.eTag as string;
      await storage.write({ k: { n: 2, eTag: first } });
      const second = (await storage.read(['k'])).k.eTag as string;
      expect(second).not.toEqual(first);
    });

    test('a stale eTag is rejected with MemoryStorage’s message and changes nothing', async () => {
      await storage.write({ [CONV_KEY]: { n: 1 } });
      const e1 = (await storage.read([CONV_KEY]))[CONV_KEY].eTag as string;
      await storage.write({ [CONV_KEY]: { n: 2, eTag: e1 } });
      const expected = await memoryStorageConflictMessage(CONV_KEY);
      expect(expected).toBe(`Storage: error writing "${CONV_KEY}" due to eTag conflict.`);
      await expect(storage.write({ [CONV_KEY]: { n: 3, eTag: e1 } })).rejects.toThrow(expected);
      await expect(storage.write({ [CONV_KEY]: { n: 3, eTag: e1 } })).rejects.toBeInstanceOf(EtagConflictError);
      expect((await storage.read([CONV_KEY]))[CONV_KEY].n).toBe(2);
    });

    test("'*', an empty or no eTag overwrites unconditionally", async () => {
      await storage.write({ k: { n: 1 } });
      await storage.write({ k: { n: 2, eTag: '*' } });
      expect((await storage.read(['k'])).k.n).toBe(2);
      await storage.write({ k: { n: 3 } });
      expect((await storage.read(['k'])).k.n).toBe(3);
      await storage.write({ k: { n: 4, eTag: '' } });
      expect((await storage.read(['k'])).k.n).toBe(4);
    });

    test('an eTag on a key that does not exist yet is accepted (as MemoryStorage does)', async () => {
      await storage.write({ fresh: { n: 1, eTag: 'from-elsewhere' } });
      expect((await storage.read(['fresh'])).fresh.n).toBe(1);
    });

    test('a batch with one conflicting key writes none of its keys', async () => {
      await storage.write({ a: { n: 1 }, b: { n: 1 } });
      await expect(storage.write({ a: { n: 2, eTag: '*' }, b: { n: 2, eTag: 'stale' } })).rejects.toThrow(
        'Storage: error writing "b" due to eTag conflict.',
      );
      const read = await storage.read(['a', 'b']);
      expect([read.a.n, read.b.n]).toEqual([1, 1]);
    });

    test('delete removes keys; deleting missing keys is fine', async () => {
      await storage.write({ a: { n: 1 }, b: { n: 1 } });
      await storage.delete(['a', 'never-written']);
      expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
      await storage.delete([]);
    });

    test('odd and long keys are kept apart', async () => {
      const keys = [
        CONV_KEY,
        CONV_KEY.toUpperCase(),
        'telegram/conversations/-100123/ConversationState',
        `directline/conversations/${'x'.repeat(600)}/ConversationState`,
        'a/b/../c?d#e%20f',
      ];
      await storage.write(Object.fromEntries(keys.map((k, i) => [k, { i }])));
      const read = await storage.read(keys);
      expect(keys.map((k) => read[k].i)).toEqual([0, 1, 2, 3, 4]);
    });

    test('concurrent compare-and-set from many writers on two instances loses no update', async () => {
      const other = await fx.reopen();
      // Seeded first: a write without an eTag (nothing read yet) overwrites by design.
      await storage.write({ counter: { count: 0 } });
      const writers = 24;
      const retries = await Promise.all(
        Array.from({ length: writers }, (_, i) => incrementWithRetry(i % 2 ? other : storage, 'counter')),
      );
      expect((await storage.read(['counter'])).counter.count).toBe(writers);
      expect(retries.reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // there really was contention
    });

    test('a new instance (restart) reads what the old one wrote, eTags included', async () => {
      await storage.write({ [CONV_KEY]: { step: 'askName' }, [USER_KEY]: { lang: 'en' } });
      const before = await storage.read([CONV_KEY, USER_KEY]);
      const restarted = await fx.reopen();
      const after = await restarted.read([CONV_KEY, USER_KEY]);
      expect(after).toEqual(before);
      await restarted.write({ [CONV_KEY]: { step: 'done', eTag: before[CONV_KEY].eTag } });
      await expect(storage.write({ [CONV_KEY]: { step: 'late', eTag: before[CONV_KEY].eTag } })).rejects.toThrow(
        EtagConflictError,
      );
    });
  });
}

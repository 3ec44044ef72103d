import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createDiskStores } from '../../storage';
import { DiskRatingStore } from '../../storage/diskRatingStore';
import { StorageUnavailableError } from '../../storage/errors';
import { at, csat, describeRatingContract, helpful } from './contracts/ratingContract';
import { tempDir } from './helpers';

describeRatingContract('DiskRatingStore', async () => {
  const tmp = tempDir();
  const store = new DiskRatingStore({ dataDir: tmp.dir });
  const opened: DiskRatingStore[] = [store];
  return {
    store,
    reopen: async () => {
      const restarted = new DiskRatingStore({ dataDir: tmp.dir });
      opened.push(restarted);
      return restarted;
    },
    other: async () => store, // one instance per directory, by design
    close: async () => {
      await Promise.all(opened.map((s) => s.flush()));
      tmp.remove();
    },
  };
});

describe('DiskRatingStore on disk', () => {
  let tmp: ReturnType<typeof tempDir>;
  let log: string;
  beforeEach(() => {
    tmp = tempDir();
    log = path.join(tmp.dir, 'ratings', 'ratings.jsonl');
  });
  afterEach(() => tmp.remove());

  const lines = async (): Promise<string[]> => (await fs.readFile(log, 'utf8')).split('\n').filter(Boolean);

  test('writes a JSON Lines log under DATA_DIR/ratings; raw comments never reach the disk', async () => {
    const store = new DiskRatingStore({ dataDir: tmp.dir });
    await store.add(helpful('c', { id: 'h1', comment: 'zvaniet 29123456' }));
    await store.setComment('c', 'h1', 'mans kods 161175-19997');
    await store.flush();
    const text = await fs.readFile(log, 'utf8');
    expect(text).not.toMatch(/29123456|161175/);
    expect((await lines()).map((l) => JSON.parse(l).op)).toEqual(['add', 'comment']);
  });

  test('a torn last line (a crash mid-append) is skipped at start, and the next append starts a new line', async () => {
    const store = new DiskRatingStore({ dataDir: tmp.dir });
    await store.add(helpful('c', { id: 'h1', timestamp: at(1) }));
    await store.add(csat('c', 4, { id: 's1', timestamp: at(2) }));
    await store.flush();
    await fs.appendFile(log, '{"op":"add","rating":{"id":"torn","conversationId":"c","ki');

    const restarted = new DiskRatingStore({ dataDir: tmp.dir });
    expect((await restarted.list({})).map((r) => r.id)).toEqual(['h1', 's1']);
    await restarted.add(helpful('c', { id: 'h2', timestamp: at(3) }));
    await restarted.flush();

    const again = new DiskRatingStore({ dataDir: tmp.dir });
    expect((await again.list({})).map((r) => r.id)).toEqual(['h1', 's1', 'h2']);
  });

  test('garbage lines (hand edits, invalid ratings) are skipped, not loaded', async () => {
    await fs.mkdir(path.dirname(log), { recursive: true });
    const good = JSON.stringify({ op: 'add', rating: helpful('c', { id: 'ok' }) });
    const bad = JSON.stringify({ op: 'add', rating: { ...helpful('c', { id: 'bad' }), value: 9 } });
    await fs.writeFile(log, `${good}\nnot json\n${bad}\n{"op":"comment","id":"ok"}\n`);
    const store = new DiskRatingStore({ dataDir: tmp.dir });
    expect((await store.list({})).map((r) => r.id)).toEqual(['ok']);
  });

  test('deleteConversation erases the conversation from the file itself, not just from the index', async () => {
    const store = new DiskRatingStore({ dataDir: tmp.dir });
    await store.add(csat('secret-conv', 1, { id: 's1', comment: 'very private words' }));
    await store.add(csat('secret-conv', 2, { id: 's2' })); // s1 replaced: its line is dead but still in the log
    await store.add(helpful('kept', { id: 'k1' }));
    expect(await fs.readFile(log, 'utf8')).toMatch(/very private words/);
    await store.deleteConversation('secret-conv');
    const text = await fs.readFile(log, 'utf8');
    expect(text).not.toMatch(/secret-conv|very private words/);
    expect((await lines()).map((l) => JSON.parse(l).rating.id)).toEqual(['k1']);
    expect((await new DiskRatingStore({ dataDir: tmp.dir }).list({})).map((r) => r.id)).toEqual(['k1']);
  });

  test('the log is compacted when dead lines pile up (csat replaced over and over)', async () => {
    const store = new DiskRatingStore({ dataDir: tmp.dir });
    for (let i = 0; i < 1100; i++) void store.add(csat('c', (i % 5) + 1, { id: `s${i}` }));
    await store.flush();
    expect((await lines()).length).toBeLessThan(1100);
    const restarted = new DiskRatingStore({ dataDir: tmp.dir });
    expect((await restarted.list({})).map((r) => [r.id, r.value])).toEqual([['s1099', 5]]);
  });

  test('a directory that cannot be created fails with StorageUnavailableError, and nothing is stored', async () => {
    const blocker = path.join(tmp.dir, 'file');
    await fs.writeFile(blocker, 'not a directory');
    const store = new DiskRatingStore({ dataDir: blocker });
    await expect(store.add(helpful('c'))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(store.list({})).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  test('invalid input is rejected before anything is written', async () => {
    const store = new DiskRatingStore({ dataDir: tmp.dir });
    await expect(store.add(csat('c', 7))).rejects.toThrow('Invalid rating: value must be 1..5 for a csat rating');
    await store.flush();
    await expect(fs.readFile(log, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

test('createDiskStores has ratings under DATA_DIR; close() flushes them', async () => {
  const tmp = tempDir();
  try {
    const stores = createDiskStores(tmp.dir);
    for (let i = 0; i < 20; i++) void stores.ratings.add(helpful('w', { id: `w${i}` }));
    await stores.close();
    const reopened = createDiskStores(tmp.dir);
    expect(await reopened.ratings.list({})).toHaveLength(20);
    await reopened.close();
  } finally {
    tmp.remove();
  }
});

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DiskStorage } from '../../storage/diskStorage';
import { describeStorageContract } from './contracts/storageContract';
import { tempDir } from './helpers';

describeStorageContract('DiskStorage', async () => {
  const tmp = tempDir();
  return {
    storage: new DiskStorage({ dataDir: tmp.dir }),
    reopen: async () => new DiskStorage({ dataDir: tmp.dir }),
    close: async () => tmp.remove(),
  };
});

describe('DiskStorage on disk', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  test('one valid JSON file per key under state/, no temp files left', async () => {
    const storage = new DiskStorage({ dataDir: tmp.dir });
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.write({ [`k${i % 5}`]: { i } })));
    await storage.flush(); // the files follow the writes a moment later
    const dir = path.join(tmp.dir, 'state');
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(5);
    for (const f of files) {
      const parsed = JSON.parse(await fs.readFile(path.join(dir, f), 'utf8'));
      expect(parsed).toEqual({ key: expect.stringMatching(/^k\d$/), item: expect.objectContaining({ eTag: expect.any(String) }) });
    }
    expect(await fs.readdir(path.join(dir, '.tmp'))).toEqual([]);
  });

  test('state idle longer than the TTL expires (as on Redis); recent state stays, also in a new instance', async () => {
    const storage = new DiskStorage({ dataDir: tmp.dir });
    await storage.write({ old: { n: 1 }, fresh: { n: 2 } });
    await storage.flush();
    const dir = path.join(tmp.dir, 'state');
    const day = 24 * 3600 * 1000;
    for (const f of (await fs.readdir(dir)).filter((f) => f.endsWith('.json'))) {
      const { key } = JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')) as { key: string };
      if (key === 'old') await fs.utimes(path.join(dir, f), new Date(Date.now() - 31 * day), new Date(Date.now() - 31 * day));
    }
    expect(await storage.expireIdle(30 * day)).toBe(1);
    expect(await storage.read(['old', 'fresh'])).toEqual({ fresh: expect.objectContaining({ n: 2 }) });
    expect(await new DiskStorage({ dataDir: tmp.dir }).read(['old'])).toEqual({});
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  test('a temp file left by a crash is ignored and cleaned up when old', async () => {
    const first = new DiskStorage({ dataDir: tmp.dir });
    await first.write({ k: { n: 1 } });
    const tmpDir = path.join(tmp.dir, 'state', '.tmp');
    const crashed = path.join(tmpDir, 'crashed.json.123.abc.tmp');
    await fs.writeFile(crashed, '{"key":"k","item":{"n":'); // torn write, never renamed
    const old = new Date(Date.now() - 5 * 60_000);
    await fs.utimes(crashed, old, old);
    const restarted = new DiskStorage({ dataDir: tmp.dir });
    expect((await restarted.read(['k'])).k.n).toBe(1);
    expect(await fs.readdir(tmpDir)).toEqual([]);
  });

  test('a file that is not JSON is reported, not silently dropped', async () => {
    const storage = new DiskStorage({ dataDir: tmp.dir });
    await storage.write({ k: { n: 1 } });
    await storage.flush();
    const dir = path.join(tmp.dir, 'state');
    const [file] = (await fs.readdir(dir)).filter((f) => f.endsWith('.json'));
    await fs.writeFile(path.join(dir, file!), 'garbage');
    // the running process serves its own writes from memory; a new process reads the file
    await expect(new DiskStorage({ dataDir: tmp.dir, cacheSize: 0 }).read(['k'])).rejects.toThrow(/not valid JSON/);
  });
});

import { existsSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DiskTranscriptStore } from '../../storage/diskTranscriptStore';
import { RedisTranscriptStore } from '../../storage/redisTranscriptStore';
import { RedisServer, describeWithRedis } from '../support/redisServer';
import { describeTranscriptContract } from './contracts/transcriptContract';
import { closeClient, connectClient, tempDir, uniquePrefix, type TestRedisClient } from './helpers';

describeTranscriptContract('DiskTranscriptStore', async () => {
  const tmp = tempDir();
  const opened: DiskTranscriptStore[] = [new DiskTranscriptStore({ dataDir: tmp.dir })];
  return {
    store: opened[0]!,
    reopen: async () => {
      const store = new DiskTranscriptStore({ dataDir: tmp.dir });
      opened.push(store);
      return store;
    },
    close: async () => {
      await Promise.all(opened.map((s) => s.flush()));
      tmp.remove();
    },
  };
});

describe('DiskTranscriptStore recovery', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  const record = (text: string) => ({
    conversationId: 'c',
    timestamp: new Date().toISOString(),
    from: 'user' as const,
    channelId: 'webchat',
    type: 'message',
    text,
  });

  test('writes JSON Lines and an append-only index log', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir });
    await store.append(record('one'));
    await store.append(record('two'));
    await store.flush();
    const dir = path.join(tmp.dir, 'transcripts');
    const [file] = (await fs.readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    const lines = (await fs.readFile(path.join(dir, file!), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).text)).toEqual(['one', 'two']);
    const log = (await fs.readFile(path.join(dir, 'index.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(log[log.length - 1]).toMatchObject({ conversationId: 'c', records: 2, lastSeq: 2 });
    expect(existsSync(path.join(dir, 'index.json'))).toBe(false);
  });

  test('a crash before the index was saved, with a torn last line, is recovered at start', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir });
    await store.append(record('one'));
    await store.flush(); // index says 1 record
    await store.append(record('two'));
    // Simulate the crash: the index is not saved again, and half a line hits the disk.
    const dir = path.join(tmp.dir, 'transcripts');
    const [file] = (await fs.readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    await fs.appendFile(path.join(dir, file!), '{"seq":3,"conversationId":"c","tex');

    const restarted = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect((await restarted.list({}))[0]).toMatchObject({ conversationId: 'c', records: 2 });
    await restarted.append(record('three'));
    expect((await restarted.get('c')).map((r) => [r.seq, r.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    await restarted.flush();
  });

  test('the index of earlier versions (index.json) is read once and replaced by the log', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir });
    await store.append(record('one'));
    await store.flush();
    const dir = path.join(tmp.dir, 'transcripts');
    const [entry] = (await fs.readFile(path.join(dir, 'index.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    await fs.writeFile(path.join(dir, 'index.json'), JSON.stringify({ version: 1, conversations: [entry] }));
    await fs.rm(path.join(dir, 'index.log'));
    const restarted = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect(await restarted.list({})).toEqual([expect.objectContaining({ conversationId: 'c', records: 1 })]);
    expect(existsSync(path.join(dir, 'index.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'index.log'))).toBe(true);
  });

  test('the log is compacted when most of it is stale, and still describes every conversation', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir, indexDelayMs: 1 });
    for (let i = 0; i < 1500; i++) {
      await store.append({ ...record(`m${i}`), conversationId: `c${i % 3}` });
      if (i % 100 === 0) await store.flush();
    }
    await store.flush();
    const dir = path.join(tmp.dir, 'transcripts');
    const lines = (await fs.readFile(path.join(dir, 'index.log'), 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThan(1500);
    const restarted = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect((await restarted.list({})).map((s) => s.records).sort()).toEqual([500, 500, 500]);
  });

  test('a clean close marks the index; the next start trusts it until the first change', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir });
    await store.append(record('one'));
    await store.append({ ...record('other'), conversationId: 'd' });
    await store.close();
    const mark = path.join(tmp.dir, 'transcripts', 'index.clean');
    expect(existsSync(mark)).toBe(true);

    const restarted = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect((await restarted.list({})).map((s) => [s.conversationId, s.records]).sort()).toEqual([['c', 1], ['d', 1]]);
    expect(existsSync(mark)).toBe(true);
    await restarted.append(record('two'));
    expect(existsSync(mark)).toBe(false);
    // A crash now (the index not saved): the next start checks the files and finds the new record.
    const afterCrash = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect((await afterCrash.list({})).find((s) => s.conversationId === 'c')).toMatchObject({ records: 2 });
    await afterCrash.flush();
    await restarted.flush();
  });

  test('an erasure after a clean start removes the mark, so a crash cannot bring the conversation back', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir });
    await store.append(record('one'));
    await store.append({ ...record('other'), conversationId: 'd' });
    await store.close();
    const restarted = new DiskTranscriptStore({ dataDir: tmp.dir, indexDelayMs: 60_000 });
    await restarted.deleteConversation('d');
    // Crash before the index line of the deletion was saved.
    const afterCrash = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect((await afterCrash.list({})).map((s) => s.conversationId)).toEqual(['c']);
    await afterCrash.flush();
  });

  test('a mark that does not match the log (an older version ran since) is ignored', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir });
    await store.append(record('one'));
    await store.close();
    // An older version appends without knowing the mark, and its index line lands in the log.
    const dir = path.join(tmp.dir, 'transcripts');
    const [file] = (await fs.readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    const line = JSON.parse((await fs.readFile(path.join(dir, file!), 'utf8')).trim()) as Record<string, unknown>;
    await fs.appendFile(path.join(dir, file!), `${JSON.stringify({ ...line, seq: 2, text: 'two' })}\n`);
    await fs.appendFile(path.join(dir, 'index.log'), '{"torn":');
    const restarted = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect((await restarted.list({}))[0]).toMatchObject({ conversationId: 'c', records: 2 });
    expect(existsSync(path.join(dir, 'index.clean'))).toBe(false);
    await restarted.flush();
  });

  test('a missing or corrupt index is rebuilt from the files', async () => {
    const store = new DiskTranscriptStore({ dataDir: tmp.dir });
    await store.append(record('one'));
    await store.flush();
    await fs.writeFile(path.join(tmp.dir, 'transcripts', 'index.log'), 'not json');
    const restarted = new DiskTranscriptStore({ dataDir: tmp.dir });
    expect(await restarted.list({})).toEqual([expect.objectContaining({ conversationId: 'c', records: 1 })]);
    await restarted.flush();
  });
});

describeWithRedis('RedisTranscriptStore', () => {
  let server: RedisServer;
  const clients: TestRedisClient[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map(closeClient));
    await server?.destroy();
  });

  describeTranscriptContract('RedisTranscriptStore', async () => {
    const keyPrefix = uniquePrefix();
    const client = await connectClient(server.url);
    clients.push(client);
    return {
      store: new RedisTranscriptStore(client, { keyPrefix }),
      reopen: async () => {
        const other = await connectClient(server.url);
        clients.push(other);
        return new RedisTranscriptStore(other, { keyPrefix });
      },
      close: async () => undefined,
    };
  });

  test('two instances appending to one conversation get distinct, increasing seq', async () => {
    const keyPrefix = uniquePrefix();
    const [a, b] = [await connectClient(server.url), await connectClient(server.url)];
    clients.push(a, b);
    const stores = [new RedisTranscriptStore(a, { keyPrefix }), new RedisTranscriptStore(b, { keyPrefix })];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        stores[i % 2]!.append({
          conversationId: 'shared',
          timestamp: new Date().toISOString(),
          from: 'user',
          channelId: 'webchat',
          type: 'message',
          text: String(i),
        }),
      ),
    );
    const records = await stores[0]!.get('shared');
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each instance's own appends stay in its call order.
    for (const parity of [0, 1]) {
      const mine = records.map((r) => Number(r.text)).filter((n) => n % 2 === parity);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
  });
});

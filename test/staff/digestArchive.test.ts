import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationQueries, type ConversationFilter } from '../../staff/conversations';
import { createStaffKv } from '../../staff';
import { DiskDigestArchive, KvDigestArchive, type DigestArchive } from '../../staff/digestArchive';
import type { StaffKv } from '../../staff/kv';
import { DiskStaffKv } from '../../staff/diskKv';
import { Reviews } from '../../staff/reviews';
import { DiskRatingStore } from '../../storage/diskRatingStore';
import { DiskTranscriptStore } from '../../storage/diskTranscriptStore';
import type { TranscriptRecord, TranscriptStore, TurnOutcome } from '../../storage/transcriptStore';
import { describeWithRedis, RedisServer } from '../support/redisServer';

const DAY = 86_400_000;
const NOW = Date.now();

const QUESTIONS: Array<[string, 'lv' | 'en', string]> = [
  ['Kā saņemt sodāmības izziņu?', 'lv', 'criminal_record_certificate'],
  ['Kāds ir darba laiks?', 'lv', 'hours'],
  ['Where is the Centre?', 'en', 'address'],
  ['Cik maksā arhīva izziņa?', 'lv', 'fees'],
  ['How do I get a criminal record certificate?', 'en', 'criminal_record_certificate'],
];
const OUTCOMES: TurnOutcome[] = ['answered', 'fallback', 'clarified', 'guide_finished'];
const CHANNELS = ['webchat', 'msteams', 'telegram'];

/** Conversation i: 1-3 turns over the last 6 days, some with ratings and reviews. */
function conversation(i: number): TranscriptRecord[] {
  const id = `conv-${i}`;
  const t0 = NOW - (i % 6) * DAY - (i % 5) * 3_600_000;
  const records: TranscriptRecord[] = [];
  for (let k = 0; k <= i % 3; k++) {
    const [text, language, intent] = QUESTIONS[(i + k) % QUESTIONS.length]!;
    const timestamp = new Date(t0 + k * 20_000).toISOString();
    const channelId = CHANNELS[i % CHANNELS.length]!;
    records.push({ conversationId: id, timestamp, from: 'user', channelId, type: 'message', language, intent, score: 0.8, outcome: OUTCOMES[(i + k) % OUTCOMES.length]!, text });
    records.push({ conversationId: id, timestamp, from: 'bot', channelId, type: 'message', language, text: language === 'lv' ? 'Skatiet Informācijas centra vietni.' : 'See the Centre’s website.' });
  }
  return records;
}

const FILTERS: Array<[string, ConversationFilter]> = [
  ['7 days', {}],
  ['search without diacritics', { q: 'sodamibas izzinu' }],
  ['search, two words', { q: 'darba laiks' }],
  ['search + thumbs down', { q: 'izzina', thumbsDown: true }],
  ['outcome', { outcome: 'fallback' }],
  ['channel', { channel: 'msteams' }],
  ['language', { language: 'en' }],
  ['intent', { intent: 'fees' }],
  ['CSAT 1-2', { lowCsat: true }],
  ['has comment', { hasComment: true }],
  ['not reviewed', { notReviewed: true }],
  ['tag', { tag: 'cena' }],
  ['the last 2 days, searched', { from: new Date(NOW - 2 * DAY), q: 'centra' }],
];

/** Counts transcript reads, to see whether the kept digests were used. */
function counting(store: TranscriptStore): TranscriptStore & { gets: number } {
  const counted = {
    gets: 0,
    append: (r: TranscriptRecord) => store.append(r),
    list: store.list.bind(store),
    get: (id: string) => {
      counted.gets++;
      return store.get(id);
    },
    deleteConversation: store.deleteConversation.bind(store),
    pruneOlderThan: store.pruneOlderThan.bind(store),
    flush: store.flush.bind(store),
  };
  return counted;
}

/** Everything the archive holds, as text. */
async function archived(archive: DigestArchive): Promise<string> {
  const out: string[] = [];
  for (const day of (await archive.days()).sort()) out.push(JSON.stringify(Object.fromEntries(await archive.read(day))));
  return out.join('\n');
}

function archiveSuite(where: string, makeArchive: (dir: string) => DigestArchive): void {
describe(`the list digests kept ${where} (a fresh process reads them, not the transcripts)`, () => {
  let dir: string;
  let transcripts: DiskTranscriptStore;
  let ratings: DiskRatingStore;
  let kv: DiskStaffKv;
  let reviews: Reviews;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'staff-digests-'));
    transcripts = new DiskTranscriptStore({ dataDir: dir });
    ratings = new DiskRatingStore({ dataDir: dir });
    kv = new DiskStaffKv(dir);
    reviews = new Reviews(kv);
    for (let i = 0; i < 60; i++) {
      for (const r of conversation(i)) await transcripts.append(r);
      const last = conversation(i).at(-1)!;
      if (i % 4 === 0) {
        await ratings.add({ id: `r${i}`, conversationId: `conv-${i}`, kind: 'helpful', value: i % 8 === 0 ? 0 : 1, language: last.language!, channelId: last.channelId, timestamp: last.timestamp, ...(i % 12 === 0 ? { comment: 'nav skaidrs' } : {}) });
      }
      if (i % 7 === 0) await ratings.add({ id: `c${i}`, conversationId: `conv-${i}`, kind: 'csat', value: 1 + (i % 5), language: last.language!, channelId: last.channelId, timestamp: last.timestamp });
      if (i % 5 === 0) await reviews.set(`conv-${i}`, { reviewed: true, tags: i % 10 === 0 ? ['cena'] : ['citi'] }, 'anna');
    }
    await transcripts.close();
    await ratings.flush();
    // The first run: the read-ahead makes the digests and keeps them.
    const first = new ConversationQueries(new DiskTranscriptStore({ dataDir: dir }), ratings, reviews, makeArchive(dir));
    expect(await first.warm(new Date(NOW - 31 * DAY))).toBe(60);
    await first.flush();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** As a restarted process sees the data: new stores; with the kept digests or without (reading every transcript). */
  function fresh(withArchive: boolean): { queries: ConversationQueries; store: ReturnType<typeof counting> } {
    const store = counting(new DiskTranscriptStore({ dataDir: dir }));
    return { queries: new ConversationQueries(store, new DiskRatingStore({ dataDir: dir }), new Reviews(new DiskStaffKv(dir)), withArchive ? makeArchive(dir) : undefined), store };
  }

  async function expectSameRows(): Promise<void> {
    const kept = fresh(true);
    const plain = fresh(false);
    for (const [, f] of FILTERS) {
      const filter = { from: new Date(NOW - 7 * DAY), ...f };
      const [a, b] = [await kept.queries.list(filter, 1, 25), await plain.queries.list(filter, 1, 25)];
      expect({ filter, ...a }).toEqual({ filter, ...b });
      expect(await kept.queries.matching(filter)).toEqual(await plain.queries.matching(filter));
    }
  }

  test('are kept per day of last activity', async () => {
    const days = await makeArchive(dir).days();
    expect(days.length).toBeGreaterThanOrEqual(6);
    expect(days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
  });

  test('give the same rows as reading every transcript, for every filter, and no transcript is read for them', async () => {
    const kept = fresh(true);
    const page = await kept.queries.list({ from: new Date(NOW - 7 * DAY), q: 'sodamibas' }, 1, 25);
    expect(page.total).toBeGreaterThan(0);
    expect(page.rows[0]!.firstQuestion).not.toBe('');
    expect(kept.store.gets).toBe(0);
    await expectSameRows();
  });

  test('a conversation grown, added or erased since is answered right', async () => {
    const store = new DiskTranscriptStore({ dataDir: dir });
    const grown = conversation(3).at(-1)!;
    // A second later (the same day: the digest's day file is the same, only its record count tells).
    await store.append({ ...grown, from: 'user', timestamp: new Date(Date.parse(grown.timestamp) + 1000).toISOString(), text: 'Vēl viens jautājums par pasi', outcome: 'fallback' });
    for (const r of conversation(100)) await store.append({ ...r, text: `${r.text ?? ''} jaunums` });
    await store.deleteConversation('conv-6');
    await store.close();

    const kept = fresh(true);
    const grownRows = (await kept.queries.list({ from: new Date(NOW - 7 * DAY), q: 'vel viens pasi' }, 1, 25)).rows;
    expect(grownRows.map((r) => r.conversationId)).toEqual(['conv-3']);
    expect(grownRows[0]!.outcomes).toContain('fallback');
    expect((await kept.queries.list({ from: new Date(NOW - 7 * DAY), q: 'jaunums' }, 1, 25)).rows.map((r) => r.conversationId)).toEqual(['conv-100']);
    expect((await kept.queries.matching({ from: new Date(NOW - 7 * DAY) })).map((r) => r.conversationId)).not.toContain('conv-6');
    // Only the two changed conversations were read again.
    expect(kept.store.gets).toBe(2);
    await expectSameRows();
  });

  test('erasure in the console removes a digest at once; the daily sweep drops those erased elsewhere', async () => {
    const digestFiles = () => archived(makeArchive(dir));
    expect(await digestFiles()).toContain('"conv-12"');
    expect(await digestFiles()).toContain('"conv-13"');

    const store = new DiskTranscriptStore({ dataDir: dir });
    const queries = new ConversationQueries(store, ratings, reviews, makeArchive(dir));
    await store.deleteConversation('conv-12');
    await queries.forget('conv-12');
    expect(await digestFiles()).not.toContain('"conv-12"');

    // Erased through the API (or pruned by retention): the digest stays until the sweep.
    await store.deleteConversation('conv-13');
    expect(await digestFiles()).toContain('"conv-13"');
    expect(await queries.sweep()).toBe(1);
    expect(await digestFiles()).not.toContain('"conv-13"');
    expect(await digestFiles()).toContain('"conv-14"');
    await store.close();
    await expectSameRows();
  });
});
}

archiveSuite('on disk', (dir) => new DiskDigestArchive(dir));

test('on disk they are one file per day, beside the staff store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'staff-digests-'));
  try {
    const archive = new DiskDigestArchive(dir);
    await archive.write('2026-11-30', new Map([['a', { records: 1, last: '2026-11-30T10:00:00.000Z', firstQuestion: 'x', text: 'x', outcomes: {}, intents: {} }]]));
    expect(readdirSync(join(dir, 'staff', 'digests')).filter((n) => n.endsWith('.json'))).toEqual(['2026-11-30.json']);
    expect(readFileSync(join(dir, 'staff', 'digests', '2026-11-30.json'), 'utf8')).toContain('"a"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describeWithRedis('in Redis', () => {
  let redis: RedisServer;
  /** One store per test's data (its own key prefix), so tests do not see each other's digests. */
  const kvs = new Map<string, StaffKv>();
  const kvFor = (dir: string): StaffKv => {
    let kv = kvs.get(dir);
    if (!kv) kvs.set(dir, (kv = createStaffKv({ dataDir: '/nonexistent', redisUrl: redis.url, keyPrefix: `t${kvs.size}:` })));
    return kv;
  };
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    for (const kv of kvs.values()) await kv.close();
    await redis.destroy();
  });

  archiveSuite('in Redis', (dir) => new KvDigestArchive(kvFor(dir)));

  test('only the last 36 days are kept', async () => {
    const archive = new KvDigestArchive(kvFor('window'));
    const digest = { records: 1, last: '', firstQuestion: 'x', text: 'x', outcomes: {}, intents: {} };
    const old = new Date(NOW - 40 * DAY).toISOString().slice(0, 10);
    const recent = new Date(NOW - 35 * DAY).toISOString().slice(0, 10);
    await archive.write(old, new Map([['old', digest]]));
    await archive.write(recent, new Map([['recent', digest]]));
    expect((await archive.read(old)).size).toBe(0);
    expect((await archive.read(recent)).size).toBe(1);
    expect(await archive.days()).toEqual([recent]);
  });
});

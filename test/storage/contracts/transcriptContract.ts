import type { TranscriptRecord, TranscriptStore } from '../../../storage/transcriptStore';

export interface TranscriptFixture {
  store: TranscriptStore;
  /** A new instance over the same data (after flush: a restart). */
  reopen(): Promise<TranscriptStore>;
  close(): Promise<void>;
}

const T0 = Date.parse('2024-05-06T08:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

function rec(conversationId: string, over: Partial<TranscriptRecord> = {}): TranscriptRecord {
  return {
    conversationId,
    timestamp: at(0),
    from: 'user',
    channelId: 'webchat',
    type: 'message',
    text: 'Sveiki',
    ...over,
  };
}

export function describeTranscriptContract(name: string, factory: () => Promise<TranscriptFixture>): void {
  describe(`TranscriptStore contract: ${name}`, () => {
    let fx: TranscriptFixture;
    let store: TranscriptStore;
    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.close();
    });

    test('an unknown conversation has no records', async () => {
      expect(await store.get('nobody')).toEqual([]);
      expect(await store.list({})).toEqual([]);
    });

    test('1,000 appends fired at once in the same millisecond keep their order, seq 1..1000', async () => {
      const n = 1000;
      await Promise.all(Array.from({ length: n }, (_, i) => store.append(rec('c1', { text: `m${i}`, seq: 999 }))));
      const records = await store.get('c1');
      expect(records.map((r) => r.text)).toEqual(Array.from({ length: n }, (_, i) => `m${i}`));
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    });

    test('interleaved appends to several conversations stay ordered per conversation', async () => {
      const ids = ['a', 'b', 'c'];
      await Promise.all(
        Array.from({ length: 300 }, (_, i) => store.append(rec(ids[i % 3]!, { text: String(i) }))),
      );
      for (const [k, id] of ids.entries()) {
        const texts = (await store.get(id)).map((r) => Number(r.text));
        expect(texts).toEqual(Array.from({ length: 100 }, (_, j) => j * 3 + k));
      }
    });

    test('all fields are kept', async () => {
      const full: TranscriptRecord = {
        conversationId: 'msteams:19:abc@thread.tacv2;messageid=1',
        timestamp: at(3),
        from: 'bot',
        channelId: 'msteams',
        language: 'lv',
        intent: 'certificate.criminal_record',
        score: 0.87,
        type: 'message',
        text: 'Sodāmības izziņu var saņemt…',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } }],
        activityId: 'act-1',
      };
      await store.append(full);
      expect(await store.get(full.conversationId)).toEqual([{ ...full, seq: 1 }]);
    });

    test('malformed records are rejected', async () => {
      await expect(store.append(rec(''))).rejects.toThrow(/conversationId/);
      await expect(store.append(rec('x', { timestamp: 'yesterday' }))).rejects.toThrow(/timestamp/);
      await expect(store.append(rec('x', { from: 'staff' as 'user' }))).rejects.toThrow(/from/);
      expect(await store.get('x')).toEqual([]);
    });

    test('list summarizes conversations, newest first', async () => {
      await store.append(rec('old', { timestamp: at(0), language: 'lv', intent: 'hours' }));
      await store.append(rec('old', { timestamp: at(1), from: 'bot', language: 'lv' }));
      await store.append(rec('new', { timestamp: at(10), channelId: 'telegram', language: 'en', intent: 'fees' }));
      await store.append(rec('new', { timestamp: at(12), channelId: 'telegram', language: 'en', intent: 'hours' }));
      const list = await store.list({});
      expect(list.map((s) => s.conversationId)).toEqual(['new', 'old']);
      expect(list[0]).toEqual({
        conversationId: 'new',
        channelId: 'telegram',
        firstTimestamp: at(10),
        lastTimestamp: at(12),
        records: 2,
        userMessages: 2,
        languages: ['en'],
        intents: expect.arrayContaining(['fees', 'hours']),
      });
      expect(list[1]).toMatchObject({ records: 2, userMessages: 1, languages: ['lv'], intents: ['hours'] });
    });

    test('list filters by time, channel, language, intent and limit', async () => {
      // conversation i spans minutes [10i, 10i+5]
      for (let i = 0; i < 6; i++) {
        const channelId = i % 2 ? 'msteams' : 'webchat';
        const language = i < 3 ? 'lv' : 'en';
        await store.append(rec(`c${i}`, { timestamp: at(10 * i), channelId, language, intent: `i${i % 3}` }));
        await store.append(rec(`c${i}`, { timestamp: at(10 * i + 5), channelId, from: 'bot' }));
      }
      const ids = async (f: Parameters<TranscriptStore['list']>[0]): Promise<string[]> =>
        (await store.list(f)).map((s) => s.conversationId);
      expect(await ids({})).toEqual(['c5', 'c4', 'c3', 'c2', 'c1', 'c0']);
      expect(await ids({ from: new Date(at(25)) })).toEqual(['c5', 'c4', 'c3', 'c2']); // c2 ends at 25
      expect(await ids({ to: new Date(at(20)) })).toEqual(['c2', 'c1', 'c0']); // c2 starts at 20
      expect(await ids({ from: new Date(at(12)), to: new Date(at(31)) })).toEqual(['c3', 'c2', 'c1']);
      expect(await ids({ channel: 'msteams' })).toEqual(['c5', 'c3', 'c1']);
      expect(await ids({ language: 'en' })).toEqual(['c5', 'c4', 'c3']);
      expect(await ids({ intent: 'i1' })).toEqual(['c4', 'c1']);
      expect(await ids({ intent: 'i1', channel: 'webchat' })).toEqual(['c4']);
      expect(await ids({ limit: 2 })).toEqual(['c5', 'c4']);
      expect(await ids({ language: 'lv', limit: 2 })).toEqual(['c2', 'c1']);
    });

    test('deleteConversation removes records and summary; a later append starts again', async () => {
      await store.append(rec('gone'));
      await store.append(rec('kept'));
      await store.deleteConversation('gone');
      await store.deleteConversation('never-existed');
      expect(await store.get('gone')).toEqual([]);
      expect((await store.list({})).map((s) => s.conversationId)).toEqual(['kept']);
      await store.append(rec('gone', { text: 'again' }));
      expect((await store.get('gone')).map((r) => [r.seq, r.text])).toEqual([[1, 'again']]);
    });

    test('appends called after a delete survive it, those before do not', async () => {
      const before = store.append(rec('d', { text: 'before' }));
      const del = store.deleteConversation('d');
      const after = store.append(rec('d', { text: 'after' }));
      await Promise.all([before, del, after]);
      expect((await store.get('d')).map((r) => r.text)).toEqual(['after']);
    });

    test('pruneOlderThan deletes conversations whose last activity is before the cutoff', async () => {
      await store.append(rec('p1', { timestamp: at(0) }));
      await store.append(rec('p2', { timestamp: at(5) }));
      await store.append(rec('p2', { timestamp: at(30) })); // still active later
      await store.append(rec('p3', { timestamp: at(20) }));
      expect(await store.pruneOlderThan(new Date(at(20)))).toBe(1); // p3 is at the cutoff, not before
      expect((await store.list({})).map((s) => s.conversationId).sort()).toEqual(['p2', 'p3']);
      expect(await store.get('p1')).toEqual([]);
      expect(await store.pruneOlderThan(new Date(at(60)))).toBe(2);
      expect(await store.list({})).toEqual([]);
    });

    test('flush waits for fire-and-forget appends; a new instance sees them and continues seq', async () => {
      for (let i = 0; i < 100; i++) void store.append(rec('ff', { text: `m${i}`, timestamp: at(i) }));
      await store.flush();
      const restarted = await fx.reopen();
      const records = await restarted.get('ff');
      expect(records).toHaveLength(100);
      expect(records[99]).toMatchObject({ seq: 100, text: 'm99' });
      expect((await restarted.list({}))[0]).toMatchObject({ conversationId: 'ff', records: 100, lastTimestamp: at(99) });
      await restarted.append(rec('ff', { text: 'after restart', timestamp: at(100) }));
      expect((await restarted.get('ff'))[100]).toMatchObject({ seq: 101, text: 'after restart' });
      await restarted.flush();
    });
  });
}
